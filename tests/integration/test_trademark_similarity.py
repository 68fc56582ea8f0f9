"""Word-mark similarity search over the register's real trademark records, on SQLite and PostgreSQL: variants
of real marks find them with their reasons, ``before`` keeps only earlier marks, the goods weigh the rank, the
index follows the register, a Chinese mark finds its English meaning (the real multilingual embedder), and bad
input names its field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from integration.search_corpus import shared_vector_cache
from ipoffice.adapters.embeddings import cached_embedder
from ipoffice.adapters.mark_records import trademark_records, trademark_state
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.document import Document, GoodsAndServices, RightType
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.trademark import trademark_number
from ipoffice.services.importing import Importer
from ipoffice.services.trademark_similarity import TrademarkSimilarity
from unit.trademark_files import trademark_dir


def _search(register: SqlRegister, folder: Path, *, meanings: bool = False) -> TrademarkSimilarity:
    engine = register.engine
    encoder = (lambda: cached_embedder(shared_vector_cache())) if meanings else None
    return TrademarkSimilarity(folder, lambda: trademark_records(engine), lambda: trademark_state(engine), encoder)


@pytest.fixture
def filled(register: SqlRegister, data_dir: Path) -> SqlRegister:
    report = Importer(register, batch_size=10).run([trademark_dir(data_dir)])
    assert report.problems == [] and report.counts.added == 22
    return register


def _mark(serial: str, text: str, classes: list[int], filed: date) -> Document:
    return Document(number=trademark_number("CN", serial), right_type=RightType.TRADEMARK, mark_text=text,
                    application_date=filed, publication_date=filed, source_format="test",
                    goods_and_services=[GoodsAndServices(c, "goods") for c in classes])


@pytest.mark.parametrize(("query", "number", "kind"), [
    ("T0PGUN", "ILTM-310118", "visual"),  # TOPGUN, Israel
    ("FAIRPLAI", "ILTM-250001", "phonetic"),  # FAIRPLAY
    ("CHLORALITE", "ILTM-80142", "visual"),  # CHLORALIT
    ("BABY MONET KIDS", "ILTM-180001", "containment"),  # BABY MONET inside the mark searched
    ("VERIZON", "TOTM-2006-1856", "containment"),  # inside VERIZON BUSINESS & device
])
def test_variants_of_real_marks_find_them_first_with_the_reason(filled: SqlRegister, tmp_path: Path, query: str,
                                                                 number: str, kind: str) -> None:
    found = _search(filled, tmp_path / "marks").earlier_marks(query, limit=5)
    assert found[0].number == number
    assert kind in [r.kind.value for r in found[0].reasons]
    assert found[0].as_json()["reasons"][0].keys() == {"kind", "score", "detail", "code", "params"}


def test_only_marks_filed_before_the_date_and_the_goods_weigh(filled: SqlRegister, tmp_path: Path) -> None:
    filled.save_documents([(_mark("2020-1", "TOPGUN", [13], date(2020, 5, 1)), None),
                           (_mark("2021-1", "TOPGUN", [9], date(2021, 5, 1)), None),
                           (_mark("1965-1", "TOPGUNS", [13], date(1965, 3, 1)), None)])
    search = _search(filled, tmp_path / "marks")
    earlier = search.earlier_marks("TOPGUN", [13], before=date(2020, 1, 1), limit=10)
    # ILTM filed 2018-10-21 and a mark of 1965 (before the day numbers' epoch); the 2020 and 2021 marks are later
    assert [e.number for e in earlier] == ["ILTM-310118", "CNTM-1965-1"]
    assert [e.number for e in search.earlier_marks("TOPGUN", [13], before=date(1966, 1, 1))] == ["CNTM-1965-1"]
    ranked = [e.number for e in search.earlier_marks("TOPGUN", [9], limit=3)]
    assert ranked[0] == "CNTM-2021-1"  # the same class first, then the identical marks of other classes
    goods = next(r for r in search.earlier_marks("TOPGUN", [42], limit=3)[0].reasons if r.kind.value == "goods")
    assert "42~9" in goods.detail  # the class wanted ~ the earlier mark's


def test_the_index_follows_the_register(filled: SqlRegister, tmp_path: Path) -> None:
    search = _search(filled, tmp_path / "marks")
    assert not [e for e in search.earlier_marks("ZENITHRA", limit=5) if e.mark == "ZENITHRA"]
    filled.save_documents([(_mark("2022-7", "ZENITHRA", [3], date(2022, 1, 3)), None)])
    assert search.earlier_marks("ZENITHRA", limit=1)[0].number == "CNTM-2022-7"


def test_a_chinese_mark_finds_its_english_meaning_and_its_homophone(filled: SqlRegister, tmp_path: Path) -> None:
    filled.save_documents([(_mark("2019-1", "熊猫", [30], date(2019, 1, 1)), None),
                           (_mark("2019-2", "PANDA", [30], date(2019, 1, 2)), None)])
    search = _search(filled, tmp_path / "marks", meanings=True)
    by_meaning = search.earlier_marks("熊猫", limit=5)
    panda = next(e for e in by_meaning if e.number == "CNTM-2019-2")
    assert "conceptual" in [r.kind.value for r in panda.reasons]
    homophone = search.earlier_marks("雄猫", limit=3)[0]  # xiong mao, another character for xiong
    assert homophone.number == "CNTM-2019-1"
    assert "the same pinyin xiong mao" in " ".join(r.detail for r in homophone.reasons)


@pytest.mark.parametrize(("mark", "classes", "limit", "field"), [
    ("", [], 5, "mark"), ("☆ ☆", [], 5, "mark"), ("ACME", [0], 5, "classes"), ("ACME", [46], 5, "classes"),
    ("ACME", [], 0, "limit"),
])
def test_bad_input_names_its_field(filled: SqlRegister, tmp_path: Path, mark: str, classes: list[int], limit: int,
                                   field: str) -> None:
    with pytest.raises(InvalidField) as caught:
        _search(filled, tmp_path / "marks").earlier_marks(mark, classes, limit=limit)
    assert caught.value.field == field
