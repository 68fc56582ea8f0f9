"""A published case is in the register twice: as the case (its record and procedure events) and as the
documents the office projects from it for search (``services.case_documents``). The indicators count it once:
projecting the published cases into the register changes no figure (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from ipoffice.adapters import indicator_engine, patstat_export
from ipoffice.adapters.indicator_engine import IndicatorEngine
from ipoffice.adapters.indicators_loader import load_indicator_catalogue
from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.indicators import IndicatorQuery
from ipoffice.services import case_documents
from ipoffice.services.procedures import Filing

from .office_days import OfficeOnTheDay
from .test_recordals import granted_invention

MEASURES = "applications,published,granted,in_force,pendency_days_median"


def test_projected_cases_do_not_count_twice(engine: Engine) -> None:
    assert indicator_engine.CASE_COPY_SOURCE == patstat_export.CASE_SOURCE == case_documents.SOURCE_FORMAT
    office = OfficeOnTheDay(ProcedureStore(engine))
    office.seed_demo()
    granted_invention(office)  # published 2020-07-07, granted 2021-02-05
    published = office.file(Filing("cn_invention", "CN-ZJ", "applicant.chen", date(2015, 2, 11), "Lens"),
                            filed_by="agent.li").record.application_number
    for action, who, on in [("request_early_publication", "agent.li", date(2015, 2, 12)),
                            ("pass_formality_examination", "examiner.zhao", date(2015, 2, 20)),
                            ("publish", "registrar.zhou", date(2015, 4, 8))]:
        office.act(published, action, on, who)
    queries = [IndicatorQuery.parse(by, MEASURES, on) for by in ("", "year", "office,right_type")
               for on in (date.today(), date(2020, 12, 31))]
    before = [IndicatorEngine(engine, load_indicator_catalogue()).compute(q).rows for q in queries]
    assert before[0][0]["applications"] == 2 and before[0][0]["published"] == 3 and before[0][0]["granted"] == 1
    counts = case_documents.project_published_cases(office, SqlRegister(engine))
    assert counts.added == 3  # the A publications of both cases and the B of the granted one
    after_engine = IndicatorEngine(engine, load_indicator_catalogue())
    assert [after_engine.compute(q).rows for q in queries] == before
    total, members = after_engine.members(queries[0], "applications", {})
    assert total == 2 and all(m["kind"] == "case" for m in members)
