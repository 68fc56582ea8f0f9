"""CN invention patent procedure (Patent Law 2020; Implementing Regulations 2010/2023).

filing → formality examination → publication (18 months from the earliest priority date, or
earlier on request) → substantive examination (requested within 3 years, else deemed withdrawn)
→ office actions (first reply 4 months, later 2 months, extendable) → rejection (re-examination)
or notice to grant → registration formalities → grant announcement → annuities → lapse /
restoration / invalidation / end of the 20-year term.
"""

from __future__ import annotations

from datetime import date

from ipoffice.domain.procedures import _cn_patent as cn
from ipoffice.domain.procedures.base import ActionContext, Case, Procedure, Reason, TimeLimitSpec, transition
from ipoffice.domain.rules import Fee, RuleBook
from ipoffice.domain.time_limits import add_period

PENDING = ("filed", "awaiting_correction", "formality_examined", "published", "under_examination",
           "awaiting_response")
BEFORE_EXAMINATION = ("filed", "awaiting_correction", "formality_examined", "published")


def _publication_due(case: Case, ctx: ActionContext) -> dict[str, object]:
    after_filing = cn.file_effect(case, ctx)
    earliest = min([ctx.on, *cn.priority_dates(ctx)])
    due = add_period(earliest, ctx.rules.period("time_limit.publication", ctx.on))
    return {**after_filing, "publication_due": due}


def _publication_guard(case: Case, ctx: ActionContext) -> str | None:
    due = case.date_fact("publication_due")
    if due is not None and ctx.on < due and not case.facts.get("early_publication_requested"):
        return Reason(f"publication is due on {due} (Patent Law Art. 34) and early publication was not requested",
                      "publication_not_due", due=due)
    return None


def _examination_requested_guard(case: Case, ctx: ActionContext) -> str | None:
    if not case.facts.get("examination_requested"):
        return Reason("substantive examination has not been requested (Patent Law Art. 35)",
                      "examination_not_requested")
    return None


def _response_rule(case: Case, ctx: ActionContext) -> str:
    """The first office action gives 4 months, any later one 2 months."""
    actions = sum(1 for e in case.events if e.code == "office_action")
    return "time_limit.office_action_response_first" if actions <= 1 else "time_limit.office_action_response_later"


def _extension_rule(case: Case, ctx: ActionContext) -> str:
    actions = sum(1 for e in case.events if e.code == "office_action")
    return "time_limit.office_action_extension_max" if actions <= 1 else "time_limit.office_action_later_extension_max"


REQUEST_EXAMINATION = TimeLimitSpec(
    name="request_examination",
    rule="time_limit.request_examination",
    consequence="deem_withdrawn",
    met_by=frozenset({"request_substantive_examination"}),
    start=lambda case, ctx: cn.earliest_date(case),
)

OFFICE_ACTION_RESPONSE = TimeLimitSpec(
    name="office_action_response",
    rule=_response_rule,
    extension_rule=_extension_rule,
    consequence="deem_withdrawn",  # Patent Law Art. 37
    met_by=frozenset({"respond"}),
    start=cn.deemed_receipt,
)

CN_INVENTION = Procedure(
    name="cn_invention",
    description=__doc__ or "",
    states={
        **cn.COMMON_STATES,
        "formality_examined": "Formality examination passed; awaiting publication",
        "published": "Application published; substantive examination awaits the request",
        "under_examination": "Substantive examination in progress",
        "awaiting_response": "Office action issued; applicant's reply awaited",
    },
    initial_state="new",
    final_states=cn.FINAL_STATES,
    transitions=[
        *cn.formality_phase("time_limit.priority_invention", "formality_examined",
                            on_filing=_publication_due, opened_on_filing=(REQUEST_EXAMINATION,)),
        transition("request_early_publication", ("filed", "formality_examined"), None, once=True,
                   effect=lambda case, ctx: {"early_publication_requested": True}),
        transition("request_substantive_examination", BEFORE_EXAMINATION, None, once=True,
                   effect=lambda case, ctx: {"examination_requested": ctx.on}),
        transition("publish", "formality_examined", "published", guard=_publication_guard,
                   effect=lambda case, ctx: {"publication_date": ctx.on}),
        transition("start_substantive_examination", "published", "under_examination",
                   guard=_examination_requested_guard),
        transition("office_action", "under_examination", "awaiting_response", opens=(OFFICE_ACTION_RESPONSE,),
                   description="Notification of the examiner's opinion (Art. 37)"),
        transition("request_extension", "awaiting_response", None, extends="office_action_response",
                   description="Extension of a designated time limit (IR Rule 6(4)), payload months=1|2"),
        transition("respond", "awaiting_response", "under_examination"),
        transition("revoke_rejection", "under_reexamination", "under_examination"),
        *cn.closing_phase(PENDING),
        *cn.grant_phase(("under_examination",), "term.invention"),
    ],
)


ANNUITY_FEE = "fee.invention.annuity"
REGISTRATION_FEE = "fee.invention.registration"


def registration_fee_names(case: Case, on: date) -> list[tuple[str, int | None]]:
    """(fee, year) due with the registration formalities on ``on``: the registration fee and the annuity of
    the year of the patent in which it is granted (Implementing Regulations Rule 97 (2010 numbering))."""
    return [(REGISTRATION_FEE, None), (ANNUITY_FEE, cn.patent_year(case, on))]


def registration_fees(case: Case, on: date, rules: RuleBook, reduction: str | None = None) -> list[Fee]:
    """Fees due with the registration formalities: registration fee (nil since 2018-08-01) and the
    annuity of the year in which the patent is granted."""
    return [rules.fee(name, on, reduction=reduction, year=year) for name, year in registration_fee_names(case, on)]
