"""What every CLI module needs alike: the office, JSON on stdout, errors on stderr, date options."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

import typer
from rich.console import Console

from ipoffice.bootstrap import Office, office

console = Console(stderr=True)


_running: list[Office] = []  # the office of the running invocation (a list: no global statement needed)


def open_office() -> Office:
    """Build the office of this invocation with the composition root (the app's callback calls it once)."""
    _running[:] = [office()]
    return _running[0]


def warn_if_no_register(office: Office) -> None:
    """Say on stderr when the embedded register does not exist yet, so a command run from another folder (the
    default ``IPOFFICE_VAR`` is ``./var``) is not silently answered from a new, empty register."""
    path = office.settings.sqlite_path
    if path is not None and not path.exists():
        console.print(f"[yellow]note:[/yellow] no register at {path.resolve()} yet: this command starts an empty "
                      "one. Run it from the folder `make run` used, or set IPOFFICE_VAR to the register's "
                      "folder (`ipoffice init` and `ipoffice import` fill a new one).", highlight=False)


def current_office() -> Office:
    """The office of the running command, built by :func:`open_office` (or now, for a direct call)."""
    return _running[0] if _running else open_office()


def print_json(data: Any, *, indent: int | None = None) -> None:
    """One JSON document on stdout (a line unless ``indent``), flushed so pipes see it at once."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=indent) + "\n")
    sys.stdout.flush()


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print an error naming what is wrong; the caller raises the returned Exit."""
    console.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def parse_before(before: str | None) -> date | None:
    """The prior-art cut-off option ``--before YYYY-MM-DD``."""
    if before is None:
        return None
    try:
        return date.fromisoformat(before)
    except ValueError:
        raise fail(f"--before: expected a date YYYY-MM-DD, got {before!r}") from None
