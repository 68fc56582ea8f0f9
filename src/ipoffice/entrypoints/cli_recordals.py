"""CLI: ``recordal file``, ``recordal decide``, ``recordals``, ``right`` — recordals on a granted right (issue #16).

Exit status as for the procedures: 0 done; 1 refused (a consistency rule, a malformed payload, a request already
decided: the message names the rule's code, and with ``--json`` an object ``{"error", "code", ...}`` is printed);
2 usage error, unknown right, request or user; 3 the user may not do this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.procedures.base import ActionRefused
from ipoffice.domain.recordals import DECISIONS, TYPES
from ipoffice.entrypoints.cli_common import current_office, print_json
from ipoffice.entrypoints.cli_procedures import AsJson, AsUser, OnDate, _day, _errors, _maybe_day, _need_user, _payload
from ipoffice.entrypoints.cli_title import assignments
from ipoffice.services.recordals import RecordalService, RecordalView, RequestNotFound

console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

recordal_app = typer.Typer(help="Recordals on a granted right: file a request, decide it.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(recordal_app, name="recordal")
    recordal_app.command("file")(file_)
    recordal_app.command("decide")(decide)
    recordal_app.command("pay")(pay)
    app.command("recordals")(list_)
    app.command("right")(right)


def _service() -> RecordalService:
    return current_office().recordals


@contextmanager
def _refusals(as_json: bool) -> Iterator[None]:
    """The procedures' error handling, plus an unknown request; with ``--json`` a refusal is also printed as
    JSON naming the rule."""
    with _errors():
        try:
            yield
        except RequestNotFound as exc:
            console.print(f"[red]error:[/red] {exc.args[0]}")
            raise typer.Exit(2) from None
        except ActionRefused as exc:
            if as_json:
                print_json({"error": str(exc.reason), "code": exc.code,
                            "params": {k: str(v) for k, v in exc.params.items()}})
            raise
        except InvalidField as exc:
            if as_json:
                print_json({"error": str(exc), "code": "invalid_field"})
            raise


def _print(view: RecordalView, heading: str) -> None:
    r = view.request
    out.print(f"[bold]{heading}[/bold] recordal request {r.id} ({r.type}) on {r.number}: [cyan]{r.state}[/cyan]"
              + (f" on {r.decided_on}" if r.decided_on else f", filed {r.filed_on}"))
    if r.fee:
        paid = f", paid {r.fee_paid_on}" if r.fee_paid_on else (", unpaid" if r.fee_due else "")
        out.print(f"  fee: {r.fee.get('amount')} {r.fee.get('currency')} ({r.fee.get('reference')}){paid}")
    if view.problem is not None:
        out.print(f"  examination: [red]{view.problem.code}[/red]: {view.problem}")
    elif r.state == "filed":
        out.print("  examination: no rule stands in the way of registration")


def file_(
    number: Annotated[str, typer.Argument(help="Application number of the granted right.")],
    kind: Annotated[str, typer.Option("--type", help=" | ".join(TYPES))],
    user: AsUser = None,
    on: OnDate = None,
    payload: Annotated[str | None, typer.Option(help=(
        "The request as a JSON object: transfer {assignees}; name_change {old_name, new_name}; licence {kind, "
        "licensee, contract_effective, ends?}; pledge {pledgee, amount?}; pledge_release {pledge: id}; "
        "open_licence {royalty, ends?, industry?, products?}; open_licence_take {licensee}; any: agreed_by, consents, "
        "note. A royalty is {type: lump_sum|running_percentage|per_unit|free, rate_percent?, amount?, currency?, "
        "basis?, text?} (or a text); a licence may carry royalty, industry, products too."))] = None,
    as_json: AsJson = False,
) -> None:
    """File a recordal request: its id, state (filed) and the examination's finding (a rule broken, by code)."""
    with _refusals(as_json):
        view = _service().file(number, kind, _need_user(user), _payload(payload), _maybe_day(on, "--date"))
    if as_json:
        print_json(view.as_dict(), indent=2)
    else:
        _print(view, "filed")


def decide(
    request: Annotated[int, typer.Argument(help="Id of the recordal request.", min=1, max=2**31 - 1)],
    decision: Annotated[str, typer.Argument(help=" | ".join(DECISIONS))],
    user: AsUser = None,
    on: OnDate = None,
    as_json: AsJson = False,
) -> None:
    """Register or refuse a recordal request (a registrar). Registration is refused, naming the rule, when the
    request breaks a consistency rule on the day of the decision."""
    if decision not in DECISIONS:
        raise typer.BadParameter(f"must be one of {', '.join(DECISIONS)}", param_hint="DECISION")
    with _refusals(as_json):
        view = _service().decide(request, decision, _need_user(user), _maybe_day(on, "--date"))
    if as_json:
        print_json(view.as_dict(), indent=2)
    else:
        _print(view, "decided:")


def pay(
    request: Annotated[int, typer.Argument(help="Id of the recordal request.", min=1, max=2**31 - 1)],
    user: AsUser = None,
    on: OnDate = None,
    as_json: AsJson = False,
) -> None:
    """Pay the fee recorded with a filed recordal request (e.g. fee.recordal.change_of_patentee for a transfer):
    until it is paid, registration is refused (recordal_fee_unpaid)."""
    with _refusals(as_json):
        view = _service().pay_fee(request, _need_user(user), _maybe_day(on, "--date"))
    if as_json:
        print_json(view.as_dict(), indent=2)
    else:
        _print(view, "fee paid:")


def list_(
    number: Annotated[str | None, typer.Option("--number", help="Only the requests on this right.")] = None,
    source: Annotated[str | None, typer.Option("--source", help=(
        "Another office's recordings instead of this office's requests: uspto (the same as "
        "`ipoffice assignments --source uspto`)"))] = None,
    user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Recordal requests, oldest first (registered ones for anyone; all for the parties and the office); with
    ``--source uspto`` the recorded USPTO assignments (the chain of title with ``--number``)."""
    if source is not None:
        assignments(number=number, source=source, as_json=as_json)
        return
    with _refusals(as_json):
        found = _service().requests(user, number)
    if as_json:
        print_json([r.as_dict() for r in found], indent=2)
        return
    for r in found:
        out.print(f"{r.id}  {r.number}  {r.type:<24} {r.state:<10} filed {r.filed_on} by {r.filed_by}"
                  + (f"  {r.reason_code}" if r.reason_code else ""))


def right(
    number: Annotated[str, typer.Argument(help="Application number of the right.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day, YYYY-MM-DD (default today).")] = None,
    user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """The right as recorded: owners, licences, open licence, pledges, status, annual fees, alerts."""
    with _refusals(as_json):
        data = _service().right(number, user, _day(as_of, "--as-of") if as_of else None)
    if as_json:
        print_json(data, indent=2)
        return
    status = data["status"]
    assert isinstance(status, dict)
    out.print(f"[bold]{number}[/bold] {data['title']}  state: [cyan]{status['state']}[/cyan] as of {data['as_of']}")
    owners = data["owners"]
    assert isinstance(owners, list)
    out.print(f"  owners: {', '.join(map(str, owners))}")
    for key in ("licences", "pledges", "alerts"):
        items = data[key]
        assert isinstance(items, list)
        for item in items:
            out.print(f"  {key[:-1]}: {item}")
    if data["open_licence"]:
        out.print(f"  open licence: {data['open_licence']}")
    fees = data["annual_fees"]
    assert isinstance(fees, list)
    for fee in fees:
        reductions = ", ".join(r["name"] for r in fee["reductions"])
        out.print(f"  year {fee['year']:>2}  due {fee['due']}  {fee['amount']:>9} {fee['currency']}"
                  + (f"  ({reductions})" if reductions else "") + ("  paid" if fee["paid"] else ""))
