"""PatentsView CSV export: the two real koehrsen files, and broken rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ipoffice.adapters.importers.base import ImportProblem
from ipoffice.adapters.importers.patentsview_csv import PatentsViewCsvImporter
from ipoffice.domain.document import Document, RightType, TextField

IMPORTER = PatentsViewCsvImporter()
HEADER = "patent_abstract,patent_date,patent_number,patent_title\n"


def _read(path: Path) -> dict[str, Document]:
    records = list(IMPORTER.read(path))
    assert [r for r in records if isinstance(r, ImportProblem)] == []
    return {r.number.compact: r for r in records if isinstance(r, Document)}


@pytest.fixture(scope="module")
def baseball(data_dir: Path) -> dict[str, Document]:
    return _read(data_dir / "us_abstracts" / "koehrsen_baseball_patent_query.csv")


@pytest.fixture(scope="module")
def neural(data_dir: Path) -> dict[str, Document]:
    return _read(data_dir / "us_abstracts" / "koehrsen_neural_network_patent_query.csv")


def test_every_row_is_a_document(baseball: dict[str, Document], neural: dict[str, Document]) -> None:
    assert (len(neural), len(baseball)) == (3522, 2664)
    assert sum(1 for d in baseball.values() if d.right_type == RightType.DESIGN) == 608


def test_utility_patent_without_kind(baseball: dict[str, Document]) -> None:
    d = baseball["US5269177"]
    assert (d.number.country, d.number.serial, d.number.kind) == ("US", "5269177", None)
    assert d.publication_date == date(1993, 12, 14)
    # The cell was quoted twice by the exporter; one level is undone.
    assert d.title == (
        'Apparatus and method for determining the center of percussion ("sweet spot") for baseball bats '
        "and other objects"
    )
    assert d.text(TextField.ABSTRACT, "en").startswith(
        "Apparatus and method is provided for determining the subjective sweet spot of a baseball bat"
    )
    assert d.source_format == "patentsview-csv"


def test_design_patent_has_no_abstract(baseball: dict[str, Document]) -> None:
    d = baseball["USD349814"]
    assert d.right_type == RightType.DESIGN
    assert d.publication_date == date(1994, 8, 23)
    assert d.title == "A soft foam insert for a combined baseball and card storage tray"
    assert d.text(TextField.ABSTRACT) is None  # "NULL" in the file


def test_double_quoted_title_and_abstract(neural: dict[str, Document]) -> None:
    d = neural["US5535303"]
    assert d.title == '"Barometer" neuron for a neural network'
    assert d.text(TextField.ABSTRACT, "en").startswith('A "Barometer" Neuron enhances stability')
    assert d.publication_date == date(1996, 7, 9)


def test_bad_rows_are_problems_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "An abstract,1996-13-09,5535303,A title\n"
        + "An abstract,1996-07-09,,A title\n"
        + "An abstract,1996-07-09,5535304,A good title\n"
    )
    records = list(IMPORTER.read(path))
    problems = [r for r in records if isinstance(r, ImportProblem)]
    assert [(p.record, p.field) for p in problems] == [("line 2", "patent_date"), ("line 3", "patent_number")]
    assert [r.number.compact for r in records if isinstance(r, Document)] == ["US5535304"]


def test_not_a_patentsview_csv_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    (problem,) = IMPORTER.read(path)
    assert isinstance(problem, ImportProblem) and problem.field == "file"


def test_sniff() -> None:
    assert IMPORTER.sniff(Path("x.csv"), HEADER.encode() + b'"An abstract')
    assert not IMPORTER.sniff(Path("x.csv"), b"publication_number,text,labels,n_labels\n")
