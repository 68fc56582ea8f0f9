"""Read the indicator definitions, the WIPO technology-field concordance and the applicant-type rules from
``ipoffice/rules/indicators/*.yaml`` (importlib.resources, so an installed package works).

Anything malformed raises ``IndicatorFileError`` naming the file, the key path and what was expected, e.g.
``definitions.yaml: granted.versions[0].params.grant_events: expected a list of event codes``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ipoffice.domain.applicant_types import ApplicantTypeRule, ApplicantTypes
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.indicators import MEASURES, DefinitionVersion, Indicator, IndicatorBook
from ipoffice.domain.population import PopulationFigure, PopulationTable
from ipoffice.domain.regions import Regions
from ipoffice.domain.technology_fields import TechnologyField, TechnologyFields


class _Loader(yaml.SafeLoader):
    """Dates stay strings, so that a bad date is reported with its key rather than by the YAML parser."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class IndicatorFileError(ValueError):
    def __init__(self, file: str, key: str, reason: str) -> None:
        self.file, self.key, self.reason = file, key, reason
        super().__init__(f"{file}: {key}: {reason}")


_CODE_LISTS = ("publication_events", "granted_kinds", "granted_sources", "grant_events", "end_events",
               "restore_events", "refusal_events", "revive_events", "lapse_events", "abandonment_events",
               "first_action_events", "recordal_types")


@dataclass(frozen=True)
class IndicatorCatalogue:
    book: IndicatorBook
    fields: TechnologyFields
    applicant_types: ApplicantTypes
    regions: Regions
    population: PopulationTable


def _date(file: str, key: str, raw: object) -> date:
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise IndicatorFileError(file, key, f"expected a date YYYY-MM-DD, got {raw!r}") from None


def _text(file: str, key: str, raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise IndicatorFileError(file, key, f"expected non-empty text, got {raw!r}")
    return raw.strip()


def _check_params(file: str, key: str, params: object) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise IndicatorFileError(file, key, f"expected a mapping, got {params!r}")
    for name in _CODE_LISTS:
        if name in params and not (isinstance(params[name], list) and all(isinstance(c, str) for c in params[name])):
            raise IndicatorFileError(file, f"{key}.{name}", f"expected a list of codes, got {params[name]!r}")
    if "quantile" in params and not (isinstance(params["quantile"], int | float)
                                     and not isinstance(params["quantile"], bool) and 0 < params["quantile"] < 1):
        raise IndicatorFileError(file, f"{key}.quantile", f"expected a number between 0 and 1, got "
                                                          f"{params['quantile']!r}")
    if "population" in params:
        for name in ("counts", "country", "right_type"):
            if not isinstance(params.get(name), str):
                raise IndicatorFileError(file, f"{key}.{name}", "a measure per population needs it (text)")
        if params["counts"] not in ("in_force", "high_value_invention"):
            raise IndicatorFileError(file, f"{key}.counts", f"expected in_force or high_value_invention, got "
                                                            f"{params['counts']!r}")
        if not isinstance(params.get("owners"), dict) or not isinstance(params["owners"].get("country"), str):
            raise IndicatorFileError(file, f"{key}.owners", "expected {country, excluding_regions: [...]}")
    for i, rule in enumerate(params.get("terms", [])):
        where = f"{key}.terms[{i}]"
        if not isinstance(rule, dict) or not isinstance(rule.get("years"), int) or rule.get("from") not in (
                "application_date", "grant_date"):
            raise IndicatorFileError(file, where,
                                     "expected {right_type, years: int, from: application_date|grant_date}")
        if "filed_before" in rule:
            rule["filed_before"] = _date(file, f"{where}.filed_before", rule["filed_before"])
    return params


def parse_definitions(file: str, text: str) -> IndicatorBook:
    document = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    if not isinstance(document, dict) or not isinstance(document.get("indicators"), dict):
        raise IndicatorFileError(file, "indicators", "expected a mapping of indicator names")
    indicators = []
    for name, spec in document["indicators"].items():
        if name not in MEASURES:
            raise IndicatorFileError(file, name, f"no measure computes it; known: {', '.join(MEASURES)}")
        if not isinstance(spec, dict) or not isinstance(spec.get("versions"), list) or not spec["versions"]:
            raise IndicatorFileError(file, f"{name}.versions", "expected a non-empty list of versions")
        title = spec.get("title") or {}
        versions = []
        for i, raw in enumerate(spec["versions"]):
            key = f"{name}.versions[{i}]"
            if not isinstance(raw, dict):
                raise IndicatorFileError(file, key, "expected a mapping")
            definition = raw.get("definition") or {}
            reviewed = raw.get("last_reviewed")
            versions.append(DefinitionVersion(
                effective_from=_date(file, f"{key}.effective_from", raw.get("effective_from")),
                reference=_text(file, f"{key}.reference", raw.get("reference")),
                definition_en=_text(file, f"{key}.definition.en", definition.get("en")),
                definition_zh=_text(file, f"{key}.definition.zh", definition.get("zh")),
                params=_check_params(file, f"{key}.params", raw.get("params", {})),
                link=raw.get("link"),
                last_reviewed=_date(file, f"{key}.last_reviewed", reviewed) if reviewed else None,
            ))
        indicators.append(Indicator(name, _text(file, f"{name}.unit", spec.get("unit")),
                                    _text(file, f"{name}.title.en", title.get("en")),
                                    _text(file, f"{name}.title.zh", title.get("zh")), tuple(versions)))
    try:
        return IndicatorBook(indicators)
    except InvalidField as exc:
        raise IndicatorFileError(file, exc.field, exc.reason) from None


def parse_fields(file: str, text: str) -> TechnologyFields:
    document = yaml.load(text, Loader=_Loader)
    if not isinstance(document, dict) or not isinstance(document.get("fields"), dict):
        raise IndicatorFileError(file, "fields", "expected a mapping of field numbers")
    source = document.get("source") or {}
    sectors = {int(k): (v["en"], v["zh"]) for k, v in (document.get("sectors") or {}).items()}
    fields: dict[int, TechnologyField] = {}
    entries: dict[str, int] = {}
    for number, spec in document["fields"].items():
        key = f"fields.{number}"
        if not isinstance(spec, dict) or spec.get("sector") not in sectors or not isinstance(spec.get("ipc"), list):
            raise IndicatorFileError(file, key, "expected {sector: <a listed sector>, en, zh, ipc: [...]}")
        fields[int(number)] = TechnologyField(int(number), spec["sector"], _text(file, f"{key}.en", spec.get("en")),
                                              _text(file, f"{key}.zh", spec.get("zh")))
        for entry in spec["ipc"]:
            if str(entry) in entries:
                raise IndicatorFileError(file, f"{key}.ipc", f"{entry} is also listed in field {entries[str(entry)]}")
            entries[str(entry)] = int(number)
    try:
        return TechnologyFields(fields, entries, _text(file, "source.reference", source.get("reference")), sectors)
    except InvalidField as exc:
        raise IndicatorFileError(file, exc.field, exc.reason) from None


def parse_applicant_types(file: str, text: str) -> ApplicantTypes:
    document = yaml.load(text, Loader=_Loader)
    if not isinstance(document, dict) or not isinstance(document.get("types"), list):
        raise IndicatorFileError(file, "types", "expected a list of rules")
    rules = []
    for i, spec in enumerate(document["types"]):
        key = f"types[{i}]"
        if not isinstance(spec, Mapping) or not isinstance(spec.get("patterns"), list):
            raise IndicatorFileError(file, key, "expected {type, zh, patterns: [...]}")
        try:
            rules.append(ApplicantTypeRule.of(_text(file, f"{key}.type", spec.get("type")),
                                              _text(file, f"{key}.zh", spec.get("zh")), spec["patterns"]))
        except InvalidField as exc:
            raise IndicatorFileError(file, f"{key}.{exc.field}", exc.reason) from None
    return ApplicantTypes(rules, _text(file, "fallback", document.get("fallback")),
                          _text(file, "reference", document.get("reference")))


def parse_regions(file: str, text: str) -> Regions:
    document = yaml.load(text, Loader=_Loader)
    if not isinstance(document, dict) or not isinstance(document.get("divisions"), dict):
        raise IndicatorFileError(file, "divisions", "expected a mapping of ISO 3166-2 codes")
    places: dict[str, list[str]] = {}
    for code, spec in document["divisions"].items():
        if not isinstance(spec, dict) or not all(isinstance(spec.get(k), list) for k in ("zh", "en")):
            raise IndicatorFileError(file, f"divisions.{code}", "expected {zh: [names], en: [names]}")
        places[str(code)] = [str(n) for n in spec["zh"] + spec["en"]]
    try:
        return Regions(_text(file, "country", document.get("country")), places,
                       _text(file, "reference", document.get("reference")))
    except InvalidField as exc:
        raise IndicatorFileError(file, f"{exc.field}.{exc.value}", exc.reason) from None


def parse_population(file: str, text: str) -> PopulationTable:
    """``countries: {CN: {scope, unit: "10000 persons" | "persons", values: [{date, value, source, link?}]}}``."""
    document = yaml.load(text, Loader=_Loader)
    if not isinstance(document, dict) or not isinstance(document.get("countries"), dict):
        raise IndicatorFileError(file, "countries", "expected a mapping of country codes")
    figures = []
    for country, spec in document["countries"].items():
        key = f"countries.{country}"
        if not isinstance(spec, dict) or not isinstance(spec.get("values"), list):
            raise IndicatorFileError(file, key, "expected {scope, unit, values: [...]}")
        factor = {"10000 persons": 10_000, "persons": 1}.get(str(spec.get("unit")))
        if factor is None:
            raise IndicatorFileError(file, f"{key}.unit", f"expected '10000 persons' or 'persons', got "
                                                          f"{spec.get('unit')!r}")
        for i, raw in enumerate(spec["values"]):
            where = f"{key}.values[{i}]"
            if not isinstance(raw, dict) or not isinstance(raw.get("value"), int) or isinstance(raw["value"], bool):
                raise IndicatorFileError(file, f"{where}.value", "expected a whole number")
            figures.append(PopulationFigure(
                str(country), _date(file, f"{where}.date", raw.get("date")), raw["value"] * factor,
                _text(file, f"{where}.source", raw.get("source")), _text(file, f"{key}.scope", spec.get("scope")),
                raw.get("link")))
    try:
        return PopulationTable(figures)
    except InvalidField as exc:
        raise IndicatorFileError(file, exc.field, exc.reason) from None


@cache
def packaged_rules_digest() -> str:
    """A digest of every packaged indicator file (definitions, concordance, applicant types, regions,
    population): what derived data built from them depends on."""
    folder = resources.files("ipoffice.rules").joinpath("indicators")
    texts = sorted((entry.name, entry.read_text("utf-8")) for entry in folder.iterdir() if entry.name.endswith(".yaml"))
    return hashlib.sha256(repr(texts).encode()).hexdigest()


def _packaged(name: str) -> str:
    return resources.files("ipoffice.rules").joinpath("indicators", name).read_text("utf-8")


@cache
def load_indicator_catalogue() -> IndicatorCatalogue:
    """The packaged definitions, technology fields, applicant-type rules and regions."""
    return IndicatorCatalogue(
        book=parse_definitions("indicators/definitions.yaml", _packaged("definitions.yaml")),
        fields=parse_fields("indicators/technology_fields.yaml", _packaged("technology_fields.yaml")),
        applicant_types=parse_applicant_types("indicators/applicant_types.yaml", _packaged("applicant_types.yaml")),
        regions=parse_regions("indicators/regions.yaml", _packaged("regions.yaml")),
        population=parse_population("indicators/population.yaml", _packaged("population.yaml")),
    )
