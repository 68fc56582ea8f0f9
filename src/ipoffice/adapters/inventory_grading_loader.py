"""Read the dated grading thresholds of the stock-patent inventory (``ipoffice/rules/cn/inventory/grading.yaml``)
into a :class:`~ipoffice.domain.inventory_grading.GradingBook`.

Anything malformed raises ``RulesFileError`` naming the file, the key path (``versions[0].bands.claims[1]``) and
what was expected.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ipoffice.adapters.rules_loader import RulesFileError, _RulesYamlLoader  # dates stay text, checked here
from ipoffice.domain.errors import DomainError
from ipoffice.domain.inventory_grading import Band, GradingBook, GradingRules

PACKAGE = "ipoffice.rules.cn.inventory"
FILE = "grading.yaml"


@cache
def load_grading() -> GradingBook:
    """The packaged grading thresholds."""
    return load_grading_text(f"cn/inventory/{FILE}", resources.files(PACKAGE).joinpath(FILE).read_text("utf-8"))


def _date(file: str, key: str, value: Any) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RulesFileError(file, key, f"expected a date YYYY-MM-DD, got {value!r}") from None


def _number(file: str, key: str, value: Any, kind: type) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and not isinstance(value, int)):
        raise RulesFileError(file, key, f"expected {'a whole number' if kind is int else 'a number'}, got {value!r}")
    return value


def load_grading_text(file: str, text: str) -> GradingBook:
    data = yaml.load(text, Loader=_RulesYamlLoader)  # noqa: S506 - a SafeLoader subclass
    if not isinstance(data, dict) or not isinstance(data.get("versions"), list) or not data["versions"]:
        raise RulesFileError(file, "versions", "expected a non-empty list of dated versions")
    versions = []
    for i, raw in enumerate(data["versions"]):
        at = f"versions[{i}]"
        if not isinstance(raw, dict) or not str(raw.get("reference") or "").strip():
            raise RulesFileError(file, f"{at}.reference", "every version needs its reference")
        bands: dict[str, tuple[Band, ...]] = {}
        for name, listed in (raw.get("bands") or {}).items():
            if not isinstance(listed, list):
                raise RulesFileError(file, f"{at}.bands.{name}", "expected a list of {at_least, points}")
            bands[name] = tuple(
                Band(_number(file, f"{at}.bands.{name}[{j}].at_least", b.get("at_least"), float),
                     _number(file, f"{at}.bands.{name}[{j}].points", b.get("points"), int))
                for j, b in enumerate(listed))
        grades = raw.get("grades") or {}
        try:
            versions.append(GradingRules(
                _date(file, f"{at}.effective_from", raw.get("effective_from")), str(raw["reference"]),
                bool(raw.get("office_own", False)), bands,
                _number(file, f"{at}.grades.A", grades.get("A"), int),
                _number(file, f"{at}.grades.B", grades.get("B"), int)))
        except DomainError as exc:
            raise RulesFileError(file, at, str(exc)) from None
    dates = [v.effective_from for v in versions]
    if dates != sorted(set(dates)):
        raise RulesFileError(file, "versions", "effective_from dates must increase")
    return GradingBook(tuple(versions))
