"""Region of an applicant (the ``region`` dimension): the country, refined to the province-level division for
applicants of one country (China) whose name begins with the division or one of its cities, by data kept in
``ipoffice/rules/indicators/regions.yaml`` (ISO 3166-2 codes)::

    regions.region_of("江苏恒瑞医药股份有限公司", "CN")          # "CN-JS"
    regions.region_of("Suzhou Lianhe Optics Co., Ltd.", None)   # "CN-JS" (a place of the refined country)
    regions.region_of("Microsoft Corporation", "US")            # "US"

Chinese names match on their first characters (中国科学院 is no province: 中国 is not a place of the list);
Latin-script names on their first word(s), whole words only ("Jilin University" but not "Jilinx")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ipoffice.domain.errors import InvalidField


class Regions:
    def __init__(self, country: str, places: Mapping[str, Sequence[str]], reference: str) -> None:
        """``places``: division code -> its names and the names of its cities (Chinese or Latin script)."""
        self.country = country
        self.reference = reference
        self._han: list[tuple[str, str]] = []
        latin: list[tuple[str, str]] = []
        for code, names in places.items():
            if not code.startswith(f"{country}-"):
                raise InvalidField("divisions", code, f"expected an ISO 3166-2 code of {country}")
            for name in names:
                (latin if name.isascii() else self._han).append((name, code))
        self._han.sort(key=lambda item: -len(item[0]))  # 黑龙江 before any shorter place
        self._latin = re.compile(
            r"^(" + "|".join(re.escape(n) for n, _ in sorted(latin, key=lambda i: -len(i[0]))) + r")\b",
            re.IGNORECASE) if latin else None
        self._latin_codes = {n.lower(): code for n, code in latin}

    @property
    def codes(self) -> list[str]:
        return sorted({code for _, code in self._han} | set(self._latin_codes.values()))

    def division_of(self, name: str | None) -> str | None:
        text = (name or "").strip()
        for place, code in self._han:
            if text.startswith(place):
                return code
        if self._latin is not None:
            found = self._latin.match(text)
            if found:
                return self._latin_codes[found.group(1).lower()]
        return None

    def region_of(self, name: str | None, country: str | None) -> str | None:
        """The division when the applicant is of this country (or gives none) and the name begins with a
        place of it; else the applicant's country (None when unknown)."""
        if country in (None, "", self.country):
            division = self.division_of(name)
            if division is not None:
                return division
        return country or None
