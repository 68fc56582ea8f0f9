"""Headless Chromium (Debian ``chromium``) for the portal tests: one browser per module, a fresh context per
page at a named viewport and language, logging in as a demo user, and screenshots.

Viewports: ``desktop`` 1366×768 and ``phone`` 390×844 (the widths the journeys must work at)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from e2e.web_app import PASSWORD, LiveServer

CHROMIUM = Path("/usr/bin/chromium")
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
# The README's screenshots are refreshed on request (IPOFFICE_SCREENSHOTS=1); otherwise a run leaves the
# checkout clean and writes them to a temporary folder.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("IPOFFICE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "ipoffice-screenshots"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("headless browser tests need Debian's chromium at /usr/bin/chromium "
                    "(apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[str, str], Any]]:
    """``open_page(viewport, lang)`` → a page in a fresh context (``viewport`` a key of VIEWPORTS, ``lang``
    ``zh`` or ``en``: the browser's Accept-Language, so the portal starts in that language)."""
    contexts: list[Any] = []

    def make(viewport: str, lang: str) -> Any:
        context = browser.new_context(viewport=VIEWPORTS[viewport],
                                      locale="zh-CN" if lang == "zh" else "en-US")
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def log_in(page: Any, server: LiveServer, username: str) -> None:
    page.goto(server.url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_load_state()
