"""The statistics page (issue #18) in headless Chromium, in Chinese and English, desktop and phone: the charts
are drawn by Plotly (served from the installed package) under the portal's Content-Security-Policy, every
number links to the applications behind it, and the page passes the checks of page_checks."""

from __future__ import annotations

from typing import Any

import pytest

from browser.conftest import shot
from browser.page_checks import assert_page_ok, watch
from e2e.web_app import LiveServer, WebRegister, live_server, web_register  # noqa: F401 - session fixtures

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("viewport", "lang"), [("desktop", "en"), ("phone", "zh")])
def test_statistics_page_draws_charts_and_links_each_number(open_page: Any, live_server: LiveServer,  # noqa: F811
                                                             viewport: str, lang: str) -> None:
    page = open_page(viewport, lang)
    # The browser asks for /favicon.ico (not served by the portal: a 404 of every page, not of this one) once,
    # on its first page: let that be another page.
    page.goto(live_server.url + "/search")
    page.wait_for_load_state("networkidle")
    problems = watch(page, live_server.url)
    page.goto(live_server.url + "/statistics?breakdown=applicant_type")
    page.wait_for_selector("#chart-year .main-svg")
    page.wait_for_selector("#chart-applicant_type .main-svg")
    page.wait_for_selector("#chart-pendency .main-svg")  # median and 90th percentile, to grant and first action
    assert page.locator("#per-population th").count() == 2  # the national plans' figures per 10,000 population
    assert page.inner_text("h1") == ("统计" if lang == "zh" else "Statistics")
    assert page.locator("#chart-year .trace").count() >= 3  # applications, publications, grants (in force)
    assert_page_ok(page, lang, problems)
    shot(page, f"statistics-{viewport}-{lang}")
    link = page.locator("#chart-year + .exports + .table-scroll td.m-applications a").first
    figure = int(link.inner_text())
    link.click()
    page.wait_for_selector("#statistics-count")
    assert page.locator(".statistics-members li").count() == min(figure, 500)
    assert_page_ok(page, lang, problems)
