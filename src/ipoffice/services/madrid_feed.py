"""Use case: feed the International Bureau's Madrid transactions (``adapters.madrid_transactions``) into the
``cn_madrid_trademark`` cases of the office.

A designation files a new case for the international registration, filed by the holder's representative on
the day the office records it, the IB's notification date in the payload (``notification_date``: the refusal
period runs from it); every later
transaction (renewal, transfer, limitation, ceasing of effect) is recorded on the case of its international
registration as the procedure's act, dated the day notified — so the procedure's guards and time limits apply
as to any act, and each one is a legal event of the case in the hash-chained log. The feed runs as the IB
notifies (a daily feed): a transaction dated before the case's last event (e.g. a history fed after the
designation was recorded today) is refused by the procedure, naming the dates. A transaction already
recorded (same case, act and date) is skipped, so a file fed twice records nothing new. Refusals of the
procedure (a transfer with no holder, a limitation of every class…) stop the feed at that transaction with the
error naming it; what was recorded before stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ipoffice.adapters.madrid_transactions import IbTransaction, read_transactions
from ipoffice.domain.errors import InvalidField
from ipoffice.services.procedures import Filing, ProcedureService

MADRID_PROCEDURE = "cn_madrid_trademark"


@dataclass(frozen=True)
class Fed:
    """What the feed did with one transaction: ``recorded`` or ``already recorded``, on which case."""

    transaction: IbTransaction
    case: str
    outcome: str

    def as_dict(self) -> dict[str, object]:
        t = self.transaction
        return {"international_registration_number": t.international_number, "action": t.action,
                "notified": t.notified.isoformat(), "case": self.case, "outcome": self.outcome}


class MadridFeed:
    def __init__(self, procedures: ProcedureService, office: str = "CNIPA") -> None:
        self.procedures = procedures
        self.office = office

    def cases_by_registration(self) -> dict[str, str]:
        """International registration number → application number of its designation case."""
        found: dict[str, str] = {}
        with self.procedures.store.reading() as s:
            for record in s.cases():
                if record.procedure != MADRID_PROCEDURE:
                    continue
                filed = next((e.payload for e in s.events_of(record) if e.code == "file"), {})
                number = str(filed.get("international_registration_number") or "").strip()
                if number:
                    found.setdefault(number, record.application_number)
        return found

    def feed_file(self, path: Path, holder: str, representative: str, actor: str) -> list[Fed]:
        return self.feed(read_transactions(path), holder, representative, actor)

    def feed(self, transactions: list[IbTransaction], holder: str, representative: str, actor: str) -> list[Fed]:
        """Record ``transactions`` in order: a designation filed for ``holder`` (a registered applicant) by
        ``representative`` (the holder or its agent), the later transactions recorded by ``actor`` (office staff)
        dated the day the IB notified them."""
        cases = self.cases_by_registration()
        done: list[Fed] = []
        for t in transactions:
            reason = f"notified by the International Bureau on {t.notified.isoformat()}"
            case = cases.get(t.international_number)
            if t.action == "file":
                if case is not None:
                    done.append(Fed(t, case, "already recorded"))
                    continue
                view = self.procedures.file(Filing(MADRID_PROCEDURE, self.office, holder, None, t.mark,
                                                   payload=t.payload), filed_by=representative)
                cases[t.international_number] = view.record.application_number
                done.append(Fed(t, view.record.application_number, "recorded"))
                continue
            if case is None:
                raise InvalidField("InternationalRegistrationNumber", t.international_number,
                                   f"has no designation of China recorded before its {t.action}")
            events = self.procedures.show(case, actor).events
            if any(e.code == t.action and e.date == t.notified for e in events):
                done.append(Fed(t, case, "already recorded"))
                continue
            self.procedures.act(case, t.action, t.notified, actor, t.payload or None, reason=reason)
            done.append(Fed(t, case, "recorded"))
        return done
