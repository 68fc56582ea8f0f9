"""The web portal: one FastAPI application serving the REST API (``/api/v1``) and the pages.

``create_app(settings)`` wires the register, the search service, the procedures and the logins of one
environment (the composition root of the web entry point) and includes the routers of the route modules;
routers get the context from ``request.app.state.web`` through ``ipoffice.entrypoints.web.deps``.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from ipoffice.bootstrap import Office, office
from ipoffice.config import Settings
from ipoffice.domain.search import SearchError
from ipoffice.entrypoints.web import (
    api,
    api_indicators,
    i18n,
    pages_applicant,
    pages_examiner,
    pages_public,
    pages_statistics,
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
    app.include_router(pages_public.router)
    app.include_router(pages_applicant.router)
    app.include_router(pages_examiner.router)
    app.include_router(pages_statistics.router)
    # added last: the outermost, so every response carries the headers
    app.add_middleware(SecurityHeaders, https=https_only)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"field": ".".join(str(p) for p in e["loc"] if p not in ("query", "path", "body")) or "body",
                   "message": e["msg"]} for e in exc.errors()]
        fields = ", ".join(e["field"] for e in errors)
        if _is_api(request):
            return JSONResponse({"error": f"invalid parameters: {fields}", "fields": errors}, status_code=422)
        return render(request, "error.html", 422, message=f"{fields}: " + "; ".join(e["message"] for e in errors))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _is_api(request) or not isinstance(exc.detail, str):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return render(request, "error.html", exc.status_code, message=exc.detail)

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
        t = i18n.Translator(getattr(request.state, "lang", i18n.DEFAULT_LANGUAGE))
        return render(request, "error.html", 403, message=t("error.forbidden", reason=exc.reason))

    @app.exception_handler(SearchError)
    async def search_unavailable(request: Request, exc: SearchError) -> Response:
        if _is_api(request):
            return JSONResponse({"error": search_unavailable_message(exc)}, status_code=503)
        return render(request, "error.html", 503, message=search_unavailable_message(exc, translator(request)))
