"""The office's earlier-mark finder of relative-grounds examination: the word-mark similarity search over the
register's marks (visual, phonetic and pinyin, conceptual, containment, goods relatedness) plus the office's own
CN trademark applications.

:class:`SimilarEarlierMarks` is an :class:`~ipoffice.domain.trademark_conflicts.EarlierMarkFinder`:
``earlier_marks(mark, classes, before, limit) -> list[EarlierMark]``, best first, where

- the register's marks come from the similarity search (``services.trademark_similarity``, through its public
  ``earlier_marks``), mapped to the examination's types (:func:`examination_mark`): ``filed`` → ``date``, reason
  kind ``goods`` → ``goods_services``, each reason keeping its structured detail (``code``, ``params``);
- only EARLIER marks are kept: dated (filing, else publication) before ``before`` — the application's priority,
  else filing date (Trademark Law Art. 25, 31); a register mark without any date cannot be shown earlier;
- only marks in related classes are kept when both the application and the earlier mark name classes: the same
  or a neighbouring Nice class (the similarity's goods reason; ``domain.goods_relatedness``);
- the office's CN trademark applications still alive and dated earlier (``source="case"``) are matched as
  :class:`~ipoffice.services.trademark_examination.RegisterEarlierMarks` matches them (normalised identity or
  containment, a Nice class in common) — the similarity index covers the register only;
- a register mark scoring below :data:`MIN_SCORE` is left out;
- a mark found both ways is listed once, with the better score and the reasons of both.

A mark the similarity search cannot compare (no letter, digit or Chinese character: a figurative mark) has no
register conflicts by words; the applications are still matched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Protocol

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.mark_similarity import Reason, ReasonKind
from ipoffice.domain.trademark_conflicts import ConflictReason, EarlierMark, MarkRecord, ranked_conflicts
from ipoffice.services.trademark_similarity import MAX_LIMIT
from ipoffice.services.trademark_similarity import EarlierMark as SimilarMark

# Below this score a register mark is no conflict an examiner weighs (a vague likeness in meaning alone, in a
# neighbouring class, scores ~0.2-0.4; the planted look-, sound-alikes and translations 0.8-1.0).
MIN_SCORE = 0.5
# How many similar marks to ask for per mark wanted: some fall out as unrelated goods.
OVERSAMPLE = 5
MIN_ASKED = 100
# The examination's name of each similarity kind (the similarity's ``goods`` is the examination's
# ``goods_services``, the name citations and watch notices use).
KIND_NAMES = {ReasonKind.GOODS: "goods_services"}


class SimilaritySearch(Protocol):
    def earlier_marks(self, mark: str, classes: Sequence[int] = (), before: date | None = None,
                      limit: int = 20, terms: str = "") -> list[SimilarMark]: ...


def conflict_reason(reason: Reason) -> ConflictReason:
    """A similarity reason as the examination names it, its English detail and structured data kept."""
    return ConflictReason(KIND_NAMES.get(reason.kind, reason.kind.value), reason.detail, reason.code,
                          reason.params)


def examination_mark(hit: SimilarMark) -> EarlierMark:
    """A similarity hit as an earlier mark of the examination (``source="register"``)."""
    return EarlierMark(hit.number, hit.mark, hit.classes, hit.score, tuple(conflict_reason(r) for r in hit.reasons),
                       hit.filed, "register")


def _related(hit: SimilarMark, classes: Sequence[int]) -> bool:
    """Both name classes: related when the similarity found the goods related (same or neighbouring class)."""
    if not classes or not hit.classes:
        return True
    return any(r.kind == ReasonKind.GOODS and r.score > 0 for r in hit.reasons)


def _merged(found: Iterable[EarlierMark]) -> list[EarlierMark]:
    by_number: dict[str, EarlierMark] = {}
    for mark in found:
        seen = by_number.get(mark.number)
        if seen is None:
            by_number[mark.number] = mark
            continue
        best, other = (mark, seen) if mark.score > seen.score else (seen, mark)
        kinds = {r.kind for r in best.reasons}
        reasons = (*best.reasons, *(r for r in other.reasons if r.kind not in kinds))
        by_number[mark.number] = EarlierMark(best.number, best.mark, best.classes, best.score, reasons,
                                             best.date or other.date, best.source)
    return list(by_number.values())


class SimilarEarlierMarks:
    """The finder the composition root wires: ``similarity`` the word-mark search of the register, ``case_marks``
    (``before`` → the office's live trademark applications dated before it, as MarkRecord)."""

    def __init__(self, similarity: SimilaritySearch,
                 case_marks: Callable[[date | None], Iterable[MarkRecord]]) -> None:
        self.similarity = similarity
        self.case_marks = case_marks

    def register_marks(self, mark: str, classes: Sequence[int], before: date | None,
                       limit: int) -> list[EarlierMark]:
        """The register's earlier marks like ``mark`` in related classes, at most ``limit``."""
        asked = min(MAX_LIMIT, max(MIN_ASKED, OVERSAMPLE * limit))
        try:
            hits = self.similarity.earlier_marks(mark, classes, before, asked)
        except InvalidField as exc:
            if exc.field == "mark":  # nothing in words to compare (a figurative mark)
                return []
            raise
        kept = [examination_mark(h) for h in hits
                if h.score >= MIN_SCORE and (before is None or (h.filed is not None and h.filed < before))
                and _related(h, classes)]
        return kept[:limit]

    def earlier_marks(self, mark: str, classes: Sequence[int], before: date | None, limit: int) -> list[EarlierMark]:
        if limit <= 0:
            return []
        register = self.register_marks(mark, classes, before, limit)
        cases = ranked_conflicts(mark, classes, self.case_marks(before), before, limit)
        found = _merged([*register, *cases])
        found.sort(key=lambda e: (-e.score, e.date or date.min, e.number))
        return found[:limit]
