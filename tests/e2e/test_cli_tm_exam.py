"""Relative grounds, opposition and watches through the real ``ipoffice`` command on a fresh register: an
examiner refuses a conflicting application citing the earlier mark, an opposition is filed on the last day
of the period and decided, a watch notifies the right holder before the period ends."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

Cli = Callable[..., subprocess.CompletedProcess[str]]


def lines(proc: subprocess.CompletedProcess[str]) -> list[Any]:
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def file_mark(cli: Cli, applicant: str, mark: str, classes: list[int], day: str) -> str:
    payload = json.dumps({"mark": mark, "nice_classes": classes})
    filed = cli("file", "-p", "cn_trademark", "--office", "CN-JS-SZ", "--applicant", applicant, "--as", applicant,
                "--date", day, "--title", mark, "--payload", payload, "--json")
    return str(json.loads(filed.stdout)["application_number"])


def test_refusal_citing_an_earlier_mark_opposition_and_watch(cli: Cli) -> None:
    cli("offices", "seed-demo")
    earlier = file_mark(cli, "applicant.chen", "AURORA", [9], "2026-01-05")
    number = file_mark(cli, "applicant.wang", "Aurora Pro", [9, 42], "2026-02-02")
    cli("act", number, "accept_for_examination", "--as", "examiner.zhang", "--date", "2026-02-10")

    found = lines(cli("tm", "earlier", number, "--as", "examiner.zhang", today="2026-03-01"))
    assert [(m["number"], m["mark"], m["classes"]) for m in found] == [(earlier, "AURORA", [9])]
    assert [r["kind"] for r in found[0]["reasons"]] == ["containment", "goods_services"]

    wrong = cli("tm", "refuse", number, "--cite", "CNT2026999999", "--as", "examiner.zhang", "--date",
                "2026-03-02", check=False)
    assert wrong.returncode == 1 and "not an earlier conflicting mark" in wrong.stderr
    bad = cli("tm", "refuse", number, "--cite", earlier, "--classes", "9,x", "--as", "examiner.zhang",
              "--date", "2026-03-02", check=False)
    assert bad.returncode == 1 and "--classes" in bad.stderr
    refused = lines(cli("tm", "refuse", number, "--cite", earlier, "--classes", "9", "--as", "examiner.zhang",
                        "--date", "2026-03-02"))[0]
    assert refused["state"] == "published_for_opposition"
    decision = refused["events"][-1]
    assert decision["code"] == "refuse_partially"
    assert decision["payload"]["earlier_marks"] == [{"number": earlier, "mark": "AURORA", "classes": [9]}]
    assert refused["open_time_limits"][0]["due"] == "2026-06-02"

    # A watch of another holder (class 42, still applied for) is notified before the period ends.
    watch = lines(cli("tm", "watch", "add", "AURORA PRO", "--classes", "42", "--as", "agent.li"))[0]
    bad_watch = cli("tm", "watch", "add", "AURORA", "--classes", "50", "--as", "agent.li", check=False)
    assert bad_watch.returncode == 1 and "classes" in bad_watch.stderr
    notices = lines(cli("tm", "watch", "run", "--date", "2026-03-03"))
    assert [(n["watch"], n["case"], n["opposition_ends"]) for n in notices] == [(watch["id"], number, "2026-06-02")]
    assert lines(cli("tm", "watch", "run", "--date", "2026-03-04")) == []
    assert [n["case"] for n in lines(cli("tm", "watch", "notices", "--as", "agent.li"))] == [number]
    assert [w["mark"] for w in lines(cli("tm", "watch", "list", "--as", "agent.li"))] == ["AURORA PRO"]

    late = cli("tm", "oppose", number, "--grounds", "earlier mark", "--as", "applicant.chen", today="2026-06-03",
               check=False)
    assert late.returncode == 1 and "the opposition period ended on 2026-06-02" in late.stderr
    opposed = lines(cli("tm", "oppose", number, "--grounds", "earlier mark AURORA", "--cite", earlier,
                        "--as", "applicant.chen", today="2026-06-02"))[0]
    assert opposed["state"] == "opposed"
    limits = {t["name"]: t["due"] for t in opposed["open_time_limits"]}
    assert limits == {"opposition_reply": "2026-07-02", "opposition_decision": "2027-06-02"}
    cli("act", number, "reply_to_opposition", "--as", "applicant.wang", "--date", "2026-07-02")
    registered = json.loads(cli("act", number, "register", "--as", "registrar.zhou", "--date", "2027-01-04",
                                "--json").stdout)
    assert registered["state"] == "registered"
