"""Indicators use case (issue #18): validate a query, compute it as of a date under the dated definitions,
list the definitions with their references.

``IndicatorService.compute(by="year,country", measures="granted", as_of=None)`` returns the groups; bad input
raises ``InvalidField`` naming ``by``, ``measure``, ``as_of`` or ``definition_date``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from ipoffice.adapters.indicator_engine import IndicatorEngine, IndicatorResult
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.indicators import IndicatorQuery
from ipoffice.domain.population import PopulationFigure

EARLIEST = date(1790, 1, 1)  # the register's dates start here (domain.document validation)


class IndicatorService:
    def __init__(self, engine: IndicatorEngine, today: Callable[[], date] = date.today) -> None:
        self.engine = engine
        self.today = today

    @property
    def catalogue(self) -> Any:
        return self.engine.catalogue

    def query(self, by: str | Sequence[str], measures: str | Sequence[str], as_of: date | None = None,
              definition_date: date | None = None) -> IndicatorQuery:
        today = self.today()
        for name, value in (("as_of", as_of), ("definition_date", definition_date)):
            if value is not None and not (EARLIEST <= value <= today):
                raise InvalidField(name, value.isoformat(), f"must be between {EARLIEST} and today ({today})")
        query = IndicatorQuery.parse(by, measures, as_of or today, definition_date)
        for measure in query.measures:  # fail before computing: every measure has a version that day
            self.catalogue.book.version(measure, query.definitions_on)
        return query

    def compute(self, by: str | Sequence[str], measures: str | Sequence[str], as_of: date | None = None,
                definition_date: date | None = None) -> IndicatorResult:
        return self.engine.compute(self.query(by, measures, as_of, definition_date))

    def compute_many(self, requests: Sequence[tuple[str | Sequence[str], str | Sequence[str], date | None,
                                                    date | None]]) -> list[IndicatorResult]:
        """Several ``(by, measures, as_of, definition_date)`` at once, of one state of the register (a page's
        charts); every request is validated before any is computed."""
        return self.engine.compute_many([self.query(*request) for request in requests])

    def definitions(self) -> list[dict[str, Any]]:
        """Every indicator with each of its versions: dates, reference, definition (en/zh), parameters."""
        out = []
        for indicator in self.catalogue.book:
            out.append({
                "name": indicator.name, "unit": indicator.unit,
                "title": {"en": indicator.title_en, "zh": indicator.title_zh},
                "versions": [{
                    "effective_from": v.effective_from.isoformat(), "reference": v.reference, "link": v.link,
                    "last_reviewed": v.last_reviewed.isoformat() if v.last_reviewed else None,
                    "definition": {"en": v.definition_en, "zh": v.definition_zh}, "params": _jsonable(v.params),
                } for v in indicator.versions],
            })
        fields = self.catalogue.fields
        types = self.catalogue.applicant_types
        out.append({"name": "field", "dimension": True, "reference": fields.reference,
                     "values": {n: {"en": f.name_en, "zh": f.name_zh, "sector": f.sector}
                                for n, f in sorted(fields.fields.items())}})
        out.append({"name": "applicant_type", "dimension": True, "reference": types.reference,
                    "values": types.types})
        population = self.catalogue.population
        out.append({"name": "population", "reference_data": True, "values": {
            country: [_figure(f) for f in population.figures(country)] for country in population.countries}})
        return out

    def used_definitions(self, result: IndicatorResult) -> dict[str, dict[str, str]]:
        return {m: {"effective_from": v.effective_from.isoformat(), "reference": v.reference}
                for m, v in result.definitions.items()}

    @staticmethod
    def used_populations(result: IndicatorResult) -> dict[str, dict[str, Any] | None]:
        """Measure per population -> the figure it divided by (date, persons, source), None when none."""
        return {m: None if f is None else _figure(f) for m, f in result.populations.items()}


def _figure(figure: PopulationFigure) -> dict[str, Any]:
    return {"country": figure.country, "date": figure.on.isoformat(), "persons": figure.persons,
            "source": figure.source, "scope": figure.scope, "link": figure.link}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
