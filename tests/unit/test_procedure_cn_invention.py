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


def _case(rules, steps):
    case = P.new_case()
    for action, on, *payload in steps:
        case, _ = P.apply(case, action, on, rules, payload[0] if payload else None)
    return case


@pytest.mark.parametrize("action", ["request_early_publication", "request_substantive_examination"])
def test_a_request_is_made_once(rules, action):
    from ipoffice.domain.procedures.base import ActionRefused, ProcedureEvent

    case = _case(rules, [("file", date(2024, 1, 10)), (action, date(2024, 1, 15))])
    with pytest.raises(ActionRefused, match="already requested on 2024-01-15"):
        P.apply(case, action, date(2024, 2, 1), rules)
    # a log that holds a repeat from before the rule still replays (the log keeps what it holds)
    log = [*case.events, ProcedureEvent(action, date(2024, 2, 1))]
    assert P.replay(log, rules).events == tuple(log)


def test_fees_due_follow_the_case(rules):
    from ipoffice.domain.fees_due import fees_due, unpaid_before

    filing = {"priority_dates": ["2023-06-01", "2023-07-01"], "fee_reduction": "single_applicant"}
    case = _case(rules, [("file", date(2024, 1, 10), filing)])
    due = fees_due("cn_invention", "CN", case, rules, date(2024, 1, 10), filing=filing)
    assert [(d.name, d.times, d.amount) for d in due] == [
        ("fee.invention.application", 1, Decimal("135.00")), ("fee.invention.publication_printing", 1, Decimal(50)),
        ("fee.priority_claim", 2, Decimal(160))]
    case = _case(rules, [("file", date(2024, 1, 10), filing), ("request_substantive_examination", date(2024, 2, 1)),
                         ("pass_formality_examination", date(2024, 2, 2)), ("publish", date(2024, 12, 2)),
                         ("start_substantive_examination", date(2025, 1, 6)), ("notify_grant", date(2025, 3, 3))])
    paid = [{"fee": "fee.invention.examination"}]
    due = fees_due("cn_invention", "CN", case, rules, date(2025, 3, 10), filing=filing, paid=paid)
    assert {(d.name, d.year, d.paid) for d in due} >= {("fee.invention.examination", None, True),
                                                        ("fee.invention.annuity", 2, False),
                                                        ("fee.invention.registration", None, False)}
    refusal = unpaid_before("complete_registration", "cn_invention", "CN", case, rules, date(2025, 3, 10),
                            filing=filing, paid=paid)
    assert refusal is not None and "fee.invention.annuity (year 2) 135.00 CNY" in refusal and "Rule 97" in refusal
    assert "registration" not in refusal.split("unpaid:")[1].split("(")[0]  # the nil registration fee is not asked
    paid.append({"fee": "fee.invention.annuity", "year": 2})
    assert unpaid_before("complete_registration", "cn_invention", "CN", case, rules, date(2025, 3, 10),
                         filing=filing, paid=paid) is None
    assert unpaid_before("respond", "cn_invention", "CN", case, rules, date(2025, 3, 10), filing=filing,
                         paid=[]) is None
