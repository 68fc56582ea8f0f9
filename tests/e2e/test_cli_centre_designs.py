"""A design through a protection centre on the command line: eligibility by Locarno class (not IPC) under the
field list in force on the day, then the design pre-examination path — formality check, classification by
Locarno class, opinion, filing with the national office on the fast track with the design's own reply period
(15 days, rules/cn/fast_track.yaml) — to grant."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

Cli = Callable[..., subprocess.CompletedProcess[str]]
CENTRE = "CN-JS-SZ-PC"


def as_json(proc: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(proc.stdout)


def check(cli: Cli, day: str, locarno: str) -> Any:
    return as_json(cli("centres", "check", CENTRE, "--applicant", "applicant.wang", "-p", "cn_design",
                       "--locarno", locarno, "--date", day, "--json", check=False))


def test_a_design_is_checked_by_locarno_class_and_granted_on_the_fast_track(cli: Cli) -> None:
    cli("offices", "seed-demo")
    listed = {c["code"]: c for c in as_json(cli("centres", "list", "--json", "--date", "2026-07-01"))}
    assert listed[CENTRE]["locarno"] == ["14-03", "16", "26"] and "design" in listed[CENTRE]["right_types"]
    assert check(cli, "2026-06-30", "26-05")["code"] == "centre_right_type"  # before the announcement
    assert check(cli, "2026-07-01", "26-05")["eligible"] is True  # a class holds its subclasses
    assert check(cli, "2026-07-01", "14-03")["eligible"] is True
    assert check(cli, "2026-07-01", "14-02")["code"] == "centre_locarno_out_of_field"
    assert check(cli, "2026-07-01", "02-01")["code"] == "centre_locarno_out_of_field"

    def file(payload: dict[str, Any], day: str = "2026-09-14") -> subprocess.CompletedProcess[str]:
        return cli("file", "-p", "cn_design", "--office", "CN-JS-SZ", "--applicant", "applicant.wang", "--as",
                   "applicant.wang", "--date", day, "--title", "Desk lamp", "--payload",
                   json.dumps({"pre_examination_centre": CENTRE, **payload}), "--json", check=False)

    by_ipc = file({"ipc": ["F21V 21/00"]})  # a design's field is its Locarno class, not an IPC symbol
    assert by_ipc.returncode == 1 and "give the Locarno classes of the design" in by_ipc.stdout + by_ipc.stderr
    outside = file({"locarno": ["02-01"]})
    assert outside.returncode == 1 and "Locarno 02-01 outside the design fields" in outside.stdout + outside.stderr
    filed = as_json(file({"locarno": ["26-05"]}))
    number = filed["application_number"]
    assert (filed["procedure"], filed["office"], filed["state"]) == (
        "cn_design_fast_track", CENTRE, "pre_examination_requested")
    queue = as_json(cli("centres", "queue", CENTRE, "--as", "centre.xu", "--json"))
    assert [q["application_number"] for q in queue] == [number]

    steps = [("pass_formality_check", "centre.xu", "2026-09-15", {}),
             ("classify", "centre.xu", "2026-09-15", {"locarno": ["26-05"]}),
             ("draw_up_search_report", "centre.xu", "2026-09-16", {"citations": []}),
             ("pass_pre_examination", "centre.xu", "2026-09-16", {"text": "The design may be filed."}),
             ("file_with_national_office", "applicant.wang", "2026-09-18", {}),
             ("office_action", "examiner.liu", "2026-09-21", {"text": "Provide a clearer top view."})]
    for action, user, day, payload in steps:
        view = as_json(cli("act", number, action, "--as", user, "--date", day, "--payload", json.dumps(payload),
                           "--json"))
    limits = {t["name"]: t for t in view["open_time_limits"]}
    # 15 days from Monday 2026-09-21 end Tuesday 10-06, in the National Day holiday: Thursday 10-08.
    assert limits["fast_track_response"]["due"] == "2026-10-08"
    for action, user, day in (("respond", "applicant.wang", "2026-10-08"), ("notify_grant", "examiner.liu",
                              "2026-10-09"), ("complete_registration", "applicant.wang", "2026-10-12"),
                              ("announce_grant", "registrar.zhou", "2026-10-16")):
        view = as_json(cli("act", number, action, "--as", user, "--date", day, "--json"))
    assert view["state"] == "granted"
    figures = as_json(cli("centres", "figures", "--json"))
    assert [(f["field"], f["requests"], f["granted"]) for f in figures] == [("26", 1, 1)]
