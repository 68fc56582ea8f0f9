"""Trademark records: the register key of a mark, its kind (WIPO ST.66 ``MarkFeature``), its current
status (ST.66 ``MarkCurrentStatusCode``) and the details a trademark record carries beyond a patent's.

The register key. A trademark is keyed by its office and its application number (the identifier every
record has from filing on, as WIPO ST.13 keys applications), written ``<office>TM-<number>``: the
application number upper-cased, the office code it may repeat at its start dropped, and each run of
separators made one hyphen::

    AL  AL/T/1996/001287 → ALTM-T-1996-001287      TO  2017/3420  → TOTM-2017-3420
    BR  MMA1501730141    → BRTM-MMA1501730141      IL  160158     → ILTM-160158

A patent serial has no hyphen and no ``TM-``, so a mark never takes the key of a patent publication of the
same office (US registration 1234567 is ``USTM-…``, US patent 1234567 is ``US1234567``). The office's
printed application, registration and international registration numbers find the mark too
(:func:`printed_key`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import PublicationNumber

TRADEMARK_KEY_MARK = "TM-"
MAX_KEY_NUMBER = 21  # the register's serial column holds 24 characters, "TM-" included


def _office_stripped(office: str, text: str) -> str:
    """``AL/T/1996/001287`` of office AL → ``T/1996/001287``: the office code repeated before a separator."""
    if text.startswith(office) and len(text) > 2 and not text[2].isalnum():
        return text[2:]
    return text


def trademark_number(office: str, application_number: str) -> PublicationNumber:
    """The register key of the mark filed at ``office`` (ST.3 code) as ``application_number``; raises
    InvalidField naming ``application_number`` when it has no letter or digit or is too long."""
    office = office.strip().upper()
    raw = unicodedata.normalize("NFKC", application_number).strip().upper()
    body = re.sub(r"[^0-9A-Z]+", "-", _office_stripped(office, raw)).strip("-")
    if not body:
        raise InvalidField("application_number", application_number, "has no letter or digit")
    if len(body) > MAX_KEY_NUMBER:
        raise InvalidField("application_number", application_number,
                           f"longer than {MAX_KEY_NUMBER} letters and digits: too long for a register key")
    return PublicationNumber(office, TRADEMARK_KEY_MARK + body)


def is_trademark_number(number: PublicationNumber) -> bool:
    return number.serial.startswith(TRADEMARK_KEY_MARK)


def printed_key(text: str, office: str | None = None) -> str:
    """The form a printed mark number is looked up by: letters and digits only, upper case, the office
    code it repeats dropped, leading zeros dropped (``AL/T/1996/001287`` → ``T1996001287``,
    ``007650`` → ``7650``)."""
    raw = unicodedata.normalize("NFKC", text).strip().upper()
    if office:
        raw = _office_stripped(office.upper(), raw)
    return re.sub(r"[^0-9A-Z]", "", raw).lstrip("0")


class MarkFeature(StrEnum):
    """What the mark is made of (WIPO ST.66 ``MarkFeature``)."""

    WORD = "Word"
    STYLIZED = "Stylized characters"
    FIGURATIVE = "Figurative"
    COMBINED = "Combined"
    THREE_DIMENSIONAL = "3-D"
    COLOUR = "Colour"
    SOUND = "Sound"
    HOLOGRAM = "Hologram"
    OLFACTORY = "Olfactory"
    MOTION = "Motion"
    POSITION = "Position"
    PATTERN = "Pattern"
    MULTIMEDIA = "Multimedia"
    OTHER = "Other"
    UNDEFINED = "Undefined"


# Office wordings met in real data (lower case) → the ST.66 value.
_FEATURE_WORDINGS: dict[str, MarkFeature] = {
    "three dimensional": MarkFeature.THREE_DIMENSIONAL, "three-dimensional": MarkFeature.THREE_DIMENSIONAL,
    "3d": MarkFeature.THREE_DIMENSIONAL, "stylised characters": MarkFeature.STYLIZED,
    "color": MarkFeature.COLOUR, "device": MarkFeature.FIGURATIVE, "figurative": MarkFeature.FIGURATIVE,
    "merek kata": MarkFeature.WORD,  # Indonesian: word mark
    "merek lukisan": MarkFeature.FIGURATIVE,  # device mark
    "merek kata dan lukisan": MarkFeature.COMBINED,  # word and device mark
    "both name and logo": MarkFeature.COMBINED,  # San Marino: "Marchi Nazionale (Both Name and Logo)"
}


def mark_feature(text: str | None) -> MarkFeature | None:
    """The ST.66 feature an office's wording means (``COMBINED``, ``Merek Kata dan Lukisan`` → Combined);
    None when the wording is empty or unknown (the wording is kept as written either way)."""
    if not text or not text.strip():
        return None
    wording = " ".join(text.split()).lower()
    for feature in MarkFeature:
        if feature.value.lower() == wording:
            return feature
    if wording in _FEATURE_WORDINGS:
        return _FEATURE_WORDINGS[wording]
    inner = re.search(r"\(([^)]*)\)", wording)  # "Marchi Nazionale (Both Name and Logo)"
    if inner and inner[1].strip() in _FEATURE_WORDINGS:
        return _FEATURE_WORDINGS[inner[1].strip()]
    return None


class MarkStatus(StrEnum):
    """A mark's current status, in the register extract's terms (``status.*`` labels)."""

    PENDING = "pending"
    REGISTERED = "registered"
    REFUSED = "refused"
    WITHDRAWN = "abandoned"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


# ST.66 MarkCurrentStatusCode values and office wordings (lower case) → status.
_STATUS_WORDINGS: dict[str, MarkStatus] = {
    "filed": MarkStatus.PENDING, "examined": MarkStatus.PENDING, "published": MarkStatus.PENDING,
    "opposed": MarkStatus.PENDING, "pending": MarkStatus.PENDING, "accepted": MarkStatus.PENDING,
    "appealed": MarkStatus.PENDING, "application published": MarkStatus.PENDING,
    "depositado": MarkStatus.PENDING,  # Brazil: filed
    "registered": MarkStatus.REGISTERED, "active": MarkStatus.REGISTERED, "registration published":
        MarkStatus.REGISTERED,
    "rejected": MarkStatus.REFUSED, "refused": MarkStatus.REFUSED,
    "withdrawn": MarkStatus.WITHDRAWN, "abandoned": MarkStatus.WITHDRAWN,
    "expired": MarkStatus.EXPIRED, "ended": MarkStatus.EXPIRED,
    "cancelled": MarkStatus.CANCELLED, "surrendered": MarkStatus.CANCELLED, "invalidated": MarkStatus.CANCELLED,
    "deleted": MarkStatus.CANCELLED,  # Israel: removed from the register
}


def mark_status(text: str | None) -> MarkStatus | None:
    """The status an office's status word means (``Registered``, ``Depositado``, ``active``); None when
    unknown (e.g. Tonga's bare office code ``1058``)."""
    if not text or not text.strip():
        return None
    return _STATUS_WORDINGS.get(" ".join(text.split()).lower())


class MarkTextKind(StrEnum):
    """The texts of a mark besides its goods and services."""

    VERBAL = "verbal"  # the verbal element, in the language given
    TRANSLITERATION = "transliteration"
    TRANSLATION = "translation"
    DISCLAIMER = "disclaimer"
    COLOUR_CLAIM = "colour_claim"
    LIMITATION = "limitation"  # a condition or limitation the registration is subject to
    STATUS_REASON = "status_reason"  # why the office closed the file, as it wrote it
    INTERNATIONALITY = "internationality"  # the record's tie to the Madrid system (TMBRAND: "Base for International")
    PUBLICATION = "publication"  # a publication of the mark: text = its identifier, with its date


@dataclass(frozen=True)
class MarkText:
    kind: MarkTextKind
    text: str
    lang: str | None = None
    date: date | None = None  # publications only


@dataclass(frozen=True)
class MarkDetails:
    """What a trademark record holds beyond the bibliographic data of every document.

    ``feature`` is the ST.66 value, ``feature_text`` the office's own wording when it is another;
    ``kind_of_mark`` is ST.66 ``KindMark`` (Individual, Collective, Certification) or TMBRAND
    ``BRANDTYPE`` as written; ``status`` the status meant by ``status_text``, the office's word."""

    registration_number: str | None = None
    registration_date: date | None = None
    international_number: str | None = None
    expiry_date: date | None = None
    feature: MarkFeature | None = None
    feature_text: str | None = None
    kind_of_mark: str | None = None
    status_text: str | None = None
    status_date: date | None = None
    texts: tuple[MarkText, ...] = field(default_factory=tuple)

    @property
    def status(self) -> MarkStatus | None:
        return mark_status(self.status_text)

    def texts_of(self, kind: MarkTextKind) -> list[MarkText]:
        return [t for t in self.texts if t.kind == kind]

    @property
    def publications(self) -> list[MarkText]:
        return self.texts_of(MarkTextKind.PUBLICATION)
