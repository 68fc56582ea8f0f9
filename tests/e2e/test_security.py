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


def test_before_any_index_exists_no_answer_shows_a_path(empty_client: TestClient, empty_settings: Settings) -> None:
    """The keyword index is built from the register on first use (it catches up: #14); the vectors are not,
    and semantic search answers 503 naming the command to run — never a server path."""
    for path in ("/api/v1/search?q=x", "/api/v1/facets?q=x", "/search?q=x", "/search.csv?q=x", "/?q=x",
                 "/search?q=x&lang=zh", "/api/v1/search?q=x&mode=semantic"):
        response = empty_client.get(path)
        if "mode=semantic" in path:
            assert response.status_code == 503, (path, response.text[:300])
            assert "ipoffice index rebuild" in response.text, path
        else:
            assert response.status_code == 200, (path, response.text[:300])
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
    bundle = client.get("/static/docs-assets/redoc.standalone.js").text  # its "powered by" logo was on a CDN
    assert "cdn.redoc.ly" not in bundle and "Redoc" in bundle


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
    assert "Query: " in response.text  # the field, named by its label


# --- login throttling ----------------------------------------------------------------------------------

def _fresh_client(settings: Settings, **changes: object) -> TestClient:
    """A client of a new app (its own login throttle) on the same register."""
    from dataclasses import replace

    from ipoffice.entrypoints.web.app import create_app

    return TestClient(create_app(replace(settings, **changes)), raise_server_exceptions=False)


def _form(html: str) -> dict[str, str]:
    """The hidden fields a form of the page posts: the session's CSRF token and a one-time form token."""
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
    once = re.search(r'name="form_token" value="([^"]+)"', html)
    assert csrf and once, "no CSRF or form token on the page"
    return {"csrf_token": csrf.group(1), "form_token": once.group(1)}


def test_forty_wrong_passwords_on_the_api_are_throttled(web_register: WebRegister) -> None:  # noqa: F811
    client = _fresh_client(web_register.settings)
    codes = [client.post("/api/v1/tokens", json={"username": "applicant.wang", "password": f"guess{i}"})
             for i in range(40)]
    assert [r.status_code for r in codes[:5]] == [401] * 5
    assert {r.status_code for r in codes[5:]} == {429}
    throttled = codes[-1]
    assert 0 < int(throttled.headers["Retry-After"]) <= 15 * 60
    assert "Too many failed logins" in throttled.json()["error"]
    _assert_security_headers(throttled)
    chinese = client.post("/api/v1/tokens", json={"username": "applicant.wang", "password": "x"},
                          headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert chinese.status_code == 429 and "登录失败次数过多" in chinese.json()["error"]
    # the right password does not get through while the account is throttled
    right = client.post("/api/v1/tokens", json={"username": "applicant.wang", "password": PASSWORD})
    assert right.status_code == 429
    # other accounts still log in from elsewhere
    other = client.post("/api/v1/tokens", json={"username": "applicant.chen", "password": PASSWORD})
    assert other.status_code == 201


def test_throttling_does_not_reveal_which_accounts_exist(web_register: WebRegister) -> None:  # noqa: F811
    client = _fresh_client(web_register.settings)
    known = [client.post("/api/v1/tokens", json={"username": "examiner.zhang", "password": "x"}) for _ in range(8)]
    unknown = [client.post("/api/v1/tokens", json={"username": "no.such.user", "password": "x"}) for _ in range(8)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert [r.json() for r in known] == [r.json() for r in unknown]


def test_failed_logins_are_throttled_per_address(web_register: WebRegister) -> None:  # noqa: F811
    client = _fresh_client(web_register.settings)
    codes = [client.post("/api/v1/tokens", json={"username": f"someone{i}", "password": "x"}).status_code
             for i in range(25)]
    assert codes[:20] == [401] * 20 and set(codes[20:]) == {429}
    # from this address even a right password waits
    assert client.post("/api/v1/tokens", json={"username": "agent.li", "password": PASSWORD}).status_code == 429


def test_login_page_is_throttled_with_a_translated_message(web_register: WebRegister) -> None:  # noqa: F811
    client = _fresh_client(web_register.settings)
    responses = []
    for _ in range(40):
        form = _form(client.get("/login?lang=zh").text)
        responses.append(client.post("/login", data={**form, "username": "applicant.wang",
                                                     "password": "wrong", "next": "/"}, follow_redirects=False))
    assert [r.status_code for r in responses[:5]] == [401] * 5
    assert {r.status_code for r in responses[5:]} == {429}
    assert int(responses[-1].headers["Retry-After"]) > 0
    assert "登录失败次数过多" in responses[-1].text
    english = client.post("/login?lang=en", data={**_form(client.get("/login?lang=en").text),
                                                  "username": "applicant.wang", "password": PASSWORD})
    assert english.status_code == 429 and "Too many failed logins" in english.text


# --- sessions: logout revokes, lifetime ---------------------------------------------------------------

def _log_in(client: TestClient, username: str) -> None:
    form = _form(client.get("/login").text)
    done = client.post("/login", data={**form, "username": username, "password": PASSWORD,
                                       "next": "/account"}, follow_redirects=False)
    assert done.status_code == 303, done.text


def test_a_cookie_copied_before_logout_no_longer_works(web_register: WebRegister) -> None:  # noqa: F811
    client = _fresh_client(web_register.settings)
    _log_in(client, "applicant.wang")
    copied = client.cookies.get("ipoffice_session")
    thief = _fresh_client(web_register.settings)
    thief.cookies.set("ipoffice_session", copied)
    assert thief.get("/account", follow_redirects=False).status_code == 200
    assert client.post("/logout", data=_form(client.get("/account").text),
                       follow_redirects=False).status_code == 303
    after = thief.get("/account", follow_redirects=False)
    assert after.status_code == 303 and after.headers["location"].startswith("/login")
    assert thief.get("/my/cases", follow_redirects=False).status_code == 303


def test_a_session_ends_after_its_lifetime(web_register: WebRegister) -> None:  # noqa: F811
    import time

    client = _fresh_client(web_register.settings, session_hours=1 / 3600)  # one second
    _log_in(client, "applicant.wang")
    assert client.get("/account", follow_redirects=False).status_code == 200
    time.sleep(1.5)
    assert client.get("/account", follow_redirects=False).status_code == 303


# --- API tokens: list, revoke, expiry ---------------------------------------------------------------

def test_tokens_are_listed_and_revoked(client: TestClient) -> None:
    token = api_token(client, "applicant.chen")
    auth = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/tokens", headers=auth)
    assert listed.status_code == 200
    current = [t for t in listed.json() if t["current"]]
    assert len(current) == 1 and not current[0]["expired"]
    assert token not in listed.text
    # another user cannot revoke it
    other = {"Authorization": f"Bearer {api_token(client, 'applicant.wang')}"}
    assert client.delete(f"/api/v1/tokens/{current[0]['id']}", headers=other).status_code == 404
    assert client.get("/api/v1/me", headers=auth).status_code == 200
    assert client.delete(f"/api/v1/tokens/{current[0]['id']}", headers=auth).status_code == 204
    assert client.get("/api/v1/me", headers=auth).status_code == 401
    assert client.get("/api/v1/tokens", headers=auth).status_code == 401
    assert client.get("/api/v1/tokens").status_code == 401
    # Public endpoints too: a revoked or unknown token is a 401, never silently the anonymous view.
    for headers in (auth, {"Authorization": "Bearer not-a-token"}):
        refused = client.get("/api/v1/cases", headers=headers)
        assert refused.status_code == 401 and "revoked or expired" in refused.text
    assert client.get("/api/v1/cases").status_code == 200  # no token at all: the public view


def test_tokens_expire(client: TestClient, app: FastAPI) -> None:
    from datetime import UTC, datetime, timedelta

    from ipoffice.services.accounts import token_hash

    created = client.post("/api/v1/tokens", json={"username": "agent.li", "password": PASSWORD,
                                                  "expires_in_days": 7})
    assert created.status_code == 201
    expires = datetime.fromisoformat(created.json()["expires_at"])
    assert timedelta(days=6) < expires - datetime.now(UTC) <= timedelta(days=7)
    assert client.post("/api/v1/tokens", json={"username": "agent.li", "password": PASSWORD,
                                               "expires_in_days": 1000}).status_code == 422
    old = "ipo_expired-test-token"
    app.state.web.accounts.store.add_token(token_hash(old), "agent.li", "old", datetime.now(UTC) - timedelta(seconds=1))
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {old}"}).status_code == 401


def test_account_page_lists_and_revokes_tokens(web_register: WebRegister) -> None:  # noqa: F811
    client = _fresh_client(web_register.settings)
    _log_in(client, "examiner.zhao")
    page = client.post("/account/tokens", data={**_form(client.get("/account").text),
                                                "label": "laptop", "days": "30"})
    assert page.status_code == 200
    token = re.search(r"ipo_[\w-]+", page.text)
    assert token
    ids = re.findall(r'data-token-id="([0-9a-f]{16})"', page.text)
    assert ids and "laptop" in page.text
    auth = {"Authorization": f"Bearer {token.group(0)}"}
    assert client.get("/api/v1/me", headers=auth).status_code == 200
    token_id = client.get("/api/v1/tokens", headers=auth).json()[-1]["id"]
    assert client.post(f"/account/tokens/{token_id}/revoke", data={}).status_code == 403  # no CSRF token
    revoked = client.post(f"/account/tokens/{token_id}/revoke", data=_form(page.text))
    assert revoked.status_code == 200 and f'data-token-id="{token_id}"' not in revoked.text
    assert client.get("/api/v1/me", headers=auth).status_code == 401


# --- the demo password is shown only where the demo users have it ------------------------------------

def test_login_page_shows_no_demo_password_without_demo_users(empty_client: TestClient) -> None:
    page = empty_client.get("/login")
    assert page.status_code == 200
    assert "login-demo" not in page.text and "demo" not in page.text.lower()


def test_login_page_shows_the_demo_password_where_the_demo_users_have_it(client: TestClient) -> None:
    assert 'id="login-demo"' in client.get("/login").text


@pytest.mark.parametrize(("exc", "message"), [
    (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
    (ValueError("field pd: datetime 2300-01-01T00:00:00+00:00 is out of range; dates must be between ..."),
     "date out of range"),
    (OverflowError("date value out of range"), "date out of range"),
    (ValueError("bad /srv/ipoffice/var/search-index/x value"), "cannot run this query"),
])
def test_engine_errors_of_a_query_become_a_422_naming_q(exc: Exception, message: str) -> None:
    """Whatever the parser lets through and the engine refuses is the query's fault, named without paths."""
    from ipoffice.entrypoints.web.deps import query_problem

    problem = query_problem(exc)
    assert problem is not None and problem["field"] == "q" and message in problem["message"]
    assert "/srv" not in problem["message"]


def test_other_errors_are_not_taken_for_a_bad_query() -> None:
    from ipoffice.domain.search import SearchError
    from ipoffice.entrypoints.web.deps import query_problem

    assert query_problem(SearchError("semantic index not built")) is None
    assert query_problem(KeyError("x")) is None


def test_username_variants_share_one_throttle(web_register: WebRegister) -> None:  # noqa: F811
    client = _fresh_client(web_register.settings)
    names = ["applicant.wang", "Applicant.Wang", " applicant.wang", "APPLICANT.WANG ", "applicant.wang"]
    codes = [client.post("/api/v1/tokens", json={"username": n, "password": "x"}).status_code for n in names]
    assert codes == [401] * 5
    assert client.post("/api/v1/tokens", json={"username": "aPPlicant.wang", "password": "x"}).status_code == 429


def test_ipv6_addresses_are_throttled_by_their_64_network() -> None:
    from ipoffice.services.accounts import address_key

    assert address_key("2001:db8::1") == address_key("2001:db8::ffff:ffff") == "2001:db8::/64"
    assert address_key("2001:db8:0:1::1") != address_key("2001:db8::1")
    assert address_key("::ffff:192.0.2.7") == address_key("192.0.2.7") == "192.0.2.7"


def test_https_adds_strict_transport_security(web_register: WebRegister) -> None:  # noqa: F811
    from ipoffice.entrypoints.web.app import create_app

    with TestClient(create_app(web_register.settings, https_only=True), base_url="https://testserver") as secure:
        assert secure.get("/api/v1/ping").headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in _fresh_client(web_register.settings).get("/api/v1/ping").headers
