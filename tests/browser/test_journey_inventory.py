"""The stock-patent inventory journey in headless Chromium (issue #16), in Chinese on a phone and in English on a
desktop: the university's keeper uploads a CSV with bad rows (every row named, nothing written), then the good
file; names the technology-transfer office's reviewer; sees the suggested grades with their reasons;
self-assesses and submits; the technology-transfer office passes it at the first level and the office's
registrar at the second; the public finds it in /library. Every page is checked with ``page_checks`` (no
console error or failed request, no horizontal overflow at 390 px, every input labelled, nothing untranslated on
a Chinese page). A register of its own for each run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from browser.conftest import log_in
from browser.page_checks import assert_page_ok, checker, watch
from e2e.web_app import serve_app
from integration.inventory_setup import CSV_HEADER, TODAY, UNIVERSITY, good_csv, university_documents
from ipoffice.bootstrap import Office, office
from ipoffice.config import Settings

pytestmark = pytest.mark.browser
PASSWORD = "demo"


@dataclass(frozen=True)
class Server:
    url: str
    office: Office


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    from ipoffice.entrypoints.web.app import create_app

    the_office = office(Settings(database_url=f"sqlite:///{tmp_path}/ipoffice.db", shared_dir=tmp_path / "shared",
                                 var_dir=tmp_path, today=TODAY))
    the_office.register.save_documents([(d, None) for d in university_documents()])
    app = create_app(the_office)
    app.state.web.accounts.seed_demo(PASSWORD)
    with serve_app(app) as url:
        yield Server(url, the_office)


@pytest.mark.parametrize(("viewport", "lang"), [("phone", "zh"), ("desktop", "en")])
def test_upload_grade_review_twice_library(server: Server, open_page: Any, viewport: str, lang: str,
                                           tmp_path: Path) -> None:
    page = open_page(viewport, lang)
    problems = watch(page, server.url)

    check = checker(page, lang, problems)

    def ok(what: str, *, status_ok: bool = True) -> None:
        page.wait_for_load_state()
        if not status_ok:  # the refused upload answers 422 on purpose
            problems[:] = [p for p in problems if not p.startswith("HTTP 422") and "status of 422" not in p]
        check(what)

    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_HEADER + "CN110000001B,Chemistry,,A,transfer,\nCN110000004B,,,B,licence,\n"
                   "CN110000002B,,,Z,keep,\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_bytes(b"\xef\xbb\xbf" + good_csv())

    log_in(page, server, "univ.keeper")  # type: ignore[arg-type]
    page.click("#nav-inventory")
    ok("the empty inventory")
    page.fill("#inventory-holder", UNIVERSITY)
    page.set_input_files("#inventory-file", str(bad))
    page.click("#inventory-upload")
    ok("the refused upload", status_ok=False)
    errors = page.locator("#inventory-row-errors .row-error").all_inner_texts()
    assert len(errors) == 2
    assert errors[0].startswith("第3行，专利号：" if lang == "zh" else "Row 3, number:")
    assert "Gearbox Works Ltd." in errors[0]
    assert errors[1].startswith("第4行，自评等级：" if lang == "zh" else "Row 4, self-assessed grade:")
    assert page.locator("#inventory-entries").count() == 0
    assert page.input_value("#inventory-holder") == UNIVERSITY  # nothing typed is lost

    page.set_input_files("#inventory-file", str(good))
    page.click("#inventory-upload")
    ok("the imported inventory")
    assert page.locator("#inventory-message").count() == 1
    battery = page.locator("li.inventory-entry[data-number='CN110000001B']")
    assert battery.locator(".grade").inner_text() == "A"
    catalyst = page.locator("li.inventory-entry[data-number='CN110000003B']")
    assert catalyst.locator("[data-flag='not_in_force']").count() == 1
    battery.locator("details.reasons summary").click()
    reasons = battery.locator("li.reason").all_inner_texts()
    assert reasons[1] == ("被引次数：3 ≥ 3，+2分" if lang == "zh" else "forward citations: 3 ≥ 3, +2 point(s)")
    entry_id = battery.get_attribute("data-id")
    page.select_option(f"#grade-{entry_id}", "A")
    page.select_option(f"#intent-{entry_id}", "open_licence")
    page.fill(f"#note-{entry_id}", "中试线已建成" if lang == "zh" else "pilot line built")
    page.click(f"#save-submit-{entry_id}")
    ok("after submitting")
    battery = page.locator("li.inventory-entry[data-number='CN110000001B']")
    assert battery.locator("[data-state]").get_attribute("data-state") == "under_first_review"

    page.locator("#inventory-members summary").click()
    page.fill("#member-username", "univ.tto")
    page.click("#member-add")
    ok("after naming the first-level reviewer")
    assert "univ.tto" in (page.locator("#inventory-members").text_content() or "")
    for reviewer, level in (("univ.tto", "1"), ("registrar.zhou", "2")):
        log_in(page, server, reviewer)  # type: ignore[arg-type]
        page.goto(f"{server.url}/inventory/review")
        ok(f"the level-{level} queue")
        item = page.locator(f"#review-{entry_id}")
        assert item.get_attribute("data-level") == level
        item.locator(f"#pass-{entry_id}").click()
        ok(f"after the level-{level} pass")
        assert page.locator("#queue-message").count() == 1 and page.locator(f"#review-{entry_id}").count() == 0

    public = open_page(viewport, lang)
    public_problems = watch(public, server.url)
    public.goto(f"{server.url}/library")
    public.fill("#library-ipc", "H01M")
    public.click("#library-search")
    public.wait_for_load_state()
    assert_page_ok(public, lang, public_problems)
    listed = public.locator("li.library-entry")
    assert listed.count() == 1 and listed.get_attribute("data-number") == "CN110000001B"
    assert listed.locator("[data-intent]").inner_text() == ("开放许可" if lang == "zh" else "Open licence")
    public.goto(f"{server.url}/library?ipc=G01L")
    assert public.locator("#library-none").count() == 1
    shot_dir = Path("/tmp/ipoffice-screenshots")
    shot_dir.mkdir(exist_ok=True)
    public.screenshot(path=str(shot_dir / f"library-{viewport}-{lang}.png"), full_page=True)
    page.goto(f"{server.url}/inventory")  # the office's registrar sees every holder's inventory
    ok("the registrar's view of the inventories")
    assert page.locator("li.inventory-entry").count() == 3
    assert page.locator("form.assess-form").count() == 0  # the office reviews; it does not self-assess
    log_in(page, server, "univ.keeper")  # type: ignore[arg-type]
    page.goto(f"{server.url}/inventory")
    page.locator("li.inventory-entry[data-number='CN110000002B'] details.reasons summary").click()
    page.screenshot(path=str(shot_dir / f"inventory-{viewport}-{lang}.png"), full_page=True)
