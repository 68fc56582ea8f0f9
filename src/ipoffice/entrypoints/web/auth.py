"""Logins of the web portal: argon2 password hashes, signed session cookies, CSRF tokens, API tokens.

Users, their offices and roles belong to the procedures (``users`` table); the portal only adds what a
login needs, in two tables of its own: the password hash of a user and the hashes of their API tokens
(a token is shown once, only its SHA-256 is stored).

- Pages authenticate with the session cookie (signed by Starlette's SessionMiddleware, HttpOnly,
  SameSite=Lax, Secure when served over HTTPS); every POST form carries the session's CSRF token.
- The REST API authenticates with ``Authorization: Bearer <token>`` only — it ignores the cookie, so a
  cross-site page cannot act through the API with the visitor's session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Request
from sqlalchemy import Engine, delete, insert, select, update

from ipoffice.adapters.portal_tables import api_tokens, credentials
from ipoffice.domain.offices import User
from ipoffice.services.procedures import ProcedureService

SESSION_USER = "user"
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"
DEMO_PASSWORD = "demo"  # the password of every demo user seeded by `ipoffice serve` on a fresh register

_hasher = PasswordHasher()


class Accounts:
    """Passwords and API tokens of the users known to the procedures."""

    def __init__(self, engine: Engine, procedures: ProcedureService) -> None:
        self.engine = engine
        self.procedures = procedures

    def set_password(self, username: str, password: str) -> None:
        digest = _hasher.hash(password)
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            done = conn.execute(update(credentials).where(credentials.c.username == username)
                                .values(password_hash=digest, updated_at=now)).rowcount
            if not done:
                conn.execute(insert(credentials).values(username=username, password_hash=digest, updated_at=now))

    def has_password(self, username: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(credentials.c.username).where(credentials.c.username == username)).first() \
                is not None

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password matches; None otherwise (the same answer for an unknown user)."""
        with self.engine.connect() as conn:
            stored = conn.execute(select(credentials.c.password_hash)
                                  .where(credentials.c.username == username)).scalar_one_or_none()
        if stored is None:
            _hasher.hash(password)  # spend the same time as a real check: no user enumeration by timing
            return None
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if _hasher.check_needs_rehash(stored):
            self.set_password(username, password)
        return self.user(username)

    def user(self, username: str) -> User | None:
        with self.procedures.store.reading() as s:
            return s.user(username)

    def create_token(self, username: str, label: str = "") -> str:
        token = "ipo_" + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(insert(api_tokens).values(token_hash=_token_hash(token), username=username,
                                                   label=label[:100], created_at=datetime.now(UTC)))
        return token

    def tokens(self, username: str) -> list[tuple[str, str, datetime]]:
        """(hash prefix, label, created) of a user's tokens."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(api_tokens).where(api_tokens.c.username == username)
                                .order_by(api_tokens.c.created_at)).all()
        return [(r.token_hash[:8], r.label, r.created_at) for r in rows]

    def revoke_tokens(self, username: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(api_tokens).where(api_tokens.c.username == username))

    def user_of_token(self, token: str) -> User | None:
        with self.engine.connect() as conn:
            username = conn.execute(select(api_tokens.c.username)
                                    .where(api_tokens.c.token_hash == _token_hash(token))).scalar_one_or_none()
        return self.user(username) if username else None

    def seed_demo(self, password: str = DEMO_PASSWORD) -> list[str]:
        """The procedures' demo offices and users, each with ``password`` unless they already have one."""
        from ipoffice.services.procedures import DEMO_USERS

        self.procedures.seed_demo()
        seeded = []
        for user in DEMO_USERS:
            if not self.has_password(user.username):
                self.set_password(user.username, password)
            seeded.append(user.username)
        return seeded


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- sessions and CSRF -----------------------------------------------------------------------------

def session_user(request: Request) -> User | None:
    username = request.session.get(SESSION_USER)
    if not username:
        return None
    accounts: Accounts = request.app.state.web.accounts
    return accounts.user(username)


def bearer_user(request: Request) -> User | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    accounts: Accounts = request.app.state.web.accounts
    return accounts.user_of_token(token.strip())


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
