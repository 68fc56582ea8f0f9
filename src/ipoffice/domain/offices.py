"""Offices, users, roles and who may see and do what (a pure access policy).

Offices form a tree: the national office (e.g. CNIPA) at the root, provincial offices below it,
local offices below those, and public-service centres (e.g. a provincial IP service promotion
centre, an IP protection centre) under the office that runs them. A case is handled by one office.

- Office staff (examiner, reviewing examiner, registrar, office administrator) see and act on the
  cases of their own office and of the offices below it — an examiner of one province cannot act
  on another province's cases — and only in the actions of their role.
- Applicants and agents see and act on their own cases only (the agent on the cases they represent).
- Everybody, the public included, sees published cases; an unpublished application is seen only by
  its applicant, its agent and the staff of the handling office (or an office above it).

Actions are grouped by who takes them (``ActionKind``). ``action_kind`` classifies the procedures'
action names by their wording ("request_…", "respond…", "pay…" are the parties'; "grant",
"publish", "register…" the registrar's; "deem_withdrawn", "lapse" the legal consequences of a missed
time limit, normally applied by the scheduled job); ``ACTION_KINDS`` overrides it where the
wording misleads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ipoffice.domain.errors import InvalidField


class OfficeLevel(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    LOCAL = "local"
    SERVICE_CENTRE = "service_centre"
    PROTECTION_CENTRE = "protection_centre"  # an IP protection centre: fast pre-examination (domain.centres)


_LEVEL_RANK = {OfficeLevel.NATIONAL: 0, OfficeLevel.PROVINCIAL: 1, OfficeLevel.LOCAL: 2, OfficeLevel.SERVICE_CENTRE: 3,
               OfficeLevel.PROTECTION_CENTRE: 3}
CENTRE_LEVELS = frozenset({OfficeLevel.SERVICE_CENTRE, OfficeLevel.PROTECTION_CENTRE})  # may hang under any office


class Role(StrEnum):
    APPLICANT = "applicant"
    AGENT = "agent"  # patent attorney / trademark agent
    EXAMINER = "examiner"
    REVIEWING_EXAMINER = "reviewing_examiner"
    REGISTRAR = "registrar"
    OFFICE_ADMIN = "office_admin"


PARTY_ROLES = frozenset({Role.APPLICANT, Role.AGENT})
STAFF_ROLES = frozenset({Role.EXAMINER, Role.REVIEWING_EXAMINER, Role.REGISTRAR, Role.OFFICE_ADMIN})


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    level: OfficeLevel
    jurisdiction: str  # whose law the office applies, e.g. "CN"
    parent: str | None = None


@dataclass(frozen=True)
class User:
    username: str
    name: str
    office: str
    roles: frozenset[Role]

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)


class OfficeTree:
    """The office hierarchy. Checks that every parent exists, that there is no cycle and that a
    child sits below its parent's level (a service or protection centre may hang under any office)."""

    def __init__(self, offices: Iterable[Office]) -> None:
        self._offices: dict[str, Office] = {}
        for office in offices:
            if office.code in self._offices:
                raise InvalidField("office.code", office.code, "appears twice")
            self._offices[office.code] = office
        for office in self._offices.values():
            self._check(office)

    def _check(self, office: Office) -> None:
        if office.parent is None:
            if office.level is not OfficeLevel.NATIONAL:
                raise InvalidField("office.parent", office.code, f"a {office.level} office needs a parent office")
            return
        parent = self._offices.get(office.parent)
        if parent is None:
            raise InvalidField("office.parent", office.parent, f"office {office.code} names an unknown parent")
        if office.level not in CENTRE_LEVELS and _LEVEL_RANK[parent.level] >= _LEVEL_RANK[office.level]:
            raise InvalidField(
                "office.level", office.level, f"office {office.code} cannot sit below {parent.level} {parent.code}"
            )
        if office.jurisdiction != parent.jurisdiction:
            raise InvalidField("office.jurisdiction", office.jurisdiction, f"differs from parent {parent.code}")
        seen = {office.code}
        current: Office | None = parent
        while current is not None:
            if current.code in seen:
                raise InvalidField("office.parent", office.parent, f"office {office.code} is its own ancestor")
            seen.add(current.code)
            current = self._offices.get(current.parent) if current.parent else None

    def __contains__(self, code: object) -> bool:
        return code in self._offices

    def __iter__(self) -> Iterator[Office]:
        return iter(self._offices.values())

    def get(self, code: str) -> Office:
        try:
            return self._offices[code]
        except KeyError:
            raise InvalidField("office", code, "no such office") from None

    def ancestors(self, code: str) -> list[Office]:
        """The office itself, then its parent, up to the national office."""
        chain = [self.get(code)]
        while chain[-1].parent is not None:
            chain.append(self.get(chain[-1].parent))
        return chain

    def is_within(self, code: str, ancestor: str) -> bool:
        """Whether office ``code`` is ``ancestor`` or lies below it."""
        return any(o.code == ancestor for o in self.ancestors(code))

    def children(self, code: str) -> list[Office]:
        return sorted((o for o in self._offices.values() if o.parent == code), key=lambda o: o.code)


class ActionKind(StrEnum):
    PARTY = "party"  # filing, requests, replies, payments: the applicant or the agent
    EXAMINATION = "examination"  # notices, rejections, allowances
    REVIEW = "review"  # reexamination / review decisions
    REGISTRATION = "registration"  # publication, grant, registration, recordals
    CONSEQUENCE = "consequence"  # legal consequence of a missed time limit


ACTION_KINDS: dict[str, ActionKind] = {
    "file": ActionKind.PARTY,
    "abandon_expressly": ActionKind.PARTY,
    "surrender": ActionKind.PARTY,
    "express_abandonment": ActionKind.PARTY,
    "notice_of_appeal": ActionKind.PARTY,  # filed by the applicant (37 CFR 41.31)
    "corrected_notice_of_allowability": ActionKind.EXAMINATION,
    # records of the case file (ipoffice.domain.case_file)
    "cite_in_search_report": ActionKind.EXAMINATION,
    "attach_document": ActionKind.PARTY,
    "pay_fee": ActionKind.PARTY,
    # written on a dispute by the transaction that changes its patent (services.dispute_alerts); not examiners' acts
    "alert_right_status": ActionKind.CONSEQUENCE,
}
_PARTY_PREFIXES = (
    "request", "respond", "reply", "pay", "withdraw", "amend", "submit", "file_", "claim", "appeal", "petition",
    "renew", "restore", "revive", "oppose", "divide", "correct", "enter", "complete",
)
_CONSEQUENCE_PREFIXES = ("deem", "abandon", "lapse", "expire")
_REGISTRATION_PREFIXES = ("grant", "publish", "register", "registration", "issue", "record", "announce")
_REVIEW_WORDS = ("reexamination", "review", "invalid", "board", "uphold", "revoke", "overturn", "maintain_patent")


def action_kind(action: str, overrides: Mapping[str, ActionKind] = ACTION_KINDS) -> ActionKind:
    if action in overrides:
        return overrides[action]
    if action.startswith(_PARTY_PREFIXES):
        return ActionKind.PARTY
    if action.startswith(_CONSEQUENCE_PREFIXES):
        return ActionKind.CONSEQUENCE
    if action.startswith(_REGISTRATION_PREFIXES):
        return ActionKind.REGISTRATION
    if any(word in action for word in _REVIEW_WORDS):
        return ActionKind.REVIEW
    return ActionKind.EXAMINATION


# Party actions of the other side of an inter partes case (a dispute's respondent), and those only it takes.
RESPONDENT_ACTIONS = frozenset({"submit_defence", "request_suspension"})
OTHER_PARTY_ACTIONS = RESPONDENT_ACTIONS | {"submit_evidence", "file_suit", "attach_document"}

STAFF_FOR: dict[ActionKind, frozenset[Role]] = {
    ActionKind.PARTY: frozenset(),
    ActionKind.EXAMINATION: frozenset({Role.EXAMINER, Role.REVIEWING_EXAMINER}),
    ActionKind.REVIEW: frozenset({Role.REVIEWING_EXAMINER}),
    ActionKind.REGISTRATION: frozenset({Role.REGISTRAR}),
    ActionKind.CONSEQUENCE: frozenset({Role.REGISTRAR, Role.OFFICE_ADMIN}),
}


@dataclass(frozen=True)
class CaseAccess:
    """What the policy needs to know about a case."""

    number: str
    office: str
    applicant: str  # username of the applicant
    agent: str | None
    published: bool
    # The other side of an inter partes case (a dispute's respondent and its agent): parties who see the file
    # and take only OTHER_PARTY_ACTIONS.
    other_parties: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Decision:
    """Allowed or not, and why: ``reason`` in English; for a refusal, ``code`` names its kind and ``params``
    its values (usernames, numbers, codes of actions and roles), so an interface can say it in its language."""

    allowed: bool
    reason: str
    code: str = ""
    params: Mapping[str, object] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.allowed


class AccessPolicy:
    """Who may see a case, act on it, or file at an office. ``user=None`` is the public."""

    def __init__(self, offices: OfficeTree, kind_of: Mapping[str, ActionKind] = ACTION_KINDS) -> None:
        self.offices = offices
        self.kind_of = kind_of

    def _is_party(self, user: User, case: CaseAccess) -> bool:
        return self._is_first_party(user, case) or user.username in case.other_parties

    @staticmethod
    def _is_first_party(user: User, case: CaseAccess) -> bool:
        return (user.has(Role.APPLICANT) and user.username == case.applicant) or (
            user.has(Role.AGENT) and user.username == case.agent
        )

    def _staff_over(self, user: User, case: CaseAccess) -> bool:
        return user.is_staff and self.offices.is_within(case.office, user.office)

    def view(self, user: User | None, case: CaseAccess) -> Decision:
        if case.published:
            return Decision(True, "the case is published")
        if user is None:
            return Decision(False, f"application {case.number} is not published", "not_published",
                            {"number": case.number})
        if self._is_party(user, case):
            return Decision(True, "own case")
        if self._staff_over(user, case):
            return Decision(True, f"handled by {case.office}, within {user.office}")
        return Decision(False, f"application {case.number} is not published and is not a case of {user.username}",
                        "not_published_nor_own", {"number": case.number, "user": user.username})

    def act(self, user: User | None, case: CaseAccess, action: str) -> Decision:
        if user is None:
            return Decision(False, "the public cannot act on a case", "public_cannot_act")
        kind = action_kind(action, self.kind_of)
        if kind is ActionKind.PARTY:
            if self._is_first_party(user, case) and action not in RESPONDENT_ACTIONS:
                return Decision(True, "own case")
            if user.username in case.other_parties and action in OTHER_PARTY_ACTIONS:
                return Decision(True, "party on the other side")
            if self._is_party(user, case):
                return Decision(False, f"{action!r} is not an action of {user.username}'s side of {case.number}",
                                "other_side_action", {"action": action, "number": case.number,
                                                      "user": user.username})
            return Decision(False, f"{action!r} is for the applicant or agent of {case.number}, not {user.username}",
                            "party_action", {"action": action, "number": case.number, "user": user.username})
        wanted = STAFF_FOR[kind]
        if not user.roles & wanted:
            names = " or ".join(sorted(r.value for r in wanted))
            return Decision(False, f"{action!r} ({kind} action) needs the role {names}; {user.username} has none",
                            "needs_role", {"action": action, "roles": tuple(sorted(r.value for r in wanted)),
                                           "user": user.username})
        if not self.offices.is_within(case.office, user.office):
            return Decision(
                False, f"{case.number} is handled by {case.office}, outside {user.username}'s office {user.office}",
                "outside_office", {"number": case.number, "office": case.office, "user": user.username,
                                   "user_office": user.office})
        return Decision(True, f"{kind} action within {user.office}")

    def file(self, user: User | None, office: str, applicant: str) -> Decision:
        """Filing: an applicant files in their own name, an agent for an applicant, at any office."""
        self.offices.get(office)
        if user is None:
            return Decision(False, "filing needs a registered applicant or agent", "filing_needs_party")
        if user.has(Role.AGENT) or (user.has(Role.APPLICANT) and user.username == applicant):
            return Decision(True, "party filing")
        return Decision(False, f"{user.username} may not file for applicant {applicant}", "may_not_file_for",
                        {"user": user.username, "applicant": applicant})

    def sees_file(self, user: User | None, case: CaseAccess) -> bool:
        """Whether ``user`` sees the whole file of the case (its parties, the staff of its office or above):
        notes, payments, uploaded documents, actors. Anyone else sees at most the published data."""
        return user is not None and (self._is_party(user, case) or self._staff_over(user, case))

    def can_view(self, user: User | None, case: CaseAccess) -> bool:
        return self.view(user, case).allowed

    def can_act(self, user: User | None, case: CaseAccess, action: str) -> bool:
        return self.act(user, case, action).allowed
