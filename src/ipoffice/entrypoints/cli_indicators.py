"""CLI: ``indicators`` — statistics over the register as of a date (issue #18).

``ipoffice indicators --by year,country --measure published,pendency_days_median [--as-of D] [--json]``;
``ipoffice indicators --list`` prints each definition (every dated version) with its reference.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.indicators import DIMENSIONS, MEASURES, OFFICE_LEVEL_DIMENSIONS
from ipoffice.entrypoints.cli_common import current_office, fail, print_json

out = Console()


def register(app: typer.Typer) -> None:
    app.command("indicators")(indicators)


def _date(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option}: expected a date YYYY-MM-DD, got {value!r}") from None


def indicators(
    by: Annotated[str, typer.Option(help="Dimensions, comma-separated: " + ", ".join(
        DIMENSIONS + OFFICE_LEVEL_DIMENSIONS) + " (none: one total).")] = "",
    measure: Annotated[str, typer.Option(help="Measures, comma-separated: " + ", ".join(MEASURES))] = "",
    as_of: Annotated[str | None, typer.Option(help="The register as it stood on this date (default: today).")] = None,
    definition_date: Annotated[str | None, typer.Option(
        help="Use the definitions in force on this date (default: the as-of date).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per group, a line each.")] = False,
    list_: Annotated[bool, typer.Option("--list", help="List the definitions with their references.")] = False,
) -> None:
    """Applications, publications, grants, rights in force, pendency and grant rate, grouped by dimensions,
    as the register stood on a date (computed from dates and events; DuckDB)."""
    service = current_office().indicators
    if list_:
        definitions = service.definitions()
        if as_json:
            for item in definitions:
                print_json(item)
            return
        for item in definitions:
            if item.get("reference_data"):
                for country, figures in item["values"].items():
                    for f in figures:
                        out.print(f"[bold]{item['name']}[/bold] {country} {f['date']}: {f['persons']:,} — "
                                  f"{f['source']}", highlight=False)
                continue
            if item.get("dimension"):
                out.print(f"[bold]{item['name']}[/bold] (dimension) — {item['reference']}")
                continue
            out.print(f"[bold]{item['name']}[/bold] — {item['title']['en']} / {item['title']['zh']} ({item['unit']})")
            for v in item["versions"]:
                out.print(f"  from {v['effective_from']}: {v['reference']}", highlight=False)
                out.print(f"    {v['definition']['en']}", highlight=False)
        return
    if not measure:
        raise fail("--measure: name at least one of " + ", ".join(MEASURES))
    try:
        result = service.compute(by, measure, _date("--as-of", as_of), _date("--definition-date", definition_date))
    except InvalidField as exc:
        raise fail(f"--{exc.field.replace('_', '-')}: {exc.reason} (got {exc.value!r})") from None
    if as_json:
        for row in result.rows:
            print_json(row)
        return
    table = Table(title=f"as of {result.query.as_of.isoformat()} (definitions of "
                        f"{result.query.definitions_on.isoformat()})")
    for column in (*result.query.by, *result.query.measures):
        table.add_column(column, justify="left" if column in result.query.by else "right")
    for row in result.rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    out.print(table)
    for name, version in result.definitions.items():
        out.print(f"{name}: {version.reference}", highlight=False, style="dim")
    for name, figure in service.used_populations(result).items():
        out.print(f"{name}: " + (f"population {figure['persons']:,} on {figure['date']} ({figure['source']})"
                                 if figure else "no population figure dated on or before the as-of date"),
                  highlight=False, style="dim")
