"""Application numbers as offices assign them.

CN (CNIPA, since 1 October 2003): ``YYYY T NNNNNNN . C`` — filing year, a type digit (1 invention,
2 utility model, 3 design, 8 PCT invention entering the national phase, 9 PCT utility model), a
7-digit serial counted per year and type, and a check character. The check character is the sum
of the 12 digits weighted 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5 (the weights 2..9 repeating), modulo
11, with 10 written ``X``. Checked against real CN application numbers cited in the shared data:
200510072215.5 and 200780018073.1 (CN office actions cited in USPTO grants, ``ipg*.small.xml``),
201810358967.5 (priority claim of an EP application, ``application_v1-5-A1.xml``), and
200710146763.7, 200710186180.7, 200810125110.5, 200910160476.0; ``tests/unit/test_numbering.py``
keeps them as fixtures.

US (USPTO): a 2-digit series code and a 6-digit serial, written ``18/100,000`` (compact
``18100000``, as in PEDS data); the serial runs on within a series, not per year.

A ``NumberingScheme`` says which counter a new filing draws from (``sequence_key``) and how the
drawn serial is written (``format``); the adapters keep the counters and increment them atomically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from ipoffice.domain.document import RightType
from ipoffice.domain.errors import InvalidField

_CN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9)


def cn_check_character(digits: str) -> str:
    """The CNIPA check character of the digits of an application number (weights 2..9 repeating)."""
    if not digits.isascii() or not digits.isdigit():
        raise InvalidField("application_number", digits, "the check character is computed over digits only")
    total = sum(int(d) * _CN_WEIGHTS[i % len(_CN_WEIGHTS)] for i, d in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


CN_TYPE_DIGITS: dict[RightType, str] = {
    RightType.INVENTION: "1",
    RightType.UTILITY_MODEL: "2",
    RightType.DESIGN: "3",
}
CN_PCT_TYPE_DIGITS: dict[RightType, str] = {RightType.INVENTION: "8", RightType.UTILITY_MODEL: "9"}
_CN_PATTERN = re.compile(r"^(?:CN|ZL)?\s*(\d{4})\s*([1-9])\s*(\d{7})\s*\.?\s*([0-9X])$", re.IGNORECASE)
_CN_SERIAL_MAX = 9_999_999


@dataclass(frozen=True, order=True)
class CnApplicationNumber:
    year: int
    type_digit: str
    serial: int

    def __post_init__(self) -> None:
        if not 1985 <= self.year <= 9999:
            raise InvalidField("application_number.year", self.year, "must be a 4-digit year from 1985")
        if len(self.type_digit) != 1 or self.type_digit not in "12389":
            raise InvalidField("application_number.type", self.type_digit, "must be one of 1, 2, 3, 8, 9")
        if not 0 <= self.serial <= _CN_SERIAL_MAX:
            raise InvalidField("application_number.serial", self.serial, "must fit in 7 digits")

    @property
    def digits(self) -> str:
        return f"{self.year:04d}{self.type_digit}{self.serial:07d}"

    @property
    def check_character(self) -> str:
        return cn_check_character(self.digits)

    def __str__(self) -> str:
        return f"{self.digits}.{self.check_character}"

    @classmethod
    def parse(cls, text: str) -> CnApplicationNumber:
        """Read ``201810358967.5``, ``CN 2018 1 0358967.5`` or ``ZL201810358967.5``; the check must match."""
        match = _CN_PATTERN.match(text.strip())
        if match is None:
            raise InvalidField("application_number", text, "expected a CN number like 201810358967.5")
        year, type_digit, serial, check = match.groups()
        number = cls(int(year), type_digit, int(serial))
        if number.check_character != check.upper():
            raise InvalidField(
                "application_number", text, f"check character is {number.check_character}, not {check.upper()}"
            )
        return number


_US_PATTERN = re.compile(r"^(?:US)?\s*(\d{2})\s*/?\s*(\d{3}),?(\d{3})$", re.IGNORECASE)
_US_SERIAL_MAX = 999_999


@dataclass(frozen=True, order=True)
class UsApplicationNumber:
    series: int
    serial: int

    def __post_init__(self) -> None:
        if not 1 <= self.series <= 99:
            raise InvalidField("application_number.series", self.series, "must be a 2-digit series code")
        if not 0 <= self.serial <= _US_SERIAL_MAX:
            raise InvalidField("application_number.serial", self.serial, "must fit in 6 digits")

    @property
    def compact(self) -> str:
        return f"{self.series:02d}{self.serial:06d}"

    def __str__(self) -> str:
        return f"{self.series:02d}/{self.serial // 1000:03d},{self.serial % 1000:03d}"

    @classmethod
    def parse(cls, text: str) -> UsApplicationNumber:
        """Read ``18/100,000``, ``18100000`` or ``US 18/100000``."""
        match = _US_PATTERN.match(text.strip())
        if match is None:
            raise InvalidField("application_number", text, "expected a US number like 18/100,000")
        series, thousands, units = match.groups()
        return cls(int(series), int(thousands + units))


@dataclass(frozen=True)
class SequenceKey:
    """Which counter a filing draws its serial from: e.g. (2026, "1") for CN inventions filed in 2026."""

    year: int  # 0 when the serial does not restart each year
    number_type: str


class NumberingScheme(Protocol):
    def sequence_key(self, right_type: RightType, filing_date: date, *, pct: bool = False) -> SequenceKey: ...

    def format(self, key: SequenceKey, serial: int) -> str: ...


class CnNumbering:
    """CNIPA numbering: serials restart each year for each type digit; the first serial is 1."""

    def sequence_key(self, right_type: RightType, filing_date: date, *, pct: bool = False) -> SequenceKey:
        table = CN_PCT_TYPE_DIGITS if pct else CN_TYPE_DIGITS
        if right_type not in table:
            kind = "PCT national-phase" if pct else "CN"
            raise InvalidField("right_type", right_type.value, f"has no {kind} application number type digit")
        return SequenceKey(filing_date.year, table[right_type])

    def format(self, key: SequenceKey, serial: int) -> str:
        return str(CnApplicationNumber(key.year, key.number_type, serial))


class UsNumbering:
    """USPTO numbering: one running serial per series code (designs have their own series, 29)."""

    def __init__(self, utility_series: int = 18, design_series: int = 29) -> None:
        self.utility_series = utility_series
        self.design_series = design_series

    def sequence_key(self, right_type: RightType, filing_date: date, *, pct: bool = False) -> SequenceKey:
        if right_type in (RightType.INVENTION, RightType.PLANT):
            return SequenceKey(0, f"{self.utility_series:02d}")
        if right_type is RightType.DESIGN:
            return SequenceKey(0, f"{self.design_series:02d}")
        raise InvalidField("right_type", right_type.value, "has no USPTO patent application series")

    def format(self, key: SequenceKey, serial: int) -> str:
        return str(UsApplicationNumber(int(key.number_type), serial))


class PlainNumbering:
    """Numbers for rights whose office format is not modelled (e.g. marks): ``<PREFIX><year><6-digit serial>``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def sequence_key(self, right_type: RightType, filing_date: date, *, pct: bool = False) -> SequenceKey:
        return SequenceKey(filing_date.year, right_type.value)

    def format(self, key: SequenceKey, serial: int) -> str:
        if not 0 <= serial <= _US_SERIAL_MAX:
            raise InvalidField("application_number.serial", serial, "must fit in 6 digits")
        return f"{self.prefix}{key.year:04d}{serial:06d}"


def numbering_for(jurisdiction: str, right_type: RightType) -> NumberingScheme:
    """The numbering scheme an office of ``jurisdiction`` uses for ``right_type``."""
    if jurisdiction == "CN" and right_type in CN_TYPE_DIGITS:
        return CnNumbering()
    if jurisdiction == "US" and right_type is not RightType.TRADEMARK:
        return UsNumbering()
    return PlainNumbering(f"{jurisdiction}{right_type.value[0].upper()}")


# --- publication numbers of the office's own cases ----------------------------------------------------

# CN publication kinds (WIPO ST.16 as used by CNIPA): A application published, B invention granted (same serial
# as its A publication), U utility model granted, S design granted.
CN_PUBLICATION_KINDS: dict[tuple[RightType, str], str] = {
    (RightType.INVENTION, "published"): "A",
    (RightType.INVENTION, "granted"): "B",
    (RightType.UTILITY_MODEL, "granted"): "U",
    (RightType.DESIGN, "granted"): "S",
}
# Serials of publications by this register start above the ranges CNIPA has used (CN1xxxxxxxx), so that a
# case of the office never takes the number of an imported CNIPA publication.
CN_PUBLICATION_BASE = 900_000_000


def publication_kind(jurisdiction: str, right_type: RightType, section: str) -> str | None:
    """The kind code of a publication in gazette ``section`` (``published``, ``granted``), or None when the
    office does not number that publication (only CN is numbered here)."""
    if jurisdiction != "CN":
        return None
    return CN_PUBLICATION_KINDS.get((right_type, section))


def publication_sequence(right_type: RightType) -> SequenceKey:
    """The counter of publication serials: inventions (A, then B with the same serial), utility models and
    designs each have their own, not restarting by year."""
    return SequenceKey(0, f"pub-{right_type.value}")


def format_publication(serial: int, kind: str) -> str:
    """``CN`` + 9 digits + kind, e.g. ``CN900000001A``."""
    return f"CN{CN_PUBLICATION_BASE + serial:09d}{kind}"
