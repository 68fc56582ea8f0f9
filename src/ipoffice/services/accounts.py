"""Logins of the portal: argon2 password hashes and API tokens of the users known to the procedures.

Users, their offices and roles belong to the procedures (``users`` table); a login only adds the password
hash of a user and the hashes of their API tokens (a token is shown once, only its SHA-256 is stored).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ipoffice.adapters.accounts import AccountStore
from ipoffice.domain.offices import User
from ipoffice.services.procedures import DEMO_USERS, ProcedureService

DEMO_PASSWORD = "demo"  # the password of every demo user seeded by `ipoffice serve` on a fresh register

_hasher = PasswordHasher()


class Accounts:
    """Passwords and API tokens of the users known to the procedures."""

    def __init__(self, store: AccountStore, procedures: ProcedureService) -> None:
        self.store = store
        self.procedures = procedures

    def set_password(self, username: str, password: str) -> None:
        self.store.set_password_hash(username, _hasher.hash(password))

    def has_password(self, username: str) -> bool:
        return self.store.password_hash(username) is not None

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password matches; None otherwise (the same answer for an unknown user)."""
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

    def create_token(self, username: str, label: str = "") -> str:
        token = "ipo_" + secrets.token_urlsafe(32)
        self.store.add_token(token_hash(token), username, label[:100])
        return token

    def tokens(self, username: str) -> list[tuple[str, str, datetime]]:
        """(hash prefix, label, created) of a user's tokens."""
        return [(digest[:8], label, created) for digest, label, created in self.store.tokens(username)]

    def revoke_tokens(self, username: str) -> None:
        self.store.delete_tokens(username)

    def user_of_token(self, token: str) -> User | None:
        username = self.store.username_of_token(token_hash(token))
        return self.user(username) if username else None

    def seed_demo(self, password: str = DEMO_PASSWORD) -> list[str]:
        """The procedures' demo offices and users, each with ``password`` unless they already have one."""
        self.procedures.seed_demo()
        seeded = []
        for user in DEMO_USERS:
            if not self.has_password(user.username):
                self.set_password(user.username, password)
            seeded.append(user.username)
        return seeded


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
