"""The matching page (issue #16) in headless Chromium, in Chinese and English, desktop and phone: a need typed
in one language finds the right in the other, with the claim elements that meet it and why; an empty need is
refused naming the field; the page passes the checks of page_checks."""

from __future__ import annotations

from typing import Any

import pytest

from browser.conftest import shot
from browser.page_checks import assert_page_ok, watch
from e2e.web_app import LiveServer, WebRegister, live_server, web_register  # noqa: F401 - session fixtures

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("viewport", "lang"), [("desktop", "en"), ("phone", "zh")])
def test_a_chinese_need_finds_the_english_right_with_its_reasons(open_page: Any, live_server: LiveServer,  # noqa: F811
                                                                  viewport: str, lang: str) -> None:
    if not (live_server.register.settings.var_dir / "semantic").exists():
        pytest.skip("the web register's semantic index was not built")
    page = open_page(viewport, lang)
    page.goto(live_server.url + "/search")  # the browser's first page asks for /favicon.ico: not this one
    page.wait_for_load_state("networkidle")
    problems = watch(page, live_server.url)
    page.goto(live_server.url + "/")
    page.click("nav a[href='/match']")
    page.wait_for_selector("#match-form")
    assert page.inner_text("h1") == ("按需求匹配专利" if lang == "zh" else "Find patents for a need")
    page.click("#match-submit")  # empty: the browser asks for the required field, nothing is sent
    assert page.locator("#match-results").count() == 0
    page.fill("#need", "混合动力汽车倒车时对电池预充电以提高倒车性能")
    page.click("#match-submit")
    page.wait_for_selector("#match-results")
    first = page.locator("#match-results li.match").first
    assert first.get_attribute("data-number") == "US9358892B1"
    assert first.locator("li.reason").count() >= 1
    assert ("无共同词语" if lang == "zh" else "no shared words") in first.inner_text()
    assert_page_ok(page, lang, problems)
    shot(page, f"matching-{viewport}-{lang}")
    page.goto(live_server.url + "/match?need=%20&limit=10")
    assert page.locator("#match-error").inner_text().startswith("请更正" if lang == "zh" else "Please correct")
