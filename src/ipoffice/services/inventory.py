"""Use cases of a university's (research institute's) stock-patent inventory (issue #16; the Work Plan for
Revitalising the Stock Patents of Universities and Research Institutions, 国知发运字〔2024〕5号):

- ``import_csv``: a holder's patents from a CSV (``domain.inventory_csv`` documents the columns); every number must
  name a granted right of the register (imported grants, and this office's granted cases, which the register
  holds as documents) recorded in the holder's name; a file with any bad row writes nothing and reports every
  bad row; importing the same file again changes nothing;
- ``entries``: the holder's entries with the suggested grade (``domain.inventory_grading``) and its reasons, the
  self-assessment, the state of review and the dated history;
- ``assess`` / ``submit``: the keeper's self-assessment (grade, conversion intent, notes) and its submission;
- ``review``: first level by a reviewer of the holder (its technology-transfer office), second level by the office
  (a registrar or office administrator whose office is the keeper's or above it); out-of-order and self-review
  refused with the rule's code;
- ``library_entries``: the public resource library: entries approved at both levels whose intent is to transfer,
  license or open-license, as plain records (what the marketplace draws on).

Each writing use case is one transaction; events are appended, never changed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from ipoffice.adapters import inventory_store as store
from ipoffice.adapters import tables as t
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain import inventory as inv
from ipoffice.domain.document import Document, RightType
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.inventory_csv import RowError, decode, parse
from ipoffice.domain.inventory_grading import GradingBook, suggest
from ipoffice.domain.legal_status import is_grant_kind
from ipoffice.domain.numbers import ApplicationNumber, PublicationNumber, parse_number
from ipoffice.domain.offices import Role, User
from ipoffice.services.procedures import ProcedureService, UnknownUser
from ipoffice.services.register_extract import legal_status, owners
from ipoffice.services.value import ValueIndicators

KEEPER, REVIEWER = "keeper", "reviewer"
FUNCTIONS = (KEEPER, REVIEWER)
SECOND_LEVEL_ROLES = frozenset({Role.REGISTRAR, Role.OFFICE_ADMIN})
_UNIVERSITY = re.compile(r"universit|institut|college|academ|大学|学院|研究院|研究所|科学院", re.IGNORECASE)


class InventoryForbidden(inv.InventoryRefused):
    """The user may not do this (not a member of the holder, not a reviewer, not office staff over it)."""


class NumberProblem(InvalidField):
    """A number that names no granted right of the register: ``code`` says why (not_a_number, not_in_register,
    trademark, application)."""

    def __init__(self, value: str, reason: str, code: str) -> None:
        super().__init__("number", value, reason)
        self.code = code


class EntryNotFound(LookupError):
    def __init__(self, entry_id: int) -> None:
        super().__init__(f"no inventory entry {entry_id}")
        self.entry_id = entry_id


@dataclass(frozen=True)
class ImportReport:
    holder: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.errors and bool(self.created or self.updated)

    def as_dict(self) -> dict[str, object]:
        return {"holder": self.holder, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "errors": [e.as_dict() for e in self.errors],
                "written": self.written}


@dataclass(frozen=True)
class LibraryEntry:
    """A record of the resource library: what a marketplace lists."""

    number: str
    title: str
    ipc: tuple[str, ...]
    grade: str  # the self-assessed grade both reviews passed
    suggested_grade: str
    intent: str
    holder: str
    department: str
    approved_on: str

    def as_dict(self) -> dict[str, object]:
        return {"number": self.number, "title": self.title, "ipc": list(self.ipc), "grade": self.grade,
                "suggested_grade": self.suggested_grade, "intent": self.intent, "holder": self.holder,
                "department": self.department, "approved_on": self.approved_on}


def _norm(name: str) -> str:
    return re.sub(r"[\s.,，。()（）]+", " ", name).strip().casefold()


def ipc_of(doc: Document) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.symbol for c in doc.classifications if str(c.scheme).upper() in ("IPC", "CPC")))


class InventoryService:
    def __init__(self, procedures: ProcedureService, register: SqlRegister, indicators: ValueIndicators,
                 grading: Callable[[], GradingBook], today: Callable[[], date]) -> None:
        self.procedures = procedures
        self.register = register
        self.indicators = indicators
        self.grading = grading
        self.today = today

    # -- helpers ---------------------------------------------------------------------------------------

    def _user(self, username: str) -> User:
        with self.procedures.store.reading() as s:
            user = s.user(username)
        if user is None:
            raise UnknownUser(username)
        return user

    def _day(self, on: date | None) -> date:
        today = self.today()
        if on is not None and on > today:
            raise InvalidField("date", on.isoformat(), f"cannot be after today ({today.isoformat()})")
        return on or today

    def resolve(self, text: str) -> Document:
        """The granted right a printed number names; InvalidField("number", …) saying why not."""
        try:
            number = parse_number(text)
        except InvalidField as exc:
            raise NumberProblem(text, f"not a number the register reads: {exc.reason}", "not_a_number") from None
        if isinstance(number, ApplicationNumber):
            doc = self.register.get_by_application(number)
        else:
            doc = self.register.get(number.compact)
            if doc is not None and not is_grant_kind(doc.number.country, doc.number.kind):
                doc = self.register.get(PublicationNumber(number.country, number.serial).compact) or doc
        if doc is None:
            raise NumberProblem(text, "no such right in the register", "not_in_register")
        if doc.right_type == RightType.TRADEMARK:
            raise NumberProblem(text, "is a trademark, not a patent", "trademark")
        if not is_grant_kind(doc.number.country, doc.number.kind):
            raise NumberProblem(text, f"{doc.number.compact} is a published application, not a granted right",
                                "application")
        return doc

    @staticmethod
    def _held_by(doc: Document, holder: str) -> bool:
        names = owners(doc)
        return not names or any(_norm(holder) == _norm(n) for n in names)

    def _keeper(self, conn: Connection, holder: str, user: User) -> None:
        members = store.members(conn, holder)
        if members.get(user.username) != KEEPER:
            raise InventoryForbidden(f"{user.username} is not a keeper of {holder}'s inventory", "not_keeper",
                                     user=user.username, holder=holder)

    def _check_grade(self, row: store.EntryRow, grade: str) -> None:
        if grade == "A":
            flags = self._view(row, [], self.today())["suggested"].get("flags") or []
            inv.check_grade_allowed(grade, list(flags), row.number)

    # -- members ---------------------------------------------------------------------------------------

    def add_member(self, holder: str, username: str, function: str, actor: str) -> bool:
        """Add ``username`` to ``holder``'s members as ``keeper`` or first-level ``reviewer`` (by a keeper)."""
        if function not in FUNCTIONS:
            raise InvalidField("function", function, "must be keeper or reviewer")
        holder = inv.check_text(holder, "holder", 200)
        user, member = self._user(actor), self._user(inv.check_text(username, "username", 64))
        with self.register.engine.begin() as conn:
            self._keeper(conn, holder, user)
            return store.add_member(conn, holder, member.username, function, user.username, self.today())

    def members(self, holder: str) -> dict[str, str]:
        with self.register.engine.connect() as conn:
            return store.members(conn, holder)

    def holders(self, viewer: str) -> list[str]:
        """The holders whose inventories ``viewer`` sees (every holder for office staff who review)."""
        user = self._user(viewer)
        with self.register.engine.connect() as conn:
            visible = self._visible_holders(conn, user)
            return sorted({e.holder for e in store.entries(conn, visible)})

    def holders_of(self, username: str) -> dict[str, str]:
        with self.register.engine.connect() as conn:
            return store.holders_of(conn, username)

    # -- import ----------------------------------------------------------------------------------------

    def import_csv(self, data: bytes, holder: str, actor: str, on: date | None = None) -> ImportReport:
        """Import ``holder``'s patents from CSV bytes, all or nothing (see the module doc). The first importer of a
        holder (a user with the applicant role) becomes its keeper; later imports need a keeper."""
        holder = inv.check_text(holder, "holder", 200)
        if not holder:
            raise InvalidField("holder", holder, "the organisation's name, 1 to 200 characters")
        user = self._user(actor)
        day = self._day(on)
        with self.register.engine.connect() as conn:  # who may import, before the file is read
            self._may_import(conn, holder, user)
        rows, errors = parse(decode(data))
        planned: list[tuple[int, str, Mapping[str, str]]] = []
        seen: dict[str, int] = {}
        for row in rows:
            try:
                doc = self.resolve(row.number)
            except NumberProblem as exc:
                errors.append(RowError(row.row, "number", row.number, exc.reason, exc.code))
                continue
            compact = doc.number.compact
            if compact in seen:
                errors.append(RowError(row.row, "number", row.number, f"{compact} is also row {seen[compact]}", "twice",
                                       str(seen[compact])))
                continue
            seen[compact] = row.row
            if not self._held_by(doc, holder):
                errors.append(RowError(row.row, "number", row.number,
                                       f"{compact} is held by {', '.join(owners(doc))}, not {holder}", "held_by_other",
                                       ", ".join(owners(doc))))
                continue
            planned.append((row.row, compact, row.values))
        report = ImportReport(holder, errors=sorted(errors, key=lambda e: (e.row, e.field)))
        with self.register.engine.begin() as conn:
            members = store.members(conn, holder)
            self._may_import(conn, holder, user)
            existing = {e.number: e for e in store.entries(conn, [holder], lock=True)}
            stored = store.events(conn, [e.id for e in existing.values()])
            states = {i: inv.fold(evs) for i, evs in stored.items()}
            writes: list[tuple[str, int | None, dict[str, str]]] = []
            for line, compact, values in planned:
                if compact not in existing:
                    writes.append((compact, None, dict(values)))
                    continue
                entry = existing[compact]
                state = states[entry.id]
                changed = {k: v for k, v in values.items() if state.row_values()[k] != v}
                if not changed:
                    report.unchanged.append(compact)
                elif state.state not in inv.EDITABLE:
                    name = next(iter(changed))
                    report.errors.append(RowError(line, name, changed[name],
                                                  f"{compact} is {state.state}: it cannot change under review",
                                                  "under_review", state.state))
                else:
                    writes.append((compact, entry.id, changed))
            if report.errors:
                report.unchanged.clear()
                return report
            if not members:
                store.add_member(conn, holder, user.username, KEEPER, user.username, day)
            for compact, entry_id, values in writes:
                if entry_id is None:
                    entry_id = store.add_entry(conn, holder, compact, user.username, day)
                    report.created.append(compact)
                else:
                    inv.check_in_order(states[entry_id], day)
                    report.updated.append(compact)
                store.append(conn, entry_id, inv.IMPORTED, day, user.username, values)
        return report

    def _may_import(self, conn: Connection, holder: str, user: User) -> None:
        """A holder's keeper imports; the first import of a holder is a right holder's account (applicant)."""
        if store.members(conn, holder):
            self._keeper(conn, holder, user)
        elif not user.has(Role.APPLICANT):
            raise InventoryForbidden(f"{user.username} is not a right holder's account (applicant role)",
                                     "not_holder_account", user=user.username, holder=holder)

    # -- reading ---------------------------------------------------------------------------------------

    def _visible_holders(self, conn: Connection, user: User) -> list[str] | None:
        """The holders whose inventory ``user`` sees: None (all) for staff who review at the second level."""
        if user.roles & SECOND_LEVEL_ROLES:
            return None
        return list(store.holders_of(conn, user.username))

    def _view(self, entry: store.EntryRow, events: list[inv.Event], day: date) -> dict[str, Any]:
        state = inv.fold(events)
        doc = self.register.get(entry.number)
        if doc is None:  # the register lost it (a re-import renumbered it): keep the entry, say so
            suggestion: dict[str, object] = {"grade": None, "reasons": [], "flags": ["not_in_register"]}
            title, ipc, status = "", tuple[str, ...](), "unknown"
        else:
            status = legal_status(doc).code
            suggestion = suggest(self.indicators.of_document(doc), status, self.grading().in_force(day)).as_dict()
            title, ipc = doc.title or "", ipc_of(doc)
        return {"id": entry.id, "holder": entry.holder, "number": entry.number, "title": title, "ipc": list(ipc),
                "status": status, "keeper": entry.keeper, "state": state.state, **state.row_values(),
                "suggested": suggestion, "submitted_by": state.submitted_by, "first_reviewer": state.first_reviewer,
                "second_reviewer": state.second_reviewer, "returned_reason": state.returned_reason,
                "in_library": state.in_library, "history": [e.as_dict() for e in events]}

    def entries(self, viewer: str, holder: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
        """The entries ``viewer`` may see (the holders they are a member of; every holder for office staff who
        review), of ``holder`` and in ``state`` when given; each with its suggested grade and history."""
        user = self._user(viewer)
        if holder is not None:
            holder = inv.check_text(holder, "holder", 200)
        with self.register.engine.connect() as conn:
            visible = self._visible_holders(conn, user)
            if holder is not None and visible is not None and holder not in visible:
                raise InventoryForbidden(f"{user.username} is not a member of {holder}'s inventory", "not_member",
                                         user=user.username, holder=holder)
            wanted = [holder] if holder is not None else visible
            rows = store.entries(conn, wanted)
            events = store.events(conn, [e.id for e in rows])
        day = self.today()
        views = [self._view(e, events[e.id], day) for e in rows]
        return [v for v in views if state is None or v["state"] == state]

    def entry(self, entry_id: int, viewer: str) -> dict[str, Any]:
        user = self._user(viewer)
        with self.register.engine.connect() as conn:
            row = store.entry(conn, entry_id)
            if row is None:
                raise EntryNotFound(entry_id)
            visible = self._visible_holders(conn, user)
            if visible is not None and row.holder not in visible:
                raise EntryNotFound(entry_id)
            events = store.events(conn, [entry_id])[entry_id]
        return self._view(row, events, self.today())

    def queue(self, viewer: str) -> list[dict[str, Any]]:
        """The entries waiting for ``viewer``'s review: first level for the holders they review for; second level
        for a registrar or office administrator over the keeper's office."""
        user = self._user(viewer)
        with self.register.engine.connect() as conn:
            reviewing = [h for h, f in store.holders_of(conn, user.username).items() if f == REVIEWER]
            rows = store.entries(conn, reviewing) if reviewing else []
            staff_rows = store.entries(conn) if user.roles & SECOND_LEVEL_ROLES else []
            events = store.events(conn, {e.id for e in [*rows, *staff_rows]})
        out = []
        day = self.today()
        for row in rows:
            if inv.fold(events[row.id]).state == inv.UNDER_FIRST_REVIEW:
                out.append({**self._view(row, events[row.id], day), "level": 1})
        for row in staff_rows:
            if inv.fold(events[row.id]).state == inv.UNDER_SECOND_REVIEW and self._over(user, row.keeper):
                out.append({**self._view(row, events[row.id], day), "level": 2})
        return out

    def _over(self, user: User, keeper: str) -> bool:
        with self.procedures.store.reading() as s:
            keeper_user = s.user(keeper)
            tree = s.office_tree()
        return keeper_user is not None and tree.is_within(keeper_user.office, user.office)

    # -- acts ------------------------------------------------------------------------------------------

    def _act(self, entry_id: int, actor: str, on: date | None,
             act: Callable[[Connection, store.EntryRow, inv.EntryState, User], tuple[str, dict[str, object]]]
             ) -> dict[str, Any]:
        user = self._user(actor)
        day = self._day(on)
        with self.register.engine.begin() as conn:
            row = store.entry(conn, entry_id, lock=True)
            if row is None:
                raise EntryNotFound(entry_id)
            state = inv.fold(store.events(conn, [entry_id])[entry_id])
            code, payload = act(conn, row, state, user)
            inv.check_in_order(state, day)
            store.append(conn, entry_id, code, day, user.username, payload)
            events = store.events(conn, [entry_id])[entry_id]
        return self._view(row, events, day)

    def assess(self, entry_id: int, actor: str, *, self_grade: str | None = None, intent: str | None = None,
               note: str | None = None, on: date | None = None) -> dict[str, Any]:
        """The keeper's self-assessment: any of grade (A/B/C), conversion intent, notes (InvalidField naming it)."""
        values: dict[str, object] = {}
        if self_grade:
            values["self_grade"] = inv.check_grade(self_grade)
        if intent:
            values["conversion_intent"] = inv.check_intent(intent)
        if note is not None:
            values["note"] = inv.check_text(note, "note")
        if not values:
            raise InvalidField("self_grade", "", "give a grade, an intent or a note")

        def act(conn: Connection, row: store.EntryRow, state: inv.EntryState, user: User
                ) -> tuple[str, dict[str, object]]:
            self._keeper(conn, row.holder, user)
            inv.check_editable(state, row.number)
            self._check_grade(row, str(values.get("self_grade") or ""))
            return inv.ASSESSED, values
        return self._act(entry_id, actor, on, act)

    def submit(self, entry_id: int, actor: str, on: date | None = None) -> dict[str, Any]:
        """Submit the self-assessed entry for first-level review (a keeper)."""
        def act(conn: Connection, row: store.EntryRow, state: inv.EntryState, user: User
                ) -> tuple[str, dict[str, object]]:
            self._keeper(conn, row.holder, user)
            inv.check_submit(state, row.number)
            self._check_grade(row, state.self_grade)  # a grade given in the imported file is checked here
            return inv.SUBMITTED, {}
        return self._act(entry_id, actor, on, act)

    def review(self, entry_id: int, level: int, decision: str, actor: str, reason: str = "",
               on: date | None = None) -> dict[str, Any]:
        """Pass or return the entry at ``level`` 1 (a reviewer of the holder) or 2 (a registrar or office
        administrator over the keeper's office); the order and no-self-review rules of ``domain.inventory``."""
        decision, reason = inv.check_decision(decision, reason)

        def act(conn: Connection, row: store.EntryRow, state: inv.EntryState, user: User
                ) -> tuple[str, dict[str, object]]:
            inv.check_review(state, row.number, level, user.username)
            if level == 1 and store.members(conn, row.holder).get(user.username) != REVIEWER:
                raise InventoryForbidden(f"{user.username} is not a first-level reviewer of {row.holder}",
                                         "not_first_reviewer", user=user.username, holder=row.holder)
            if level == 2 and not (user.roles & SECOND_LEVEL_ROLES and self._over(user, row.keeper)):
                raise InventoryForbidden(f"second-level review needs a registrar or office administrator over "
                                         f"{row.keeper}'s office; {user.username} is not", "not_second_reviewer",
                                         user=user.username, keeper=row.keeper)
            payload: dict[str, object] = {"level": level, "decision": decision}
            if reason:
                payload["reason"] = reason
            return inv.REVIEWED, payload
        return self._act(entry_id, actor, on, act)

    # -- the resource library --------------------------------------------------------------------------

    def library_entries(self, *, ipc: str | None = None, text: str | None = None, grade: str | None = None,
                        intent: str | None = None, limit: int = 200) -> list[LibraryEntry]:
        """The public resource library: entries passed at both levels with an intent to transfer, license or
        open-license; filtered by IPC prefix (``H01M`` or ``H01M 10/``), text in title/holder/department
        (case-insensitive), grade and intent. Oldest approval first."""
        if grade:
            grade = inv.check_grade(grade, "grade")
        if intent:
            intent = inv.check_intent(intent, "intent")
        prefix = (ipc or "").replace(" ", "").upper()
        words = (text or "").casefold().split()
        with self.register.engine.connect() as conn:
            rows = store.entries(conn)
            events = store.events(conn, [e.id for e in rows])
        day = self.today()
        out: list[LibraryEntry] = []
        for row in rows:
            state = inv.fold(events[row.id])
            if not state.in_library or (grade and state.self_grade != grade) or (
                    intent and state.conversion_intent != intent):
                continue
            view = self._view(row, events[row.id], day)
            if prefix and not any(s.replace(" ", "").upper().startswith(prefix) for s in view["ipc"]):
                continue
            haystack = " ".join([view["title"], row.holder, state.department, row.number]).casefold()
            if any(w not in haystack for w in words):
                continue
            out.append(LibraryEntry(row.number, view["title"], tuple(view["ipc"]), state.self_grade,
                                    str(view["suggested"].get("grade") or ""), state.conversion_intent, row.holder,
                                    state.department, state.last_date.isoformat() if state.last_date else ""))
        out.sort(key=lambda e: (e.approved_on, e.number))
        return out[:limit]

    # -- demo ------------------------------------------------------------------------------------------

    def university_holders(self, limit: int = 10) -> list[tuple[str, int]]:
        """University-like owners of granted rights in the register (assignees, else applicants), with counts."""
        with self.register.engine.connect() as conn:
            rows = conn.execute(select(t.parties.c.name, func.count(func.distinct(t.parties.c.document_id)))
                                .where(t.parties.c.role.in_(("assignee", "applicant")))
                                .group_by(t.parties.c.name)
                                .order_by(func.count(func.distinct(t.parties.c.document_id)).desc()))
            found = [(str(r[0]), int(r[1])) for r in rows if _UNIVERSITY.search(str(r[0]))]
        return found[:limit]

    def demo_csv(self, holder: str | None = None, limit: int = 20) -> tuple[str, str]:
        """``(holder, CSV text)``: the granted rights of the register held by ``holder`` (default: the
        university-like owner with the most), in the import format; LookupError when there is none."""
        if holder is None:
            candidates = self.university_holders(1)
            if not candidates:
                raise LookupError("holder: no university-like owner in the register; import data first")
            holder = candidates[0][0]
        with self.register.engine.connect() as conn:
            ids = [r[0] for r in conn.execute(select(t.parties.c.document_id).where(t.parties.c.name == holder))]
            numbers = sorted({r[0] for r in conn.execute(
                select(t.documents.c.number).where(t.documents.c.id.in_(ids)))})
        rows = [n for n in numbers if self._granted(n)][:limit]
        if not rows:
            raise LookupError(f"holder: {holder} holds no granted right in the register")
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["number", "department", "contact", "self_grade", "conversion_intent", "note"])
        intents = ("transfer", "licence", "open_licence", "keep")
        for i, number in enumerate(rows):
            writer.writerow([number, "", "", "", intents[i % len(intents)], ""])
        return holder, buffer.getvalue()

    def _granted(self, number: str) -> bool:
        try:
            self.resolve(number)
        except NumberProblem:
            return False
        return True


def library_entries(service: InventoryService, **filters: Any) -> list[dict[str, object]]:
    """The resource library as plain dicts (number, title, ipc, grade, suggested_grade, intent, holder, department,
    approved_on): what the marketplace draws on."""
    return [e.as_dict() for e in service.library_entries(**filters)]
