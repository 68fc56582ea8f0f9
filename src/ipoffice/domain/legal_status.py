"""Legal status that matters to the public, derived from a case's recorded events — never from a stored flag.

A case is open to the public once an event lays it open: the publication of the application, the
announcement of the grant (or the grant, the issue of the patent), the registration of a mark. Whatever a
column of the database says, only these events make a case public; a column is at most a cache that the
audit checks against the events (``ipoffice audit verify``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ipoffice.domain.document import LegalEvent
from ipoffice.domain.errors import InvalidField

# Gazette sections and the event codes (by prefix) that belong to each.
GAZETTE_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("published", ("publish",)),
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


def is_public(codes: Iterable[str]) -> bool:
    """Whether a case whose recorded events have these codes is open to the public."""
    return any(makes_public(c) for c in codes)


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
