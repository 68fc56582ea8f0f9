"""Issue #13 over a small index of invented documents: Chinese phrases keep their word order (case 8),
Taiwan variants meet simplified queries (case 5), Espacenet syntax (case 6) and printed numbers (case 4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ipoffice.adapters.search_index import KeywordIndex
from ipoffice.domain.document import (
    Claim,
    Document,
    LocalizedText,
    TextField,
)
from ipoffice.domain.numbers import PublicationNumber
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
