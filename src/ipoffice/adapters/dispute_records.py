"""Which right each dispute is about (table ``disputes``): written with the dispute's filing, read to alert
the disputes of a right whose status changes, in the transaction of the change."""

from __future__ import annotations

from sqlalchemy import insert, select

from ipoffice.adapters.procedure_store import CaseRecord, StoreSession, cases
from ipoffice.adapters.tables import disputes


def insert_dispute(s: StoreSession, dispute: CaseRecord, right_number: str) -> None:
    s.conn.execute(insert(disputes).values(case_id=dispute.id, right_number=right_number))


def disputes_of_right(s: StoreSession, right_number: str, *, lock: bool = False) -> list[CaseRecord]:
    """The dispute cases about the right with application number ``right_number``, oldest first."""
    numbers = s.conn.execute(
        select(cases.c.application_number).join(disputes, disputes.c.case_id == cases.c.id)
        .where(disputes.c.right_number == right_number).order_by(cases.c.id)
    ).scalars().all()
    return [r for r in (s.case(n, lock=lock) for n in numbers) if r is not None]


def right_of_dispute(s: StoreSession, dispute: CaseRecord) -> str | None:
    return s.conn.execute(select(disputes.c.right_number).where(disputes.c.case_id == dispute.id)).scalar()
