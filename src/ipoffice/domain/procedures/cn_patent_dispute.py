"""CN administrative adjudication of a patent infringement dispute (Patent Law 2020 Art. 65; Measures for
Patent Administrative Law Enforcement 2015, then the Measures for the Administrative Adjudication and
Mediation of Patent Disputes from 2025-02-01; time limits in ``rules/cn/adjudication.yaml``).

request (the office's receipt date) → acceptance decision within 5 working days (or refusal) → service
of the request on the respondent (5 working days from acceptance) → defence within 15 days of its
receipt (a missing defence does not stop the procedure) → evidence → oral hearing, notified at least
the notice period ahead → decision within 3 months of acceptance, extendable once by at most 1 month
with the approval of the head of the office → 15 days from receipt of the decision to sue in the
people's court, else the decision is final. The decision orders the infringement to stop (or dismisses
the request); damages are never decided, only mediated (Art. 65). Withdrawal of the request and a
mediation agreement end the procedure.

Parties: the requester (the case's ``applicant``, with its agent) and the respondent (with its agent);
the respondent takes only ``RESPONDENT_ACTIONS`` (``ipoffice.domain.offices``). Changes of the right in
the register (lapse, invalidation request, invalidation, end of term) are written to the dispute as
``alert_right_status`` events in the transaction that records them.

Suspension (``rules/cn/adjudication_suspension.yaml``): while a request for invalidation of the patent is
pending (an alert says so), the respondent may ``request_suspension``; the office then suspends
(``suspend_proceedings``: state ``suspended``, every open clock stops) or refuses (``refuse_suspension``), and
``resume_proceedings`` returns to the state before, each clock ending as many days later as the suspension
lasted (the time of the suspension is not counted).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ipoffice.domain.procedures.base import (
    ActionContext,
    Case,
    OpenTimeLimit,
    Procedure,
    ProcedureEvent,
    Reason,
    TimeLimitSpec,
    Transition,
    transition,
)
from ipoffice.domain.rules import RuleBook
from ipoffice.domain.time_limits import due_date

PROCEDURE = "cn_patent_dispute"
OUTCOMES = ("stop_infringement", "request_dismissed")
HANDLED = ("accepted", "awaiting_defence", "under_adjudication", "hearing_notified", "heard")
PENDING = ("requested", *HANDLED)
FINAL_STATES = ("not_accepted", "withdrawn", "mediated", "in_court", "decision_final")

# Events of the right (its procedure's actions) that alert its disputes, and what each means.
RIGHT_ALERTS: Mapping[str, str] = {
    "lapse": "the patent lapsed (Patent Law Art. 44)",
    "request_invalidation": "a request for invalidation of the patent was filed (Art. 45); suspension may "
                            "be requested",
    "declare_invalid": "the patent was declared invalid (Art. 47): the request for adjudication has no basis",
    "expire_term": "the term of the patent ended (Art. 42)",
    "surrender": "the patentee surrendered the patent (Art. 44)",
}
# Of those, the events that end the patent: its customs recordals and takedown requests are flagged.
RIGHT_ENDS = frozenset({"lapse", "declare_invalid", "expire_term", "surrender"})
RECORDAL_KINDS = ("customs", "ecommerce")
ALERT_ACTION = "alert_right_status"
HEARING_NOTICE_RULE = "notice_period.adjudication_hearing"
# Suspension while a request for invalidation of the patent is pending (rules/cn/adjudication_suspension.yaml)
SUSPEND = "suspend_proceedings"
RESUME = "resume_proceedings"
SUSPENSION_ALLOWED_RULE = "suspension.adjudication_on_invalidation"
NOT_COUNTED_RULE = "suspension.adjudication_time_not_counted"
STOPPED_CLOCKS = "stopped_clocks"  # fact: the clocks stopped by the suspension (OpenTimeLimit values)


def received(case: Case, ctx: ActionContext) -> date:
    """The day the addressee received the served document: payload ``received_on``, else the act's date."""
    raw = ctx.payload.get("received_on")
    if raw is None:
        return ctx.on
    day = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    return day


def _received_guard(case: Case, ctx: ActionContext) -> str | None:
    raw = ctx.payload.get("received_on")
    if raw is None:
        return None
    try:
        day = received(case, ctx)
    except ValueError:
        return Reason(f"received_on {raw!r} is not a date YYYY-MM-DD", "bad_date", field="received_on")
    if day < ctx.on:
        return Reason(f"received on {day.isoformat()}, before it was sent ({ctx.on.isoformat()})",
                      "received_before_sent", received=day, sent=ctx.on)
    return None


def earliest_hearing(notice: date, rules: RuleBook) -> date:
    """The first day an oral hearing notified on ``notice`` may be held (the notice period in force that day,
    counted from the notice; a hearing is held on a working day)."""
    return due_date(notice, rules.period(HEARING_NOTICE_RULE, notice), rules.calendar)


def _hearing_date(ctx: ActionContext) -> date | None:
    raw = ctx.payload.get("hearing_date")
    try:
        return None if raw is None else date.fromisoformat(str(raw))
    except ValueError:
        return None


def _hearing_guard(case: Case, ctx: ActionContext) -> str | None:
    hearing = _hearing_date(ctx)
    if hearing is None:
        return Reason("payload 'hearing_date' (YYYY-MM-DD) is required: the notice names the day of the hearing",
                      "hearing_date_required")
    first = earliest_hearing(ctx.on, ctx.rules)
    reference = ctx.rules.value(HEARING_NOTICE_RULE, ctx.on).reference
    if hearing < first:
        return Reason(f"a hearing notified on {ctx.on.isoformat()} is held on {first.isoformat()} at the "
                      f"earliest ({reference})", "hearing_notice_too_short", earliest=first, reference=reference)
    if not ctx.rules.calendar.is_working_day(hearing):
        return Reason(f"{hearing.isoformat()} is not a working day of the office", "hearing_not_working_day",
                      day=hearing)
    return None


def _held_guard(case: Case, ctx: ActionContext) -> str | None:
    hearing = case.date_fact("hearing_date")
    if hearing is not None and ctx.on < hearing:
        return Reason(f"the hearing is notified for {hearing.isoformat()}", "hearing_not_yet", day=hearing)
    return None


def _extension_guard(case: Case, ctx: ActionContext) -> str | None:
    if not str(ctx.payload.get("approved_by") or "").strip():
        return Reason("the extension needs the approval of the head of the office: payload 'approved_by'",
                      "approval_required")
    return None


def _decision_guard(case: Case, ctx: ActionContext) -> str | None:
    if "damages" in ctx.payload:
        return Reason("the office does not decide damages; it may only mediate them (Patent Law Art. 65)",
                      "damages_only_by_mediation")
    outcome = ctx.payload.get("outcome")
    if outcome not in OUTCOMES:
        return Reason(f"payload 'outcome' must be one of {', '.join(OUTCOMES)}", "outcome_required",
                      choices=OUTCOMES)
    return _received_guard(case, ctx)


def _invalidation_pending(case: Case) -> bool:
    """Whether an alert says a request for invalidation of the patent was filed (and no later end of it)."""
    alerts = case.facts.get("right_alerts", ())
    return isinstance(alerts, tuple) and "request_invalidation" in alerts and "declare_invalid" not in alerts


def _suspension_request_guard(case: Case, ctx: ActionContext) -> str | None:
    reference = ctx.rules.value(SUSPENSION_ALLOWED_RULE, ctx.on).reference
    if ctx.rules.value(SUSPENSION_ALLOWED_RULE, ctx.on).value is not True:
        return Reason(f"no suspension on an invalidation request under the rules in force on {ctx.on.isoformat()}",
                      "suspension_not_provided", reference=reference)
    if not _invalidation_pending(case):
        return Reason(f"suspension may be requested only while a request for invalidation of the patent is "
                      f"pending ({reference})", "no_invalidation_pending", reference=reference)
    return None


def _suspend_guard(case: Case, ctx: ActionContext) -> str | None:
    if case.date_fact("suspension_requested_on") is None:
        return Reason("the respondent has not requested the suspension (request_suspension)",
                      "suspension_not_requested")
    return _suspension_request_guard(case, ctx)


def _filing_guard(case: Case, ctx: ActionContext) -> str | None:
    for key in ("right_number", "respondent"):
        if not str(ctx.payload.get(key) or "").strip():
            return Reason(f"payload {key!r} is required", "field_required", field=key)
    raw = ctx.payload.get("infringement_date")
    if raw is not None:
        try:
            day = date.fromisoformat(str(raw))
        except ValueError:
            return Reason(f"infringement_date {raw!r} is not a date YYYY-MM-DD", "bad_date", field="infringement_date")
        if day > ctx.on:
            return Reason(f"infringement_date {day.isoformat()} is after the request ({ctx.on.isoformat()})",
                          "infringement_after_request", day=day)
    return None


def _filed(case: Case, ctx: ActionContext) -> dict[str, object]:
    facts: dict[str, object] = {"received_on": ctx.on, "right_number": str(ctx.payload["right_number"]),
                                "respondent": str(ctx.payload["respondent"])}
    if ctx.payload.get("infringement_date"):
        facts["infringement_date"] = date.fromisoformat(str(ctx.payload["infringement_date"]))
    return facts


def _alerted(case: Case, ctx: ActionContext) -> dict[str, object]:
    earlier = case.facts.get("right_alerts", ())
    alerts = tuple(str(a) for a in earlier) if isinstance(earlier, tuple) else ()
    return {"right_alerts": (*alerts, str(ctx.payload.get("right_event", ""))),
            "right_state": str(ctx.payload.get("right_state", ""))}


ACCEPTANCE = TimeLimitSpec("acceptance", "time_limit.adjudication_acceptance", None,
                           frozenset({"accept_request", "refuse_request"}))
SERVICE = TimeLimitSpec("service", "time_limit.adjudication_service", None, frozenset({"serve_request"}))
DECISION = TimeLimitSpec("decision", "time_limit.adjudication_decision", None, frozenset({"decide"}),
                         extension_rule="time_limit.adjudication_decision_extension_max")
DEFENCE = TimeLimitSpec("defence", "time_limit.adjudication_defence", "deem_no_defence",
                        frozenset({"submit_defence"}), start=received)
SUIT = TimeLimitSpec("suit", "time_limit.adjudication_suit", "deem_decision_final", frozenset({"file_suit"}),
                     start=received)

STATES = {
    "new": "Nothing filed yet",
    "requested": "Request received; acceptance decision pending",
    "accepted": "Request accepted (立案); service on the respondent pending",
    "awaiting_defence": "Request served; the respondent's defence awaited",
    "under_adjudication": "Examination of the dispute: evidence, hearing",
    "hearing_notified": "Oral hearing notified",
    "heard": "Oral hearing held; decision pending",
    "decided": "Decision made; the parties may sue in the people's court",
    "not_accepted": "Request not accepted",
    "withdrawn": "Request withdrawn",
    "mediated": "Ended by a mediation agreement",
    "in_court": "Decision challenged in the people's court",
    "decision_final": "Decision final (no suit in time)",
    "suspended": "Suspended while the request for invalidation of the patent is pending",
}

class SuspendableProcedure(Procedure):
    """A procedure whose clocks stop while it is suspended: ``SUSPEND`` moves every open clock into the fact
    ``STOPPED_CLOCKS``; ``RESUME`` reopens them. When the rule ``NOT_COUNTED_RULE`` in force on the day of the
    suspension says its time is not counted, each clock is counted from its start moved by the days the
    suspension lasted (suspension day to resumption day), so it ends with the time it had left, rolled over to a
    working day, and an extension granted later counts from that start too; else each keeps its last day."""

    def _fold(self, case: Case, event: ProcedureEvent, chosen: Transition, ctx: ActionContext) -> Case:
        folded = super()._fold(case, event, chosen, ctx)
        if event.code == SUSPEND:
            return replace(folded, open_time_limits=(),
                           facts={**folded.facts, "suspended_on": ctx.on, STOPPED_CLOCKS: folded.open_time_limits})
        if event.code == RESUME:
            stopped = case.facts.get(STOPPED_CLOCKS)
            stopped = stopped if isinstance(stopped, tuple) else ()
            suspended_on = case.date_fact("suspended_on") or ctx.on
            not_counted = ctx.rules.value(NOT_COUNTED_RULE, suspended_on).value is True
            days = (ctx.on - suspended_on).days if not_counted else 0
            resumed = tuple(self._resumed(t, days, ctx.rules) for t in stopped if isinstance(t, OpenTimeLimit))
            facts = {k: v for k, v in folded.facts.items() if k != STOPPED_CLOCKS}
            return replace(folded, open_time_limits=(*folded.open_time_limits, *resumed),
                           facts={**facts, "resumed_on": ctx.on, "days_suspended": days})
        return folded

    def _resumed(self, limit: OpenTimeLimit, days: int, rules: RuleBook) -> OpenTimeLimit:
        """``limit`` counted from a start ``days`` later (its period, and the maximum with extensions of its
        rule in force on the original start), or unchanged when it has no period."""
        if days == 0 or limit.period is None:
            return limit
        start = limit.start + timedelta(days=days)
        spec = next((o for t in self.transitions for o in t.opens if o.name == limit.name), None)
        maximum = limit.last_day_with_extensions
        if maximum is not None and spec is not None and isinstance(spec.extension_rule, str):
            maximum = due_date(start, rules.period(spec.extension_rule, limit.start), rules.calendar)
        return replace(limit, start=start, due=due_date(start, limit.period, rules.calendar),
                       last_day_with_extensions=maximum)


CN_PATENT_DISPUTE = SuspendableProcedure(
    name=PROCEDURE,
    description=__doc__ or "",
    states=STATES,
    initial_state="new",
    final_states=FINAL_STATES,
    transitions=[
        transition("file", "new", "requested", guard=_filing_guard, effect=_filed, opens=(ACCEPTANCE,),
                   description="Request for adjudication received (its receipt date starts the acceptance clock)"),
        transition("accept_request", "requested", "accepted", opens=(SERVICE, DECISION),
                   effect=lambda case, ctx: {"accepted_on": ctx.on}, description="Acceptance decision (立案)"),
        transition("refuse_request", "requested", "not_accepted", description="Decision not to accept, with reasons"),
        transition("serve_request", "accepted", "awaiting_defence", guard=_received_guard, opens=(DEFENCE,),
                   effect=lambda case, ctx: {"served_on": received(case, ctx)},
                   description="Request served on the respondent; payload received_on = its receipt"),
        transition("submit_defence", "awaiting_defence", "under_adjudication", description="The respondent's defence"),
        transition("deem_no_defence", "awaiting_defence", "under_adjudication",
                   description="No defence in time: the procedure goes on (the office decides without it)"),
        transition("submit_evidence", ("awaiting_defence", "under_adjudication", "hearing_notified", "heard"), None,
                   description="Evidence of a party"),
        transition("notify_hearing", ("under_adjudication", "hearing_notified"), "hearing_notified",
                   guard=_hearing_guard, effect=lambda case, ctx: {"hearing_date": _hearing_date(ctx)},
                   description="Notice of the oral hearing; payload hearing_date"),
        transition("hold_hearing", "hearing_notified", "heard", guard=_held_guard),
        transition("extend_decision_period", HANDLED, None, extends="decision", guard=_extension_guard, once=True,
                   description="Extension of the decision period approved by the head of the office; payload "
                               "months=1, approved_by"),
        transition("decide", ("under_adjudication", "heard"), "decided", guard=_decision_guard, opens=(SUIT,),
                   effect=lambda case, ctx: {"decision_date": ctx.on, "outcome": str(ctx.payload["outcome"])},
                   description="Decision: stop the infringement, or dismiss the request; payload outcome, "
                               "received_on"),
        transition("file_suit", "decided", "in_court", description="A party sued against the decision (Art. 65)"),
        transition("deem_decision_final", "decided", "decision_final"),
        transition("withdraw_request", (*PENDING, "suspended"), "withdrawn",
                   description="The requester withdraws the request"),
        transition("conclude_mediation", HANDLED, "mediated",
                   description="Mediation agreement of the parties (damages are settled only so)"),
        transition("request_suspension", HANDLED, None, guard=_suspension_request_guard, once=True,
                   effect=lambda case, ctx: {"suspension_requested_on": ctx.on},
                   description="The respondent requests the suspension: a request for invalidation of the patent "
                               "is pending"),
        transition("refuse_suspension", HANDLED, None, guard=_suspend_guard,
                   description="The office refuses the suspension (its grounds are manifestly unfounded)"),
        transition(SUSPEND, HANDLED, "suspended", guard=_suspend_guard, records_previous_state=True,
                   description="The office suspends the adjudication: its clocks stop"),
        transition(RESUME, "suspended", None, returns_to_previous_state=True,
                   description="The office resumes the adjudication: the clocks run again with the time left"),
        transition(ALERT_ACTION, tuple(STATES), None, effect=_alerted,
                   description="The right changed in the register (lapse, invalidation request or decision)"),
    ],
)


@dataclass(frozen=True)
class Clock:
    """One clock of the procedure as it follows from a request: its name, the act that starts it (assumed
    taken on the last day of the clock before), its start and last day, and the rule's reference."""

    name: str
    started_by: str
    start: date
    due: date
    reference: str

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "started_by": self.started_by, "start": self.start.isoformat(),
                "due": self.due.isoformat(), "reference": self.reference}


def clocks_from_request(rules: RuleBook, received_on: date) -> list[Clock]:
    """The clocks of a dispute requested on ``received_on`` when each act is taken on the last day the law
    allows: acceptance, service, defence (from service), decision, decision with the extension, and the
    suit (from a decision received on its last day). A request that is accepted, served or decided earlier
    moves the later clocks earlier; ``ipoffice case`` shows the clocks of the real case."""
    clocks: list[Clock] = []

    def add(name: str, started_by: str, rule: str, start: date) -> date:
        deadline = rules.deadline(rule, start)
        clocks.append(Clock(name, started_by, start, deadline.due, deadline.reference))
        return deadline.due

    accepted = add("acceptance", "file", "time_limit.adjudication_acceptance", received_on)
    served = add("service", "accept_request", "time_limit.adjudication_service", accepted)
    add("defence", "serve_request", "time_limit.adjudication_defence", served)
    decided = add("decision", "accept_request", "time_limit.adjudication_decision", accepted)
    extended = add("decision_with_extension", "accept_request", "time_limit.adjudication_decision_extension_max",
                   accepted)
    add("suit", "decide", "time_limit.adjudication_suit", decided)
    add("suit_after_extended_decision", "decide", "time_limit.adjudication_suit", extended)
    return clocks
