"""CLI: ``replay`` (USPTO prosecution histories through the US procedure) and ``due`` (due dates)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.services.replay import due_dates, replay_all

console = Console(stderr=True)


def register(app: typer.Typer) -> None:
    app.command("replay")(replay)
    app.command("due")(due)


def replay(
    file: Annotated[Path, typer.Argument(help="PEDS-style JSONL: one prosecution history per line", exists=True)],
    jurisdiction: Annotated[str, typer.Option(help="Procedure jurisdiction (only 'us' histories exist)")] = "us",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per application on stdout")] = False,
    summary: Annotated[Path | None, typer.Option(help="Also write the summary JSON to this file")] = None,
) -> None:
    """Replay each history's events in date order through the procedure and check its recorded status."""
    if jurisdiction.lower() != "us":
        raise typer.BadParameter("only 'us' prosecution histories can be replayed", param_hint="--jurisdiction")
    records = []
    with file.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise typer.BadParameter(f"{file}:{number}: invalid JSON ({exc.msg})") from None
    results, totals = replay_all(records, load_rules("us"))
    if as_json:
        for result in results:
            sys.stdout.write(json.dumps(result.as_json(), ensure_ascii=False) + "\n")
    else:
        table = Table("application", "derived state", "recorded status", "consistent", "violations")
        for result in results:
            table.add_row(result.application_number, result.derived_state, result.recorded_status,
                          "yes" if result.consistent else "NO", str(len(result.violations)))
        Console().print(table)
    if summary is not None:
        summary.parent.mkdir(parents=True, exist_ok=True)
        summary.write_text(json.dumps(totals.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(
        f"{totals.consistent}/{totals.histories} consistent ({totals.consistency:.1%}); "
        f"unknown event codes: {totals.unknown_event_codes or 'none'}; "
        f"unknown status texts: {totals.unknown_statuses or 'none'}; "
        f"histories with violations: {totals.violations}; stale statuses: {len(totals.stale)}"
    )


def due(
    jurisdiction: Annotated[str, typer.Option(help="cn or us")],
    event: Annotated[str, typer.Option(help="Triggering event, e.g. office_action_first, non_final_rejection")],
    on: Annotated[str, typer.Option("--date", help="Date of the event (dispatch/mailing), YYYY-MM-DD")],
    service: Annotated[str, typer.Option(help="CN notifications: electronic or paper")] = "electronic",
    extension_months: Annotated[int, typer.Option(
        help="Months of extension: prints extended_due (period + months from the same start, rolled over once)")] = 0,
) -> None:
    """Print the due dates of the time limit an event triggers, under the rules in force that day."""
    try:
        day = date.fromisoformat(on)
    except ValueError:
        raise typer.BadParameter(f"not a date YYYY-MM-DD: {on!r}", param_hint="--date") from None
    try:
        answer = due_dates(load_rules(jurisdiction.lower()), event, day, service, extension_months)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
