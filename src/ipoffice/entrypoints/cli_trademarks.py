"""CLI: ``tm search`` (word-mark similarity) and ``tm index`` (rebuild its index from the register).

``tm search --json`` prints one JSON line per earlier mark, best first, that scripts depend on:
``{"number", "mark", "score", "classes", "filed", "reasons": [{"kind", "score", "detail"}]}``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.goods_relatedness import parse_nice_classes
from ipoffice.entrypoints.cli_common import current_office, fail, parse_before, print_json

tm_app = typer.Typer(help="Trademarks: word-mark similarity search.", no_args_is_help=True)
out = Console()


def register(app: typer.Typer) -> None:
    app.add_typer(tm_app, name="tm")


@tm_app.command("search")
def search(
    mark: Annotated[str, typer.Argument(help="The mark's verbal element, any script (\"XIAOMI\", \"小米\").")],
    classes: Annotated[str | None, typer.Option("--classes", help="Nice classes wanted, e.g. 9,42.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many earlier marks (1-1000).")] = 20,
    before: Annotated[str | None, typer.Option("--before", help="Only marks filed before YYYY-MM-DD.")] = None,
    goods: Annotated[str | None, typer.Option("--goods", help="Goods and services wanted, as text.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per earlier mark.")] = False,
) -> None:
    """The earlier marks most similar to MARK, best first, with the reasons (visual, phonetic, conceptual,
    containment, goods)."""
    try:
        wanted = parse_nice_classes(classes or "")
        found = current_office().trademark_similarity.earlier_marks(
            mark, wanted, parse_before(before), limit, terms=goods or "")
    except InvalidField as exc:
        raise fail(f"{'MARK' if exc.field == 'mark' else '--' + exc.field}: {exc.reason} (got {exc.value!r})") from None
    if as_json:
        for earlier in found:
            print_json(earlier.as_json())
        return
    table = Table("number", "mark", "score", "classes", "reasons")
    for earlier in found:
        table.add_row(earlier.number, earlier.mark, f"{earlier.score:.3f}", ",".join(map(str, earlier.classes)),
                      "; ".join(f"{r.kind.value}: {r.detail}" for r in earlier.reasons))
    out.print(table)


@tm_app.command("index")
def index() -> None:
    """Rebuild the word-mark similarity index from the register's marks."""
    count = current_office().trademark_similarity.rebuild()
    out.print(f"{count} marks indexed")
