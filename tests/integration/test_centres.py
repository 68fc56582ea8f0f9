"""Filing through a protection centre on SQLite and PostgreSQL: an eligible application is pre-examined and
granted on the fast track; an ineligible one is refused with the reason and nothing is written; the queue
and the published figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from ipoffice.adapters.procedure_store import ProcedureStore, case_events
from ipoffice.domain.procedures.base import ActionRefused
from ipoffice.services.centres import CentreService
from ipoffice.services.procedures import AccessDenied, CaseNotFound, Filing, ProcedureService

from .office_days import OfficeOnTheDay

CENTRE = "CN-JS-SZ-PC"


@pytest.fixture
def service(engine: Engine) -> ProcedureService:
    service = OfficeOnTheDay(ProcedureStore(engine))
    service.seed_demo()
    return service


def request(service: ProcedureService, on: date, *, procedure: str = "cn_utility_model",
            applicant: str = "applicant.wang", ipc: object = ("G02B 7/02",), pct: bool = False,
            centre: str = CENTRE) -> str:
    payload = {"pre_examination_centre": centre, "ipc": list(ipc) if isinstance(ipc, tuple) else ipc}
    view = service.file(Filing(procedure, "CN-JS-SZ", applicant, on, "Lens holder", payload=payload, pct=pct),
                        filed_by=applicant)
    return view.record.application_number


def events(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(case_events)).scalar_one()


def pre_examine(service: ProcedureService, number: str, day: date, passed: bool = True) -> None:
    service.act(number, "pass_formality_check", day, "centre.xu")
    service.act(number, "classify", day, "centre.xu", {"ipc": ["G02B 7/02"]})
    service.act(number, "draw_up_search_report", day, "centre.xu",
                {"citations": [{"number": "CN101234567A", "category": "X"}]})
    service.act(number, "pass_pre_examination" if passed else "refuse_pre_examination", day, "centre.xu",
                {"text": "opinion"})


def test_an_eligible_application_is_pre_examined_and_granted_on_the_fast_track(
        service: ProcedureService, engine: Engine) -> None:
    number = request(service, date(2026, 3, 2))
    view = service.show(number, "centre.xu")
    assert (view.record.procedure, view.record.office, view.case.state) == (
        "cn_utility_model_fast_track", CENTRE, "pre_examination_requested")
    assert view.events[0].payload["centre_field"] == "G02B"
    centres = CentreService(service)
    assert [r.application_number for r, _ in centres.queue(CENTRE, "centre.xu")] == [number]
    assert centres.queue(CENTRE, "examiner.zhao") == []  # another province's examiner does not see it
    with pytest.raises(CaseNotFound):  # an unpublished request is not even shown to another province's staff
        service.act(number, "pass_formality_check", date(2026, 3, 3), "examiner.zhao")
    with pytest.raises(AccessDenied):  # nor are the centre's acts the applicant's
        service.act(number, "pass_formality_check", date(2026, 3, 3), "applicant.wang")

    pre_examine(service, number, date(2026, 3, 3))
    assert centres.queue(CENTRE, "centre.xu") == []
    service.act(number, "file_with_national_office", date(2026, 3, 5), "applicant.wang")
    view = service.act(number, "office_action", date(2026, 3, 9), "examiner.liu", {"text": "Clarify claim 1."})
    limit = view.case.time_limit("fast_track_response")
    assert limit is not None and limit.due == date(2026, 3, 24)  # 15 days from dispatch, a Tuesday
    for action, actor, day in (("respond", "applicant.wang", date(2026, 3, 20)),
                               ("notify_grant", "examiner.liu", date(2026, 3, 23)),
                               ("complete_registration", "applicant.wang", date(2026, 3, 25)),
                               ("announce_grant", "registrar.zhou", date(2026, 4, 1))):
        view = service.act(number, action, day, actor)
    assert view.case.state == "granted" and view.record.published

    refused = request(service, date(2026, 4, 2), ipc=("G02B 6/12",))
    pre_examine(service, refused, date(2026, 4, 3), passed=False)
    request(service, date(2026, 4, 6), procedure="cn_invention", ipc=("H01M 10/052",))  # pending
    (g02b, h01m) = centres.figures("centre.xu")
    assert (g02b.centre, g02b.field, g02b.requests, g02b.passed, g02b.refused, g02b.granted) == (
        CENTRE, "G02B", 2, 1, 1, 1)
    assert (g02b.pass_rate, g02b.median_days, g02b.p90_days) == (0.5, 30, 30)  # 2 March to 1 April
    assert (h01m.requests, h01m.pass_rate, h01m.granted) == (1, None, 0)
    public = centres.figures(None)
    assert public[0].cases == (number,)  # the public sees the numbers of published cases only
    assert public[0].requests == 2


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"ipc": ("A61K 9/00",)}, "centre_out_of_field"),
    ({"ipc": ()}, "centre_ipc_missing"),
    ({"applicant": "applicant.chen"}, "centre_not_registered"),
    ({"pct": True}, "centre_pct_national_phase"),
    ({"procedure": "cn_design"}, "centre_right_type"),
    ({"centre": "CN-JS-SZ"}, "centre_unknown"),  # an office, but no protection centre
    ({"centre": ""}, "centre_required"),
    ({"procedure": "cn_invention", "ipc": ("H01M 10/052",), "on": date(2025, 6, 30)}, "centre_out_of_field"),
])
def test_an_ineligible_application_is_refused_with_the_reason_and_nothing_is_written(
        service: ProcedureService, engine: Engine, kwargs: dict[str, object], code: str) -> None:
    kwargs = dict(kwargs)  # the parameters are shared by both databases
    on = kwargs.pop("on", date(2026, 3, 2))
    assert isinstance(on, date)
    with pytest.raises(ActionRefused) as caught:
        request(service, on, **kwargs)  # type: ignore[arg-type]
    assert (caught.value.action, caught.value.code) == ("file", code)
    assert events(engine) == 0
    # The ordinary procedure stays open, and the refusal drew no number: this one is the first serial.
    ordinary = service.file(Filing("cn_utility_model", "CN-JS-SZ", "applicant.wang", on, "Lens holder"),
                            filed_by="applicant.wang")
    assert ordinary.case.state == "filed" and ordinary.record.application_number[5:12] == "0000001"


def test_the_field_list_changes_on_its_announced_date(service: ProcedureService) -> None:
    number = request(service, date(2025, 7, 1), procedure="cn_invention", ipc=("H01M 10/052",))
    view = service.show(number, "applicant.wang")
    assert (view.record.procedure, view.case.facts["centre_field"]) == ("cn_invention_fast_track", "H01M")


def test_a_fast_tracked_invention_owes_the_fees_of_an_invention(service: ProcedureService) -> None:
    number = request(service, date(2026, 3, 2), procedure="cn_invention", ipc=("G02B 6/12",))
    assert [d.name for d in service.fees_due(number, "applicant.wang", date(2026, 3, 2))] == [
        "fee.invention.application", "fee.invention.publication_printing"]
    pre_examine(service, number, date(2026, 3, 3))
    service.act(number, "file_with_national_office", date(2026, 3, 5), "applicant.wang")
    service.act(number, "notify_grant", date(2026, 5, 6), "examiner.liu")
    with pytest.raises(ActionRefused, match=r"fee\.invention\.annuity \(year 1\)"):  # IR Rule 97, as ordinarily
        service.act(number, "complete_registration", date(2026, 5, 7), "applicant.wang")
    service.pay_fee(number, "fee.invention.annuity", date(2026, 5, 7), "applicant.wang", year=1)
    view = service.act(number, "complete_registration", date(2026, 5, 7), "applicant.wang")
    assert view.case.state == "registered"
