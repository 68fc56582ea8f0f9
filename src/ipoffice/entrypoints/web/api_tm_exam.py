"""JSON API of trademark examination, oppositions and watches (``/api/v1/trademarks/…``), for logged-in users
(``Authorization: Bearer <token>``):

- ``GET  /trademarks/cases/{number}/earlier-marks``: the earlier conflicting marks of a CN trademark case;
- ``POST /trademarks/cases/{number}/refusal``: refuse on relative grounds citing earlier marks (in full, or for
  some Nice classes);
- ``POST /trademarks/cases/{number}/oppositions``: file an opposition (a third party, within the 3-month period);
- ``POST /trademarks/cases/{number}/non-use-cancellations``: request cancellation for 3 years of non-use;
- ``GET|POST /trademarks/watches``, ``DELETE /trademarks/watches/{id}``, ``GET /trademarks/watches/notices``:
  the caller's watches and their notices; ``POST /trademarks/watches/run``: the run (office staff).

Refusals: 404 unknown or invisible case, 403 not permitted, 409 not allowed in the state, 422 a field or a legal
condition (the message names it)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, Field

from ipoffice.entrypoints.web import casework
from ipoffice.entrypoints.web.deps import Context, RequiredUser
from ipoffice.services.procedures import CaseView, limit_as_dict, public_dict

router = APIRouter(prefix="/api/v1/trademarks", tags=["trademarks"])

CaseNumber = Annotated[str, Path(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9./ -]+$")]
WatchId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class Problem(BaseModel):
    detail: Any


RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem}, 409: {"model": Problem},
    422: {"model": Problem}}
MarkNumber = Annotated[str, Field(min_length=1, max_length=40)]


class RefusalIn(BaseModel):
    earlier_marks: list[MarkNumber] = Field(default_factory=list, max_length=50,
                                            description="Numbers of the earlier marks cited")
    refused_classes: list[Annotated[int, Field(ge=1, le=45)]] = Field(default_factory=list, max_length=45, description=(
        "Nice classes refused (a partial refusal); empty: the whole application is refused"))
    text: str = Field(default="", max_length=20_000)


class RequestIn(BaseModel):
    grounds: str = Field(default="", max_length=20_000)
    earlier_marks: list[MarkNumber] = Field(default_factory=list, max_length=50,
                                            description="Numbers of the earlier marks cited")


class WatchIn(BaseModel):
    mark: str = Field(min_length=1, max_length=200)
    classes: list[Annotated[int, Field(ge=1, le=45)]] = Field(default_factory=list, max_length=45,
                                                              description="Nice classes; empty: every class")


class RunIn(BaseModel):
    date: str | None = Field(default=None, max_length=10, description="YYYY-MM-DD; default today")


@router.get("/cases/{number}/earlier-marks", responses=RESPONSES)
def earlier_marks(ctx: Context, user: RequiredUser, number: CaseNumber) -> dict[str, Any]:
    """The mark and classes of the case and the earlier marks conflicting with it, best first."""
    with casework.http_errors():
        grounds = ctx.office.trademark_examination.relative_grounds(number, user.username)
    return {"number": number, "mark": grounds.mark, "classes": list(grounds.classes),
            "earlier_marks": [m.as_dict() for m in grounds.earlier]}


@router.post("/cases/{number}/refusal", responses=RESPONSES)
def refusal(ctx: Context, user: RequiredUser, number: CaseNumber, body: RefusalIn) -> dict[str, Any]:
    """Refuse the application on relative grounds, citing earlier marks of the case (examiners)."""
    with casework.http_errors():
        view = ctx.office.trademark_examination.refuse(number, user.username, body.earlier_marks,
                                                       body.refused_classes or None, body.text)
    return view.as_dict()


def _request(ctx: Context, user: RequiredUser, number: str, action: str, body: RequestIn) -> dict[str, Any]:
    with casework.http_errors():
        view = ctx.office.trademark_examination.third_party_request(number, action, user.username, body.grounds,
                                                                    body.earlier_marks)
    return _as_public(view)


def _as_public(view: CaseView) -> dict[str, Any]:
    """What the requester sees of the case afterwards: its published data and time limits (the file is the
    parties')."""
    data = public_dict(view)
    data["open_time_limits"] = [limit_as_dict(t) for t in view.case.open_time_limits]
    return data


@router.post("/cases/{number}/oppositions", status_code=201, responses=RESPONSES)
def file_opposition(ctx: Context, user: RequiredUser, number: CaseNumber, body: RequestIn) -> dict[str, Any]:
    """File an opposition to a mark published for opposition (Trademark Law Art. 33), dated today."""
    return _request(ctx, user, number, "file_opposition", body)


@router.post("/cases/{number}/non-use-cancellations", status_code=201, responses=RESPONSES)
def request_non_use_cancellation(ctx: Context, user: RequiredUser, number: CaseNumber,
                                 body: RequestIn) -> dict[str, Any]:
    """Request the cancellation of a mark registered 3 years or more for non-use (Trademark Law Art. 49)."""
    return _request(ctx, user, number, "request_non_use_cancellation", body)


@router.get("/watches", responses=RESPONSES)
def watches(ctx: Context, user: RequiredUser) -> list[dict[str, Any]]:
    return [w.as_dict() for w in ctx.office.trademark_watches.watches(user.username)]


@router.post("/watches", status_code=201, responses=RESPONSES)
def add_watch(ctx: Context, user: RequiredUser, body: WatchIn) -> dict[str, Any]:
    """Watch a mark in some Nice classes: the caller is notified of each conflicting publication."""
    with casework.http_errors():
        return ctx.office.trademark_watches.add(user.username, body.mark, body.classes).as_dict()


@router.delete("/watches/{watch_id}", status_code=204, responses=RESPONSES)
def remove_watch(ctx: Context, user: RequiredUser, watch_id: WatchId) -> None:
    if not ctx.office.trademark_watches.remove(watch_id, user.username):
        raise HTTPException(404, f"no watch {watch_id} of {user.username}")


@router.get("/watches/notices", responses=RESPONSES)
def watch_notices(ctx: Context, user: RequiredUser) -> list[dict[str, Any]]:
    return [n.as_dict() for n in ctx.office.trademark_watches.notices(user.username)]


@router.post("/watches/run", responses=RESPONSES)
def run_watches(ctx: Context, user: RequiredUser, body: RunIn) -> dict[str, Any]:
    """Run every watch against the open publications (office staff); the new notices."""
    if not user.is_staff:
        raise HTTPException(403, "the watch run is an office job: office staff only")
    try:
        day = date.fromisoformat(body.date) if body.date else None
    except ValueError:
        raise HTTPException(422, {"field": "date", "message": "expected YYYY-MM-DD"}) from None
    run = ctx.office.trademark_watches.run(day)
    return {"date": run.today.isoformat(), "watches": run.watches, "publications": run.publications,
            "notices": [n.as_dict() for n in run.notices]}
