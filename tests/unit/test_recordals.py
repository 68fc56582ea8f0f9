"""Recordals, pure: payload checks naming the field, the right folded from registered requests as of a date,
the consistency rules at their edges, the annual-fee schedule with its reductions. (The legal scenarios
in ``tests/scenarios/cn/recordals`` take a granted right through each rule on both sides of its date.)"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ipoffice.adapters.rules_loader import load_rule_files, load_rules, rules_directory
from ipoffice.domain import annual_fees, recordals
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.procedures.cn_invention import CN_INVENTION
from ipoffice.domain.recordals import Recordal, check_payload, problem, right_record
from ipoffice.domain.rules import RuleNotInForce


@pytest.fixture(scope="module")
def rules():
    return load_rules("cn")


def granted(rules, *, reduction: str | None = "single_applicant"):
    case = CN_INVENTION.new_case()
    steps = [("file", date(2019, 1, 7), {"fee_reduction": reduction} if reduction else {}),
             ("request_substantive_examination", date(2019, 2, 1), {}),
             ("pass_formality_examination", date(2019, 3, 1), {}), ("publish", date(2020, 7, 7), {}),
             ("start_substantive_examination", date(2020, 8, 3), {}), ("notify_grant", date(2020, 12, 1), {}),
             ("complete_registration", date(2021, 1, 10), {}), ("announce_grant", date(2021, 2, 5), {})]
    for action, on, payload in steps:
        case, _ = CN_INVENTION.apply(case, action, on, rules, payload)
    return case


def registered(ident: int, kind: str, on: date, by: str = "wang", **payload: object) -> Recordal:
    return Recordal(ident, "N", kind, on, by, check_payload(kind, payload), state=recordals.REGISTERED, decided_on=on)


@pytest.mark.parametrize(("kind", "payload", "field"), [
    ("mortgage", {}, "type"),
    ("transfer", {}, "payload.assignees"),
    ("transfer", {"assignees": [""]}, "payload.assignees"),
    ("transfer", {"assignees": "chen", "agreed_by": [3]}, "payload.agreed_by"),
    ("licence", {"kind": "exclusiv", "licensee": "li", "contract_effective": "2021-01-01"}, "payload.kind"),
    ("licence", {"kind": "sole", "licensee": "li"}, "payload.contract_effective"),
    ("licence", {"kind": "sole", "licensee": "li", "contract_effective": "9999-12-31"}, "payload.contract_effective"),
    ("licence", {"kind": "sole", "licensee": " ", "contract_effective": "2021-01-01"}, "payload.licensee"),
    ("pledge", {"pledgee": "bank", "amount": "NaN"}, "payload.amount"),
    ("pledge", {"pledgee": "bank", "amount": -5}, "payload.amount"),
    ("pledge", {"pledgee": "bank", "amount": "lots"}, "payload.amount"),
    ("pledge_release", {"pledge": "1"}, "payload.pledge"),
    ("pledge_release", {"pledge": True}, "payload.pledge"),
    ("open_licence", {}, "payload.royalty"),
    ("name_change", {"old_name": "wang"}, "payload.new_name"),
])
def test_a_malformed_payload_is_refused_naming_the_field(kind: str, payload: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidField) as caught:
        check_payload(kind, payload)
    assert caught.value.field == field


def test_a_payload_is_normalised() -> None:
    assert check_payload("transfer", {"assignees": " chen ", "note": "x" * 600, "unknown": 1}) == {
        "assignees": ["chen"], "note": "x" * 500}
    assert check_payload("pledge", {"pledgee": "bank", "amount": 1000000, "contract_date": "2021-03-01"}) == {
        "pledgee": "bank", "amount": "1000000", "contract_date": "2021-03-01"}


def test_the_right_as_of_a_date_follows_the_registrations() -> None:
    history = [registered(1, "transfer", date(2021, 3, 1), assignees=["chen", "zhao"]),
               registered(2, "pledge", date(2021, 4, 1), by="chen", pledgee="bank"),
               registered(3, "name_change", date(2021, 5, 1), by="zhao", old_name="zhao", new_name="Zhao Ltd"),
               registered(4, "pledge_release", date(2021, 6, 1), by="bank", pledge=2),
               Recordal(5, "N", "transfer", date(2021, 7, 1), "chen", {"assignees": ["li"]})]  # filed only
    assert right_record("wang", history, date(2021, 2, 28)).owners == ("wang",)
    assert right_record("wang", history, date(2021, 3, 1)).owners == ("chen", "zhao")
    assert right_record("wang", history, date(2021, 4, 1)).pledgees == ("bank",)
    later = right_record("wang", history)
    assert (later.owners, later.pledges) == (("chen", "Zhao Ltd"), ())


def test_open_licence_periods_give_the_reduction_days() -> None:
    history = [registered(1, "open_licence", date(2021, 6, 1), royalty="3%"),
               registered(2, "open_licence_withdrawal", date(2022, 3, 1))]
    right = right_record("wang", history)
    assert right.open_licence is None
    assert [right.open_licence_on(d) for d in (date(2021, 5, 31), date(2021, 6, 1), date(2022, 2, 28),
                                               date(2022, 3, 1))] == [False, True, True, False]


def test_the_rules_on_the_day_before_and_on_2021_06_01(rules) -> None:
    case = granted(rules)
    declaration = Recordal(1, "N", "open_licence", date(2021, 5, 31), "wang", {"royalty": "3%"})
    before = problem(declaration, right_record("wang", []), case, date(2021, 5, 31), rules)
    assert before is not None and before.code == "open_licence_not_available"
    assert before.params["reference"] == "Patent Law (2008): no open-licence system"
    late = problem(declaration, right_record("wang", []), case, date(2021, 6, 1), rules)  # filed the day before
    assert late is not None and late.code == "open_licence_not_available"
    on_the_day = Recordal(1, "N", "open_licence", date(2021, 6, 1), "wang", {"royalty": "3%"})
    assert problem(on_the_day, right_record("wang", []), case, date(2021, 6, 1), rules) is None
    early = problem(declaration, right_record("wang", []), case, date(2000, 1, 3), rules)
    assert early is not None and early.code == "open_licence_not_available"  # before any dated value: no crash


def test_a_filer_who_is_a_co_owner_counts_as_agreeing(rules) -> None:
    case = granted(rules)
    right = right_record("wang", [registered(1, "transfer", date(2021, 3, 1), assignees=["chen", "zhao"])])
    pledge = Recordal(2, "N", "pledge", date(2021, 6, 2), "chen", {"pledgee": "bank", "agreed_by": ["zhao"]})
    assert problem(pledge, right, case, date(2021, 6, 2), rules) is None
    missing = problem(Recordal(2, "N", "pledge", date(2021, 6, 2), "chen", {"pledgee": "bank"}), right, case,
                      date(2021, 6, 2), rules)
    assert missing is not None and (missing.code, missing.params["missing"]) == ("co_owners_disagree", "zhao")


def test_the_schedule_applies_the_most_favourable_reduction_only(rules) -> None:
    """Caishui [2024] No. 23 item 2: 15% off while an open licence is in force, from 2024-07-15; with another
    reduction the most favourable one applies, not both."""
    case = granted(rules)
    fee = "fee.invention.annuity"
    plain = annual_fees.schedule(case, rules, fee, patentee_reduction=None, open_licence_on=lambda d: False)
    assert [(f.year, f.amount) for f in plain[:3]] == [(3, Decimal(900)), (4, Decimal(1200)), (5, Decimal(1200))]
    assert plain[-1].year == 20 and plain[-1].due == date(2038, 1, 7) and plain[0].paid and not plain[1].paid
    both = annual_fees.schedule(case, rules, fee, patentee_reduction="single_applicant",
                                open_licence_on=lambda d: d >= date(2021, 6, 1))
    year7 = next(f for f in both if f.year == 7)  # 2,000 x 15% = 300.00; the open licence's 15% off is not added
    assert (year7.due, year7.base_amount, year7.amount, [r.name for r in year7.reductions]) == (
        date(2025, 1, 7), Decimal(2000), Decimal("300.00"), ["single_applicant"])
    open_only = {f.year: f for f in annual_fees.schedule(case, rules, fee, patentee_reduction=None,
                                                         open_licence_on=lambda d: True)}
    # Before 2024-07-15 no rate was in force: year 6 (due 2024-01-08) is not reduced, year 7 (2025-01-07) is.
    assert (open_only[6].amount, open_only[6].reductions) == (Decimal(1200), ())
    assert (open_only[7].amount, [r.name for r in open_only[7].reductions]) == (Decimal("1700.00"), ["open_licence"])
    assert "Caishui [2024] No. 23" in open_only[7].reductions[0].reference
    assert annual_fees.schedule(CN_INVENTION.new_case(), rules, fee, patentee_reduction=None,
                                open_licence_on=lambda d: True) == []


def test_the_open_licence_rate_is_in_force_from_the_day_of_the_fee_notice(rules) -> None:
    with pytest.raises(RuleNotInForce):
        rules.value("fee_reduction.open_licence", date(2024, 7, 14))
    assert rules.value("fee_reduction.open_licence", date(2024, 7, 15)).value["rate"] == 0.15


def test_the_open_licence_reduction_wins_when_it_is_the_more_favourable(rules) -> None:
    """A variant with a patentee reduction smaller than 15% (none exists in CN today): the open licence's applies,
    alone; on a tie the patentee's reduction is kept."""
    texts = {f.name: f.read_text("utf-8") for f in rules_directory("cn").iterdir() if f.name.endswith(".yaml")}
    for rate, expected in (("0.10", ["open_licence"]), ("0.15", ["single_applicant"])):
        changed = dict(texts, **{"fees.yaml": texts["fees.yaml"].replace(
            "          rate: 0.85\n          applies_to: [fee.invention.application",
            f"          rate: {rate}\n          applies_to: [fee.invention.application", 1)})
        assert changed["fees.yaml"] != texts["fees.yaml"]
        variant = load_rule_files("cn", changed.items())
        year7 = next(f for f in annual_fees.schedule(granted(variant), variant, "fee.invention.annuity",
                                                     patentee_reduction="single_applicant",
                                                     open_licence_on=lambda d: True) if f.year == 7)
        assert ([r.name for r in year7.reductions], year7.amount) == (expected, Decimal("1700.00"))


def test_a_pledge_is_examined_within_working_days_of_the_rule_in_force_on_filing(rules) -> None:
    assert recordals.examination_due("pledge", date(2021, 11, 12), rules) == (
        date(2021, 11, 23), "Measures for Patent Pledge Registration (SIPO Order No. 56, 2010): 7 working days")
    assert recordals.examination_due("pledge_release", date(2021, 11, 15), rules) == (
        date(2021, 11, 22),
        "Measures for Patent Pledge Registration (CNIPA Announcement No. 461, 2021-11-15): 5 working days")
    # National Day 1-7 October 2024, then Saturday 12 October a make-up working day.
    assert recordals.examination_due("pledge", date(2024, 9, 30), rules)[0] == date(2024, 10, 12)  # type: ignore[index]
    assert recordals.examination_due("licence", date(2024, 9, 30), rules) is None


@pytest.mark.parametrize("state", ["lapsed", "expired", "invalidated", "surrendered", "right_abandoned", "published"])
def test_nothing_is_recorded_on_a_right_not_in_force_but_a_pledge_may_be_released(rules, state: str) -> None:
    from dataclasses import replace

    case = replace(granted(rules), state=state)
    right = right_record("wang", [registered(1, "pledge", date(2021, 4, 1), pledgee="bank")])
    for kind, payload in (("transfer", {"assignees": ["chen"], "consents": ["bank"]}),
                          ("licence", {"kind": "non_exclusive", "licensee": "li", "contract_effective": "2022-06-01",
                                       "consents": ["bank"]}),
                          ("open_licence", {"royalty": "3%", "consents": ["bank"]}),
                          ("name_change", {"old_name": "wang", "new_name": "Wang Ltd"})):
        refused = problem(Recordal(2, "N", kind, date(2022, 7, 1), "wang", check_payload(kind, payload)), right, case,
                          date(2022, 7, 1), rules)
        assert refused is not None and (refused.code, refused.params["state"]) == ("right_not_in_force", state)
        assert refused.params["reference"] == "Patent Law (2020) Arts. 42, 44, 47"
    release = Recordal(2, "N", "pledge_release", date(2022, 7, 1), "bank", {"pledge": 1})
    assert problem(release, right, case, date(2022, 7, 1), rules) is None
