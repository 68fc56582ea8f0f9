"""Recordals on a granted right: requests to record a transfer, a change of name, a licence contract, a pledge
and its release, an open-licence declaration, its withdrawal and a licensee's notice taking the open licence.

A recordal is a small procedure of its own: it is **filed** by a party, **examined** (the payload's form,
the fee, the consistency rules below) and **registered** or **refused** by the registrar. Its events are
records of the right's case file (``recordal_filed``, ``recordal_registered``, ``recordal_refused``; see
``ipoffice.domain.case_file``): they go into the case's hash-chained legal events and never move the
patent procedure. The request's id is the sequence number of its ``recordal_filed`` event. A transfer takes
effect on registration (Patent Law Art. 10), so the right's owners, licences, pledges and open licence
(``RightRecord``) are folded from the registered requests in order of registration, for any date.

Consistency rules (``problem``), each refused with a ``Reason`` whose ``code`` names the rule and whose
``reference`` is the legal basis in force that day (``rules/cn/recordals.yaml``):

- ``right_not_in_force``: nothing is recorded on a right that is not in force (not granted yet, or lapsed,
  expired, invalidated, surrendered) — a pledge may still be released;
- ``open_licence_not_available``: the open-licence system exists from 2021-06-01 (Patent Law Arts. 50-52);
- ``co_owners_disagree``: co-owners all agree (Patent Law Art. 14), except to a non-exclusive licence;
- ``pledgee_consent_missing``: a pledged right is not transferred or licensed (an open licence included)
  without the pledgee's consent (Civil Code Art. 444(2); before 2021: Property Law Art. 227(2));
- ``open_licence_exclusive_licence``: no open licence while an exclusive or sole licence is in force;
  ``exclusive_licence_open_licence``: no exclusive or sole licence while an open licence is in force
  (Art. 51(3)); ``exclusive_licence_exists``: no two exclusive/sole licences at once;
- ``open_licence_fee_unpaid``: no open licence while an annual fee is overdue;
- ``licence_recordal_late``: a licence contract is recorded within 3 months of taking effect
  (Implementing Regulations (2010) Rule 14(2) / Art. 15 (2023));
- ``open_licence_declared``, ``no_open_licence``, ``no_such_pledge``, ``not_an_owner``: the request does
  not fit the register (a second declaration, nothing to withdraw or take, an unknown pledge or owner);
- ``recordal_fee_unpaid``: the fee the dated rules name for the request type (``fee.recordal.*``, recorded
  with the request when it was filed) is not paid (a ``recordal_fee_paid`` record on the request); a type whose
  fee is nil needs no payment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Protocol

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.procedures.base import Case, ProcedureEvent, Reason
from ipoffice.domain.royalties import check_royalty, read_royalty
from ipoffice.domain.rules import Fee, RuleBook, RuleNotInForce
from ipoffice.domain.time_limits import Period

TYPES = ("transfer", "name_change", "licence", "pledge", "pledge_release", "open_licence",
         "open_licence_withdrawal", "open_licence_take")
LICENCE_KINDS = ("exclusive", "sole", "non_exclusive")
EXCLUSIVE_KINDS = frozenset({"exclusive", "sole"})
DECISIONS = ("register", "refuse")

FILED, REGISTERED, REFUSED = "filed", "registered", "refused"
EVENT_PREFIX = "recordal_"
FILED_EVENT = "recordal_filed"
REGISTERED_EVENT = "recordal_registered"
REFUSED_EVENT = "recordal_refused"
FEE_PAID_EVENT = "recordal_fee_paid"
PLEDGE_ALERT_EVENT = "recordal_pledge_alert"

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)  # dates of a payload (contracts, terms)
IN_FORCE_STATES = frozenset({"granted", "invalidation_pending"})
OPEN_LICENCE_TYPES = frozenset({"open_licence", "open_licence_withdrawal", "open_licence_take"})

FEE_OF_TYPE: Mapping[str, str] = {
    "transfer": "fee.recordal.change_of_patentee",
    "name_change": "fee.recordal.change_of_patentee",
    "licence": "fee.recordal.licence_contract",
    "pledge": "fee.recordal.pledge",
    "pledge_release": "fee.recordal.pledge",
    "open_licence": "fee.recordal.open_licence",
    "open_licence_withdrawal": "fee.recordal.open_licence",
    "open_licence_take": "fee.recordal.open_licence",
}
OPEN_LICENCE_SYSTEM = "recordal.open_licence_system"
LICENCE_RECORDAL_LIMIT = "time_limit.licence_contract_recordal"
RULE_PLEDGEE_CONSENT = "recordal.rule.pledgee_consent"
RULE_CO_OWNERS = "recordal.rule.co_owners_agree"
RULE_IN_FORCE = "recordal.rule.right_in_force"
RULE_OPEN_LICENCE = "recordal.rule.open_licence_exclusive"

# Who must agree, per request type: all co-owners (``None``: nobody beyond the filer), and whether a
# pledged right needs the pledgee's consent (Civil Code Art. 444(2): no transfer, no licence).
_CO_OWNERS_AGREE = frozenset({"transfer", "pledge", "licence", "open_licence", "open_licence_withdrawal"})
_PLEDGEE_CONSENTS = frozenset({"transfer", "licence", "open_licence"})


# -- the request and its payload ---------------------------------------------------------------------


@dataclass(frozen=True)
class Recordal:
    """A recordal request: ``id`` is the sequence of its ``recordal_filed`` event; ``state`` filed, registered
    or refused; a refusal keeps its reason (English text and ``reason_code``)."""

    id: int
    number: str  # application number of the right
    type: str
    filed_on: date
    filed_by: str
    payload: Mapping[str, object]
    fee: Mapping[str, object] = field(default_factory=dict)  # name, amount, currency, reference
    state: str = FILED
    decided_on: date | None = None
    decided_by: str | None = None
    reason: str | None = None
    reason_code: str | None = None
    party_before: str | None = None  # a registered transfer: the case's party of record before it
    fee_paid_on: date | None = None  # the day its fee was paid (a ``recordal_fee_paid`` record)

    @property
    def fee_due(self) -> bool:
        """Whether the request owes a fee not paid yet (a nil fee is owed by nobody)."""
        try:
            amount = Decimal(str(self.fee.get("amount", "0")))
        except InvalidOperation:
            amount = Decimal(0)
        return amount > 0 and self.fee_paid_on is None

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "number": self.number, "type": self.type, "state": self.state,
                "filed_on": self.filed_on.isoformat(), "filed_by": self.filed_by, "payload": dict(self.payload),
                "fee": dict(self.fee), "decided_on": self.decided_on.isoformat() if self.decided_on else None,
                "decided_by": self.decided_by, "reason": self.reason, "reason_code": self.reason_code,
                "fee_paid_on": self.fee_paid_on.isoformat() if self.fee_paid_on else None, "fee_due": self.fee_due}


def _text(payload: Mapping[str, object], key: str, *, required: bool = True) -> str | None:
    raw = payload.get(key)
    if raw is None and not required:
        return None
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 200:
        raise InvalidField(f"payload.{key}", raw, "must be a non-empty text of at most 200 characters")
    return raw.strip()


def _names(payload: Mapping[str, object], key: str, *, required: bool = False) -> list[str]:
    raw = payload.get(key, [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(n, str) and n.strip() for n in raw) or len(raw) > 50:
        raise InvalidField(f"payload.{key}", raw, "must be a list of names (usernames or names of parties)")
    if required and not raw:
        raise InvalidField(f"payload.{key}", raw, "names at least one party")
    return list(dict.fromkeys(n.strip() for n in raw))


def _day(payload: Mapping[str, object], key: str, *, required: bool = False) -> date | None:
    raw = payload.get(key)
    if raw is None and not required:
        return None
    try:
        day = date.fromisoformat(str(raw))
    except ValueError:
        raise InvalidField(f"payload.{key}", raw, "must be a date YYYY-MM-DD") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidField(f"payload.{key}", raw, f"must be between {FIRST_DAY} and {LAST_DAY}")
    return day


def check_payload(kind: str, payload: Mapping[str, object]) -> dict[str, object]:
    """The request's payload, checked and normalised (dates as ISO text, names as lists); ``InvalidField``
    naming ``type`` or ``payload.<key>`` when it is malformed. Keys per type:

    - transfer: ``assignees`` (names, required);
    - name_change: ``old_name``, ``new_name``;
    - licence: ``kind`` (exclusive|sole|non_exclusive), ``licensee``, ``contract_effective`` (date), ``ends``,
      optionally ``royalty``, ``industry``, ``products`` (the licensed use: what makes contracts comparable);
    - pledge: ``pledgee``, ``amount`` (secured, decimal text), ``contract_date``;
    - pledge_release: ``pledge`` (id of the pledge's request);
    - open_licence: ``royalty`` (payment method and standard, Art. 50: a structured royalty of
      ``domain.royalties``, or a text), ``ends``, optionally ``industry``, ``products`` (free text, either
      language: what the marketplace searches);
    - open_licence_take: ``licensee``;
    - any: ``agreed_by`` (co-owners agreeing), ``consents`` (pledgees consenting), ``note``.
    """
    if kind not in TYPES:
        raise InvalidField("type", kind, f"must be one of {', '.join(TYPES)}")
    out: dict[str, object] = {}
    for key in ("agreed_by", "consents"):
        if key in payload:
            out[key] = _names(payload, key)
    if "note" in payload:
        out["note"] = str(payload["note"])[:500]
    if kind == "transfer":
        out["assignees"] = _names(payload, "assignees", required=True)
    elif kind == "name_change":
        out["old_name"], out["new_name"] = _text(payload, "old_name"), _text(payload, "new_name")
    elif kind == "licence":
        licence_kind = payload.get("kind")
        if licence_kind not in LICENCE_KINDS:
            raise InvalidField("payload.kind", licence_kind, f"must be one of {', '.join(LICENCE_KINDS)}")
        out["kind"] = licence_kind
        out["licensee"] = _text(payload, "licensee")
        out["contract_effective"] = str(_day(payload, "contract_effective", required=True))
        ends = _day(payload, "ends")
        if ends is not None:
            out["ends"] = ends.isoformat()
        if payload.get("royalty") not in (None, ""):
            out["royalty"] = _royalty(payload["royalty"])
        out.update(_use(payload))
    elif kind == "pledge":
        out["pledgee"] = _text(payload, "pledgee")
        if "amount" in payload:
            try:
                amount = Decimal(str(payload["amount"]))
            except InvalidOperation:
                raise InvalidField("payload.amount", payload["amount"], "must be a number") from None
            if not amount.is_finite() or amount <= 0:
                raise InvalidField("payload.amount", payload["amount"], "must be positive")
            out["amount"] = str(amount)
        contract = _day(payload, "contract_date")
        if contract is not None:
            out["contract_date"] = contract.isoformat()
    elif kind == "pledge_release":
        pledge = payload.get("pledge")
        if not isinstance(pledge, int) or isinstance(pledge, bool) or pledge < 1:
            raise InvalidField("payload.pledge", pledge, "must be the id of the pledge's recordal request")
        out["pledge"] = pledge
    elif kind == "open_licence":
        out["royalty"] = _royalty(payload.get("royalty"))
        ends = _day(payload, "ends")
        if ends is not None:
            out["ends"] = ends.isoformat()
        out.update(_use(payload))
    elif kind == "open_licence_take":
        out["licensee"] = _text(payload, "licensee")
    return out


def _royalty(raw: object) -> object:
    """A structured royalty as its normalised mapping; a text stays a text (as requests were before)."""
    royalty = check_royalty(raw)
    return royalty.as_dict() if royalty.structured else royalty.text


def _use(payload: Mapping[str, object]) -> dict[str, str]:
    """The licensed use: ``industry`` and ``products``, free text in either language."""
    return {key: str(_text(payload, key)) for key in ("industry", "products") if payload.get(key) not in (None, "")}


def fee_paid_event(request: Recordal, on: date) -> ProcedureEvent:
    """The record of the request's fee paid on ``on`` (the amount recorded when it was filed). Raises
    ``InvalidField`` naming ``request`` when nothing is owed (a nil fee, already paid, or decided)."""
    if request.state != FILED:
        raise InvalidField("request", request.id, f"was already {request.state}: no fee is paid on it")
    if not request.fee_due:
        why = "is already paid" if request.fee_paid_on else "is nil for this type of request"
        raise InvalidField("request", request.id, f"owes no fee: its fee {why}")
    return ProcedureEvent(FEE_PAID_EVENT, on, {"request": request.id, "type": request.type, **dict(request.fee)})


def recordal_fee(kind: str, on: date, rules: RuleBook) -> Fee:
    return rules.fee(FEE_OF_TYPE[kind], on)


PLEDGE_EXAMINATION = "time_limit.pledge_examination"
EXAMINED_WITHIN: Mapping[str, str] = {"pledge": PLEDGE_EXAMINATION, "pledge_release": PLEDGE_EXAMINATION}


def examination_due(kind: str, filed_on: date, rules: RuleBook) -> tuple[date, str] | None:
    """The last day for the office to decide a request it must examine within a number of working days (a
    pledge's registration or release), with the reference; None for the other requests."""
    rule = EXAMINED_WITHIN.get(kind)
    if rule is None:
        return None
    try:
        dated = rules.value(rule, filed_on)
    except RuleNotInForce:
        return None
    days, day = Period.from_mapping(dated.value, rule).days, filed_on
    while days > 0:
        day += timedelta(days=1)
        days -= rules.calendar.is_working_day(day)
    return day, dated.reference


def filed_event(kind: str, on: date, payload: Mapping[str, object], rules: RuleBook) -> ProcedureEvent:
    """The ``recordal_filed`` event, with the fee in force that day (none before the request type existed:
    the examination then refuses it by its rule)."""
    try:
        fee = recordal_fee(kind, on, rules)
    except RuleNotInForce:
        return ProcedureEvent(FILED_EVENT, on, {"type": kind, "request": dict(payload), "fee": {}})
    return ProcedureEvent(FILED_EVENT, on, {
        "type": kind, "request": dict(payload),
        "fee": {"name": FEE_OF_TYPE[kind], "amount": str(fee.amount), "currency": fee.currency,
                "reference": fee.reference}})


def decision_event(request: Recordal, decision: str, on: date, reason: Reason | None = None,
                   party_before: str | None = None) -> ProcedureEvent:
    """The decision's event; a registered transfer keeps the case's party of record before it
    (``party_before``), so that the first owner is known after the party follows the new owner."""
    if decision not in DECISIONS:
        raise InvalidField("decision", decision, "must be register or refuse")
    if decision == "register":
        payload: dict[str, object] = {"request": request.id, "type": request.type}
        if party_before is not None:
            payload["party_before"] = party_before
        return ProcedureEvent(REGISTERED_EVENT, on, payload)
    payload = {"request": request.id, "type": request.type, "reason": str(reason or "refused by the registrar"),
                                  "code": reason.code if reason is not None else "refused_by_registrar"}
    return ProcedureEvent(REFUSED_EVENT, on, payload)


class Logged(Protocol):
    """A logged event (``ipoffice.domain.event_log.LogEntry``)."""

    @property
    def sequence(self) -> int: ...

    @property
    def code(self) -> str: ...

    @property
    def date(self) -> date: ...

    @property
    def actor(self) -> str: ...

    @property
    def payload(self) -> Mapping[str, object]: ...


def recordals_of(number: str, entries: Iterable[Logged]) -> list[Recordal]:
    """The recordal requests of a case, from its logged events, in filing order."""
    found: dict[int, Recordal] = {}
    for e in entries:
        payload = e.payload
        if e.code == FILED_EVENT:
            request, fee = payload.get("request"), payload.get("fee")
            found[e.sequence] = Recordal(e.sequence, number, str(payload["type"]), e.date, e.actor,
                                         dict(request) if isinstance(request, Mapping) else {},
                                         dict(fee) if isinstance(fee, Mapping) else {})
        elif e.code == FEE_PAID_EVENT:
            ident = payload.get("request")
            if isinstance(ident, int) and ident in found:
                found[ident] = replace(found[ident], fee_paid_on=e.date)
        elif e.code in (REGISTERED_EVENT, REFUSED_EVENT):
            ident = payload.get("request")
            if isinstance(ident, int) and ident in found:
                found[ident] = replace(
                    found[ident], state=REGISTERED if e.code == REGISTERED_EVENT else REFUSED, decided_on=e.date,
                    decided_by=e.actor, reason=str(payload["reason"]) if "reason" in payload else None,
                    reason_code=str(payload["code"]) if "code" in payload else None,
                    party_before=str(payload["party_before"]) if "party_before" in payload else None)
    return list(found.values())


# -- the right as the register records it --------------------------------------------------------------


def plain(record: object) -> dict[str, object]:
    """A dataclass record as JSON-ready values (dates as ISO text)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(record).items()}  # type: ignore[call-overload]


@dataclass(frozen=True)
class Licence:
    request: int
    kind: str
    licensee: str
    effective: date
    ends: date | None = None
    open_licence: bool = False  # taken under an open licence (Art. 51)

    def in_force(self, on: date) -> bool:
        return self.effective <= on and (self.ends is None or on <= self.ends)

    def as_dict(self) -> dict[str, object]:
        return plain(self)


@dataclass(frozen=True)
class Pledge:
    request: int
    pledgee: str
    registered_on: date
    amount: str | None = None

    def as_dict(self) -> dict[str, object]:
        return plain(self)


@dataclass(frozen=True)
class OpenLicence:
    request: int
    declared_on: date
    royalty: object  # as recorded: a structured royalty (``domain.royalties``), or a text from before
    ends: date | None = None
    industry: str | None = None
    products: str | None = None

    def in_force(self, on: date) -> bool:
        return self.declared_on <= on and (self.ends is None or on <= self.ends)

    def as_dict(self) -> dict[str, object]:
        royalty = read_royalty(self.royalty)
        return {**plain(self), "royalty_terms": royalty.as_dict() if royalty else None,
                "royalty_summary": royalty.summary() if royalty else None}


@dataclass(frozen=True)
class RightRecord:
    """Owners, licences, pledges and open licence of a right on a day: the registered recordals folded."""

    owners: tuple[str, ...]
    licences: tuple[Licence, ...] = ()
    pledges: tuple[Pledge, ...] = ()
    open_licence: OpenLicence | None = None
    open_licence_periods: tuple[tuple[date, date | None], ...] = ()  # (declared, withdrawn or ended)

    def licences_in_force(self, on: date) -> list[Licence]:
        return [lic for lic in self.licences if lic.in_force(on)]

    def open_licence_on(self, on: date) -> bool:
        """Whether an open licence was in force on ``on`` (declared and not yet withdrawn or ended)."""
        return any(start <= on and (end is None or on < end) for start, end in self.open_licence_periods)

    @property
    def pledgees(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.pledgee for p in self.pledges))


def right_record(party: str, recordals: Iterable[Recordal], as_of: date | None = None) -> RightRecord:
    """The right as recorded at the end of ``as_of`` (None: everything registered). ``party`` is the case's party
    of record; the first owner is the one the earliest registered transfer names as the party before it."""
    registered = sorted((r for r in recordals if r.state == REGISTERED and r.decided_on is not None),
                        key=lambda r: (r.decided_on, r.id))
    first = next((r.party_before for r in registered if r.type == "transfer" and r.party_before), party)
    right = RightRecord((first,))
    for r in registered:
        assert r.decided_on is not None
        if as_of is not None and r.decided_on > as_of:
            break
        right = _registered(right, r)
    return right


def _registered(right: RightRecord, r: Recordal) -> RightRecord:
    p = r.payload
    on = r.decided_on
    assert on is not None
    if r.type == "transfer":
        return replace(right, owners=tuple(str(n) for n in _as_list(p.get("assignees"))))
    if r.type == "name_change":
        old, new = str(p.get("old_name")), str(p.get("new_name"))
        return replace(right, owners=tuple(new if o == old else o for o in right.owners))
    if r.type in ("licence", "open_licence_take"):
        effective = date.fromisoformat(str(p.get("contract_effective") or on.isoformat()))
        ends = date.fromisoformat(str(p["ends"])) if p.get("ends") else None
        licence = Licence(r.id, str(p.get("kind") or "non_exclusive"), str(p.get("licensee")), effective, ends,
                          open_licence=r.type == "open_licence_take")
        return replace(right, licences=(*right.licences, licence))
    if r.type == "pledge":
        pledge = Pledge(r.id, str(p.get("pledgee")), on, str(p["amount"]) if p.get("amount") else None)
        return replace(right, pledges=(*right.pledges, pledge))
    if r.type == "pledge_release":
        return replace(right, pledges=tuple(x for x in right.pledges if x.request != p.get("pledge")))
    if r.type == "open_licence":
        ends = date.fromisoformat(str(p["ends"])) if p.get("ends") else None
        declared = OpenLicence(r.id, on, p.get("royalty"), ends, _optional(p, "industry"), _optional(p, "products"))
        return replace(right, open_licence=declared,
                       open_licence_periods=(*right.open_licence_periods, (on, ends)))
    if r.type == "open_licence_withdrawal":
        # Licences taken before the withdrawal stay in force (Patent Law Art. 50(2)).
        periods = right.open_licence_periods
        if periods and periods[-1][1] is None:
            periods = (*periods[:-1], (periods[-1][0], on))
        return replace(right, open_licence=None, open_licence_periods=periods)
    return right


def _optional(payload: Mapping[str, object], key: str) -> str | None:
    value = payload.get(key)
    return None if value is None else str(value)


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else [value]


# -- examination: the consistency rules --------------------------------------------------------------------


def _refusal(rules: RuleBook, rule: str, on: date, text: str, code: str, **params: object) -> Reason:
    try:
        reference = rules.value(rule, on).reference
    except RuleNotInForce:
        reference = rules.history(rule)[0].reference
    return Reason(f"{text} ({reference})", code, reference=reference, **params)


def _applies(rules: RuleBook, rule: str, on: date) -> bool:
    """Whether the rule applies on ``on`` (not before its first dated value)."""
    try:
        return rules.value(rule, on).value is True
    except RuleNotInForce:
        return False


def problem(request: Recordal, right: RightRecord, case: Case, on: date, rules: RuleBook) -> Reason | None:
    """The first consistency rule the request breaks if registered on ``on`` (the right as it stands that
    day, ``case`` the right's procedure case), or None. See the module docstring for the rules."""
    kind, p = request.type, request.payload
    # An open-licence request filed before the system existed stays without a legal basis when decided later.
    if kind in OPEN_LICENCE_TYPES and not _applies(rules, OPEN_LICENCE_SYSTEM, min(on, request.filed_on)):
        filed = min(on, request.filed_on)
        return _refusal(rules, OPEN_LICENCE_SYSTEM, filed, "the open-licence system is in force from 2021-06-01",
                        "open_licence_not_available", filed=filed)
    if case.state not in IN_FORCE_STATES and kind != "pledge_release" and _applies(rules, RULE_IN_FORCE, on):
        return _refusal(rules, RULE_IN_FORCE, on, f"the right is not in force (state {case.state})",
                        "right_not_in_force", state=case.state)
    exclusive = kind == "licence" and p.get("kind") in EXCLUSIVE_KINDS
    if (kind in _CO_OWNERS_AGREE and (kind != "licence" or exclusive) and len(right.owners) > 1
            and _applies(rules, RULE_CO_OWNERS, on)):
        agreeing = {request.filed_by, *map(str, _as_list(p.get("agreed_by", [])))}
        missing = [o for o in right.owners if o not in agreeing]
        if missing:
            return _refusal(rules, RULE_CO_OWNERS, on, f"co-owner(s) {', '.join(missing)} have not agreed",
                            "co_owners_disagree", missing=", ".join(missing))
    if kind in _PLEDGEE_CONSENTS and right.pledges and _applies(rules, RULE_PLEDGEE_CONSENT, on):
        consenting = set(map(str, _as_list(p.get("consents", []))))
        missing = [x for x in right.pledgees if x not in consenting]
        if missing:
            return _refusal(rules, RULE_PLEDGEE_CONSENT, on,
                            f"the right is pledged to {', '.join(missing)}, who has not consented to the {kind}",
                            "pledgee_consent_missing", pledgees=", ".join(missing), type=kind)
    return _specific_problem(request, right, case, on, rules) or _fee_problem(request)


def _fee_problem(request: Recordal) -> Reason | None:
    """The fee the rules named for the request when it was filed, unpaid."""
    if not request.fee_due:
        return None
    fee = request.fee
    return Reason(f"the fee {fee.get('name')} of {fee.get('amount')} {fee.get('currency')} is unpaid "
                  f"({fee.get('reference')})", "recordal_fee_unpaid", fee=fee.get("name"), amount=fee.get("amount"),
                  currency=fee.get("currency"), reference=fee.get("reference"))


def _specific_problem(request: Recordal, right: RightRecord, case: Case, on: date, rules: RuleBook) -> Reason | None:
    kind, p = request.type, request.payload
    if kind == "open_licence":
        exclusive = [lic for lic in right.licences_in_force(on) if lic.kind in EXCLUSIVE_KINDS]
        if exclusive:
            return _refusal(rules, RULE_OPEN_LICENCE, on,
                            f"an {exclusive[0].kind} licence to {exclusive[0].licensee} is recorded",
                            "open_licence_exclusive_licence", licensee=exclusive[0].licensee, kind=exclusive[0].kind)
        annuity = case.time_limit("annuity")
        if annuity is not None and annuity.due < on:
            return _refusal(rules, RULE_OPEN_LICENCE, on, f"the annual fee due on {annuity.due} is unpaid",
                            "open_licence_fee_unpaid", due=annuity.due)
        if right.open_licence is not None and right.open_licence.in_force(on):
            return Reason("an open licence is already declared", "open_licence_declared")
    elif kind == "licence":
        if p.get("kind") in EXCLUSIVE_KINDS:
            if right.open_licence is not None and right.open_licence.in_force(on):
                return _refusal(rules, RULE_OPEN_LICENCE, on, "an open licence is in force",
                                "exclusive_licence_open_licence")
            other = [lic for lic in right.licences_in_force(on) if lic.kind in EXCLUSIVE_KINDS]
            if other:
                return Reason(f"an {other[0].kind} licence to {other[0].licensee} is recorded",
                              "exclusive_licence_exists", licensee=other[0].licensee)
        effective = date.fromisoformat(str(p["contract_effective"]))
        deadline = rules.deadline(LICENCE_RECORDAL_LIMIT, effective, rule_date=request.filed_on)
        if request.filed_on > deadline.due:
            return Reason(f"filed on {request.filed_on}, after the last day {deadline.due} for recording a licence "
                          f"contract that took effect on {effective} ({deadline.reference})", "licence_recordal_late",
                          due=deadline.due, effective=effective, reference=deadline.reference)
    elif kind == "pledge_release":
        if not any(x.request == p.get("pledge") for x in right.pledges):
            return Reason(f"no pledge registered by request {p.get('pledge')}", "no_such_pledge",
                          pledge=p.get("pledge"))
    elif kind in ("open_licence_withdrawal", "open_licence_take"):
        if right.open_licence is None or not right.open_licence.in_force(on):
            return Reason("no open licence is in force", "no_open_licence")
    elif kind == "name_change" and p.get("old_name") not in right.owners:
        return Reason(f"{p.get('old_name')} is not an owner of record", "not_an_owner", name=p.get("old_name"))
    return None


# -- parties ----------------------------------------------------------------------------------------------


def parties(request: Recordal, right: RightRecord) -> list[str]:
    """Who is told of the request's decision: the owners, the pledgees, the filer and the parties it names."""
    p = request.payload
    named: list[str] = [request.filed_by, *right.owners, *right.pledgees]
    for key in ("assignees", "agreed_by", "consents"):
        named += [str(n) for n in _as_list(p.get(key, []))]
    for key in ("licensee", "pledgee", "new_name"):
        if p.get(key):
            named.append(str(p[key]))
    if request.type == "pledge_release":
        named += [x.pledgee for x in right.pledges if x.request == p.get("pledge")]
    return list(dict.fromkeys(n for n in named if n))
