"""Indicator definitions as dated data (issue #18): versions by date, the query's names, the loader's errors,
the WIPO technology fields of IPC symbols, and applicant types of Chinese and English names."""

from __future__ import annotations

from datetime import date

import pytest

from ipoffice.adapters.indicators_loader import (
    IndicatorFileError,
    load_indicator_catalogue,
    parse_applicant_types,
    parse_definitions,
    parse_fields,
)
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.indicators import MEASURES, IndicatorQuery

CATALOGUE = load_indicator_catalogue()

TWO_VERSIONS = """
indicators:
  granted:
    unit: grants
    title: {en: Grants, zh: 授权量}
    versions:
      - effective_from: 1900-01-01
        reference: "old"
        definition: {en: designs count, zh: 含外观设计}
        params: {granted_kinds: [B2, S1], grant_events: []}
      - effective_from: 2010-01-01
        reference: "new"
        definition: {en: designs do not count, zh: 不含外观设计}
        params: {granted_kinds: [B2], grant_events: []}
"""


def test_every_measure_has_a_definition_with_a_reference() -> None:
    book = CATALOGUE.book
    assert set(book.names) == set(MEASURES)
    for indicator in book:
        assert indicator.title_en and indicator.title_zh and indicator.unit
        for version in indicator.versions:
            assert version.reference and version.definition_en and version.definition_zh


def test_a_new_definition_is_a_new_dated_version_and_the_old_one_stays() -> None:
    book = parse_definitions("test.yaml", TWO_VERSIONS)
    assert book.version("granted", date(2009, 12, 31)).reference == "old"
    assert book.version("granted", date(2010, 1, 1)).reference == "new"
    assert book.version("granted", date(2009, 12, 31)).params["granted_kinds"] == ["B2", "S1"]
    with pytest.raises(InvalidField, match="defined from 1900-01-01 only"):
        book.version("granted", date(1899, 1, 1))


def test_cnipa_high_value_definition_says_which_criteria_cannot_be_computed() -> None:
    version = CATALOGUE.book.version("high_value_invention", date(2024, 12, 31))
    criteria = {c["id"]: c for c in version.params["criteria"]}
    assert set(criteria) == {"strategic_emerging_industry", "family_granted_abroad", "maintained_over_10_years",
                             "pledge_financing", "award"}
    assert [k for k, c in criteria.items() if c["computable"]] == ["maintained_over_10_years"]
    assert all(c["why"] for c in criteria.values() if not c["computable"])
    assert "国发〔2021〕20号" in version.reference
    with pytest.raises(InvalidField, match="definition_date"):
        CATALOGUE.book.version("high_value_invention", date(2020, 12, 31))


@pytest.mark.parametrize(("by", "measures", "field"), [
    ("colour", "granted", "by"),
    ("year,year", "granted", "by"),
    ("year,country,office,field,region", "granted", "by"),
    ("year", "granted,speed", "measure"),
    ("year", "", "measure"),
    ("office@planet", "granted", "by"),
])
def test_a_bad_query_names_its_field(by: str, measures: str, field: str) -> None:
    with pytest.raises(InvalidField) as refused:
        IndicatorQuery.parse(by, measures, date(2020, 1, 1))
    assert refused.value.field == field


def test_query_parses_lists_with_spaces_and_office_levels() -> None:
    q = IndicatorQuery.parse(" year , office@provincial", "granted, in_force", date(2015, 12, 31))
    assert (q.by, q.measures, q.definitions_on) == (("year", "office@provincial"), ("granted", "in_force"),
                                                    date(2015, 12, 31))
    assert IndicatorQuery.parse("", "granted", date(2015, 1, 1), date(2020, 1, 1)).definitions_on == date(2020, 1, 1)


@pytest.mark.parametrize(("text", "key"), [
    ("indicators: {granted: {unit: x, title: {en: a, zh: b}, versions: []}}", "granted.versions"),
    ("indicators: {speed: {unit: x, versions: [{}]}}", "speed"),
    ("indicators: {granted: {unit: x, title: {en: a, zh: b}, versions: [{effective_from: 2020-13-01}]}}",
     "granted.versions[0].effective_from"),
    ("indicators: {granted: {unit: x, title: {en: a, zh: b}, versions: [{effective_from: 2020-01-01, "
     "reference: r, definition: {en: a, zh: b}, params: {grant_events: announce_grant}}]}}",
     "granted.versions[0].params.grant_events"),
    ("indicators: {granted: {unit: x, title: {en: a, zh: b}, versions: [{effective_from: 2020-01-01, "
     "reference: '', definition: {en: a, zh: b}}]}}", "granted.versions[0].reference"),
    *((f"indicators: {{pendency_days_p90: {{unit: x, title: {{en: a, zh: b}}, versions: [{{effective_from: "
       f"2020-01-01, reference: r, definition: {{en: a, zh: b}}, params: {{quantile: {q}}}}}]}}}}",
       "pendency_days_p90.versions[0].params.quantile") for q in ("1.5", "0", "ninety", "true")),
    ("indicators: {lapsed: {unit: x, title: {en: a, zh: b}, versions: [{effective_from: 2020-01-01, "
     "reference: r, definition: {en: a, zh: b}, params: {lapse_events: lapse}}]}}",
     "lapsed.versions[0].params.lapse_events"),
])
def test_loader_errors_name_file_and_key(text: str, key: str) -> None:
    with pytest.raises(IndicatorFileError) as refused:
        parse_definitions("bad.yaml", text)
    assert (refused.value.file, refused.value.key) == ("bad.yaml", key)


@pytest.mark.parametrize(("symbol", "field"), [
    ("H04L 9/32", 4), ("H04N 21/431", 4), ("H04N 5/225", 2), ("H04N 1/00", 3),
    ("G01N 33/53", 11), ("G01N 21/01", 10), ("A61K 8/02", 14), ("A61K 31/00", 16), ("B01D 53/34", 24),
    ("B01D 1/00", 23), ("G06Q 10/00", 7), ("H01L 21/00", 8), ("C12N 15/10", 15), ("E04B 1/00", 35),
    ("G06F", 6), ("Y02E 10/50", None), ("", None), (None, None), ("not a symbol", None),
])
def test_technology_field_of_ipc_symbols(symbol: str | None, field: int | None) -> None:
    assert CATALOGUE.fields.field_of(symbol) == field


# A sample of Table 2 of Schmoch (2008), "Concept of a Technology Classification for Country Comparisons"
# (WIPO, update May 2008), one or more entries of each field, with its exclusions and main-group splits.
SCHMOCH_2008_TABLE_2 = [
    ("F21V 8/00", 1), ("H02J 7/00", 1), ("H99Z 99/00", 1), ("G11B 7/00", 2), ("H04N 5/225", 2), ("H04N 13/00", 2),
    ("H04N 1/00", 3), ("H04N 7/173", 3), ("H04N 11/04", 3), ("H01Q 1/24", 3), ("H04L 29/06", 4), ("H03M 13/00", 5),
    ("G06F 17/30", 6), ("G10L 15/00", 6), ("G11C 11/00", 6), ("G06Q 30/00", 7), ("H01L 21/00", 8), ("G02B 6/00", 9),
    ("H01S 3/00", 9), ("G01N 21/01", 10), ("G04G 9/00", 10), ("G99Z 99/00", 10), ("G01N 33/53", 11),
    ("G07F 19/00", 12), ("G09B 19/00", 12), ("A61B 5/00", 13), ("H05G 1/00", 13), ("A61K 8/02", 14),
    ("A61Q 19/00", 14), ("C07D 401/00", 14), ("C12N 15/10", 15), ("C07K 14/00", 15), ("A61K 31/00", 16),
    ("C08L 23/00", 17), ("A23L 2/00", 18), ("C12G 3/00", 18), ("C09D 5/00", 19), ("C05F 11/00", 19),
    ("C99Z 99/00", 19), ("C22C 38/00", 20), ("B22F 3/00", 20), ("C23C 14/00", 21), ("B32B 27/00", 21),
    ("B82Y 30/00", 22), ("B81B 7/00", 22), ("B01D 39/00", 23), ("B01D 61/00", 23), ("F26B 5/00", 23),
    ("H05H 1/00", 23), ("B01D 46/00", 24), ("B01D 53/34", 24), ("A62D 3/00", 24), ("E01F 8/00", 24),
    ("G01T 1/00", 24), ("B65D 81/00", 25), ("B66C 1/00", 25), ("B23K 26/00", 26), ("B25B 13/00", 26),
    ("F02M 61/00", 27), ("G21C 3/00", 27), ("F99Z 99/00", 27), ("D01F 6/00", 28), ("B41J 2/00", 28),
    ("D99Z 99/00", 28), ("A01K 67/00", 29), ("B29C 45/00", 29), ("C08J 5/00", 29), ("F41A 1/00", 29),
    ("F24F 11/00", 30), ("F28D 1/00", 30), ("F16H 1/00", 31), ("G05G 1/00", 31), ("B60L 11/00", 32),
    ("B64C 1/00", 32), ("A47J 31/00", 33), ("A63F 13/00", 33), ("A45D 34/00", 34), ("G10H 1/00", 34),
    ("F25D 11/00", 34), ("A99Z 99/00", 34), ("E04B 1/00", 35), ("E01F 9/00", 35), ("E21B 43/00", 35),
]


@pytest.mark.parametrize(("symbol", "field"), SCHMOCH_2008_TABLE_2)
def test_technology_fields_follow_schmoch_table_2(symbol: str, field: int) -> None:
    assert CATALOGUE.fields.field_of(symbol) == field


def test_the_sample_of_table_2_covers_every_field() -> None:
    assert sorted({field for _, field in SCHMOCH_2008_TABLE_2}) == list(range(1, 36))


def test_technology_fields_are_the_35_of_5_sectors_and_no_symbol_is_in_two() -> None:
    fields = CATALOGUE.fields
    assert sorted(fields.fields) == list(range(1, 36))
    assert {f.sector for f in fields.fields.values()} == {1, 2, 3, 4, 5}
    assert "Concordance" in fields.reference
    with pytest.raises(IndicatorFileError, match="H04L is also listed in field 1"):
        parse_fields("f.yaml", "source: {reference: r}\nsectors: {1: {en: a, zh: b}}\n"
                     "fields: {1: {sector: 1, en: a, zh: b, ipc: [H04L]}, 2: {sector: 1, en: c, zh: d, ipc: [H04L]}}")


@pytest.mark.parametrize(("name", "kind"), [
    # Chinese names
    ("清华大学", "university"), ("浙江工业大学", "university"), ("南京医科大学附属医院", "university"),
    ("中国科学院大学", "university"), ("上海交通大学医学院", "university"),
    ("中国科学院上海光学精密机械研究所", "research_institute"), ("中国电力科学研究院", "research_institute"),
    ("中国科学院", "research_institute"),
    ("华为技术有限公司", "enterprise"), ("清华大学科技园有限公司", "enterprise"), ("比亚迪股份有限公司", "enterprise"),
    ("江南造船厂", "enterprise"), ("北京市人民政府", "public_body"), ("北京协和医院", "public_body"),
    ("张伟", "individual"), ("欧阳娜娜", "individual"),
    # Latin-script names
    ("Microsoft Corporation", "enterprise"), ("ASAHI GLASS COMPANY LTD.", "enterprise"), ("BAYER AG", "enterprise"),
    ("Phoenix Contact GmbH & Co. KG", "enterprise"), ("KABUSHIKI KAISHA YASKAWA DENKI", "enterprise"),
    ("Nestec S.A.", "enterprise"), ("Tsorng TA Enterprise Co., Ltd.", "enterprise"), ("Google LLC", "enterprise"),
    ("Chen Jie (Hangzhou Xinda Materials Co.)", "enterprise"),
    ("Massachusetts Institute of Technology", "university"), ("Regents of the University of California", "university"),
    ("Stanford University", "university"), ("Technische Universität München", "university"),
    ("Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.", "research_institute"),
    ("Max-Planck-Gesellschaft zur Förderung der Wissenschaften e.V.", "research_institute"),
    ("Commissariat à l'Énergie Atomique et aux Énergies Alternatives", "research_institute"),
    ("The United States of America as represented by the Secretary of the Navy", "public_body"),
    ("Rankin, David", "individual"), ("Lloveras Calvo, Juan", "individual"), ("Wang Fang", "individual"),
    ("John A. Smith", "individual"),
    ("ACME WIDGETS", "other"), ("", "other"), (None, "other"),
])
def test_applicant_type_of_chinese_and_english_names(name: str | None, kind: str) -> None:
    assert CATALOGUE.applicant_types.classify(name) == kind


def test_applicant_type_rules_refuse_a_bad_pattern() -> None:
    with pytest.raises(IndicatorFileError) as refused:
        parse_applicant_types("a.yaml", "reference: r\nfallback: other\ntypes: [{type: x, zh: y, patterns: ['(']}]")
    assert refused.value.key.startswith("types[0].x.patterns[0]")


@pytest.mark.parametrize(("name", "country", "region"), [
    ("江苏恒瑞医药股份有限公司", "CN", "CN-JS"), ("苏州联合光学有限公司", "CN", "CN-JS"), ("黑龙江大学", "CN", "CN-HL"),
    ("深圳市大疆创新科技有限公司", None, "CN-GD"), ("重庆大学", "CN", "CN-CQ"), ("西安交通大学", "CN", "CN-SN"),
    ("内蒙古大学", "CN", "CN-NM"), ("香港大学", "CN", "CN-HK"),
    ("中国科学院物理研究所", "CN", "CN"), ("华为技术有限公司", "CN", "CN"), ("清华大学", "CN", "CN"),
    ("Suzhou Lianhe Optics Co., Ltd.", None, "CN-JS"), ("Shenzhen Goodix Technology Co., Ltd.", "CN", "CN-GD"),
    ("Xi'an Jiaotong University", "CN", "CN-SN"), ("Jilin University", "CN", "CN-JL"),
    ("Jilinx Corp.", "CN", "CN"), ("Shanghai Electric", "US", "US"), ("Microsoft Corporation", "US", "US"),
    ("Rankin, David", None, None), (None, "DE", "DE"), ("", None, None),
])
def test_region_of_the_applicant(name: str | None, country: str | None, region: str | None) -> None:
    assert CATALOGUE.regions.region_of(name, country) == region


def test_regions_are_iso_3166_2_codes_of_the_34_divisions() -> None:
    assert len(CATALOGUE.regions.codes) == 34 and all(c.startswith("CN-") for c in CATALOGUE.regions.codes)


def test_every_measure_and_dimension_is_named_on_the_statistics_pages_in_both_languages() -> None:
    from ipoffice.domain.indicators import DIMENSIONS, OFFICE_LEVEL_DIMENSIONS
    from ipoffice.entrypoints.web.i18n import MESSAGES

    for lang in ("en", "zh"):
        assert [m for m in MEASURES if f"statistics.m.{m}" not in MESSAGES[lang]] == []
        assert [d for d in DIMENSIONS + OFFICE_LEVEL_DIMENSIONS if f"statistics.dim.{d}" not in MESSAGES[lang]] == []


def test_the_pendency_quantiles_and_rates_share_their_populations() -> None:
    """The 90th percentile is over the applications of the median; the abandonment rate over the disposals of the
    grant rate; abandonments are the disposals less the final refusals."""
    book = CATALOGUE.book
    on = date.today()
    assert book.version("pendency_days_median", on).params["quantile"] == 0.5
    assert book.version("pendency_days_p90", on).params["quantile"] == 0.9
    median = book.version("first_action_pendency_days_median", on).params
    p90 = book.version("first_action_pendency_days_p90", on).params
    assert median["first_action_events"] == p90["first_action_events"] and "CTRS" not in median["first_action_events"]
    grant, abandonment, abandoned = (book.version(m, on).params for m in ("grant_rate", "abandonment_rate",
                                                                        "abandoned"))
    for key in ("refusal_events", "abandonment_events", "revive_events"):
        assert grant[key] == abandonment[key] == abandoned[key]
    assert not set(grant["refusal_events"]) & set(grant["abandonment_events"])


def test_population_figures_are_dated_and_sourced_and_the_latest_one_applies() -> None:
    from ipoffice.domain.population import per_10k

    table = CATALOGUE.population
    figures = table.figures("CN")
    assert [f.on.isoformat() for f in figures] == ["2021-12-31", "2022-12-31", "2023-12-31", "2024-12-31"]
    assert all("NBS" in f.source and "统计公报" in f.source and f.scope for f in figures)
    assert table.figure("CN", date(2024, 6, 30)).persons == 1_409_670_000  # type: ignore[union-attr]
    assert table.figure("CN", date(2023, 12, 31)).persons == 1_409_670_000  # type: ignore[union-attr]
    assert table.figure("CN", date(2025, 12, 31)).persons == 1_408_280_000  # type: ignore[union-attr]
    assert table.figure("CN", date(2021, 12, 30)) is None and table.figure("US", date(2024, 1, 1)) is None
    assert per_10k(140_967, figures[2]) == 1.0  # 140,967 rights over 1,409.67 million persons: 1 per 10,000


@pytest.mark.parametrize(("text", "key"), [
    ("countries: {CN: {unit: 10000 persons, scope: s, values: [{date: 2024-12-31, value: x, source: s}]}}",
     "countries.CN.values[0].value"),
    ("countries: {CN: {unit: 10000 persons, scope: s, values: [{date: 2024-13-31, value: 1, source: s}]}}",
     "countries.CN.values[0].date"),
    ("countries: {CN: {unit: 10000 persons, scope: s, values: [{date: 2024-12-31, value: 1}]}}",
     "countries.CN.values[0].source"),
    ("countries: {CN: {unit: people, scope: s, values: []}}", "countries.CN.unit"),
    ("countries: {CN: {unit: persons, scope: s, values: [{date: 2024-12-31, value: 1, source: a}, "
     "{date: 2024-12-31, value: 2, source: b}]}}", "CN.2024-12-31"),
    ("countries: {CN: {unit: persons, scope: s, values: [{date: 2024-12-31, value: -1, source: a}]}}",
     "CN.2024-12-31"),
])
def test_population_loader_errors_name_file_and_key(text: str, key: str) -> None:
    from ipoffice.adapters.indicators_loader import parse_population

    with pytest.raises(IndicatorFileError) as refused:
        parse_population("bad.yaml", text)
    assert (refused.value.file, refused.value.key) == ("bad.yaml", key)


def test_chinese_definitions_hold_no_english_words() -> None:
    """The statistics page shows the Chinese definition on Chinese pages: file names, measure names and English
    terms would be untranslated text there (acronyms such as IPC, CN, NBS are allowed)."""
    import re

    for indicator in CATALOGUE.book:
        for version in indicator.versions:
            words = [w for w in re.findall(r"[A-Za-z][A-Za-z_.]+", version.definition_zh) if not w.isupper()]
            assert words == [], (indicator.name, version.effective_from, words)
