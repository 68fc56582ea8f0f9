"""Every real trademark record's register page (the 22 records of ../shared/data/trademarks), in Chinese and
English at desktop and phone width, passes the checks of page_checks: the record's own texts (mark, goods and
services, status, feature, transliterations) sit inside their labelled data fields, so a Chinese page shows no
English outside the data and nothing overflows."""

from __future__ import annotations

from typing import Any

import pytest

from browser.page_checks import assert_page_ok, watch
from browser.test_trademark_search import marks_server  # noqa: F401 - module fixture: the 22 records served
from unit.trademark_files import EXPECTED

pytestmark = pytest.mark.browser

KEYS = sorted(e.key for e in EXPECTED.values())


@pytest.mark.parametrize(("viewport", "lang"), [("desktop", "zh"), ("phone", "zh"), ("desktop", "en"),
                                                ("phone", "en")])
def test_every_trademark_record_page_keeps_its_texts_in_labelled_data_fields(
        open_page: Any, marks_server: str, viewport: str, lang: str) -> None:  # noqa: F811
    page = open_page(viewport, lang)
    problems = watch(page, marks_server)
    faults = []
    for key in KEYS:
        response = page.goto(f"{marks_server}/documents/{key}?lang={lang}")
        assert response is not None and response.status == 200, key
        page.wait_for_load_state("networkidle")
        try:
            assert_page_ok(page, lang, problems)
        except AssertionError as exc:
            faults.append(str(exc))
        problems.clear()
        # Every goods and services text is the value of a field labelled with its Nice class.
        labels = page.locator("#goods-services > dt.goods-class").count()
        assert labels == page.locator("#goods-services > dd.data").count(), key
    assert not faults, "\n".join(faults)
