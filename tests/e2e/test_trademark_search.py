"""``ipoffice tm search`` and ``GET /api/v1/trademarks/search`` on a register of the real trademark records
(../shared/data/trademarks): one JSON line per earlier mark with its reasons, the same results through both,
and errors that name the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipoffice.config import Settings
from unit.trademark_files import trademark_dir

from .conftest import Cli


@pytest.fixture(scope="module")
def marks_register(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> tuple[Cli, Path]:
    from .conftest import make_cli

    var = tmp_path_factory.mktemp("trademarks")
    cli = make_cli(var)
    cli("import", str(trademark_dir(shared / "data")))
    return cli, var


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_cli_json_lines_with_reasons_then_the_api_agrees(marks_register: tuple[Cli, Path], shared: Path) -> None:
    from ipoffice.entrypoints.web.app import create_app

    cli, var = marks_register
    lines = _lines(cli("tm", "search", "T0PGUN", "--classes", "13,28", "--limit", "3", "--json").stdout)
    assert lines[0]["number"] == "ILTM-310118" and lines[0]["mark"] == "TOPGUN" and lines[0]["classes"] == [13]
    assert set(lines[0]) == {"number", "mark", "score", "classes", "filed", "reasons"}
    assert {"visual", "phonetic", "goods"} <= {r["kind"] for r in lines[0]["reasons"]}
    assert 0 < lines[0]["score"] <= 1 and len(lines) <= 3
    settings = Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=shared, var_dir=var)
    with TestClient(create_app(settings)) as client:
        body = client.get("/api/v1/trademarks/search",
                          params={"mark": "T0PGUN", "classes": "13,28", "limit": 3}).json()
        assert body["results"] == lines
        bad = client.get("/api/v1/trademarks/search", params={"mark": "ACME", "classes": "9,x"})
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "classes"
        empty = client.get("/api/v1/trademarks/search", params={"mark": "☆"})
        assert empty.status_code == 422 and empty.json()["error"]["field"] == "mark"


@pytest.mark.parametrize(("args", "message"), [
    (("tm", "search", "ACME", "--classes", "nine"), "--classes"),
    (("tm", "search", "ACME", "--classes", "50"), "--classes"),
    (("tm", "search", "☆"), "MARK"),
    (("tm", "search", "ACME", "--before", "yesterday"), "--before"),
])
def test_cli_errors_name_the_option(marks_register: tuple[Cli, Path], args: tuple[str, ...], message: str) -> None:
    cli, _ = marks_register
    proc = cli(*args, check=False)
    assert proc.returncode == 2 and message in proc.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_portal_page_lists_earlier_marks_with_reasons_in_both_languages(marks_register: tuple[Cli, Path],
                                                                        shared: Path, lang: str) -> None:
    from ipoffice.entrypoints.web.app import create_app
    from ipoffice.entrypoints.web.messages_trademarks import CATALOGUE

    _, var = marks_register
    settings = Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=shared, var_dir=var)
    messages = CATALOGUE[lang]
    with TestClient(create_app(settings)) as client:
        client.get(f"/lang/{lang}")
        empty = client.get("/trademarks/search")
        assert empty.status_code == 200 and messages["tm.title"] in empty.text and "tm-results" not in empty.text
        page = client.get("/trademarks/search", params={"mark": "T0PGUN", "classes": "13"})
        assert page.status_code == 200 and "ILTM-310118" in page.text
        assert messages["tm.reason.visual"] in page.text and messages["tm.reason.goods"] in page.text
        assert client.get("/documents/ILTM-310118").status_code == 200  # each number links to its record
        bad = client.get("/trademarks/search", params={"mark": "T0PGUN", "classes": "9,x"})
        assert bad.status_code == 422 and messages["tm.error.classes"] in bad.text
        assert 'value="9,x"' in bad.text and 'value="T0PGUN"' in bad.text  # what was typed stays
        assert client.get("/trademarks/search", params={"mark": "☆"}).status_code == 422
