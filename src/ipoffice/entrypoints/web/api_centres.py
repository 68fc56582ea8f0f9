"""``GET /api/v1/centres``: the IP protection centres with their configuration in force on a date (region, IPC
fields with the announcement, right types, registered applicants); ``GET /api/v1/centres/figures``: requests,
pass rate and days from request to grant (median, 90th percentile) per centre and field, each with the
application numbers the caller may see. Filing through a centre is ``POST /api/v1/cases`` with
``pre_examination_centre``.

Registered applicants (备案主体): ``GET /api/v1/centres/{code}/applicants?as_of=D`` (the rules files' and the
register's registrations, or those in force on D); ``POST /api/v1/centres/{code}/applicants``
``{applicant, from, until?, reference?}`` (the centre's staff) → 201; ``POST
/api/v1/centres/{code}/applicants/{applicant}/end`` ``{on}`` ends it (not registered from ``on``). A bad field is
a 422 ``{"error": {"message", "field", "code"}}``; someone else than the centre's staff gets 403."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from ipoffice.entrypoints.web import casework
from ipoffice.entrypoints.web.deps import Context, OptionalUser, RequiredUser

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


CentreCode = Annotated[str, Path(min_length=2, max_length=32, pattern=r"^[A-Za-z0-9-]+$")]
Username = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


@router.get("/centres/{code}/applicants")
def applicants(ctx: Context, code: CentreCode, as_of: Annotated[date | None, Query(
        description="Only the registrations in force on this day")] = None) -> list[dict[str, Any]]:
    """The registrations with the centre: ``applicant``, ``registered_on``, ``until`` (exclusive), ``reference``,
    ``source`` (rules | register), ``recorded_by``, and ``in_force`` with ``as_of``."""
    with casework.api_errors():
        return [r.as_dict(as_of) for r in ctx.office.centres.applicants(code, as_of)]


class RegistrationIn(BaseModel):
    applicant: str = Field(min_length=1, max_length=64, description="Username of the applicant")
    from_: str = Field(alias="from", min_length=10, max_length=10, description="First day, YYYY-MM-DD")
    until: str | None = Field(default=None, max_length=10, description="Day it ends (not included)")
    reference: str = Field(default="", max_length=200)


@router.post("/centres/{code}/applicants", status_code=201)
def register_applicant(ctx: Context, user: RequiredUser, code: CentreCode, body: RegistrationIn) -> dict[str, Any]:
    """Record an applicant's registration with the centre (by its staff, or an office above it)."""
    start = casework.api_day("from", body.from_)
    assert start is not None
    with casework.api_errors():
        made = ctx.office.centres.register_applicant(code, body.applicant, start, user.username,
                                                     casework.api_day("until", body.until), body.reference)
    return made.as_dict(start)


class EndIn(BaseModel):
    on: str = Field(min_length=10, max_length=10, description="First day without the registration, YYYY-MM-DD")


@router.post("/centres/{code}/applicants/{applicant}/end")
def deregister_applicant(ctx: Context, user: RequiredUser, code: CentreCode, applicant: Username,
                         body: EndIn) -> dict[str, Any]:
    """End the applicant's recorded registration with the centre: not registered from ``on``."""
    on = casework.api_day("on", body.on)
    assert on is not None
    with casework.api_errors():
        ended = ctx.office.centres.deregister_applicant(code, applicant, on, user.username)
    return {"applicant": applicant, "centre": code, "until": on.isoformat(),
            "ended": [d.isoformat() for d in ended]}
