"""Which claims a claim refers to, read from its words: "claim 1", "any one of claims 2 through 4",
"claims 1, 3 or 5", "any preceding claim", "权利要求1至3任一项", "权利要求1-3中任一项", "权利要求1或2",
"nach einem der Ansprüche 1 bis 3", "selon l'une des revendications 1 à 3".

Office XML tags only the first claim of a range (``<claim-ref>claims 2</claim-ref> through 4``), so the
importers read the full list here. Pure text work: no office format, no I/O.
"""

from __future__ import annotations

import re

_NUMBER = r"[0-9\uff10-\uff19]+"  # ASCII or full-width digits (int() reads both)
# Between two numbers of a list: a range ("to", "through", "-", "至") or an enumeration (",", "or", "或", "、").
_RANGE_WORDS = r"to|through|thru|up\s+to|until|till|bis|à"
_LIST_WORDS = r"and/or|and|or|und|oder|et|ou"
_RANGE_SIGNS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d~\uff5e\u301c至到"
_LIST_SIGNS = ",\uff0c\u3001;或和及"
# Chinese list words have no word boundary before a digit ("1以及2"), so they are matched without one.
_CJK_LIST_WORDS = r"以及|或者|和/或"
# The keyword may be repeated after any separator: "claim 1 to claim 4", "权利要求1至权利要求3".
_AGAIN = r"(?:(?:claims?|权利要求|權利要求)\s*(?:第\s*)?)?"
_SEPARATOR = (
    rf"\s*(?:[{_LIST_SIGNS}]\s*(?:(?:{_LIST_WORDS})\b\s*)?{_AGAIN}"
    rf"|(?:{_RANGE_WORDS}|{_LIST_WORDS})\b\s*{_AGAIN}"
    rf"|(?:{_CJK_LIST_WORDS}|[{_RANGE_SIGNS}])\s*{_AGAIN})\s*"
)
_KEYWORD = r"(?:\b(?:claims?|anspr(?:ü|ue)chen?|anspruchs?|revendications?)\b|权利要求|權利要求)"
_REFERENCE = re.compile(
    rf"{_KEYWORD}\s*(?:no\.?\s*|nos\.?\s*|nr\.?\s*|n°\s*|第\s*)?(?P<list>{_NUMBER}(?:{_SEPARATOR}{_NUMBER})*)",
    re.IGNORECASE,
)
_LIST_TOKEN = re.compile(rf"(?P<n>{_NUMBER})|(?P<range>[{_RANGE_SIGNS}]|\b(?:{_RANGE_WORDS})\b)", re.IGNORECASE)
# "any preceding claim", "any one of the preceding claims", "the previous claim", "前述权利要求中任一项",
# "einem der vorhergehenden Ansprüche", "l'une quelconque des revendications précédentes".
_PRECEDING = re.compile(
    r"\b(?:preceding|previous|foregoing|above|aforegoing)\s+(?P<en>claims?)\b"
    r"|\b(?:vorhergehenden|vorangehenden|vorstehenden)\s+Anspr(?:ü|ue)che"
    r"|\brevendications?\s+(?:précédentes|antérieures)"
    r"|(?:前述|上述|前面|在前|之前|在先|先前|以上|以前)(?:的)?(?:任[一意]一?[项項]|各[项項]|任一|各)?(?:的)?(?:权利要求|權利要求)",
    re.IGNORECASE,
)
_ANY = re.compile(r"\bany\b", re.IGNORECASE)
# Where the keywords of _REFERENCE are found, and how many characters each starts before its stem.
_STEMS = (("laim", 1), ("LAIM", 1), ("要求", 2), ("nspr", 1), ("NSPR", 1), ("evendication", 1), ("EVENDICATION", 1))
_MAX_RANGE = 1000  # "claims 1 to 100000" is no range of claims


def claim_references(text: str, claim_number: int, *, window: int | None = None) -> tuple[int, ...]:
    """The numbers of the claims ``text`` refers to, ascending, the claim's own number left out.

    ``window``: read only the first characters (a dependent claim names its parents in its opening
    words); None reads all of the text. A range covers every claim in it; "any preceding claim" every
    claim before ``claim_number``; "the preceding claim" the one before."""
    if window is not None:
        text = text[:window]
    found: set[int] = set()
    last = -1
    # The expression is tried only where a keyword is (found by str.find, in C): scanning every
    # character of every claim with it cost a tenth of an import.
    for stem, back in _STEMS:
        at = text.find(stem)
        while at >= 0:
            last = max(last, at)
            match = _REFERENCE.match(text, max(at - back, 0))
            if match:
                found.update(_numbers_of(match["list"]))
            at = text.find(stem, at + len(stem))
    if last >= 0:
        text = text[:last + 100]  # past the last keyword: nothing but the numbers right after it
        if _mentions_preceding(text):
            for match in _PRECEDING.finditer(text):
                singular = match["en"] is not None and match["en"].lower() == "claim"
                if singular and not _ANY.search(text, max(0, match.start() - 25), match.start()):
                    found.add(claim_number - 1)  # "the preceding claim": the one just before
                else:
                    found.update(range(1, claim_number))
    return tuple(sorted(n for n in found if n > 0 and n != claim_number))


def _mentions_preceding(text: str) -> bool:
    """Whether a "preceding claims" phrase may be in the text: substring checks in C before the regular
    expression (most claims have none)."""
    low = text.lower()
    return ("preced" in low or "previous" in low or "foregoing" in low or "above" in low or "vorhergehend" in low
            or "vorangehend" in low or "vorstehend" in low or "précédent" in low or "antérieur" in low
            or "前" in text or "上" in text or "先" in text)


def _numbers_of(listed: str) -> set[int]:
    """``"2 through 4"`` → {2, 3, 4}; ``"1, 3 or 5"`` → {1, 3, 5}; ``"1-3、5"`` → {1, 2, 3, 5}."""
    out: set[int] = set()
    previous: int | None = None
    in_range = False
    for token in _LIST_TOKEN.finditer(listed):
        if token["n"] is None:
            in_range = previous is not None
            continue
        number = int(token["n"])
        if in_range and previous is not None and 0 <= number - previous <= _MAX_RANGE:
            out.update(range(previous, number + 1))
        else:
            out.add(number)
        previous, in_range = number, False
    return out
