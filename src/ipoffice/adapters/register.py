"""The register in a SQL database: saving and loading documents and reference data.

Documents are written in batches inside one transaction each. A document is keyed by its compact
publication number; saving it again replaces its rows when its content hash changed and does
nothing when it did not, so an import can be re-run any number of times.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, case, delete, func, insert, select, update

from ipoffice.adapters import tables as t
from ipoffice.domain.classification import Level, Scheme
from ipoffice.domain.document import (
    Citation,
    CitedBy,
    Claim,
    Classification,
    Document,
    GoodsAndServices,
    LegalEvent,
    LocalizedText,
    Party,
    PartyRole,
    PriorityClaim,
    RightType,
    TextField,
)
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.reference import IpcEntry, NiceClass, NiceTerm
from ipoffice.domain.text import normalise


@dataclass
class SaveCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    changed: list[str] = field(default_factory=list)  # numbers added or updated, for the search index

    def __iadd__(self, other: SaveCounts) -> SaveCounts:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.changed.extend(other.changed)
        return self


# --- domain → rows ---------------------------------------------------------------------------

def _child_rows(document_id: int, doc: Document) -> dict[Any, list[dict[str, Any]]]:
    rows: dict[Any, list[dict[str, Any]]] = {
        t.document_texts: [
            {"field": x.field.value, "lang": x.lang, "text": x.text, "text_normalised": _normalised(x.text)}
            for x in doc.texts
        ],
        t.claims: [
            {"number": c.number, "lang": c.lang, "text": c.text, "text_normalised": _normalised(c.text),
             "depends_on": ",".join(map(str, c.depends_on))}
            for c in doc.claims
        ],
        t.classifications: [
            {"scheme": c.scheme.value, "symbol": c.symbol, "subclass": c.parsed.subclass_symbol, "is_main": c.is_main}
            for c in doc.classifications
        ],
        t.parties: [
            {"role": p.role.value, "name": p.name, "country": p.country, "sequence": p.sequence} for p in doc.parties
        ],
        t.citations: [
            {"cited_by": c.cited_by.value, "cited_number": c.number, "country": c.country, "kind": c.kind,
             "cited_date": c.date, "text": c.text, "category": c.category, "sequence": c.sequence}
            for c in doc.citations
        ],
        t.priority_claims: [
            {"country": p.country, "number": p.number, "priority_date": p.date} for p in doc.priority_claims
        ],
        t.legal_events: [
            {"code": e.code, "event_date": e.date, "description": e.description} for e in doc.legal_events
        ],
        t.goods_and_services: [{"nice_class": g.nice_class, "terms": g.terms} for g in doc.goods_and_services],
    }
    for table_rows in rows.values():
        for i, row in enumerate(table_rows):
            row["document_id"] = document_id
            row.setdefault("sequence", i)
    return rows


def _normalised(text: str) -> str | None:
    """The indexing form, or None when it is the text itself (most English text): half the bytes to write."""
    normalised = normalise(text)
    return None if normalised == text else normalised


def _document_row(doc: Document, content_hash: str, source_file: str | None, now: datetime) -> dict[str, Any]:
    return {
        "number": doc.number.compact,
        "country": doc.number.country,
        "serial": doc.number.serial,
        "kind": doc.number.kind,
        "right_type": doc.right_type.value,
        "publication_date": doc.publication_date,
        "application_number": doc.application_number,
        "application_date": doc.application_date,
        "mark_text": doc.mark_text,
        "source_format": doc.source_format,
        "source_file": source_file,
        "content_hash": content_hash,
        "updated_at": now,
    }


class SqlRegister:
    """Documents and reference data in one database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- writing -----------------------------------------------------------------------------

    def save_documents(self, batch: Sequence[tuple[Document, str | None]]) -> SaveCounts:
        """Add or update a batch of (document, source file) in one transaction; all or nothing."""
        with self.engine.begin() as conn:
            return self._save_documents(conn, batch)

    def _save_documents(self, conn: Connection, batch: Sequence[tuple[Document, str | None]]) -> SaveCounts:
        counts = SaveCounts()
        now = datetime.now(UTC)
        # The last version of a number within the batch wins, as it would across batches.
        latest: dict[str, tuple[Document, str | None]] = {}
        for doc, source in batch:
            latest[doc.number.compact] = (doc, source)
        existing = {
            row.number: (row.id, row.content_hash)
            for row in conn.execute(
                select(t.documents.c.id, t.documents.c.number, t.documents.c.content_hash).where(
                    t.documents.c.number.in_(list(latest))
                )
            )
        }
        child_rows: dict[Any, list[dict[str, Any]]] = {table: [] for table in t.DOCUMENT_CHILDREN}
        replaced: list[int] = []
        for number, (doc, source) in latest.items():
            digest = doc.content_hash()
            row = _document_row(doc, digest, source, now)
            if number in existing:
                document_id, old_hash = existing[number]
                if old_hash == digest:
                    counts.unchanged += 1
                    continue
                conn.execute(update(t.documents).where(t.documents.c.id == document_id).values(**row))
                replaced.append(document_id)
                counts.updated += 1
            else:
                row["imported_at"] = now
                document_id = conn.execute(insert(t.documents).values(**row)).inserted_primary_key[0]
                counts.added += 1
            counts.changed.append(number)
            for table, rows in _child_rows(document_id, doc).items():
                child_rows[table].extend(rows)
        if replaced:
            for table in t.DOCUMENT_CHILDREN:
                conn.execute(delete(table).where(table.c.document_id.in_(replaced)))
        for table, rows in child_rows.items():
            if rows:
                conn.execute(insert(table), rows)
        return counts

    def save_ipc_entries(self, entries: Sequence[IpcEntry]) -> int:
        rows = [{"symbol": e.symbol, "level": e.level.value, "title_en": e.title_en, "title_zh": e.title_zh}
                for e in entries]
        # The scheme arrives from several tables (bilingual, English-only, Chinese-only): an empty title
        # never overwrites a known one.
        return self._upsert(t.ipc_entries, rows, ["symbol"], keep_known=["title_en", "title_zh"])

    def save_nice_classes(self, classes: Sequence[NiceClass]) -> int:
        rows = [{"edition": c.edition, "number": c.number, "kind": c.kind, "heading": c.heading,
                 "explanatory_note": c.explanatory_note} for c in classes]
        return self._upsert(t.nice_classes, rows, ["edition", "number"])

    def save_nice_terms(self, terms: Sequence[NiceTerm]) -> int:
        rows = [{"edition": x.edition, "class_number": x.class_number, "term": x.term,
                 "basic_number": x.basic_number} for x in terms]
        return self._upsert(t.nice_terms, rows, ["edition", "class_number", "term"])

    def _upsert(
        self, table: Any, rows: list[dict[str, Any]], keys: list[str], keep_known: Sequence[str] = ()
    ) -> int:
        """Insert or replace reference rows by their natural key (portable: SQLite and PostgreSQL)."""
        if not rows:
            return 0
        dialect = self.engine.dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
        # Deduplicate within the batch: ON CONFLICT cannot touch one row twice in one statement.
        unique = {tuple(r[k] for k in keys): r for r in rows}
        stmt = upsert(table)
        others = [c.name for c in table.columns if c.name not in keys and c.name != "id"]
        new_values = {
            c: (case((stmt.excluded[c] == "", table.c[c]), else_=stmt.excluded[c]) if c in keep_known
                else stmt.excluded[c])
            for c in others
        }
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=new_values)
        with self.engine.begin() as conn:
            conn.execute(stmt, list(unique.values()))
        return len(unique)

    # --- reading -----------------------------------------------------------------------------

    def get(self, number: str) -> Document | None:
        """The document with this publication number; without a kind code, the latest publication."""
        parsed = PublicationNumber.parse(number)
        with self.engine.connect() as conn:
            q = select(t.documents)
            if parsed.kind:
                q = q.where(t.documents.c.number == parsed.compact)
            else:
                q = q.where(t.documents.c.country == parsed.country, t.documents.c.serial == parsed.serial)
            row = conn.execute(
                q.order_by(t.documents.c.publication_date.desc().nulls_last(), t.documents.c.kind.desc())
            ).first()
            if row is None:
                return None
            return self._load(conn, [row])[0]

    def iter_documents(self, batch_size: int = 500) -> Iterator[Document]:
        """Every document, in id order, loaded a batch at a time (for indexing)."""
        last_id = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(t.documents)
                    .where(t.documents.c.id > last_id)
                    .order_by(t.documents.c.id)
                    .limit(batch_size)
                ).all()
                if not rows:
                    return
                docs = self._load(conn, rows)
            last_id = rows[-1].id
            yield from docs

    def _load(self, conn: Connection, rows: Sequence[Any]) -> list[Document]:
        ids = [r.id for r in rows]
        children: dict[Any, dict[int, list[Any]]] = {}
        for table in t.DOCUMENT_CHILDREN:
            by_doc: dict[int, list[Any]] = {i: [] for i in ids}
            for child in conn.execute(
                # Insertion order is list order (parties' sequences restart per role).
                select(table).where(table.c.document_id.in_(ids)).order_by(table.c.document_id, table.c.id)
            ):
                by_doc[child.document_id].append(child)
            children[table] = by_doc
        return [_to_document(r, {table: children[table][r.id] for table in t.DOCUMENT_CHILDREN}) for r in rows]

    def count_documents(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.documents)).scalar_one())

    def stats(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            by_country = dict(
                conn.execute(
                    select(t.documents.c.country, func.count()).group_by(t.documents.c.country)
                    .order_by(t.documents.c.country)
                ).all()
            )
            by_right = dict(
                conn.execute(select(t.documents.c.right_type, func.count()).group_by(t.documents.c.right_type)).all()
            )
            ipc = conn.execute(select(func.count()).select_from(t.ipc_entries)).scalar_one()
            nice = conn.execute(select(func.count(func.distinct(t.nice_classes.c.number)))).scalar_one()
            editions = [r[0] for r in conn.execute(select(t.nice_classes.c.edition).distinct().order_by(
                t.nice_classes.c.edition))]
            terms = conn.execute(select(func.count()).select_from(t.nice_terms)).scalar_one()
            claims = conn.execute(select(func.count()).select_from(t.claims)).scalar_one()
            citations = conn.execute(select(func.count()).select_from(t.citations)).scalar_one()
        return {
            "documents": {k: int(v) for k, v in by_country.items()},
            "documents_total": int(sum(by_country.values())),
            "right_types": {k: int(v) for k, v in by_right.items()},
            "claims": int(claims),
            "citations": int(citations),
            "ipc_symbols": int(ipc),
            "nice_classes": int(nice),
            "nice_editions": editions,
            "nice_terms": int(terms),
        }

    def ipc_titles(self, symbols: Iterable[str]) -> dict[str, IpcEntry]:
        wanted = sorted(set(symbols))
        if not wanted:
            return {}
        with self.engine.connect() as conn:
            return {
                r.symbol: IpcEntry(r.symbol, Level(r.level), r.title_en, r.title_zh)
                for r in conn.execute(select(t.ipc_entries).where(t.ipc_entries.c.symbol.in_(wanted)))
            }


# --- rows → domain ---------------------------------------------------------------------------

def _to_document(row: Any, kids: dict[Any, list[Any]]) -> Document:
    return Document(
        number=PublicationNumber(row.country, row.serial, row.kind),
        right_type=RightType(row.right_type),
        publication_date=row.publication_date,
        application_number=row.application_number,
        application_date=row.application_date,
        texts=[LocalizedText(TextField(x.field), x.lang, x.text) for x in kids[t.document_texts]],
        claims=[
            Claim(c.number, c.text, c.lang, tuple(int(n) for n in c.depends_on.split(",") if n))
            for c in kids[t.claims]
        ],
        classifications=[Classification(Scheme(c.scheme), c.symbol, c.is_main) for c in kids[t.classifications]],
        parties=[Party(PartyRole(p.role), p.name, p.country, p.sequence) for p in kids[t.parties]],
        citations=[
            Citation(CitedBy(c.cited_by), c.cited_number, c.country, c.kind, c.cited_date, c.text, c.category,
                     c.sequence)
            for c in kids[t.citations]
        ],
        priority_claims=[PriorityClaim(p.country, p.number, p.priority_date) for p in kids[t.priority_claims]],
        legal_events=[LegalEvent(e.code, e.event_date, e.description) for e in kids[t.legal_events]],
        mark_text=row.mark_text,
        goods_and_services=[GoodsAndServices(g.nice_class, g.terms) for g in kids[t.goods_and_services]],
        source_format=row.source_format,
    )
