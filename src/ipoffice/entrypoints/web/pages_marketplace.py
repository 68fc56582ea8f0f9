"""The open-licence marketplace page (issue #16), public, in Chinese and English:
``/marketplace?text=&ipc=&industry=&royalty_type=&max_rate=&max_amount=&min_remaining_years=&limit=``.

Each offer: the right (linked to ``/rights/{number}``), its status (procedure state and WIPO ST.27 category),
royalty, declared industry and products, first independent claim, value indicators and royalty guidance. A bad
filter is a 422 page naming the field in the page's language, the filters kept in the form.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.royalties import ROYALTY_TYPES
from ipoffice.entrypoints.web.deps import Context, render, translator
from ipoffice.services.marketplace import MAX_LIMIT, OfferQuery, decimal_or_none

router = APIRouter(include_in_schema=False)
LIMITS = (20, 50, 100)
_REASONS = {"ipc": "market.reason.ipc", "royalty_type": "market.reason.royalty_type", "max_amount":
            "market.reason.number", "max_rate": "market.reason.rate", "min_remaining_years": "market.reason.years",
            "text": "market.reason.text", "industry": "market.reason.text"}


def _error(request: Request, exc: InvalidField) -> str:
    t = translator(request)
    reason = t("market.reason.limit", n=MAX_LIMIT) if exc.field == "limit" else t(_REASONS.get(
        exc.field, "market.reason.number"))
    return t("market.error", field=t(f"market.field.{exc.field}"), reason=reason)


def _years(raw: str) -> float | None:
    if not raw.strip():
        return None
    try:
        return float(raw)
    except ValueError:
        raise InvalidField("min_remaining_years", raw, "must be a number of years") from None


def _limit(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise InvalidField("limit", raw, "not a whole number") from None


@router.get("/marketplace", response_class=HTMLResponse)
def marketplace_page(
    request: Request, ctx: Context,
    text: Annotated[str, Query(max_length=2000)] = "",
    ipc: Annotated[str, Query(max_length=100)] = "",
    industry: Annotated[str, Query(max_length=2000)] = "",
    royalty_type: Annotated[str, Query(max_length=40)] = "",
    max_rate: Annotated[str, Query(max_length=40)] = "",
    max_amount: Annotated[str, Query(max_length=40)] = "",
    min_remaining_years: Annotated[str, Query(max_length=40)] = "",
    limit: Annotated[str, Query(max_length=8)] = "20",
) -> HTMLResponse:
    values: dict[str, Any] = {"text": text, "ipc": ipc, "industry": industry, "royalty_type": royalty_type,
                              "max_rate": max_rate, "max_amount": max_amount,
                              "min_remaining_years": min_remaining_years, "limit": limit, "limits": LIMITS,
                              "royalty_types": ROYALTY_TYPES, "offers": None, "error": None}
    try:
        query = OfferQuery(ipc or None, text or None, industry or None, royalty_type or None,
                           decimal_or_none(max_rate, "max_rate"), decimal_or_none(max_amount, "max_amount"),
                           _years(min_remaining_years), _limit(limit))
        offers = ctx.office.marketplace.offers(query)
    except InvalidField as exc:
        return render(request, "marketplace.html", 422, **{**values, "error": _error(request, exc)})
    return render(request, "marketplace.html", **{**values, "offers": offers})
