"""CLI: ``export st66`` — register records in an exchange format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ipoffice.domain.errors import InvalidField
from ipoffice.entrypoints.cli_common import current_office
from ipoffice.services.documents import DocumentNotFound
from ipoffice.services.exporting import export_st66

console = Console(stderr=True)
export_app = typer.Typer(help="Write register records in an exchange format.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


@export_app.command("st66")
def st66(
    numbers: Annotated[list[str], typer.Argument(help="Marks: register keys (ALTM-T-1996-001287) or the office's "
                                                      "printed numbers (AL/T/1996/001287).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    office: Annotated[str | None, typer.Option(help="The office of printed numbers given without it, e.g. AL.")]
    = None,
) -> None:
    """Write trademark records as one WIPO ST.66 Transaction (XML).

    Exit status: 0 written, 1 a number is not in the register or is not a trademark (nothing written)."""
    reg = current_office().register
    try:
        if output is None:
            count = export_st66(reg, numbers, sys.stdout.buffer, office)
        else:
            with output.open("wb") as out:
                count = export_st66(reg, numbers, out, office)
    except (DocumentNotFound, InvalidField) as exc:
        if output is not None:
            output.unlink(missing_ok=True)
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    console.print(f"{count} marks written" + (f" to {output}" if output else ""), highlight=False)
