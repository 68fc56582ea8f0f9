"""Applicants registered with a protection centre by its staff, on SQLite and PostgreSQL: eligibility at filing
reads the rules files' registrations and the register's, as of the filing date (each side of the first and the
last day), who may record one, overlaps, ending one, and the list as of a day."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.offices import Role, User
from ipoffice.domain.procedures.base import ActionRefused
from ipoffice.services.centres import CentreService
from ipoffice.services.procedures import AccessDenied, ProcedureService

from .office_days import OfficeOnTheDay
from .test_centres import CENTRE, request

LIN = "applicant.lin"


@pytest.fixture
def service(engine: Engine) -> ProcedureService:
    service = OfficeOnTheDay(ProcedureStore(engine))
    service.seed_demo()
    with service.store.writing() as s:  # an applicant of Suzhou that the rules file does not register
        s.save_user(User(LIN, "Lin Tao (Suzhou Guangxin Co.)", "CN-JS-SZ", frozenset({Role.APPLICANT})))
    return service


def refusal(service: ProcedureService, on: date) -> str | None:
    try:
        request(service, on, applicant=LIN)
    except ActionRefused as exc:
        return exc.code
    return None


def test_a_recorded_registration_makes_the_applicant_eligible_from_its_first_day_to_its_last(
        service: ProcedureService) -> None:
    centres = CentreService(service)
    assert refusal(service, date(2026, 3, 2)) == "centre_not_registered"
    made = centres.register_applicant(CENTRE, LIN, date(2026, 3, 10), "centre.xu", until=date(2026, 6, 1),
                                      reference="备案 SZ-2026-0310")
    assert (made.recorded_by, made.as_dict()["source"]) == ("centre.xu", "register")
    assert refusal(service, date(2026, 3, 9)) == "centre_not_registered"  # the day before
    assert refusal(service, date(2026, 3, 10)) is None  # the first day
    assert refusal(service, date(2026, 5, 31)) is None  # the last day
    assert refusal(service, date(2026, 6, 1)) == "centre_not_registered"  # `until` is not included
    assert centres.check(CENTRE, LIN, "cn_utility_model", ["G02B 7/02"], False, date(2026, 3, 10)) is None
    on_9 = [r.applicant for r in centres.applicants(CENTRE, date(2026, 3, 9))]
    on_10 = [(r.applicant, r.as_dict()["source"]) for r in centres.applicants(CENTRE, date(2026, 3, 10))]
    assert on_9 == ["applicant.wang"] and on_10 == [(LIN, "register"), ("applicant.wang", "rules")]
    view = next(v for v in centres.centres(date(2026, 6, 1)) if v.office.code == CENTRE)
    assert view.as_dict()["registered_applicants"] == ["applicant.wang"]


def test_ending_a_registration_and_the_checks_on_recording_one(service: ProcedureService) -> None:
    centres = CentreService(service)
    centres.register_applicant(CENTRE, LIN, date(2026, 3, 10), "examiner.zhang")  # staff of the province above
    with pytest.raises(InvalidField) as clash:
        centres.register_applicant(CENTRE, LIN, date(2026, 5, 1), "centre.xu")
    assert clash.value.field == "from" and "2026-03-10" in str(clash.value)
    for outsider in ("applicant.chen", "examiner.zhao", "service.wu"):  # a party; another province; a sibling
        with pytest.raises(AccessDenied):
            centres.register_applicant(CENTRE, "applicant.chen", date(2026, 3, 10), outsider)
    for field, args in (("applicant", ("agent.li", date(2026, 3, 10))), ("centre", ("CN-JS-SZ", date(2026, 3, 10)))):
        with pytest.raises(InvalidField) as bad:
            if field == "centre":
                centres.register_applicant("CN-JS-SZ", LIN, date(2026, 3, 10), "centre.xu")
            else:
                centres.register_applicant(CENTRE, str(args[0]), date(2026, 3, 10), "centre.xu")
        assert bad.value.field == field
    with pytest.raises(InvalidField) as backwards:
        centres.register_applicant(CENTRE, LIN, date(2027, 3, 10), "centre.xu", until=date(2027, 3, 1))
    assert backwards.value.field == "until"

    assert centres.deregister_applicant(CENTRE, LIN, date(2026, 4, 1), "centre.xu") == [date(2026, 3, 10)]
    assert refusal(service, date(2026, 3, 31)) is None
    assert refusal(service, date(2026, 4, 1)) == "centre_not_registered"
    with pytest.raises(InvalidField) as from_rules:  # the rules file's registration ends in the rules file
        centres.deregister_applicant(CENTRE, "applicant.wang", date(2026, 4, 1), "centre.xu")
    assert from_rules.value.field == "applicant"
    # A new registration after the end is not an overlap.
    centres.register_applicant(CENTRE, LIN, date(2026, 4, 1), "centre.xu")
    assert refusal(service, date(2026, 4, 1)) is None
    assert [(r.registered_on, r.until) for r in centres.applicants(CENTRE) if r.applicant == LIN] == [
        (date(2026, 3, 10), date(2026, 4, 1)), (date(2026, 4, 1), None)]
