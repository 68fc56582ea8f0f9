"""Real shared data through the import service into SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipoffice.adapters.importers import IMPORTERS
from ipoffice.adapters.importers.base import ImportProblem, Record
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.document import Document
from ipoffice.services.importing import Importer, ImportReport


def test_every_document_reads_back_exactly_as_imported(register: SqlRegister, data_dir: Path) -> None:
    files = [data_dir / "ep_xml", data_dir / "us_xml" / "go_uspto", data_dir / "cn",
             data_dir / "us_xml" / "patentsview_db" / "ipg120327.196.xml"]
    report = Importer(register, batch_size=50).run(files)
    assert report.problems == []
    assert report.counts.added >= 33 + 15 + 57
    # What the importer produced is what the register gives back, field for field.
    for path in (data_dir / "ep_xml" / "go_epo_eps" / "grant_v1-5-B2.xml",
                 data_dir / "us_xml" / "go_uspto" / "grant_v4-5-B2.xml"):
        fmt = "ep-xml" if "ep_xml" in path.parts else "uspto-xml"
        for original in IMPORTERS[fmt].read(path):
            assert isinstance(original, Document)
            assert register.get(original.number.compact) == original


def test_reimport_is_a_no_op_and_ipc_titles_are_bilingual(register: SqlRegister, data_dir: Path) -> None:
    ipc = data_dir / "ipc" / "ipc_bilingual.tsv"
    files = [data_dir / "ep_xml", ipc, data_dir / "nice"]
    first = Importer(register).run(files)
    stats = register.stats()
    second = Importer(register).run(files)
    assert (second.counts.added, second.counts.updated) == (0, 0)
    assert second.counts.unchanged == first.counts.added + first.counts.updated
    assert register.stats() == stats
    assert stats["ipc_symbols"] >= 80_000 and stats["nice_classes"] == 45
    h04w = register.ipc_titles(["H04W"])["H04W"]
    assert h04w.title_en.startswith("WIRELESS COMMUNICATION NETWORKS")
    assert h04w.title_zh.startswith("无线通信网络")


def test_reader_processes_save_exactly_what_one_process_saves(
    register: SqlRegister, data_dir: Path, tmp_path: Path
) -> None:
    """Reader processes (each reading and saving whole files) change how fast, never what is saved: a second
    import in one process finds every document unchanged (same rows, same hash), with the same problems."""
    weekly = data_dir / "us_xml" / "patentsview_db" / "ipg120327.196.xml"
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(weekly.read_bytes()[: weekly.stat().st_size // 3])
    garbage = tmp_path / "garbage.xml"
    garbage.write_bytes(b"<?xml version='1.0'?><us-patent-grant><oops")
    files = [data_dir / "ep_xml", data_dir / "us_xml" / "go_uspto", weekly, truncated, garbage, data_dir / "cn"]

    parallel = Importer(register, batch_size=40, readers=2).run(files)
    single = Importer(register, batch_size=40, readers=0).run(files)

    # The truncated copy repeats the weekly file's first documents: unchanged already in the first run.
    assert parallel.counts.added + parallel.counts.unchanged == single.counts.unchanged
    assert parallel.counts.added > 33 + 15 + 57
    assert (single.counts.added, single.counts.updated) == (0, 0)

    def problems(report: ImportReport) -> list[tuple[str, str | None, str | None, str]]:
        return [(Path(p.file).name, p.record, p.field, p.reason) for p in report.problems]

    assert problems(parallel) == problems(single)
    assert {name for name, *_ in problems(parallel)} == {"truncated.xml", "garbage.xml"}
    assert any("truncated" in reason for *_, reason in problems(parallel))
    assert parallel.formats == single.formats == {"ep-xml": 33, "uspto-xml": 18, "cn-csv": 3}


def test_readers_report_in_file_order_whatever_their_sizes(
    register: SqlRegister, data_dir: Path, tmp_path: Path
) -> None:
    """Readers take the next file when they are free, so a reader with a large file falls behind the
    others: the report still lists the problems in file order, as one process does."""
    weekly = data_dir / "us_xml" / "patentsview_db" / "ipg120327.196.xml"
    small = []
    for i in range(9):
        bad = tmp_path / f"bad{i}.xml"
        bad.write_bytes(b"<?xml version='1.0'?><us-patent-grant>" + b"<x>" * i)
        small.append(bad)
    files = [small[0], weekly, *small[1:5], data_dir / "us_xml" / "go_uspto", *small[5:]]

    parallel = Importer(register, batch_size=40, readers=3).run(files)
    single = Importer(register, batch_size=40, readers=0).run(files)

    assert [Path(p.file).name for p in parallel.problems] == [f"bad{i}.xml" for i in range(9)]
    assert parallel.problems == single.problems
    assert parallel.counts.added + parallel.counts.unchanged == single.counts.unchanged > 100


def test_with_readers_the_version_in_the_later_file_wins_whoever_saves_first(
    register: SqlRegister, data_dir: Path, tmp_path: Path
) -> None:
    """One reader takes a large file that ends with a version of US 11147202 B2, another a small file
    with a later version: the small file is saved first, and the earlier version must not replace it."""
    grant = (data_dir / "us_xml" / "go_uspto" / "grant_v4-5-B2.xml").read_bytes()
    weekly = (data_dir / "us_xml" / "patentsview_db" / "ipg120327.196.xml").read_bytes()
    large = tmp_path / "a-large.xml"
    large.write_bytes(weekly + b"\n" + grant.replace(b">Wheeled hand truck<", b">Wheeled hand truck, first version<"))
    later = tmp_path / "b-later.xml"
    later.write_bytes(grant.replace(b">Wheeled hand truck<", b">Wheeled hand truck, second version<"))

    report = Importer(register, readers=2).run([large, later])
    assert report.problems == []
    document = register.get("US11147202B2")
    assert document is not None and document.title == "Wheeled hand truck, second version"
    again = Importer(register, readers=0).run([large, later])  # in one process, in file order: the same result
    assert (again.counts.added, again.counts.updated) == (0, 2)  # to the first version, then to the second
    document = register.get("US11147202B2")
    assert document is not None and document.title == "Wheeled hand truck, second version"


def test_other_readers_never_wait_for_the_importing_process(
    register: SqlRegister, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process, in its first file, waits for the other reader to go through the rest: 400 bad files
    whose reports, more than a pipe holds, are taken in as they come, so the other reader finishes (and
    exits) meanwhile instead of waiting for this one to read them."""
    grant = tmp_path / "a-grant.xml"
    grant.write_bytes((data_dir / "us_xml" / "go_uspto" / "grant_v4-5-B2.xml").read_bytes())
    bad = [tmp_path / f"bad{i:03}.xml" for i in range(400)]
    for path in bad:
        path.write_bytes(b"<?xml version='1.0'?><us-patent-grant>" + b"<unclosed>" * 3)
    importer = IMPORTERS["uspto-xml"]
    read = importer.read
    importing_process = os.getpid()
    others_finished: list[bool] = []

    def read_slowly(path: Path) -> Iterator[Record | ImportProblem]:
        if os.getpid() == importing_process:
            deadline = time.monotonic() + 60
            while multiprocessing.active_children() and time.monotonic() < deadline:
                time.sleep(0.05)
            others_finished.append(not multiprocessing.active_children())
        return read(path)

    monkeypatch.setattr(importer, "read", read_slowly)
    report = Importer(register, readers=2).run([grant, *bad])
    assert others_finished == [True]
    assert [Path(p.file).name for p in report.problems] == [path.name for path in bad]
    assert report.counts.added == 1


def test_a_reader_process_that_dies_stops_the_import_with_a_clear_error(
    register: SqlRegister, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    importer = IMPORTERS["uspto-xml"]
    read = importer.read
    importing_process = os.getpid()

    def read_or_die(path: Path) -> Iterator[Record | ImportProblem]:
        if os.getpid() != importing_process:
            os._exit(3)  # the other reader (forked with this patch) dies at its first file
        return read(path)

    monkeypatch.setattr(importer, "read", read_or_die)
    with pytest.raises(RuntimeError, match=r"a reader process stopped \(exit code 3\)"):
        Importer(register, readers=2).run([data_dir / "us_xml" / "go_uspto"])
