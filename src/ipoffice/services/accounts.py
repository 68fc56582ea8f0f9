"""Logins of the portal: argon2 password hashes, login sessions, API tokens, and the throttling of password
guesses, for the users known to the procedures.

Users, their offices and roles belong to the procedures (``users`` table); a login only adds the password
hash of a user, the hashes of their API tokens (a token is shown once, only its SHA-256 is stored) and of
their login sessions (a session ends at logout or after its lifetime, whoever holds a copy of the cookie).

Password guesses are throttled per account and per client address with the ``limits`` library (a moving
window over the *failed* attempts; storage ``memory://`` per process by default, or any ``limits`` storage
URI such as ``redis://`` shared by several workers). Unknown usernames are throttled exactly like known
ones, so the answers reveal nothing about which accounts exist.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from ipoffice.adapters.accounts import AccountStore, StoredToken
from ipoffice.domain.offices import User
from ipoffice.services.procedures import DEMO_USERS, ProcedureService

DEMO_PASSWORD = "demo"  # the password of every demo user seeded by `ipoffice serve` on a fresh register
TOKEN_ID_CHARS = 16  # a token's public id: the first characters of its SHA-256 (the hash is not the secret)
MAX_TOKEN_DAYS = 365

_hasher = PasswordHasher()


class TooManyAttempts(Exception):  # noqa: N818 - the name says what the caller is told
    """Too many failed logins for this account or from this address: retry after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins: try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class AccountPolicy:
    """How long sessions and tokens live and how many failed logins are allowed (from ``config.Settings``)."""

    session_hours: float = 8
    token_days: int = 90
    attempts_per_account: str = "5 per 15 minutes"
    attempts_per_address: str = "20 per 15 minutes"
    throttle_storage: str = "memory://"


@dataclass(frozen=True)
class TokenInfo:
    id: str
    label: str
    created_at: datetime
    expires_at: datetime

    @property
    def expired(self) -> bool:
        return self.expires_at <= datetime.now(UTC)


class LoginThrottle:
    """Failed logins per account and per client address in a moving window (the ``limits`` library)."""

    def __init__(self, policy: AccountPolicy) -> None:
        self.storage = storage_from_string(policy.throttle_storage)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.per_account = parse(policy.attempts_per_account)
        self.per_address = parse(policy.attempts_per_address)

    def _keys(self, username: str, address: str | None) -> list[tuple[RateLimitItem, tuple[str, str]]]:
        keys = [(self.per_account, ("login-account", username.strip().casefold()))]
        if address:
            keys.append((self.per_address, ("login-address", address_key(address))))
        return keys

    def check(self, username: str, address: str | None) -> None:
        """Raise TooManyAttempts while the account or the address has used up its failed attempts."""
        waits = []
        for limit, key in self._keys(username, address):
            if not self.limiter.test(limit, *key):
                reset = self.limiter.get_window_stats(limit, *key).reset_time
                waits.append(max(1, math.ceil(reset - time.time())))
        if waits:
            raise TooManyAttempts(max(waits))

    def failed(self, username: str, address: str | None) -> None:
        for limit, key in self._keys(username, address):
            self.limiter.hit(limit, *key)

    def succeeded(self, username: str) -> None:
        self.limiter.clear(self.per_account, "login-account", username.strip().casefold())


class Accounts:
    """Passwords, login sessions and API tokens of the users known to the procedures."""

    def __init__(self, store: AccountStore, procedures: ProcedureService, policy: AccountPolicy | None = None) -> None:
        self.store = store
        self.procedures = procedures
        self.policy = policy or AccountPolicy()
        self.throttle = LoginThrottle(self.policy)
        self._demo_shown: tuple[float, bool] | None = None
        self._demo_lock = threading.Lock()

    # --- passwords -------------------------------------------------------------------------------------

    def set_password(self, username: str, password: str) -> None:
        self.store.set_password_hash(username, _hasher.hash(password))
        self._demo_shown = None

    def has_password(self, username: str) -> bool:
        return self.store.password_hash(username) is not None

    def authenticate(self, username: str, password: str, address: str | None = None) -> User | None:
        """The user when the password matches; None otherwise (the same answer for an unknown user).

        Raises TooManyAttempts, before checking the password, while the account (known or not) or the client
        ``address`` has used up its failed attempts."""
        self.throttle.check(username, address)
        user = self._verify(username, password)
        if user is None:
            self.throttle.failed(username, address)
        else:
            self.throttle.succeeded(username)
        return user

    def _verify(self, username: str, password: str) -> User | None:
        stored = self.store.password_hash(username)
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

    # --- login sessions ----------------------------------------------------------------------------------

    def start_session(self, username: str) -> str:
        """A new login session of ``username``: the random id for the cookie (only its hash is stored)."""
        session_id = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        self.store.delete_sessions(expired_before=now)  # housekeeping: expired sessions are gone anyway
        self.store.add_session(_digest(session_id), username, now + timedelta(hours=self.policy.session_hours))
        return session_id

    def session_user(self, session_id: str, username: str) -> User | None:
        """The user of a live session (not logged out, not expired, of ``username``); None otherwise."""
        found = self.store.session(_digest(session_id))
        if found is None or found[0] != username or found[1] <= datetime.now(UTC):
            return None
        return self.user(username)

    def end_session(self, session_id: str) -> None:
        self.store.delete_session(_digest(session_id))

    def end_all_sessions(self, username: str) -> int:
        return self.store.delete_sessions(username)

    # --- API tokens ------------------------------------------------------------------------------------------

    def create_token(self, username: str, label: str = "", days: int | None = None) -> str:
        """A new API token of ``username`` valid for ``days`` (default the policy's, at most a year)."""
        days = min(max(1, days or self.policy.token_days), MAX_TOKEN_DAYS)
        token = "ipo_" + secrets.token_urlsafe(32)
        self.store.add_token(token_hash(token), username, label[:100], datetime.now(UTC) + timedelta(days=days))
        return token

    def _info(self, stored: StoredToken) -> TokenInfo:
        expires = stored.expires_at or stored.created_at + timedelta(days=self.policy.token_days)
        return TokenInfo(stored.token_hash[:TOKEN_ID_CHARS], stored.label, stored.created_at, expires)

    def tokens(self, username: str) -> list[TokenInfo]:
        """A user's tokens, oldest first (expired ones too, until revoked)."""
        return [self._info(t) for t in self.store.tokens(username)]

    def token_info(self, token: str) -> TokenInfo | None:
        stored = self.store.token(token_hash(token))
        return None if stored is None else self._info(stored)

    def revoke_token(self, username: str, token_id: str) -> bool:
        """Revoke ``username``'s token whose id is ``token_id``; False when the user has no such token."""
        for stored in self.store.tokens(username):
            if token_id and stored.token_hash[:TOKEN_ID_CHARS] == token_id:
                return self.store.delete_token(stored.token_hash)
        return False

    def revoke_tokens(self, username: str) -> None:
        self.store.delete_tokens(username)

    def user_of_token(self, token: str) -> User | None:
        """The user of a token that exists (not revoked) and has not expired; None otherwise."""
        stored = self.store.token(token_hash(token))
        if stored is None or self._info(stored).expired:
            return None
        return self.user(stored.username)

    # --- demo users ----------------------------------------------------------------------------------------

    def seed_demo(self, password: str = DEMO_PASSWORD) -> list[str]:
        """The procedures' demo offices and users, each with ``password`` unless they already have one."""
        self.procedures.seed_demo()
        seeded = []
        for user in DEMO_USERS:
            if not self.has_password(user.username):
                self.set_password(user.username, password)
            seeded.append(user.username)
        self._demo_shown = None
        return seeded

    def demo_password_works(self, max_age: float = 60.0) -> bool:
        """Whether the demo users log in with DEMO_PASSWORD (the login page shows it only then); checked at
        most once a minute (an argon2 verification)."""
        with self._demo_lock:
            now = time.monotonic()
            if self._demo_shown is None or now - self._demo_shown[0] > max_age:
                self._demo_shown = (now, self._demo_password_works())
            return self._demo_shown[1]

    def _demo_password_works(self) -> bool:
        for user in DEMO_USERS:
            stored = self.store.password_hash(user.username)
            if stored is not None:
                try:
                    return bool(_hasher.verify(stored, DEMO_PASSWORD))
                except (VerificationError, InvalidHashError):
                    return False
        return False


def address_key(address: str) -> str:
    """The throttled unit of a client address: an IPv4 address, or the /64 network of an IPv6 address (one
    host usually holds a whole /64, so counting single IPv6 addresses would let it rotate through them)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def token_hash(token: str) -> str:
    return _digest(token)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
