"""The IPC scheme as a tab-separated table → IpcEntry.

Main format: ``ipc_bilingual.tsv`` with the header ``code level title_en title_zh`` and symbols in
the compact form of the scheme files (``A01B1/00``), normalised here to ``A01B 1/00``.
Its two sources are read as well: ``code level title_zh`` (CNIPA, Chinese only) and the
headerless ``symbol<TAB>title`` WIPO list with ST.8 fixed-width symbols (``A01B0001000000``);
a title missing from a source stays empty. Symbols new in IPC 2026 have no English title.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

from ipoffice.adapters.importers._common import problem
from ipoffice.adapters.importers.base import ImportProblem, Record
from ipoffice.domain.classification import ClassificationSymbol, Level
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.reference import IpcEntry

HEADERS = (
    ("code", "level", "title_en", "title_zh"),
    ("code", "level", "title_zh"),
)
HEADERLESS = ("code", "title_en")  # the WIPO English list


def _columns_of(first_line: str) -> tuple[str, ...] | None:
    cells = tuple(first_line.rstrip("\r\n").lstrip("\ufeff").split("\t"))
    if cells in HEADERS:
        return cells
    if len(cells) == 2:
        try:
            ClassificationSymbol.parse(cells[0])
            return HEADERLESS
        except InvalidField:
            return None
    return None


def _join_continuations(lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Rows whose title was broken over several lines: a line without a tab continues the row before."""
    pending: tuple[int, str] | None = None
    for line_number, line in lines:
        if not line.strip():
            continue
        if "\t" not in line and pending is not None:
            pending = (pending[0], pending[1].rstrip("\r\n") + " " + line.strip())
            continue
        if pending is not None:
            yield pending
        pending = (line_number, line)
    if pending is not None:
        yield pending


class IpcTsvImporter:
    name = "ipc-tsv"

    def sniff(self, path: Path, head: bytes) -> bool:
        first = head.decode("utf-8", errors="replace").split("\n", 1)[0]
        return _columns_of(first) is not None

    def read(self, path: Path) -> Iterator[Record | ImportProblem]:
        try:
            with path.open(encoding="utf-8", newline="") as f:
                first = f.readline()
                columns = _columns_of(first)
                if columns is None:
                    yield problem(path, "line 1", f"not an IPC table: header {first[:80]!r}", "file")
                    return
                lines: Iterator[tuple[int, str]] = enumerate(f, start=2)
                if columns == HEADERLESS:
                    lines = itertools.chain([(1, first)], lines)  # no header: the first line is a symbol
                for line_number, line in _join_continuations(lines):
                    try:
                        yield self.entry(columns, line)
                    except InvalidField as e:
                        yield problem(path, f"line {line_number}", e)
        except (OSError, UnicodeDecodeError) as e:
            yield problem(path, None, f"cannot read TSV: {e}", "file")

    def entry(self, columns: tuple[str, ...], line: str) -> IpcEntry:
        cells = line.rstrip("\r\n").split("\t")
        if len(cells) != len(columns):
            raise InvalidField("line", line[:80], f"has {len(cells)} tab-separated cells, expected {len(columns)}")
        row = dict(zip(columns, cells, strict=True))
        symbol = ClassificationSymbol.parse(row["code"], field="code")
        level = symbol.level
        if "level" in row:
            try:
                stated = Level(row["level"].strip())
            except ValueError:
                raise InvalidField("level", row["level"], f"not one of {[v.value for v in Level]}") from None
            if stated != level:
                raise InvalidField("level", row["level"], f"does not match the symbol {symbol} ({level.value})")
        return IpcEntry(str(symbol), level, row.get("title_en", "").strip(), row.get("title_zh", "").strip())
