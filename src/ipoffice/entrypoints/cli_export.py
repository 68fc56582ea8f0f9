"""CLI: ``export st66`` — register records in an exchange format; ``export patstat`` — the register as
PATSTAT Global tables (CSV, optionally Parquet)."""

from __future__ import annotations

import sys
from datetime import date
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


@export_app.command("patstat")
def patstat(
    directory: Annotated[Path, typer.Argument(help="Folder to write the tables into (created).")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="The register as it stood on this date "
                                              "(YYYY-MM-DD; default: everything it holds).")] = None,
    parquet: Annotated[bool, typer.Option("--parquet", help="Also write each table as Parquet.")] = False,
) -> None:
    """Write the register as PATSTAT Global tables: tls201_appln, tls202_appln_title, tls203_appln_abstr,
    tls204_appln_prior, tls206_person, tls207_pers_appln, tls209_appln_ipc, tls211_pat_publn, tls212_citation,
    tls224_appln_cpc, tls230_appln_techn_field, tls231_inpadoc_legal_event (one CSV each, PATSTAT's column
    names; docs/patstat_export.md lists what is filled).

    Exit status: 0 written, 1 a bad --as-of (nothing written)."""
    office = current_office()
    try:
        day = None if as_of is None else date.fromisoformat(as_of)
    except ValueError:
        console.print(f"[red]error:[/red] as_of: {as_of!r} is not a date YYYY-MM-DD", highlight=False)
        raise typer.Exit(1) from None
    try:
        from ipoffice.services.patstat import export_patstat  # a heavy import, for this command only

        counts = export_patstat(office.register.engine, office.indicators.catalogue, directory, day,
                                parquet, office.today())
    except InvalidField as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    for name, rows in counts.items():
        console.print(f"{name}: {rows} rows", highlight=False)
    console.print(f"written to {directory}", highlight=False)
