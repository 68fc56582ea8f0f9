"""Security of the portal (issue #12): headers on every response class, self-hosted API docs under the CSP,
no inline script, formula-safe CSV export, no server path in errors, bad queries as 422 (never 500),
login throttling, logout revoking the session, API tokens listed/revoked/expired, no demo password shown
where no demo user was seeded."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from e2e.web_app import PASSWORD, WebRegister, api_token, web_register  # noqa: F401 - the session fixture
from ipoffice.config import Settings

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "ipoffice" / "entrypoints" / "web" / "templates"
NESTED = "(" * 400 + "wireless" + ")" * 400


@pytest.fixture(scope="module")
def app(web_register: WebRegister) -> FastAPI:  # noqa: F811
    from ipoffice.entrypoints.web.app import create_app

    app = create_app(web_register.settings)

    def boom() -> None:
        raise RuntimeError(f"failure in {web_register.settings.var_dir}")

    app.add_api_route("/api/v1/test-boom", boom, include_in_schema=False)
    return app


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def empty_settings() -> Settings:
    """A register without any search index (as before `ipoffice index rebuild`) and without demo users."""
    var = Path(tempfile.mkdtemp(prefix="ipoffice-empty-"))
    return Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=var, var_dir=var)


@pytest.fixture(scope="module")
def empty_client(empty_settings: Settings) -> Iterator[TestClient]:
    from ipoffice.entrypoints.web.app import create_app

    with TestClient(create_app(empty_settings), raise_server_exceptions=False) as c:
        yield c


def _assert_security_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, (response, csp)
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
    assert "object-src 'none'" in csp
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("x-frame-options") == "DENY"
    assert headers.get("referrer-policy")


# --- headers on every kind of response --------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/api/v1/ping", 200),
    ("GET", "/api/v1/search?q=measuring", 200),
    ("GET", "/api/v1/search?q=x&limit=0", 422),
    ("GET", "/api/v1/me", 401),
    ("GET", "/api/v1/documents/XX0000000", 404),
    ("GET", "/openapi.json", 200),
    ("GET", "/", 200),
    ("GET", "/search?q=measuring", 200),
    ("GET", "/documents/EP0449582B1", 200),
    ("GET", "/documents/XX0000000", 404),
    ("GET", "/login", 200),
    ("GET", "/account", 303),
    ("GET", "/examiner", 303),
    ("GET", "/search.csv?q=measuring", 200),
    ("GET", "/register/EP0449582B1/extract.pdf", 200),
    ("GET", "/static/app.js", 200),
    ("GET", "/static/style.css", 200),
    ("GET", "/static/nope.js", 404),
    ("GET", "/docs", 200),
    ("GET", "/redoc", 200),
    ("GET", "/static/docs-assets/swagger-ui-bundle.js", 200),
    ("GET", "/no-such-page", 404),
    ("POST", "/login", 403),  # no CSRF token
    ("GET", "/api/v1/test-boom", 500),
])
def test_every_response_carries_the_security_headers(client: TestClient, method: str, path: str,
                                                     status: int) -> None:
    response = client.request(method, path, follow_redirects=False)
    assert response.status_code == status, response.text[:500]
    _assert_security_headers(response)


def test_a_server_error_shows_no_path_nor_traceback(client: TestClient, web_register: WebRegister) -> None:  # noqa: F811
    response = client.get("/api/v1/test-boom")
    assert response.status_code == 500
    assert str(web_register.settings.var_dir) not in response.text and "Traceback" not in response.text


def test_the_503_before_the_index_exists_names_the_command_not_the_path(empty_client: TestClient,
                                                                         empty_settings: Settings) -> None:
    for path in ("/api/v1/search?q=x", "/api/v1/facets?q=x", "/search?q=x", "/search.csv?q=x"):
        response = empty_client.get(path)
        assert response.status_code == 503, (path, response.text[:300])
        assert "ipoffice index rebuild" in response.text, path
        assert str(empty_settings.var_dir) not in response.text and "/tmp" not in response.text, path
        assert "search-index" not in response.text, path
        _assert_security_headers(response)


# --- no inline script: the CSP holds for every template --------------------------------------------

def test_no_template_has_an_inline_script_or_event_handler() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "javascript:" not in text, template.name


def test_api_docs_are_self_hosted(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        html = client.get(path).text
        assert "cdn" not in html.lower() and "https://" not in html and "http://" not in html, path
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        for asset in re.findall(r'(?:src|href)="(/[^"]+)"', html):
            assert client.get(asset).status_code == 200, asset
    assert client.get("/docs").headers["content-security-policy"].count("frame-ancestors 'none'") == 1


# --- CSV export ------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "  =HYPERLINK(\"x\")",
                                  "\u3000=1", "|calc", "%0A"])
def test_dangerous_cells_are_prefixed(cell: str) -> None:
    from ipoffice.entrypoints.web.pages_public import formula_safe

    assert formula_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Measuring method", "EP0449582B1", "2020-01-01", "", "a=b", "x-y"])
def test_ordinary_cells_are_kept(cell: str) -> None:
    from ipoffice.entrypoints.web.pages_public import formula_safe

    assert formula_safe(cell) == cell


def test_csv_export_writes_formula_titles_as_text(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import csv
    import io

    from ipoffice.domain.search import SearchHit
    from ipoffice.entrypoints.web import pages_public

    titles = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1",
              "   =1+1", "Ordinary title"]

    def fake_search(*args: object, **kwargs: object) -> pages_public.SearchPage:
        return pages_public.SearchPage(q="x", total=len(titles), hits=[
            SearchHit(number=f"=EP{i}", title=title, score=1.0) for i, title in enumerate(titles)])

    monkeypatch.setattr(pages_public, "run_search", fake_search)
    response = client.get("/search.csv", params={"q": "x"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))[1:]
    assert [r[2] for r in rows] == ["'" + t for t in titles[:-1]] + ["Ordinary title"]
    assert all(r[1].startswith("'=") for r in rows)


# --- bad queries: 422 naming q, never 500 ------------------------------------------------------------

@pytest.mark.parametrize("q", [NESTED, "pd>=2300", "pd<1500", 'pd within "1200 2400"', "ad=2999-01-01",
                               "(" * 200 + "a"])
@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/facets"])
def test_bad_queries_are_422_in_the_api(client: TestClient, path: str, q: str) -> None:
    response = client.get(path, params={"q": q})
    assert response.status_code == 422, response.text[:300]
    assert response.json()["error"]["field"] == "q"


@pytest.mark.parametrize("q", [NESTED, "pd>=2300", "pd<1500"])
@pytest.mark.parametrize("path", ["/search", "/search.csv", "/"])
def test_bad_queries_are_422_on_the_pages_and_csv(client: TestClient, path: str, q: str) -> None:
    response = client.get(path, params={"q": q})
    assert response.status_code == 422, response.text[-500:]
    assert "q:" in response.text
