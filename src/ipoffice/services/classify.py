"""Use case: suggest IPC subclasses (and main groups) for a text in any language.

A subclass's score adds two models:

- kernel ridge regression, one output per subclass, over two views of a text: word TF-IDF (Chinese
  segmented with jieba, other languages by whitespace) and the multilingual sentence embedding (squared
  cosine kernel, so a Chinese title and an English abstract on one subject meet), plus a zero-shot score
  (embedding similarity to the subclass's own and its main groups' bilingual titles);
- one-vs-rest linear SVMs on character 1–2-gram TF-IDF, trained on the same texts *and* on the IPC scheme
  itself: one document per main group (its Chinese title with those of its subgroups) and per subclass.
  The scheme's wording ("捕捉或杀灭昆虫的固定式装置") teaches the vocabulary of rare subclasses and gives every
  subclass, with or without a training document, a trained model.

It learns from the register's classified documents and any labelled title files given. Measured by 5-fold
CV on cn_ipc_dev.csv (bench/README.md): the scheme documents lift the SVMs' micro-F1 by about 2 points and the
sum of both models beats either by about 2 more.

Which subclasses are *predicted* (committed to): the first suggestion always, plus every other one whose
score reaches a threshold chosen to maximise micro-F1 on out-of-fold scores of the training set (kernel
ridge: exact leave-one-out in closed form; SVMs: 2-fold), i.e. calibrated by cross-validation, never on
scored texts.
"""

from __future__ import annotations

import csv
import logging
import pickle
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from ipoffice.adapters.embeddings import CachedEmbedder, cached_embedder
from ipoffice.config import Settings
from ipoffice.domain.classification import ClassificationSymbol
from ipoffice.domain.document import Document, TextField
from ipoffice.domain.text import has_cjk, normalise

RIDGE = 1.0  # regularisation; chosen by 5-fold CV on cn_ipc_dev.csv (0.3, 1, 3 tried)
WORD_WEIGHT = 0.5  # weight of the word kernel next to the squared embedding kernel (same CV)
ZERO_SHOT_WEIGHT = 0.2  # weight of the IPC-title similarity above ZERO_SHOT_FLOOR
ZERO_SHOT_FLOOR = 0.3  # cosine below which a title similarity says nothing
LINEAR_WEIGHT = 0.5  # weight of the SVM scores next to kernel ridge (0.25, 0.5, 1, 2 tried by the same CV)
LINEAR_C = 0.3  # SVM regularisation (0.3 and 1 tried)
LINEAR_FLOOR = -1.5  # SVM margins below this say "no" as loudly as any other (and untrained subclasses get it)
COEF_EPSILON = 0.01  # SVM weights smaller than this are dropped
CALIBRATION_FOLDS = 2  # folds of the training set that give the SVMs' out-of-fold scores for the threshold
MODEL_FILE = "ipc_model.pkl"


@dataclass(frozen=True)
class LabelledText:
    text: str
    subclasses: tuple[str, ...]
    source: str = ""  # publication number or file, to keep scored items out of training


@dataclass(frozen=True)
class Suggestion:
    symbol: str
    score: float


@dataclass(frozen=True)
class Classification:
    suggestions: list[Suggestion]
    predicted: list[str]
    main_groups: list[Suggestion] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "suggestions": [{"symbol": s.symbol, "score": round(s.score, 4)} for s in self.suggestions],
            "predicted": self.predicted,
        }
        if self.main_groups:
            out["main_groups"] = [{"symbol": s.symbol, "score": round(s.score, 4)} for s in self.main_groups]
        return out


@dataclass(frozen=True)
class IpcTitle:
    symbol: str  # subclass "H04W" or main group "H04W 72/00"
    title: str  # English and Chinese titles joined


def _tokens(text: str) -> list[str]:
    if has_cjk(text):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        return [w for w in jieba.lcut(text) if w.strip()]
    return text.lower().split()


def _micro_f1(scores: np.ndarray, truth: np.ndarray, threshold: float) -> float:
    predicted = predicted_mask(scores, threshold)
    tp = float((predicted & truth).sum())
    return 2 * tp / (float(predicted.sum()) + float(truth.sum()))


def predicted_mask(scores: np.ndarray, threshold: float) -> np.ndarray:
    mask = scores >= threshold
    mask[np.arange(len(scores)), scores.argmax(1)] = True
    return mask


class IpcClassifier:
    """A trained model; build with :meth:`train`, apply with :meth:`classify`."""

    def __init__(self, embedder: CachedEmbedder) -> None:
        self.embedder = embedder
        self.labels: list[str] = []
        self.vectorizer: Any = None
        self.train_words: Any = None  # sparse TF-IDF rows of the training texts
        self.train_vectors = np.zeros((0, embedder.dim), dtype=np.float32)
        self.dual = np.zeros((0, 0), dtype=np.float32)  # kernel ridge coefficients, n_train × n_labels
        self.threshold = 0.25
        self.title_vectors = np.zeros((0, embedder.dim), dtype=np.float32)
        self.title_symbols: list[str] = []
        self.title_owner = np.zeros(0, dtype=np.int64)  # label index of each IPC title (-1: not a label)
        self.char_vectorizer: Any = None  # character n-grams of the SVMs (None: a model without them)
        self.linear_coef: Any = None  # sparse features × labels
        self.linear_intercept = np.zeros(0, dtype=np.float32)

    # --- training --------------------------------------------------------------------------------

    @classmethod
    def train(cls, examples: Sequence[LabelledText], titles: Sequence[IpcTitle],
              embedder: CachedEmbedder, scheme: Sequence[LabelledText] = ()) -> IpcClassifier:
        """``scheme``: IPC scheme documents (:func:`ipc_scheme_documents`) for the SVMs besides ``examples``."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not examples:
            raise ValueError("examples: no classified text to learn from (import classified documents)")
        model = cls(embedder)
        labels = sorted({s for e in (*examples, *scheme) for s in e.subclasses} | {t.symbol[:4] for t in titles})
        model.labels = labels
        index = {s: i for i, s in enumerate(labels)}
        texts = [normalise(e.text) for e in examples]
        truth = _truth_matrix(examples, index)
        model.vectorizer = TfidfVectorizer(analyzer=_tokens, sublinear_tf=True, dtype=np.float32)
        model.train_words = model.vectorizer.fit_transform(texts)
        model.train_vectors = embedder.encode(texts)
        kernel = model._kernel(model.train_words, model.train_vectors)
        inverse = np.linalg.inv(kernel + RIDGE * np.eye(len(kernel), dtype=kernel.dtype))
        model.dual = (inverse @ truth).astype(np.float32)
        # Leave-one-out predictions of kernel ridge in closed form: y - (y - ŷ) / (1 - h_ii), with
        # ŷ = K A and 1 - h_ii = λ·inv_ii.
        fitted = kernel @ model.dual
        residual_scale = (RIDGE * np.diag(inverse))[:, None]
        loo = truth - (truth - fitted) / residual_scale
        model._set_titles(titles, index)
        loo += model._zero_shot(model.train_vectors)
        scheme_texts = [normalise(d.text) for d in scheme]
        scheme_truth = _truth_matrix(scheme, index)
        model.char_vectorizer, model.linear_coef, model.linear_intercept = _fit_linear(
            texts + scheme_texts, np.vstack([truth, scheme_truth]))
        # The SVMs' out-of-fold scores: each part of the examples scored by SVMs trained on the others (and
        # the whole scheme).
        part = np.random.default_rng(0).permutation(len(texts)) % CALIBRATION_FOLDS
        for k in range(CALIBRATION_FOLDS):
            fitted_rows = np.flatnonzero(part != k)
            if not fitted_rows.size:
                continue
            linear = _fit_linear([texts[i] for i in fitted_rows] + scheme_texts,
                                 np.vstack([truth[fitted_rows], scheme_truth]))
            scored = np.flatnonzero(part == k)
            loo[scored] += LINEAR_WEIGHT * _linear_scores(linear, [texts[i] for i in scored])
        truth_mask = truth.astype(bool)
        # Candidates: the range of the calibration rows' three best scores (the sum's scale has no fixed zero).
        candidates = np.quantile(np.sort(loo, 1)[:, -3:], np.linspace(0, 1, 101))
        model.threshold = float(max(candidates, key=lambda t: _micro_f1(loo, truth_mask, float(t))))
        return model

    def _set_titles(self, titles: Sequence[IpcTitle], index: dict[str, int]) -> None:
        self.title_symbols = [t.symbol for t in titles]
        self.title_owner = np.array([index.get(t.symbol[:4], -1) for t in titles], dtype=np.int64)
        self.title_vectors = self.embedder.encode([t.title for t in titles])

    def _kernel(self, words: Any, vectors: np.ndarray, other_words: Any = None,
                other_vectors: np.ndarray | None = None) -> np.ndarray:
        other_words = self.train_words if other_words is None else other_words
        other_vectors = self.train_vectors if other_vectors is None else other_vectors
        word_kernel = np.asarray((words @ other_words.T).toarray(), dtype=np.float32)
        return np.asarray(WORD_WEIGHT * word_kernel + (vectors @ other_vectors.T) ** 2, dtype=np.float32)

    def _zero_shot(self, vectors: np.ndarray) -> np.ndarray:
        """Per label: the best similarity of a text to the label's IPC titles, above a floor."""
        scores = np.zeros((len(vectors), len(self.labels)), dtype=np.float32)
        if not len(self.title_vectors):
            return scores
        similarity = vectors @ self.title_vectors.T
        for label in np.unique(self.title_owner[self.title_owner >= 0]):
            scores[:, label] = similarity[:, self.title_owner == label].max(1)
        return np.asarray(ZERO_SHOT_WEIGHT * np.maximum(scores - ZERO_SHOT_FLOOR, 0), dtype=np.float32)

    # --- applying --------------------------------------------------------------------------------

    def scores(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(label scores n × labels, text embeddings n × dim)."""
        normalised = [normalise(t) for t in texts]
        vectors = self.embedder.encode(normalised)
        words = self.vectorizer.transform(normalised)
        scores = self._kernel(words, vectors) @ self.dual + self._zero_shot(vectors)
        if self.char_vectorizer is not None:
            linear = (self.char_vectorizer, self.linear_coef, self.linear_intercept)
            scores += LINEAR_WEIGHT * _linear_scores(linear, normalised)
        return scores, vectors

    def classify(self, texts: Sequence[str], top: int = 5, main_groups: int = 0) -> list[Classification]:
        if not texts:
            return []
        scores, vectors = self.scores(texts)
        predicted = predicted_mask(scores, self.threshold)
        out = []
        for row in range(len(texts)):
            order = np.argsort(-scores[row])
            suggestions = [Suggestion(self.labels[i], float(scores[row, i])) for i in order[:top]]
            chosen = [self.labels[i] for i in order if predicted[row, i]]
            groups = self._main_groups(vectors[row], order[:top], main_groups) if main_groups else []
            out.append(Classification(suggestions, chosen, groups))
        return out

    def _main_groups(self, vector: np.ndarray, top_labels: np.ndarray, limit: int) -> list[Suggestion]:
        """Main groups of the top subclasses, ranked by similarity of the text to their titles."""
        wanted = np.isin(self.title_owner, top_labels) & np.array([" " in s for s in self.title_symbols], bool)
        rows = np.flatnonzero(wanted)
        if not rows.size:
            return []
        similarity = self.title_vectors[rows] @ vector
        best = rows[np.argsort(-similarity)[:limit]]
        return [Suggestion(self.title_symbols[i], float(self.title_vectors[i] @ vector)) for i in best]

    # --- files -----------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        state = {k: v for k, v in self.__dict__.items() if k != "embedder"}
        state["model_id"] = self.embedder.model_id
        with path.open("wb") as fh:
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: Path, embedder: CachedEmbedder) -> IpcClassifier:
        with path.open("rb") as fh:
            state = pickle.load(fh)  # our own file under ./var, written by save()
        if state.pop("model_id") != embedder.model_id:
            raise RuntimeError(f"{path} was trained with another embedding model; delete it to retrain")
        model = cls(embedder)
        model.__dict__.update(state)
        return model


def _truth_matrix(examples: Sequence[LabelledText], index: dict[str, int]) -> np.ndarray:
    truth = np.zeros((len(examples), len(index)), dtype=np.float32)
    for row, e in enumerate(examples):
        truth[row, [index[s] for s in e.subclasses]] = 1.0
    return truth


Linear = tuple[Any, Any, np.ndarray]  # (character TF-IDF vectorizer, coefficients, intercepts)


def _fit_linear(texts: Sequence[str], truth: np.ndarray) -> Linear:
    """One linear SVM per label with a positive text (the others keep LINEAR_FLOOR) on character 1–2-grams."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2,
                                 dtype=np.float32)
    features = vectorizer.fit_transform(texts)
    coef = np.zeros((features.shape[1], truth.shape[1]), dtype=np.float32)
    intercept = np.full(truth.shape[1], LINEAR_FLOOR, dtype=np.float32)
    trained = np.flatnonzero(truth.any(0))
    svms = OneVsRestClassifier(LinearSVC(C=LINEAR_C)).fit(features, truth[:, trained].astype(bool))
    coef[:, trained] = np.vstack([e.coef_.ravel() for e in svms.estimators_]).T
    intercept[trained] = [float(e.intercept_[0]) for e in svms.estimators_]
    # 96 % of the weights are below COEF_EPSILON: dropping them keeps the saved model small (~20 MB, not 160).
    coef[np.abs(coef) < COEF_EPSILON] = 0.0
    return vectorizer, sparse.csr_matrix(coef), intercept


def _linear_scores(linear: Linear, texts: Sequence[str]) -> np.ndarray:
    vectorizer, coef, intercept = linear
    margins = np.asarray((vectorizer.transform(texts) @ coef).toarray()) + intercept
    return np.asarray(np.maximum(margins, LINEAR_FLOOR), dtype=np.float32)


# --- training data -------------------------------------------------------------------------------

def labelled_documents(documents: Iterable[Document]) -> list[LabelledText]:
    """Classified documents of the register: title + abstract, with their IPC (or CPC) subclasses."""
    out = []
    for doc in documents:
        subclasses = sorted({s for c in doc.classifications if (s := c.parsed.subclass_symbol)})
        title = doc.text(TextField.TITLE)
        if not subclasses or not title:
            continue
        abstract = doc.text(TextField.ABSTRACT, doc.texts[0].lang if doc.texts else None) or ""
        out.append(LabelledText(f"{title} {abstract}".strip(), tuple(subclasses), doc.number.compact))
    return out


def read_labelled_csv(path: Path) -> list[LabelledText]:
    """Rows of ``publication_number,title,ipc_subclasses`` (``|``-separated), like cn_ipc_dev.csv."""
    out = []
    with path.open(newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                text, raw = row["title"], row["ipc_subclasses"]
            except KeyError as exc:
                raise ValueError(f"{path}: missing column {exc} (need title, ipc_subclasses)") from None
            subclasses = tuple(s.strip() for s in (raw or "").split("|") if s.strip())
            for s in subclasses:
                parsed = ClassificationSymbol.parse(s, field=f"{path.name} line {line} ipc_subclasses")
                if parsed.subclass_symbol != s:
                    raise ValueError(f"{path.name} line {line} ipc_subclasses: {s!r} is not a subclass")
            if text and subclasses:
                out.append(LabelledText(text, subclasses, row.get("publication_number") or f"{path.name}:{line}"))
    return out


def ipc_titles(rows: Iterable[tuple[str, str, str | None, str | None]]) -> list[IpcTitle]:
    """Subclass and main-group titles (symbol, level, English, Chinese) as zero-shot prototypes."""
    out = []
    for symbol, level, title_en, title_zh in rows:
        if level not in ("subclass", "main_group"):
            continue
        title = " ".join(t for t in (title_zh, title_en) if t)
        if title:
            out.append(IpcTitle(symbol, normalise(title)))
    return out


_REFERENCE = re.compile(r"（[^）]*）|\([^)]*\)")  # "(… 入A01C5/00)": pointers to other places, not the subject


def ipc_scheme_documents(rows: Iterable[tuple[str, str, str | None, str | None]]) -> list[LabelledText]:
    """Training documents from the scheme (symbol, level, English, Chinese): per subclass its title, per main
    group its title followed by its subgroups' titles; Chinese where there is one, references removed."""
    texts: dict[str, list[str]] = {}
    for symbol, level, title_en, title_zh in rows:
        if level not in ("subclass", "main_group", "subgroup"):
            continue
        title = _REFERENCE.sub("", title_zh).replace(" ", "") if title_zh else _REFERENCE.sub("", title_en or "")
        owner = symbol if level == "subclass" else symbol.split("/")[0] + "/00"
        if title.strip():
            texts.setdefault(owner, []).append(title.strip())
    return [LabelledText(" ".join(parts), (owner[:4],), f"IPC {owner}") for owner, parts in sorted(texts.items())]


def _ipc_rows(settings: Settings, levels: Sequence[str]) -> list[tuple[str, str, str | None, str | None]]:
    from sqlalchemy import select

    from ipoffice.adapters import tables as t
    from ipoffice.bootstrap import open_register

    register = open_register(settings)
    with register.engine.connect() as conn:
        rows = conn.execute(
            select(t.ipc_entries.c.symbol, t.ipc_entries.c.level, t.ipc_entries.c.title_en, t.ipc_entries.c.title_zh)
            .where(t.ipc_entries.c.level.in_(list(levels)))
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def register_ipc_titles(settings: Settings) -> list[IpcTitle]:
    return ipc_titles(_ipc_rows(settings, ["subclass", "main_group"]))


def register_ipc_scheme(settings: Settings) -> tuple[list[IpcTitle], list[LabelledText]]:
    """The register's IPC scheme as zero-shot titles and as SVM training documents."""
    rows = _ipc_rows(settings, ["subclass", "main_group", "subgroup"])
    return ipc_titles(rows), ipc_scheme_documents(rows)


def training_files(settings: Settings) -> list[Path]:
    """Labelled title files used besides the register: ``IPOFFICE_IPC_TRAINING`` (``:``-separated) or
    the shared ``eval/cn_ipc_dev.csv`` when present (so ``ipoffice eval ipc`` on that file must and does
    cross-validate)."""
    import os

    given = os.environ.get("IPOFFICE_IPC_TRAINING")
    if given is not None:
        return [Path(p) for p in given.split(":") if p]
    default = settings.shared_dir / "eval" / "cn_ipc_dev.csv"
    return [default] if default.is_file() else []


def train_from_register(settings: Settings | None = None) -> IpcClassifier:
    from ipoffice.bootstrap import open_register

    settings = settings or Settings.from_env()
    examples = labelled_documents(open_register(settings).iter_documents())
    for path in training_files(settings):
        examples += read_labelled_csv(path)
    titles, scheme = register_ipc_scheme(settings)
    model = IpcClassifier.train(examples, titles, cached_embedder(settings.var_dir), scheme)
    model.save(settings.var_dir / "semantic" / MODEL_FILE)
    return model


def open_classifier(settings: Settings | None = None, *, retrain: bool = False) -> IpcClassifier:
    """The saved model, trained first if there is none (or ``retrain``)."""
    settings = settings or Settings.from_env()
    path = settings.var_dir / "semantic" / MODEL_FILE
    if path.exists() and not retrain:
        return IpcClassifier.load(path, cached_embedder(settings.var_dir))
    return train_from_register(settings)


# --- evaluation ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class IpcMetrics:
    items: int
    top1_accuracy: float
    recall_at_5: float
    micro_f1: float
    precision: float
    recall: float
    labels_per_item: float
    any_hit: float  # share of texts with at least one true subclass in the predicted set


def score_predictions(truth: Sequence[Sequence[str]], ranked: Sequence[Sequence[str]],
                      predicted: Sequence[Sequence[str]]) -> IpcMetrics:
    """Top-1 accuracy (first ranked is a true subclass), recall@5, micro P/R/F1 of the predicted sets."""
    n = len(truth)
    top1 = sum(1 for t, r in zip(truth, ranked, strict=True) if r and r[0] in t)
    recall5 = sum(len(set(r[:5]) & set(t)) / len(set(t)) for t, r in zip(truth, ranked, strict=True))
    tp = sum(len(set(p) & set(t)) for t, p in zip(truth, predicted, strict=True))
    n_pred = sum(len(set(p)) for p in predicted)
    n_true = sum(len(set(t)) for t in truth)
    return IpcMetrics(
        items=n,
        top1_accuracy=top1 / n,
        recall_at_5=recall5 / n,
        micro_f1=2 * tp / (n_pred + n_true) if n_pred + n_true else 0.0,
        precision=tp / n_pred if n_pred else 0.0,
        recall=tp / n_true if n_true else 0.0,
        labels_per_item=n_pred / n,
        any_hit=sum(1 for t, p in zip(truth, predicted, strict=True) if set(t) & set(p)) / n,
    )


def anchor_metrics(path: Path) -> tuple[IpcMetrics, float]:
    """The file's ``anchor_predicted_subclasses`` column scored as a predicted set; plus its any-hit rate."""
    truth, predicted = [], []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            truth.append([s for s in row["ipc_subclasses"].split("|") if s])
            predicted.append([s for s in (row.get("anchor_predicted_subclasses") or "").split("|") if s])
    metrics = score_predictions(truth, predicted, predicted)
    return metrics, metrics.any_hit


def cross_validate(path: Path, settings: Settings | None = None, folds: int = 5, seed: int = 0,
                   with_register: bool = True, progress: Any = None) -> IpcMetrics:
    """K-fold CV on a labelled file: each fold is scored by a model that never saw it.

    The register's classified documents (minus any number in the file) and the IPC titles join every
    fold's training set, as they would in use.
    """
    settings = settings or Settings.from_env()
    items = read_labelled_csv(path)
    extra: list[LabelledText] = []
    titles: list[IpcTitle] = []
    scheme: list[LabelledText] = []
    if with_register:
        from ipoffice.bootstrap import open_register

        in_file = {i.source for i in items}
        extra = [e for e in labelled_documents(open_register(settings).iter_documents()) if e.source not in in_file]
        titles, scheme = register_ipc_scheme(settings)
    embedder = cached_embedder(settings.var_dir)
    order = np.random.default_rng(seed).permutation(len(items))
    ranked: list[list[str]] = [[] for _ in items]
    predicted: list[list[str]] = [[] for _ in items]
    for fold in range(folds):
        test = order[fold::folds]
        test_set = set(test.tolist())
        train = [items[i] for i in range(len(items)) if i not in test_set] + extra
        model = IpcClassifier.train(train, titles, embedder, scheme)
        results = model.classify([items[i].text for i in test], top=5)
        for i, result in zip(test.tolist(), results, strict=True):
            ranked[i] = [s.symbol for s in result.suggestions]
            predicted[i] = result.predicted
        if progress:
            progress(fold + 1, folds)
    return score_predictions([i.subclasses for i in items], ranked, predicted)
