"""Recorded assignments in the register's database (SQLite or PostgreSQL; table ``assignments`` and its
children; migration 0009); ``save`` also takes the other records of the same imports (recorded events,
event codes: ``adapters.recorded_events``), so that one transaction holds what one batch read.

A recording is identified by its reel and frame: saving it again replaces it whole (its parties,
properties and references with it), so a re-import is idempotent and a later response supersedes an
earlier one. Recorded events are replaced per (number, source) for the same reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, or_, select, true, tuple_

from ipoffice.adapters import tables as t
from ipoffice.adapters.recorded_events import save_codes, save_events
from ipoffice.domain.assignments import Assignee, Assignment, Assignor, Property, covers, property_key
from ipoffice.domain.legal_status import LegalEventCode, RecordedEvents

TitleRecord = Assignment | RecordedEvents | LegalEventCode  # what ``save`` takes


class SqlTitleStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- writing -----------------------------------------------------------------------------

    def save(self, records: Sequence[tuple[TitleRecord, str | None]]) -> int:
        """Save (record, source file) pairs in one transaction, all or nothing; the number saved."""
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            for record, source_file in records:
                if isinstance(record, Assignment):
                    self._save_assignment(conn, record, source_file, now)
                elif isinstance(record, RecordedEvents):
                    save_events(conn, record, source_file)
            save_codes(conn, [record for record, _ in records if isinstance(record, LegalEventCode)])
        return len(records)

    def _save_assignment(self, conn: Connection, a: Assignment, source_file: str | None, now: datetime) -> None:
        old = conn.execute(select(t.assignments.c.id).where(
            t.assignments.c.reel == a.reel, t.assignments.c.frame == a.frame)).scalar()
        if old is not None:
            for child in (t.assignment_parties, t.assignment_properties, t.assignment_references):
                conn.execute(delete(child).where(child.c.assignment_id == old))
            conn.execute(delete(t.assignments).where(t.assignments.c.id == old))
        new_id = conn.execute(insert(t.assignments).values(
            reel=a.reel, frame=a.frame, recorded_date=a.recorded, conveyance_text=a.conveyance_text,
            conveyance_type=a.conveyance_type, matched_pattern=a.matched_pattern, page_count=a.pages,
            correspondent=a.correspondent, source=a.source, source_file=source_file, imported_at=now,
        ).returning(t.assignments.c.id)).scalar_one()
        parties = [{"role": "assignor", "name": x.name, "execution_date": x.execution_date, "address": ""}
                   for x in a.assignors]
        parties += [{"role": "assignee", "name": x.name, "execution_date": None, "address": x.address}
                    for x in a.assignees]
        rows: list[tuple[Any, list[dict[str, Any]]]] = [
            (t.assignment_parties, parties),
            (t.assignment_properties, [{"application_number": p.application_number, "patent_number": p.patent_number,
                                        "publication_number": p.publication_number, "title": p.title}
                                       for p in a.properties]),
            (t.assignment_references, [{"reel": reel, "frame": frame} for reel, frame in a.references]),
        ]
        for table, values in rows:
            if values:
                conn.execute(insert(table),
                             [{"assignment_id": new_id, "sequence": i, **v} for i, v in enumerate(values)])

    # --- reading -----------------------------------------------------------------------------

    def assignments_covering(self, number: str) -> list[Assignment]:
        """Every recording with ``number`` among its properties (see ``domain.assignments.covers``)."""
        key = property_key(number)
        variants = sorted({key, key.zfill(8), number.strip().upper().removeprefix("US")})
        p = t.assignment_properties.c
        ids = select(p.assignment_id).where(or_(p.application_number.in_(variants), p.patent_number.in_(variants),
                                                p.publication_number.in_(variants)))
        return [a for a in self._load(t.assignments.c.id.in_(ids)) if covers(a, number)]

    def assignments_at(self, reel_frames: Iterable[tuple[int, int]]) -> list[Assignment]:
        wanted = list(set(reel_frames))
        if not wanted:
            return []
        return self._load(tuple_(t.assignments.c.reel, t.assignments.c.frame).in_(wanted))

    def all_assignments(self) -> list[Assignment]:
        return self._load(true())

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                "assignments": conn.execute(select(func.count()).select_from(t.assignments)).scalar_one(),
                "recorded_events": conn.execute(select(func.count()).select_from(t.recorded_events)).scalar_one(),
            }

    def _load(self, where: Any) -> list[Assignment]:
        with self.engine.connect() as conn:
            heads = conn.execute(select(t.assignments).where(where).order_by(t.assignments.c.id)).all()
            ids = [h.id for h in heads]
            kids: dict[Any, dict[int, list[Any]]] = {}
            for table in (t.assignment_parties, t.assignment_properties, t.assignment_references):
                by_id: dict[int, list[Any]] = defaultdict(list)
                for chunk in range(0, len(ids), 500):
                    for row in conn.execute(select(table).where(table.c.assignment_id.in_(ids[chunk:chunk + 500]))
                                            .order_by(table.c.assignment_id, table.c.sequence)):
                        by_id[row.assignment_id].append(row)
                kids[table] = by_id
        out = []
        for h in heads:
            parties = kids[t.assignment_parties][h.id]
            out.append(Assignment(
                reel=h.reel, frame=h.frame, recorded=h.recorded_date, conveyance_text=h.conveyance_text,
                conveyance_type=h.conveyance_type,
                assignors=tuple(Assignor(p.name, p.execution_date) for p in parties if p.role == "assignor"),
                assignees=tuple(Assignee(p.name, p.address) for p in parties if p.role == "assignee"),
                properties=tuple(Property(p.application_number, p.patent_number, p.publication_number, p.title)
                                 for p in kids[t.assignment_properties][h.id]),
                pages=h.page_count, correspondent=h.correspondent, source=h.source, matched_pattern=h.matched_pattern,
                references=tuple((r.reel, r.frame) for r in kids[t.assignment_references][h.id])))
        return out
