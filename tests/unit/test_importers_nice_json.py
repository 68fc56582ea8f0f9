"""The Nice classification: edition 10 with its goods and services, edition 13 class headings and notes."""

from __future__ import annotations

from pathlib import Path

from ipoffice.adapters.importers.base import ImportProblem
from ipoffice.adapters.importers.nice_json import NiceJsonImporter
from ipoffice.domain.reference import NiceClass, NiceTerm

IMPORTER = NiceJsonImporter()


def test_edition_10_classes_and_terms(data_dir: Path) -> None:
    records = list(IMPORTER.read(data_dir / "nice" / "nice_ncl10_2015_kemitchell.json"))
    assert not any(isinstance(r, ImportProblem) for r in records)
    classes = {r.number: r for r in records if isinstance(r, NiceClass)}
    terms = [r for r in records if isinstance(r, NiceTerm)]
    assert len(classes) == 45 and len(terms) == 8138 + 977
    assert classes[9].heading.startswith("Scientific, nautical, surveying, photographic, cinematographic, optical")
    assert (classes[9].kind, classes[9].edition) == ("goods", "10")
    # The file says "goods" for class 36; Nice says 35-45 are services.
    assert classes[36].kind == "services"
    assert terms[0] == NiceTerm(1, "combusting preparations [chemical additives to motor fuel]", "10", "010001")
    assert NiceTerm(35, "business management assistance", "10", "350001") in terms


def test_edition_13_headings_and_notes(data_dir: Path) -> None:
    records = list(IMPORTER.read(data_dir / "nice" / "nice_ncl13_2026_kylemcdonald_classes.json"))
    classes = {r.number: r for r in records if isinstance(r, NiceClass)}
    assert len(records) == len(classes) == 45
    nine = classes[9]
    assert nine.edition == "13" and nine.kind == "goods"
    assert nine.heading.startswith("Scientific, research, navigation, surveying, photographic, cinematographic")
    assert classes[45].kind == "services"
    assert classes[1].explanatory_note.startswith("Class 1 includes mainly chemical products for use in industry")
    assert "This Class includes, in particular:\nsensitized paper;" in classes[1].explanatory_note


def test_truncated_and_bad_records(tmp_path: Path) -> None:
    truncated = tmp_path / "nice_ncl13.json"
    truncated.write_text('[{"number": 1, "heading": "Chem')
    (problem,) = IMPORTER.read(truncated)
    assert isinstance(problem, ImportProblem) and problem.field == "file" and "truncated" in problem.reason

    bad = tmp_path / "nice_ncl13_bad.json"
    bad.write_text('[{"number": 46, "heading": "x"}, {"number": 3, "heading": ""}, {"number": 5, "heading": "Drugs"}]')
    records = list(IMPORTER.read(bad))
    assert [(r.record, r.field) for r in records if isinstance(r, ImportProblem)] == [
        ("classes[0]", "number"), ("classes[1]", "heading"),
    ]
    assert [r.number for r in records if isinstance(r, NiceClass)] == [5]


def test_sniff() -> None:
    assert IMPORTER.sniff(Path("a.json"), b'{ "edition": "10",\n "version": "2015",\n "classes": [')
    assert IMPORTER.sniff(Path("a.json"), b'[\n  {\n    "number": 1,\n    "heading": "Chemicals')
    assert not IMPORTER.sniff(Path("a.json"), b'[\n  "G06F30/20",\n  "G06F18/214"')
