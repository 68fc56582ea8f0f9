"""CLI: ``centres`` — the IP protection centres and their fast pre-examination.

``ipoffice centres list [--date D] [--json]``: each centre, its region, its IPC fields and right types in force
on the day (with the announcement), its registered applicants.
``ipoffice centres check CENTRE --applicant U --procedure P --ipc "G02B 6/12,…" [--pct] [--date D]``: whether an
application may be filed through the centre (exit 0), or the reason it would be refused (exit 1).
``ipoffice centres queue CENTRE --as USER [--json]``: the requests under pre-examination.
``ipoffice centres figures [--as USER] [--json]``: requests, pass rate and time from request to grant (median,
90th percentile) per centre and field.
``ipoffice centres register-applicant CENTRE USER --from D [--until D] --as STAFF``: record an applicant's
registration (备案) with the centre, by its staff; ``deregister-applicant CENTRE USER --from D --as STAFF`` ends it
(not registered from D on); ``applicants CENTRE [--as-of D] [--json]``: the registrations (the rules files' and
the register's), or those in force on D. Eligibility at filing reads both, as of the filing date.

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
from ipoffice.entrypoints.cli_procedures import _errors
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
    centres_app.command("register-applicant")(register_applicant)
    centres_app.command("deregister-applicant")(deregister_applicant)
    centres_app.command("applicants")(applicants)


def _day(text: str | None, option: str = "--date") -> date:
    if text is None:
        return current_office().today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option}: expected YYYY-MM-DD, got {text!r}") from None


Centre = Annotated[str, typer.Argument(help="Office code of the centre, e.g. CN-JS-SZ-PC.")]
Staff = Annotated[str, typer.Option("--as", envvar="IPOFFICE_USER", help="Username of the centre's staff member.")]


def register_applicant(
    centre: Centre,
    applicant: Annotated[str, typer.Argument(help="Username of the applicant.")],
    start: Annotated[str, typer.Option("--from", help="First day of the registration, YYYY-MM-DD.")],
    staff: Staff,
    until: Annotated[str | None, typer.Option("--until", help="Day it ends (not included), YYYY-MM-DD.")] = None,
    reference: Annotated[str, typer.Option(help="The record-filing's number or a note.")] = "",
    as_json: AsJson = False,
) -> None:
    """Record an applicant's registration with the centre from a date (by the centre's staff)."""
    with _errors():
        made = current_office().centres.register_applicant(
            centre, applicant, _day(start, "--from"), staff, _day(until, "--until") if until else None, reference)
    if as_json:
        print_json(made.as_dict())
    else:
        out.print(f"registered: {applicant} with {centre} from {made.registered_on.isoformat()}"
                  + (f" until {made.until.isoformat()}" if made.until else ""))


def deregister_applicant(
    centre: Centre,
    applicant: Annotated[str, typer.Argument(help="Username of the applicant.")],
    start: Annotated[str, typer.Option("--from", help="First day without the registration, YYYY-MM-DD.")],
    staff: Staff,
) -> None:
    """End an applicant's registration with the centre: not registered from the date on."""
    with _errors():
        ended = current_office().centres.deregister_applicant(centre, applicant, _day(start, "--from"), staff)
    out.print(f"ended: {applicant}'s registration with {centre} from "
              f"{', '.join(d.isoformat() for d in ended)} now ends on {start} (not included)")


def applicants(
    centre: Centre,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only the registrations in force on this day.")] = None,
    as_json: AsJson = False,
) -> None:
    """The applicants registered with the centre (the rules files' and the register's)."""
    day = _day(as_of, "--as-of") if as_of else None
    with _errors():
        found = current_office().centres.applicants(centre, day)
    if as_json:
        print_json([r.as_dict(day) for r in found], indent=2)
        return
    for r in found:
        row = r.as_dict(day)
        out.print(f"{r.applicant:<20} from {row['registered_on']}  until {row['until'] or '—':<10}  "
                  f"{row['source']:<8} {r.reference}")
    if not found:
        out.print(f"no applicant registered with {centre}" + (f" on {as_of}" if as_of else ""))


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
    procedure: Annotated[str, typer.Option("--procedure", "-p", help="cn_invention, cn_utility_model or cn_design")],
    ipc: Annotated[str, typer.Option(help="IPC symbols, comma-separated, e.g. 'G02B 6/12'.")] = "",
    locarno: Annotated[str, typer.Option(help="A design's Locarno classes, comma-separated, e.g. '14-03'.")] = "",
    pct: Annotated[bool, typer.Option(help="A PCT application entering the national phase.")] = False,
    on: OnDate = None,
    as_json: AsJson = False,
) -> None:
    """Whether an application may be filed through the centre on the day; exit 1 with the reason if not."""
    try:
        reason = current_office().centres.check(centre, applicant, procedure, locarno or ipc, pct, _day(on))
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
