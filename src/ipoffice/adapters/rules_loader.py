"""Read the dated rules of a jurisdiction (``ipoffice/rules/<jurisdiction>/*.yaml``) into a RuleBook.

A rules file holds ``parameters`` and/or a ``calendar`` (explicit holiday ranges per year, or
rule-based holidays computed for a range of years, plus one-off closures). Files are found with
importlib.resources, so this works from an installed package.

A parameter is ``name: {description?, informative?, kind?, values: [...]}``; each dated value is
``{effective_from, value, reference, until?, link?, last_reviewed?}``:

- ``value`` is checked by the parameter's **kind** (period, amount, by-year table, reduction rate,
  flag — see ``ipoffice.domain.rule_parameters``), taken from the registry of the parameters the
  code reads; a parameter no code reads must be marked ``informative: true`` and give its ``kind``;
- ``reference`` is the article of law (non-empty text); ``link`` an http(s) URL of its text;
  ``last_reviewed`` the date someone last checked the value against that text (not in the future);
- values are listed oldest first; ``until`` (exclusive) is after ``effective_from``.

Anything malformed raises ``RulesFileError`` naming the file, the parameter path (e.g.
``fee.invention.annuity.values[0].value.by_year[2].from``), the value and what was expected.
``load_rules`` (the packaged rules) also refuses a registered parameter that no file defines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ipoffice.domain.rule_parameters import (
    CURRENCIES,
    PERIOD_BOUNDS,
    READ_BY_CODE,
    Kind,
    ParameterUse,
    parameter_use,
)
from ipoffice.domain.rules import DatedValue, RuleBook
from ipoffice.domain.time_limits import OfficeCalendar, nth_weekday, observed

JURISDICTIONS = ("cn", "us")
REGISTRY_MODULE = "ipoffice.domain.rule_parameters"


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
        self.reason = reason
        super().__init__(f"{file}: {key}: {reason}")


class _BadValue(Exception):
    """A value that does not fit its kind: ``path`` below the value (``.months``), and why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


def rules_directory(jurisdiction: str) -> Traversable:
    if jurisdiction not in JURISDICTIONS:
        raise ValueError(f"jurisdiction: unknown {jurisdiction!r}; known: {', '.join(JURISDICTIONS)}")
    return resources.files("ipoffice.rules").joinpath(jurisdiction)


@cache
def load_rules(jurisdiction: str) -> RuleBook:
    """The RuleBook of ``jurisdiction`` ("cn" or "us") from the packaged YAML files; every parameter
    the code reads must be defined."""
    folder = rules_directory(jurisdiction)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    return load_rule_files(
        jurisdiction, ((f"{jurisdiction}/{f.name}", f.read_text("utf-8")) for f in files), require_all=True
    )


def load_rule_paths(jurisdiction: str, paths: Iterable[Path], *, today: date | None = None) -> RuleBook:
    return load_rule_files(jurisdiction, ((str(p), p.read_text("utf-8")) for p in paths), today=today)


def load_rule_files(
    jurisdiction: str,
    named_texts: Iterable[tuple[str, str]],
    *,
    require_all: bool = False,
    today: date | None = None,
) -> RuleBook:
    """A RuleBook from ``(file name, YAML text)`` pairs. ``require_all``: refuse when a parameter the
    code reads is defined in none of them. ``today`` bounds ``last_reviewed`` (default: today)."""
    today = today or date.today()
    parameters: dict[str, list[DatedValue]] = {}
    defined_in: dict[str, str] = {}
    calendar = OfficeCalendar()
    files: list[str] = []
    for file, text in named_texts:
        files.append(file)
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
        specs = document.get("parameters") or {}
        if not isinstance(specs, dict):
            raise RulesFileError(file, "parameters", "must be a mapping of parameter names")
        for name, spec in specs.items():
            name = str(name)
            if name in parameters:
                raise RulesFileError(file, name, f"parameter defined in two files (also in {defined_in[name]})")
            parameters[name] = _parameter(file, name, spec, jurisdiction, today)
            defined_in[name] = file
        if "calendar" in document:
            calendar = calendar.merged(_calendar(file, document["calendar"]))
    _check_reductions(parameters, defined_in)
    if require_all:
        missing = sorted(set(READ_BY_CODE.get(jurisdiction, {})) - set(parameters))
        if missing:
            use = READ_BY_CODE[jurisdiction][missing[0]]
            raise RulesFileError(
                f"{jurisdiction}/*.yaml", missing[0],
                f"read by {', '.join(use.read_by)} but defined in no rules file ({', '.join(files) or 'none'})",
            )
    try:
        return RuleBook(jurisdiction, parameters, calendar)
    except ValueError as exc:
        raise RulesFileError(jurisdiction, "parameters", str(exc)) from None


_PARAMETER_KEYS = {"description", "informative", "kind", "values"}
_VALUE_KEYS = {"effective_from", "value", "reference", "until", "link", "last_reviewed"}


def _parameter(file: str, name: str, spec: Any, jurisdiction: str, today: date) -> list[DatedValue]:
    if not isinstance(spec, dict) or not isinstance(spec.get("values"), list) or not spec["values"]:
        raise RulesFileError(file, name, "needs a non-empty 'values' list")
    extra = set(spec) - _PARAMETER_KEYS
    if extra:
        raise RulesFileError(file, f"{name}.{sorted(extra)[0]}",
                             f"unknown key; expected {', '.join(sorted(_PARAMETER_KEYS))}")
    kind = _kind(file, name, spec, parameter_use(jurisdiction, name))
    values: list[DatedValue] = []
    for index, item in enumerate(spec["values"]):
        key = f"{name}.values[{index}]"
        if not isinstance(item, dict):
            raise RulesFileError(file, key, "must be a mapping")
        missing = {"effective_from", "value", "reference"} - set(item)
        if missing:
            raise RulesFileError(file, key, f"missing {', '.join(sorted(missing))}")
        extra = set(item) - _VALUE_KEYS
        if extra:
            raise RulesFileError(file, key, f"unknown key(s) {', '.join(sorted(extra))}; "
                                            f"expected {', '.join(sorted(_VALUE_KEYS))}")
        reference = item["reference"]
        if not isinstance(reference, str) or not reference.strip():
            raise RulesFileError(file, f"{key}.reference", f"must be a non-empty legal reference (got {reference!r})")
        effective_from = _date(file, f"{key}.effective_from", item["effective_from"])
        if values and effective_from <= values[-1].effective_from:
            raise RulesFileError(
                file, f"{key}.effective_from",
                f"{effective_from} is not after the previous value's {values[-1].effective_from}; "
                "expected the values oldest first, one per date",
            )
        until = item.get("until")
        until_date = None if until is None else _date(file, f"{key}.until", until)
        if until_date is not None and until_date <= effective_from:
            raise RulesFileError(file, f"{key}.until", f"{until_date} is not after effective_from {effective_from}")
        try:
            _check_value(kind, item["value"], jurisdiction)
        except _BadValue as bad:
            raise RulesFileError(file, f"{key}.value{bad.path}", f"{bad.reason} [kind {kind}]") from None
        values.append(
            DatedValue(
                effective_from=effective_from,
                value=item["value"],
                reference=reference.strip(),
                until=until_date,
                link=_link(file, f"{key}.link", item["link"]) if "link" in item else None,
                last_reviewed=_reviewed(file, f"{key}.last_reviewed", item["last_reviewed"], today)
                if "last_reviewed" in item else None,
            )
        )
    return values


def _kind(file: str, name: str, spec: Mapping[str, Any], use: ParameterUse | None) -> Kind:
    """The kind of a parameter: the one the code reads it as, or the declared one if informative."""
    informative = spec.get("informative", False)
    if not isinstance(informative, bool):
        raise RulesFileError(file, f"{name}.informative", f"expected true or false, got {informative!r}")
    declared: Kind | None = None
    if "kind" in spec:
        try:
            declared = Kind(spec["kind"])
        except ValueError:
            raise RulesFileError(
                file, f"{name}.kind", f"unknown kind {spec['kind']!r}; expected one of {', '.join(Kind)}"
            ) from None
    if use is not None:
        if informative:
            raise RulesFileError(file, f"{name}.informative",
                                 f"the parameter is read by {', '.join(use.read_by)}; remove 'informative: true'")
        if declared is not None and declared != use.kind:
            raise RulesFileError(file, f"{name}.kind", f"is {declared}, but the code reads it as {use.kind}")
        return use.kind
    if not informative:
        raise RulesFileError(
            file, name,
            f"no code reads this parameter: register it in {REGISTRY_MODULE} (READ_BY_CODE) with the code "
            "that reads it, or mark it 'informative: true' with its 'kind'",
        )
    if declared is None:
        raise RulesFileError(file, f"{name}.kind",
                             f"an informative parameter must give its kind, one of {', '.join(Kind)}")
    return declared


# -- values by kind --------------------------------------------------------------------------------


def _check_value(kind: Kind, value: Any, jurisdiction: str) -> None:
    if kind is Kind.PERIOD:
        _check_period(value)
    elif kind is Kind.AMOUNT:
        _check_keys(value, {"amount", "currency"}, "an amount such as {amount: 900, currency: CNY}")
        _check_money(".amount", value["amount"])
        _check_currency(value["currency"], jurisdiction)
    elif kind is Kind.BY_YEAR:
        _check_keys(value, {"currency", "by_year"},
                    "a by-year table such as {currency: CNY, by_year: [{from: 1, to: 3, amount: 900}, ...]}")
        _check_currency(value["currency"], jurisdiction)
        _check_by_year(value["by_year"])
    elif kind is Kind.REDUCTION:
        _check_keys(value, {"rate", "applies_to"}, "a reduction such as {rate: 0.85, applies_to: [fee.x, ...]}")
        _check_rate(value["rate"])
        _check_applies_to(value["applies_to"])
    elif kind is Kind.COUNT:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
            raise _BadValue("", f"expected a whole number from 1 to 1000, got {value!r}")
    elif not isinstance(value, bool):  # Kind.FLAG
        raise _BadValue("", f"expected true or false, got {value!r}")


def _check_keys(value: Any, keys: set[str], example: str) -> None:
    if not isinstance(value, dict):
        raise _BadValue("", f"expected {example}, got {value!r}")
    extra, missing = set(value) - keys, keys - set(value)
    if extra:
        raise _BadValue(f".{sorted(extra)[0]}", f"unknown key; expected {' and '.join(sorted(keys))}")
    if missing:
        raise _BadValue(f".{sorted(missing)[0]}", f"missing; expected {example}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_period(value: Any) -> None:
    if not isinstance(value, dict) or not value:
        raise _BadValue("", f"expected a period such as {{months: 4}} (years, months and/or days), got {value!r}")
    for unit, count in value.items():
        if unit not in PERIOD_BOUNDS:
            raise _BadValue(f".{unit}", f"unknown unit {unit!r} (value {count!r}); "
                                        "expected years, months, days or working_days")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise _BadValue(f".{unit}", f"expected a whole number of {unit} ≥ 0, got {count!r}")
        if count > PERIOD_BOUNDS[unit]:
            raise _BadValue(f".{unit}", f"expected at most {PERIOD_BOUNDS[unit]} {unit} (plausibility bound), "
                                        f"got {count!r}")


def _check_money(path: str, amount: Any) -> None:
    if not _is_number(amount) or amount < 0:
        raise _BadValue(path, f"expected an amount ≥ 0 (a number), got {amount!r}")
    exponent = Decimal(str(amount)).as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise _BadValue(path, f"expected at most 2 decimals, got {amount!r}")


def _check_currency(currency: Any, jurisdiction: str) -> None:
    allowed = CURRENCIES.get(jurisdiction)
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        raise _BadValue(".currency", f"expected an ISO 4217 code such as CNY or USD, got {currency!r}")
    if allowed is not None and currency not in allowed:
        raise _BadValue(".currency", f"expected the currency of the {jurisdiction} rules "
                                     f"({', '.join(sorted(allowed))}), got {currency!r}")


def _check_by_year(bands: Any) -> None:
    if not isinstance(bands, list) or not bands:
        raise _BadValue(".by_year", f"expected a non-empty list of {{from, to, amount}} bands, got {bands!r}")
    next_year = 1
    for index, band in enumerate(bands):
        path = f".by_year[{index}]"
        if not isinstance(band, dict) or set(band) != {"from", "to", "amount"}:
            raise _BadValue(path, f"expected {{from: YEAR, to: YEAR, amount: N}}, got {band!r}")
        for bound in ("from", "to"):
            year = band[bound]
            if not isinstance(year, int) or isinstance(year, bool) or year < 1:
                raise _BadValue(f"{path}.{bound}", f"expected a year of the right ≥ 1, got {year!r}")
        if band["from"] != next_year:
            relation = "overlaps the band before" if band["from"] < next_year else f"leaves year {next_year} unpriced"
            raise _BadValue(f"{path}.from", f"expected {next_year} (bands follow each other from year 1); "
                                            f"got {band['from']!r}, which {relation}")
        if band["to"] < band["from"]:
            raise _BadValue(f"{path}.to", f"expected a year ≥ from ({band['from']}), got {band['to']!r}")
        _check_money(f"{path}.amount", band["amount"])
        next_year = band["to"] + 1


def _check_rate(rate: Any) -> None:
    if not _is_number(rate) or not 0 < rate <= 1:
        hint = f" ({rate} % is {rate / 100:g})" if _is_number(rate) and 1 < rate <= 100 else ""
        raise _BadValue(".rate", f"expected the fraction of the fee waived, 0 < rate ≤ 1{hint}, got {rate!r}")


def _check_applies_to(applies_to: Any) -> None:
    if not isinstance(applies_to, list) or not applies_to:
        raise _BadValue(".applies_to", f"expected a non-empty list of fee parameter names, got {applies_to!r}")
    for index, prefix in enumerate(applies_to):
        if not isinstance(prefix, str) or not re.fullmatch(r"fee(\.[a-z0-9_]+)+", prefix):
            raise _BadValue(f".applies_to[{index}]",
                            f"expected a fee parameter name such as fee.invention.application, got {prefix!r}")


def _check_reductions(parameters: Mapping[str, list[DatedValue]], defined_in: Mapping[str, str]) -> None:
    """Each fee a reduction applies to must exist (a fee parameter, or a prefix of fee parameters)."""
    fees = [name for name in parameters if name.startswith("fee.")]
    for name, values in parameters.items():
        for index, dated in enumerate(values):
            terms = dated.value
            if not name.startswith("fee_reduction.") or not isinstance(terms, dict):
                continue
            for position, prefix in enumerate(terms.get("applies_to") or []):
                if not any(fee == prefix or fee.startswith(f"{prefix}.") for fee in fees):
                    raise RulesFileError(
                        defined_in[name], f"{name}.values[{index}].value.applies_to[{position}]",
                        f"{prefix!r} names no fee parameter of these rules; expected one of {', '.join(sorted(fees))}",
                    )


def _link(file: str, key: str, raw: Any) -> str:
    parts = urlsplit(raw) if isinstance(raw, str) else None
    if parts is None or parts.scheme not in ("http", "https") or "." not in parts.netloc or any(
        c.isspace() for c in raw
    ):
        raise RulesFileError(file, key, f"expected an http(s) URL such as https://example.org/law#art-42, got {raw!r}")
    return str(raw)


def _reviewed(file: str, key: str, raw: Any, today: date) -> date:
    reviewed = _date(file, key, raw)
    if reviewed > today:
        raise RulesFileError(file, key, f"{reviewed} is in the future; expected the day the value was last checked")
    return reviewed


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
