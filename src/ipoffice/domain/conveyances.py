"""The kind of transaction a recorded conveyance is, from its free-text wording, by rules given as data.

The USPTO records each assignment with the conveyance as the filer wrote it ("ASSIGNMENT OF ASSIGNORS
INTEREST (SEE DOCUMENT FOR DETAILS).", "TERMINATION AND RELEASE OF PATENT SECURITY AGREEMENT RECORDED AT
REEL 048818/FRAME 0520", ...): over 160,000 distinct wordings. A :class:`ConveyanceVocabulary` (patterns
in ``rules/vocabularies/uspto_conveyances.yaml``, read by ``adapters.conveyance_vocabulary``) sorts them
into the fixed set :data:`CONVEYANCE_TYPES`; the first pattern that matches decides, so the more specific
kinds (a correction, a release) come before the general ones (an assignment, a security interest).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

CONVEYANCE_TYPES: tuple[str, ...] = (
    "assignment",
    "employee_assignment",
    "security_interest",
    "release_of_security_interest",
    "merger",
    "change_of_name",
    "licence",
    "correction",
    "other",
)


@dataclass(frozen=True)
class ConveyancePattern:
    """One rule: a regular expression (matched case-insensitively anywhere in the normalised text) and the
    type it gives; ``example`` is a real wording it is meant for."""

    type: str
    pattern: str
    example: str = ""


@dataclass(frozen=True)
class Classification:
    type: str
    pattern: str | None  # the rule that decided; None: no rule matched ("other")


def normalise_conveyance(text: str) -> str:
    """Upper case, whitespace folded, the USPTO's boilerplate "(SEE DOCUMENT FOR DETAILS)" dropped."""
    folded = " ".join(text.upper().split())
    return re.sub(r"\(?\s*SEE DOCUMENT FOR DETAILS\s*\)?\.?", "", folded).strip(" .;")


class ConveyanceVocabulary:
    """Ordered patterns → conveyance type. Raises ValueError for an unknown type or a bad expression."""

    def __init__(self, patterns: Iterable[ConveyancePattern]) -> None:
        self.patterns = tuple(patterns)
        problems = [f"{p.pattern!r}: unknown type {p.type!r}" for p in self.patterns if p.type not in CONVEYANCE_TYPES]
        self._compiled: list[tuple[re.Pattern[str], ConveyancePattern]] = []
        for p in self.patterns:
            try:
                self._compiled.append((re.compile(p.pattern, re.IGNORECASE), p))
            except re.error as exc:
                problems.append(f"{p.pattern!r}: {exc}")
        if problems:
            raise ValueError("conveyance vocabulary: " + "; ".join(problems))

    def classify(self, text: str) -> Classification:
        """The type of a conveyance wording: the first matching pattern's, else ``other``."""
        normalised = normalise_conveyance(text)
        for regex, p in self._compiled:
            if regex.search(normalised):
                return Classification(p.type, p.pattern)
        return Classification("other", None)


# "REEL 048818/FRAME 0520", "REEL 12345 FRAME 678", "REEL/FRAME 048818/0520", "REEL/FRAME: 48818/520"
_REEL_FRAME = (
    re.compile(r"REEL\s*(?:NO\.?|NUMBER)?\s*[:#]?\s*(\d{1,6})\s*[/,;]?\s*(?:AND\s+)?(?:AT\s+)?FRAME\s*(?:NO\.?|NUMBER)?"
               r"\s*[:#]?\s*(\d{1,5})", re.IGNORECASE),
    re.compile(r"REEL\s*/\s*FRAME\s*(?:NO\.?)?\s*[:#]?\s*(\d{1,6})\s*/\s*(\d{1,5})", re.IGNORECASE),
)


def referenced_reel_frames(text: str) -> list[tuple[int, int]]:
    """The earlier recordings a wording names, as (reel, frame), in order of mention, without repeats:
    what a release releases, what a correction corrects."""
    found: list[tuple[int, int, int]] = []  # (position, reel, frame)
    for regex in _REEL_FRAME:
        found.extend((m.start(), int(m[1]), int(m[2])) for m in regex.finditer(text))
    out: list[tuple[int, int]] = []
    for _, reel, frame in sorted(found):
        if (reel, frame) not in out:
            out.append((reel, frame))
    return out


def _name_tokens(name: str) -> frozenset[str]:
    """The words of a person's name, whatever the order ("LIU, WENJUN" and "Wenjun Liu" alike); initials
    and punctuation dropped."""
    return frozenset(w for w in re.findall(r"[A-Z]+", name.upper()) if len(w) > 1)


def assignors_are_inventors(assignors: Iterable[str], inventors: Iterable[str]) -> bool:
    """Whether every assignor is one of the inventors (each name's words among one inventor's): the
    inventors assigning their invention to the applicant, which is how an employee's assignment to the
    employer reaches the register (the USPTO Patent Assignment Dataset's "employer assignment")."""
    people = [_name_tokens(i) for i in inventors]
    names = [_name_tokens(a) for a in assignors]
    return bool(names) and all(len(n) >= 2 and any(n <= p for p in people) for n in names)


EMPLOYEE_RULE = "assignors are the inventors"  # the rule named for an assignment retyped employee_assignment


def by_parties(classification: Classification, assignors: Iterable[str], inventors: Iterable[str]) -> Classification:
    """An assignment by the inventors themselves is the employee's assignment; every other type stays."""
    if classification.type == "assignment" and assignors_are_inventors(assignors, inventors):
        return Classification("employee_assignment", EMPLOYEE_RULE)
    return classification
