"""Parallel filers and actors: numbers stay unique and contiguous, the event chain stays whole,
and two actions racing on one case are applied one after the other.

Runs on PostgreSQL (row locks: ``UPDATE … RETURNING`` on the counter, ``SELECT … FOR UPDATE`` on
the chain head and the case) and on SQLite (``BEGIN IMMEDIATE``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from ipoffice.adapters.procedure_store import ProcedureStore, case_events
from ipoffice.domain.numbering import CnApplicationNumber
from ipoffice.domain.procedures.base import ActionNotAllowed
from ipoffice.services.procedures import Filing, ProcedureService

from .office_days import OfficeOnTheDay

FILERS = 8
FILINGS_EACH = 25


@pytest.fixture
def service(engine: Engine) -> ProcedureService:
    service = OfficeOnTheDay(ProcedureStore(engine))
    service.seed_demo()
    return service


def run_together(workers: int, job: Callable[[int], list[str]]) -> list[str]:
    """Start all workers at the same moment and collect their results."""
    start = threading.Barrier(workers)

    def worker(index: int) -> list[str]:
        start.wait()
        return job(index)

    with ThreadPoolExecutor(workers) as pool:
        return [item for result in pool.map(worker, range(workers)) for item in result]


def test_parallel_filers_get_distinct_contiguous_numbers(service: ProcedureService, engine: Engine) -> None:
    offices = ["CN-JS-SZ", "CN-JS-SPC", "CN-ZJ", "CNIPA"]  # one national counter, whatever the receiving office

    def file_many(index: int) -> list[str]:
        return [
            service.file(Filing("cn_invention", offices[index % 4], "applicant.wang", date(2026, 3, 2),
                                f"filer {index} #{n}"), filed_by="agent.li").record.application_number
            for n in range(FILINGS_EACH)
        ]

    numbers = run_together(FILERS, file_many)
    assert len(numbers) == len(set(numbers)) == FILERS * FILINGS_EACH == 200
    parsed = sorted(CnApplicationNumber.parse(n) for n in numbers)
    assert [p.serial for p in parsed] == list(range(1, 201))
    assert str(parsed[0]) == "202610000001.9" and str(parsed[-1]) == "202610000200.X"
    report = service.verify_audit()
    assert report.ok and report.checked == 200
    with engine.connect() as conn:
        assert conn.execute(select(func.count(func.distinct(case_events.c.case_id)))).scalar_one() == 200


def test_racing_actions_on_one_case_apply_once(service: ProcedureService) -> None:
    number = service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", date(2026, 3, 2), "Race"),
                          filed_by="agent.li").record.application_number

    def act(index: int) -> list[str]:
        try:
            service.act(number, "pass_formality_examination", date(2026, 4, 1), "examiner.zhang")
            return ["applied"]
        except ActionNotAllowed as exc:
            return [exc.state]

    assert sorted(run_together(4, act)) == ["applied", "formality_examined", "formality_examined",
                                            "formality_examined"]
    assert [e.code for e in service.show(number, "examiner.zhang").events] == ["file", "pass_formality_examination"]
    assert service.verify_audit().ok
