"""The register in a SQL database: saving and loading documents and reference data.

Documents are written in batches inside one transaction each. A document is keyed by its compact
publication number; saving it again replaces its rows when its content hash changed and does
nothing when it did not, so an import can be re-run any number of times.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, Dialect, Engine, Table, bindparam, case, delete, false, func, insert, select, update

from ipoffice.adapters import tables as t
from ipoffice.adapters.database import make_engine
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
from ipoffice.domain.errors import DomainError
from ipoffice.domain.numbers import ApplicationNumber, PublicationNumber
from ipoffice.domain.reference import IpcEntry, NiceClass, NiceTerm
from ipoffice.domain.text import normalise
from ipoffice.domain.trademark import MarkDetails, MarkFeature, MarkText, MarkTextKind, printed_key


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


@dataclass(frozen=True)
class SaveOrder:
    """One import run, whose files several processes save at once in no fixed order.

    Every row the run writes carries ``started_at``, which marks it as the run's own. A document read from
    an earlier file then never replaces the version that a later file of the run saved first: the register
    ends as if the files had been saved one after the other."""

    started_at: datetime
    file_order: Mapping[str, int]  # source file → its place in the run

    def keeps_stored(self, stored_source: str | None, stored_this_run: bool, source: str | None) -> bool:
        if not stored_this_run:
            return False
        return self.file_order.get(stored_source or "", -1) > self.file_order.get(source or "", -1)


# --- domain → rows ---------------------------------------------------------------------------

_MARK_COLUMNS = ("sequence", "registration_number", "registration_date", "international_number", "expiry_date",
                 "feature", "feature_text", "kind_of_mark", "status_text", "status_date", "application_key",
                 "registration_key", "international_key")


def _mark_rows(doc: Document) -> list[tuple[Any, ...]]:
    """The one row of a trademark's own data, with its printed numbers in their look-up form."""
    m = doc.mark
    if m is None:
        return []
    office = doc.number.country

    def key(number: str | None) -> str | None:
        return (printed_key(number, office) or None) if number else None

    return [(0, m.registration_number, _iso(m.registration_date), m.international_number, _iso(m.expiry_date),
             m.feature.value if m.feature else None, m.feature_text, m.kind_of_mark, m.status_text,
             _iso(m.status_date), key(doc.application_number), key(m.registration_number),
             key(m.international_number))]


# Each child table: its columns after ``document_id``, and a document's rows in that order. Rows are
# tuples written by the driver's executemany: per-row dicts through SQLAlchemy cost more than SQLite.
_CHILD_ROWS: tuple[tuple[Table, tuple[str, ...], Callable[[Document], list[tuple[Any, ...]]]], ...] = (
    (t.document_texts, ("sequence", "field", "lang", "text", "text_normalised"),
     lambda doc: [(i, x.field.value, x.lang, x.text, _normalised(x.text)) for i, x in enumerate(doc.texts)]),
    (t.claims, ("sequence", "number", "lang", "text", "text_normalised", "depends_on"),
     lambda doc: [(i, c.number, c.lang, c.text, _normalised(c.text), _claim_list(c.depends_on))
                  for i, c in enumerate(doc.claims)]),
    (t.classifications, ("sequence", "scheme", "symbol", "subclass", "is_main"),
     lambda doc: [(i, c.scheme.value, c.symbol, c.subclass_symbol, c.is_main)
                  for i, c in enumerate(doc.classifications)]),
    (t.parties, ("sequence", "role", "name", "country", "address", "lang"),
     lambda doc: [(p.sequence, p.role.value, p.name, p.country, p.address, p.lang) for p in doc.parties]),
    (t.citations, ("sequence", "cited_by", "cited_number", "country", "kind", "cited_date", "text", "category"),
     lambda doc: [(c.sequence, c.cited_by.value, c.number, c.country, c.kind, _iso(c.date), c.text, c.category)
                  for c in doc.citations]),
    (t.priority_claims, ("sequence", "country", "number", "priority_date"),
     lambda doc: [(i, p.country, p.number, _iso(p.date)) for i, p in enumerate(doc.priority_claims)]),
    (t.legal_events, ("sequence", "code", "event_date", "description", "office_code"),
     lambda doc: [(i, e.code, _iso(e.date), e.description, e.office_code) for i, e in enumerate(doc.legal_events)]),
    (t.goods_and_services, ("sequence", "nice_class", "terms", "lang"),
     lambda doc: [(i, g.nice_class, g.terms, g.lang) for i, g in enumerate(doc.goods_and_services)]),
    (t.marks, _MARK_COLUMNS, lambda doc: _mark_rows(doc)),
    (t.mark_texts, ("sequence", "kind", "lang", "text", "text_date"),
     lambda doc: [(i, x.kind.value, x.lang, x.text, _iso(x.date))
                  for i, x in enumerate(doc.mark.texts if doc.mark else ())]),
)
assert {table for table, _, _ in _CHILD_ROWS} == set(t.DOCUMENT_CHILDREN)


def _claim_list(numbers: Sequence[int]) -> str:
    """Claim numbers as stored: runs of three or more as ranges ("1,3-46"), so that "any preceding claim"
    of a hundredth claim fits the column."""
    parts: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{numbers[i]}-{numbers[j]}")
        else:
            parts.extend(str(n) for n in numbers[i:j + 1])
        i = j + 1
    return ",".join(parts)


def _claim_numbers(stored: str) -> tuple[int, ...]:
    """``_claim_list`` read back ("1,3-5" → 1, 3, 4, 5; rows written before ranges: "1,3,4,5")."""
    out: list[int] = []
    for part in stored.split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        out.extend(range(int(first), int(last) + 1) if last else (int(first),))
    return tuple(out)


def _iso(day: date | None) -> str | None:
    """A date as the driver would send it (ISO 8601 text, which SQLite stores and PostgreSQL casts):
    converted where the rows are prepared, not one by one by the driver."""
    return None if day is None else day.isoformat()


@lru_cache(maxsize=32)
def _insert_statement(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> tuple[str, list[Any]]:
    """Plain INSERT in the driver's parameter style, and the type conversions SQLAlchemy would apply."""
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join([marker] * len(columns))})")
    return sql, [table.c[c].type.bind_processor(dialect) for c in columns]


def _insert_rows(conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    sql, processors = _insert_statement(conn.dialect, table, columns)
    if any(processors):
        rows = [tuple(v if f is None else f(v) for f, v in zip(processors, row, strict=True)) for row in rows]
    conn.exec_driver_sql(sql, rows)


def _normalised(text: str) -> str | None:
    """The indexing form, or None when it is the text itself (most English text): half the bytes to write."""
    normalised = normalise(text)
    return None if normalised == text else normalised


_DOCUMENT_COLUMNS = ("number", "country", "serial", "kind", "right_type", "publication_date", "application_number",
                     "application_date", "mark_text", "source_format", "content_hash")


class PreparedDocument(NamedTuple):
    """A document turned into the rows the register writes, with its content hash: all the work of
    saving that needs no database, done before the transaction that writes it is opened."""

    number: str
    values: tuple[Any, ...]  # its row of the documents table, in _DOCUMENT_COLUMNS order
    children: tuple[list[tuple[Any, ...]], ...]  # rows of each _CHILD_ROWS table, without document_id

    @property
    def content_hash(self) -> str:
        return str(self.values[-1])


def prepare(doc: Document) -> PreparedDocument:
    """The rows of a document and their content hash (pure: no database needed)."""
    number = doc.number
    values = (number.compact, number.country, number.serial, number.kind, doc.right_type.value, doc.publication_date,
              doc.application_number, doc.application_date, doc.mark_text, doc.source_format)
    children = tuple(rows_of(doc) for _, _, rows_of in _CHILD_ROWS)
    return PreparedDocument(number.compact, (*values, _content_hash(values, children)), children)


def _content_hash(values: tuple[Any, ...], children: tuple[list[tuple[Any, ...]], ...]) -> str:
    """A fingerprint of every row stored for a document, so re-importing an unchanged one is a no-op.

    Hashing the rows rather than the Document also covers the derived ``text_normalised``: a better
    normaliser re-saves what it changes. marshal format 2 writes plain values by content alone (no
    back-references, which later formats add by object identity) and in C: 2.5 times faster than JSON
    on the 27 MB of shared XML. A Python release that changed the format would re-save each document
    once, with the same rows."""
    plain = tuple(value.isoformat() if isinstance(value, date) else value for value in values)
    return hashlib.sha256(marshal.dumps((plain, children), 2)).hexdigest()


class SqlRegister:
    """Documents and reference data in one database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def reopened(self) -> SqlRegister:
        """The same register on connections of its own: what a forked process uses, since connections
        cannot be shared between processes."""
        return SqlRegister(make_engine(self.engine.url.render_as_string(hide_password=False)))

    @property
    def can_be_shared(self) -> bool:
        """Whether other processes can open it too: not an in-memory SQLite database."""
        url = self.engine.url
        return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))

    # --- writing -----------------------------------------------------------------------------

    def save_documents(
        self, batch: Sequence[tuple[Document | PreparedDocument, str | None]], order: SaveOrder | None = None
    ) -> SaveCounts:
        """Add or update a batch of (document, source file) in one transaction; all or nothing."""
        prepared = [(d if isinstance(d, PreparedDocument) else prepare(d), source) for d, source in batch]
        with self.engine.begin() as conn:
            return self._save_documents(conn, prepared, order)

    def _save_documents(
        self, conn: Connection, batch: Sequence[tuple[PreparedDocument, str | None]], order: SaveOrder | None
    ) -> SaveCounts:
        counts = SaveCounts()
        now = order.started_at if order is not None else datetime.now(UTC)
        # The last version of a number within the batch wins, as it would across batches.
        latest: dict[str, tuple[PreparedDocument, str | None]] = {}
        for doc, source in batch:
            latest[doc.number] = (doc, source)
        documents = t.documents.c
        this_run = (documents.updated_at == now) if order is not None else false()
        existing = {
            row.number: (row.id, row.content_hash, row.source_file, bool(row.this_run))
            for row in conn.execute(
                select(documents.id, documents.number, documents.content_hash, documents.source_file,
                       this_run.label("this_run")).where(documents.number.in_(list(latest)))
            )
        }
        new: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        ids: dict[str, int] = {}
        for number, (doc, source) in latest.items():
            row = dict(zip(_DOCUMENT_COLUMNS, doc.values, strict=True))
            row.update(source_file=source, updated_at=now)
            if number in existing:
                document_id, old_hash, old_source, saved_this_run = existing[number]
                # A later file of this run holds a later version: for this record, the register stays as it is.
                if old_hash == doc.content_hash or (
                        order is not None and order.keeps_stored(old_source, saved_this_run, source)):
                    counts.unchanged += 1
                    continue
                updates.append({**row, "document_key": document_id})
                ids[number] = document_id
                counts.updated += 1
            else:
                row["imported_at"] = now
                new.append(row)
                counts.added += 1
            counts.changed.append(number)
        if updates:
            conn.execute(update(t.documents).where(t.documents.c.id == bindparam("document_key")), updates)
            replaced = [u["document_key"] for u in updates]
            for table in t.DOCUMENT_CHILDREN:
                conn.execute(delete(table).where(table.c.document_id.in_(replaced)))
        if new:
            conn.execute(insert(t.documents), new)
            inserted = select(t.documents.c.number, t.documents.c.id).where(
                t.documents.c.number.in_([row["number"] for row in new]))
            ids.update((number, document_id) for number, document_id in conn.execute(inserted))
        changed = [latest[number][0] for number in counts.changed]
        for i, (table, columns, _) in enumerate(_CHILD_ROWS):
            rows = [(ids[doc.number], *row) for doc in changed for row in doc.children[i]]
            if rows:
                _insert_rows(conn, table, ("document_id", *columns), rows)
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

    def get_by_application(self, number: ApplicationNumber) -> Document | None:
        """The latest publication of an application (``ZL201810358967.5``), whatever form the office printed
        its number in: the candidates that end alike are read with the same parser."""
        tail = number.serial[-3:]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.documents)
                .where(t.documents.c.country == number.country, t.documents.c.application_number.like(f"%{tail}%"))
                .order_by(t.documents.c.publication_date.desc().nulls_last(), t.documents.c.kind.desc())
            ).all()
            for row in rows:
                try:
                    keys = ApplicationNumber.parse(row.application_number, default_country=row.country).keys
                except DomainError:
                    continue
                if number.key in keys:
                    return self._load(conn, [row])[0]
        return None

    def find_marks(self, printed: str, office: str | None = None) -> list[str]:
        """The register keys of the marks whose application, registration or international registration
        number is ``printed`` as the office printed it (``AL/T/1996/001287``, ``007650``), at ``office``
        when given (else at any office)."""
        key = printed_key(printed, office)
        if not key:
            return []
        m, d = t.marks.c, t.documents.c
        q = (select(d.number).join(t.marks, m.document_id == d.id)
             .where((m.application_key == key) | (m.registration_key == key) | (m.international_key == key)))
        if office:
            q = q.where(d.country == office.upper())
        with self.engine.connect() as conn:
            return list(dict.fromkeys(conn.execute(q.order_by(d.number)).scalars()))

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

    def documents_numbered(self, numbers: Iterable[str], batch_size: int = 500) -> Iterator[Document]:
        """The documents with these exact compact numbers (those the register has), a batch at a time."""
        wanted = list(numbers)
        for start in range(0, len(wanted), batch_size):
            with self.engine.connect() as conn:
                rows = conn.execute(select(t.documents).where(
                    t.documents.c.number.in_(wanted[start:start + batch_size])).order_by(t.documents.c.id)).all()
                docs = self._load(conn, rows)
            yield from docs

    def content_hashes(self, numbers: Iterable[str] | None = None) -> dict[str, str]:
        """Compact number → content hash of every document (or of these numbers): what a derived index
        compares with the state it records, to find what it lacks."""
        q = select(t.documents.c.number, t.documents.c.content_hash)
        with self.engine.connect() as conn:
            if numbers is None:
                return {row.number: row.content_hash for row in conn.execute(q)}
            wanted, out = list(numbers), {}
            for start in range(0, len(wanted), 500):
                rows = conn.execute(q.where(t.documents.c.number.in_(wanted[start:start + 500])))
                out.update({row.number: row.content_hash for row in rows})
            return out

    def writer_lock(self, purpose: str) -> AbstractContextManager[None]:
        """The register's one-writer lock (an OS file lock on SQLite, an advisory lock on PostgreSQL);
        raises ``RegisterBusy`` naming the holder when another process holds it."""
        from ipoffice.adapters.writer_lock import exclusive_writer

        return exclusive_writer(self.engine, purpose)

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
            by_country: dict[str, int] = dict(
                conn.execute(
                    select(t.documents.c.country, func.count()).group_by(t.documents.c.country)
                    .order_by(t.documents.c.country)
                ).all()
            )
            by_right: dict[str, int] = dict(
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
            Claim(c.number, c.text, c.lang, _claim_numbers(c.depends_on))
            for c in kids[t.claims]
        ],
        classifications=[Classification(Scheme(c.scheme), c.symbol, c.is_main) for c in kids[t.classifications]],
        parties=[Party(PartyRole(p.role), p.name, p.country, p.sequence, p.address, p.lang) for p in kids[t.parties]],
        citations=[
            Citation(CitedBy(c.cited_by), c.cited_number, c.country, c.kind, c.cited_date, c.text, c.category,
                     c.sequence)
            for c in kids[t.citations]
        ],
        priority_claims=[PriorityClaim(p.country, p.number, p.priority_date) for p in kids[t.priority_claims]],
        legal_events=[LegalEvent(e.code, e.event_date, e.description, e.office_code) for e in kids[t.legal_events]],
        mark_text=row.mark_text,
        goods_and_services=[GoodsAndServices(g.nice_class, g.terms, g.lang) for g in kids[t.goods_and_services]],
        mark=_to_mark(kids[t.marks], kids[t.mark_texts]),
        source_format=row.source_format,
    )


def _to_mark(rows: list[Any], texts: list[Any]) -> MarkDetails | None:
    if not rows:
        return None
    m = rows[0]
    return MarkDetails(
        registration_number=m.registration_number, registration_date=m.registration_date,
        international_number=m.international_number, expiry_date=m.expiry_date,
        feature=MarkFeature(m.feature) if m.feature else None, feature_text=m.feature_text,
        kind_of_mark=m.kind_of_mark, status_text=m.status_text, status_date=m.status_date,
        texts=tuple(MarkText(MarkTextKind(x.kind), x.text, x.lang, x.text_date) for x in texts),
    )
