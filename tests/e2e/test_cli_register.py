"""The register through the ``ipoffice`` command: import all real data, show, stats, idempotency, bad files."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

Cli = Callable[..., subprocess.CompletedProcess[str]]


def stats(cli: Cli) -> dict[str, Any]:
    return json.loads(cli("stats", "--json").stdout)


def test_importing_all_shared_data_fills_the_register(imported_register: tuple[Cli, dict[str, Any]]) -> None:
    cli, summary = imported_register
    s = stats(cli)
    assert s["documents"]["US"] >= 470 + 6000  # full-text XML + PatentsView abstracts
    assert s["documents"]["EP"] == 33
    assert s["documents"]["CN"] == 57
    assert s["ipc_symbols"] >= 70_000
    assert s["nice_classes"] == 45
    assert s["documents_total"] == sum(s["documents"].values())
    # The only rejected record of the real data is the garbled IPC line E01D101/0 (in two tables).
    assert summary["problems"] == 2


def test_show_json_has_claims_ipc_parties_and_citations(imported_register: tuple[Cli, dict[str, Any]]) -> None:
    cli, _ = imported_register
    doc = json.loads(cli("show", "US 7,862,757 B2", "--json").stdout)
    assert doc["number"] == "US7862757B2"
    assert doc["claims"] and doc["claims"][0]["number"] == 1
    assert doc["classifications"] and all(c["symbol"] for c in doc["classifications"])
    assert any(p["role"] == "inventor" for p in doc["parties"])
    assert doc["citations"]
    ipc = [c for c in doc["classifications"] if c["scheme"] == "IPC"]
    assert ipc and ipc[0]["title"] is not None and ipc[0]["title"]["en"]  # titled from the loaded IPC scheme


def test_show_says_what_the_record_lacks_instead_of_none(imported_register: tuple[Cli, dict[str, Any]]) -> None:
    """The CN sample documents carry no dates: the text says so rather than printing "published None"."""
    cli, _ = imported_register
    doc = json.loads(cli("show", "CN118866379A", "--json").stdout)
    assert doc["publication_date"] is None
    text = cli("show", "CN118866379A").stdout
    assert "None" not in text and "publication date not recorded" in text


def test_show_unknown_number_fails_clearly(imported_register: tuple[Cli, dict[str, Any]]) -> None:
    cli, _ = imported_register
    proc = cli("show", "US1", check=False)
    assert proc.returncode == 1 and "no document 'US1'" in proc.stderr


def test_second_import_adds_nothing(cli: Cli, data_dir: Path) -> None:
    files = [str(data_dir / "ep_xml"), str(data_dir / "us_xml" / "go_uspto"), str(data_dir / "cn")]
    first = json.loads(cli("import", *files, "--json").stdout)
    before = stats(cli)
    second = json.loads(cli("import", *files, "--json").stdout)
    assert first["added"] > 0
    assert (second["added"], second["updated"]) == (0, 0)
    assert second["unchanged"] == first["added"] + first["updated"] + first["unchanged"]
    assert stats(cli) == before


def test_corrupted_file_is_reported_and_changes_nothing_else(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    good = data_dir / "ep_xml" / "go_epo_eps" / "grant_v1-5-B1.xml"
    cli("import", str(good))
    before = stats(cli)
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    garbage = tmp_path / "garbage.xml"
    garbage.write_bytes(b"\x00\x01 this is not XML at all")
    report = tmp_path / "problems.jsonl"
    proc = cli("import", str(truncated), str(garbage), "--report-file", str(report), check=False)
    assert proc.returncode == 1
    problems = [json.loads(line) for line in report.read_text().splitlines()]
    assert {Path(p["file"]).name for p in problems} == {"truncated.xml", "garbage.xml"}
    assert any("truncated" in p["reason"] for p in problems)
    assert stats(cli) == before


def test_unknown_format_and_missing_path_are_usage_errors(cli: Cli, tmp_path: Path) -> None:
    proc = cli("import", str(tmp_path / "nope.xml"), check=False)
    assert proc.returncode == 2 and "no such file" in proc.stderr
    f = tmp_path / "x.xml"
    f.write_text("<a/>")
    proc = cli("import", str(f), "--format", "word-doc", check=False)
    assert proc.returncode == 2 and "unknown format 'word-doc'" in proc.stderr
    proc = cli("import", str(f), "--readers", "many", check=False)
    assert proc.returncode == 2 and "--readers must be auto or 0-4 (got 'many')" in proc.stderr


def test_interrupted_import_is_finished_by_a_rerun(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    """A copy of a weekly file cut short stands for a crash mid-file: the rerun with the whole file completes."""
    weekly = data_dir / "us_xml" / "patentsview_db" / "ipg120327.196.xml"
    lines = weekly.read_bytes().splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith(b"<?xml")]
    partial = tmp_path / "weekly.xml"
    partial.write_bytes(b"".join(lines[: starts[len(starts) // 2]]))  # the first half of the documents, whole
    first = json.loads(cli("import", str(partial), "--json").stdout)
    shutil.copy(weekly, partial)
    second = json.loads(cli("import", str(partial), "--json", "--readers", "2", check=False).stdout)
    assert first["added"] == len(starts) // 2
    assert second["unchanged"] == first["added"]
    assert second["added"] + second["unchanged"] + second["updated"] >= len(starts) - second["problems"]


def test_a_command_without_a_register_says_so_once(cli: Cli) -> None:
    """Run from another folder, ``ipoffice`` must not answer silently from a new, empty register."""
    first = cli("stats", "--json")
    assert "no register at" in first.stderr and "IPOFFICE_VAR" in first.stderr
    assert json.loads(first.stdout)["documents_total"] == 0
    assert "no register at" not in cli("stats", "--json").stderr  # it exists now


def test_init_and_import_make_a_register_without_the_note(cli: Cli) -> None:
    assert "no register at" not in cli("init").stderr


def test_search_takes_a_printed_number_as_a_number_search(imported_register: tuple[Cli, dict[str, Any]]) -> None:
    cli, _ = imported_register
    hits = [json.loads(line) for line in cli("search", "US 7,862,757 B2", "--json").stdout.splitlines()]
    assert [h["number"] for h in hits] == ["US7862757B2"]
    assert "number search: num=" in cli("search", "7862757").stdout.replace("\n", " ")
