"""Security headers on every response of the portal (pages, API, static files, API docs, errors — a 500 too)
and the self-hosted API documentation (Swagger UI and ReDoc served from the ``fastapi-offline`` package's
assets, so ``/docs`` and ``/redoc`` work offline and under the Content-Security-Policy).

The policy allows scripts, styles, images, fonts and requests from the portal itself only, no inline script
(the pages' behaviour is in ``static/app.js``, the docs' start-up in ``static/docs.js``), no plugins, and no
framing (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``). The API docs' renderers set inline
styles, so on ``/docs`` and ``/redoc`` only, ``style-src`` also allows ``'unsafe-inline'`` (and ReDoc its
``blob:`` worker); their scripts still come from the portal only.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
DOCS_ASSETS_URL = "/static/docs-assets"
DOCS_PATHS = ("/docs", "/redoc")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")
HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
SERVER_ERROR = "Internal server error: the request could not be completed. / 服务器内部错误，请求未能完成。".encode()


HSTS = (b"strict-transport-security", b"max-age=31536000")


def security_headers(path: str, *, https: bool = False) -> list[tuple[bytes, bytes]]:
    csp = DOCS_CSP if path in DOCS_PATHS else CSP
    return [(b"content-security-policy", csp.encode()), *HEADERS, *([HSTS] if https else [])]


class SecurityHeaders:
    """ASGI middleware adding :func:`security_headers` to every HTTP response; an unhandled exception becomes a
    plain 500 with the headers (no traceback, no path) before it propagates to the server's error logging.
    Headers a response sets itself are kept."""

    def __init__(self, app: ASGIApp, https: bool = False) -> None:
        self.app = app
        self.https = https  # served over HTTPS: also Strict-Transport-Security

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope.get("path", ""), https=self.https)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in names)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                await send_with_headers({"type": "http.response.start", "status": 500,
                                         "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
                await send_with_headers({"type": "http.response.body", "body": SERVER_ERROR})
            raise


_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="{assets}/favicon.png">{css}
</head><body>
<div id="{element}" data-openapi="{openapi}"></div>
<script src="{assets}/{script}"></script>
<script src="/static/docs.js"></script>
</body></html>"""


# ReDoc's bundle shows a "powered by" logo loaded from its CDN (which the policy blocks, a console error): the
# bundle is served with the logo's address replaced by an empty image of the page itself.
REDOC_CDN_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_IMAGE = b"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E"


@cache
def redoc_bundle() -> bytes:
    """ReDoc's standalone bundle (from ``fastapi-offline``) with no address outside the portal."""
    return (DOCS_ASSETS / "redoc.standalone.js").read_bytes().replace(REDOC_CDN_LOGO, EMPTY_IMAGE)


def install_docs(app: FastAPI, title: str) -> None:
    """``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from local assets; the app must be built with
    ``docs_url=None, redoc_url=None``."""

    @app.get(f"{DOCS_ASSETS_URL}/redoc.standalone.js", include_in_schema=False)
    def redoc_script() -> Response:  # before the assets' mount, which would serve the bundle as it is
        return Response(redoc_bundle(), media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=86400"})

    app.mount(DOCS_ASSETS_URL, StaticFiles(directory=str(DOCS_ASSETS)), name="docs-assets")
    openapi = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(_DOCS_PAGE.format(
            title=f"{title} – API (Swagger UI)", assets=DOCS_ASSETS_URL, openapi=openapi, element="swagger-ui",
            script="swagger-ui-bundle.js", css=f'\n<link rel="stylesheet" href="{DOCS_ASSETS_URL}/swagger-ui.css">'))

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(_DOCS_PAGE.format(
            title=f"{title} – API (ReDoc)", assets=DOCS_ASSETS_URL, openapi=openapi, element="redoc",
            script="redoc.standalone.js", css=""))
