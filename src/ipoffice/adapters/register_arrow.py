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

from collections.abc import Mapping
from types import TracebackType
from typing import Any
from urllib.parse import quote

import adbc_driver_manager
import duckdb
from sqlalchemy import Engine, Integer, Select, Text, cast, literal, select, union_all

BATCH_ROWS = 65_536  # rows per Arrow batch read from SQLite (the driver's default of 1,024 costs ~20 % more)
_INTEGER_TYPES = ("BIGINT", "INTEGER", "SMALLINT", "BOOLEAN")


class RegisterArrowReader:
    """Copies query results of the register into DuckDB tables; a context manager (one read transaction)."""

    def __init__(self, engine: Engine, batch_rows: int = BATCH_ROWS) -> None:
        self.engine = engine
        self.batch_rows = batch_rows
        self.dialect = engine.dialect.name
        self._database: Any = None
        self._connection: adbc_driver_manager.AdbcConnection | None = None

    def __enter__(self) -> RegisterArrowReader:
        url = self.engine.url
        if self.dialect == "sqlite":
            if not url.database or url.database == ":memory:" or url.database.startswith("file::memory:"):
                raise ValueError(f"database_url: {url.render_as_string()} is an in-memory SQLite database, which "
                                 "another connection cannot read")
            import adbc_driver_sqlite

            self._database = adbc_driver_sqlite.connect(f"file:{quote(url.database)}?mode=ro")
        elif self.dialect == "postgresql":
            import adbc_driver_postgresql

            # libpq's URI: the SQLAlchemy URL without its driver name (postgresql+psycopg -> postgresql)
            self._database = adbc_driver_postgresql.connect(
                url.set(drivername="postgresql").render_as_string(hide_password=False))
        else:
            raise ValueError(f"database_url: the {self.dialect} dialect has no Arrow reader (SQLite, PostgreSQL)")
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

    def _sql(self, stmt: Select[Any], columns: Mapping[str, str]) -> str:
        """The statement as SQL for the driver (values inlined: the drivers take no SQLAlchemy parameters).

        SQLite has no column types: the driver infers each column's Arrow type from its first batch, and fails
        when a column that was all NULL there holds a value later. A first row of the right types (dropped in
        DuckDB by ``_row = 0``) and a cast of every value fix each column's type whatever the rows hold."""
        inner = stmt.subquery()
        if self.dialect == "sqlite":
            as_sql = [Integer() if ty.upper() in _INTEGER_TYPES else Text() for ty in columns.values()]
            typed = select(literal(1).label("_row"), *(cast(col, ty).label(name) for col, ty, name in
                                                       zip(inner.c, as_sql, columns, strict=True)))
            seed = select(literal(0).label("_row"), *(literal(0 if isinstance(ty, Integer) else "").label(name)
                                                      for ty, name in zip(as_sql, columns, strict=True)))
            compiled: Any = union_all(seed, typed)
        else:
            compiled = select(literal(1).label("_row"), *(col.label(name) for col, name in
                                                          zip(inner.c, columns, strict=True)))
        return str(compiled.compile(dialect=self.engine.dialect, compile_kwargs={"literal_binds": True}))

    def copy(self, con: duckdb.DuckDBPyConnection, name: str, columns: Mapping[str, str],
             stmt: Select[Any], derived: Mapping[str, str] | None = None) -> None:
        """``CREATE TABLE name`` in DuckDB from the rows of ``stmt``, whose selected columns are in the order of
        ``columns`` (DuckDB column name -> DuckDB type: BIGINT, VARCHAR, DATE, BOOLEAN, …), then the columns
        ``derived`` (name -> a DuckDB expression over those columns)."""
        statement = self._statement(self._sql(stmt, columns))
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
