"""The register's rows copied into DuckDB as Arrow batches (ADBC), without a Python loop over rows.

``RegisterArrowReader(engine)`` opens the register's database a second time through its ADBC driver
(``adbc-driver-sqlite`` or ``adbc-driver-postgresql``, chosen by the SQLAlchemy URL) in one read-only
transaction, so that every table it copies shows the same state of the register. ``copy(con, name, columns,
stmt)`` runs a SQLAlchemy ``Select`` there; the driver builds the rows into Arrow record batches in C and DuckDB
scans them through the Arrow PyCapsule interface (no pyarrow needed), casting each column to its DuckDB type.

Why not SQLAlchemy: at 1,000,000 documents, turning each value into a Python object and back took most of the
indicators' cold start (fetch 9.6 s, SQLAlchemy's result processing 5 s, numpy object arrays 3.6 s of 26 s at
load average 7), where the drivers' Arrow path reads the same rows in about 2 s. DuckDB's own SQLite and
PostgreSQL scanners are extensions downloaded at run time, which this project cannot rely on.

Errors: ``ValueError`` for a register the drivers cannot open (another dialect, an in-memory SQLite database);
the drivers' ``adbc_driver_manager.Error`` for a failing query.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

import adbc_driver_manager
import duckdb
from sqlalchemy import Engine, Integer, Select, Text, cast, literal, select, union_all

BATCH_ROWS = 65_536  # rows per Arrow batch read from SQLite (the driver's default of 1,024 costs ~20 % more)
_INTEGER_TYPES = ("BIGINT", "INTEGER", "SMALLINT", "BOOLEAN")


def select_sql(engine: Engine, stmt: Select[Any], columns: Mapping[str, str]) -> str:
    """The statement as SQL for the driver (values inlined: the drivers take no SQLAlchemy parameters).

    SQLite has no column types: the driver infers each column's Arrow type from its first batch, and fails
    when a column that was all NULL there holds a value later. A first row of the right types (dropped in
    DuckDB by ``_row = 0``) and a cast of every value fix each column's type whatever the rows hold."""
    inner = stmt.subquery()
    if engine.dialect.name == "sqlite":
        as_sql = [Integer() if ty.upper() in _INTEGER_TYPES else Text() for ty in columns.values()]
        typed = select(literal(1).label("_row"), *(cast(col, ty).label(name) for col, ty, name in
                                                   zip(inner.c, as_sql, columns, strict=True)))
        seed = select(literal(0).label("_row"), *(literal(0 if isinstance(ty, Integer) else "").label(name)
                                                  for ty, name in zip(as_sql, columns, strict=True)))
        compiled: Any = union_all(seed, typed)
    else:
        compiled = select(literal(1).label("_row"), *(col.label(name) for col, name in
                                                      zip(inner.c, columns, strict=True)))
    return str(compiled.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))


def check_readable(engine: Engine) -> None:
    """ValueError naming ``database_url`` when the drivers cannot open the register (another dialect, an
    in-memory SQLite database)."""
    url = engine.url
    if engine.dialect.name == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file::memory:"):
            raise ValueError(f"database_url: {url.render_as_string()} is an in-memory SQLite database, which "
                             "another connection cannot read")
    elif engine.dialect.name != "postgresql":
        raise ValueError(f"database_url: the {engine.dialect.name} dialect has no Arrow reader (SQLite, PostgreSQL)")


class RegisterArrowReader:
    """Copies query results of the register into DuckDB tables; a context manager (one read transaction).

    On SQLite, not in a process that holds connections to the register: use :func:`copy_register`, which reads
    in a child process (two copies of SQLite in one process break a WAL database's locks)."""

    def __init__(self, engine: Engine, batch_rows: int = BATCH_ROWS) -> None:
        self.engine = engine
        self.batch_rows = batch_rows
        self.dialect = engine.dialect.name
        self._database: Any = None
        self._connection: adbc_driver_manager.AdbcConnection | None = None

    def __enter__(self) -> RegisterArrowReader:
        check_readable(self.engine)
        url = self.engine.url
        if self.dialect == "sqlite":
            import adbc_driver_sqlite

            self._database = adbc_driver_sqlite.connect(f"file:{quote(url.database or '')}?mode=ro")
        elif self.dialect == "postgresql":
            import adbc_driver_postgresql

            # libpq's URI: the SQLAlchemy URL without its driver name (postgresql+psycopg -> postgresql)
            self._database = adbc_driver_postgresql.connect(
                url.set(drivername="postgresql").render_as_string(hide_password=False))
        self._connection = adbc_driver_manager.AdbcConnection(self._database)
        self._connection.set_autocommit(False)  # one transaction: every copy reads the same state
        if self.dialect == "postgresql":
            self._execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if self._connection is not None:
                self._connection.rollback()  # nothing was written
                self._connection.close()
        finally:
            self._connection = None
            if self._database is not None:
                self._database.close()
                self._database = None

    def _statement(self, sql: str) -> adbc_driver_manager.AdbcStatement:
        if self._connection is None:
            raise RuntimeError("RegisterArrowReader is used outside its `with` block")
        statement = adbc_driver_manager.AdbcStatement(self._connection)
        if self.dialect == "sqlite":
            statement.set_options(**{"adbc.sqlite.query.batch_rows": str(self.batch_rows)})
        statement.set_sql_query(sql)
        return statement

    def _execute(self, sql: str) -> None:
        statement = self._statement(sql)
        try:
            statement.execute_update()
        finally:
            statement.close()

    def copy(self, con: duckdb.DuckDBPyConnection, name: str, columns: Mapping[str, str],
             stmt: Select[Any], derived: Mapping[str, str] | None = None) -> None:
        """``CREATE TABLE name`` in DuckDB from the rows of ``stmt``, whose selected columns are in the order of
        ``columns`` (DuckDB column name -> DuckDB type: BIGINT, VARCHAR, DATE, BOOLEAN, …), then the columns
        ``derived`` (name -> a DuckDB expression over those columns)."""
        self.copy_sql(con, name, columns, select_sql(self.engine, stmt, columns), derived)

    def copy_sql(self, con: duckdb.DuckDBPyConnection, name: str, columns: Mapping[str, str], sql: str,
                 derived: Mapping[str, str] | None = None) -> None:
        """:meth:`copy` of a statement already compiled by :func:`select_sql`."""
        statement = self._statement(sql)
        try:
            stream, _ = statement.execute_query()
            source = f"arrow_{name}"
            con.register(source, stream)
            try:
                select_list = ", ".join([*(f'CAST("{c}" AS {ty}) AS "{c}"' for c, ty in columns.items()),
                                         *(f'{expr} AS "{c}"' for c, expr in (derived or {}).items())])
                con.execute(f'CREATE TABLE "{name}" AS SELECT {select_list} FROM {source} WHERE _row = 1').fetchall()
            finally:
                con.unregister(source)
        finally:
            statement.close()


@dataclass(frozen=True)
class Copy:
    """One table to copy: its DuckDB ``name``, ``columns`` (name -> DuckDB type), the ``stmt`` selecting them and
    the ``derived`` columns (see :meth:`RegisterArrowReader.copy`)."""

    name: str
    columns: Mapping[str, str]
    stmt: Select[Any]
    derived: Mapping[str, str] = field(default_factory=dict)


def copy_register(engine: Engine, con: duckdb.DuckDBPyConnection, copies: Sequence[Copy]) -> None:
    """Each of ``copies`` as a DuckDB table in ``con``, all read in one transaction of the register.

    A SQLite register is read in a child process. ``adbc-driver-sqlite`` links its own copy of SQLite, and two
    copies of SQLite in one process corrupt a WAL database's locking: POSIX locks belong to the process, so when
    the driver closed its connection it saw no other reader, deleted the WAL and shared-memory files under the
    register's own connections, and their later writes went to deleted files (found by the stop-23 trial: portal
    writes lost after a visit to /statistics). In a process of its own the driver is one more reader. The child
    writes the tables to a DuckDB file, copied in here. PostgreSQL needs no file locks and is read in place."""
    if engine.dialect.name != "sqlite":
        with RegisterArrowReader(engine) as reader:
            for c in copies:
                reader.copy(con, c.name, c.columns, c.stmt, c.derived)
        return
    check_readable(engine)
    spec = {"url": engine.url.render_as_string(hide_password=False),
            "copies": [{"name": c.name, "columns": dict(c.columns), "sql": select_sql(engine, c.stmt, c.columns),
                        "derived": dict(c.derived)} for c in copies]}
    with tempfile.TemporaryDirectory(prefix="ipoffice-copy-") as folder:
        out = Path(folder) / "register.duckdb"
        spec_file = Path(folder) / "spec.json"
        spec_file.write_text(json.dumps({**spec, "out": str(out)}), encoding="utf-8")
        package_root = str(Path(__file__).resolve().parents[2])  # so the child imports this same ipoffice
        child = ("import sys; sys.path.insert(0, sys.argv[1]); "
                 "from ipoffice.adapters.register_arrow import copy_in_this_process; copy_in_this_process(sys.argv[2])")
        done = subprocess.run([sys.executable, "-c", child, package_root, str(spec_file)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"copying the register for the indicators failed: {done.stderr.strip()[-2000:]}")
        con.execute(f"ATTACH '{str(out).replace(chr(39), chr(39) * 2)}' AS copied (READ_ONLY)")
        try:
            for c in copies:
                con.execute(f'CREATE TABLE "{c.name}" AS SELECT * FROM copied."{c.name}"')
        finally:
            con.execute("DETACH copied")


def copy_in_this_process(spec_file: str) -> None:
    """The child's side of :func:`copy_register`: the spec's copies into a new DuckDB file."""
    from sqlalchemy import create_engine

    spec = json.loads(Path(spec_file).read_text(encoding="utf-8"))
    engine = create_engine(spec["url"])
    con = duckdb.connect(spec["out"])
    try:
        with RegisterArrowReader(engine) as reader:
            for c in spec["copies"]:
                reader.copy_sql(con, c["name"], c["columns"], c["sql"], c["derived"])
    finally:
        con.close()
        engine.dispose()
