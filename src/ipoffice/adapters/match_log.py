"""The match log (table ``match_log``): every need matched, with what was returned, for the office's
statistics of need → patent matching (issue #16)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, insert, select

from ipoffice.adapters import tables as t


@dataclass(frozen=True)
class LoggedMatch:
    id: int
    matched_at: datetime
    channel: str
    need: str
    need_lang: str
    in_force_only: bool
    numbers: list[str]
    top_score: float | None


class MatchLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, *, channel: str, need: str, need_lang: str, in_force_only: bool, numbers: Sequence[str],
               top_score: float | None, at: datetime | None = None) -> int:
        """Append one matched need; returns its id."""
        row = {"matched_at": at or datetime.now(UTC), "channel": channel, "need": need, "need_lang": need_lang,
               "in_force_only": in_force_only, "results": len(numbers), "numbers": json.dumps(list(numbers)),
               "top_score": None if top_score is None else f"{top_score:.4f}"}
        with self.engine.begin() as conn:
            key = conn.execute(insert(t.match_log).values(**row)).inserted_primary_key
            assert key is not None
            return int(key[0])

    def recent(self, limit: int = 20) -> list[LoggedMatch]:
        """The latest matched needs, newest first."""
        m = t.match_log
        with self.engine.connect() as conn:
            rows = conn.execute(select(m).order_by(m.c.id.desc()).limit(limit)).all()
        return [LoggedMatch(r.id, r.matched_at, r.channel, r.need, r.need_lang, r.in_force_only,
                            json.loads(r.numbers), float(r.top_score) if r.top_score else None) for r in rows]

    def statistics(self, top: int = 10) -> dict[str, Any]:
        """Needs matched in all, by language and channel, needs that found nothing, and the rights returned
        most often (each right counted once per need)."""
        m = t.match_log
        with self.engine.connect() as conn:
            total = int(conn.execute(select(func.count()).select_from(m)).scalar_one())
            by_lang = {str(k): int(v) for k, v in conn.execute(
                select(m.c.need_lang, func.count()).group_by(m.c.need_lang).order_by(m.c.need_lang))}
            by_channel = {str(k): int(v) for k, v in conn.execute(
                select(m.c.channel, func.count()).group_by(m.c.channel).order_by(m.c.channel))}
            empty = int(conn.execute(select(func.count()).select_from(m).where(m.c.results == 0)).scalar_one())
            returned: Counter[str] = Counter()
            for numbers in conn.execute(select(m.c.numbers)).scalars():
                returned.update(set(json.loads(numbers)))
        return {"needs": total, "by_language": by_lang, "by_channel": by_channel, "needs_without_result": empty,
                "rights_returned_most": [{"number": n, "needs": c} for n, c in returned.most_common(top)]}
