"""Issue #14 through the real ``ipoffice`` command on SQLite: ``audit anchor`` / ``audit verify --anchors``
finding a consistent rewrite, the gazette printing the anchor, a party's ``act --date`` refused, payload
keys checked, and ``backup`` / ``restore`` round-tripping the register."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ipoffice.domain.event_log import entry_hash

from .conftest import make_cli

Cli = Callable[..., subprocess.CompletedProcess[str]]
TODAY = "2026-11-30"


def as_json(proc: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(proc.stdout)


def _case(cli: Cli) -> str:
    cli("offices", "seed-demo")
    number: str = as_json(cli("file", "-p", "cn_invention", "--office", "CN-JS-SZ", "--applicant", "applicant.wang",
                              "--as", "agent.li", "--title", "Lens", "--json", today=TODAY))["application_number"]
    cli("act", number, "request_early_publication", "--as", "agent.li", today=TODAY)
    cli("act", number, "pass_formality_examination", "--as", "examiner.zhang", today=TODAY)
    cli("act", number, "publish", "--as", "registrar.zhou", today=TODAY)
    return number


def test_anchor_finds_a_consistent_rewrite_and_the_gazette_prints_it(cli: Cli, tmp_path: Path) -> None:
    _case(cli)
    anchors = tmp_path / "witness" / "anchors.jsonl"
    anchored = as_json(cli("audit", "anchor", "--file", str(anchors), "--json"))
    assert anchored["sequence"] == 4 and len(anchored["hash"]) == 64
    assert "anchored event 4" in cli("audit", "anchor").stdout  # the default file under var/
    assert (tmp_path / "var" / "audit-anchors.jsonl").is_file()
    gazette = cli("gazette", "--week", "2026-W49").stdout
    assert f"anchor of the event log: event 4, hash {anchored['hash']}" in gazette
    assert as_json(cli("gazette", "--week", "2026-W49", "--json"))["anchor"]["hash"] == anchored["hash"]
    assert "1 anchors matched" in cli("audit", "verify", "--anchors", str(anchors)).stdout

    # Someone with the database file drops the triggers, changes event 2 and recomputes every later hash
    # and the head: the chain is consistent again…
    with sqlite3.connect(tmp_path / "var" / "ipoffice.db") as db:
        for trigger in ("case_events_no_update", "event_chain_forward_only"):
            db.execute(f"DROP TRIGGER {trigger}")
        rows = db.execute("SELECT e.sequence, c.application_number, e.code, e.event_date, e.actor, e.office_code, "
                          "e.payload, e.previous_hash FROM case_events e JOIN cases c ON c.id = e.case_id "
                          "ORDER BY e.sequence").fetchall()
        previous = rows[1][7]
        for seq, case, code, on, actor, office, payload, _ in rows[1:]:
            actor = "agent.zhao" if seq == 2 else actor
            digest = entry_hash(previous, seq, case, code, date.fromisoformat(on), actor, office, json.loads(payload))
            db.execute("UPDATE case_events SET actor = ?, previous_hash = ?, hash = ? WHERE sequence = ?",
                       (actor, previous, digest, seq))
            previous = digest
        db.execute("UPDATE event_chain SET head_hash = ?", (previous,))
    assert cli("audit", "verify").returncode == 0  # …so the database alone cannot tell
    broken = cli("audit", "verify", "--anchors", str(anchors), check=False)
    assert broken.returncode == 1
    assert "event 4" in broken.stdout and "the log was rewritten at or before event 4" in broken.stdout


def test_a_party_cannot_choose_the_date_and_payloads_are_checked(cli: Cli) -> None:
    number = _case(cli)
    future = cli("act", number, "request_substantive_examination", "--as", "applicant.wang", "--date", "2031-06-01",
                 check=False, today=TODAY)
    assert future.returncode == 1 and "2031-06-01 is in the future" in future.stderr
    past = cli("act", number, "request_substantive_examination", "--as", "applicant.wang", "--date", "2026-11-01",
               check=False, today=TODAY)
    assert past.returncode == 1 and "an act of a party is dated the day the office receives it" in past.stderr
    unknown = cli("act", number, "request_substantive_examination", "--as", "applicant.wang",
                  "--payload", '{"colour": "red"}', check=False, today=TODAY)
    assert unknown.returncode == 1 and "payload.colour: unknown key" in unknown.stderr
    phantom = cli("act", number, "request_substantive_examination", "--as", "applicant.wang", "--payload",
                  json.dumps({"document": "reply.pdf", "sha256": "a" * 64}), check=False, today=TODAY)
    assert phantom.returncode == 1 and "names no document 'reply.pdf'" in phantom.stderr
    done = as_json(cli("act", number, "request_substantive_examination", "--as", "applicant.wang", "--json",
                       today=TODAY))
    assert done["events"][-1]["date"] == TODAY
    late = cli("act", number, "start_substantive_examination", "--as", "examiner.zhang", "--date", "2026-11-29",
               check=False, today=TODAY)
    assert late.returncode == 1 and "needs a reason" in late.stderr


def test_backup_and_restore_round_trip(cli: Cli, tmp_path: Path, shared: Path) -> None:
    cli("import", str(shared / "data" / "cn" / "liaoleyuan_sample_test.csv"), check=False)
    number = _case(cli)
    upload = tmp_path / "var" / "uploads" / number.replace(".", "_") / f"{'b' * 64}-reply.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 reply")
    documents = as_json(cli("stats", "--json"))
    head = as_json(cli("audit", "verify", "--json"))["head_hash"]

    saved = as_json(cli("backup", str(tmp_path / "backup"), "--json"))
    assert saved["method"] == "sqlite-backup-api" and saved["head_hash"] == head and saved["uploads"] == 1
    again = cli("backup", str(tmp_path / "backup"), check=False)
    assert again.returncode == 2 and "not empty" in again.stderr

    other = make_cli(tmp_path / "other")
    other("init")
    restored = as_json(other("restore", str(tmp_path / "backup"), "--json"))
    assert restored["audit_ok"] and restored["head_hash"] == head
    assert documents["documents_total"] > 0 and restored["indexed_documents"] == documents["documents_total"]
    assert as_json(other("stats", "--json")) == documents
    assert (tmp_path / "other" / "uploads" / upload.parent.name / upload.name).read_bytes() == b"%PDF-1.4 reply"
    assert as_json(other("case", number, "--json"))["state"] == "published"
    assert other("search", "ti=lens", "--mode", "bm25", check=False).returncode in (0, 1)  # the index exists

    refused = other("restore", str(tmp_path / "backup"), check=False)
    assert refused.returncode == 2 and "not empty" in refused.stderr and "--force" in refused.stderr
    assert as_json(other("restore", str(tmp_path / "backup"), "--force", "--no-index", "--json"))["audit_ok"]
