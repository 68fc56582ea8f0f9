"""``ipoffice show`` and the API's document lookup read every printed form of a number (issue #13, case 4),
on SQLite and PostgreSQL; invented documents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.document import Document, LocalizedText, TextField
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.services.documents import DocumentNotFound, get_document


def _doc(number: str, application: str | None, published: date) -> Document:
    return Document(number=PublicationNumber.parse(number), publication_date=published,
                    application_number=application, texts=[LocalizedText(TextField.TITLE, "en", f"Title {number}")])


DOCUMENTS = [
    _doc("US20220159901A1", "17/101,234", date(2022, 5, 26)),
    _doc("US8421271B2", "12/345,678", date(2013, 4, 16)),
    _doc("WO2019123456A1", "PCT/CN2018/123456", date(2019, 6, 27)),
    _doc("EP1325900A1", "01963450.0", date(2003, 7, 9)),
    _doc("CN108596780A", "201810358967.5", date(2018, 9, 28)),
    _doc("CN108596780B", "201810358967.5", date(2020, 3, 3)),
    # Recorded without a kind code, as the PatentsView exports give them.
    _doc("US7012893", None, date(2006, 3, 14)),
    _doc("USD520010", None, date(2006, 5, 2)),
]


@pytest.fixture
def filled(register: SqlRegister) -> SqlRegister:
    register.save_documents([(d, None) for d in DOCUMENTS])
    return register


@pytest.mark.parametrize(("printed", "number"), [
    ("US 2022/0159901 A1", "US20220159901A1"), ("US2022/0159901A1", "US20220159901A1"),
    ("US2022159901A1", "US20220159901A1"), ("us 2022-0159901", "US20220159901A1"),
    ("US 8,421,271 B2", "US8421271B2"), ("U.S. Pat. No. 8,421,271", "US8421271B2"), ("US-8421271-B2", "US8421271B2"),
    ("WO 2019/123456 A1", "WO2019123456A1"), ("WO2019123456A1", "WO2019123456A1"),
    ("EP 1 325 900 A1", "EP1325900A1"), ("EP 01 963 450.0", "EP1325900A1"),
    ("CN 108596780 A", "CN108596780A"), ("ZL201810358967.5", "CN108596780B"), ("201810358967.5", "CN108596780B"),
    ("ZL 2018 1 0358967.5", "CN108596780B"), ("US 17/101,234", "US20220159901A1"),
    # A kind code finds the document recorded without one.
    ("US 7,012,893 B2", "US7012893"), ("US7012893B2", "US7012893"), ("US 7,012,893", "US7012893"),
    ("US D520,010 S", "USD520010"), ("USD520010S", "USD520010"),
])
def test_a_document_by_any_printed_form_of_its_numbers(filled: SqlRegister, printed: str, number: str) -> None:
    assert get_document(filled, printed).number.compact == number


def test_a_kind_code_never_finds_a_publication_of_another_kind(filled: SqlRegister) -> None:
    with pytest.raises(DocumentNotFound):
        get_document(filled, "US8421271B1")  # the register holds US8421271B2 only


@pytest.mark.parametrize(("printed", "why"), [("ZL201810358967.3", "check character"), ("hello", "not a publication")])
def test_an_unreadable_number_says_why(filled: SqlRegister, printed: str, why: str) -> None:
    with pytest.raises(DocumentNotFound, match=why):
        get_document(filled, printed)


def test_cli_show_reads_a_printed_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipoffice.bootstrap import open_register
    from ipoffice.config import Settings
    from ipoffice.entrypoints.cli import app

    settings = Settings(database_url=f"sqlite:///{tmp_path}/r.db", shared_dir=tmp_path, var_dir=tmp_path)
    open_register(settings).save_documents([(d, None) for d in DOCUMENTS])
    monkeypatch.setenv("IPOFFICE_VAR", str(tmp_path))
    monkeypatch.setenv("IPOFFICE_DATABASE_URL", settings.database_url)
    result = CliRunner().invoke(app, ["show", "US 2022/0159901 A1"])
    assert result.exit_code == 0, result.output
    assert "Title US20220159901A1" in result.output
    result = CliRunner().invoke(app, ["show", "ZL201810358967.5", "--json"])
    assert result.exit_code == 0, result.output
    assert '"CN108596780B"' in result.output or "CN108596780B" in result.output
