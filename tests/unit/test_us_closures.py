"""USPTO closures (issue #13 case 1): every day the Office was officially closed for the entire day
is a "Federal holiday within the District of Columbia" (35 U.S.C. 21(b), MPEP 510), so a limit
ending on it ends on the next day the Office is open."""

from datetime import date, timedelta

import pytest
import yaml

from ipoffice.adapters.rules_loader import load_rules, rules_directory
from ipoffice.domain.time_limits import Period, add_period
from ipoffice.services.replay import due_dates, replay_history


@pytest.fixture(scope="module")
def us():
    return load_rules("us")


@pytest.mark.parametrize(("mailed", "nominal", "due"), [
    (date(2001, 6, 11), date(2001, 9, 11), date(2001, 9, 12)),  # 11 September 2001
    (date(2018, 9, 24), date(2018, 12, 24), date(2018, 12, 26)),  # E.O. 13854, then Christmas
    (date(2025, 9, 24), date(2025, 12, 24), date(2025, 12, 29)),  # 24, 25, 26 Dec 2025, weekend
    (date(2025, 9, 26), date(2025, 12, 26), date(2025, 12, 29)),
    (date(2003, 6, 18), date(2003, 9, 18), date(2003, 9, 22)),  # Hurricane Isabel, Thu + Fri
    (date(2009, 11, 8), date(2010, 2, 8), date(2010, 2, 12)),  # February 2010 snow (8-11 Feb)
    (date(2012, 7, 29), date(2012, 10, 29), date(2012, 10, 31)),  # Hurricane Sandy
    (date(2015, 9, 22), date(2015, 12, 22), date(2015, 12, 28)),  # USPTO outage 22-24 Dec, Christmas, weekend
    (date(2004, 3, 11), date(2004, 6, 11), date(2004, 6, 14)),  # Reagan, a Friday
    (date(2006, 10, 2), date(2007, 1, 2), date(2007, 1, 3)),  # Ford
    (date(2018, 9, 5), date(2018, 12, 5), date(2018, 12, 6)),  # G.H.W. Bush
    (date(2012, 12, 6), date(2013, 3, 6), date(2013, 3, 7)),  # snow, USPTO notice (emergency page)
    (date(2013, 9, 10), date(2013, 12, 10), date(2013, 12, 11)),  # snow, USPTO notice
    (date(2014, 12, 5), date(2015, 3, 5), date(2015, 3, 6)),  # snow, 1445 OG item 17
    (date(2017, 12, 2), date(2018, 3, 2), date(2018, 3, 5)),  # high winds (a Friday), 1469 OG item 21
    (date(2017, 12, 21), date(2018, 3, 21), date(2018, 3, 22)),  # snow, 1505 OG item 27
    (date(2003, 11, 18), date(2004, 2, 18), date(2004, 2, 18)),  # an ordinary Wednesday stays due
])
def test_a_limit_ending_on_a_closure_day_ends_on_the_next_open_day(us, mailed, nominal, due):
    deadline = us.deadline("time_limit.response_ssp", mailed)
    assert (deadline.nominal, deadline.due) == (nominal, due)
    answer = due_dates(us, "non_final_rejection", mailed)
    assert (answer["nominal_last_day"], answer["due"]) == (nominal.isoformat(), due.isoformat())
    assert answer.get("rolled_over_because", "none") != "weekend"
    assert "calendar_not_covered" not in answer


@pytest.mark.parametrize(("mailed", "years"), [
    (date(1995, 10, 12), "1996"),  # 12 Jan 1996 was a closure (1183 OG 60): no data, so it must be said
    (date(1986, 10, 26), "1987"),
    (date(2027, 11, 1), "2028"),
])
def test_a_date_outside_the_calendar_data_is_flagged_not_silently_computed(us, mailed, years):
    answer = due_dates(us, "non_final_rejection", mailed)
    assert years in answer["calendar_not_covered"] and "2000-2027" in answer["calendar_not_covered"]


def test_cn_dates_outside_the_cn_calendar_are_flagged_too():
    cn = load_rules("cn")
    last = max(cn.calendar.covered_years)
    answer = due_dates(cn, "office_action_first", date(last + 2, 3, 1))
    assert str(last + 2) in answer["calendar_not_covered"]
    inside = due_dates(cn, "office_action_first", date(last - 1, 3, 1))
    assert "calendar_not_covered" not in inside


def test_every_closure_is_a_weekday_with_a_source_and_within_the_covered_years(us):
    document = yaml.safe_load(rules_directory("us").joinpath("calendar.yaml").read_text("utf-8"))
    closures = document["calendar"]["extra_closures"]
    assert len(closures) >= 30
    days = [date.fromisoformat(str(c["date"])) for c in closures]
    assert len(set(days)) == len(days), "a closure is listed twice"
    assert days == sorted(days)
    for closure, day in zip(closures, days, strict=True):
        assert day.weekday() < 5, f"{day} is a weekend day: not a closure to record"
        assert len(closure["reference"]) > 20 and ("[checked" in closure["reference"]
                                                   or "[unchecked]" in closure["reference"]), closure
        assert day in us.calendar.holidays and us.calendar.covers(day)
        assert us.calendar.holiday_names[day] == closure["name"]


def test_federal_holidays_by_their_statutory_rules(us):
    holidays = us.calendar.holidays
    # Inauguration Day (5 U.S.C. 6103(c)): 20 January every fourth year, Sunday -> Monday, never Saturday -> Friday.
    assert {date(2001, 1, 20), date(2005, 1, 20), date(2009, 1, 20), date(2017, 1, 20), date(2021, 1, 20),
            date(2025, 1, 20)} <= holidays
    assert date(2013, 1, 21) in holidays and date(2013, 1, 20).weekday() == 6
    assert date(2001, 1, 19) not in holidays  # 20 January 2001 was a Saturday: no observed day
    # Juneteenth from 2021 (Pub. L. 117-17): 2022 on a Sunday -> Monday 20 June.
    assert {date(2021, 6, 18), date(2022, 6, 20), date(2023, 6, 19), date(2027, 6, 18)} <= holidays
    # Thanksgiving is the fourth Thursday, Memorial Day the last Monday, in every covered year.
    for year in range(2000, 2028):
        thursdays = [date(year, 11, d) for d in range(1, 31) if date(year, 11, d).weekday() == 3]
        mondays = [date(year, 5, d) for d in range(1, 32) if date(year, 5, d).weekday() == 0]
        assert thursdays[3] in holidays and mondays[-1] in holidays


def test_replay_of_histories_ending_in_closures_gives_the_right_response_due(us):
    """Invented histories (same shape as PEDS records) mailed 3 months before a closure."""
    records = [
        {"application_number": "90000001", "filing_date": "2017-05-02", "status": "Non Final Action Mailed",
         "prosecution_events": [{"code": "MCTNF", "date": "2018-09-24"}, {"code": "CTNF", "date": "2018-09-21"}]},
        {"application_number": "90000002", "filing_date": "2022-05-02", "status": "Non Final Action Mailed",
         "prosecution_events": [{"code": "MCTNF", "date": "2025-09-26"}, {"code": "CTNF", "date": "2025-09-24"}]},
        {"application_number": "90000003", "filing_date": "2000-05-02", "status": "Non Final Action Mailed",
         "prosecution_events": [{"code": "MCTNF", "date": "2001-06-11"}, {"code": "CTNF", "date": "2001-06-08"}]},
    ]
    due = {r.application_number: [d["response_due"] for d in r.deadlines if d["event"] == "MCTNF"]
           for r in (replay_history(record, us) for record in records)}
    assert due == {"90000001": ["2018-12-26"], "90000002": ["2025-12-29"], "90000003": ["2001-09-12"]}


def test_no_day_rolls_over_onto_a_closure(us):
    """For every start day 2000-2027 the due day is a day the Office is open, on or after the nominal day."""
    day = date(2000, 1, 1)
    while day < date(2027, 9, 1):
        nominal = add_period(day, Period(months=3))
        due = us.deadline("time_limit.response_ssp", day).due
        assert due >= nominal and us.calendar.is_working_day(due)
        assert all(not us.calendar.is_working_day(nominal + timedelta(days=n)) for n in range((due - nominal).days))
        day += timedelta(days=1)
