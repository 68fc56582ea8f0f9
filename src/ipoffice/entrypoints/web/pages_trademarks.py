"""The public trademark search page, ``/trademarks/search``, in Chinese and English: a mark (any script),
optional Nice classes and a date; the earlier marks most like it, each with its reasons
(services.trademark_similarity). Bad input is a 422 page naming the field in the page's language; what was
typed stays in the form."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.goods_relatedness import parse_nice_classes
from ipoffice.entrypoints.web.deps import Context, render

router = APIRouter(include_in_schema=False)
PAGE_LIMIT = 30


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text.strip() else None
    except ValueError:
        raise InvalidField("before", text, "not a date") from None


@router.get("/trademarks/search", response_class=HTMLResponse)
def trademark_search_page(
    request: Request, ctx: Context,
    mark: Annotated[str, Query(max_length=200)] = "",
    classes: Annotated[str, Query(max_length=200)] = "",
    before: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    form = {"mark": mark, "classes": classes, "before": before}
    if not mark.strip():
        return render(request, "trademark_search.html", form=form, results=None, error=None)
    try:
        wanted = parse_nice_classes(classes)
        results = ctx.office.trademark_similarity.earlier_marks(mark, wanted, _date(before), PAGE_LIMIT)
    except InvalidField as exc:
        return render(request, "trademark_search.html", 422, form=form, results=None, error=f"tm.error.{exc.field}")
    return render(request, "trademark_search.html", form=form, results=results, error=None)
