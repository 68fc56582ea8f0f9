"""uspto-peds: real USPTO prosecution histories become legal events of the granted patents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ipoffice.adapters.importers.base import ImportNote, ImportProblem
from ipoffice.adapters.importers.uspto_peds import UsptoPedsImporter
from ipoffice.domain.document import Document


def test_granted_applications_carry_their_events(data_dir: Path) -> None:
    records = list(UsptoPedsImporter().read(data_dir / "us_prosecution" / "peds_dev.jsonl"))
    docs = {r.number.compact: r for r in records if isinstance(r, Document)}
    notes = [r for r in records if isinstance(r, ImportNote)]
    assert len(docs) == 189 and not [r for r in records if isinstance(r, ImportProblem)]
    assert len(notes) == 1 and notes[0].message.startswith("83 applications without a patent number skipped")
    doc = docs["US12186454"]  # application 18100000
    assert doc.application_number == "18100000"
    assert doc.application_date == date(2023, 1, 23)
    assert doc.title == "SCAFFOLDS FABRICATED FROM ELECTROSPUN DECELLULARIZED EXTRACELLULAR MATRIX"
    assert [(e.code, e.date) for e in doc.legal_events] == [
        ("CTRS", date(2023, 6, 6)), ("CTNF", date(2023, 9, 25)), ("MCTNF", date(2023, 9, 28)),
        ("CTFR", date(2024, 4, 1)), ("MCTFR", date(2024, 4, 5)), ("ABN9", date(2024, 8, 7)),
    ]
    assert doc.legal_events[0].description == "Restriction/Election Requirement"


def test_bad_lines_are_reported_and_the_rest_imported(tmp_path: Path) -> None:
    f = tmp_path / "peds.jsonl"
    f.write_text(
        '{"application_number": "1", "patent_number": "7000001", "prosecution_events": []}\n'
        "{not json\n"
        '{"application_number": "2", "patent_number": "7000002", "filing_date": "2023-02-30",'
        ' "prosecution_events": []}\n'
        '{"application_number": "3", "patent_number": "7000003",'
        ' "prosecution_events": [{"code": "CTNF", "date": "someday"}]}\n'
        '{"application_number": "4", "patent_number": "7000004", "prosecution_events": []}\n'
    )
    records = list(UsptoPedsImporter().read(f))
    assert [r.number.compact for r in records if isinstance(r, Document)] == ["US7000001", "US7000004"]
    problems = [r for r in records if isinstance(r, ImportProblem)]
    assert [(p.record, p.field) for p in problems] == [
        ("line 2", "line"), ("application 2", "filing_date"), ("application 3", "prosecution_events[0].date"),
    ]
