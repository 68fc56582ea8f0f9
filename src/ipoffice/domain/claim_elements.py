"""Splitting a patent claim into its elements, the rows of a claim chart.

A claim reads: preamble, transition ("comprising", "consisting of", "characterised in that",
"其特征在于", "包括"), then the elements, separated by semicolons, lettered markers ("(a)", "b)") or
line breaks, often with "wherein" clauses that add a limitation of their own. The split is
deliberately simple and predictable: an examiner can see why each row is a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.、)]\s*")
_TRANSITION = re.compile(
    r"(?P<t>\b(?:which\s+)?(?:comprising|comprises|comprise|consisting\s+essentially\s+of|consisting\s+of|"
    r"consists\s+of|including|includes|characteri[sz]ed\s+in\s+that|characteri[sz]ed\s+by)\b\s*:?"
    r"|其特征在于[：:，,]?|包括[：:]|包含[：:])",
    re.IGNORECASE,
)
# Element separators: semicolons, line breaks, lettered or numbered markers such as "(a)", "b)", "(iii)".
_SEPARATOR = re.compile(r"\s*[;；]\s*|\n+|\s+(?=\(?[a-z]{1,3}\)\s)|\s+(?=\([ivx]{1,4}\)\s)")
_WHEREIN = re.compile(r",?\s+(?=wherein\b|whereby\b)|[，,](?=其中)", re.IGNORECASE)
_MARKER = re.compile(r"^\(?(?:[a-z]{1,3}|[ivx]{1,4})\)\s*")
_CONJUNCTION = re.compile(r"^(?:and|or|further)\s+|^(?:以及|和|及)|\s*(?:,|;)?\s*(?:and|or)$", re.IGNORECASE)
_CJK = re.compile("[\u4e00-\u9fff]")
# Shorter pieces ("and", "said") are glued to the previous element; Chinese packs more per character.
_MIN_ELEMENT_CHARS = 12
_MIN_ELEMENT_CJK_CHARS = 2


@dataclass(frozen=True)
class ClaimElement:
    label: str  # "1[pre]", "1[a]", "1[b]", … (claim number and position)
    text: str
    is_preamble: bool = False


def _letters(index: int) -> str:
    """a, b, …, z, aa, ab, … for the element positions."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _clean(piece: str) -> str:
    piece = _MARKER.sub("", piece.strip())
    piece = _CONJUNCTION.sub("", piece).strip(" ,;:.。；，：")
    return re.sub(r"\s+", " ", piece)


def claim_number(text: str) -> int | None:
    match = _LEADING_NUMBER.match(text)
    return int(match.group(1)) if match else None


def split_claim(text: str, number: int | None = None) -> list[ClaimElement]:
    """The preamble (with its transition) and each element of one claim, in order.

    ``number`` labels the rows; by default the claim's own leading number, else 1.
    """
    if not text or not text.strip():
        raise ValueError("claim: the claim text is empty")
    number = number or claim_number(text) or 1
    body = _LEADING_NUMBER.sub("", text, count=1).strip()
    transition = _TRANSITION.search(body)
    elements: list[ClaimElement] = []
    if transition and transition.start() > 0:
        preamble = body[: transition.end()].strip()
        body = body[transition.end():]
        elements.append(ClaimElement(f"{number}[pre]", _clean(preamble), True))
    pieces: list[str] = []
    for part in _SEPARATOR.split(body):
        for sub in _WHEREIN.split(part):
            cleaned = _clean(sub)
            if not cleaned:
                continue
            minimum = _MIN_ELEMENT_CJK_CHARS if _CJK.search(cleaned) else _MIN_ELEMENT_CHARS
            if pieces and len(cleaned) < minimum:
                pieces[-1] = f"{pieces[-1]} {cleaned}"
            else:
                pieces.append(cleaned)
    for position, piece in enumerate(pieces):
        elements.append(ClaimElement(f"{number}[{_letters(position)}]", piece))
    return elements
