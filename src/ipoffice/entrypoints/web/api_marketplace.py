"""The open-licence marketplace through the REST API (issue #16), the same JSON as ``ipoffice offers`` and
``ipoffice royalty-guidance``:

- ``GET /api/v1/offers?ipc=&text=&industry=&royalty_type=&max_rate=&max_amount=&min_remaining_years=&limit=``:
  ``{"offers": [...]}``, each offer as one line of ``ipoffice offers --json``;
- ``GET /api/v1/rights/{number}/royalty-guidance``: the royalty range of comparable contracts, or "too few".

A bad filter is a 422 ``{"error": {"message", "code": "invalid_field", "field"}}``; an unknown right a 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from ipoffice.domain.errors import InvalidField
from ipoffice.entrypoints.web.deps import Context
from ipoffice.services.marketplace import MAX_LIMIT, OfferQuery, decimal_or_none

router = APIRouter(prefix="/api/v1", tags=["api"])


def _invalid(exc: InvalidField) -> HTTPException:
    return HTTPException(422, {"message": str(exc), "code": "invalid_field", "field": exc.field})


@router.get("/offers")
def offers(ctx: Context,
           ipc: Annotated[str | None, Query(max_length=20, description="IPC prefix: H04L, H04L 9/")] = None,
           text: Annotated[str | None, Query(max_length=500, description="Free text, Chinese or English")] = None,
           industry: Annotated[str | None, Query(max_length=200)] = None,
           royalty_type: Annotated[str | None, Query(max_length=40)] = None,
           max_rate: Annotated[str | None, Query(max_length=20, description="percent")] = None,
           max_amount: Annotated[str | None, Query(max_length=30)] = None,
           min_remaining_years: Annotated[float | None, Query(ge=0, le=100)] = None,
           limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20) -> dict[str, Any]:
    """Open-licence offers meeting every filter given."""
    try:
        query = OfferQuery(ipc, text, industry, royalty_type, decimal_or_none(max_rate, "max_rate"),
                           decimal_or_none(max_amount, "max_amount"), min_remaining_years, limit)
        return {"offers": ctx.office.marketplace.offers(query)}
    except InvalidField as exc:
        raise _invalid(exc) from None


@router.get("/rights/{number}/royalty-guidance")
def royalty_guidance(ctx: Context, number: Annotated[str, Path(min_length=3, max_length=40,
                                                               pattern=r"^[A-Za-z0-9./ -]+$")]) -> dict[str, Any]:
    try:
        return ctx.office.marketplace.royalty_guidance(number)
    except InvalidField as exc:
        raise _invalid(exc) from None
    except LookupError as exc:
        raise HTTPException(404, {"message": str(exc.args[0]), "code": "no_right"}) from None
