"""A university's (or research institute's) stock-patent inventory: each entry's self-assessment, conversion
intent and two-level review, as a fold of its dated events.

The CNIPA/MoE/MOST/MIIT/MARA/NHC/SASAC/CAS *Work Plan for Revitalising the Stock Patents of Universities and
Research Institutions* (国知发运字〔2024〕5号, January 2024) has every institution inventory its granted,
unexploited patents ("全面盘点、筛选入库、市场评价、分层推广"), grade them by self-assessment, and have the
inventory checked before the patents that are meant to be transferred or licensed enter the conversion
resource library. Here:

- the holder's keeper (who imported the entry) records a self-assessment: ``self_grade`` (A/B/C), the
  ``conversion_intent`` (:data:`INTENTS`) and notes, then submits the entry for review;
- first-level review: the holder's technology-transfer office (a member of the holder named as reviewer);
- second-level review: the office (a registrar or office administrator over the keeper's office);
- each review passes the entry or returns it (with a reason) to the keeper, who may assess and submit again.

Out-of-order and self-review acts are refused with :class:`InventoryRefused` naming the rule (``code``).
Events are appended, never changed: an entry's state is :func:`fold` of its events.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from ipoffice.domain.errors import DomainError, InvalidField

INTENTS = ("transfer", "licence", "open_licence", "pledge_financing", "own_use", "keep", "abandon")
LIBRARY_INTENTS = frozenset({"transfer", "licence", "open_licence"})  # what the resource library offers
GRADES = ("A", "B", "C")
DECISIONS = ("pass", "return")
LEVELS = (1, 2)

# event codes
IMPORTED = "imported"
ASSESSED = "assessed"
SUBMITTED = "submitted"
REVIEWED = "reviewed"

# states
DRAFT = "draft"
UNDER_FIRST_REVIEW = "under_first_review"
UNDER_SECOND_REVIEW = "under_second_review"
RETURNED = "returned"
APPROVED = "approved"
STATES = (DRAFT, UNDER_FIRST_REVIEW, UNDER_SECOND_REVIEW, RETURNED, APPROVED)
EDITABLE = frozenset({DRAFT, RETURNED})

# the fields an import row may set, and those a self-assessment sets
ROW_FIELDS = ("department", "contact", "self_grade", "conversion_intent", "note")
MAX_TEXT = 500


class InventoryRefused(DomainError):
    """An act the inventory's rules refuse: ``code`` names the rule, ``params`` its values."""

    def __init__(self, message: str, code: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Event:
    sequence: int
    code: str
    on: date
    actor: str
    payload: Mapping[str, object]

    def as_dict(self) -> dict[str, object]:
        return {"sequence": self.sequence, "code": self.code, "date": self.on.isoformat(), "actor": self.actor,
                **self.payload}


@dataclass(frozen=True)
class EntryState:
    state: str = DRAFT
    department: str = ""
    contact: str = ""
    note: str = ""
    self_grade: str = ""
    conversion_intent: str = ""
    submitted_by: str | None = None
    first_reviewer: str | None = None
    second_reviewer: str | None = None
    returned_reason: str | None = None
    last_date: date | None = None

    def row_values(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in ROW_FIELDS}

    @property
    def in_library(self) -> bool:
        return self.state == APPROVED and self.conversion_intent in LIBRARY_INTENTS


def check_grade(value: str, where: str = "self_grade") -> str:
    grade = value.strip().upper()
    if grade not in GRADES:
        raise InvalidField(where, value, "must be A, B or C")
    return grade


def check_intent(value: str, where: str = "conversion_intent") -> str:
    intent = value.strip().lower().replace(" ", "_").replace("-", "_")
    if intent not in INTENTS:
        raise InvalidField(where, value, "must be one of " + ", ".join(INTENTS))
    return intent


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(value: str, where: str, limit: int = MAX_TEXT) -> str:
    """Free text: at most ``limit`` characters, no control characters (PostgreSQL refuses NUL in text)."""
    text = value.strip()
    if len(text) > limit:
        raise InvalidField(where, value[:40] + "…", f"at most {limit} characters")
    if _CONTROL.search(text):
        raise InvalidField(where, text[:40], "control characters are not allowed")
    return text


def fold(events: Sequence[Event]) -> EntryState:
    """The entry's state after ``events`` (oldest first)."""
    s = EntryState()
    for e in events:
        p = e.payload
        if e.code in (IMPORTED, ASSESSED):
            for name in ROW_FIELDS:
                if name in p:
                    s = replace(s, **{name: str(p[name])})  # type: ignore[arg-type]
        elif e.code == SUBMITTED:
            s = replace(s, state=UNDER_FIRST_REVIEW, submitted_by=e.actor, first_reviewer=None, second_reviewer=None,
                        returned_reason=None)
        elif e.code == REVIEWED:
            level, decision = int(str(p["level"])), str(p["decision"])
            s = replace(s, first_reviewer=e.actor) if level == 1 else replace(s, second_reviewer=e.actor)
            if decision == "return":
                s = replace(s, state=RETURNED, returned_reason=str(p.get("reason") or ""))
            else:
                s = replace(s, state=UNDER_SECOND_REVIEW if level == 1 else APPROVED)
        s = replace(s, last_date=e.on)
    return s


def check_in_order(state: EntryState, on: date) -> None:
    if state.last_date is not None and on < state.last_date:
        raise InventoryRefused(f"date {on.isoformat()} is before the entry's last event ({state.last_date})",
                               "before_last_event", date=on.isoformat(), last=state.last_date.isoformat())


def check_editable(state: EntryState, number: str) -> None:
    if state.state not in EDITABLE:
        raise InventoryRefused(f"{number} is {state.state}: it can be changed only as a draft or once returned",
                               "not_editable", number=number, state=state.state)


def check_grade_allowed(grade: str, flags: tuple[str, ...] | list[str], number: str) -> None:
    """A right not in force is never graded A, by the office's suggestion nor by its holder (a lapsed or expired
    right has nothing to license)."""
    if grade == "A" and "not_in_force" in flags:
        raise InventoryRefused(f"{number} is not in force: it cannot be graded A", "grade_not_in_force",
                               number=number)


def check_submit(state: EntryState, number: str) -> None:
    check_editable(state, number)
    missing = [name for name in ("self_grade", "conversion_intent") if not getattr(state, name)]
    if missing:
        raise InventoryRefused(f"{number}: the self-assessment lacks {', '.join(missing)}", "assessment_incomplete",
                               number=number, missing=", ".join(missing))


def check_review(state: EntryState, number: str, level: int, reviewer: str) -> None:
    """The review order (first level on a submitted entry, second level after the first passed it) and no
    self-review (the submitter reviews at neither level; the first-level reviewer not at the second)."""
    if level not in LEVELS:
        raise InvalidField("level", level, "must be 1 or 2")
    wanted = UNDER_FIRST_REVIEW if level == 1 else UNDER_SECOND_REVIEW
    if state.state != wanted:
        raise InventoryRefused(f"level-{level} review of {number} needs the entry {wanted}; it is {state.state}",
                               "out_of_order", number=number, level=level, state=state.state, needed=wanted)
    if reviewer == state.submitted_by:
        raise InventoryRefused(f"{reviewer} submitted {number} and cannot review it", "self_review",
                               number=number, user=reviewer, role="submitter")
    if level == 2 and reviewer == state.first_reviewer:
        raise InventoryRefused(f"{reviewer} passed {number} at the first level and cannot review it again",
                               "self_review", number=number, user=reviewer, role="first_reviewer")


def check_decision(decision: str, reason: str) -> tuple[str, str]:
    if decision not in DECISIONS:
        raise InvalidField("decision", decision, "must be pass or return")
    reason = check_text(reason, "reason")
    if decision == "return" and not reason:
        raise InvalidField("reason", reason, "a returned entry needs the reason")
    return decision, reason
