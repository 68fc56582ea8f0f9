"""The portal over HTTP in both languages: the language switch lands on a page that opens from any address
(also the answer of a POST-only form), and errors — router 404/405, query errors, filing validation,
refusals — are said in the page's language, never as raw English or keys."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from e2e.web_app import PASSWORD, WebRegister, web_register  # noqa: F401 - the session fixture


@pytest.fixture(scope="module")
def client(web_register: WebRegister) -> Iterator[TestClient]:  # noqa: F811
    from ipoffice.entrypoints.web.app import create_app

    with TestClient(create_app(web_register.settings), raise_server_exceptions=False) as c:
        yield c


def _tokens(html: str) -> dict[str, str]:
    """The CSRF token and the one-time form token of the page's (first) form."""
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
    once = re.search(r'name="form_token" value="([^"]+)"', html)
    assert csrf and once, "no CSRF or form token on the page"
    return {"csrf_token": csrf.group(1), "form_token": once.group(1)}


def _log_in(client: TestClient, username: str) -> None:
    client.cookies.clear()
    done = client.post("/login", data={**_tokens(client.get("/login").text), "username": username,
                                       "password": PASSWORD, "next": "/"}, follow_redirects=False)
    assert done.status_code == 303, done.text


def test_the_language_switch_lands_on_a_page_that_opens(client: TestClient,
                                                        web_register: WebRegister) -> None:  # noqa: F811
    number = web_register.unpublished_js
    _log_in(client, "applicant.wang")
    for asked, landed in ((f"/my/cases/{number}/act", f"/my/cases/{number}"),
                          (f"/my/cases/{number}/pay", f"/my/cases/{number}"),
                          (f"/my/cases/{number}/receipt", f"/my/cases/{number}/receipt"),
                          ("/file/cn_invention", "/file/cn_invention"),
                          ("/account/tokens/abc123/revoke", "/account"),
                          ("/account/tokens", "/account"),
                          ("/logout", "/"),
                          ("/search?q=wireless&mode=bm25", "/search?q=wireless&mode=bm25"),
                          # the page's own ?lang= would undo the switch (fresh-clone trial): it is dropped
                          ("/search?lang=en&q=battery", "/search?q=battery"),
                          ("/file/cn_invention?lang=en", "/file/cn_invention"),
                          ("//evil.example/x", "/")):
        switched = client.get("/lang/zh", params={"next": asked}, follow_redirects=False)
        assert switched.status_code == 303 and switched.headers["location"] == landed, asked
        assert client.get(landed).status_code == 200, landed
    _log_in(client, "examiner.zhang")
    for action in ("cite", "act"):
        switched = client.get("/lang/en", params={"next": f"/examiner/cases/{number}/{action}"},
                              follow_redirects=False)
        assert switched.headers["location"] == f"/examiner/cases/{number}"


def test_router_errors_are_pages_in_the_page_language(client: TestClient,
                                                      web_register: WebRegister) -> None:  # noqa: F811
    post_only = client.get(f"/my/cases/{web_register.unpublished_js}/act?lang=zh")
    assert post_only.status_code == 405
    assert "只接收表单提交" in post_only.text and "Method Not Allowed" not in post_only.text
    missing = client.get("/no/such/page?lang=zh")
    assert missing.status_code == 404 and "未找到" in missing.text and "Not Found" not in missing.text
    assert client.get("/api/v1/no/such").json() == {"error": "Not Found"}  # the API keeps its JSON


@pytest.mark.parametrize(("q", "zh", "en"), [
    ("foo=bar", "未知字段 foo", "unknown field foo"),
    ("(wireless AND", "检索式在第 13 个字符处提前结束", "the query ends too early (position 13)"),
    ("pd>=2300", "日期超出范围：2300", "date out of range: 2300"),
    ("AND charging", "第 0 个字符处的 AND 两侧都需要检索词", "AND at position 0 needs a search term"),
])
def test_query_errors_are_said_in_the_page_language(client: TestClient, q: str, zh: str, en: str) -> None:
    chinese = client.get("/search", params={"q": q, "lang": "zh"})
    assert chinese.status_code == 422 and zh in chinese.text and "检索式：" in chinese.text
    assert "query error" not in chinese.text
    english = client.get("/search", params={"q": q, "lang": "en"})
    assert english.status_code == 422 and en in english.text and "Query: " in english.text
    api = client.get("/api/v1/search", params={"q": q})
    assert api.status_code == 422 and api.json()["error"]["code"]  # the API names the problem by its code


def test_filing_problems_name_the_field_and_reason_in_the_page_language(client: TestClient) -> None:
    _log_in(client, "applicant.wang")
    form = client.get("/file/cn_invention?lang=zh").text
    answer = client.post("/file/cn_invention", data={
        **_tokens(form), "office": "CN-JS-SZ", "title": "", "abstract": "Abstract.",
        "claims": "1. A claim.", "priorities[0][country]": "usa", "priorities[0][number]": "1",
        "priorities[0][date]": "2026-13-01"})
    assert answer.status_code == 422
    assert "名称：为必填项" in answer.text
    assert "第 1 项优先权的国家：应为两个字母的国家代码" in answer.text
    assert "第 1 项优先权的日期：应为日期（年-月-日）" in answer.text
    assert "is required" not in answer.text and "title:" not in answer.text
    assert 'value="usa"' in answer.text  # what was typed is kept
    _log_in(client, "agent.li")  # an agent files for an applicant named by username
    form = client.get("/file/cn_invention?lang=zh").text
    answer = client.post("/file/cn_invention", data={
        **_tokens(form), "office": "CN-JS-SZ", "applicant": "nobody.here", "title": "Lens cap",
        "abstract": "A lens cap.", "claims": "1. A lens cap.", "description": "A lens cap."})
    assert answer.status_code == 422
    assert "申请人（用户名）：没有已注册的用户 nobody.here" in answer.text and 'id="error-applicant"' in answer.text


def test_refusals_and_forbidden_pages_are_said_in_the_page_language(client: TestClient,
                                                                   web_register: WebRegister) -> None:  # noqa: F811
    _log_in(client, "applicant.wang")
    number = web_register.unpublished_js
    page = client.get(f"/my/cases/{number}?lang=zh").text
    limits = page[page.index('id="time-limits"'):]
    assert "提出实质审查请求期限" in limits and "专利法第35条" in limits and "Patent Law" not in limits
    refused = client.post(f"/my/cases/{number}/act", data={**_tokens(page), "action": "grant"})
    assert refused.status_code in (403, 409)
    assert "已受理" in refused.text and "not allowed" not in refused.text and "state 'filed'" not in refused.text
    upload = client.post(f"/my/cases/{number}/act", data={**_tokens(page), "action": "withdraw", "confirm": "yes"},
                         files={"document": ("reply.exe", b"MZ", "application/octet-stream")})
    assert upload.status_code == 422 and "文件：不接受 .exe 类型的文件" in upload.text
    _log_in(client, "examiner.zhang")
    forbidden = client.get("/my/cases?lang=zh")
    assert forbidden.status_code == 403 and "examiner.zhang 不是申请人或代理人" in forbidden.text
    queue = client.get("/examiner?lang=zh").text
    assert "等待实质审查" in queue or "已受理" in queue
    assert not re.search(r"<td[^>]*>(filed|awaiting_examination|under_examination)</td>", queue)


def test_a_notice_of_a_missed_time_limit_is_said_in_the_page_language(client: TestClient) -> None:
    from datetime import date

    from ipoffice.services.procedures import Filing

    service = client.app.state.web.procedures  # type: ignore[attr-defined]
    clock = service.clock
    try:
        service.clock = lambda: date(2020, 1, 6)
        number = service.file(Filing("cn_utility_model", "CN-ZJ", "applicant.chen", date(2020, 1, 6), "Hinge pin",
                                     payload={"claims": ["A hinge pin."]}), "applicant.chen").record.application_number
        service.clock = lambda: date(2020, 2, 3)
        service.act(number, "notify_formality_deficiency", date(2020, 2, 3), "examiner.zhao")
    finally:
        service.clock = clock
    assert service.run_overdue(date(2021, 1, 4)).outcomes  # the correction period ran out: deemed withdrawn
    _log_in(client, "applicant.chen")
    page = client.get(f"/my/cases/{number}?lang=zh").text
    notices = page[page.index('id="notices"'):]
    assert "视为撤回" in notices and "期限“补正期限”已于" in notices and "届满，未办理相应手续" in notices
    assert "Time limit" not in page
    english = client.get(f"/my/cases/{number}?lang=en").text
    assert "the time limit “Correction of formal deficiencies” ended on" in english


def test_the_filing_form_names_the_receiving_offices_in_the_page_language(client: TestClient) -> None:
    _log_in(client, "applicant.wang")
    chinese = client.get("/file/cn_invention?lang=zh").text
    assert "CN-JS-SZ — 苏州市知识产权局" in chinese and "Suzhou Intellectual Property Office" not in chinese
    english = client.get("/file/cn_invention?lang=en").text
    assert "CN-JS-SZ — Suzhou Intellectual Property Office" in english
