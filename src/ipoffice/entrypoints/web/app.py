"""The web portal: one FastAPI application serving the REST API (``/api/v1``) and the pages.

``create_app(settings)`` wires the register, the search service, the procedures and the logins of one
environment (the composition root of the web entry point) and includes the routers of the route modules;
routers get the context from ``request.app.state.web`` through ``ipoffice.entrypoints.web.deps``.
"""

from __future__ import annotations

import secrets
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from ipoffice.bootstrap import Office, office
from ipoffice.config import Settings
from ipoffice.domain.search import ModelPreparing, SearchError
from ipoffice.entrypoints.web import (
    api,
    api_centres,
    api_disputes,
    api_indicators,
    api_inventory,
    api_marketplace,
    api_matching,
    api_recordals,
    api_tm_exam,
    api_trademarks,
    casework,
    i18n,
    pages_applicant,
    pages_centres,
    pages_dispute_filing,
    pages_disputes,
    pages_examiner,
    pages_inventory,
    pages_marketplace,
    pages_matching,
    pages_public,
    pages_recordals,
    pages_statistics,
    pages_tm_exam,
    pages_trademarks,
)
from ipoffice.entrypoints.web.deps import (
    HERE,
    AlreadySubmitted,
    Forbidden,
    LoginRequired,
    WebContext,
    render,
    search_unavailable_message,
    settle_form,
    translator,
)
from ipoffice.entrypoints.web.security import SecurityHeaders, install_docs


def _secret_key(settings: Settings) -> str:
    """IPOFFICE_SECRET_KEY, else a random key kept in the var folder (sessions survive restarts)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.var_dir / "web-secret-key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(running: Office | Settings | None = None, *, https_only: bool | None = None) -> FastAPI:
    """The portal of ``running`` (an office, or settings to build one from; default: the environment's, as
    ``uvicorn --factory`` calls it in each worker)."""
    running = running if isinstance(running, Office) else office(running)
    running.serving = True
    settings = running.settings
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    context = WebContext(running, templates)

    app = FastAPI(
        title="ipoffice",
        version="1",
        description="Public register search and documents; filing and examination for logged-in users "
                    "(Authorization: Bearer <API token>, created on the account page).",
        docs_url=None, redoc_url=None,  # self-hosted below: no CDN, and under the Content-Security-Policy
    )
    app.state.web = context
    if https_only is None:
        https_only = settings.https
    app.add_middleware(SessionMiddleware, secret_key=_secret_key(settings), session_cookie="ipoffice_session",
                       same_site="lax", https_only=https_only, max_age=int(settings.session_hours * 3600))

    @app.middleware("http")
    async def language(request: Request, call_next: Any) -> Response:
        asked = request.query_params.get("lang")
        request.state.lang = i18n.negotiate(asked, request.cookies.get(i18n.COOKIE),
                                            request.headers.get("accept-language"))
        response: Response = await call_next(request)
        if asked in i18n.LANGUAGES:
            response.set_cookie(i18n.COOKIE, asked, max_age=365 * 86400, samesite="lax")
        return response

    @app.middleware("http")
    async def one_time_forms(request: Request, call_next: Any) -> Response:
        try:
            response: Response = await call_next(request)
        except Exception:
            settle_form(request, 500, None)  # nothing was done: the form may be sent again
            raise
        if request.method == "POST":
            settle_form(request, response.status_code, response.headers.get("location"))
        return response

    _install_error_handlers(app)
    install_docs(app, "ipoffice")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    app.include_router(api.router)
    app.include_router(api_indicators.router)
    app.include_router(api_centres.router)
    app.include_router(api_disputes.router)
    app.include_router(api_recordals.router)
    app.include_router(api_matching.router)
    app.include_router(api_trademarks.router)
    app.include_router(pages_public.router)
    app.include_router(pages_applicant.router)
    app.include_router(pages_examiner.router)
    app.include_router(pages_statistics.router)
    app.include_router(pages_recordals.router)
    app.include_router(pages_matching.router)
    app.include_router(api_tm_exam.router)
    app.include_router(pages_tm_exam.router)
    app.include_router(pages_centres.router)
    app.include_router(pages_dispute_filing.router)  # before /disputes/{number}
    app.include_router(pages_disputes.router)
    app.include_router(pages_trademarks.router)
    app.include_router(api_inventory.router)
    app.include_router(pages_inventory.router)
    app.include_router(api_marketplace.router)
    app.include_router(pages_marketplace.router)
    # added last: the outermost, so every response carries the headers
    app.add_middleware(SecurityHeaders, https=https_only)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


_STATUS_MESSAGES = {400: "error.bad_request", 404: "error.not_found", 405: "error.method_not_allowed"}


def _http_message(t: i18n.Translator, exc: StarletteHTTPException) -> str:
    """An HTTP error for a page: a refusal of the procedures by its code, the router's standard errors by
    their status; other details are the pages' own (already in the page's language)."""
    if isinstance(exc, casework.Refusal):
        return casework.refusal_text(t, exc)
    if isinstance(exc, HTTPException) and exc.detail != _standard_detail(exc.status_code):
        return str(exc.detail)
    key = _STATUS_MESSAGES.get(exc.status_code)
    return t(key) if key else t("error.http", status=exc.status_code)


def _standard_detail(status: int) -> str:
    return HTTPStatus(status).phrase


_PYDANTIC_PROBLEMS = {"missing": "required", "int_parsing": "whole_number", "int_type": "whole_number",
                      "greater_than_equal": "at_least", "greater_than": "at_least", "less_than_equal": "at_most",
                      "less_than": "at_most", "string_too_long": "too_long", "literal_error": "one_of"}


def _invalid_value(t: i18n.Translator, error: Any) -> str:
    """A request parameter's problem (a pydantic error) in the page's language, by its type."""
    code = _PYDANTIC_PROBLEMS.get(str(error.get("type")), "invalid")
    context = error.get("ctx") or {}
    limit = next((context[k] for k in ("ge", "gt", "le", "lt", "max_length") if k in context), "")
    return t(f"validation.{code}", limit=limit, choices=context.get("expected", ""))


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"field": ".".join(str(p) for p in e["loc"] if p not in ("query", "path", "body")) or "body",
                   "message": e["msg"]} for e in exc.errors()]
        fields = ", ".join(e["field"] for e in errors)
        if _is_api(request):
            return JSONResponse({"error": f"invalid parameters: {fields}", "fields": errors}, status_code=422)
        t = translator(request)
        details = "; ".join(t("file.problem", field=e["field"], problem=_invalid_value(t, raw))
                            for e, raw in zip(errors, exc.errors(), strict=True))
        return render(request, "error.html", 422, message=t("error.invalid_parameters", details=details))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # also the router's own 404 and 405 (a POST-only address opened by its URL), in the page's language
        if _is_api(request) or not isinstance(exc.detail, str):
            # a refusal of the procedures also says why in both languages, by its code
            extra = casework.refusal_messages(exc) if isinstance(exc, casework.Refusal) else {}
            return JSONResponse({"error": exc.detail, **extra}, status_code=exc.status_code, headers=exc.headers)
        return render(request, "error.html", exc.status_code, message=_http_message(translator(request), exc))

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(AlreadySubmitted)
    async def already_submitted(request: Request, exc: AlreadySubmitted) -> Response:
        if exc.target and exc.target.startswith("/") and not exc.target.startswith("//"):
            return RedirectResponse(exc.target, status_code=303)
        return render(request, "error.html", 409, message=translator(request)("error.already_submitted"))

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        t = translator(request)
        reason = t(f"error.{exc.code}", **exc.params) if exc.code else exc.reason
        return render(request, "error.html", 403, message=t("error.forbidden", reason=reason))

    @app.exception_handler(SearchError)
    async def search_unavailable(request: Request, exc: SearchError) -> Response:
        # a model still being prepared is a temporary state: the client is told when to ask again
        retry = {"Retry-After": "60"} if isinstance(exc, ModelPreparing) else None
        if _is_api(request):
            return JSONResponse({"error": search_unavailable_message(exc)}, status_code=503, headers=retry)
        page = render(request, "error.html", 503, message=search_unavailable_message(exc, translator(request)))
        page.headers.update(retry or {})
        return page
