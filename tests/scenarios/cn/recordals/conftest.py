"""Legal scenarios of recordals on a granted right, as data a lawyer can read (``*.yaml`` in this folder).

A file gives the ``procedure`` of the right (default ``cn_invention``), its first ``owner``, and scenarios whose
steps are, in order (dates ``YYYY-MM-DD``)::

    - {on: 2019-01-07, action: file}                     # an act of the right's procedure
    - {on: 2021-06-01, recordal: open_licence, by: wang, payload: {royalty: "3% of net sales"}}
                                                         # filed and registered that day: it must pass
    - {on: 2021-06-01, recordal: transfer, by: wang, payload: {assignees: [chen]},
       refused: pledgee_consent_missing}                 # refused, naming the rule; the right is unchanged
    - {on: 2021-07-01, recordal: pledge_release, by: wang, payload: {pledge: 2}}   # ids: 1, 2, ... in filing order
    - expect: {owners: [chen], licences: [li], pledges: [bank], open_licence: true, state: granted}
    - fees: {3: {amount: "135.00", reductions: [single_applicant]}}   # the annual-fee schedule, by year
    - {filed_on: 2021-09-01, on: 2021-09-02, recordal: licence, ...}  # filed one day, decided another

A step may be a list of steps (YAML anchors share the grant of the right). The rules are checked by
``ipoffice.domain.recordals.problem`` with the packaged rules, exactly as the service does on registration.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from ipoffice.domain import annual_fees, recordals
from ipoffice.domain.fees_due import ANNUITY_FEE
from ipoffice.domain.procedures.base import Case
from ipoffice.domain.recordals import Recordal
from ipoffice.services.procedures import default_catalogue, jurisdiction_of


class _Loader(yaml.SafeLoader):
    """Dates stay strings (``on:`` is a key, not True)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml":
        return RecordalScenarioFile.from_parent(parent, path=file_path)
    return None


class RecordalScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        document = yaml.load(self.path.read_text(encoding="utf-8"), Loader=_Loader)
        for scenario in document["scenarios"]:
            yield RecordalScenario.from_parent(self, name=scenario["name"], spec=scenario, document=document)


def _flat(steps: list[Any]) -> Iterator[dict[str, Any]]:
    for step in steps:
        if isinstance(step, list):
            yield from _flat(step)
        else:
            yield step


class RecordalScenario(pytest.Item):
    def __init__(self, *, spec: dict[str, Any], document: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.document = document

    def runtest(self) -> None:
        procedure_name = self.document.get("procedure", "cn_invention")
        catalogue = default_catalogue()
        proc = catalogue.procedure(procedure_name)
        rules = catalogue.rules(jurisdiction_of(procedure_name))
        owner = str(self.document["owner"])
        case: Case = proc.new_case()
        filing: dict[str, Any] = {}
        requests: list[Recordal] = []
        for index, step in enumerate(_flat(self.spec["steps"])):
            where = f"step {index + 1} {step}"
            if "action" in step:
                on = date.fromisoformat(step["on"])
                case, _ = proc.apply(case, step["action"], on, rules, step.get("payload") or {})
                if step["action"] == "file":
                    filing = dict(step.get("payload") or {})
            elif "job" in step:
                overdue = proc.expire(case, date.fromisoformat(step["job"]), rules)
                case, _ = proc.apply_all(case, overdue, rules)
            elif "recordal" in step:
                decided = date.fromisoformat(step["on"])
                filed = date.fromisoformat(step.get("filed_on", step["on"]))
                payload = recordals.check_payload(step["recordal"], step.get("payload") or {})
                request = Recordal(len(requests) + 1, "scenario", step["recordal"], filed, str(step["by"]), payload)
                right = recordals.right_record(owner, requests, decided)
                problem = recordals.problem(request, right, case, decided, rules)
                expected = step.get("refused")
                if expected is None:
                    assert problem is None, f"{where}: refused, expected registered: {problem} ({problem.code})"
                    request = Recordal(request.id, "scenario", request.type, filed, request.filed_by, payload,
                                       state=recordals.REGISTERED, decided_on=decided)
                else:
                    assert problem is not None, f"{where}: registered, expected refused ({expected})"
                    assert problem.code == expected, f"{where}: refused as {problem.code} ({problem}), not {expected}"
                    for fragment in step.get("reference", []):
                        assert fragment in str(problem), f"{where}: {fragment!r} not in the reason {problem}"
                    request = Recordal(request.id, "scenario", request.type, filed, request.filed_by, payload,
                                       state=recordals.REFUSED, decided_on=decided)
                requests.append(request)
            elif "expect" in step:
                self._expect(where, step["expect"], case, requests, owner)
            elif "fees" in step:
                right = recordals.right_record(owner, requests)
                fee = ANNUITY_FEE[procedure_name]
                schedule = {f.year: f for f in annual_fees.schedule(
                    case, rules, fee, patentee_reduction=filing.get("fee_reduction"),
                    open_licence_on=right.open_licence_on)}
                for year, wanted in step["fees"].items():
                    got = schedule[int(year)]
                    for key, value in wanted.items():
                        actual: object = {"amount": str(got.amount), "due": got.due.isoformat(),
                                          "reductions": [r.name for r in got.reductions]}[key]
                        assert actual == value, f"{where}: year {year} {key} is {actual}, expected {value}"
            else:
                raise AssertionError(f"{where}: unknown step")

    @staticmethod
    def _expect(where: str, expect: dict[str, Any], case: Case, requests: list[Recordal], owner: str) -> None:
        on = date.fromisoformat(expect["on"]) if "on" in expect else None
        right = recordals.right_record(owner, requests, on)
        day = on or (max(r.decided_on for r in requests if r.decided_on) if requests else date.max)
        actual = {
            "owners": list(right.owners),
            "licences": [lic.licensee for lic in right.licences_in_force(day)],
            "pledges": [p.pledgee for p in right.pledges],
            "open_licence": right.open_licence is not None and right.open_licence.in_force(day),
            "state": case.state,
        }
        for key, value in expect.items():
            if key != "on":
                assert actual[key] == value, f"{where}: {key} is {actual[key]}, expected {value}"

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"recordal scenario: {self.name}"
