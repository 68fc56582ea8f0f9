"""Recordals on a granted right through the REST API (issue #16), the same JSON as ``ipoffice recordal …``,
``ipoffice recordals`` and ``ipoffice right``:

- ``POST /api/v1/recordals`` (logged in): file a request ``{number, type, payload, date?}`` → 201, the request
  with its id, state and examination;
- ``GET /api/v1/recordals?number=N``: the requests (registered ones for anyone; all for parties and staff);
- ``POST /api/v1/recordals/{id}/decision`` (a registrar): ``{decision: register|refuse, date?}``;
- ``POST /api/v1/recordals/{id}/fee-payment``: ``{date?}``, pay the request's fee (registration waits for it);
- ``GET /api/v1/rights/{number}?as_of=D``: owners, licences, open licence, pledges, status, annual fees, alerts.

A consistency rule broken is a 422 ``{"error": {"message", "code", "params"}}`` whose ``code`` names the rule
(``ipoffice.domain.recordals``); other refusals as the procedures' API answers them (404, 403, 422)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.procedures.base import ActionRefused
from ipoffice.domain.recordals import TYPES
from ipoffice.entrypoints.web import casework
from ipoffice.entrypoints.web.deps import Context, OptionalUser, RequiredUser
from ipoffice.services.recordals import RecordalService, RequestNotFound

router = APIRouter(prefix="/api/v1", tags=["api"])

RightNumber = Annotated[str, Path(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9./ -]+$")]


def _service(ctx: Context) -> RecordalService:
    return ctx.office.recordals


@contextmanager
def _errors() -> Iterator[None]:
    with casework.http_errors():
        try:
            yield
        except RequestNotFound as exc:
            raise HTTPException(404, {"message": str(exc.args[0]), "code": "no_request"}) from None
        except ActionRefused as exc:
            raise HTTPException(422, {"message": str(exc.reason), "code": exc.code,
                                      "params": {k: str(v) for k, v in exc.params.items()}}) from None
        except InvalidField as exc:
            raise HTTPException(422, {"message": str(exc), "code": "invalid_field", "field": exc.field}) from None


def _day(field: str, text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise HTTPException(422, {"field": field, "message": "expected YYYY-MM-DD"}) from None


class RecordalIn(BaseModel):
    number: str = Field(min_length=3, max_length=40, description="Application number of the granted right")
    type: str = Field(max_length=40, description=" | ".join(TYPES))
    payload: dict[str, Any] = Field(default_factory=dict, description=(
        "transfer {assignees}; name_change {old_name, new_name}; licence {kind, licensee, contract_effective, "
        "ends?, royalty?, industry?, products?}; pledge {pledgee, amount?}; pledge_release {pledge}; open_licence "
        "{royalty: {type, rate_percent?, amount?, currency?, basis?, text?} or text, ends?, industry?, products?}; "
        "open_licence_take {licensee}; any: agreed_by, consents, note"))
    date: str | None = Field(default=None, max_length=10, description=(
        "YYYY-MM-DD; a party's request is dated the day the office receives it, a registrar may give an earlier day"))


class DecisionIn(BaseModel):
    decision: Literal["register", "refuse"]
    date: str | None = Field(default=None, max_length=10)


@router.post("/recordals", status_code=201)
def file_recordal(ctx: Context, user: RequiredUser, body: RecordalIn) -> dict[str, object]:
    """File a recordal request on a granted right."""
    with _errors():
        view = _service(ctx).file(body.number, body.type, user.username, body.payload, _day("date", body.date))
    return view.as_dict()


@router.get("/recordals")
def list_recordals(ctx: Context, user: OptionalUser,
                   number: Annotated[str | None, Query(max_length=40)] = None) -> list[dict[str, object]]:
    with _errors():
        found = _service(ctx).requests(user.username if user else None, number)
    return [r.as_dict() for r in found]


@router.post("/recordals/{request_id}/decision")
def decide_recordal(ctx: Context, user: RequiredUser, request_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                    body: DecisionIn) -> dict[str, object]:
    """Register or refuse a filed request (a registrar of the handling office or above)."""
    with _errors():
        view = _service(ctx).decide(request_id, body.decision, user.username, _day("date", body.date))
    return view.as_dict()


class PaymentIn(BaseModel):
    date: str | None = Field(default=None, max_length=10)


@router.post("/recordals/{request_id}/fee-payment")
def pay_recordal_fee(ctx: Context, user: RequiredUser, request_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                     body: PaymentIn) -> dict[str, object]:
    """Pay the fee of a filed request (its filer, an owner, the agent or a registrar)."""
    with _errors():
        view = _service(ctx).pay_fee(request_id, user.username, _day("date", body.date))
    return view.as_dict()


@router.get("/rights/{number}")
def right(ctx: Context, user: OptionalUser, number: RightNumber,
          as_of: Annotated[date | None, Query(description="The day (default today)")] = None) -> dict[str, object]:
    with _errors():
        return _service(ctx).right(number, user.username if user else None, as_of)
