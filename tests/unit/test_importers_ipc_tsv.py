"""The bilingual IPC table (80,919 symbols) and its two sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipoffice.adapters.importers.base import ImportProblem
from ipoffice.adapters.importers.ipc_tsv import IpcTsvImporter
from ipoffice.domain.classification import Level
from ipoffice.domain.reference import IpcEntry

IMPORTER = IpcTsvImporter()


@pytest.fixture(scope="module")
def bilingual(data_dir: Path) -> tuple[dict[str, IpcEntry], list[ImportProblem]]:
    entries: dict[str, IpcEntry] = {}
    problems: list[ImportProblem] = []
    for r in IMPORTER.read(data_dir / "ipc" / "ipc_bilingual.tsv"):
        if isinstance(r, IpcEntry):
            entries.setdefault(r.symbol, r)
        else:
            problems.append(r)
    return entries, problems


def test_counts_and_the_one_bad_line(bilingual: tuple[dict[str, IpcEntry], list[ImportProblem]]) -> None:
    entries, problems = bilingual
    assert len(entries) >= 70_000
    assert sum(1 for e in entries.values() if e.level == Level.SECTION) == 8
    # CNIPA's table lists "E01D101/0" as a subgroup: the symbol is a main group, so the line is reported.
    assert [(p.record, p.field) for p in problems] == [("line 47172", "level")]


def test_titles_in_english_and_chinese(bilingual: tuple[dict[str, IpcEntry], list[ImportProblem]]) -> None:
    entries, _ = bilingual
    assert entries["A"] == IpcEntry("A", Level.SECTION, "HUMAN NECESSITIES", "人类生活必需")
    assert entries["A01B 1/00"] == IpcEntry(
        "A01B 1/00",
        Level.MAIN_GROUP,
        "Hand tools (edge trimmers for lawns A01G0003060000)",
        "手动工具（草坪修整机入A01G3/06）",
    )
    assert entries["A01B 1/02"].title_en == "Spades; Shovels" and entries["A01B 1/02"].title_zh == "锹；铲"
    assert entries["H04W 72/04"] == IpcEntry(
        "H04W 72/04", Level.SUBGROUP, "Wireless resource allocation", "无线资源分配"
    )
    assert entries["H04W"].title_en.startswith("WIRELESS COMMUNICATION NETWORKS")
    assert entries["H04W"].title_zh.startswith("无线通信网络")


def test_source_tables_are_read_too(data_dir: Path) -> None:
    english = [r for r in IMPORTER.read(data_dir / "ipc" / "wipo_ipc_all_en.tsv")]
    assert not any(isinstance(r, ImportProblem) for r in english)  # titles broken over lines are joined
    spades = next(r for r in english if isinstance(r, IpcEntry) and r.symbol == "A01B 1/02")
    assert (spades.title_en, spades.title_zh) == ("Spades; Shovels", "")
    chinese = {r.symbol: r for r in IMPORTER.read(data_dir / "ipc" / "ipc_2026_01_zh.tsv") if isinstance(r, IpcEntry)}
    assert chinese["A01B 1/02"].title_zh == "锹；铲"


def test_bad_lines_name_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "ipc.tsv"
    path.write_text(
        "code\tlevel\ttitle_en\ttitle_zh\n"
        "A01B1/00\tmain_group\tHand tools\t手动工具\n"
        "XYZ\tclass\tNonsense\t无\n"
        "A01B1/02\tgroup\tSpades\t锹\n"
        "A01B1/04\tsubgroup\twith teeth\n"
    )
    records = list(IMPORTER.read(path))
    assert [r.symbol for r in records if isinstance(r, IpcEntry)] == ["A01B 1/00"]
    assert [(r.record, r.field) for r in records if isinstance(r, ImportProblem)] == [
        ("line 3", "code"), ("line 4", "level"), ("line 5", "line"),
    ]


def test_sniff() -> None:
    assert IMPORTER.sniff(Path("x.tsv"), "code\tlevel\ttitle_en\ttitle_zh\nA\tsection\tX\t甲\n".encode())
    assert not IMPORTER.sniff(Path("x.tsv"), b"hello\tworld\n")
