"""The recordal journey in headless Chromium (issue #16), in Chinese on a phone and in English on a desktop: the
owner of a granted CN invention files a pledge with the form of the right's page, the registrar registers it
there, and the public sees the pledge, the open licence and the annual fees with their reductions. Every page is
checked with ``page_checks`` (no console error or failed request, no horizontal overflow, every input labelled,
nothing untranslated on a Chinese page). A register of its own (no documents): the session's shared web
register is not changed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from browser.conftest import log_in
from browser.page_checks import checker, watch
from e2e.test_api_recordals import PASSWORD, _granted, _on
from e2e.web_app import serve_app
from ipoffice.bootstrap import Office, office
from ipoffice.config import Settings

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Server:
    url: str
    office: Office


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from ipoffice.entrypoints.web.app import create_app

    var = tmp_path_factory.mktemp("recordals-web")
    the_office = office(Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=var / "shared",
                                 var_dir=var))
    app = create_app(the_office)
    app.state.web.accounts.seed_demo(PASSWORD)
    with serve_app(app) as url:
        yield Server(url, the_office)


@pytest.mark.parametrize(("viewport", "lang"), [("phone", "zh"), ("desktop", "en")])
def test_pledge_filed_and_registered_on_the_right_page(server: Server, open_page: Any, viewport: str,
                                                       lang: str) -> None:
    number = _granted(server.office, reduction=None)  # so that the open licence's 15% shows (year 7)
    _on(server.office, date(2021, 6, 1))
    declared = server.office.recordals.file(number, "open_licence", "applicant.wang", {"royalty": "3%"})
    server.office.recordals.decide(declared.request.id, "register", "registrar.zhou")
    page = open_page(viewport, lang)
    problems = watch(page, server.url)
    ok = checker(page, lang, problems)

    log_in(page, server, "applicant.wang")  # type: ignore[arg-type]
    page.goto(f"{server.url}/rights/{number}")
    ok("the right's page with the form")
    page.select_option("#recordal-type", "pledge")
    page.fill("#recordal-pledgee", "ICBC Suzhou" if lang == "en" else "工商银行苏州分行")
    page.fill("#recordal-amount", "5000000")
    page.click("#recordal-submit")
    ok("after filing")
    assert page.locator("#right-message").count() == 1

    log_in(page, server, "registrar.zhou")  # type: ignore[arg-type]
    page.goto(f"{server.url}/rights/{number}")
    ok("the registrar's view")
    page.locator("#right-filed button[id$='-register']").first.click()
    ok("after registering")
    pledgees = page.locator("#right-pledges").inner_text()
    assert ("ICBC Suzhou" if lang == "en" else "工商银行苏州分行") in pledgees

    page.goto(f"{server.url}/rights/{number}?as_of=2021-07-01")
    ok("the public view as of a date")
    fees = page.locator("#right-fees tr[data-year='7']").inner_text()  # due 2025-01-07, after 2024-07-15
    assert ("Open-licence annual-fee reduction" if lang == "en" else "开放许可年费减免") in fees
    shot_dir = Path("/tmp/ipoffice-screenshots")
    shot_dir.mkdir(exist_ok=True)
    page.screenshot(path=str(shot_dir / f"right-{viewport}-{lang}.png"), full_page=True)
