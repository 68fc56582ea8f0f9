"""Every page of the portal, as each demo role sees it, in Chinese and English, at phone (390×844) and desktop
(1366×768) width: no console error or failed request, no horizontal overflow, every input labelled, and on a
Chinese page no raw message key and no English outside the data (``page_checks``). Then the language switch:
after a form's answer it lands on a page that opens, and on the filing form it keeps what was typed."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest

from browser.conftest import VIEWPORTS, log_in
from browser.page_checks import assert_page_ok, untranslated, watch
from e2e.web_app import LiveServer, WebRegister, live_server, web_register  # noqa: F401 - session fixtures

pytestmark = pytest.mark.browser

PUBLIC = ["/", "/search?q=measuring", "/search?q=" + quote("心理障碍"), "/search?q=measuring&mode=hybrid",
          "/documents/EP0449582B1", "/register/EP0449582B1", "/documents/US12186454", "/statistics", "/login"]


def pages_of(role: str, register: WebRegister) -> list[str]:
    """The pages ``role`` (a demo user, or ``public``) reaches from the portal's navigation."""
    if role == "public":
        return PUBLIC
    if role in ("applicant.wang", "agent.li"):
        own = [f"/my/cases/{register.examination_js}", f"/my/cases/{register.unpublished_js}",
               f"/my/cases/{register.unpublished_js}/receipt"] if role == "applicant.wang" else []
        return ["/file", "/file/cn_invention", "/file/cn_trademark", "/file/us_utility", "/my/cases", *own,
                "/account"]
    return ["/examiner", f"/examiner/cases/{register.examination_js}", f"/examiner/cases/{register.unpublished_js}",
            "/account"]


ROLES = ("public", "applicant.wang", "agent.li", "examiner.zhang", "reviewer.sun", "registrar.zhou", "admin.qian")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_both_languages_at_phone_and_desktop_width(
        open_page: Any, live_server: LiveServer, web_register: WebRegister,  # noqa: F811
        role: str, viewport: str, lang: str) -> None:
    page = open_page(viewport, lang)
    problems = watch(page, live_server.url)
    if role != "public":
        log_in(page, live_server, role)
        problems.clear()  # the login itself is checked with the public pages
    for path in pages_of(role, web_register):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        page.wait_for_load_state("networkidle")  # the fees and IPC suggestions are fetched after loading
        assert_page_ok(page, lang, problems)
        assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_errors_are_said_in_chinese(open_page: Any, live_server: LiveServer,  # noqa: F811
                                    web_register: WebRegister, viewport: str) -> None:  # noqa: F811
    page = open_page(viewport, "zh")
    problems = watch(page, live_server.url)
    for path, status in (("/search?q=" + quote("foo=bar"), 422), ("/search?q=" + quote("(a AND"), 422),
                         ("/search?q=" + quote("pd>=2300"), 422), ("/documents/XX123", 404),
                         ("/no/such/page", 404), ("/search?page=0", 422),
                         (f"/my/cases/{web_register.unpublished_js}/act", 405)):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == status, path
        # the answer's own status (the error page is what is checked), in the network and the console logs
        problems[:] = [p for p in problems if not p.startswith(f"HTTP {status} ") and f"status of {status}" not in p]
        assert_page_ok(page, "zh", problems)
        assert untranslated(page) == []
    log_in(page, live_server, "examiner.zhang")
    response = page.goto(f"{live_server.url}/my/cases")  # an examiner is not a party: 403, said in Chinese
    assert response is not None and response.status == 403
    assert "不是申请人或代理人" in page.inner_text("main")
    problems.clear()
    response = page.goto(f"{live_server.url}/examiner/cases/{web_register.unpublished_zj}")  # another office's
    assert response is not None and response.status == 404  # unpublished: not even its existence is told
    assert f"没有申请号为 {web_register.unpublished_zj} 的案件" in page.inner_text("main")
    assert untranslated(page) == []


def test_language_switch_after_a_form_answer_lands_on_a_page_that_opens(
        open_page: Any, live_server: LiveServer, web_register: WebRegister) -> None:  # noqa: F811
    page = open_page("phone", "en")
    problems = watch(page, live_server.url)
    log_in(page, live_server, "applicant.wang")
    number = web_register.unpublished_js
    page.goto(f"{live_server.url}/my/cases/{number}")
    # an action the case does not allow now (a doctored form): the refusal is the answer of the POST address
    page.evaluate("""() => { const s = document.querySelector('#action');
                             s.add(new Option('grant', 'grant')); s.value = 'grant'; }""")
    page.click("#act-form button[type=submit]")
    page.wait_for_selector("#error")
    assert page.url.endswith(f"/my/cases/{number}/act")
    assert "Grant" in page.inner_text("#error") or "grant" in page.inner_text("#error")
    problems.clear()  # the refusal's 4xx
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.url.endswith(f"/my/cases/{number}"), page.url
    assert page.locator("#case-state").count() == 1
    assert page.inner_text("#case-state") == "已受理"
    assert_page_ok(page, "zh", problems)


def test_language_switch_keeps_what_was_typed_on_the_filing_form(
        open_page: Any, live_server: LiveServer) -> None:  # noqa: F811
    page = open_page("desktop", "en")
    problems = watch(page, live_server.url)
    log_in(page, live_server, "applicant.wang")
    page.goto(live_server.url + "/file/cn_invention")
    page.fill("#title", "Lens hood with a bayonet mount")
    page.fill("#abstract", "A lens hood locks onto the lens by a bayonet mount with three lugs.")
    page.fill("#claims", "1. A lens hood comprising a bayonet mount.")
    page.fill("input[name='priorities[0][country]']", "US")
    page.fill("input[name='priorities[0][number]']", "63/555111")
    page.click("#add-priority")
    page.fill("input[name='priorities[1][country]']", "EP")
    page.fill("input[name='priorities[1][number]']", "25150001")
    page.select_option("#reduction", "single_applicant")
    page.click("#lang-switch")
    page.wait_for_selector("input[name='priorities[1][number]']")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.input_value("#title") == "Lens hood with a bayonet mount"
    assert page.input_value("#abstract").startswith("A lens hood locks")
    assert page.input_value("#claims") == "1. A lens hood comprising a bayonet mount."
    assert page.input_value("input[name='priorities[0][number]']") == "63/555111"
    assert page.input_value("input[name='priorities[1][country]']") == "EP"
    assert page.input_value("#reduction") == "single_applicant"
    page.locator("#fees", has_text="发明专利申请费").wait_for()
    # the fees follow the restored reduction and priority rows: 135 + 50 printing + 2 × 80 priority claims
    page.locator("#fees", has_text="345.00").wait_for()
    # the restored abstract is classified again, its suggestions titled in the new language
    page.locator("#ipc-suggestions li").first.wait_for()
    first = page.inner_text("#ipc-suggestions li >> nth=0")
    assert re.search(r"[\u4e00-\u9fff]", first) and "可能性" in first, first
    page.wait_for_load_state("networkidle")
    assert_page_ok(page, "zh", problems)
    page.reload()  # the draft is put back once, not on every later visit
    assert page.input_value("#title") == ""
