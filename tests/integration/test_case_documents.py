"""A published case is a document of the register (SQLite and PostgreSQL): after its publication the
register holds it under its publication number, with the application as filed, the applicant's name of
record and the case's legal events; search finds it; a later act (the grant) moves it to the B number.
Before publication nothing of it is in the register."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.bootstrap import office
from ipoffice.config import Settings
from ipoffice.domain.document import TextField
from ipoffice.domain.search import SearchRequest
from ipoffice.services.case_documents import project_published_cases
from ipoffice.services.procedures import Filing, publication_numbers

from .office_days import OfficeOnTheDay

ABSTRACT = "A wireless charging pad detects metal objects by the change of its coil's quality factor."


def test_a_published_case_is_found_in_the_register_and_by_search(
        engine: Engine, database_url: str, tmp_path: Path) -> None:
    running = office(Settings(database_url=database_url, shared_dir=tmp_path, var_dir=tmp_path / "var"))
    # the office's own listener: the document follows each act on a published case
    service = OfficeOnTheDay(ProcedureStore(running.register.engine), on_public_change=running._public_case_changed)
    service.seed_demo()
    filed = service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", date(2026, 1, 5),
                                "Foreign-object detection for charging pads",
                                payload={"abstract": ABSTRACT, "claims": ["A charging pad comprising a coil.",
                                                                          "The pad of claim 1, wherein …"],
                                         "ipc": ["H02J 50/60", "H01F 38/14"],
                                         "priorities": [{"country": "US", "number": "63/555111",
                                                         "date": "2025-07-01"}],
                                         "priority_dates": ["2025-07-01"]}), "agent.li")
    number = filed.record.application_number
    assert running.register.count_documents() == 0
    service.act(number, "pass_formality_examination", date(2026, 2, 2), "examiner.zhang")
    service.act(number, "request_early_publication", date(2026, 2, 3), "agent.li")
    assert running.register.count_documents() == 0  # not yet published
    published = service.act(number, "publish", date(2026, 3, 2), "registrar.zhou")
    [a_number] = publication_numbers(published)

    doc = running.register.get(a_number)
    assert doc is not None and doc.application_number == number
    assert doc.publication_date == date(2026, 3, 2) and doc.application_date == date(2026, 1, 5)
    assert doc.text(TextField.ABSTRACT) == ABSTRACT
    assert [c.text for c in doc.claims] == ["A charging pad comprising a coil.", "The pad of claim 1, wherein …"]
    assert [(c.symbol, c.is_main) for c in doc.classifications] == [("H02J 50/60", True), ("H01F 38/14", False)]
    assert [p.name for p in doc.parties] == ["Wang Fang (Suzhou Lianhe Optics Co.)"]  # the name of record
    assert [(p.country, p.number) for p in doc.priority_claims] == [("US", "63/555111")]
    assert [e.code for e in doc.legal_events][-1] == "publish"
    # unchanged: projecting again rewrites nothing
    again = project_published_cases(service, running.register)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    # search catches up with the register and finds it by its words
    hits = running.search(dense=False).search(SearchRequest(query="quality factor coil", syntax="text")).hits
    assert [h.number for h in hits] == [a_number]

    # the grant: a B publication of the same serial joins the A, both with the case's events to date
    service.act(number, "request_substantive_examination", date(2026, 3, 3), "agent.li")
    for action, who, day in (("start_substantive_examination", "examiner.zhang", date(2026, 5, 6)),
                             ("notify_grant", "examiner.zhang", date(2026, 8, 3))):
        service.act(number, action, day, who)
    service.pay_fee(number, "fee.invention.annuity", date(2026, 8, 20), "agent.li", year=1)
    service.act(number, "complete_registration", date(2026, 8, 21), "agent.li")
    granted = service.act(number, "announce_grant", date(2026, 9, 4), "registrar.zhou")
    b_number = publication_numbers(granted)[-1]
    assert b_number == a_number[:-1] + "B"
    a_doc, b_doc = running.register.get(a_number), running.register.get(b_number)
    assert a_doc is not None and b_doc is not None
    assert b_doc.publication_date == date(2026, 9, 4) and a_doc.publication_date == date(2026, 3, 2)
    assert a_doc.legal_events[-1].code == b_doc.legal_events[-1].code == "announce_grant"
    # the ST.27 status reads the case's events once, not again from its register documents
    status = running.st27_status.status(b_number, date(2026, 9, 30))
    assert status["unmapped"] == [] and [e["code"] for e in status["events"]].count("announce_grant") == 1

