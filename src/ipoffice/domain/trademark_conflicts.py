"""Relative grounds: earlier marks that conflict with a mark (Trademark Law Art. 30-31), the seam to find them,
and how a decision cites them.

- :class:`EarlierMarkFinder` is the seam: ``earlier_marks(mark, classes, before, limit)`` returns the earlier
  marks ranked best first, each with a ``score`` in [0, 1] and the ``reasons`` (kind and detail) it conflicts.
  The office wires one in the composition root; :func:`simple_conflict` is the working default's matching
  (normalised identity or containment, with the Nice classes in common), a word-mark similarity search
  (visual, phonetic, conceptual) plugs in behind the same Protocol.
- A refusal (full or partial) and an opposition cite earlier marks in their payload as ``earlier_marks``:
  ``[{"number": …, "mark": …, "classes": [9, 42]}]`` (:func:`citation_payload`), kept in the case's event log.
- A partial refusal names the refused Nice classes (``refused_classes``): some, never all, of those filed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.reason_details import Params, detail_text, params

MAX_CITED_MARKS = 50
NICE_CLASSES = range(1, 46)


@dataclass(frozen=True)
class ConflictReason:
    """Why a mark conflicts: ``kind`` (``identical``, ``containment``, ``visual``, ``phonetic``, ``conceptual``,
    ``goods_services``), the English ``detail``, and the same as data (``code`` and ``params``:
    domain.reason_details) that the portal writes in each language."""

    kind: str
    detail: str
    code: str = ""
    params: Params = ()

    @classmethod
    def of(cls, kind: str, code: str, **values: object) -> ConflictReason:
        found = params(**values)
        return cls(kind, detail_text(code, found), code, found)

    def as_dict(self) -> dict[str, object]:
        """``{kind, detail, code, params}``: the API's and the stored shape."""
        return {"kind": self.kind, "detail": self.detail, "code": self.code, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, value: Mapping[str, object]) -> ConflictReason:
        """The reason of :meth:`as_dict` (stored before the details were data: kind and detail only)."""
        given = value.get("params")
        pairs = tuple((str(k), str(v)) for k, v in given.items()) if isinstance(given, Mapping) else ()
        return cls(str(value.get("kind", "")), str(value.get("detail", "")), str(value.get("code") or ""), pairs)


@dataclass(frozen=True)
class EarlierMark:
    """An earlier mark found for a mark: its register key or application number, text, Nice classes, its date
    (filing, else publication), ``score`` in [0, 1] and the reasons. ``source``: ``register`` (a trademark
    document) or ``case`` (an application of the office's procedures)."""

    number: str
    mark: str
    classes: tuple[int, ...]
    score: float
    reasons: tuple[ConflictReason, ...] = ()
    date: date | None = None
    source: str = "register"

    def as_dict(self) -> dict[str, object]:
        return {"number": self.number, "mark": self.mark, "classes": list(self.classes), "score": round(self.score, 4),
                "reasons": [r.as_dict() for r in self.reasons],
                "date": self.date.isoformat() if self.date else None, "source": self.source}


class EarlierMarkFinder(Protocol):
    """Earlier marks that may conflict with ``mark`` in ``classes`` (all classes when empty), dated before
    ``before`` (None: any date), at most ``limit``, best first."""

    def earlier_marks(self, mark: str, classes: Sequence[int], before: date | None, limit: int) -> list[EarlierMark]:
        ...


@dataclass(frozen=True)
class MarkRecord:
    """A mark as a finder compares it: number, text, Nice classes, date, source."""

    number: str
    mark: str
    classes: tuple[int, ...] = field(default_factory=tuple)
    date: date | None = None
    source: str = "register"


def normalised_mark(text: str) -> str:
    """The form marks are compared in: NFKC (full-width folded), case-folded, letters and digits only
    (``Ｉ-Phone®`` → ``iphone``; ``华为 Mate`` → ``华为mate``)."""
    # Symbols go first: NFKC would spell ™ as "TM" and ℠ as "SM".
    kept = "".join(ch for ch in text if not unicodedata.category(ch).startswith("S"))
    folded = unicodedata.normalize("NFKC", kept).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


# A shorter mark inside a longer one says little (``ab`` is in many words); two Chinese characters make a mark.
MIN_CONTAINED = 3
MIN_CONTAINED_CJK = 2


def _long_enough(form: str) -> bool:
    cjk = any(unicodedata.east_asian_width(ch) == "W" for ch in form)
    return len(form) >= (MIN_CONTAINED_CJK if cjk else MIN_CONTAINED)


def simple_conflict(mark: str, classes: Sequence[int], other: MarkRecord) -> EarlierMark | None:
    """The default matching: ``other`` conflicts when its normalised text equals ``mark``'s (score 1.0) or one
    contains the other (score = shorter / longer length, at least 0.5), and — when both have classes — they
    share a Nice class. None otherwise."""
    mine, theirs = normalised_mark(mark), normalised_mark(other.mark)
    if not mine or not theirs:
        return None
    shared = sorted(set(classes) & set(other.classes))
    if classes and other.classes and not shared:
        return None
    reasons: list[ConflictReason] = []
    if mine == theirs:
        score = 1.0
        reasons.append(ConflictReason.of("identical", "conflict.identical", mark=other.mark))
    elif (mine in theirs or theirs in mine) and _long_enough(min(mine, theirs, key=len)):
        score = max(0.5, min(len(mine), len(theirs)) / max(len(mine), len(theirs)))
        inner, outer = (mark, other.mark) if mine in theirs else (other.mark, mark)
        reasons.append(ConflictReason.of("containment", "conflict.contained", inner=inner, outer=outer))
    else:
        return None
    if shared:
        reasons.append(ConflictReason.of("goods_services", "goods.same_class", classes=", ".join(map(str, shared))))
    return EarlierMark(other.number, other.mark, other.classes, score, tuple(reasons), other.date, other.source)


def ranked_conflicts(mark: str, classes: Sequence[int], candidates: Iterable[MarkRecord], before: date | None,
                     limit: int, exclude: str | None = None) -> list[EarlierMark]:
    """The candidates dated before ``before`` (undated ones count as earlier) that :func:`simple_conflict` finds,
    best first (score, then the earlier date, then number); ``exclude``: the number of the mark itself."""
    found = [hit for c in candidates
             if c.number != exclude and (before is None or c.date is None or c.date < before)
             and (hit := simple_conflict(mark, classes, c)) is not None]
    found.sort(key=lambda e: (-e.score, e.date or date.min, e.number))
    return found[:max(0, limit)]


# -- Nice classes of a filing and of a partial refusal ---------------------------------------------------------


def class_numbers(value: object, field_name: str = "classes") -> tuple[int, ...]:
    """Nice class numbers from a list (or comma-separated text) of 1-45, sorted, without repeats; InvalidField
    naming ``field_name`` otherwise."""
    items: Iterable[object]
    if isinstance(value, str):
        items = [p for p in re.split(r"[,\s]+", value) if p]
    elif isinstance(value, list | tuple):
        items = value
    else:
        raise InvalidField(field_name, value, "must be a list of Nice classes (1-45)")
    numbers: set[int] = set()
    for item in items:
        try:
            number = int(str(item))
        except ValueError:
            raise InvalidField(field_name, item, "is not a Nice class number (1-45)") from None
        if isinstance(item, bool) or number not in NICE_CLASSES:
            raise InvalidField(field_name, item, "is not a Nice class number (1-45)")
        numbers.add(number)
    return tuple(sorted(numbers))


def filed_classes(payload: Mapping[str, object]) -> tuple[int, ...]:
    """The Nice classes of a filing's payload (``nice_classes``), () when none are given or they are unreadable
    (the filing form checks them)."""
    try:
        return class_numbers(payload.get("nice_classes", ()), "nice_classes")
    except InvalidField:
        return ()


def refused_classes_problem(value: object, filed: Sequence[int]) -> str | None:
    """Why ``value`` is not the classes of a partial refusal of a mark filed in ``filed`` (None: it is): some of
    the filed classes, not all of them (refuse them all with a full refusal)."""
    if value is None:
        return "refused_classes: a partial refusal names the Nice classes it refuses"
    try:
        refused = class_numbers(value, "refused_classes")
    except InvalidField as exc:
        return f"refused_classes: {exc.reason}"
    if not refused:
        return "refused_classes: a partial refusal names the Nice classes it refuses"
    if filed:
        unknown = [c for c in refused if c not in filed]
        if unknown:
            return (f"refused_classes: class {', '.join(map(str, unknown))} is not among the classes filed "
                    f"({', '.join(map(str, filed))})")
        if set(refused) >= set(filed):
            return "refused_classes: every class filed is refused: that is a full refusal (refuse)"
    return None


# -- citations ---------------------------------------------------------------------------------------------------


def citation_payload(marks: Iterable[EarlierMark | MarkRecord]) -> list[dict[str, object]]:
    """The ``earlier_marks`` payload citing ``marks``: number, mark text and classes of each."""
    return [{"number": m.number, "mark": m.mark, "classes": list(m.classes)} for m in marks]


def check_citations(name: str, value: object) -> None:
    """The payload check of ``earlier_marks``: a list of at most MAX_CITED_MARKS {number, mark, classes}."""
    if not isinstance(value, list) or len(value) > MAX_CITED_MARKS:
        raise InvalidField(f"payload.{name}", type(value).__name__,
                           f"must be a list of at most {MAX_CITED_MARKS} earlier marks")
    for i, item in enumerate(value):
        if not isinstance(item, Mapping) or not isinstance(item.get("number"), str) or set(item) - {
                "number", "mark", "classes"}:
            raise InvalidField(f"payload.{name}[{i}]", item, "must be {number, mark, classes}")
        if len(str(item["number"])) > 40 or len(str(item.get("mark", ""))) > 500:
            raise InvalidField(f"payload.{name}[{i}]", item, "number at most 40, mark at most 500 characters")
        class_numbers(item.get("classes", []), f"payload.{name}[{i}].classes")


def check_classes(name: str, value: object) -> None:
    """The payload check of ``refused_classes``."""
    class_numbers(value, f"payload.{name}")


def cited_marks(payload: Mapping[str, object]) -> list[MarkRecord]:
    """The earlier marks an event's payload cites (``earlier_marks``)."""
    value = payload.get("earlier_marks")
    if not isinstance(value, list):
        return []
    return [MarkRecord(str(item.get("number")), str(item.get("mark") or ""),
                       filed_classes({"nice_classes": item.get("classes", [])}))
            for item in value if isinstance(item, Mapping)]


# -- third parties told of the decision on their request --------------------------------------------------------

# The decisions on a third party's request (by the code of the request), of which the requester is notified.
DECISIONS_ON_REQUESTS: Mapping[str, frozenset[str]] = {
    "file_opposition": frozenset({"register", "refuse_registration"}),
    "request_non_use_cancellation": frozenset({"maintain_registration", "decide_cancellation_for_non_use",
                                               "cancel_for_non_use"}),
}


def requesters_to_notify(code: str, earlier: Sequence[tuple[str, Mapping[str, object]]]) -> list[str]:
    """The third parties (``opponent`` of the request's payload) to notify of decision ``code``: those whose
    opposition or cancellation request of the case, among ``earlier`` events (code, payload; oldest first), the
    decision answers — the requests made since the last decision of that kind."""
    for request, decisions in DECISIONS_ON_REQUESTS.items():
        if code not in decisions:
            continue
        found: list[str] = []
        for event_code, payload in earlier:
            if event_code in decisions:
                found = []  # answered already
            elif event_code == request and payload.get("opponent"):
                found.append(str(payload["opponent"]))
        return list(dict.fromkeys(found))
    return []
