"""Use cases of the protection centres: their configuration as of a day, an eligibility check before filing,
the centre's pre-examination queue, and the published figures per centre and field
(``ipoffice.domain.centre_figures``). Filing itself goes through ``ProcedureService.file``
(``ipoffice.services.centre_filing`` routes it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ipoffice.adapters.centre_registrations import end_registrations, insert_registration, with_recorded
from ipoffice.adapters.procedure_store import CaseRecord, StoreSession
from ipoffice.domain import case_file
from ipoffice.domain.centre_figures import CentreFigures, FastTrackCase, figures
from ipoffice.domain.centres import CentreBook, CentreConfig, FieldList, Registration
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.offices import AccessPolicy, Office, OfficeLevel, Role, User
from ipoffice.domain.procedures.base import Case, ProcedureEvent, Reason
from ipoffice.domain.procedures.cn_fast_track import CENTRE, FAST_TRACK_OF, PRE_EXAMINATION
from ipoffice.services.centre_filing import centre_refusal, classification
from ipoffice.services.procedures import AccessDenied, ProcedureService, UnknownUser

MAX_REFERENCE_CHARS = 200


@dataclass(frozen=True)
class CentreView:
    office: Office
    config: CentreConfig | None
    fields: FieldList | None  # in force on the day asked
    on: date | None = None  # the day asked: the registered applicants are those in force on it

    def as_dict(self) -> dict[str, object]:
        return {"code": self.office.code, "name": self.office.name, "kind": self.office.level.value,
                "parent": self.office.parent, "region": self.config.region if self.config else None,
                "fields": list(self.fields.ipc) if self.fields else [],
                "locarno": list(self.fields.locarno) if self.fields else [],
                "right_types": sorted(r.value for r in self.fields.right_types) if self.fields else [],
                "fields_from": self.fields.effective_from.isoformat() if self.fields else None,
                "fields_reference": self.fields.reference if self.fields else None,
                "registered_applicants": sorted({r.applicant for r in self.config.registrations
                                                 if self.on is None or r.in_force(self.on)})
                if self.config else []}


def region_of_office(office: Office, config: CentreConfig | None) -> str:
    """The area an office serves: a protection centre's configured region, a service centre's parent office,
    the jurisdiction for the national office, else the office's own code."""
    if config is not None:
        return config.region
    if office.level is OfficeLevel.SERVICE_CENTRE and office.parent is not None:
        return office.parent  # it serves the area of the office that runs it
    return office.jurisdiction if office.level is OfficeLevel.NATIONAL else office.code


def province_of(code: str, offices: dict[str, Office]) -> str:
    """The provincial office above (or at) office ``code`` — a centre serving Suzhou counts for Jiangsu —
    else ``code`` itself (an area with no provincial office above it in the hierarchy)."""
    current: str | None = code
    seen: set[str] = set()
    while current is not None and current in offices and current not in seen:
        seen.add(current)
        if offices[current].level is OfficeLevel.PROVINCIAL:
            return current
        current = offices[current].parent
    return code


class CentreService:
    def __init__(self, procedures: ProcedureService) -> None:
        self.procedures = procedures

    def book(self) -> CentreBook:
        """The centres' configuration: the rules files', with the registrations recorded in the register."""
        with self.procedures.store.reading() as s:
            return with_recorded(s, self.procedures.centres())

    def centres(self, on: date) -> list[CentreView]:
        """The offices of kind protection centre, with their configuration in force on ``on``."""
        book = self.book()
        views = []
        for office in self.procedures.offices():
            if office.level is OfficeLevel.PROTECTION_CENTRE:
                config = book.get(office.code)
                views.append(CentreView(office, config, config.fields_on(on) if config else None, on))
        return views

    def applicants(self, centre: str, as_of: date | None = None) -> list[Registration]:
        """Every registration with ``centre`` (the rules files' and the register's), or those in force on
        ``as_of``; InvalidField naming ``centre`` when it is not a configured protection centre."""
        config = self.book().get(centre)
        if config is None:
            raise InvalidField("centre", centre, "is not a configured protection centre (see `ipoffice centres list`)")
        found = config.registrations if as_of is None else tuple(r for r in config.registrations if r.in_force(as_of))
        return sorted(found, key=lambda r: (r.applicant, r.registered_on))

    def register_applicant(self, centre: str, applicant: str, start: date, actor: str, until: date | None = None,
                           reference: str = "") -> Registration:
        """Record that ``applicant`` is registered with ``centre`` from ``start`` (until ``until``, exclusive),
        by ``actor``, a staff member of the centre (or of an office above it). Eligibility at filing reads it
        from then on, for filings dated within it.

        Raises InvalidField naming the field (centre, applicant — not an applicant, or registered on a day of
        those already —, until before start, reference too long), UnknownUser (actor), AccessDenied."""
        if until is not None and until <= start:
            raise InvalidField("until", until.isoformat(), f"must be after the start {start.isoformat()}")
        if len(reference) > MAX_REFERENCE_CHARS:
            raise InvalidField("reference", reference[:80], f"at most {MAX_REFERENCE_CHARS} characters")
        with self.procedures.store.writing() as s:
            staff = self._centre_staff(s, centre, actor)
            user = s.user(applicant)
            if user is None or not user.has(Role.APPLICANT):
                raise InvalidField("applicant", applicant, "is not a user with the applicant role")
            config = with_recorded(s, self.procedures.centres()).get(centre)
            assert config is not None
            clash = next((r for r in config.registrations if r.applicant == applicant and r.overlaps(start, until)),
                         None)
            if clash is not None:
                raise InvalidField("from", start.isoformat(), f"{applicant} is already registered with {centre} "
                                   f"from {clash.registered_on.isoformat()}"
                                   + (f" until {clash.until.isoformat()}" if clash.until else ""))
            made = Registration(applicant, start, reference.strip(), until, staff.username)
            insert_registration(s, centre, made, self.procedures.clock())
            return made

    def deregister_applicant(self, centre: str, applicant: str, on: date, actor: str) -> list[date]:
        """End ``applicant``'s recorded registration with ``centre`` on ``on`` (its last day is the day before),
        by the centre's staff; the start days of the registrations ended. InvalidField naming ``applicant``
        when none is in force on or after ``on`` (a rules file's registration ends in that file)."""
        with self.procedures.store.writing() as s:
            staff = self._centre_staff(s, centre, actor)
            ended = end_registrations(s, centre, applicant, on, staff.username)
            if not ended:
                raise InvalidField("applicant", applicant, f"has no registration with {centre} recorded in the "
                                   f"register running on {on.isoformat()} (those of the rules files end there)")
            return list(ended)

    def _centre_staff(self, s: StoreSession, centre: str, actor: str) -> User:
        user = s.user(actor)
        if user is None:
            raise UnknownUser(actor)
        offices = s.office_tree()
        office = next((o for o in offices if o.code == centre), None)
        if office is None or office.level is not OfficeLevel.PROTECTION_CENTRE or self.procedures.centres().get(
                centre) is None:
            raise InvalidField("centre", centre, "is not a configured protection centre (see `ipoffice centres list`)")
        if not (user.is_staff and offices.is_within(centre, user.office)):
            raise AccessDenied(f"{actor} is not staff of protection centre {centre} or an office above it",
                               "not_centre_staff", {"user": actor, "centre": centre})
        return user

    def office_rows(self, on: date) -> list[dict[str, object]]:
        """Every office with its ``kind``, ``region`` and ``fields`` (a centre's IPC fields on ``on``)."""
        book = self.procedures.centres()
        rows: list[dict[str, object]] = []
        for office in self.procedures.offices():
            config = book.get(office.code) if office.level is OfficeLevel.PROTECTION_CENTRE else None
            fields = config.fields_on(on) if config else None
            rows.append({"code": office.code, "name": office.name, "level": office.level.value,
                         "kind": office.level.value, "jurisdiction": office.jurisdiction, "parent": office.parent,
                         "region": region_of_office(office, config), "fields": list(fields.ipc) if fields else []})
        return rows

    def check(self, centre: str, applicant: str, procedure: str, ipc: list[str] | str, pct: bool,
              on: date) -> Reason | None:
        """Why ``applicant`` could not file ``procedure`` through ``centre`` on ``on`` (None: eligible);
        ``ipc``: the IPC symbols, or for ``cn_design`` the Locarno classes."""
        with self.procedures.store.reading() as s:
            user = s.user(applicant)
            if user is None:
                raise UnknownUser(applicant)
            offices = s.office_tree()
        symbols = classification(procedure, {"locarno" if procedure.startswith("cn_design") else "ipc": ipc})
        return centre_refusal(self.book(), offices, centre, user, procedure, symbols, pct, on)

    def _fast_track_cases(self, viewer: str | None) -> list[tuple[CaseRecord, Case, bool]]:
        """(record, case, visible to ``viewer``) of every fast-track case."""
        found = []
        wanted = set(FAST_TRACK_OF.values())
        with self.procedures.store.reading() as s:
            policy = AccessPolicy(s.office_tree())
            user = s.user(viewer) if viewer else None
            if viewer and user is None:
                raise UnknownUser(viewer)
            for record in s.cases():
                if record.procedure not in wanted:
                    continue
                entries = s.events_of(record)
                proc = self.procedures.catalogue.procedure(record.procedure)
                rules = self.procedures.catalogue.rules(record.jurisdiction)
                case = proc.replay(case_file.procedure_events(ProcedureEvent(e.code, e.date, e.payload)
                                                              for e in entries), rules)
                found.append((record, case, policy.can_view(user, record.access)))
        return found

    def queue(self, centre: str, viewer: str) -> list[tuple[CaseRecord, Case]]:
        """The requests the centre is pre-examining (those ``viewer`` may see), oldest first."""
        return [(r, c) for r, c, visible in self._fast_track_cases(viewer)
                if visible and r.office == centre and c.state in PRE_EXAMINATION]

    def figures(self, viewer: str | None = None, by: str = "centre") -> list[CentreFigures]:
        """The published figures over every fast-track request; each figure lists only the application
        numbers ``viewer`` may see (the public: published cases). ``by``: ``centre`` (per centre and field) or
        ``region`` (per province: the provincial office above the area each centre serves, in the figure's
        ``centre``; its ``field`` ``*``)."""
        if by not in ("centre", "region"):
            raise ValueError(f"expected centre or region, got {by!r}")
        rows = []
        visible: set[str] = set()
        for record, case, can_view in self._fast_track_cases(viewer):
            if can_view:
                visible.add(record.application_number)
            requested = case.date_fact("requested_on") or record.filing_date
            rows.append(FastTrackCase(
                record.application_number, str(case.facts.get(CENTRE) or record.office),
                str(case.facts.get("centre_field") or "-"), requested, case.date_fact("pre_examination_passed"),
                case.date_fact("pre_examination_refused"), case.date_fact("grant_date")))
        if by == "region":
            book = self.book()
            every = {o.code: o for o in self.procedures.offices()}
            regions = {code: province_of(region_of_office(o, book.get(code)), every) for code, o in every.items()}

            def group(c: FastTrackCase) -> tuple[str, str]:
                return str(regions.get(c.centre) or c.centre), "*"
            grouped = figures(rows, group)
        else:
            grouped = figures(rows)
        return [CentreFigures(f.centre, f.field, f.requests, f.passed, f.refused, f.granted, f.median_days,
                              f.p90_days, tuple(n for n in f.cases if n in visible)) for f in grouped]
