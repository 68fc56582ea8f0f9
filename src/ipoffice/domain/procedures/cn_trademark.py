"""CN trademark procedure (Trademark Law 2019).

filing → formality examination → substantive examination (Art. 28) → refusal (review, Art. 34)
or preliminary approval and publication → 3-month opposition period (Art. 33) → registration
→ 10-year term from registration (Art. 39) → renewal in the 12 months before expiry or the 6-month
grace period after it (Art. 40), else cancellation; each renewal adds 10 years from the expiry.

Relative grounds (Art. 30-31): a refusal cites the earlier marks it rests on (``earlier_marks``); a partial
refusal (``refuse_partially``, ``refused_classes``) publishes the mark for the other Nice classes.
Opposition (Art. 33, 35): filed within the 3-month period — the guard counts it from the publication fact, so
several oppositions may be filed —, the applicant's reply within 30 days of receipt (Regs Art. 27; a missing
reply does not stop the decision), the office's decision within 12 months of the end of the period (18 with
the approved extension); a refusal of registration may be reviewed on request within 15 days (Art. 35(3)).
Non-use cancellation (Art. 49): anyone may request it once the mark has been registered for 3 years; the
registrant proves use within 2 months of receipt (Regs Art. 66), else the registration is cancelled; the office
decides within 9 months (12 with the extension).
"""

from __future__ import annotations

from datetime import date, timedelta

from ipoffice.domain.procedures.base import ActionContext, Case, Procedure, Reason, TimeLimitSpec, transition
from ipoffice.domain.time_limits import add_months, add_period
from ipoffice.domain.trademark_conflicts import class_numbers, filed_classes, refused_classes_problem

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


def _filing_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    classes = filed_classes(ctx.payload)
    return {"filing_date": ctx.on, **({"nice_classes": classes} if classes else {})}


def _publication_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    """The publication date and the last day of the opposition period it opens (Art. 33)."""
    ends = ctx.rules.deadline("time_limit.trademark_opposition", ctx.on).due
    return {"publication_date": ctx.on, "opposition_ends": ends}


def _partial_refusal_guard(case: Case, ctx: ActionContext) -> str | None:
    filed = case.facts.get("nice_classes")
    problem = refused_classes_problem(ctx.payload.get("refused_classes"),
                                      filed if isinstance(filed, tuple) else ())
    return None if problem is None else Reason(problem, "refused_classes", detail=problem)


def _partial_refusal_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    refused = class_numbers(ctx.payload["refused_classes"], "refused_classes")  # the guard checked them
    filed = case.facts.get("nice_classes")
    kept = tuple(c for c in filed if c not in refused) if isinstance(filed, tuple) else ()
    return {**_publication_effect(case, ctx), "refused_classes": refused, "nice_classes": kept}


OPPOSITION_PERIOD = TimeLimitSpec("opposition_period", "time_limit.trademark_opposition", "register",
                                  frozenset({"file_opposition"}))


def third_party_request(ctx: ActionContext) -> str | None:
    """An opposition or a cancellation request is a third party's, recorded with its author as ``opponent`` (a
    key only the office writes): the mark's own applicant cannot file one with an ordinary act."""
    if not ctx.payload.get("opponent"):
        return Reason(f"{ctx.action} is filed by a third party, named as the opponent", "third_party_request",
                      action=ctx.action)
    return None


def _opposition_guard(case: Case, ctx: ActionContext) -> str | None:
    third_party = third_party_request(ctx)
    if third_party is not None:
        return third_party
    ends = case.date_fact("opposition_ends")
    if ends is not None and ctx.on > ends:
        return Reason(f"the opposition period ended on {ends} (Trademark Law Art. 33)", "opposition_period_ended",
                      ends=ends)
    return None


def _end_of_publication_period(case: Case, ctx: ActionContext) -> date:
    """Art. 35(1) counts the decision's 12 months from the end of the publication period."""
    ends = case.date_fact("opposition_ends")
    return ends if ends is not None else ctx.on


OPPOSITION_REPLY = TimeLimitSpec("opposition_reply", "time_limit.trademark_opposition_reply", None,
                                 frozenset({"reply_to_opposition", "register", "refuse_registration"}), start=_receipt)
OPPOSITION_DECISION = TimeLimitSpec("opposition_decision", "time_limit.trademark_opposition_decision", None,
                                    frozenset({"register", "refuse_registration"}), start=_end_of_publication_period,
                                    extension_rule="time_limit.trademark_opposition_decision_max")


def _opposition_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    count = case.facts.get("oppositions", 0)
    assert isinstance(count, int)
    return {"oppositions": count + 1}


def _reply_guard(case: Case, ctx: ActionContext) -> str | None:
    limit = case.time_limit(OPPOSITION_REPLY.name)
    if limit is None:
        return Reason("no opposition awaits a reply", "no_reply_awaited")
    if ctx.on > limit.due:
        return Reason(f"the time limit for the reply ended on {limit.due} (Trademark Implementing Regulations Art. 27)",
                      "reply_period_ended", due=limit.due)
    return None


def _non_use_guard(case: Case, ctx: ActionContext) -> str | None:
    third_party = third_party_request(ctx)
    if third_party is not None:
        return third_party
    registered = case.date_fact("registration_date")
    if registered is None:
        return Reason("the mark has no registration date", "no_registration_term")
    earliest = add_period(registered, ctx.rules.period("time_limit.trademark_non_use", ctx.on))
    if ctx.on < earliest:
        return Reason(f"non-use cancellation may be requested from {earliest}: 3 consecutive years after the "
                      f"registration on {registered} (Trademark Law Art. 49)", "non_use_too_early",
                      earliest=earliest, registered=registered)
    return None


USE_EVIDENCE = TimeLimitSpec("use_evidence", "time_limit.trademark_use_evidence", "cancel_for_non_use",
                             frozenset({"submit_use_evidence", "maintain_registration",
                                        "decide_cancellation_for_non_use"}), start=_receipt)
NON_USE_DECISION = TimeLimitSpec("non_use_decision", "time_limit.trademark_non_use_decision", None,
                                 frozenset({"maintain_registration", "decide_cancellation_for_non_use"}),
                                 extension_rule="time_limit.trademark_non_use_decision_max")


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
        "registration_refused": "Registration refused after an opposition; review may be requested",
        "opposition_review": "Review of the refusal of registration after an opposition pending",
        "registered": "Registered and in force",
        "non_use_cancellation_requested": "Cancellation for non-use requested; evidence of use awaited",
        "finally_refused": "Refusal final",
        "withdrawn": "Withdrawn by the applicant",
        "cancelled": "Registration cancelled for non-renewal",
        "cancelled_for_non_use": "Registration cancelled for 3 consecutive years of non-use",
    },
    initial_state="new",
    final_states=("finally_refused", "withdrawn", "cancelled", "cancelled_for_non_use"),
    transitions=[
        transition("file", "new", "filed", effect=_filing_effect),
        transition("notify_formality_deficiency", "filed", "awaiting_correction"),
        transition("submit_correction", "awaiting_correction", "filed"),
        transition("accept_for_examination", "filed", "under_examination"),
        transition("refuse", "under_examination", "refused",
                   opens=(TimeLimitSpec("review_request", "time_limit.trademark_review_of_refusal",
                                        "refusal_final", frozenset({"request_review"}), start=_receipt),)),
        transition("refuse_partially", "under_examination", "published_for_opposition",
                   guard=_partial_refusal_guard, effect=_partial_refusal_effect, opens=(OPPOSITION_PERIOD,),
                   description="Refused for some Nice classes, published for the others (Art. 30, 33)"),
        transition("request_review", "refused", "under_review"),
        transition("request_review", "registration_refused", "opposition_review"),
        transition("refusal_final", ("refused", "registration_refused"), "finally_refused"),
        transition("uphold_refusal", ("under_review", "opposition_review"), "finally_refused"),
        # The review overturns the refusal: the examination resumes, to the preliminary approval and its publication.
        transition("overturn_refusal", "under_review", "under_examination"),
        transition("approve_preliminarily", "under_examination", "published_for_opposition",
                   effect=_publication_effect, opens=(OPPOSITION_PERIOD,),
                   description="Preliminary approval published; 3-month opposition period (Art. 33)"),
        transition("file_opposition", "published_for_opposition", "opposed", guard=_opposition_guard,
                   effect=_opposition_effect, opens=(OPPOSITION_REPLY, OPPOSITION_DECISION)),
        # A further opposition within the period: the applicant has a reply period for it too.
        transition("file_opposition", "opposed", None, guard=_opposition_guard, effect=_opposition_effect,
                   opens=(OPPOSITION_REPLY,)),
        transition("reply_to_opposition", "opposed", None, guard=_reply_guard),
        transition("register", ("published_for_opposition", "opposed", "opposition_review"), "registered",
                   effect=_register_effect, opens=(TERM,),
                   description="Registration (no opposition, opposition rejected, or refusal overturned on review)"),
        transition("refuse_registration", "opposed", "registration_refused",
                   opens=(TimeLimitSpec("review_request", "time_limit.trademark_opposition_review",
                                        "refusal_final", frozenset({"request_review"}), start=_receipt),)),
        transition("renew", "registered", None, guard=_renewal_guard, effect=_renew_effect, opens=(TERM,)),
        transition("cancel_for_non_renewal", "registered", "cancelled"),
        transition("request_non_use_cancellation", "registered", "non_use_cancellation_requested",
                   guard=_non_use_guard, opens=(USE_EVIDENCE, NON_USE_DECISION)),
        transition("submit_use_evidence", "non_use_cancellation_requested", None),
        transition("maintain_registration", "non_use_cancellation_requested", "registered",
                   description="Use proved (or justified): the registration is maintained"),
        transition("decide_cancellation_for_non_use", "non_use_cancellation_requested", "cancelled_for_non_use"),
        transition("cancel_for_non_use", "non_use_cancellation_requested", "cancelled_for_non_use"),
        transition("withdraw", PENDING, "withdrawn"),
    ],
)
