"""Storage for trademark examination and watch: the word marks of the register's trademark documents (as the
default earlier-mark finder compares them), the right holders' watches and the notices a watch run produced.
SQLAlchemy Core, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, and_, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from ipoffice.adapters import tables as t
from ipoffice.domain.trademark_conflicts import ConflictReason, EarlierMark, MarkRecord, class_numbers


@dataclass(frozen=True)
class Watch:
    """A right holder's watch: the mark and the Nice classes (() = every class) watched."""

    id: int
    holder: str
    mark: str
    classes: tuple[int, ...]
    created_at: datetime

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "holder": self.holder, "mark": self.mark, "classes": list(self.classes),
                "created_at": self.created_at.isoformat()}


@dataclass(frozen=True)
class WatchNotice:
    """A conflicting publication found for a watch, produced on ``produced_on``, before ``opposition_ends``."""

    watch_id: int
    holder: str
    watched_mark: str
    case_number: str
    published_mark: str
    classes: tuple[int, ...]
    publication_date: date
    opposition_ends: date
    score: float
    reasons: tuple[ConflictReason, ...]
    produced_on: date

    def as_dict(self) -> dict[str, object]:
        return {"watch": self.watch_id, "holder": self.holder, "watched_mark": self.watched_mark,
                "case": self.case_number, "published_mark": self.published_mark, "classes": list(self.classes),
                "publication_date": self.publication_date.isoformat(),
                "opposition_ends": self.opposition_ends.isoformat(), "score": self.score,
                "reasons": [r.as_dict() for r in self.reasons],
                "produced_on": self.produced_on.isoformat()}


def _classes_text(classes: Sequence[int]) -> str:
    return ",".join(map(str, classes))


def _classes(text: str) -> tuple[int, ...]:
    return class_numbers(text) if text else ()


class TrademarkStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- the register's word marks ------------------------------------------------------------------------

    def register_marks(self, batch_size: int = 2000) -> Iterator[MarkRecord]:
        """Every trademark document with a mark text: its number, text, Nice classes and date (application
        date, else publication date)."""
        d, g = t.documents, t.goods_and_services
        query = (select(d.c.id, d.c.number, d.c.mark_text, func.coalesce(d.c.application_date, d.c.publication_date))
                 .where(and_(d.c.right_type == "trademark", d.c.mark_text.is_not(None))).order_by(d.c.id))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            for start in range(0, len(rows), batch_size):
                batch = rows[start:start + batch_size]
                classes: dict[int, set[int]] = {}
                for doc_id, nice in conn.execute(select(g.c.document_id, g.c.nice_class).where(
                        g.c.document_id.in_([r[0] for r in batch]))):
                    classes.setdefault(doc_id, set()).add(int(nice))
                for doc_id, number, mark, day in batch:
                    yield MarkRecord(number, mark, tuple(sorted(c for c in classes.get(doc_id, ()) if 1 <= c <= 45)),
                                     day, "register")

    # -- watches --------------------------------------------------------------------------------------

    def add_watch(self, holder: str, mark: str, classes: Sequence[int]) -> Watch:
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            new_id = conn.execute(insert(t.trademark_watches).values(
                holder=holder, mark=mark, classes=_classes_text(classes), created_at=now)
                .returning(t.trademark_watches.c.id)).scalar_one()
        return Watch(new_id, holder, mark, tuple(classes), now)

    def watches(self, holder: str | None = None) -> list[Watch]:
        w = t.trademark_watches
        query = select(w).order_by(w.c.id)
        if holder is not None:
            query = query.where(w.c.holder == holder)
        with self.engine.connect() as conn:
            return [Watch(r.id, r.holder, r.mark, _classes(r.classes), r.created_at) for r in conn.execute(query)]

    def remove_watch(self, watch_id: int, holder: str) -> bool:
        w = t.trademark_watches
        with self.engine.begin() as conn:
            conn.execute(delete(t.trademark_watch_notices).where(t.trademark_watch_notices.c.watch_id == watch_id)
                         .where(t.trademark_watch_notices.c.watch_id.in_(
                             select(w.c.id).where(w.c.holder == holder))))
            return conn.execute(delete(w).where(w.c.id == watch_id, w.c.holder == holder)).rowcount > 0

    # -- notices --------------------------------------------------------------------------------------

    def add_notice(self, watch: Watch, case_number: str, found: EarlierMark, publication_date: date,
                   opposition_ends: date, produced_on: date) -> WatchNotice | None:
        """Record the notice; None when this watch already has one for that case (a run is idempotent)."""
        n = t.trademark_watch_notices
        reasons = json.dumps([r.as_dict() for r in found.reasons], ensure_ascii=False)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(n).values(
                    watch_id=watch.id, case_number=case_number, published_mark=found.mark,
                    classes=_classes_text(found.classes), publication_date=publication_date,
                    opposition_ends=opposition_ends, score=f"{found.score:.4f}", reasons=reasons,
                    produced_on=produced_on))
        except IntegrityError:
            return None
        return WatchNotice(watch.id, watch.holder, watch.mark, case_number, found.mark, found.classes,
                           publication_date, opposition_ends, round(found.score, 4), found.reasons, produced_on)

    def notices(self, holder: str | None = None) -> list[WatchNotice]:
        n, w = t.trademark_watch_notices, t.trademark_watches
        query = select(n, w.c.holder, w.c.mark).join(w, w.c.id == n.c.watch_id).order_by(n.c.id)
        if holder is not None:
            query = query.where(w.c.holder == holder)
        with self.engine.connect() as conn:
            return [WatchNotice(r.watch_id, r.holder, r.mark, r.case_number, r.published_mark, _classes(r.classes),
                                r.publication_date, r.opposition_ends, float(r.score),
                                tuple(ConflictReason.from_dict(x) for x in json.loads(r.reasons)),
                                r.produced_on) for r in conn.execute(query)]
