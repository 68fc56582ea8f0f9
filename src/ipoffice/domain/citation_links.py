"""Which publication of the register a cited number means, across kind-code conventions.

Offices and citing documents write one publication's kind differently: the USPTO cites its designs as
``USD668832S`` while the design is published as ``USD668832S1``; ``A`` / ``A1``, ``B1`` / ``B2``, a number
cited with no kind at all. A citation is matched to the publications of its country and serial, the exact
kind preferred; another kind only when it belongs to the same series of that office, so different
documents that happen to share a serial never link:

* US: one serial is one document within a series: grants (``A`` before 2001, ``B1``, ``B2``),
  application publications (``A1``, ``A2``, ``A9``), designs (``S``, ``S1``), reissues (``E``, ``E1``),
  plants (``P``, ``P2``, ``P3``; publications ``P1``, ``P4``, ``P9``), statutory invention registrations
  (``H``); a design cited as ``US 668832 S`` is ``D668832`` (never the utility patent 668832);
* offices that give an application's publication and its grant one number (EP, WO, CN, DE, FR, GB, ...):
  ``A*``, ``B*`` and ``C*`` of one serial are one application (CN utility models ``U``/``Y`` and
  designs ``S``/``D`` are series of their own);
* anywhere else (JP, KR, ...: publication and grant numbered apart): only kinds of the same letter.
"""

from __future__ import annotations

from collections.abc import Iterable

from ipoffice.domain.errors import DomainError
from ipoffice.domain.numbers import PublicationNumber

_ONE_NUMBER_OFFICES = frozenset({
    "EP", "WO", "CN", "DE", "FR", "GB", "AT", "BE", "CH", "DK", "ES", "FI", "IT", "NL", "SE", "EA", "AP", "OA",
})
_CN_SERIES = ({"A", "B", "C"}, {"U", "Y"}, {"S", "D"})
_US_SERIES = {
    "A": "grant", "B": "grant", "B1": "grant", "B2": "grant", "B3": "grant",
    "A1": "publication", "A2": "publication", "A9": "publication",
    "S": "design", "S1": "design", "S2": "design",
    "E": "reissue", "E1": "reissue", "E2": "reissue",
    "P": "plant", "P2": "plant", "P3": "plant", "P1": "plant publication", "P4": "plant publication",
    "P9": "plant publication",
    "H": "sir", "H1": "sir",
}
# A US series whose serials carry a prefix that citations sometimes leave out.
_US_PREFIX = {"design": "D", "reissue": "RE", "plant": "PP", "sir": "H"}
_KINDS = tuple(letter + digit for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for digit in ("", *"0123456789"))


def same_series(country: str, kind: str | None, other: str | None) -> bool:
    """Whether publications of one country and serial with these kinds are one document (or one
    application's publications). A missing kind matches any."""
    if kind is None or other is None or kind == other:
        return True
    if country == "US":
        series = _US_SERIES.get(kind)
        return series is not None and series == _US_SERIES.get(other)
    letters = {kind[0], other[0]}
    if len(letters) == 1:
        return True
    if country == "CN":
        return any(letters <= series for series in _CN_SERIES)
    return country in _ONE_NUMBER_OFFICES and letters <= {"A", "B", "C"}


def canonical(number: PublicationNumber) -> PublicationNumber:
    """The number with the serial prefix its kind implies: ``US 668832 S`` → ``US D668832 S``."""
    if number.country != "US" or number.kind is None or not number.serial[:1].isdigit():
        return number
    prefix = _US_PREFIX.get(_US_SERIES.get(number.kind, ""))
    if prefix is None or len(number.serial) > 7:  # 11-digit serials are application publications
        return number
    return PublicationNumber(number.country, prefix + number.serial, number.kind)


def parse_cited(text: str | None) -> PublicationNumber | None:
    """A stored cited number (compact, as the importers write it) as a canonical number; None for text
    that is no publication number ("DM/074 086")."""
    if not text:
        return None
    try:
        return canonical(PublicationNumber.parse(text))
    except DomainError:
        return None


def resolve(cited: PublicationNumber, publications: Iterable[PublicationNumber]) -> list[PublicationNumber]:
    """The publications (of the register) that ``cited`` means: the one of its exact kind when there is
    one, else every one of its country and serial in the same series."""
    cited = canonical(cited)
    same = [p for p in publications if (p.country, p.serial) == (cited.country, cited.serial)]
    exact = [p for p in same if p.kind == cited.kind]
    if exact:
        return exact
    return [p for p in same if same_series(cited.country, cited.kind, p.kind)]


def citation_forms(number: PublicationNumber) -> list[str]:
    """Every compact cited number that may mean ``number``: its serial with no kind or a kind of its series,
    and for the US also the serial without the prefix that the kind implies (``US668832S``)."""
    kinds: list[str | None] = [None, *(k for k in _KINDS if same_series(number.country, number.kind, k))]
    serials = [number.serial]
    if number.country == "US":
        for prefix in ("RE", "PP", "D", "H"):
            if number.serial.startswith(prefix) and number.serial[len(prefix):].isdigit():
                serials.append(number.serial[len(prefix):])
                break
    forms = []
    for serial in serials:
        for kind in kinds:
            if serial != number.serial and (kind is None or canonical(
                    PublicationNumber(number.country, serial, kind)).serial != number.serial):
                continue  # "US668832" (no kind) or "US668832B1" is the utility patent, not the design
            forms.append(f"{number.country}{serial}{kind or ''}")
    return forms
