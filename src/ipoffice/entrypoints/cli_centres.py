"""CLI: ``centres`` — the IP protection centres and their fast pre-examination.

``ipoffice centres list [--date D] [--json]``: each centre, its region, its IPC fields and right types in force
on the day (with the announcement), its registered applicants.
``ipoffice centres check CENTRE --applicant U --procedure P --ipc "G02B 6/12,…" [--pct] [--date D]``: whether an
application may be filed through the centre (exit 0), or the reason it would be refused (exit 1).
``ipoffice centres queue CENTRE --as USER [--json]``: the requests under pre-examination.
``ipoffice centres figures [--as USER] [--json]``: requests, pass rate and time from request to grant (median,
90th percentile) per centre and field.

Filing through a centre is ``ipoffice file … --payload '{"pre_examination_centre": CODE, "ipc": [...]}'``; the
pre-examination acts are ``ipoffice act`` (pass_formality_check, classify, draw_up_search_report,
pass_pre_examination / refuse_pre_examination, file_with_national_office).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from ipoffice.entrypoints.cli_common import current_office, fail, print_json
from ipoffice.services.procedures import UnknownUser

out = Console(soft_wrap=True)
centres_app = typer.Typer(help="IP protection centres: fields, eligibility, pre-examination queue, figures.",
                          no_args_is_help=True)
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
OnDate = Annotated[str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default: today).")]


def register(app: typer.Typer) -> None:
    app.add_typer(centres_app, name="centres")
    centres_app.command("list")(list_centres)
    centres_app.command("check")(check)
    centres_app.command("queue")(queue)
    centres_app.command("figures")(figures)


def _day(text: str | None) -> date:
    if text is None:
        return current_office().today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"--date: expected YYYY-MM-DD, got {text!r}") from None


def list_centres(on: OnDate = None, as_json: AsJson = False) -> None:
    """The protection centres with their configuration in force on the day."""
    views = current_office().centres.centres(_day(on))
    if as_json:
        print_json([v.as_dict() for v in views], indent=2)
        return
    if not views:
        out.print("no protection centre yet: `ipoffice offices seed-demo` adds one")
    for v in views:
        row = v.as_dict()
        out.print(f"[bold]{row['code']}[/bold]  {row['name']}  region {row['region'] or '—'}")
        out.print(f"  fields: {', '.join(row['fields']) or 'none in force'}"  # type: ignore[arg-type]
                  + (f" (from {row['fields_from']}; {row['fields_reference']})" if row["fields_from"] else ""))
        out.print(f"  right types: {', '.join(row['right_types']) or '—'}"  # type: ignore[arg-type]
                  f"  registered applicants: {', '.join(row['registered_applicants']) or '—'}")  # type: ignore[arg-type]


def check(
    centre: Annotated[str, typer.Argument(help="Office code of the centre, e.g. CN-JS-SZ-PC.")],
    applicant: Annotated[str, typer.Option(help="Username of the applicant.")],
    procedure: Annotated[str, typer.Option("--procedure", "-p", help="cn_invention or cn_utility_model")],
    ipc: Annotated[str, typer.Option(help="IPC symbols, comma-separated, e.g. 'G02B 6/12'.")] = "",
    pct: Annotated[bool, typer.Option(help="A PCT application entering the national phase.")] = False,
    on: OnDate = None,
    as_json: AsJson = False,
) -> None:
    """Whether an application may be filed through the centre on the day; exit 1 with the reason if not."""
    try:
        reason = current_office().centres.check(centre, applicant, procedure, ipc, pct, _day(on))
    except UnknownUser as exc:
        raise fail(str(exc.args[0])) from None
    except ValueError as exc:  # InvalidField: a symbol that is not IPC
        raise fail(str(exc)) from None
    if as_json:
        print_json({"eligible": reason is None, "reason": str(reason) if reason else None,
                    "code": reason.code if reason else None})
    elif reason is None:
        out.print(f"eligible: {applicant} may file {procedure} through {centre}")
    else:
        out.print(f"[red]not eligible:[/red] {reason}")
    if reason is not None:
        raise typer.Exit(1)


def queue(
    centre: Annotated[str, typer.Argument(help="Office code of the centre.")],
    user: Annotated[str, typer.Option("--as", envvar="IPOFFICE_USER", help="Username of the person asking.")],
    as_json: AsJson = False,
) -> None:
    """The requests under pre-examination at the centre (that the user may see), oldest first."""
    try:
        items = current_office().centres.queue(centre, user)
    except UnknownUser as exc:
        raise fail(str(exc.args[0])) from None
    rows = [{"application_number": r.application_number, "procedure": r.procedure, "applicant": r.applicant,
             "title": r.title, "requested": r.filing_date.isoformat(), "state": c.state,
             "ipc": list(c.facts.get("ipc") or ())} for r, c in items]  # type: ignore[call-overload]
    if as_json:
        print_json(rows, indent=2)
        return
    for row in rows:
        out.print(f"{row['application_number']}  {row['requested']}  {row['state']:<26} {row['applicant']}  "
                  f"{', '.join(row['ipc'])}  {row['title']}")
    if not rows:
        out.print(f"no request under pre-examination at {centre}")


def figures(
    user: Annotated[str | None, typer.Option("--as", envvar="IPOFFICE_USER",
                                             help="Username (the public sees published case numbers only).")] = None,
    as_json: AsJson = False,
) -> None:
    """Requests, pass rate, time from request to grant (median, 90th percentile) per centre and field."""
    try:
        rows = [f.as_dict() for f in current_office().centres.figures(user)]
    except UnknownUser as exc:
        raise fail(str(exc.args[0])) from None
    if as_json:
        print_json(rows, indent=2)
        return
    for row in rows:
        rate = row["pass_rate"]
        out.print(f"{row['centre']}  {row['field']:<10} requests {row['requests']}  passed {row['passed']}  "
                  f"refused {row['refused']}  pass rate {'—' if rate is None else f'{rate:.0%}'}  "
                  f"granted {row['granted']}  days to grant: median {row['median_days_to_grant'] or '—'}, "
                  f"p90 {row['p90_days_to_grant'] or '—'}")
    if not rows:
        out.print("no fast-track request yet")
