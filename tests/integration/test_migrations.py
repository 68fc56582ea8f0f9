"""Alembic migrations create exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

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
