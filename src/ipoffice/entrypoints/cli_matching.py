"""CLI: utilization (issue #16) — ``match`` (need → patent matching), ``value`` (value indicators of a right),
``match-log`` (the statistics of the needs matched).

``ipoffice match "NEED TEXT" [--limit N] [--all] --json`` prints one JSON line per right: ``number``,
``score``, ``open_licence``, ``reasons`` (the claim elements that meet the need, and why), ``status``,
``indicators``. ``ipoffice value NUMBER --json``: ``{"number", "title", "status", "indicators"}``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.search import SemanticIndexMissing
from ipoffice.entrypoints.cli_common import current_office, fail, print_json

out = Console()


def register(app: typer.Typer) -> None:
    app.command("match")(match)
    app.command("value")(value)
    app.command("match-log")(match_log)


def match(
    need: Annotated[str, typer.Argument(help="The need: a product, problem or technique, in Chinese or English.")],
    limit: Annotated[int, typer.Option(help="How many rights (1-100).")] = 10,
    all_: Annotated[bool, typer.Option("--all", help="Also published applications and rights no longer in force "
                                                     "(each with its status).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per right, a line each.")] = False,
) -> None:
    """Rights in force that meet a need, best first, with the claim elements that match and why (the need
    is kept in the match log for the office's statistics)."""
    office = current_office()
    try:
        matches = office.matcher().match(need, limit, in_force_only=not all_, channel="cli")
    except InvalidField as exc:
        raise fail(f"{exc.field}: {exc.reason}") from None
    except SemanticIndexMissing as exc:
        raise fail(f"{exc} (run `ipoffice index rebuild`)") from None
    if as_json:
        for m in matches:
            print_json(m.as_json())
        return
    if not matches:
        out.print("no right in force meets this need")
    for rank, m in enumerate(matches, start=1):
        offer = " [green]open licence[/green]" if m.open_licence else ""
        out.print(f"[bold]{rank}. {m.number}[/bold] {m.score:.3f} ({m.status}){offer} {m.title or ''}",
                  highlight=False)
        for r in m.reasons:
            out.print(f"   {r.label} {r.score:.2f} — {r.element[:100]}", highlight=False)
            out.print(f"      {r.why}", highlight=False, style="dim")


def value(
    number: Annotated[str, typer.Argument(help="Publication number, e.g. US8421615B2 or CN116226907A.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Value indicators of a right, each with its explanation: remaining term, forward citations, family size,
    claim count and breadth, legal events."""
    try:
        result = current_office().value_indicators.of(number)
    except LookupError as exc:
        raise fail(str(exc).strip("'\"")) from None
    except ValueError as exc:  # a number that does not parse
        raise fail(f"number: {exc}") from None
    if as_json:
        print_json(result)
        return
    out.print(f"[bold]{result['number']}[/bold] ({result['status']}) {result['title'] or ''}", highlight=False)
    for name, indicator in result["indicators"].items():
        out.print(f"  {name}: {indicator['value']} — {indicator['explanation']}", highlight=False)


def match_log(as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False) -> None:
    """Statistics of the needs matched: how many, by language and channel, without result, rights returned most."""
    from ipoffice.adapters.match_log import MatchLog

    stats = MatchLog(current_office().register.engine).statistics()
    if as_json:
        print_json(stats)
        return
    out.print(f"needs matched: {stats['needs']} (by language {stats['by_language']}, by channel "
              f"{stats['by_channel']}; {stats['needs_without_result']} without result)", highlight=False)
    for row in stats["rights_returned_most"]:
        out.print(f"  {row['number']}: {row['needs']} need(s)", highlight=False)
