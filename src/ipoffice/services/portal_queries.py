"""Read models of the portal's pages beyond one document: citations in the other direction, which numbers
are in the register, publication dates for sorting, and what a result list is filtered and sorted by."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ipoffice.adapters.register import SqlRegister
from ipoffice.adapters.register_reads import RegisterReads
from ipoffice.domain.citation_links import citation_forms, parse_cited, resolve
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
    """Documents of the register that cite ``number`` (compact), whatever kind-code convention the citation
    follows (``USD668832S`` cites ``USD668832S1``): a citation counts when it resolves to this publication
    (:func:`citation_links.resolve`: the exact kind preferred, else the same series of that office).
    ``serial_number`` (the number without its kind) is accepted for the callers' sake: the kind-less
    form is one of the forms looked for anyway."""
    target = PublicationNumber.parse(number)
    reads = _reads(register)
    rows = reads.citing(citation_forms(target))
    publications = [PublicationNumber(c, s, k)
                    for c, s, k in reads.publications_of([(target.country, target.serial)])]
    if target not in publications:
        publications.append(target)
    seen: dict[str, CitingDocument] = {}
    for r in rows:
        cited = parse_cited(r.cited_number)
        if cited is None or target not in resolve(cited, publications):
            continue
        seen.setdefault(r.number, CitingDocument(r.number, r.title, r.publication_date, r.category))
    return list(seen.values())


def resolve_cited(register: SqlRegister, numbers: Iterable[str | None]) -> dict[str, str]:
    """Cited numbers (as the citing documents wrote them) → the register's publication each one means,
    for those that resolve to exactly one (``USD668832S`` → ``USD668832S1``)."""
    cited = {n: p for n in {n for n in numbers if n} if (p := parse_cited(n)) is not None}
    if not cited:
        return {}
    publications = [PublicationNumber(c, s, k)
                    for c, s, k in _reads(register).publications_of((p.country, p.serial) for p in cited.values())]
    out = {}
    for text, number in cited.items():
        found = resolve(number, publications)
        if len(found) == 1:
            out[text] = found[0].compact
    return out


def numbers_in_register(register: SqlRegister, numbers: Iterable[str | None]) -> set[str]:
    return _reads(register).numbers_in_register(sorted({n for n in numbers if n}))


def publication_dates(register: SqlRegister, numbers: Sequence[str]) -> dict[str, date | None]:
    return _reads(register).publication_dates(numbers)


def pool_entries(register: SqlRegister, numbers: Sequence[str]) -> dict[str, PoolEntry]:
    """Office, right type, publication date and legal status of many documents in two queries."""
    out = {}
    for r in _reads(register).pool_rows(numbers):
        doc = Document(number=PublicationNumber(r.country, r.serial, r.kind), right_type=RightType(r.right_type),
                       publication_date=r.publication_date, legal_events=r.legal_events, mark=r.mark)
        out[r.number] = PoolEntry(r.number, r.country, r.right_type, r.publication_date, legal_status(doc).code)
    return out
