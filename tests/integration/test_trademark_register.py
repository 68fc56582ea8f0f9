"""The 22 real trademark records in the register, on SQLite and PostgreSQL: every field the readers give
comes back from the database, the marks are found by their offices' printed numbers, never confused with a
patent of the same office, exported as ST.66 from the register and read back equal; the register extract's
status; ``ipoffice show`` and ``ipoffice export st66``."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipoffice.adapters.importers import IMPORTERS, detect_format
from ipoffice.adapters.register import SqlRegister
from ipoffice.adapters.st66_export import write_transaction
from ipoffice.domain.document import Document, LocalizedText, TextField
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.trademark import trademark_number
from ipoffice.services.documents import DocumentNotFound, get_document
from ipoffice.services.exporting import export_st66
from ipoffice.services.importing import Importer
from ipoffice.services.portal_queries import pool_entries
from ipoffice.services.register_extract import build_extract
from unit.trademark_files import EXPECTED, ST66_FILES, trademark_dir


def _records(folder: Path, names: list[str] | None = None) -> list[Document]:
    docs = []
    for name in names or sorted(EXPECTED):
        path = folder / name
        docs += [r for r in IMPORTERS[detect_format(path) or ""].read(path) if isinstance(r, Document)]
    return docs


@pytest.fixture
def folder(data_dir: Path) -> Path:
    return trademark_dir(data_dir)


@pytest.fixture
def filled(register: SqlRegister, folder: Path) -> tuple[SqlRegister, list[Document]]:
    report = Importer(register, batch_size=5).run([folder])  # the service `ipoffice import` runs
    assert report.problems == []
    assert report.counts.added == 22
    assert [n.message.split(":")[0] for n in report.notes] == ["ALTM-T-1996-001287"]  # its 1900-01-01
    return register, _records(folder)


def test_every_field_comes_back_from_the_register(filled: tuple[SqlRegister, list[Document]], folder: Path) -> None:
    register, docs = filled
    for doc in docs:
        assert register.get(doc.number.compact) == doc
    again = Importer(register).run([folder])
    assert (again.counts.added, again.counts.updated, again.counts.unchanged) == (0, 0, 22)  # a no-op


PRINTED = [  # (as printed, office given apart, the mark's key)
    ("AL/T/1996/001287", None, "ALTM-T-1996-001287"),
    ("AL 007650", None, "ALTM-T-1996-001287"),
    ("007650", "AL", "ALTM-T-1996-001287"),
    ("7650", None, "ALTM-T-1996-001287"),
    ("ALTM-T-1996-001287", None, "ALTM-T-1996-001287"),
    ("KH/673426/M", None, "KHTM-673426-M"),
    ("673426", "KH", "KHTM-673426-M"),
    ("MMA1501730141", None, "BRTM-MMA1501730141"),
    ("IL 160158", None, "ILTM-160158"),
    ("1161423", None, "ILTM-256447"),  # the international registration number
    ("2006/1856", "TO", "TOTM-2006-1856"),
    ("TO 1611", None, "TOTM-2006-1856"),
]


def test_a_mark_by_its_offices_printed_numbers(filled: tuple[SqlRegister, list[Document]]) -> None:
    register, _ = filled
    found = [(printed, office, get_document(register, printed, office).number.compact)
             for printed, office, _ in PRINTED]
    assert found == PRINTED


def test_a_number_of_several_marks_asks_for_the_office(filled: tuple[SqlRegister, list[Document]]) -> None:
    register, _ = filled
    samoa = register.get("WSTM-T-620")
    assert samoa is not None
    register.save_documents([(Document(trademark_number("LA", "620"), mark_text="X", mark=samoa.mark), None)])
    with pytest.raises(DocumentNotFound, match="give the office"):
        get_document(register, "620")
    assert get_document(register, "620", "WS").number.compact == "WSTM-T-620"


def test_a_mark_and_a_patent_with_the_same_number_stay_apart(register: SqlRegister) -> None:
    from ipoffice.domain.document import RightType
    from ipoffice.domain.trademark import MarkDetails

    patent = Document(PublicationNumber.parse("US 1234567"), publication_date=date(1990, 1, 1),
                      texts=[LocalizedText(TextField.TITLE, "en", "A patent")])
    mark = Document(trademark_number("US", "1234567"), RightType.TRADEMARK, mark_text="A MARK",
                    mark=MarkDetails(registration_number="1234567", status_text="Registered"))
    assert register.save_documents([(patent, None), (mark, None)]).added == 2
    assert get_document(register, "US 1234567").title == "A patent"
    assert get_document(register, "US1234567").title == "A patent"
    assert get_document(register, "1234567", "US").mark_text == "A MARK"
    assert get_document(register, "USTM-1234567").mark_text == "A MARK"


def test_st66_export_from_the_register_reads_back(filled: tuple[SqlRegister, list[Document]],
                                                  tmp_path: Path) -> None:
    register, _ = filled
    for name in ST66_FILES:
        key = EXPECTED[name].key
        path = tmp_path / f"{key}.xml"
        with path.open("wb") as out:
            assert export_st66(register, [key], out) == 1
        back = [r for r in IMPORTERS["st66-xml"].read(path) if isinstance(r, Document)]
        stored = register.get(key)
        assert stored is not None and stored.mark is not None and back[0].mark is not None
        assert back[0].mark.feature == stored.mark.feature
        # The office's own wording of the feature has no place in ST.66 (its ST.66 value does).
        assert replace(back[0], mark=replace(back[0].mark, feature_text=None)) == replace(
            stored, mark=replace(stored.mark, feature_text=None)), name


def test_export_refuses_a_patent(filled: tuple[SqlRegister, list[Document]]) -> None:
    register, _ = filled
    register.save_documents([(Document(PublicationNumber.parse("US 7654321 B2"),
                                       texts=[LocalizedText(TextField.TITLE, "en", "P")]), None)])
    with pytest.raises(ValueError, match="not a trademark record"):
        export_st66(register, ["ALTM-T-1996-001287", "US7654321B2"], io.BytesIO())
    with pytest.raises(DocumentNotFound):
        export_st66(register, ["XXTM-1"], io.BytesIO())


STATUSES = [  # (mark, status, since)
    ("ALTM-T-1996-001287", "expired", date(2006, 10, 28)),
    ("IDTM-D002014030000", "refused", date(2017, 2, 8)),
    ("BRTM-MMA1501730141", "pending", None),
    ("KHTM-673426-M", "registered", date(2016, 10, 27)),
    ("ILTM-80142", "cancelled", date(2012, 12, 31)),  # no status date: the latest event's
    ("ILTM-317809", "pending", date(2020, 7, 30)),
    ("TOTM-2000-511", "registered", date(2000, 5, 12)),  # office code 1058 only: registered, by its date
]


def test_the_register_extract_gives_the_marks_status(filled: tuple[SqlRegister, list[Document]]) -> None:
    register, _ = filled
    for key, status, since in STATUSES:
        doc = register.get(key)
        assert doc is not None
        extract = build_extract(doc)
        assert (key, extract.status.code, extract.status.since) == (key, status, since)
        assert extract.title == (doc.mark_text or "")
        assert [c for c in extract.classifications if c.startswith("Nice")] == [
            f"Nice {n}" for n in dict.fromkeys(EXPECTED_CLASSES[key])]
    # The search results' legal status (read in bulk, without loading the documents) is the same.
    pool = pool_entries(register, [key for key, _, _ in STATUSES])
    assert {key: pool[key].status for key, _, _ in STATUSES} == {key: status for key, status, _ in STATUSES}


EXPECTED_CLASSES = {e.key: e.classes for e in EXPECTED.values()}


def test_cli_import_show_and_export(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipoffice.entrypoints.cli import app

    monkeypatch.setenv("IPOFFICE_VAR", str(tmp_path))
    monkeypatch.setenv("IPOFFICE_DATABASE_URL", f"sqlite:///{tmp_path}/r.db")
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(folder), "--json", "--readers", "0"])
    assert result.exit_code == 0, result.output
    assert '"added": 22' in result.output
    result = runner.invoke(app, ["show", "007650", "--office", "AL"])
    assert result.exit_code == 0, result.output
    for text in ("ALTM-T-1996-001287", "mark: SRI", "status: expired (Expired, 2006-10-28)", "class 4 (sq)",
                 "registration 007650"):
        assert text in result.output
    result = runner.invoke(app, ["show", "MG/M/2018/516"])
    assert "VIENNA 03.11.10" in result.output and "2019-01-17 Registered [079] TM Enregistree" in result.output
    out = tmp_path / "marks.xml"
    result = runner.invoke(app, ["export", "st66", "AL/T/1996/001287", "ILTM-160158", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len([r for r in IMPORTERS["st66-xml"].read(out) if isinstance(r, Document)]) == 2
    result = runner.invoke(app, ["export", "st66", "XXTM-404", "-o", str(tmp_path / "none.xml")])
    assert result.exit_code == 1 and "no document" in result.output
    assert not (tmp_path / "none.xml").exists()


def test_the_document_page_shows_the_mark(folder: Path, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from ipoffice.bootstrap import open_register
    from ipoffice.config import Settings
    from ipoffice.entrypoints.web.app import create_app

    settings = Settings(database_url=f"sqlite:///{tmp_path}/r.db", shared_dir=tmp_path, var_dir=tmp_path)
    open_register(settings).save_documents([(d, None) for d in _records(folder)])
    client = TestClient(create_app(settings))
    page = client.get("/documents/MGTM-M-2018-516")
    assert page.status_code == 200
    for text in ('id="mark-text">chicetnic<', "27.05.08", "Class 25", "TM Enregistree", "Registered",
                 'id="registration-number">19695<'):
        assert text in page.text
    page = client.get("/documents/ILTM-317809", headers={"Accept-Language": "zh"})
    assert page.status_code == 200
    assert "第35类" in page.text and "HAREVAH KOLO SHLACHIM" in page.text and "26.02" in page.text
    assert client.get("/register/IDTM-D002014030000").status_code == 200
    assert client.get("/api/v1/documents/IDTM-D002014030000").json()["legal_status"]["status"] == "refused"


def test_write_transaction_counts(folder: Path) -> None:
    out = io.BytesIO()
    assert write_transaction(_records(folder, ST66_FILES), out) == len(ST66_FILES)
    assert out.getvalue().startswith(b"<?xml")
