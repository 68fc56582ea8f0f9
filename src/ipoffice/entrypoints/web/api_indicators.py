"""``GET /api/v1/indicators``: statistics over the register as of a date (issue #18); ``GET
/api/v1/indicators/definitions``: each definition, every dated version, with its reference.

Errors are JSON ``{"error": {"field": …, "message": …}}`` with status 422, naming ``by``, ``measure``,
``as_of`` or ``definition_date``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.indicators import DIMENSIONS, MEASURES, OFFICE_LEVEL_DIMENSIONS
from ipoffice.entrypoints.web.deps import Context

router = APIRouter(prefix="/api/v1", tags=["api"])


@router.get("/indicators")
def indicators(
    ctx: Context,
    measure: Annotated[str, Query(min_length=1, max_length=300,
                                  description="Measures, comma-separated: " + ", ".join(MEASURES))],
    by: Annotated[str, Query(max_length=300, description="Dimensions, comma-separated: " + ", ".join(
        DIMENSIONS + OFFICE_LEVEL_DIMENSIONS))] = "",
    as_of: Annotated[date | None, Query(description="The register as it stood on this date (default: today)")] = None,
    definition_date: Annotated[date | None, Query(
        description="Definitions in force on this date (default: as_of)")] = None,
) -> dict[str, Any]:
    """One row per group: the dimensions, then the measures, e.g. ``{"year": 2010, "country": "US",
    "published": 123, "pendency_days_median": 1012}``; with the definition version used for each measure and,
    for a measure per 10,000 population, the population figure it divides by (``populations``)."""
    service = ctx.office.indicators
    try:
        result = service.compute(by, measure, as_of, definition_date)
    except InvalidField as exc:
        raise HTTPException(422, {"field": exc.field, "message": exc.reason}) from None
    return {"as_of": result.query.as_of.isoformat(), "definition_date": result.query.definitions_on.isoformat(),
            "by": list(result.query.by), "measures": list(result.query.measures),
            "definitions": service.used_definitions(result), "populations": service.used_populations(result),
            "rows": result.rows}


@router.get("/indicators/definitions")
def definitions(ctx: Context) -> list[dict[str, Any]]:
    return ctx.office.indicators.definitions()
