"""The date of an act: who may choose it.

An act of a party (applicant, agent) takes effect the day the office receives it: it is dated by the
office's clock (today), and a date the party supplies is refused — a party cannot date its own reply in
the future (which would freeze the case: every later office act would come "before the last event") nor
in the past (which would meet a time limit already missed). Only office staff may record an act with an
earlier date (e.g. a paper filing received last week and entered today), and then only with a reason,
which is kept in the event; no act is ever dated after today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ipoffice.domain.errors import DomainError

MAX_REASON = 500
BACKDATED = "backdated"  # payload key of a back-dated act: {"reason": …, "recorded_on": "YYYY-MM-DD"}


class DateRefused(DomainError):
    """The date given for an act is not one the actor may choose."""


@dataclass(frozen=True)
class ActDate:
    on: date
    backdating: dict[str, str] | None  # the record of a back-dated act, kept in the event's payload


def act_date(*, today: date, requested: date | None, staff: bool, reason: str | None = None) -> ActDate:
    """The date an act is recorded with. ``requested`` None: today. ``staff``: the actor is office staff
    (or the office's scheduled job); otherwise a party, whose act is dated today whatever it asks."""
    reason = (reason or "").strip()
    if requested is None or requested == today:
        if reason and not staff:
            raise DateRefused("date: a party's act is dated the day the office receives it; no reason is needed")
        return ActDate(today, None)
    if requested > today:
        raise DateRefused(f"date: {requested.isoformat()} is in the future; an act is dated on or before today "
                          f"({today.isoformat()})")
    if not staff:
        raise DateRefused(f"date: an act of a party is dated the day the office receives it ({today.isoformat()}); "
                          f"{requested.isoformat()} cannot be chosen — leave the date out")
    if not reason:
        raise DateRefused(f"date: recording an act dated {requested.isoformat()}, before today "
                          f"({today.isoformat()}), needs a reason (e.g. the day a paper filing was received)")
    if len(reason) > MAX_REASON:
        raise DateRefused(f"reason: at most {MAX_REASON} characters (got {len(reason)})")
    return ActDate(requested, {"reason": reason, "recorded_on": today.isoformat()})
