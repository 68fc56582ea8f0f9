from datetime import date

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.time_limits import OfficeCalendar, Period, add_months, add_period, due_date, nth_weekday


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # no 31 February: last day of the month (leap year)
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 3, 15), 4, date(2024, 7, 15)),  # same day-number
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 5, 31), -12, date(2023, 5, 31)),
    ],
)
def test_months_end_on_the_same_day_number_or_the_last_day_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_period_adds_years_months_then_days():
    assert add_period(date(2020, 2, 29), Period(years=1)) == date(2021, 2, 28)
    assert add_period(date(2024, 1, 5), Period(days=15)) == date(2024, 1, 20)
    assert add_period(date(2021, 3, 12), Period(years=3, months=6)) == date(2024, 9, 12)


def test_period_from_rules_data_names_the_field_on_error():
    assert Period.from_mapping({"months": 4}) == Period(months=4)
    with pytest.raises(InvalidField, match=r"time_limit.x: unknown period unit\(s\) \['weeks'\]"):
        Period.from_mapping({"weeks": 2}, "time_limit.x")
    with pytest.raises(InvalidField, match="time_limit.x.months: must be a non-negative integer"):
        Period.from_mapping({"months": "4"}, "time_limit.x")


def test_weekend_roll_over_without_holiday_data():
    calendar = OfficeCalendar()
    assert calendar.next_working_day(date(2024, 6, 8)) == date(2024, 6, 10)  # Saturday -> Monday
    assert due_date(date(2024, 3, 9), Period(months=3), calendar) == date(2024, 6, 10)


def test_cn_calendar_holidays_and_make_up_working_days():
    calendar = load_rules("cn").calendar
    # National Day 2024: 1-7 October closed; Sunday 29 September and Saturday 12 October are working days.
    assert calendar.next_working_day(date(2024, 10, 1)) == date(2024, 10, 8)
    assert calendar.is_working_day(date(2024, 9, 29))
    assert calendar.is_working_day(date(2024, 10, 12))
    # Spring Festival 2025: 28 January - 4 February.
    assert calendar.next_working_day(date(2025, 1, 28)) == date(2025, 2, 5)
    assert calendar.holiday_names[date(2023, 6, 22)] == "Dragon Boat Festival"
    assert {2023, 2024, 2025, 2026, 2027} <= calendar.covered_years


def test_us_federal_holidays_computed_by_rule():
    calendar = load_rules("us").calendar
    holidays_2023 = sorted(d for d in calendar.holidays if d.year == 2023)
    assert holidays_2023 == [
        date(2023, 1, 2),  # New Year's Day (Sunday) observed Monday
        date(2023, 1, 16), date(2023, 2, 20), date(2023, 5, 29), date(2023, 6, 19), date(2023, 7, 4),
        date(2023, 9, 4), date(2023, 10, 9), date(2023, 11, 10),  # Veterans Day (Saturday) observed Friday
        date(2023, 11, 23), date(2023, 12, 25),
    ]
    assert date(2021, 6, 18) in calendar.holidays  # first Juneteenth, a Saturday, observed Friday
    assert date(2020, 6, 19) not in calendar.holidays  # not a holiday before 2021
    assert date(2021, 12, 31) in calendar.holidays  # New Year's Day 2022 (Saturday) observed the Friday before
    assert date(2021, 1, 20) in calendar.holidays  # Inauguration Day (DC)
    assert date(2025, 1, 9) in calendar.holidays  # National Day of Mourning, USPTO closed
    assert nth_weekday(2000, 1, 0, 3) == date(2000, 1, 17) and date(2000, 1, 17) in calendar.holidays
    assert set(range(2000, 2028)) <= calendar.covered_years
