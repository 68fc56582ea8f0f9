from datetime import date
from decimal import Decimal

import pytest

from ipoffice.adapters.rules_loader import RulesFileError, load_rule_files, load_rules
from ipoffice.domain.rules import RuleNotInForce
from ipoffice.domain.time_limits import Period


@pytest.fixture(scope="module")
def cn():
    return load_rules("cn")


@pytest.fixture(scope="module")
def us():
    return load_rules("us")


def test_design_term_revision_on_2021_06_01(cn):
    before = cn.value("term.design", date(2021, 5, 31))
    after = cn.value("term.design", date(2021, 6, 1))
    assert (before.value, before.reference) == ({"years": 10}, "Patent Law (2008) Art. 42")
    assert (after.value, after.reference) == ({"years": 15}, "Patent Law (2020) Art. 42(1)")


def test_deemed_receipt_of_electronic_notices_changes_on_2024_01_20(cn):
    assert cn.period("deemed_receipt.electronic", date(2024, 1, 19)) == Period(days=15)
    assert cn.period("deemed_receipt.electronic", date(2024, 1, 20)) == Period(days=0)
    assert cn.value("deemed_receipt.electronic", date(2024, 1, 20)).reference == (
        "Implementing Regulations (2023) Art. 4(3)"
    )
    assert cn.period("deemed_receipt.paper", date(2024, 1, 20)) == Period(days=15)


def test_value_before_first_entry_into_force_is_refused(cn):
    with pytest.raises(RuleNotInForce, match="first value takes effect on 2014-05-01"):
        cn.value("term.trademark", date(2010, 1, 1))
    with pytest.raises(RuleNotInForce, match="no such parameter"):
        cn.value("term.unknown", date(2024, 1, 1))


def test_cn_fees_with_reductions(cn):
    on = date(2024, 6, 1)
    assert cn.fee("fee.invention.application", on).amount == Decimal(900)
    single = cn.fee("fee.invention.examination", on, reduction="single_applicant")
    assert single.amount == Decimal("375.00") and single.currency == "CNY"
    assert "Caishui [2016] No. 78" in single.reference
    assert cn.fee("fee.invention.examination", on, reduction="joint_applicants").amount == Decimal("750.00")
    # The publication printing fee is not eligible for the reduction.
    assert cn.fee("fee.invention.publication_printing", on, reduction="single_applicant").amount == Decimal(50)
    assert cn.fee("fee.invention.annuity", on, year=4).amount == Decimal(1200)
    assert cn.fee("fee.invention.annuity", on, reduction="single_applicant", year=16).amount == Decimal("1200.00")


def test_cn_registration_fee_abolished_2018_08_01(cn):
    assert cn.fee("fee.invention.registration", date(2018, 7, 31)).amount == Decimal(250)
    assert cn.fee("fee.invention.registration", date(2018, 8, 1)).amount == Decimal(0)


def test_design_annuity_years_11_to_15_only_under_the_15_year_term(cn):
    assert cn.fee("fee.design.annuity", date(2021, 6, 1), year=12).amount == Decimal(3000)
    with pytest.raises(ValueError, match="no fee for this year"):
        cn.fee("fee.design.annuity", date(2021, 5, 31), year=12)


def test_us_small_entity_discount_raised_by_uaia(us):
    assert us.fee("fee.utility.issue", date(2022, 12, 28), reduction="small_entity").amount == Decimal("600.00")
    assert us.fee("fee.utility.issue", date(2022, 12, 29), reduction="small_entity").amount == Decimal("480.00")
    assert us.fee("fee.utility.issue", date(2025, 1, 19), reduction="micro_entity").amount == Decimal("258.00")


def test_every_packaged_value_carries_a_legal_reference(cn, us):
    for book in (cn, us):
        for name in book.names:
            for value in book.history(name):
                assert value.reference.strip(), name


def test_malformed_rules_file_names_file_and_key():
    text = """
jurisdiction: cn
parameters:
  time_limit.publication:
    values:
      - effective_from: 2024-13-01
        value: {months: 2}
        reference: "Art. 1"
"""
    with pytest.raises(RulesFileError,
                       match=r"bad\.yaml: time_limit\.publication\.values\[0\]\.effective_from: must be a date"):
        load_rule_files("cn", [("bad.yaml", text)])
    missing = ("jurisdiction: cn\nparameters:\n  term.invention:\n"
               "    values:\n      - {effective_from: 2024-01-01, value: 1}\n")
    with pytest.raises(RulesFileError, match=r"bad\.yaml: term\.invention\.values\[0\]: missing reference"):
        load_rule_files("cn", [("bad.yaml", missing)])
    with pytest.raises(RulesFileError, match="jurisdiction: is 'us', expected 'cn'"):
        load_rule_files("cn", [("bad.yaml", "jurisdiction: us\n")])
