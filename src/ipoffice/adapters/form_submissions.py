"""Storage of the one-time tokens of the portal's forms (``web_form_submissions`` of
``ipoffice.adapters.portal_tables``): each rendering of a form carries a random token; its first submission
claims the token (an INSERT on its primary key, so two concurrent submissions cannot both win), and when it
succeeded the row keeps where it led. A later submission of the same token is told that target instead of
acting again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ipoffice.adapters.portal_tables import form_submissions

KEEP = timedelta(days=2)  # a form older than this cannot be replayed anyway: the session has ended


@dataclass(frozen=True)
class Claimed:
    """The outcome of claiming a token: ``first`` when this submission is the first one; otherwise
    ``target`` is where the first one led (None: it is still being handled)."""

    first: bool
    target: str | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class FormSubmissions:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, token: str) -> Claimed:
        """Claim ``token`` for the submission being handled (see the module docstring)."""
        now = datetime.now(UTC)
        digest = _digest(token)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(form_submissions).values(token_hash=digest, submitted_at=now, target=None))
        except IntegrityError:
            with self.engine.connect() as conn:
                target = conn.execute(select(form_submissions.c.target)
                                      .where(form_submissions.c.token_hash == digest)).scalar_one_or_none()
            return Claimed(False, None if target is None else str(target))
        with self.engine.begin() as conn:  # housekeeping
            conn.execute(delete(form_submissions).where(form_submissions.c.submitted_at < now - KEEP))
        return Claimed(True)

    def succeeded(self, token: str, target: str) -> None:
        """The submission of ``token`` acted and led to ``target`` (a path of the portal)."""
        with self.engine.begin() as conn:
            conn.execute(update(form_submissions).where(form_submissions.c.token_hash == _digest(token))
                         .values(target=target[:500]))

    def failed(self, token: str) -> None:
        """The submission of ``token`` changed nothing (refused, invalid): the same form may be sent again."""
        with self.engine.begin() as conn:
            conn.execute(delete(form_submissions).where(form_submissions.c.token_hash == _digest(token)))
