"""A change of a right in the register alerts the disputes about it, in the same transaction; the end of the right
flags its customs recordals and e-commerce takedown requests, in the same transaction too.

When an event of ``RIGHT_ALERTS`` (lapse, request for invalidation, invalidation, end of term, surrender) is
recorded on a patent, every administrative-adjudication case about that patent receives an
``alert_right_status`` event (hash-chained like any other, by the scheduled job's actor) and a notice to each
of its parties; the service that records the right's event calls :func:`alert_disputes` inside its own
transaction, so the right's change and the alerts are committed, or rolled back, together.
"""

from __future__ import annotations

from collections.abc import Sequence

from ipoffice.adapters.dispute_records import disputes_of_right, flag_recordals
from ipoffice.adapters.procedure_store import CaseRecord, Notice, StoreSession
from ipoffice.domain import case_file
from ipoffice.domain.event_log import LogEntry
from ipoffice.domain.procedures.base import Procedure, ProcedureEvent
from ipoffice.domain.procedures.cn_patent_dispute import ALERT_ACTION, RIGHT_ALERTS, RIGHT_ENDS
from ipoffice.domain.rules import RuleBook

ALERT_ACTOR = "system:right-watch"


def parties_of(record: CaseRecord) -> list[str]:
    """Usernames a notice of the case goes to: the applicant (requester), its agent, the other side."""
    return list(dict.fromkeys(filter(None, (record.applicant, record.agent, *record.other_parties))))


def alert_disputes(s: StoreSession, right: CaseRecord, entries: Sequence[LogEntry], procedure: Procedure,
                   rules: RuleBook) -> list[LogEntry]:
    """Record an alert on each dispute about ``right`` for each of ``entries`` (just appended to the right's
    log) that changes its status; returns the alert entries written."""
    changes = [e for e in entries if e.code in RIGHT_ALERTS]
    if not changes:
        return []
    for end in (e for e in changes if e.code in RIGHT_ENDS):
        flag_recordals(s, right.application_number, end.date, RIGHT_ALERTS[end.code])
    written: list[LogEntry] = []
    for dispute in disputes_of_right(s, right.application_number, lock=True):
        log = s.events_of(dispute)
        case = procedure.replay(
            case_file.procedure_events(ProcedureEvent(e.code, e.date, e.payload) for e in log), rules)
        last = log[-1].date if log else None
        events = [ProcedureEvent(ALERT_ACTION, max(e.date, last) if last else e.date, {
            "right_number": right.application_number, "right_event": e.code, "right_event_date": e.date.isoformat(),
            "right_sequence": e.sequence,
            "notice": f"Patent {right.application_number}: {RIGHT_ALERTS[e.code]} on {e.date.isoformat()}.",
        }) for e in changes]
        case, applied = procedure.apply_all(case, events, rules)
        alerts = s.append(dispute, ALERT_ACTOR, dispute.office, applied)
        for alert in alerts:
            for addressee in parties_of(dispute):
                s.add_notice(dispute, Notice(dispute.application_number, alert.sequence, alert.date, alert.code,
                                             addressee, str(alert.payload["notice"])))
        s.set_projection(dispute, state=case.state, published=dispute.published)
        written += alerts
    return written
