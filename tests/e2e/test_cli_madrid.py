"""An international registration designating China through the ``ipoffice`` command: the IB's notification
filed, the refusal and opposition periods computed from the rules, a grant refused while oppositions may
still come, a partial provisional refusal, and the deemed grant recorded by the overdue job."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

Cli = Callable[..., subprocess.CompletedProcess[str]]

NOTIFICATION = {"international_registration_number": "1466954", "international_registration_date": "2024-03-11",
                "gazette_date": "2024-05-16", "nice_classes": [9, 42]}


def _file(cli: Cli, payload: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    return cli("file", "-p", "cn_madrid_trademark", "--office", "CNIPA", "--applicant", "applicant.wang",
               "--as", "agent.li", "--date", "2024-05-20", "--title", "TOPGUN", "--payload", json.dumps(payload),
               "--json", check=False)


def test_a_designation_of_china_runs_to_deemed_protection(cli: Cli) -> None:
    cli("offices", "seed-demo")
    filed = json.loads(_file(cli, NOTIFICATION).stdout)
    number = filed["application_number"]
    limits = {t["name"]: t for t in filed["open_time_limits"]}
    assert limits["refusal_period"]["due"] == "2025-11-20"  # 18 months from the notification
    assert limits["opposition_period"]["due"] == "2024-09-02"  # June-August 2024; 31 August a Saturday
    assert "Madrid Protocol Art. 5(2)(b)" in limits["refusal_period"]["reference"]

    early = cli("act", number, "grant_protection", "--as", "registrar.zhou", "--date", "2024-08-30", check=False)
    assert early.returncode == 1 and "opposition period has ended on 2024-09-02" in early.stderr
    wrong = cli("act", number, "provisionally_refuse", "--as", "examiner.liu", "--date", "2024-09-10",
                "--payload", '{"refused_classes": [25]}', check=False)
    assert wrong.returncode == 1 and "refused_classes" in wrong.stderr and "register is unchanged" in wrong.stderr

    job = json.loads(cli("jobs", "run-overdue", "--today", "2025-11-21", "--json").stdout)
    recorded = [(e["code"], e["date"]) for o in job["outcomes"] if o["application_number"] == number
                for e in o["events"]]
    assert recorded == [("end_opposition_period", "2024-09-03"), ("deem_protected", "2025-11-21")]
    case = json.loads(cli("case", number, "--as", "registrar.zhou", "--json").stdout)
    assert case["state"] == "protected"
    assert [(t["name"], t["due"]) for t in case["open_time_limits"]] == [("protection_term", "2034-03-10")]


def test_a_notification_without_its_registration_number_is_refused_and_nothing_is_filed(cli: Cli) -> None:
    cli("offices", "seed-demo")
    missing = _file(cli, {k: v for k, v in NOTIFICATION.items() if k != "international_registration_number"})
    assert missing.returncode == 1 and "international_registration_number" in missing.stderr
    assert "CNT2024000001" not in cli("gazette", "--week", "2024-W21", "--json").stdout
    unknown = cli("case", "CNT2024000001", "--as", "registrar.zhou", check=False)
    assert unknown.returncode == 2 and "no case" in unknown.stderr


def test_the_ibs_transactions_are_fed_from_an_st66_file(cli: Cli, tmp_path: Path) -> None:
    """``tm madrid-feed`` as the office runs it, on the days the IB notifies: the designation alone on
    2024-05-20 (the hand-written file of tests/integration/madrid cut after its first event), then the whole
    file on 2024-08-02 — the designation already recorded, the limitation and transfer recorded dated the days
    notified; fed again, nothing new."""
    fixture = Path(__file__).parents[1] / "integration" / "madrid" / "ib_transactions.xml"
    text = fixture.read_text(encoding="utf-8")
    first = tmp_path / "designation.xml"
    first.write_text(text[:text.index("<wo:MarkEvent>", text.index("</wo:MarkEvent>"))]
                     + text[text.index("</wo:MarkEventDetails>"):], encoding="utf-8")
    cli("offices", "seed-demo")

    def feed(path: Path, today: str) -> list[dict[str, Any]]:
        out = cli("tm", "madrid-feed", str(path), "--holder", "applicant.wang", "--representative", "agent.li",
                  "--as", "registrar.zhou", today=today).stdout
        return [json.loads(line) for line in out.splitlines()]

    assert [(x["action"], x["outcome"]) for x in feed(first, "2024-05-20")] == [("file", "recorded")]
    lines = feed(fixture, "2024-08-02")
    assert [(x["action"], x["notified"], x["outcome"]) for x in lines] == [
        ("file", "2024-05-20", "already recorded"), ("record_limitation", "2024-07-01", "recorded"),
        ("record_transfer", "2024-08-01", "recorded")]
    case = json.loads(cli("case", lines[0]["case"], "--as", "registrar.zhou", "--json", today="2024-08-02").stdout)
    payloads = {e["code"]: e["payload"] for e in case["events"]}
    assert payloads["record_transfer"]["new_holder"] == "Skywarden Holdings GmbH"
    assert payloads["record_limitation"]["removed_classes"] == [42]
    assert [(e["code"], e["date"]) for e in case["events"]][:3] == [
        ("file", "2024-05-20"), ("record_limitation", "2024-07-01"), ("record_transfer", "2024-08-01")]
    assert {x["outcome"] for x in feed(fixture, "2024-08-02")} == {"already recorded"}
