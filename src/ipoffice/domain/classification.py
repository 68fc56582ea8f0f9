"""Classification symbols: IPC and CPC (WIPO ST.8, normalised ``H04W 72/04``), Locarno for designs
(``02-01``: class and subclass) and the US Patent Classification (``D2/700``, ``424/94.1``: class and
subclass), parsing, validation and normalised forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ipoffice.domain.errors import InvalidField


class Scheme(StrEnum):
    IPC = "IPC"
    CPC = "CPC"
    LOCARNO = "LOCARNO"  # industrial designs (Locarno Agreement): class-subclass, "02-01"
    USPC = "USPC"  # US Patent Classification: class/subclass, "D2/700", "2/322", "424/94.1"

    @property
    def is_ipc_like(self) -> bool:
        """IPC and CPC share the symbol syntax (section, class, subclass, groups)."""
        return self in (Scheme.IPC, Scheme.CPC)


class Level(StrEnum):
    SECTION = "section"
    CLASS = "class"
    SUBCLASS = "subclass"
    MAIN_GROUP = "main_group"
    SUBGROUP = "subgroup"


# Accepts the forms found in office data:
#   "H04W 72/04", "H04W72/04", "H04W  72/0406" (v4 XML), "H04W0072040000" (ST.8 fixed width),
#   "H04L 12/28 20060101AFI20051220BHEP" (EP/IPCR text with version and flags).
_SPACED = re.compile(r"^(?P<sub>[A-HY]\d{2}[A-Z])\s*(?P<main>\d{1,4})\s*/\s*(?P<sg>\d{1,6})(?:\s+.*)?$")
_FIXED = re.compile(r"^(?P<sub>[A-HY]\d{2}[A-Z])(?P<main>\d{4})(?P<sg>\d{6})(?:\s+.*)?$")
_PARTIAL = re.compile(r"^(?P<sub>[A-HY](?:\d{2}(?:[A-Z])?)?)$")


@dataclass(frozen=True, order=True)
class ClassificationSymbol:
    """A classification symbol down to any level: section ``H`` … subgroup ``H04W 72/04``."""

    section: str
    class_: str | None = None  # two digits
    subclass: str | None = None  # one letter
    main_group: str | None = None  # digits, no leading zeros
    subgroup: str | None = None  # digits, at least two ("00" for a main group)

    @classmethod
    def parse(cls, text: str, *, field: str = "classification") -> ClassificationSymbol:
        raw = re.sub(r"\s+", " ", text.strip().upper())
        # Old US/IPC text sometimes starts with the edition digit: "7H04Q 7/20".
        if re.match(r"^\d[A-HY]\d{2}[A-Z]", raw):
            raw = raw[1:]
        m = _FIXED.match(raw) or _SPACED.match(raw)
        if m:
            sub = m["sub"]
            main = m["main"].lstrip("0") or "0"
            sg = m["sg"]
            if m.re is _FIXED:
                sg = sg.rstrip("0")
            sg = sg.ljust(2, "0")
            if main == "0":
                raise InvalidField(field, text, "main group must not be 0")
            return cls(sub[0], sub[1:3], sub[3], main, sg)
        p = _PARTIAL.match(raw.replace(" ", ""))
        if p:
            s = p["sub"]
            return cls(s[0], s[1:3] or None, s[3:4] or None)
        raise InvalidField(field, text, "not an IPC/CPC symbol like 'H04W 72/04'")

    @property
    def level(self) -> Level:
        if self.subgroup is not None:
            return Level.MAIN_GROUP if self.subgroup == "00" else Level.SUBGROUP
        if self.subclass is not None:
            return Level.SUBCLASS
        if self.class_ is not None:
            return Level.CLASS
        return Level.SECTION

    @property
    def subclass_symbol(self) -> str | None:
        if self.subclass is None:
            return None
        return f"{self.section}{self.class_}{self.subclass}"

    @property
    def main_group_symbol(self) -> str | None:
        if self.main_group is None:
            return None
        return f"{self.subclass_symbol} {self.main_group}/00"

    @property
    def compact(self) -> str:
        """The form of the scheme files: ``H04W72/04``."""
        return str(self).replace(" ", "")

    def ancestors(self) -> list[str]:
        """Normalised symbols of every enclosing level, broadest first (not the symbol itself)."""
        out = [self.section]
        if self.class_:
            out.append(self.section + self.class_)
        if self.subclass:
            out.append(f"{self.section}{self.class_}{self.subclass}")
        if self.subgroup is not None and self.subgroup != "00":
            out.append(f"{self.subclass_symbol} {self.main_group}/00")
        return [s for s in out if s != str(self)]

    def __str__(self) -> str:
        head = self.section + (self.class_ or "") + (self.subclass or "")
        if self.main_group is None:
            return head
        return f"{head} {self.main_group}/{self.subgroup}"


def normalise_symbol(text: str, *, field: str = "classification") -> str:
    """``'H04W0072040000'`` → ``'H04W 72/04'``; raises InvalidField naming ``field``."""
    return str(ClassificationSymbol.parse(text, field=field))


# --- Locarno -----------------------------------------------------------------------------------------

_LOCARNO = re.compile(
    r"^(?:LOC(?:ARNO)?\s*(?:\(\s*\d{1,2}\s*\))?\s*:?\s*)?"  # "LOC (10)": the edition
    r"(?:CL\.?\s*)?(?:(?P<cls4>\d{2})(?P<fixed>\d{2})|(?P<cls>\d{1,2})(?:\s*[-./\s]\s*(?P<sub>\d{1,2}))?)$")


def normalise_locarno(text: str, *, field: str = "classification.locarno") -> str:
    """A Locarno class or subclass: ``"0201"`` (as USPTO XML writes it), ``"02-01"``, ``"2.1"``,
    ``"Cl. 02-01"``, ``"LOC (10) Cl. 02-01"`` (as printed on a US design patent) → ``"02-01"``; a class
    alone (``"2"``) → ``"02"``. Raises InvalidField."""
    m = _LOCARNO.match(text.strip().upper())
    cls = m and (m["cls"] or m["cls4"])
    if not m or not cls or not 1 <= int(cls) <= 99:
        raise InvalidField(field, text, "not a Locarno class like '02' or subclass like '02-01'")
    head = f"{int(cls):02d}"
    sub = m["sub"] or m["fixed"]
    return head if sub is None else f"{head}-{int(sub):02d}"


# --- USPC --------------------------------------------------------------------------------------------

_USPC_CLASS = re.compile(r"^(?:D|PLT|G9B|[A-Z]?)\d{0,3}$")
_USPC_SUBCLASS = re.compile(r"^(?P<main>[A-Z]{0,3}\d{1,3}|[A-Z]{3})(?:\.?(?P<decimals>\d+))?(?P<alpha>[A-Z]*)$")


def normalise_uspc(text: str, *, field: str = "classification.uspc") -> str:
    """A US Patent Classification symbol, ``class/subclass``, from the form USPTO XML writes: three
    characters of class and three of subclass, each right-aligned, then the subclass's decimals or
    letters (``"D 2700"`` → ``D2/700``, ``"  2322"`` → ``2/322``, ``"424 941"`` → ``424/94.1``,
    ``"7245306"`` → ``72/453.06``, ``" 12142 E"`` → ``12/142E``), or already slashed (``"428/220"``); a
    class alone (``"D2"``, ``"424"``) is kept as the class. Raises InvalidField."""
    raw = text.rstrip().upper()
    if "/" in raw:
        cls, _, sub = (part.strip() for part in raw.partition("/"))
    elif len(raw.strip()) <= 3:
        cls, sub = raw.strip(), ""
    else:
        # Six characters at least; files re-indented by hand lost the leading spaces ("4675" = 4/675).
        raw = raw.rjust(6)
        cls, sub = raw[:3], raw[3:6].strip() + ("." + raw[6:].strip() if raw[6:].strip().isdigit() else
                                               raw[6:].replace(" ", ""))
    cls = cls.replace(" ", "")
    cls = (cls.rstrip("0123456789") + str(int(digits))) if (digits := cls.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) \
        and digits.isdigit() else cls
    if not cls or not _USPC_CLASS.match(cls):
        raise InvalidField(field, text, "not a US class/subclass like 'D2/700' or '424/94.1'")
    if not sub:
        return cls
    m = _USPC_SUBCLASS.match(sub.replace(" ", ""))
    if not m:
        raise InvalidField(field, text, "not a US class/subclass like 'D2/700' or '424/94.1'")
    main = m["main"]
    if main.isdigit():
        main = str(int(main))
    decimals = (m["decimals"] or "").rstrip("0")
    return f"{cls}/{main}{'.' + decimals if decimals else ''}{m['alpha']}"


def normalise_in_scheme(scheme: Scheme, text: str, *, field: str | None = None) -> str:
    """The normalised symbol of ``text`` in ``scheme``; raises InvalidField naming ``field``."""
    name = field or f"classification.{scheme.lower()}"
    if scheme == Scheme.LOCARNO:
        return normalise_locarno(text, field=name)
    if scheme == Scheme.USPC:
        return normalise_uspc(text, field=name)
    return normalise_symbol(text, field=name)


def scheme_keys(scheme: Scheme, symbol: str) -> list[str]:
    """The search keys of a Locarno or USPC symbol, every level a query can name: ``02-01`` → 02, 02-01;
    ``424/94.1`` → 424, 424/94, 424/94.1. (IPC and CPC keys: the search index's own.)"""
    if scheme == Scheme.LOCARNO:
        head, _, sub = symbol.partition("-")
        return [head, symbol] if sub else [head]
    if scheme == Scheme.USPC:
        cls, _, sub = symbol.partition("/")
        keys = [cls]
        main = re.match(r"[A-Z]*\d+", sub)
        if main and main.group(0) != sub:
            keys.append(f"{cls}/{main.group(0)}")
        if sub:
            keys.append(symbol)
        return keys
    return []
