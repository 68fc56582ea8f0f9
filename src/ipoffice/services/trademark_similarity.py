"""Word-mark similarity search: the earlier marks that look, sound or mean like a mark, ranked, with reasons.

The seam for relative-grounds examination, opposition and watch::

    office().trademark_similarity.earlier_marks(mark: str, classes: Sequence[int], before: date | None,
                                                limit: int) -> list[EarlierMark]

returns at most ``limit`` marks of the register filed before ``before`` (all marks when None; a mark with no
filing or publication date is then left out, as it cannot be shown earlier) that are like the mark in at
least one respect of the mark itself (goods alone make no conflict), best first. Each
:class:`EarlierMark` has ``number`` (register key, e.g. ``ILTM-160158``), ``mark``, ``score`` (0..1),
``classes`` (Nice), ``filed`` and ``reasons``: ``Reason(kind, score, detail)`` with kind one of ``visual``,
``phonetic``, ``conceptual``, ``containment``, ``goods`` (domain.mark_similarity). ``classes`` may be empty:
the goods are then not weighed. Raises InvalidField naming ``mark`` when the mark has no letter or digit,
``classes`` when a class is not 1–45, ``limit`` when it is not 1–1000.

How: candidates come in separate pools merged before ranking (adapters.mark_index): the marks sharing most
character trigrams, sound keys and words with the mark in a tantivy index of their forms; the marks sharing
most dictionary meanings (adapters.mark_glossary); the marks inside the mark or holding all its words; and the
marks nearest in meaning by multilingual sentence vectors; each is then compared exactly
(domain.mark_similarity.compare). The index is derived from the register and rebuilt when the register's
trademarks change (:meth:`TrademarkSimilarity.ensure_current`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ipoffice.adapters.mark_glossary import meaning
from ipoffice.adapters.mark_index import MarkIndex, build_mark_index, vector_text
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.goods_relatedness import goods_relatedness, term_words
from ipoffice.domain.mark_forms import mark_forms
from ipoffice.domain.mark_similarity import MARK_KINDS, MarkRecord, Reason, Similarity, compare

MAX_LIMIT = 1000
# Candidates compared exactly, per pool (adapters.mark_index): each kind of likeness has its own, so that at a
# million marks one kind's candidates never crowd out another's.
LEXICAL_POOL = 300  # by shared trigrams, sound keys and words (recall of planted variants flat from ~200)
DICTIONARY_POOL = 100  # by shared dictionary meanings
CONTAINMENT_POOL = 100  # marks inside the mark or holding it
MEANING_POOL = 30  # by nearest sentence vectors


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class EarlierMark:
    number: str
    mark: str
    score: float
    classes: tuple[int, ...]
    filed: date | None
    reasons: tuple[Reason, ...]

    def as_json(self) -> dict[str, Any]:
        """The CLI's and the API's shape: number, mark, score, classes, filed, reasons [{kind, score, detail}]."""
        return {"number": self.number, "mark": self.mark, "score": self.score, "classes": list(self.classes),
                "filed": self.filed.isoformat() if self.filed else None,
                "reasons": [r.as_json() for r in self.reasons]}


def check_query(mark: str, classes: Sequence[int], limit: int) -> None:
    if not mark or mark_forms(mark).empty:
        raise InvalidField("mark", mark, "has no letter, digit or Chinese character to compare")
    bad = [c for c in classes if not 1 <= c <= 45]
    if bad:
        raise InvalidField("classes", bad, "Nice classes are 1 to 45")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidField("limit", limit, f"must be 1 to {MAX_LIMIT}")


def rank(index: MarkIndex, query_vector: np.ndarray | None, mark: str, classes: Sequence[int],
         before: date | None, limit: int, terms: str = "") -> list[EarlierMark]:
    """The ranking itself over a built index (the service's and the benchmark's)."""
    forms = mark_forms(mark)
    pool = {c.row: c for c in index.candidates(forms, before=before, limit=max(LEXICAL_POOL, 3 * limit))}
    for extra in (index.meaning_candidates(forms, before=before, limit=DICTIONARY_POOL),
                  index.containment_candidates(forms, before=before, limit=CONTAINMENT_POOL)):
        pool.update((c.row, c) for c in extra if c.row not in pool)
    if query_vector is not None:
        nearest = [row for row, _ in index.nearest_in_meaning(query_vector, before=before, k=MEANING_POOL)]
        pool.update({c.row: c for c in index.by_rows([r for r in nearest if r not in pool])})
    rows = list(pool)
    cosines = index.cosine(query_vector, rows) if query_vector is not None else np.zeros(0)
    wanted_terms = term_words(terms)
    query_meaning = meaning(forms)
    found = []
    for i, row in enumerate(rows):
        record = pool[row].record
        goods = goods_relatedness(classes, record.classes, wanted_terms, term_words(record.terms)) \
            if classes or wanted_terms else None
        cosine = float(cosines[i]) if query_vector is not None else None
        best = _best(compare(forms, mark_forms(text), cosine=cosine, goods=goods, classes_given=bool(classes),
                             meanings=(query_meaning, meaning(mark_forms(text)))) for text in record.texts)
        if any(r.kind in MARK_KINDS for r in best.reasons):  # goods alone make no conflict
            found.append(_earlier(record, best))
    found.sort(key=lambda e: (-e.score, e.number))
    return found[:limit]


def _best(similarities: Iterable[Similarity]) -> Similarity:
    return max(similarities, key=lambda s: s.score)


def _earlier(record: MarkRecord, similarity: Similarity) -> EarlierMark:
    return EarlierMark(record.number, record.mark, similarity.score, record.classes, record.filed,
                       similarity.reasons)


class TrademarkSimilarity:
    """Similarity search over the register's word marks, with its index under ``directory``."""

    def __init__(self, directory: Path, records: Callable[[], Iterable[MarkRecord]], state: Callable[[], str],
                 encoder: Callable[[], Encoder] | None) -> None:
        self.directory = directory
        self._records = records
        self._state = state
        self._encoder = encoder
        self._index: MarkIndex | None = None
        self._lock = threading.Lock()

    def ensure_current(self) -> MarkIndex:
        """The index, rebuilt first when missing, of another schema, or older than the register's marks."""
        state = self._state()
        with self._lock:
            if self._index is not None and self._index.meta.get("source_state") == state:
                return self._index
            try:
                index = MarkIndex(self.directory)
            except (FileNotFoundError, ValueError):
                index = None
            if index is None or index.meta.get("source_state") != state:
                self.rebuild(state)
                index = MarkIndex(self.directory)
            self._index = index
            return index

    def rebuild(self, state: str | None = None) -> int:
        """Build the index from the register's marks; the number of marks indexed."""
        records = list(self._records())
        vectors = None
        if self._encoder is not None:
            vectors = np.asarray(self._encoder().encode([vector_text(r) for r in records]), dtype=np.float32)
            vectors = vectors.reshape(len(records), -1) if len(records) else None
        return build_mark_index(self.directory, records, vectors=vectors,
                                source_state=state if state is not None else self._state())

    def earlier_marks(self, mark: str, classes: Sequence[int] = (), before: date | None = None,
                      limit: int = 20, terms: str = "") -> list[EarlierMark]:
        """The marks most similar to ``mark`` (see the module docstring); ``terms`` the goods and services
        wanted, as text, to weigh overlapping terms."""
        check_query(mark, classes, limit)
        index = self.ensure_current()
        query_vector = None
        if self._encoder is not None and index.vectors is not None:
            query_vector = np.asarray(self._encoder().encode([" ".join(mark_forms(mark).words)])[0],
                                      dtype=np.float32)
        return rank(index, query_vector, mark, classes, before, limit, terms)
