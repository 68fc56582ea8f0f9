"""The open-licence marketplace in headless Chromium (issue #16), in Chinese on a 390-px phone and in English on a
desktop: from the nav to the offers, a text search across languages, the royalty and industry filters, a bad
filter named in the page's language, the royalty guidance (a range, and "too few"), and the right's page with its
royalty and guidance. Every page is checked with ``page_checks`` (no console error or failed request, no
horizontal overflow, every input labelled, nothing untranslated on a Chinese page). A register of its own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from browser.page_checks import checker, watch
from e2e.test_api_recordals import PASSWORD
from e2e.web_app import serve_app
from integration.marketplace_setup import TODAY, build_market
from integration.search_corpus import shared_vector_cache
from ipoffice.bootstrap import Office, office
from ipoffice.config import Settings

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Server:
    url: str
    office: Office
    numbers: dict[str, str]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from ipoffice.entrypoints.web.app import create_app

    var = tmp_path_factory.mktemp("marketplace-web")
    the_office = office(Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=var / "shared",
                                 var_dir=var, vector_cache_dir=shared_vector_cache(), today=TODAY))
    app = create_app(the_office)
    app.state.web.accounts.seed_demo(PASSWORD)
    numbers = build_market(the_office.procedures, the_office.recordals)
    with serve_app(app) as url:
        yield Server(url, the_office, numbers)


@pytest.mark.parametrize(("viewport", "lang"), [("phone", "zh"), ("desktop", "en")])
def test_offers_found_filtered_and_guided(server: Server, open_page: Any, viewport: str, lang: str) -> None:
    zh = lang == "zh"
    page = open_page(viewport, lang)
    problems = watch(page, server.url)
    ok = checker(page, lang, problems)

    page.goto(server.url + "/")
    page.click("#nav-marketplace")
    ok("the marketplace's form")
    assert page.locator("h1").inner_text() == ("专利开放许可市场" if zh else "Open-licence marketplace")

    # a query in the other language than the right's: the English hinge for a Chinese need, and back
    page.fill("#text", "折叠自行车铰链" if zh else "lithium battery electrolyte")
    page.click("#market-submit")
    ok("a text search")
    offers = page.locator("#market-offers li.offer")
    assert offers.count() == 1
    wanted = server.numbers["hinge" if zh else "battery"]
    assert offers.first.get_attribute("data-number") == wanted
    royalty = offers.first.locator(".offer-royalty").inner_text()
    assert royalty.startswith("提成支付 3%") if zh else royalty.startswith("lump sum")
    too_few = offers.first.locator(".guidance .too-few").inner_text()
    assert ("可比合同过少" if zh else "Too few comparable contracts") in too_few

    # filters: free licences in H04L; the guidance of the crypto right rests on six contracts
    page.fill("#text", "")
    page.fill("#ipc", "H04L")
    page.select_option("#royalty_type", "free")
    page.click("#market-submit")
    ok("the IPC and royalty filters")
    assert [offers.nth(i).get_attribute("data-number") for i in range(offers.count())] == [server.numbers["crypto"]]
    guidance = offers.first.locator(".guidance")
    assert guidance.get_attribute("data-contracts") == "6"
    assert ("中位数 3%" if zh else "median 3%") in guidance.inner_text()

    page.select_option("#royalty_type", "")
    page.fill("#ipc", "")
    page.fill("#max_rate", "百分之三" if zh else "three")
    page.click("#market-submit")
    page.wait_for_load_state()
    problems[:] = [p for p in problems if not p.startswith("HTTP 422 ") and "status of 422" not in p]  # expected
    ok("a bad filter")
    error = page.locator("#market-error").inner_text()
    assert ("最高提成比例" if zh else "highest rate") in error
    assert page.locator("#max_rate").input_value() == ("百分之三" if zh else "three")  # nothing lost

    page.fill("#max_rate", "")
    page.fill("#min_remaining_years", "7")
    page.click("#market-submit")
    ok("the remaining-term filter")
    numbers = {offers.nth(i).get_attribute("data-number") for i in range(offers.count())}
    assert numbers == {server.numbers["crypto"], server.numbers["words"]}

    page.locator(f"#market-offers li[data-number='{server.numbers['crypto']}'] a.hit-title").click()
    ok("the right's page")
    assert "免费" in page.locator("#right-royalty").inner_text() if zh else \
        "free of charge" in page.locator("#right-royalty").inner_text()
    assert page.locator("#right-guidance").get_attribute("data-enough") == "yes"
