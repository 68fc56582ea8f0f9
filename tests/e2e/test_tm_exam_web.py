"""Relative grounds, opposition and watches over HTTP on a fresh register: the API under /api/v1/trademarks and
the portal pages (examiner's relative-grounds page, opposition form) in both languages, refusals included."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipoffice.config import Settings

PASSWORD = "demo"


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from ipoffice.bootstrap import office

    var = tmp_path_factory.mktemp("tm-web")
    settings = Settings(database_url=f"sqlite:///{var}/ipoffice.db", var_dir=Path(var), shared_dir=Path(var),
                        vector_cache_dir=Path(var) / "vectors")
    return office(settings)


@pytest.fixture(scope="module")
def client(running: Any) -> Iterator[TestClient]:
    from ipoffice.entrypoints.web.app import create_app

    app = create_app(running)
    app.state.web.accounts.seed_demo(PASSWORD)
    with TestClient(app) as c:
        yield c


def bearer(client: TestClient, user: str) -> dict[str, str]:
    token = client.post("/api/v1/tokens", json={"username": user, "password": PASSWORD})
    assert token.status_code == 201, token.text
    return {"Authorization": f"Bearer {token.json()['token']}"}


def form_of(html: str, form_id: str) -> dict[str, str]:
    part = html[html.find(f'id="{form_id}"'):]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', part)
    once = re.search(r'name="form_token" value="([^"]+)"', part)
    assert csrf and once, f"form {form_id} carries no CSRF or one-time token"
    return {"csrf_token": csrf.group(1), "form_token": once.group(1)}


def logged_in(client: TestClient, user: str) -> TestClient:
    browser = TestClient(client.app)
    page = browser.get("/login")
    done = browser.post("/login", data={**form_of(page.text, "login-form"), "username": user, "password": PASSWORD,
                                        "next": "/account"}, follow_redirects=False)
    assert done.status_code == 303, done.text
    return browser


def file_mark(client: TestClient, applicant: str, mark: str, classes: str) -> str:
    filed = client.post("/api/v1/cases", headers=bearer(client, applicant), json={
        "procedure": "cn_trademark", "office": "CN-JS-SZ", "title": mark, "mark": mark, "nice_classes": classes})
    assert filed.status_code == 201, filed.text
    return str(filed.json()["application_number"])


def test_examiner_refuses_citing_the_earlier_mark_and_an_opposition_is_filed(client: TestClient,
                                                                            running: Any) -> None:
    running.procedures.clock = lambda: running.today() - timedelta(days=1)  # filed the day before
    try:
        earlier = file_mark(client, "applicant.chen", "AURORA", "9")
    finally:
        running.procedures.clock = running.today
    number = file_mark(client, "applicant.wang", "Aurora Pro", "9, 42")
    examiner = bearer(client, "examiner.zhang")
    accepted = client.post(f"/api/v1/cases/{number}/actions", headers=examiner,
                           json={"action": "accept_for_examination"})
    assert accepted.status_code == 200, accepted.text

    found = client.get(f"/api/v1/trademarks/cases/{number}/earlier-marks", headers=examiner)
    assert found.status_code == 200, found.text
    assert [(m["number"], m["mark"]) for m in found.json()["earlier_marks"]] == [(earlier, "AURORA")]
    assert client.get(f"/api/v1/trademarks/cases/{number}/earlier-marks").status_code == 401
    # The public and another province's examiner do not see the unpublished application.
    assert client.get(f"/api/v1/trademarks/cases/{number}/earlier-marks",
                      headers=bearer(client, "examiner.zhao")).status_code == 404

    # The examiner's page: the case page links to the relative grounds, which list the earlier mark.
    browser = logged_in(client, "examiner.zhang")
    case_page = browser.get(f"/examiner/cases/{number}")
    assert 'id="relative-grounds-link"' in case_page.text and f'<li data-number="{earlier}">' in case_page.text
    page = browser.get(f"/examiner/trademarks/{number}/relative-grounds")
    assert page.status_code == 200 and f'data-number="{earlier}"' in page.text
    zh = browser.get(f"/examiner/trademarks/{number}/relative-grounds?lang=zh")
    assert "相对理由审查" in zh.text and "包含" in zh.text  # the reason named in Chinese
    # Nothing ticked: refused on the page, in its language, naming the field; nothing recorded.
    refused = browser.post(f"/examiner/trademarks/{number}/relative-grounds/refuse",
                           data={**form_of(zh.text, "refuse-form"), "refused_classes": "9"})
    assert refused.status_code == 422 and 'id="error"' in refused.text and "earlier_marks" in refused.text
    page = browser.get(f"/examiner/trademarks/{number}/relative-grounds")
    done = browser.post(f"/examiner/trademarks/{number}/relative-grounds/refuse", follow_redirects=False,
                        data={**form_of(page.text, "refuse-form"), "cite": earlier, "refused_classes": "9",
                              "text": "Class 9: the earlier mark AURORA (Trademark Law Art. 30)."})
    assert done.status_code == 303 and done.headers["location"] == f"/examiner/cases/{number}?done=refuse_partially"
    page = browser.get(f"/examiner/trademarks/{number}/relative-grounds")
    assert 'id="cited-marks"' in page.text and earlier in page.text and 'id="not-examining"' in page.text
    case = client.get(f"/api/v1/cases/{number}", headers=examiner).json()
    assert case["state"] == "published_for_opposition"
    assert case["events"][-1]["payload"]["earlier_marks"] == [{"number": earlier, "mark": "AURORA", "classes": [9]}]
    ends = date.fromisoformat(case["open_time_limits"][0]["due"])

    # A watch of another holder hears of the publication (class 42 is still applied for).
    agent = bearer(client, "agent.li")
    watch = client.post("/api/v1/trademarks/watches", headers=agent, json={"mark": "aurora pro", "classes": [42]})
    assert watch.status_code == 201, watch.text
    assert client.post("/api/v1/trademarks/watches", headers=agent,
                       json={"mark": "x", "classes": [46]}).status_code == 422
    assert client.post("/api/v1/trademarks/watches/run", headers=agent, json={}).status_code == 403
    run = client.post("/api/v1/trademarks/watches/run", headers=bearer(client, "registrar.zhou"), json={})
    assert [(n["case"], n["opposition_ends"]) for n in run.json()["notices"]] == [(number, ends.isoformat())]
    assert [n["case"] for n in client.get("/api/v1/trademarks/watches/notices", headers=agent).json()] == [number]

    # The published mark's public page offers the opposition; a third party files one on the portal.
    assert 'id="oppose-link"' in client.get(f"/documents/{number}").text
    opponent = logged_in(client, "applicant.chen")
    form = opponent.get(f"/trademarks/{number}/opposition?lang=zh")
    assert "异议期至" in form.text
    filed = opponent.post(f"/trademarks/{number}/opposition", follow_redirects=False,
                          data={**form_of(form.text, "opposition-form"), "grounds": "与在先商标 AURORA 近似",
                                "cite": earlier})
    assert filed.status_code == 303
    shown = opponent.get(filed.headers["location"])
    assert 'id="message"' in shown.text
    own = bearer(client, "applicant.wang")
    assert client.post(f"/api/v1/trademarks/cases/{number}/oppositions", headers=own,
                       json={"grounds": "mine"}).status_code == 422  # the applicant is no third party
    by_api = client.post(f"/api/v1/trademarks/cases/{number}/oppositions", headers=agent,
                         json={"grounds": "earlier use", "earlier_marks": [earlier]})
    assert by_api.status_code == 201, by_api.text
    assert by_api.json()["state"] == "opposed"
    assert {t["name"] for t in by_api.json()["open_time_limits"]} == {"opposition_reply", "opposition_decision"}
    # After the period: refused with the last day named.
    running.procedures.clock = lambda: ends + timedelta(days=1)
    try:
        late = client.post(f"/api/v1/trademarks/cases/{number}/oppositions", headers=bearer(client, "agent.li"),
                           json={"grounds": "late"})
    finally:
        running.procedures.clock = running.today
    assert late.status_code == 422 and f"ended on {ends.isoformat()}" in late.text


def test_a_look_alike_of_a_register_mark_is_cited_with_its_reasons_in_each_language(client: TestClient,
                                                                                   running: Any) -> None:
    """The similarity search feeds the examination: T0PGUN meets the register's TOPGUN (same class, filed
    earlier); the panel, the search page and the API say why — the detail written in the page's language from
    the reason's code and params, the params (marks, characters) as data."""
    from ipoffice.domain.document import Document, GoodsAndServices, RightType
    from ipoffice.domain.trademark import trademark_number

    earlier = str(trademark_number("IL", "310118"))
    running.register.save_documents([(Document(
        trademark_number("IL", "310118"), RightType.TRADEMARK, application_date=date(2018, 10, 21),
        publication_date=date(2019, 2, 28), mark_text="TOPGUN", source_format="test",
        goods_and_services=[GoodsAndServices(13, "Course correction fuze for artillery")]), None)])
    number = file_mark(client, "applicant.wang", "T0PGUN", "13")
    examiner = bearer(client, "examiner.zhang")
    assert client.post(f"/api/v1/cases/{number}/actions", headers=examiner,
                       json={"action": "accept_for_examination"}).status_code == 200

    found = client.get(f"/api/v1/trademarks/cases/{number}/earlier-marks", headers=examiner).json()["earlier_marks"]
    assert found[0]["number"] == earlier and found[0]["source"] == "register"
    visual = next(r for r in found[0]["reasons"] if r["kind"] == "visual")
    assert visual["code"] == "visual.look_alike" and visual["params"]["pairs"] == "0/O"
    assert visual["detail"] == "look-alike characters 0/O: T0PGUN ~ TOPGUN"  # the default English text

    browser = logged_in(client, "examiner.zhang")
    wanted = (("zh", "形近字符", "同一尼斯分类"), ("en", "look-alike characters", "same Nice class"))
    for lang, sentence, goods in wanted:
        for path in (f"/examiner/trademarks/{number}/relative-grounds", "/trademarks/search?mark=T0PGUN&classes=13"):
            page = browser.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
            assert page.status_code == 200, path
            row = page.text[page.text.find(f'{earlier}"'):]
            assert sentence in row and goods in row, (lang, path)
            assert '<span class="data">0/O</span>' in row and '<span class="data">T0PGUN</span>' in row
    zh = browser.get(f"/examiner/trademarks/{number}/relative-grounds?lang=zh").text
    assert "look-alike characters" not in zh
