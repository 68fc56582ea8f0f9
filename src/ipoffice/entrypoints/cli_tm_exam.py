"""CLI: ``tm earlier|refuse|oppose|cancel-non-use`` (relative grounds and third-party requests against CN
trademarks), ``tm watch add|list|remove|run|notices`` (watches) and ``tm madrid-feed FILE`` (the International
Bureau's Madrid transactions, an ST.66-shaped file: ``adapters.madrid_transactions``, recorded on the
``cn_madrid_trademark`` cases).

The commands join a ``tm`` group: this module adds them to the ``tm`` group another module registered before it
(trademark search adds ``tm search``), or creates the group — so each module can plug in on its own, in any
order of ``_COMMAND_MODULES``. Who acts is given with ``--as USERNAME`` (or IPOFFICE_USER), as for ``act``.
The opposition's reply and the decisions are ordinary acts: ``ipoffice act NUMBER reply_to_opposition``,
``register``, ``refuse_registration``.

Output: one JSON line per earlier mark, watch or notice. Exit status: 0 done; 1 refused by the procedure or a
field; 2 usage error, unknown case or user; 3 the user may not do this.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.trademark_conflicts import class_numbers
from ipoffice.entrypoints.cli_common import current_office, fail, print_json
from ipoffice.entrypoints.cli_procedures import AsUser, OnDate, Reason, _day, _errors, _maybe_day, _need_user
from ipoffice.services.madrid_feed import MadridFeed
from ipoffice.services.procedures import UnknownUser
from ipoffice.services.trademark_examination import TrademarkExamination
from ipoffice.services.trademark_watch import TrademarkWatches

TM_GROUP = "tm"
watch_app = typer.Typer(help="Watches: a right holder's mark watched against the marks published for opposition.",
                        no_args_is_help=True)

Classes = Annotated[str, typer.Option("--classes", help="Nice classes, comma-separated, e.g. 9,42.")]
Cite = Annotated[list[str] | None, typer.Option("--cite", help="Number of an earlier mark cited; repeat for several.")]


def tm_group(app: typer.Typer) -> typer.Typer:
    """The ``tm`` sub-app of ``app``: the one registered already, else a new one."""
    for group in app.registered_groups:
        if group.name == TM_GROUP and group.typer_instance is not None:
            return group.typer_instance
    tm = typer.Typer(help="Trademarks: search, relative-grounds examination, oppositions, watches.",
                     no_args_is_help=True)
    app.add_typer(tm, name=TM_GROUP)
    return tm


def register(app: typer.Typer) -> None:
    tm = tm_group(app)
    tm.command("earlier")(earlier)
    tm.command("refuse")(refuse)
    tm.command("oppose")(oppose)
    tm.command("cancel-non-use")(cancel_non_use)
    tm.command("madrid-feed")(madrid_feed)
    tm.add_typer(watch_app, name="watch")
    watch_app.command("add")(watch_add)
    watch_app.command("list")(watch_list)
    watch_app.command("remove")(watch_remove)
    watch_app.command("run")(watch_run)
    watch_app.command("notices")(watch_notices)


def _examination() -> TrademarkExamination:
    return current_office().trademark_examination


def _watches() -> TrademarkWatches:
    return current_office().trademark_watches


def earlier(
    number: Annotated[str, typer.Argument(help="Application number of a CN trademark case, e.g. CNT2026000001.")],
    user: AsUser = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="At most this many earlier marks.")] = 20,
) -> None:
    """The earlier marks conflicting with a trademark application (filed before it), best first: one JSON line
    each with number, mark, classes, score and reasons."""
    with _errors():
        grounds = _examination().relative_grounds(number, _need_user(user), limit)
    for mark in grounds.earlier:
        print_json(mark.as_dict())


def madrid_feed(
    path: Annotated[Path, typer.Argument(help="The IB's Madrid transactions, ST.66-shaped XML.", exists=True,
                                         dir_okay=False)],
    holder: Annotated[str, typer.Option("--holder", help="Registered user who holds the designations.")],
    representative: Annotated[str, typer.Option("--representative",
                                                help="Who files the designations for the holder.")],
    user: AsUser = None,
) -> None:
    """Record the International Bureau's transactions (designation, renewal, transfer, limitation, ceasing of
    effect) on the cn_madrid_trademark cases; ``--as`` the office staff recording them. One JSON line per
    transaction: registration number, action, day notified, case, outcome (recorded / already recorded)."""
    with _errors():
        fed = MadridFeed(current_office().procedures).feed_file(path, holder, representative, _need_user(user))
    for item in fed:
        print_json(item.as_dict())


def refuse(
    number: Annotated[str, typer.Argument(help="Application number of a CN trademark case.")],
    cite: Cite = None,
    classes: Annotated[str, typer.Option("--classes", help=(
        "Refuse only these Nice classes (partial refusal: the mark is published for the others)."))] = "",
    text: Annotated[str, typer.Option(help="The reasons of the refusal.")] = "",
    user: AsUser = None,
    on: OnDate = None,
    reason: Reason = None,
) -> None:
    """Refuse a trademark application on relative grounds, citing earlier marks (``--cite``, as ``tm earlier``
    lists them); with ``--classes``, for those classes only. Prints the case as JSON."""
    with _errors():
        refused = list(class_numbers(classes, "--classes")) if classes else None
        view = _examination().refuse(number, _need_user(user), cite or [], refused, text,
                                     _maybe_day(on, "--date"), reason)
    print_json(view.as_dict())


def oppose(
    number: Annotated[str, typer.Argument(help="Application number of a published CN trademark.")],
    grounds: Annotated[str, typer.Option(help="The grounds of the opposition.")] = "",
    cite: Cite = None,
    user: AsUser = None,
) -> None:
    """File an opposition against a mark published for opposition (Trademark Law Art. 33), as a third party,
    dated today; the applicant is notified and may reply within 30 days."""
    with _errors():
        view = _examination().third_party_request(number, "file_opposition", _need_user(user), grounds, cite or [])
    print_json(view.as_dict())


def cancel_non_use(
    number: Annotated[str, typer.Argument(help="Application number of a registered CN trademark.")],
    grounds: Annotated[str, typer.Option(help="The grounds of the request.")] = "",
    user: AsUser = None,
) -> None:
    """Request the cancellation of a registered mark not used for 3 consecutive years (Trademark Law Art. 49)."""
    with _errors():
        view = _examination().third_party_request(number, "request_non_use_cancellation", _need_user(user), grounds)
    print_json(view.as_dict())


def watch_add(
    mark: Annotated[str, typer.Argument(help="The mark to watch, e.g. LUMINA.")],
    classes: Classes = "",
    user: AsUser = None,
) -> None:
    """Watch a mark in some Nice classes (none: every class) for the right holder named with --as."""
    try:
        watch = _watches().add(_need_user(user), mark, classes)
    except (InvalidField, UnknownUser) as exc:
        raise fail(str(exc.args[0]) if isinstance(exc, UnknownUser) else str(exc), 1 if isinstance(
            exc, InvalidField) else 2) from None
    print_json(watch.as_dict())


def watch_list(user: AsUser = None) -> None:
    """The watches of the holder named with --as (without it: every watch)."""
    for watch in _watches().watches(user):
        print_json(watch.as_dict())


def watch_remove(watch_id: Annotated[int, typer.Argument(help="The watch's id.")], user: AsUser = None) -> None:
    """Remove one of your watches (and its notices)."""
    if not _watches().remove(watch_id, _need_user(user)):
        raise fail(f"no watch {watch_id} of {user}", 2)


def watch_run(
    on: Annotated[str | None, typer.Option("--date", help="The day of the run, YYYY-MM-DD (default today).")] = None,
) -> None:
    """Compare every watch with the marks published whose opposition period has not ended; one JSON line per new
    notice (a mark is notified once per watch)."""
    run = _watches().run(_day(on, "--date"))
    for notice in run.notices:
        print_json(notice.as_dict())
    typer.echo(f"{len(run.notices)} new notices ({run.watches} watches, {run.publications} publications open to "
               f"opposition on {run.today.isoformat()})", err=True)


def watch_notices(user: AsUser = None) -> None:
    """The notices of the holder named with --as (without it: all)."""
    for notice in _watches().notices(user):
        print_json(notice.as_dict())
