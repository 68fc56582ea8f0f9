"""Other offices' recorded legal events (table ``recorded_events``: USPTO ODP transactions, EPO INPADOC
events) and offices' legal-event code tables (``legal_event_codes``: the EPO's table of 56 offices'
codes with their ST.27 class), in the register's database; migration 0009.

Events are replaced per (number, source), codes per (authority, code): a re-import changes nothing, a
newer response supersedes an older one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, or_, select, tuple_

from ipoffice.adapters import tables as t
from ipoffice.domain.legal_status import LegalEventCode, RecordedEvent, RecordedEvents


def save_events(conn: Connection, r: RecordedEvents, source_file: str | None) -> None:
    table = t.recorded_events
    conn.execute(delete(table).where(table.c.number == r.number, table.c.source == r.source))
    if r.events:
        conn.execute(insert(table), [
            {"number": r.number, "application_number": r.application_number, "source": r.source, "sequence": i,
             "code": e.code, "event_date": e.date, "description": e.description, "authority": e.office_code,
             "territory": e.territory if isinstance(e, RecordedEvent) else None,
             "designated": " ".join(e.designated) if isinstance(e, RecordedEvent) else "",
             "source_file": source_file} for i, e in enumerate(r.events)])


def save_codes(conn: Connection, codes: Sequence[LegalEventCode]) -> None:
    """Add or replace codes (the last of a repeated (authority, code) wins)."""
    table = t.legal_event_codes
    latest = {(c.authority, c.code): c for c in codes}
    if not latest:
        return
    keys = list(latest)
    for start in range(0, len(keys), 500):
        conn.execute(delete(table).where(tuple_(table.c.authority, table.c.code).in_(keys[start:start + 500])))
    conn.execute(insert(table), [{"authority": c.authority, "code": c.code, "description": c.description,
                                  "event_class": c.event_class, "influence": c.influence} for c in latest.values()])


class SqlRecordedEvents:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def of(self, number: str) -> list[RecordedEvents]:
        """The recorded events of a publication or application number (``EP1000000``, ``US15123456``),
        one entry per (number, source)."""
        table = t.recorded_events
        wanted = number.strip().upper().replace(" ", "")
        with self.engine.connect() as conn:
            rows = conn.execute(select(table).where(or_(table.c.number == wanted, table.c.application_number == wanted))
                                .order_by(table.c.number, table.c.source, table.c.sequence)).all()
        grouped: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for row in rows:
            grouped[(row.number, row.source)].append(row)
        return [RecordedEvents(n, group[0].application_number, source,
                               tuple(RecordedEvent(r.code, r.event_date, r.description, r.authority, r.territory,
                                                   tuple(r.designated.split())) for r in group))
                for (n, source), group in grouped.items()]

    def code_table(self) -> dict[tuple[str, str], LegalEventCode]:
        """Every imported legal-event code, by (authority, code)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.legal_event_codes)).all()
        return {(r.authority, r.code): LegalEventCode(r.authority, r.code, r.description, r.event_class, r.influence)
                for r in rows}
