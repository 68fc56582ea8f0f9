"""Use cases of relative-grounds examination of CN trademark applications, and of the third parties' requests
against a mark (opposition, Trademark Law Art. 33; non-use cancellation, Art. 49).

- :class:`RegisterEarlierMarks` is the office's default :class:`~ipoffice.domain.trademark_conflicts.EarlierMarkFinder`:
  the register's trademark documents and the office's CN trademark applications still alive, compared by
  normalised identity or containment with a Nice class in common. The composition root wires the word-mark
  similarity search instead, behind the same Protocol (``services.trademark_earlier_marks``), which keeps the
  applications matched here (:func:`case_marks`).
- :class:`TrademarkExamination` shows the examiner the earlier marks of a case and records a refusal (full, or
  partial by Nice class) citing the ones the examiner chose — always among the marks the finder gives for the
  case, so a refusal never cites a mark the office does not know; the citations go into the payload of the
  decision (``earlier_marks``), in the hash-chained log.
- :meth:`TrademarkExamination.third_party_request`: an opposition or a cancellation request is filed by someone
  who is not a party of the case (any registered applicant or agent other than the case's applicant); it is
  dated the day the office receives it, recorded in the case's log with the requester as actor and
  ``opponent`` in the payload, and notified to the applicant (and agent), who replies through the ordinary
  procedure (``reply_to_opposition``, ``submit_use_evidence``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ipoffice.adapters.procedure_store import CaseRecord, Notice, StoreSession
from ipoffice.adapters.trademark_store import TrademarkStore
from ipoffice.domain import case_file
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.offices import Role
from ipoffice.domain.payloads import check_payload
from ipoffice.domain.procedures.base import Case, Procedure, ProcedureEvent
from ipoffice.domain.rules import RuleBook
from ipoffice.domain.trademark_conflicts import (
    EarlierMark,
    EarlierMarkFinder,
    MarkRecord,
    citation_payload,
    class_numbers,
    filed_classes,
    ranked_conflicts,
)
from ipoffice.services.procedures import CaseNotFound, CaseView, ProcedureService, UnknownUser

TRADEMARK_PROCEDURE = "cn_trademark"
THIRD_PARTY_ACTIONS = ("file_opposition", "request_non_use_cancellation")
EXAMINATION_LIMIT = 20
CITABLE_LIMIT = 200  # how many earlier marks a refusal may choose its citations from


def case_mark(view: CaseView) -> tuple[str, tuple[int, ...]]:
    """The mark of a trademark case and its Nice classes (those still applied for, after a partial refusal)."""
    filed = next((e.payload for e in view.events if e.code == "file"), {})
    classes = view.case.facts.get("nice_classes")
    return str(filed.get("mark") or view.record.title or ""), (
        classes if isinstance(classes, tuple) else filed_classes(filed))


def _earliest(filed: Mapping[str, object], filing_date: date) -> date:
    claimed = filed.get("priority_dates")
    dates = [date.fromisoformat(str(d)) for d in claimed if d] if isinstance(claimed, list) else []
    return min([*dates, filing_date])


def priority_date(view: CaseView) -> date:
    """The date that ranks a mark against others: the earliest priority claimed (Trademark Law Art. 25-26), else
    the filing date."""
    return _earliest(next((e.payload for e in view.events if e.code == "file"), {}), view.record.filing_date)


def case_marks(procedures: ProcedureService, before: date | None) -> list[MarkRecord]:
    """The office's CN trademark applications not refused, withdrawn or cancelled, dated (priority, else filing)
    before ``before``."""
    procedure = procedures.catalogue.procedure(TRADEMARK_PROCEDURE)
    marks: list[MarkRecord] = []
    with procedures.store.reading() as s:
        for record in s.cases():
            if record.procedure != TRADEMARK_PROCEDURE or record.state in procedure.final_states:
                continue
            filed = next((e.payload for e in s.events_of(record) if e.code == "file"), {})
            ranked = _earliest(filed, record.filing_date)
            if filed.get("mark") and (before is None or ranked < before):
                marks.append(MarkRecord(record.application_number, str(filed["mark"]), filed_classes(filed),
                                        ranked, "case"))
    return marks


class RegisterEarlierMarks:
    """The default finder: exact or contained normalised word marks over the register and the applications."""

    def __init__(self, store: TrademarkStore, procedures: ProcedureService) -> None:
        self.store = store
        self.procedures = procedures

    def earlier_marks(self, mark: str, classes: Sequence[int], before: date | None, limit: int) -> list[EarlierMark]:
        candidates: Iterable[MarkRecord] = [*self.store.register_marks(), *case_marks(self.procedures, before)]
        return ranked_conflicts(mark, classes, candidates, before, limit)


@dataclass(frozen=True)
class RelativeGrounds:
    """What the examiner sees: the case, its mark and classes, the earlier marks found (best first)."""

    view: CaseView
    mark: str
    classes: tuple[int, ...]
    earlier: list[EarlierMark]


class TrademarkExamination:
    def __init__(self, procedures: ProcedureService, finder: EarlierMarkFinder) -> None:
        self.procedures = procedures
        self.finder = finder

    def relative_grounds(self, number: str, viewer: str, limit: int = EXAMINATION_LIMIT) -> RelativeGrounds:
        """The earlier marks conflicting with trademark case ``number`` (dated before its priority or filing date;
        the case itself left out), for a user who may see the case; InvalidField when it is not a trademark
        case."""
        view = self.procedures.show(number, viewer)
        if view.record.procedure != TRADEMARK_PROCEDURE:
            raise InvalidField("number", number, f"is a {view.record.procedure} case, not a CN trademark")
        mark, classes = case_mark(view)
        found = [m for m in self.finder.earlier_marks(mark, classes, priority_date(view), limit + 1)
                 if m.number != number][:limit]
        return RelativeGrounds(view, mark, classes, found)

    def refuse(self, number: str, actor: str, cited: Sequence[str], refused_classes: Sequence[int] | None = None,
               text: str = "", on: date | None = None, reason: str | None = None) -> CaseView:
        """Refuse the application citing the earlier marks numbered ``cited`` (at least one), in full or — with
        ``refused_classes`` — for those Nice classes only (the mark is then published for the others). The
        access policy and the procedure decide as for any act; InvalidField names a cited number that is not an
        earlier mark of the case."""
        grounds = self.relative_grounds(number, actor, CITABLE_LIMIT)
        chosen = _chosen(grounds.earlier, cited)
        payload: dict[str, object] = {"earlier_marks": citation_payload(chosen)}
        if text.strip():
            payload["text"] = text.strip()
        action = "refuse"
        if refused_classes:
            payload["refused_classes"] = list(class_numbers(list(refused_classes), "refused_classes"))
            action = "refuse_partially"
        return self.procedures.act(number, action, on, actor, payload, reason=reason)

    def third_party_request(self, number: str, action: str, requester: str, grounds: str = "",
                            cited: Sequence[str] = ()) -> CaseView:
        """File an opposition (``file_opposition``) or a request for non-use cancellation
        (``request_non_use_cancellation``) against published trademark case ``number`` by ``requester``, a user
        with the applicant or agent role who is not the case's applicant or agent. An opposition may cite earlier
        marks of the register or of the office (``cited``, numbers). Dated the office's today; the applicant
        and agent are notified. Refusals (CaseNotFound, InvalidField, ActionRefused, ActionNotAllowed) write
        nothing."""
        if action not in THIRD_PARTY_ACTIONS:
            raise InvalidField("action", action, f"a third party may file {', '.join(THIRD_PARTY_ACTIONS)}")
        on = self.procedures.clock()
        with self.procedures.store.writing() as s:
            record = s.case(number, lock=True)
            if record is None or not record.published or record.procedure != TRADEMARK_PROCEDURE:
                raise CaseNotFound(number)
            user = s.user(requester)
            if user is None:
                raise UnknownUser(requester)
            if not (user.has(Role.APPLICANT) or user.has(Role.AGENT)):
                raise InvalidField("requester", requester, "needs the applicant or agent role to file it")
            if requester in (record.applicant, record.agent):
                raise InvalidField("requester", requester, f"is a party of {number}: a third party files it")
            payload: dict[str, object] = {"opponent": requester}
            if grounds.strip():
                payload["grounds"] = grounds.strip()
            if cited:
                payload["earlier_marks"] = citation_payload(self._cited(s, cited, on))
            check_payload(action, payload, staff=True)
            proc, rules, case = self._replay(s, record)
            case, events = proc.apply(case, action, on, rules, payload)
            entries = s.append(record, requester, record.office, events)
            for entry in entries:
                for addressee in dict.fromkeys(filter(None, (record.applicant, record.agent))):
                    s.add_notice(record, Notice(number, entry.sequence, entry.date, entry.code, addressee,
                                                _request_notice(action, number, requester, on, case)))
            s.set_projection(record, state=case.state, published=record.published)
        return self.procedures.show(number, requester)

    def _replay(self, s: StoreSession, record: CaseRecord) -> tuple[Procedure, RuleBook, Case]:
        proc = self.procedures.catalogue.procedure(record.procedure)
        rules = self.procedures.catalogue.rules(record.jurisdiction)
        events = case_file.procedure_events(ProcedureEvent(e.code, e.date, e.payload) for e in s.events_of(record))
        return proc, rules, proc.replay(events, rules)

    @staticmethod
    def _cited(s: StoreSession, cited: Sequence[str], on: date) -> list[MarkRecord]:
        """The marks an opposition cites: trademark documents of the register or trademark cases of the office."""
        marks = []
        for raw in cited:
            number = raw.strip()
            found = s.document_number(number)
            case = None if found else s.case(number)
            if found is None and (case is None or case.procedure != TRADEMARK_PROCEDURE):
                raise InvalidField("earlier_marks", raw, "is not a mark of the register nor a trademark application")
            marks.append(MarkRecord(found or number, "", ()))
        return marks


def _request_notice(action: str, number: str, requester: str, on: date, case: Case) -> str:
    if action == "file_opposition":
        reply = case.time_limit("opposition_reply")
        due = f"; you may reply by {reply.due.isoformat()} ({reply.reference})" if reply else ""
        return f"Opposition to trademark application {number} filed by {requester} on {on.isoformat()}{due}."
    evidence = case.time_limit("use_evidence")
    due = f"; submit evidence of use by {evidence.due.isoformat()} ({evidence.reference})" if evidence else ""
    return f"Cancellation of trademark {number} for non-use requested by {requester} on {on.isoformat()}{due}."


def _chosen(earlier: Sequence[EarlierMark], cited: Sequence[str]) -> list[EarlierMark]:
    if not cited:
        raise InvalidField("earlier_marks", "", "a refusal on relative grounds cites at least one earlier mark")
    by_number = {m.number: m for m in earlier}
    chosen = []
    for number in dict.fromkeys(c.strip() for c in cited):
        if number not in by_number:
            raise InvalidField("earlier_marks", number, "is not an earlier conflicting mark of this case")
        chosen.append(by_number[number])
    return chosen

