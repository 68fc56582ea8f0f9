"""Who may request the adjudication of an infringement dispute, on SQLite and PostgreSQL: the patentee (or its
agent), and a licensee whose exclusive or sole licence is registered and in force on the day of the request —
not an ordinary licensee, nor a licensee before its licence takes effect."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from e2e.dispute_setup import granted_patent
from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.domain.offices import Role, User
from ipoffice.services.disputes import DisputeService
from ipoffice.services.procedures import AccessDenied, ProcedureService
from ipoffice.services.recordals import RecordalService

from .office_days import OfficeOnTheDay


@pytest.fixture
def service(engine: Engine) -> ProcedureService:
    service = OfficeOnTheDay(ProcedureStore(engine))
    service.seed_demo()
    with service.store.writing() as s:
        for name in ("applicant.lin", "applicant.he"):
            s.save_user(User(name, name, "CN-JS-SZ", frozenset({Role.APPLICANT})))
    return service


def licensed(service: ProcedureService, right: str, licensee: str, kind: str, effective: str) -> None:
    recordals = RecordalService(service)
    service.clock = lambda: date(2024, 3, 5)
    request = recordals.file(right, "licence", "applicant.wang", {
        "kind": kind, "licensee": licensee, "contract_effective": effective}).request.id
    recordals.decide(request, "register", "registrar.zhou")


def file_on(service: ProcedureService, right: str, actor: str, day: date) -> str:
    service.clock = lambda: day
    view = DisputeService(service).file(right, actor, {"respondent": "applicant.chen"})
    return view.record.applicant


def test_an_exclusive_licensee_requests_from_the_day_its_licence_takes_effect(service: ProcedureService) -> None:
    right = granted_patent(service)
    licensed(service, right, "applicant.lin", "exclusive", "2024-04-01")
    licensed(service, right, "applicant.he", "non_exclusive", "2024-03-01")
    with pytest.raises(AccessDenied, match="neither the patentee"):
        file_on(service, right, "applicant.lin", date(2024, 3, 29))  # the licence is not in force yet
    assert file_on(service, right, "applicant.lin", date(2024, 4, 1)) == "applicant.lin"  # the requester
    with pytest.raises(AccessDenied):
        file_on(service, right, "applicant.he", date(2024, 4, 1))  # an ordinary licensee
    assert file_on(service, right, "applicant.wang", date(2024, 4, 1)) == "applicant.wang"
    disputes = DisputeService(service).queue("applicant.lin")
    assert [d.filing["requester_capacity"] for d in disputes] == ["exclusive_licensee"]
