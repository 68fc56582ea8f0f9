"""Publication and application numbers (WIPO ST.1 / ST.16 style: country code, serial, kind code).

One parser reads every printed form of a number, for the register, the query language, the API and the
importers alike, and gives one canonical key per document::

    US 8,421,271 B2 · U.S. Pat. No. 8,421,271 · US-8421271-B2          → US8421271B2
    US 2022/0159901 A1 · US2022/0159901A1 · US2022159901A1 (EPO form)  → US20220159901A1
    WO 2019/123456 A1 · WO2019123456A1 · WO 01/23241 · WO0123241       → WO2019123456A1, WO2001023241
    EP 1 325 900 A1 · EP1325900 A1 · EP 01325900                       → EP1325900A1, EP1325900
    CN 115982890 A · CN115982890A                                      → CN115982890A
    JP 2019-123456 A · JP2019123456A · JP H05-123456 A · 特開平5-123456 → JP2019123456A, JPH05123456A
    KR 10-2019-0012345 A · KR20190012345A · KR 10-1234567 B1           → KR20190012345A, KR101234567B1

Application (and priority) numbers have their own key (:class:`ApplicationNumber`)::

    ZL201810358967.5 · CN 2018 1 0358967.5 · 201810358967.5 → CN201810358967 (check character verified)
    EP 01 963 450.0 · 01963450.0 (EP) → EP01963450;  US 16/123,456 · 16123456 (US) → US16123456
    KR 10-2019-0012345 → KR1020190012345 (also keyed KR20190012345);  PCT/US2019/012345 → WOUS2019012345

:func:`parse_number` tells the two apart where the form does (``ZL``, a check character, a CN serial of
12 digits, an EP serial of 8, ``US 16/123,456``, ``PCT/``, ``特願``); otherwise a number is a publication.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ipoffice.domain.errors import InvalidField

_SERIAL = re.compile(r"(RE|PP|RX|AI|HX|[DHTSR])?[0-9]+|TM(?:-[0-9A-Z]+)+")
# A trademark's register key (domain.trademark): office, "TM-", its application number's letters and digits.
_TRADEMARK_KEY = re.compile(r"([A-Z]{2})\s*(TM(?:-[0-9A-Z]+)+)")
# Offices whose publication serials are written at a fixed width (EP 0874807); elsewhere leading zeros
# are dropped unless the office's structure keeps them (year + serial: WO, JP, KR, US publications).
_FIXED_WIDTH = {"EP": 7}

# --- reading the printed forms ----------------------------------------------------------------------

# "U.S. Pat. No.", "U.S. Patent Application Publication No.", "US Pat. Appl. Pub. No." before a number.
_US_WORDS = re.compile(
    r"^U\.?\s?S\.?\s*(?:(?:PAT(?:ENT)?|APPL(?:ICATION)?|PUB(?:LICATION)?|SERIAL|SER)\.?\s*)*(?:NO\.?|NUMBER|NR\.?)?\s*"
)
# "No 7654321" after "Patent" only: "NO 1234" alone is Norway's number (NO is its country code).
_NUMBER_WORDS = re.compile(r"^(?:PATENT\s+(?:NO\.?|NUMBER|NR\.?)|NO\.|NUMBER|NR\.?)\s*")
# Japanese printed forms: 特開 (unexamined publication, A), 特表 (PCT national publication, A), 特許第…号 (patent,
# B), 特願 (application); era names Showa, Heisei, Reiwa.
_JP_FORMS = re.compile(
    r"^(?:JP\s*)?(特開|特表|特公|特許第|特願|実願|実開|意願|実用新案登録第|登録実用新案第|意匠登録第)\s*(.*?)\s*号?\s*(?:公報)?$")
_JP_KINDS = {"特開": "A", "特表": "A", "特公": "B", "特許第": "B2", "実開": "U", "実用新案登録第": "U",
             "登録実用新案第": "U", "意匠登録第": "S"}
_JP_ERAS = {"昭和": "S", "昭": "S", "平成": "H", "平": "H", "令和": "R", "令": "R"}
# Labels printed before a number in Chinese documents ("专利号：ZL…", "申请号：…", "公开(公告)号：CN…");
# the application labels make the number an application number.
_CN_LABELS = re.compile(r"^(?:中国)?(?:发明|实用新型|外观设计)?(?:专利申请号|专利号|申请号|授权公告号|公开\(公告\)号|"
                        r"公开号|公告号|专利)\s*:?\s*")
# A trailing remark the number does not need: sentence punctuation, "(Smith)", "(JP)".
_TRAILING = re.compile(r"(?:\s*\([^0-9()]*\))?[\s.,;:]*$")
_PCT = re.compile(r"^PCT\s*/?\s*([A-Z]{2})\s*/?\s*([0-9]{2}|[0-9]{4})\s*/\s*([0-9]{1,6})$")

# Country, an optional office prefix (US D/RE/PP/..., JP era S/H/R), digits with separators, an optional
# check character after a dot, an optional kind code.
_PRINTED = re.compile(
    r"""^(?P<country>[A-Z]{2})?\s*[-/:]?\s*
    (?P<prefix>RE|PP|RX|AI|HX|[DHTSR](?=\s*[-]?\s*[0-9]))?\s*-?\s*
    (?P<body>[0-9](?:[0-9]|[\s,./-](?=[0-9]))*)
    (?:\.(?P<check>X))?
    \s*-?\s*(?P<kind>[A-Z][0-9]?)?$""",
    re.VERBOSE,
)
_GROUPS = re.compile(r"[0-9]+")
_YEAR_SERIAL = re.compile(r"^((?:19|20)[0-9]{2})[/-]([0-9]{1,7})$")  # 2022/0159901, 2019-123456
_SHORT_YEAR_SERIAL = re.compile(r"^([0-9]{1,2})[/-]([0-9]{1,6})$")  # WO 01/23241, JP 8-93012
_US_APPLICATION = re.compile(r"^([0-9]{1,2})/([0-9]{3}),?([0-9]{3})$")  # 16/123,456
_KR_YEAR = re.compile(r"^([1-4]0)-((?:19|20)[0-9]{2})-([0-9]{1,7})$")  # 10-2019-0012345
_KR_REGISTRATION = re.compile(r"^([1-4]0)-([0-9]{4,7})$")  # 10-1234567
_CHECK_DIGIT = re.compile(r"^(.*[0-9])\.([0-9X])$")


@dataclass(frozen=True)
class _Printed:
    country: str | None
    prefix: str
    body: str  # digits with their printed separators, check character removed
    check: str | None
    kind: str | None
    application: bool  # the form says so (ZL, 特願, PCT/)

    @property
    def digits(self) -> str:
        return "".join(_GROUPS.findall(self.body))


def _read(text: str) -> _Printed | None:
    raw = unicodedata.normalize("NFKC", text).strip().upper()
    application = False
    label = _CN_LABELS.match(raw)
    if label:
        application = "申请" in label[0]
        raw = raw[label.end():]
    office = re.search(r"\s*\(([A-Z]{2})\)[\s.,;:]*$", raw)
    if office and raw[:1].isdigit():  # "01963450.0 (EP)": the office named after the number
        raw = f"{office[1]} {raw[:office.start()]}"
    raw = _TRAILING.sub("", raw) if not raw.endswith(("号", "報")) else raw
    if re.match(r"^CN\s*ZL", raw):  # "CN ZL201810358967.5"
        raw = re.sub(r"^CN\s*", "", raw)
    if raw.startswith("JP"):  # "JP 平10-123456": the era written in kanji after the country code
        for era, letter in _JP_ERAS.items():
            if raw[2:].lstrip().startswith(era):
                raw = "JP " + letter + raw[2:].lstrip()[len(era):]
                break
    jp = _JP_FORMS.match(raw)
    if jp:
        form, rest = jp.groups()
        for era, letter in _JP_ERAS.items():
            if rest.startswith(era):
                rest = letter + rest[len(era):]
                break
        kind = _JP_KINDS.get(form)
        raw = f"JP {rest} {kind or ''}".strip()
        application = form.endswith("願")
    elif raw.startswith("ZL"):
        raw, application = "CN" + raw[2:], True
    elif raw.startswith("U.S") or raw.startswith("U. S") or re.match(r"^US\s*(?:PAT|APPL|PUB|SER|NO\b)", raw):
        raw = "US " + re.sub(r"^RE\.\s*", "RE", _US_WORDS.sub("", raw))  # "U.S. Pat. No. Re. 45,123"
    else:
        raw = re.sub(r"^US\s*RE\.\s*", "US RE", _NUMBER_WORDS.sub("", raw))  # "US Re. 45,123"
    m = _PRINTED.match(raw.strip())
    if not m:
        return None
    body, check = m["body"], m["check"]
    if check is None:
        c = _CHECK_DIGIT.match(body)
        # "201810358967.5", "01963450.0": a single character after the last dot is a check character
        # (a thousands group after a dot has three digits: "1.325.900").
        if c:
            body, check = c[1], c[2]
    return _Printed(m["country"], m["prefix"] or "", body.strip(), check, m["kind"], application)


def cn_check_character(digits: str) -> str:
    """The check character of a CN application number of 8 or 12 digits (weights 2-9, 2-5, modulo 11)."""
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11
    return "X" if total == 10 else str(total)


def _looks_like_application(p: _Printed, country: str) -> bool:
    if p.application or p.check is not None:
        return True
    if p.kind:
        return False
    digits = p.digits
    if country == "CN":
        return len(digits) == 12
    if country == "EP":
        return len(digits) == 8
    if country == "US":
        return _US_APPLICATION.match(p.body) is not None
    return False


def _invalid(text: str, why: str, field: str = "publication_number") -> InvalidField:
    return InvalidField(field, text, why)


# --- publication numbers ----------------------------------------------------------------------------

def _publication_serial(country: str, prefix: str, body: str) -> str:
    """The canonical serial of a publication number of ``country`` printed as ``body``."""
    digits = "".join(_GROUPS.findall(body))
    if country == "US" and not prefix:
        year = _YEAR_SERIAL.match(body)
        if year:
            return year[1] + year[2].zfill(7)
        if len(digits) == 10 and digits[:2] in ("19", "20"):  # the EPO's US2019141884: the year, 6 digits
            return digits[:4] + digits[4:].zfill(7)
    elif country == "WO":
        year = _YEAR_SERIAL.match(body)
        if year:
            return year[1] + year[2].zfill(6)
        short = _SHORT_YEAR_SERIAL.match(body)
        if short or len(digits.lstrip("0") or "0") <= 7 and len(digits) <= 7:
            yy, serial = (short[1], short[2]) if short else (digits.zfill(7)[:2], digits.zfill(7)[2:])
            return _full_year(yy) + serial.zfill(6)
        if len(digits) in (8, 9) and digits[:2] in ("19", "20"):
            return digits[:4] + digits[4:].zfill(6)
        return digits
    elif country == "JP":
        year = _YEAR_SERIAL.match(body)
        if year:
            return prefix + year[1] + year[2].zfill(6)
        short = _SHORT_YEAR_SERIAL.match(body)
        if short:  # an era year (平8-93012, H08-93012): the year at two digits, the serial as printed
            return prefix + short[1].zfill(2) + short[2].lstrip("0")
        if prefix and len(digits) > 2:  # JPH0893012: the era year is two digits
            return prefix + digits[:2] + digits[2:].lstrip("0")
        return digits  # JP0723484 (平7-23484 without its era) keeps the zero of its year
    elif country == "KR":
        year = _KR_YEAR.match(body)
        if year:
            return year[2] + year[3].zfill(7)
        registration = _KR_REGISTRATION.match(body)
        if registration:
            return registration[1] + registration[2].zfill(7)
        if len(digits) == 13 and digits[:2] in ("10", "20") and digits[2:4] in ("19", "20"):
            return digits[2:]  # 1020190012345: the right type (patent, utility model) is not in the number
    digits = digits.lstrip("0") or "0"
    if country in _FIXED_WIDTH:
        digits = digits.zfill(_FIXED_WIDTH[country])
    return prefix + digits


def _full_year(yy: str) -> str:
    """A two-digit year of a WO number: 78-99 → 19xx, else 20xx (the PCT started in 1978)."""
    return ("19" if int(yy) >= 78 else "20") + yy.zfill(2)


def _is_country(text: str) -> bool:
    return len(text) == 2 and text.isascii() and text.isalpha() and text.isupper()


def _is_kind(text: str) -> bool:
    """A letter and an optional digit: A, B2, S1."""
    return (0 < len(text) <= 2 and text.isascii() and text[0].isalpha() and text[0].isupper()
            and (len(text) == 1 or text[1].isdigit()))


@dataclass(frozen=True, order=True)
class PublicationNumber:
    """A publication number such as ``US 7654321 B2`` or ``CN 114081026 A``.

    ``serial`` keeps US prefixes (``D`` design, ``RE`` reissue, ``PP`` plant) and JP era letters, and
    drops separators and meaningless leading zeros, so ``US07654321`` and ``US 7,654,321`` are one number
    (see the module documentation for the forms of each office).
    """

    country: str
    serial: str
    kind: str | None = None

    def __post_init__(self) -> None:
        # String methods first: a number is built for every cited document, and they cost a fraction
        # of a regular expression.
        if not _is_country(self.country):
            raise InvalidField("publication_number.country", self.country, "must be a two-letter ST.3 code")
        if not (self.serial.isascii() and self.serial.isdigit()) and not _SERIAL.fullmatch(self.serial):
            raise InvalidField("publication_number.serial", self.serial, "must be digits with an optional prefix")
        if self.kind is not None and not _is_kind(self.kind):
            raise InvalidField("publication_number.kind", self.kind, "kind code must be a letter and a digit")

    @classmethod
    def parse(cls, text: str, *, default_country: str | None = None) -> PublicationNumber:
        """Any printed form of a publication number; an application number (``ZL…``, ``….5``) is refused
        with a message saying so."""
        number = parse_number(text, default_country=default_country)
        if isinstance(number, ApplicationNumber):
            raise InvalidField("publication_number", text,
                               f"is an application number ({number.key}), not a publication number")
        return number

    @classmethod
    def from_parts(cls, country: str, serial: str, kind: str | None = None) -> PublicationNumber:
        """From the parts that office XML gives apart (``<country>``, ``<doc-number>``, ``<kind>``): plain
        digits go straight in, anything else through ``parse``."""
        if serial.isascii() and serial.isdigit() and _is_country(country) and (kind is None or _is_kind(kind)):
            return cls._normalised(country, serial, kind)
        return cls.parse(f"{country} {serial} {kind or ''}")

    @classmethod
    def _normalised(cls, country: str, serial: str, kind: str | None) -> PublicationNumber:
        if serial.isdigit() and _plain(country, len(serial)):  # the usual plain digits: the fast way
            digits = serial.lstrip("0") or "0"
            if country in _FIXED_WIDTH:
                digits = digits.zfill(_FIXED_WIDTH[country])
            return cls(country, digits, kind)
        if serial.isdigit():
            return cls.parse(f"{country}{serial}{kind or ''}")
        prefix = _SERIAL_PREFIX.match(serial)
        head = prefix[0] if prefix else ""
        return cls(country, _publication_serial(country, head, serial[len(head):]), kind)

    @property
    def compact(self) -> str:
        """The form used as the register key: ``US7654321B2``."""
        return f"{self.country}{self.serial}{self.kind or ''}"

    @property
    def without_kind(self) -> str:
        return f"{self.country}{self.serial}"

    def __str__(self) -> str:
        if self.serial.startswith("TM-"):  # a trademark's register key (domain.trademark) reads as itself
            return self.compact
        return f"{self.country} {self.serial}" + (f" {self.kind}" if self.kind else "")


_STRUCTURED = frozenset(("US", "WO", "JP", "KR"))  # serials that carry a year: not simply zero-stripped
_STRUCTURED_OR_CHECKED = _STRUCTURED | {"EP", "CN"}  # EP and CN: application numbers by their length
_COMPACT = re.compile(r"([A-Z]{2})(RE|PP|RX|AI|HX|[DHT])?([0-9]+)([A-Z][0-9]?)?")


def _plain(country: str, length: int) -> bool:
    """Whether a serial of ``length`` plain digits of ``country`` is only zero-stripped (or padded): not a
    year-and-serial form, nor an application number told apart by its length."""
    return (country not in _STRUCTURED_OR_CHECKED and country != "ZL" or country == "US" and length != 10
            or country == "EP" and length < 8 or country == "CN" and length != 12)
_SERIAL_PREFIX = re.compile(r"RE|PP|RX|AI|HX|[DHTSR](?=[0-9])")


# --- application (and priority) numbers -------------------------------------------------------------

@dataclass(frozen=True)
class ApplicationNumber:
    """An application or priority number: ``key`` is its canonical form, ``keys`` every form it is found
    by (a KR number with and without its right-type code)."""

    country: str
    serial: str

    @property
    def key(self) -> str:
        return f"{self.country}{self.serial}"

    @property
    def keys(self) -> tuple[str, ...]:
        if self.country == "KR" and len(self.serial) == 13 and self.serial[:2] in ("10", "20", "30", "40"):
            return self.key, f"KR{self.serial[2:]}"
        return (self.key,)

    @classmethod
    def parse(cls, text: str, *, default_country: str | None = None) -> ApplicationNumber:
        """Any printed form of an application number; ``default_country`` for a number printed without one
        (as priority claims are)."""
        pct = _PCT.match(unicodedata.normalize("NFKC", text).strip().upper())
        if pct:
            office, year, serial = pct.groups()
            return cls("WO", office + (_full_year(year) if len(year) == 2 else year) + serial.zfill(6))
        printed = _read(text)
        if printed is None:
            raise _invalid(text, "not an application number like 'CN 201810358967.5' or 'EP 01963450.0'",
                           "application_number")
        country = printed.country or default_country or _guess_country(printed)
        if country is None:
            raise _invalid(text, "no country code: write it first, e.g. 'US 16/123,456'", "application_number")
        if printed.kind and not printed.application:
            raise _invalid(text, f"has a kind code ({printed.kind}): a publication number, not an application "
                                 "number", "application_number")
        return cls(country, _application_serial(country, printed, text))


def _guess_country(printed: _Printed) -> str | None:
    """A number printed without a country that can only be Chinese: 12 digits with a valid check character."""
    digits = printed.digits
    if len(digits) == 12 and printed.check is not None and cn_check_character(digits) == printed.check:
        return "CN"
    return None


def _application_serial(country: str, p: _Printed, text: str) -> str:
    digits = p.digits
    if country == "CN":
        if len(digits) not in (8, 12):
            raise _invalid(text, "a Chinese application number has 12 digits (or 8 before 2003) and a check "
                                 "character, e.g. ZL201810358967.5", "application_number")
        if p.check is not None and cn_check_character(digits) != p.check:
            raise _invalid(text, f"wrong check character {p.check!r}: {digits} has check character "
                                 f"{cn_check_character(digits)!r}", "application_number")
        return digits
    if country == "US":
        series = _US_APPLICATION.match(p.body)
        if series:
            return series[1].zfill(2) + series[2] + series[3]
        return digits.zfill(8) if len(digits) <= 8 else digits
    if country == "EP":
        return digits.zfill(8)
    if country == "KR":
        year = _KR_YEAR.match(p.body)
        if year:
            return year[1] + year[2] + year[3].zfill(7)
        return digits
    if country == "JP":
        return _publication_serial("JP", p.prefix, p.body)
    if country == "WO":
        return p.prefix + _publication_serial("WO", "", p.body)
    return p.prefix + (digits.lstrip("0") or "0")


# --- either -----------------------------------------------------------------------------------------

def parse_number(text: str, *, default_country: str | None = None) -> PublicationNumber | ApplicationNumber:
    """A publication number, or an application number when its printed form says so (see the module doc);
    raises :class:`InvalidField` naming what is wrong."""
    trademark = _TRADEMARK_KEY.fullmatch(text.strip().upper())
    if trademark:
        return PublicationNumber(trademark[1], trademark[2])
    compact = _COMPACT.fullmatch(text)
    if compact:  # the register's own form (US7654321B2), as most numbers arrive: no printed form to read
        country, prefix, digits, kind = compact.groups()
        length = len(digits)
        if _plain(country, length):
            digits = digits.lstrip("0") or "0"
            if country in _FIXED_WIDTH:
                digits = digits.zfill(_FIXED_WIDTH[country])
            return PublicationNumber(country, (prefix or "") + digits, kind)
    if _PCT.match(unicodedata.normalize("NFKC", text).strip().upper()):
        return ApplicationNumber.parse(text)
    printed = _read(text)
    if printed is None:
        raise _invalid(text, "not a publication number like 'US 7654321 B2' or 'WO 2019/123456 A1'")
    country = printed.country or default_country or _guess_country(printed)
    if country is None:
        raise _invalid(text, "no country code: write it first, e.g. 'US 7654321 B2'")
    if _looks_like_application(printed, country):
        return ApplicationNumber.parse(text, default_country=country)
    if not _is_country(country):
        raise _invalid(text, "the country must be a two-letter ST.3 code")
    serial = _publication_serial(country, printed.prefix, printed.body)
    return PublicationNumber(country, serial, printed.kind)


def normalise_number_query(text: str) -> str:
    """Normalise a user-typed number to its compact form, kind code optional."""
    return PublicationNumber.parse(text).compact
