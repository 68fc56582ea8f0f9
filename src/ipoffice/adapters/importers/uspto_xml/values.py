"""Field values as USPTO XML writes them, turned into the register's: countries, dates, numbers,
right types, IPC symbols without a slash, cited documents.

Weekly files cite the same documents (and dates) again and again: each is worked out once, in caches
that :func:`clear_caches` empties between files.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ipoffice.adapters.importers._common import parse_date
from ipoffice.domain.document import Citation, CitedBy, RightType
from ipoffice.domain.errors import DomainError, InvalidField
from ipoffice.domain.numbers import PublicationNumber


def country_code(text: str | None) -> str | None:
    """A two-letter country code, upper-cased (``" us"`` → ``"US"``); None for anything else."""
    value = (text or "").strip().upper()
    return value if len(value) == 2 and value.isascii() and value.isalpha() else None


def field_date(text: str | None, field: str) -> date | None:
    """``20210630`` → date; empty → None; anything else raises InvalidField naming ``field``."""
    return parse_date(text, field=field)


_EIGHT_DIGITS = re.compile(r"\d{8}")
DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=65536)
def approximate_date(text: str | None) -> date | None:
    """Cited documents' dates are often month-precise (``19420300``): day or month 00 reads as 01."""
    value = (text or "").strip()
    if not _EIGHT_DIGITS.fullmatch(value):
        return None
    year, month, day = int(value[:4]), int(value[4:6]) or 1, int(value[6:]) or 1
    try:
        return date(year, month, day)
    except ValueError:
        return None


def publication_number(country: str | None, serial: str | None, kind: str | None) -> PublicationNumber:
    """The document's own number (country US when missing); raises InvalidField without a serial, or
    DomainError for one that is no publication number."""
    serial = (serial or "").strip()
    if not serial:
        raise InvalidField("publication_number", serial, "the document has no publication number")
    return PublicationNumber.from_parts((country or "US").strip(), serial, (kind or "").strip() or None)


def right_type_of(number: PublicationNumber, application_type: str | None) -> RightType:
    """Design (kind S, serial D..., appl-type design), plant (kind P, serial PP..., appl-type plant) or
    invention."""
    kind = number.kind or ""
    application_type = (application_type or "").lower()
    if kind.startswith("S") or number.serial.startswith("D") or application_type == "design":
        return RightType.DESIGN
    if kind.startswith("P") or number.serial.startswith("PP") or application_type == "plant":
        return RightType.PLANT
    return RightType.INVENTION


def positive_int(text: str | None) -> int | None:
    """A sequence or claim number: the text's digits, or its last run of digits (``"CLM-00012"`` → 12);
    None without digits."""
    if text and text.isascii() and text.isdigit():  # "00001": the usual case, without a regex
        return int(text)
    digits = DIGITS.findall(text or "")
    return int(digits[-1]) if digits else None


_UNSLASHED_IPC = re.compile(r"^\s*\d?\s*([A-HY]\d{2}[A-Z])([ \d]{3,})\s*$")


def ipc_text(raw: str) -> str:
    """An IPC symbol as ST.32 / early v4 write it without a slash (4-character subclass, main group
    right-aligned in three characters, then the subgroup: ``"A47L  514"`` = A47L 5/14, ``"H01L 21461"`` =
    H01L 21/461) with its slash; any other text as it is."""
    m = _UNSLASHED_IPC.match(raw)
    if "/" in raw or not m:
        return raw
    rest = m.group(2).rstrip()
    if len(rest) < 4:
        return raw
    # Files re-indented by hand lost spaces ("E03C 104"): with fewer than five characters the
    # subgroup is the last two digits.
    main, sub = (rest[:3], rest[3:]) if len(rest) >= 5 else (rest[:-2], rest[-2:])
    return f"{m.group(1)} {main.strip()}/{sub.strip()}"


_REPEATED_COUNTRY = re.compile(r"^[A-Z]{2}[-\s]?(?=\d)")
_US_PUBLICATION = re.compile(r"^(\d{4})/(\d+)$")


def patent_citation(cited_by: CitedBy, country: str | None, serial: str | None, kind: str | None,
                     when: str | None, sequence: int) -> Citation:
    """The citation of a patent document, from its fields as written (``when``: ``YYYYMMDD``, day or month
    possibly 00)."""
    number, country, kind = cited_number(country, serial, kind)
    return Citation(cited_by=cited_by, number=number, country=country, kind=kind,
                    date=approximate_date(when), sequence=sequence)


@lru_cache(maxsize=65536)
def cited_number(country: str | None, serial: str | None, kind: str | None) -> tuple[str, str | None, str | None]:
    """(compact number or the serial as given, country, kind) of a cited patent document."""
    serial = (serial or "").strip()
    country = country_code(country)
    kind = (kind or "").strip().upper() or None
    # "WO-0123241" repeats the country; US publications are written "2019/0141884".
    cleaned = _REPEATED_COUNTRY.sub("", serial) if country and serial.startswith(country) else serial
    if "/" in cleaned:
        cleaned = _US_PUBLICATION.sub(r"\1\2", cleaned)
    try:
        number = PublicationNumber.from_parts(country or "US", cleaned, kind).compact
    except DomainError:
        number = serial  # foreign numbers such as "DM/074 086" are kept as given
    return number, country, kind


_CATEGORIES = {
    "cited by examiner": CitedBy.EXAMINER,
    "cited by applicant": CitedBy.APPLICANT,
    "cited by third party": CitedBy.THIRD_PARTY,
}


@lru_cache(maxsize=64)
def cited_by_category(category: str | None) -> CitedBy:
    """Who cited, from a v4 ``<category>`` ("cited by examiner", ...). "cited by other" (until 2009) means
    "not by the examiner": applicant or third party, unknown which."""
    return _CATEGORIES.get(" ".join((category or "").lower().split()), CitedBy.UNKNOWN)


def clear_caches() -> None:
    """Forget the cited numbers and dates worked out so far: a run's speed and memory do not depend on the
    files read before."""
    cited_number.cache_clear()
    approximate_date.cache_clear()
