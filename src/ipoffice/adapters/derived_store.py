"""Derived stores (the keyword index, the vectors) kept as whole generations, each with its watermark.

A store lives in ``<root>/<generation>/``; the small file ``<root>/CURRENT`` names the generation readers
use. A rebuild writes a new generation beside the current one and then replaces ``CURRENT`` with
``os.replace`` (atomic on POSIX), so a reader always opens a whole index: the old one until the swap, the
new one after it. A rebuild killed half-way leaves a partial generation that no reader sees (the next
publish removes it).

Each generation records which register state it reflects in its watermark, ``watermark.sqlite``: the
content hash of every document it holds, written only *after* the store itself committed them. Comparing it
with the register's hashes gives exactly the numbers the store lacks or holds in an old version (a kill
between the register's commit and the index's leaves them behind) and those it holds that the register no
longer has.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

POINTER = "CURRENT"
WATERMARK = "watermark.sqlite"


class Generations:
    """The generations of one derived store under ``root``.

    ``legacy_marker``: a file that marks a store written directly in ``root`` by an older version; it is
    used as the current generation (with no watermark, so it is rebuilt aside on the first catch-up).
    """

    def __init__(self, root: Path, legacy_marker: str | None = None) -> None:
        self.root = root
        self.legacy_marker = legacy_marker
        self._read: tuple[tuple[int, int, int], str | None] | None = None  # (file identity, name) last read

    def pointer(self) -> str | None:
        """The name of the current generation (what a reader compares to know it must reopen). A server asks
        on every search: the file is read again only when its identity changed (``publish`` replaces it by
        another file), so a search costs a ``stat``, not an open and a read."""
        path = self.root / POINTER
        try:
            st = os.stat(path)
            identity = (st.st_ino, st.st_mtime_ns, st.st_size)
            read = self._read
            if read is not None and read[0] == identity:
                return read[1]
            name = path.read_text().strip() or None
            self._read = (identity, name)
            return name
        except FileNotFoundError:
            if self.legacy_marker and (self.root / self.legacy_marker).exists():
                return "."
            return None

    def current(self) -> Path | None:
        name = self.pointer()
        if name is None:
            return None
        path = self.root if name == "." else self.root / name
        return path if path.is_dir() else None

    def new(self) -> Path:
        """An empty folder for a new generation, beside the current one."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"g{time.time_ns():x}-{os.getpid()}"
        path.mkdir()
        return path

    def publish(self, generation: Path) -> None:
        """Make ``generation`` the current one (atomically), then remove what no reader can still be using:
        every generation but this one and the one it replaces (a server may be answering from it this
        instant; the next publish removes it)."""
        previous = self.pointer()
        _fsync_tree(generation)
        tmp = self.root / f"{POINTER}.{os.getpid()}.tmp"
        with tmp.open("w") as fh:
            fh.write(generation.name)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / POINTER)
        _fsync_dir(self.root)
        keep = {generation.name, previous}
        for entry in self.root.iterdir():
            if entry.name in keep or entry.name.startswith(POINTER):
                continue
            if entry.is_dir() and (entry.name.startswith("g") or previous != "."):
                shutil.rmtree(entry, ignore_errors=True)
            elif not entry.is_dir() and previous != ".":
                entry.unlink(missing_ok=True)  # an older version's store written in the root itself


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    """The new generation's files on disk before the pointer names it (a power cut must not publish holes)."""
    for entry in path.rglob("*"):
        if entry.is_file():
            fd = os.open(entry, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(path)


class Watermark:
    """Compact number → content hash of the documents a generation holds (a small SQLite file in it)."""

    def __init__(self, generation: Path) -> None:
        self.path = generation / WATERMARK

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS indexed (number TEXT PRIMARY KEY, hash TEXT NOT NULL) WITHOUT ROWID")
        return conn

    def create(self) -> None:
        self._connect().close()

    def recorded(self) -> dict[str, str]:
        if not self.exists:
            return {}
        conn = self._connect()
        try:
            return dict(conn.execute("SELECT number, hash FROM indexed").fetchall())
        finally:
            conn.close()

    def record(self, hashes: Mapping[str, str], forget: Iterable[str] = ()) -> None:
        """Note documents now held (after the store committed them) and documents no longer held."""
        conn = self._connect()
        try:
            with conn:
                conn.executemany("INSERT OR REPLACE INTO indexed (number, hash) VALUES (?, ?)", hashes.items())
                conn.executemany("DELETE FROM indexed WHERE number = ?", ((n,) for n in forget))
        finally:
            conn.close()


@dataclass
class Lag:
    """What a derived store lacks compared with the register."""

    missing: list[str] = field(default_factory=list)  # in the register, not in the store
    changed: list[str] = field(default_factory=list)  # in both, the store holding an older version
    removed: list[str] = field(default_factory=list)  # in the store, no longer in the register

    @property
    def behind(self) -> bool:
        return bool(self.missing or self.changed or self.removed)

    @property
    def to_index(self) -> list[str]:
        return self.missing + self.changed

    def __str__(self) -> str:
        return f"{len(self.missing)} missing, {len(self.changed)} changed, {len(self.removed)} removed"


def lag(register_hashes: Mapping[str, str], recorded: Mapping[str, str]) -> Lag:
    """Compare the register's numbers and hashes with a store's watermark."""
    out = Lag()
    for number, digest in register_hashes.items():
        held = recorded.get(number)
        if held is None:
            out.missing.append(number)
        elif held != digest:
            out.changed.append(number)
    out.removed = [n for n in recorded if n not in register_hashes]
    return out
