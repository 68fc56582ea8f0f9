"""The procedure service on SQLite and PostgreSQL: file, act, refusals that write nothing, the
audit finding a row altered in the database, the gazette, the overdue job, and the schema."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from ipoffice.adapters.procedure_store import ProcedureStore, case_events
from ipoffice.domain.procedures.base import ActionNotAllowed, ActionRefused
from ipoffice.services.procedures import DEMO_OFFICES, DEMO_USERS, AccessDenied, CaseNotFound, Filing, ProcedureService

from .office_days import OfficeOnTheDay
from .tampering import without_log_triggers


@pytest.fixture
def service(engine: Engine) -> ProcedureService:
    service = OfficeOnTheDay(ProcedureStore(engine))
    assert service.seed_demo() == (len(DEMO_OFFICES), len(DEMO_USERS))
    return service


def file_invention(service: ProcedureService, filed: date, title: str, **payload: object) -> str:
    view = service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", filed, title, payload=payload),
                        filed_by="agent.li")
    return view.record.application_number


def event_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(case_events)).scalar_one()


def test_file_assigns_the_cn_number_and_the_domain_checks_priority(service: ProcedureService, engine: Engine) -> None:
    view = service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", date(2026, 1, 5), "Optical lens",
                               payload={"priority_dates": ["2025-06-01"]}), filed_by="agent.li")
    assert view.record.application_number == "202610000001.9"
    assert (view.case.state, view.record.agent, view.record.filing_date) == ("filed", "agent.li", date(2026, 1, 5))
    assert [(t.name, t.due) for t in view.case.open_time_limits] == [("request_examination", date(2028, 6, 1))]
    assert [(e.sequence, e.code, e.actor, e.office) for e in view.events] == [(1, "file", "agent.li", "CN-JS-SZ")]
    # A second invention the same year takes the next serial; a utility model has its own counter.
    assert file_invention(service, date(2026, 1, 6), "Lens mount") == "202610000002.3"
    um = service.file(Filing("cn_utility_model", "CN-JS-SPC", "applicant.wang", date(2026, 1, 6), "Clip"),
                      filed_by="applicant.wang")
    assert um.record.application_number == "202620000001.4"
    # Priority older than 12 months: refused by the procedure, no number drawn, nothing written.
    with pytest.raises(ActionRefused, match="priority date 2024-12-01"):
        file_invention(service, date(2026, 1, 7), "Late", priority_dates=["2024-12-01"])
    assert event_count(engine) == 3
    assert file_invention(service, date(2026, 1, 7), "Next") == "202610000003.8"


def test_act_refusal_writes_nothing_and_audit_finds_tampering(service: ProcedureService, engine: Engine) -> None:
    number = file_invention(service, date(2026, 1, 5), "Optical lens")
    view = service.act(number, "pass_formality_examination", date(2026, 2, 2), "examiner.zhang")
    assert view.case.state == "formality_examined"
    before = service.verify_audit()
    assert before.ok and before.checked == 2

    with pytest.raises(ActionNotAllowed) as refused:
        service.act(number, "announce_grant", date(2026, 2, 3), "registrar.zhou")
    assert str(refused.value) == (
        "action 'announce_grant' is not allowed in state 'formality_examined'; allowed actions: deem_withdrawn, "
        "publish, reject, request_early_publication, request_substantive_examination, withdraw")
    with pytest.raises(AccessDenied, match="needs the role registrar"):
        service.act(number, "publish", date(2026, 2, 3), "examiner.zhang")
    with pytest.raises(CaseNotFound):  # another province's examiner does not even see the unpublished case
        service.act(number, "office_action", date(2026, 2, 3), "examiner.zhao")
    with pytest.raises(ActionRefused, match="publication is due on 2027-07-05"):
        service.act(number, "publish", date(2026, 2, 3), "registrar.zhou")
    after = service.verify_audit()
    assert after.ok and after.head_hash == before.head_hash and event_count(engine) == 2
    assert service.show(number, "applicant.wang").case.state == "formality_examined"

    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:  # the triggers refuse it
        conn.execute(text("UPDATE case_events SET event_date = :d WHERE sequence = 1"), {"d": date(2025, 12, 31)})
    with without_log_triggers(engine) as conn:  # someone with the owner's rights edits the log
        conn.execute(text("UPDATE case_events SET event_date = :d WHERE sequence = 1"), {"d": date(2025, 12, 31)})
    report = service.verify_audit()
    assert not report.ok
    assert [(p.sequence, p.case, p.reason) for p in report.problems] == [
        (1, number, "content does not match its hash (the event was altered)")]


def test_full_grant_path_and_gazette(service: ProcedureService) -> None:
    granted = file_invention(service, date(2024, 1, 10), "Optical lens", priority_dates=["2023-07-03"])
    only_published = file_invention(service, date(2024, 1, 11), "Lens mount")
    steps = [
        ("request_early_publication", "agent.li", date(2024, 1, 15)),
        ("request_substantive_examination", "applicant.wang", date(2024, 1, 15)),
        ("pass_formality_examination", "examiner.zhang", date(2024, 2, 1)),
        ("publish", "registrar.zhou", date(2024, 3, 6)),  # ISO week 2024-W10
        ("start_substantive_examination", "examiner.liu", date(2024, 5, 6)),
        ("office_action", "examiner.liu", date(2024, 5, 10)),
        ("respond", "agent.li", date(2024, 8, 1)),
        ("notify_grant", "examiner.liu", date(2024, 10, 8)),
        ("pay_fee", "agent.li", date(2024, 10, 30)),  # the grant-year annuity (IR Rule 97)
        ("complete_registration", "agent.li", date(2024, 11, 1)),
        ("announce_grant", "registrar.zhou", date(2024, 11, 22)),  # ISO week 2024-W47
    ]
    states = [service.pay_fee(granted, "fee.invention.annuity", on, who, year=1).case.state if action == "pay_fee"
              else service.act(granted, action, on, who).case.state for action, who, on in steps]
    assert states[-5:] == ["under_examination", "grant_notified", "grant_notified", "registered", "granted"]
    service.act(only_published, "request_early_publication", date(2024, 2, 1), "agent.li")
    service.act(only_published, "pass_formality_examination", date(2024, 2, 2), "examiner.zhang")
    service.act(only_published, "publish", date(2024, 3, 8), "registrar.zhou")

    week10 = service.gazette("2024-W10")
    assert (week10.first_day, week10.last_day) == (date(2024, 3, 4), date(2024, 3, 10))
    assert [(i.section, i.case, i.date) for i in week10.items] == [
        ("published", granted, date(2024, 3, 6)), ("published", only_published, date(2024, 3, 8))]
    week47 = service.gazette("2024-w47")
    assert [(i.section, i.case, i.code, i.title) for i in week47.items] == [
        ("granted", granted, "announce_grant", "Optical lens")]
    assert service.gazette("2024-W46").items == []

    # Published cases are public; other provinces still cannot act on them.
    assert service.show(granted, None).record.published
    with pytest.raises(AccessDenied, match="outside examiner.zhao's office CN-ZJ"):
        service.act(only_published, "start_substantive_examination", date(2024, 4, 1), "examiner.zhao")
    assert service.verify_audit().checked == 16


def test_overdue_job_deems_withdrawn_with_a_notice(service: ProcedureService) -> None:
    forgotten = file_invention(service, date(2024, 1, 10), "Forgotten")
    examined = file_invention(service, date(2024, 1, 10), "Examined")
    service.act(examined, "request_substantive_examination", date(2024, 6, 1), "agent.li")

    assert service.run_overdue(date(2027, 1, 11)).outcomes == []  # the last day (Sunday 10th → Monday 11th)
    report = service.run_overdue(date(2027, 2, 1))
    assert report.cases_checked == 2 and report.failures == []
    [outcome] = report.outcomes
    assert outcome.case == forgotten and outcome.state == "deemed_withdrawn"
    assert [(e.code, e.date, e.actor) for e in outcome.events] == [
        ("deem_withdrawn", date(2027, 1, 12), "system:overdue-job")]
    # Each party is served its own copy; a party reads its own, the office reads every copy.
    notices = service.notices(forgotten, "examiner.liu")
    assert [(n.addressee, n.kind, n.notice_date) for n in notices] == [
        ("applicant.wang", "deem_withdrawn", date(2027, 1, 12)), ("agent.li", "deem_withdrawn", date(2027, 1, 12))]
    assert [n.addressee for n in service.notices(forgotten, "applicant.wang")] == ["applicant.wang"]
    assert [n.addressee for n in service.notices(forgotten, "agent.li")] == ["agent.li"]
    assert "Time limit 'request_examination' (Patent Law Art. 35)" in notices[0].text
    assert service.show(forgotten, "applicant.wang").allowed_actions == ["restore"]
    assert service.run_overdue(date(2027, 2, 1)).outcomes == []  # running again changes nothing
    assert service.verify_audit().ok


def test_public_and_other_applicants_cannot_see_unpublished(service: ProcedureService) -> None:
    number = file_invention(service, date(2026, 1, 5), "Secret")
    for viewer in (None, "applicant.chen", "examiner.zhao"):
        with pytest.raises(CaseNotFound):
            service.show(number, viewer)
    assert service.show(number, "examiner.liu").record.title == "Secret"
    assert [i.case for i in service.due("applicant.wang")] == [number]
    assert service.due("applicant.chen") == []


def test_each_office_numbers_in_its_own_format(service: ProcedureService, engine: Engine) -> None:
    us = service.file(Filing("us_utility", "USPTO", "us.applicant", date(2026, 1, 5), "Widget"),
                      filed_by="us.applicant")
    assert (us.record.application_number, us.case.state) == ("18/000,001", "awaiting_examination")
    mark = service.file(Filing("cn_trademark", "CN-JS-SZ", "applicant.wang", date(2026, 1, 5), "LIANHE"),
                        filed_by="applicant.wang")
    assert mark.record.application_number == "CNT2026000001"
    with pytest.raises(ValueError, match="office: applies CN law, not the us_utility procedure"):
        service.file(Filing("us_utility", "CN-JS-SZ", "applicant.wang", date(2026, 1, 5), "x"),
                     filed_by="applicant.wang")
    with pytest.raises(AccessDenied, match="examiner.zhang may not file for applicant applicant.wang"):
        file_invention_as(service, "examiner.zhang")
    assert event_count(engine) == 2


def file_invention_as(service: ProcedureService, who: str) -> None:
    service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", date(2026, 1, 5), "x"), filed_by=who)


# -- records of the case file: search report citations, documents attached, fees paid ---------------------

def test_case_file_records_are_chained_events_under_the_access_policy(engine: Engine, tmp_path: Path) -> None:
    from ipoffice.adapters.document_files import DocumentFolder
    from ipoffice.adapters.register import SqlRegister
    from ipoffice.domain.case_file import Document as Attachment
    from ipoffice.domain.document import Document
    from ipoffice.domain.errors import InvalidField
    from ipoffice.domain.numbers import PublicationNumber

    SqlRegister(engine).save_documents([(Document(number=PublicationNumber.parse("US7654321B2"),
                                                  publication_date=date(2010, 2, 2)), None)])
    service = OfficeOnTheDay(ProcedureStore(engine), documents=DocumentFolder(tmp_path / "uploads"))
    service.seed_demo()
    number = file_invention(service, date(2026, 1, 5), "Optical lens", fee_reduction="single_applicant")
    for action, actor, on in (("pass_formality_examination", "examiner.zhang", date(2026, 1, 20)),
                              ("request_substantive_examination", "applicant.wang", date(2026, 1, 21)),
                              ("publish", "registrar.zhou", date(2027, 7, 5)),
                              ("start_substantive_examination", "examiner.zhang", date(2027, 7, 6))):
        service.act(number, action, on, actor)
    written = event_count(engine)

    # Refused: another province's examiner, a US examiner, a registrar (not an examination role), the applicant.
    for outsider in ("examiner.zhao", "us.examiner", "registrar.zhou", "applicant.wang"):
        with pytest.raises(AccessDenied):
            service.cite(number, "US7654321B2", "X", date(2027, 7, 7), outsider)
    for outsider in ("applicant.chen", "examiner.zhang", "us.examiner"):
        with pytest.raises(AccessDenied):
            service.pay_fee(number, "fee.invention.examination", date(2027, 7, 7), outsider)
    with pytest.raises(InvalidField, match="not a document of the register"):
        service.cite(number, "US1111111B1", "X", date(2027, 7, 7), "examiner.zhang")
    with pytest.raises(InvalidField, match="category"):
        service.cite(number, "US7654321B2", "Q", date(2027, 7, 7), "examiner.zhang")
    with pytest.raises(InvalidField, match="not a fee of the cn_invention procedure"):
        service.pay_fee(number, "fee.trademark.application", date(2027, 7, 7), "applicant.wang")
    assert event_count(engine) == written

    # Allowed: recorded in the log, the procedure's state unchanged.
    view = service.cite(number, "US7654321", "Y", date(2027, 7, 7), "examiner.liu")  # without kind: resolved
    view = service.cite(number, "US7654321B2", "X", date(2027, 7, 7), "examiner.zhang", note="claim 1")
    assert view.case.state == "under_examination"
    assert [(c.cited_number, c.category, c.note) for c in service.search_report(number, "examiner.zhang")] == [
        ("US7654321B2", "X", "claim 1")]
    view = service.act(number, "office_action", date(2027, 7, 8), "examiner.zhang")
    with pytest.raises(AccessDenied):  # a document goes with the applicant's act only
        service.act(number, "respond", date(2027, 7, 9), "examiner.zhang",
                    document=Attachment("reply.txt", b"Amended."))
    with pytest.raises(InvalidField, match="type .exe"):  # refused before anything is written
        service.act(number, "respond", date(2027, 7, 9), "applicant.wang",
                    document=Attachment("reply.exe", b"MZ"))
    assert not (tmp_path / "uploads").exists()
    view = service.act(number, "respond", date(2027, 7, 9), "applicant.wang",
                       document=Attachment("reply.txt", b"Amended."))
    view = service.pay_fee(number, "fee.invention.examination", date(2027, 7, 9), "agent.li")
    assert view.case.state == "under_examination"
    tail = [(e.code, e.actor) for e in view.events[-6:]]
    assert tail == [("cite_in_search_report", "examiner.liu"), ("cite_in_search_report", "examiner.zhang"),
                    ("office_action", "examiner.zhang"), ("respond", "applicant.wang"),
                    ("attach_document", "applicant.wang"), ("pay_fee", "agent.li")]
    attached, paid = view.events[-2].payload, view.events[-1].payload
    assert attached["event"] == view.events[-3].sequence and attached["filename"] == "reply.txt"
    assert [d.filename for d in service.documents_of(number, "applicant.wang")] == ["reply.txt"]
    assert len(list((tmp_path / "uploads").rglob("*-reply.txt"))) == 1
    assert paid["fee"] == "fee.invention.examination" and paid["reduction"] == "single_applicant"
    # A record may not be dated before the case's last event.
    with pytest.raises(ActionRefused, match="before the last event"):
        service.cite(number, "US7654321B2", "A", date(2027, 7, 1), "examiner.zhang")
    assert service.verify_audit().ok


def test_a_viewer_is_offered_only_the_actions_they_may_take_and_no_request_twice(service: ProcedureService) -> None:
    number = file_invention(service, date(2026, 1, 5), "Optical lens")
    staff = service.show(number, "examiner.zhang").allowed_actions
    party = service.show(number, "applicant.wang").allowed_actions
    assert "pass_formality_examination" in staff and "pass_formality_examination" not in party
    assert "request_early_publication" in party and "request_early_publication" not in staff
    assert not set(party) & set(staff)
    service.act(number, "request_early_publication", date(2026, 1, 5), "agent.li")
    assert "request_early_publication" not in service.show(number, "applicant.wang").allowed_actions
