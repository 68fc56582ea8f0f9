from datetime import date

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.domain.procedures.base import ActionNotAllowed
from ipoffice.domain.procedures.cn_utility_model import CN_UTILITY_MODEL as P


@pytest.fixture(scope="module")
def rules():
    return load_rules("cn")


def test_utility_model_is_granted_after_formality_examination_only_with_a_10_year_term(rules):
    case = P.new_case()
    for action, on in [("file", date(2023, 5, 10)), ("notify_grant", date(2023, 11, 2)),
                       ("complete_registration", date(2023, 12, 1)), ("announce_grant", date(2024, 1, 5))]:
        case, _ = P.apply(case, action, on, rules)
    assert case.state == "granted"
    assert case.facts["term_ends"] == date(2033, 5, 9)
    assert case.facts["annuities_paid_through"] == 1
    assert case.time_limit("annuity").due == date(2024, 5, 10)


def test_utility_model_has_no_substantive_examination(rules):
    case, _ = P.apply(P.new_case(), "file", date(2023, 5, 10), rules)
    with pytest.raises(ActionNotAllowed, match="'request_substantive_examination' is not allowed in state 'filed'"):
        P.apply(case, "request_substantive_examination", date(2023, 5, 11), rules)


def test_rejected_utility_model_back_to_formalities_after_successful_reexamination(rules):
    case = P.new_case()
    for action, on in [("file", date(2023, 5, 10)), ("reject", date(2023, 9, 1)),
                       ("request_reexamination", date(2023, 10, 1)), ("revoke_rejection", date(2024, 3, 1))]:
        case, _ = P.apply(case, action, on, rules)
    assert case.state == "filed"
