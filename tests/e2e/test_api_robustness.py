"""Hostile parameters of the search API and pages: huge and negative numbers, non-UTF-8 and over-long
queries. The API answers 422 naming the parameter; no page or API answer is a 5xx. (Nested parentheses and
dates outside 1677-2262 are in test_security.py.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from e2e.web_app import WebRegister, web_register  # noqa: F401 - the session fixture
from ipoffice.domain.query_limits import MAX_QUERY_CHARS, MAX_TEXT_CHARS

SEARCH_API = ("/api/v1/search", "/api/v1/facets")
PAGES = ("/search", "/search.csv", "/")


@pytest.fixture(scope="module")
def client(web_register: WebRegister) -> Iterator[TestClient]:  # noqa: F811
    from ipoffice.entrypoints.web.app import create_app

    with TestClient(create_app(web_register.settings), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/api/v1/search", "limit=-5", "limit"),
    ("/api/v1/search", "limit=99999999999999999999999", "limit"),
    ("/api/v1/search", "offset=-1", "offset"),
    ("/api/v1/search", "offset=9223372036854775808", "offset"),
    ("/api/v1/search", "offset=1e9", "offset"),
    ("/api/v1/search", "before=2300-01-01", "before"),
    ("/api/v1/search", "before=0001-01-01", "before"),
    ("/api/v1/facets", "limit=-1", "limit"),
    ("/api/v1/facets", "limit=18446744073709551617", "limit"),
    ("/api/v1/documents/EP0449582B1/similar", "limit=-3", "limit"),
])
def test_out_of_range_numbers_are_422_naming_the_parameter(client: TestClient, path: str, params: str,
                                                          field: str) -> None:
    response = client.get(f"{path}?q=wireless&{params}")
    assert response.status_code == 422, response.text[:300]
    body = response.json()
    named = [f["field"] for f in body["fields"]] if "fields" in body else [body["error"]["field"]]
    assert named == [field]


@pytest.mark.parametrize("raw", ["q=%FF%FE", "q=wireless%C3%28", "q=%ED%A0%80", "q=%C0%AF", "q=ok&mode=%FF"])
@pytest.mark.parametrize("path", SEARCH_API)
def test_non_utf8_parameters_are_422_naming_the_parameter(client: TestClient, path: str, raw: str) -> None:
    response = client.get(f"{path}?{raw}")
    assert response.status_code == 422, response.text[:300]
    error = response.json()["error"]
    assert error["field"] == raw.rsplit("&", 1)[-1].split("=")[0] and "UTF-8" in error["message"]


def test_utf8_and_plus_encoded_queries_still_search(client: TestClient) -> None:
    assert client.get("/api/v1/search?q=%E5%BF%83%E7%90%86%E9%9A%9C%E7%A2%8D").status_code == 200  # 心理障碍
    assert client.get("/api/v1/search?q=measuring+method").json()["total"] >= 1


@pytest.mark.parametrize("length", [MAX_QUERY_CHARS + 1, MAX_TEXT_CHARS + 1, 60_000])
@pytest.mark.parametrize("path", SEARCH_API)
def test_very_long_queries_are_422_naming_q(client: TestClient, path: str, length: int) -> None:
    q = ("wireless " * (length // 9 + 1))[:length]
    response = client.get(path, params={"q": q})
    assert response.status_code == 422, response.text[:300]
    body = response.json()
    named = [f["field"] for f in body["fields"]] if "fields" in body else [body["error"]["field"]]
    assert named == ["q"] and len(response.text) < 2_000  # the query is not echoed back


@pytest.mark.parametrize("params", [
    "q=wireless&page=99999999999999999999", "q=wireless&page=-1", "q=wireless&page=1000", "q=wireless&page=x",
    "q=%FF%FE", "q=wire%00less", "q=" + "(" * 500 + "a" + ")" * 500, "q=pd%3E%3D2300", "q=" + "a%20" * 3000,
    "q=wireless&mode=semantic&page=1000", "q=wireless&f_year=99999", "q=wireless&f_ipc_class=%FF",
])
@pytest.mark.parametrize("path", PAGES)
def test_pages_never_answer_5xx(client: TestClient, path: str, params: str) -> None:
    response = client.get(f"{path}?{params}")
    assert response.status_code < 500 or "semantic index" in response.text, response.text[-500:]
    if response.status_code == 422:
        assert "error" in response.text.lower()
