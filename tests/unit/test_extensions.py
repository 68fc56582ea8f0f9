"""Extensions of time limits (issue #13 case 9): an extended limit is the period plus the months of
extension counted from the original start, rolled over to a working day once, at the end. The
procedures (CN request_extension, US extension_of_time), the ``due`` service and the overdue job
must all give that day."""

from datetime import date, timedelta

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.domain.procedures.base import ActionRefused
from ipoffice.domain.procedures.cn_design import CN_DESIGN
from ipoffice.domain.procedures.cn_invention import CN_INVENTION as CN
from ipoffice.domain.procedures.cn_utility_model import CN_UTILITY_MODEL
from ipoffice.domain.procedures.us_utility import US_UTILITY as US
from ipoffice.domain.time_limits import OfficeCalendar, Period, add_months, add_period, due_date
from ipoffice.services.replay import due_dates


@pytest.fixture(scope="module")
def cn():
    return load_rules("cn")


@pytest.fixture(scope="module")
def us():
    return load_rules("us")


@pytest.mark.parametrize(("start", "period", "extension", "expected"), [
    (date(2023, 1, 31), Period(months=1), Period(months=1), date(2023, 3, 31)),  # not 28 Feb + 1 = 28 Mar
    (date(2024, 1, 31), Period(months=1), Period(months=1), date(2024, 4, 1)),  # 31 Mar 2024 is a Sunday
    (date(2023, 11, 30), Period(months=3), Period(months=1), date(2024, 4, 1)),  # 30 Mar (Sat), not 29 Feb + 1 month
    (date(2024, 10, 15), Period(months=4), Period(months=2), date(2025, 4, 15)),  # 15 Feb 2025 is a Saturday
    (date(2023, 8, 31), Period(months=2), Period(months=3), date(2024, 1, 31)),
    (date(2023, 2, 28), Period(years=1), Period(months=0), date(2024, 2, 28)),
])
def test_extension_counts_from_the_start_and_rolls_over_once(start, period, extension, expected):
    weekends_only = OfficeCalendar()
    assert due_date(start, period + extension, weekends_only) == expected
    # The wrong way: months added to the rolled-over end of the unextended period.
    wrong = weekends_only.next_working_day(add_months(due_date(start, period, weekends_only),
                                                      extension.months))
    if (start, extension) == (date(2023, 1, 31), Period(months=1)):
        assert wrong == date(2023, 3, 28) != expected


def test_extended_limit_ending_on_a_holiday_rolls_over_past_it():
    christmas = OfficeCalendar(holidays=frozenset({date(2025, 12, 24), date(2025, 12, 25), date(2025, 12, 26)}))
    assert due_date(date(2025, 9, 24), Period(months=2) + Period(months=1), christmas) == date(2025, 12, 29)


def test_rulebook_deadline_with_extension_is_the_longer_period_from_the_same_start(cn):
    plain = cn.deadline("time_limit.office_action_response_first", date(2024, 10, 15))
    extended = cn.deadline("time_limit.office_action_response_first", date(2024, 10, 15),
                           extension=Period(months=2))
    assert (plain.nominal, plain.due) == (date(2025, 2, 15), date(2025, 2, 17))
    assert (extended.nominal, extended.due, extended.extension) == (date(2025, 4, 15), date(2025, 4, 15),
                                                                    Period(months=2))
    assert extended.period == plain.period == Period(months=4)


def _cn_case_with_office_action(cn, dispatched, service="electronic", later=False):
    case = CN.new_case()
    filed = date(2020, 1, 6)
    for action, on in [("file", filed), ("request_substantive_examination", filed),
                       ("pass_formality_examination", filed), ("request_early_publication", filed),
                       ("publish", filed), ("start_substantive_examination", filed)]:
        case, _ = CN.apply(case, action, on, cn)
    if later:
        case, _ = CN.apply(case, "office_action", filed, cn)
        case, _ = CN.apply(case, "respond", filed, cn)
    case, _ = CN.apply(case, "office_action", dispatched, cn, {"service": service})
    return case


def test_issue_13_case_9_cn_two_month_extension_is_allowed(cn):
    case = _cn_case_with_office_action(cn, date(2024, 10, 15))
    limit = case.time_limit("office_action_response")
    assert (limit.due, limit.last_day_with_extensions) == (date(2025, 2, 17), date(2025, 4, 15))
    extended, _ = CN.apply(case, "request_extension", date(2025, 2, 10), cn, {"months": 2})
    assert extended.time_limit("office_action_response").due == date(2025, 4, 15)
    # The overdue job: nothing on the last day, deemed withdrawn from the day after.
    assert CN.expire(extended, date(2025, 4, 15), cn) == []
    [withdrawn] = CN.expire(extended, date(2025, 4, 16), cn)
    assert (withdrawn.code, withdrawn.date, withdrawn.payload["due"]) == ("deem_withdrawn", date(2025, 4, 16),
                                                                           "2025-04-15")
    answer = due_dates(cn, "office_action_first", date(2024, 10, 15), extension_months=2)
    assert (answer["due"], answer["extended_due"], answer["with_extension"]) == (
        "2025-02-17", "2025-04-15", {"1": "2025-03-17", "2": "2025-04-15"})


def test_cn_extensions_accumulate_from_the_deemed_receipt(cn):
    case = _cn_case_with_office_action(cn, date(2024, 10, 15))
    case, _ = CN.apply(case, "request_extension", date(2025, 2, 10), cn, {"months": 1})
    assert case.time_limit("office_action_response").due == date(2025, 3, 17)  # 15 March is a Saturday
    case, _ = CN.apply(case, "request_extension", date(2025, 3, 10), cn, {"months": 1})
    assert case.time_limit("office_action_response").due == date(2025, 4, 15)
    with pytest.raises(ActionRefused, match="goes beyond the maximum 2025-04-15"):
        CN.apply(case, "request_extension", date(2025, 3, 20), cn, {"months": 1})


def test_cn_extension_requested_after_the_limit_is_refused(cn):
    case = _cn_case_with_office_action(cn, date(2024, 10, 15))
    with pytest.raises(ActionRefused, match="after the limit ended on 2025-02-17"):
        CN.apply(case, "request_extension", date(2025, 2, 18), cn, {"months": 1})


@pytest.mark.parametrize("later", [False, True])
@pytest.mark.parametrize("service", ["electronic", "paper"])
def test_cn_procedure_due_service_and_arithmetic_agree_for_every_day(cn, later, service):
    """Every dispatch day of 2023-2025 (month ends, leap day, Spring Festival and National Day ends):
    procedure, ``due`` and plain arithmetic give the same extended last day, never past the maximum."""
    first = date(2023, 1, 1)
    event = "office_action_later" if later else "office_action_first"
    months = 2 if later else 4
    for offset in range(0, 3 * 365, 1 if service == "electronic" else 7):
        dispatched = first + timedelta(days=offset)
        case = _cn_case_with_office_action(cn, dispatched, service, later)
        limit = case.time_limit("office_action_response")
        answer = due_dates(cn, event, dispatched, service)
        assert answer["due"] == limit.due.isoformat()
        for extra in (1, 2):
            expected = cn.calendar.next_working_day(add_period(limit.start, Period(months=months + extra)))
            extended, _ = CN.apply(case, "request_extension", dispatched, cn, {"months": extra})
            assert extended.time_limit("office_action_response").due == expected, (dispatched, extra)
            assert answer["with_extension"][str(extra)] == expected.isoformat(), (dispatched, extra)
        assert answer["with_extension"]["2"] == answer["last_day_with_extensions"]


def _us_mailed_non_final(us, mailed):
    case = US.new_case()
    case, _ = US.apply(case, "file", date(2000, 3, 1), us)
    case, _ = US.apply(case, "non_final_rejection", mailed, us)
    case, _ = US.apply(case, "mail_non_final_rejection", mailed, us)
    return case


def test_us_extension_of_time_counts_from_the_mailing_date(us):
    # 31 January + 3 months = 30 April 2021 (no 31 April), a Friday; + 6 months = Saturday 31 July -> 2 August.
    case = _us_mailed_non_final(us, date(2021, 1, 31))
    limit = case.time_limit("reply_to_non_final_rejection")
    assert (limit.due, limit.last_day_with_extensions) == (date(2021, 4, 30), date(2021, 8, 2))
    extended, _ = US.apply(case, "extension_of_time", date(2021, 5, 20), us, {"months": 1})
    # 31 January + 4 months = 31 May 2021, Memorial Day -> 1 June (not 30 April + 1 month = 30 May).
    assert extended.time_limit("reply_to_non_final_rejection").due == date(2021, 6, 1)
    assert due_dates(us, "non_final_rejection", date(2021, 1, 31))["with_extension"] == {
        "1": "2021-06-01", "2": "2021-06-30", "3": "2021-08-02"}
    with pytest.raises(ActionRefused, match="an extension of 1 month"):
        US.apply(case, "extension_of_time", date(2021, 6, 2), us, {"months": 1})
    with pytest.raises(ActionRefused, match="goes beyond the maximum 2021-08-02"):
        US.apply(case, "extension_of_time", date(2021, 6, 2), us, {"months": 4})
    assert US.expire(extended, date(2021, 8, 2), us) == []  # the statutory maximum still runs


def test_us_extension_after_a_rolled_over_ssp(us):
    # Mailed 2025-09-24: 3 months end on 2025-12-24 (closed), 25 (Christmas), 26 (closed) -> 29 December.
    case = _us_mailed_non_final(us, date(2025, 9, 24))
    assert case.time_limit("reply_to_non_final_rejection").due == date(2025, 12, 29)
    extended, _ = US.apply(case, "extension_of_time", date(2026, 1, 5), us, {"months": 1})
    # 24 September + 4 months = 24 January 2026, a Saturday -> Monday 26 January (not 29 January).
    assert extended.time_limit("reply_to_non_final_rejection").due == date(2026, 1, 26)


# Variant of #13 case 9 written for this project: the correction period of a formality notice is a
# designated limit too (IR Rule 6(4)), extended the same way, in every CN patent procedure.
@pytest.mark.parametrize("proc", [CN, CN_UTILITY_MODEL, CN_DESIGN], ids=["invention", "utility_model", "design"])
def test_cn_formality_correction_period_is_extended_from_the_deemed_receipt(cn, proc):
    case, _ = proc.apply(proc.new_case(), "file", date(2024, 9, 2), cn)
    case, _ = proc.apply(case, "notify_formality_deficiency", date(2024, 10, 15), cn, {"service": "electronic"})
    limit = case.time_limit("formality_correction")
    assert (limit.due, limit.last_day_with_extensions) == (date(2024, 12, 16), date(2025, 2, 17))
    extended, _ = proc.apply(case, "request_extension", date(2024, 12, 16), cn, {"months": 2})
    assert extended.time_limit("formality_correction").due == date(2025, 2, 17)  # 15 Feb 2025 is a Saturday
    assert proc.expire(extended, date(2025, 2, 17), cn) == []
    assert [e.code for e in proc.expire(extended, date(2025, 2, 18), cn)] == ["deem_withdrawn"]
    with pytest.raises(ActionRefused, match="beyond the maximum 2025-02-17"):
        proc.apply(extended, "request_extension", date(2025, 1, 10), cn, {"months": 1})
    answer = due_dates(cn, "formality_correction", date(2024, 10, 15), extension_months=2)
    assert (answer["due"], answer["extended_due"]) == ("2024-12-16", "2025-02-17")
