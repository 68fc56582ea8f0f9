"""Issue #13 over a small index of invented documents: Chinese phrases keep their word order (case 8),
Taiwan variants meet simplified queries (case 5), Espacenet syntax (case 6) and printed numbers (case 4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ipoffice.adapters.search_index import KeywordIndex
from ipoffice.domain.document import (
    Citation,
    CitedBy,
    Claim,
    Document,
    LocalizedText,
    PriorityClaim,
    TextField,
)
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.query import QueryError
from ipoffice.domain.search import SearchRequest


def _doc(number: str, title: str, *, lang: str = "en", abstract: str = "", claims: tuple[str, ...] = (),
         published: date | None = None, **kw: object) -> Document:
    texts = [LocalizedText(TextField.TITLE, lang, title)]
    if abstract:
        texts.append(LocalizedText(TextField.ABSTRACT, lang, abstract))
    return Document(number=PublicationNumber.parse(number), texts=texts,
                    claims=[Claim(i + 1, c, lang) for i, c in enumerate(claims)],
                    publication_date=published, **kw)  # type: ignore[arg-type]


DOCUMENTS = [
    # Invented records in the style of the bug reports (zh_segmentation.csv, tw_adhesion.csv).
    _doc("CN100000002A", "一种车载激光雷达的标定方法", lang="zh",
         abstract="本发明公开了一种基于神经网络的车载激光雷达标定方法，适用于停车场附近的定位。"),
    _doc("CN100000003A", "标定激光雷达的装置及车辆", lang="zh", abstract="一种用于标定激光雷达的装置。"),
    _doc("CN100000001A", "塗層附著力的測試方法", lang="zh",
         abstract="本發明公開一種塗層附著力的測試方法，隨著溫度升高記錄著色劑的剝落面積。"),
    _doc("CN100000004A", "著作權保護的顯著標記", lang="zh", abstract="一種顯著的著作權標記。"),
    _doc("US11000001B2", "Composite yarn for tires", abstract="A yarn of glass fibre and a polymer composite.",
         claims=("A tire cord comprising a composite yarn wound around a core.",), published=date(2005, 6, 1)),
    _doc("US11000002B2", "Yarn guide", abstract="A guide for textile yarn.", published=date(2006, 3, 1)),
    _doc("US11000003B2", "Composite panel", abstract="A composite panel of wood.", published=date(2007, 3, 1)),
    _doc("US11000004B2", "Mouse trap", abstract="A trap for a mouse with a spring.", published=date(2004, 1, 1)),
    _doc("US11000005B2", "Trap door for a mouse hole", abstract="The mouse can open the small trap door.",
         published=date(2004, 1, 2)),
    # Numbers as offices print them: application, priorities, citations.
    _doc("US20220159901A1", "Battery housing", published=date(2022, 5, 26), application_number="17/101,234",
         priority_claims=[PriorityClaim("JP", "2019-123456", date(2019, 6, 1)),
                          PriorityClaim("KR", "10-2019-0012345", date(2019, 1, 30))],
         citations=[Citation(CitedBy.EXAMINER, number="WO 01/23241", country="WO"),
                    Citation(CitedBy.EXAMINER, number="US8421271B2", country="US", kind="B2"),
                    Citation(CitedBy.APPLICANT, number="EP1325900A1", country="EP", kind="A1"),
                    Citation(CitedBy.APPLICANT, number="CN 115982890 A", country="CN")]),
    _doc("WO2019123456A1", "Battery cell", published=date(2019, 6, 27), application_number="PCT/CN2018/123456"),
    _doc("CN108596780A", "一种电池壳体", lang="zh", published=date(2018, 9, 28),
         application_number="201810358967.5"),
    _doc("EP1325900A1", "Process for producing fluoroalkanol", published=date(2003, 7, 9),
         application_number="01963450.0", priority_claims=[PriorityClaim("JP", "2000-262347", None)]),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> KeywordIndex:
    built = KeywordIndex.recreate(Path(tmp_path_factory.mktemp("issue13")) / "index")
    built.add_new(DOCUMENTS)
    return built


def found(index: KeywordIndex, query: str) -> set[str]:
    return {h.number for h in index.search(SearchRequest(query, limit=50)).hits}


# --- case 8: Chinese phrases keep the word order -------------------------------------------------

def test_a_quoted_chinese_phrase_keeps_its_word_order(index: KeywordIndex) -> None:
    assert found(index, 'ti="标定激光雷达"') == {"CN100000003A"}  # not 激光雷达的标定 of CN100000002A
    assert found(index, 'ti="激光雷达的标定"') == {"CN100000002A"}
    assert found(index, '"激光雷达标定"') == {"CN100000002A"}  # in its abstract
    assert found(index, 'ab="雷达标定方法"') == {"CN100000002A"}  # a sub-word starts the phrase


# Variants of case 8 written for this project: the phrase as Chinese users type it (input-method quotation
# marks, traditional script, words spaced out) and ordered proximity.
@pytest.mark.parametrize(("query", "expected"), [
    ('ti=“标定激光雷达”', {"CN100000003A"}),
    ("“标定激光雷达”", {"CN100000003A"}),
    ("ti=「标定激光雷达」", {"CN100000003A"}),
    ("ti=『激光雷达的标定』", {"CN100000002A"}),
    ("ti＝＂标定激光雷达＂", {"CN100000003A"}),
    ('ti=“標定激光雷達”', {"CN100000003A"}),
    ('ti="标定 激光雷达"', {"CN100000003A"}),
    ('ti="激光雷达 的 标定"', {"CN100000002A"}),
    ('ab="标定车载激光雷达"', set()),
    ("ti=激光雷达 prox/distance<3/ordered 标定", {"CN100000002A"}),
    ("ti=标定 prox/distance<3/ordered 激光雷达", {"CN100000003A"}),
])
def test_chinese_phrases_as_typed_keep_their_order(index: KeywordIndex, query: str, expected: set[str]) -> None:
    assert found(index, query) == expected


def test_plain_chinese_words_still_match_in_any_order(index: KeywordIndex) -> None:
    assert found(index, "ti=标定激光雷达") == {"CN100000002A", "CN100000003A"}
    assert found(index, "激光雷达") == {"CN100000002A", "CN100000003A"}
    assert found(index, "ti=雷达") == {"CN100000002A", "CN100000003A"}  # a sub-word (search mode)


def test_chinese_proximity_counts_words_as_characters(index: KeywordIndex) -> None:
    assert found(index, 'ti="激光雷达 标定"~1') == {"CN100000002A"}  # 的 between
    assert found(index, 'ti="激光雷达 标定"') == set()


# --- case 5: Taiwan variants -----------------------------------------------------------------------

@pytest.mark.parametrize("query", ["附着力", "附著力", "ab=随着", "ab=隨著", "ab=着色剂", "ab=著色劑",
                                   'ti="涂层附着力"', 'ti="塗層附著力"'])
def test_taiwan_variants_and_simplified_queries_meet(index: KeywordIndex, query: str) -> None:
    assert found(index, query) == {"CN100000001A"}


def test_words_that_keep_zhu_are_not_merged_with_zhe(index: KeywordIndex) -> None:
    assert found(index, "著作权") == {"CN100000004A"}
    assert found(index, "显著") == {"CN100000004A"}
    assert found(index, 'ti="显著标记"') == {"CN100000004A"}


# --- case 6: Espacenet syntax ----------------------------------------------------------------------

def test_any_and_all_of_quoted_words(index: KeywordIndex) -> None:
    assert found(index, 'ti any "yarn composite"') == {"US11000001B2", "US11000002B2", "US11000003B2"}
    assert found(index, 'ti all "yarn composite"') == {"US11000001B2"}
    assert found(index, 'ti all "composite yarn"') == {"US11000001B2"}  # in any order
    assert found(index, 'ab any "glass wood"') == {"US11000001B2", "US11000003B2"}
    assert found(index, "ti any yarn") == {"US11000001B2", "US11000002B2"}
    assert found(index, 'TI ANY "yarn composite" AND pd>=2006') == {"US11000002B2", "US11000003B2"}


def test_within_with_espacenet_comma_and_day_first_dates(index: KeywordIndex) -> None:
    assert found(index, 'ti=yarn AND pd within "2005, 2006"') == {"US11000001B2", "US11000002B2"}
    assert found(index, 'ti=yarn AND pd within "2005,2005"') == {"US11000001B2"}
    assert found(index, "ti=yarn AND pd=01/06/2005") == {"US11000001B2"}
    assert found(index, "ti=yarn AND pd=01.06.2005") == {"US11000001B2"}
    assert found(index, "ti=yarn AND pd=20050601") == {"US11000001B2"}


def test_espacenet_truncation(index: KeywordIndex) -> None:
    assert found(index, "ti=yar#") == {"US11000001B2", "US11000002B2"}  # exactly one character
    assert found(index, "ti=yarn?") == {"US11000001B2", "US11000002B2"}  # none or one
    assert found(index, "ti=yar?") == {"US11000001B2", "US11000002B2"}
    assert found(index, "ti=ya?") == set()
    assert found(index, "ti=compos*") == {"US11000001B2", "US11000003B2"}


def test_espacenet_field_identifiers(index: KeywordIndex) -> None:
    assert found(index, "ta=glass") == {"US11000001B2"}
    assert found(index, "claims=cord") == found(index, "cl=cord") == {"US11000001B2"}
    assert found(index, "extftxt=cord") == {"US11000001B2"}


def test_proximity_operators(index: KeywordIndex) -> None:
    # US11000004B2: "A trap for a mouse" (trap 2, mouse 5); US11000005B2: "The mouse can open the small trap"
    # (mouse 2, trap 7); the title "Mouse trap" of US11000004B2: adjacent.
    assert found(index, "ab=mouse prox/distance<4 ab=trap") == {"US11000004B2"}
    assert found(index, "ab=mouse prox/distance<3 ab=trap") == set()
    assert found(index, "ab=mouse prox/distance<6 ab=trap") == {"US11000004B2", "US11000005B2"}
    assert found(index, "ab=mouse prox/distance<6/ordered ab=trap") == {"US11000005B2"}
    assert found(index, "ab=trap prox/distance<4/ordered ab=mouse") == {"US11000004B2"}
    assert found(index, "mouse prox/ordered trap") == {"US11000004B2", "US11000005B2"}
    assert found(index, "ti=mouse prox/distance<2/ordered ti=trap") == {"US11000004B2"}
    assert found(index, 'ab="small trap" prox/distance<5 mouse') == {"US11000005B2"}


def test_chinese_proximity_operator(index: KeywordIndex) -> None:
    assert found(index, "ti=激光雷达 prox/distance<3/ordered ti=标定") == {"CN100000002A"}
    assert found(index, "ti=标定 prox/distance<3/ordered ti=激光雷达") == {"CN100000003A"}


@pytest.mark.parametrize(("query", "construct"), [
    ("mouse prox/unit=sentence trap", "prox/unit=sentence"),
    ("mouse prox/unit=paragraph trap", "prox/unit=paragraph"),
    ("mouse prox/near trap", "prox/near"),
    ("(mouse OR rat) prox/distance<3 trap", "prox/distance<3"),
    ("ti=mouse prox/distance<3 ab=trap", "prox/distance<3"),
    ("mous* prox/distance<3 trap", "prox/distance<3"),
    ("cpcc=C08F8/30", "cpcc"),
    ("nftxt=laser", "nftxt"),
    ('pd any "2005 2006"', "'any'"),
    ('ti within "2005 2006"', "'within'"),
    ("ct=ZL201810358967.5", "ct"),
    ('ap="US 2022/0159901 A1"', "ap"),
    ("pn=ZL201810358967.3", "pn"),
])
def test_what_the_index_cannot_answer_is_refused_by_name(index: KeywordIndex, query: str, construct: str) -> None:
    with pytest.raises(QueryError) as info:
        index.search(SearchRequest(query))
    assert construct in info.value.message and info.value.position >= 0


# --- case 4 and 6: numbers in every printed form -------------------------------------------------------

@pytest.mark.parametrize("query", [
    'pn="US 2022/0159901 A1"', "pn=US2022/0159901A1", "pn=US2022159901A1", "pn=US20220159901", 'pn="us 2022-0159901"',
    "US2022/0159901A1", '"US 2022/0159901 A1"', "num=US20220159901A1",
    'ap="US 17/101,234"', "ap=US17101234", 'pr="JP 2019-123456"', "pr=JP2019123456", "pr=特願2019-123456",
    'pr="KR 10-2019-0012345"', "pr=KR20190012345", 'num="JP 2019-123456"',
    'ct="WO 01/23241"', "ct=WO0123241", "ct=WO2001023241", 'ct="US 8,421,271 B2"', "ct=US8421271",
    'ct="EP 1 325 900"', "ct=CN115982890A", 'ct="CN 115982890"',
])
def test_the_us_application_publication_by_any_of_its_numbers(index: KeywordIndex, query: str) -> None:
    assert found(index, query) == {"US20220159901A1"}


@pytest.mark.parametrize(("query", "number"), [
    ('pn="WO 2019/123456 A1"', "WO2019123456A1"), ("pn=WO2019123456A1", "WO2019123456A1"),
    ("pn=WO2019/123456", "WO2019123456A1"), ("ap=PCT/CN2018/123456", "WO2019123456A1"),
    ("pn=ZL201810358967.5", "CN108596780A"), ("ap=ZL201810358967.5", "CN108596780A"),
    ('ap="CN 2018 1 0358967.5"', "CN108596780A"), ("ap=201810358967.5", "CN108596780A"),
    ("num=ZL201810358967.5", "CN108596780A"), ("ZL201810358967.5", "CN108596780A"),
    ('pn="CN 108596780 A"', "CN108596780A"),
    ('pn="EP 1 325 900 A1"', "EP1325900A1"), ('ap="EP 01 963 450.0"', "EP1325900A1"),
    ("ap=EP01963450", "EP1325900A1"), ('pr="JP 2000-262347"', "EP1325900A1"),
])
def test_numbers_of_other_offices(index: KeywordIndex, query: str, number: str) -> None:
    assert found(index, query) == {number}


def test_a_wrong_check_character_is_an_error_not_a_silent_zero(index: KeywordIndex) -> None:
    with pytest.raises(QueryError, match="check character"):
        index.search(SearchRequest("pn=ZL201810358967.3"))
