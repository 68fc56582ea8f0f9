"""Post-grant indicators from the recordals register (issue #18) on SQLite and PostgreSQL: transfers, licences,
pledges and open licences registered, and pledges and open licences in force, as of several dates and by
year, office and right type, equal an independent count over the case log's recordal events; the cases behind
each figure are as many as it counts; requests filed but not registered never count."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ipoffice.adapters.indicator_engine import IndicatorEngine
from ipoffice.adapters.indicators_loader import load_indicator_catalogue
from ipoffice.adapters.procedure_store import ProcedureStore, case_events, cases
from ipoffice.domain.indicators import IndicatorQuery
from ipoffice.services.recordals import PledgeWatch, RecordalService

from .office_days import OfficeOnTheDay
from .test_recordals import _file, _register, granted_invention

CATALOGUE = load_indicator_catalogue()
MEASURES = ("transfers", "licences", "pledges", "open_licences", "pledges_in_force", "open_licences_in_force")
AS_OF = [date(2021, 3, 2), date(2021, 5, 31), date(2021, 8, 2), date(2021, 8, 3), date(2021, 10, 15),
         date(2021, 11, 3), date.today()]


@pytest.fixture
def indicators(engine: Engine) -> IndicatorEngine:
    service = OfficeOnTheDay(ProcedureStore(engine), watchers=(PledgeWatch(),))
    service.seed_demo()
    recordals = RecordalService(service)
    first = granted_invention(service)
    second = granted_invention(service)
    steps: list[tuple[str, str, str, date, date | None, dict[str, Any]]] = [
        (first, "transfer", "applicant.wang", date(2021, 3, 1), date(2021, 3, 3), {"assignees": ["applicant.chen"]}),
        (first, "licence", "applicant.chen", date(2021, 4, 1), date(2021, 4, 2),
         {"kind": "non_exclusive", "licensee": "Kunshan Optics", "contract_effective": "2021-03-20"}),
        (first, "pledge", "applicant.chen", date(2021, 5, 1), date(2021, 5, 6), {"pledgee": "ICBC Suzhou"}),
        (second, "transfer", "applicant.wang", date(2021, 6, 8), date(2021, 6, 10), {"assignees": ["applicant.chen"]}),
        (second, "pledge", "applicant.chen", date(2021, 6, 11), date(2021, 6, 15), {"pledgee": "Bank of Jiangsu"}),
        (first, "open_licence", "applicant.chen", date(2021, 9, 1), date(2021, 9, 2), {"royalty": "3% of net sales"}),
        (first, "open_licence_take", "applicant.wang", date(2021, 10, 1), date(2021, 10, 2),
         {"licensee": "Wuxi Lens Works"}),
        (first, "open_licence_withdrawal", "applicant.chen", date(2021, 11, 1), date(2021, 11, 3), {}),
        (second, "licence", "applicant.chen", date(2021, 12, 1), None,  # filed, never registered
         {"kind": "sole", "licensee": "Nanjing Glass", "contract_effective": "2021-11-20"}),
    ]
    pledge = 0
    for number, kind, who, filed, registered, payload in steps:
        request = _file(recordals, number, kind, who, filed, **payload)
        if kind == "transfer":  # fee.recordal.change_of_patentee is paid before registration
            recordals.pay_fee(request, who)
        if kind == "pledge" and number == first:
            pledge = request
        if registered is not None:
            assert _register(recordals, request, registered) == "registered", kind
        if kind == "pledge" and number == first:  # released on 2021-08-03
            release = _file(recordals, number, "pledge_release", "applicant.chen", date(2021, 8, 1), pledge=pledge)
            assert _register(recordals, release, date(2021, 8, 3)) == "registered"
    return IndicatorEngine(engine, CATALOGUE)


def _independent(engine: Engine, as_of: date) -> dict[str, Counter[tuple[Any, ...]]]:
    """Per measure, the counts by (year of registration, office, right type), from the raw case events."""
    with engine.connect() as conn:
        rows = conn.execute(select(case_events.c.case_id, case_events.c.sequence, case_events.c.code,
                                   case_events.c.event_date, case_events.c.payload, cases.c.office_code,
                                   cases.c.right_type).join(cases, cases.c.id == case_events.c.case_id)
                            .order_by(case_events.c.sequence)).all()
    filed = {r.sequence: json.loads(r.payload) for r in rows if r.code == "recordal_filed"}
    registered = [(json.loads(r.payload)["request"], r.event_date, r.office_code, r.right_type) for r in rows
                  if r.code == "recordal_registered"]
    kinds = {"transfers": {"transfer"}, "licences": {"licence", "open_licence_take"}, "pledges": {"pledge"},
             "open_licences": {"open_licence"}, "pledges_in_force": {"pledge"},
             "open_licences_in_force": {"open_licence"}}
    out: dict[str, Counter[tuple[Any, ...]]] = {m: Counter() for m in MEASURES}
    for request, on, office, right in registered:
        if on > as_of:
            continue
        kind = filed[request]["type"]
        ended = False
        if kind == "pledge":  # released by a registered release naming it
            ended = any(filed[r]["type"] == "pledge_release" and filed[r]["request"].get("pledge") == request
                        and d <= as_of for r, d, _, _ in registered)
        if kind == "open_licence":  # withdrawn by a registered withdrawal after it
            ended = any(filed[r]["type"] == "open_licence_withdrawal" and on <= d <= as_of and r > request
                        for r, d, _, _ in registered)
        for measure, types in kinds.items():
            if kind in types and not (measure.endswith("_in_force") and ended):
                out[measure][(on.year, office, right)] += 1
    return out


@pytest.mark.parametrize("as_of", AS_OF)
def test_each_recordal_figure_equals_an_independent_count(indicators: IndicatorEngine, engine: Engine,
                                                          as_of: date) -> None:
    expected = _independent(engine, as_of)
    query = IndicatorQuery.parse("year,office,right_type", MEASURES, as_of, definition_date=date.today())
    result = indicators.compute(query)
    for measure in MEASURES:
        got = {(r["year"], r["office"], r["right_type"]): r[measure] for r in result.rows if r[measure]}
        assert got == dict(expected[measure]), measure
    totals = indicators.compute(IndicatorQuery.parse("", MEASURES, as_of, definition_date=date.today())).rows
    for measure in MEASURES:
        assert (totals[0][measure] if totals else 0) == sum(expected[measure].values()), measure


def test_the_figures_follow_the_events(indicators: IndicatorEngine) -> None:
    def figures(on: date) -> dict[str, Any]:
        rows = indicators.compute(IndicatorQuery.parse("", MEASURES, on, definition_date=date.today())).rows
        return rows[0] if rows else {}

    assert set(figures(date(2021, 3, 2)).values()) <= {0}  # nothing registered yet
    assert figures(date(2021, 8, 2))["pledges_in_force"] == 2
    assert figures(date(2021, 8, 3))["pledges_in_force"] == 1  # the release registered that day
    assert figures(date(2021, 10, 15))["open_licences_in_force"] == 1
    after = figures(date(2021, 11, 3))
    assert after["open_licences_in_force"] == 0 and after["open_licences"] == 1  # withdrawn, still declared
    assert figures(date.today())["licences"] == 2  # the contract and the open licence taken; the filed one not


@pytest.mark.parametrize("measure", MEASURES)
def test_the_cases_behind_each_recordal_figure(indicators: IndicatorEngine, measure: str) -> None:
    query = IndicatorQuery.parse("year,office", measure, date.today(), definition_date=date.today())
    for row in indicators.compute(query).rows:
        total, members = indicators.members(query, measure, {"year": row["year"], "office": row["office"]})
        assert total == len(members) >= 1 and all(m["kind"] == "case" and m["public"] for m in members)
        # a figure counts recordals; several on one right list the right once
        assert total <= row[measure]
