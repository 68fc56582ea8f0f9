"""The enforcement workspace in headless Chromium, in Chinese and English, on a desktop and a phone: the handling
officer finds a dispute in the list, opens its workspace (the patent's claims and status, the clocks, the claim
chart against the accused product, the draft decision), charts the claim against another description and accepts
the request from the page; the respondent then sees the accepted dispute with its new clocks. Every page is
checked with ``page_checks``."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from browser.conftest import log_in
from browser.page_checks import checker, watch
from browser.test_journey_cases import switch_user, take
from e2e.dispute_setup import PRODUCT, granted_patent, on
from e2e.web_app import LiveServer, live_server, web_register  # noqa: F401 - session fixtures

pytestmark = pytest.mark.browser


def new_dispute(server: LiveServer) -> str:
    """A dispute filed today against a lens-holder patent granted last year (year-2 annuity paid this January)."""
    from ipoffice.bootstrap import office

    running = office(server.register.settings)
    service = running.procedures
    last_year = date.today().year - 1
    right = granted_patent(service, last_year)
    service.act(right, "pay_annuity", on(service, f"{last_year + 1}-01-05"), "agent.li")
    service.clock = date.today
    return running.disputes.file(right, "agent.li", {
        "respondent": "applicant.chen", "infringement_date": f"{last_year + 1}-01-20",
        "product_description": PRODUCT}).record.application_number


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_officer_and_respondent_in_the_workspace(open_page: Any, live_server: LiveServer,  # noqa: F811
                                                 lang: str, viewport: str) -> None:
    server = live_server
    number = new_dispute(server)
    page = open_page(viewport, lang)
    problems = watch(page, server.url)
    ok = checker(page, lang, problems)

    log_in(page, server, "examiner.zhang")
    page.goto(server.url + "/disputes")
    ok("list of disputes")
    page.click(f"#disputes a:text-is('{number}')")
    page.wait_for_selector("#chart-table")
    ok("workspace")
    assert page.get_attribute("#case-state", "data-state") == "requested"
    assert page.get_attribute("#right-state-then", "data-state") == "granted"
    assert page.locator("#clocks li[data-code='acceptance']").count() == 1
    assert page.locator("#chart-table tr[data-disclosed='yes']").count() >= 1
    assert ("专利侵权纠纷行政裁决书" if lang == "zh" else "DECISION ON A PATENT INFRINGEMENT DISPUTE") in \
        page.input_value("#decision-draft")
    page.fill("#product-text", "A cup with a handle. It holds hot drinks." if lang == "en" else "一种带把手的杯子。")
    page.click("#chart-submit")
    page.wait_for_selector("#chart-table")
    ok("chart against another description")
    assert page.locator("#chart-table tr[data-disclosed='yes']").count() == 0
    page.goto(f"{server.url}/disputes/{number}")
    take(page, "accept_request")
    ok("accepted")
    assert page.get_attribute("#case-state", "data-state") == "accepted"
    assert {page.get_attribute(f"#clocks li:nth-child({i})", "data-code") for i in (1, 2)} == {"service", "decision"}

    switch_user(page, server, "applicant.chen")
    page.goto(f"{server.url}/disputes/{number}")
    ok("the respondent's view")
    assert page.inner_text("#respondent") == "applicant.chen"
    assert page.get_attribute("#case-state", "data-state") == "accepted"
