"""Read the protection centres' dated configuration (``ipoffice/rules/cn/centres/*.yaml``) into a CentreBook.

Format (see the packaged file)::

    centres:
      CN-JS-SZ-PC:                      # the centre's office code
        region: CN-JS-SZ                # the office whose area it serves
        fields:                         # oldest first; each in force until the next
          - {effective_from: 2019-05-01, ipc: [G02B, "G06F 16/"], right_types: [invention], reference: "…"}
          - {effective_from: 2026-07-01, ipc: [G02B], locarno: ["02", "14-03"],
             right_types: [invention, design], reference: "…"}   # designs by Locarno class
        registrations:
          - {applicant: applicant.wang, registered_on: 2024-01-02, until: 2026-01-01, reference: "…"}

Anything malformed raises ``RulesFileError`` naming the file, the key path (``centres.CN-JS-SZ-PC.fields[1].ipc``),
and what was expected.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ipoffice.adapters.rules_loader import RulesFileError, _RulesYamlLoader  # dates stay text, checked here
from ipoffice.domain.centres import CentreBook, CentreConfig, FieldList, Registration
from ipoffice.domain.classification import normalise_locarno, normalise_symbol
from ipoffice.domain.document import RightType
from ipoffice.domain.errors import DomainError

PACKAGE = "ipoffice.rules.cn.centres"
_CENTRE_KEYS = {"region", "fields", "registrations"}
_FIELD_KEYS = {"effective_from", "ipc", "locarno", "right_types", "reference"}
_REGISTRATION_KEYS = {"applicant", "registered_on", "until", "reference"}
# The rights with a fast-track procedure; a list with designs gives their fields as Locarno classes.
_RIGHT_TYPES = {RightType.INVENTION.value, RightType.UTILITY_MODEL.value, RightType.DESIGN.value}
_DEFAULT_RIGHT_TYPES = [RightType.INVENTION.value, RightType.UTILITY_MODEL.value]


@cache
def load_centres() -> CentreBook:
    """The packaged configuration of every protection centre."""
    folder = resources.files(PACKAGE)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    return load_centre_files((f"cn/centres/{f.name}", f.read_text("utf-8")) for f in files)


def load_centre_files(named_texts: Iterable[tuple[str, str]]) -> CentreBook:
    centres: list[CentreConfig] = []
    for file, text in named_texts:
        try:
            document = yaml.load(text, Loader=_RulesYamlLoader)  # a SafeLoader subclass
        except yaml.YAMLError as exc:
            raise RulesFileError(file, "(document)", f"invalid YAML: {exc}") from None
        if not isinstance(document, dict) or set(document) != {"centres"} or not isinstance(document["centres"], dict):
            raise RulesFileError(file, "(document)", "must be a mapping with one key, centres: {CODE: {...}}")
        for code, spec in document["centres"].items():
            centres.append(_centre(file, str(code), spec))
    try:
        return CentreBook(tuple(centres))
    except DomainError as exc:
        raise RulesFileError("cn/centres/*.yaml", "centres", str(exc)) from None


def _centre(file: str, code: str, spec: Any) -> CentreConfig:
    key = f"centres.{code}"
    _mapping(file, key, spec, _CENTRE_KEYS, required={"region", "fields"})
    fields = tuple(_fields(file, f"{key}.fields[{i}]", item) for i, item in enumerate(_list(file, f"{key}.fields",
                                                                                             spec["fields"])))
    registrations = tuple(_registration(file, f"{key}.registrations[{i}]", item)
                          for i, item in enumerate(_list(file, f"{key}.registrations",
                                                         spec.get("registrations") or [])))
    try:
        return CentreConfig(code, _text(file, f"{key}.region", spec["region"]), fields, registrations)
    except DomainError as exc:
        raise RulesFileError(file, f"{key}.fields", str(exc)) from None


def _fields(file: str, key: str, spec: Any) -> FieldList:
    _mapping(file, key, spec, _FIELD_KEYS, required={"effective_from", "ipc", "reference"})
    symbols = []
    for i, raw in enumerate(_list(file, f"{key}.ipc", spec["ipc"])):
        text = _text(file, f"{key}.ipc[{i}]", raw)
        try:  # a group ends with "/" (all its subgroups): check the symbol it opens
            normalise_symbol(text.rstrip("/") + ("/00" if text.endswith("/") else ""), field="ipc")
        except DomainError as exc:
            raise RulesFileError(file, f"{key}.ipc[{i}]", str(exc)) from None
        symbols.append(text)
    kinds = frozenset(RightType(r) for r in _choices(file, f"{key}.right_types",
                                                     spec.get("right_types", _DEFAULT_RIGHT_TYPES)))
    classes = []
    for i, raw in enumerate(_list(file, f"{key}.locarno", spec.get("locarno") or [])):
        try:
            classes.append(normalise_locarno(_text(file, f"{key}.locarno[{i}]", raw), field="locarno"))
        except DomainError as exc:
            raise RulesFileError(file, f"{key}.locarno[{i}]", str(exc)) from None
    if (RightType.DESIGN in kinds) != bool(classes):
        raise RulesFileError(file, f"{key}.locarno", "a list pre-examining designs gives their Locarno classes "
                                                     "(and only such a list)")
    return FieldList(_date(file, f"{key}.effective_from", spec["effective_from"]), tuple(symbols),
                     _text(file, f"{key}.reference", spec["reference"]), kinds, tuple(classes))


def _registration(file: str, key: str, spec: Any) -> Registration:
    _mapping(file, key, spec, _REGISTRATION_KEYS, required={"applicant", "registered_on", "reference"})
    start = _date(file, f"{key}.registered_on", spec["registered_on"])
    until = _date(file, f"{key}.until", spec["until"]) if spec.get("until") is not None else None
    if until is not None and until <= start:
        raise RulesFileError(file, f"{key}.until", f"{until} is not after registered_on {start}")
    return Registration(_text(file, f"{key}.applicant", spec["applicant"]), start,
                        _text(file, f"{key}.reference", spec["reference"]), until)


def _mapping(file: str, key: str, spec: Any, allowed: set[str], required: set[str]) -> None:
    if not isinstance(spec, dict):
        raise RulesFileError(file, key, "must be a mapping")
    unknown = set(spec) - allowed
    if unknown:
        raise RulesFileError(file, f"{key}.{sorted(unknown)[0]}", f"unknown key; expected {', '.join(sorted(allowed))}")
    missing = required - set(spec)
    if missing:
        raise RulesFileError(file, f"{key}.{sorted(missing)[0]}", "is required")


def _list(file: str, key: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise RulesFileError(file, key, "must be a list")
    return value


def _choices(file: str, key: str, value: Any) -> list[str]:
    items = _list(file, key, value)
    wrong = [v for v in items if v not in _RIGHT_TYPES]
    if wrong or not items:
        raise RulesFileError(file, key, f"expected some of {', '.join(sorted(_RIGHT_TYPES))} (got {wrong or items})")
    return [str(v) for v in items]


def _text(file: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RulesFileError(file, key, "must be non-empty text")
    return value.strip()


def _date(file: str, key: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RulesFileError(file, key, f"expected a date YYYY-MM-DD (got {value!r})") from None
