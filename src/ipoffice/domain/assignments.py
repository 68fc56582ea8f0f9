"""Recorded assignments (the USPTO's register of transactions): who conveyed what to whom, and the chain
of title of a patent or application they make.

An :class:`Assignment` is one recording, identified by its reel and frame (the USPTO's microfilm
address, kept as its identifier), with the conveyance text as filed and its type
(``domain.conveyances``), the assignors (with the day each executed it), the assignees and the
properties (applications, patents, publications) it covers. :func:`pair_releases` says which security
interest each release releases; :func:`chain_of_title` orders the recordings of one property.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from ipoffice.domain.conveyances import CONVEYANCE_TYPES, referenced_reel_frames
from ipoffice.domain.errors import InvalidField


@dataclass(frozen=True)
class Assignor:
    name: str
    execution_date: date | None = None


@dataclass(frozen=True)
class Assignee:
    name: str
    address: str = ""


@dataclass(frozen=True)
class Property:
    """One application or patent a recording covers; the USPTO gives any of the three numbers."""

    application_number: str | None = None
    patent_number: str | None = None
    publication_number: str | None = None
    title: str = ""

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(n for n in (self.application_number, self.patent_number, self.publication_number) if n)


@dataclass(frozen=True)
class Assignment:
    """One recorded conveyance. ``reel``/``frame``: the recording's identifier; ``recorded``: the day the
    office recorded it; ``conveyance_type``: one of ``CONVEYANCE_TYPES``; ``source``: the office or
    data set (``uspto``)."""

    reel: int
    frame: int
    recorded: date
    conveyance_text: str
    conveyance_type: str
    assignors: tuple[Assignor, ...]
    assignees: tuple[Assignee, ...]
    properties: tuple[Property, ...]
    pages: int | None = None
    correspondent: str = ""
    source: str = "uspto"
    matched_pattern: str | None = None  # the vocabulary rule that gave the type
    references: tuple[tuple[int, int], ...] = field(default=())  # earlier recordings the text names

    @property
    def reel_frame(self) -> str:
        """The USPTO's printed form, e.g. ``048818/0520``."""
        return f"{self.reel:06d}/{self.frame:04d}"

    def validate(self) -> None:
        """Raises InvalidField naming the first field that is wrong."""
        if self.reel <= 0:
            raise InvalidField("reel", self.reel, "must be a positive number")
        if self.frame < 0:
            raise InvalidField("frame", self.frame, "must not be negative")
        if not self.conveyance_text.strip():
            raise InvalidField("conveyance_text", self.conveyance_text, "is empty")
        if self.conveyance_type not in CONVEYANCE_TYPES:
            raise InvalidField("conveyance_type", self.conveyance_type, f"must be one of {', '.join(CONVEYANCE_TYPES)}")
        if not self.assignors:
            raise InvalidField("assignors", [], "at least one assignor is needed")
        if not self.assignees:
            raise InvalidField("assignees", [], "at least one assignee is needed")
        if not self.properties:
            raise InvalidField("properties", [], "at least one application, patent or publication is needed")
        for i, p in enumerate(self.properties):
            if not p.numbers:
                raise InvalidField(f"properties[{i}]", p, "has no application, patent or publication number")
        for i, a in enumerate(self.assignors):
            if not a.name.strip():
                raise InvalidField(f"assignors[{i}].name", a.name, "is empty")
        for i, b in enumerate(self.assignees):
            if not b.name.strip():
                raise InvalidField(f"assignees[{i}].name", b.name, "is empty")


def with_references(assignment: Assignment) -> Assignment:
    """The assignment with the reel/frames its text names filled in."""
    return replace(assignment, references=tuple(referenced_reel_frames(assignment.conveyance_text)))


# A secured party often signs "as administrative agent", "as collateral agent" etc.; the release names it bare.
_CAPACITY = re.compile(r",?\s+AS\s+(?:ADMINI?STRATIVE|COLLATERAL|NOTES?|SECURITY|FIRST LIEN|SECOND LIEN|TERM LOAN|"
                       r"ABL|REVOLVING)?\s*(?:AND\s+\w+\s+)?(?:AGENT|TRUSTEE)\b.*$")


def party_key(name: str) -> str:
    """A name compared across recordings: capacity suffixes ("..., AS ADMINISTRATIVE AGENT") and
    punctuation dropped, upper case."""
    upper = " ".join(name.upper().split())
    upper = _CAPACITY.sub("", upper)
    return re.sub(r"[^A-Z0-9 ]", "", upper).strip()


@dataclass(frozen=True)
class ReleasePair:
    """A release and the security interest it releases; ``how``: ``reference`` (the release names the
    interest's reel/frame) or ``parties`` (same properties, the secured party releasing to the debtor)."""

    release: str  # reel/frame
    security_interest: str
    how: str


def pair_releases(assignments: Sequence[Assignment]) -> list[ReleasePair]:
    """Each release matched to the security interest it releases (at most one each).

    First by the reel/frame the release names; then, for a release naming none it matches, the most
    recent security interest recorded on or before it, not yet released, with a property in common,
    whose secured party (an assignee) is the releasing party (an assignor) and whose debtor is a
    releasee."""
    by_id = {(a.reel, a.frame): a for a in assignments}
    interests = [a for a in assignments if a.conveyance_type == "security_interest"]
    releases = sorted((a for a in assignments if a.conveyance_type == "release_of_security_interest"),
                      key=lambda a: (a.recorded, a.reel, a.frame))
    released: set[tuple[int, int]] = set()
    pairs: list[ReleasePair] = []
    unmatched: list[Assignment] = []
    for release in releases:
        named = [ref for ref in release.references if ref in by_id
                 and by_id[ref].conveyance_type == "security_interest" and ref not in released]
        if named:
            released.add(named[0])
            pairs.append(ReleasePair(release.reel_frame, by_id[named[0]].reel_frame, "reference"))
        else:
            unmatched.append(release)
    for release in unmatched:
        releasing = {party_key(a.name) for a in release.assignors}
        releasees = {party_key(b.name) for b in release.assignees}
        numbers = {n for p in release.properties for n in p.numbers}
        candidates = [si for si in interests if (si.reel, si.frame) not in released
                      and si.recorded <= release.recorded
                      and {party_key(b.name) for b in si.assignees} & releasing
                      and {party_key(a.name) for a in si.assignors} & releasees
                      and numbers & {n for p in si.properties for n in p.numbers}]
        if candidates:
            chosen = max(candidates, key=lambda si: (si.recorded, si.reel, si.frame))
            released.add((chosen.reel, chosen.frame))
            pairs.append(ReleasePair(release.reel_frame, chosen.reel_frame, "parties"))
    return pairs


def covers(assignment: Assignment, number: str) -> bool:
    """Whether ``number`` (application, patent or publication number; a ``US`` prefix, a kind code,
    separators and leading zeros ignored) is one of the properties of the recording."""
    wanted = property_key(number)
    return any(property_key(n) == wanted for p in assignment.properties for n in p.numbers)


def property_key(number: str) -> str:
    """``US 7,130,913 B2`` → ``7130913``; ``15/123,456`` → ``15123456``; ``US20040073746A1`` → ``20040073746``."""
    text = re.sub(r"[\s,/.-]", "", number.upper())
    text = re.sub(r"^US", "", text)
    text = re.sub(r"[A-Z]\d?$", "", text)
    return text.lstrip("0") or "0"


def chain_of_title(assignments: Iterable[Assignment], number: str) -> list[Assignment]:
    """The recordings covering ``number``, in the order they took effect: by the earliest execution
    date, then the recording date, then reel and frame."""
    own = [a for a in assignments if covers(a, number)]

    def effective(a: Assignment) -> tuple[date, date, int, int]:
        executed = [x.execution_date for x in a.assignors if x.execution_date is not None]
        return (min(executed) if executed else a.recorded, a.recorded, a.reel, a.frame)

    return sorted(own, key=effective)
