"""The tamper-evident event log: one hash chain over every legal event of the register.

Each event's hash is the SHA-256 of the canonical JSON of (previous hash, sequence, case, code,
date, actor, office, payload); the first event chains to ``GENESIS_HASH``. Changing, removing or
re-ordering any recorded event changes every hash after it, so ``verify_chain`` finds the first
broken link. The chain is global rather than per case so that deleting a whole case is detected
too; the newest hash (the *head*) is kept beside the log so that cutting off the tail is detected.

The head kept in the same database does not stop someone who can write to it from rewriting the log
*consistently* (cut the tail and move the head back; change an event and recompute every later hash and
the head). Against that, the head is **anchored** outside the database: an ``Anchor`` (sequence, hash,
when) is appended to an append-only file and printed in the weekly gazette; ``verify_chain(...,
anchors=...)`` proves the log still holds every anchored state — the entry at each anchored sequence has
the anchored hash — and names the sequence where a truncated or rewritten log departs from an anchor.

Canonical JSON: keys sorted, no insignificant whitespace, UTF-8 kept as is; payload values are
reduced to JSON types first (dates as ISO strings), so a payload read back from the database
hashes exactly as it did when written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum

from ipoffice.domain.errors import InvalidField

GENESIS_HASH = "0" * 64

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def json_payload(value: object, path: str = "payload") -> JsonValue:
    """``value`` reduced to JSON types: dates become ISO strings, tuples and sets lists, enums their value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return json_payload(value.value, path)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): json_payload(v, f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_payload(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, set | frozenset):
        return sorted((json_payload(v, path) for v in value), key=canonical_json)
    raise InvalidField(path, value, "cannot be stored in an event payload (not a JSON value or date)")


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


@dataclass(frozen=True)
class LogEntry:
    """A legal event as the register records it: the procedure event plus who, where and its place in the chain."""

    sequence: int
    case: str  # application number
    code: str
    date: date
    actor: str
    office: str
    payload: Mapping[str, JsonValue] = field(default_factory=dict)
    previous_hash: str = GENESIS_HASH
    hash: str = ""


def entry_hash(
    previous_hash: str,
    sequence: int,
    case: str,
    code: str,
    on: date,
    actor: str,
    office: str,
    payload: Mapping[str, object],
) -> str:
    body = canonical_json([previous_hash, sequence, case, code, on.isoformat(), actor, office, json_payload(payload)])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def chain(
    previous_hash: str,
    next_sequence: int,
    case: str,
    actor: str,
    office: str,
    events: Iterable[tuple[str, date, Mapping[str, object]]],
) -> list[LogEntry]:
    """Log entries for ``events`` (code, date, payload) appended after the entry hashed ``previous_hash``."""
    entries: list[LogEntry] = []
    for offset, (code, on, payload) in enumerate(events):
        sequence = next_sequence + offset
        clean = json_payload(payload)
        assert isinstance(clean, dict)
        digest = entry_hash(previous_hash, sequence, case, code, on, actor, office, clean)
        entries.append(LogEntry(sequence, case, code, on, actor, office, clean, previous_hash, digest))
        previous_hash = digest
    return entries


@dataclass(frozen=True)
class BrokenLink:
    sequence: int
    case: str
    reason: str

    def __str__(self) -> str:
        return f"event {self.sequence} (case {self.case}): {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_hash: str
    problems: tuple[BrokenLink, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Anchor:
    """A state of the log witnessed outside the database: the head (sequence, hash) at a moment (ISO text)."""

    sequence: int
    hash: str
    at: str = ""

    def __post_init__(self) -> None:
        if self.sequence < 0:
            raise InvalidField("anchor.sequence", self.sequence, "must be 0 or more")
        if len(self.hash) != 64 or any(ch not in "0123456789abcdef" for ch in self.hash):
            raise InvalidField("anchor.hash", self.hash[:80], "must be 64 lowercase hex digits (SHA-256)")


def verify_chain(
    entries: Iterable[LogEntry],
    expected_head: tuple[int, str] | None = None,
    anchors: Iterable[Anchor] = (),
) -> ChainReport:
    """Check every link of the log (entries in sequence order). ``expected_head`` is the
    (sequence, hash) kept beside the log; a mismatch means the tail was cut off or rewritten.
    ``anchors`` are heads witnessed outside the database: the entry at each anchored sequence must
    have the anchored hash (else the log was rewritten there), and the log must reach every anchored
    sequence (else it was truncated). Every broken link is reported, each against the hash the log
    itself recorded before it."""
    problems: list[BrokenLink] = []
    anchored: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        anchored.setdefault(anchor.sequence, []).append(anchor)
    genesis_anchors = anchored.pop(0, [])
    for anchor in genesis_anchors:
        if anchor.hash != GENESIS_HASH:
            problems.append(BrokenLink(0, "-", f"anchor of {anchor.at or 'unknown time'} for the empty log "
                                               "does not have the genesis hash"))
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    last = (0, GENESIS_HASH)
    for entry in entries:
        checked += 1
        if entry.sequence != expected_sequence:
            problems.append(
                BrokenLink(entry.sequence, entry.case, f"sequence {entry.sequence} follows {expected_sequence - 1}")
            )
        if entry.previous_hash != previous_hash:
            problems.append(
                BrokenLink(entry.sequence, entry.case, "previous hash does not match the hash of the event before")
            )
        recomputed = entry_hash(
            entry.previous_hash, entry.sequence, entry.case, entry.code, entry.date, entry.actor, entry.office,
            entry.payload,
        )
        if recomputed != entry.hash:
            problems.append(
                BrokenLink(entry.sequence, entry.case, "content does not match its hash (the event was altered)")
            )
        for anchor in anchored.pop(entry.sequence, []):
            if anchor.hash != entry.hash:
                problems.append(BrokenLink(
                    entry.sequence, entry.case,
                    f"differs from the anchor of {anchor.at or 'unknown time'} (anchored hash {anchor.hash[:12]}…, "
                    f"now {entry.hash[:12]}…): the log was rewritten at or before event {entry.sequence}",
                ))
        previous_hash = entry.hash
        expected_sequence = entry.sequence + 1
        last = (entry.sequence, entry.hash)
    if expected_head is not None and expected_head != last:
        problems.append(
            BrokenLink(
                last[0], "-",
                f"the log ends at event {last[0]} but the recorded head is event {expected_head[0]} "
                f"({expected_head[1][:12]}…): events were removed or rewritten at the end",
            )
        )
    for sequence in sorted(anchored):
        anchor = anchored[sequence][0]
        problems.append(BrokenLink(
            sequence, "-",
            f"anchored on {anchor.at or 'unknown time'} (hash {anchor.hash[:12]}…) but the log has no event "
            f"{sequence} (it ends at event {last[0]}): the log was truncated or events were removed",
        ))
    return ChainReport(checked, last[1], tuple(problems))
