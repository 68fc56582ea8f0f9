"""Legal status that matters to the public, derived from a case's recorded events — never from a stored flag.

A case is open to the public once an event lays it open: the publication of the application, the
announcement of the grant (or the grant, the issue of the patent), the registration of a mark. Whatever a
column of the database says, only these events make a case public; a column is at most a cache that the
audit checks against the events (``ipoffice audit verify``).
"""

from __future__ import annotations

from collections.abc import Iterable

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


def is_public(codes: Iterable[str]) -> bool:
    """Whether a case whose recorded events have these codes is open to the public."""
    return any(makes_public(c) for c in codes)
