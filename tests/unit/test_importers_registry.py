"""The importer registry and format detection over every shared data file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipoffice.adapters.importers import IMPORTERS, detect_format


def expected_format(relative: str) -> str | None:
    """What each shared data file is, by where it lies."""
    if relative.startswith("us_xml/"):
        # Sequence listings (<sequence-cwu>) and a toy <a><b> file are no patent documents.
        not_patents = relative.endswith("basic.xml") or "_unparsed_dna" in relative or "six_unparsed_" in relative
        return None if not_patents else "uspto-xml"
    if relative.startswith("ep_xml/"):
        return "ep-xml"
    if relative.startswith("us_abstracts/"):
        return "patentsview-csv"
    if relative.startswith("cn/liaoleyuan_sample_"):
        return "cn-csv"
    if relative.startswith("ipc/"):
        return "ipc-tsv"
    if relative.startswith("nice/"):
        return "nice-json"
    if relative == "us_prosecution/peds_dev.jsonl":
        return "uspto-peds"
    if relative.startswith("us_assignments/"):
        return "uspto-assignment-xml"
    if relative in ("us_odp/application.json", "us_odp/assignment.json", "us_odp/transactions.json"):
        return "uspto-odp-json"  # the other ODP responses hold neither transactions nor assignments
    if relative.startswith("ep_legal/example_"):
        return "epo-ops-legal"
    if relative == "ep_legal/legal_code_descriptions_202417.xlsx":
        return "epo-legal-codes"
    if relative.startswith("trademarks/wipo_gbd/"):
        return "tmbrand-xml" if relative.startswith("trademarks/wipo_gbd/iltm_") else "st66-xml"
    return None  # cn/liaoleyuan_selected_labels.json (a label list), us_prosecution/specifications.jsonl


def test_registry_names() -> None:
    assert set(IMPORTERS) == {
        "uspto-xml", "ep-xml", "patentsview-csv", "cn-csv", "ipc-tsv", "nice-json", "uspto-peds", "st66-xml",
        "tmbrand-xml", "uspto-assignment-xml", "uspto-odp-json", "epo-ops-legal", "epo-legal-codes",
    }
    assert all(importer.name == name for name, importer in IMPORTERS.items())


def test_every_shared_data_file_is_detected(data_dir: Path) -> None:
    files = sorted(p for p in data_dir.rglob("*") if p.is_file())
    assert len(files) >= 130
    wrong = {
        str(p.relative_to(data_dir)): detect_format(p)
        for p in files
        if detect_format(p) != expected_format(str(p.relative_to(data_dir)))
    }
    assert wrong == {}
    detected = [detect_format(p) for p in files]
    assert detected.count("uspto-xml") == 84
    assert detected.count("ep-xml") == 33
    assert detected.count("patentsview-csv") == 2
    assert detected.count("cn-csv") == 3
    assert detected.count("st66-xml") == 14
    assert detected.count("tmbrand-xml") == 8
    assert detected.count("uspto-assignment-xml") == 3
    assert detected.count("uspto-odp-json") == 3
    assert detected.count("epo-ops-legal") == 3
    assert detected.count("epo-legal-codes") == 1


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 20,  # binary
        b"Dear reader,\nthis is a letter, not office data.\n",
        b"",
        b'<?xml version="1.0"?><html><body>x</body></html>',
        b"a,b,c\n1,2,3\n",
    ],
)
def test_unknown_files_are_not_detected(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "unknown.dat"
    path.write_bytes(content)
    assert detect_format(path) is None
