"""Filing a request for adjudication and the handling officer's queue in headless Chromium, in Chinese and
English, on a desktop and a phone (390 px): the patentee opens the form from the list of disputes, sends it with
the respondent missing (the field is named in the page's language, the text typed is kept), completes it and
lands on the new dispute's workspace; the handling officer finds it in the queue with its acceptance clock and
accepts it from the workspace. Every page is checked with ``page_checks`` (no overflow, labels, translation)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser.conftest import log_in
from browser.page_checks import checker, watch
from browser.test_journey_cases import switch_user, take
from e2e.dispute_setup import PRODUCT, granted_patent
from e2e.web_app import PASSWORD, LiveServer, WebRegister, _start_server

pytestmark = pytest.mark.browser

REQUIRED = {"zh": "被请求人（用户名）: 必填", "en": "Respondent (username): required"}
QUEUE = {"zh": "立案期限", "en": "Acceptance decision"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    """A live portal on a register of its own with the demo users and a granted patent of applicant.wang."""
    from ipoffice.bootstrap import office
    from ipoffice.config import Settings

    var = tmp_path_factory.mktemp("dispute-journey")
    settings = Settings(database_url=f"sqlite:///{var}/ipoffice.db", var_dir=Path(var), shared_dir=Path(var))
    running = office(settings)
    running.accounts.seed_demo(PASSWORD)
    right = granted_patent(running.procedures)
    yield _start_server(WebRegister(settings, "", "", "")), right


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_patentee_files_and_the_officer_accepts_from_the_queue(open_page: Any, server: tuple[LiveServer, str],
                                                                   lang: str, viewport: str) -> None:
    live, right = server
    page = open_page(viewport, lang)
    problems = watch(page, live.url)
    ok = checker(page, lang, problems)

    log_in(page, live, "applicant.wang")
    page.goto(live.url + "/disputes")
    ok("list of disputes")
    page.click("#new-dispute")
    page.wait_for_selector("#dispute-form")
    ok("request form")
    page.fill("#right_number", right)
    page.fill("#infringement_date", "2026-06-01")
    page.fill("#asserted_claims", "1, 2")
    page.fill("#product_description", PRODUCT)
    page.click("#dispute-submit")
    page.wait_for_selector("#error-respondent")
    # the refused form answers 422 on purpose: the only status expected to be an error
    problems[:] = [p for p in problems if not p.startswith("HTTP 422 ") and "status of 422" not in p]
    ok("form with a missing field")
    assert REQUIRED[lang] in page.inner_text("#error-respondent")
    assert page.input_value("#product_description") == PRODUCT  # nothing typed is lost
    page.fill("#respondent", "applicant.chen")
    page.click("#dispute-submit")
    page.wait_for_selector("#case-state")
    ok("the new dispute's workspace")
    number = page.url.split("/disputes/")[1].split("?")[0]
    assert page.get_attribute("#case-state", "data-state") == "requested"
    assert page.inner_text("#respondent") == "applicant.chen"

    switch_user(page, live, "officer.dispute")
    page.goto(live.url + "/disputes")
    page.click("#dispute-queue-link")
    page.wait_for_selector("#dispute-queue")
    ok("the officer's queue")
    row = page.locator(f"#dispute-queue tr[data-number='{number}']")
    assert QUEUE[lang] in row.inner_text()
    row.locator(f"a:text-is('{number}')").click()
    page.wait_for_selector("#case-state")
    take(page, "accept_request")
    ok("accepted")
    assert page.get_attribute("#case-state", "data-state") == "accepted"
