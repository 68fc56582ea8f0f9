"""Which right each dispute is about (table ``disputes``): written with the dispute's filing, read to alert
the disputes of a right whose status changes, in the transaction of the change; and the customs recordals and
e-commerce takedown requests recorded against a right (table ``enforcement_recordals``), flagged when it ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select, update

from ipoffice.adapters.procedure_store import CaseRecord, StoreSession, cases
from ipoffice.adapters.tables import disputes, enforcement_recordals


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


@dataclass(frozen=True)
class Recordal:
    """A customs recordal or e-commerce takedown request against a patent; ``flagged_on`` the day the patent
    ended (the authority must be told), None while it is in force."""

    id: int
    right_number: str
    kind: str
    authority: str
    reference: str
    recorded_on: date
    recorded_by: str
    flagged_on: date | None = None
    flag_reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "right_number": self.right_number, "kind": self.kind, "authority": self.authority,
                "reference": self.reference, "recorded_on": self.recorded_on.isoformat(),
                "recorded_by": self.recorded_by,
                "flagged_on": self.flagged_on.isoformat() if self.flagged_on else None,
                "flag_reason": self.flag_reason}


def insert_recordal(s: StoreSession, recordal: Recordal) -> Recordal:
    values = {k: v for k, v in vars(recordal).items() if k != "id"}
    new_id = s.conn.execute(insert(enforcement_recordals).values(**values)
                            .returning(enforcement_recordals.c.id)).scalar_one()
    return Recordal(**{**vars(recordal), "id": int(new_id)})


def recordals_of(s: StoreSession, right_number: str) -> list[Recordal]:
    rows = s.conn.execute(select(enforcement_recordals).where(enforcement_recordals.c.right_number == right_number)
                          .order_by(enforcement_recordals.c.id))
    return [Recordal(**r._mapping) for r in rows]


def flag_recordals(s: StoreSession, right_number: str, on: date, reason: str) -> int:
    """Flag the recordals of the right not flagged yet; how many were."""
    done = s.conn.execute(update(enforcement_recordals).where(
        enforcement_recordals.c.right_number == right_number, enforcement_recordals.c.flagged_on.is_(None),
    ).values(flagged_on=on, flag_reason=reason))
    return int(done.rowcount or 0)
