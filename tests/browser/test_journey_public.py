"""The public's journey in headless Chromium, in Chinese and English, at desktop and phone width (issue #12):
search → facet → document → register extract (HTML and PDF) → CSV export, asserting what the user sees
(counts, numbers, texts) and, on every page, what ``page_checks`` checks."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest

from browser.page_checks import assert_page_ok, watch
from e2e.web_app import LiveServer, WebRegister, live_server, web_register  # noqa: F401 - session fixtures

pytestmark = pytest.mark.browser

QUERY = "measuring OR method"
RESULTS_TEXT = {"en": "results", "zh": "条结果"}


def count_of(link: Any) -> int:
    """The count shown after a facet link (``<a>…</a> <span class="count">N</span>``)."""
    return int(link.locator("xpath=following-sibling::span[@class='count']").inner_text().replace(",", ""))


def shown_total(page: Any) -> int:
    return int(page.get_attribute("#result-count", "data-total"))


def check(page: Any, lang: str, problems: list[str]) -> None:
    """Everything ``page_checks.assert_page_ok`` checks: no console error, failed or external request, no
    horizontal overflow, every input labelled and, on a Chinese page, no untranslated interface text."""
    assert_page_ok(page, lang, problems)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_public_search_facet_document_extract_and_csv(open_page: Callable[[str, str], Any],
                                                      live_server: LiveServer, lang: str,  # noqa: F811
                                                      viewport: str) -> None:
    page = open_page(viewport, lang)
    problems = watch(page, live_server.url)
    page.goto(live_server.url + "/")
    assert page.get_attribute("html", "lang").startswith(lang)
    assert page.locator("#search-examples a.example").count() >= 3
    check(page, lang, problems)

    # Search.
    page.fill("#q", QUERY)
    page.click("#search-submit")
    page.wait_for_selector(".hit")
    total = shown_total(page)
    assert total > 10 and RESULTS_TEXT[lang] in page.inner_text("#result-count")
    assert f"{total:,}" in page.inner_text("#result-count")
    assert page.locator(".hit").count() == 10
    check(page, lang, problems)

    # An IPC facet: the query is refined in parentheses and lists exactly the count.
    ipc = page.locator(".facets a[href*='ic%3D']").first
    expected = count_of(ipc)
    ipc.click()
    page.wait_for_selector("#result-count")
    assert shown_total(page) == expected
    assert page.input_value("#q").startswith(f"({QUERY}) AND (ic=")
    assert page.locator(".hit").count() == min(expected, 10)
    check(page, lang, problems)

    # A legal-status facet on top: a filter chip, and again exactly the count.
    status = page.locator(".facets a[href*='f_legal_status=']").first
    expected = count_of(status)
    label = status.inner_text()
    status.click()
    page.wait_for_selector("#result-count")
    assert shown_total(page) == expected and label in page.inner_text(".chip")
    check(page, lang, problems)
    results_url = page.url

    # The document of the first imported hit (a patent granted by this office's own cases, as the case
    # journey grants earlier in the session, opens as its case page: tests/browser/test_journey_cases.py).
    numbers = page.locator(".hit .number").all_inner_texts()
    first = next(i for i, n in enumerate(numbers) if not re.fullmatch(r"CN9\d{8}[A-Z]", n.strip()))
    number = numbers[first].strip()
    page.click(f"a.hit-title >> nth={first}")
    page.wait_for_selector("#document")
    assert page.inner_text("#doc-number") == number
    assert page.inner_text("#legal-status").strip() == label
    check(page, lang, problems)

    # Its register extract, and the extract as PDF.
    page.click("#extract-link")
    page.wait_for_selector("#extract-owner")
    assert number in page.inner_text("h1") or number in page.content()
    check(page, lang, problems)
    pdf = page.request.get(live_server.url + page.get_attribute("#extract-pdf", "href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF") and len(pdf.body()) > 1000

    # Back to the results: the CSV export holds exactly the listed documents.
    page.goto(results_url)
    page.wait_for_selector("#export-csv")
    export = page.request.get(live_server.url + page.get_attribute("#export-csv", "href"))
    assert export.status == 200
    rows = list(csv.DictReader(io.StringIO(export.text().lstrip("\ufeff"))))
    assert len(rows) == min(expected, 500) and number in {r["number"] for r in rows}
    check(page, lang, problems)


def test_query_builder_restricts_the_whole_query(page: Any, live_server: LiveServer) -> None:  # noqa: F811
    """AND binds tighter than OR: a clause added after an OR puts the query so far in parentheses."""
    problems = watch(page, live_server.url)
    page.goto(live_server.url + "/search")
    page.click("#builder summary")
    for op, field, value in (("AND", "ti", "method"), ("OR", "ab", "device"), ("AND", "pd", "2000"),
                             ("AND", "ic", "G06F")):
        page.select_option("#builder-op", op)
        page.select_option("#builder-field", field)
        page.fill("#builder-value", value)
        page.click("#builder-add")
    built = "(ti=method OR ab=device) AND pd>=2000 AND ic=G06F"
    assert page.input_value("#q") == built
    page.select_option("#builder-op", "NOT")
    page.select_option("#builder-field", "ti")
    page.fill("#builder-value", "x")
    page.fill("#q", "a OR b")
    page.click("#builder-add")
    assert page.input_value("#q") == "(a OR b) NOT ti=x"
    page.fill("#q", built.replace("(", "").replace(")", ""))  # without the parentheses: far more, wrongly
    page.click("#search-submit")
    page.wait_for_selector("#result-count")
    unbracketed = shown_total(page)
    page.fill("#q", built)
    page.click("#search-submit")
    page.wait_for_selector("#result-count")
    assert 0 < shown_total(page) < unbracketed
    for number in re.findall(r"/documents/([A-Z0-9]+)", page.inner_html(".hits")):
        body = page.request.get(f"{live_server.url}/api/v1/documents/{number}").json()
        assert body["publication_date"] >= "2000-01-01", number
        assert any(c["symbol"].replace(" ", "").startswith("G06F") for c in body["classifications"]), number
    assert not problems
