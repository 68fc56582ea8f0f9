"""The register copied into DuckDB through ADBC (``adapters.register_arrow``), on SQLite and PostgreSQL: values,
NULLs and types survive whatever the order of the rows and the size of the driver's batches, every copy of one
reader sees one state of the register, and a register the drivers cannot open is refused naming the field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import duckdb
import pytest
from sqlalchemy import Engine, insert, select

from ipoffice.adapters import tables as t
from ipoffice.adapters.register_arrow import RegisterArrowReader

D = t.documents
COLUMNS = {"id": "BIGINT", "number": "VARCHAR", "kind": "VARCHAR", "application_date": "DATE"}


def _documents(engine: Engine, rows: list[tuple[int, str | None, date | None]]) -> None:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(insert(D), [{
            "id": i, "number": f"US{i}A", "country": "US", "serial": str(i), "kind": kind, "right_type": "invention",
            "publication_date": date(2020, 1, 1), "application_number": None, "application_date": filed,
            "source_format": "bench", "content_hash": "0" * 64, "imported_at": now, "updated_at": now}
            for i, kind, filed in rows])


def _copied(engine: Engine, stmt: Any, batch_rows: int, **derived: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect()
    with RegisterArrowReader(engine, batch_rows=batch_rows) as reader:
        reader.copy(con, "d", COLUMNS, stmt, derived=derived)
    return con.execute("SELECT * FROM d ORDER BY id").fetchall()


@pytest.mark.parametrize("batch_rows", [1, 2, 3, 1000])
def test_columns_null_throughout_the_first_batch_keep_their_type(engine: Engine, batch_rows: int) -> None:
    # the driver infers each column's type from its first batch: here kind and application_date are NULL in the
    # first three rows (a whole batch for batch_rows <= 3) and hold values after
    rows = [(1, None, None), (2, None, None), (3, None, None), (4, "B1", date(2001, 2, 3)),
            (5, "A", date(1999, 12, 31)), (6, "10", None)]  # a kind that looks like a number stays text
    _documents(engine, rows)
    stmt = select(D.c.id, D.c.number, D.c.kind, D.c.application_date).order_by(D.c.id)
    assert _copied(engine, stmt, batch_rows) == [(i, f"US{i}A", kind, filed) for i, kind, filed in rows]
    reverse = stmt.order_by(D.c.id.desc())  # values first, NULLs after
    assert _copied(engine, reverse, batch_rows) == [(i, f"US{i}A", kind, filed) for i, kind, filed in rows]


def test_derived_columns_and_an_empty_result(engine: Engine) -> None:
    _documents(engine, [(1, "A", None), (2, None, date(2010, 5, 6))])
    stmt = select(D.c.id, D.c.number, D.c.kind, D.c.application_date)
    assert _copied(engine, stmt, 1000, unit="number || ':' || coalesce(kind, '-')") == [
        (1, "US1A", "A", None, "US1A:A"), (2, "US2A", None, date(2010, 5, 6), "US2A:-")]
    assert _copied(engine, stmt.where(D.c.id > 2), 1000) == []


def test_every_copy_of_one_reader_sees_the_same_state(engine: Engine) -> None:
    _documents(engine, [(1, "A", None), (2, "B", None)])
    con = duckdb.connect()
    stmt = select(D.c.id, D.c.number, D.c.kind, D.c.application_date)
    with RegisterArrowReader(engine) as reader:
        reader.copy(con, "before", COLUMNS, stmt)
        _documents(engine, [(3, "A", None)])  # committed by another connection between the two copies
        reader.copy(con, "after", COLUMNS, stmt)
    assert con.execute("SELECT count(*) FROM before").fetchall() == [(2,)]
    assert con.execute("SELECT count(*) FROM after").fetchall() == [(2,)]
    with RegisterArrowReader(engine) as reader:  # a new reader sees the new state
        reader.copy(con, "now", COLUMNS, stmt)
    assert con.execute("SELECT count(*) FROM now").fetchall() == [(3,)]


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "mysql://u@localhost/register"])
def test_a_register_the_drivers_cannot_open_is_refused_naming_the_field(url: str) -> None:
    from sqlalchemy import create_engine

    try:
        engine = create_engine(url)
    except ImportError:  # no MySQL driver: the dialect name is all that is checked
        pytest.skip("no MySQL driver for SQLAlchemy")
    with pytest.raises(ValueError, match="database_url"), RegisterArrowReader(engine):
        pass
