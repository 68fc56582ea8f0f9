"""The fees a case owes: on filing (application fees, one priority-claim fee per priority claimed), with the
request for substantive examination, with the registration formalities (the grant-year annuity) and each
annuity of the right in force — each with its amount in force on the day and its legal reference, less
what the case file records as paid (``pay_fee`` records, ``ipoffice.domain.case_file``).

Legal sources: CN Patent fee schedule (NDRC/MOF) and Implementing Regulations (2010 numbering) Rule 93
(application fee within 2 months of filing; examination fee with the request for examination; priority
claim fee with the claim), Rule 97 (registration: the grant-year annuity, and the registration fee where
collected; unpaid, the registration formalities are deemed not done); US 37 CFR 1.16 (filing, search and
examination fees).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ipoffice.domain.procedures import cn_invention
from ipoffice.domain.procedures.base import Case, Reason
from ipoffice.domain.procedures.cn_fast_track import ordinary_procedure
from ipoffice.domain.rules import Fee, RuleBook

# Fees due with the application, per procedure.
FILING_FEES: Mapping[str, tuple[str, ...]] = {
    "cn_invention": ("fee.invention.application", "fee.invention.publication_printing"),
    "cn_utility_model": ("fee.utility_model.application",),
    "cn_design": ("fee.design.application",),
    "cn_trademark": ("fee.trademark.application",),
    "us_utility": ("fee.utility.basic_filing", "fee.utility.search", "fee.utility.examination"),
}
# One fee per priority claimed, per jurisdiction (IR Rule 93(1) (2010); the US charges none on filing).
PRIORITY_CLAIM_FEE: Mapping[str, str] = {"CN": "fee.priority_claim"}
# Fee due with the request for substantive examination (IR Rule 93(2) (2010)).
EXAMINATION_FEE: Mapping[str, str] = {"cn_invention": "fee.invention.examination"}
# Annuities, and the fees due with the registration formalities ((fee, year) on a day), by procedure.
ANNUITY_FEE: Mapping[str, str] = {"cn_invention": cn_invention.ANNUITY_FEE}
# The annual fee of a granted CN right by its type, whatever procedure granted it (ordinary or fast track):
# the annual-fee schedule of a right (issue #16).
ANNUAL_FEE_OF_RIGHT: Mapping[str, str] = {"invention": cn_invention.ANNUITY_FEE,
                                          "utility_model": "fee.utility_model.annuity",
                                          "design": "fee.design.annuity"}
REGISTRATION_FEES: Mapping[str, Callable[[Case, date], list[tuple[str, int | None]]]] = {
    "cn_invention": cn_invention.registration_fee_names}
REGISTRATION_RULE = "Implementing Regulations Rule 97 (2010 numbering): the registration fee and the " \
                    "grant-year annuity are paid with the registration formalities"
IN_FORCE = frozenset({"granted", "invalidation_pending"})


@dataclass(frozen=True)
class FeeDue:
    """A fee the case owes: ``fee`` is the amount in force (``times`` over: per Nice class, per priority)
    with its reference; ``year`` the year of the right for an annuity; ``paid`` whether it is recorded."""

    name: str
    fee: Fee
    year: int | None = None
    times: int = 1
    paid: bool = False

    @property
    def amount(self) -> Decimal:
        return self.fee.amount * self.times


def _paid_keys(paid: Iterable[Mapping[str, object]]) -> set[tuple[str, int | None]]:
    keys: set[tuple[str, int | None]] = set()
    for p in paid:
        year = p.get("year")
        keys.add((str(p.get("fee")), year if isinstance(year, int) else None))
    return keys


def fees_due(procedure: str, jurisdiction: str, case: Case, rules: RuleBook, on: date, *,
             filing: Mapping[str, object], paid: Iterable[Mapping[str, object]] = ()) -> list[FeeDue]:
    """Every fee the case owes by now (state and facts of ``case``), with the amounts in force on ``on`` and
    the filing's fee reduction; ``paid`` are the payment records (``fees_paid``): a fee paid is marked. A
    fast-track case owes the fees of its ordinary procedure."""
    procedure = ordinary_procedure(procedure)
    reduction = str(filing.get("fee_reduction") or "") or None
    priorities = filing.get("priority_dates") or []
    classes = filing.get("nice_classes")
    per_class = len(classes) if isinstance(classes, list) and classes else 1
    wanted: list[tuple[str, int | None, int]] = [
        (name, None, per_class if name.endswith(".application") and procedure.endswith("trademark") else 1)
        for name in FILING_FEES.get(procedure, ())
    ]
    if isinstance(priorities, list | tuple) and priorities and jurisdiction in PRIORITY_CLAIM_FEE:
        wanted.append((PRIORITY_CLAIM_FEE[jurisdiction], None, len(priorities)))
    if case.facts.get("examination_requested") and procedure in EXAMINATION_FEE:
        wanted.append((EXAMINATION_FEE[procedure], None, 1))
    if procedure in ANNUITY_FEE and case.date_fact("filing_date") is not None:
        if case.state == "grant_notified":
            wanted += [(name, year, 1) for name, year in registration_fees(procedure, case, on)]
        elif case.state in IN_FORCE:
            paid_through = case.facts.get("annuities_paid_through", 0)
            wanted.append((ANNUITY_FEE[procedure], int(paid_through) + 1 if isinstance(paid_through, int) else 1,
                           1))
    done = _paid_keys(paid)
    due = []
    for name, year, times in wanted:
        if name not in rules.names:
            continue
        fee = rules.fee(name, on, reduction=reduction, year=year)
        due.append(FeeDue(name, fee, year, times, (name, year) in done))
    return due


def registration_fees(procedure: str, case: Case, on: date) -> list[tuple[str, int | None]]:
    """(fee, year) due with the registration formalities on ``on`` (IR Rule 97 (2010 numbering))."""
    names = REGISTRATION_FEES.get(ordinary_procedure(procedure))
    return [] if names is None else names(case, on)


def unpaid_before(action: str, procedure: str, jurisdiction: str, case: Case, rules: RuleBook, on: date, *,
                  filing: Mapping[str, object], paid: Iterable[Mapping[str, object]]) -> Reason | None:
    """Why ``action`` must wait for a payment (None: nothing unpaid): ``complete_registration`` needs the
    fees of the registration formalities with an amount recorded as paid (IR Rule 97 (2010 numbering))."""
    procedure = ordinary_procedure(procedure)
    if action != "complete_registration" or procedure not in REGISTRATION_FEES:
        return None
    keys = set(registration_fees(procedure, case, on))
    missing = [d for d in fees_due(procedure, jurisdiction, case, rules, on, filing=filing, paid=paid)
               if (d.name, d.year) in keys and not d.paid and d.amount > 0]
    if not missing:
        return None
    listed = ", ".join(f"{d.name}{f' (year {d.year})' if d.year else ''} {d.amount} {d.fee.currency}"
                       for d in missing)
    return Reason(f"unpaid: {listed} ({REGISTRATION_RULE})", "registration_unpaid", fees=[d.name for d in missing],
                  rule=REGISTRATION_RULE)
