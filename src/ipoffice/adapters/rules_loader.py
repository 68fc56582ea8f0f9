"""Read the dated rules of a jurisdiction (``ipoffice/rules/<jurisdiction>/*.yaml``) into a RuleBook.

A rules file holds ``parameters`` (name → ``values``: a list of ``effective_from``/``value``/
``reference``) and/or a ``calendar`` (explicit holiday ranges per year, or rule-based holidays
computed for a range of years, plus one-off closures). Files are found with importlib.resources,
so this works from an installed package. A malformed file raises ``RulesFileError`` naming the
file and the key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from ipoffice.domain.rules import DatedValue, RuleBook
from ipoffice.domain.time_limits import OfficeCalendar, nth_weekday, observed

JURISDICTIONS = ("cn", "us")


class _RulesYamlLoader(yaml.SafeLoader):
    """Dates stay strings, so that a bad date is reported with its key rather than by the YAML parser."""


_RulesYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class RulesFileError(ValueError):
    def __init__(self, file: str, key: str, reason: str) -> None:
        self.file = file
        self.key = key
        super().__init__(f"{file}: {key}: {reason}")


def rules_directory(jurisdiction: str) -> Traversable:
    if jurisdiction not in JURISDICTIONS:
        raise ValueError(f"jurisdiction: unknown {jurisdiction!r}; known: {', '.join(JURISDICTIONS)}")
    return resources.files("ipoffice.rules").joinpath(jurisdiction)


@cache
def load_rules(jurisdiction: str) -> RuleBook:
    """The RuleBook of ``jurisdiction`` ("cn" or "us") from the packaged YAML files."""
    folder = rules_directory(jurisdiction)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    return load_rule_files(jurisdiction, ((f"{jurisdiction}/{f.name}", f.read_text("utf-8")) for f in files))


def load_rule_paths(jurisdiction: str, paths: Iterable[Path]) -> RuleBook:
    return load_rule_files(jurisdiction, ((str(p), p.read_text("utf-8")) for p in paths))


def load_rule_files(jurisdiction: str, named_texts: Iterable[tuple[str, str]]) -> RuleBook:
    parameters: dict[str, list[DatedValue]] = {}
    calendar = OfficeCalendar()
    for file, text in named_texts:
        try:
            document = yaml.load(text, Loader=_RulesYamlLoader)  # a SafeLoader subclass
        except yaml.YAMLError as exc:
            raise RulesFileError(file, "(document)", f"invalid YAML: {exc}") from None
        if not isinstance(document, dict):
            raise RulesFileError(file, "(document)", "must be a mapping")
        declared = document.get("jurisdiction")
        if declared != jurisdiction:
            raise RulesFileError(file, "jurisdiction", f"is {declared!r}, expected {jurisdiction!r}")
        unknown = set(document) - {"jurisdiction", "parameters", "calendar"}
        if unknown:
            raise RulesFileError(file, sorted(unknown)[0], "unknown top-level key")
        for name, spec in (document.get("parameters") or {}).items():
            if name in parameters:
                raise RulesFileError(file, str(name), "parameter defined in two files")
            parameters[str(name)] = _parameter(file, str(name), spec)
        if "calendar" in document:
            calendar = calendar.merged(_calendar(file, document["calendar"]))
    try:
        return RuleBook(jurisdiction, parameters, calendar)
    except ValueError as exc:
        raise RulesFileError(jurisdiction, "parameters", str(exc)) from None


def _parameter(file: str, name: str, spec: Any) -> list[DatedValue]:
    if not isinstance(spec, dict) or not isinstance(spec.get("values"), list) or not spec["values"]:
        raise RulesFileError(file, name, "needs a non-empty 'values' list")
    values = []
    for index, item in enumerate(spec["values"]):
        key = f"{name}.values[{index}]"
        if not isinstance(item, dict):
            raise RulesFileError(file, key, "must be a mapping")
        missing = {"effective_from", "value", "reference"} - set(item)
        if missing:
            raise RulesFileError(file, key, f"missing {', '.join(sorted(missing))}")
        extra = set(item) - {"effective_from", "value", "reference", "until"}
        if extra:
            raise RulesFileError(file, key, f"unknown key(s) {', '.join(sorted(extra))}")
        reference = item["reference"]
        if not isinstance(reference, str) or not reference.strip():
            raise RulesFileError(file, f"{key}.reference", "must be a non-empty legal reference")
        until = item.get("until")
        values.append(
            DatedValue(
                effective_from=_date(file, f"{key}.effective_from", item["effective_from"]),
                value=item["value"],
                reference=reference.strip(),
                until=None if until is None else _date(file, f"{key}.until", until),
            )
        )
    return values


def _date(file: str, key: str, raw: Any) -> date:
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise RulesFileError(file, key, f"must be a date YYYY-MM-DD (got {raw!r})")


def _calendar(file: str, spec: Any) -> OfficeCalendar:
    if not isinstance(spec, dict):
        raise RulesFileError(file, "calendar", "must be a mapping")
    holidays: dict[date, str] = {}
    working: set[date] = set()
    years: set[int] = set()
    for year, entry in (spec.get("years") or {}).items():
        key = f"calendar.years.{year}"
        if not isinstance(entry, dict) or "reference" not in entry:
            raise RulesFileError(file, key, "needs 'holidays' and a 'reference'")
        years.add(int(year))
        for index, item in enumerate(entry.get("holidays") or []):
            item_key = f"{key}.holidays[{index}]"
            if not isinstance(item, dict) or not {"from", "to", "name"} <= set(item):
                raise RulesFileError(file, item_key, "needs from, to and name")
            day, last = _date(file, f"{item_key}.from", item["from"]), _date(file, f"{item_key}.to", item["to"])
            if last < day:
                raise RulesFileError(file, item_key, "'to' is before 'from'")
            while day <= last:
                holidays[day] = str(item["name"])
                day += timedelta(days=1)
        for index, raw in enumerate(entry.get("working_days") or []):
            working.add(_date(file, f"{key}.working_days[{index}]", raw))
    if "rule_holidays" in spec:
        span = spec.get("covered_years")
        if not isinstance(span, dict) or not {"from", "to"} <= set(span):
            raise RulesFileError(file, "calendar.covered_years", "needs from and to")
        covered = range(int(span["from"]), int(span["to"]) + 1)
        years.update(covered)
        for index, rule in enumerate(spec["rule_holidays"]):
            holidays.update(_rule_holidays(file, f"calendar.rule_holidays[{index}]", rule, covered))
    for index, item in enumerate(spec.get("extra_closures") or []):
        key = f"calendar.extra_closures[{index}]"
        if not isinstance(item, dict) or "date" not in item or "reference" not in item:
            raise RulesFileError(file, key, "needs date and reference")
        holidays[_date(file, f"{key}.date", item["date"])] = str(item.get("name", "closure"))
    return OfficeCalendar(
        holidays=frozenset(holidays),
        working_weekend_days=frozenset(working),
        holiday_names=holidays,
        covered_years=frozenset(years),
    )


def _rule_holidays(file: str, key: str, rule: Any, years: range) -> Mapping[date, str]:
    if not isinstance(rule, dict) or "name" not in rule or "month" not in rule or "reference" not in rule:
        raise RulesFileError(file, key, "needs name, month and reference")
    name, month = str(rule["name"]), int(rule["month"])
    result: dict[date, str] = {}
    for year in years:
        if year < int(rule.get("from_year", years.start)):
            continue
        if "every_years" in rule and (year - int(rule["first_year"])) % int(rule["every_years"]):
            continue
        if "day" in rule:
            actual = date(year, month, int(rule["day"]))
            if rule.get("sunday_to_monday_only"):
                day = actual + timedelta(days=1) if actual.weekday() == 6 else actual
            else:
                day = observed(actual)
        elif "weekday" in rule and "nth" in rule:
            day = nth_weekday(year, month, int(rule["weekday"]), int(rule["nth"]))
        else:
            raise RulesFileError(file, key, "needs either 'day' or 'weekday' and 'nth'")
        result[day] = name
    # New Year's Day of the year after the covered span may be observed on 31 December of its last year.
    if rule.get("day") == 1 and month == 1 and "every_years" not in rule:
        spill = observed(date(years.stop, 1, 1))
        if spill.year == years.stop - 1:
            result[spill] = name
    return result
