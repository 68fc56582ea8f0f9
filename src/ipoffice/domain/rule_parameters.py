"""Which rule-book parameters the code reads, and what kind of value each one is.

The rules files (``ipoffice/rules/<jurisdiction>/*.yaml``) hold the law as data; this registry is
the other half of the contract: the parameters that the domain, the services and the entrypoints
look up in a ``RuleBook``, each with its **kind** and the modules that read it. The rules loader
(``ipoffice.adapters.rules_loader``) uses it to

- validate every dated value by its kind (a period, an amount, a by-year table, a reduction rate,
  a flag), so a typo in a law file is refused on load with the file, the parameter path, the value
  and what was expected, instead of surfacing as a wrong due date months later;
- refuse a parameter that no code reads, unless the file marks it ``informative: true`` (and then
  gives its ``kind``): a value nobody reads is documentation, and must say so;
- refuse, for the packaged rules, a registered parameter that no file defines.

How "read by code" is known: each entry names the modules that read it (``read_by``);
``tests/unit/test_rule_parameters.py`` parses those modules and proves that every registered name
appears in them, as a string literal or as the expansion of an f-string such as
``f"deemed_receipt.{service}"`` whose varying part (``"paper"``) is itself a literal there. So
every non-informative parameter of the files is read somewhere, and a new lookup in the code must
be registered here before its parameter can be added to a file.

Kinds and the values they accept (the YAML ``value`` of each dated entry):

==============  ==========================================================================
``period``      ``{years: Y, months: M, days: D, working_days: W}`` (at least one unit; whole numbers ≥ 0)
``amount``      ``{amount: 900, currency: CNY}`` (≥ 0, at most 2 decimals, the jurisdiction's currency)
``by_year``     ``{currency: CNY, by_year: [{from: 1, to: 3, amount: 900}, ...]}`` (bands from year 1,
                contiguous, no overlap)
``reduction``   ``{rate: 0.85, applies_to: [fee.invention.application, ...]}`` (the fraction of the
                fee waived, 0 < rate ≤ 1; each entry a fee parameter or a prefix of fee parameters)
``flag``        ``true`` / ``false``
==============  ==========================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    PERIOD = "period"
    AMOUNT = "amount"
    BY_YEAR = "by_year"
    REDUCTION = "reduction"
    FLAG = "flag"
    COUNT = "count"  # a whole number (e.g. the fewest comparable contracts of a royalty range)


@dataclass(frozen=True)
class ParameterUse:
    """A parameter the code reads: its kind, and the modules (dotted, under ``ipoffice``) reading it."""

    kind: Kind
    read_by: tuple[str, ...]


# The currency every amount of a jurisdiction's rules must be in.
CURRENCIES: Mapping[str, frozenset[str]] = {"cn": frozenset({"CNY"}), "us": frozenset({"USD"})}

# Plausibility bounds of a period, per unit: a larger number is a typo (e.g. ``months: 40`` for 4).
PERIOD_BOUNDS: Mapping[str, int] = {"years": 50, "months": 36, "days": 366, "working_days": 60}

_CN_PATENT = "domain.procedures._cn_patent"
_CN_INVENTION = "domain.procedures.cn_invention"
_CN_TRADEMARK = "domain.procedures.cn_trademark"
_CN_MADRID = "domain.procedures.cn_madrid_trademark"
_CN_DISPUTE = "domain.procedures.cn_patent_dispute"
_US_UTILITY = "domain.procedures.us_utility"
_FILING = "entrypoints.web.filing"  # the fee reductions offered on filing, per procedure
_FEES_DUE = "domain.fees_due"  # the fees a case owes
_RECORDALS = "domain.recordals"  # recordals on a granted right
_REDUCTIONS = ("domain.rules", _FILING)  # RuleBook.fee reads f"fee_reduction.{reduction}"


def _uses(kind: Kind, *read_by: str, names: tuple[str, ...]) -> dict[str, ParameterUse]:
    return {name: ParameterUse(kind, read_by) for name in names}


READ_BY_CODE: Mapping[str, Mapping[str, ParameterUse]] = {
    "cn": {
        **_uses(Kind.PERIOD, _CN_PATENT, "services.replay",
                names=("deemed_receipt.paper", "deemed_receipt.electronic")),
        **_uses(Kind.PERIOD, _CN_INVENTION, "domain.procedures.cn_utility_model",
                names=("time_limit.priority_invention",)),
        **_uses(Kind.PERIOD, "domain.procedures.cn_design", names=("time_limit.priority_design", "term.design")),
        **_uses(Kind.PERIOD, "domain.procedures.cn_utility_model", names=("term.utility_model",)),
        **_uses(Kind.PERIOD, _CN_INVENTION, names=(
            "time_limit.publication", "time_limit.request_examination",
            "time_limit.office_action_response_first", "time_limit.office_action_response_later",
            "time_limit.office_action_extension_max", "time_limit.office_action_later_extension_max",
            "term.invention",
        )),
        **_uses(Kind.PERIOD, _CN_PATENT, names=(
            "time_limit.formality_correction", "time_limit.formality_correction_extension_max",
            "time_limit.registration_formalities",
            "time_limit.reexamination_request", "time_limit.annuity_due", "time_limit.annuity_grace",
            "time_limit.restoration",
        )),
        **_uses(Kind.PERIOD, _CN_TRADEMARK, names=(
            "time_limit.trademark_opposition", "time_limit.trademark_review_of_refusal",
            "time_limit.trademark_renewal_window", "time_limit.trademark_renewal_grace",
            "time_limit.trademark_term_with_grace", "term.trademark",
            "time_limit.trademark_opposition_reply", "time_limit.trademark_opposition_decision",
            "time_limit.trademark_opposition_decision_max", "time_limit.trademark_opposition_review",
            "time_limit.trademark_non_use", "time_limit.trademark_use_evidence",
            "time_limit.trademark_non_use_decision", "time_limit.trademark_non_use_decision_max",
        )),
        **_uses(Kind.PERIOD, _CN_MADRID, names=(
            "time_limit.madrid_refusal_period", "time_limit.madrid_opposition", "term.madrid",
            "time_limit.madrid_term_with_grace",
        )),
        "time_limit.trademark_review_of_refusal": ParameterUse(Kind.PERIOD, (_CN_TRADEMARK, _CN_MADRID)),
        **_uses(Kind.PERIOD, "domain.procedures.cn_fast_track", names=(
            "time_limit.fast_track_response.invention", "time_limit.fast_track_response.utility_model",
            "time_limit.fast_track_response.design")),
        **_uses(Kind.PERIOD, _CN_DISPUTE, names=(
            "time_limit.adjudication_acceptance", "time_limit.adjudication_service", "time_limit.adjudication_defence",
            "notice_period.adjudication_hearing", "time_limit.adjudication_decision",
            "time_limit.adjudication_decision_extension_max", "time_limit.adjudication_suit",
        )),
        **_uses(Kind.FLAG, _CN_DISPUTE, names=("suspension.adjudication_on_invalidation",
                                               "suspension.adjudication_time_not_counted")),
        **_uses(Kind.AMOUNT, _CN_INVENTION, names=("fee.invention.registration",)),
        **_uses(Kind.BY_YEAR, _CN_INVENTION, names=("fee.invention.annuity",)),
        **_uses(Kind.BY_YEAR, _FEES_DUE, names=("fee.utility_model.annuity", "fee.design.annuity")),
        **_uses(Kind.AMOUNT, _FEES_DUE, names=("fee.invention.examination", "fee.priority_claim")),
        **_uses(Kind.AMOUNT, _FEES_DUE, names=(
            "fee.invention.application", "fee.invention.publication_printing", "fee.utility_model.application",
            "fee.design.application", "fee.trademark.application",
        )),
        **_uses(Kind.REDUCTION, *_REDUCTIONS, names=("fee_reduction.single_applicant",
                                                     "fee_reduction.joint_applicants")),
        # Recordals on a granted right (issue #16)
        **_uses(Kind.FLAG, _RECORDALS, names=(
            "recordal.open_licence_system", "recordal.rule.pledgee_consent", "recordal.rule.co_owners_agree",
            "recordal.rule.right_in_force", "recordal.rule.open_licence_exclusive",
        )),
        **_uses(Kind.PERIOD, _RECORDALS, names=("time_limit.licence_contract_recordal",
                                                "time_limit.pledge_examination")),
        **_uses(Kind.AMOUNT, _RECORDALS, names=(
            "fee.recordal.change_of_patentee", "fee.recordal.licence_contract", "fee.recordal.pledge",
            "fee.recordal.open_licence",
        )),
        **_uses(Kind.REDUCTION, "domain.annual_fees", names=("fee_reduction.open_licence",)),
        **_uses(Kind.COUNT, "services.marketplace", names=("royalty_guidance.min_comparables",)),
    },
    "us": {
        **_uses(Kind.PERIOD, _US_UTILITY, names=(
            "time_limit.response_ssp", "time_limit.response_statutory_max", "time_limit.restriction_ssp",
            "time_limit.quayle_ssp", "time_limit.appeal_brief", "time_limit.appeal_brief_max",
            "time_limit.issue_fee", "time_limit.maintenance_first", "time_limit.maintenance_second",
            "time_limit.maintenance_third", "time_limit.maintenance_first_with_grace",
            "time_limit.maintenance_second_with_grace", "time_limit.maintenance_third_with_grace",
            "term.utility",
        )),
        **_uses(Kind.PERIOD, "domain.value_indicators", names=("term.utility_before_1995", "term.design")),
        **_uses(Kind.AMOUNT, _FEES_DUE, names=("fee.utility.basic_filing", "fee.utility.search",
                                             "fee.utility.examination")),
        **_uses(Kind.REDUCTION, *_REDUCTIONS, names=("fee_reduction.small_entity", "fee_reduction.micro_entity")),
    },
}


def parameter_use(jurisdiction: str, name: str) -> ParameterUse | None:
    """How the code reads parameter ``name`` of ``jurisdiction``, or None when no code reads it."""
    return READ_BY_CODE.get(jurisdiction, {}).get(name)
