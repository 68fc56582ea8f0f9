"""Use cases of the office procedures: file, act, due dates, the overdue job, the gazette, the audit; and
the records of the case file (``ipoffice.domain.case_file``): citing a document in the search report,
attaching a document to a party's act, paying a fee.

Every change is a legal event appended to the hash-chained log in the same transaction as the
case it belongs to; the state of a case is always rebuilt by replaying its events through its
procedure (``ipoffice.domain.procedures``). A refusal — by the access policy or by the procedure
(``ActionNotAllowed`` naming the state and the allowed actions, ``ActionRefused``) — is raised
inside the transaction before anything is written, so the register is unchanged.
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from typing import Protocol

from ipoffice.adapters.centre_registrations import with_recorded
from ipoffice.adapters.procedure_store import CaseRecord, Notice, ProcedureStore, StoreSession
from ipoffice.domain import case_file
from ipoffice.domain.case_file import AttachedDocument, Citation, Document
from ipoffice.domain.centres import CentreBook
from ipoffice.domain.dating import BACKDATED, ActDate, act_date
from ipoffice.domain.document import RightType
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.event_log import Anchor, BrokenLink, ChainReport, LogEntry, verify_chain
from ipoffice.domain.fees_due import FeeDue, fees_due, unpaid_before
from ipoffice.domain.legal_status import GAZETTE_SECTIONS, gazette_section, makes_public
from ipoffice.domain.numbering import format_publication, numbering_for, publication_kind, publication_sequence
from ipoffice.domain.offices import (
    ACTION_KINDS,
    AccessPolicy,
    ActionKind,
    Office,
    OfficeLevel,
    Role,
    User,
)
from ipoffice.domain.payloads import check_payload
from ipoffice.domain.procedures.base import (
    ActionRefused,
    Case,
    OpenTimeLimit,
    Procedure,
    ProcedureEvent,
    Reason,
    before_last_event,
)
from ipoffice.domain.procedures.cn_patent_dispute import PROCEDURE as DISPUTE_PROCEDURE
from ipoffice.domain.rules import RuleBook
from ipoffice.domain.trademark_conflicts import DECISIONS_ON_REQUESTS, requesters_to_notify
from ipoffice.services import centre_filing
from ipoffice.services.dispute_alerts import alert_disputes, parties_of

SYSTEM_ACTOR = "system:overdue-job"
DECIDING_CODES = frozenset().union(*DECISIONS_ON_REQUESTS.values())

# -- errors ----------------------------------------------------------------------------------------


class AccessDenied(PermissionError):
    """The user may not see or do this; the message says why, ``code`` and ``params`` say which refusal of
    the access policy it is (see ``Decision``)."""

    def __init__(self, reason: str, code: str = "", params: Mapping[str, object] | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.params = dict(params or {})


class CaseNotFound(LookupError):
    def __init__(self, number: str) -> None:
        super().__init__(f"no case with application number {number!r}")
        self.number = number


class UnknownUser(LookupError):
    def __init__(self, username: str) -> None:
        super().__init__(
            f"no user {username!r} (see `ipoffice offices users`; `ipoffice offices seed-demo` adds demo users)"
        )
        self.username = username


class UnknownProcedure(LookupError):
    def __init__(self, name: str, known: Iterable[str]) -> None:
        super().__init__(f"procedure: unknown {name!r}; known: {', '.join(sorted(known))}")
        self.name = name


# -- the procedures and rules in use ---------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """The procedures by name and the rule book of each jurisdiction."""

    procedures: Mapping[str, Procedure]
    rules_for: Callable[[str], RuleBook]  # jurisdiction code, e.g. "CN"

    def procedure(self, name: str) -> Procedure:
        if name not in self.procedures:
            raise UnknownProcedure(name, self.procedures)
        return self.procedures[name]

    def rules(self, jurisdiction: str) -> RuleBook:
        return self.rules_for(jurisdiction)

    def consequence_kinds(self) -> dict[str, ActionKind]:
        """Actions that are the legal consequence of a missed time limit, from the procedures' own
        definitions; they belong to the scheduled job (and registrars/administrators), never to the parties."""
        kinds = dict(ACTION_KINDS)
        for proc in self.procedures.values():
            for t in proc.transitions:
                for spec in t.opens:
                    if spec.consequence is not None:
                        kinds[spec.consequence] = ActionKind.CONSEQUENCE
        return kinds


@cache
def default_catalogue() -> Catalogue:
    """Every ``Procedure`` defined in the modules of ``ipoffice.domain.procedures`` and the packaged rules."""
    from ipoffice.adapters.rules_loader import load_rules

    package = importlib.import_module("ipoffice.domain.procedures")
    found: dict[str, Procedure] = {}
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, Procedure):
                found[value.name] = value
    return Catalogue(found, lambda jurisdiction: load_rules(jurisdiction.lower()))


def right_type_of(procedure: str) -> RightType:
    """The kind of right a procedure is about, from its name (``cn_utility_model``, ``us_design``...)."""
    for word, right in (("utility_model", RightType.UTILITY_MODEL), ("design", RightType.DESIGN),
                        ("trademark", RightType.TRADEMARK), ("plant", RightType.PLANT)):
        if word in procedure:
            return right
    return RightType.INVENTION


def jurisdiction_of(procedure: str) -> str:
    return procedure.split("_", 1)[0].upper()


# -- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseView:
    record: CaseRecord
    case: Case
    allowed_actions: list[str]
    events: list[LogEntry]

    def as_dict(self) -> dict[str, object]:
        r = self.record
        return {
            "application_number": r.application_number, "procedure": r.procedure, "jurisdiction": r.jurisdiction,
            "right_type": r.right_type.value, "office": r.office, "applicant": r.applicant, "agent": r.agent,
            "title": r.title, "filing_date": r.filing_date.isoformat(), "published": r.published,
            "state": self.case.state, "allowed_actions": self.allowed_actions,
            "open_time_limits": [limit_as_dict(t) for t in self.case.open_time_limits],
            "events": [entry_as_dict(e) for e in self.events],
        }


def public_dict(view: CaseView) -> dict[str, object]:
    """What the public may see of a published case: the bibliographic data, the application as published,
    the legal status and the dated legal events with their publication numbers — not the file's notes,
    payments, uploaded documents nor who acted (``CaseView.as_dict`` is the whole file, for its parties and
    the office)."""
    r = view.record
    filed = _filing_payload(view.events)
    legal = [e for e in view.events if not case_file.is_record(e.code)]
    return {
        "application_number": r.application_number, "publication_numbers": publication_numbers(view),
        "procedure": r.procedure, "jurisdiction": r.jurisdiction, "right_type": r.right_type.value,
        "office": r.office, "applicant": r.applicant, "agent": r.agent, "title": r.title,
        "filing_date": r.filing_date.isoformat(), "published": r.published, "state": view.case.state,
        "application": {k: filed[k] for k in ("abstract", "claims", "description", "ipc", "priorities")
                        if k in filed},
        "legal_events": [{"code": e.code, "date": e.date.isoformat(),
                          **({"publication_number": e.payload["publication_number"]}
                             if "publication_number" in e.payload else {})} for e in legal],
    }


def publication_numbers(view: CaseView) -> list[str]:
    """The case's publication numbers (``CN900000001A``, then ``…B`` at grant), oldest first."""
    return [str(e.payload["publication_number"]) for e in view.events
            if isinstance(e.payload.get("publication_number"), str)]


def limit_as_dict(t: OpenTimeLimit) -> dict[str, object]:
    return {"name": t.name, "due": t.due.isoformat(), "expires_after": t.expires_after.isoformat(),
            "consequence": t.consequence, "reference": t.reference, "opened_by": t.opened_by}


def entry_as_dict(e: LogEntry) -> dict[str, object]:
    return {"sequence": e.sequence, "case": e.case, "code": e.code, "date": e.date.isoformat(), "actor": e.actor,
            "office": e.office, "payload": dict(e.payload), "hash": e.hash}


@dataclass(frozen=True)
class DueItem:
    case: str
    state: str
    limit: OpenTimeLimit


@dataclass(frozen=True)
class OverdueOutcome:
    case: str
    events: list[LogEntry]
    state: str
    notices: list[Notice]


@dataclass(frozen=True)
class OverdueReport:
    today: date
    cases_checked: int
    outcomes: list[OverdueOutcome] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (case, reason)


@dataclass(frozen=True)
class GazetteItem:
    section: str
    case: str
    code: str
    date: date
    title: str
    procedure: str
    office: str


@dataclass(frozen=True)
class Gazette:
    week: str
    first_day: date
    last_day: date
    items: list[GazetteItem]

    def section(self, name: str) -> list[GazetteItem]:
        return [i for i in self.items if i.section == name]


def parse_iso_week(text: str) -> tuple[date, date]:
    """``2026-W47`` → (Monday, Sunday) of that ISO week."""
    try:
        year_text, week_text = text.strip().upper().split("-W")
        monday = date.fromisocalendar(int(year_text), int(week_text), 1)
    except ValueError:
        raise InvalidField("week", text, "expected an ISO week such as 2026-W47") from None
    return monday, monday + timedelta(days=6)


# -- the service -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filing:
    procedure: str
    office: str
    applicant: str
    filing_date: date | None  # None: today (the office's clock); an earlier date only by staff, with a reason
    title: str = ""
    agent: str | None = None
    payload: Mapping[str, object] = field(default_factory=dict)  # e.g. {"priority_dates": ["2025-06-01"]}
    pct: bool = False  # a PCT application entering the national phase (CN type digits 8 and 9)
    date_reason: str = ""  # why staff record the filing with an earlier date


class DocumentFiles(Protocol):
    """Where the content of attached documents is kept (``ipoffice.adapters.document_files``)."""

    def save(self, case: str, sha256: str, filename: str, content: bytes) -> None: ...

    def holds(self, case: str, sha256: str, filename: str) -> bool:
        """Whether the document is stored for the case and its content has that SHA-256."""
        ...

    def read(self, case: str, sha256: str, filename: str) -> bytes | None:
        """The stored content, if it still has that SHA-256."""
        ...


class CaseWatcher(Protocol):
    """Called in the transaction of every act on a case and of the overdue job's run over it, after their
    events are appended (``entries``; none when the job found nothing due): it may append records of the case
    file and serve notices, which then stand or fall with the act (e.g. a pledgee alerted of a lapse,
    ``ipoffice.services.recordals.PledgeWatch``). Returns the notices served."""

    def watch(self, s: StoreSession, record: CaseRecord, case: Case, entries: Sequence[LogEntry],
              today: date) -> list[Notice]: ...


class ProcedureService:
    def __init__(self, store: ProcedureStore, catalogue: Catalogue | None = None,
                 documents: DocumentFiles | None = None, clock: Callable[[], date] = date.today,
                 centres: Callable[[], CentreBook] | None = None,
                 on_public_change: Callable[[str], None] | None = None,
                 watchers: Sequence[CaseWatcher] = ()) -> None:
        self.store = store
        self.centres = centres or _packaged_centres  # the protection centres' dated configuration
        self._catalogue = catalogue
        self.documents = documents
        self.clock = clock  # the office's clock: the receipt date of a party's act is clock()
        self.watchers = tuple(watchers)
        # called with the application number after an act on a published case is committed (the register's
        # document of the case and the indexes follow: ``services.case_documents``)
        self.on_public_change = on_public_change

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = default_catalogue()
        return self._catalogue

    # helpers ---------------------------------------------------------------------------------

    def _policy(self, s: StoreSession) -> AccessPolicy:
        return AccessPolicy(s.office_tree(), self.catalogue.consequence_kinds())

    @staticmethod
    def _user(s: StoreSession, username: str | None) -> User | None:
        if username is None:
            return None
        user = s.user(username)
        if user is None:
            raise UnknownUser(username)
        return user

    def _replay(self, record: CaseRecord, entries: Sequence[LogEntry]) -> tuple[Procedure, RuleBook, Case]:
        proc = self.catalogue.procedure(record.procedure)
        rules = self.catalogue.rules(record.jurisdiction)
        events = case_file.procedure_events(ProcedureEvent(e.code, e.date, e.payload) for e in entries)
        case = proc.replay(events, rules)
        return proc, rules, case

    def _authorised(self, s: StoreSession, number: str, actor: str, action: str) -> CaseRecord:
        """The case, locked, when ``actor`` may take ``action`` on it (the access policy); a case the actor
        may not see is not found, so that an unpublished application is not revealed."""
        record = s.case(number, lock=True)
        if record is None:
            raise CaseNotFound(number)
        user = self._user(s, actor)
        policy = self._policy(s)
        if not policy.can_view(user, record.access):
            raise CaseNotFound(number)
        decision = policy.act(user, record.access, action)
        if not decision:
            raise AccessDenied(decision.reason, decision.code, decision.params)
        return record

    def _dated(self, user: User | None, requested: date | None, reason: str | None) -> ActDate:
        """The date the act of ``user`` is recorded with (``ipoffice.domain.dating``)."""
        return act_date(today=self.clock(), requested=requested, staff=user is not None and user.is_staff,
                        reason=reason)

    @staticmethod
    def _backdated(events: Sequence[ProcedureEvent], dated: ActDate) -> list[ProcedureEvent]:
        if dated.backdating is None:
            return list(events)
        return [replace(e, payload={**e.payload, BACKDATED: dated.backdating}) for e in events]

    def _check_payload(self, number: str, action: str, payload: Mapping[str, object], user: User | None) -> None:
        upload = check_payload(action, payload, staff=user is not None and user.is_staff)
        if upload is None:
            return
        if self.documents is None or not self.documents.holds(number, upload.sha256, upload.filename):
            raise InvalidField("payload.sha256", upload.sha256[:16] + "…",
                               f"names no document {upload.filename!r} uploaded for case {number} "
                               "(attach the document with the act instead)")

    @staticmethod
    def _in_order(record: CaseRecord, entries: Sequence[LogEntry], code: str, on: date) -> None:
        if entries and on < entries[-1].date:
            raise ActionRefused(record.state, code, before_last_event(on, entries[-1].date))

    def _record(self, s: StoreSession, record: CaseRecord, actor: str, event: ProcedureEvent) -> CaseView:
        """Append a record of the case file (the procedure's state is unchanged) and return the case."""
        entries = s.events_of(record)
        self._in_order(record, entries, event.code, event.date)
        s.append(record, actor, record.office, [event])
        entries = s.events_of(record)
        proc, _, case = self._replay(record, entries)
        return CaseView(record, case, self._allowed(s, proc, record, case, self._user(s, actor)), entries)

    def _allowed(self, s: StoreSession, proc: Procedure, record: CaseRecord, case: Case,
                 user: User | None) -> list[str]:
        """The actions the case allows now that ``user`` may take (all of them for no user: the procedure's)."""
        allowed = proc.allowed_actions(case)
        if user is None:
            return allowed
        policy = self._policy(s)
        return [a for a in allowed if policy.can_act(user, record.access, a)]

    # use cases -------------------------------------------------------------------------------

    def file(self, filing: Filing, filed_by: str) -> CaseView:
        """File an application: the procedure checks the filing (e.g. priority claims within the
        priority period), the office's numbering assigns the next application number."""
        proc = self.catalogue.procedure(filing.procedure)
        if proc.name == DISPUTE_PROCEDURE:  # a request against a patent, with its parties (services.disputes)
            raise InvalidField("procedure", proc.name, "a dispute is filed against a patent: "
                               "`ipoffice dispute file NUMBER` (DisputeService.file)")
        right_type = right_type_of(filing.procedure)
        with self.store.writing() as s:
            policy = self._policy(s)
            actor = self._user(s, filed_by)
            dated = self._dated(actor, filing.filing_date, filing.date_reason)
            filing = replace(filing, filing_date=dated.on)
            assert filing.filing_date is not None
            office = policy.offices.get(filing.office)
            if jurisdiction_of(filing.procedure) != office.jurisdiction:
                raise InvalidField("office", filing.office,
                                   f"applies {office.jurisdiction} law, not the {filing.procedure} procedure")
            decision = policy.file(actor, office.code, filing.applicant)
            if not decision:
                raise AccessDenied(decision.reason, decision.code, decision.params)
            applicant = self._user(s, filing.applicant)
            assert applicant is not None
            if not applicant.has(Role.APPLICANT):
                raise InvalidField("applicant", filing.applicant, "is not a user with the applicant role")
            agent = filing.agent or (actor.username if actor and actor.has(Role.AGENT) else None)
            if agent is not None:
                agent_user = self._user(s, agent)
                if agent_user is None or not agent_user.has(Role.AGENT):
                    raise InvalidField("agent", agent, "is not a user with the agent role")

            if centre_filing.wants_centre(filing.procedure, dict(filing.payload)):  # a protection centre's fast track
                routed, centre, payload = centre_filing.route_filing(
                    filing.procedure, dict(filing.payload), with_recorded(s, self.centres()), policy.offices,
                    applicant, filing.pct,
                    filing.filing_date)
                filing = replace(filing, procedure=routed, office=centre, payload=payload)
                proc, office = self.catalogue.procedure(routed), policy.offices.get(centre)
            assert filing.filing_date is not None

            # Numbers are national: the counter belongs to the root of the office tree.
            numbering_office = policy.offices.ancestors(office.code)[-1].code
            scheme = numbering_for(office.jurisdiction, right_type)
            key = scheme.sequence_key(right_type, filing.filing_date, pct=filing.pct)
            number = scheme.format(key, s.next_serial(numbering_office, key))

            rules = self.catalogue.rules(office.jurisdiction)
            payload = {**filing.payload, "application_number": number}
            case, events = proc.apply(proc.new_case(), "file", on=filing.filing_date, rules=rules, payload=payload)
            events = self._backdated(events, dated)
            record = s.insert_case(CaseRecord(
                application_number=number, jurisdiction=office.jurisdiction, procedure=proc.name,
                right_type=right_type, office=office.code, applicant=applicant.username, agent=agent,
                title=filing.title, filing_date=filing.filing_date, published=False, state=case.state,
            ))
            entries = s.append(record, filed_by, office.code, events)
            return CaseView(record, case, self._allowed(s, proc, record, case, actor), entries)

    def act(
        self, number: str, action: str, on: date | None, actor: str, payload: Mapping[str, object] | None = None,
        document: Document | None = None, reason: str | None = None,
    ) -> CaseView:
        """Apply ``action`` to the case: replay its events, apply, append the new events. With ``document``
        (a reply, an amendment) the document is attached to the act: an ``attach_document`` event follows
        the act's, in the same transaction, and its content is saved. Any refusal leaves the register
        unchanged (and saves no file).

        ``on`` None: today by the office's clock. A party's act is always dated today (another date is
        refused); staff may give an earlier date with a ``reason``, kept in the event; never a future date.
        The payload is checked key by key (``ipoffice.domain.payloads``)."""
        payload = dict(payload or {})
        with self.store.writing() as s:
            record = self._authorised(s, number, actor, action)
            user = self._user(s, actor)
            dated = self._dated(user, on, reason)
            on = dated.on
            self._check_payload(number, action, payload, user)
            if document is not None:
                self._authorised(s, number, actor, case_file.DOCUMENT_ATTACHED)
                problem = case_file.document_problem(document)
                if problem is not None:
                    raise InvalidField("document", document.filename, problem)
                if self.documents is None:
                    raise ActionRefused(record.state, case_file.DOCUMENT_ATTACHED, "no document store configured")
            entries = s.events_of(record)
            proc, rules, case = self._replay(record, entries)
            if proc.transition_for(case.state, action) is not None:
                unpaid = unpaid_before(action, record.procedure, record.jurisdiction, case, rules, on,
                                       filing=_filing_payload(entries), paid=case_file.fees_paid(entries))
                if unpaid is not None:
                    raise ActionRefused(case.state, action, unpaid)
            case, events = proc.apply(case, action, on=on, rules=rules, payload=payload)
            events = self._numbered(s, record, events, entries)
            entries = s.append(record, actor, record.office, self._backdated(events, dated))
            self._alert_disputes(s, record, entries)
            if document is not None and self.documents is not None:
                digest = hashlib.sha256(document.content).hexdigest()
                attached = case_file.document_event(on, document, digest, action=action, event=entries[-1].sequence)
                s.append(record, actor, record.office, [attached])
                self.documents.save(number, digest, document.filename, document.content)
            if user is not None and user.is_staff:
                self._notify(s, record, entries[:len(events)])
            for watcher in self.watchers:
                watcher.watch(s, record, case, entries[:len(events)], on)
            published = record.published or any(makes_public(e.code) for e in events)
            s.set_projection(record, state=case.state, published=published)
            record = s.case(number) or record
            view = CaseView(record, case, self._allowed(s, proc, record, case, user), s.events_of(record))
        if view.record.published and self.on_public_change is not None:
            self.on_public_change(number)
        return view

    @staticmethod
    def _numbered(s: StoreSession, record: CaseRecord, events: Sequence[ProcedureEvent],
                  entries: Sequence[LogEntry]) -> list[ProcedureEvent]:
        """Events that publish the case carry their publication number (``publication_number``): a CN
        invention's grant keeps the serial of its publication (A → B); other publications draw the next serial
        of their right's counter (``ipoffice.domain.numbering``)."""
        numbered = []
        for event in events:
            section = gazette_section(event.code)
            kind = None if section is None else publication_kind(record.jurisdiction, record.right_type, section)
            if kind is None or "publication_number" in event.payload:
                numbered.append(event)
                continue
            earlier = next((str(e.payload["publication_number"]) for e in entries
                            if isinstance(e.payload.get("publication_number"), str)), None)
            if earlier is not None:
                number = earlier[:-1] + kind
            else:
                root = s.office_tree().ancestors(record.office)[-1].code
                number = format_publication(s.next_serial(root, publication_sequence(record.right_type)), kind)
            numbered.append(replace(event, payload={**event.payload, "publication_number": number}))
        return numbered

    def _alert_disputes(self, s: StoreSession, right: CaseRecord, entries: Sequence[LogEntry]) -> None:
        """A change of a patent's status alerts its disputes in this same transaction (``dispute_alerts``)."""
        if right.procedure != DISPUTE_PROCEDURE and DISPUTE_PROCEDURE in self.catalogue.procedures:
            alert_disputes(s, right, entries, self.catalogue.procedure(DISPUTE_PROCEDURE),
                           self.catalogue.rules(right.jurisdiction))

    @staticmethod
    def _notify(s: StoreSession, record: CaseRecord, entries: Sequence[LogEntry]) -> list[Notice]:
        """Serve the office's acts on the parties: a notice to the applicant (and the agent, and a dispute's other
        side) for each, with the act's text (an office action's opinion) or what was done (IR Rule 4: notifications
        are sent to the agent where there is one, else the applicant; both are kept informed here)."""
        sent: list[Notice] = []
        for entry in entries:
            text = str(entry.payload.get("text") or entry.payload.get("notice")
                       or f"{entry.code} on {entry.date.isoformat()}")
            # A trademark opposition or cancellation request: its author is told of the decision too.
            requesters = requesters_to_notify(entry.code, [(e.code, e.payload) for e in s.events_of(record)
                                                           if e.sequence < entry.sequence]) \
                if entry.code in DECIDING_CODES else []
            for addressee in dict.fromkeys(filter(None, (*parties_of(record), *requesters))):
                notice = Notice(record.application_number, entry.sequence, entry.date, entry.code, addressee, text)
                s.add_notice(record, notice)
                sent.append(notice)
        return sent

    def document_content(self, number: str, sha256: str, viewer: str | None) -> tuple[AttachedDocument, bytes]:
        """A document attached to the case (by its SHA-256), for a party or the office's staff; LookupError
        (CaseNotFound) when the case or the document is not there or its content no longer matches the log."""
        view = self.show(number, viewer)
        with self.store.reading() as s:
            if not self._policy(s).sees_file(self._user(s, viewer), view.record.access):
                raise CaseNotFound(f"{number}/{sha256[:16]}")  # the file is for its parties and the office
        found = next((d for d in case_file.documents_attached(view.events) if d.sha256 == sha256), None)
        content = None if found is None or self.documents is None else \
            self.documents.read(number, found.sha256, found.filename)
        if found is None or content is None:
            raise CaseNotFound(f"{number}/{sha256[:16]}")
        return found, content

    def cite(self, number: str, cited_number: str, category: str, on: date | None, actor: str,
             note: str = "") -> CaseView:
        """Cite a document of the register in the case's search report, in category X, Y or A (an
        examination act: examiners of the handling office or an office above it)."""
        with self.store.writing() as s:
            record = self._authorised(s, number, actor, case_file.SEARCH_REPORT_CITATION)
            on = self._dated(self._user(s, actor), on, None).on
            event = case_file.citation_event(on, cited_number, category, note)
            found = s.document_number(str(event.payload["cited_number"]))
            if found is None:
                raise InvalidField("cited_number", cited_number, "is not a document of the register")
            event = case_file.citation_event(on, found, category, note)
            return self._record(s, record, actor, event)

    def pay_fee(self, number: str, fee: str, on: date | None, actor: str, year: int | None = None) -> CaseView:
        """Pay fee ``fee`` of the case's rule book; the amount is the one in force on ``on``, with the fee
        reduction claimed in the filing (a trademark's application fee is due per class)."""
        with self.store.writing() as s:
            record = self._authorised(s, number, actor, case_file.FEE_PAYMENT)
            on = self._dated(self._user(s, actor), on, None).on
            rules = self.catalogue.rules(record.jurisdiction)
            payable = case_file.payable_fees(record.procedure, rules.names)
            if fee not in payable:
                raise InvalidField("fee", fee, f"not a fee of the {record.procedure} procedure; "
                                               f"payable: {', '.join(payable)}")
            entries = s.events_of(record)
            filed = _filing_payload(entries)
            _, _, case = self._replay(record, entries)
            owed = fees_due(record.procedure, record.jurisdiction, case, rules, on, filing=filed,
                            paid=case_file.fees_paid(entries))
            twice = next((d for d in owed if d.name == fee and d.year == year and d.paid), None)
            if twice is not None:
                raise ActionRefused(case.state, case_file.FEE_PAYMENT,
                                    Reason(f"{fee}{f' (year {year})' if year else ''} is already paid",
                                           "fee_already_paid", fee=fee))
            reduction = filed.get("fee_reduction")
            amount = rules.fee(fee, on, reduction=str(reduction) if reduction else None, year=year)
            times = next((d.times for d in owed if d.name == fee and d.year == year), 1)
            return self._record(s, record, actor, case_file.fee_payment_event(on, fee, amount, year=year,
                                                                              times=times))

    def fees_due(self, number: str, viewer: str | None, on: date | None = None) -> list[FeeDue]:
        """The fees the case owes by ``on`` (default today), with amounts and references, each marked paid
        or not (``ipoffice.domain.fees_due``)."""
        view = self.show(number, viewer)
        rules = self.catalogue.rules(view.record.jurisdiction)
        return fees_due(view.record.procedure, view.record.jurisdiction, view.case, rules, on or self.clock(),
                        filing=_filing_payload(view.events), paid=case_file.fees_paid(view.events))

    def payable_fees(self, number: str, viewer: str | None) -> list[str]:
        view = self.show(number, viewer)
        return case_file.payable_fees(view.record.procedure, self.catalogue.rules(view.record.jurisdiction).names)

    def search_report(self, number: str, viewer: str | None) -> list[Citation]:
        return case_file.search_report(self.show(number, viewer).events)

    def documents_of(self, number: str, viewer: str | None) -> list[AttachedDocument]:
        return case_file.documents_attached(self.show(number, viewer).events)

    def show(self, number: str, viewer: str | None) -> CaseView:
        with self.store.reading() as s:
            record = s.case(number)
            user = self._user(s, viewer)
            if record is None or not self._policy(s).can_view(user, record.access):
                raise CaseNotFound(number)
            entries = s.events_of(record)
            proc, _, case = self._replay(record, entries)
            # what this viewer may do, not what the procedure allows anyone
            return CaseView(record, case, self._allowed(s, proc, record, case, user), entries)

    def published_case(self, number: str, *, by_publication: bool = True) -> CaseView | None:
        """The published case with application number or (``by_publication``, a scan of the published cases)
        publication number ``number``, as the public sees it: None when there is none or it is not published."""
        wanted = number.strip().upper().replace(" ", "")
        with self.store.reading() as s:
            policy = self._policy(s)
            record = s.case(number.strip())
            if record is None and by_publication:
                record = next((r for r in s.cases() if r.published and any(
                    str(e.payload.get("publication_number") or "") == wanted for e in s.events_of(r))), None)
            if record is None or not policy.can_view(None, record.access):
                return None
            entries = s.events_of(record)
            proc, _, case = self._replay(record, entries)
            return CaseView(record, case, proc.allowed_actions(case), entries)

    def published_views(self) -> list[CaseView]:
        """Every published case as the public sees it (its whole log replayed), in application-number order."""
        with self.store.reading() as s:
            records = sorted((r for r in s.cases() if r.published), key=lambda r: r.application_number)
            views = []
            for record in records:
                entries = s.events_of(record)
                proc, _, case = self._replay(record, entries)
                views.append(CaseView(record, case, proc.allowed_actions(case), entries))
            return views

    def with_derived_state(self, records: Iterable[CaseRecord]) -> list[CaseRecord]:
        """``records`` with the state their events give (the stored column is only a cache)."""
        with self.store.reading() as s:
            return [replace(r, state=self._replay(r, s.events_of(r))[2].state) for r in records]

    def due(self, viewer: str | None, until: date | None = None) -> list[DueItem]:
        """Open time limits of the cases the viewer may see (ending on or before ``until``, late acts included),
        earliest due date first."""
        items: list[DueItem] = []
        with self.store.reading() as s:
            policy = self._policy(s)
            user = self._user(s, viewer)
            for record in s.cases():
                if not policy.can_view(user, record.access):
                    continue
                _, _, case = self._replay(record, s.events_of(record))
                items += [DueItem(record.application_number, case.state, t) for t in case.open_time_limits
                          if until is None or t.expires_after <= until]
        return sorted(items, key=lambda i: (i.limit.due, i.case, i.limit.name))

    def run_overdue(self, today: date) -> OverdueReport:
        """The scheduled job: for each open case, apply the legal consequence of every time limit
        that ended before ``today`` unmet (``Procedure.expire``), record the events and a notice to
        the applicant (and agent). One transaction per case: a failure on one case is reported and
        does not stop the others."""
        with self.store.reading() as s:  # open by the events, not by the cached state column
            open_cases = [r for r in s.cases()
                          if self._replay(r, s.events_of(r))[2].state
                          not in self.catalogue.procedure(r.procedure).final_states]
        outcomes: list[OverdueOutcome] = []
        failures: list[tuple[str, str]] = []
        for candidate in open_cases:
            try:
                outcome = self._expire_case(candidate.application_number, today)
            except (ValueError, LookupError) as exc:
                failures.append((candidate.application_number, str(exc)))
                continue
            if outcome is not None:
                outcomes.append(outcome)
        return OverdueReport(today, len(open_cases), outcomes, failures)

    def _expire_case(self, number: str, today: date) -> OverdueOutcome | None:
        with self.store.writing() as s:
            record = s.case(number, lock=True)
            if record is None:
                return None
            proc, rules, case = self._replay(record, s.events_of(record))
            overdue = proc.expire(case, today=today, rules=rules)
            entries: list[LogEntry] = []
            sent: list[Notice] = []
            if overdue:
                case, events = proc.apply_all(case, overdue, rules)
                entries = s.append(record, SYSTEM_ACTOR, record.office, events)
                self._alert_disputes(s, record, entries)
                sent = self._notify(s, record, entries)
                s.set_projection(record, state=case.state, published=record.published)
            for watcher in self.watchers:
                sent += watcher.watch(s, record, case, entries, today)
            if not entries and not sent:
                return None
            return OverdueOutcome(number, entries, case.state, sent)

    def notices(self, number: str, viewer: str | None) -> list[Notice]:
        """The notices of case ``number`` that ``viewer`` may read: a party reads those addressed to them (a
        notice goes to each party, so the applicant would otherwise see the agent's copy too); the office's
        staff read every copy, with its addressee."""
        view = self.show(number, viewer)  # access check
        with self.store.reading() as s:
            every = s.notices(view.record)
        if viewer is not None and viewer in {n.addressee for n in every} | set(parties_of(view.record)):
            return [n for n in every if n.addressee == viewer]
        return every

    def gazette(self, week: str) -> Gazette:
        """What was published, granted or registered in the ISO week ``week`` (e.g. ``2026-W47``)."""
        first, last = parse_iso_week(week)
        with self.store.reading() as s:
            found = s.events_between(first, last)
        items = [
            GazetteItem(section, entry.case, entry.code, entry.date, record.title, record.procedure, record.office)
            for entry, record in found
            if (section := gazette_section(entry.code)) is not None
        ]
        order = {name: i for i, (name, _) in enumerate(GAZETTE_SECTIONS)}
        items.sort(key=lambda i: (order[i.section], i.date, i.case))
        return Gazette(week.strip().upper(), first, last, items)

    def head(self) -> tuple[int, str]:
        """The head of the event log: (last sequence, its hash)."""
        with self.store.reading() as s:
            return s.head()

    def verify_audit(self, anchors: Iterable[Anchor] = ()) -> ChainReport:
        """Re-hash the whole event log and compare it with the recorded head and with ``anchors`` (heads
        witnessed outside the database); then check that each case's cached state and publication flag
        agree with its events."""
        with self.store.reading() as s:
            report = verify_chain(s.log(), expected_head=s.head(), anchors=anchors)
            problems = list(report.problems)
            for record in s.cases():
                entries = s.events_of(record)
                try:
                    _, _, case = self._replay(record, entries)
                except (ValueError, LookupError) as exc:
                    problems.append(BrokenLink(entries[-1].sequence if entries else 0, record.application_number,
                                               f"the events do not replay: {exc}"))
                    continue
                last = entries[-1].sequence if entries else 0
                if case.state != record.state:
                    problems.append(BrokenLink(last, record.application_number,
                                               f"the stored state {record.state!r} is not the state of the events "
                                               f"({case.state!r}): the cases table was altered"))
                if record.cached_published != record.published:
                    problems.append(BrokenLink(last, record.application_number,
                                               f"the stored published flag ({record.cached_published}) disagrees "
                                               f"with the events ({record.published}): the cases table was altered"))
        return ChainReport(report.checked, report.head_hash, tuple(problems))

    # offices and users -----------------------------------------------------------------------

    def offices(self) -> list[Office]:
        with self.store.reading() as s:
            return list(s.office_tree())

    def users(self) -> list[User]:
        with self.store.reading() as s:
            return s.users()

    def seed_demo(self) -> tuple[int, int]:
        """Add (or refresh) the demo offices and users; returns how many of each were new."""
        with self.store.writing() as s:
            new_offices = sum(s.save_office(o) for o in DEMO_OFFICES)
            new_users = sum(s.save_user(u) for u in DEMO_USERS)
            s.office_tree()  # validates the hierarchy before commit
        return new_offices, new_users


def _packaged_centres() -> CentreBook:
    from ipoffice.adapters.centres_loader import load_centres

    return load_centres()


def _filing_payload(entries: Sequence[LogEntry]) -> Mapping[str, object]:
    return next((e.payload for e in entries if e.code == "file"), {})


DEMO_OFFICES = (
    Office("CNIPA", "China National Intellectual Property Administration", OfficeLevel.NATIONAL, "CN"),
    Office("CN-JS", "Jiangsu Intellectual Property Administration", OfficeLevel.PROVINCIAL, "CN", "CNIPA"),
    Office("CN-JS-SZ", "Suzhou Intellectual Property Office", OfficeLevel.LOCAL, "CN", "CN-JS"),
    Office("CN-JS-SPC", "Jiangsu IP Service Promotion Centre", OfficeLevel.SERVICE_CENTRE, "CN", "CN-JS"),
    Office("CN-JS-SZ-PC", "China (Suzhou) Intellectual Property Protection Centre", OfficeLevel.PROTECTION_CENTRE,
           "CN", "CN-JS-SZ"),
    Office("CN-ZJ", "Zhejiang Intellectual Property Administration", OfficeLevel.PROVINCIAL, "CN", "CNIPA"),
    Office("USPTO", "United States Patent and Trademark Office", OfficeLevel.NATIONAL, "US"),
)


def _demo_user(username: str, name: str, office: str, *roles: Role) -> User:
    return User(username, name, office, frozenset(roles))


DEMO_USERS = (
    _demo_user("applicant.wang", "Wang Fang (Suzhou Lianhe Optics Co.)", "CN-JS-SZ", Role.APPLICANT),
    _demo_user("applicant.chen", "Chen Jie (Hangzhou Xinda Materials Co.)", "CN-ZJ", Role.APPLICANT),
    _demo_user("agent.li", "Li Wei, patent attorney", "CN-JS", Role.AGENT),
    _demo_user("examiner.zhang", "Zhang Min, examiner", "CN-JS", Role.EXAMINER),
    _demo_user("examiner.zhao", "Zhao Lei, examiner", "CN-ZJ", Role.EXAMINER),
    _demo_user("examiner.liu", "Liu Yang, examiner", "CNIPA", Role.EXAMINER),
    _demo_user("reviewer.sun", "Sun Hong, reviewing examiner", "CNIPA", Role.REVIEWING_EXAMINER, Role.EXAMINER),
    _demo_user("registrar.zhou", "Zhou Jing, registrar", "CNIPA", Role.REGISTRAR),
    _demo_user("admin.qian", "Qian Hao, office administrator", "CNIPA", Role.OFFICE_ADMIN),
    _demo_user("service.wu", "Wu Xia, service centre clerk", "CN-JS-SPC", Role.REGISTRAR),
    _demo_user("centre.xu", "Xu Ning, pre-examiner of the Suzhou protection centre", "CN-JS-SZ-PC", Role.EXAMINER),
    _demo_user("officer.dispute", "Gao Yan, infringement dispute officer", "CN-JS-SZ", Role.EXAMINER),
    # a university's stock-patent inventory (services.inventory): a college's patent administrator who imports and
    # self-assesses, and the university's technology-transfer office, its first-level reviewer
    _demo_user("univ.keeper", "He Li, patent administrator of a university college", "CN-JS-SZ", Role.APPLICANT),
    _demo_user("univ.tto", "Tang Yun, university technology-transfer office", "CN-JS-SZ", Role.APPLICANT),
    _demo_user("us.applicant", "Ada Smith (Acme Widgets Inc.)", "USPTO", Role.APPLICANT),
    _demo_user("us.examiner", "John Doe, patent examiner", "USPTO", Role.EXAMINER),
)
