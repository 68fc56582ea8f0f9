"""Read-only queries over the register's documents that the portal's lists need beyond one document:
citations in the other direction, which numbers are in the register, publication dates, and the fields a
result list is filtered and sorted by (with the legal events its status is derived from)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, and_, bindparam, func, or_, select

from ipoffice.adapters import tables as t
from ipoffice.domain.document import LegalEvent, TextField
from ipoffice.domain.trademark import MarkDetails


@dataclass(frozen=True)
class CitingRow:
    number: str
    title: str | None
    publication_date: date | None
    category: str | None
    cited_number: str | None = None  # as the citing document wrote it


@dataclass(frozen=True)
class PoolRow:
    number: str
    country: str
    serial: str
    kind: str | None
    right_type: str
    publication_date: date | None
    legal_events: list[LegalEvent]
    mark: MarkDetails | None = None  # a trademark's status and registration date: what its legal status needs


# Built once: statement construction costs more than the indexed query itself.
_DOCUMENT_VERSION = select(select(func.max(t.documents.c.id)).scalar_subquery(), t.documents.c.updated_at).where(
    t.documents.c.number == bindparam("number"))


class RegisterReads:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def citing(self, wanted: Sequence[str]) -> list[CitingRow]:
        """Documents citing any of the numbers ``wanted`` (one row per citation), oldest first."""
        d, c, x = t.documents, t.citations, t.document_texts
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(d.c.number, d.c.publication_date, c.c.category, d.c.id, c.c.cited_number)
                .join(c, c.c.document_id == d.c.id)
                .where(c.c.cited_number.in_(list(wanted)))
                .order_by(d.c.publication_date, d.c.number)
            ).all()
            titles = {
                r.document_id: r.text
                for r in conn.execute(select(x.c.document_id, x.c.text).where(
                    x.c.document_id.in_([r.id for r in rows]), x.c.field == TextField.TITLE.value))
            } if rows else {}
        return [CitingRow(r.number, titles.get(r.id), r.publication_date, r.category, r.cited_number) for r in rows]

    def document_version(self, number: str) -> tuple[int, str] | None:
        """What a rendering of the document ``number`` (compact) depends on, in one indexed query: the
        register's highest document id (a document added may cite it or be cited by it) and the time the
        document was last saved (texts, parties, citations and legal events are saved with it); None when
        the register has no such document."""
        with self.engine.connect() as conn:
            row = conn.execute(_DOCUMENT_VERSION, {"number": number}).first()
        return None if row is None else (int(row[0]), str(row[1]))

    def publications_of(self, keys: Iterable[tuple[str, str]]) -> list[tuple[str, str, str | None]]:
        """(country, serial, kind) of every document whose (country, serial) is one of ``keys``: one indexed
        lookup per office (ix_documents_country_serial; by serial alone it was a scan of every document)."""
        by_country: dict[str, set[str]] = {}
        for country, serial in keys:
            by_country.setdefault(country, set()).add(serial)
        if not by_country:
            return []
        d = t.documents
        wanted = or_(*(and_(d.c.country == country, d.c.serial.in_(sorted(serials)))
                       for country, serials in sorted(by_country.items())))
        with self.engine.connect() as conn:
            return [(r.country, r.serial, r.kind)
                    for r in conn.execute(select(d.c.country, d.c.serial, d.c.kind).where(wanted))]

    def numbers_in_register(self, numbers: Sequence[str]) -> set[str]:
        if not numbers:
            return set()
        with self.engine.connect() as conn:
            return set(conn.execute(select(t.documents.c.number).where(t.documents.c.number.in_(list(numbers))))
                       .scalars())

    def publication_dates(self, numbers: Sequence[str]) -> dict[str, date | None]:
        if not numbers:
            return {}
        with self.engine.connect() as conn:
            return dict(conn.execute(select(t.documents.c.number, t.documents.c.publication_date)
                                     .where(t.documents.c.number.in_(list(numbers)))).tuples().all())

    def pool_rows(self, numbers: Sequence[str]) -> list[PoolRow]:
        """Office, serial, kind, right type, publication date and legal events of many documents, in two
        queries."""
        if not numbers:
            return []
        d, e, m = t.documents, t.legal_events, t.marks
        with self.engine.connect() as conn:
            rows = conn.execute(select(d.c.id, d.c.number, d.c.country, d.c.serial, d.c.kind, d.c.right_type,
                                       d.c.publication_date, m.c.document_id.label("mark_of"), m.c.status_text,
                                       m.c.status_date, m.c.registration_date)
                                .outerjoin(m, m.c.document_id == d.c.id).where(d.c.number.in_(list(numbers)))).all()
            events: dict[int, list[LegalEvent]] = {}
            for ev in conn.execute(select(e.c.document_id, e.c.code, e.c.event_date)
                                   .where(e.c.document_id.in_([r.id for r in rows]))):
                events.setdefault(ev.document_id, []).append(LegalEvent(ev.code, ev.event_date))
        return [PoolRow(r.number, r.country, r.serial, r.kind, r.right_type, r.publication_date,
                        events.get(r.id, []),
                        None if r.mark_of is None else MarkDetails(registration_date=r.registration_date,
                                                                   status_text=r.status_text,
                                                                   status_date=r.status_date))
                for r in rows]
