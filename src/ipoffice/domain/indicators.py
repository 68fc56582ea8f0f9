"""Indicator definitions as dated data, and the shape of an indicator query (issue #18).

An indicator (``granted``, ``in_force``, ``pendency_days_median`` …) has versions, each with the date it
applies from, its published reference and the parameters the engine reads (event codes, kind codes, terms).
A change of definition is a new version; old versions stay computable: a query names the definition date
(default: its as-of date) and every figure is computed under the version in force that day::

    book.version("granted", on=date(2015, 12, 31)).reference
    IndicatorQuery.parse(by="year,country", measures="granted,pendency_days_median", as_of=date(2015, 12, 31))

The definitions live in ``ipoffice/rules/indicators/definitions.yaml`` (loaded by
``ipoffice.adapters.indicators_loader``); the figures come from ``ipoffice.adapters.indicator_engine``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.offices import OfficeLevel

MEASURES: tuple[str, ...] = (
    "applications", "published", "granted", "in_force", "lapsed", "abandoned",
    "pendency_days_median", "pendency_days_p90",
    "first_action_pendency_days_median", "first_action_pendency_days_p90",
    "grant_rate", "abandonment_rate", "high_value_invention",
    "invention_patents_per_10k_population", "high_value_invention_per_10k_population",
    "transfers", "licences", "pledges", "open_licences", "pledges_in_force", "open_licences_in_force",
)
"""Measures the engine computes; each is an indicator of the same name in the definitions."""

DIMENSIONS: tuple[str, ...] = (
    "year", "country", "office", "right_type", "ipc_section", "ipc_class", "ipc_subclass", "field", "region",
    "applicant_type",
)
"""Dimensions to group by. ``ipc_class`` is the first IPC/CPC symbol's class (``H04``), ``ipc_subclass`` its
subclass (``H04L``). ``office@<level>`` (``office@provincial``) groups by the handling office's
ancestor at that level of the office hierarchy."""

OFFICE_LEVEL_DIMENSIONS: tuple[str, ...] = tuple(f"office@{level.value}" for level in OfficeLevel)

MAX_DIMENSIONS = 4


@dataclass(frozen=True)
class DefinitionVersion:
    """One version of an indicator's definition, in force from ``effective_from``."""

    effective_from: date
    reference: str
    definition_en: str
    definition_zh: str
    params: Mapping[str, Any] = field(default_factory=dict)
    link: str | None = None
    last_reviewed: date | None = None


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str
    title_en: str
    title_zh: str
    versions: tuple[DefinitionVersion, ...]  # oldest first

    def version(self, on: date) -> DefinitionVersion:
        in_force = [v for v in self.versions if v.effective_from <= on]
        if not in_force:
            first = self.versions[0].effective_from.isoformat()
            raise InvalidField("definition_date", on.isoformat(),
                               f"indicator {self.name!r} is defined from {first} only")
        return in_force[-1]


class IndicatorBook:
    """Every indicator with its dated versions. Immutable."""

    def __init__(self, indicators: Iterable[Indicator]) -> None:
        self._indicators: dict[str, Indicator] = {}
        for indicator in indicators:
            if indicator.name in self._indicators:
                raise InvalidField("indicators", indicator.name, "defined twice")
            if not indicator.versions:
                raise InvalidField(f"{indicator.name}.versions", [], "needs at least one version")
            dates = [v.effective_from for v in indicator.versions]
            if dates != sorted(dates) or len(set(dates)) != len(dates):
                raise InvalidField(f"{indicator.name}.versions", [d.isoformat() for d in dates],
                                   "versions must be listed oldest first, one per date")
            self._indicators[indicator.name] = indicator

    @property
    def names(self) -> list[str]:
        return list(self._indicators)

    def __iter__(self) -> Any:
        return iter(self._indicators.values())

    def get(self, name: str) -> Indicator:
        try:
            return self._indicators[name]
        except KeyError:
            raise InvalidField("measure", name, f"unknown indicator; known: {', '.join(self._indicators)}") from None

    def version(self, name: str, on: date) -> DefinitionVersion:
        return self.get(name).version(on)


def _names(field_name: str, text: str | Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    items = [s.strip() for s in (text.split(",") if isinstance(text, str) else text)]
    items = [s for s in items if s]
    unknown = [s for s in items if s not in allowed]
    if unknown:
        raise InvalidField(field_name, ",".join(unknown), f"unknown; choose from {', '.join(allowed)}")
    if len(set(items)) != len(items):
        raise InvalidField(field_name, ",".join(items), "names a value twice")
    return tuple(items)


@dataclass(frozen=True)
class IndicatorQuery:
    """What to compute: measures grouped by dimensions, as the register stood on ``as_of``, under the
    definitions in force on ``definition_date`` (default: ``as_of``)."""

    by: tuple[str, ...]
    measures: tuple[str, ...]
    as_of: date
    definition_date: date | None = None

    @property
    def definitions_on(self) -> date:
        return self.definition_date or self.as_of

    @classmethod
    def parse(cls, by: str | Sequence[str], measures: str | Sequence[str], as_of: date,
              definition_date: date | None = None) -> IndicatorQuery:
        """Raises InvalidField naming ``by`` or ``measure`` for an unknown or repeated name."""
        dims = _names("by", by, DIMENSIONS + OFFICE_LEVEL_DIMENSIONS)
        if len(dims) > MAX_DIMENSIONS:
            raise InvalidField("by", ",".join(dims), f"at most {MAX_DIMENSIONS} dimensions")
        wanted = _names("measure", measures, MEASURES)
        if not wanted:
            raise InvalidField("measure", "", f"name at least one of {', '.join(MEASURES)}")
        return cls(dims, wanted, as_of, definition_date)
