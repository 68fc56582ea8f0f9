"""The IPC classifier: its four scorers over a text, the stacker that ranks their candidates, and the
saved model file.

Scores and suggestions are per IPC subclass (the labels); main groups are suggested by title similarity.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ipoffice.adapters.embeddings import CachedEmbedder
from ipoffice.domain.text import has_cjk, normalise
from ipoffice.services.classify.groups import GroupRanker
from ipoffice.services.classify.learners import (
    COMPONENT_WEIGHTS,
    FEATURES,
    candidate_features,
    centred,
    e5_embedder_beside,
    fit_linear,
    fit_trees,
    kernel_ridge,
    label_priors,
    linear_scores,
    micro_f1,
    rate_candidates,
    word_tokens,
)
from ipoffice.services.classify.training import IpcTitle, LabelledText

RIDGE = 1.0  # regularisation; chosen by 5-fold CV on cn_ipc_dev.csv (0.3, 1, 3 tried)
WORD_WEIGHT = 0.5  # weight of the word kernel next to the squared embedding kernel (same CV)
ZERO_SHOT_WEIGHT = 0.2  # weight of the IPC-title similarity above ZERO_SHOT_FLOOR
ZERO_SHOT_FLOOR = 0.3  # cosine below which a title similarity says nothing
E5_RIDGE = 0.3  # regularisation of the e5 kernel ridge (0.1, 0.3, 1, 3 tried on fold 0)
CALIBRATION_FOLDS = 2  # folds of the training set that give the SVMs' out-of-fold scores for the stacker
STACK_CANDIDATES = 20  # labels per text (best summed scores) the stacker rates as true or not
MODEL_FORMAT = 3  # 2: e5 kernel ridge and the stacker; 3: main groups
GROUP_CONFIDENT = 0.4  # a suggestion carries its main group from this probability of the group being right


@dataclass(frozen=True)
class Suggestion:
    """A subclass (or main group) and its score: the stacker's probability (0-1) for subclasses, the
    cosine similarity to its title for main groups. A subclass suggestion carries its most likely main group
    (``group``, "H02J 7/00") when the probability that it is right (``group_score``, 0-1) reaches
    GROUP_CONFIDENT."""

    symbol: str
    score: float
    group: str | None = None
    group_score: float | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"symbol": self.symbol, "score": round(self.score, 4)}
        if self.group is not None and self.group_score is not None:
            out["group"], out["group_score"] = self.group, round(self.group_score, 4)
        return out


@dataclass(frozen=True)
class Classification:
    """The suggestions for one text, best first; ``predicted``: the subclasses committed to."""

    suggestions: list[Suggestion]
    predicted: list[str]
    main_groups: list[Suggestion] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "suggestions": [s.as_json() for s in self.suggestions],
            "predicted": self.predicted,
        }
        if self.main_groups:
            out["main_groups"] = [{"symbol": s.symbol, "score": round(s.score, 4)} for s in self.main_groups]
        return out


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
        self.groups = GroupRanker()

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
        model.vectorizer = TfidfVectorizer(analyzer=word_tokens, sublinear_tf=True, dtype=np.float32)
        model.train_words = model.vectorizer.fit_transform(texts)
        model.train_vectors = embedder.encode(texts)
        # Each model's out-of-fold scores on the training texts, the stacker's training data: kernel ridge
        # leave-one-out (exact, closed form), SVMs by CALIBRATION_FOLDS-fold cross-fitting.
        components = np.zeros((len(COMPONENT_WEIGHTS), *truth.shape), dtype=np.float32)
        model.dual, components[0] = kernel_ridge(
            model._kernel(model.train_words, model.train_vectors), truth, RIDGE)
        model._set_titles(titles, index)
        components[1] = model._zero_shot(model.train_vectors)
        e5_vectors = model.e5.encode(texts)
        model.e5_centre = e5_vectors.mean(0)
        model.train_e5 = centred(e5_vectors, model.e5_centre)
        model.e5_dual, components[2] = kernel_ridge((model.train_e5 @ model.train_e5.T) ** 2, truth, E5_RIDGE)
        scheme_texts = [normalise(d.text) for d in scheme]
        scheme_truth = _truth_matrix(scheme, index)
        model.char_vectorizer, model.linear_coef, model.linear_intercept = fit_linear(
            texts + scheme_texts, np.vstack([truth, scheme_truth]))
        part = np.random.default_rng(0).permutation(len(texts)) % CALIBRATION_FOLDS
        for k in range(CALIBRATION_FOLDS):
            fitted_rows = np.flatnonzero(part != k)
            if not fitted_rows.size:
                continue
            linear = fit_linear([texts[i] for i in fitted_rows] + scheme_texts,
                                 np.vstack([truth[fitted_rows], scheme_truth]))
            scored = np.flatnonzero(part == k)
            components[3, scored] = linear_scores(linear, [texts[i] for i in scored])
        model._fit_stacker(components, truth.astype(bool), part)
        model._fit_groups(examples, texts, scheme, index)
        return model

    def _fit_groups(self, examples: Sequence[LabelledText], texts: Sequence[str], scheme: Sequence[LabelledText],
                    index: dict[str, int]) -> None:
        """The main-group ranker (:mod:`.groups`) over the scheme's main groups, calibrated on the training texts
        that carry main groups."""
        group_rows = [i for i, symbol in enumerate(self.title_symbols) if "/" in symbol]
        if not group_rows:  # no main-group titles given: suggestions carry no group
            return
        documents = {d.source.removeprefix("IPC "): d.text for d in scheme}
        symbols = [self.title_symbols[i] for i in group_rows]
        self.groups = GroupRanker(
            symbols, self.title_owner[group_rows], self.title_vectors[group_rows],
            self.char_vectorizer.transform([normalise(documents.get(s, "")) for s in symbols]))
        known = [(i, index[sub], frozenset(e.main_groups)) for i, e in enumerate(examples) if e.main_groups
                 for sub in e.subclasses if any(g.startswith(sub + " ") for g in e.main_groups)]
        if known:
            rows = [i for i, _, _ in known]
            self.groups.calibrate([label for _, label, _ in known], [g for _, _, g in known],
                                  self.train_vectors[rows], self.char_vectorizer.transform([texts[i] for i in rows]),
                                  [has_cjk(texts[i]) for i in rows])

    def _fit_stacker(self, components: np.ndarray, truth: np.ndarray, part: np.ndarray) -> None:
        """The stacker: gradient-boosted trees that rate each candidate label of a text from the models'
        scores, ranks and margins, the label's frequency and its co-occurrence with the text's two best
        labels. Trained on out-of-fold scores; its threshold maximises micro-F1 on its own out-of-fold
        probabilities (CALIBRATION_FOLDS-fold), after which it is refitted on all rows.

        Why: the models' scores live on different scales and say different things about rare and frequent
        labels; on 5-fold out-of-fold scores the stacker lifts micro-F1 from 0.459 (threshold on the sum) to
        0.467 and top-1 from 0.541 to 0.548."""
        self.label_share, self.cooccurrence = label_priors(truth)
        features = np.zeros((len(truth), STACK_CANDIDATES, FEATURES), dtype=np.float32)
        candidates = np.zeros((len(truth), STACK_CANDIDATES), dtype=np.int64)
        folds = [(part == k, part != k) for k in range(CALIBRATION_FOLDS) if (part != k).any()]
        for scored, others in folds:
            # Label priors from the other part, as a scored text's own labels are not in them either.
            share, cooccurrence = label_priors(truth[others])
            features[scored], candidates[scored] = candidate_features(
                components[:, scored], share, cooccurrence, STACK_CANDIDATES)
        if not folds:
            features[:], candidates[:] = candidate_features(
                components, self.label_share, self.cooccurrence, STACK_CANDIDATES)
        rated = np.take_along_axis(truth, candidates, 1)
        probability = np.zeros(truth.shape, dtype=np.float32)
        for scored, others in folds:
            stacker = fit_trees(features[others].reshape(-1, FEATURES), rated[others].ravel())
            rows = np.flatnonzero(scored)
            probability[rows[:, None], candidates[rows]] = rate_candidates(stacker, features[rows])
        self.stacker = fit_trees(features.reshape(-1, FEATURES), rated.ravel())
        thresholds = np.linspace(0.05, 0.95, 91)
        self.threshold = float(max(thresholds, key=lambda t: micro_f1(probability, truth, float(t))))

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
        e5 = centred(self.e5.encode(normalised), self.e5_centre)
        words = self.vectorizer.transform(normalised)
        linear = (self.char_vectorizer, self.linear_coef, self.linear_intercept)
        components = np.stack([
            self._kernel(words, vectors) @ self.dual,
            self._zero_shot(vectors),
            ((e5 @ self.train_e5.T) ** 2) @ self.e5_dual,
            linear_scores(linear, normalised),
        ])
        return components, vectors

    def classify(self, texts: Sequence[str], top: int = 5, main_groups: int = 0) -> list[Classification]:
        """Suggestions ranked by the stacker's probability (the score); predicted: the first suggestion and
        every other whose probability reaches the threshold."""
        if not texts:
            return []
        components, vectors = self._components(texts)
        features, candidates = candidate_features(components, self.label_share, self.cooccurrence,
                                                   max(top, STACK_CANDIDATES))
        probability = rate_candidates(self.stacker, features)
        chars = self.char_vectorizer.transform([normalise(t) for t in texts])
        out = []
        for row in range(len(texts)):
            order = np.argsort(-probability[row], kind="stable")
            ranked, rated = candidates[row, order], probability[row, order]
            suggestions = [self._suggestion(i, float(p), vectors[row], chars[row], has_cjk(texts[row]))
                           for i, p in zip(ranked[:top], rated[:top], strict=True)]
            chosen = [self.labels[ranked[0]]] + [
                self.labels[i] for i, p in zip(ranked[1:], rated[1:], strict=True) if p >= self.threshold]
            groups = self._main_groups(vectors[row], ranked[:top], main_groups) if main_groups else []
            out.append(Classification(suggestions, chosen, groups))
        return out

    def _suggestion(self, label: int, probability: float, vector: np.ndarray, chars: Any,
                    chinese: bool) -> Suggestion:
        best = self.groups.best(label, vector, chars, chinese)
        if best is None or probability * best[1] < GROUP_CONFIDENT:
            return Suggestion(self.labels[label], probability)
        return Suggestion(self.labels[label], probability, best[0], probability * best[1])

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
        """Write the model to ``path`` (a pickle, folders created), without its embedders."""
        path.parent.mkdir(parents=True, exist_ok=True)
        state = {k: v for k, v in self.__dict__.items() if k not in ("embedder", "e5")}
        state["model_id"] = self.embedder.model_id
        state["format"] = MODEL_FORMAT
        with path.open("wb") as fh:
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: Path, embedder: CachedEmbedder) -> IpcClassifier:
        """The model :meth:`save` wrote to ``path``, with ``embedder`` (the one it was trained with). Raises
        RuntimeError for a model of another format or embedding model, OSError for an unreadable file."""
        with path.open("rb") as fh:
            state = pickle.load(fh)  # our own file under ./var, written by save()
        if state.pop("format", 1) not in (2, MODEL_FORMAT):  # a format-2 model loads, without main groups
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


