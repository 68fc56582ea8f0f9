"""Public pages (no login): search with facets, sorting, pagination and CSV export; the document page;
the register extract as HTML and PDF. Only what the register publishes is shown."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Match

from ipoffice.domain.document import TextField
from ipoffice.domain.errors import DomainError
from ipoffice.domain.query import QueryError, refine
from ipoffice.domain.query_limits import MAX_TEXT_CHARS
from ipoffice.domain.search import FACETS, MODES, SearchError, SearchHit, SearchRequest
from ipoffice.entrypoints.web import i18n
from ipoffice.entrypoints.web import snippets as marking
from ipoffice.entrypoints.web.deps import Context, WebContext, query_problem_text, render, search_unavailable_message
from ipoffice.entrypoints.web.similar import similar_documents
from ipoffice.services import portal_queries
from ipoffice.services.documents import DocumentNotFound, document_as_dict, get_document
from ipoffice.services.procedures import public_dict
from ipoffice.services.register_extract import build_extract, case_extract, extract_pdf, legal_status
from ipoffice.services.search import SearchService

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 10
# Keyword mode: the legal-status facet and filter, which are derived from the register's events and not
# indexed, work on the best POOL matches of the query (the page says "among the best POOL" when there are more).
POOL = 500
# Semantic and hybrid modes: the candidates retrieved (the nearest by similarity, or the fused best), all
# pageable; their facets and filters work on these.
DENSE_POOL = 100
EXPORT_LIMIT = 500
FACET_SIZE = 8
POST_FILTERS = (*FACETS, "legal_status")  # f_<name> query parameters
SORTS = ("relevance", "date_desc", "date_asc")
# Keyword mode refines the query itself for these facets (as Espacenet does), so the refinement shows in the
# query box and the CSV/API reproduce it; the clause matches exactly the documents the facet counts.
QUERY_FACETS = {"ipc_section": "(ic={v} OR cpc={v})", "ipc_class": "(ic={v} OR cpc={v})",
                "year": 'pd within "{v} {v}"'}


@dataclass
class SearchPage:
    q: str = ""  # as typed
    mode: str = "bm25"
    sort: str = "relevance"
    page: int = 1
    filters: dict[str, str] = field(default_factory=dict)
    query: str = ""  # as searched: ``q``, or the number search it reads as
    total: int = 0
    pool_size: int = 0  # pool mode: the candidates the total is counted among
    capped: bool = False  # keyword pool mode: the query matches more than the POOL counted
    hits: list[SearchHit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    error: str | None = None
    bad_query: bool = False  # the error is the query's (the page answers 422)
    pool: dict[str, portal_queries.PoolEntry] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PAGE_SIZE))

    @property
    def in_pool(self) -> bool:
        """Results, counts and facets come from a pool of candidates (semantic, hybrid, or keyword with a
        legal-status filter), not from every match of the engine."""
        return self.mode != "bm25" or "legal_status" in self.filters

    def facet_params(self, name: str, value: str) -> dict[str, str | int]:
        """The query parameters of a facet link: the query refined (keyword mode: IPC, year) or a filter."""
        if not self.in_pool and name in QUERY_FACETS:  # the mode too: a number search is keyword whatever asked
            return {"q": refine(self.query, QUERY_FACETS[name].format(v=value)), "mode": self.mode, "page": 1}
        return {f"f_{name}": value, "page": 1}


def run_search(ctx: WebContext, q: str, mode: str, sort: str, page: int, filters: dict[str, str],
               limit: int = PAGE_SIZE, t: i18n.Translator | None = None) -> SearchPage:
    """One page of results with facet counts; every facet value counts exactly the results its link lists.

    Keyword mode searches, filters, sorts and counts facets over every match, except the legal status, which
    is derived from the register's events, not indexed: its counts and filter work on the best POOL matches.
    Semantic and hybrid modes rank a fixed pool of candidates (DENSE_POOL), which is what they count, filter
    and page. A query that is just a number (``8421271``, ``US 2022/0159901 A1``) is a number search when
    that finds something. A page past the last shows the last. ``t``: the language of an error, English by
    default.
    """
    t = t or i18n.Translator("en")
    result = SearchPage(q=q, mode=mode, sort=sort, page=page, filters=filters, query=q)
    if not q.strip():
        return result
    if not filters.get("year", "0").isdigit():
        why = t("validation.year", found=filters["year"])
        result.error, result.bad_query = t("file.problem", field=t("facet.year"), problem=why), True
        return result
    service = ctx.search()
    try:
        numbered = service.as_number_search(SearchRequest(query=q, limit=1))
        if numbered.query != q:
            result.query, result.mode = numbered.query, "bm25"
        if result.in_pool:
            _pooled(ctx, service, result, limit)
        else:
            _keyword(ctx, service, result, limit)
    except (QueryError, SearchError, RecursionError, ValueError, OverflowError) as exc:
        if isinstance(exc, SearchError):
            result.error = search_unavailable_message(exc, t)
            return result
        problem = query_problem_text(t, exc)
        if problem is None:
            raise
        result.error = t("file.problem", field=t("search.query"), problem=problem)
        result.bad_query = True
    return result


def _engine_filters(result: SearchPage) -> tuple[tuple[str, str], ...]:
    return tuple((name, value) for name, value in result.filters.items() if name in FACETS)


def _keyword(ctx: WebContext, service: SearchService, result: SearchPage, limit: int) -> None:
    """Every match: the engine filters, sorts, pages and counts the facets; the legal status over the pool."""
    base = SearchRequest(query=result.query, limit=limit, filters=_engine_filters(result), sort=result.sort)
    result.total = service.search(replace(base, limit=1)).total
    result.page = min(result.page, max(1, math.ceil(result.total / limit)))
    found = service.search(replace(base, offset=(result.page - 1) * limit))
    pool_hits, entries = _pool(ctx, service, result)
    result.pool = {**entries, **portal_queries.pool_entries(ctx.register, [h.number for h in found.hits])}
    result.hits = [h for h in found.hits if h.number in result.pool]
    counts = service.facets(replace(base, sort="relevance"), FACETS, FACET_SIZE)
    result.facets = {name: [(c.value, c.count) for c in values] for name, values in counts.items()}
    result.facets["legal_status"] = Counter(entries[h.number].status for h in pool_hits).most_common()


def _pool(ctx: WebContext, service: SearchService, result: SearchPage) -> tuple[list[SearchHit],
                                                                                 dict[str, portal_queries.PoolEntry]]:
    """The candidates of the query (keyword: the best POOL by the page's order; semantic/hybrid: the
    DENSE_POOL best) that pass every filter, in rank order, with their register entries."""
    keyword = result.mode == "bm25"
    found = service.search(SearchRequest(query=result.query, mode=result.mode, limit=POOL if keyword else DENSE_POOL,
                                         sort=result.sort if keyword else "relevance"))
    hits = found.hits
    result.capped = keyword and found.total > len(hits)
    result.pool_size = len(hits)
    engine_filters = _engine_filters(result)
    if engine_filters and hits:
        numbers = tuple(h.number for h in hits)
        kept = {h.number for h in service.search(SearchRequest(query="", within=numbers, filters=engine_filters,
                                                                limit=len(numbers))).hits}
        hits = [h for h in hits if h.number in kept]
    entries = portal_queries.pool_entries(ctx.register, [h.number for h in hits])
    wanted = result.filters.get("legal_status")
    hits = [h for h in hits if h.number in entries and wanted in (None, entries[h.number].status)]
    return hits, entries


def _pooled(ctx: WebContext, service: SearchService, result: SearchPage, limit: int) -> None:
    """The pool is the result: filtered, sorted (semantic/hybrid by date in Python), paged and counted here."""
    hits, entries = _pool(ctx, service, result)
    if result.mode != "bm25" and result.sort != "relevance":
        dated = [h for h in hits if entries[h.number].publication_date]
        undated = [h for h in hits if not entries[h.number].publication_date]
        dated.sort(key=lambda h: entries[h.number].publication_date or date.min, reverse=result.sort == "date_desc")
        hits = dated + undated
    result.total = len(hits)
    result.page = min(result.page, result.pages)
    start = (result.page - 1) * limit
    result.hits = hits[start:start + limit]
    result.pool = entries
    if hits:
        counts = service.facets(SearchRequest(query="", within=tuple(h.number for h in hits)), FACETS, FACET_SIZE)
        result.facets = {name: [(c.value, c.count) for c in values] for name, values in counts.items()}
    result.facets["legal_status"] = Counter(entries[h.number].status for h in hits).most_common()


def _filters(request: Request) -> dict[str, str]:
    return {name: value for name in POST_FILTERS if (value := request.query_params.get(f"f_{name}"))}


Mode = Literal["bm25", "semantic", "hybrid", "concept"]
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
    result = run_search(ctx, q, mode, sort, page, _filters(request), t=i18n.Translator(request.state.lang))
    marker = marking.Marker.of(marking.query_words(result.query) if q and not result.error else [])
    docs = {h.number: ctx.register.get(h.number) for h in result.hits}
    snippets = {n: marking.snippet(d, marker, request.state.lang) for n, d in docs.items() if d is not None}
    titles = {h.number: marker.mark(h.title or h.number) for h in result.hits}
    return render(request, "search.html", 422 if result.bad_query else 200, result=result, snippets=snippets,
                  titles=titles, docs=docs, sorts=SORTS, modes=MODES,
                  query_fields=QUERY_FIELDS, examples=EXAMPLE_QUERIES)


# Shown on the search page; tests/e2e/test_public_search.py checks that each finds documents in the register
# that `make run` builds (English and Chinese documents; Chinese documents carry no publication date).
EXAMPLE_QUERIES = ('ti=(wireless OR charging) AND pd>=2010', 'wireless -charging', 'ti="存储介质" OR ab=深度学习',
                   "US 2022/0159901 A1")


QUERY_FIELDS = ("txt", "ti", "ab", "cl", "pa", "in", "pn", "ic", "cpc", "pd", "ad")


@router.get("/search.csv")
def export_csv(
    request: Request, ctx: Context,
    q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT_CHARS)],
    mode: Mode = "bm25",
    sort: Sort = "relevance",
) -> Response:
    result = run_search(ctx, q, mode, sort, 1, _filters(request), limit=EXPORT_LIMIT,
                        t=i18n.Translator(request.state.lang))
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


def _published_document(request: Request, ctx: WebContext, number: str) -> Any:
    try:
        return get_document(ctx.register, number)
    except (DocumentNotFound, DomainError):
        raise HTTPException(404, i18n.Translator(request.state.lang)("doc.not_found", number=number)) from None


def _published_case(request: Request, ctx: WebContext, number: str, *, extract: bool,
                    by_publication: bool = True) -> HTMLResponse | None:
    """The page of a case of this office once it is published, found by application or publication number
    (before publication the public gets the 404 of an unknown number)."""
    view = ctx.procedures.published_case(number, by_publication=by_publication)
    if view is None:
        return None
    if extract:
        return render(request, "extract.html", extract=case_extract(_public_case_data(ctx, view)), today=date.today())
    return render(request, "public_case.html", case=_public_case_data(ctx, view), today=date.today())


def _public_case_data(ctx: WebContext, view: Any) -> dict[str, Any]:
    """The published data of a case, the applicant by the name of record (the account's name, not its user
    name) as the register shows its owner."""
    data = dict(public_dict(view))
    account = ctx.accounts.user(str(data["applicant"]))
    if account is not None and account.name:
        data["applicant"] = account.name
    return data


def _document_or_case_page(request: Request, ctx: WebContext, number: str, *, extract: bool) -> Any:
    """The page of the published case of this office whose publication (a document of the register) or
    application ``number`` is asked for (an HTMLResponse: the case says more than its document); else the
    imported document ``number``; else the 404."""
    try:
        doc = _published_document(request, ctx, number)
    except HTTPException:
        page = _published_case(request, ctx, number, extract=extract)
        if page is None:
            raise
        return page
    if doc.application_number:  # one key look-up: a document of one of this office's cases
        page = _published_case(request, ctx, doc.application_number, extract=extract, by_publication=False)
        if page is not None:
            return page
    return doc


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


def page_to_open(routes: Sequence[BaseRoute], target: str) -> str:
    """``target`` (a path with its query) if a GET opens it, else the nearest parent path a GET opens."""
    path, _, query = target.partition("?")
    candidate = path
    while candidate:
        scope = {"type": "http", "path": candidate, "method": "GET", "root_path": ""}
        if any(route.matches(scope)[0] is Match.FULL for route in routes):
            return candidate + (f"?{query}" if query and candidate == path else "")
        candidate = candidate.rstrip("/").rpartition("/")[0]
    return "/"


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
        doc = _published_document(request, ctx, number)
        view = ctx.procedures.published_case(doc.application_number, by_publication=False) \
            if doc.application_number else None
        extract = case_extract(_public_case_data(ctx, view)) if view is not None else build_extract(doc)
    except HTTPException:
        view = ctx.procedures.published_case(number)  # a published case of this office
        if view is None:
            raise
        extract = case_extract(_public_case_data(ctx, view))
    t = i18n.Translator(request.state.lang)
    pdf = extract_pdf(extract, t, t.date, date.today())
    filename = f"register-extract-{extract.number}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@router.get("/favicon.ico")
def favicon() -> Response:
    """No icon (browsers ask for one on every first visit; a 404 would be a console error on every page)."""
    return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})


@router.get("/lang/{code}")
def switch_language(request: Request, code: str, next: str = "/") -> Response:
    """Set the language and go back to the page (``next``) — to a page that can be opened by its address: the
    answer to a form (``/my/cases/X/act``, POST only) goes back to the page the form is on (``/my/cases/X``)."""
    if code not in i18n.LANGUAGES:
        raise HTTPException(404, i18n.Translator(request.state.lang)("error.unknown_language", code=code))
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    path, _, query = target.partition("?")
    # the page's own ?lang= would override the language just chosen: it is dropped, the rest is kept
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "lang"]
    target = path + (f"?{urlencode(kept)}" if kept else "")
    response = RedirectResponse(page_to_open(request.app.routes, target), status_code=303)
    response.set_cookie(i18n.COOKIE, code, max_age=365 * 86400, samesite="lax")
    return response
