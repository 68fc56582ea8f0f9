"""CLI: ``ipoffice inventory import|list|assess|submit|review|queue|library|member|demo-csv`` — a university's
stock-patent inventory (issue #16; ``ipoffice.services.inventory``).

``--json`` prints one JSON object per line (an entry, a library record, an import report). Exit status: 0 done;
1 refused (a bad CSV row — all are listed and nothing is written —, an out-of-order or self-review, a bad field:
the message names the row, field or rule code); 2 unknown entry or user; 3 the user may not do this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.inventory import INTENTS, InventoryRefused
from ipoffice.entrypoints.cli_common import current_office, print_json
from ipoffice.entrypoints.cli_procedures import AsJson, AsUser, _errors, _need_user
from ipoffice.services.inventory import EntryNotFound, InventoryForbidden, InventoryService

console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True, highlight=False)

inventory_app = typer.Typer(help="A university's stock-patent inventory: import, grade, assess, review, library.",
                            no_args_is_help=True)
Holder = Annotated[str, typer.Option("--holder", help=(
    "The organisation holding the patents, as the register names it (e.g. \"The Regents of the University of "
    "California\")"))]


def register(app: typer.Typer) -> None:
    app.add_typer(inventory_app, name="inventory")
    inventory_app.command("import")(import_)
    inventory_app.command("list")(list_)
    inventory_app.command("assess")(assess)
    inventory_app.command("submit")(submit)
    inventory_app.command("review")(review)
    inventory_app.command("queue")(queue)
    inventory_app.command("library")(library)
    inventory_app.command("member")(member)
    inventory_app.command("demo-csv")(demo_csv)


def _service() -> InventoryService:
    return current_office().inventory


@contextmanager
def _refusals(as_json: bool) -> Iterator[None]:
    with _errors():
        try:
            yield
        except EntryNotFound as exc:
            console.print(f"[red]error:[/red] {exc.args[0]}")
            raise typer.Exit(2) from None
        except InventoryForbidden as exc:
            if as_json:
                print_json({"error": str(exc), "code": exc.code, "params": exc.params})
            console.print(f"[red]not permitted:[/red] {exc} ({exc.code}). Nothing was changed.")
            raise typer.Exit(3) from None
        except InventoryRefused as exc:
            if as_json:
                print_json({"error": str(exc), "code": exc.code, "params": exc.params})
            raise
        except InvalidField as exc:
            if as_json:
                print_json({"error": str(exc), "code": "invalid_field", "field": exc.field})
            raise


def _print_entry(e: dict[str, Any]) -> None:
    s = e["suggested"]
    flags = f" [red]{', '.join(s['flags'])}[/red]" if s.get("flags") else ""
    out.print(f"[bold]{e['id']}[/bold] {e['number']}  {e['title'][:60]}  suggested [cyan]{s.get('grade')}[/cyan]"
              f" ({s.get('points', '-')} points){flags}  self {e['self_grade'] or '-'}  "
              f"intent {e['conversion_intent'] or '-'}  [yellow]{e['state']}[/yellow]")
    for reason in s.get("reasons", []):
        out.print(f"    {reason['text']}")


def _emit(entries: list[dict[str, Any]], as_json: bool) -> None:
    for e in entries:
        if as_json:
            print_json(e)
        else:
            _print_entry(e)


def import_(
    file: Annotated[Path, typer.Argument(help="CSV: number, department?, contact?, self_grade?, conversion_intent?, "
                                              "note? (UTF-8, BOM allowed; en or zh headers)", exists=True,
                                         dir_okay=False)],
    holder: Holder,
    user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Import a holder's patents, all or nothing: any bad row (named with its field) writes nothing."""
    with _refusals(as_json):
        report = _service().import_csv(file.read_bytes(), holder, _need_user(user))
    if as_json:
        print_json(report.as_dict())
    else:
        for err in report.errors:
            console.print(f"[red]{err}[/red]")
        out.print(f"{holder}: {len(report.created)} created, {len(report.updated)} updated, "
                  f"{len(report.unchanged)} unchanged" + (", nothing written" if report.errors else ""))
    if report.errors:
        raise typer.Exit(1)


def list_(
    user: AsUser = None,
    holder: Annotated[str | None, typer.Option("--holder", help="Only this holder's entries.")] = None,
    state: Annotated[str | None, typer.Option("--state", help="Only entries in this state.")] = None,
    as_json: AsJson = False,
) -> None:
    """The entries you may see, with the suggested grade and its reasons, the self-assessment and the review state."""
    with _refusals(as_json):
        found = _service().entries(_need_user(user), holder, state)
    _emit(found, as_json)


def assess(
    entry: Annotated[int, typer.Argument(help="Id of the entry.", min=1, max=2**31 - 1)],
    grade: Annotated[str | None, typer.Option("--grade", help="Self-assessed grade A|B|C.")] = None,
    intent: Annotated[str | None, typer.Option("--intent", help=" | ".join(INTENTS))] = None,
    note: Annotated[str | None, typer.Option("--note", help="Notes of the self-assessment.")] = None,
    submit_too: Annotated[bool, typer.Option("--submit", help="Then submit it for first-level review.")] = False,
    user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Record the holder's self-assessment (a keeper); with --submit, submit it for review."""
    with _refusals(as_json):
        view = _service().assess(entry, _need_user(user), self_grade=grade, intent=intent, note=note)
        if submit_too:
            view = _service().submit(entry, _need_user(user))
    _emit([view], as_json)


def submit(
    entry: Annotated[int, typer.Argument(help="Id of the entry.", min=1, max=2**31 - 1)],
    user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Submit a self-assessed entry for first-level review (a keeper)."""
    with _refusals(as_json):
        view = _service().submit(entry, _need_user(user))
    _emit([view], as_json)


def review(
    entry: Annotated[int, typer.Argument(help="Id of the entry.", min=1, max=2**31 - 1)],
    decision: Annotated[str, typer.Argument(help="pass | return")],
    level: Annotated[int, typer.Option("--level", help="1: the holder's technology-transfer office; 2: the office.",
                                       min=1, max=2)] = 1,
    reason: Annotated[str, typer.Option("--reason", help="Why (needed to return).")] = "",
    user: AsUser = None,
    as_json: AsJson = False,
) -> None:
    """Pass or return an entry at level 1 or 2; out-of-order and self-review are refused, naming the rule."""
    with _refusals(as_json):
        view = _service().review(entry, level, decision, _need_user(user), reason)
    _emit([view], as_json)


def queue(user: AsUser = None, as_json: AsJson = False) -> None:
    """The entries waiting for your review (first level for the holders you review for; second level for staff)."""
    with _refusals(as_json):
        found = _service().queue(_need_user(user))
    _emit(found, as_json)


def library(
    ipc: Annotated[str | None, typer.Option("--ipc", help="IPC prefix, e.g. H01M or \"G06F 16/\".")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Words in the title, holder or department.")] = None,
    grade: Annotated[str | None, typer.Option("--grade", help="A | B | C")] = None,
    intent: Annotated[str | None, typer.Option("--intent", help="transfer | licence | open_licence")] = None,
    as_json: AsJson = False,
) -> None:
    """The public resource library: entries passed at both levels with an intent to transfer or license."""
    with _refusals(as_json):
        found = _service().library_entries(ipc=ipc, text=text, grade=grade, intent=intent)
    for e in found:
        if as_json:
            print_json(e.as_dict())
        else:
            out.print(f"{e.number}  {e.grade}  {e.intent:<12} {e.holder}  {' '.join(e.ipc[:3])}  {e.title[:60]}")


def member(
    username: Annotated[str, typer.Argument(help="The user to add.")],
    holder: Holder,
    function: Annotated[str, typer.Option("--function", help="keeper | reviewer (first-level review)")] = "reviewer",
    user: AsUser = None,
) -> None:
    """Add a member to a holder's inventory (a keeper does): another keeper, or a first-level reviewer."""
    with _refusals(False):
        added = _service().add_member(holder, username, function, _need_user(user))
    out.print(f"{username} {'added as' if added else 'already a member; unchanged:'} {function} of {holder}")


def demo_csv(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")] = None,
    holder: Annotated[str | None, typer.Option("--holder", help="Default: the university-like owner with the most "
                                                                "granted rights in the register.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
) -> None:
    """A sample inventory CSV generated from the register: granted rights held by a university-like owner."""
    try:
        found_holder, text = _service().demo_csv(holder, limit)
    except LookupError as exc:
        console.print(f"[red]error:[/red] {exc.args[0]}")
        raise typer.Exit(2) from None
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    console.print(f"holder: {found_holder}")
