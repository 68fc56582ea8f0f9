"""The annual-fee schedule of a granted right: each year of the right from the year of grant to the end of the
term, its due date, the amount in force on that day and the reductions applied.

- The annuity of the year of grant is paid with the registration formalities (Implementing Regulations
  Rule 97 (2010 numbering)); each later one falls due on the anniversary of the filing date
  (``time_limit.annuity_due``, Rule 98), as the procedure's ``annuity`` time limit counts it.
- Reductions: the patentee's fee reduction claimed on filing (``fee_reduction.single_applicant`` /
  ``joint_applicants``, Caishui [2016] No. 78) and, for a fee falling due while an open licence is in force,
  ``fee_reduction.open_licence`` (Patent Law (2020) Art. 51(2); 15% from 2024-07-15, Caishui [2024] No. 23
  item 2). They do not combine: when several apply, the most favourable one is applied (Caishui [2024] No. 23
  item 2: 可以选择适用最优惠的政策，但不得重复享受), the patentee's on a tie. Amounts are rounded half up to
  the cent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ipoffice.domain.procedures._cn_patent import patent_year
from ipoffice.domain.procedures.base import Case
from ipoffice.domain.rules import RuleBook, RuleNotInForce
from ipoffice.domain.time_limits import add_months

OPEN_LICENCE_REDUCTION = "fee_reduction.open_licence"
ANNUITY_DUE = "time_limit.annuity_due"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class AppliedReduction:
    name: str  # e.g. single_applicant, open_licence
    rate: Decimal  # the fraction waived
    reference: str


@dataclass(frozen=True)
class AnnualFee:
    year: int
    due: date
    base_amount: Decimal
    amount: Decimal
    currency: str
    reductions: tuple[AppliedReduction, ...]
    paid: bool
    reference: str

    def as_dict(self) -> dict[str, object]:
        return {"year": self.year, "due": self.due.isoformat(), "amount": str(self.amount),
                "currency": self.currency, "base_amount": str(self.base_amount), "paid": self.paid,
                "reductions": [{"name": r.name, "rate": str(r.rate), "reference": r.reference}
                               for r in self.reductions],
                "reference": self.reference}


def _reduction(rules: RuleBook, name: str, fee: str, on: date) -> AppliedReduction | None:
    """The reduction ``fee_reduction.<name>`` in force on ``on`` if ``fee`` is eligible for it."""
    try:
        dated = rules.value(f"fee_reduction.{name}", on)
    except RuleNotInForce:
        return None
    terms = dated.value
    if not isinstance(terms, dict) or "rate" not in terms:
        return None
    eligible = terms.get("applies_to", [])
    if not isinstance(eligible, Sequence) or not any(
            isinstance(prefix, str) and (fee == prefix or fee.startswith(f"{prefix}.")) for prefix in eligible):
        return None
    return AppliedReduction(name, Decimal(str(terms["rate"])), dated.reference)


def schedule(case: Case, rules: RuleBook, fee: str, *, patentee_reduction: str | None,
             open_licence_on: Callable[[date], bool]) -> list[AnnualFee]:
    """The annual fees of a granted right (``case`` of a CN patent procedure with ``grant_date`` and
    ``term_ends``): years from the grant year to the last year of the term; ``open_licence_on(day)`` tells
    whether an open licence is in force that day. Empty when the right was never granted."""
    filing, grant, term_ends = (case.date_fact(n) for n in ("filing_date", "grant_date", "term_ends"))
    if filing is None or grant is None or term_ends is None:
        return []
    registration = case.date_fact("registration_date") or grant
    first = patent_year(case, registration)
    paid_through = case.facts.get("annuities_paid_through", 0)
    out: list[AnnualFee] = []
    for year in range(first, patent_year(case, term_ends) + 1):
        due = registration if year == first else rules.deadline(ANNUITY_DUE, add_months(filing, 12 * (year - 1))).due
        base = rules.fee(fee, due, year=year)
        amount = base.amount
        names = ([patentee_reduction] if patentee_reduction else []) + (
            ["open_licence"] if open_licence_on(due) else [])
        eligible = [found for name in names if (found := _reduction(rules, name, fee, due)) is not None]
        best = max(eligible, key=lambda r: r.rate, default=None)  # the first listed wins a tie
        if best is not None:
            amount = (amount * (Decimal(1) - best.rate)).quantize(CENT, rounding=ROUND_HALF_UP)
        applied = () if best is None else (best,)
        out.append(AnnualFee(year, due, base.amount, amount, base.currency, applied,
                             isinstance(paid_through, int) and year <= paid_through, base.reference))
    return out
