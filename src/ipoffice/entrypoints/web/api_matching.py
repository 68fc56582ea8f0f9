"""``/api/v1/match`` (GET or POST): rights in force that meet a need, in Chinese or English (issue #16);
``GET /api/v1/value/{number}``: the value indicators of a right, each explained.

A match answers ``{"need", "in_force_only", "matches": [{"number", "title", "score", "similarity", "coverage",
"status", "open_licence", "reasons": [...], "indicators": {...}}, ...]}``, best first; the need is kept in
the match log. Errors are JSON ``{"detail": {"field": …, "message": …}}`` with status 422 naming ``need``
or ``limit``; 404 naming ``number``; 503 while the semantic index is not built.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.matching import MAX_NEED_CHARS
from ipoffice.entrypoints.web.deps import Context
from ipoffice.services.matching import MAX_LIMIT

router = APIRouter(prefix="/api/v1", tags=["api"])


class MatchRequest(BaseModel):
    need: str = Field(min_length=1, max_length=MAX_NEED_CHARS,
                      description="The need: a product, problem or technique, in Chinese or English")
    limit: int = Field(10, ge=1, le=MAX_LIMIT)
    all: bool = Field(False, description="Also published applications and rights no longer in force")


def run_match(ctx: Context, request: MatchRequest) -> dict[str, Any]:
    try:
        matches = ctx.office.matcher().match(request.need, request.limit, in_force_only=not request.all,
                                             channel="api")
    except InvalidField as exc:
        raise HTTPException(422, {"field": exc.field, "message": exc.reason}) from None
    return {"need": request.need, "in_force_only": not request.all, "matches": [m.as_json() for m in matches]}


@router.get("/match")
def match_get(
    ctx: Context,
    need: Annotated[str, Query(min_length=1, max_length=MAX_NEED_CHARS, description="The need, Chinese or English")],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
    all: Annotated[bool, Query(description="Also applications and rights no longer in force")] = False,
) -> dict[str, Any]:
    """Rights that meet ``need``, best first, with the claim elements that match and why."""
    return run_match(ctx, MatchRequest(need=need, limit=limit, all=all))


@router.post("/match")
def match_post(ctx: Context, request: MatchRequest) -> dict[str, Any]:
    """The same as ``GET /api/v1/match``, the need in a JSON body (long needs)."""
    return run_match(ctx, request)


@router.get("/value/{number}")
def value(ctx: Context, number: str) -> dict[str, Any]:
    """``{"number", "title", "status", "indicators": {name: {"value", "explanation", …}}}``."""
    try:
        return ctx.office.value_indicators.of(number)
    except LookupError as exc:
        raise HTTPException(404, {"field": "number", "message": str(exc).strip("'\"")}) from None
    except ValueError as exc:
        raise HTTPException(422, {"field": "number", "message": str(exc)}) from None
