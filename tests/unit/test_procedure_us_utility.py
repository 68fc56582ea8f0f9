from datetime import date

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.adapters.uspto_status import load_status_vocabulary
from ipoffice.domain.procedures.base import ActionNotAllowed
from ipoffice.domain.procedures.us_utility import US_UTILITY as P


@pytest.fixture(scope="module")
def rules():
    return load_rules("us")


def run(rules, steps, case=None):
    case = case or P.new_case()
    for action, on in steps:
        case, _ = P.apply(case, action, on, rules)
    return case


def test_non_final_rejection_reply_period_runs_from_mailing(rules):
    case = run(rules, [("file", date(2023, 1, 23)), ("non_final_rejection", date(2023, 9, 25))])
    assert case.open_time_limits == ()  # not mailed yet
    case = run(rules, [("mail_non_final_rejection", date(2023, 9, 28))], case)
    limit = case.time_limit("reply_to_non_final_rejection")
    assert (limit.due, limit.last_day_with_extensions) == (date(2023, 12, 28), date(2024, 3, 28))
    assert limit.reference == "37 CFR 1.134; MPEP 710.02(b)"
    # Abandonment only once the extendable period (6 months, 35 U.S.C. 133) is over.
    assert P.expire(case, date(2024, 3, 28), rules) == []
    [abandon] = P.expire(case, date(2024, 3, 30), rules)
    assert (abandon.code, abandon.date) == ("abandon_for_failure_to_reply", date(2024, 3, 29))
    abandoned, _ = P.apply_all(case, [abandon], rules)
    assert abandoned.state == "abandoned"
    revived, _ = P.apply(abandoned, "revive", date(2024, 6, 1), rules)
    assert revived.state == "non_final_rejection"


def test_final_rejection_rce_allowance_issue_fee_and_patent(rules):
    case = run(rules, [
        ("file", date(2023, 1, 23)), ("non_final_rejection", date(2023, 9, 25)),
        ("mail_non_final_rejection", date(2023, 9, 28)), ("reply", date(2023, 12, 1)),
        ("final_rejection", date(2024, 4, 1)), ("mail_final_rejection", date(2024, 4, 5)),
    ])
    final = case.time_limit("reply_to_final_rejection")
    assert (final.due, final.last_day_with_extensions) == (date(2024, 7, 5), date(2024, 10, 7))
    after_final = run(rules, [("reply_after_final", date(2024, 6, 1))], case)
    assert after_final.time_limit("reply_to_final_rejection") is not None  # an after-final reply does not stop it
    case = run(rules, [("file_rce", date(2024, 7, 1)), ("notice_of_allowance", date(2024, 11, 1))], case)
    assert case.state == "allowed"
    issue_fee = case.time_limit("issue_fee")
    assert (issue_fee.due, issue_fee.last_day_with_extensions) == (date(2025, 2, 3), None)  # not extendable
    case = run(rules, [("corrected_notice_of_allowability", date(2024, 12, 1)), ("pay_issue_fee", date(2025, 1, 15)),
                       ("issue_patent", date(2025, 3, 4))], case)
    assert case.state == "patented"
    assert case.time_limit("term").due == date(2043, 1, 22)
    assert case.time_limit("maintenance_fee").last_day_with_extensions == date(2029, 3, 5)
    paid, _ = P.apply(case, "pay_maintenance_fee", date(2028, 6, 1), rules)
    assert paid.time_limit("maintenance_fee").last_day_with_extensions == date(2033, 3, 4)


def test_unpaid_issue_fee_abandons(rules):
    case = run(rules, [("file", date(2023, 1, 23)), ("notice_of_allowance", date(2024, 11, 1))])
    [event] = P.expire(case, date(2025, 2, 4), rules)
    assert event.code == "abandon_for_failure_to_pay_issue_fee" and event.date == date(2025, 2, 4)


def test_restriction_and_quayle_periods_are_two_months(rules):
    case = run(rules, [("file", date(2023, 1, 23)), ("restriction_requirement", date(2023, 6, 6))])
    assert case.time_limit("reply_to_restriction").due == date(2023, 8, 7)  # 6 August is a Sunday
    quayle = run(rules, [("file", date(2023, 1, 23)), ("quayle_action", date(2024, 5, 2))])
    assert quayle.time_limit("reply_to_quayle_action").due == date(2024, 7, 2)


def test_appeal_brief_due_two_months_after_notice_of_appeal(rules):
    case = run(rules, [("file", date(2021, 3, 12)), ("final_rejection", date(2023, 5, 4)),
                       ("mail_final_rejection", date(2023, 5, 9)), ("notice_of_appeal", date(2023, 11, 8))])
    brief = case.time_limit("appeal_brief")
    assert (brief.due, brief.last_day_with_extensions) == (date(2024, 1, 8), date(2024, 6, 10))
    assert case.time_limit("reply_to_final_rejection") is None


def test_refusal_names_state_and_allowed_actions(rules):
    case = run(rules, [("file", date(2023, 1, 23)), ("non_final_rejection", date(2023, 9, 25))])
    with pytest.raises(ActionNotAllowed, match=(
        r"'pay_issue_fee' is not allowed in state 'non_final_rejection'; allowed actions: "
        r"abandon_for_failure_to_reply, express_abandonment, extension_of_time, mail_non_final_rejection, "
        r"notice_of_appeal, reply")):
        P.apply(case, "pay_issue_fee", date(2023, 10, 1), rules)


def test_implied_steps_bridge_a_partial_history():
    assert [t.action for t in P.implied_path("restriction_required", "final_rejection")] == ["reply_to_restriction"]
    assert [t.action for t in P.implied_path("non_final_rejection", "corrected_notice_of_allowability")] == [
        "reply", "notice_of_allowance"]
    assert P.implied_path("patented", "non_final_rejection") is None


def test_status_text_mapping_is_explicit():
    states_for = load_status_vocabulary().states_for
    assert states_for("Abandoned  --  Failure to Respond to an Office Action") == {"abandoned"}
    assert states_for("Non Final Action Mailed") == {"non_final_rejection", "restriction_required"}
    assert states_for("Some New Status") is None
    assert "abandoned" not in P.reachable_states("patented")
    assert P.reachable_states("abandoned") == {"abandoned"}  # revival is an extraordinary remedy
