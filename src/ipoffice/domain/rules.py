"""The rule book: parameters of the law as dated values (OpenFisca-style).

Each parameter (a time limit, a term of protection, a fee, a deemed-receipt rule) is a list of
values, each with the date it entered into force and the article of law it comes from. A law
revision is a new dated value, never an edit of the old one, so an event is always judged by the
rule in force on its own date::

    rules.value("term.design", on=date(2021, 5, 31)).value      # {"years": 10}
    rules.value("term.design", on=date(2021, 6, 1)).reference   # "Patent Law (2020) Art. 42"
    rules.period("time_limit.office_action_response_first", on=d)  # Period(months=4)
    rules.fee("fee.invention.application", on=d, reduction="single_applicant")

Parameter names are dotted paths (``<group>.<name>``); the loader in
``ipoffice.adapters.rules_loader`` builds a RuleBook from ``ipoffice/rules/<jurisdiction>/*.yaml``,
checking each value by the kind the code reads it as (``ipoffice.domain.rule_parameters``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ipoffice.domain.errors import DomainError, InvalidField
from ipoffice.domain.time_limits import OfficeCalendar, Period, add_period, due_date


class RuleNotInForce(DomainError):
    """No value of a parameter was in force on the date asked (or the parameter is unknown)."""

    def __init__(self, name: str, on: date, detail: str) -> None:
        self.name = name
        self.on = on
        super().__init__(f"rule {name!r} on {on.isoformat()}: {detail}")


@dataclass(frozen=True)
class DatedValue:
    """One value of a parameter, in force from ``effective_from`` until the next value (or ``until``)."""

    effective_from: date
    value: object
    reference: str
    until: date | None = None  # exclusive; None = until superseded
    link: str | None = None  # URL of the text of the reference (http/https)
    last_reviewed: date | None = None  # the day someone last checked the value against that text


@dataclass(frozen=True)
class Fee:
    amount: Decimal
    currency: str
    reference: str
    reduction: str | None = None  # the reduction applied, if any

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


@dataclass(frozen=True)
class Deadline:
    """A computed time limit: the plain last day, and the day after non-working-day roll-over."""

    start: date
    period: Period
    nominal: date
    due: date
    reference: str
    extension: Period = Period()  # counted with ``period`` from ``start``; nominal and due include it


class RuleBook:
    """Dated parameters and the office calendar of one jurisdiction. Immutable."""

    def __init__(
        self,
        jurisdiction: str,
        parameters: Mapping[str, Sequence[DatedValue]],
        calendar: OfficeCalendar,
    ) -> None:
        self.jurisdiction = jurisdiction
        self.calendar = calendar
        self._parameters: dict[str, tuple[DatedValue, ...]] = {}
        for name, values in parameters.items():
            ordered = tuple(sorted(values, key=lambda v: v.effective_from))
            if not ordered:
                raise InvalidField(name, values, "a parameter needs at least one dated value")
            dates = [v.effective_from for v in ordered]
            if len(set(dates)) != len(dates):
                raise InvalidField(name, dates, "two values take effect on the same date")
            self._parameters[name] = ordered

    @property
    def names(self) -> list[str]:
        return sorted(self._parameters)

    def history(self, name: str) -> tuple[DatedValue, ...]:
        """Every value of a parameter, oldest first."""
        try:
            return self._parameters[name]
        except KeyError:
            raise RuleNotInForce(name, date.min, "no such parameter") from None

    def value(self, name: str, on: date) -> DatedValue:
        """The value of ``name`` in force on ``on``, with its legal reference."""
        if name not in self._parameters:
            raise RuleNotInForce(name, on, f"no such parameter in the {self.jurisdiction} rules")
        in_force = [v for v in self._parameters[name] if v.effective_from <= on]
        if not in_force:
            first = self._parameters[name][0].effective_from
            raise RuleNotInForce(name, on, f"first value takes effect on {first.isoformat()}")
        current = in_force[-1]
        if current.until is not None and on >= current.until:
            raise RuleNotInForce(name, on, f"repealed from {current.until.isoformat()}")
        return current

    def period(self, name: str, on: date) -> Period:
        return Period.from_mapping(self.value(name, on).value, name)

    def deadline(
        self, name: str, start: date, rule_date: date | None = None, extension: Period | None = None
    ) -> Deadline:
        """The time limit ``name`` counted from ``start``, under the rule in force on ``rule_date``
        (default: ``start``), rolled over past non-working days. With ``extension`` the extended
        limit: period + extension counted from ``start``, rolled over once at its end."""
        dated = self.value(name, rule_date or start)
        period = Period.from_mapping(dated.value, name)
        extra = extension or Period()
        due = due_date(start, period + extra, self.calendar)
        return Deadline(
            start=start,
            period=period,
            # A period in working days has no calendar-day end of its own: it ends on its last working day.
            nominal=due if (period + extra).working_days else add_period(start, period + extra),
            due=due,
            reference=dated.reference,
            extension=extra,
        )

    def fee(self, name: str, on: date, reduction: str | None = None, year: int | None = None) -> Fee:
        """The fee ``name`` in force on ``on``; with ``reduction`` (e.g. ``single_applicant``,
        ``small_entity``) the reduction rate in force that day is applied when the fee is eligible.
        Fees graduated by year (annuities, ``by_year``) need the ``year`` of the right."""
        dated = self.value(name, on)
        raw = dated.value
        if not isinstance(raw, Mapping) or "currency" not in raw:
            raise InvalidField(name, raw, "a fee must have a 'currency'")
        amount = Decimal(str(self._amount(name, raw, year)))
        if reduction is None:
            return Fee(amount, str(raw["currency"]), dated.reference)
        rule = self.value(f"fee_reduction.{reduction}", on)
        terms = rule.value
        if not isinstance(terms, Mapping) or "rate" not in terms:
            raise InvalidField(f"fee_reduction.{reduction}", terms, "needs a 'rate'")
        eligible = terms.get("applies_to", [])
        if not isinstance(eligible, Sequence) or not any(
            name == prefix or name.startswith(f"{prefix}.") for prefix in eligible if isinstance(prefix, str)
        ):
            return Fee(amount, str(raw["currency"]), dated.reference)
        rate = Decimal(str(terms["rate"]))
        reduced = (amount * (Decimal(1) - rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return Fee(reduced, str(raw["currency"]), f"{dated.reference}; {rule.reference}", reduction)

    @staticmethod
    def _amount(name: str, raw: Mapping[Any, Any], year: int | None) -> object:
        if "amount" in raw:
            return raw["amount"]
        bands = raw.get("by_year")
        if not isinstance(bands, Sequence):
            raise InvalidField(name, raw, "a fee needs 'amount' or 'by_year'")
        if year is None:
            raise InvalidField(f"{name}.year", year, "this fee is graduated by year; give the year")
        for band in bands:
            if isinstance(band, Mapping) and band.get("from", 0) <= year <= band.get("to", -1):
                return band["amount"]
        raise InvalidField(f"{name}.year", year, "no fee for this year of the right")

