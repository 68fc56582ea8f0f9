"""Building blocks shared by the CN patent procedures (invention, utility model, design).

Time limits set by a CNIPA notification run from its deemed receipt (Implementing Regulations
Art. 4): the payload of a notifying action may give ``service`` = ``"electronic"`` (default) or
``"paper"``; the number of days is read from the rules in force on the dispatch date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from ipoffice.domain.procedures.base import (
    ActionContext,
    Case,
    Effect,
    Guard,
    Reason,
    TimeLimitSpec,
    Transition,
    transition,
)
from ipoffice.domain.time_limits import add_months, add_period

# Loss-of-rights states from which a restoration request (IR Rule 6(2)) may bring the case back.
RESTORABLE = ("deemed_withdrawn", "right_abandoned", "lapsed")


def payload_date(ctx: ActionContext, key: str) -> date | None:
    raw = ctx.payload.get(key)
    if raw is None or isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        return date.fromisoformat(raw)
    raise ValueError(f"payload {key!r} must be a date (got {raw!r})")


def deemed_receipt(case: Case, ctx: ActionContext) -> date:
    """The day a notification dispatched on ``ctx.on`` is deemed received."""
    service = str(ctx.payload.get("service", "electronic"))
    if service not in ("electronic", "paper"):
        raise ValueError(f"payload 'service' must be 'electronic' or 'paper' (got {service!r})")
    days = ctx.rules.period(f"deemed_receipt.{service}", ctx.on).days
    return ctx.on + timedelta(days=days)


def filing_date(case: Case, ctx: ActionContext | None = None) -> date:
    value = case.date_fact("filing_date")
    if value is None:
        raise ValueError("case has no filing date")
    return value


def earliest_date(case: Case, ctx: ActionContext | None = None) -> date:
    """The earliest priority date, or the filing date when no priority is claimed."""
    return case.date_fact("earliest_priority_date") or filing_date(case)


def priority_dates(ctx: ActionContext) -> list[date]:
    raw = ctx.payload.get("priority_dates", [])
    if not isinstance(raw, list | tuple):
        raise ValueError("payload 'priority_dates' must be a list of dates")
    return sorted(d if isinstance(d, date) else date.fromisoformat(str(d)) for d in raw)


def priority_guard(priority_rule: str) -> Guard:
    """Refuse a filing whose priority claims are older than the priority period (Patent Law Art. 29)."""

    def guard(case: Case, ctx: ActionContext) -> str | None:
        for claimed in priority_dates(ctx):
            if claimed > ctx.on:
                return Reason(f"priority date {claimed} is after the filing date {ctx.on}", "priority_after_filing",
                              claimed=claimed, filed=ctx.on)
            deadline = ctx.rules.deadline(priority_rule, claimed, rule_date=ctx.on)
            if ctx.on > deadline.due:
                return Reason(
                    f"priority date {claimed} is more than {deadline.period} before the filing date "
                    f"{ctx.on} (last day {deadline.due}; {deadline.reference})", "priority_too_old",
                    claimed=claimed, filed=ctx.on, due=deadline.due)
        return None

    return guard


def file_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    claimed = priority_dates(ctx)
    facts: dict[str, object] = {"filing_date": ctx.on, "priority_dates": tuple(claimed)}
    if claimed:
        facts["earliest_priority_date"] = claimed[0]
    if "application_number" in ctx.payload:
        facts["application_number"] = str(ctx.payload["application_number"])
    return facts


def term_rule_date(case: Case, ctx: ActionContext) -> date:
    """Terms of protection follow the law in force on the filing date (e.g. designs: 10 or 15 years)."""
    return filing_date(case)


def term_ends(case: Case, term_rule: str, ctx: ActionContext) -> date:
    """Last day of the term: the day before the anniversary of the filing date (Guidelines Part V Ch. 9)."""
    period = ctx.rules.period(term_rule, filing_date(case))
    return add_period(filing_date(case), period) - timedelta(days=1)


def patent_year(case: Case, on: date) -> int:
    """The year of the patent that ``on`` falls in (year 1 starts on the filing date)."""
    start = filing_date(case)
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    return years + 1


def next_annuity_start(case: Case, ctx: ActionContext) -> date:
    """Start of the first unpaid year: the anniversary of the filing date after the paid years."""
    paid_through = case.facts.get("annuities_paid_through", 0)
    assert isinstance(paid_through, int)
    return add_months(filing_date(case), 12 * paid_through)


ANNUITY = TimeLimitSpec(
    name="annuity",
    rule="time_limit.annuity_due",
    extension_rule="time_limit.annuity_grace",  # late payment with surcharge
    automatic_extension=True,
    consequence="lapse",
    met_by=frozenset({"pay_annuity"}),
    start=next_annuity_start,
)


def term_spec(term_rule: str) -> TimeLimitSpec:
    return TimeLimitSpec(
        name="term",
        rule=term_rule,
        consequence="expire_term",
        met_by=frozenset(),
        start=filing_date,
        rule_date=term_rule_date,
        term=True,
    )


def restoration_spec() -> TimeLimitSpec:
    return TimeLimitSpec(
        name="restoration",
        rule="time_limit.restoration",
        consequence=None,
        met_by=frozenset({"restore", "restore_right", "restore_patent"}),
        start=deemed_receipt,
    )


def restoration_guard(case: Case, ctx: ActionContext) -> str | None:
    limit = case.time_limit("restoration")
    if limit is None or ctx.on > limit.due:
        return Reason("the time limit for requesting restoration (Implementing Regulations Rule 6(2)) has expired",
                      "restoration_expired")
    return None


def annuity_paid_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    paid = case.facts.get("annuities_paid_through", 0)
    assert isinstance(paid, int)
    return {"annuities_paid_through": paid + 1}


def registration_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    # The registration includes the annuity of the year in which the patent is granted.
    return {"annuities_paid_through": patent_year(case, ctx.on), "registration_date": ctx.on}


def grant_phase(pending: Iterable[str], term_rule: str) -> list[Transition]:
    """Notice to grant → registration formalities → grant announcement → annuities, lapse,
    restoration, invalidation, end of term (Patent Law Art. 39-47, IR Rules 54, 98, 6)."""
    pending = tuple(pending)
    in_force = ("granted", "invalidation_pending")
    return [
        transition(
            "notify_grant", pending, "grant_notified",
            opens=(TimeLimitSpec("registration_formalities", "time_limit.registration_formalities",
                                 "deem_right_abandoned", frozenset({"complete_registration"}),
                                 start=deemed_receipt),),
            description="Notice to grant a patent and to complete the registration formalities",
        ),
        transition("complete_registration", "grant_notified", "registered", effect=registration_effect,
                   description="Registration formalities done and fees (grant-year annuity) paid"),
        transition("deem_right_abandoned", "grant_notified", "right_abandoned", records_previous_state=True,
                   opens=(restoration_spec(),),
                   description="Registration not completed in time: right to obtain the patent deemed abandoned"),
        transition(
            "announce_grant", "registered", "granted",
            effect=lambda case, ctx: {"grant_date": ctx.on, "term_ends": term_ends(case, term_rule, ctx)},
            opens=(term_spec(term_rule), ANNUITY),
            description="Grant announced; the patent takes effect on the announcement date (Art. 39)",
        ),
        transition("pay_annuity", in_force, None, effect=annuity_paid_effect, opens=(ANNUITY,)),
        transition("lapse", in_force, "lapsed", records_previous_state=True, opens=(restoration_spec(),),
                   description="Annuity unpaid after the grace period: the patent lapses (Art. 44)"),
        transition("request_invalidation", "granted", "invalidation_pending",
                   description="Request for invalidation by any person (Art. 45)"),
        transition("maintain_patent", "invalidation_pending", "granted"),
        transition("declare_invalid", "invalidation_pending", "invalidated"),
        transition("expire_term", in_force, "expired", description="End of the term of protection (Art. 42)"),
        transition("restore", "deemed_withdrawn", None, returns_to_previous_state=True, ordinary=False,
                   guard=restoration_guard, description="Restoration of rights (IR Rule 6(2))"),
        transition("restore_right", "right_abandoned", "registered", ordinary=False, guard=restoration_guard,
                   effect=registration_effect, description="Restoration with the registration completed"),
        transition("restore_patent", "lapsed", "granted", ordinary=False, guard=restoration_guard,
                   effect=annuity_paid_effect, opens=(term_spec(term_rule), ANNUITY),
                   description="Restoration with the unpaid annuity and surcharge paid"),
    ]


def formality_phase(
    priority_rule: str,
    after_formalities: str | None,
    on_filing: Effect = file_effect,
    opened_on_filing: tuple[TimeLimitSpec, ...] = (),
) -> list[Transition]:
    """Filing and formality examination (deficiency notices and their correction). Without
    ``after_formalities`` (utility models, designs) passing formalities is the notice to grant."""
    transitions = [
        transition("file", "new", "filed", guard=priority_guard(priority_rule), effect=on_filing,
                   opens=opened_on_filing,
                   description="Application received: filing date accorded, priority claims checked"),
        transition("notify_formality_deficiency", "filed", "awaiting_correction",
                   opens=(TimeLimitSpec("formality_correction", "time_limit.formality_correction",
                                        "deem_withdrawn", frozenset({"submit_correction"}), start=deemed_receipt,
                                        extension_rule="time_limit.formality_correction_extension_max"),)),
        # The correction period is designated in the notice, so it may be extended like an office action's.
        transition("request_extension", "awaiting_correction", None, extends="formality_correction",
                   description="Extension of a designated time limit (IR Rule 6(4)), payload months=1|2"),
        transition("submit_correction", "awaiting_correction", "filed"),
    ]
    if after_formalities is not None:
        transitions.append(transition("pass_formality_examination", "filed", after_formalities))
    return transitions


def closing_phase(pending: Iterable[str]) -> list[Transition]:
    """Withdrawal, deemed withdrawal, rejection and re-examination (Patent Law Art. 38, 41)."""
    pending = tuple(pending)
    return [
        transition("withdraw", pending, "withdrawn", description="Withdrawal by the applicant (Art. 32)"),
        transition("deem_withdrawn", pending, "deemed_withdrawn", records_previous_state=True,
                   opens=(restoration_spec(),), description="Deemed withdrawn for a missed time limit"),
        transition("reject", pending, "rejected",
                   opens=(TimeLimitSpec("reexamination_request", "time_limit.reexamination_request",
                                        "rejection_final", frozenset({"request_reexamination"}),
                                        start=deemed_receipt),)),
        transition("request_reexamination", "rejected", "under_reexamination"),
        transition("rejection_final", "rejected", "finally_rejected"),
        transition("uphold_rejection", "under_reexamination", "finally_rejected"),
    ]


COMMON_STATES = {
    "new": "Nothing filed yet",
    "filed": "Filed; formality examination pending",
    "awaiting_correction": "Formality deficiencies notified; correction awaited",
    "grant_notified": "Notice to grant sent; registration formalities awaited",
    "registered": "Registration formalities completed; grant announcement pending",
    "granted": "Patent in force",
    "invalidation_pending": "Invalidation request pending",
    "rejected": "Application rejected; re-examination may be requested",
    "under_reexamination": "Re-examination pending",
    "finally_rejected": "Rejection final",
    "withdrawn": "Withdrawn by the applicant",
    "deemed_withdrawn": "Deemed withdrawn (a time limit was missed)",
    "right_abandoned": "Right to obtain the patent deemed abandoned",
    "lapsed": "Lapsed for non-payment of an annuity",
    "invalidated": "Declared invalid",
    "expired": "Term of protection ended",
}
FINAL_STATES = ("withdrawn", "deemed_withdrawn", "right_abandoned", "lapsed", "invalidated", "expired",
                "finally_rejected")
