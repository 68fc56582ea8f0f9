"""The procedures through the real ``ipoffice`` command on a fresh SQLite register:
seed-demo, file, act (and a refused act), case, gazette, jobs run-overdue, audit verify."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ipoffice.services.procedures import DEMO_OFFICES, DEMO_USERS

Cli = Callable[..., subprocess.CompletedProcess[str]]


def as_json(proc: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(proc.stdout)


def test_file_act_gazette_overdue_and_audit(cli: Cli, tmp_path: Path) -> None:
    assert f"{len(DEMO_OFFICES)} new offices, {len(DEMO_USERS)} new users" in cli("offices", "seed-demo").stdout
    offices = as_json(cli("offices", "list", "--json"))
    assert {(o["code"], o["level"], o["parent"]) for o in offices} >= {
        ("CNIPA", "national", None), ("CN-JS", "provincial", "CNIPA"), ("CN-JS-SZ", "local", "CN-JS"),
        ("CN-JS-SPC", "service_centre", "CN-JS")}

    filed = as_json(cli("file", "-p", "cn_invention", "--office", "CN-JS-SZ", "--applicant", "applicant.wang",
                        "--as", "agent.li", "--date", "2024-01-10", "--title", "光学镜头 Optical lens",
                        "--priority", "2023-07-03", "--json"))
    number = filed["application_number"]
    assert number == "202410000001.X"
    assert filed["state"] == "filed" and filed["agent"] == "agent.li"
    assert filed["open_time_limits"][0]["due"] == "2026-07-03"  # 3 years from the priority date
    forgotten = as_json(cli("file", "-p", "cn_invention", "--office", "CN-JS-SPC", "--applicant", "applicant.wang",
                            "--as", "applicant.wang", "--date", "2024-01-10", "--json"))["application_number"]
    assert forgotten == "202410000002.4"

    cli("act", number, "request_early_publication", "--as", "agent.li", "--date", "2024-01-15")
    twice = cli("act", number, "request_early_publication", "--as", "agent.li", "--date", "2024-01-15", check=False)
    assert twice.returncode == 1 and "already requested on 2024-01-15" in twice.stderr  # a request is made once
    cli("act", number, "pass_formality_examination", "--as", "examiner.zhang", "--date", "2024-02-01")

    refused = cli("act", number, "announce_grant", "--as", "registrar.zhou", "--date", "2024-02-02", check=False)
    assert refused.returncode == 1
    assert "not allowed in state 'formality_examined'" in refused.stderr
    assert "allowed actions: deem_withdrawn, publish, reject" in refused.stderr
    assert "register is unchanged" in refused.stderr
    denied = cli("act", number, "publish", "--as", "examiner.zhang", "--date", "2024-03-06", check=False)
    assert denied.returncode == 3 and "needs the role registrar" in denied.stderr
    unknown = cli("act", number, "publish", "--as", "nobody", check=False)
    assert unknown.returncode == 2 and "no user 'nobody'" in unknown.stderr

    published = as_json(cli("act", number, "publish", "--as", "registrar.zhou", "--date", "2024-03-06", "--json"))
    assert published["state"] == "published" and published["published"] is True
    assert [e["code"] for e in published["events"]] == [
        "file", "request_early_publication", "pass_formality_examination", "publish"]

    gazette = as_json(cli("gazette", "--week", "2024-W10", "--json"))
    assert (gazette["from"], gazette["to"]) == ("2024-03-04", "2024-03-10")
    assert [(i["section"], i["application_number"], i["title"]) for i in gazette["items"]] == [
        ("published", number, "光学镜头 Optical lens")]
    assert "Published" in cli("gazette", "--week", "2024-W10").stdout
    bad_week = cli("gazette", "--week", "2024-10", check=False)
    assert bad_week.returncode == 1 and "expected an ISO week" in bad_week.stderr

    public = as_json(cli("case", number, "--json"))  # the public sees a published case
    assert public["state"] == "published"
    hidden = cli("case", forgotten, check=False)  # …but not an unpublished one
    assert hidden.returncode == 2 and f"no public case with application number '{forgotten}'" in hidden.stderr
    assert "--as USERNAME" in hidden.stderr  # says how to see it

    job = as_json(cli("jobs", "run-overdue", "--today", "2027-02-01", "--json"))
    assert job["cases_checked"] == 2
    assert {(o["application_number"], o["state"], o["events"][0]["date"]) for o in job["outcomes"]} == {
        (number, "deemed_withdrawn", "2026-07-04"), (forgotten, "deemed_withdrawn", "2027-01-12")}
    seen = as_json(cli("case", forgotten, "--as", "applicant.wang", "--json"))
    assert seen["state"] == "deemed_withdrawn" and seen["allowed_actions"] == ["restore"]
    assert [n["addressee"] for n in seen["notices"]] == ["applicant.wang"]

    audit = as_json(cli("audit", "verify", "--json"))
    assert audit["ok"] and audit["events_checked"] == 7

    with sqlite3.connect(tmp_path / "var" / "ipoffice.db") as db:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # the trigger refuses it
            db.execute("UPDATE case_events SET actor = 'registrar.zhou' WHERE sequence = 3")
        db.execute("DROP TRIGGER case_events_no_update")  # …unless dropped by someone with the file
        db.execute("UPDATE case_events SET actor = 'registrar.zhou' WHERE sequence = 3")
    broken = cli("audit", "verify", check=False)
    assert broken.returncode == 1
    assert f"event 3 (case {number}): content does not match its hash" in broken.stdout


def test_extended_limit_agrees_in_case_due_and_overdue_job(cli: Cli) -> None:
    """Issue #13 case 9: an office action of 2024-10-15 (4 months end on Saturday 2025-02-15) extended by
    2 months ends on 2025-04-15 (4 + 2 months from the deemed receipt), in every command."""
    cli("offices", "seed-demo")
    number = as_json(cli("file", "-p", "cn_invention", "--office", "CN-JS-SZ", "--applicant", "applicant.wang",
                         "--as", "agent.li", "--date", "2023-01-10", "--json"))["application_number"]
    for action, user, day in [("request_substantive_examination", "agent.li", "2023-01-10"),
                              ("request_early_publication", "agent.li", "2023-01-11"),
                              ("pass_formality_examination", "examiner.zhang", "2023-02-01"),
                              ("publish", "registrar.zhou", "2023-03-01"),
                              ("start_substantive_examination", "examiner.zhang", "2023-06-01"),
                              ("office_action", "examiner.zhang", "2024-10-15")]:
        cli("act", number, action, "--as", user, "--date", day)
    limit = as_json(cli("case", number, "--as", "agent.li", "--json"))["open_time_limits"]
    assert [(t["name"], t["due"]) for t in limit] == [("office_action_response", "2025-02-17")]
    extended = as_json(cli("act", number, "request_extension", "--as", "agent.li", "--date", "2025-02-10",
                           "--payload", '{"months": 2}', "--json"))
    assert [t["due"] for t in extended["open_time_limits"]] == ["2025-04-15"]
    assert [t["due"] for t in as_json(cli("case", number, "--as", "agent.li", "--json"))["open_time_limits"]] == [
        "2025-04-15"]
    due = as_json(cli("due", "--jurisdiction", "cn", "--event", "office_action_first", "--date", "2024-10-15",
                      "--extension-months", "2"))
    assert (due["due"], due["extended_due"], due["last_day_with_extensions"]) == (
        "2025-02-17", "2025-04-15", "2025-04-15")
    assert as_json(cli("jobs", "run-overdue", "--today", "2025-04-15", "--json"))["outcomes"] == []
    job = as_json(cli("jobs", "run-overdue", "--today", "2025-04-16", "--json"))
    assert [(o["application_number"], o["state"], o["events"][0]["date"]) for o in job["outcomes"]] == [
        (number, "deemed_withdrawn", "2025-04-16")]


def test_registration_waits_for_the_grant_year_annuity_paid_with_the_cli(cli: Cli) -> None:
    """CN Implementing Regulations Rule 97 (2010 numbering): the grant-year annuity is paid with the
    registration formalities; ``ipoffice pay`` lists what the case owes and pays it."""
    cli("offices", "seed-demo")
    number = as_json(cli("file", "-p", "cn_invention", "--office", "CN-JS-SZ", "--applicant", "applicant.wang",
                         "--as", "applicant.wang", "--date", "2024-01-10", "--title", "Lens",
                         "--json"))["application_number"]
    for action, user, day in (("request_early_publication", "applicant.wang", "2024-01-11"),
                              ("request_substantive_examination", "applicant.wang", "2024-01-11"),
                              ("pass_formality_examination", "examiner.zhang", "2024-02-01"),
                              ("publish", "registrar.zhou", "2024-03-06"),
                              ("start_substantive_examination", "examiner.zhang", "2024-05-06"),
                              ("notify_grant", "examiner.zhang", "2024-10-08")):
        cli("act", number, action, "--as", user, "--date", day)
    early = cli("act", number, "complete_registration", "--as", "applicant.wang", "--date", "2024-10-20",
                check=False)
    assert early.returncode == 1 and "fee.invention.annuity (year 1) 900 CNY" in early.stderr
    assert "Rule 97" in early.stderr
    owed = as_json(cli("pay", number, "--as", "applicant.wang", "--date", "2024-10-20", "--json"))
    assert {(f["fee"], f["year"], f["amount"], f["paid"]) for f in owed} >= {
        ("fee.invention.examination", None, "2500", False), ("fee.invention.annuity", 1, "900", False)}
    cli("pay", number, "fee.invention.annuity", "--year", "1", "--as", "applicant.wang", "--date", "2024-10-20")
    again = cli("pay", number, "fee.invention.annuity", "--year", "1", "--as", "applicant.wang",
                "--date", "2024-10-20", check=False)
    assert again.returncode == 1 and "already paid" in again.stderr
    done = as_json(cli("act", number, "complete_registration", "--as", "applicant.wang", "--date", "2024-10-21",
                       "--json"))
    assert done["state"] == "registered"
