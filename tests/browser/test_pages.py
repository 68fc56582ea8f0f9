"""The portal in headless Chromium (Debian ``chromium``): public search → document page, language switch,
an applicant filing an application, an examiner issuing an office action. Screenshots of the main pages go
to docs/screenshots/ (shown in the README)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from browser.conftest import log_in, shot
from browser.page_checks import watch
from e2e.web_app import LiveServer, WebRegister, live_server, web_register  # noqa: F401 - session fixtures

pytestmark = pytest.mark.browser


def test_search_then_document_page(page: Any, live_server: LiveServer) -> None:  # noqa: F811
    page.goto(live_server.url + "/")
    page.fill("#q", 'ti="measuring method"')
    page.click("#search-submit")
    page.wait_for_selector(".hit")
    assert "EP0449582B1" in page.inner_text(".hits")
    assert page.locator(".facets").count() == 1
    shot(page, "search")
    page.click("a.hit-title >> nth=0")
    page.wait_for_selector("#document")
    assert page.inner_text("#doc-number") == "EP0449582B1"
    assert page.locator("#claims li").count() == 12  # English; the B1 has DE/EN/FR claims
    assert page.inner_text("#legal-status") == "Granted"
    shot(page, "document")
    page.click("#extract-link")
    assert "CANON KABUSHIKI KAISHA" in page.inner_text("#extract-owner")


def test_query_builder_writes_the_query_syntax(page: Any, live_server: LiveServer) -> None:  # noqa: F811
    page.goto(live_server.url + "/search")
    page.click("#builder summary")
    page.select_option("#builder-field", "ti")
    page.fill("#builder-value", "measuring method")
    page.click("#builder-add")
    page.select_option("#builder-field", "pd")
    page.fill("#builder-value", "1990")
    page.click("#builder-add")
    assert page.input_value("#q") == 'ti="measuring method" AND pd>=1990'


def test_language_switch_translates_the_page_and_dates(page: Any, live_server: LiveServer) -> None:  # noqa: F811
    page.goto(live_server.url + "/documents/US12186454")
    assert "Legal events" in page.content()
    assert "25 Sep 2023" in page.inner_text("#timeline")
    page.click("#lang-switch")
    page.wait_for_selector("#timeline")
    assert "法律事件" in page.content()
    assert "2023年9月25日" in page.inner_text("#timeline")
    assert page.url.endswith("/documents/US12186454")
    page.goto(live_server.url + "/search?q=" + "心理障碍")
    page.wait_for_selector(".hit")
    assert "CN118866379A" in page.inner_text(".hits")
    shot(page, "search-zh")
    page.click("#lang-switch")
    assert "Search the register" in page.content()


def test_applicant_files_an_application(page: Any, live_server: LiveServer) -> None:  # noqa: F811
    log_in(page, live_server, "applicant.wang")
    page.goto(live_server.url + "/file/cn_invention")
    page.fill("#title", "")
    page.click("#file-submit")
    page.wait_for_selector("#filing-errors")
    assert page.locator("#error-title").count() == 1
    assert page.locator("#error-abstract").count() == 1
    page.fill("#title", "Optical lens with anti-reflective nano-coating")
    page.fill("#abstract", "An optical lens carries an anti-reflective coating of nanostructured silica; "
                           "the coating reduces reflection of visible light.")
    page.fill("#claims", "1. An optical lens comprising a nanostructured silica coating.\n\n"
                         "2. The lens of claim 1, wherein the coating is 100 nm thick.")
    page.fill("#description", "The silica coating is deposited by a sol-gel process.")
    page.fill("input[name='priorities[0][country]']", "US")
    page.fill("input[name='priorities[0][number]']", "63/555111")
    page.fill("input[name='priorities[0][date]']", "2026-02-02")
    page.select_option("#reduction", "single_applicant")
    # 15% of 900 + 50 printing + 80 for the priority claim (a locator, not wait_for_function: the CSP forbids
    # evaluating strings)
    page.locator("#fees", has_text="265.00").wait_for()
    shot(page, "filing")
    page.click("#file-submit")
    page.wait_for_selector("#receipt")
    number = page.inner_text("#receipt-number")
    assert re.fullmatch(r"(CN)?2026\d{8}\.?[0-9X]", number.replace(" ", "")), number
    shot(page, "receipt")
    page.goto(live_server.url + "/my/cases")
    assert number in page.inner_text("#my-cases")


def test_examiner_issues_an_office_action(page: Any, live_server: LiveServer,  # noqa: F811
                                          web_register: WebRegister) -> None:  # noqa: F811
    number = web_register.examination_js
    log_in(page, live_server, "examiner.zhang")
    assert page.url.endswith("/examiner")
    assert number in page.inner_text("#queue")
    shot(page, "queue")
    page.goto(f"{live_server.url}/examiner/cases/{number}")
    page.wait_for_selector("#prior-art-hits li")
    # claim 1 is about unifying heterogeneous multimedia tuners: the EP application of 2007 is prior art
    assert "EP1792486A2" in page.inner_text("#prior-art-hits")
    first = page.locator("#prior-art-hits li").first
    cited = first.locator("a").first.inner_text()
    first.locator("select[name=category]").select_option("X")
    first.locator("button").click()
    page.wait_for_selector("#search-report")
    assert cited in page.inner_text("#search-report")
    page.select_option("#template", "novelty")
    assert cited in page.input_value("#action-text")
    page.select_option("#action", "office_action")
    shot(page, "examiner-case")
    page.click("#act-submit")
    page.wait_for_selector("#message")
    assert page.get_attribute("#case-state", "data-state") == "awaiting_response"
    # an action the case does not allow now (sent by a doctored form) is refused on the case page
    page.evaluate("""() => { const s = document.querySelector('#action');
                             s.add(new Option('grant', 'grant')); s.value = 'grant'; }""")
    page.click("#act-submit")
    page.wait_for_selector("#error")
    assert "grant" in page.inner_text("#error")
    assert page.get_attribute("#case-state", "data-state") == "awaiting_response"
    # the applicant sees the office action with its citation, and replies
    page.context.clear_cookies()
    log_in(page, live_server, "applicant.wang")
    page.goto(f"{live_server.url}/my/cases/{number}")
    assert cited in page.inner_text(".office-action >> nth=-1")
    page.select_option("#action", "respond")
    page.set_input_files("#document", files=[{"name": "reply.txt", "mimeType": "text/plain",
                                               "buffer": b"Claim 1 is amended."}])
    page.click("#act-form button[type=submit]")
    page.wait_for_selector("#message")
    assert page.get_attribute("#case-state", "data-state") == "under_examination"
    assert "reply.txt" in page.content()


def _watch(page: Any, url: str) -> list[str]:
    """Console messages about the Content-Security-Policy, failed requests and requests leaving the portal."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: seen.append(f"page error: {e}"))
    page.on("request", lambda r: seen.append(f"external request {r.url}")
            if not r.url.startswith((url, "data:", "blob:")) else None)
    return seen


def test_pages_work_under_the_content_security_policy(page: Any, live_server: LiveServer,  # noqa: F811
                                                      web_register: WebRegister) -> None:  # noqa: F811
    seen = _watch(page, live_server.url)
    page.goto(live_server.url + "/search?q=measuring")
    page.wait_for_selector(".hit")
    page.click("#builder summary")
    page.select_option("#builder-field", "ti")
    page.fill("#builder-value", "coil")
    page.click("#builder-add")
    assert "ti=coil" in page.input_value("#q")  # app.js runs
    page.goto(live_server.url + "/documents/EP0449582B1")
    log_in(page, live_server, "examiner.zhao")
    page.goto(f"{live_server.url}/examiner/cases/{web_register.unpublished_zj}")
    page.wait_for_selector("#template")
    page.goto(live_server.url + "/account")
    assert seen == []


def test_api_docs_render_offline_under_the_csp(page: Any, live_server: LiveServer) -> None:  # noqa: F811
    seen = watch(page, live_server.url)  # any console error, page error, failed or outside request
    page.goto(live_server.url + "/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 12
    assert seen == []
    page.goto(live_server.url + "/redoc")
    page.wait_for_selector("[role=menuitem]", timeout=20_000)
    # ReDoc's bundled "powered by" logo pointed at its CDN: it is served without that address
    assert seen == []
