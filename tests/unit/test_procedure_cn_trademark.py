from datetime import date

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.domain.procedures.base import ActionRefused
from ipoffice.domain.procedures.cn_trademark import CN_TRADEMARK as P


@pytest.fixture(scope="module")
def rules():
    return load_rules("cn")


def published(rules):
    case = P.new_case()
    for action, on in [("file", date(2023, 1, 10)), ("accept_for_examination", date(2023, 2, 1)),
                       ("approve_preliminarily", date(2023, 9, 6))]:
        case, _ = P.apply(case, action, on, rules)
    return case


def test_unopposed_mark_is_registered_when_the_3_month_opposition_period_ends(rules):
    case = published(rules)
    period = case.time_limit("opposition_period")
    assert (period.due, period.reference) == (date(2023, 12, 6), "Trademark Law (2013) Art. 33")
    [event] = P.expire(case, date(2023, 12, 7), rules)
    assert (event.code, event.date) == ("register", date(2023, 12, 7))
    registered, _ = P.apply_all(case, [event], rules)
    assert registered.state == "registered"
    assert registered.facts["term_ends"] == date(2033, 12, 6)
    term = registered.time_limit("registration_term")
    assert (term.due, term.last_day_with_extensions) == (date(2033, 12, 6), date(2034, 6, 7))


def test_renewal_window_grace_period_and_cancellation(rules):
    case = published(rules)
    case, _ = P.apply_all(case, P.expire(case, date(2023, 12, 7), rules), rules)
    with pytest.raises(ActionRefused, match=r"renewal may be filed from 2032-12-06"):
        P.apply(case, "renew", date(2032, 12, 5), rules)
    renewed, _ = P.apply(case, "renew", date(2034, 3, 1), rules)  # in the 6-month grace period
    assert renewed.facts["term_ends"] == date(2043, 12, 6) and renewed.facts["renewals"] == 1
    assert renewed.time_limit("registration_term").due == date(2043, 12, 6)
    with pytest.raises(ActionRefused, match="grace period for renewal ended on 2034-06-06"):
        P.apply(case, "renew", date(2034, 6, 8), rules)
    [cancel] = P.expire(case, date(2034, 6, 9), rules)
    assert cancel.code == "cancel_for_non_renewal"
    assert P.apply_all(case, [cancel], rules)[0].state == "cancelled"


def test_opposition_and_refusal_paths(rules):
    opposed, _ = P.apply(published(rules), "file_opposition", date(2023, 11, 1), rules)
    assert opposed.state == "opposed" and opposed.open_time_limits == ()
    assert P.apply(opposed, "refuse_registration", date(2024, 6, 1), rules)[0].state == "finally_refused"
    case = P.new_case()
    for action, on in [("file", date(2023, 1, 10)), ("accept_for_examination", date(2023, 2, 1)),
                       ("refuse", date(2023, 9, 6))]:
        case, _ = P.apply(case, action, on, rules)
    assert case.time_limit("review_request").due == date(2023, 9, 21)
    reviewed, _ = P.apply(case, "request_review", date(2023, 9, 20), rules)
    assert P.apply(reviewed, "overturn_refusal", date(2024, 1, 5), rules)[0].state == "published_for_opposition"
