"""Registered recordals as dated spans, for the post-grant indicators (issue #18: ``licences``, ``transfers``,
``pledges``, ``open_licences`` and what is in force on a date).

Each registered request (``ipoffice.domain.recordals``) becomes one ``RegisteredRecordal``: its type, the day it
was registered (a transfer, licence or pledge takes effect on registration, Patent Law Art. 10; the 2021
《专利权质押登记办法》 Art. 13), the end its payload names (a licence's or open licence's ``ends``) and the
day a later registered request ended it (a pledge's release; an open licence's withdrawal). A span is in force
on ``d`` when ``registered_on <= d``, ``d <= ends`` and ``d < ended_on`` — as ``RightRecord.open_licence_on``
and the pledges of ``right_record`` fold them::

    spans = registered_recordals(entries)   # the case's logged events, in any order
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from ipoffice.domain.recordals import REGISTERED, Logged, Recordal, recordals_of


@dataclass(frozen=True)
class LoggedEvent:
    """A logged event as the register stores it (``recordals.Logged``), read without its hash chain."""

    sequence: int
    code: str
    date: date
    actor: str
    payload: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RegisteredRecordal:
    request: int  # the request's id (sequence of its recordal_filed event)
    type: str  # recordals.TYPES
    registered_on: date
    ends: date | None = None  # the end the request itself names
    ended_on: date | None = None  # the registration of the request that ended it (release, withdrawal)

    def in_force(self, on: date) -> bool:
        return (self.registered_on <= on and (self.ends is None or on <= self.ends)
                and (self.ended_on is None or on < self.ended_on))


_ENDED_BY = {"pledge": "pledge_release", "open_licence": "open_licence_withdrawal"}


def _ends(r: Recordal) -> date | None:
    raw = r.payload.get("ends")
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:  # checked when filed; an unreadable value names no end
        return None


def _ender(r: Recordal, later: list[Recordal]) -> Recordal | None:
    """The registered request that ended ``r``: the release naming the pledge; the first withdrawal of an open
    licence registered after its declaration."""
    kind = _ENDED_BY.get(r.type)
    for other in later:
        if other.type != kind:
            continue
        if kind == "pledge_release" and other.payload.get("pledge") != r.id:
            continue
        return other
    return None


def registered_recordals(entries: Iterable[Logged]) -> list[RegisteredRecordal]:
    """The registered requests of one case's logged events, in order of registration."""
    in_order = sorted(entries, key=lambda e: e.sequence)  # a decision refers to the request filed before it
    registered = sorted((r for r in recordals_of("", in_order) if r.state == REGISTERED and r.decided_on),
                        key=lambda r: (r.decided_on, r.id))
    out = []
    for i, r in enumerate(registered):
        assert r.decided_on is not None
        ender = _ender(r, registered[i + 1:])
        out.append(RegisteredRecordal(r.id, r.type, r.decided_on, _ends(r),
                                      ender.decided_on if ender is not None else None))
    return out
