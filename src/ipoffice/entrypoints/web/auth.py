"""Logins of the web portal: signed session cookies, CSRF tokens, API tokens in the Authorization header.

Passwords and API tokens are checked by ``ipoffice.services.accounts`` (argon2 hashes; a token is shown
once, only its SHA-256 is stored).

- Pages authenticate with the session cookie (signed by Starlette's SessionMiddleware, HttpOnly,
  SameSite=Lax, Secure when served over HTTPS); every POST form carries the session's CSRF token.
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
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"


# --- sessions and CSRF -----------------------------------------------------------------------------

def _accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.web.accounts
    return accounts


def session_user(request: Request) -> User | None:
    username = request.session.get(SESSION_USER)
    if not username:
        return None
    return _accounts(request).user(username)


def bearer_user(request: Request) -> User | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return _accounts(request).user_of_token(token.strip())


def log_in(request: Request, user: User) -> None:
    request.session.clear()  # a new session on login: no fixation of a session set before
    request.session[SESSION_USER] = user.username
    request.session[SESSION_CSRF] = secrets.token_urlsafe(24)


def log_out(request: Request) -> None:
    request.session.clear()


def csrf_token(request: Request) -> str:
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_CSRF] = token
    return str(token)


def csrf_valid(request: Request, submitted: str | None) -> bool:
    expected = request.session.get(SESSION_CSRF)
    return bool(expected and submitted and hmac.compare_digest(str(expected), submitted))
