"""Alembic migrations create exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ipoffice.adapters.database import make_engine
from ipoffice.adapters.schema import metadata


def test_migrations_produce_exactly_the_metadata(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()
    assert {"documents", "claims", "ipc_entries", "cases", "case_events", "web_credentials", "web_uploads"} <= set(
        metadata.tables)


def test_a_new_sqlite_register_uses_wal_and_large_pages(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/new.db")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA page_size").scalar() == 16384
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
