"""Storage of the office procedures: offices, users, cases, their hash-chained legal events,
application-number counters and notices (SQLAlchemy Core; SQLite and PostgreSQL).

Concurrency:
- Application numbers come from ``number_sequences``: one row per numbering office, year and
  type, incremented with ``UPDATE … RETURNING`` inside the filing transaction, so the row stays
  locked until commit and parallel filers never draw the same serial (and no serial is skipped:
  a failed filing rolls its increment back).
- The event log is one hash chain; its head (last sequence and hash) is the single row of
  ``event_chain``, locked with ``SELECT … FOR UPDATE`` while events are appended, so appends are
  serialised and every event chains to the one committed before it. The head also lets the audit
  detect a log whose tail was cut off.
- Acting on a case locks its ``cases`` row first, so two actions on one case are applied one
  after the other, each on the state the other left. Lock order is always
  number_sequences → cases → event_chain, so transactions cannot deadlock on each other.
- On SQLite write transactions start with ``BEGIN IMMEDIATE`` (the database-wide write lock),
  which gives the same guarantees.

``cases.state`` and ``cases.published`` are caches of the events, rewritten in the same transaction as
each append; the events stay the source of truth. Whether a case is public is never read from the
``published`` column: every query derives it from the case's events (``PUBLIC_EVENT_PREFIXES``), so a
flipped column publishes nothing; ``ipoffice audit verify`` reports a cache that disagrees with the events.

The event log is append-only: on PostgreSQL and SQLite, triggers (migration 0004) refuse UPDATE and
DELETE of ``case_events`` and moving the chain head back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Insert,
    Integer,
    Row,
    String,
    Table,
    Text,
    exists,
    insert,
    or_,
    select,
    update,
)

from ipoffice.adapters.tables import documents, metadata
from ipoffice.domain.document import RightType
from ipoffice.domain.event_log import GENESIS_HASH, LogEntry, chain
from ipoffice.domain.legal_status import PUBLIC_EVENT_PREFIXES
from ipoffice.domain.numbering import SequenceKey
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.offices import CaseAccess, Office, OfficeLevel, OfficeTree, Role, User
from ipoffice.domain.procedures.base import ProcedureEvent

offices = Table(
    "offices",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("level", String(32), nullable=False),  # 32 since migration 0011 (protection_centre)
    Column("jurisdiction", String(2), nullable=False),
    Column("parent_code", String(32), ForeignKey("offices.code"), index=True),
)

users = Table(
    "users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("office_code", String(32), ForeignKey("offices.code"), nullable=False, index=True),
    Column("roles", String(200), nullable=False),  # comma-separated Role values
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application_number", String(40), nullable=False, unique=True),
    Column("jurisdiction", String(2), nullable=False),
    Column("procedure", String(64), nullable=False),
    Column("right_type", String(16), nullable=False),
    Column("office_code", String(32), ForeignKey("offices.code"), nullable=False, index=True),
    Column("applicant", String(64), ForeignKey("users.username"), nullable=False, index=True),
    Column("agent", String(64), ForeignKey("users.username"), index=True),
    Column("title", Text, nullable=False, default=""),
    Column("filing_date", Date, nullable=False),
    Column("published", Boolean, nullable=False, default=False),
    Column("state", String(64), nullable=False, index=True),
    Column("other_parties", String(200)),  # comma-separated usernames of the other side (a dispute's respondent)
)

case_events = Table(
    "case_events",
    metadata,
    Column("sequence", Integer, primary_key=True, autoincrement=False),  # position in the global chain
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("code", String(64), nullable=False, index=True),
    Column("event_date", Date, nullable=False, index=True),
    Column("actor", String(64), nullable=False),
    Column("office_code", String(32), nullable=False),
    Column("payload", Text, nullable=False),  # canonical JSON
    Column("previous_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

event_chain = Table(
    "event_chain",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1: the one head of the log
    Column("last_sequence", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
)

number_sequences = Table(
    "number_sequences",
    metadata,
    Column("office_code", String(32), ForeignKey("offices.code"), primary_key=True),
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("number_type", String(32), primary_key=True),  # 32 since 0011: "pub-utility_model" has 17
    Column("last_serial", Integer, nullable=False),
)

notices = Table(
    "notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("event_sequence", Integer, ForeignKey("case_events.sequence"), index=True),
    Column("notice_date", Date, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("addressee", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

CHAIN_ROW_ID = 1

# Whether the case of the row has an event that lays it open to the public (derived, not the stored flag).
_public_events = case_events.alias("public_events")
_public_by_events = exists(
    select(_public_events.c.sequence).where(
        _public_events.c.case_id == cases.c.id,
        or_(*(_public_events.c.code.startswith(prefix, autoescape=True) for prefix in PUBLIC_EVENT_PREFIXES)),
    ).correlate(cases)
).label("public_by_events")


def _select_cases() -> Any:
    return select(*cases.c, _public_by_events)


@dataclass(frozen=True)
class CaseRecord:
    application_number: str
    jurisdiction: str
    procedure: str
    right_type: RightType
    office: str
    applicant: str
    agent: str | None
    title: str
    filing_date: date
    published: bool  # derived from the events (never the stored column)
    state: str  # the cached state; the service replays the events for the legal state
    id: int = 0
    cached_published: bool = False  # the stored column, only for the audit to compare
    other_parties: tuple[str, ...] = ()  # usernames of the other side of an inter partes case

    @property
    def access(self) -> CaseAccess:
        return CaseAccess(self.application_number, self.office, self.applicant, self.agent, self.published,
                          frozenset(self.other_parties))


@dataclass(frozen=True)
class Notice:
    case: str
    event_sequence: int | None
    notice_date: date
    kind: str
    addressee: str
    text: str


def _case(m: Mapping[Any, Any]) -> CaseRecord:
    return CaseRecord(
        application_number=m["application_number"], jurisdiction=m["jurisdiction"], procedure=m["procedure"],
        right_type=RightType(m["right_type"]), office=m["office_code"], applicant=m["applicant"], agent=m["agent"],
        title=m["title"], filing_date=m["filing_date"], published=bool(m["public_by_events"]), state=m["state"],
        id=m["id"], cached_published=bool(m["published"]),
        other_parties=tuple(filter(None, (m["other_parties"] or "").split(","))),
    )


def _entry(m: Mapping[Any, Any]) -> LogEntry:
    return LogEntry(
        sequence=m["sequence"], case=m["application_number"], code=m["code"], date=m["event_date"],
        actor=m["actor"], office=m["office_code"], payload=json.loads(m["payload"]),
        previous_hash=m["previous_hash"], hash=m["hash"],
    )


_EVENT_COLUMNS = (
    case_events.c.sequence, cases.c.application_number, case_events.c.code, case_events.c.event_date,
    case_events.c.actor, case_events.c.office_code, case_events.c.payload, case_events.c.previous_hash,
    case_events.c.hash,
)


class StoreSession:
    """The store inside one transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- offices and users -----------------------------------------------------------------------

    def office_tree(self) -> OfficeTree:
        rows = self.conn.execute(select(offices).order_by(offices.c.code))
        return OfficeTree(
            Office(r.code, r.name, OfficeLevel(r.level), r.jurisdiction, r.parent_code) for r in rows
        )

    def save_office(self, office: Office) -> bool:
        """Insert the office, or update it when it exists; True when it was new."""
        values = {"name": office.name, "level": office.level.value, "jurisdiction": office.jurisdiction,
                  "parent_code": office.parent}
        done = self.conn.execute(update(offices).where(offices.c.code == office.code).values(**values))
        if done.rowcount:
            return False
        self.conn.execute(insert(offices).values(code=office.code, **values))
        return True

    def user(self, username: str) -> User | None:
        row = self.conn.execute(select(users).where(users.c.username == username)).first()
        return None if row is None else self._user(row)

    def users(self) -> list[User]:
        return [self._user(r) for r in self.conn.execute(select(users).order_by(users.c.username))]

    @staticmethod
    def _user(row: Row[Any]) -> User:
        m = row._mapping
        roles = frozenset(Role(r) for r in m["roles"].split(",") if r)
        return User(m["username"], m["name"], m["office_code"], roles)

    def save_user(self, user: User) -> bool:
        values = {"name": user.name, "office_code": user.office, "roles": ",".join(sorted(r.value for r in user.roles))}
        done = self.conn.execute(update(users).where(users.c.username == user.username).values(**values))
        if done.rowcount:
            return False
        self.conn.execute(insert(users).values(username=user.username, **values))
        return True

    # -- numbering -------------------------------------------------------------------------------

    def next_serial(self, office: str, key: SequenceKey) -> int:
        """Draw the next serial of the counter (office, year, type). The counter row stays locked
        until the transaction ends, so concurrent filers wait and then get the following serial."""
        where = (
            (number_sequences.c.office_code == office)
            & (number_sequences.c.year == key.year)
            & (number_sequences.c.number_type == key.number_type)
        )
        bump = (
            update(number_sequences).where(where)
            .values(last_serial=number_sequences.c.last_serial + 1)
            .returning(number_sequences.c.last_serial)
        )
        serial = self.conn.execute(bump).scalar()
        if serial is not None:
            return int(serial)
        # First filing of this counter: create it; if a parallel filer created it first, bump theirs.
        created = self.conn.execute(
            self._insert_ignoring_conflict()
            .values(office_code=office, year=key.year, number_type=key.number_type, last_serial=1)
            .returning(number_sequences.c.last_serial)
        ).scalar()
        if created is not None:
            return int(created)
        return int(self.conn.execute(bump).scalar_one())

    def _insert_ignoring_conflict(self) -> Insert:
        if self.conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(number_sequences).on_conflict_do_nothing()
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(number_sequences).on_conflict_do_nothing()

    # -- cases -----------------------------------------------------------------------------------

    def insert_case(self, record: CaseRecord) -> CaseRecord:
        values = {
            "application_number": record.application_number, "jurisdiction": record.jurisdiction,
            "procedure": record.procedure, "right_type": record.right_type.value, "office_code": record.office,
            "applicant": record.applicant, "agent": record.agent, "title": record.title,
            "filing_date": record.filing_date, "published": record.published, "state": record.state,
            "other_parties": ",".join(record.other_parties) or None,
        }
        case_id = self.conn.execute(insert(cases).values(**values).returning(cases.c.id)).scalar_one()
        return replace(record, id=int(case_id))

    def case(self, number: str, *, lock: bool = False) -> CaseRecord | None:
        query = _select_cases().where(cases.c.application_number == number)
        if lock:
            query = query.with_for_update(of=cases)
        row = self.conn.execute(query).first()
        return None if row is None else _case(row._mapping)

    def cases(self, *, office: str | None = None, exclude_states: Iterable[str] = ()) -> list[CaseRecord]:
        query = _select_cases().order_by(cases.c.id)
        if office is not None:
            query = query.where(cases.c.office_code == office)
        excluded = list(exclude_states)
        if excluded:
            query = query.where(cases.c.state.not_in(excluded))
        return [_case(r._mapping) for r in self.conn.execute(query)]

    def set_projection(self, case: CaseRecord, *, state: str, published: bool) -> None:
        self.conn.execute(update(cases).where(cases.c.id == case.id).values(state=state, published=published))

    # -- events ----------------------------------------------------------------------------------

    def events_of(self, case: CaseRecord) -> list[LogEntry]:
        query = (
            select(*_EVENT_COLUMNS).join(cases, cases.c.id == case_events.c.case_id)
            .where(case_events.c.case_id == case.id).order_by(case_events.c.sequence)
        )
        return [_entry(r._mapping) for r in self.conn.execute(query)]

    def append(
        self, case: CaseRecord, actor: str, office: str, events: Sequence[ProcedureEvent]
    ) -> list[LogEntry]:
        """Append ``events`` of ``case`` to the log, chained after the current head."""
        head = self.conn.execute(
            select(event_chain).where(event_chain.c.id == CHAIN_ROW_ID).with_for_update()
        ).one()
        entries = chain(
            head.head_hash, head.last_sequence + 1, case.application_number, actor, office,
            ((e.code, e.date, e.payload) for e in events),
        )
        if not entries:
            return []
        now = datetime.now(UTC)
        self.conn.execute(insert(case_events), [
            {"sequence": e.sequence, "case_id": case.id, "code": e.code, "event_date": e.date, "actor": e.actor,
             "office_code": e.office, "payload": json.dumps(e.payload, ensure_ascii=False, sort_keys=True),
             "previous_hash": e.previous_hash, "hash": e.hash, "recorded_at": now}
            for e in entries
        ])
        self.conn.execute(
            update(event_chain).where(event_chain.c.id == CHAIN_ROW_ID)
            .values(last_sequence=entries[-1].sequence, head_hash=entries[-1].hash)
        )
        return entries

    def log(self, batch_size: int = 5000) -> Iterator[LogEntry]:
        """Every event in chain order, read in batches."""
        after = 0
        while True:
            query = (
                select(*_EVENT_COLUMNS).join(cases, cases.c.id == case_events.c.case_id)
                .where(case_events.c.sequence > after).order_by(case_events.c.sequence).limit(batch_size)
            )
            rows = [_entry(r._mapping) for r in self.conn.execute(query)]
            yield from rows
            if len(rows) < batch_size:
                return
            after = rows[-1].sequence

    def head(self) -> tuple[int, str]:
        row = self.conn.execute(select(event_chain).where(event_chain.c.id == CHAIN_ROW_ID)).first()
        return (0, GENESIS_HASH) if row is None else (row.last_sequence, row.head_hash)

    def events_between(self, first: date, last: date) -> list[tuple[LogEntry, CaseRecord]]:
        """Events dated ``first`` to ``last`` (inclusive) with their cases, in date order."""
        query = (
            select(*_EVENT_COLUMNS, *[c.label(f"case_{c.name}") for c in cases.c],
                   _public_by_events.element.label("case_public_by_events"))
            .join(cases, cases.c.id == case_events.c.case_id)
            .where(case_events.c.event_date.between(first, last))
            .order_by(case_events.c.event_date, case_events.c.sequence)
        )
        found = []
        for row in self.conn.execute(query):
            m = row._mapping
            names = [*(c.name for c in cases.c), "public_by_events"]
            found.append((_entry(m), _case({n: m[f"case_{n}"] for n in names})))
        return found

    # -- the register's documents -----------------------------------------------------------------

    def document_number(self, number: str) -> str | None:
        """The compact number of the register's document ``number`` (without a kind code: its latest
        publication), or None when the register has no such document."""
        parsed = PublicationNumber.parse(number)
        query = select(documents.c.number)
        if parsed.kind:
            query = query.where(documents.c.number == parsed.compact)
        else:
            query = query.where(documents.c.country == parsed.country, documents.c.serial == parsed.serial)
        found = self.conn.execute(
            query.order_by(documents.c.publication_date.desc().nulls_last(), documents.c.kind.desc())
        ).first()
        return None if found is None else str(found.number)

    # -- notices ---------------------------------------------------------------------------------

    def add_notice(self, case: CaseRecord, notice: Notice) -> None:
        self.conn.execute(insert(notices).values(
            case_id=case.id, event_sequence=notice.event_sequence, notice_date=notice.notice_date,
            kind=notice.kind, addressee=notice.addressee, text=notice.text, created_at=datetime.now(UTC),
        ))

    def notices(self, case: CaseRecord | None = None) -> list[Notice]:
        query = (
            select(notices, cases.c.application_number).join(cases, cases.c.id == notices.c.case_id)
            .order_by(notices.c.id)
        )
        if case is not None:
            query = query.where(notices.c.case_id == case.id)
        return [
            Notice(r.application_number, r.event_sequence, r.notice_date, r.kind, r.addressee, r.text)
            for r in self.conn.execute(query)
        ]


class ProcedureStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def writing(self) -> Iterator[StoreSession]:
        """A write transaction: committed when the block ends, rolled back (nothing written) on error."""
        with self.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield StoreSession(conn)

    @contextmanager
    def reading(self) -> Iterator[StoreSession]:
        with self.engine.connect() as conn:
            yield StoreSession(conn)
