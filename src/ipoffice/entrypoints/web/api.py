"""The REST API, ``/api/v1``. Public: search, facets, documents, similar documents, IPC suggestions, fees.
Logged in (``Authorization: Bearer <token>``, from ``POST /api/v1/tokens``): the caller's cases, filing,
acting on a case. Errors are JSON ``{"error": ...}``; a bad parameter is a 422 naming the field."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import unquote_to_bytes

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, Field

from ipoffice.domain.errors import DomainError
from ipoffice.domain.offices import Role
from ipoffice.domain.query import QueryError
from ipoffice.domain.query_limits import MAX_TEXT_CHARS
from ipoffice.domain.search import FACETS, SearchError, SearchRequest
from ipoffice.entrypoints.web import casework
from ipoffice.entrypoints.web.auth import bearer_token, client_address
from ipoffice.entrypoints.web.deps import (
    Context,
    OptionalUser,
    RequiredUser,
    WebContext,
    query_problem,
    translator,
)
from ipoffice.entrypoints.web.filing import FORMS, FilingInvalid, build_filing, fees_due, total
from ipoffice.entrypoints.web.similar import similar_documents
from ipoffice.entrypoints.web.suggest import suggest_ipc
from ipoffice.services.accounts import MAX_TOKEN_DAYS, TooManyAttempts
from ipoffice.services.document_views import DocumentViews, Variant, representation
from ipoffice.services.documents import DocumentNotFound, get_document
from ipoffice.services.procedures import public_dict


async def utf8_parameters(request: Request) -> None:
    """Refuses (422 naming the parameter) a query string whose percent-encoded bytes are not UTF-8: decoded
    leniently, ``q=%FF`` would be searched as U+FFFD and answer 0 hits instead of saying what is wrong."""
    raw: bytes = request.scope.get("query_string", b"")
    if b"%" not in raw and raw.isascii():
        return
    for part in raw.split(b"&"):
        name, _, value = part.partition(b"=")
        try:
            unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            field = unquote_to_bytes(name).decode("utf-8", "replace")
            raise HTTPException(422, {"field": field, "message": "not valid UTF-8: percent-encode the text as "
                                                                 "UTF-8 (e.g. %E6%97%A0 for 无)"}) from None


router = APIRouter(prefix="/api/v1", tags=["api"], dependencies=[Depends(utf8_parameters)])

Number = Annotated[str, Path(min_length=2, max_length=40, pattern=r"^[A-Za-z]{2}[A-Za-z0-9 /.,-]*$",
                             description="Publication number, e.g. US7654321B2 or EP1234567A1")]
QueryText = Annotated[str, Query(min_length=1, max_length=MAX_TEXT_CHARS,
                                 description="Query in the query language (the limits of domain.query_limits "
                                             "apply, each named in a 422)")]


# --- models of the documented responses -------------------------------------------------------------

class Hit(BaseModel):
    number: str
    title: str | None
    score: float


class SearchResponse(BaseModel):
    total: int
    hits: list[Hit]
    number_search: str | None = Field(None, description="When ``q`` is just a printed number (8421271, "
                                      "US 2022/0159901 A1) that finds a document: the number query searched")


class FacetValue(BaseModel):
    value: str
    count: int


class ErrorResponse(BaseModel):
    error: Any


ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}


def _search_request(q: str, mode: str, limit: int, offset: int = 0, before: date | None = None,
                    syntax: str = "query") -> SearchRequest:
    return SearchRequest(query=q, mode=mode, limit=limit, offset=offset, before=before, syntax=syntax)


def json_encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(data: Any) -> Response:
    """``data`` (JSON-ready: str, int, float, bool, None, lists and dicts of them) as it is: the documented
    ``response_model`` stays in the OpenAPI description, but re-validating our own answer against it took
    ~6 % of a search request's server time (py-spy)."""
    return Response(json_encode(data), media_type="application/json")


def _check_date(name: str, value: date | None) -> None:
    """Dates outside the register's years (1790-2100) are a bad parameter, not a search to run."""
    if value is not None and not 1790 <= value.year <= 2100:
        raise HTTPException(422, {"field": name, "message": "year out of range 1790-2100"})


def _query_error(exc: Exception) -> HTTPException:
    """A 422 naming ``q`` for a query the search cannot run (syntax, nesting, dates out of range); ``exc``
    itself (re-raised by the caller) when it is not about the query."""
    problem = query_problem(exc)
    if problem is None:
        raise exc
    return HTTPException(422, problem)


@router.get("/ping", summary="Trivial endpoint (liveness, benchmark baseline)")
def ping() -> dict[str, bool]:
    return {"ok": True}


@router.get("/search", response_model=SearchResponse, responses=ERRORS)
def search(
    ctx: Context,
    q: QueryText,
    mode: Literal["bm25", "semantic", "hybrid", "concept"] = "bm25",
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    before: Annotated[date | None, Query(description="Only documents published before this date")] = None,
    syntax: Literal["query", "text"] = "query",
) -> Response:
    _check_date("before", before)
    try:
        service = ctx.search()
        request = service.as_number_search(_search_request(q, mode, limit, offset, before, syntax))
        result = service.search(request)
    except (QueryError, RecursionError, ValueError, OverflowError) as exc:
        if isinstance(exc, SearchError):
            raise
        raise _query_error(exc) from None
    body: dict[str, Any] = {"total": result.total, "hits": [{"number": h.number, "title": h.title,
                                                             "score": round(h.score, 6)} for h in result.hits]}
    if request.query != q:
        body["number_search"] = request.query  # the query was a printed number: searched as such
    return json_response(body)


@router.get("/facets", response_model=dict[str, list[FacetValue]], responses=ERRORS)
def facets(
    ctx: Context,
    q: QueryText,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    """Counts of the keyword matches by right type, IPC section and class, year, applicant, office (country)."""
    try:
        counts = ctx.search().facets(_search_request(q, "bm25", 1), FACETS, limit)
    except (QueryError, RecursionError, ValueError, OverflowError) as exc:
        if isinstance(exc, SearchError):
            raise
        raise _query_error(exc) from None
    return {name: [{"value": c.value, "count": c.count} for c in values] for name, values in counts.items()}


# --- documents: cached representations, ETag and conditional GET -------------------------------------

class LegalStatusOut(BaseModel):
    status: str
    since: str | None


class ClaimOut(BaseModel):
    number: int
    lang: str
    text: str
    depends_on: list[int]


class DocumentLinks(BaseModel):
    self: str
    full: str = Field(description="This document with the claims and the description")
    claims: str
    description: str
    similar: str
    page: str = Field(description="The portal's page of the document")
    register_extract: str = Field(description="The register extract page (legal status, events)")


class DocumentOut(BaseModel):
    """A published document. By default without its long texts (``claims``, ``description``): ask for them
    with ``?full=true`` or from ``links.claims`` / ``links.description``."""

    number: str
    number_display: str
    country: str
    kind: str | None
    right_type: str
    publication_date: str | None
    application_number: str | None
    application_date: str | None
    titles: dict[str, str] = Field(description="Language → title")
    abstracts: dict[str, str] = Field(description="Language → abstract")
    classifications: list[dict[str, Any]] = Field(description="scheme, symbol, main, title ({symbol, en, zh})")
    parties: list[dict[str, Any]] = Field(description="role, name, country")
    citations: list[dict[str, Any]] = Field(description="cited_by, number, country, kind, date, text, category, "
                                                        "register_number (the register's publication, if any)")
    priority_claims: list[dict[str, Any]]
    legal_events: list[dict[str, Any]] = Field(description="code, date, description")
    legal_status: LegalStatusOut
    cited_by: list[dict[str, Any]] = Field(description="number, title, category of the citing documents")
    mark_text: str | None
    goods_and_services: list[dict[str, Any]]
    source_format: str
    claims_count: int
    description_languages: list[str]
    links: DocumentLinks
    claims: list[ClaimOut] | None = Field(default=None, description="Only with ?full=true")
    description: dict[str, str] | None = Field(default=None, description="Only with ?full=true: language → text")


IfNoneMatch = Annotated[str | None, Header(max_length=2_000, description=(
    "ETag(s) of a representation the caller holds: 304 with no body while it is current"))]
DOCUMENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS, 304: {"description": "Not modified: the representation named in If-None-Match is current"}}
# Published documents change only when re-imported or by new legal events: caches may keep the answer
# but revalidate it (a conditional GET answered 304 while the ETag holds).
CACHE_CONTROL = "public, no-cache"


def _document_views(request: Request, ctx: WebContext) -> DocumentViews:
    views: DocumentViews | None = getattr(request.app.state, "document_views", None)
    if views is None or views.register is not ctx.register:
        views = request.app.state.document_views = DocumentViews(ctx.register)
    return views


def _etag_matches(header: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison, ``*`` matching any current representation."""
    if not header:
        return False
    return any(tag.strip().removeprefix("W/") in (etag, "*") for tag in header.split(","))


def _document_answer(request: Request, ctx: WebContext, number: str, variant: Variant,
                     if_none_match: str | None) -> Response:
    """The JSON of ``variant`` of a document (encoded once per register version), 304 when the caller's
    ETag is current."""
    try:
        view = _document_views(request, ctx).get(number)
    except DocumentNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    etag = view.etag(variant)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if _etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    body = view.derived.get(variant)
    if body is None:
        body = view.derived[variant] = json_encode(representation(view.record, variant))
    return Response(body, media_type="application/json", headers=headers)


@router.get("/documents/{number}", response_model=DocumentOut, responses=DOCUMENT_RESPONSES)
def document(
    request: Request,
    ctx: Context,
    number: Number,
    full: Annotated[bool, Query(description="Include the claims and the description")] = False,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The document with classifications (with IPC titles), parties, citations in both directions, priority
    claims, legal events and the legal status derived from them; its claims and description with
    ``?full=true`` (or from ``/claims`` and ``/description``). Answers carry an ETag: send it back in
    If-None-Match for a 304 while the document is unchanged."""
    return _document_answer(request, ctx, number, "full" if full else "lean", if_none_match)


@router.get("/documents/{number}/claims", response_model=list[ClaimOut], responses=DOCUMENT_RESPONSES)
def document_claims(request: Request, ctx: Context, number: Number, if_none_match: IfNoneMatch = None) -> Response:
    """The document's claims in order (each language's set), with the claims each depends on."""
    return _document_answer(request, ctx, number, "claims", if_none_match)


@router.get("/documents/{number}/description", response_model=dict[str, str], responses=DOCUMENT_RESPONSES)
def document_description(request: Request, ctx: Context, number: Number,
                         if_none_match: IfNoneMatch = None) -> Response:
    """The document's description: language → text (empty when the source has none)."""
    return _document_answer(request, ctx, number, "description", if_none_match)


def _document(ctx: WebContext, number: str) -> Any:
    try:
        return get_document(ctx.register, number)
    except DocumentNotFound as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/documents/{number}/similar", response_model=list[Hit], responses=ERRORS)
def similar(
    ctx: Context,
    number: Number,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    crosslingual: bool = False,
) -> list[dict[str, Any]]:
    """Documents most similar in meaning (semantic index); ``crosslingual``: only those in another language."""
    doc = _document(ctx, number)
    hits = similar_documents(ctx, doc, limit, crosslingual=crosslingual)
    return [{"number": h.number, "title": h.title, "score": round(h.score, 6)} for h in hits]


@router.get("/classify/ipc", responses=ERRORS)
def classify_ipc(
    ctx: Context,
    text: Annotated[str, Query(min_length=3, max_length=20_000)],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[dict[str, Any]]:
    """IPC subclass suggestions for an abstract or title (used while filing)."""
    return suggest_ipc(ctx, text, limit)


@router.get("/procedures")
def procedures() -> list[dict[str, Any]]:
    return [{"procedure": f.procedure, "jurisdiction": f.jurisdiction, "trademark": f.trademark,
             "fee_reductions": list(f.reductions)} for f in FORMS.values()]


@router.get("/fees", responses=ERRORS)
def fees(
    ctx: Context,
    procedure: Literal["cn_invention", "cn_utility_model", "cn_design", "cn_trademark", "us_utility"],
    on: Annotated[date | None, Query(description="Filing date (default: today)")] = None,
    reduction: Annotated[str | None, Query(max_length=40)] = None,
    classes: Annotated[int, Query(ge=1, le=45)] = 1,
    priorities: Annotated[int, Query(ge=0, le=20, description="Priorities claimed")] = 0,
) -> dict[str, Any]:
    """Fees due on filing under the rules in force on ``on`` (with the fee per priority claimed)."""
    form = FORMS[procedure]
    _check_date("on", on)
    if reduction and reduction not in form.reductions:
        raise HTTPException(422, {"field": "reduction", "message": f"choose one of {list(form.reductions)}"})
    try:
        lines = fees_due(ctx.procedures.catalogue, procedure, on or date.today(), reduction, classes, priorities)
    except (ValueError, DomainError) as exc:  # no rule in force that day
        raise HTTPException(422, {"field": "on", "message": str(exc)}) from None
    return {
        "procedure": procedure, "on": (on or date.today()).isoformat(),
        "fees": [{"name": line.name, "amount": str(line.fee.amount), "currency": line.fee.currency,
                  "reference": line.fee.reference, "reduction": line.fee.reduction} for line in lines],
        "total": str(total(lines)), "currency": lines[0].fee.currency if lines else None,
    }


# --- logged in ---------------------------------------------------------------------------------------

class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)
    label: str = Field(default="api", max_length=100)
    expires_in_days: int | None = Field(default=None, ge=1, le=MAX_TOKEN_DAYS,
                                        description="Lifetime in days (default: the office's, e.g. 90)")


class TokenOut(BaseModel):
    id: str
    label: str
    created_at: str
    expires_at: str
    expired: bool
    current: bool = False


class NewToken(BaseModel):
    token: str
    username: str
    id: str
    expires_at: str


TokenId = Annotated[str, Path(min_length=16, max_length=16, pattern=r"^[0-9a-f]{16}$",
                              description="The token's id, as listed by GET /api/v1/tokens")]


@router.post("/tokens", status_code=201, response_model=NewToken,
             responses={401: {"model": ErrorResponse}, 422: {"model": ErrorResponse},
                        429: {"model": ErrorResponse, "description": "Too many failed logins (see Retry-After)"}})
def create_token(request: Request, ctx: Context, body: TokenRequest) -> dict[str, str]:
    """Exchange a username and password for an API token (send it as ``Authorization: Bearer <token>``).
    Failed attempts are limited per account and per address: past the limit, 429 with ``Retry-After``."""
    try:
        user = ctx.accounts.authenticate(body.username, body.password, client_address(request))
    except TooManyAttempts as exc:
        minutes = max(1, -(-exc.retry_after // 60))
        raise HTTPException(429, translator(request)("login.throttled", minutes=minutes),
                            headers={"Retry-After": str(exc.retry_after)}) from None
    if user is None:
        raise HTTPException(401, "unknown username or wrong password")
    token = ctx.accounts.create_token(user.username, body.label, body.expires_in_days)
    info = ctx.accounts.token_info(token)
    assert info is not None
    return {"token": token, "username": user.username, "id": info.id, "expires_at": info.expires_at.isoformat()}


@router.get("/tokens", response_model=list[TokenOut], responses={401: {"model": ErrorResponse}})
def list_tokens(request: Request, ctx: Context, user: RequiredUser) -> list[dict[str, Any]]:
    """The caller's API tokens (never the tokens themselves: their ids, labels, creation and expiry)."""
    current = ctx.accounts.token_info(bearer_token(request) or "")
    return [{"id": t.id, "label": t.label, "created_at": t.created_at.isoformat(),
             "expires_at": t.expires_at.isoformat(), "expired": t.expired,
             "current": current is not None and current.id == t.id} for t in ctx.accounts.tokens(user.username)]


@router.delete("/tokens/{token_id}", status_code=204, responses={**ERRORS, 401: {"model": ErrorResponse}})
def revoke_token(ctx: Context, user: RequiredUser, token_id: TokenId) -> Response:
    """Revoke one of the caller's API tokens (the one used for this call too): it is 401 from then on."""
    if not ctx.accounts.revoke_token(user.username, token_id):
        raise HTTPException(404, f"no token {token_id} of {user.username}")
    return Response(status_code=204)


CaseNumber = Annotated[str, Path(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9./ -]+$")]


@router.get("/me", responses={401: {"model": ErrorResponse}})
def me(user: RequiredUser) -> dict[str, Any]:
    return {"username": user.username, "name": user.name, "office": user.office,
            "roles": sorted(r.value for r in user.roles)}


@router.get("/cases")
def cases(ctx: Context, user: OptionalUser, mine: bool = False) -> list[dict[str, Any]]:
    """Cases the caller may see: the public sees published cases; parties their own; staff their office's."""
    # A case's record is its whole file for its parties and office; others get the published data
    # (GET /api/v1/cases/{number}).
    records = casework.visible_cases(ctx.procedures, user, own_only=mine)
    return [{"application_number": r.application_number, "procedure": r.procedure, "office": r.office,
             "title": r.title if r.published or user else "", "state": r.state,
             "filing_date": r.filing_date.isoformat(), "published": r.published} for r in records]


@router.get("/cases/{number}", responses={**ERRORS, 403: {"model": ErrorResponse}})
def case(ctx: Context, user: OptionalUser, number: CaseNumber) -> dict[str, Any]:
    with casework.http_errors():
        view = ctx.procedures.show(number, user.username if user else None)
    rules = casework.policy(ctx.procedures)
    if not rules.sees_file(user, view.record.access):
        return public_dict(view)  # the published data only, as /documents and /register show it
    data = view.as_dict()
    data["actions_permitted"] = casework.actions_for(view, user, rules)
    return data


class PriorityIn(BaseModel):
    country: str = Field(max_length=2)
    number: str = Field(max_length=40)
    date: str = Field(max_length=10)


class FilingIn(BaseModel):
    procedure: str = Field(max_length=40)
    office: str = Field(max_length=32)
    title: str = Field(max_length=500)
    applicant: str | None = Field(default=None, max_length=64)
    abstract: str = Field(default="", max_length=100_000)
    claims: str = Field(default="", max_length=100_000)
    description: str = Field(default="", max_length=100_000)
    ipc: str = Field(default="", max_length=500, description="IPC symbols, comma-separated (e.g. H02J 7/00)")
    mark: str = Field(default="", max_length=500)
    nice_classes: str = Field(default="", max_length=200)
    reduction: str = Field(default="", max_length=40)
    pre_examination_centre: str = Field(default="", max_length=32, description=(
        "Office code of an IP protection centre (kind protection_centre) to file through for fast "
        "pre-examination (cn_invention, cn_utility_model); refused with the reason when not eligible"))
    priorities: list[PriorityIn] = Field(default_factory=list, max_length=20)


@router.post("/cases", status_code=201, responses={**ERRORS, 401: {"model": ErrorResponse},
                                                   403: {"model": ErrorResponse}})
def file_application(ctx: Context, user: RequiredUser, body: FilingIn) -> dict[str, Any]:
    """File an application; the receipt has the application number and the filing date."""
    data = body.model_dump()
    try:
        filing = build_filing(data, filer=user.username, offices={o.code for o in ctx.procedures.offices()},
                              today=ctx.procedures.clock(), filer_is_applicant=user.has(Role.APPLICANT))
    except FilingInvalid as exc:
        raise HTTPException(422, {"message": "invalid fields", "fields": exc.errors,
                                  "codes": {name: code for name, (code, _) in exc.problems.items()}}) from None
    with casework.http_errors():
        view = ctx.procedures.file(filing, user.username)
    return {"application_number": view.record.application_number,
            "filing_date": view.record.filing_date.isoformat(), "state": view.case.state,
            "office": view.record.office, "procedure": view.record.procedure}


class ActionIn(BaseModel):
    action: str = Field(min_length=1, max_length=64, pattern=r"^[a-z_]+$")
    date: str | None = Field(default=None, max_length=10, description=(
        "YYYY-MM-DD, default today (the office's receipt date). Refused from a party; office staff may give "
        "an earlier date with a reason; never a future date."))
    reason: str | None = Field(default=None, max_length=500, description="Why staff back-date the act")
    payload: dict[str, Any] = Field(default_factory=dict, description=(
        "Known keys only: note (≤ 2,000 characters), months; text, citations, service (office staff); "
        "document + sha256 (an upload stored for the case); 64 KB in all"))


@router.post("/cases/{number}/actions", responses={**ERRORS, 401: {"model": ErrorResponse},
                                                    403: {"model": ErrorResponse}, 409: {"model": ErrorResponse}})
def act(ctx: Context, user: RequiredUser, number: CaseNumber, body: ActionIn) -> dict[str, Any]:
    """Apply a procedural action (office action, decision, reply, payment) to a case. A party's act is dated
    the day the office receives it; the payload is checked key by key (422 naming the field)."""
    try:
        on = date.fromisoformat(body.date) if body.date else None
    except ValueError:
        raise HTTPException(422, {"field": "date", "message": "expected YYYY-MM-DD"}) from None
    with casework.http_errors():
        view = ctx.procedures.act(number, body.action, on, user.username, body.payload, reason=body.reason)
    return view.as_dict()
