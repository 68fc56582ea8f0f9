"""Use cases of the administrative adjudication of patent infringement disputes: file a request against a patent
of the register, show a dispute with its right (claims and status on the date of the alleged infringement, and
now), its clocks and its alerts, list the disputes a user may see, and draft the decision.

A dispute is a case of the ``cn_patent_dispute`` procedure (``ipoffice.domain.procedures.cn_patent_dispute``):
its acts go through ``ProcedureService.act`` (``ipoffice act``) like any other case, its events are in the same
hash-chained log, and its parties are the requester (the case's applicant, with its agent) and the respondent
(with its agent, the case's other parties). The ``disputes`` table links it to the patent's case, so that a
change of the patent alerts it in the same transaction (``ipoffice.services.dispute_alerts``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ipoffice.adapters.dispute_records import Recordal, insert_dispute, insert_recordal, recordals_of, right_of_dispute
from ipoffice.adapters.procedure_store import CaseRecord, StoreSession
from ipoffice.domain import case_file, recordals
from ipoffice.domain.case_file import Document
from ipoffice.domain.dating import BACKDATED, act_date
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.event_log import LogEntry
from ipoffice.domain.numbering import SequenceKey
from ipoffice.domain.offices import AccessPolicy, OfficeLevel, Role, User
from ipoffice.domain.procedures.base import OpenTimeLimit, ProcedureEvent
from ipoffice.domain.procedures.cn_patent_dispute import ALERT_ACTION, PROCEDURE, RECORDAL_KINDS, STOPPED_CLOCKS
from ipoffice.services.procedures import (
    AccessDenied,
    CaseNotFound,
    CaseView,
    ProcedureService,
    UnknownUser,
    limit_as_dict,
)

IN_FORCE = ("granted", "invalidation_pending")
PATENT_PROCEDURES = ("cn_invention", "cn_utility_model", "cn_design")
MAX_DESCRIPTION_CHARS = 20_000
FILING_KEYS = ("respondent", "respondent_agent", "agent", "office", "infringement_date", "asserted_claims",
               "product_description", "note")
NUMBER_TYPE = "dispute"


@dataclass(frozen=True)
class RightAtDate:
    """The patent a dispute is about: its case, its state now and on the date of the alleged infringement (its
    events up to that day replayed), and its claims as filed."""

    view: CaseView
    state_now: str
    state_on_infringement: str | None  # None: no infringement date given
    claims: list[str]
    priority_date: date  # the earliest priority date, else the filing date (prior art must be older)

    @property
    def in_force_on_infringement(self) -> bool | None:
        return None if self.state_on_infringement is None else self.state_on_infringement in IN_FORCE


@dataclass(frozen=True)
class DisputeView:
    view: CaseView  # the dispute case
    filing: Mapping[str, object]  # the request as filed
    right: RightAtDate
    alerts: list[LogEntry]
    recordals: list[Recordal]  # customs recordals and takedown requests against the patent

    @property
    def number(self) -> str:
        return self.view.record.application_number

    @property
    def respondent(self) -> str:
        return str(self.filing.get("respondent", ""))

    @property
    def infringement_date(self) -> date | None:
        raw = self.filing.get("infringement_date")
        return date.fromisoformat(str(raw)) if raw else None

    @property
    def asserted_claims(self) -> list[int]:
        raw = self.filing.get("asserted_claims") or [1]
        return [int(n) for n in raw] if isinstance(raw, list) else [1]

    @property
    def product_description(self) -> str:
        return str(self.filing.get("product_description") or "")

    @property
    def clocks(self) -> tuple[OpenTimeLimit, ...]:
        return self.view.case.open_time_limits

    def claim_text(self, number: int) -> str:
        """Claim ``number`` (1-based) of the right as filed; LookupError naming it when there is none."""
        if not 1 <= number <= len(self.right.claims):
            raise LookupError(f"claim: patent {self.right.view.record.application_number} has no claim {number} "
                              f"({len(self.right.claims)} claims)")
        return self.right.claims[number - 1]

    @property
    def parties(self) -> dict[str, str | None]:
        """The requester (the patentee) and the respondent, each with its agent."""
        record = self.view.record
        agent = self.filing.get("respondent_agent")
        return {"requester": record.applicant, "requester_agent": record.agent, "respondent": self.respondent,
                "respondent_agent": str(agent) if agent else None}

    @property
    def suspension(self) -> dict[str, object]:
        """Dates of the suspension (requested, suspended, resumed), the days not counted, the clocks stopped."""
        case = self.view.case
        stopped = case.facts.get(STOPPED_CLOCKS, ())
        days = case.facts.get("days_suspended")
        return {"requested_on": _iso(case.facts.get("suspension_requested_on")),
                "suspended_on": _iso(case.facts.get("suspended_on")),
                "resumed_on": _iso(case.facts.get("resumed_on")),
                "days_not_counted": days if isinstance(days, int) else None,
                "stopped_clocks": [limit_as_dict(t) for t in stopped if isinstance(t, OpenTimeLimit)]
                if case.state == "suspended" and isinstance(stopped, tuple) else []}

    def as_dict(self) -> dict[str, object]:
        facts = self.view.case.facts
        return {
            **self.view.as_dict(),
            "respondent": self.respondent, "other_parties": list(self.view.record.other_parties),
            "parties": self.parties, "suspension": self.suspension,
            "documents": [{"filename": d.filename, "sha256": d.sha256, "size": d.size, "action": d.action}
                          for d in case_file.documents_attached(self.view.events)],
            "right": {"application_number": self.right.view.record.application_number,
                      "title": self.right.view.record.title, "state": self.right.state_now,
                      "state_on_infringement_date": self.right.state_on_infringement,
                      "priority_date": self.right.priority_date.isoformat(), "claims": self.right.claims},
            "infringement_date": self.infringement_date.isoformat() if self.infringement_date else None,
            "asserted_claims": self.asserted_claims,
            "hearing_date": _iso(facts.get("hearing_date")),
            "clocks": [limit_as_dict(t) for t in self.clocks],
            "alerts": [{"date": a.date.isoformat(), "right_event": a.payload.get("right_event"),
                        "notice": a.payload.get("notice")} for a in self.alerts],
            "recordals": [r.as_dict() for r in self.recordals],
        }


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def _filing(entries: Sequence[LogEntry]) -> Mapping[str, object]:
    return next((e.payload for e in entries if e.code == "file"), {})


class DisputeService:
    def __init__(self, procedures: ProcedureService) -> None:
        self.procedures = procedures

    def file(self, right_number: str, actor: str, payload: Mapping[str, object], on: date | None = None,
             reason: str | None = None) -> CaseView:
        """File a request for adjudication against the patent with application number ``right_number``.

        ``payload``: ``respondent`` (username, required), ``respondent_agent``, ``agent`` (the requester's),
        ``office`` (handling office; default the patent's), ``infringement_date`` (YYYY-MM-DD),
        ``asserted_claims`` (claim numbers, default [1]), ``product_description`` (the accused product),
        ``note``. The requester is the patentee (the patent's applicant), filing itself or through an agent, or a
        licensee whose exclusive or sole licence (``ipoffice.domain.recordals``, registered) is in force on the
        filing day: the "interested party" of Patent Law Art. 65 (an ordinary licensee needs the patentee's
        authorisation, which is not modelled: refused).

        Raises InvalidField naming the field (unknown key, patent not in force, unknown claim, a party without
        the role), CaseNotFound (no such patent), UnknownUser, AccessDenied (not the patentee nor an agent);
        nothing is written then."""
        unknown = sorted(set(payload) - set(FILING_KEYS))
        if unknown:
            raise InvalidField(f"payload.{unknown[0]}", payload[unknown[0]],
                               f"unknown key; a request may hold {', '.join(FILING_KEYS)}")
        service = self.procedures
        proc = service.catalogue.procedure(PROCEDURE)
        with service.store.writing() as s:
            right = s.case(right_number.strip(), lock=True)
            if right is None or right.procedure not in PATENT_PROCEDURES:
                raise CaseNotFound(right_number)
            user = s.user(actor)
            if user is None:
                raise UnknownUser(actor)
            rules = service.catalogue.rules(right.jurisdiction)
            right_entries = s.events_of(right)
            right_events = self._in_force(right, right_entries)
            dated = act_date(today=service.clock(), requested=on, staff=user.is_staff, reason=reason)
            licensee = _licensee(right, right_entries, actor, dated.on)
            if licensee is None:
                self._patentee_side(s, right, actor)
            claims = _claims(right_events)
            asserted = payload.get("asserted_claims", [1])
            if not isinstance(asserted, list) or not asserted or not all(
                    isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= len(claims) for n in asserted):
                raise InvalidField("payload.asserted_claims", asserted,
                                   f"must be a list of claim numbers of the patent (1 to {len(claims)})")
            description = payload.get("product_description", "")
            if not isinstance(description, str) or len(description) > MAX_DESCRIPTION_CHARS:
                raise InvalidField("payload.product_description", type(description).__name__,
                                   f"must be text of at most {MAX_DESCRIPTION_CHARS} characters")
            respondent = self._party(s, payload.get("respondent"), "respondent", None)
            assert respondent is not None
            respondent_agent = self._party(s, payload.get("respondent_agent"), "respondent_agent", Role.AGENT)
            agent = self._party(s, payload.get("agent"), "agent", Role.AGENT) or (
                actor if user.has(Role.AGENT) and licensee is None else None)
            requester = right.applicant if licensee is None else actor
            if respondent in (requester, agent):
                raise InvalidField("payload.respondent", respondent, "is the requester's side")
            policy = AccessPolicy(s.office_tree(), service.catalogue.consequence_kinds())
            office = policy.offices.get(str(payload.get("office") or right.office))
            if office.jurisdiction != right.jurisdiction or office.level is OfficeLevel.SERVICE_CENTRE:
                raise InvalidField("payload.office", office.code, "does not handle patent disputes under "
                                   f"{right.jurisdiction} law (a national, provincial or local office does)")
            serial = s.next_serial(office.code, SequenceKey(dated.on.year, NUMBER_TYPE))
            number = f"{office.code}-{dated.on.year}-J{serial:04d}"
            event_payload: dict[str, object] = {
                "right_number": right.application_number, "respondent": respondent, "asserted_claims": asserted,
                "requester_capacity": "patentee" if licensee is None else f"{licensee}_licensee",
                **{k: payload[k] for k in ("infringement_date", "product_description", "note") if payload.get(k)},
                **({"respondent_agent": respondent_agent} if respondent_agent else {}),
            }
            case, events = proc.apply(proc.new_case(), "file", on=dated.on, rules=rules, payload=event_payload)
            record = s.insert_case(CaseRecord(
                application_number=number, jurisdiction=right.jurisdiction, procedure=PROCEDURE,
                right_type=right.right_type, office=office.code, applicant=requester, agent=agent,
                title=f"Infringement dispute over patent {right.application_number}: {right.title}"[:500],
                filing_date=dated.on, published=False, state=case.state,
                other_parties=tuple(filter(None, (respondent, respondent_agent))),
            ))
            insert_dispute(s, record, right.application_number)
            if dated.backdating is not None:
                events = [ProcedureEvent(e.code, e.date, {**e.payload, BACKDATED: dated.backdating})
                          for e in events]
            entries = s.append(record, actor, office.code, events)
            return CaseView(record, case, proc.allowed_actions(case), entries)

    @staticmethod
    def _patentee_side(s: StoreSession, right: CaseRecord, actor: str) -> User:
        """The acting user when the patentee, the patent's agent or an agent (acting for the patentee)."""
        user = s.user(actor)
        if user is None:
            raise UnknownUser(actor)
        if not (user.username in (right.applicant, right.agent) or user.has(Role.AGENT)):
            raise AccessDenied(f"{actor} is neither the patentee of {right.application_number} nor an agent",
                               "not_patentee", {"user": actor, "number": right.application_number})
        return user

    def _in_force(self, right: CaseRecord, entries: Sequence[LogEntry]) -> list[ProcedureEvent]:
        """The patent's procedure events, when its events say it is in force (else InvalidField naming it)."""
        catalogue = self.procedures.catalogue
        events = case_file.procedure_events(ProcedureEvent(e.code, e.date, e.payload) for e in entries)
        state = catalogue.procedure(right.procedure).replay(events, catalogue.rules(right.jurisdiction)).state
        if state not in IN_FORCE:
            raise InvalidField("right_number", right.application_number, f"the patent is not in force (state {state})")
        return events

    def record_enforcement(self, right_number: str, actor: str, kind: str, authority: str,
                           reference: str = "") -> Recordal:
        """Record a customs recordal (``kind`` "customs") or an e-commerce takedown request ("ecommerce") against
        the patent, dated today by the office's clock; it is flagged when the patent ends. By the patentee's side;
        InvalidField naming the field (kind, authority, a patent not in force), CaseNotFound, AccessDenied."""
        if kind not in RECORDAL_KINDS:
            raise InvalidField("kind", kind, f"must be one of {', '.join(RECORDAL_KINDS)}")
        if not authority.strip() or len(authority) > 200:
            raise InvalidField("authority", authority[:80], "must name the customs office or the platform "
                                                            "(at most 200 characters)")
        if len(reference) > 100:
            raise InvalidField("reference", reference[:80], "at most 100 characters")
        with self.procedures.store.writing() as s:
            right = s.case(right_number.strip(), lock=True)
            if right is None or right.procedure not in PATENT_PROCEDURES:
                raise CaseNotFound(right_number)
            user = self._patentee_side(s, right, actor)
            self._in_force(right, s.events_of(right))
            return insert_recordal(s, Recordal(0, right.application_number, kind, authority.strip(),
                                               reference.strip(), self.procedures.clock(), user.username))

    def recordals(self, right_number: str) -> list[Recordal]:
        """The recordals against a patent (public, like the patent they enforce)."""
        with self.procedures.store.reading() as s:
            return recordals_of(s, right_number)

    @staticmethod
    def _party(s: StoreSession, username: object, field: str, role: Role | None) -> str | None:
        if username is None or username == "":
            if field == "respondent":
                raise InvalidField(f"payload.{field}", None, "is required (the username of the respondent)")
            return None
        user = s.user(str(username))
        if user is None:
            raise InvalidField(f"payload.{field}", username, "is not a user (see `ipoffice offices users`)")
        if role is not None and not user.has(role):
            raise InvalidField(f"payload.{field}", username, f"is not a user with the {role.value} role")
        return user.username

    def show(self, number: str, viewer: str | None) -> DisputeView:
        """The dispute as ``viewer`` may see it (its parties and the staff of the handling office or above; to
        anyone else it does not exist: CaseNotFound)."""
        view = self.procedures.show(number, viewer)
        if view.record.procedure != PROCEDURE:
            raise CaseNotFound(number)
        with self.procedures.store.reading() as s:
            right_number = right_of_dispute(s, view.record)
        if right_number is None:
            raise CaseNotFound(number)
        filing = _filing(view.events)
        infringement = filing.get("infringement_date")
        right = self._right(right_number, date.fromisoformat(str(infringement)) if infringement else None)
        alerts = [e for e in view.events if e.code == ALERT_ACTION]
        return DisputeView(view, filing, right, alerts, self.recordals(right_number))

    def act(self, number: str, action: str, actor: str, payload: Mapping[str, object], on: date | None = None,
            reason: str | None = None, document: Document | None = None) -> DisputeView:
        """Take ``action`` on dispute ``number`` as ``actor`` through the procedures (the guards of
        ``ipoffice act``: access policy, procedure, dating), with ``document`` attached to it when given; the
        dispute afterwards. CaseNotFound when it is not a dispute ``actor`` may see."""
        self.show(number, actor)
        self.procedures.act(number, action, on, actor, dict(payload), document, reason=reason)
        return self.show(number, actor)

    def _right(self, number: str, on: date | None) -> RightAtDate:
        service = self.procedures
        with service.store.reading() as s:
            record = s.case(number)
            if record is None:
                raise CaseNotFound(number)
            entries = s.events_of(record)
        proc = service.catalogue.procedure(record.procedure)
        rules = service.catalogue.rules(record.jurisdiction)
        events = case_file.procedure_events(ProcedureEvent(e.code, e.date, e.payload) for e in entries)
        case = proc.replay(events, rules)
        state_then = None if on is None else proc.replay([e for e in events if e.date <= on], rules).state
        view = CaseView(record, case, proc.allowed_actions(case), entries)
        priority = case.date_fact("earliest_priority_date") or record.filing_date
        return RightAtDate(view, case.state, state_then, _claims(events), priority)

    def queue(self, viewer: str) -> list[DisputeView]:
        """The disputes ``viewer`` may see, the most urgent clock first."""
        with self.procedures.store.reading() as s:
            numbers = [r.application_number for r in s.cases() if r.procedure == PROCEDURE]
        found = []
        for number in numbers:
            try:
                found.append(self.show(number, viewer))
            except CaseNotFound:
                continue
        return sorted(found, key=lambda d: (min((t.due for t in d.clocks), default=date.max), d.number))


def _licensee(right: CaseRecord, entries: Sequence[LogEntry], actor: str, on: date) -> str | None:
    """The kind (exclusive, sole) of ``actor``'s registered licence of the right in force on ``on``, or None."""
    record = recordals.right_record(right.applicant, recordals.recordals_of(right.application_number, entries))
    return next((lic.kind for lic in record.licences_in_force(on)
                 if lic.licensee == actor and lic.kind in recordals.EXCLUSIVE_KINDS), None)


def _claims(events: Sequence[ProcedureEvent]) -> list[str]:
    filed = next((e.payload for e in events if e.code == "file"), {})
    claims = filed.get("claims") or []
    return [str(c) for c in claims] if isinstance(claims, list) else [str(claims)]
