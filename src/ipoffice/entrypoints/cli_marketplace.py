"""CLI: the open-licence marketplace (issue #16) — ``offers`` (open-licence offers, filtered) and
``royalty-guidance NUMBER`` (the range of royalties in comparable contracts).

``ipoffice offers [--ipc H04L] [--text T] [--industry I] [--royalty-type T] [--max-rate P] [--max-amount A]
[--min-remaining-years Y] [--limit N] --json`` prints one JSON line per offer (``services.marketplace``):
``number``, ``publication_number``, ``title``, ``ipc``, ``industry``, ``products``, ``royalty``, ``status``,
``first_claim``, ``indicators``, ``guidance`` (and ``similarity`` with ``--text``). Exit 2 names a bad option.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.royalties import ROYALTY_TYPES
from ipoffice.entrypoints.cli_common import current_office, fail, print_json
from ipoffice.services.marketplace import OfferQuery, decimal_or_none

out = Console()


def register(app: typer.Typer) -> None:
    app.command("offers")(offers)
    app.command("royalty-guidance")(royalty_guidance)
    app.command("seed-offers")(seed_offers)


def _guidance_line(g: dict[str, Any]) -> str:
    if not g["enough"]:
        return str(g["message"])
    ranges = "; ".join(
        f"{r['type']} {r['count']}×" + (f" {r['min']}–{r['max']} (median {r['median']})" if "min" in r else "")
        + (f" {r['currency']}" if r.get("currency") else ("%" if r.get("figure") == "rate_percent" else ""))
        for r in g["ranges"])
    return f"{g['message']}: {ranges}"


def offers(
    ipc: Annotated[str | None, typer.Option(help="IPC prefix: H04L, H04L 9/, H04L 9/32.")] = None,
    text: Annotated[str | None, typer.Option(help="Free text in Chinese or English, compared by meaning.")] = None,
    industry: Annotated[str | None, typer.Option(help="Text found in the declared industry or products.")] = None,
    royalty_type: Annotated[str | None, typer.Option(help=" | ".join(ROYALTY_TYPES))] = None,
    max_rate: Annotated[str | None, typer.Option(help="Highest running royalty, percent (free ones too).")] = None,
    max_amount: Annotated[str | None, typer.Option(help="Highest lump sum or per-unit amount (free ones too).")] = None,
    min_remaining_years: Annotated[float | None, typer.Option(help="Fewest years of term left.")] = None,
    limit: Annotated[int, typer.Option(help="How many offers (1-100).")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per offer, a line each.")] = False,
) -> None:
    """Open-licence offers: rights in force under an open licence, with status, first claim, value indicators,
    royalty and royalty guidance."""
    try:
        query = OfferQuery(ipc, text, industry, royalty_type, decimal_or_none(max_rate, "max_rate"),
                           decimal_or_none(max_amount, "max_amount"), min_remaining_years, limit)
        found = current_office().marketplace.offers(query)
    except InvalidField as exc:
        raise fail(f"--{exc.field.replace('_', '-')}: {exc.reason}") from None
    if as_json:
        for offer in found:
            print_json(offer)
        return
    if not found:
        out.print("no open-licence offer meets these filters")
    for offer in found:
        term = offer["indicators"]["remaining_term"]["value"]
        out.print(f"[bold]{offer['number']}[/bold] ({offer['publication_number']}) {offer['title'] or ''}",
                  highlight=False)
        out.print(f"   royalty: {offer['royalty_summary']}; IPC {', '.join(offer['ipc']) or '—'}; "
                  f"{offer['status'].get('state')}; {term if term is not None else '?'} years left"
                  + (f"; industry {offer['industry']}" if offer["industry"] else ""), highlight=False)
        out.print(f"   guidance: {_guidance_line(offer['guidance'])}", highlight=False, style="dim")


def royalty_guidance(
    number: Annotated[str, typer.Argument(help="Application or publication number of the right.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """The range (min, median, max per royalty type) of royalties in comparable licence contracts (same IPC
    subclass, else class, else industry) and how many it rests on; says so when there are too few."""
    try:
        result = current_office().marketplace.royalty_guidance(number)
    except InvalidField as exc:
        raise fail(f"{exc.field}: {exc.reason}") from None
    except LookupError as exc:
        raise fail(str(exc).strip("'\"")) from None
    if as_json:
        print_json(result)
        return
    out.print(f"[bold]{result['number']}[/bold] {result['title'] or ''}", highlight=False)
    out.print(f"  {_guidance_line(result)}", highlight=False)
    out.print(f"  minimum {result['minimum']} ({result['reference']})", highlight=False, style="dim")


def seed_offers(as_json: Annotated[bool, typer.Option("--json", help="One JSON object per offer seeded.")] = False,
                ) -> None:
    """Demo offers: a few documents of the register become this office's granted utility models, under open
    licence with structured royalties (and licence contracts for royalty guidance); nothing when the register
    already has an open licence. Adds the demo offices and users."""
    from ipoffice.services.marketplace_demo import DemoOffers

    office = current_office()
    seeded = DemoOffers(office.procedures, office.recordals, office.register).seed(office.today())
    if as_json:
        for offer in seeded:
            print_json(offer.as_dict())
        return
    if not seeded:
        out.print("no offer seeded: the register already has an open licence, or no document with claims and IPC")
    for offer in seeded:
        out.print(f"{offer.number}  {offer.title[:60]}  (from {offer.source_document})  {offer.royalty}",
                  highlight=False)
