"""The matching page (issue #16), public, in Chinese and English: ``/match?need=…[&limit=N][&all=1]``.

A need in either language; the rights in force that meet it, best first, each with the claim elements that
match and why (in the page's language, from the figures), open-licence offers marked, and the value
indicators (their explanations are in English). Bad input is a 422 page naming the field in the page's
language; the need stays in the form.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.matching import MAX_NEED_CHARS
from ipoffice.entrypoints.web.deps import Context, render, translator
from ipoffice.services.matching import MAX_LIMIT

router = APIRouter(include_in_schema=False)
LIMITS = (10, 20, 50)


def _error(request: Request, exc: InvalidField) -> str:
    t = translator(request)
    if exc.field == "limit":
        reason = t("match.reason.limit", n=MAX_LIMIT)
    elif "long" in exc.reason:
        reason = t("match.reason.need_long", n=f"{MAX_NEED_CHARS:,}")
    else:
        reason = t("match.reason.need_empty")
    return t("match.error", field=t(f"match.field.{exc.field}"), reason=reason)


@router.get("/match", response_class=HTMLResponse)
def match_page(
    request: Request, ctx: Context,
    need: Annotated[str | None, Query(max_length=4 * MAX_NEED_CHARS)] = None,
    limit: Annotated[str, Query(max_length=8)] = "10",
    all: Annotated[str, Query(max_length=8)] = "",
) -> HTMLResponse:
    values: dict[str, Any] = {"need": need or "", "limit": limit, "all": bool(all), "limits": LIMITS,
                              "matches": None, "error": None}
    if need is None:  # the empty form
        return render(request, "match.html", **values)
    try:
        try:
            count = int(limit)
        except ValueError:
            raise InvalidField("limit", limit, "not a whole number") from None
        matches = ctx.office.matcher().match(need, count, in_force_only=not all, channel="portal")
    except InvalidField as exc:
        return render(request, "match.html", 422, **{**values, "error": _error(request, exc)})
    return render(request, "match.html", **{**values, "matches": matches})
