"""Logins of the web portal: signed session cookies, CSRF tokens, API tokens in the Authorization header.

Passwords and API tokens are checked by ``ipoffice.services.accounts`` (argon2 hashes; a token is shown
once, only its SHA-256 is stored).

- Pages authenticate with the session cookie (signed by Starlette's SessionMiddleware, HttpOnly,
  SameSite=Lax, Secure when served over HTTPS); every POST form carries the session's CSRF token. The
  cookie names a server-side login session (``Accounts.start_session``), checked on every request: logging
  out ends it, so a copy of the cookie taken before stops working; it also ends after its lifetime
  (``Settings.session_hours``).
- Every form also carries a one-time token of its rendering (``FORM_FIELD``): a repeated submission of the
  same rendering does not act twice (``deps.checked_form``).
- The REST API authenticates with ``Authorization: Bearer <token>`` only — it ignores the cookie, so a
  cross-site page cannot act through the API with the visitor's session.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from ipoffice.domain.offices import User
from ipoffice.services.accounts import Accounts

SESSION_USER = "user"
SESSION_ID = "sid"
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"
FORM_FIELD = "form_token"  # one-time token of a form's rendering (``ipoffice.adapters.form_submissions``)


# --- sessions and CSRF -----------------------------------------------------------------------------

def _accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.web.accounts
    return accounts


_NOBODY = object()


def session_user(request: Request) -> User | None:
    """The user of the request's live login session (looked up once per request); None when there is none,
    it was ended by logging out or it expired (then the cookie forgets the user)."""
    cached = getattr(request.state, "session_user", _NOBODY)
    if cached is not _NOBODY:
        return cached  # type: ignore[return-value]
    username, session_id = request.session.get(SESSION_USER), request.session.get(SESSION_ID)
    user = None
    if username and session_id:
        user = _accounts(request).session_user(str(session_id), str(username))
    if user is None and (username or session_id):
        request.session.pop(SESSION_USER, None)
        request.session.pop(SESSION_ID, None)
    request.state.session_user = user
    return user


def client_address(request: Request) -> str | None:
    """The caller's address (behind a proxy: as uvicorn's ``--proxy-headers`` / ``--forwarded-allow-ips`` set)."""
    return request.client.host if request.client else None


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def bearer_user(request: Request) -> User | None:
    """The user of the request's API token, unless it was revoked or has expired."""
    token = bearer_token(request)
    return None if token is None else _accounts(request).user_of_token(token)


def log_in(request: Request, user: User) -> None:
    request.session.clear()  # a new session on login: no fixation of a session set before
    request.session[SESSION_USER] = user.username
    request.session[SESSION_ID] = _accounts(request).start_session(user.username)
    request.session[SESSION_CSRF] = secrets.token_urlsafe(24)
    request.state.session_user = user


def log_out(request: Request) -> None:
    """End the login session on the server (every copy of the cookie stops working) and clear the cookie."""
    session_id = request.session.get(SESSION_ID)
    if session_id:
        _accounts(request).end_session(str(session_id))
    request.session.clear()
    request.state.session_user = None


def csrf_token(request: Request) -> str:
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_CSRF] = token
    return str(token)


def new_form_token() -> str:
    """A fresh one-time token for one rendering of a form: its first submission acts, a repeat (a reload, a
    double click) is sent where the first one led."""
    return secrets.token_urlsafe(24)


def csrf_valid(request: Request, submitted: str | None) -> bool:
    expected = request.session.get(SESSION_CSRF)
    return bool(expected and submitted and hmac.compare_digest(str(expected), submitted))
