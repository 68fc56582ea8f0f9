"""Backup and restore of the register (database and uploaded documents), while the office runs.

Layout of a backup folder::

    PATH/manifest.json        what was saved: database kind, method, schema revision, chain head, row counts
    PATH/register.sqlite      SQLite: a page-by-page copy made with SQLite's online backup API
    PATH/tables/<table>.jsonl PostgreSQL: a logical copy — every table of the schema, one JSON line per row,
                              read in one REPEATABLE READ transaction (a consistent snapshot; writers go on)
    PATH/uploads/...          the documents attached to acts (content-addressed files, copied as they are)

PostgreSQL is copied logically through SQLAlchemy rather than with ``pg_dump``/``pg_restore``: a data-only
``pg_restore`` into a migrated register needs ``--disable-triggers`` (superuser rights) to get past the
foreign keys and the append-only triggers of the event log, while the logical copy inserts the tables in
dependency order as the tables' owner. Restore empties the tables with ``TRUNCATE`` (switching off the
log's TRUNCATE trigger inside its own transaction) and re-sets the serial counters.

Restore refuses a register that already has documents, cases or events unless forced.
"""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Integer, Table, func, insert, select, text
from sqlalchemy.engine import make_url

from ipoffice.adapters.procedure_store import case_events, cases, event_chain
from ipoffice.adapters.schema import metadata
from ipoffice.adapters.tables import documents

MANIFEST = "manifest.json"
SQLITE_FILE = "register.sqlite"
TABLES_DIR = "tables"
UPLOADS_DIR = "uploads"
_BATCH = 1000


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupManifest:
    database: str  # sqlite | postgresql
    method: str  # sqlite-backup-api | logical-copy
    revision: str
    head_sequence: int
    head_hash: str
    rows: Mapping[str, int]
    uploads: int

    def as_dict(self) -> dict[str, Any]:
        return {"database": self.database, "method": self.method, "revision": self.revision,
                "head_sequence": self.head_sequence, "head_hash": self.head_hash, "rows": dict(self.rows),
                "uploads": self.uploads}

    @staticmethod
    def read(folder: Path) -> BackupManifest:
        path = folder / MANIFEST
        if not path.is_file():
            raise BackupError(f"{folder} is not a backup of ipoffice (no {MANIFEST})")
        m = json.loads(path.read_text(encoding="utf-8"))
        return BackupManifest(m["database"], m["method"], m["revision"], int(m["head_sequence"]), m["head_hash"],
                              m["rows"], int(m.get("uploads", 0)))


def _revision(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def _head(conn: Any) -> tuple[int, str]:
    row = conn.execute(select(event_chain.c.last_sequence, event_chain.c.head_hash)).first()
    return (0, "0" * 64) if row is None else (int(row[0]), str(row[1]))


def _counts(conn: Any) -> dict[str, int]:
    return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for t in metadata.sorted_tables}


def _copy_uploads(source: Path, target: Path) -> int:
    if not source.is_dir():
        return 0
    shutil.copytree(source, target, dirs_exist_ok=True)
    return sum(1 for p in target.rglob("*") if p.is_file())


# -- encoding of values in the logical copy -----------------------------------------------------------------


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    return value


def _decode(value: object) -> object:
    if isinstance(value, dict) and len(value) == 1:
        (tag, raw), = value.items()
        if tag == "$datetime":
            return datetime.fromisoformat(raw)
        if tag == "$date":
            return date.fromisoformat(raw)
        if tag == "$bytes":
            return base64.b64decode(raw)
        if tag == "$decimal":
            return Decimal(raw)
    return value


# -- backup ----------------------------------------------------------------------------------------------


def backup(engine: Engine, target: Path, uploads: Path) -> BackupManifest:
    """Save the register of ``engine`` and the ``uploads`` folder into the new (or empty) folder ``target``."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} exists and is not empty: give a new folder")
    target.mkdir(parents=True, exist_ok=True)
    dialect = engine.dialect.name
    revision = _revision(engine)
    if dialect == "sqlite":
        method = "sqlite-backup-api"
        destination = sqlite3.connect(target / SQLITE_FILE)
        raw = engine.raw_connection()
        try:
            raw.driver_connection.backup(destination)  # type: ignore[union-attr]
        finally:
            raw.close()
        try:
            copy = sqlite3.connect(target / SQLITE_FILE)
            seq, head_hash = copy.execute("SELECT last_sequence, head_hash FROM event_chain").fetchone()
            rows = {t.name: copy.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]
                    for t in metadata.sorted_tables}
            copy.close()
        finally:
            destination.close()
        head = (int(seq), str(head_hash))
    elif dialect == "postgresql":
        method = "logical-copy"
        folder = target / TABLES_DIR
        folder.mkdir()
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            head = _head(conn)
            rows = {}
            for table in metadata.sorted_tables:
                rows[table.name] = _dump_table(conn, table, folder / f"{table.name}.jsonl")
    else:
        raise BackupError(f"backup of a {dialect} database is not supported (SQLite or PostgreSQL)")
    count = _copy_uploads(uploads, target / UPLOADS_DIR)
    manifest = BackupManifest(dialect, method, revision, head[0], head[1], rows, count)
    (target / MANIFEST).write_text(json.dumps(manifest.as_dict(), indent=2, sort_keys=True), encoding="utf-8")
    return manifest


def _dump_table(conn: Any, table: Table, path: Path) -> int:
    order = list(table.primary_key.columns) or list(table.columns)
    written = 0
    with path.open("w", encoding="utf-8") as f:
        result = conn.execution_options(stream_results=True, yield_per=_BATCH).execute(
            select(table).order_by(*order))
        for row in result.mappings():
            f.write(json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
            written += 1
    return written


# -- restore ---------------------------------------------------------------------------------------------


def register_is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return all(conn.execute(select(func.count()).select_from(t)).scalar_one() == 0
                   for t in (documents, cases, case_events))


def restore(engine: Engine, source: Path, uploads: Path, *, force: bool = False) -> BackupManifest:
    """Put the backup ``source`` in place of the register of ``engine`` (migrated to the backup's schema
    revision) and of the ``uploads`` folder. Refused when the register has documents, cases or events, or
    the uploads folder has files, unless ``force``."""
    manifest = BackupManifest.read(source)
    if not force:
        if not register_is_empty(engine):
            raise BackupError("the register is not empty (it has documents, cases or events): restoring would "
                              "replace it; use --force to overwrite it")
        if uploads.is_dir() and any(p.is_file() for p in uploads.rglob("*")):
            raise BackupError(f"the uploads folder {uploads} is not empty; use --force to overwrite it")
    revision = _revision(engine)
    if revision != manifest.revision:
        raise BackupError(f"the backup has schema revision {manifest.revision}, the register {revision}: "
                          "restore with the ipoffice version that made the backup, then migrate")
    dialect = engine.dialect.name
    if manifest.method == "sqlite-backup-api":
        if dialect != "sqlite":
            _restore_logical(engine, _sqlite_rows(source / SQLITE_FILE))
        else:
            _restore_sqlite(engine, source / SQLITE_FILE)
    elif manifest.method == "logical-copy":
        if dialect != "postgresql":
            raise BackupError("a logical copy of PostgreSQL restores into PostgreSQL")
        _restore_logical(engine, _jsonl_rows(source / TABLES_DIR))
    else:
        raise BackupError(f"unknown backup method {manifest.method!r}")
    if uploads.exists():
        shutil.rmtree(uploads)
    if (source / UPLOADS_DIR).is_dir():
        shutil.copytree(source / UPLOADS_DIR, uploads)
    with engine.connect() as conn:
        if _head(conn) != (manifest.head_sequence, manifest.head_hash):
            raise BackupError("the restored register does not have the head of the backup's event log")
    return manifest


def _restore_sqlite(engine: Engine, backup_file: Path) -> None:
    database = make_url(engine.url).database
    if not database or database == ":memory:":
        raise BackupError("restore needs a SQLite register in a file")
    engine.dispose()
    source = sqlite3.connect(backup_file)
    target = sqlite3.connect(database)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    engine.dispose()


def _jsonl_rows(folder: Path) -> Iterator[tuple[Table, list[dict[str, object]]]]:
    for table in metadata.sorted_tables:
        path = folder / f"{table.name}.jsonl"
        if not path.is_file():
            continue
        batch: list[dict[str, object]] = []
        with path.open(encoding="utf-8") as f:
            for line in f:
                batch.append({k: _decode(v) for k, v in json.loads(line).items()})
                if len(batch) >= _BATCH:
                    yield table, batch
                    batch = []
        if batch:
            yield table, batch


def _sqlite_rows(backup_file: Path) -> Iterator[tuple[Table, list[dict[str, object]]]]:
    from ipoffice.adapters.database import make_engine

    source = make_engine(f"sqlite:///{backup_file}")
    try:
        with source.connect() as conn:
            for table in metadata.sorted_tables:
                result = conn.execution_options(yield_per=_BATCH).execute(select(table))
                for part in result.mappings().partitions(_BATCH):
                    yield table, [dict(r) for r in part]
    finally:
        source.dispose()


def _self_references(table: Table) -> list[tuple[str, str]]:
    """(column, referenced column) of the table's foreign keys to itself."""
    return [(fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table]


def _parents_first(table: Table, batch: list[dict[str, object]]) -> list[dict[str, object]]:
    """The rows of a self-referencing table ordered so that each row comes after the row it refers to."""
    links = _self_references(table)
    ordered: list[dict[str, object]] = []
    present: set[tuple[str, object]] = set()
    pending = list(batch)
    while pending:
        ready = [r for r in pending
                 if all(r[col] is None or (ref, r[col]) in present for col, ref in links)]
        if not ready:  # a cycle or a dangling reference: let the database say which
            ready = pending
        for row in ready:
            ordered.append(row)
            present.update((ref, row[ref]) for _, ref in links)
        pending = [r for r in pending if not any(r is x for x in ready)]
    return ordered


def _restore_logical(engine: Engine, rows: Iterator[tuple[Table, list[dict[str, object]]]]) -> None:
    """Empty every table and insert the rows, parents before children, in one transaction."""
    with engine.begin() as conn:
        if engine.dialect.name != "postgresql":
            raise BackupError("a logical restore is done into PostgreSQL")
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        # The owner restoring switches off the log's TRUNCATE trigger for this transaction only.
        conn.execute(text("ALTER TABLE case_events DISABLE TRIGGER case_events_no_truncate"))
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        conn.execute(text("ALTER TABLE case_events ENABLE TRIGGER case_events_no_truncate"))
        held: dict[str, tuple[Table, list[dict[str, object]]]] = {}
        for table, batch in rows:
            if _self_references(table):  # e.g. offices under their parent office: parents first
                held.setdefault(table.name, (table, []))[1].extend(batch)
                continue
            for name in list(held):
                conn.execute(insert(held[name][0]), _parents_first(*held.pop(name)))
            conn.execute(insert(table), batch)
        for table, batch in held.values():
            conn.execute(insert(table), _parents_first(table, batch))
        for table in metadata.sorted_tables:
            for column in table.primary_key.columns:
                if isinstance(column.type, Integer) and column.autoincrement is not False \
                        and len(table.primary_key.columns) == 1:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{column.name}'), "
                        f"COALESCE((SELECT max(\"{column.name}\") FROM \"{table.name}\"), 1), "
                        f"(SELECT max(\"{column.name}\") FROM \"{table.name}\") IS NOT NULL)"
                    ))
