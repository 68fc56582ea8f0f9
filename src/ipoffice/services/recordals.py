"""Use cases of recordals on a granted right (``ipoffice.domain.recordals``): file a request, decide it
(register or refuse), list requests, show the right (owners, licences, open licence, pledges, status, annual-fee
schedule, alerts) as of any date; and ``PledgeWatch``, which alerts a pledgee in the transaction of the event
that endangers the pledged right.

Each use case is one transaction of the procedures' store: the request's events are appended to the right's
case in the hash-chained log, and the notices to the parties are written with them; a refusal (access,
payload, a consistency rule) is raised before anything is written.

Who may do what: a request is filed by an owner of record (or the case's agent, or a registrar of the
handling office or above); a pledge is released by an owner or the pledgee; an open licence is taken by
any registered user, the licensee. A request is decided by a registrar (``register_recordal``, a
registration act under the access policy).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date

from ipoffice.adapters.procedure_store import CaseRecord, Notice, StoreSession
from ipoffice.adapters.recordal_store import case_of_request, cases_with_requests, set_party_of_record
from ipoffice.domain import annual_fees, recordals
from ipoffice.domain.dating import BACKDATED, act_date
from ipoffice.domain.event_log import LogEntry
from ipoffice.domain.fees_due import ANNUAL_FEE_OF_RIGHT
from ipoffice.domain.offices import Role, User
from ipoffice.domain.procedures.base import ActionRefused, Case, ProcedureEvent, Reason, before_last_event
from ipoffice.domain.recordals import Recordal, RightRecord
from ipoffice.services.procedures import AccessDenied, CaseNotFound, ProcedureService, publication_numbers

DECIDE_ACTION = "register_recordal"  # a registration act: registrars of the handling office or above
STAFF_DATE_REASON = "recordal dated as given by the registrar"


class RequestNotFound(LookupError):
    def __init__(self, request: int) -> None:
        super().__init__(f"no recordal request {request}")
        self.request = request


@dataclass(frozen=True)
class RecordalView:
    request: Recordal
    problem: Reason | None  # the consistency rule the request breaks today, if any (the examination)
    examination_due: tuple[date, str] | None = None  # the office's own time limit to decide, with its reference

    def as_dict(self) -> dict[str, object]:
        data = self.request.as_dict()
        if self.examination_due is not None:
            data["examination_due"] = {"date": self.examination_due[0].isoformat(),
                                       "reference": self.examination_due[1]}
        data["examination"] = ({"passed": True} if self.problem is None else
                               {"passed": False, "code": self.problem.code, "reason": str(self.problem)})
        return data


ST27_KEYS = ("state", "st27_category", "st27_category_title", "st27_key_event", "st27_key_event_title")


class RecordalService:
    def __init__(self, procedures: ProcedureService,
                 st27_status: Callable[[str, date], Mapping[str, object]] | None = None) -> None:
        """``st27_status(number, as_of)``: the right's legal status in WIPO ST.27 terms
        (``ipoffice.services.st27_status``), shown with the status when given; LookupError when it has none."""
        self.procedures = procedures
        self.st27_status = st27_status

    # -- helpers ---------------------------------------------------------------------------------------

    def _user(self, s: StoreSession, username: str | None) -> User | None:
        return self.procedures._user(s, username)  # noqa: SLF001 - the same service layer

    def _visible(self, s: StoreSession, number: str, user: User | None, *, lock: bool = False) -> CaseRecord:
        record = s.case(number, lock=lock)
        if record is None or not self.procedures._policy(s).can_view(user, record.access):  # noqa: SLF001
            raise CaseNotFound(number)
        return record

    def _state(self, record: CaseRecord, entries: Sequence[LogEntry]) -> tuple[Case, list[Recordal], RightRecord]:
        _, _, case = self.procedures._replay(record, entries)  # noqa: SLF001
        found = recordals.recordals_of(record.application_number, entries)
        return case, found, recordals.right_record(record.applicant, found)

    def _dated(self, user: User, on: date | None) -> tuple[date, Mapping[str, str] | None]:
        staff = user.has(Role.REGISTRAR) or user.has(Role.OFFICE_ADMIN)
        dated = act_date(today=self.procedures.clock(), requested=on, staff=staff,
                         reason=STAFF_DATE_REASON if staff and on is not None else None)
        return dated.on, dated.backdating

    @staticmethod
    def _in_order(record: CaseRecord, entries: Sequence[LogEntry], code: str, on: date) -> None:
        if entries and on < entries[-1].date:
            raise ActionRefused(record.state, code, before_last_event(on, entries[-1].date))

    def _request_case(self, s: StoreSession, request_id: int, actor: str) -> tuple[str, User, CaseRecord]:
        """The right a request is on, locked, with the acting user (RequestNotFound, CaseNotFound)."""
        number = case_of_request(s, request_id)
        if number is None:
            raise RequestNotFound(request_id)
        user = self._user(s, actor)
        assert user is not None
        return number, user, self._visible(s, number, user, lock=True)

    def _registrar(self, s: StoreSession, user: User, record: CaseRecord) -> bool:
        return self.procedures._policy(s).can_act(user, record.access, DECIDE_ACTION)  # noqa: SLF001

    def _may_file(self, s: StoreSession, user: User, record: CaseRecord, kind: str, right: RightRecord,
                  payload: Mapping[str, object]) -> None:
        if kind == "open_licence_take" or self._registrar(s, user, record):
            return
        allowed = {*right.owners, *filter(None, [record.agent])}
        if kind == "pledge_release":
            allowed |= {p.pledgee for p in right.pledges if p.request == payload.get("pledge")}
        if user.username not in allowed:
            raise AccessDenied(f"a {kind} recordal on {record.application_number} is requested by an owner of record "
                               f"({', '.join(right.owners)}), not {user.username}", "recordal_party",
                               {"type": kind, "number": record.application_number, "user": user.username})

    # -- use cases -------------------------------------------------------------------------------------

    def file(self, number: str, kind: str, actor: str, payload: Mapping[str, object],
             on: date | None = None) -> RecordalView:
        """File a recordal request on the right ``number``: the payload is checked (``InvalidField`` naming
        the key), the fee in force recorded; the examination result (the first consistency rule broken, if
        any) comes with the request, which stays ``filed`` until the registrar decides."""
        clean = recordals.check_payload(kind, payload)
        with self.procedures.store.writing() as s:
            user = self._user(s, actor)
            assert user is not None
            record = self._visible(s, number, user, lock=True)
            entries = s.events_of(record)
            case, _, right = self._state(record, entries)
            self._may_file(s, user, record, kind, right, clean)
            day, backdating = self._dated(user, on)
            self._in_order(record, entries, recordals.FILED_EVENT, day)
            rules = self.procedures.catalogue.rules(record.jurisdiction)
            event = recordals.filed_event(kind, day, clean, rules)
            if backdating is not None:
                event = ProcedureEvent(event.code, event.date, {**event.payload, BACKDATED: backdating})
            appended = s.append(record, actor, record.office, [event])
            request = recordals.recordals_of(number, appended)[0]
            return RecordalView(request, recordals.problem(request, right, case, day, rules),
                                recordals.examination_due(kind, day, rules))

    def decide(self, request_id: int, decision: str, actor: str, on: date | None = None) -> RecordalView:
        """Register or refuse a filed request (a registrar). Registering checks the consistency rules on the
        day of the decision: a rule broken refuses the registration (``ActionRefused`` naming the rule) and the
        request stays filed; refusing records the rule broken (or a plain refusal). The parties get a notice."""
        if decision not in recordals.DECISIONS:
            raise ActionRefused(recordals.FILED, decision, Reason(
                f"decision {decision!r}: must be register or refuse", "unknown_decision", decision=decision))
        with self.procedures.store.writing() as s:
            number, user, record = self._request_case(s, request_id, actor)
            verdict = self.procedures._policy(s).act(user, record.access, DECIDE_ACTION)  # noqa: SLF001
            if not verdict:
                raise AccessDenied(verdict.reason, verdict.code, verdict.params)
            entries = s.events_of(record)
            case, found, right = self._state(record, entries)
            request = next(r for r in found if r.id == request_id)
            if request.state != recordals.FILED:
                raise ActionRefused(request.state, decision, Reason(
                    f"request {request_id} was already {request.state} on {request.decided_on}", "recordal_decided",
                    state=request.state, on=request.decided_on))
            day, backdating = self._dated(user, on)
            self._in_order(record, entries, decision, day)
            rules = self.procedures.catalogue.rules(record.jurisdiction)
            problem = recordals.problem(request, right, case, day, rules)
            if decision == "register" and problem is not None:
                raise ActionRefused(request.state, "register", problem)
            event = recordals.decision_event(request, decision, day, problem, party_before=record.applicant
                                             if decision == "register" and request.type == "transfer" else None)
            if backdating is not None:
                event = ProcedureEvent(event.code, event.date, {**event.payload, BACKDATED: backdating})
            appended = s.append(record, actor, record.office, [event])
            decided = recordals.recordals_of(number, [*entries, *appended])
            request = next(r for r in decided if r.id == request_id)
            after = recordals.right_record(record.applicant, decided)
            if decision == "register" and request.type == "transfer":
                self._follow_owner(s, record, after)
            text = (f"Recordal request {request_id} ({request.type}) on {number} "
                    f"{'registered' if decision == 'register' else 'refused'} on {day.isoformat()}"
                    + (f": {problem}" if decision == "refuse" and problem is not None else "."))
            for party in dict.fromkeys([*recordals.parties(request, right), *after.owners]):
                s.add_notice(record, Notice(number, appended[0].sequence, day, event.code, party, text))
            view = RecordalView(request, None if decision == "register" else problem)
        if decision == "register" and record.published and self.procedures.on_public_change is not None:
            self.procedures.on_public_change(number)  # the register's document names the owner of record
        return view

    def pay_fee(self, request_id: int, actor: str, on: date | None = None) -> RecordalView:
        """Pay the fee recorded with a filed request (``fee.recordal.*`` of the rules in force when it was filed):
        by its filer, an owner of record, the case's agent or a registrar. Registration is refused
        (``recordal_fee_unpaid``) until it is paid. ``InvalidField`` naming ``request`` when nothing is owed."""
        with self.procedures.store.writing() as s:
            number, user, record = self._request_case(s, request_id, actor)
            entries = s.events_of(record)
            case, found, right = self._state(record, entries)
            request = next(r for r in found if r.id == request_id)
            if user.username != request.filed_by:
                self._may_file(s, user, record, request.type, right, request.payload)
            day, backdating = self._dated(user, on)
            self._in_order(record, entries, recordals.FEE_PAID_EVENT, day)
            event = recordals.fee_paid_event(request, day)
            if backdating is not None:
                event = ProcedureEvent(event.code, event.date, {**event.payload, BACKDATED: backdating})
            appended = s.append(record, actor, record.office, [event])
            request = next(r for r in recordals.recordals_of(number, [*entries, *appended]) if r.id == request_id)
            rules = self.procedures.catalogue.rules(record.jurisdiction)
            return RecordalView(request, recordals.problem(request, right, case, day, rules),
                                recordals.examination_due(request.type, request.filed_on, rules))

    @staticmethod
    def _follow_owner(s: StoreSession, record: CaseRecord, right: RightRecord) -> None:
        """After a transfer, the first new owner who is a user with the applicant role becomes the case's party
        of record (the right record keeps every owner; an owner who is not a user leaves the party unchanged)."""
        for owner in right.owners:
            user = s.user(owner)
            if user is not None and user.has(Role.APPLICANT):
                if owner != record.applicant:
                    set_party_of_record(s, record.id, owner)
                return

    def requests(self, viewer: str | None, number: str | None = None) -> list[Recordal]:
        """Recordal requests, oldest first (of the right ``number``, or of every right): the registered ones for
        anyone who may see the right; all of them for its parties and the office's staff."""
        with self.procedures.store.reading() as s:
            user = self._user(s, viewer)
            policy = self.procedures._policy(s)  # noqa: SLF001
            numbers = [number] if number is not None else cases_with_requests(s)
            out: list[Recordal] = []
            for n in numbers:
                record = s.case(n)
                if record is None or not policy.can_view(user, record.access):
                    if number is not None:
                        raise CaseNotFound(n)
                    continue  # a right the viewer may not see is left out of the whole list
                found = recordals.recordals_of(n, s.events_of(record))
                whole = policy.sees_file(user, record.access)
                out += [r for r in found if whole or r.state == recordals.REGISTERED
                        or (user is not None and r.filed_by == user.username)]
            return sorted(out, key=lambda r: r.id)

    def right(self, number: str, viewer: str | None, as_of: date | None = None) -> dict[str, object]:
        """The right as the register records it at the end of ``as_of`` (default today): ``owners``,
        ``licences`` (in force that day), ``open_licence`` (or None), ``pledges``, ``status`` (the procedure's
        state and whether the right is in force), ``annual_fees`` (year, due, amount, currency, reductions,
        paid), ``alerts`` (notices served on pledgees; an annual fee in its grace period) and ``recordals``."""
        day = as_of or self.procedures.clock()
        with self.procedures.store.reading() as s:
            user = self._user(s, viewer)
            record = self._visible(s, number, user)
            history = s.events_of(record)
            entries = [e for e in history if e.date <= day]
            case, _, _ = self._state(record, entries)
            # Every registration is read (a later transfer names the first owner), then folded up to the day.
            found = [r if r.decided_on is None or r.decided_on <= day else
                     replace(r, state=recordals.FILED, decided_on=None, decided_by=None, reason=None, reason_code=None)
                     for r in recordals.recordals_of(number, history) if r.filed_on <= day]
            right = recordals.right_record(record.applicant, recordals.recordals_of(number, history), day)
            notices = [n for n in s.notices(record) if n.kind == recordals.PLEDGE_ALERT_EVENT and n.notice_date <= day]
            whole = self.procedures._policy(s).sees_file(user, record.access)  # noqa: SLF001
        rules = self.procedures.catalogue.rules(record.jurisdiction)
        filing = next((e.payload for e in entries if e.code == "file"), {})
        reduction = str(filing.get("fee_reduction") or "") or None
        fee = ANNUAL_FEE_OF_RIGHT.get(record.right_type.value) if record.jurisdiction.lower() == "cn" else None
        schedule = [] if fee is None else annual_fees.schedule(case, rules, fee, patentee_reduction=reduction,
                                                               open_licence_on=right.open_licence_on)
        alerts: list[dict[str, object]] = [
            {"date": n.notice_date.isoformat(), "kind": "pledgee_notice", "addressee": n.addressee, "text": n.text}
            for n in notices]
        annuity = case.time_limit("annuity")
        if annuity is not None and annuity.due < day <= annuity.expires_after:
            alerts.append({"date": annuity.due.isoformat(), "kind": "annual_fee_in_grace",
                           "text": f"annual fee due {annuity.due.isoformat()} unpaid; the right lapses unless it is "
                                   f"paid with the surcharge by {annuity.expires_after.isoformat()}"})
        status: dict[str, object] = {"state": case.state, "in_force": case.state in recordals.IN_FORCE_STATES,
                                     "grant_date": _iso(case.date_fact("grant_date")),
                                     "term_ends": _iso(case.date_fact("term_ends"))}
        if self.st27_status is not None and record.published:
            with suppress(LookupError):
                st27 = self.st27_status(number, day)
                status["st27"] = {k: st27.get(k) for k in ST27_KEYS}
        return {
            "number": number, "title": record.title, "procedure": record.procedure, "as_of": day.isoformat(),
            "status": status,
            "owners": list(right.owners),
            "licences": [lic.as_dict() for lic in right.licences_in_force(day)],
            "open_licence": right.open_licence.as_dict() if right.open_licence is not None
            and right.open_licence.in_force(day) else None,
            "pledges": [p.as_dict() for p in right.pledges],
            "annual_fees": [f.as_dict() for f in schedule],
            "alerts": alerts,
            "recordals": [r.as_dict() for r in found if whole or r.state == recordals.REGISTERED],
        }


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


# -- pledge monitoring ---------------------------------------------------------------------------------------

ENDANGERING = {"request_invalidation": "invalidation requested", "lapse": "the right lapsed",
               "declare_invalid": "the right was declared invalid"}


class PledgeWatch:
    """A ``CaseWatcher`` of the procedures: when a pledged right's annual fee is missed (its grace period
    starts: the overdue job's run after the due date), an invalidation is requested, or the right lapses or is
    declared invalid, every pledgee of record gets a notice, and a ``recordal_pledge_alert`` record goes into
    the case's log — both in the transaction of the event that caused them (once per cause and due date)."""

    def watch(self, s: StoreSession, record: CaseRecord, case: Case, entries: Sequence[LogEntry],
              today: date) -> list[Notice]:
        history = s.events_of(record)
        right = recordals.right_record(record.applicant, recordals.recordals_of(record.application_number, history))
        if not right.pledges:
            return []
        causes: list[tuple[str, date, str, int | None]] = [
            (e.code, e.date, ENDANGERING[e.code], e.sequence) for e in entries if e.code in ENDANGERING]
        annuity = case.time_limit("annuity")
        if annuity is not None and annuity.due < today <= annuity.expires_after:
            already = any(e.code == recordals.PLEDGE_ALERT_EVENT and e.payload.get("cause") == "annual_fee_missed"
                          and e.payload.get("due") == annuity.due.isoformat() for e in history)
            if not already:
                causes.append(("annual_fee_missed", max(today, history[-1].date) if history else today,
                               f"the annual fee due {annuity.due.isoformat()} was not paid; the grace period runs "
                               f"to {annuity.expires_after.isoformat()}", None))
        sent: list[Notice] = []
        for cause, on, text, sequence in causes:
            payload: dict[str, object] = {"cause": cause, "pledgees": list(right.pledgees), "text": text}
            if cause == "annual_fee_missed" and annuity is not None:
                payload["due"] = annuity.due.isoformat()
            if sequence is not None:
                payload["event"] = sequence
            alert = s.append(record, "system:pledge-watch", record.office,
                             [ProcedureEvent(recordals.PLEDGE_ALERT_EVENT, on, payload)])[0]
            message = f"Pledged right {record.application_number}: {text} ({on.isoformat()})."
            for pledgee in right.pledgees:
                notice = Notice(record.application_number, alert.sequence, on, recordals.PLEDGE_ALERT_EVENT, pledgee,
                                message)
                s.add_notice(record, notice)
                sent.append(notice)
        return sent


class RegisteredOpenLicences:
    """Which rights are under open licence on a day, from the recordals register: an open-licence declaration
    registered and not withdrawn (``domain.matching.OpenLicences``, used by need → patent matching). Rights
    are named by their publication numbers or application number."""

    def __init__(self, procedures: ProcedureService) -> None:
        self.procedures = procedures

    def on_offer(self, numbers: Collection[str], on: date) -> set[str]:
        wanted = set(numbers)
        offered: set[str] = set()
        for view in self.procedures.published_views():
            named = wanted & ({*publication_numbers(view), view.record.application_number})
            if not named:
                continue
            number = view.record.application_number
            right = recordals.right_record(view.record.applicant, recordals.recordals_of(number, view.events), on)
            if right.open_licence_on(on):
                offered |= named
        return offered
