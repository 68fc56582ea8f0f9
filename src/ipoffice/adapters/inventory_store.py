"""Rows of the stock-patent inventory (``inventory_members``, ``inventory_entries``, ``inventory_events``) read and
written on a connection of the caller's transaction. Events are only inserted (triggers refuse UPDATE and DELETE).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, insert, select

from ipoffice.adapters import tables as t
from ipoffice.domain.inventory import Event


@dataclass(frozen=True)
class EntryRow:
    id: int
    holder: str
    number: str
    keeper: str
    created_on: date


def _entry(row: object) -> EntryRow:
    m = row._mapping  # type: ignore[attr-defined]
    return EntryRow(m["id"], m["holder"], m["number"], m["keeper"], m["created_on"])


def members(conn: Connection, holder: str) -> dict[str, str]:
    """username → function (keeper | reviewer) of ``holder``."""
    rows = conn.execute(select(t.inventory_members.c.username, t.inventory_members.c.function)
                        .where(t.inventory_members.c.holder == holder))
    return {r.username: r.function for r in rows}


def holders_of(conn: Connection, username: str) -> dict[str, str]:
    """holder → function of ``username``'s memberships."""
    rows = conn.execute(select(t.inventory_members.c.holder, t.inventory_members.c.function)
                        .where(t.inventory_members.c.username == username))
    return {r.holder: r.function for r in rows}


def add_member(conn: Connection, holder: str, username: str, function: str, by: str, on: date) -> bool:
    """Add a member; False when ``username`` already is one (nothing changes)."""
    if username in members(conn, holder):
        return False
    conn.execute(insert(t.inventory_members).values(holder=holder, username=username, function=function,
                                                    added_by=by, added_on=on))
    return True


def entries(conn: Connection, holders: Collection[str] | None = None, number: str | None = None,
            *, lock: bool = False) -> list[EntryRow]:
    q = select(t.inventory_entries).order_by(t.inventory_entries.c.holder, t.inventory_entries.c.number)
    if holders is not None:
        q = q.where(t.inventory_entries.c.holder.in_(list(holders)))
    if number is not None:
        q = q.where(t.inventory_entries.c.number == number)
    if lock:
        q = q.with_for_update()
    return [_entry(r) for r in conn.execute(q)]


def entry(conn: Connection, entry_id: int, *, lock: bool = False) -> EntryRow | None:
    q = select(t.inventory_entries).where(t.inventory_entries.c.id == entry_id)
    row = conn.execute(q.with_for_update() if lock else q).first()
    return None if row is None else _entry(row)


def add_entry(conn: Connection, holder: str, number: str, keeper: str, on: date) -> int:
    result = conn.execute(insert(t.inventory_entries).values(holder=holder, number=number, keeper=keeper,
                                                             created_on=on))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def events(conn: Connection, entry_ids: Collection[int]) -> dict[int, list[Event]]:
    """entry id → its events, oldest first."""
    out: dict[int, list[Event]] = {i: [] for i in entry_ids}
    if not entry_ids:
        return out
    rows = conn.execute(select(t.inventory_events).where(t.inventory_events.c.entry_id.in_(list(entry_ids)))
                        .order_by(t.inventory_events.c.id))
    for r in rows:
        out[r.entry_id].append(Event(r.id, r.code, r.event_date, r.actor, json.loads(r.payload)))
    return out


def append(conn: Connection, entry_id: int, code: str, on: date, actor: str, payload: Mapping[str, object]) -> None:
    conn.execute(insert(t.inventory_events).values(
        entry_id=entry_id, code=code, event_date=on, actor=actor,
        payload=json.dumps(dict(payload), ensure_ascii=False, sort_keys=True), recorded_at=datetime.now(UTC)))
