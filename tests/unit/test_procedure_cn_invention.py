"""CN invention mechanics that are not scenarios: the fees computed for a case. The legal scenarios of
the procedure (time limits, states, revisions) are data: tests/scenarios/cn/*.yaml."""

from datetime import date
from decimal import Decimal

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.domain.procedures.cn_invention import CN_INVENTION as P
from ipoffice.domain.procedures.cn_invention import registration_fees


@pytest.fixture(scope="module")
def rules():
    return load_rules("cn")


def test_registration_fees_are_the_nil_registration_fee_and_the_grant_year_annuity(rules):
    case = P.new_case()
    for action, on in [("file", date(2023, 3, 1)), ("request_substantive_examination", date(2023, 5, 10)),
                       ("pass_formality_examination", date(2023, 5, 20)), ("publish", date(2024, 9, 2)),
                       ("start_substantive_examination", date(2024, 10, 1)), ("notify_grant", date(2024, 12, 2))]:
        case, _ = P.apply(case, action, on, rules)
    fees = registration_fees(case, date(2025, 1, 10), rules, reduction="single_applicant")
    assert [f.amount for f in fees] == [Decimal(0), Decimal("135.00")]  # year-2 annuity 900 at 15%
    assert "CNIPA Announcement No. 272 (2018)" in fees[0].reference
    full = registration_fees(case, date(2026, 3, 10), rules)  # granted in year 4: 1200 CNY
    assert [f.amount for f in full] == [Decimal(0), Decimal(1200)]
