"""Royalty guidance: the range of royalties recorded in comparable licence contracts (issue #16).

A contract is comparable to a right when it licenses a right of the same IPC subclass (``H04L``); when those
are fewer than the office's minimum (``royalty_guidance.min_comparables``, dated in ``rules/cn``), of the same
IPC class (``H04``); else of the same industry (the declared or licensed use, compared case-insensitively).
The ranges are per royalty type — running percentages by ``rate_percent``, lump sums and per-unit royalties by
``amount`` per currency, free licences counted — each ``{count, min, median, max}``. With fewer contracts than the
minimum at every level the answer says so (``enough`` False) and gives no range.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median

from ipoffice.domain.royalties import Royalty

LEVELS = ("subclass", "class", "industry")


@dataclass(frozen=True)
class Comparable:
    """A licence contract with a structured royalty: ``kind`` licence (a licence contract recorded),
    open_licence_take (a licence taken under an open licence, at its declared royalty) or open_licence (a
    declaration no one has taken yet: the patentee's asking price)."""

    number: str  # application number of the licensed right
    kind: str
    request: int  # id of the recordal request
    recorded_on: date
    royalty: Royalty
    subclasses: tuple[str, ...]
    industry: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"number": self.number, "kind": self.kind, "request": self.request,
                "recorded_on": self.recorded_on.isoformat(), "royalty": self.royalty.as_dict(),
                "ipc_subclasses": list(self.subclasses), "industry": self.industry}


def _figure(value: Decimal) -> str:
    return format(value.normalize(), "f")


def ranges(contracts: Sequence[Comparable]) -> list[dict[str, object]]:
    """Per royalty type (and currency for amounts): ``{"type", "figure", "currency"?, "count", "min", "median",
    "max"}``; ``figure`` is ``rate_percent`` or ``amount``; a free licence has a count only."""
    groups: dict[tuple[str, str | None], list[Decimal]] = {}
    free = 0
    for c in contracts:
        r = c.royalty
        if r.type == "free":
            free += 1
        elif r.type == "running_percentage" and r.rate_percent is not None:
            groups.setdefault((r.type, None), []).append(r.rate_percent)
        elif r.type in ("lump_sum", "per_unit") and r.amount is not None:
            groups.setdefault((r.type, r.currency), []).append(r.amount)
    out: list[dict[str, object]] = []
    for (kind, currency), values in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1] or "")):
        row: dict[str, object] = {"type": kind, "figure": "rate_percent" if currency is None else "amount"}
        if currency is not None:
            row["currency"] = currency
        row.update({"count": len(values), "min": _figure(min(values)), "median": _figure(Decimal(median(values))),
                    "max": _figure(max(values))})
        out.append(row)
    if free:
        out.append({"type": "free", "count": free})
    return out


def _class(subclass: str) -> str:
    return subclass[:3]


def comparable_at(level: str, contract: Comparable, subclasses: Sequence[str], industry: str | None) -> bool:
    if level == "subclass":
        return bool(set(contract.subclasses) & set(subclasses))
    if level == "class":
        return bool({_class(s) for s in contract.subclasses} & {_class(s) for s in subclasses})
    return bool(industry and contract.industry and contract.industry.strip().casefold() == industry.strip().casefold())


def guidance(subclasses: Sequence[str], industry: str | None, contracts: Iterable[Comparable], minimum: int,
             reference: str) -> dict[str, object]:
    """The royalty guidance of a right of IPC ``subclasses`` (``["H04L"]``) and ``industry``, from ``contracts``:
    ``{"basis": level or None, "key", "contracts": n, "minimum", "reference", "enough", "ranges", "message",
    "levels": {level: n}, "comparables": [...]}``. ``basis`` is the first level reaching ``minimum``; when
    none does, ``enough`` is False, ``contracts`` the most found at any level and ``ranges`` empty."""
    pool = [c for c in contracts if c.royalty.structured]
    counts: dict[str, int] = {}
    chosen: tuple[str, list[Comparable]] | None = None
    for level in LEVELS:
        found = [c for c in pool if comparable_at(level, c, subclasses, industry)]
        counts[level] = len(found)
        if chosen is None and len(found) >= minimum:
            chosen = (level, found)
    keys = {"subclass": ", ".join(subclasses) or None,
            "class": ", ".join(dict.fromkeys(_class(s) for s in subclasses)) or None, "industry": industry}
    base: dict[str, object] = {"ipc_subclasses": list(subclasses), "industry": industry, "minimum": minimum,
                               "reference": reference, "levels": counts}
    if chosen is None:
        most = max(counts.values(), default=0)
        return {**base, "basis": None, "key": None, "contracts": most, "enough": False, "ranges": [],
                "comparables": [],
                "message": f"too few comparable contracts (n = {most} < {minimum}) in the same IPC subclass, "
                           "class or industry"}
    level, found = chosen
    return {**base, "basis": level, "key": keys[level], "contracts": len(found), "enough": True,
            "ranges": ranges(found), "comparables": [c.as_dict() for c in found],
            "message": f"{len(found)} comparable contracts in the same IPC {level} ({keys[level]})"
            if level != "industry" else f"{len(found)} comparable contracts in the same industry ({industry})"}
