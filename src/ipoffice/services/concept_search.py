"""Use case: concept search — a technical field described in free text, in Chinese or English, ranked by
keyword, meaning and IPC subclass together (search mode ``concept``).

Three scores over a pool of candidates (each side's best ``POOL``: BM25 and the dense retriever):

- BM25 of the query (divided by the pool's best);
- the dense similarity (standardised over the pool, divided by its best);
- an IPC-subclass agreement: the query's subclass distribution (its nearest subclass and main-group titles
  of the register's bilingual IPC scheme, used as a thesaurus, in the query's language: a softmax of their
  similarities) times each candidate's (a vote of its ``NEIGHBOURS`` nearest labelled texts, weighted by
  similarity cubed). Labelled texts are the IPC classifier's training data: the register's classified
  documents and the labelled title files (``Settings.ipc_training``). A labelled text never votes for a
  document of its own group: by default the same publication number, so a document's own classification is
  not used and a register without classifications ranks like one with them; an evaluation on labelled
  documents passes fold groups (cross-fitting).

Fused score = ``WEIGHTS`` · (bm25, dense, subclass). Measured on ``eval/concept_dev.jsonl`` (bench/README.md,
concept section): weights and neighbour counts chosen by cross-validation over concepts there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from ipoffice.adapters.embeddings import CachedEmbedder
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.search import SearchHit, SearchRequest, SearchResult, dense_text
from ipoffice.domain.text import has_cjk
from ipoffice.services.classify.training import (
    LabelledText,
    labelled_documents,
    read_labelled_csv,
    register_ipc_rows,
)
from ipoffice.services.semantic import DenseSearch, SemanticIndex

POOL = 100  # candidates from each side
NEIGHBOURS = 40  # labelled texts voting on a document's subclasses
NEIGHBOUR_POWER = 3.0  # votes weighted by similarity ** this (the nearest count most)
SCHEME_NEIGHBOURS = 10  # scheme titles describing a query
SCHEME_TEMPERATURE = 0.05  # softmax temperature over their cosine similarities
WEIGHTS = (0.5, 1.0, 1.0)  # bm25, dense, subclass agreement
MEMO_DOCUMENTS = 200_000  # documents whose votes are kept between queries (a few hundred bytes each)
CALIBRATION_TEXTS = 2_000  # labelled texts scored (without their own vote) to calibrate suggestion shares
CALIBRATION_TOP = 5  # suggestions per calibration text


@dataclass(frozen=True)
class SchemeTitle:
    """A subclass or main group of the IPC scheme with its titles (either may be empty)."""

    symbol: str
    title_en: str
    title_zh: str


class SubclassModel:
    """Subclass distributions of queries (from the scheme's titles) and of documents (from labelled texts).

    ``groups`` maps a publication number to its group; a labelled text and a document of the same group never
    meet (default: its own number).
    """

    def __init__(self, embedder: CachedEmbedder, scheme: Sequence[SchemeTitle], labelled: Sequence[LabelledText],
                 groups: Mapping[str, str] | None = None, known: Mapping[str, np.ndarray] | None = None) -> None:
        subclasses = sorted({s for item in labelled for s in item.subclasses} | {t.symbol[:4] for t in scheme})
        self.subclasses = subclasses
        column = {s: i for i, s in enumerate(subclasses)}
        self.embedder = embedder
        self.groups = dict(groups or {})
        kept = [t for t in scheme if t.title_zh or t.title_en]
        self.scheme_columns = np.array([column[t.symbol[:4]] for t in kept], dtype=np.int64)
        self.scheme_zh = embedder.encode([t.title_zh or t.title_en for t in kept])
        self.scheme_en = embedder.encode([t.title_en or t.title_zh for t in kept])
        # A labelled document already in the semantic index keeps its vector there (``known``, by number).
        known = known or {}
        self.labelled_vectors = np.zeros((len(labelled), embedder.dim), dtype=np.float32)
        missing = [i for i, item in enumerate(labelled) if item.source not in known]
        for i, item in enumerate(labelled):
            if item.source in known:
                self.labelled_vectors[i] = known[item.source]
        if missing:
            self.labelled_vectors[missing] = embedder.encode([labelled[i].text for i in missing])
        pairs = [(row, column[s]) for row, item in enumerate(labelled) for s in item.subclasses]
        self.labels = sparse.csr_matrix((np.ones(len(pairs), dtype=np.float32),
                                         ([r for r, _ in pairs], [c for _, c in pairs])),
                                        shape=(len(labelled), len(subclasses)))
        self._group_ids: dict[str, int] = {}
        self.labelled_groups = np.array([self.group_id(item.source) for item in labelled], dtype=np.int64)
        self.calibration = self._calibrate(labelled)

    def group_id(self, number: str) -> int:
        """The number of the group of a publication number (a new one for a number never seen)."""
        group = self.groups.get(number, number)
        return self._group_ids.setdefault(group, len(self._group_ids))

    def of_query(self, text: str, vector: np.ndarray) -> np.ndarray:
        """(subclasses,) probabilities: a softmax over the nearest scheme titles in the query's language."""
        titles = self.scheme_zh if has_cjk(text) else self.scheme_en
        distribution = np.zeros(len(self.subclasses), dtype=np.float32)
        if titles.shape[0] == 0:
            return distribution
        similarity = titles @ vector
        k = min(SCHEME_NEIGHBOURS, similarity.shape[0])
        top = np.argpartition(-similarity, k - 1)[:k]
        weights = np.exp((similarity[top] - similarity[top].max()) / SCHEME_TEMPERATURE)
        np.add.at(distribution, self.scheme_columns[top], weights)
        return np.asarray(distribution / distribution.sum(), dtype=np.float32)

    def of_documents(self, numbers: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """(documents, subclasses) votes of each document's nearest labelled texts of other groups, summing to 1
        (0 when there are none)."""
        if not len(numbers) or self.labels.shape[0] == 0:
            return np.zeros((len(numbers), len(self.subclasses)), dtype=np.float32)
        similarity = vectors @ self.labelled_vectors.T
        own = np.array([self._group_ids.get(self.groups.get(n, n), -1) for n in numbers], dtype=np.int64)
        similarity[own[:, None] == self.labelled_groups[None, :]] = -1.0
        k = min(NEIGHBOURS, similarity.shape[1])
        top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        votes = np.take_along_axis(similarity, top, axis=1).clip(0) ** NEIGHBOUR_POWER
        rows = np.repeat(np.arange(len(numbers)), k)
        weights = sparse.csr_matrix((votes.ravel(), (rows, top.ravel())), shape=similarity.shape)
        distribution = np.asarray((weights @ self.labels).todense(), dtype=np.float32)
        return np.asarray(distribution / (distribution.sum(axis=1, keepdims=True) + 1e-12), dtype=np.float32)


    def shares(self, texts: Sequence[str], sources: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """(texts, subclasses) suggestion shares: the mean of the vote of each text's nearest labelled texts
        (of other groups than its ``source``) and of its nearest scheme titles (the same two distributions
        concept search multiplies)."""
        votes = self.of_documents(sources, vectors)
        query = np.stack([self.of_query(t, v) for t, v in zip(texts, vectors, strict=True)]) if len(texts) \
            else np.zeros((0, len(self.subclasses)), dtype=np.float32)
        return np.asarray(0.5 * votes + 0.5 * query, dtype=np.float32)

    def _calibrate(self, labelled: Sequence[LabelledText]) -> Calibration | None:
        """Isotonic map from a suggestion's share to the probability that it is a true subclass, fitted on up to
        ``CALIBRATION_TEXTS`` labelled texts (a fixed sample) scored without their own vote; None with too few."""
        from sklearn.isotonic import IsotonicRegression

        if len(labelled) < 100:
            return None
        rows = np.random.default_rng(0).permutation(len(labelled))[:CALIBRATION_TEXTS]
        sample = [labelled[i] for i in rows]
        shares = self.shares([x.text for x in sample], [x.source for x in sample], self.labelled_vectors[rows])
        scores, truth = [], []
        for item, row in zip(sample, shares, strict=True):
            for column in np.argsort(-row)[:CALIBRATION_TOP]:
                scores.append(float(row[column]))
                truth.append(float(self.subclasses[column] in item.subclasses))
        half = len(scores) // 2  # odd/even texts: one half fits, the other measures
        fitted = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores[:half], truth[:half])
        ece = expected_calibration_error(fitted.predict(scores[half:]), np.array(truth[half:]))
        whole = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores, truth)
        return Calibration(whole, len(sample), ece)

    def suggest(self, text: str, limit: int) -> list[tuple[str, float]]:
        """IPC subclasses for a free text (an abstract being typed), best first, each with the calibrated
        probability (0-1) that it is one of the text's subclasses (the raw share when the model has too few
        labelled texts to calibrate). Used by the filing page until a classifier is trained."""
        vector = self.embedder.encode([text])[0]
        distribution = self.shares([text], ["\0suggestion"], vector[None, :])[0]
        best = [i for i in np.argsort(-distribution)[:limit] if distribution[i] > 0]
        raw = distribution[best]
        probability = self.calibration.model.predict(raw) if self.calibration is not None else raw
        return [(self.subclasses[i], float(p)) for i, p in zip(best, probability, strict=True)]


@dataclass(frozen=True)
class Calibration:
    """The isotonic share → probability map of suggestions, the number of labelled texts it rests on, and its
    expected calibration error on the half of their suggestions it was not fitted on (10 bins)."""

    model: Any
    texts: int
    ece: float


def expected_calibration_error(probability: np.ndarray, truth: np.ndarray, bins: int = 10) -> float:
    """Mean |predicted − observed| over equal-width probability bins, weighted by the bins' sizes."""
    edges = np.minimum((probability * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        inside = edges == b
        if inside.any():
            total += inside.sum() * abs(float(probability[inside].mean()) - float(truth[inside].mean()))
    return total / max(len(probability), 1)


def subclass_model(register: SqlRegister, embedder: CachedEmbedder, training_files: Sequence[Path] = (),
                   groups: Mapping[str, str] | None = None, index: SemanticIndex | None = None) -> SubclassModel:
    """The model of a register: its IPC scheme's subclass and main-group titles, its classified documents (their
    vectors from the semantic ``index`` when given) and the labelled title files ``training_files``
    (:func:`~ipoffice.services.classify.training.read_labelled_csv`)."""
    scheme = [SchemeTitle(symbol, en or "", zh or "")
              for symbol, _, en, zh in register_ipc_rows(register, ["subclass", "main_group"])]
    documents = labelled_documents(register.iter_documents())
    known = {}
    if index is not None:
        rows = {d.source: index.row_of.get(d.source) for d in documents}
        known = {number: index.index.vectors[row] for number, row in rows.items() if row is not None}
    labelled = list(documents)
    for file in training_files:
        labelled += read_labelled_csv(file)
    return SubclassModel(embedder, scheme, labelled, groups, known)


class ConceptSearch:
    """The ``concept`` mode: keyword and dense candidates re-ranked with the subclass agreement.

    ``model`` is called on first use (embedding the scheme and the labelled texts the first time takes
    minutes; later they come from the vector cache)."""

    def __init__(self, keyword: Callable[[SearchRequest], SearchResult], dense: DenseSearch,
                 model: Callable[[], SubclassModel]) -> None:
        self.keyword = keyword
        self.dense = dense
        self._model_factory = model
        self._model: SubclassModel | None = None
        self._lock = threading.Lock()
        self._memo: dict[str, sparse.csr_matrix] = {}
        self._memo_index: SemanticIndex | None = None

    @property
    def model(self) -> SubclassModel:
        with self._lock:
            if self._model is None:
                self._model = self._model_factory()
            return self._model

    def search(self, request: SearchRequest) -> SearchResult:
        depth = request.offset + request.limit
        pool = max(POOL, depth)
        text = dense_text(request)
        keyword = self.keyword(replace(request, mode="bm25", limit=pool, offset=0)).hits
        if not text.strip():
            return SearchResult(total=len(keyword), hits=keyword[request.offset:depth])
        index = self.dense.index  # one generation for the whole call
        query = self.dense.embed(text)
        dense = index.search_vector(query, pool, request.before)
        hits: dict[str, SearchHit] = {h.number: h for h in dense}
        for h in keyword:
            if h.number not in hits or hits[h.number].title is None:
                hits[h.number] = h
        numbers = list(hits)
        if not numbers:
            return SearchResult(total=0)
        rows = [index.row(n) for n in numbers]
        vectors = np.zeros((len(numbers), index.index.dim), dtype=np.float32)
        present = np.array([r is not None for r in rows])
        if present.any():
            vectors[present] = index.index.vectors[[r for r in rows if r is not None]]
        bm25 = _by_best(np.array([{h.number: h.score for h in keyword}.get(n, 0.0) for n in numbers]))
        cosine = np.where(present, vectors @ query, 0.0)
        spread = cosine[present].std() if present.sum() > 1 else 0.0
        dense_score = _by_best((cosine - cosine[present].mean()) / (spread + 1e-6)) if present.any() else cosine
        model = self.model
        agreement = _by_best(self._votes(index, numbers, vectors, present) @ model.of_query(text, query))
        agreement[~present] = 0.0
        fused = WEIGHTS[0] * bm25 + WEIGHTS[1] * dense_score + WEIGHTS[2] * agreement
        order = sorted(range(len(numbers)), key=lambda i: (-fused[i], numbers[i]))
        ranked = [replace(hits[numbers[i]], score=round(float(fused[i]), 6)) for i in order]
        return SearchResult(total=len(ranked), hits=ranked[request.offset:depth])


    def _votes(self, index: SemanticIndex, numbers: Sequence[str], vectors: np.ndarray,
               present: np.ndarray) -> np.ndarray:
        """(candidates, subclasses) votes, each document's kept from earlier queries on the same index
        generation (their nearest-labelled-text search is most of a query's cost)."""
        with self._lock:
            if self._memo_index is not index or len(self._memo) > MEMO_DOCUMENTS:
                self._memo_index, self._memo = index, {}
            memo = self._memo
        todo = [i for i, n in enumerate(numbers) if present[i] and n not in memo]
        if todo:
            fresh = self.model.of_documents([numbers[i] for i in todo], vectors[todo])
            for i, row in zip(todo, fresh, strict=True):
                memo[numbers[i]] = sparse.csr_matrix(row)
        out = np.zeros((len(numbers), len(self.model.subclasses)), dtype=np.float32)
        for i, n in enumerate(numbers):
            if present[i]:
                out[i] = memo[n].toarray()[0]
        return out


def _by_best(scores: np.ndarray) -> np.ndarray:
    """Scores divided by the largest (unchanged when none is positive)."""
    best = float(scores.max()) if scores.size else 0.0
    return np.asarray(scores / best if best > 0 else scores, dtype=np.float64)
