"""Read models of the portal's pages beyond one document: citations in the other direction, which numbers
are in the register, publication dates for sorting, and what a result list is filtered and sorted by."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ipoffice.adapters.register import SqlRegister
from ipoffice.adapters.register_reads import RegisterReads
from ipoffice.domain.document import Document, RightType
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.services.register_extract import legal_status


@dataclass(frozen=True)
class CitingDocument:
    number: str
    title: str | None
    publication_date: date | None
    category: str | None


@dataclass(frozen=True)
class PoolEntry:
    """What the search page filters, sorts and counts a result pool by."""

    number: str
    country: str
    right_type: str
    publication_date: date | None
    status: str


def _reads(register: SqlRegister) -> RegisterReads:
    return RegisterReads(register.engine)


def cited_by(register: SqlRegister, number: str, serial_number: str | None = None) -> list[CitingDocument]:
    """Documents of the register that cite ``number`` (compact, or without its kind code)."""
    wanted = sorted({number} | ({serial_number} if serial_number else set()))
    seen: dict[str, CitingDocument] = {}
    for r in _reads(register).citing(wanted):
        seen.setdefault(r.number, CitingDocument(r.number, r.title, r.publication_date, r.category))
    return list(seen.values())


def numbers_in_register(register: SqlRegister, numbers: Iterable[str | None]) -> set[str]:
    return _reads(register).numbers_in_register(sorted({n for n in numbers if n}))


def publication_dates(register: SqlRegister, numbers: Sequence[str]) -> dict[str, date | None]:
    return _reads(register).publication_dates(numbers)


def pool_entries(register: SqlRegister, numbers: Sequence[str]) -> dict[str, PoolEntry]:
    """Office, right type, publication date and legal status of many documents in two queries."""
    out = {}
    for r in _reads(register).pool_rows(numbers):
        doc = Document(number=PublicationNumber(r.country, r.serial, r.kind), right_type=RightType(r.right_type),
                       publication_date=r.publication_date, legal_events=r.legal_events)
        out[r.number] = PoolEntry(r.number, r.country, r.right_type, r.publication_date, legal_status(doc).code)
    return out
