"""What every page of a journey must satisfy, checked in the browser as the user sees it.

``watch(page, base_url)`` starts collecting problems (console errors, page errors, CSP violations, requests
leaving the portal, 4xx/5xx answers); ``assert_page_ok(page, lang, problems)`` then checks the page on
screen: nothing collected, no horizontal overflow, every visible input labelled, and on a Chinese page no
raw message key and no run of English words outside the data (document texts, numbers, names)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Elements whose text is data, not interface: the register's own texts may be in any language.
DATA_SELECTOR = "[data-i18n-exempt], .data, code, pre, textarea, input, select option[value], .hit-title, "\
                ".hit-snippet, .snippet, .doc-text, #claims, .claims, .abstract, .citation, .party, .number"
RAW_KEY = re.compile(r"\b[a-z_]+(?:\.[a-z0-9_]+){1,}\b")
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){2,}\b")  # three or more English words in a row


def watch(page: Any, base_url: str) -> list[str]:
    """Start collecting the page's problems; returns the (live) list."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.append(f"page error: {e}"))
    page.on("request", lambda r: seen.append(f"external request {r.url}")
            if not r.url.startswith((base_url, "data:", "blob:")) else None)
    page.on("response", lambda r: seen.append(f"HTTP {r.status} {r.url}")
            if r.status >= 400 and r.url.startswith(base_url) else None)
    return seen


def horizontal_overflow(page: Any) -> list[str]:
    """Elements wider than the viewport (the page scrolls sideways); empty when none."""
    result: list[str] = page.evaluate(
        """() => {
             const width = document.documentElement.clientWidth;
             if (document.documentElement.scrollWidth <= width) return [];
             return [...document.querySelectorAll('body *')]
               .filter(e => e.getBoundingClientRect().right > width + 1)
               .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                                     + (e.className ? '.' + String(e.className).split(' ')[0] : ''));
           }""")
    return result


def unlabelled_inputs(page: Any) -> list[str]:
    """Visible form controls without an accessible name (label, aria-label or aria-labelledby)."""
    result: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
             .filter(e => e.type !== 'hidden' && e.type !== 'submit' && e.offsetParent !== null)
             .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                          && !e.getAttribute('aria-labelledby') && !e.closest('label'))
             .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? '[' + e.name + ']' : ''))""")
    return result


def interface_text(page: Any) -> str:
    """The visible text of the page without the data elements (DATA_SELECTOR)."""
    text: str = page.evaluate(
        """(selector) => {
             const copy = document.body.cloneNode(true);
             copy.querySelectorAll(selector + ', script, style').forEach(e => e.remove());
             return copy.innerText;
           }""", DATA_SELECTOR)
    return text


def untranslated(page: Any) -> list[str]:
    """On a Chinese page: raw message keys and runs of English words in the interface text."""
    text = interface_text(page)
    return RAW_KEY.findall(text) + ENGLISH_RUN.findall(text)


def assert_page_ok(page: Any, lang: str, problems: list[str]) -> None:
    """All checks of the module docstring; the message lists every fault found."""
    faults = list(problems)
    faults += [f"overflows the {page.viewport_size['width']} px viewport: {e}" for e in horizontal_overflow(page)]
    faults += [f"input without a label: {e}" for e in unlabelled_inputs(page)]
    if lang == "zh":
        faults += [f"not translated: {e!r}" for e in untranslated(page)]
    assert not faults, f"{page.url}: " + "; ".join(faults)
    problems.clear()


def checker(page: Any, lang: str, problems: list[str]) -> Callable[[str], None]:
    """``ok(what)``: once the page has loaded, :func:`assert_page_ok`, the message led by ``what`` (the step of
    the journey)."""
    def ok(what: str) -> None:
        page.wait_for_load_state()
        try:
            assert_page_ok(page, lang, problems)
        except AssertionError as exc:
            raise AssertionError(f"{what}: {exc}") from None
    return ok
