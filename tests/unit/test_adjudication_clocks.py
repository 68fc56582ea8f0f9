"""The clocks of the administrative adjudication of patent disputes, hand-computed on the CN office calendar.

Each row was counted by hand on the State Council's holiday notices (``rules/cn/calendar.yaml``): working days
skip weekends and public holidays but count the make-up working days (调休) on weekends; a period in calendar
days ending on a non-working day ends on the next working day. The rows cover Spring Festival and National Day
2025/2026 and their make-up days, and the 2015 measures (before 2025-02-01) next to the 2025 ones.
"""

from __future__ import annotations

from datetime import date

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.procedures.cn_patent_dispute import clocks_from_request, earliest_hearing
from ipoffice.domain.time_limits import OfficeCalendar, Period, add_period, add_working_days, due_date

RULES = load_rules("cn")
D = date.fromisoformat

CASES = [
    # rule, start (the act the clock runs from), due, why
    ("time_limit.adjudication_acceptance", "2025-11-03", "2025-11-10", "an ordinary week: Tue-Fri, Mon"),
    ("time_limit.adjudication_acceptance", "2025-09-26", "2025-10-10",
     "Sun 09-28 make-up (1), 09-29, 09-30, National Day 10-01..08, 10-09, 10-10"),
    ("time_limit.adjudication_acceptance", "2025-09-30", "2025-10-14", "10-09, 10-10, Sat 10-11 make-up, 10-13, 10-14"),
    ("time_limit.adjudication_acceptance", "2025-01-24", "2025-02-07",
     "Sun 01-26 make-up, 01-27, Spring Festival 01-28..02-04, 02-05..02-07"),
    ("time_limit.adjudication_acceptance", "2026-02-11", "2026-02-25",
     "02-12, 02-13, Sat 02-14 make-up, Spring Festival 02-15..23, 02-24, 02-25"),
    ("time_limit.adjudication_acceptance", "2026-02-27", "2026-03-05", "Sat 02-28 make-up, 03-02..03-05"),
    ("time_limit.adjudication_acceptance", "2026-09-30", "2026-10-13",
     "National Day 10-01..07, 10-08, 10-09, Sat 10-10 make-up, 10-12, 10-13"),
    ("time_limit.adjudication_acceptance", "2026-10-03", "2026-10-13", "received on a holiday: counted from it"),
    ("time_limit.adjudication_acceptance", "2024-02-08", "2024-02-21",
     "2015 measures: 02-09, Spring Festival 02-10..17, Sun 02-18 make-up, 02-19..02-21"),
    ("time_limit.adjudication_service", "2025-10-10", "2025-10-16", "Sat 10-11 make-up, 10-13..10-16"),
    ("time_limit.adjudication_defence", "2025-10-15", "2025-10-30", "15 days, a Thursday"),
    ("time_limit.adjudication_defence", "2026-01-30", "2026-02-14", "ends on Sat 02-14, a make-up working day"),
    ("time_limit.adjudication_defence", "2025-09-16", "2025-10-09", "10-01 in National Day: next working day"),
    ("time_limit.adjudication_defence", "2026-02-05", "2026-02-24", "02-20 in Spring Festival: next working day"),
    ("time_limit.adjudication_decision", "2025-10-10", "2026-01-12", "2026-01-10 is a Saturday"),
    ("time_limit.adjudication_decision", "2025-07-01", "2025-10-09", "10-01 in National Day"),
    ("time_limit.adjudication_decision", "2025-11-17", "2026-02-24", "02-17 in Spring Festival"),
    ("time_limit.adjudication_decision", "2025-11-30", "2026-02-28",
     "no 30 February: 02-28, a Saturday but a make-up working day"),
    ("time_limit.adjudication_decision_extension_max", "2025-10-10", "2026-02-10", "4 months, a Tuesday"),
    ("time_limit.adjudication_decision_extension_max", "2025-10-22", "2026-02-24", "02-22 in Spring Festival"),
    ("time_limit.adjudication_suit", "2026-02-12", "2026-02-27", "15 days, a Friday"),
    ("time_limit.adjudication_suit", "2025-09-23", "2025-10-09", "10-08 in National Day"),
    ("time_limit.adjudication_suit", "2026-09-15", "2026-09-30", "a Wednesday, the eve of National Day"),
]


@pytest.mark.parametrize(("rule", "start", "due", "why"), CASES, ids=[f"{c[0].split('.')[-1]}-{c[1]}" for c in CASES])
def test_clock_table(rule: str, start: str, due: str, why: str) -> None:
    assert RULES.deadline(rule, D(start)).due == D(due), why


@pytest.mark.parametrize(("notice", "earliest", "why"), [
    ("2025-11-10", "2025-11-17", "5 days end on Sat 11-15: the hearing is on a working day"),
    ("2026-09-22", "2026-09-28", "09-27 in the Mid-Autumn Festival"),
    ("2025-09-23", "2025-09-28", "Sun 09-28 is a make-up working day"),
    ("2024-09-26", "2024-09-30", "2015 measures, 3 working days: 09-27, Sun 09-29 make-up, 09-30"),
])
def test_earliest_hearing(notice: str, earliest: str, why: str) -> None:
    assert earliest_hearing(D(notice), RULES) == D(earliest), why


def test_clocks_from_a_request_follow_each_other() -> None:
    clocks = {c.name: (c.start, c.due) for c in clocks_from_request(RULES, D("2025-09-26"))}
    assert clocks == {
        "acceptance": (D("2025-09-26"), D("2025-10-10")),
        "service": (D("2025-10-10"), D("2025-10-16")),
        "defence": (D("2025-10-16"), D("2025-10-31")),
        "decision": (D("2025-10-10"), D("2026-01-12")),
        "decision_with_extension": (D("2025-10-10"), D("2026-02-10")),
        "suit": (D("2026-01-12"), D("2026-01-27")),
        "suit_after_extended_decision": (D("2026-02-10"), D("2026-02-25")),
    }


def test_working_days_arithmetic_and_its_refusals() -> None:
    week = OfficeCalendar()
    assert add_working_days(D("2026-11-27"), 1, week) == D("2026-11-30")  # Friday → Monday
    assert due_date(D("2026-11-27"), Period(working_days=5), week) == D("2026-12-04")
    assert due_date(D("2026-11-27"), Period(days=1, working_days=1), week) == D("2026-11-30")
    assert str(Period(working_days=5)) == "5 working days"
    assert Period.from_mapping({"working_days": 5}) == Period(working_days=5)
    with pytest.raises(ValueError, match="needs the office calendar"):
        add_period(D("2026-11-27"), Period(working_days=5))
    with pytest.raises(ValueError, match="at least 1 working day"):
        add_working_days(D("2026-11-27"), 0, week)
    with pytest.raises(InvalidField, match="weeks"):
        Period.from_mapping({"weeks": 1})
