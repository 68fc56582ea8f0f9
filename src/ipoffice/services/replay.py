"""Replay USPTO prosecution histories through the US utility procedure, and compute due dates.

A history (one PEDS record) lists a *subsequence* of the file's real events. Each recorded event
is mapped to a procedure action (``USPTO_EVENT_CODES``); when the action is not allowed in the
current state, the shortest chain of ``implied`` steps (a reply, an RCE, a notice of allowance...)
that makes it allowed is applied first, dated on the recorded event's date. An event that no such
chain can reach is a *violation*; a code outside the mapping is an *unknown event* (never guessed).

The history is *consistent* when the recorded status text denotes a state (the USPTO status
vocabulary, ``ipoffice.adapters.uspto_status``; a text outside it is an *unknown status*, reported)
that is the derived state or reachable from it by the ordinary procedure (revival and other
extraordinary remedies excluded). Response periods come from the rules data: shortened statutory
period from the mailing date, extendable to the statutory maximum, rolled over non-working days.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ipoffice.adapters.uspto_status import load_status_vocabulary
from ipoffice.domain.errors import DomainError
from ipoffice.domain.procedures.base import Case, Procedure
from ipoffice.domain.procedures.cn_patent_dispute import clocks_from_request
from ipoffice.domain.procedures.us_utility import US_UTILITY, USPTO_EVENT_CODES, StatusVocabulary
from ipoffice.domain.rules import RuleBook
from ipoffice.domain.time_limits import Period, add_period

# Kinds of action the filtered histories record: never implied, since they would have been listed.
RECORDED_ACTIONS = frozenset(action for action, _rank in USPTO_EVENT_CODES.values())
AWAITING_REPLY = frozenset({"restriction_required", "non_final_rejection", "final_rejection", "quayle_action"})


@dataclass
class ReplayResult:
    application_number: str
    derived_state: str
    recorded_status: str
    consistent: bool
    unknown_events: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    deadlines: list[dict[str, str]] = field(default_factory=list)
    implied_steps: list[str] = field(default_factory=list)
    overdue_at_pull: list[str] = field(default_factory=list)  # limits the expiry job would enforce
    stale_status: bool = False  # status still awaits a reply although the statutory period has ended
    unknown_status: bool = False  # the status text is not in the USPTO status vocabulary
    reason: str = ""  # why the history is inconsistent (empty when consistent)

    def as_json(self) -> dict[str, Any]:
        return {
            "application_number": self.application_number,
            "derived_state": self.derived_state,
            "recorded_status": self.recorded_status,
            "consistent": self.consistent,
            "unknown_events": self.unknown_events,
            "violations": self.violations,
            "deadlines": self.deadlines,
            "implied_steps": self.implied_steps,
            "overdue_at_pull": self.overdue_at_pull,
            "stale_status": self.stale_status,
            "unknown_status": self.unknown_status,
            "reason": self.reason,
        }


def _ordered_events(record: Mapping[str, Any]) -> list[tuple[date, int, int, str]]:
    events = []
    for index, event in enumerate(record.get("prosecution_events") or []):
        code = str(event["code"])
        rank = USPTO_EVENT_CODES.get(code, ("", 1))[1]
        events.append((date.fromisoformat(str(event["date"])), rank, -index, code))
    # PEDS lists events newest first; -index keeps the file's own order for same-day, same-rank events.
    return sorted(events)


def replay_history(
    record: Mapping[str, Any], rules: RuleBook, procedure: Procedure = US_UTILITY,
    statuses: StatusVocabulary | None = None,
) -> ReplayResult:
    """Replay one PEDS record (``application_number``, ``filing_date``, ``status``, ``prosecution_events``)."""
    statuses = load_status_vocabulary() if statuses is None else statuses
    number = str(record.get("application_number", ""))
    status = str(record.get("status", ""))
    result = ReplayResult(number, "", status, False)
    case: Case = procedure.new_case()
    case, _ = procedure.apply(case, "file", date.fromisoformat(str(record["filing_date"])), rules,
                              {"application_number": number})
    for on, _rank, _index, code in _ordered_events(record):
        if code not in USPTO_EVENT_CODES:
            result.unknown_events.append(code)
            continue
        action = USPTO_EVENT_CODES[code][0]
        path = procedure.implied_path(case.state, action, avoid=RECORDED_ACTIONS)
        if path is None:
            result.violations.append(
                f"{on} {code}: {action!r} cannot follow state {case.state!r} even with implied steps "
                f"(allowed: {', '.join(procedure.allowed_actions(case))})"
            )
            continue
        try:
            for step in path:
                case, _ = procedure.apply(case, step.action, on, rules, {"implied_by": code})
                result.implied_steps.append(f"{on} {step.action}")
            case, _ = procedure.apply(case, action, on, rules, {"uspto_code": code})
        except DomainError as refusal:
            result.violations.append(f"{on} {code}: {refusal}")
            continue
        result.deadlines += _deadlines_opened(case, action, on, code)
    result.derived_state = case.state
    recorded = statuses.states_for(status)
    if record.get("pulled_at"):
        # What the scheduled expiry job would do by the day the record was pulled, had no
        # unrecorded reply been filed (the histories omit replies, so this is a projection).
        pulled = date.fromisoformat(str(record["pulled_at"])[:10])
        for event in procedure.expire(case, pulled, rules):
            result.overdue_at_pull.append(f"{event.payload.get('time_limit')} ended {event.payload.get('due')}"
                                          f" -> {event.code}")
        result.stale_status = bool(result.overdue_at_pull) and recorded is not None and recorded <= AWAITING_REPLY
    if recorded is None:
        result.unknown_status = True
        result.reason = f"status text {status!r} is not in the USPTO status vocabulary"
        return result
    reachable = procedure.reachable_states(case.state)
    result.consistent = bool(recorded & reachable)
    if not result.consistent:
        result.reason = (
            f"recorded status {status!r} ({', '.join(sorted(recorded))}) is not reachable from the "
            f"derived state {case.state!r}"
        )
    return result


def _deadlines_opened(case: Case, action: str, on: date, code: str) -> list[dict[str, str]]:
    return [
        {
            "event": code,
            "date": on.isoformat(),
            "time_limit": limit.name,
            "response_due": limit.due.isoformat(),
            "last_day_with_extensions": (limit.last_day_with_extensions or limit.due).isoformat(),
            "reference": limit.reference,
        }
        for limit in case.open_time_limits
        if limit.opened_by == action and limit.start == on
    ]


@dataclass
class ReplaySummary:
    histories: int
    consistent: int
    unknown_event_codes: dict[str, int]
    violations: int
    inconsistent: list[ReplayResult]
    stale: list[ReplayResult]
    unknown_statuses: dict[str, int] = field(default_factory=dict)
    derived_states: dict[str, int] = field(default_factory=dict)
    implied_steps: dict[str, int] = field(default_factory=dict)

    @property
    def consistency(self) -> float:
        return self.consistent / self.histories if self.histories else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "histories": self.histories,
            "consistent": self.consistent,
            "consistency": round(self.consistency, 4),
            "unknown_event_codes": self.unknown_event_codes,
            "unknown_statuses": self.unknown_statuses,
            "histories_with_violations": self.violations,
            "derived_states": self.derived_states,
            "implied_steps": self.implied_steps,
            "stale_statuses": [
                {"application_number": r.application_number, "recorded_status": r.recorded_status,
                 "overdue_at_pull": r.overdue_at_pull}
                for r in self.stale
            ],
            "inconsistent": [
                {"application_number": r.application_number, "derived_state": r.derived_state,
                 "recorded_status": r.recorded_status, "reason": r.reason, "violations": r.violations}
                for r in self.inconsistent
            ],
        }


def replay_all(records: Iterable[Mapping[str, Any]], rules: RuleBook) -> tuple[list[ReplayResult], ReplaySummary]:
    results = [replay_history(record, rules) for record in records]
    unknown: dict[str, int] = {}
    for r in results:
        for code in r.unknown_events:
            unknown[code] = unknown.get(code, 0) + 1
    summary = ReplaySummary(
        histories=len(results),
        consistent=sum(r.consistent for r in results),
        unknown_event_codes=unknown,
        violations=sum(bool(r.violations) for r in results),
        inconsistent=[r for r in results if not r.consistent],
        stale=[r for r in results if r.stale_status],
        unknown_statuses=dict(Counter(r.recorded_status for r in results if r.unknown_status).most_common()),
        derived_states=dict(Counter(r.derived_state for r in results).most_common()),
        implied_steps=dict(Counter(step.split(" ", 1)[1] for r in results for step in r.implied_steps).most_common()),
    )
    return results, summary


# -- due dates -------------------------------------------------------------------------------------

# Events whose limit runs from the deemed receipt of a CNIPA notification (Implementing Regulations Art. 4).
_CN_NOTIFIED = {"office_action_response_first", "office_action_response_later", "formality_correction",
                "registration_formalities", "reexamination_request", "restoration"}
# The limit giving the last day with all extensions, where the law allows extensions.
_EXTENSIONS = {
    "cn": {"office_action_response_first": "office_action_extension_max",
           "office_action_response_later": "office_action_later_extension_max",
           "formality_correction": "formality_correction_extension_max",
           "adjudication_decision": "adjudication_decision_extension_max"},
    "us": {"response_ssp": "response_statutory_max", "restriction_ssp": "response_statutory_max",
           "quayle_ssp": "response_statutory_max", "appeal_brief": "appeal_brief_max"},
}
_ALIASES = {
    "office_action_first": "office_action_response_first",
    "office_action_later": "office_action_response_later",
    "non_final_rejection": "response_ssp",
    "final_rejection": "response_ssp",
    "restriction": "restriction_ssp",
    "notice_of_allowance": "issue_fee",
    "notice_of_appeal": "appeal_brief",
    "adjudication_request": "adjudication_acceptance",  # a request for adjudication of a patent dispute
}


def time_limit_names(rules: RuleBook) -> list[str]:
    return [n.removeprefix("time_limit.") for n in rules.names if n.startswith("time_limit.")]


def due_dates(
    rules: RuleBook, event: str, on: date, service: str = "electronic", extension_months: int = 0
) -> dict[str, Any]:
    """Due dates of the time limit triggered by ``event`` on ``on``, under the rules in force that day.

    Where the law allows extensions, ``with_extension`` lists the last day for each number of months
    up to the maximum: the period plus the months counted from the same start, rolled over once (the
    procedures' ``request_extension`` / ``extension_of_time`` give the same dates); ``extension_months``
    asks for one of them as ``extended_due``."""
    if extension_months < 0:
        raise ValueError(f"extension months: must not be negative (got {extension_months})")
    name = _ALIASES.get(event, event)
    known = time_limit_names(rules)
    if name not in known:
        raise ValueError(f"event: unknown {event!r} for {rules.jurisdiction}; known: {', '.join(known)}")
    start = on
    receipt: dict[str, Any] = {}
    if rules.jurisdiction == "cn" and name in _CN_NOTIFIED:
        dated = rules.value(f"deemed_receipt.{service}", on)
        start = add_period(on, Period.from_mapping(dated.value))
        receipt = {"service": service, "deemed_receipt": start.isoformat(), "deemed_receipt_reference": dated.reference}
    deadline = rules.deadline(f"time_limit.{name}", start, rule_date=on)
    answer: dict[str, Any] = {
        "jurisdiction": rules.jurisdiction,
        "event": event,
        "date": on.isoformat(),
        "time_limit": name,
        **receipt,
        "period": str(deadline.period),
        "nominal_last_day": deadline.nominal.isoformat(),
        "due": deadline.due.isoformat(),
        "reference": deadline.reference,
    }
    if deadline.due != deadline.nominal:
        answer["rolled_over_because"] = rules.calendar.holiday_names.get(deadline.nominal, "weekend")
    if rules.jurisdiction == "cn" and name == "adjudication_acceptance":
        # The later clocks of the dispute, each act taken on the last day the one before allows.
        answer["later_clocks"] = [c.as_json() for c in clocks_from_request(rules, on)][1:]
    extension = _EXTENSIONS.get(rules.jurisdiction, {}).get(name)
    if extension is None:
        if extension_months:
            raise ValueError(f"extension months: the {name} time limit cannot be extended")
        return _with_calendar_coverage(answer, rules)
    maximum = rules.deadline(f"time_limit.{extension}", start, rule_date=on)
    answer["last_day_with_extensions"] = maximum.due.isoformat()
    extended: dict[str, str] = {}
    months = 1
    while True:
        with_months = rules.deadline(f"time_limit.{name}", start, rule_date=on, extension=Period(months=months))
        if with_months.nominal > maximum.nominal:
            break
        extended[str(months)] = with_months.due.isoformat()
        months += 1
    answer["with_extension"] = extended
    if extension_months:
        if str(extension_months) not in extended:
            raise ValueError(f"extension months: at most {len(extended)} for {name} (got {extension_months})")
        answer["extension_months"] = extension_months
        answer["extended_due"] = extended[str(extension_months)]
    return _with_calendar_coverage(answer, rules)


def _with_calendar_coverage(answer: dict[str, Any], rules: RuleBook) -> dict[str, Any]:
    """Say so when a date falls in a year the office calendar has no holiday data for: there only
    weekends are rolled over, so a holiday or closure on that day would be missed."""
    days = [answer["nominal_last_day"], answer["due"], *answer.get("with_extension", {}).values(),
            *(clock["due"] for clock in answer.get("later_clocks", []))]
    years = sorted({int(day[:4]) for day in days if not rules.calendar.covers(date.fromisoformat(day))})
    if years:
        covered = sorted(rules.calendar.covered_years)
        span = f"{covered[0]}-{covered[-1]}" if covered else "none"
        answer["calendar_not_covered"] = (
            f"no holiday or closure data for {', '.join(map(str, years))} in the {rules.jurisdiction} office "
            f"calendar (covered: {span}); only weekends were rolled over")
    return answer
