"""One writer per register at a time: an operating-system lock, never a flag in a table.

- SQLite: ``flock`` on ``<database>.writer.lock`` beside the database file. The kernel releases it when the
  holder exits, however it exits (``kill -9`` included), so a dead import never leaves the register locked.
  The holder writes its pid, start time and purpose into the file so a refused writer can name it.
- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a connection of its own; the
  server releases it when that connection ends. The holder's description is that connection's
  ``application_name``, which the refused writer reads from ``pg_stat_activity``.

An in-memory SQLite register cannot be shared with another process, so it needs no lock.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text

# The advisory-lock key of the register's writer (any 64-bit number no other code of the database uses).
ADVISORY_KEY = 0x1F0FF1CE


class RegisterBusy(RuntimeError):
    """Another process is writing the register; the message names it."""

    def __init__(self, holder: str, purpose: str) -> None:
        self.holder = holder
        super().__init__(f"the register is busy: {holder or 'another process'} is writing it; "
                         f"this {purpose} changed nothing — run it again when that one has finished")


def _describe(purpose: str) -> str:
    return f"{purpose} (pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC)"


def lock_file(engine: Engine) -> Path | None:
    url = engine.url
    if url.get_backend_name() != "sqlite":
        return None
    if url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}.writer.lock")


@contextmanager
def exclusive_writer(engine: Engine, purpose: str) -> Iterator[None]:
    """Hold the register's writer lock for the block; raises :class:`RegisterBusy` at once if it is held."""
    if engine.url.get_backend_name() == "sqlite":
        path = lock_file(engine)
        if path is None:
            yield
            return
        with _sqlite_lock(path, purpose):
            yield
        return
    with _postgres_lock(engine, purpose):
        yield


@contextmanager
def _sqlite_lock(path: Path, purpose: str) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
            raise RegisterBusy(holder, purpose) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, _describe(purpose).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # the description goes with the lock
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def _postgres_lock(engine: Engine, purpose: str) -> Iterator[None]:
    with engine.connect() as conn:
        conn.execute(text("SELECT set_config('application_name', :name, false)"),
                     {"name": _describe("ipoffice " + purpose)[:63]})
        conn.commit()
        if not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}).scalar():
            holder = conn.execute(text(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.objid = :low AND l.database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1"),
                {"low": ADVISORY_KEY & 0xFFFFFFFF}).scalar()
            conn.execute(text("SELECT set_config('application_name', '', false)"))
            conn.commit()
            raise RegisterBusy(str(holder or ""), purpose)
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            conn.execute(text("SELECT set_config('application_name', '', false)"))  # the pool reuses it
            conn.commit()
