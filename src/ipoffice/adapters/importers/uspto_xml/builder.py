"""Building one Document from a USPTO XML document, whatever its DTD.

Field problems (a bad classification symbol, an unparsable priority date) are collected and the rest of
the document is kept; document problems raise InvalidField.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lxml import etree

from ipoffice.adapters.importers.uspto_xml.text import flatten_children
from ipoffice.adapters.importers.uspto_xml.values import DIGITS, country_code, field_date, ipc_text, positive_int
from ipoffice.domain.claim_references import claim_references
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import Claim, Classification, LocalizedText, PriorityClaim, TextField
from ipoffice.domain.errors import InvalidField

SOURCE_FORMAT = "uspto-xml"
_SPACE_BEFORE_PUNCTUATION = re.compile(r" +([,.;:])")
_CLAIM_NUMBER = re.compile(r"\s*([0-9]+)\s*\.\s*")
_DEPENDENCY_WINDOW = 250  # a dependent claim names its parents in its opening words


class Builder:
    """What a mapper gathers for one Document besides its plain fields: classifications (deduplicated,
    a main one winning), claims (numbered, dependencies read from references) and priority claims, and
    the field problems found on the way, as (field, reason)."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []  # (field, reason)
        self.classifications: list[Classification] = []
        self.claims: list[Claim] = []

    def problem(self, field: str, reason: str) -> None:
        """A field problem: reported next to the document, which is kept."""
        self.problems.append((field, reason))

    def classify(self, scheme: Scheme, raw: str | None, *, is_main: bool) -> None:
        """Add a symbol as written (empty: nothing); one that is no valid symbol is a field problem."""
        # USPC symbols are fixed-width: their leading spaces are part of them ("  2322" = 2/322).
        raw = (raw or "").rstrip() if scheme == Scheme.USPC else (raw or "").strip()
        if not raw.strip():
            return
        text = ipc_text(raw) if scheme == Scheme.IPC else raw
        try:
            item = Classification.of(scheme, text, is_main=is_main)
        except InvalidField as error:
            self.problem(error.field, f"{raw!r}: {error.reason}")
            return
        for i, known in enumerate(self.classifications):
            if (known.scheme, known.symbol) == (item.scheme, item.symbol):
                if is_main and not known.is_main:
                    self.classifications[i] = item
                return
        self.classifications.append(item)

    def national(self, country: str | None, raw: str | None, *, is_main: bool) -> None:
        """A national classification symbol: the USPC for the US; another office's scheme is a field
        problem (reported, not silently dropped)."""
        office = country_code(country) or "US"
        if office == "US":
            self.classify(Scheme.USPC, raw, is_main=is_main)
        elif text := (raw or "").strip():
            self.problem("classifications", f"national classification of {office} {text!r}: "
                                            "unknown classification scheme, not kept")

    def add_claims(self, containers: Iterable[etree._Element], tag: str,
                   number_text: Callable[[etree._Element], str | None],
                   references: Callable[[etree._Element], Iterable[str | None]]) -> None:
        """Every ``tag`` child of the containers (``<claims>``) as a claim, numbered in order if unnumbered."""
        position = 0
        for container in containers:
            for element, text in zip(container.findall(tag), flatten_children(container, tag), strict=True):
                position += 1
                self.claim(text, position, number_text(element), references(element))

    def claim(self, text: str, position: int, number_text: str | None, references: Iterable[str | None]) -> None:
        """Add a claim: its number from ``number_text`` (else its 1-based ``position``), the number it
        repeats at the start of its flattened ``text`` dropped, what it depends on from the digits of its
        ``references`` (claim ids such as ``"CLM-00001"``)."""
        number = positive_int(number_text) or position
        # The text repeats the claim's number ("1. A vacuum cleaner ..."): the number is kept apart.
        repeated = _CLAIM_NUMBER.match(text)
        if repeated and int(repeated[1]) == number:
            text = text[repeated.end():]
        # Nested claim-text blocks (v1.5 wraps even "claim 2" in one) leave a space before punctuation.
        if " ," in text or " ." in text or " ;" in text or " :" in text:
            text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
        tagged = {int(digits) for reference in references for digits in DIGITS.findall(reference or "")}
        tagged.discard(number)
        # The XML tags only the first claim of a range ("claims 2</claim-ref> through 4"): the words
        # give the rest; untagged references are read in the claim's opening words.
        named = claim_references(text, number, window=None if tagged else _DEPENDENCY_WINDOW)
        depends_on = tuple(sorted(tagged.union(named))) if tagged else named
        self.claims.append(Claim(number=number, text=text, lang="en", depends_on=depends_on))

    def priority(self, country: str | None, number: str | None, when: str | None) -> PriorityClaim | None:
        """A priority claim (None without a number); an unreadable date is a field problem and left out."""
        number = (number or "").strip()
        if not number:
            return None
        try:
            claimed = field_date(when, "priority_claims.date")
        except InvalidField as error:
            self.problem(error.field, error.reason + f" (got {error.value!r})")
            claimed = None
        return PriorityClaim(country=country_code(country) or (country or "").strip(), number=number, date=claimed)


def localized_texts(title: str, abstract: str, description: str) -> list[LocalizedText]:
    """The English title, abstract and description, those that are not empty."""
    pairs = ((TextField.TITLE, title), (TextField.ABSTRACT, abstract), (TextField.DESCRIPTION, description))
    return [LocalizedText(field, "en", text) for field, text in pairs if text]

