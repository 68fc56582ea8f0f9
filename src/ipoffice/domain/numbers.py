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
_KIND = re.compile(r"^[A-Z][0-9]?$")
_COUNTRY = re.compile(r"[A-Z]{2}")
_SERIAL = re.compile(r"(RE|PP|RX|AI|HX|[DHT])?[0-9]+")
_SEPARATORS = re.compile(r"[\s,.]")
_PREFIX = re.compile(r"[A-Z]*")
# Offices whose serials are written at a fixed width (EP 0874807); elsewhere leading zeros are dropped.
_FIXED_WIDTH = {"EP": 7}


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
        if not _COUNTRY.fullmatch(self.country):
            raise InvalidField("publication_number.country", self.country, "must be a two-letter ST.3 code")
        if not _SERIAL.fullmatch(self.serial):
            raise InvalidField("publication_number.serial", self.serial, "must be digits with an optional prefix")
        if self.kind is not None and not _KIND.fullmatch(self.kind):
            raise InvalidField("publication_number.kind", self.kind, "kind code must be a letter and a digit")

    @classmethod
    def parse(cls, text: str, *, default_country: str | None = None) -> PublicationNumber:
        raw = text.strip()
        if default_country and raw[:1].isdigit():
            raw = default_country + raw
        m = _NUMBER.match(raw)
        if not m:
            raise InvalidField("publication_number", text, "not a publication number like 'US 7654321 B2'")
        serial = m["serial"].upper()
        if not serial.isdigit():  # the usual plain digits need neither step
            serial = _SEPARATORS.sub("", serial)
            prefix = _PREFIX.match(serial)
            head = prefix.group(0) if prefix else ""
        else:
            head = ""
        digits = serial[len(head):].lstrip("0") or "0"
        if m["country"].upper() in _FIXED_WIDTH:
            digits = digits.zfill(_FIXED_WIDTH[m["country"].upper()])
        kind = m["kind"].upper() if m["kind"] else None
        return cls(m["country"].upper(), head + digits, kind)

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
