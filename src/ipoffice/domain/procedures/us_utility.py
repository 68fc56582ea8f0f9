"""US utility application procedure (35 U.S.C., 37 CFR, MPEP), enough to replay USPTO prosecution
histories: restriction, non-final and final rejections with their mailing, replies (3-month
shortened statutory period extendable to 6 months with fees), after-final replies, RCE, appeal,
ex parte Quayle actions, notice of allowance, issue fee, issuance, maintenance fees, abandonment.

Examiner actions and their mailing are distinct events (USPTO codes CTNF and MCTNF): the reply
period runs from the mailing date. Steps the USPTO records but a filtered history may omit (the
applicant's replies, the notice of allowance, the issue fee, ...) are ``implied`` transitions.

``USPTO_EVENT_CODES`` maps USPTO event codes to actions; a ``StatusVocabulary`` (the USPTO status
vocabulary, data in ``ipoffice/rules/vocabularies/uspto_application_status.yaml``) maps USPTO status
texts to the procedure states they denote; both are explicit, and unknown codes or texts must be
reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ipoffice.domain.procedures.base import ActionContext, Case, Procedure, Reason, TimeLimitSpec, transition

EXAMINATION = ("awaiting_examination", "response_filed")
AFTER_FINAL = ("final_rejection", "response_after_final")
APPEAL = ("appeal_pending", "appeal_brief_filed")
PENDING = (
    "awaiting_examination", "restriction_required", "non_final_rejection", "response_filed",
    *AFTER_FINAL, *APPEAL, "quayle_action", "allowed", "issue_fee_paid",
)


def _reply_period(name: str, ssp_rule: str, met_by: set[str]) -> TimeLimitSpec:
    """A shortened statutory period, extendable under 37 CFR 1.136(a) up to the 6-month statutory
    maximum by paying the extension fee with the reply; abandonment follows (37 CFR 1.135)."""
    return TimeLimitSpec(
        name=name,
        rule=ssp_rule,
        extension_rule="time_limit.response_statutory_max",
        automatic_extension=True,
        consequence="abandon_for_failure_to_reply",
        met_by=frozenset(met_by | {"express_abandonment"}),
    )


CLOSES_PROSECUTION = {"file_rce", "notice_of_appeal", "notice_of_allowance",
                      "non_final_rejection"}
NON_FINAL_REPLY = _reply_period("reply_to_non_final_rejection", "time_limit.response_ssp", {"reply"})
# An after-final reply does not stop the period (MPEP 714.13): only an RCE, an appeal or an
# allowance (or the examiner reopening prosecution) does.
FINAL_REPLY = _reply_period("reply_to_final_rejection", "time_limit.response_ssp", CLOSES_PROSECUTION)
RESTRICTION_REPLY = _reply_period("reply_to_restriction", "time_limit.restriction_ssp", {"reply_to_restriction"})
QUAYLE_REPLY = _reply_period("reply_to_quayle_action", "time_limit.quayle_ssp", {"reply_to_quayle_action"})
APPEAL_BRIEF = TimeLimitSpec(
    name="appeal_brief",
    rule="time_limit.appeal_brief",
    extension_rule="time_limit.appeal_brief_max",
    automatic_extension=True,
    consequence="abandon_for_failure_to_reply",
    met_by=frozenset({"file_appeal_brief", "file_rce"}),
)
ISSUE_FEE = TimeLimitSpec(
    name="issue_fee",
    rule="time_limit.issue_fee",  # not extendable (35 U.S.C. 151)
    consequence="abandon_for_failure_to_pay_issue_fee",
    met_by=frozenset({"pay_issue_fee", "file_rce"}),
)

# States with a reply period running, and the periods an extension of time (37 CFR 1.136(a)) extends.
AWAITING_REPLY = ("restriction_required", "non_final_rejection", *AFTER_FINAL, "quayle_action")
EXTENDABLE = (NON_FINAL_REPLY.name, FINAL_REPLY.name, RESTRICTION_REPLY.name, QUAYLE_REPLY.name, APPEAL_BRIEF.name)


def _grant_date(case: Case, ctx: ActionContext) -> date:
    granted = case.date_fact("grant_date")
    return granted if granted is not None else ctx.on


def _filing_date(case: Case, ctx: ActionContext) -> date:
    filed = case.date_fact("filing_date")
    if filed is None:
        raise ValueError("case has no filing date")
    return filed


def _maintenance_rules(case: Case, ctx: ActionContext) -> tuple[str, str]:
    paid = case.facts.get("maintenance_fees_paid", 0)
    assert isinstance(paid, int)
    stage = ("first", "second", "third")[min(paid, 2)]
    return f"time_limit.maintenance_{stage}", f"time_limit.maintenance_{stage}_with_grace"


MAINTENANCE = TimeLimitSpec(
    name="maintenance_fee",
    rule=lambda case, ctx: _maintenance_rules(case, ctx)[0],
    extension_rule=lambda case, ctx: _maintenance_rules(case, ctx)[1],
    automatic_extension=True,  # payable with surcharge in the 6-month grace period
    consequence="expire_for_nonpayment",
    met_by=frozenset({"pay_maintenance_fee"}),
    start=_grant_date,
)
TERM = TimeLimitSpec(
    name="term",
    rule="term.utility",
    consequence="expire_term",
    met_by=frozenset(),
    start=_filing_date,
    rule_date=_filing_date,
    term=True,
)


def _maintenance_paid(case: Case, ctx: ActionContext) -> dict[str, object]:
    paid = case.facts.get("maintenance_fees_paid", 0)
    assert isinstance(paid, int)
    return {"maintenance_fees_paid": paid + 1}


def _maintenance_guard(case: Case, ctx: ActionContext) -> str | None:
    paid = case.facts.get("maintenance_fees_paid", 0)
    return Reason("all three maintenance fees have been paid", "maintenance_all_paid") if paid == 3 else None


US_UTILITY = Procedure(
    name="us_utility",
    description=__doc__ or "",
    states={
        "new": "Nothing filed yet",
        "awaiting_examination": "Docketed; awaiting an examiner's action (also after an RCE)",
        "restriction_required": "Restriction/election requirement outstanding",
        "non_final_rejection": "Non-final rejection made (and, once mailed, awaiting reply)",
        "response_filed": "Reply filed; back with the examiner",
        "final_rejection": "Final rejection made (and, once mailed, awaiting RCE, appeal or reply)",
        "response_after_final": "Reply after final rejection filed; period still running",
        "quayle_action": "Ex parte Quayle action: only formal matters outstanding",
        "appeal_pending": "Notice of appeal filed; appeal brief awaited",
        "appeal_brief_filed": "Appeal brief filed; with the examiner / the Board",
        "allowed": "Notice of allowance mailed; issue fee awaited",
        "issue_fee_paid": "Issue fee paid; awaiting issuance",
        "patented": "Patent issued and in force",
        "expired": "Patent expired (maintenance fee unpaid or end of term)",
        "abandoned": "Application abandoned",
    },
    initial_state="new",
    final_states=("abandoned", "expired"),
    transitions=[
        transition("file", "new", "awaiting_examination", effect=lambda case, ctx: {"filing_date": ctx.on}),
        transition("restriction_requirement", EXAMINATION, "restriction_required", opens=(RESTRICTION_REPLY,),
                   description="CTRS: restriction/election requirement (period counted from its date)"),
        transition("reply_to_restriction", "restriction_required", "response_filed", implied=True),
        transition("non_final_rejection", (*EXAMINATION, *AFTER_FINAL, "appeal_brief_filed"),
                   "non_final_rejection",
                   description="CTNF (also when finality is withdrawn or prosecution is reopened after appeal)",
                   implied=True),
        transition("mail_non_final_rejection", "non_final_rejection", None, opens=(NON_FINAL_REPLY,),
                   description="MCTNF: the reply period runs from the mailing date"),
        transition("reply", "non_final_rejection", "response_filed", implied=True),
        transition("final_rejection", (*EXAMINATION, "final_rejection"), "final_rejection", implied=True,
                   description="CTFR (after a reply, or a first action final after an RCE; from a final "
                               "rejection: a replacement action, whose mailing restarts the period, MPEP 710.06)"),
        transition("mail_final_rejection", "final_rejection", None, opens=(FINAL_REPLY,)),
        transition("reply_after_final", "final_rejection", "response_after_final", implied=True),
        transition("advisory_action", "response_after_final", None),
        transition("file_rce", (*AFTER_FINAL, *APPEAL, "allowed", "quayle_action"), "awaiting_examination",
                   implied=True, description="ABN9: request for continued examination (37 CFR 1.114)"),
        transition("extension_of_time", (*AWAITING_REPLY, "appeal_pending"), None, extends=EXTENDABLE,
                   description="Extension of time under 37 CFR 1.136(a), payload months=1..5: the reply "
                               "period counted from its start plus the months, rolled over once"),
        transition("notice_of_appeal", (*AFTER_FINAL, "non_final_rejection"), "appeal_pending",
                   opens=(APPEAL_BRIEF,), description="N/AP: claims twice rejected (35 U.S.C. 134)"),
        transition("file_appeal_brief", "appeal_pending", "appeal_brief_filed", implied=True),
        transition("board_decision", "appeal_brief_filed", "response_filed",
                   description="Decision of the Board; back to the examiner for action consistent with it"),
        transition("quayle_action", EXAMINATION, "quayle_action", opens=(QUAYLE_REPLY,),
                   description="CTEQ: ex parte Quayle action (MPEP 714.14)"),
        transition("reply_to_quayle_action", "quayle_action", "response_filed", implied=True),
        transition("notice_of_allowance", (*EXAMINATION, "response_after_final", "appeal_brief_filed"),
                   "allowed", opens=(ISSUE_FEE,), implied=True),
        transition("corrected_notice_of_allowability", ("allowed", "issue_fee_paid"), None,
                   description="CNOA: does not restart the issue fee period"),
        transition("mail_corrected_notice_of_allowability", ("allowed", "issue_fee_paid"), None),
        transition("pay_issue_fee", "allowed", "issue_fee_paid", implied=True),
        transition("issue_patent", "issue_fee_paid", "patented", implied=True,
                   effect=lambda case, ctx: {"grant_date": ctx.on}, opens=(MAINTENANCE, TERM)),
        transition("pay_maintenance_fee", "patented", None, guard=_maintenance_guard, effect=_maintenance_paid,
                   opens=(MAINTENANCE,)),
        transition("expire_for_nonpayment", "patented", "expired", records_previous_state=True),
        transition("accept_delayed_maintenance_fee", "expired", "patented", ordinary=False,
                   description="Delayed maintenance fee accepted (37 CFR 1.378)"),
        transition("expire_term", "patented", "expired"),
        transition("abandon_for_failure_to_reply", PENDING, "abandoned", records_previous_state=True),
        transition("abandon_for_failure_to_pay_issue_fee", "allowed", "abandoned", records_previous_state=True),
        transition("express_abandonment", PENDING, "abandoned", records_previous_state=True),
        transition("revive", "abandoned", None, returns_to_previous_state=True, ordinary=False,
                   description="Petition to revive an unintentionally abandoned application (37 CFR 1.137)"),
    ],
)

# USPTO event code → action, for the codes met in the examination-action histories; extend it as
# new codes are met (the replay reports unknown codes). The rank orders same-day events: a
# disposal for RCE precedes the new action, an action precedes its mailing.
USPTO_EVENT_CODES: dict[str, tuple[str, int]] = {
    "ABN9": ("file_rce", 0),  # "Disposal for a RCE / CPA / R129"
    "N/AP": ("notice_of_appeal", 0),
    "CTRS": ("restriction_requirement", 1),
    "CTNF": ("non_final_rejection", 1),
    "MCTNF": ("mail_non_final_rejection", 2),
    "CTFR": ("final_rejection", 1),
    "MCTFR": ("mail_final_rejection", 2),
    "CTEQ": ("quayle_action", 1),
    "CNOA": ("corrected_notice_of_allowability", 1),
    "MCNOA": ("mail_corrected_notice_of_allowability", 2),
}



@dataclass(frozen=True)
class UsptoStatus:
    """One entry of the USPTO application-status vocabulary and the procedure states it denotes."""

    code: int
    text: str
    proceeding: str  # "application", "reexamination" or "supplemental_examination"
    states: frozenset[str]
    also: tuple[str, ...] = ()  # other spellings of the same status in USPTO data
    note: str = ""
    source: str = ""  # the id of the published source the code and text were transcribed from


# Any run of hyphens and Unicode dashes (U+2010-U+2015, U+2212), however spaced, is one separator.
_DASH_RUN = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")


def normalise_status(text: str) -> str:
    """The form status texts are compared in. USPTO data and its copies write one status several
    ways: padded or bare separators ("Abandoned  --  Failure", "Abandoned--Failure", "Abandoned -
    Failure", an en dash), varying case ("Failure To Pay"), surrounding quotes (CSV exports)."""
    text = " ".join(text.split()).strip("\"'“” ")
    return _DASH_RUN.sub(" - ", text).casefold()


class StatusVocabulary:
    """The USPTO status texts, as data (loaded by ``ipoffice.adapters.uspto_status``). Every state
    must be a state of ``procedure``; an unknown text gives None (reported, never guessed)."""

    def __init__(self, statuses: Iterable[UsptoStatus], procedure: Procedure = US_UTILITY) -> None:
        self.statuses = tuple(statuses)
        problems = [f"{s.code} {s.text!r}: unknown state(s) {sorted(s.states - set(procedure.states))}"
                    for s in self.statuses if not s.states or not s.states <= set(procedure.states)]
        codes = [s.code for s in self.statuses]
        problems += [f"code {c} listed twice" for c in sorted({c for c in codes if codes.count(c) > 1})]
        if problems:
            raise ValueError("USPTO status vocabulary: " + "; ".join(problems))
        self._by_text: dict[str, list[UsptoStatus]] = {}
        for status in self.statuses:
            for text in {normalise_status(t) for t in (status.text, *status.also)}:
                self._by_text.setdefault(text, []).append(status)

    def __len__(self) -> int:
        return len(self.statuses)

    def lookup(self, text: str, proceeding: str = "application") -> list[UsptoStatus]:
        """The entries with this text, those of ``proceeding`` first (a text several proceedings
        share, e.g. "Notice of Appeal Filed", means the status of the proceeding asked about)."""
        found = self._by_text.get(normalise_status(text), [])
        own = [s for s in found if s.proceeding == proceeding]
        return own or found

    def states_for(self, text: str, proceeding: str = "application") -> frozenset[str] | None:
        """The states the status text denotes, or None when the text is not in the vocabulary."""
        found = self.lookup(text, proceeding)
        return frozenset().union(*(s.states for s in found)) if found else None
