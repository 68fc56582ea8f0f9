"""The trademark examination journey in headless Chromium: the examiner (in Chinese, on a desktop) opens the
relative-grounds panel of a CN trademark application, sees the earlier conflicting mark, ticks it and refuses
the conflicting class; a third party (in English, on a phone) finds the mark published for opposition and files
an opposition. Every page passes ``page_checks`` (no console error, no overflow, inputs labelled, nothing
untranslated on the Chinese pages). A fresh register of its own, served by uvicorn for this module."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from browser.conftest import log_in
from browser.page_checks import assert_page_ok, watch
from e2e.web_app import PASSWORD, serve_app

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Served:
    url: str
    office: Any
    earlier: str
    number: str


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:

    from ipoffice.bootstrap import office
    from ipoffice.config import Settings
    from ipoffice.entrypoints.web.app import create_app
    from ipoffice.services.indexing import rebuild_keyword_index
    from ipoffice.services.procedures import Filing

    var = Path(tmp_path_factory.mktemp("tm-browser"))
    running = office(Settings(database_url=f"sqlite:///{var}/ipoffice.db", var_dir=var, shared_dir=var,
                              vector_cache_dir=var / "vectors"))
    rebuild_keyword_index(running.register, running.keyword_index_path).close()  # the case page's prior-art search
    app = create_app(running)
    app.state.web.accounts.seed_demo(PASSWORD)
    service = running.procedures
    today = running.today()

    def file(applicant: str, mark: str, classes: list[int]) -> str:
        filing = Filing("cn_trademark", "CN-JS-SZ", applicant, None, mark,
                        payload={"mark": mark, "nice_classes": classes})
        return service.file(filing, applicant).record.application_number

    service.clock = lambda: today - timedelta(days=30)
    earlier = file("applicant.chen", "鸿星 HONGXING", [25])
    service.clock = running.today
    number = file("applicant.wang", "HONGXING", [25, 35])
    service.act(number, "accept_for_examination", None, "examiner.zhang")

    with serve_app(app) as url:
        yield Served(url, running, earlier, number)


def test_examiner_refuses_citing_the_earlier_mark_and_a_third_party_opposes(open_page: Any, served: Served) -> None:
    page = open_page("desktop", "zh")
    problems = watch(page, served.url)
    log_in(page, served, "examiner.zhang")
    page.goto(f"{served.url}/examiner/cases/{served.number}")
    page.click("#relative-grounds-link")
    page.wait_for_load_state()
    assert page.inner_text("h1").startswith("相对理由审查")
    row = page.locator(f'tr.earlier-mark[data-number="{served.earlier}"]')
    assert row.count() == 1 and "包含" in row.inner_text()
    assert_page_ok(page, "zh", problems)
    row.locator('input[name="cite"]').check()
    page.fill("#refused-classes", "25")
    page.fill("#refusal-text", "第25类与在先商标“鸿星 HONGXING”近似（商标法第三十条）。")
    page.click("#refuse-submit")
    page.wait_for_load_state()
    assert page.url.endswith(f"/examiner/cases/{served.number}?done=refuse_partially")
    assert page.get_attribute("#case-state", "data-state") == "published_for_opposition"
    # (the case page itself is checked by test_journey_cases: without a semantic index here, its prior-art note
    # names the command that builds one)
    page.goto(f"{served.url}/examiner/trademarks/{served.number}/relative-grounds")
    assert page.locator("#cited-marks li").count() == 1
    assert_page_ok(page, "zh", problems)

    phone = open_page("phone", "en")
    problems = watch(phone, served.url)
    log_in(phone, served, "agent.li")
    phone.goto(f"{served.url}/documents/{served.number}")
    phone.click("#oppose-link")
    phone.wait_for_load_state()
    assert "Opposition may be filed until" in phone.inner_text("#opposition-until")
    assert_page_ok(phone, "en", problems)
    phone.fill("#opposition-grounds", "Similar to the earlier mark 鸿星 HONGXING for clothing.")
    phone.fill("#opposition-cite", served.earlier)
    phone.click("#opposition-submit")
    phone.wait_for_load_state()
    assert "Opposition filed on" in phone.inner_text("#message")
    assert phone.get_attribute("#case-state", "data-state") == "opposed"
    assert_page_ok(phone, "en", problems)

    view = served.office.procedures.show(served.number, "examiner.zhang")
    assert [(e.code, e.actor) for e in view.events[-2:]] == [("refuse_partially", "examiner.zhang"),
                                                              ("file_opposition", "agent.li")]
    assert view.events[-2].payload["earlier_marks"][0]["number"] == served.earlier
