"""Pages of the IP protection centres: the public page of each centre (region, technical fields in force with
the announcement, published figures per field: requests, pass rate, days from request to grant, each with the
published cases behind it) and a centre's pre-examination queue for its staff (each request links
to the examiner's case page, where the pre-examination acts are taken)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ipoffice.entrypoints.web.deps import Context, StaffUser, render

router = APIRouter(include_in_schema=False)


@router.get("/centres", response_class=HTMLResponse)
def centres(request: Request, ctx: Context) -> HTMLResponse:
    today = ctx.office.today()
    service = ctx.office.centres  # the figures count every request; they list the published cases only
    return render(request, "centres.html", centres=service.centres(today), today=today, figures=service.figures(None),
                  region_figures=service.figures(None, by="region"))


@router.get("/centres/{code}/queue", response_class=HTMLResponse)
def centre_queue(request: Request, ctx: Context, user: StaffUser, code: str) -> HTMLResponse:
    items = ctx.office.centres.queue(code, user.username)
    return render(request, "centre_queue.html", code=code, items=items)
