"""The applicants registered with a protection centre by its staff (table ``centre_registrations``), read at
filing together with the registrations of the rules files, in the filing's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import insert, select, update

from ipoffice.adapters.procedure_store import StoreSession
from ipoffice.adapters.tables import centre_registrations as table
from ipoffice.domain.centres import CentreBook, Registration


def registrations(s: StoreSession, centre: str | None = None) -> dict[str, list[Registration]]:
    """The recorded registrations by centre code (of ``centre`` only, when given), oldest first."""
    query = select(table).order_by(table.c.id)
    if centre is not None:
        query = query.where(table.c.centre == centre)
    found: dict[str, list[Registration]] = {}
    for row in s.conn.execute(query):
        found.setdefault(row.centre, []).append(Registration(row.applicant, row.registered_on, row.reference,
                                                             row.until, row.recorded_by))
    return found


def with_recorded(s: StoreSession, book: CentreBook) -> CentreBook:
    """``book`` (the rules files' configuration) with the registrations recorded in the register added."""
    return book.with_registrations(registrations(s))


def insert_registration(s: StoreSession, centre: str, registration: Registration, recorded_on: date) -> None:
    s.conn.execute(insert(table).values(
        centre=centre, applicant=registration.applicant, registered_on=registration.registered_on,
        until=registration.until, reference=registration.reference, recorded_by=registration.recorded_by,
        recorded_on=recorded_on))


def end_registrations(s: StoreSession, centre: str, applicant: str, on: date, by: str) -> Sequence[date]:
    """End, on ``on`` (exclusive), the recorded registrations of ``applicant`` with ``centre`` that have a day
    from ``on``; the start days of those ended."""
    rows = s.conn.execute(select(table.c.id, table.c.registered_on).where(
        table.c.centre == centre, table.c.applicant == applicant, table.c.registered_on < on,
        (table.c.until.is_(None)) | (table.c.until > on))).all()
    for row in rows:
        s.conn.execute(update(table).where(table.c.id == row.id).values(until=on, ended_by=by))
    return [row.registered_on for row in rows]
