"""Real shared data through the import service into SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from ipoffice.adapters.importers import IMPORTERS
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.document import Document
from ipoffice.services.importing import Importer


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
