"""The case journeys in headless Chromium (issue #12), in Chinese and English, on a desktop (1366×768) and a
phone (390×844): an agent files a CN invention for an applicant with a priority claim, sees the fees with
their amounts, applies an IPC suggestion, gets the receipt and finds the case under "my cases"; the examiner
takes it from the queue, searches the prior art with a query of their own, cites a document, issues an office
action; the agent replies with a document; the examiner sees the reply and notifies the grant; the agent pays
the grant-year annuity and completes the registration; the registrar announces the grant; the public finds
the granted patent on ``/documents`` and ``/register``.

The steps that only set the case up between the journeys (formality examination, publication, the request for
examination) go through the REST API. Every page is checked with ``page_checks``: no console error or failed
request, no horizontal overflow, every input labelled, nothing untranslated on a Chinese page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from browser.conftest import log_in
from browser.page_checks import assert_page_ok, watch
from e2e.web_app import LiveServer, api_token, live_server, web_register  # noqa: F401 - session fixtures

pytestmark = pytest.mark.browser

TEXTS = {
    "en": {"title": "Wireless charging pad with foreign-object detection",
           "abstract": "A wireless charging pad has a transmitter coil and an inverter; a detector measures the "
                       "quality factor of the coil to find metal objects on the pad and stops charging.",
           "claims": "1. A wireless charging pad comprising a transmitter coil and a foreign-object detector.\n\n"
                     "2. The pad of claim 1, wherein the detector measures the quality factor of the coil.",
           "description": "The detector compares the quality factor of the coil with a reference value.",
           "query": "wireless charging coil quality factor metal object",
           "note": "Claim 1 now requires the quality-factor detector."},
    "zh": {"title": "具有异物检测的无线充电垫",
           "abstract": "一种无线充电垫，包括发射线圈和逆变器；"
                       "检测器测量线圈的品质因数以发现充电垫上的金属异物并停止充电。",
           "claims": "1. 一种无线充电垫，包括发射线圈和异物检测器。\n\n"
                     "2. 根据权利要求1所述的充电垫，其中检测器测量线圈的品质因数。",
           "description": "检测器将线圈的品质因数与参考值进行比较。",
           "query": "无线充电 线圈 品质因数 金属异物",
           "note": "权利要求1已限定品质因数检测器。"},
}


class Checks:
    def __init__(self, page: Any, server: LiveServer, lang: str) -> None:
        self.page, self.lang = page, lang
        self.problems = watch(page, server.url)

    def ok(self, what: str) -> None:
        """The page on screen satisfies page_checks (no problem, overflow, unlabelled input, untranslated text)."""
        self.page.wait_for_load_state()
        try:
            assert_page_ok(self.page, self.lang, self.problems)
        except AssertionError as exc:
            raise AssertionError(f"{what}: {exc}") from None


def api_act(server: LiveServer, number: str, user: str, action: str) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as client:  # a busy machine answers slowly
        done = client.post(f"/api/v1/cases/{number}/actions", json={"action": action},
                           headers={"Authorization": f"Bearer {api_token(client, user)}"})
        assert done.status_code == 200, done.text


def take(page: Any, action: str, submit: str = "#act-submit") -> None:
    """Choose ``action`` in the case page's action form and send it; the page confirms it."""
    page.select_option("#action", action)
    page.click(submit)
    page.wait_for_selector("#message")


def switch_user(page: Any, server: LiveServer, user: str) -> None:
    page.context.clear_cookies()  # the language stays: the browser asks for it (Accept-Language)
    log_in(page, server, user)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filing_examination_reply_grant_and_public_register(open_page: Any, live_server: LiveServer,  # noqa: F811
                                                            lang: str, viewport: str) -> None:
    server, text = live_server, TEXTS[lang]
    page = open_page(viewport, lang)
    checks = Checks(page, server, lang)

    # --- the agent files for the applicant, with a priority claim, the fees and an IPC suggestion ---
    log_in(page, server, "agent.li")
    page.goto(server.url + "/file/cn_invention")
    checks.ok("filing form")
    assert page.input_value("#applicant") == ""  # an agent names the applicant it files for
    page.select_option("#office", "CN-JS-SZ")
    page.fill("#applicant", "applicant.wang")
    page.fill("#title", text["title"])
    page.fill("#claims", text["claims"])
    page.fill("#description", text["description"])
    page.fill("input[name='priorities[0][country]']", "US")
    page.fill("input[name='priorities[0][number]']", "63/777001")
    page.fill("input[name='priorities[0][date]']", (date.today() - timedelta(days=60)).isoformat())
    page.fill("#abstract", text["abstract"])
    priority_fee, application_fee = ("优先权要求费", "发明专利申请费") if lang == "zh" else \
        ("Priority claim fee", "Application fee (invention)")
    page.locator("#fees li", has_text=priority_fee).wait_for()
    fees = page.inner_text("#fees")
    assert re.search(priority_fee + r".*80", fees) and re.search(re.escape(application_fee) + r".*900", fees)
    apply = page.locator("#ipc-suggestions .apply-ipc").first
    apply.wait_for()
    symbol = apply.get_attribute("data-symbol")
    # the Apply button is readable: not white on the white card (fresh-clone trial)
    assert apply.evaluate("e => getComputedStyle(e).color") != "rgb(255, 255, 255)"
    # each suggestion says how likely it is, in the page's language (a calibrated probability)
    likely = page.inner_text("#ipc-suggestions li .ipc-confidence")
    assert re.fullmatch(r"可能性 \d{1,3}%" if lang == "zh" else r"\d{1,3}% likely", likely.strip()), likely
    apply.click()
    assert page.input_value("#ipc") == symbol
    checks.ok("filing form filled")
    page.click("#file-submit")
    page.wait_for_selector("#receipt")
    checks.ok("receipt")
    number = page.inner_text("#receipt-number")
    assert page.inner_text("#receipt-applicant") == "applicant.wang"
    assert page.inner_text("#receipt-agent") == "agent.li"
    assert page.inner_text("#receipt-ipc") == symbol
    assert priority_fee in page.inner_text("#receipt-fees")
    page.goto(server.url + "/my/cases")
    checks.ok("my cases")
    assert number in page.inner_text("#my-cases")

    for user, action in (("examiner.zhang", "pass_formality_examination"), ("agent.li", "request_early_publication"),
                         ("registrar.zhou", "publish"), ("agent.li", "request_substantive_examination"),
                         ("examiner.zhang", "start_substantive_examination")):
        api_act(server, number, user, action)

    # --- the examiner: queue, prior art with their own query, a citation, the office action ---
    switch_user(page, server, "examiner.zhang")
    page.goto(server.url + "/examiner")
    checks.ok("queue")
    page.click(f"#queue a:text-is('{number}')")
    page.wait_for_selector("#prior-art-query")
    checks.ok("examiner case")
    page.fill("#prior-art-query", text["query"])
    page.click("form[action$='#prior-art'] button")
    page.wait_for_selector("#prior-art-hits li")
    first = page.locator("#prior-art-hits li").first
    cited = first.locator("a").first.inner_text()
    first.locator("select[name=category]").select_option("X")
    first.locator("button").click()
    page.wait_for_selector("#search-report")
    assert cited in page.inner_text("#search-report")
    assert page.input_value("#prior-art-query") == text["query"]  # the examiner's query survives the citation
    page.select_option("#template", "novelty")
    assert cited in page.input_value("#action-text")
    take(page, "office_action")
    checks.ok("office action issued")
    assert page.get_attribute("#case-state", "data-state") == "awaiting_response"

    # --- the agent replies with a document ---
    switch_user(page, server, "agent.li")
    page.goto(f"{server.url}/my/cases/{number}")
    checks.ok("case with an office action")
    assert cited in page.inner_text(".office-action >> nth=-1")
    assert page.input_value("#action") == "respond"
    assert page.locator('#notices li[data-code="office_action"]').count() >= 1
    page.set_input_files("#document", files=[{"name": "reply.pdf", "mimeType": "application/pdf",
                                               "buffer": b"%PDF-1.4\n% observations\n"}])
    page.fill("#note", text["note"])
    page.click("#act-form button[type=submit]")
    page.wait_for_selector("#message")
    checks.ok("reply sent")
    assert page.get_attribute("#case-state", "data-state") == "under_examination"

    # --- the examiner sees the reply, and notifies the grant ---
    switch_user(page, server, "examiner.zhang")
    page.goto(f"{server.url}/examiner/cases/{number}")
    checks.ok("examiner sees the reply")
    replies = page.inner_text("#party-acts")
    assert text["note"] in replies and "reply.pdf" in replies
    with page.expect_download() as download:
        page.click("#party-acts a.reply-document")
    assert download.value.suggested_filename == "reply.pdf"
    take(page, "notify_grant")
    assert page.get_attribute("#case-state", "data-state") == "grant_notified"

    # --- the agent pays the grant-year annuity and completes the registration ---
    switch_user(page, server, "agent.li")
    page.goto(f"{server.url}/my/cases/{number}")
    assert page.locator('#notices li[data-code="notify_grant"]').count() >= 1
    annuity = page.locator('#fee option[value^="fee.invention.annuity"]')
    assert re.search(r"900", annuity.inner_text())  # the year-1 annuity, with its amount
    page.select_option("#fee", annuity.get_attribute("value"))
    page.click("#pay-submit")
    page.wait_for_selector("#message")
    checks.ok("annuity paid")
    take(page, "complete_registration", "#act-form button[type=submit]")
    assert page.get_attribute("#case-state", "data-state") == "registered"

    # --- the registrar announces the grant ---
    switch_user(page, server, "registrar.zhou")
    page.goto(f"{server.url}/examiner/cases/{number}")
    take(page, "announce_grant")
    checks.ok("grant announced")
    assert page.get_attribute("#case-state", "data-state") == "granted"

    # --- the public finds the granted patent ---
    page.context.clear_cookies()
    page.goto(f"{server.url}/documents/{number}")
    checks.ok("public document")
    publications = page.inner_text("#public-publications")
    granted = re.search(r"CN\d{9}B", publications)
    assert granted, publications
    page.goto(f"{server.url}/register/{granted.group(0)}")
    checks.ok("public register")
    assert number in page.inner_text("dl.biblio")
    assert page.inner_text("#extract-status").startswith("已授权" if lang == "zh" else "Granted")
    assert page.locator('#extract-events tr[data-code="announce_grant"]').count() == 1
    # …and by search, by its words and by its number: the register holds its publications (the indexes follow
    # the act in the background)
    title_words = text["title"]
    for _ in range(60):
        page.goto(f"{server.url}/search?" + urlencode({"q": title_words, "syntax": "text"}))
        if page.locator(f'.hits a.hit-title[href="/documents/{granted.group(0)}"]').count():
            break
        page.wait_for_timeout(500)
    assert page.locator(f'.hits a.hit-title[href="/documents/{granted.group(0)}"]').count() == 1
    checks.ok("public search finds the granted patent")

