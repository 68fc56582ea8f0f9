"""Storage of the portal's logins: the password hash of each user, the hashes of their API tokens (with
expiry) and of their login sessions (``web_credentials``, ``web_api_tokens`` and ``web_sessions`` of
``ipoffice.adapters.portal_tables``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select, update

from ipoffice.adapters.portal_tables import api_tokens, credentials, sessions


@dataclass(frozen=True)
class StoredToken:
    token_hash: str
    username: str
    label: str
    created_at: datetime
    expires_at: datetime | None


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back: they were written in UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class AccountStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- passwords ---------------------------------------------------------------------------------------

    def password_hash(self, username: str) -> str | None:
        with self.engine.connect() as conn:
            found = conn.execute(select(credentials.c.password_hash)
                                 .where(credentials.c.username == username)).scalar_one_or_none()
        return None if found is None else str(found)

    def set_password_hash(self, username: str, digest: str) -> None:
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            done = conn.execute(update(credentials).where(credentials.c.username == username)
                                .values(password_hash=digest, updated_at=now)).rowcount
            if not done:
                conn.execute(insert(credentials).values(username=username, password_hash=digest, updated_at=now))

    # --- API tokens ----------------------------------------------------------------------------------------

    def add_token(self, token_hash: str, username: str, label: str, expires_at: datetime | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(api_tokens).values(token_hash=token_hash, username=username, label=label,
                                                   created_at=datetime.now(UTC), expires_at=expires_at))

    def tokens(self, username: str) -> list[StoredToken]:
        """A user's tokens, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(api_tokens).where(api_tokens.c.username == username)
                                .order_by(api_tokens.c.created_at)).all()
        return [StoredToken(r.token_hash, r.username, r.label, _utc(r.created_at) or r.created_at,
                            _utc(r.expires_at)) for r in rows]

    def token(self, token_hash: str) -> StoredToken | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(api_tokens).where(api_tokens.c.token_hash == token_hash)).one_or_none()
        if r is None:
            return None
        return StoredToken(r.token_hash, r.username, r.label, _utc(r.created_at) or r.created_at,
                           _utc(r.expires_at))

    def delete_token(self, token_hash: str) -> bool:
        with self.engine.begin() as conn:
            return bool(conn.execute(delete(api_tokens).where(api_tokens.c.token_hash == token_hash)).rowcount)

    def delete_tokens(self, username: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(api_tokens).where(api_tokens.c.username == username))

    def username_of_token(self, token_hash: str) -> str | None:
        found = self.token(token_hash)
        return None if found is None else found.username

    # --- login sessions --------------------------------------------------------------------------------------

    def add_session(self, session_hash: str, username: str, expires_at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(sessions).values(session_hash=session_hash, username=username,
                                                 created_at=datetime.now(UTC), expires_at=expires_at))

    def session(self, session_hash: str) -> tuple[str, datetime] | None:
        """(username, expires at) of a session."""
        with self.engine.connect() as conn:
            r = conn.execute(select(sessions.c.username, sessions.c.expires_at)
                             .where(sessions.c.session_hash == session_hash)).one_or_none()
        return None if r is None else (str(r.username), _utc(r.expires_at) or r.expires_at)

    def delete_session(self, session_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.session_hash == session_hash))

    def delete_sessions(self, username: str | None = None, *, expired_before: datetime | None = None) -> int:
        """Delete a user's sessions (all of them), or every session that expired before ``expired_before``."""
        query = delete(sessions)
        if username is not None:
            query = query.where(sessions.c.username == username)
        if expired_before is not None:
            query = query.where(sessions.c.expires_at < expired_before)
        with self.engine.begin() as conn:
            return int(conn.execute(query).rowcount or 0)
