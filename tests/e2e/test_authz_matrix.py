"""Who gets 200/403/404 (and 401) on every case endpoint: roles × offices × endpoints.

Cases (see web_app): ``unpublished_js`` — applicant.wang's unpublished invention at CN-JS-SZ (below CN-JS
below CNIPA); ``examination_js`` — the same applicant's published invention under examination at CN-JS-SZ;
``unpublished_zj`` — applicant.chen's unpublished utility model at CN-ZJ. An unpublished case is 404 to
whoever may not see it (its existence is not revealed); an action is 403 to whoever may see but not act.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from e2e.web_app import PASSWORD, WebRegister, api_token, web_register  # noqa: F401 - the session fixture

USERS = ("public", "applicant.wang", "applicant.chen", "agent.li", "examiner.zhang", "examiner.zhao",
         "examiner.liu", "registrar.zhou", "us.examiner")

# GET /api/v1/cases/{number}: may the user see the case?
VIEW = {
    "unpublished_js": {"public": 404, "applicant.wang": 200, "applicant.chen": 404, "agent.li": 404,
                       "examiner.zhang": 200, "examiner.zhao": 404, "examiner.liu": 200, "registrar.zhou": 200,
                       "us.examiner": 404},
    "examination_js": dict.fromkeys(USERS, 200),  # published: everybody
    "unpublished_zj": {"public": 404, "applicant.wang": 404, "applicant.chen": 200, "agent.li": 404,
                       "examiner.zhang": 404, "examiner.zhao": 200, "examiner.liu": 200, "registrar.zhou": 200,
                       "us.examiner": 404},
}

# POST an examination action on the published case under examination (an office action).
OFFICE_ACTION = {"public": 401, "applicant.wang": 403, "applicant.chen": 403, "agent.li": 403,
                 "examiner.zhang": 200, "examiner.zhao": 403, "examiner.liu": 200, "registrar.zhou": 403,
                 "us.examiner": 403}


@pytest.fixture(scope="module")
def client(web_register: WebRegister) -> Iterator[TestClient]:  # noqa: F811
    from ipoffice.entrypoints.web.app import create_app

    with TestClient(create_app(web_register.settings)) as c:
        yield c


@pytest.fixture(scope="module")
def headers(client: TestClient) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {"public": {}}
    for user in USERS[1:]:
        out[user] = {"Authorization": f"Bearer {api_token(client, user)}"}
    return out


@pytest.mark.parametrize("case", sorted(VIEW))
@pytest.mark.parametrize("user", USERS)
def test_view_case(client: TestClient, headers: dict[str, dict[str, str]], web_register: WebRegister,  # noqa: F811
                   case: str, user: str) -> None:
    number = getattr(web_register, case)
    response = client.get(f"/api/v1/cases/{number}", headers=headers[user])
    assert response.status_code == VIEW[case][user], response.text


@pytest.mark.parametrize("user", USERS)
def test_list_cases_shows_only_visible_ones(client: TestClient, headers: dict[str, dict[str, str]],
                                            web_register: WebRegister, user: str) -> None:  # noqa: F811
    listed = {c["application_number"] for c in client.get("/api/v1/cases", headers=headers[user]).json()}
    for case, expected in VIEW.items():
        number = getattr(web_register, case)
        assert (number in listed) == (expected[user] == 200), (case, user)


@pytest.mark.parametrize("user", USERS)
def test_office_action_on_a_case_under_examination(client: TestClient, headers: dict[str, dict[str, str]],
                                                   web_register: WebRegister, user: str) -> None:  # noqa: F811
    number = web_register.examination_js
    # A refused request changes nothing; an allowed one is undone by the applicant's reply so that the next
    # user again finds the case under examination.
    response = client.post(f"/api/v1/cases/{number}/actions", headers=headers[user],
                           json={"action": "office_action", "payload": {"text": "Claim 1 lacks novelty."}})
    assert response.status_code == OFFICE_ACTION[user], response.text
    if response.status_code == 200:
        assert response.json()["state"] == "awaiting_response"
        reply = client.post(f"/api/v1/cases/{number}/actions", headers=headers["applicant.wang"],
                            json={"action": "respond"})
        assert reply.status_code == 200 and reply.json()["state"] == "under_examination"


@pytest.mark.parametrize("user", USERS)
def test_filing_needs_a_party(client: TestClient, headers: dict[str, dict[str, str]], user: str) -> None:
    response = client.post("/api/v1/cases", headers=headers[user], json={
        "procedure": "cn_utility_model", "office": "CN-ZJ", "title": "Hinge", "abstract": "A hinge.",
        "claims": "A hinge.", "description": "A hinge with a pin.", "applicant": "applicant.chen"})
    expected = {"public": 401, "applicant.chen": 201, "agent.li": 201}.get(user, 403)
    assert response.status_code == expected, response.text


@pytest.mark.parametrize("path", ["/api/v1/search?q=method", "/api/v1/documents/EP0449582B1",
                                  "/api/v1/facets?q=method", "/api/v1/fees?procedure=us_utility"])
def test_public_endpoints_need_no_login(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200


# --- acts on the case file from the pages: citing in the search report, attaching a document, paying a fee --
# "ok" is the allowed act, "login" the redirect of the public to the login page; refusals are 403 (and 404 for
# an unpublished case the user may not see). A refused act writes nothing: no event, no file, same log head.

CITED = "EP1792486A2"  # prior art of the case under examination (a document of the register)

CITE = {
    "examination_js": {"public": "login", "applicant.wang": 403, "applicant.chen": 403, "agent.li": 403,
                       "examiner.zhang": "ok", "examiner.zhao": 403, "examiner.liu": "ok", "registrar.zhou": 403,
                       "us.examiner": 403},
    "unpublished_js": {"public": "login", "applicant.wang": 403, "applicant.chen": 403, "agent.li": 403,
                       "examiner.zhang": "ok", "examiner.zhao": 404, "examiner.liu": "ok", "registrar.zhou": 403,
                       "us.examiner": 404},
}
# A reply with a document, on the case under examination once an office action awaits the reply.
UPLOAD = {"public": "login", "applicant.wang": "ok", "applicant.chen": 403, "agent.li": 403,
          "examiner.zhang": 403, "examiner.zhao": 403, "examiner.liu": 403, "registrar.zhou": 403,
          "us.examiner": 403}
PAY = {
    "examination_js": {"public": "login", "applicant.wang": "ok", "applicant.chen": 403, "agent.li": 403,
                       "examiner.zhang": 403, "examiner.zhao": 403, "examiner.liu": 403, "registrar.zhou": 403,
                       "us.examiner": 403},
    "unpublished_zj": {"public": "login", "applicant.wang": 404, "applicant.chen": "ok", "agent.li": 404,
                       "examiner.zhang": 403, "examiner.zhao": 403, "examiner.liu": 403, "registrar.zhou": 403,
                       "us.examiner": 403},
}


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@dataclass
class PageSession:
    client: TestClient
    csrf: str

    @property
    def form(self) -> dict[str, str]:
        """The hidden fields of a freshly rendered form: the session's CSRF token and a new one-time token."""
        return {"csrf_token": self.csrf, "form_token": secrets.token_urlsafe(24)}


@pytest.fixture(scope="module")
def pages(client: TestClient) -> dict[str, PageSession]:
    """A logged-in browser session (cookie and CSRF token) per user; the public's has no login."""
    out = {}
    for user in USERS:
        session = TestClient(client.app)
        csrf = _csrf(session.get("/login").text)
        if user != "public":
            done = session.post("/login", data={"csrf_token": csrf, "form_token": secrets.token_urlsafe(24),
                                                "username": user, "password": PASSWORD,
                                                "next": "/account"}, follow_redirects=False)
            assert done.status_code == 303, done.text
            csrf = _csrf(session.get("/account").text)
        out[user] = PageSession(session, csrf)
    return out


@dataclass(frozen=True)
class Written:
    events: list[tuple[str, str]]  # (code, actor) of the case's events
    head: tuple[int, str]
    files: int


def _written(web_register: WebRegister, number: str) -> Written:  # noqa: F811
    from ipoffice.adapters.procedure_store import ProcedureStore
    from ipoffice.bootstrap import open_register

    store = ProcedureStore(open_register(web_register.settings).engine)
    with store.reading() as s:
        record = s.case(number)
        assert record is not None
        events = [(e.code, e.actor) for e in s.events_of(record)]
        head = s.head()
    folder = web_register.settings.var_dir / "uploads" / re.sub(r"[^\w-]", "_", number)
    return Written(events, head, len(list(folder.glob("*"))) if folder.is_dir() else 0)


def _check(response: Any, expected: int | str, *, ok: int = 200) -> None:
    if expected == "login":
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), response.text
    elif expected == "ok":
        assert response.status_code == ok, response.text[-2000:]
    else:
        assert response.status_code == expected, response.text[-2000:]


def _state(client: TestClient, headers: dict[str, dict[str, str]], number: str) -> str:
    return str(client.get(f"/api/v1/cases/{number}", headers=headers["examiner.liu"]).json()["state"])


@pytest.mark.parametrize("case", sorted(CITE))
@pytest.mark.parametrize("user", USERS)
def test_cite_in_the_search_report(pages: dict[str, PageSession], web_register: WebRegister,  # noqa: F811
                                   case: str, user: str) -> None:
    number = getattr(web_register, case)
    before = _written(web_register, number)
    page = pages[user]
    response = page.client.post(f"/examiner/cases/{number}/cite", follow_redirects=False,
                                data={**page.form, "cited_number": CITED, "category": "Y"})
    expected = CITE[case][user]
    _check(response, expected, ok=303)
    after = _written(web_register, number)
    if expected == "ok":
        assert response.headers["location"] == f"/examiner/cases/{number}#report"
        assert after.events == [*before.events, ("cite_in_search_report", user)]
    else:
        assert after == before
    if isinstance(expected, int) and expected == 403 and user.startswith("examiner"):
        assert "You may not do this" in response.text  # the refusal says why, in the page's language


def test_a_refused_citation_is_not_recorded_by_the_next_office_action(
        client: TestClient, headers: dict[str, dict[str, str]], pages: dict[str, PageSession],
        web_register: WebRegister) -> None:  # noqa: F811
    """A Zhejiang examiner cannot plant a citation in a Suzhou case's search report: the office action the
    Jiangsu examiner issues next records only the report's own citations."""
    number = web_register.examination_js
    planted = "US12186454"
    zhao = pages["examiner.zhao"]
    refused = zhao.client.post(f"/examiner/cases/{number}/cite", follow_redirects=False,
                               data={**zhao.form, "cited_number": planted, "category": "X"})
    assert refused.status_code == 403
    zhang = pages["examiner.zhang"]
    own = zhang.client.post(f"/examiner/cases/{number}/cite", follow_redirects=False,
                            data={**zhang.form, "cited_number": CITED, "category": "Y"})
    assert own.status_code == 303
    issued = zhang.client.post(f"/examiner/cases/{number}/act", data={
        **zhang.form, "action": "office_action", "text": "Claim 1 lacks novelty."})
    assert issued.status_code == 200, issued.text[-2000:]
    view = client.get(f"/api/v1/cases/{number}", headers=headers["applicant.wang"]).json()
    office_action = [e for e in view["events"] if e["code"] == "office_action"][-1]
    cited = {c["number"] for c in office_action["payload"]["citations"]}
    assert CITED in cited and planted not in cited
    reply = client.post(f"/api/v1/cases/{number}/actions", headers=headers["applicant.wang"],
                        json={"action": "respond"})
    assert reply.status_code == 200 and reply.json()["state"] == "under_examination"


@pytest.mark.parametrize("user", USERS)
def test_upload_with_a_reply(client: TestClient, headers: dict[str, dict[str, str]],
                             pages: dict[str, PageSession], web_register: WebRegister, user: str) -> None:  # noqa: F811
    number = web_register.examination_js
    # The reply is allowed now: an office action awaits it (undone below for the next test).
    issued = client.post(f"/api/v1/cases/{number}/actions", headers=headers["examiner.zhang"],
                         json={"action": "office_action", "payload": {"text": "Please reply."}})
    assert issued.status_code == 200 and issued.json()["state"] == "awaiting_response"
    before = _written(web_register, number)
    content = f"Reply of {user}: claim 1 is amended.".encode()
    page = pages[user]
    response = page.client.post(f"/my/cases/{number}/act", follow_redirects=False,
                                data={**page.form, "action": "respond"},
                                files={"document": ("reply.txt", content, "text/plain")})
    expected = UPLOAD[user]
    _check(response, expected, ok=303)  # post/redirect/get: a reload cannot repeat the act
    after = _written(web_register, number)
    if expected == "ok":
        assert response.headers["location"] == f"/my/cases/{number}?done=respond"
        assert after.events == [*before.events, ("respond", user), ("attach_document", user)]
        assert after.files == before.files + 1
        shown = page.client.get(response.headers["location"])
        assert "reply.txt" in shown.text and _state(client, headers, number) == "under_examination"
    else:
        assert after == before
        assert _state(client, headers, number) == "awaiting_response"
        reply = client.post(f"/api/v1/cases/{number}/actions", headers=headers["applicant.wang"],
                            json={"action": "respond"})
        assert reply.status_code == 200
    assert _state(client, headers, number) == "under_examination"


@pytest.mark.parametrize("case", sorted(PAY))
@pytest.mark.parametrize("user", USERS)
def test_pay_a_fee(pages: dict[str, PageSession], web_register: WebRegister,  # noqa: F811
                   case: str, user: str) -> None:
    number = getattr(web_register, case)
    fee = "fee.invention.examination" if case == "examination_js" else "fee.utility_model.application"
    before = _written(web_register, number)
    page = pages[user]
    response = page.client.post(f"/my/cases/{number}/pay", follow_redirects=False,
                                data={**page.form, "fee": fee})
    expected = PAY[case][user]
    _check(response, expected, ok=303)
    after = _written(web_register, number)
    if expected == "ok":
        assert after.events == [*before.events, ("pay_fee", user)]
        assert response.headers["location"] == f"/my/cases/{number}?done=pay_fee"
        for _ in range(2):  # the confirmation page says what was paid; reloading it pays nothing more
            assert fee in page.client.get(response.headers["location"]).text
        assert _written(web_register, number) == after
    else:
        assert after == before


def test_cite_upload_and_pay_are_in_the_verified_event_log(
        client: TestClient, headers: dict[str, dict[str, str]], pages: dict[str, PageSession],
        web_register: WebRegister) -> None:  # noqa: F811
    """Each act is a legal event of the hash-chained log, with what it did; `ipoffice audit verify` checks
    the whole chain, these events included."""
    from e2e.conftest import make_cli

    number = web_register.examination_js
    zhang, wang = pages["examiner.zhang"], pages["applicant.wang"]
    cited = zhang.client.post(f"/examiner/cases/{number}/cite", follow_redirects=False,
                              data={**zhang.form, "cited_number": CITED, "category": "X",
                                    "note": "claims 1-3"})
    assert cited.status_code == 303
    issued = zhang.client.post(f"/examiner/cases/{number}/act", data={
        **zhang.form, "action": "office_action", "text": "Claim 1 lacks novelty."})
    assert issued.status_code == 200
    content = b"%PDF-1.4\n% the applicant's arguments\n"
    replied = wang.client.post(f"/my/cases/{number}/act", data={**wang.form, "action": "respond"},
                               files={"document": ("arguments.pdf", content, "application/pdf")})
    assert replied.status_code == 200 and "arguments.pdf" in replied.text
    paid = wang.client.post(f"/my/cases/{number}/pay", data={**wang.form,
                                                              "fee": "fee.invention.publication_printing"})
    assert paid.status_code == 200

    events = client.get(f"/api/v1/cases/{number}", headers=headers["examiner.zhang"]).json()["events"]
    citation = [e for e in events if e["code"] == "cite_in_search_report"][-1]
    assert citation["actor"] == "examiner.zhang" and citation["office"] == "CN-JS-SZ"
    assert citation["payload"] == {"cited_number": CITED, "category": "X", "note": "claims 1-3"}
    office_action = [e for e in events if e["code"] == "office_action"][-1]
    assert {"number": CITED, "category": "X"} in office_action["payload"]["citations"]
    attached = [e for e in events if e["code"] == "attach_document"][-1]
    respond = [e for e in events if e["code"] == "respond"][-1]
    digest = hashlib.sha256(content).hexdigest()
    assert attached["payload"] == {"filename": "arguments.pdf", "sha256": digest, "size": len(content),
                                   "action": "respond", "event": respond["sequence"]}
    assert attached["sequence"] == respond["sequence"] + 1
    stored = web_register.settings.var_dir / "uploads" / re.sub(r"[^\w-]", "_", number) / f"{digest}-arguments.pdf"
    assert stored.read_bytes() == content
    payment = [e for e in events if e["code"] == "pay_fee"][-1]
    assert payment["actor"] == "applicant.wang"
    assert payment["payload"]["fee"] == "fee.invention.publication_printing"
    assert payment["payload"]["currency"] == "CNY" and float(payment["payload"]["amount"]) > 0

    cli = make_cli(web_register.settings.var_dir)
    audit = cli("audit", "verify", "--json")
    report = json.loads(audit.stdout)
    assert report["ok"] is True and not report["problems"]
    assert report["events_checked"] >= events[-1]["sequence"]
