from datetime import date

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.domain.procedures.base import ActionRefused
from ipoffice.domain.procedures.cn_design import CN_DESIGN as P


@pytest.fixture(scope="module")
def rules():
    return load_rules("cn")


def granted(rules, filed: date):
    case = P.new_case()
    for action, on in [("file", filed), ("notify_grant", date(2022, 3, 1)), ("complete_registration",
                                                                           date(2022, 3, 20)),
                       ("announce_grant", date(2022, 4, 15))]:
        case, _ = P.apply(case, action, on, rules)
    return case


def test_design_term_10_years_before_2021_06_01_and_15_years_from_it(rules):
    old = granted(rules, date(2021, 5, 31))
    new = granted(rules, date(2021, 6, 1))
    assert old.facts["term_ends"] == date(2031, 5, 30)
    assert new.facts["term_ends"] == date(2036, 5, 31)
    assert old.time_limit("term").reference == "Patent Law (1992) Art. 42"
    assert new.time_limit("term").reference == "Patent Law (2020) Art. 42"
    # Both were granted on the same day: the term follows the law in force on the filing date.
    assert (old.time_limit("term").due, new.time_limit("term").due) == (date(2031, 5, 30), date(2036, 5, 31))
    # Without annuities the design lapses long before: year-2 annuity due 2022-06-01, grace to 2022-12-01.
    [lapse, *_] = P.expire(new, date(2036, 6, 1), rules)
    assert (lapse.code, lapse.date) == ("lapse", date(2022, 12, 2))


def test_design_priority_period_is_6_months(rules):
    with pytest.raises(ActionRefused, match="more than 6 months before the filing date 2021-06-02"):
        P.apply(P.new_case(), "file", date(2021, 6, 2), rules, {"priority_dates": ["2020-12-01"]})
    case, _ = P.apply(P.new_case(), "file", date(2021, 6, 1), rules, {"priority_dates": ["2020-12-01"]})
    assert case.state == "filed"


def test_design_formality_deficiency_not_corrected_deems_withdrawn(rules):
    case, _ = P.apply(P.new_case(), "file", date(2024, 2, 1), rules)
    case, _ = P.apply(case, "notify_formality_deficiency", date(2024, 3, 1), rules, {"service": "paper"})
    limit = case.time_limit("formality_correction")
    assert (limit.start, limit.due) == (date(2024, 3, 16), date(2024, 5, 16))
    [event] = P.expire(case, date(2024, 5, 17), rules)
    assert P.apply_all(case, [event], rules)[0].state == "deemed_withdrawn"
    corrected, _ = P.apply(case, "submit_correction", date(2024, 4, 1), rules)
    assert corrected.state == "filed" and corrected.open_time_limits == ()
