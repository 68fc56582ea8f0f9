"""Structured royalties (``domain.royalties``) and royalty guidance (``domain.royalty_guidance``): each bad field
named, plain strings still read, and the ranges equal an independent computation."""

from __future__ import annotations

import statistics
from datetime import date
from decimal import Decimal

import pytest

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.recordals import check_payload
from ipoffice.domain.royalties import Royalty, check_royalty, read_royalty
from ipoffice.domain.royalty_guidance import Comparable, guidance, ranges


def test_each_type_is_checked_and_normalised() -> None:
    running = check_royalty({"type": "running_percentage", "rate_percent": "3.50", "basis": "net sales"})
    assert running == Royalty("running_percentage", Decimal("3.50"), basis="net sales")
    assert running.as_dict() == {"type": "running_percentage", "rate_percent": "3.5", "basis": "net sales"}
    assert running.summary() == "3.5% of net sales"
    lump = check_royalty({"type": "lump_sum", "amount": 50000, "currency": "cny", "text": "paid in two parts"})
    assert lump.as_dict() == {"type": "lump_sum", "amount": "50000", "currency": "CNY", "text": "paid in two parts"}
    assert lump.summary() == "lump sum 50000 CNY — paid in two parts"
    assert check_royalty({"type": "per_unit", "amount": "1.2", "currency": "USD"}).summary() == "1.2 USD per unit"
    assert check_royalty({"type": "free"}).as_dict() == {"type": "free"}


@pytest.mark.parametrize(("royalty", "field", "words"), [
    ({"type": "monthly"}, "payload.royalty.type", "must be one of"),
    ({}, "payload.royalty.type", "must be one of"),
    ({"type": "running_percentage"}, "payload.royalty.rate_percent", "required"),
    ({"type": "running_percentage", "rate_percent": "abc"}, "payload.royalty.rate_percent", "a number"),
    ({"type": "running_percentage", "rate_percent": 0}, "payload.royalty.rate_percent", "positive"),
    ({"type": "running_percentage", "rate_percent": 101}, "payload.royalty.rate_percent", "at most 100"),
    ({"type": "running_percentage", "rate_percent": True}, "payload.royalty.rate_percent", "a number"),
    ({"type": "running_percentage", "rate_percent": "NaN"}, "payload.royalty.rate_percent", "positive"),
    ({"type": "lump_sum", "currency": "CNY"}, "payload.royalty.amount", "required"),
    ({"type": "lump_sum", "amount": 100}, "payload.royalty.currency", "required"),
    ({"type": "lump_sum", "amount": -5, "currency": "CNY"}, "payload.royalty.amount", "positive"),
    ({"type": "lump_sum", "amount": 5, "currency": "yuan"}, "payload.royalty.currency", "ISO 4217"),
    ({"type": "lump_sum", "amount": 5, "currency": "CNY", "rate_percent": 3}, "payload.royalty.rate_percent",
     "does not apply"),
    ({"type": "free", "amount": 5}, "payload.royalty.amount", "does not apply"),
    ({"type": "per_unit", "amount": 1, "currency": "CNY", "basis": ""}, None, None),
    ({"type": "running_percentage", "rate_percent": 2, "basis": "x" * 201}, "payload.royalty.basis", "200"),
    ({"type": "free", "text": 7}, "payload.royalty.text", "text"),
    ({"type": "free", "discount": 5}, "payload.royalty.discount", "not a royalty field"),
    (["3%"], "payload.royalty", "must be an object"),
    ("", "payload.royalty", "non-empty"),
])
def test_a_bad_royalty_names_its_field(royalty: object, field: str | None, words: str | None) -> None:
    if field is None:  # an empty optional text is as good as absent
        assert check_royalty(royalty).basis is None
        return
    with pytest.raises(InvalidField) as bad:
        check_royalty(royalty)
    assert bad.value.field == field and words is not None and words in bad.value.reason


def test_a_plain_string_still_reads_as_text_only() -> None:
    assert check_royalty("3% of net sales") == Royalty(None, text="3% of net sales")
    old = read_royalty("RMB 50,000 a year")
    assert old is not None and not old.structured and old.summary() == "RMB 50,000 a year"
    assert read_royalty(None) is None
    assert read_royalty({"type": "bogus", "text": "as agreed"}) == Royalty(None, text="as agreed")


def test_payloads_carry_the_royalty_and_the_licensed_use() -> None:
    declared = check_payload("open_licence", {"royalty": {"type": "running_percentage", "rate_percent": 3},
                                              "industry": "新能源汽车", "products": "battery packs"})
    assert declared == {"royalty": {"type": "running_percentage", "rate_percent": "3"}, "industry": "新能源汽车",
                        "products": "battery packs"}
    assert check_payload("open_licence", {"royalty": "3%"})["royalty"] == "3%"  # as requests were before
    licence = check_payload("licence", {"kind": "non_exclusive", "licensee": "X", "contract_effective": "2022-01-01",
                                        "royalty": {"type": "lump_sum", "amount": 9, "currency": "CNY"}})
    assert licence["royalty"] == {"type": "lump_sum", "amount": "9", "currency": "CNY"}
    with pytest.raises(InvalidField) as bad:
        check_payload("licence", {"kind": "sole", "licensee": "X", "contract_effective": "2022-01-01",
                                  "royalty": {"type": "per_unit", "amount": 1}})
    assert bad.value.field == "payload.royalty.currency"
    assert "industry" not in check_payload("open_licence", {"royalty": {"type": "free"}, "industry": ""})
    for key, value in (("industry", "x" * 201), ("products", ["a"])):
        with pytest.raises(InvalidField) as bad_use:
            check_payload("open_licence", {"royalty": {"type": "free"}, key: value})
        assert bad_use.value.field == f"payload.{key}"
    with pytest.raises(InvalidField) as missing:
        check_payload("open_licence", {})
    assert missing.value.field == "payload.royalty"


def _contract(i: int, royalty: dict[str, object], subclass: str, industry: str | None = None) -> Comparable:
    r = check_royalty(royalty)
    return Comparable(f"N{i}", "licence", i, date(2022, 1, 1), r, (subclass,), industry)


def test_guidance_ranges_per_type_equal_an_independent_computation() -> None:
    rates = [Decimal("2"), Decimal("3.5"), Decimal("5"), Decimal("8")]
    lumps = [Decimal("10000"), Decimal("40000")]
    contracts = [_contract(i, {"type": "running_percentage", "rate_percent": str(r)}, "H04L") for i, r in
                 enumerate(rates)]
    contracts += [_contract(10 + i, {"type": "lump_sum", "amount": str(a), "currency": "CNY"}, "H04L")
                  for i, a in enumerate(lumps)]
    contracts += [_contract(20, {"type": "free"}, "H04L"), _contract(21, {"type": "free"}, "G06F")]
    found = guidance(["H04L"], None, contracts, 5, "policy")
    assert found["basis"] == "subclass" and found["contracts"] == 7 and found["enough"] is True
    by_type = {r["type"]: r for r in found["ranges"]}
    assert by_type["running_percentage"] == {
        "type": "running_percentage", "figure": "rate_percent", "count": 4, "min": str(min(rates)),
        "median": str(statistics.median(rates).normalize()), "max": str(max(rates))}
    assert (by_type["lump_sum"]["count"], by_type["lump_sum"]["median"], by_type["lump_sum"]["currency"]) == (
        2, "25000", "CNY")
    assert by_type["free"] == {"type": "free", "count": 1}
    assert found["levels"] == {"subclass": 7, "class": 7, "industry": 0}


def test_guidance_falls_back_to_class_then_industry_and_says_when_too_few() -> None:
    rate = {"type": "running_percentage", "rate_percent": 3}
    contracts = [_contract(i, rate, "H04W") for i in range(3)] + [_contract(9, rate, "H04L")]
    by_class = guidance(["H04L"], None, contracts, 4, "policy")
    assert (by_class["basis"], by_class["key"], by_class["contracts"]) == ("class", "H04", 4)
    too_few = guidance(["H04L"], None, contracts, 5, "policy")
    assert too_few["enough"] is False and too_few["ranges"] == [] and too_few["contracts"] == 4
    assert "too few comparable contracts (n = 4 < 5)" in str(too_few["message"])
    by_industry = guidance(["A01B"], "Batteries", [_contract(i, rate, "H01M", "batteries ") for i in range(5)], 5,
                           "policy")
    assert (by_industry["basis"], by_industry["contracts"]) == ("industry", 5)
    text_only = [Comparable("N", "licence", 1, date(2022, 1, 1), Royalty(None, text="3%"), ("H04L",))] * 9
    assert guidance(["H04L"], None, text_only, 5, "policy")["contracts"] == 0  # words are not comparable
    assert ranges([]) == []
