"""Need → patent matching and value indicators through the real ``ipoffice`` command, the API and the portal
page (zh/en), on the web tests' register of real shared data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from e2e.conftest import Cli, make_cli
from e2e.web_app import WebRegister, web_register  # noqa: F401 - session fixture

NEED_ZH = "混合动力汽车倒车时对电池预充电以提高倒车性能"
NEED_EN = "online monitoring of the state of a steam trap drain valve on a pipeline"


def _lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def semantic_register(web_register: WebRegister) -> WebRegister:  # noqa: F811
    if not (web_register.settings.var_dir / "semantic").exists():
        pytest.skip("the web register's semantic index was not built (see the session's output)")
    return web_register


def test_cli_match_prints_one_json_line_per_right(semantic_register: WebRegister) -> None:
    cli = make_cli(semantic_register.settings.var_dir)
    rows = _lines(cli("match", NEED_ZH, "--limit", "3", "--json", today="2026-11-30").stdout)
    assert len(rows) == 3 and rows[0]["number"] == "US9358892B1"
    for row in rows:
        assert {"number", "score", "open_licence", "reasons", "status", "indicators"} <= set(row)
        assert row["open_licence"] is False and row["status"] == "granted"
        assert all({"label", "element", "why", "need_part"} <= set(r) for r in row["reasons"])
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    everything = _lines(cli("match", NEED_EN, "--limit", "2", "--all", "--json", today="2026-11-30").stdout)
    assert everything[0]["number"] == "CN116793661A" and everything[0]["status"] == "published"
    stats = json.loads(cli("match-log", "--json").stdout)
    assert stats["by_channel"].get("cli", 0) >= 2


@pytest.mark.parametrize(("args", "message"), [
    (("match", ""), "need: is empty"),
    (("match", "hand truck", "--limit", "0"), "limit: must be between 1 and 100"),
    (("value", "US99999999B2"), "number: US99999999B2 is not in the register"),
])
def test_cli_errors_name_the_field(semantic_register: WebRegister, args: tuple[str, ...], message: str) -> None:
    proc = make_cli(semantic_register.settings.var_dir)(*args, check=False)
    assert proc.returncode == 2 and message in proc.stderr.replace("\n", " ")


def test_cli_value_explains_each_indicator(semantic_register: WebRegister) -> None:
    cli = make_cli(semantic_register.settings.var_dir)
    value = json.loads(cli("value", "US9358892B1", "--json", today="2026-11-30").stdout)
    assert value["status"] == "granted"
    term = value["indicators"]["remaining_term"]
    assert term["value"] == 8.0 and term["expiry"] == "2034-12-02" and "35 U.S.C. 154(a)(2)" in term["explanation"]
    assert all(i["explanation"] for i in value["indicators"].values())


def _client(register: WebRegister) -> TestClient:
    from ipoffice.entrypoints.web.app import create_app

    return TestClient(create_app(register.settings))


def test_api_match_get_and_post_agree(semantic_register: WebRegister) -> None:
    with _client(semantic_register) as client:
        got = client.get("/api/v1/match", params={"need": NEED_ZH, "limit": 3})
        posted = client.post("/api/v1/match", json={"need": NEED_ZH, "limit": 3})
        assert got.status_code == posted.status_code == 200
        numbers = [m["number"] for m in got.json()["matches"]]
        assert numbers[0] == "US9358892B1" and numbers == [m["number"] for m in posted.json()["matches"]]
        assert got.json()["in_force_only"] is True
        everything = client.post("/api/v1/match", json={"need": NEED_EN, "limit": 2, "all": True}).json()
        assert everything["matches"][0]["number"] == "CN116793661A"
        value = client.get("/api/v1/value/EP3404678B1").json()
        assert value["indicators"]["claims"]["value"] > 0


@pytest.mark.parametrize(("method", "payload", "field"), [
    ("get", {"need": "", "limit": 3}, "need"),
    ("get", {"need": "truck", "limit": 0}, "limit"),
    ("post", {"need": "truck", "limit": 101}, "limit"),
    ("post", {"need": "   ", "limit": 3}, "need"),
    ("post", {"limit": 3}, "need"),
])
def test_api_bad_requests_name_the_field(semantic_register: WebRegister, method: str, payload: dict[str, Any],
                                         field: str) -> None:
    with _client(semantic_register) as client:
        response = (client.get("/api/v1/match", params=payload) if method == "get"
                    else client.post("/api/v1/match", json=payload))
        assert response.status_code == 422
        assert field in json.dumps(response.json())
        assert client.get("/api/v1/value/XX1").status_code in (404, 422)


@pytest.mark.parametrize(("lang", "heading", "across"), [("en", "Find patents for a need", "no shared words"),
                                                         ("zh", "按需求匹配专利", "无共同词语")])
def test_matching_page_in_both_languages(semantic_register: WebRegister, lang: str, heading: str,
                                         across: str) -> None:
    with _client(semantic_register) as client:
        empty = client.get("/match", params={"lang": lang})
        assert empty.status_code == 200 and f"<h1>{heading}</h1>" in empty.text
        page = client.get("/match", params={"lang": lang, "need": NEED_ZH, "limit": "10"})
        assert page.status_code == 200
        first = page.text.split('data-number="')[1].split('"')[0]
        assert first == "US9358892B1"
        assert across in page.text  # a Chinese need against English claims: matched by meaning
        bad = client.get("/match", params={"lang": lang, "need": "  ", "limit": "10"})
        assert bad.status_code == 422 and 'id="match-error"' in bad.text
        assert ("your need" if lang == "en" else "您的需求") in bad.text
        limit = client.get("/match", params={"lang": lang, "need": "truck", "limit": "many"})
        assert limit.status_code == 422 and "truck" in limit.text  # the need stays in the form


def test_value_counts_a_real_forward_citation(imported_register: tuple[Cli, dict[str, Any]]) -> None:
    cli, _ = imported_register
    value = json.loads(cli("value", "US6213934", "--json", today="2026-11-30").stdout)
    cited = value["indicators"]["forward_citations"]
    assert cited["value"] == 1 and cited["citing"] == ["US7783348B2"]  # which cites it as US6213934B1
    assert "US7783348B2" in cited["explanation"]
    citing = json.loads(cli("value", "US7783348B2", "--json", today="2026-11-30").stdout)
    assert citing["indicators"]["forward_citations"]["value"] == 0


def test_match_without_the_semantic_index_says_how_to_build_it(cli: Cli) -> None:
    proc = cli("match", "battery cooling", check=False)
    assert proc.returncode == 2 and "ipoffice index rebuild" in proc.stderr
