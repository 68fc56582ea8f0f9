"""Legal status that matters to the public, derived from a case's recorded events — never from a stored flag.

A case is open to the public once an event lays it open: the publication of the application, the
announcement of the grant (or the grant, the issue of the patent), the registration of a mark. Whatever a
column of the database says, only these events make a case public; a column is at most a cache that the
audit checks against the events (``ipoffice audit verify``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ipoffice.domain.document import LegalEvent
from ipoffice.domain.errors import InvalidField

# Gazette sections and the event codes (by prefix) that belong to each.
GAZETTE_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # A trademark's preliminary approval is published in the Trademark Gazette for opposition (Art. 33), also
    # with a partial refusal (for the other classes).
    ("published", ("publish", "approve_preliminarily", "refuse_partially")),
    ("granted", ("announce_grant", "grant", "issue")),
    ("registered", ("register",)),
)

PUBLIC_EVENT_PREFIXES: tuple[str, ...] = tuple(p for _, prefixes in GAZETTE_SECTIONS for p in prefixes)


def gazette_section(code: str) -> str | None:
    for section, prefixes in GAZETTE_SECTIONS:
        if code.startswith(prefixes):
            return section
    return None


def makes_public(code: str) -> bool:
    """Whether an event lays the case open to the public (publication of the application, grant, registration)."""
    return gazette_section(code) is not None


def is_grant_kind(country: str, kind: str | None) -> bool:
    """Whether a publication of this kind is the grant (B, S, C, E, P kinds; a US patent number without a
    kind is a patent), not the publication of an application."""
    kind = (kind or "").upper()
    return kind.startswith(("B", "S", "C", "E", "P")) or (country == "US" and not kind)


def is_public(codes: Iterable[str]) -> bool:
    """Whether a case whose recorded events have these codes is open to the public."""
    return any(makes_public(c) for c in codes)


@dataclass(frozen=True)
class RecordedEvent(LegalEvent):
    """A legal event of another office's record, with what INPADOC adds: the one state it concerns
    (``territory``: "Ref Country Code", e.g. a European patent lapsed in ``CH``) and the states an event
    designates (``designated``: "Designated State(s)" of the designation event)."""

    territory: str | None = None
    designated: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordedEvents:
    """The legal events another office or data set records for one application or publication, as
    imported (not a document of the register): USPTO Open Data Portal transactions, EPO INPADOC events.
    ``number``: the publication number (``EP1000000``) or, when there is none, the application number
    (``US15123456``); ``source``: the format it came from; each event's ``office_code`` is the authority
    whose event code it is (INPADOC events of one family member come from several offices)."""

    number: str
    application_number: str | None
    source: str
    events: tuple[LegalEvent, ...]

    def validate(self) -> None:
        if not self.number.strip():
            raise InvalidField("number", self.number, "is empty")
        for i, event in enumerate(self.events):
            if not event.code.strip():
                raise InvalidField(f"events[{i}].code", event.code, "is empty")


@dataclass(frozen=True)
class LegalEventCode:
    """One entry of an office's legal-event code table (the EPO's INPADOC table of 56 offices' codes):
    ``authority`` (the office, ``EP``, ``CN``), ``code`` (as the office writes it, trailing blanks dropped),
    ``description`` (English), ``event_class`` (the EPO's class letter, which is the WIPO ST.27 category;
    empty or ``Z`` when the EPO has not classified the code), ``influence`` (``+``/``-``/blank: whether the
    event favours the right)."""

    authority: str
    code: str
    description: str
    event_class: str = ""
    influence: str = ""

    def validate(self) -> None:
        if len(self.authority) != 2 or not self.authority.isalpha():
            raise InvalidField("Authority", self.authority, "must be a two-letter office code")
        if not self.code:
            raise InvalidField("Event-code", self.code, "is empty")


# --- WIPO ST.27: the legal status of a patent right from its events, at any date --------------------------

ST27_STATES: tuple[str, ...] = ("pending", "in_force", "not_in_force")
_EFFECTS = frozenset({"pending", "in_force", "revived_application", "revived_right", "maintained", "not_in_force",
                      "none"})
# An event of an EP patent that concerns one designated state only ("BE: LAPSED", "LAPSED IN A CONTRACTING
# STATE"): it changes that state's part, not the right as a whole.
_TERRITORIAL = re.compile(r"^[A-Z]{2}\s*:|IN A CONTRACTING STATE|IN ONE OR MORE CONTRACTING STATES")


@dataclass(frozen=True)
class St27Rule:
    pattern: str
    key_event: str
    category: str | None = None  # key-event rules: only within this category


@dataclass(frozen=True)
class MappedEvent:
    """A legal event with its ST.27 category and key event (None: unmapped) and where it came from
    (``vocabulary``: ``us_event_codes``, ``procedure_actions``, ``epo_table``, ``description_rules``)."""

    code: str
    date: date
    description: str
    source: str
    authority: str | None
    category: str | None
    key_event: str | None
    vocabulary: str | None
    territorial: bool = False
    territory: str | None = None  # the one state a territorial event concerns, when the source says
    designated: tuple[str, ...] = ()  # the states a designation event names

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "date": self.date.isoformat(), "description": self.description,
                "source": self.source, "authority": self.authority, "st27_category": self.category,
                "st27_key_event": self.key_event, "mapped_by": self.vocabulary, "territorial": self.territorial,
                "territory": self.territory, "designated": list(self.designated)}


class St27Vocabulary:
    """The mappings of ``rules/vocabularies/st27.yaml`` (loaded by ``adapters.st27_vocabulary``).
    Raises ValueError when a key event names an unknown category or a rule names an unknown key event."""

    def __init__(self, categories: Mapping[str, tuple[str, str]], key_events: Mapping[str, str],
                 key_event_rules: Sequence[St27Rule], description_rules: Sequence[St27Rule],
                 us_event_codes: Mapping[str, str], procedure_actions: Mapping[str, str]) -> None:
        self.categories = dict(categories)
        self.key_events = dict(key_events)
        self.us_event_codes = dict(us_event_codes)
        self.procedure_actions = dict(procedure_actions)
        problems = [f"category {c}: unknown effect {e!r}" for c, (_, e) in self.categories.items() if e not in _EFFECTS]
        problems += [f"key event {k}: no category {k[:1]}" for k in self.key_events if k[:1] not in self.categories]
        named = [r.key_event for r in (*key_event_rules, *description_rules)]
        named += [*self.us_event_codes.values(), *self.procedure_actions.values()]
        problems += [f"unknown key event {k}" for k in sorted(set(named)) if k not in self.key_events]
        if problems:
            raise ValueError("ST.27 vocabulary: " + "; ".join(problems))
        self._refine = [(re.compile(r.pattern), r) for r in key_event_rules]
        self._describe = [(re.compile(r.pattern), r) for r in description_rules]

    def refine(self, category: str, description: str) -> str:
        """The key event of an event of ``category``: the first key-event rule of the category matching the
        description, else the category's ``10``."""
        text = description.upper()
        for regex, rule in self._refine:
            if rule.category == category and regex.search(text):
                return rule.key_event
        return category + "10"

    def by_description(self, description: str) -> str | None:
        text = " ".join(description.upper().split())
        for regex, rule in self._describe:
            if regex.search(text):
                return rule.key_event
        return None

    def map_office_code(self, event_class: str, description: str) -> tuple[str, str] | None:
        """(key event, how) of an office's code from the EPO table: its class when it is an ST.27 category,
        else the description rules; None when neither gives one."""
        if event_class in self.categories:
            return self.refine(event_class, description), "epo_table"
        key = self.by_description(description)
        if key is None:
            return None
        if key.endswith("10"):
            key = self.refine(key[0], description)
        return key, "description_rules"

    def mapped(self, event: LegalEvent, source: str, key_event: str | None, how: str | None) -> MappedEvent:
        territory = event.territory if isinstance(event, RecordedEvent) else None
        designated = event.designated if isinstance(event, RecordedEvent) else ()
        return MappedEvent(event.code, event.date, event.description, source, event.office_code,
                           key_event[0] if key_event else None, key_event, how,
                           bool(territory or _TERRITORIAL.search(event.description.upper())), territory, designated)


@dataclass(frozen=True)
class St27Status:
    """The legal status on ``as_of``: ``state`` (pending / in_force / not_in_force; None when no event
    before the date says), the ST.27 category and key event of the event that decided it, and every
    event up to the date with its mapping."""

    as_of: date
    state: str | None
    deciding: MappedEvent | None
    events: tuple[MappedEvent, ...]

    def as_dict(self, vocabulary: St27Vocabulary) -> dict[str, object]:
        d = self.deciding
        return {
            "as_of": self.as_of.isoformat(), "state": self.state,
            "st27_category": d.category if d else None,
            "st27_category_title": vocabulary.categories[d.category][0] if d and d.category else None,
            "st27_key_event": d.key_event if d else None,
            "st27_key_event_title": vocabulary.key_events.get(d.key_event or "") if d else None,
            "deciding_event": d.as_dict() if d else None,
            "events": [e.as_dict() for e in self.events],
            "unmapped": sorted({e.code for e in self.events if e.key_event is None}),
        }


def status_as_of(events: Iterable[MappedEvent], as_of: date, vocabulary: St27Vocabulary) -> St27Status:
    """The state the events dated on or before ``as_of`` leave the right in (events of one day in the order
    given). Unmapped events are listed but change nothing; an application event after the grant or the end
    does not make the right pending again; revivals return it from not in force. A territorial event (one
    designated state: "LAPSED IN A CONTRACTING STATE", "BE: LAPSED") changes nothing by itself, but once every
    state the latest designation names has ceased (category H, each event naming its state), the right is
    in force nowhere: not in force, from the last of those cessations (until a territorial restoration)."""
    used = tuple(e for e in events if e.date <= as_of)
    state: str | None = None
    deciding: MappedEvent | None = None
    designated: frozenset[str] = frozenset()
    ceased: dict[str, MappedEvent] = {}
    before_everywhere: tuple[str | None, MappedEvent | None] | None = None  # to undo on a restoration
    for event in sorted(used, key=lambda e: e.date):
        if event.category is None:
            continue
        if event.designated and not event.territorial:
            designated = frozenset(event.designated)
        if event.territorial:
            if event.territory and event.category == "H":
                ceased[event.territory] = event
            elif event.territory and event.category == "K":
                ceased.pop(event.territory, None)
            everywhere = bool(designated) and designated <= set(ceased)
            if everywhere and state == "in_force":
                before_everywhere = (state, deciding)
                state, deciding = "not_in_force", event
            elif not everywhere and before_everywhere is not None:
                state, deciding = before_everywhere
                before_everywhere = None
            continue
        effect = vocabulary.categories[event.category][1]
        new = {
            "pending": "pending" if state in (None, "pending") else None,
            "in_force": "in_force",
            "revived_application": "pending" if state in (None, "not_in_force") else None,
            "revived_right": "in_force",
            "maintained": "in_force" if state == "in_force" else None,
            "not_in_force": "not_in_force",
        }.get(effect)
        if new is not None:
            state, deciding = new, event
            before_everywhere = None
    return St27Status(as_of, state, deciding, used)
