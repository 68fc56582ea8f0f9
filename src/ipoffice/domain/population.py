"""Population as dated reference data, for indicators per 10,000 population (issue #18), with the published
source of every value (``ipoffice/rules/indicators/population.yaml``)::

    table.figure("CN", on=date(2024, 6, 30))   # the year-end 2023 figure: 1,409,670,000 persons, NBS …
    table.figure("CN", on=date(2020, 6, 30))   # None: no figure dated on or before that day

A figure counts from its reference date (year-end figures from 31 December) until the next one; an indicator
as of a date divides by the latest figure dated on or before it, as CNIPA's per-10,000-population figures divide
the year-end count by the year-end population."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ipoffice.domain.errors import InvalidField


@dataclass(frozen=True)
class PopulationFigure:
    country: str
    on: date  # the reference date of the count (year-end: 31 December)
    persons: int
    source: str  # the publication the value is taken from: publisher, title, date of publication
    scope: str  # who is counted (e.g. the 31 provinces and the armed forces, without Hong Kong, Macao, Taiwan)
    link: str | None = None


class PopulationTable:
    """Every figure by country and reference date. Immutable; raises InvalidField for a repeated date or a
    count that is not positive."""

    def __init__(self, figures: Iterable[PopulationFigure]) -> None:
        self._by_country: dict[str, list[PopulationFigure]] = {}
        for figure in figures:
            if figure.persons <= 0:
                raise InvalidField(f"{figure.country}.{figure.on.isoformat()}", figure.persons,
                                   "expected a positive number of persons")
            dated = self._by_country.setdefault(figure.country, [])
            if any(f.on == figure.on for f in dated):
                raise InvalidField(f"{figure.country}.{figure.on.isoformat()}", figure.persons, "given twice")
            dated.append(figure)
        for dated in self._by_country.values():
            dated.sort(key=lambda f: f.on)

    @property
    def countries(self) -> list[str]:
        return sorted(self._by_country)

    def figures(self, country: str) -> list[PopulationFigure]:
        return list(self._by_country.get(country, []))

    def figure(self, country: str, on: date) -> PopulationFigure | None:
        """The latest figure of ``country`` dated on or before ``on``; None when there is none."""
        earlier = [f for f in self._by_country.get(country, []) if f.on <= on]
        return earlier[-1] if earlier else None


def per_10k(count: int, figure: PopulationFigure) -> float:
    """``count`` per 10,000 persons, unrounded (CNIPA publishes one decimal, e.g. 11.8; a register of a few
    thousand rights gives figures far below 0.1, so rounding is left to the reader)."""
    return count * 10_000 / figure.persons
