"""IP protection centres (知识产权保护中心) and who may use their fast pre-examination (专利预审).

A protection centre is an office of the hierarchy (``OfficeLevel.PROTECTION_CENTRE``) that pre-examines
applications in its technical fields for the applicants registered with it (备案主体) in its region, then
files those that pass with the national office on a fast track. Its configuration changes by announcement,
so every part of it is dated: ``FieldList`` (the IPC classes/groups it serves, from a date, with the
announcement), ``Registration`` (an applicant's record-filing with the centre, from a date, until a date).

Eligibility (``CentreConfig.refusal``), checked at filing, gives the first reason that applies, as a
``Reason`` (English text, ``code``, ``params``) so an interface can say it in its language:

- ``centre_no_fields``: the centre has no field list in force on the filing date;
- ``centre_right_type``: the centre does not pre-examine this kind of right;
- ``centre_pct_national_phase``: a PCT application entering the national phase is not pre-examined;
- ``centre_not_registered``: the applicant has no registration with the centre in force on that day;
- ``centre_outside_region``: the applicant is not located in the centre's region;
- ``centre_ipc_missing``: no IPC symbol given (an invention, a utility model);
- ``centre_out_of_field``: an IPC symbol lies outside the centre's fields in force on that day;
- ``centre_locarno_missing`` / ``centre_locarno_out_of_field``: the same for a design, by its Locarno classes
  (a design is classified in the Locarno classification, not the IPC).

IPC matching is by prefix of the normalised symbol without spaces: a field ``H01M`` (a subclass) holds
``H01M 10/052``; a field ``G06F 16/`` (a main group) holds ``G06F 16/35`` but not ``G06F 161/00``. Locarno
matching: a class (``"02"``) holds its subclasses (``"02-01"``); a subclass holds itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from ipoffice.domain.document import RightType
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.procedures.base import Reason


def ipc_key(symbol: str) -> str:
    """``"H01M 10/052"`` → ``"H01M10/052"`` (the form fields and symbols are compared in)."""
    return "".join(symbol.split()).upper()


def _field_key(prefix: str) -> str:
    key = ipc_key(prefix)
    # A main group "G06F 16" or "G06F 16/00" means the group and its subgroups: compare up to the slash.
    if "/" in key:
        head, tail = key.split("/", 1)
        return f"{head}/" if tail in ("", "00") else key
    return f"{key}/" if len(key) > 4 else key


@dataclass(frozen=True)
class FieldList:
    """The IPC fields a centre serves from ``effective_from`` (until the next list), per its announcement."""

    effective_from: date
    ipc: tuple[str, ...]  # subclasses ("H01M") or groups ("G06F 16/")
    reference: str
    right_types: frozenset[RightType] = frozenset({RightType.INVENTION, RightType.UTILITY_MODEL})
    locarno: tuple[str, ...] = ()  # the designs' fields: Locarno classes ("02") or subclasses ("14-03")

    def field_of(self, symbol: str) -> str | None:
        """The field (as announced) that holds ``symbol``, or None."""
        key = ipc_key(symbol)
        return next((f for f in self.ipc if key.startswith(_field_key(f))), None)

    def locarno_field_of(self, symbol: str) -> str | None:
        """The Locarno field (as announced) that holds the normalised class or subclass ``symbol``, or None."""
        return next((f for f in self.locarno if symbol == f or symbol.startswith(f"{f}-")), None)

    def field_for(self, right_type: RightType, symbol: str) -> str | None:
        """The field holding ``symbol``: by Locarno class for a design, else by IPC."""
        return self.locarno_field_of(symbol) if right_type is RightType.DESIGN else self.field_of(symbol)


@dataclass(frozen=True)
class Registration:
    """An applicant's record-filing with a centre: from ``registered_on`` until ``until`` (exclusive)."""

    applicant: str  # username
    registered_on: date
    reference: str
    until: date | None = None
    recorded_by: str | None = None  # the centre's staff member who recorded it; None: the rules file's

    def in_force(self, on: date) -> bool:
        return self.registered_on <= on and (self.until is None or on < self.until)

    def overlaps(self, start: date, until: date | None) -> bool:
        """Whether the days [start, until) share a day with this registration's."""
        return (until is None or self.registered_on < until) and (self.until is None or start < self.until)

    def as_dict(self, on: date | None = None) -> dict[str, object]:
        return {"applicant": self.applicant, "registered_on": self.registered_on.isoformat(),
                "until": self.until.isoformat() if self.until else None, "reference": self.reference,
                "source": "rules" if self.recorded_by is None else "register", "recorded_by": self.recorded_by,
                **({"in_force": self.in_force(on)} if on is not None else {})}


@dataclass(frozen=True)
class CentreConfig:
    """A centre's dated configuration. ``region`` is the code of the office whose area the centre serves
    (e.g. ``CN-JS-SZ``, Suzhou): an applicant is located in it when the applicant's own office is that office
    or one below it."""

    code: str
    region: str
    fields: tuple[FieldList, ...]  # oldest first
    registrations: tuple[Registration, ...] = ()

    def __post_init__(self) -> None:
        starts = [f.effective_from for f in self.fields]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise InvalidField(f"centres.{self.code}.fields", starts, "field lists must be dated oldest first, "
                                                                      "one per date")

    def fields_on(self, on: date) -> FieldList | None:
        """The field list in force on ``on`` (the latest one that took effect on or before it)."""
        current = None
        for fields in self.fields:
            if fields.effective_from <= on:
                current = fields
        return current

    def registered_on(self, on: date) -> list[Registration]:
        """The registrations in force on ``on``, by applicant."""
        return sorted((r for r in self.registrations if r.in_force(on)), key=lambda r: (r.applicant, r.registered_on))

    def registration_of(self, applicant: str, on: date) -> Registration | None:
        return next((r for r in self.registrations if r.applicant == applicant and r.in_force(on)), None)

    def refusal(self, *, applicant: str, applicant_office: str, ipc: Sequence[str], right_type: RightType,
                pct: bool, on: date, within: Callable[[str, str], bool]) -> Reason | None:
        """Why the application may not be pre-examined by this centre on ``on``, or None when it may.
        ``ipc``: its classification — IPC symbols, or for a design its Locarno classes (normalised).
        ``within(office, region)`` says whether an office lies in the region (the office hierarchy)."""
        fields = self.fields_on(on)
        if fields is None:
            return Reason(f"protection centre {self.code} has no technical fields in force on {on.isoformat()}",
                          "centre_no_fields", centre=self.code, on=on)
        if right_type not in fields.right_types:
            handled = ", ".join(sorted(r.value for r in fields.right_types))
            return Reason(f"protection centre {self.code} does not pre-examine {right_type.value} applications "
                          f"(handles {handled}; {fields.reference})", "centre_right_type",
                          centre=self.code, right_type=right_type.value, handled=handled)
        if pct:
            return Reason("a PCT application entering the national phase cannot be pre-examined by a protection "
                          "centre", "centre_pct_national_phase", centre=self.code)
        if self.registration_of(applicant, on) is None:
            return Reason(f"applicant {applicant} is not registered with protection centre {self.code} on "
                          f"{on.isoformat()}", "centre_not_registered", centre=self.code, applicant=applicant, on=on)
        if not within(applicant_office, self.region):
            return Reason(f"applicant {applicant} ({applicant_office}) is not located in the region of protection "
                          f"centre {self.code} ({self.region})", "centre_outside_region", centre=self.code,
                          applicant=applicant, region=self.region, applicant_office=applicant_office)
        if right_type is RightType.DESIGN:
            return self._locarno_refusal(fields, ipc, on)
        if not ipc:
            return Reason(f"give the IPC symbols of the application: protection centre {self.code} pre-examines "
                          f"only its technical fields", "centre_ipc_missing", centre=self.code)
        outside = [s for s in ipc if fields.field_of(s) is None]
        if outside:
            return Reason(f"IPC {', '.join(outside)} outside the technical fields of protection centre {self.code} "
                          f"on {on.isoformat()} ({', '.join(fields.ipc)}; {fields.reference})",
                          "centre_out_of_field", centre=self.code, ipc=", ".join(outside),
                          fields=", ".join(fields.ipc), on=on)
        return None


    def _locarno_refusal(self, fields: FieldList, classes: Sequence[str], on: date) -> Reason | None:
        """Why a design classified in ``classes`` (normalised Locarno classes or subclasses) is outside the
        centre's fields on ``on``, or None."""
        if not classes:
            return Reason(f"give the Locarno classes of the design: protection centre {self.code} pre-examines "
                          f"only its fields", "centre_locarno_missing", centre=self.code)
        outside = [c for c in classes if fields.locarno_field_of(c) is None]
        if outside:
            return Reason(f"Locarno {', '.join(outside)} outside the design fields of protection centre "
                          f"{self.code} on {on.isoformat()} ({', '.join(fields.locarno) or 'none'}; "
                          f"{fields.reference})", "centre_locarno_out_of_field", centre=self.code,
                          locarno=", ".join(outside), fields=", ".join(fields.locarno) or "—", on=on)
        return None


@dataclass(frozen=True)
class CentreBook:
    """The configured centres by office code."""

    centres: tuple[CentreConfig, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        codes = [c.code for c in self.centres]
        if len(set(codes)) != len(codes):
            raise InvalidField("centres", codes, "a centre is configured twice")

    def get(self, code: str) -> CentreConfig | None:
        return next((c for c in self.centres if c.code == code), None)

    def with_registrations(self, extra: Mapping[str, Sequence[Registration]]) -> CentreBook:
        """The book with the registrations of ``extra`` (by centre code; those recorded in the register) added
        to each centre's own."""
        return CentreBook(tuple(replace(c, registrations=(*c.registrations, *extra.get(c.code, ())))
                                for c in self.centres))

    def __iter__(self) -> Iterator[CentreConfig]:
        return iter(self.centres)
