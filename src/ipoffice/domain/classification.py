"""IPC and CPC symbols (WIPO ST.8): parsing, validation and the normalised form ``H04W 72/04``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ipoffice.domain.errors import InvalidField


class Scheme(StrEnum):
    IPC = "IPC"
    CPC = "CPC"


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
