"""The suggested grade (A/B/C) of a stock patent from its value indicators (``domain.value_indicators``), with
a reason per indicator naming the threshold it met or missed.

Points per indicator come from dated bands (``rules/cn/inventory/grading.yaml``): for each indicator the first
band whose ``at_least`` the value reaches gives its points (0 when none does, or when the register cannot tell
the value); the sum chooses the grade (``A`` from ``grade_a`` points, ``B`` from ``grade_b``, else ``C``). A right
not in force (term ended, lapsed, expired, abandoned) is flagged and graded C — never A.

The Work Plan for Revitalising Stock Patents (国知发运字〔2024〕5号) asks for grading by market evaluation but
sets no numeric thresholds: the bands are the office's own (``office_own: true`` in the file), to be tuned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ipoffice.domain.errors import InvalidField

# indicator name → how its value is read from ``ValueIndicators.of_document`` (indicator, key)
INDICATORS: Mapping[str, tuple[str, str]] = {
    "remaining_term": ("remaining_term", "value"),  # years
    "forward_citations": ("forward_citations", "value"),
    "family_size": ("family_size", "value"),
    "claims": ("claims", "value"),  # claim count
    "challenges": ("legal_events", "challenges"),  # oppositions, invalidations, re-examinations recorded
}
NOT_IN_FORCE_STATUSES = frozenset({"expired", "lapsed", "abandoned", "revoked", "invalidated", "withdrawn",
                                   "ceased", "surrendered"})


@dataclass(frozen=True)
class Band:
    at_least: float
    points: int


@dataclass(frozen=True)
class GradingRules:
    effective_from: date
    reference: str
    office_own: bool  # the thresholds are the office's, not the instrument's
    bands: Mapping[str, tuple[Band, ...]]  # highest threshold first
    grade_a: int
    grade_b: int

    def __post_init__(self) -> None:
        unknown = set(self.bands) - set(INDICATORS)
        if unknown:
            raise InvalidField("bands", sorted(unknown), "unknown indicator(s); known: " + ", ".join(INDICATORS))
        if self.grade_a <= self.grade_b:
            raise InvalidField("grades", (self.grade_a, self.grade_b), "A needs more points than B")
        for name, bands in self.bands.items():
            if list(bands) != sorted(bands, key=lambda b: -b.at_least) or not bands:
                raise InvalidField(f"bands.{name}", bands, "one band at least, highest threshold first")


@dataclass(frozen=True)
class GradingBook:
    versions: tuple[GradingRules, ...]  # oldest first

    def in_force(self, on: date) -> GradingRules:
        found = [v for v in self.versions if v.effective_from <= on]
        if not found:
            raise LookupError(f"no grading thresholds in force on {on.isoformat()}")
        return found[-1]


@dataclass(frozen=True)
class Reason:
    indicator: str
    value: float | None
    threshold: float | None  # the band met, or the lowest band missed (None: no value)
    met: bool
    points: int
    text: str

    def as_dict(self) -> dict[str, object]:
        return {"indicator": self.indicator, "value": self.value, "threshold": self.threshold, "met": self.met,
                "points": self.points, "text": self.text}


@dataclass(frozen=True)
class Suggestion:
    grade: str
    points: int
    reasons: tuple[Reason, ...]
    flags: tuple[str, ...]  # "not_in_force"
    reference: str
    office_own: bool

    def as_dict(self) -> dict[str, object]:
        return {"grade": self.grade, "points": self.points, "reasons": [r.as_dict() for r in self.reasons],
                "flags": list(self.flags), "reference": self.reference, "thresholds_office_own": self.office_own}


def _value(indicators: Mapping[str, Any], name: str) -> float | None:
    key, field = INDICATORS[name]
    indicator = indicators.get(key) or {}
    raw = indicator.get(field)
    if raw is None and name == "challenges" and indicator.get("value") == 0:
        raw = 0  # no legal event recorded: none challenges the right
    return None if raw is None or isinstance(raw, bool) else float(raw)


def score(name: str, value: float | None, bands: Sequence[Band]) -> Reason:
    """The points of one indicator: the first band whose threshold the value reaches."""
    if value is None:
        return Reason(name, None, None, False, 0, f"{name}: unknown in the register, 0 points")
    for band in bands:
        if value >= band.at_least:
            return Reason(name, value, band.at_least, True, band.points,
                          f"{name} {value:g} ≥ {band.at_least:g}: {band.points:+d} point(s)")
    lowest = bands[-1].at_least
    return Reason(name, value, lowest, False, 0, f"{name} {value:g} < {lowest:g}: 0 points")


def suggest(indicators: Mapping[str, Any], status: str, rules: GradingRules) -> Suggestion:
    """The suggested grade of a right from ``indicators`` (``ValueIndicators.of_document``) and its legal
    ``status`` code (``register_extract.legal_status``)."""
    reasons = tuple(score(name, _value(indicators, name), bands) for name, bands in rules.bands.items())
    points = sum(r.points for r in reasons)
    term = indicators.get("remaining_term") or {}
    flags: tuple[str, ...] = ()
    if status in NOT_IN_FORCE_STATUSES or term.get("ended"):
        flags = ("not_in_force",)
    if flags:
        grade = "C"
    elif points >= rules.grade_a:
        grade = "A"
    elif points >= rules.grade_b:
        grade = "B"
    else:
        grade = "C"
    return Suggestion(grade, points, reasons, flags, rules.reference, rules.office_own)
