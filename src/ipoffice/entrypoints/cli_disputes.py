"""CLI: ``dispute file|show|list|draft|recordal|recordals`` — administrative adjudication of patent infringement
disputes, and the customs recordals and e-commerce takedown requests recorded against a patent.

A dispute's acts are taken with ``ipoffice act DISPUTE_NUMBER ACTION`` (accept_request, serve_request,
submit_defence, notify_hearing, hold_hearing, extend_decision_period, decide, withdraw_request,
conclude_mediation, file_suit) and ``ipoffice case DISPUTE_NUMBER --as USER`` shows its clocks, like any case.
Exit status as in ``cli_procedures``: 1 refused, 2 usage or unknown case/user, 3 not permitted.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ipoffice.adapters.dispute_records import Recordal
from ipoffice.bootstrap import Office
from ipoffice.entrypoints.cli_common import current_office, fail, print_json
from ipoffice.entrypoints.cli_procedures import (
    AsJson,
    AsUser,
    OnDate,
    Reason,
    _errors,
    _maybe_day,
    _need_user,
    _payload,
)
from ipoffice.entrypoints.web import i18n
from ipoffice.services.disputes import DisputeView

out = Console(soft_wrap=True)
dispute_app = typer.Typer(help="Administrative adjudication of patent infringement disputes.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(dispute_app, name="dispute")
    dispute_app.command("file")(file_dispute)
    dispute_app.command("show")(show)
    dispute_app.command("list")(list_disputes)
    dispute_app.command("draft")(draft)
    dispute_app.command("recordal")(recordal)
    dispute_app.command("recordals")(recordals)


def _print(dispute: DisputeView) -> None:
    r = dispute.view.record
    right = dispute.right
    out.print(f"[bold]dispute {r.application_number}[/bold] at {r.office}  state: [cyan]{dispute.view.case.state}"
              "[/cyan]")
    out.print(f"  requester: {r.applicant}" + (f" (agent {r.agent})" if r.agent else "")
              + f"  respondent: {dispute.respondent}" + (
                  f" (agent {dispute.filing['respondent_agent']})" if dispute.filing.get("respondent_agent") else ""))
    then = right.state_on_infringement or "date not given"
    out.print(f"  patent {right.view.record.application_number}: {escape(right.view.record.title)}; now "
              f"{right.state_now}, on the infringement date ({dispute.infringement_date or '-'}) {then}; "
              f"asserted claims {dispute.asserted_claims}; priority date {right.priority_date.isoformat()}")
    for t in dispute.clocks:
        consequence = f" → {t.consequence}" if t.consequence else ""
        extended = f", at most {t.last_day_with_extensions.isoformat()} with extension" \
            if t.last_day_with_extensions else ""
        out.print(f"  clock {t.name}: from {t.start.isoformat()}, due {t.due.isoformat()}{extended}{consequence} "
                  f"({t.reference})")
    hearing = dispute.view.case.date_fact("hearing_date")
    if hearing:
        out.print(f"  oral hearing: {hearing.isoformat()}")
    for alert in dispute.alerts:
        out.print(f"  [red]ALERT[/red] {alert.date.isoformat()}: {escape(str(alert.payload.get('notice')))}")
    for made in dispute.recordals:
        _print_recordal(made)
    out.print(f"  allowed actions: {', '.join(dispute.view.allowed_actions) or 'none (final state)'}")


def _print_recordal(r: Recordal) -> None:
    flag = f"  [red]FLAGGED[/red] {r.flagged_on.isoformat()}: {escape(r.flag_reason or '')}" if r.flagged_on else ""
    out.print(f"  {r.kind} recordal #{r.id} with {escape(r.authority)} {escape(r.reference)} "
              f"(recorded {r.recorded_on.isoformat()} by {r.recorded_by}){flag}")


def file_dispute(
    number: Annotated[str, typer.Argument(help="Application number of the patent (a granted case).")],
    user: AsUser = None,
    payload: Annotated[str | None, typer.Option(help=(
        "The request as a JSON object: respondent (username, required), respondent_agent, agent, office, "
        "infringement_date, asserted_claims [1, ...], product_description, note."))] = None,
    on: OnDate = None,
    reason: Reason = None,
    as_json: AsJson = False,
) -> None:
    """File a request for administrative adjudication of an infringement of patent NUMBER: the dispute gets its
    number and the acceptance clock starts (5 working days of the office calendar)."""
    office = current_office()
    with _errors():
        view = office.disputes.file(number, _need_user(user), _payload(payload), _maybe_day(on, "--date"), reason)
        dispute = office.disputes.show(view.record.application_number, _need_user(user))
    if as_json:
        print_json(dispute.as_dict(), indent=2)
    else:
        _print(dispute)


def show(
    number: Annotated[str, typer.Argument(help="Number of the dispute, e.g. CN-JS-SZ-2026-J0001.")],
    user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """A dispute with its patent (status then and now), clocks and alerts — for its parties and the office."""
    with _errors():
        dispute = current_office().disputes.show(number, _need_user(user))
    if as_json:
        print_json(dispute.as_dict(), indent=2)
    else:
        _print(dispute)


def list_disputes(user: AsUser = None, as_json: AsJson = False) -> None:
    """The disputes the user may see, the most urgent clock first."""
    with _errors():
        disputes = current_office().disputes.queue(_need_user(user))
    if as_json:
        print_json([d.as_dict() for d in disputes], indent=2)
        return
    for d in disputes:
        due = min(d.clocks, key=lambda t: t.due, default=None)
        clock = f"{due.name} due {due.due.isoformat()}" if due else "no clock running"
        alert = "  [red]ALERT[/red]" if d.alerts else ""
        right = d.right.view.record.application_number
        out.print(f"{d.number}  {d.view.case.state:<18} patent {right}  {clock}{alert}")
    if not disputes:
        out.print("no dispute you may see")


def office_name(office: Office, code: str, lang: str) -> str:
    """The office's name in ``lang`` (the portal's catalogue), else its own name."""
    names = {o.code: o.name for o in office.procedures.offices()}
    return i18n.Translator(lang).term("office.", code) if i18n.Translator(lang).has(f"office.{code}") \
        else names.get(code, code)


def draft(
    number: Annotated[str, typer.Argument(help="Number of the dispute.")],
    user: AsUser = None,
    lang: Annotated[str, typer.Option(help="Language of the draft: zh or en.")] = "zh",
    chart: Annotated[bool, typer.Option(help="Include the claim chart against the accused product's description "
                                             "(embeds the texts: slower).")] = False,
) -> None:
    """Draft the decision of a dispute from the template of the language (the officer edits it; not an act)."""
    from ipoffice.services.decision_drafts import LANGUAGES, draft_decision

    if lang not in LANGUAGES:
        raise fail(f"--lang: expected one of {', '.join(LANGUAGES)}, got {lang!r}")
    office = current_office()
    with _errors():
        dispute = office.disputes.show(number, _need_user(user))
        table = None
        if chart and dispute.product_description:
            table = office.claim_charter().chart_text(dispute.claim_text(dispute.asserted_claims[0]),
                                                      dispute.product_description)
        rules = office.procedures.catalogue.rules(dispute.view.record.jurisdiction)
        text = draft_decision(dispute, lang, office_name(office, dispute.view.record.office, lang), rules,
                              chart=table, cite=i18n.Translator(lang).reference, day=i18n.Translator(lang).date)
    out.print(escape(text), highlight=False)


def recordal(
    number: Annotated[str, typer.Argument(help="Application number of the patent (in force).")],
    kind: Annotated[str, typer.Option(help="customs (border recordal) or ecommerce (takedown request).")],
    authority: Annotated[str, typer.Option(help="The customs office or the e-commerce platform.")],
    reference: Annotated[str, typer.Option(help="Its number of the recordal or request.")] = "",
    user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Record a customs recordal or an e-commerce takedown request against patent NUMBER (by the patentee's side);
    it is flagged in the transaction that records the end of the patent (lapse, invalidation, end of term)."""
    with _errors():
        made = current_office().disputes.record_enforcement(number, _need_user(user), kind, authority, reference)
    if as_json:
        print_json(made.as_dict(), indent=2)
    else:
        _print_recordal(made)


def recordals(
    number: Annotated[str, typer.Argument(help="Application number of the patent.")],
    as_json: AsJson = False,
) -> None:
    """The customs recordals and takedown requests against patent NUMBER, flagged ones with the day it ended."""
    found = current_office().disputes.recordals(number)
    if as_json:
        print_json([r.as_dict() for r in found], indent=2)
        return
    for r in found:
        _print_recordal(r)
    if not found:
        out.print(f"no recordal against {number}")
