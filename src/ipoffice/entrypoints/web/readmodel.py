"""Read-only queries the pages need beyond one document: citations in the other direction, which numbers
are in the register, publication dates for sorting, and result snippets with the query's words marked."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape
from sqlalchemy import select

from ipoffice.adapters import tables as t
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.document import Document, TextField
from ipoffice.domain.errors import DomainError
from ipoffice.domain.query import free_text, parse_query

SNIPPET_CHARS = 260


@dataclass(frozen=True)
class CitingDocument:
    number: str
    title: str | None
    publication_date: date | None
    category: str | None


def cited_by(register: SqlRegister, number: str, serial_number: str | None = None) -> list[CitingDocument]:
    """Documents of the register that cite ``number`` (compact, or without its kind code)."""
    wanted = {number} | ({serial_number} if serial_number else set())
    d, c, x = t.documents, t.citations, t.document_texts
    with register.engine.connect() as conn:
        rows = conn.execute(
            select(d.c.number, d.c.publication_date, c.c.category, d.c.id)
            .join(c, c.c.document_id == d.c.id)
            .where(c.c.cited_number.in_(wanted))
            .order_by(d.c.publication_date, d.c.number)
        ).all()
        titles = {
            r.document_id: r.text
            for r in conn.execute(select(x.c.document_id, x.c.text).where(
                x.c.document_id.in_([r.id for r in rows]), x.c.field == TextField.TITLE.value))
        } if rows else {}
    seen: dict[str, CitingDocument] = {}
    for r in rows:
        seen.setdefault(r.number, CitingDocument(r.number, titles.get(r.id), r.publication_date, r.category))
    return list(seen.values())


def numbers_in_register(register: SqlRegister, numbers: Iterable[str | None]) -> set[str]:
    wanted = sorted({n for n in numbers if n})
    if not wanted:
        return set()
    with register.engine.connect() as conn:
        return set(conn.execute(select(t.documents.c.number).where(t.documents.c.number.in_(wanted))).scalars())


def publication_dates(register: SqlRegister, numbers: Sequence[str]) -> dict[str, date | None]:
    if not numbers:
        return {}
    with register.engine.connect() as conn:
        return dict(conn.execute(select(t.documents.c.number, t.documents.c.publication_date)
                                 .where(t.documents.c.number.in_(list(numbers)))).tuples().all())


def query_words(query: str, syntax: str = "query") -> list[str]:
    """The words a result snippet should mark: the query's text words, wildcards stripped."""
    if syntax == "text":
        text = query
    else:
        try:
            text = free_text(parse_query(query))
        except DomainError:
            text = query
    return [w for w in re.findall(r"\w+", text.lower()) if len(w) > 1 or not w.isascii()]


def _stem(word: str) -> str:
    # Matching by a short prefix stands in for the index's stemming: "charging" marks "charger" too.
    return word[:5] if word.isascii() and len(word) > 5 else word


def snippet(doc: Document, words: Sequence[str], lang: str | None = None) -> Markup:
    """About SNIPPET_CHARS of the abstract (or the first claim, or the description) around the first query
    word, the query's words wrapped in <mark>."""
    text = (doc.text(TextField.ABSTRACT, lang) or doc.text(TextField.ABSTRACT)
            or (doc.claims[0].text if doc.claims else None) or doc.text(TextField.DESCRIPTION) or "")
    if not text:
        return Markup("")
    stems = sorted({_stem(w) for w in words if w}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(s) for s in stems), re.IGNORECASE) if stems else None
    start = 0
    if pattern is not None and (first := pattern.search(text)) is not None:
        start = max(0, first.start() - SNIPPET_CHARS // 3)
    piece = text[start:start + SNIPPET_CHARS]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET_CHARS < len(text) else ""
    if pattern is None:
        return Markup(escape(prefix + piece + suffix))
    out: list[str] = [str(escape(prefix))]
    last = 0
    for match in pattern.finditer(piece):
        out.append(str(escape(piece[last:match.start()])))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(str(escape(piece[last:])))
    out.append(str(escape(suffix)))
    return Markup("".join(out))


@dataclass(frozen=True)
class PoolEntry:
    """What the search page filters, sorts and counts a result pool by."""

    number: str
    country: str
    right_type: str
    publication_date: date | None
    status: str


def pool_entries(register: SqlRegister, numbers: Sequence[str]) -> dict[str, PoolEntry]:
    """Office, right type, publication date and legal status of many documents in two queries."""
    from ipoffice.domain.document import LegalEvent, RightType
    from ipoffice.domain.numbers import PublicationNumber
    from ipoffice.services.register_extract import legal_status

    if not numbers:
        return {}
    d, e = t.documents, t.legal_events
    with register.engine.connect() as conn:
        rows = conn.execute(select(d.c.id, d.c.number, d.c.country, d.c.serial, d.c.kind, d.c.right_type,
                                   d.c.publication_date).where(d.c.number.in_(list(numbers)))).all()
        events: dict[int, list[LegalEvent]] = {}
        for ev in conn.execute(select(e.c.document_id, e.c.code, e.c.event_date)
                               .where(e.c.document_id.in_([r.id for r in rows]))):
            events.setdefault(ev.document_id, []).append(LegalEvent(ev.code, ev.event_date))
    out = {}
    for r in rows:
        doc = Document(number=PublicationNumber(r.country, r.serial, r.kind), right_type=RightType(r.right_type),
                       publication_date=r.publication_date, legal_events=events.get(r.id, []))
        out[r.number] = PoolEntry(r.number, r.country, r.right_type, r.publication_date, legal_status(doc).code)
    return out
