"""Storage of the portal's logins: the password hash of each user and the hashes of their API tokens
(``web_credentials`` and ``web_api_tokens`` of ``ipoffice.adapters.portal_tables``)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select, update

from ipoffice.adapters.portal_tables import api_tokens, credentials


class AccountStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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

    def add_token(self, token_hash: str, username: str, label: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(api_tokens).values(token_hash=token_hash, username=username, label=label,
                                                   created_at=datetime.now(UTC)))

    def tokens(self, username: str) -> list[tuple[str, str, datetime]]:
        """(token hash, label, created) of a user's tokens, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(api_tokens).where(api_tokens.c.username == username)
                                .order_by(api_tokens.c.created_at)).all()
        return [(r.token_hash, r.label, r.created_at) for r in rows]

    def delete_tokens(self, username: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(api_tokens).where(api_tokens.c.username == username))

    def username_of_token(self, token_hash: str) -> str | None:
        with self.engine.connect() as conn:
            found = conn.execute(select(api_tokens.c.username)
                                 .where(api_tokens.c.token_hash == token_hash)).scalar_one_or_none()
        return None if found is None else str(found)
