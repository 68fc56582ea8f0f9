"""``ipoffice assignments`` (recorded assignments: the chain of title) and ``ipoffice status`` (the legal
status in WIPO ST.27 terms, as of a date). Issue #16.

``ipoffice assignments [--source uspto] [--number N] --json`` is the interface the issue names ``ipoffice
recordals --source uspto [--number N] --json``: ``recordals`` belongs to the office's own recordal
procedures, and is meant to answer ``--source uspto`` by calling the same service (an alias the lead wires
when merging).
"""

from __future__ import annotations

from datetime import date

import typer

from ipoffice.entrypoints.cli_common import console, current_office, fail, print_json


def register(app: typer.Typer) -> None:
    app.command("assignments")(assignments)
    app.command("status")(status)


def assignments(
    number: str | None = typer.Option(None, "--number", "-n",
                                      help="Application, patent or publication number (US optional)"),
    source: str | None = typer.Option(None, "--source", help="Only the recordings of this office: uspto"),
    as_json: bool = typer.Option(False, "--json", help="JSON: with --number one document, else one line each"),
) -> None:
    """Recorded assignments: with --number, the chain of title of that application or patent (typed
    conveyances, owners, security interests with their releases); without, every recording."""
    from ipoffice.services.title_chain import SOURCES

    if source is not None and source not in SOURCES:
        raise fail(f"--source: expected one of {', '.join(SOURCES)}, got {source!r}")
    service = current_office().title_chain
    if number is None:
        rows = service.all_recordings(source)
        if as_json:
            for row in rows:
                print_json(row)
            return
        for row in rows:
            _print_row(row)
        console.print(f"{len(rows)} recordings", highlight=False)
        return
    chain = service.chain_of_title(number, source)
    if not chain["assignments"]:
        raise fail(f"--number: no recorded assignment covers {number!r}", 1)
    if as_json:
        print_json(chain)
        return
    for row in chain["assignments"]:
        _print_row(row)
    print(f"owners: {', '.join(chain['owners']) or '(none recorded)'}")
    for si in chain["security_interests"]:
        print(f"security interest {si['reel_frame']} ({', '.join(si['secured_parties'])}): "
              f"{'released by ' + si['released_by'] if si['released_by'] else 'not released'}")


def _print_row(row: dict[str, object]) -> None:
    assignors = ", ".join(str(a["name"]) for a in row["assignors"])  # type: ignore[attr-defined]
    assignees = ", ".join(str(a["name"]) for a in row["assignees"])  # type: ignore[attr-defined]
    pair = f"  [releases {row['releases']}]" if row.get("releases") else (
        f"  [released by {row['released_by']}]" if row.get("released_by") else "")
    print(f"{row['reel_frame']}  {row['recorded']}  {row['conveyance_type']:<28} {assignors} → {assignees}{pair}")


def status(
    number: str = typer.Argument(..., help="Publication number (EP1000000, US10465445), US application "
                                           "number (US15123456) or the application number of a published case"),
    as_of: str | None = typer.Option(None, "--as-of", help="The day the status is asked for (YYYY-MM-DD; "
                                                           "default: the office's today)"),
    as_json: bool = typer.Option(False, "--json", help="One JSON document"),
) -> None:
    """The legal status of a patent right in WIPO ST.27 terms (state, category, key event) derived from its
    legal events as of a date, with the events used."""
    from ipoffice.services.st27_status import NoLegalEvents

    office = current_office()
    try:
        day = date.fromisoformat(as_of) if as_of else office.today()
    except ValueError:
        raise fail(f"--as-of: expected a date YYYY-MM-DD, got {as_of!r}") from None
    try:
        result = office.st27_status.status(number, day)
    except NoLegalEvents as exc:
        raise fail(str(exc), 1) from None
    if as_json:
        print_json(result)
        return
    print(f"{result['number']} on {result['as_of']}: {result['state'] or 'unknown'}"
          f" — ST.27 {result['st27_key_event'] or '-'} {result['st27_key_event_title'] or ''}")
    for e in result["events"]:
        print(f"  {e['date']}  {e['code']:<10} {e['st27_key_event'] or '??':<4} {e['description']}"
              f"{'  (territorial)' if e['territorial'] else ''}")
    if result["unmapped"]:
        print(f"unmapped codes: {', '.join(result['unmapped'])}")
