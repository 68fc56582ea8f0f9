"""WIPO's 35 technology fields (5 sectors) from IPC symbols, by the IPC - Technology Concordance kept as data
(``ipoffice/rules/indicators/technology_fields.yaml``, with its source).

The concordance lists subclasses (``H04L``) and main groups (``H04N 21``); the most specific entry wins, so
``G01N 33/53`` is field 11 (analysis of biological materials) while the rest of ``G01N`` is field 10::

    fields.field_of("H04N 21/431")   # 4 (digital communication)
    fields.field_of("H04N 5/225")    # 2 (audio-visual technology)
    fields.field_of("Z99Z")          # None
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ipoffice.domain.errors import InvalidField

_ENTRY = re.compile(r"^([A-H]\d\d[A-Z])(?:\s*(\d{1,4}))?$")
_SYMBOL = re.compile(r"^\s*([A-H]\d\d[A-Z])\s*(?:(\d{1,4})\s*(?:/.*)?)?$")


@dataclass(frozen=True)
class TechnologyField:
    number: int
    sector: int
    name_en: str
    name_zh: str


class TechnologyFields:
    def __init__(self, fields: Mapping[int, TechnologyField], entries: Mapping[str, int], reference: str,
                 sectors: Mapping[int, tuple[str, str]]) -> None:
        self.fields = dict(fields)
        self.reference = reference
        self.sectors = dict(sectors)
        self._by_key: dict[tuple[str, str | None], int] = {}
        for entry, number in entries.items():
            match = _ENTRY.match(entry.strip())
            if match is None:
                raise InvalidField("fields.ipc", entry, "expected an IPC subclass (H04L) or main group (H04N 21)")
            if number not in self.fields:
                raise InvalidField("fields.ipc", entry, f"names unknown field {number}")
            key = (match.group(1), str(int(match.group(2))) if match.group(2) else None)
            if key in self._by_key:
                raise InvalidField("fields.ipc", entry, f"listed in field {self._by_key[key]} and {number}")
            self._by_key[key] = number

    @property
    def entries(self) -> dict[tuple[str, str | None], int]:
        return dict(self._by_key)

    def field_of(self, symbol: str | None) -> int | None:
        """The field number (1-35) of an IPC/CPC symbol, or None when the concordance does not cover it."""
        match = _SYMBOL.match(symbol or "")
        if match is None:
            return None
        subclass, group = match.group(1), match.group(2)
        if group is not None:
            found = self._by_key.get((subclass, str(int(group))))
            if found is not None:
                return found
        return self._by_key.get((subclass, None))
