"""The importers of assignment records, ODP responses, EPO legal events and the EPO code table: the real
files read as expected, and a bad record is a problem naming its field while the others go on."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from ipoffice.adapters.importers.base import ImportNote, ImportProblem
from ipoffice.adapters.importers.epo_legal import EpoLegalImporter
from ipoffice.adapters.importers.epo_legal_codes import EpoLegalCodesImporter
from ipoffice.adapters.importers.uspto_assignments import UsptoAssignmentsImporter
from ipoffice.adapters.importers.uspto_odp import UsptoOdpImporter
from ipoffice.domain.assignments import Assignment
from ipoffice.domain.legal_status import RecordedEvents


def test_the_eleven_real_recordings_read_with_their_parties_and_properties(data_dir: Path) -> None:
    files = sorted((data_dir / "us_assignments").glob("*.xml"))
    records = [r for f in files for r in UsptoAssignmentsImporter().read(f)]
    assert all(isinstance(r, Assignment) for r in records) and len(records) == 11
    first = records[0]
    assert isinstance(first, Assignment)
    assert (first.reel_frame, first.recorded.isoformat(), first.pages) == ("018247/0405", "2006-09-14", 6)
    assert [p.patent_number for p in first.properties] == ["7130913", "7321937", "6195024", "6309424", "6601104"]
    assert first.properties[2].publication_number is None  # "NULL" in the record
    assert first.assignees[0].address == "15 WEST 36TH STREET, NEW YORK, NEW YORK, 10018"


def test_odp_application_gives_events_and_assignment_and_bare_responses_are_noted(data_dir: Path) -> None:
    out = list(UsptoOdpImporter().read(data_dir / "us_odp" / "application.json"))
    events = [r for r in out if isinstance(r, RecordedEvents)]
    bags = [r for r in out if isinstance(r, Assignment)]
    assert len(events) == 1 and events[0].number == "US15123456" and len(events[0].events) == 46
    assert [e.date for e in events[0].events] == sorted(e.date for e in events[0].events)
    assert bags[0].properties[0].publication_number == "20170071586" and bags[0].reel_frame == "047305/0442"
    assert bags[0].conveyance_type == "employee_assignment"  # WANG, MARVIN is the application's inventor
    for name in ("transactions.json", "assignment.json"):
        (note,) = UsptoOdpImporter().read(data_dir / "us_odp" / name)
        assert isinstance(note, ImportNote) and "applicationNumberText" in note.message


def test_odp_bad_fields_are_named(tmp_path: Path) -> None:
    entry = {"applicationNumberText": "16000001",
             "transactionContentBag": [{"recordedDate": "2020-01-01", "caseActionCode": "CTNF"},
                                       {"recordedDate": "1 May 2020", "caseActionCode": "NOA"}],
             "assignmentBag": [{"reelNumber": "00x1", "frameNumber": "1", "assignmentRecordedDate": "2020-01-01",
                                "conveyanceText": "ASSIGNMENT", "assignorBag": [{"assignorName": "A"}],
                                "assigneeBag": [{"assigneeNameText": "B"}]}]}
    path = tmp_path / "odp.json"
    path.write_text(json.dumps({"count": 1, "patentBag": [entry]}))
    problems = [r for r in UsptoOdpImporter().read(path) if isinstance(r, ImportProblem)]
    assert [(p.record, p.field) for p in problems] == [
        ("application 16000001", "transactionContentBag[1].recordedDate"),
        ("application 16000001", "assignmentBag[0].reelNumber")]
    path.write_text("{not json")
    (broken,) = UsptoOdpImporter().read(path)
    assert isinstance(broken, ImportProblem) and broken.field == "file"


def test_epo_legal_members_and_a_bad_event(data_dir: Path, tmp_path: Path) -> None:
    (member,) = EpoLegalImporter().read(data_dir / "ep_legal" / "example_3.xml")
    assert isinstance(member, RecordedEvents)
    assert (member.number, member.application_number, len(member.events)) == ("US10465445", "US201815919370", 14)
    text = (data_dir / "ep_legal" / "example_3.xml").read_text(encoding="utf-8")
    bad = text.replace("<ops:L007EP desc=\"Gazette DATE\">2018-03-14</ops:L007EP>",
                       "<ops:L007EP desc=\"Gazette DATE\">14.03.2018</ops:L007EP>", 1)
    path = tmp_path / "legal.xml"
    path.write_text(bad, encoding="utf-8")
    (problem,) = EpoLegalImporter().read(path)
    assert isinstance(problem, ImportProblem) and problem.record == "US10465445"
    assert problem.field is not None and problem.field.endswith(".L007EP") and "14.03.2018" in problem.reason


def test_a_workbook_without_the_code_table_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    assert EpoLegalCodesImporter().sniff(path, path.read_bytes()[:4096])
    (problem,) = EpoLegalCodesImporter().read(path)
    assert isinstance(problem, ImportProblem) and problem.field == "file" and "Authority" in problem.reason
