"""``GET /api/v1/trademarks/search``: word-mark similarity search (services.trademark_similarity).

The answer: ``{"mark", "classes", "before", "results": [{"number", "mark", "score", "classes", "filed",
"reasons": [{"kind", "score", "detail"}]}]}``, best first. Errors are JSON ``{"error": {"field": …,
"message": …}}`` with status 422, naming ``mark``, ``classes``, ``limit`` or ``before``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.goods_relatedness import parse_nice_classes
from ipoffice.entrypoints.web.deps import Context

router = APIRouter(prefix="/api/v1", tags=["api"])


@router.get("/trademarks/search")
def trademark_search(
    ctx: Context,
    mark: Annotated[str, Query(min_length=1, max_length=200, description="The mark's verbal element, any script")],
    classes: Annotated[str, Query(max_length=200, description="Nice classes wanted, comma-separated: 9,42")] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
    before: Annotated[date | None, Query(description="Only marks filed before this date")] = None,
    goods: Annotated[str, Query(max_length=2000, description="Goods and services wanted, as text")] = "",
) -> dict[str, Any]:
    """The earlier marks most similar to ``mark``, with the reasons (visual, phonetic, conceptual, containment,
    goods)."""
    try:
        wanted = parse_nice_classes(classes)
        found = ctx.office.trademark_similarity.earlier_marks(mark, wanted, before, limit, terms=goods)
    except InvalidField as exc:
        raise HTTPException(422, {"field": exc.field, "message": exc.reason}) from None
    return {"mark": mark, "classes": wanted, "before": before.isoformat() if before else None,
            "results": [e.as_json() for e in found]}
