"""CN trademark procedure (Trademark Law 2019).

filing → formality examination → substantive examination (Art. 28) → refusal (review, Art. 34)
or preliminary approval and publication → 3-month opposition period (Art. 33) → registration
→ 10-year term from registration (Art. 39) → renewal in the 12 months before expiry or the 6-month
grace period after it (Art. 40), else cancellation; each renewal adds 10 years from the expiry.
"""

from __future__ import annotations

from datetime import date, timedelta

from ipoffice.domain.procedures.base import ActionContext, Case, Procedure, Reason, TimeLimitSpec, transition
from ipoffice.domain.time_limits import add_months, add_period

PENDING = ("filed", "awaiting_correction", "under_examination", "published_for_opposition", "opposed")


def _term_start(case: Case, ctx: ActionContext) -> date:
    start = case.date_fact("term_start")
    if start is None:
        raise ValueError("case has no registration date")
    return start


def _term_rule_date(case: Case, ctx: ActionContext) -> date:
    return _term_start(case, ctx)


def _term_end(case: Case, ctx: ActionContext, start: date) -> date:
    return add_period(start, ctx.rules.period("term.trademark", start)) - timedelta(days=1)


TERM = TimeLimitSpec(
    name="registration_term",
    rule="term.trademark",
    extension_rule="time_limit.trademark_term_with_grace",
    consequence="cancel_for_non_renewal",
    met_by=frozenset({"renew"}),
    start=_term_start,
    rule_date=_term_rule_date,
    term=True,
    # Art. 40: a renewal may still be filed in the 6-month grace period after expiry, so the mark is
    # cancelled only once that has passed, not the day after the term ends.
    automatic_extension=True,
)


def _register_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    return {"registration_date": ctx.on, "term_start": ctx.on, "term_ends": _term_end(case, ctx, ctx.on)}


def _renewal_guard(case: Case, ctx: ActionContext) -> str | None:
    ends = case.date_fact("term_ends")
    if ends is None:
        return Reason("the mark has no registration term", "no_registration_term")
    window = ctx.rules.period("time_limit.trademark_renewal_window", ctx.on)
    earliest = add_months(ends, -(12 * window.years + window.months))
    term = case.time_limit(TERM.name)
    # The open term's grace period is the one the overdue job applies: the guard must agree with it.
    grace = (term.last_day_with_extensions if term is not None and term.last_day_with_extensions is not None
             else add_period(ends, ctx.rules.period("time_limit.trademark_renewal_grace", ctx.on)))
    if ctx.on < earliest:
        return Reason(f"renewal may be filed from {earliest} (12 months before expiry on {ends}; Trademark Law "
                      "Art. 40)", "renewal_too_early", earliest=earliest, ends=ends)
    if ctx.on > grace:
        return Reason(f"the grace period for renewal ended on {grace} (Trademark Law Art. 40)", "renewal_grace_ended",
                      grace=grace)
    return None


def _renew_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    ends = case.date_fact("term_ends")
    assert ends is not None
    start = ends + timedelta(days=1)
    renewals = case.facts.get("renewals", 0)
    assert isinstance(renewals, int)
    return {"term_start": start, "term_ends": _term_end(case, ctx, start), "renewals": renewals + 1}


def _receipt(case: Case, ctx: ActionContext) -> date:
    return ctx.on  # trademark notices: period counted from receipt, taken as the action date here


CN_TRADEMARK = Procedure(
    name="cn_trademark",
    description=__doc__ or "",
    states={
        "new": "Nothing filed yet",
        "filed": "Filed; formality examination pending",
        "awaiting_correction": "Formality deficiencies notified; correction awaited",
        "under_examination": "Substantive examination in progress",
        "refused": "Refused; review may be requested",
        "under_review": "Review of the refusal pending",
        "published_for_opposition": "Preliminarily approved and published; opposition period running",
        "opposed": "Opposition filed; decision pending",
        "registered": "Registered and in force",
        "finally_refused": "Refusal final",
        "withdrawn": "Withdrawn by the applicant",
        "cancelled": "Registration cancelled for non-renewal",
    },
    initial_state="new",
    final_states=("finally_refused", "withdrawn", "cancelled"),
    transitions=[
        transition("file", "new", "filed", effect=lambda case, ctx: {"filing_date": ctx.on}),
        transition("notify_formality_deficiency", "filed", "awaiting_correction"),
        transition("submit_correction", "awaiting_correction", "filed"),
        transition("accept_for_examination", "filed", "under_examination"),
        transition("refuse", "under_examination", "refused",
                   opens=(TimeLimitSpec("review_request", "time_limit.trademark_review_of_refusal",
                                        "refusal_final", frozenset({"request_review"}), start=_receipt),)),
        transition("request_review", "refused", "under_review"),
        transition("refusal_final", "refused", "finally_refused"),
        transition("uphold_refusal", "under_review", "finally_refused"),
        transition("overturn_refusal", "under_review", "published_for_opposition",
                   effect=lambda case, ctx: {"publication_date": ctx.on}),
        transition("approve_preliminarily", "under_examination", "published_for_opposition",
                   effect=lambda case, ctx: {"publication_date": ctx.on},
                   opens=(TimeLimitSpec("opposition_period", "time_limit.trademark_opposition", "register",
                                        frozenset({"file_opposition"})),),
                   description="Preliminary approval published; 3-month opposition period (Art. 33)"),
        transition("file_opposition", "published_for_opposition", "opposed"),
        transition("register", ("published_for_opposition", "opposed"), "registered", effect=_register_effect,
                   opens=(TERM,), description="Registration (no opposition, or opposition rejected)"),
        transition("refuse_registration", "opposed", "finally_refused"),
        transition("renew", "registered", None, guard=_renewal_guard, effect=_renew_effect, opens=(TERM,)),
        transition("cancel_for_non_renewal", "registered", "cancelled"),
        transition("withdraw", PENDING, "withdrawn"),
    ],
)
