"""Published figures of the protection centres' fast pre-examination, per centre and technical field.

For each (centre, field): ``requests`` (pre-examination requests received), ``passed`` and ``refused``
(pre-examination opinions given), ``pass_rate`` = passed / (passed + refused) (None before any opinion),
``granted`` and the time from the request to the grant announcement in days: ``median_days`` and
``p90_days`` (nearest-rank 90th percentile: the smallest value with at least 90 % of the grants at or below
it; None without a grant). A withdrawn or pending request counts as a request only.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FastTrackCase:
    number: str
    centre: str
    field: str  # the centre's field the application's first IPC symbol falls in
    requested: date
    passed: date | None = None
    refused: date | None = None
    granted: date | None = None


@dataclass(frozen=True)
class CentreFigures:
    centre: str
    field: str
    requests: int
    passed: int
    refused: int
    granted: int
    median_days: float | None
    p90_days: int | None
    cases: tuple[str, ...]  # the application numbers counted (the query behind the figures)

    @property
    def pass_rate(self) -> float | None:
        decided = self.passed + self.refused
        return None if decided == 0 else self.passed / decided

    def as_dict(self) -> dict[str, object]:
        return {"centre": self.centre, "field": self.field, "requests": self.requests, "passed": self.passed,
                "refused": self.refused, "pass_rate": self.pass_rate, "granted": self.granted,
                "median_days_to_grant": self.median_days, "p90_days_to_grant": self.p90_days,
                "cases": list(self.cases)}


def nearest_rank(values: list[int], fraction: float) -> int:
    """The nearest-rank percentile of non-empty ``values`` (``fraction`` in (0, 1])."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def figures(cases: Iterable[FastTrackCase],
            group: Callable[[FastTrackCase], tuple[str, str]] = lambda c: (c.centre, c.field)) -> list[CentreFigures]:
    """Figures per (centre, field), ordered by centre then field; ``group`` gives another breakdown, e.g. per
    province: ``lambda c: (region_of[c.centre], "*")`` (the figures' ``centre`` is then the province)."""
    groups: dict[tuple[str, str], list[FastTrackCase]] = {}
    for case in cases:
        groups.setdefault(group(case), []).append(case)
    result = []
    for (centre, field), members in sorted(groups.items()):
        days = [(c.granted - c.requested).days for c in members if c.granted is not None]
        result.append(CentreFigures(
            centre, field, len(members), sum(c.passed is not None for c in members),
            sum(c.refused is not None for c in members), len(days),
            statistics.median(days) if days else None, nearest_rank(days, 0.9) if days else None,
            tuple(sorted(c.number for c in members))))
    return result
