"""Legal scenarios as data: every ``*.yaml`` file under ``tests/scenarios/`` is a set of test items.

A scenario takes a case of a procedure through dated actions and checks, after them, the state,
the open time limits (due dates) and facts — written so that a lawyer can read (and write) it, with
comments citing the articles. A law revision is one dated value in ``src/ipoffice/rules/`` plus one
scenario on each side of its date. Format (every date ``YYYY-MM-DD``)::

    procedure: cn_invention                # default for the scenarios of the file
    scenarios:
      - name: office action dispatched the day the 2023 Implementing Regulations took effect
        steps:
          - {on: 2021-01-04, action: file}
          - {on: 2023-01-02, action: start_substantive_examination,
             refused: "substantive examination has not been requested"}   # refused, case unchanged
          - {on: 2024-01-20, action: office_action, payload: {service: paper}}
          - expect:
              state: awaiting_response
              time_limits:                  # exactly the open limits: a date is the due date
                office_action_response: {start: 2024-02-04, due: 2024-06-04,
                                         last_day_with_extensions: 2024-08-05}
                request_examination: 2024-01-04
              facts: {filing_date: 2021-01-04}
          - {job: 2024-08-10, records: [{action: deem_withdrawn, on: 2024-08-06}]}

Steps: an **action** (``on``, ``action``, optional ``payload``, optional ``refused``: a fragment of
the expected refusal; optional ``by: party|staff`` with ``received`` — the office's date, today — and
``reason``: the act is dated as ``ipoffice.domain.dating`` says, ``on`` may then be left out); a
**job** (the scheduled overdue job run on that day: the legal consequences
of the limits that ended before it are recorded; ``records`` lists them exactly, ``[]`` = none); an
**expect** (``state``, ``time_limits`` — fields ``due``, ``start``, ``last_day_with_extensions``,
``consequence``, ``reference`` — and ``facts``, each optional). A step may also be a list of steps,
so that a YAML anchor (``&filed``) and alias (``*filed``) can share the beginning of several scenarios.
A scenario with ``known_issue: "..."`` states what the law requires and the code does not do yet: it
is a strict xfail, so it must fail until the code is fixed (then the marker is removed).

A malformed file is a collection error naming the file, the field path and its line; a failing
scenario reports the step, each expected value against the actual one, and the case as it stood.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from ipoffice.domain.dating import BACKDATED, act_date
from ipoffice.domain.procedures.base import Case, OpenTimeLimit, Procedure
from ipoffice.services.procedures import default_catalogue, jurisdiction_of

LIMIT_FIELDS = ("due", "start", "last_day_with_extensions", "consequence", "reference")
DATE_FIELDS = {"due", "start", "last_day_with_extensions"}


# -- reading -----------------------------------------------------------------------------------------


class ScenarioFileError(Exception):
    """A malformed scenario file: the file, the field path (with its line) and what is wrong."""

    def __init__(self, file: Path, field: str, reason: str, line: int | None = None) -> None:
        where = f"{field} (line {line})" if line else field
        super().__init__(f"{file}: {where}: {reason}")
        self.file, self.field, self.reason = file, field, reason


class _Located(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers its line."""

    line = 0


class _Loader(yaml.SafeLoader):
    """Dates stay strings (checked with their field path); only true/false are booleans (YAML 1.2:
    ``on:`` is a key, not True); mappings remember their line."""


_BOOL = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:timestamp", _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Located:
    mapping = _Located(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class Step:
    kind: str  # "action", "job" or "expect"
    field: str  # its path in the file, e.g. scenarios[0].steps[3]
    line: int
    spec: Mapping[str, Any]
    on: date | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    procedure: str
    line: int
    steps: tuple[Step, ...]
    known_issue: str | None = None  # the code does not yet do what the law says: a strict xfail


def read_scenarios(path: Path, text: str) -> list[Scenario]:
    """The scenarios of a file, checked against the procedures; ScenarioFileError when malformed."""
    try:
        document = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ScenarioFileError(path, "(document)", f"invalid YAML: {exc}") from None
    if not isinstance(document, dict):
        raise ScenarioFileError(path, "(document)", "expected a mapping with 'scenarios'")
    _only(path, "(document)", document, {"procedure", "scenarios", "description"})
    items = document.get("scenarios")
    if not isinstance(items, list) or not items:
        raise ScenarioFileError(path, "scenarios", "expected a non-empty list of scenarios", _line(document))
    scenarios: list[Scenario] = []
    for index, item in enumerate(items):
        field = f"scenarios[{index}]"
        if not isinstance(item, dict):
            raise ScenarioFileError(path, field, "expected a mapping with name, steps", _line(document))
        _only(path, field, item, {"name", "procedure", "description", "known_issue", "steps"})
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ScenarioFileError(path, f"{field}.name", "expected a non-empty text", _line(item))
        if any(s.name == name for s in scenarios):
            raise ScenarioFileError(path, f"{field}.name", f"{name!r} is used twice in the file", _line(item))
        procedure_name = item.get("procedure", document.get("procedure"))
        procedure = _procedure(path, f"{field}.procedure", procedure_name, _line(item))
        raw_steps = item.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            raise ScenarioFileError(path, f"{field}.steps", "expected a non-empty list of steps", _line(item))
        steps = tuple(
            _step(path, step_field, raw, procedure) for step_field, raw in _flatten(f"{field}.steps", raw_steps)
        )
        known_issue = item.get("known_issue")
        if known_issue is not None and (not isinstance(known_issue, str) or not known_issue.strip()):
            raise ScenarioFileError(path, f"{field}.known_issue", "expected a text saying what the code gets wrong",
                                    _line(item))
        scenarios.append(Scenario(name.strip(), procedure.name, _line(item), steps, known_issue))
    return scenarios


def _line(value: object) -> int:
    return value.line if isinstance(value, _Located) else 0


def _only(path: Path, field: str, mapping: Mapping[str, Any], keys: set[str]) -> None:
    extra = sorted(set(mapping) - keys, key=str)
    if extra:
        prefix = "" if field == "(document)" else f"{field}."
        raise ScenarioFileError(path, f"{prefix}{extra[0]}", f"unknown key; expected {', '.join(sorted(keys))}",
                                _line(mapping))


def _flatten(field: str, steps: list[Any]) -> Iterator[tuple[str, Any]]:
    for index, step in enumerate(steps):
        if isinstance(step, list):
            yield from _flatten(f"{field}[{index}]", step)
        else:
            yield f"{field}[{index}]", step


def _procedure(path: Path, field: str, name: object, line: int) -> Procedure:
    known = default_catalogue().procedures
    if not isinstance(name, str) or name not in known:
        raise ScenarioFileError(path, field, f"unknown procedure {name!r}; expected one of {', '.join(sorted(known))}",
                                line)
    return known[name]


def _date(path: Path, field: str, raw: object, line: int) -> date:
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise ScenarioFileError(path, field, f"expected a date YYYY-MM-DD, got {raw!r}", line)


def _step(path: Path, field: str, raw: object, procedure: Procedure) -> Step:
    if not isinstance(raw, dict):
        raise ScenarioFileError(path, field, f"expected a mapping (an action, a job or an expect), got {raw!r}")
    line = _line(raw)
    kinds = [k for k in ("action", "job", "expect") if k in raw]
    if len(kinds) != 1:
        raise ScenarioFileError(path, field, "expected exactly one of 'action', 'job' or 'expect'", line)
    kind = kinds[0]
    if kind == "action":
        _only(path, field, raw, {"action", "on", "payload", "refused", "by", "received", "reason"})
        if "by" in raw or "received" in raw or "reason" in raw:
            if raw.get("by") not in ("party", "staff"):
                raise ScenarioFileError(path, f"{field}.by", "expected party or staff (who takes the act)", line)
            if "received" not in raw:
                raise ScenarioFileError(path, f"{field}.received", "missing; expected the office's date (today)",
                                        line)
            _date(path, f"{field}.received", raw["received"], line)
        action = raw["action"]
        if not isinstance(action, str) or (
            "refused" not in raw and not any(t.action == action for t in procedure.transitions)
        ):
            raise ScenarioFileError(path, f"{field}.action", f"{action!r} is not an action of {procedure.name}", line)
        if "payload" in raw and not isinstance(raw["payload"], dict):
            raise ScenarioFileError(path, f"{field}.payload", f"expected a mapping, got {raw['payload']!r}", line)
        if "refused" in raw and not isinstance(raw["refused"], str):
            raise ScenarioFileError(path, f"{field}.refused", "expected a fragment of the refusal message", line)
        if "on" not in raw:
            if "received" in raw:  # the act of the day the office receives it
                return Step(kind, field, line, raw, None)
            raise ScenarioFileError(path, f"{field}.on", "missing; expected the date of the action", line)
        return Step(kind, field, line, raw, _date(path, f"{field}.on", raw["on"], line))
    if kind == "job":
        _only(path, field, raw, {"job", "records"})
        records = raw.get("records", [])
        if not isinstance(records, list):
            raise ScenarioFileError(path, f"{field}.records", "expected a list of {action, on}", line)
        for index, record in enumerate(records):
            record_field = f"{field}.records[{index}]"
            if not isinstance(record, dict) or set(record) != {"action", "on"}:
                raise ScenarioFileError(path, record_field, f"expected {{action, on}}, got {record!r}", line)
            _date(path, f"{record_field}.on", record["on"], _line(record))
        return Step(kind, field, line, raw, _date(path, f"{field}.job", raw["job"], line))
    expect = raw["expect"]
    _only(path, field, raw, {"expect"})
    if not isinstance(expect, dict) or not expect:
        raise ScenarioFileError(path, f"{field}.expect", "expected a mapping of state, time_limits, facts", line)
    _only(path, f"{field}.expect", expect, {"state", "time_limits", "facts"})
    if "state" in expect and expect["state"] not in procedure.states:
        raise ScenarioFileError(path, f"{field}.expect.state",
                                f"{expect['state']!r} is not a state of {procedure.name}", _line(expect))
    limits = expect.get("time_limits", {})
    if not isinstance(limits, dict):
        raise ScenarioFileError(path, f"{field}.expect.time_limits", "expected a mapping name: due date", line)
    for name, limit in limits.items():
        limit_field = f"{field}.expect.time_limits.{name}"
        if isinstance(limit, dict):
            _only(path, limit_field, limit, set(LIMIT_FIELDS))
            for key in DATE_FIELDS & set(limit):
                if limit[key] is not None:
                    _date(path, f"{limit_field}.{key}", limit[key], _line(limit))
        else:
            _date(path, limit_field, limit, _line(limits))
    if not isinstance(expect.get("facts", {}), dict):
        raise ScenarioFileError(path, f"{field}.expect.facts", "expected a mapping fact: value", line)
    return Step(kind, field, line, raw)


# -- running -----------------------------------------------------------------------------------------


class ScenarioMismatch(AssertionError):
    """What a scenario expected and what happened, step by step."""


def _plain(value: object) -> object:
    """Facts as they are written in YAML: dates in ISO form, tuples as lists."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _limit_value(limit: OpenTimeLimit, key: str) -> object:
    return _plain(getattr(limit, key))


def describe(case: Case) -> str:
    limits = "; ".join(
        f"{t.name} due {t.due}" + (f" (with extensions {t.last_day_with_extensions})"
                                   if t.last_day_with_extensions else "")
        for t in case.open_time_limits
    )
    history = ", ".join(f"{e.code} {e.date}" for e in case.events) or "none"
    return f"state {case.state!r}; open time limits: {limits or 'none'}\n  events: {history}"


def compare(expect: Mapping[str, Any], case: Case) -> list[str]:
    """The differences between an expect step and the case, one line each (empty: as expected)."""
    problems: list[str] = []
    if "state" in expect and expect["state"] != case.state:
        problems.append(f"state: expected {expect['state']!r}, got {case.state!r}")
    if "time_limits" in expect:
        expected = expect["time_limits"]
        actual = {t.name: t for t in case.open_time_limits}
        for name in sorted(set(expected) - set(actual)):
            problems.append(f"time_limits.{name}: expected open, but it is not")
        for name in sorted(set(actual) - set(expected)):
            problems.append(f"time_limits.{name}: open (due {actual[name].due}), but not expected")
        for name in sorted(set(expected) & set(actual)):
            fields = expected[name] if isinstance(expected[name], dict) else {"due": expected[name]}
            for key, value in fields.items():
                got = _limit_value(actual[name], key)
                if got != value:
                    problems.append(f"time_limits.{name}.{key}: expected {value!r}, got {got!r}")
    for name, value in expect.get("facts", {}).items():
        got = _plain(case.facts[name]) if name in case.facts else "(no such fact)"
        if got != value:
            problems.append(f"facts.{name}: expected {value!r}, got {got!r}")
    return problems


def _dated(step: Step) -> tuple[date, Mapping[str, object] | None]:
    """The date and payload of an action step. With ``by`` (party or staff) and ``received`` (the office's
    today) the date is the one ``ipoffice.domain.dating`` gives: a party's act is dated the day received,
    staff may back-date with a ``reason`` (kept in the payload), nobody may date in the future."""
    payload = step.spec.get("payload")
    if "by" not in step.spec:
        assert step.on is not None
        return step.on, payload
    dated = act_date(today=date.fromisoformat(step.spec["received"]), requested=step.on,
                     staff=step.spec["by"] == "staff", reason=step.spec.get("reason"))
    if dated.backdating is not None:
        payload = {**(payload or {}), BACKDATED: dated.backdating}
    return dated.on, payload


def run_scenario(scenario: Scenario) -> Case:
    """Play a scenario; ScenarioMismatch (naming the step) at the first step that is not as expected."""
    catalogue = default_catalogue()
    procedure = catalogue.procedure(scenario.procedure)
    rules = catalogue.rules(jurisdiction_of(scenario.procedure))
    case = procedure.new_case()
    for number, step in enumerate(scenario.steps, start=1):
        where = f"step {number} ({step.field}, line {step.line})"
        problems: list[str] = []
        if step.kind == "action":
            action, expected_refusal = step.spec["action"], step.spec.get("refused")
            try:
                on, payload = _dated(step)
                applied, _ = procedure.apply(case, action, on, rules, payload)
            except ValueError as exc:  # ActionNotAllowed, ActionRefused, RuleNotInForce, bad payload
                if expected_refusal is None:
                    problems.append(f"{action} on {step.on}: refused: {exc}")
                elif expected_refusal not in str(exc):
                    problems.append(f"{action} on {step.on}: expected a refusal containing {expected_refusal!r}, "
                                    f"got {str(exc)!r}")
            else:
                if expected_refusal is not None:
                    problems.append(f"{action} on {step.on}: expected a refusal containing {expected_refusal!r}, "
                                    f"but it was applied (state {applied.state!r})")
                case = applied
        elif step.kind == "job":
            assert step.on is not None
            events = procedure.expire(case, step.on, rules)
            if "records" in step.spec:
                expected = [(r["action"], r["on"]) for r in step.spec["records"]]
                got = [(e.code, e.date.isoformat()) for e in events]
                if got != expected:
                    problems.append(f"overdue job on {step.on}: expected records {expected}, got {got}")
            case, _ = procedure.apply_all(case, events, rules)
        else:
            problems = compare(step.spec["expect"], case)
        if problems:
            raise ScenarioMismatch(
                f"{where}:\n  " + "\n  ".join(problems) + f"\n  the case: {describe(case)}"
            )
    return case


# -- pytest ------------------------------------------------------------------------------------------


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix in (".yaml", ".yml") and "recordals" not in file_path.parts:  # recordals/conftest.py
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        for scenario in read_scenarios(self.path, self.path.read_text(encoding="utf-8")):
            item = ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario)
            if scenario.known_issue:
                item.add_marker(pytest.mark.xfail(reason=scenario.known_issue, strict=True, raises=ScenarioMismatch))
            yield item

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> Any:  # type: ignore[override]
        if isinstance(excinfo.value, ScenarioFileError):
            return f"malformed scenario file: {excinfo.value}"
        return super().repr_failure(excinfo)


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self) -> None:
        run_scenario(self.scenario)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ScenarioMismatch):
            return f"scenario {self.scenario.name!r} ({self.scenario.procedure}), {excinfo.value}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.scenario.line - 1, f"scenario: {self.scenario.name}"
