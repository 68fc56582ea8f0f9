"""Time-limit arithmetic: periods in years, months and days, and roll-over past non-working days.

The counting rules are those shared by the CN Implementing Regulations (Art. 5) and US practice
(35 U.S.C. 21(b), MPEP 710.01(a)): the day of the triggering event is not counted; a period in
months or years ends on the same day-number of the last month, or on the last day of that month
when it has no such day (31 January + 1 month = 28/29 February); a limit whose last day is not
a working day of the office ends on the next working day.

An extended limit is one longer period counted from the same start, rolled over once at its end:
a 4-month limit extended by 2 months ends 6 months after the start (then rolled over), never
2 months after the rolled-over end of the 4 months (CN Implementing Regulations Rule 6(4) with
Art. 5; US 37 CFR 1.136(a), MPEP 710.01(a): an extension runs from the end of the unextended
period as set, not from the next business day the roll-over gave). ``due_date(start, period +
Period(months=n), calendar)`` is therefore the last day with an extension of ``n`` months.

A period may also be counted in **working days** of the office (``Period(working_days=5)``: the fifth
working day after the start, the start day not counted; weekend make-up days (调休) count, public
holidays do not), as the CN measures on the administrative adjudication of patent disputes count
the office's own acts. Working days are counted after any years, months and days, and need the
office calendar: ``due_date`` counts them, ``add_period`` refuses them.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ipoffice.domain.errors import InvalidField

_SATURDAY, _SUNDAY = 5, 6
_UNITS = ("years", "months", "days", "working_days")


@dataclass(frozen=True)
class Period:
    """A legal period. Years and months are added first (calendar arithmetic), then days."""

    years: int = 0
    months: int = 0
    days: int = 0
    working_days: int = 0  # counted last, on the office calendar (see the module docstring)

    @classmethod
    def from_mapping(cls, value: object, field_name: str = "period") -> Period:
        """Build from rules data such as ``{"months": 4}``, ``{"years": 3}`` or ``{"working_days": 5}``."""
        if not isinstance(value, Mapping) or not value:
            raise InvalidField(field_name, value, "a period must be a mapping of years/months/days")
        unknown = set(value) - set(_UNITS)
        if unknown:
            raise InvalidField(field_name, value, f"unknown period unit(s) {sorted(unknown)}")
        parts: dict[str, int] = {}
        for unit in _UNITS:
            amount = value.get(unit, 0)
            if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
                raise InvalidField(f"{field_name}.{unit}", amount, "must be a non-negative integer")
            parts[unit] = amount
        return cls(**parts)

    def __add__(self, other: Period) -> Period:
        """The longer period (e.g. a period and its extension), both counted from the same start."""
        return Period(self.years + other.years, self.months + other.months, self.days + other.days,
                      self.working_days + other.working_days)

    def __str__(self) -> str:
        parts = [f"{n} {unit}" for n, unit in ((self.years, "years"), (self.months, "months"),
                                               (self.days, "days"), (self.working_days, "working days")) if n]
        return " ".join(parts) or "0 days"


def add_months(start: date, months: int) -> date:
    """Same day-number ``months`` later, or the last day of that month when it has no such day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def add_period(start: date, period: Period) -> date:
    """The last day of ``period`` counted from ``start`` (the start day itself is not counted).
    Raises ValueError for a period in working days, which needs the office calendar (``due_date``)."""
    if period.working_days:
        raise ValueError(f"a period of {period} needs the office calendar: count it with due_date")
    return add_months(start, 12 * period.years + period.months) + timedelta(days=period.days)


@dataclass(frozen=True)
class OfficeCalendar:
    """Working days of an office: weekends and public holidays are closed, except working weekend days
    declared by the government (the CN make-up working days, 调休)."""

    holidays: frozenset[date] = frozenset()
    working_weekend_days: frozenset[date] = frozenset()
    holiday_names: Mapping[date, str] = field(default_factory=dict)
    covered_years: frozenset[int] = frozenset()

    def is_working_day(self, day: date) -> bool:
        if day in self.working_weekend_days:
            return True
        return day.weekday() not in (_SATURDAY, _SUNDAY) and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """``day`` itself when the office is open, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def covers(self, day: date) -> bool:
        """Whether holiday data exist for the year of ``day`` (outside it only weekends are known)."""
        return day.year in self.covered_years

    def merged(self, other: OfficeCalendar) -> OfficeCalendar:
        return OfficeCalendar(
            holidays=self.holidays | other.holidays,
            working_weekend_days=self.working_weekend_days | other.working_weekend_days,
            holiday_names={**self.holiday_names, **other.holiday_names},
            covered_years=self.covered_years | other.covered_years,
        )


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` (1-based; -1 = last) ``weekday`` (0 = Monday) of a month."""
    days = [d for d in _days_of_month(year, month) if d.weekday() == weekday]
    return days[nth - 1] if nth > 0 else days[nth]


def _days_of_month(year: int, month: int) -> Iterable[date]:
    for day in range(1, calendar.monthrange(year, month)[1] + 1):
        yield date(year, month, day)


def observed(day: date) -> date:
    """US federal observance (5 U.S.C. 6103(b), E.O. 11582): Saturday → Friday, Sunday → Monday."""
    if day.weekday() == _SATURDAY:
        return day - timedelta(days=1)
    if day.weekday() == _SUNDAY:
        return day + timedelta(days=1)
    return day


def due_date(start: date, period: Period, calendar_: OfficeCalendar) -> date:
    """The last day to act: ``period`` from ``start``, rolled over to the next working day (a period in
    working days ends on its last working day, which needs no roll-over)."""
    calendar_days = replace(period, working_days=0)
    if period.working_days:
        return add_working_days(add_period(start, calendar_days), period.working_days, calendar_)
    return calendar_.next_working_day(add_period(start, calendar_days))


def add_working_days(start: date, count: int, calendar_: OfficeCalendar) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted; ``count`` ≥ 1)."""
    if count < 1:
        raise ValueError(f"count: expected at least 1 working day, got {count}")
    day = start
    for _ in range(count):
        day = calendar_.next_working_day(day + timedelta(days=1))
    return day
