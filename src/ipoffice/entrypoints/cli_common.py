"""What every CLI module needs alike: JSON on stdout, errors on stderr, date options."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

import typer
from rich.console import Console

console = Console(stderr=True)


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
