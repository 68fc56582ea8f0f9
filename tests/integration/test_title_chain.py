"""The real USPTO assignment records, ODP samples and EPO legal events through the import service into
SQLite and PostgreSQL: typed conveyances, paired releases, chain of title, ST.27 status; bad records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.adapters.recorded_events import SqlRecordedEvents
from ipoffice.adapters.register import SqlRegister
from ipoffice.adapters.st27_vocabulary import load_st27_vocabulary
from ipoffice.adapters.title_store import SqlTitleStore
from ipoffice.services.importing import Importer
from ipoffice.services.procedures import ProcedureService
from ipoffice.services.st27_status import NoLegalEvents, St27StatusService
from ipoffice.services.title_chain import TitleChainService

EXPECTED_TYPES = {
    "018247/0405": "assignment", "043433/0231": "employee_assignment", "032861/0806": "employee_assignment",
    "057434/0429": "security_interest", "049107/0392": "security_interest", "049111/0583": "security_interest",
    "048041/0605": "security_interest", "048818/0520": "security_interest", "049342/0819": "security_interest",
    "049109/0610": "release_of_security_interest", "049110/0319": "release_of_security_interest",
    "047305/0442": "employee_assignment",  # the ODP application's assignment bag (its inventor's)
}


@pytest.fixture
def imported(engine: Engine, data_dir: Path) -> Engine:
    folders = [data_dir / "us_assignments", data_dir / "us_odp", data_dir / "ep_legal"]
    report = Importer(SqlRegister(engine)).run(folders)
    assert report.problems == []
    assert report.reference_records == 11 + 1 + 1 + 3 + 4397  # recordings, ODP bag, ODP events, EP members, codes
    assert sum(1 for n in report.notes if "no applicationNumberText" in n.message) == 2
    return engine


def test_the_real_assignment_records_import_typed_and_paired(imported: Engine) -> None:
    recordings = TitleChainService(SqlTitleStore(imported)).all_recordings()
    assert {r["reel_frame"]: r["conveyance_type"] for r in recordings} == EXPECTED_TYPES
    pairs = {r["reel_frame"]: (r.get("releases"), r.get("pairing")) for r in recordings if r.get("releases")}
    assert pairs == {"049109/0610": ("048818/0520", "reference"), "049110/0319": ("048041/0605", "reference")}
    tesla = next(r for r in recordings if r["reel_frame"] == "043433/0231")
    assert [a["name"] for a in tesla["assignors"]][:2] == ["LIU, WENJUN", "RAMM, ROBERT JAMES"]
    assert tesla["assignors"][2]["execution_date"] == "2017-08-20"
    assert tesla["properties"] == [{"application_number": "15334090", "patent_number": None,
                                    "publication_number": "20180114740", "title": "INVERTER"}]
    assert len(next(r for r in recordings if r["reel_frame"] == "057434/0429")["properties"]) == 85


def test_chain_of_title_of_a_pledged_patent(imported: Engine) -> None:
    chain = TitleChainService(SqlTitleStore(imported)).chain_of_title("US 8,789,601 B2")
    assert [a["reel_frame"] for a in chain["assignments"]][0] == "032861/0806"  # the inventors' assignment first
    assert len(chain["assignments"]) == 9
    assert chain["owners"] == ["US WELL SERVICES LLC"]
    released = {s["reel_frame"]: s["released_by"] for s in chain["security_interests"]}
    assert released == {"049342/0819": None, "048818/0520": "049109/0610", "048041/0605": "049110/0319",
                        "049107/0392": None, "049111/0583": None, "057434/0429": None}
    by_application = TitleChainService(SqlTitleStore(imported)).chain_of_title("15123456")
    assert [a["reel_frame"] for a in by_application["assignments"]] == ["047305/0442"]
    assert TitleChainService(SqlTitleStore(imported)).chain_of_title("US1")["assignments"] == []


def test_reimport_changes_nothing(imported: Engine, data_dir: Path) -> None:
    store = SqlTitleStore(imported)
    before = (store.counts(), TitleChainService(store).all_recordings())
    Importer(SqlRegister(imported)).run([data_dir / "us_assignments", data_dir / "us_odp", data_dir / "ep_legal"])
    assert (store.counts(), TitleChainService(store).all_recordings()) == before
    assert store.counts() == {"assignments": 12, "recorded_events": 46 + 51 + 14}  # example_2 replaces example_1


def test_st27_status_as_of_from_recorded_events(imported: Engine) -> None:
    service = St27StatusService(SqlRegister(imported), SqlRecordedEvents(imported),
                                ProcedureService(ProcedureStore(imported)), load_st27_vocabulary())
    abandoned = service.status("US15123456", date(2026, 1, 1))
    assert (abandoned["state"], abandoned["st27_category"], abandoned["st27_key_event"]) == ("not_in_force", "B", "B20")
    assert abandoned["deciding_event"]["code"] == "MABN2" and abandoned["unmapped"] == []
    assert service.status("US15123456", date(2018, 10, 1))["state"] == "pending"  # the day before ABN2
    for printed in ("US 15/123,456", "us15123456"):  # any printed form of the application number
        assert service.status(printed, date(2018, 10, 1))["state"] == "pending"
    assert service.status("US15123456", date(2018, 10, 2))["deciding_event"]["code"] == "ABN2"
    ep = service.status("EP 1000000", date(2002, 12, 27))
    assert (ep["state"], ep["sources"]) == ("pending", ["epo-ops-legal"])
    assert service.status("EP 1 000 000 B1", date(2002, 12, 28))["st27_key_event"] == "F10"  # kind code ignored
    lapsed = service.status("EP1000000", date(2026, 1, 1))  # every designated state lapsed by 2011-11-30
    assert (lapsed["state"], lapsed["deciding_event"]["territory"], lapsed["deciding_event"]["date"]) == (
        "not_in_force", "GB", "2011-11-30")
    us = service.status("US10465445", date(2019, 10, 15))
    assert us["state"] == "pending" and service.status("US10465445", date(2019, 10, 16))["state"] == "in_force"
    with pytest.raises(NoLegalEvents, match="US1"):
        service.status("US1", date(2026, 1, 1))


BAD_RECORD = """<?xml version="1.0" encoding="UTF-8"?>
<response><result name="response" numFound="2" start="0">
<doc><str name="reelNo">1</str><str name="frameNo">2</str><date name="recordedDate">2020-13-45T04:00:00Z</date>
<str name="conveyanceText">ASSIGNMENT OF ASSIGNORS INTEREST</str>
<arr name="patAssignorName"><str>A</str></arr><arr name="patAssigneeName"><str>B</str></arr>
<arr name="applNum"><str>12345678</str></arr></doc>
<doc><str name="reelNo">3</str><str name="frameNo">4</str><date name="recordedDate">2020-01-02T04:00:00Z</date>
<str name="conveyanceText">SECURITY INTEREST</str>
<arr name="patAssignorName"><str>A</str></arr><arr name="patAssigneeName"><str>B</str></arr>
<arr name="applNum"><str>NULL</str></arr><arr name="patNum"><str>NULL</str></arr></doc>
<doc><str name="reelNo">5</str><str name="frameNo">6</str><date name="recordedDate">2020-01-02T04:00:00Z</date>
<str name="conveyanceText">SECURITY INTEREST</str>
<arr name="patAssignorName"><str>A</str></arr><arr name="patAssigneeName"><str>B</str></arr>
<arr name="applNum"><str>12345678</str></arr></doc>
</result></response>
"""


def test_a_bad_record_is_reported_by_field_and_left_out_whole(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "assignments.xml"
    path.write_text(BAD_RECORD, encoding="utf-8")
    report = Importer(SqlRegister(engine)).run([path])
    assert [(p.record, p.field) for p in report.problems] == [("reel/frame 1/2", "recordedDate"),
                                                              ("reel/frame 3/4", "properties[0]")]
    assert "2020-13-45" in report.problems[0].reason
    assert [r["reel_frame"] for r in TitleChainService(SqlTitleStore(engine)).all_recordings()] == ["000005/0006"]
    assert SqlTitleStore(engine).counts()["assignments"] == 1


def test_st27_status_of_a_granted_case_of_this_office(engine: Engine) -> None:
    from ipoffice.services.procedures import Filing

    from .office_days import OfficeOnTheDay

    procedures = OfficeOnTheDay(ProcedureStore(engine))
    procedures.seed_demo()
    number = procedures.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", date(2014, 1, 10), "Lens"),
                             filed_by="agent.li").record.application_number
    for action, who, on in [
        ("request_early_publication", "agent.li", date(2014, 1, 15)),
        ("request_substantive_examination", "applicant.wang", date(2014, 1, 15)),
        ("pass_formality_examination", "examiner.zhang", date(2014, 2, 1)),
        ("publish", "registrar.zhou", date(2014, 3, 6)),
        ("start_substantive_examination", "examiner.liu", date(2014, 5, 6)),
        ("notify_grant", "examiner.liu", date(2015, 10, 8)),
    ]:
        procedures.act(number, action, on, who)
    procedures.pay_fee(number, "fee.invention.registration", date(2015, 10, 30), "agent.li")
    procedures.pay_fee(number, "fee.invention.annuity", date(2015, 10, 30), "agent.li", year=2)
    procedures.act(number, "complete_registration", date(2015, 11, 1), "agent.li")
    procedures.act(number, "announce_grant", date(2015, 11, 22), "registrar.zhou")
    service = St27StatusService(SqlRegister(engine), SqlRecordedEvents(engine), procedures, load_st27_vocabulary())
    before = service.status(number, date(2015, 11, 21))
    after = service.status(number, date(2015, 11, 22))
    assert (before["state"], after["state"]) == ("pending", "in_force")
    assert (after["st27_category"], after["st27_key_event"], after["deciding_event"]["code"]) == ("F", "F10",
                                                                                                  "announce_grant")
    assert after["sources"] == ["procedure:cn_invention"] and after["unmapped"] == []
    assert all(e["mapped_by"] == "procedure_actions" for e in after["events"])  # fee payments are no legal events
    assert service.status(number, date(2014, 1, 9))["state"] is None  # before filing: nothing to say


def test_st27_status_of_register_documents_counts_their_own_publication(engine: Engine, data_dir: Path) -> None:
    register = SqlRegister(engine)
    grant = data_dir / "us_xml" / "go_uspto" / "grant_v4-5-B2.xml"
    report = Importer(register).run([grant, data_dir / "us_prosecution" / "peds_dev.jsonl"])
    assert report.problems == []
    service = St27StatusService(register, SqlRecordedEvents(engine), ProcedureService(ProcedureStore(engine)),
                                load_st27_vocabulary())
    document = next(d for d in register.iter_documents() if d.source_format == "uspto-xml")
    assert document.publication_date is not None
    issued = service.status(document.number.compact, document.publication_date)
    assert (issued["state"], issued["st27_key_event"], issued["deciding_event"]["mapped_by"]) == (
        "in_force", "F10", "document kind")
    assert service.status(document.number.compact, date.fromordinal(document.publication_date.toordinal() - 1)
                          )["state"] is None
    peds = next(d for d in register.iter_documents() if d.source_format == "uspto-peds" and d.publication_date is None)
    status = service.status(peds.number.compact, date(2030, 1, 1))
    assert status["state"] == "pending" and status["unmapped"] == []  # prosecution events only: no dated grant
    assert [u["st27_key_event"] for u in status["undated_events"]] == ["F10"]  # said, not guessed


def test_the_transactions_indicator_counts_the_uspto_records_of_a_us_right(imported: Engine) -> None:
    """Value indicator ``transactions`` (issue #16) from the real records of US 8,789,601 B2: 6 security interests,
    2 of them released; the inventors' employee assignment is its one transfer."""
    from ipoffice.domain.document import Document, RightType
    from ipoffice.domain.numbers import PublicationNumber
    from ipoffice.services.recorded_transactions import RecordedTransactionsOf

    titles = TitleChainService(SqlTitleStore(imported))
    recorded = RecordedTransactionsOf(lambda: None, lambda: titles)  # type: ignore[arg-type,return-value]
    doc = Document(number=PublicationNumber.parse("US8789601B2"), right_type=RightType.INVENTION,
                   source_format="uspto-xml")
    found = recorded(doc)
    assert found is not None and found.source == "USPTO assignment records"
    assert (found.pledges, found.released_pledges, found.transfers, found.licences) == (4, 2, 1, 0)
    assert recorded(Document(number=PublicationNumber.parse("US1234567B2"), right_type=RightType.INVENTION,
                             source_format="uspto-xml")) is None  # no record covers it
    assert recorded(Document(number=PublicationNumber.parse("EP0430402B2"), right_type=RightType.INVENTION,
                             source_format="ep-xml")) is None  # no register of transactions for EP here
