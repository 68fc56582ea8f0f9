"""CLI: ``file``, ``act``, ``case``, ``gazette``, ``audit verify``, ``jobs run-overdue``, ``offices`` — the procedures.

Who acts is given with ``--as USERNAME`` (or the IPOFFICE_USER environment variable); there is no
login on the command line, the access policy still applies to the user named.

Exit status: 0 done; 1 refused by the procedure (action not allowed in the state, a legal
condition not met) or the audit found a broken link; 2 usage error, unknown case, user,
office or procedure; 3 the user may not do this.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ipoffice.adapters.anchor_file import append_anchor, read_anchors
from ipoffice.domain.errors import DomainError
from ipoffice.domain.procedures.base import ActionNotAllowed
from ipoffice.entrypoints.cli_common import current_office, print_json
from ipoffice.services.procedures import (
    AccessDenied,
    CaseNotFound,
    CaseView,
    Filing,
    ProcedureService,
    UnknownProcedure,
    UnknownUser,
    entry_as_dict,
)

console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

AsUser = Annotated[str | None, typer.Option("--as", envvar="IPOFFICE_USER", help="Username of the person acting.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
OnDate = Annotated[str | None, typer.Option("--date", help=(
    "Date of the act, YYYY-MM-DD (default: today, the office's receipt date). A party's act is always dated "
    "today; office staff may give an earlier date with --reason; a future date is refused."))]
Reason = Annotated[str | None, typer.Option("--reason", help="Why staff record the act with an earlier date "
                                            "(kept in the event).")]

offices_app = typer.Typer(help="Offices and users: list them, add the demo set.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident event log.", no_args_is_help=True)
jobs_app = typer.Typer(help="Scheduled jobs.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("file")(file_)
    app.command("act")(act)
    app.command("pay")(pay)
    app.command("case")(case)
    app.command("gazette")(gazette)
    app.add_typer(audit_app, name="audit")
    app.add_typer(jobs_app, name="jobs")
    app.add_typer(offices_app, name="offices")
    audit_app.command("verify")(audit_verify)
    audit_app.command("anchor")(audit_anchor)
    jobs_app.command("run-overdue")(run_overdue)
    offices_app.command("list")(offices_list)
    offices_app.command("users")(users_list)
    offices_app.command("seed-demo")(seed_demo)


def _service() -> ProcedureService:
    return current_office().procedures


@contextmanager
def _errors() -> Iterator[None]:
    """Turn the service's refusals into a clear message and an exit status."""
    try:
        yield
    except ActionNotAllowed as exc:
        console.print(f"[red]refused:[/red] {exc}. The register is unchanged.")
        raise typer.Exit(1) from None
    except AccessDenied as exc:
        console.print(f"[red]not permitted:[/red] {exc}. The register is unchanged.")
        raise typer.Exit(3) from None
    except (CaseNotFound, UnknownUser, UnknownProcedure) as exc:
        console.print(f"[red]error:[/red] {exc.args[0]}")
        raise typer.Exit(2) from None
    except DomainError as exc:  # ActionRefused, InvalidField: a legal condition or a field
        console.print(f"[red]refused:[/red] {exc}. The register is unchanged.")
        raise typer.Exit(1) from None


def _day(text: str | None, option: str) -> date:
    if text is None:
        return current_office().today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {text!r}", param_hint=option) from None


def _maybe_day(text: str | None, option: str) -> date | None:
    return None if text is None else _day(text, option)


def _payload(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(f"not valid JSON: {exc}", param_hint="--payload") from None
    if not isinstance(value, dict):
        raise typer.BadParameter("must be a JSON object", param_hint="--payload")
    return value


def _need_user(user: str | None) -> str:
    if not user:
        raise typer.BadParameter("name the person acting with --as USERNAME (or IPOFFICE_USER)", param_hint="--as")
    return user


def _print_case(view: CaseView, heading: str) -> None:
    r = view.record
    out.print(f"[bold]{heading} {r.application_number}[/bold]  {r.procedure} at {r.office}  "
              f"state: [cyan]{view.case.state}[/cyan]" + ("  (published)" if r.published else ""))
    if r.title:
        out.print(f"  title: {r.title}")
    out.print(f"  applicant: {r.applicant}" + (f"  agent: {r.agent}" if r.agent else "")
              + f"  filed: {r.filing_date.isoformat()}")
    for t in view.case.open_time_limits:
        consequence = f" → {t.consequence}" if t.consequence else ""
        out.print(f"  time limit {t.name}: due {t.due.isoformat()}{consequence} ({t.reference})")
    out.print(f"  allowed actions: {', '.join(view.allowed_actions) or 'none now'}")


def file_(
    procedure: Annotated[str, typer.Option("--procedure", "-p", help="e.g. cn_invention, cn_design, us_utility")],
    office: Annotated[str, typer.Option(help="Code of the receiving office, e.g. CN-JS-SZ.")],
    applicant: Annotated[str, typer.Option(help="Username of the applicant.")],
    user: AsUser = None,
    on: OnDate = None,
    title: Annotated[str, typer.Option(help="Title of the invention / design / mark.")] = "",
    agent: Annotated[str | None, typer.Option(help="Username of the agent (default: the filer, if an agent).")] = None,
    priority: Annotated[list[str] | None, typer.Option(
        help="Priority date claimed, YYYY-MM-DD; repeat for several.")] = None,
    payload: Annotated[str | None, typer.Option(help="More filing data as a JSON object.")] = None,
    pct: Annotated[bool, typer.Option(help="A PCT application entering the national phase.")] = False,
    reason: Reason = None,
    as_json: AsJson = False,
) -> None:
    """File an application: the office's next application number and the filing date are assigned."""
    data = _payload(payload)
    if priority:
        data["priority_dates"] = [_day(p, "--priority").isoformat() for p in priority]
    filing = Filing(procedure, office, applicant, _maybe_day(on, "--date"), title, agent, data, pct, reason or "")
    with _errors():
        view = _service().file(filing, _need_user(user))
    if as_json:
        print_json(view.as_dict(), indent=2)
    else:
        _print_case(view, "filed")


def act(
    number: Annotated[str, typer.Argument(help="Application number, e.g. 202610000001.9")],
    action: Annotated[str, typer.Argument(help="The action, e.g. publish, office_action, respond.")],
    user: AsUser = None,
    on: OnDate = None,
    payload: Annotated[str | None, typer.Option(help=(
        "Data of the act as a JSON object, e.g. '{\"months\": 2}' or '{\"note\": \"…\"}'. Known keys only "
        "(note ≤ 2,000 characters; text, citations, service: office staff only; document+sha256: an upload "
        "stored for the case), 64 KB in all."))] = None,
    reason: Reason = None,
    as_json: AsJson = False,
) -> None:
    """Take an action on a case. Refused (and nothing recorded) when the action is not allowed in the
    case's state — the message names the state and the allowed actions — or not permitted to the user,
    when the payload has an unknown key or a value too large, or when a party gives a date (a party's
    act is dated the day the office receives it)."""
    with _errors():
        view = _service().act(number, action, _maybe_day(on, "--date"), _need_user(user), _payload(payload),
                              reason=reason)
    if as_json:
        print_json(view.as_dict(), indent=2)
    else:
        _print_case(view, f"{action} recorded on")


def pay(
    number: Annotated[str, typer.Argument(help="Application number, e.g. 202610000001.9")],
    fee: Annotated[str | None, typer.Argument(help=(
        "The fee, e.g. fee.invention.annuity; without it, the fees the case owes are listed"))] = None,
    year: Annotated[int | None, typer.Option(help="Year of the right, for an annuity.")] = None,
    user: AsUser = None,
    on: OnDate = None,
    as_json: AsJson = False,
) -> None:
    """Pay a fee of a case (the amount in force on the day, with the filing's fee reduction), or list the fees
    it owes with their amounts and references. The grant-year annuity is paid before
    ``complete_registration`` (CN Implementing Regulations Rule 97, 2010 numbering)."""
    with _errors():
        service = _service()
        if fee is None:
            owed = service.fees_due(number, _need_user(user), _maybe_day(on, "--date"))
            rows = [{"fee": d.name, "year": d.year, "times": d.times, "amount": str(d.amount),
                     "currency": d.fee.currency, "reference": d.fee.reference, "paid": d.paid} for d in owed]
            if as_json:
                print_json(rows, indent=2)
            for row in [] if as_json else rows:
                year_text = f" year {row['year']}" if row["year"] else ""
                out.print(f"  {row['fee']}{year_text}: {row['amount']} {row['currency']} "
                          f"{'paid' if row['paid'] else 'unpaid'} ({row['reference']})")
            return
        view = service.pay_fee(number, fee, _maybe_day(on, "--date"), _need_user(user), year=year)
    if as_json:
        print_json(view.as_dict(), indent=2)
    else:
        _print_case(view, f"{fee} paid on")


def case(
    number: Annotated[str, typer.Argument(help="Application number.")],
    user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Show a case as the user (or, without --as, the public) may see it: state, time limits, events, notices."""
    with _errors():
        service = _service()
        try:
            view = service.show(number, user)
        except CaseNotFound:
            if user is None:  # an unpublished case is not public: say how to see it rather than "no case"
                console.print(f"[red]error:[/red] no public case with application number {number!r}; an "
                              "unpublished case is shown to the people who may see it: name yourself with --as "
                              "USERNAME")
                raise typer.Exit(2) from None
            raise
        notices = service.notices(number, user)
    if as_json:
        data = view.as_dict()
        data["notices"] = [{"date": n.notice_date.isoformat(), "kind": n.kind, "addressee": n.addressee,
                            "text": n.text} for n in notices]
        print_json(data, indent=2)
        return
    _print_case(view, "case")
    for e in view.events:
        out.print(f"  #{e.sequence} {e.date.isoformat()} {e.code} by {e.actor}")
    for n in notices:
        out.print(f"  notice to {n.addressee} ({n.notice_date.isoformat()}): {n.text}")


def gazette(
    week: Annotated[str, typer.Option(help="ISO week, e.g. 2026-W47.")],
    as_json: AsJson = False,
) -> None:
    """What was published, granted or registered in a week, and the anchor of the event log (its current
    head: sequence and hash), so that the printed gazette witnesses the log outside the database."""
    with _errors():
        result = _service().gazette(week)
        last_sequence, head_hash = _service().head()
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    if as_json:
        print_json({
            "anchor": {"sequence": last_sequence, "hash": head_hash, "at": stamp},
            "week": result.week, "from": result.first_day.isoformat(), "to": result.last_day.isoformat(),
            "items": [{"section": i.section, "application_number": i.case, "event": i.code,
                       "date": i.date.isoformat(), "title": i.title, "procedure": i.procedure, "office": i.office}
                      for i in result.items],
        }, indent=2)
        return
    out.print(f"[bold]Gazette {result.week}[/bold] ({result.first_day.isoformat()} – {result.last_day.isoformat()})")
    out.print(f"  anchor of the event log: event {last_sequence}, hash {head_hash} ({stamp})")
    if not result.items:
        out.print("  nothing published, granted or registered this week")
    for section in ("published", "granted", "registered"):
        items = result.section(section)
        if items:
            table = Table(title=section.capitalize(), title_justify="left")
            for column in ("date", "application", "procedure", "office", "title"):
                table.add_column(column)
            for i in items:
                table.add_row(i.date.isoformat(), i.case, i.procedure, i.office, i.title)
            out.print(table)


def audit_anchor(
    file: Annotated[Path | None, typer.Option("--file", help="Anchor file to append to "
                                              "(default: <var>/audit-anchors.jsonl).")] = None,
    as_json: AsJson = False,
) -> None:
    """Append the current head of the event log (sequence, hash, time) to an append-only anchor file. Keep a
    copy outside the database's reach: `audit verify --anchors FILE` then detects a log rewritten consistently
    (tail cut and head moved back, or an event changed and every later hash recomputed)."""
    path = file or current_office().anchor_file
    last_sequence, head_hash = _service().head()
    anchor = append_anchor(path, last_sequence, head_hash)
    if as_json:
        print_json({"file": str(path), "sequence": anchor.sequence, "hash": anchor.hash, "at": anchor.at}, indent=2)
    else:
        out.print(f"anchored event {anchor.sequence}, hash {anchor.hash} at {anchor.at} in {path}")


def audit_verify(
    anchors: Annotated[Path | None, typer.Option("--anchors", help=(
        "Anchor file (from `audit anchor`): also prove the log still holds every anchored state; a "
        "truncated or rewritten log is reported with the sequence."), exists=True, dir_okay=False)] = None,
    as_json: AsJson = False,
) -> None:
    """Re-hash the event log and check it against the recorded head, the anchors (with --anchors) and the
    cached state of each case; exit status 1 and the broken links when an event was altered or removed."""
    with _errors():
        witnessed = read_anchors(anchors) if anchors is not None else []
    report = _service().verify_audit(witnessed)
    if as_json:
        print_json({"ok": report.ok, "events_checked": report.checked, "head_hash": report.head_hash,
                     "problems": [{"sequence": p.sequence, "case": p.case, "reason": p.reason}
                                  for p in report.problems]}, indent=2)
    elif report.ok:
        anchored = f", {len(witnessed)} anchors matched" if witnessed else ""
        out.print(f"[green]event log intact[/green]: {report.checked} events, head {report.head_hash}{anchored}")
    else:
        out.print(f"[red]event log broken[/red]: {len(report.problems)} problem(s) in {report.checked} events")
        for p in report.problems:
            out.print(f"  {p}")
    if not report.ok:
        raise typer.Exit(1)


def run_overdue(
    today: Annotated[str | None, typer.Option(help="The job's day, YYYY-MM-DD (default: today).")] = None,
    as_json: AsJson = False,
) -> None:
    """Apply the legal consequence of every time limit that ended unmet (e.g. deemed withdrawn), with a notice."""
    report = _service().run_overdue(_day(today, "--today"))
    if as_json:
        print_json({
            "today": report.today.isoformat(), "cases_checked": report.cases_checked,
            "outcomes": [{"application_number": o.case, "state": o.state,
                          "events": [entry_as_dict(e) for e in o.events], "notices": len(o.notices)}
                         for o in report.outcomes],
            "failures": [{"application_number": c, "reason": r} for c, r in report.failures],
        }, indent=2)
    else:
        out.print(f"overdue job for {report.today.isoformat()}: {report.cases_checked} open cases checked, "
                  f"{len(report.outcomes)} changed")
        for o in report.outcomes:
            for e in o.events:
                out.print(f"  {o.case}: {e.code} on {e.date.isoformat()} → {o.state}")
        for c, r in report.failures:
            console.print(f"  [red]{c}: {r}[/red]")
    if report.failures:
        raise typer.Exit(1)


def offices_list(as_json: AsJson = False) -> None:
    """The office hierarchy."""
    offices = _service().offices()
    if as_json:
        print_json([{"code": o.code, "name": o.name, "level": o.level.value, "jurisdiction": o.jurisdiction,
                      "parent": o.parent} for o in offices], indent=2)
        return
    by_parent: dict[str | None, list[Any]] = {}
    for o in offices:
        by_parent.setdefault(o.parent, []).append(o)

    def show(parent: str | None, depth: int) -> None:
        for o in sorted(by_parent.get(parent, []), key=lambda o: o.code):
            out.print(f"{'  ' * depth}{o.code}  {o.name} ({o.level.value}, {o.jurisdiction})")
            show(o.code, depth + 1)

    show(None, 0)
    if not offices:
        out.print("no offices yet: `ipoffice offices seed-demo` adds a demo set")


def users_list(as_json: AsJson = False) -> None:
    """Users, their office and roles."""
    users = _service().users()
    rows = [{"username": u.username, "name": u.name, "office": u.office,
             "roles": sorted(r.value for r in u.roles)} for u in users]
    if as_json:
        print_json(rows, indent=2)
        return
    for row in rows:
        out.print(f"{row['username']:<16} {row['office']:<10} {', '.join(row['roles']):<32} {row['name']}")


def seed_demo() -> None:
    """Add the demo offices (CNIPA, a province, a city office, a service centre, another province,
    USPTO) and demo users (applicants, an agent, examiners, a reviewing examiner, a registrar, an admin)."""
    new_offices, new_users = _service().seed_demo()
    out.print(f"demo set ready: {new_offices} new offices, {new_users} new users (`ipoffice offices users`)")

