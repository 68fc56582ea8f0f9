"""Portal page of a right after grant (issue #16): ``/rights/{number}?as_of=D`` shows its legal status, owners,
licences in force, open licence, pledges, annual-fee schedule (due dates, amounts, reductions), alerts and the
registered recordals, in the page's language — the same data as ``GET /api/v1/rights/{number}``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ipoffice.entrypoints.web import casework
from ipoffice.entrypoints.web.auth import session_user
from ipoffice.entrypoints.web.deps import Context, render

router = APIRouter()


@router.get("/rights/{number}", response_class=HTMLResponse)
def right_page(request: Request, ctx: Context, number: str,
               as_of: Annotated[date | None, Query(description="The day (default today)")] = None) -> HTMLResponse:
    user = session_user(request)
    with casework.http_errors():
        right = ctx.office.recordals.right(number, user.username if user else None, as_of)
    return render(request, "right.html", right=right)
