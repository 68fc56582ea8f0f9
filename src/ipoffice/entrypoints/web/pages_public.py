"""Public pages (no login): search with facets, sorting, pagination and CSV export; the document page;
the register extract as HTML and PDF. Only what the register publishes is shown."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipoffice.domain.document import TextField
from ipoffice.domain.errors import DomainError
from ipoffice.domain.query import QueryError
from ipoffice.domain.query_limits import MAX_TEXT_CHARS
from ipoffice.domain.search import FACETS, SearchError, SearchHit, SearchRequest
from ipoffice.entrypoints.web import i18n
from ipoffice.entrypoints.web import snippets as marking
from ipoffice.entrypoints.web.deps import Context, WebContext, query_problem, render, search_unavailable_message
from ipoffice.entrypoints.web.similar import similar_documents
from ipoffice.services import portal_queries
from ipoffice.services.documents import DocumentNotFound, document_as_dict, get_document
from ipoffice.services.procedures import public_dict
from ipoffice.services.register_extract import build_extract, case_extract, extract_pdf, legal_status

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 10
# Sorting by date and the office / right type / status filters work on the best POOL matches of a query.
POOL = 500
EXPORT_LIMIT = 500
POST_FILTERS = ("country", "right_type", "legal_status")
ENGINE_FILTERS = ("country", "right_type")  # indexed fields: filtered by the search engine over every match
SORTS = ("relevance", "date_desc", "date_asc")


@dataclass
class SearchPage:
    q: str = ""
    mode: str = "bm25"
    sort: str = "relevance"
    page: int = 1
    filters: dict[str, str] = field(default_factory=dict)
    total: int = 0
    capped: bool = False
    hits: list[SearchHit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    error: str | None = None
    bad_query: bool = False  # the error is the query's (the page answers 422)
    pool: dict[str, portal_queries.PoolEntry] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PAGE_SIZE))


def run_search(ctx: WebContext, q: str, mode: str, sort: str, page: int, filters: dict[str, str],
               limit: int = PAGE_SIZE) -> SearchPage:
    """One page of results with facet counts.

    Keyword mode: the engine filters (office, right type) and sorts by date over every match. The legal
    status is derived from the register's events, not indexed, so filtering by it, and sorting the fused
    lists of semantic/hybrid modes, work on the best POOL hits (the page says "POOL+" then).
    """
    result = SearchPage(q=q, mode=mode, sort=sort, page=page, filters=filters)
    if not q.strip():
        return result
    service = ctx.search()
    engine_filters = tuple((name, value) for name, value in filters.items() if name in ENGINE_FILTERS)
    in_pool = {name: value for name, value in filters.items() if name not in ENGINE_FILTERS}
    keyword = mode == "bm25"
    base = SearchRequest(query=q, mode=mode, limit=POOL if keyword else 100, filters=engine_filters,
                         sort=sort if keyword else "relevance")
    start = (page - 1) * limit
    try:
        found = service.search(base)  # the best POOL: legal-status counts, pool filters, fused sorting
        page_found = service.search(replace(base, limit=limit, offset=start)) if keyword and not in_pool else None
        keyword_facets = service.facets(replace(base, mode="bm25", sort="relevance"), FACETS, 8)
    except (QueryError, SearchError, RecursionError, ValueError, OverflowError) as exc:
        if isinstance(exc, SearchError):
            result.error = search_unavailable_message(exc)
            return result
        problem = query_problem(exc)
        if problem is None:
            raise
        result.error = f"q: {problem['message']}" + (f" (position {problem['position']})" if "position" in problem
                                                      else "")
        result.bad_query = True
        return result
    shown = page_found.hits if page_found else []
    pool = portal_queries.pool_entries(ctx.register, [h.number for h in found.hits + shown])
    hits = [h for h in found.hits if h.number in pool]
    if page_found is not None:
        result.total = page_found.total
        result.hits = [h for h in shown if h.number in pool]
    else:
        for name, wanted in in_pool.items():
            hits = [h for h in hits if getattr(pool[h.number], name) == wanted]
        if not keyword and sort != "relevance":
            dated = [h for h in hits if pool[h.number].publication_date]
            undated = [h for h in hits if not pool[h.number].publication_date]
            dated.sort(key=lambda h: pool[h.number].publication_date or date.min, reverse=sort == "date_desc")
            hits = dated + undated
        capped = bool(in_pool) or (not keyword and sort != "relevance")
        result.total = len(hits) if capped else found.total
        result.capped = capped and found.total > len(found.hits)
        result.hits = hits[start:start + limit]
    result.pool = pool
    result.facets = {name: [(c.value, c.count) for c in counts] for name, counts in keyword_facets.items()}
    status_counts = Counter(pool[h.number].status for h in found.hits if h.number in pool)
    result.facets["legal_status"] = status_counts.most_common()
    return result


def _filters(request: Request) -> dict[str, str]:
    return {name: value for name in POST_FILTERS if (value := request.query_params.get(f"f_{name}"))}


Mode = Literal["bm25", "semantic", "hybrid"]
Sort = Literal["relevance", "date_desc", "date_asc"]


@router.get("/", response_class=HTMLResponse)
@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, ctx: Context,
    q: Annotated[str, Query(max_length=MAX_TEXT_CHARS)] = "",
    mode: Mode = "bm25",
    sort: Sort = "relevance",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    result = run_search(ctx, q, mode, sort, page, _filters(request))
    words = marking.query_words(q) if q and not result.error else []
    docs = {h.number: ctx.register.get(h.number) for h in result.hits}
    snippets = {n: marking.snippet(d, words, request.state.lang) for n, d in docs.items() if d is not None}
    return render(request, "search.html", 422 if result.bad_query else 200, result=result, snippets=snippets,
                  docs=docs, sorts=SORTS, modes=("bm25", "semantic", "hybrid"), query_fields=QUERY_FIELDS)


QUERY_FIELDS = ("txt", "ti", "ab", "cl", "pa", "in", "pn", "ic", "cpc", "pd", "ad")


@router.get("/search.csv")
def export_csv(
    request: Request, ctx: Context,
    q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT_CHARS)],
    mode: Mode = "bm25",
    sort: Sort = "relevance",
) -> Response:
    result = run_search(ctx, q, mode, sort, 1, _filters(request), limit=EXPORT_LIMIT)
    if result.error:
        raise HTTPException(422 if result.bad_query else 503, result.error)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rank", "number", "title", "publication_date", "office", "right_type", "legal_status", "score"])
    for rank, hit in enumerate(result.hits, start=1):
        entry = result.pool.get(hit.number)
        writer.writerow([rank, *map(formula_safe, [
            hit.number, hit.title or "", entry.publication_date.isoformat() if entry and entry.publication_date else "",
            entry.country if entry else "", entry.right_type if entry else "", entry.status if entry else ""]),
            f"{hit.score:.4f}"])
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="ipoffice-search.csv"'})


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def formula_safe(cell: str) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula (OWASP "CSV injection"): a cell that
    starts with ``= + - @``, a tab, CR or LF (also after leading spaces), or ``|``/``%`` (DDE), is prefixed
    with a single quote."""
    if cell.startswith(FORMULA_START) or cell.lstrip(" \t\r\n\u00a0\u3000").startswith(FORMULA_START):
        return "'" + cell
    return cell


def _published_document(ctx: WebContext, number: str) -> Any:
    try:
        return get_document(ctx.register, number)
    except (DocumentNotFound, DomainError):
        raise HTTPException(404, f"no published document {number!r} in the register") from None


def _published_case(request: Request, ctx: WebContext, number: str, *, extract: bool) -> HTMLResponse | None:
    """The page of a case of this office once it is published, found by application or publication number
    (before publication the public gets the 404 of an unknown number)."""
    view = ctx.procedures.published_case(number)
    if view is None:
        return None
    if extract:
        return render(request, "extract.html", extract=case_extract(public_dict(view)), today=date.today())
    return render(request, "public_case.html", case=public_dict(view), today=date.today())


def _document_or_case_page(request: Request, ctx: WebContext, number: str, *, extract: bool) -> Any:
    """The imported document ``number``; else the page of the published case of this office with that
    application or publication number (an HTMLResponse); else the 404."""
    try:
        return _published_document(ctx, number)
    except HTTPException:
        page = _published_case(request, ctx, number, extract=extract)
        if page is None:
            raise
        return page


@router.get("/documents/{number}", response_class=HTMLResponse)
def document_page(request: Request, ctx: Context, number: str) -> HTMLResponse:
    doc = _document_or_case_page(request, ctx, number, extract=False)
    if isinstance(doc, HTMLResponse):
        return doc
    data = document_as_dict(ctx.register, doc)
    lang = request.state.lang
    citing = portal_queries.cited_by(ctx.register, doc.number.compact, doc.number.without_kind)
    linked = portal_queries.resolve_cited(ctx.register, [c["number"] for c in data["citations"]])
    similar = similar_documents(ctx, doc, 8)
    crosslingual = similar_documents(ctx, doc, 5, crosslingual=True)
    claims_by_lang: dict[str, list[dict[str, Any]]] = {}
    for claim in data["claims"]:
        claims_by_lang.setdefault(claim["lang"], []).append(claim)
    claim_lang = lang if lang in claims_by_lang else next(iter(claims_by_lang), None)
    return render(
        request, "document.html", doc=doc, data=data, status=legal_status(doc), citing=citing, linked=linked,
        similar=similar, crosslingual=crosslingual, claims=claims_by_lang.get(claim_lang or "", []),
        claim_langs=sorted(claims_by_lang), title=_in_language(data["titles"], lang) or doc.mark_text or "",
        abstract=_in_language(data["abstracts"], lang), description=_in_language(data["description"], lang),
        semantic_available=_semantic_available(ctx),
        text_field=TextField,
    )


def _in_language(texts: dict[str, str], lang: str) -> str | None:
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), None)


def _semantic_available(ctx: WebContext) -> bool:
    return ctx.office.semantic.load() is not None


@router.get("/register/{number}", response_class=HTMLResponse)
def extract_page(request: Request, ctx: Context, number: str) -> HTMLResponse:
    doc = _document_or_case_page(request, ctx, number, extract=True)
    if isinstance(doc, HTMLResponse):
        return doc
    return render(request, "extract.html", extract=build_extract(doc), today=date.today())


@router.get("/register/{number}/extract.pdf")
def extract_pdf_download(request: Request, ctx: Context, number: str) -> Response:
    try:
        extract = build_extract(_published_document(ctx, number))
    except HTTPException:
        view = ctx.procedures.published_case(number)  # a published case of this office
        if view is None:
            raise
        extract = case_extract(public_dict(view))
    t = i18n.Translator(request.state.lang)
    pdf = extract_pdf(extract, t, t.date, date.today())
    filename = f"register-extract-{extract.number}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@router.get("/lang/{code}")
def switch_language(request: Request, code: str, next: str = "/") -> Response:
    if code not in i18n.LANGUAGES:
        raise HTTPException(404, f"unknown language {code!r}")
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(i18n.COOKIE, code, max_age=365 * 86400, samesite="lax")
    return response
