"""What an intruder with the database owner's rights can do: switch off the append-only triggers of the
event log and rewrite it, consistently (recomputing the hashes and the head) or not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import Connection, Engine, text

from ipoffice.domain.event_log import entry_hash

_SQLITE_TRIGGERS = ("case_events_no_update", "case_events_no_delete", "event_chain_forward_only",
                    "event_chain_no_delete")


@contextmanager
def without_log_triggers(engine: Engine) -> Iterator[Connection]:
    """A transaction in which the append-only triggers do not fire (dropped on SQLite, disabled on PostgreSQL)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE case_events DISABLE TRIGGER USER"))
            conn.execute(text("ALTER TABLE event_chain DISABLE TRIGGER USER"))
            yield conn
            conn.execute(text("ALTER TABLE case_events ENABLE TRIGGER USER"))
            conn.execute(text("ALTER TABLE event_chain ENABLE TRIGGER USER"))
        else:
            for name in _SQLITE_TRIGGERS:
                conn.execute(text(f"DROP TRIGGER {name}"))
            yield conn


def delete_last_and_move_head_back(conn: Connection) -> int:
    """Cut the last event off and move the head back onto the one before: the chain stays consistent."""
    last = conn.execute(text("SELECT max(sequence) FROM case_events")).scalar_one()
    conn.execute(text("DELETE FROM notices WHERE event_sequence = :s"), {"s": last})
    conn.execute(text("DELETE FROM case_events WHERE sequence = :s"), {"s": last})
    previous = conn.execute(text("SELECT hash FROM case_events WHERE sequence = :s"), {"s": last - 1}).scalar_one()
    conn.execute(text("UPDATE event_chain SET last_sequence = :s, head_hash = :h"), {"s": last - 1, "h": previous})
    return int(last)


def change_event_and_rehash(conn: Connection, sequence: int, new_date: date) -> None:
    """Change the date of event ``sequence`` and recompute its hash, every later hash and the head."""
    rows = conn.execute(text(
        "SELECT e.sequence, c.application_number, e.code, e.event_date, e.actor, e.office_code, e.payload, "
        "e.previous_hash FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.sequence >= :s "
        "ORDER BY e.sequence"), {"s": sequence}).all()
    previous = rows[0].previous_hash
    digest = previous
    for row in rows:
        on = new_date if row.sequence == sequence else row.event_date
        on = on if isinstance(on, date) else date.fromisoformat(str(on))
        digest = entry_hash(previous, row.sequence, row.application_number, row.code, on, row.actor,
                            row.office_code, json.loads(row.payload))
        conn.execute(text("UPDATE case_events SET event_date = :d, previous_hash = :p, hash = :h "
                          "WHERE sequence = :s"), {"d": on, "p": previous, "h": digest, "s": row.sequence})
        previous = digest
    conn.execute(text("UPDATE event_chain SET last_sequence = :s, head_hash = :h"),
                 {"s": rows[-1].sequence, "h": digest})
