"""Publication and application numbers (WIPO ST.1 / ST.16 style: country code, serial, kind code)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipoffice.domain.errors import InvalidField

# Country codes are WIPO ST.3 two-letter codes; EP, WO and the like are regional/international.
_NUMBER = re.compile(
    r"""^\s*
    (?P<country>[A-Za-z]{2})\s*[-/]?\s*
    (?P<serial>(?:RE|PP|RX|AI|HX|[DHT])?\s*[0-9][0-9,.\s]*[0-9]|[0-9])
    \s*[-/]?\s*
    (?P<kind>[A-Za-z][0-9]?)?\s*$""",
    re.VERBOSE,
)
_SERIAL = re.compile(r"(RE|PP|RX|AI|HX|[DHT])?[0-9]+")
_SEPARATORS = re.compile(r"[\s,.]")
_PREFIX = re.compile(r"[A-Z]*")
# Offices whose serials are written at a fixed width (EP 0874807); elsewhere leading zeros are dropped.
_FIXED_WIDTH = {"EP": 7}


def _is_country(text: str) -> bool:
    return len(text) == 2 and text.isascii() and text.isalpha() and text.isupper()


def _is_kind(text: str) -> bool:
    """A letter and an optional digit: A, B2, S1."""
    return (0 < len(text) <= 2 and text.isascii() and text[0].isalpha() and text[0].isupper()
            and (len(text) == 1 or text[1].isdigit()))


@dataclass(frozen=True, order=True)
class PublicationNumber:
    """A publication number such as ``US 7654321 B2`` or ``CN 114081026 A``.

    ``serial`` keeps US prefixes (``D`` design, ``RE`` reissue, ``PP`` plant) and drops
    separators and leading zeros of the digits, so ``US07654321`` and ``US 7,654,321`` are one number.
    """

    country: str
    serial: str
    kind: str | None = None

    def __post_init__(self) -> None:
        # String methods first: a number is built for every cited document, and they cost a fraction
        # of a regular expression.
        if not _is_country(self.country):
            raise InvalidField("publication_number.country", self.country, "must be a two-letter ST.3 code")
        if not (self.serial.isascii() and self.serial.isdigit()) and not _SERIAL.fullmatch(self.serial):
            raise InvalidField("publication_number.serial", self.serial, "must be digits with an optional prefix")
        if self.kind is not None and not _is_kind(self.kind):
            raise InvalidField("publication_number.kind", self.kind, "kind code must be a letter and a digit")

    @classmethod
    def parse(cls, text: str, *, default_country: str | None = None) -> PublicationNumber:
        raw = text.strip()
        if default_country and raw[:1].isdigit():
            raw = default_country + raw
        m = _NUMBER.match(raw)
        if not m:
            raise InvalidField("publication_number", text, "not a publication number like 'US 7654321 B2'")
        return cls._normalised(m["country"].upper(), m["serial"].upper(), m["kind"].upper() if m["kind"] else None)

    @classmethod
    def from_parts(cls, country: str, serial: str, kind: str | None = None) -> PublicationNumber:
        """From the parts that office XML gives apart (``<country>``, ``<doc-number>``, ``<kind>``): plain
        digits go straight in, anything else through ``parse``."""
        if serial.isascii() and serial.isdigit() and _is_country(country) and (kind is None or _is_kind(kind)):
            return cls._normalised(country, serial, kind)
        return cls.parse(f"{country} {serial} {kind or ''}")

    @classmethod
    def _normalised(cls, country: str, serial: str, kind: str | None) -> PublicationNumber:
        if not serial.isdigit():  # the usual plain digits need neither step
            serial = _SEPARATORS.sub("", serial)
            prefix = _PREFIX.match(serial)
            head = prefix.group(0) if prefix else ""
        else:
            head = ""
        digits = serial[len(head):].lstrip("0") or "0"
        if country in _FIXED_WIDTH:
            digits = digits.zfill(_FIXED_WIDTH[country])
        return cls(country, head + digits, kind)

    @property
    def compact(self) -> str:
        """The form used as the register key: ``US7654321B2``."""
        return f"{self.country}{self.serial}{self.kind or ''}"

    @property
    def without_kind(self) -> str:
        return f"{self.country}{self.serial}"

    def __str__(self) -> str:
        return f"{self.country} {self.serial}" + (f" {self.kind}" if self.kind else "")


def normalise_number_query(text: str) -> str:
    """Normalise a user-typed number to its compact form, kind code optional."""
    return PublicationNumber.parse(text).compact
