"""Conformance of the US procedure with 272 real USPTO prosecution histories (PEDS)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.services.replay import replay_all

# Measured on peds_dev.jsonl: 272/272 consistent (2026-11). The floor keeps it from regressing.
CONSISTENCY_FLOOR = 0.99


@pytest.fixture(scope="module")
def peds_file(data_dir: Path) -> Path:
    path = data_dir / "us_prosecution" / "peds_dev.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found (set IPOFFICE_SHARED)")
    return path


@pytest.fixture(scope="module")
def replayed(peds_file: Path):
    records = [json.loads(line) for line in peds_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    return replay_all(records, load_rules("us"))


def test_consistency_and_no_unknown_event_codes(replayed):
    results, summary = replayed
    assert summary.histories == 272
    assert summary.unknown_event_codes == {}
    assert summary.consistency >= CONSISTENCY_FLOOR, [r.reason for r in summary.inconsistent]
    assert summary.violations == 0


def test_deadlines_of_a_real_history(replayed):
    results, _ = replayed
    record = next(r for r in results if r.application_number == "18100000")
    assert record.derived_state == "awaiting_examination"  # the RCE (ABN9, 2024-08-07) is the last event
    assert record.recorded_status == "Patented Case" and record.consistent
    mailed = [(d["event"], d["date"], d["response_due"], d["last_day_with_extensions"]) for d in record.deadlines
              if d["event"].startswith("M")]
    assert mailed == [
        ("MCTNF", "2023-09-28", "2023-12-28", "2024-03-28"),
        ("MCTFR", "2024-04-05", "2024-07-05", "2024-10-07"),  # 5 October 2024 is a Saturday
    ]
    assert record.implied_steps == ["2023-09-25 reply_to_restriction", "2024-04-01 reply"]


def test_same_day_rce_disposal_precedes_the_new_action(replayed):
    results, _ = replayed
    record = next(r for r in results if r.application_number == "17800003")  # ABN9 and CTNF on 2026-02-12
    assert record.derived_state == "non_final_rejection"
    assert record.recorded_status == "Non Final Action Mailed"
    assert record.violations == []


def test_statuses_still_awaiting_a_reply_after_the_statutory_period(replayed):
    _, summary = replayed
    assert [(r.application_number, r.overdue_at_pull) for r in summary.stale] == [
        ("18100056", ["reply_to_restriction ended 2026-01-26 -> abandon_for_failure_to_reply"]),
        ("18100076", ["reply_to_non_final_rejection ended 2026-03-09 -> abandon_for_failure_to_reply"]),
    ]


def test_cli_prints_one_json_line_per_application(peds_file: Path):
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("ipoffice")), "replay", "--jurisdiction", "us", str(peds_file), "--json"],
        capture_output=True, text=True, check=True,
    )
    lines = [json.loads(line) for line in completed.stdout.splitlines()]
    assert len(lines) == 272
    assert set(lines[0]) >= {"application_number", "derived_state", "recorded_status", "consistent",
                             "unknown_events", "violations", "deadlines"}
    assert "272/272 consistent" in completed.stderr


def test_rce_after_a_non_final_rejection_implies_an_allowance_not_an_unrecorded_final_rejection(replayed):
    results, _ = replayed
    record = next(r for r in results if r.application_number == "17700027")  # CTNF, MCTNF, ABN9 2023-11-21
    assert record.implied_steps == ["2023-11-21 reply", "2023-11-21 notice_of_allowance"]
    assert record.derived_state == "awaiting_examination" and record.consistent
    replaced = next(r for r in results if r.application_number == "17500024")  # CTFR 10-05, again 10-12
    finals = [d["response_due"] for d in replaced.deadlines if d["event"] == "MCTFR"]
    assert finals == ["2024-01-12", "2024-01-17"]  # the replacement final action restarts the period


def test_real_histories_have_no_unmapped_status(replayed, data_dir: Path):
    """Every status text of the real PEDS histories and of the real ODP records is in the vocabulary."""
    from ipoffice.adapters.uspto_status import load_status_vocabulary

    _, summary = replayed
    assert summary.unknown_statuses == {}
    vocabulary = load_status_vocabulary()
    odp_texts: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "applicationStatusDescriptionText" and isinstance(value, str):
                    odp_texts.add(value)
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    for path in sorted((data_dir / "us_odp").glob("*.json")):
        collect(json.loads(path.read_text(encoding="utf-8")))
    assert odp_texts, "no ODP status texts found"
    assert {t for t in odp_texts if vocabulary.states_for(t) is None} == set()


def test_closure_histories_of_the_bug_reports(data_dir: Path):
    """The two histories of issue #13 (../shared/cases): response periods ending on USPTO closures."""
    path = data_dir.parent / "cases" / "2026-11-30" / "peds_closures.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    results, summary = replay_all(records, load_rules("us"))
    assert summary.unknown_statuses == {} and summary.consistent == len(records)
    assert {r.application_number: [d["response_due"] for d in r.deadlines] for r in results} == {
        "15999001": ["2018-12-26"], "17999002": ["2025-12-29"]}
