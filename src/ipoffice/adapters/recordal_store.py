"""Where the recordal requests are found in the event log (``ipoffice.domain.recordals``): their events are
records of the right's case file in ``case_events``, so no table of their own is needed — a request is the
``recordal_filed`` event whose sequence is its id, and the cases holding requests are those with such events."""

from __future__ import annotations

from sqlalchemy import func, select, update

from ipoffice.adapters.procedure_store import StoreSession, case_events, cases
from ipoffice.domain.recordals import FILED_EVENT


def case_of_request(s: StoreSession, request: int) -> str | None:
    """The application number of the case whose ``recordal_filed`` event has sequence ``request``."""
    row = s.conn.execute(
        select(cases.c.application_number).join(case_events, case_events.c.case_id == cases.c.id)
        .where(case_events.c.sequence == request, case_events.c.code == FILED_EVENT)
    ).first()
    return None if row is None else str(row.application_number)


def cases_with_requests(s: StoreSession) -> list[str]:
    """Application numbers of the cases with at least one recordal request, in order of their first one."""
    first = func.min(case_events.c.sequence)
    query = (
        select(cases.c.application_number, first).join(case_events, case_events.c.case_id == cases.c.id)
        .where(case_events.c.code == FILED_EVENT).group_by(cases.c.application_number).order_by(first)
    )
    return [str(r.application_number) for r in s.conn.execute(query)]


def set_party_of_record(s: StoreSession, case_id: int, username: str) -> None:
    """Make ``username`` the case's party of record (the ``applicant`` column the access policy reads), after a
    registered transfer: the new owner acts in the procedure (annual fees, requests) from then on."""
    s.conn.execute(update(cases).where(cases.c.id == case_id).values(applicant=username))
