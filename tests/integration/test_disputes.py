"""Administrative adjudication of a patent dispute on SQLite and PostgreSQL: a dispute filed against a granted
patent runs from the request to the decision with every clock exact; the lapse of the patent (and an
invalidation request) alert the dispute in the transaction that records them; the respondent's side and the
confidentiality of the file; refusals write nothing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, Table, func, select

from e2e.dispute_setup import granted_patent
from ipoffice.adapters.document_files import DocumentFolder
from ipoffice.adapters.procedure_store import ProcedureStore, case_events, notices
from ipoffice.domain.case_file import Document
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.procedures.base import ActionRefused
from ipoffice.services.disputes import DisputeService
from ipoffice.services.procedures import AccessDenied, CaseNotFound, CaseView, Filing, ProcedureService

from .office_days import OfficeOnTheDay


class DisputesOnTheDay(DisputeService):
    """Requests received on the day given (the office's clock moved to it, as ``OfficeOnTheDay`` does)."""

    def file(self, right_number: str, actor: str, payload: Mapping[str, object], on: date | None = None,
             reason: str | None = None) -> CaseView:
        if on is not None:
            self.procedures.clock = lambda: on
        return super().file(right_number, actor, payload, None, reason)


@pytest.fixture
def service(engine: Engine) -> ProcedureService:
    service = OfficeOnTheDay(ProcedureStore(engine))
    service.seed_demo()
    return service


def count(engine: Engine, table: Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_dispute_runs_from_request_to_decision_with_exact_clocks(service: ProcedureService, engine: Engine) -> None:
    right = granted_patent(service)
    disputes = DisputesOnTheDay(service)
    # Received Friday 2025-09-26: the acceptance clock counts working days over National Day 2025 (10-01..10-08)
    # with the make-up working days 09-28 (Sunday) and 10-11 (Saturday).
    filed = disputes.file(right, "agent.li", {
        "respondent": "applicant.chen", "infringement_date": "2025-06-01", "asserted_claims": [1],
        "product_description": "The holder has a round frame with three arms pressed inwards by springs."},
        on=date(2025, 9, 26))
    number = filed.record.application_number
    assert number == "CN-JS-SZ-2025-J0001"
    assert [(t.name, t.due) for t in filed.case.open_time_limits] == [("acceptance", date(2025, 10, 10))]

    def clocks() -> dict[str, date]:
        return {t.name: t.due for t in service.show(number, "examiner.zhang").case.open_time_limits}

    service.act(number, "accept_request", date(2025, 10, 10), "examiner.zhang")
    assert clocks() == {"service": date(2025, 10, 16), "decision": date(2026, 1, 12)}  # 01-10 is a Saturday
    # Served on the respondent on 10-13, received 10-15: 15 days to defend from receipt.
    service.act(number, "serve_request", date(2025, 10, 13), "examiner.zhang", {"received_on": "2025-10-15"})
    assert clocks() == {"decision": date(2026, 1, 12), "defence": date(2025, 10, 30)}
    with pytest.raises(AccessDenied, match="not an action of agent.li's side"):
        service.act(number, "submit_defence", date(2025, 10, 20), "agent.li")
    service.act(number, "submit_defence", date(2025, 10, 28), "applicant.chen")
    service.act(number, "submit_evidence", date(2025, 11, 3), "agent.li")
    # The hearing is notified at least 5 days ahead (11-15 is a Saturday: 11-17), on a working day.
    with pytest.raises(ActionRefused, match="held on 2025-11-17 at the earliest"):
        service.act(number, "notify_hearing", date(2025, 11, 10), "examiner.zhang", {"hearing_date": "2025-11-12"})
    with pytest.raises(ActionRefused, match="2025-11-22 is not a working day"):
        service.act(number, "notify_hearing", date(2025, 11, 10), "examiner.zhang", {"hearing_date": "2025-11-22"})
    service.act(number, "notify_hearing", date(2025, 11, 10), "examiner.zhang", {"hearing_date": "2025-11-17"})
    service.act(number, "hold_hearing", date(2025, 11, 17), "examiner.zhang")
    # One extension of one month, approved: 4 months from acceptance, 2026-02-10.
    with pytest.raises(ActionRefused, match="approval of the head of the office"):
        service.act(number, "extend_decision_period", date(2025, 12, 30), "examiner.zhang", {"months": 1})
    with pytest.raises(ActionRefused, match="beyond the maximum 2026-02-10"):
        service.act(number, "extend_decision_period", date(2025, 12, 30), "examiner.zhang",
                    {"months": 2, "approved_by": "Director Xu"})
    service.act(number, "extend_decision_period", date(2025, 12, 30), "examiner.zhang",
                {"months": 1, "approved_by": "Director Xu"})
    assert clocks() == {"decision": date(2026, 2, 10)}
    with pytest.raises(ActionRefused, match="a request is made once"):
        service.act(number, "extend_decision_period", date(2025, 12, 31), "examiner.zhang",
                    {"months": 1, "approved_by": "Director Xu"})
    with pytest.raises(ActionRefused, match="only mediate them"):
        service.act(number, "decide", date(2026, 2, 9), "examiner.zhang",
                    {"outcome": "stop_infringement", "damages": "100000 CNY"})
    # Decided 02-09, received 02-12 (Thursday): 15 days end 02-27 (after Spring Festival 2026, 02-15..02-23).
    decided = service.act(number, "decide", date(2026, 2, 9), "examiner.zhang",
                          {"outcome": "stop_infringement", "received_on": "2026-02-12"})
    assert decided.case.state == "decided"
    assert [(t.name, t.due, t.consequence) for t in decided.case.open_time_limits] == [
        ("suit", date(2026, 2, 27), "deem_decision_final")]
    # Nobody sues: the overdue job makes the decision final on 02-28.
    report = service.run_overdue(date(2026, 3, 2))
    outcome = next(o for o in report.outcomes if o.case == number)
    assert (outcome.state, [(e.code, e.date) for e in outcome.events]) == (
        "decision_final", [("deem_decision_final", date(2026, 2, 28))])
    assert service.verify_audit().ok


def test_a_change_of_the_right_alerts_the_dispute_in_the_same_transaction(service: ProcedureService,
                                                                          engine: Engine) -> None:
    right = granted_patent(service)
    disputes = DisputesOnTheDay(service)
    number = disputes.file(right, "applicant.wang", {"respondent": "applicant.chen", "respondent_agent": "agent.li",
                                                      "infringement_date": "2025-03-03"},
                           on=date(2025, 3, 10)).record.application_number
    service.act(number, "accept_request", date(2025, 3, 12), "examiner.zhang")
    before = count(engine, notices)
    service.act(right, "request_invalidation", date(2025, 4, 1), "applicant.wang")
    shown = DisputeService(service).show(number, "applicant.chen")
    assert [(a.date, a.payload["right_event"]) for a in shown.alerts] == [(date(2025, 4, 1), "request_invalidation")]
    assert shown.right.state_now == "invalidation_pending" and shown.right.state_on_infringement == "granted"
    # Each party of the dispute is notified: requester, respondent, respondent's agent.
    assert count(engine, notices) - before == 3
    service.act(right, "maintain_patent", date(2025, 5, 6), "reviewer.sun")
    # The annuity of year 3 (from 2025-01-10) was never paid: the job lapses the patent, and alerts the dispute.
    service.run_overdue(date(2025, 8, 1))
    shown = DisputeService(service).show(number, "examiner.zhang")
    assert [a.payload["right_event"] for a in shown.alerts] == ["request_invalidation", "lapse"]
    assert shown.right.state_now == "lapsed" and "lapsed" in str(shown.alerts[-1].payload["notice"])
    assert shown.view.case.state == "accepted"  # an alert does not decide: the officer does
    assert service.verify_audit().ok


def test_parties_and_confidentiality_and_refusals_write_nothing(service: ProcedureService, engine: Engine) -> None:
    right = granted_patent(service)
    disputes = DisputesOnTheDay(service)
    events = count(engine, case_events)
    for payload, message in [
        ({}, "respondent"),
        ({"respondent": "nobody"}, "is not a user"),
        ({"respondent": "applicant.chen", "asserted_claims": [3]}, "claim numbers of the patent"),
        ({"respondent": "applicant.chen", "damages": 1}, "unknown key"),
        ({"respondent": "applicant.chen", "office": "CN-JS-SPC"}, "does not handle patent disputes"),
    ]:
        with pytest.raises(InvalidField, match=message):
            disputes.file(right, "agent.li", payload, on=date(2025, 9, 26))
    with pytest.raises(AccessDenied, match="neither the patentee"):
        disputes.file(right, "applicant.chen", {"respondent": "applicant.wang"}, on=date(2025, 9, 26))
    assert count(engine, case_events) == events
    number = disputes.file(right, "agent.li", {"respondent": "applicant.chen"},
                           on=date(2025, 9, 26)).record.application_number
    # The file is seen by the parties and the handling office (or above), by nobody else.
    for viewer in ("applicant.wang", "agent.li", "applicant.chen", "examiner.zhang", "examiner.liu"):
        assert service.show(number, viewer).case.state == "requested"
    for viewer in (None, "examiner.zhao", "us.applicant"):
        with pytest.raises(CaseNotFound):
            service.show(number, viewer)
    assert [d.number for d in DisputeService(service).queue("applicant.chen")] == [number]
    assert DisputeService(service).queue("examiner.zhao") == []
    # Staff of another province may not act; the respondent may not accept its own case.
    with pytest.raises(CaseNotFound):
        service.act(number, "accept_request", date(2025, 9, 29), "examiner.zhao")
    with pytest.raises(AccessDenied):
        service.act(number, "accept_request", date(2025, 9, 29), "applicant.chen")
    with pytest.raises(AccessDenied, match="not an action of applicant.chen's side"):
        service.act(number, "withdraw_request", date(2025, 9, 29), "applicant.chen")
    assert service.act(number, "withdraw_request", date(2025, 9, 29), "applicant.wang").case.state == "withdrawn"
    # A dispute is never filed as an application (it would have no patent nor respondent).
    with pytest.raises(InvalidField, match="a dispute is filed against a patent"):
        service.file(Filing("cn_patent_dispute", "CN-JS-SZ", "applicant.wang", date(2025, 9, 29),
                            payload={"right_number": right, "respondent": "applicant.chen"}), "applicant.wang")


def test_the_end_of_the_patent_flags_its_customs_and_takedown_recordals(service: ProcedureService) -> None:
    right = granted_patent(service)
    disputes = DisputeService(service)
    service.clock = lambda: date(2024, 3, 4)
    customs = disputes.record_enforcement(right, "agent.li", "customs", "Shanghai Customs", "T2024-0042")
    takedown = disputes.record_enforcement(right, "applicant.wang", "ecommerce", "Taobao", "IPP-99")
    assert (customs.recorded_on, customs.flagged_on, takedown.kind) == (date(2024, 3, 4), None, "ecommerce")
    for kind, authority, message in [("post", "x", "kind"), ("customs", " ", "authority")]:
        with pytest.raises(InvalidField, match=message):
            disputes.record_enforcement(right, "agent.li", kind, authority)
    with pytest.raises(AccessDenied, match="neither the patentee"):
        disputes.record_enforcement(right, "applicant.chen", "customs", "Ningbo Customs")
    # An invalidation request alerts disputes but does not end the patent: nothing is flagged.
    service.act(right, "request_invalidation", date(2024, 3, 5), "applicant.wang")
    assert [r.flagged_on for r in disputes.recordals(right)] == [None, None]
    service.act(right, "declare_invalid", date(2024, 6, 3), "reviewer.sun")
    flagged = disputes.recordals(right)
    assert [(r.flagged_on, r.flag_reason) for r in flagged] == [
        (date(2024, 6, 3), "the patent was declared invalid (Art. 47): the request for adjudication has no basis")] * 2
    with pytest.raises(InvalidField, match="not in force"):  # no recordal against a dead patent
        disputes.record_enforcement(right, "agent.li", "customs", "Shanghai Customs")


def test_party_documents_are_seen_by_the_parties_and_the_handling_office_only(engine: Engine, tmp_path: Path) -> None:
    service = OfficeOnTheDay(ProcedureStore(engine), documents=DocumentFolder(tmp_path / "uploads"))
    service.seed_demo()
    right = granted_patent(service)
    number = DisputesOnTheDay(service).file(right, "agent.li", {"respondent": "applicant.chen"},
                                            on=date(2025, 9, 26)).record.application_number
    service.act(number, "accept_request", date(2025, 9, 29), "examiner.zhang")
    service.act(number, "serve_request", date(2025, 9, 30), "examiner.zhang")
    defence = service.act(number, "submit_defence", date(2025, 10, 9), "applicant.chen",
                          document=Document.named("defence.txt", b"The product has no spring."))
    sha256 = next(e.payload["sha256"] for e in defence.events if e.code == "attach_document")
    for viewer in ("applicant.chen", "applicant.wang", "agent.li", "examiner.zhang", "examiner.liu"):
        assert service.document_content(number, str(sha256), viewer)[1] == b"The product has no spring."
    for outsider in (None, "examiner.zhao", "us.applicant", "service.wu"):  # service.wu: CN-JS-SPC, not above
        with pytest.raises(CaseNotFound):
            service.document_content(number, str(sha256), outsider)
