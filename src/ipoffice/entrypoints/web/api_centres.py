"""``GET /api/v1/centres``: the IP protection centres with their configuration in force on a date (region, IPC
fields with the announcement, right types, registered applicants); ``GET /api/v1/centres/figures``: requests,
pass rate and days from request to grant (median, 90th percentile) per centre and field, each with the
application numbers the caller may see. Filing through a centre is ``POST /api/v1/cases`` with
``pre_examination_centre``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from ipoffice.entrypoints.web.deps import Context, OptionalUser

router = APIRouter(prefix="/api/v1", tags=["api"])


@router.get("/centres")
def centres(ctx: Context, on: Annotated[date | None, Query(
        description="The day whose configuration is shown (default: today)")] = None) -> list[dict[str, Any]]:
    """Each protection centre: ``code``, ``name``, ``kind``, ``region``, ``fields`` (IPC classes/groups),
    ``right_types``, ``fields_from``, ``fields_reference``, ``registered_applicants``."""
    return [v.as_dict() for v in ctx.office.centres.centres(on or ctx.office.today())]


@router.get("/centres/figures")
def figures(ctx: Context, user: OptionalUser) -> list[dict[str, Any]]:
    """Per centre and field: ``requests``, ``passed``, ``refused``, ``pass_rate`` (null before any opinion),
    ``granted``, ``median_days_to_grant``, ``p90_days_to_grant``, ``cases`` (those the caller may see)."""
    return [f.as_dict() for f in ctx.office.centres.figures(user.username if user else None)]
