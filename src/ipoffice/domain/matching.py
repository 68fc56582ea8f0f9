"""Need → patent matching: the vocabulary of a match and the seam to the open-licence register.

An enterprise describes a need (a product, a problem, a technique) in Chinese or English; the matcher
(``ipoffice.services.matching``) ranks the rights in force by how well their claims meet it. A need is cut
into *parts* (its sentences and clauses); each part is compared with each *element* of the right's
independent claims (``domain.claim_elements``), or with the sentences of its abstract when the register
holds no claims. The reasons of a match are the claim elements that meet a part of the need, with why:
the similarity of their meaning (multilingual embeddings, so across languages too) and the terms they share.

Open licences (Patent Law Arts. 50–52): whether a right is on offer comes from :class:`OpenLicences`, a
protocol the recordals register implements (open-licence declarations registered and not withdrawn); until
it is wired in ``ipoffice.bootstrap`` (``Office.open_licences``) :class:`NoOpenLicences` says no right is.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from ipoffice.domain.errors import InvalidField

MAX_NEED_CHARS = 4000
MAX_NEED_PARTS = 12
MIN_PART_CHARS = 12  # English clause: shorter pieces are glued to the previous one
MIN_PART_CJK_CHARS = 4
_PART_END = re.compile(r"(?<=[.;!?])\s+|(?<=[。；！？;])|\n+")
_CLAUSE = re.compile(r"[,，、]\s*")
_CJK = re.compile("[\u4e00-\u9fff]")


class OpenLicences(Protocol):
    """Which rights are under an open licence on a day (a declaration registered and not withdrawn)."""

    def on_offer(self, numbers: Collection[str], on: date) -> set[str]:
        """The subset of ``numbers`` (compact publication numbers) under open licence on ``on``."""
        ...


class NoOpenLicences:
    """The default until the recordals register implements :class:`OpenLicences`: nothing is on offer."""

    def on_offer(self, numbers: Collection[str], on: date) -> set[str]:
        return set()


@dataclass(frozen=True)
class MatchReason:
    """One claim element of the right that meets one part of the need, and why."""

    need_part: str
    label: str  # the element's label: "1[b]" (claim 1, second element); "abstract[2]" without claims
    element: str
    field: str  # claims | abstract | title
    score: float  # combined, 0..1
    semantic: float  # cosine of the multilingual embeddings, 0..1
    literal: float  # share of the need part's content words found in the element, 0..1
    shared_terms: tuple[str, ...] = ()

    @property
    def why(self) -> str:
        """A short English explanation (the portal words it in the reader's language from the figures)."""
        out = f"meaning similarity {self.semantic:.2f}"
        if self.shared_terms:
            out += f"; shared terms: {', '.join(self.shared_terms)}"
        elif self.literal == 0:
            out += "; no shared words (matched by meaning, e.g. across languages)"
        return out

    def as_json(self) -> dict[str, Any]:
        return {"need_part": self.need_part, "label": self.label, "element": self.element, "field": self.field,
                "score": round(self.score, 4), "semantic": round(self.semantic, 4),
                "literal": round(self.literal, 4), "shared_terms": list(self.shared_terms), "why": self.why}


@dataclass(frozen=True)
class RightMatch:
    """A right ranked for a need: ``score`` = DOCUMENT_WEIGHT × similarity of the whole right + the rest ×
    ``coverage`` (mean over the need's parts of their best element's score)."""

    number: str
    title: str | None
    score: float
    similarity: float
    coverage: float
    status: str  # legal status (``services.register_extract.legal_status``): granted, published, expired, …
    open_licence: bool
    reasons: list[MatchReason]
    indicators: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"number": self.number, "title": self.title, "score": round(self.score, 4),
                               "similarity": round(self.similarity, 4), "coverage": round(self.coverage, 4),
                               "status": self.status, "open_licence": self.open_licence,
                               "reasons": [r.as_json() for r in self.reasons]}
        if self.indicators:
            out["indicators"] = self.indicators
        return out


def check_need(text: str) -> str:
    """The need, whitespace collapsed and control characters dropped; raises InvalidField naming ``need`` when
    empty or too long."""
    # Control characters (a NUL from a pasted file) carry nothing and PostgreSQL text cannot hold a NUL.
    need = " ".join("".join(c if c.isprintable() or c.isspace() else " " for c in text or "").split())
    if not need:
        raise InvalidField("need", text, "is empty: describe the product, problem or technique sought")
    if len(need) > MAX_NEED_CHARS:
        raise InvalidField("need", need[:40] + "…", f"is {len(need):,} characters long; the limit is "
                                                     f"{MAX_NEED_CHARS:,}")
    return need


def need_parts(text: str) -> list[str]:
    """The parts of a need compared with claim elements: its sentences, long sentences cut at commas.

    Pieces too short to carry a meaning of their own are glued to the previous one; at most
    ``MAX_NEED_PARTS`` (the rest joined to the last), and never none: a short need is one part.
    """
    need = check_need(text)
    parts: list[str] = []
    for sentence in _PART_END.split(need):
        sentence = sentence.strip(" .;。；")
        if not sentence:
            continue
        pieces = _CLAUSE.split(sentence) if len(sentence) > (60 if _CJK.search(sentence) else 160) else [sentence]
        for piece in pieces:
            piece = piece.strip(" ,，、")
            minimum = MIN_PART_CJK_CHARS if _CJK.search(piece) else MIN_PART_CHARS
            if not piece:
                continue
            if parts and len(piece) < minimum:
                parts[-1] = f"{parts[-1]}, {piece}"
            else:
                parts.append(piece)
    if len(parts) > MAX_NEED_PARTS:
        parts = [*parts[:MAX_NEED_PARTS - 1], ", ".join(parts[MAX_NEED_PARTS - 1:])]
    return parts or [need]


def need_language(text: str) -> str:
    """``zh`` when the need has Chinese characters, else ``en`` (what the match log counts by)."""
    return "zh" if _CJK.search(text) else "en"
