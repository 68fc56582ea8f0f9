"""Chinese patent CSV sample: 57 real rows among empty padding lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipoffice.adapters.importers.base import ImportProblem
from ipoffice.adapters.importers.cn_csv import CnCsvImporter
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import Classification, Document, RightType, TextField

IMPORTER = CnCsvImporter()
HEADER = "publication_number,text,labels,n_labels\n"


@pytest.fixture(scope="module")
def documents(data_dir: Path) -> dict[str, Document]:
    out: dict[str, Document] = {}
    for path in sorted((data_dir / "cn").glob("liaoleyuan_sample_*.csv")):
        records = list(IMPORTER.read(path))
        assert [r for r in records if isinstance(r, ImportProblem)] == []  # padding lines are no problems
        out.update({r.number.compact: r for r in records if isinstance(r, Document)})
    return out


def test_57_real_rows(documents: dict[str, Document]) -> None:
    assert len(documents) == 57
    assert {d.right_type for d in documents.values()} == {RightType.INVENTION}
    assert {t.lang for d in documents.values() for t in d.texts} == {"zh"}


def test_title_keywords_abstract_layout(documents: dict[str, Document]) -> None:
    d = documents["CN117151122A"]
    assert (d.number.country, d.number.serial, d.number.kind) == ("CN", "117151122", "A")
    assert d.text(TextField.TITLE, "zh") == "一种基于自然语言处理的银行客服会话问答处理方法及系统"
    assert d.text(TextField.ABSTRACT, "zh").startswith("本发明涉及人工智能技术领域，尤其是涉及一种")
    assert [c.symbol for c in d.classifications] == [
        "G06F 16/3329", "G06F 16/35", "G06F 40/247", "G06F 40/253", "G06F 40/284", "G06F 40/35",
    ]
    assert {c.scheme for c in d.classifications} == {Scheme.CPC}


def test_sep_layout(documents: dict[str, Document]) -> None:
    d = documents["CN118866379A"]
    assert d.title == "一种用于心理障碍测评的数据处理及管理方法及系统"
    assert d.text(TextField.ABSTRACT).startswith("本发明提出了一种用于心理障碍测评的数据处理及管理方法及系统。")
    assert d.classifications == [Classification(Scheme.CPC, "G06F 18/2433"), Classification(Scheme.CPC, "G06F 40/216")]


def test_indexing_form_folds_full_width(documents: dict[str, Document]) -> None:
    title = next(t for t in documents["CN115734619A"].texts if t.field == TextField.TITLE)
    assert title.text == "使用晶片到晶片键合的三维（3d）存储装置"
    assert title.normalised == "使用晶片到晶片键合的三维(3d)存储装置"


def test_cpc_indexing_code_with_four_digit_main_group(documents: dict[str, Document]) -> None:
    assert Classification(Scheme.CPC, "G06F 2009/4557") in documents["CN118193209A"].classifications


def test_utility_model_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "cn.csv"
    path.write_text(
        HEADER
        + '"CN221234567U","Title: 一种夹具\nKeywords: clamp\nAbstract: 本实用新型公开了一种夹具。","[""B25B5/00""]",1\n'
        + ",,,\n"
        + '"CN1A","no layout here","[]",0\n'
        + '"CN117151122A","t [SEP] k [SEP] a","[""G06F16/35""]",2\n'
        + '"CN117151123A","t [SEP] k [SEP] a","not json",1\n'
    )
    records = list(IMPORTER.read(path))
    (model,) = [r for r in records if isinstance(r, Document)]
    assert model.right_type == RightType.UTILITY_MODEL
    assert model.classifications == [Classification(Scheme.CPC, "B25B 5/00")]
    problems = [(r.record, r.field) for r in records if isinstance(r, ImportProblem)]
    assert problems == [("line 6", "text"), ("line 7", "n_labels"), ("line 8", "labels")]


def test_sniff() -> None:
    assert IMPORTER.sniff(Path("x.csv"), "\ufeff".encode() + HEADER.encode())
    assert not IMPORTER.sniff(Path("x.csv"), b"patent_abstract,patent_date,patent_number,patent_title\n")
