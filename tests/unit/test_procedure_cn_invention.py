from datetime import date
from decimal import Decimal

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.domain.procedures.base import ActionNotAllowed, ActionRefused
from ipoffice.domain.procedures.cn_invention import CN_INVENTION as P
from ipoffice.domain.procedures.cn_invention import registration_fees


@pytest.fixture(scope="module")
def rules():
    return load_rules("cn")


def run(rules, steps, case=None):
    case = case or P.new_case()
    for action, on, *payload in steps:
        case, _ = P.apply(case, action, on, rules, payload[0] if payload else None)
    return case


def test_filing_checks_priority_against_the_12_month_limit(rules):
    with pytest.raises(ActionRefused, match=r"priority date 2023-02-28 is more than 12 months before the filing "
                                            r"date 2024-03-01 \(last day 2024-02-28; Patent Law Art. 29\)"):
        P.apply(P.new_case(), "file", date(2024, 3, 1), rules, {"priority_dates": ["2023-02-28"]})
    case = run(rules, [("file", date(2024, 3, 1), {"priority_dates": ["2023-03-01"]})])
    assert case.state == "filed" and case.facts["earliest_priority_date"] == date(2023, 3, 1)


def test_publication_18_months_from_priority_unless_early_publication_requested(rules):
    case = run(rules, [("file", date(2023, 3, 1), {"priority_dates": ["2022-06-01"]}),
                       ("pass_formality_examination", date(2023, 5, 20))])
    assert case.facts["publication_due"] == date(2023, 12, 1)
    with pytest.raises(ActionRefused, match="publication is due on 2023-12-01"):
        P.apply(case, "publish", date(2023, 11, 1), rules)
    early = run(rules, [("request_early_publication", date(2023, 6, 1)), ("publish", date(2023, 8, 1))], case)
    assert early.state == "published"
    assert run(rules, [("publish", date(2023, 12, 1))], case).state == "published"


def test_examination_request_limit_3_years_from_priority_rolled_over_holiday(rules):
    case = run(rules, [("file", date(2023, 3, 1), {"priority_dates": ["2022-06-01"]})])
    limit = case.time_limit("request_examination")
    # 2025-06-01 is a Sunday and 2 June the Dragon Boat Festival holiday.
    assert (limit.due, limit.consequence, limit.reference) == (date(2025, 6, 3), "deem_withdrawn",
                                                               "Patent Law Art. 35")


def test_missing_examination_request_deems_withdrawn_with_notice_then_restoration(rules):
    case = run(rules, [("file", date(2021, 1, 4)), ("pass_formality_examination", date(2021, 3, 1)),
                       ("publish", date(2022, 7, 4))])
    with pytest.raises(ActionRefused, match="substantive examination has not been requested"):
        P.apply(case, "start_substantive_examination", date(2022, 8, 1), rules)
    assert P.expire(case, date(2024, 1, 4), rules) == []  # the last day itself is still in time
    [event] = P.expire(case, date(2024, 1, 6), rules)
    assert (event.code, event.date) == ("deem_withdrawn", date(2024, 1, 5))
    assert "'request_examination' (Patent Law Art. 35)" in str(event.payload["notice"])
    withdrawn, _ = P.apply_all(case, [event], rules)
    assert withdrawn.state == "deemed_withdrawn" and withdrawn.open_time_limits[0].name == "restoration"
    # Restoration: 2 months from deemed receipt (notice sent 2024-01-05: 15 days, old rule) = 2024-03-20.
    assert withdrawn.time_limit("restoration").due == date(2024, 3, 20)
    with pytest.raises(ActionRefused, match="time limit for requesting restoration"):
        P.apply(withdrawn, "restore", date(2024, 3, 21), rules)
    restored, _ = P.apply(withdrawn, "restore", date(2024, 3, 1), rules)
    assert restored.state == "published"


def test_same_office_action_before_and_after_the_2024_01_20_revision(rules):
    base = run(rules, [("file", date(2021, 1, 4)), ("request_substantive_examination", date(2021, 1, 4)),
                       ("pass_formality_examination", date(2021, 3, 1)), ("publish", date(2022, 7, 4)),
                       ("start_substantive_examination", date(2023, 1, 1))])
    before = run(rules, [("office_action", date(2024, 1, 19))], base).time_limit("office_action_response")
    after = run(rules, [("office_action", date(2024, 1, 20))], base).time_limit("office_action_response")
    paper = run(rules, [("office_action", date(2024, 1, 20), {"service": "paper"})], base)
    assert (before.start, before.due) == (date(2024, 2, 3), date(2024, 6, 3))  # received 15 days after dispatch
    assert (after.start, after.due) == (date(2024, 1, 20), date(2024, 5, 20))  # received the same day
    assert paper.time_limit("office_action_response").due == date(2024, 6, 4)
    assert after.reference == "Guidelines for Patent Examination Part V Ch. 7 s. 1.2"


def test_full_invention_procedure_to_grant_lapse_restoration_and_invalidation(rules):
    case = run(rules, [
        ("file", date(2023, 3, 1), {"priority_dates": ["2022-06-01"]}),
        ("request_substantive_examination", date(2023, 5, 10)),
        ("pass_formality_examination", date(2023, 5, 20)),
        ("publish", date(2023, 12, 1)),
        ("start_substantive_examination", date(2024, 2, 1)),
        ("office_action", date(2024, 3, 1)),
    ])
    assert case.state == "awaiting_response" and case.time_limit("request_examination") is None
    first = case.time_limit("office_action_response")
    assert (first.due, first.last_day_with_extensions) == (date(2024, 7, 1), date(2024, 9, 2))
    case = run(rules, [("respond", date(2024, 6, 20)), ("office_action", date(2024, 8, 1))], case)
    later = case.time_limit("office_action_response")
    assert later.due == date(2024, 10, 8)  # 2 months; 1 October falls in the National Day holiday
    # Extensions count from the deemed receipt (1 August), not from the rolled-over 8 October:
    # 2 + 2 months = 1 December (a Sunday) -> 2 December, the maximum itself.
    with pytest.raises(ActionRefused, match="goes beyond the maximum 2024-12-02"):
        P.apply(case, "request_extension", date(2024, 9, 15), rules, {"months": 3})
    assert P.apply(case, "request_extension", date(2024, 9, 15), rules, {"months": 2})[0].time_limit(
        "office_action_response").due == date(2024, 12, 2)
    case = run(rules, [("request_extension", date(2024, 9, 15), {"months": 1})], case)
    assert case.time_limit("office_action_response").due == date(2024, 11, 1)  # 2 + 1 months, a Friday
    case = run(rules, [("respond", date(2024, 10, 20)), ("notify_grant", date(2024, 12, 2))], case)
    # Registration within 2 months: 2025-02-02 falls in the Spring Festival holiday (to 4 February).
    assert case.time_limit("registration_formalities").due == date(2025, 2, 5)
    fees = registration_fees(case, date(2025, 1, 10), rules, reduction="single_applicant")
    assert [f.amount for f in fees] == [Decimal(0), Decimal("135.00")]  # year-2 annuity 900 at 15%
    case = run(rules, [("complete_registration", date(2025, 1, 10)), ("announce_grant", date(2025, 2, 14))], case)
    assert case.state == "granted" and case.facts["term_ends"] == date(2043, 2, 28)
    assert case.time_limit("term").due == date(2043, 2, 28)
    annuity = case.time_limit("annuity")
    assert (annuity.start, annuity.due, annuity.last_day_with_extensions) == (
        date(2025, 3, 1), date(2025, 3, 3), date(2025, 9, 1))
    assert P.expire(case, date(2025, 9, 1), rules) == []  # grace period with surcharge still running
    [lapse] = P.expire(case, date(2025, 9, 3), rules)
    assert (lapse.code, lapse.date) == ("lapse", date(2025, 9, 2))
    lapsed, _ = P.apply_all(case, [lapse], rules)
    assert lapsed.state == "lapsed" and lapsed.time_limit("restoration").due == date(2025, 11, 3)
    restored, _ = P.apply(lapsed, "restore_patent", date(2025, 10, 1), rules)
    assert restored.state == "granted" and restored.time_limit("annuity").start == date(2026, 3, 1)
    paid, _ = P.apply(restored, "pay_annuity", date(2026, 2, 1), rules)
    assert paid.time_limit("annuity").start == date(2027, 3, 1)
    invalid = run(rules, [("request_invalidation", date(2026, 5, 1)), ("declare_invalid", date(2026, 12, 1))], paid)
    assert invalid.state == "invalidated" and invalid.open_time_limits == ()


def test_rejection_becomes_final_without_reexamination_request(rules):
    case = run(rules, [("file", date(2023, 3, 1)), ("request_substantive_examination", date(2023, 3, 1)),
                       ("pass_formality_examination", date(2023, 4, 1)), ("request_early_publication",
                                                                           date(2023, 4, 2)),
                       ("publish", date(2023, 5, 1)), ("start_substantive_examination", date(2023, 6, 1)),
                       ("reject", date(2024, 2, 1))])
    assert case.time_limit("reexamination_request").due == date(2024, 5, 6)  # 1 May + 3 months; 1-5 May closed
    [final] = P.expire(case, date(2024, 6, 1), rules)
    assert P.apply_all(case, [final], rules)[0].state == "finally_rejected"
    reexam = run(rules, [("request_reexamination", date(2024, 3, 1)), ("revoke_rejection", date(2024, 9, 1))], case)
    assert reexam.state == "under_examination"


def test_registration_not_completed_abandons_the_right(rules):
    case = run(rules, [("file", date(2023, 3, 1)), ("request_substantive_examination", date(2023, 3, 1)),
                       ("pass_formality_examination", date(2023, 4, 1)), ("publish", date(2024, 9, 2)),
                       ("start_substantive_examination", date(2024, 10, 1)), ("notify_grant", date(2025, 3, 3))])
    [event] = P.expire(case, date(2025, 6, 1), rules)
    assert event.code == "deem_right_abandoned"
    abandoned, _ = P.apply_all(case, [event], rules)
    assert abandoned.state == "right_abandoned"
    with pytest.raises(ActionNotAllowed, match="allowed actions: restore_right"):
        P.apply(abandoned, "announce_grant", date(2025, 6, 2), rules)
