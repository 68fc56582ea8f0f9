"""Helpers shared by the importers: dates, numbers and checks that every format needs alike."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from ipoffice.adapters.importers.base import ImportProblem, Record
from ipoffice.domain.document import Document
from ipoffice.domain.errors import InvalidField

_COMPACT_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")


def parse_date(text: str | None, *, field: str) -> date | None:
    """``20210630`` or ``2021-06-30`` → date; empty → None; anything else raises naming ``field``."""
    if text is None or not text.strip():
        return None
    m = _COMPACT_DATE.match(text.strip())
    if not m:
        raise InvalidField(field, text, "not a date like 20210630 or 2021-06-30")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as e:
        raise InvalidField(field, text, str(e)) from None


def fold_whitespace(text: str) -> str:
    """Whitespace runs to one space, ends stripped (``" ".join(text.split())``), without splitting the
    text into words when it has none to fold, as most paragraphs: the checks run in C. Beyond ASCII, a
    printable text has no other whitespace than the space (isprintable() fails on no-break and other
    Unicode spaces), so a paragraph with a "µ" takes the quick way too."""
    if ("  " not in text and "\n" not in text and "\t" not in text and "\r" not in text
            and (text.isascii() or text.isprintable())):
        return text.strip(" ")
    return " ".join(text.split())


def problem(path: Path, record: str | None, error: Exception | str, field: str | None = None) -> ImportProblem:
    """An ImportProblem from an exception (InvalidField names its own field) or a message."""
    if isinstance(error, InvalidField):
        return ImportProblem(str(path), record, error.field, f"{error.reason} (got {error.value!r})")
    return ImportProblem(str(path), record, field, str(error))


def unwrap_quoted(text: str) -> str:
    """Undo a second round of CSV quoting: ``"a ""b"" c"`` → ``a "b" c``.

    Some exported CSV cells hold an already-quoted CSV value; the csv module removes only one level.
    """
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return text


def looks_like_csv_header(head: bytes, columns: tuple[str, ...]) -> bool:
    """True when the first line of ``head`` is a CSV header holding exactly ``columns`` (any order)."""
    first = head.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()[:1]
    if not first:
        return False
    names = {c.strip().strip('"') for c in first[0].split(",")}
    return names == set(columns)


def rows_with_line(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, str | None]]]:
    """Each row with the line it starts on (a quoted cell may span lines, so ``line_num`` is its last)."""
    start = reader.line_num + 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def read_csv_documents(
    path: Path,
    columns: tuple[str, ...],
    what: str,
    build: Callable[[dict[str, str | None]], Document],
    *,
    skip_blank_rows: bool = False,
) -> Iterator[Record | ImportProblem]:
    """Documents of a CSV export, one per row: a bad row is a problem naming its line, the rest goes on.

    ``what`` names the format in the message for a file without the expected columns.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = set(columns) - set(reader.fieldnames or ())
            if missing:
                yield problem(path, None, f"not a {what}: missing columns {sorted(missing)}", "file")
                return
            for line_number, row in rows_with_line(reader):
                if skip_blank_rows and not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                    continue
                try:
                    yield build(row)
                except InvalidField as e:
                    yield problem(path, f"line {line_number}", e)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        yield problem(path, None, f"cannot read CSV: {e}", "file")
