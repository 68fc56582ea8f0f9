"""The rules loader refuses malformed law data: one temporary YAML file per kind of bad value, and the
error names the file, the parameter path, the value and what was expected."""

import re
import textwrap
from datetime import date

import pytest

from ipoffice.adapters.rules_loader import RulesFileError, load_rule_files, load_rule_paths, load_rules
from ipoffice.domain.rule_parameters import READ_BY_CODE, Kind

TODAY = date(2025, 6, 1)


def write(tmp_path, parameters: str, jurisdiction: str = "cn"):
    path = tmp_path / f"{jurisdiction}_case.yaml"
    body = textwrap.indent(textwrap.dedent(parameters).strip("\n"), "  ")
    path.write_text(f"jurisdiction: {jurisdiction}\nparameters:\n{body}\n", encoding="utf-8")
    return path


def refused(tmp_path, parameters: str, jurisdiction: str = "cn") -> RulesFileError:
    path = write(tmp_path, parameters, jurisdiction)
    with pytest.raises(RulesFileError) as caught:
        load_rule_paths(jurisdiction, [path], today=TODAY)
    assert caught.value.file == str(path)
    assert str(caught.value).startswith(f"{path}: ")
    return caught.value


def one(name: str, value: str, extra: str = "") -> str:
    return f"""
    {name}:{extra}
      values:
        - effective_from: 2020-01-01
          value: {value}
          reference: "Some Law Art. 1"
    """


BAD_VALUES = [
    # (parameters, jurisdiction, parameter path named, fragments of the reason)
    pytest.param(one("time_limit.publication", "{weeks: 2}"), "cn", "time_limit.publication.values[0].value.weeks",
                 ["unknown unit 'weeks'", "expected years, months, days or working_days"], id="period-unknown-unit"),
    pytest.param(one("time_limit.publication", "{months: '18'}"), "cn",
                 "time_limit.publication.values[0].value.months",
                 ["expected a whole number of months ≥ 0", "got '18'"], id="period-not-a-number"),
    pytest.param(one("time_limit.publication", "{days: -1}"), "cn", "time_limit.publication.values[0].value.days",
                 ["≥ 0", "got -1"], id="period-negative"),
    pytest.param(one("time_limit.publication", "{months: 180}"), "cn",
                 "time_limit.publication.values[0].value.months",
                 ["at most 36 months", "got 180"], id="period-implausible"),
    pytest.param(one("term.invention", "20"), "cn", "term.invention.values[0].value",
                 ["expected a period such as {months: 4}", "got 20"], id="period-bare-number"),
    pytest.param(one("fee.invention.application", "{amount: 900}"), "cn",
                 "fee.invention.application.values[0].value.currency", ["missing", "amount: 900, currency: CNY"],
                 id="amount-without-currency"),
    pytest.param(one("fee.invention.application", "{amount: -900, currency: CNY}"), "cn",
                 "fee.invention.application.values[0].value.amount", ["expected an amount ≥ 0", "got -900"],
                 id="amount-negative"),
    pytest.param(one("fee.invention.application", "{amount: '900 yuan', currency: CNY}"), "cn",
                 "fee.invention.application.values[0].value.amount", ["(a number)", "got '900 yuan'"],
                 id="amount-text"),
    pytest.param(one("fee.invention.application", "{amount: 9.001, currency: CNY}"), "cn",
                 "fee.invention.application.values[0].value.amount", ["at most 2 decimals", "got 9.001"],
                 id="amount-sub-cent"),
    pytest.param(one("fee.invention.application", "{amount: 900, currency: USD}"), "cn",
                 "fee.invention.application.values[0].value.currency",
                 ["currency of the cn rules (CNY)", "got 'USD'"], id="amount-foreign-currency"),
    pytest.param(one("fee.utility.basic_filing", "{amount: 350, currency: usd}"), "us",
                 "fee.utility.basic_filing.values[0].value.currency", ["ISO 4217", "got 'usd'"],
                 id="amount-currency-not-iso"),
    pytest.param(one("fee.invention.application", "{amount: 900, currency: CNY, per: class}"), "cn",
                 "fee.invention.application.values[0].value.per", ["unknown key", "amount and currency"],
                 id="amount-unknown-key"),
    pytest.param(one("fee.invention.annuity", "{currency: CNY, by_year: [{from: 1, to: 3, amount: 900}, "
                                              "{from: 5, to: 6, amount: 1200}]}"), "cn",
                 "fee.invention.annuity.values[0].value.by_year[1].from", ["expected 4", "leaves year 4 unpriced"],
                 id="by-year-gap"),
    pytest.param(one("fee.invention.annuity", "{currency: CNY, by_year: [{from: 1, to: 3, amount: 900}, "
                                              "{from: 3, to: 6, amount: 1200}]}"), "cn",
                 "fee.invention.annuity.values[0].value.by_year[1].from", ["overlaps the band before"],
                 id="by-year-overlap"),
    pytest.param(one("fee.invention.annuity", "{currency: CNY, by_year: [{from: 2, to: 3, amount: 900}]}"), "cn",
                 "fee.invention.annuity.values[0].value.by_year[0].from", ["expected 1", "leaves year 1 unpriced"],
                 id="by-year-not-from-year-1"),
    pytest.param(one("fee.invention.annuity", "{currency: CNY, by_year: [{from: 1, to: 3, amount: 900}, "
                                              "{from: 4, to: 2, amount: 1200}]}"), "cn",
                 "fee.invention.annuity.values[0].value.by_year[1].to", ["expected a year ≥ from (4)", "got 2"],
                 id="by-year-reversed-band"),
    pytest.param(one("fee.invention.annuity", "{currency: CNY, by_year: [{from: 1, to: 3}]}"), "cn",
                 "fee.invention.annuity.values[0].value.by_year[0]", ["expected {from: YEAR, to: YEAR, amount: N}"],
                 id="by-year-band-without-amount"),
    pytest.param(one("fee.invention.annuity", "{currency: CNY, by_year: [{from: 1, to: 3, amount: -1}]}"), "cn",
                 "fee.invention.annuity.values[0].value.by_year[0].amount", ["expected an amount ≥ 0"],
                 id="by-year-negative-amount"),
    pytest.param(one("fee.invention.annuity", "{amount: 900, currency: CNY}"), "cn",
                 "fee.invention.annuity.values[0].value.amount", ["unknown key", "by_year and currency"],
                 id="by-year-given-a-flat-amount"),
    pytest.param(one("fee_reduction.single_applicant", "{rate: 85, applies_to: [fee.invention]}"), "cn",
                 "fee_reduction.single_applicant.values[0].value.rate",
                 ["fraction of the fee waived, 0 < rate ≤ 1", "(85 % is 0.85)", "got 85"], id="reduction-percent"),
    pytest.param(one("fee_reduction.small_entity", "{rate: 0, applies_to: [fee.utility]}"), "us",
                 "fee_reduction.small_entity.values[0].value.rate", ["0 < rate ≤ 1", "got 0"], id="reduction-zero"),
    pytest.param(one("fee_reduction.small_entity", "{rate: true, applies_to: [fee.utility]}"), "us",
                 "fee_reduction.small_entity.values[0].value.rate", ["got True"], id="reduction-boolean"),
    pytest.param(one("fee_reduction.small_entity", "{rate: 0.6, applies_to: fee.utility}"), "us",
                 "fee_reduction.small_entity.values[0].value.applies_to",
                 ["non-empty list of fee parameter names", "got 'fee.utility'"], id="reduction-applies-to-not-list"),
    pytest.param(one("fee_reduction.small_entity", "{rate: 0.6, applies_to: [utility]}"), "us",
                 "fee_reduction.small_entity.values[0].value.applies_to[0]", ["fee parameter name", "got 'utility'"],
                 id="reduction-applies-to-not-a-fee"),
    pytest.param(one("fee.utility.basic_filing", "{amount: 350, currency: USD}")
                 + one("fee_reduction.small_entity", "{rate: 0.6, applies_to: [fee.design]}"), "us",
                 "fee_reduction.small_entity.values[0].value.applies_to[0]",
                 ["'fee.design' names no fee parameter", "fee.utility.basic_filing"], id="reduction-unknown-fee"),
    pytest.param(one("non_working_day_rollover", "'yes'", "\n      informative: true\n      kind: flag"), "cn",
                 "non_working_day_rollover.values[0].value", ["expected true or false", "got 'yes'"], id="flag"),
]


@pytest.mark.parametrize(("parameters", "jurisdiction", "path", "fragments"), BAD_VALUES)
def test_bad_value_is_refused_naming_file_parameter_path_value_and_expectation(
    tmp_path, parameters, jurisdiction, path, fragments
):
    error = refused(tmp_path, parameters, jurisdiction)
    assert error.key == path
    for fragment in fragments:
        assert fragment in error.reason
    assert f": {path}: " in str(error)


def test_a_parameter_no_code_reads_is_refused_unless_informative(tmp_path):
    error = refused(tmp_path, one("time_limit.coffee_break", "{days: 1}"))
    assert error.key == "time_limit.coffee_break"
    assert "no code reads this parameter" in error.reason and "informative: true" in error.reason
    marked = one("time_limit.coffee_break", "{days: 1}", "\n      informative: true\n      kind: period")
    rules = load_rule_paths("cn", [write(tmp_path, marked)])
    assert rules.period("time_limit.coffee_break", date(2024, 1, 1)).days == 1


def test_informative_markers_are_checked(tmp_path):
    no_kind = refused(tmp_path, one("time_limit.coffee_break", "{days: 1}", "\n      informative: true"))
    assert no_kind.key == "time_limit.coffee_break.kind"
    assert no_kind.reason == (
        "an informative parameter must give its kind, one of period, amount, by_year, reduction, flag, count")
    read = refused(tmp_path, one("term.invention", "{years: 20}", "\n      informative: true\n      kind: period"))
    assert read.key == "term.invention.informative"
    assert "read by domain.procedures.cn_invention; remove 'informative: true'" in read.reason
    wrong_kind = refused(tmp_path, one("term.invention", "{years: 20}", "\n      kind: amount"))
    assert (wrong_kind.key, wrong_kind.reason) == ("term.invention.kind", "is amount, but the code reads it as period")
    unknown_kind = refused(tmp_path, one("x.y", "1", "\n      informative: true\n      kind: money"))
    assert unknown_kind.key == "x.y.kind" and "unknown kind 'money'" in unknown_kind.reason
    not_bool = refused(tmp_path, one("x.y", "1", "\n      informative: 'yes'"))
    assert not_bool.key == "x.y.informative" and "expected true or false, got 'yes'" in not_bool.reason
    typo = refused(tmp_path, one("term.invention", "{years: 20}", "\n      descripton: Term"))
    assert typo.key == "term.invention.descripton" and "unknown key" in typo.reason


def test_reference_link_and_last_reviewed_are_validated_and_kept(tmp_path):
    entry = """
    term.invention:
      values:
        - effective_from: 1993-01-01
          value: {{years: 20}}
          reference: "Patent Law (1992) Art. 42"
          {extra}
    """
    link = refused(tmp_path, entry.format(extra="link: www.cnipa.gov.cn/law"))
    assert link.key == "term.invention.values[0].link"
    assert "expected an http(s) URL" in link.reason and "got 'www.cnipa.gov.cn/law'" in link.reason
    spaced = refused(tmp_path, entry.format(extra="link: 'https://example.org/patent law'"))
    assert spaced.key == "term.invention.values[0].link"
    future = refused(tmp_path, entry.format(extra="last_reviewed: 2025-06-02"))
    assert future.key == "term.invention.values[0].last_reviewed"
    assert future.reason == "2025-06-02 is in the future; expected the day the value was last checked"
    bad_date = refused(tmp_path, entry.format(extra="last_reviewed: 2025-02-30"))
    assert bad_date.key == "term.invention.values[0].last_reviewed" and "got '2025-02-30'" in bad_date.reason
    empty = refused(tmp_path, entry.format(extra="").replace('"Patent Law (1992) Art. 42"', '"  "'))
    assert empty.key == "term.invention.values[0].reference"
    good = entry.format(extra="link: https://example.org/patent-law#art42\n          last_reviewed: 2025-06-01")
    rules = load_rule_paths("cn", [write(tmp_path, good)], today=TODAY)
    dated = rules.value("term.invention", date(2024, 1, 1))
    assert (dated.link, dated.last_reviewed) == ("https://example.org/patent-law#art42", date(2025, 6, 1))


def test_dated_values_in_order_and_until_after_effective_from(tmp_path):
    two = """
    term.design:
      values:
        - {effective_from: 2021-06-01, value: {years: 15}, reference: "Patent Law (2020) Art. 42"}
        - {effective_from: 1993-01-01, value: {years: 10}, reference: "Patent Law (1992) Art. 42"}
    """
    order = refused(tmp_path, two)
    assert order.key == "term.design.values[1].effective_from"
    assert "1993-01-01 is not after the previous value's 2021-06-01" in order.reason
    until = refused(tmp_path, """
    term.design:
      values:
        - {effective_from: 2021-06-01, until: 2021-06-01, value: {years: 15}, reference: "Patent Law Art. 42"}
    """)
    assert until.key == "term.design.values[0].until"
    assert until.reason == "2021-06-01 is not after effective_from 2021-06-01"


def test_packaged_rules_must_define_every_parameter_the_code_reads(tmp_path):
    text = write(tmp_path, one("term.invention", "{years: 20}")).read_text(encoding="utf-8")
    with pytest.raises(RulesFileError) as caught:
        load_rule_files("cn", [("cn/terms.yaml", text)], require_all=True)
    missing = sorted(set(READ_BY_CODE["cn"]) - {"term.invention"})[0]
    assert caught.value.key == missing
    assert re.search(r"read by .+ but defined in no rules file \(cn/terms.yaml\)", caught.value.reason)


def test_packaged_rules_load_and_mark_what_no_code_reads():
    for jurisdiction in ("cn", "us"):
        rules = load_rules(jurisdiction)
        read = set(READ_BY_CODE[jurisdiction])
        assert read <= set(rules.names)
        informative = set(rules.names) - read
        assert "non_working_day_rollover" in informative
        for name in rules.names:
            for dated in rules.history(name):
                assert dated.link is None or dated.link.startswith("https://")
    assert {k.value for k in Kind} == {"period", "amount", "by_year", "reduction", "flag", "count"}


@pytest.mark.parametrize("value", ["0", "true", "2.5", "{n: 5}", "1001"])
def test_a_count_is_a_whole_number_from_1(tmp_path, value):
    error = refused(tmp_path, one("royalty_guidance.min_comparables", value))
    assert error.key.startswith("royalty_guidance.min_comparables") and "whole number from 1 to 1000" in error.reason
