"""Recordals through the real ``ipoffice`` command on a fresh SQLite register: a granted CN invention transferred,
licensed, pledged, released and put under open licence (``recordal file``, ``recordal decide``, ``recordals``,
``right``), refusals naming the rule (exit 1, JSON with ``code``), and the pledgee alerted by the overdue job."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

Cli = Callable[..., subprocess.CompletedProcess[str]]


def as_json(proc: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(proc.stdout)


def grant_cn_invention(cli: Cli) -> str:
    """A CN invention filed 2019-01-07 (single-applicant fee reduction), granted 2021-02-05."""
    cli("offices", "seed-demo")
    number = as_json(cli("file", "-p", "cn_invention", "--office", "CN-JS-SZ", "--applicant", "applicant.wang",
                         "--as", "agent.li", "--date", "2019-01-07", "--title", "光学镜头 Optical lens",
                         "--payload", '{"fee_reduction": "single_applicant"}', "--json"))["application_number"]
    for action, who, day in [
        ("request_substantive_examination", "applicant.wang", "2019-02-01"),
        ("pass_formality_examination", "examiner.zhang", "2019-03-01"),
        ("publish", "registrar.zhou", "2020-07-07"),
        ("start_substantive_examination", "examiner.liu", "2020-08-03"),
        ("notify_grant", "examiner.liu", "2020-12-01"),
    ]:
        cli("act", number, action, "--as", who, "--date", day)
    cli("pay", number, "fee.invention.annuity", "--year", "3", "--as", "agent.li", "--date", "2021-01-10")
    cli("act", number, "complete_registration", "--as", "agent.li", "--date", "2021-01-10")
    cli("act", number, "announce_grant", "--as", "registrar.zhou", "--date", "2021-02-05")
    return number


def file_and_register(cli: Cli, number: str, kind: str, who: str, day: str, payload: dict[str, Any],
                      *, fee: str | None = None) -> int:
    """File and register; a request owing ``fee`` is first refused registration naming it, then paid."""
    filed = as_json(cli("recordal", "file", number, "--type", kind, "--as", who, "--date", day,
                        "--payload", json.dumps(payload), "--json"))
    if fee is not None:
        assert filed["examination"]["code"] == "recordal_fee_unpaid" and filed["fee"]["name"] == fee, filed
        unpaid = cli("recordal", "decide", str(filed["id"]), "register", "--as", "registrar.zhou", "--date", day,
                     "--json", check=False)
        assert unpaid.returncode == 1 and as_json(unpaid)["code"] == "recordal_fee_unpaid"
        assert fee in as_json(unpaid)["error"]
        filed = as_json(cli("recordal", "pay", str(filed["id"]), "--as", who, "--date", day, "--json"))
        assert filed["fee_paid_on"] == day
    assert filed["state"] == "filed" and filed["examination"] == {"passed": True}, filed
    decided = as_json(cli("recordal", "decide", str(filed["id"]), "register", "--as", "registrar.zhou",
                          "--date", day, "--json"))
    assert decided["state"] == "registered" and decided["decided_on"] == day
    return int(filed["id"])


def test_granted_invention_through_the_cli(cli: Cli) -> None:
    number = grant_cn_invention(cli)
    file_and_register(cli, number, "transfer", "applicant.wang", "2021-03-01", {"assignees": ["applicant.chen"]},
                      fee="fee.recordal.change_of_patentee")
    file_and_register(cli, number, "licence", "applicant.chen", "2021-03-10",
                      {"kind": "exclusive", "licensee": "Suzhou Optics Ltd", "contract_effective": "2021-03-01",
                       "ends": "2021-05-31"})
    pledge = file_and_register(cli, number, "pledge", "applicant.chen", "2021-04-01",
                               {"pledgee": "ICBC Suzhou", "amount": 5000000})

    # Refused on registration, naming the rule; the request stays filed until the registrar refuses it.
    filed = as_json(cli("recordal", "file", number, "--type", "open_licence", "--as", "applicant.chen",
                        "--date", "2021-06-01", "--payload", '{"royalty": "3% of net sales"}', "--json"))
    assert filed["examination"]["code"] == "pledgee_consent_missing"
    refused = cli("recordal", "decide", str(filed["id"]), "register", "--as", "registrar.zhou", "--date",
                  "2021-06-01", "--json", check=False)
    assert refused.returncode == 1 and as_json(refused)["code"] == "pledgee_consent_missing"
    assert "Civil Code Art. 444(2)" in as_json(refused)["error"]
    denied = cli("recordal", "decide", str(filed["id"]), "refuse", "--as", "examiner.zhang", "--date", "2021-06-01",
                 check=False)
    assert denied.returncode == 3
    refusal = as_json(cli("recordal", "decide", str(filed["id"]), "refuse", "--as", "registrar.zhou",
                          "--date", "2021-06-01", "--json"))
    assert (refusal["state"], refusal["reason_code"]) == ("refused", "pledgee_consent_missing")

    file_and_register(cli, number, "pledge_release", "applicant.chen", "2021-06-02", {"pledge": pledge})
    file_and_register(cli, number, "open_licence", "applicant.chen", "2021-06-03", {"royalty": "3% of net sales"})
    file_and_register(cli, number, "open_licence_take", "applicant.wang", "2021-06-10",
                      {"licensee": "applicant.wang"})

    right = as_json(cli("right", number, "--as-of", "2021-06-30", "--json"))
    assert set(right) >= {"owners", "licences", "open_licence", "pledges", "status", "annual_fees", "alerts"}
    assert right["owners"] == ["applicant.chen"] and right["pledges"] == []
    assert [lic["licensee"] for lic in right["licences"]] == ["applicant.wang"]  # the exclusive one has ended
    assert right["open_licence"]["royalty"] == "3% of net sales" and right["status"]["state"] == "granted"
    year4 = next(f for f in right["annual_fees"] if f["year"] == 4)
    assert (year4["due"], year4["amount"], year4["currency"], [r["name"] for r in year4["reductions"]]) == (
        "2022-01-07", "180.00", "CNY", ["single_applicant"])  # the open licence adds nothing (Caishui [2024] 23)
    before = as_json(cli("right", number, "--as-of", "2021-03-31", "--json"))
    assert before["owners"] == ["applicant.chen"] and before["licences"][0]["kind"] == "exclusive"
    assert "year  4  due 2022-01-07     180.00 CNY" in cli("right", number, "--as-of", "2021-06-30").stdout

    listed = as_json(cli("recordals", "--number", number, "--as", "registrar.zhou", "--json"))
    assert [(r["type"], r["state"]) for r in listed] == [
        ("transfer", "registered"), ("licence", "registered"), ("pledge", "registered"),
        ("open_licence", "refused"), ("pledge_release", "registered"), ("open_licence", "registered"),
        ("open_licence_take", "registered")]
    assert len(as_json(cli("recordals", "--json"))) == 6  # the public: registered requests only

    bad = cli("recordal", "file", number, "--type", "licence", "--as", "applicant.chen", "--date", "2021-07-01",
              "--payload", '{"kind": "exclusiv"}', "--json", check=False)
    assert bad.returncode == 1 and "payload.kind" in bad.stderr
    assert cli("recordal", "decide", "9999", "register", "--as", "registrar.zhou", check=False).returncode == 2
    assert as_json(cli("audit", "verify", "--json"))["ok"] is True
    # Another office's recordings: the USPTO assignments (none imported in this register).
    assert cli("recordals", "--source", "uspto", "--json").stdout == ""
    assert cli("recordals", "--source", "nowhere", check=False).returncode == 2


def test_pledgee_alerted_by_the_overdue_job(cli: Cli) -> None:
    number = grant_cn_invention(cli)
    file_and_register(cli, number, "pledge", "applicant.wang", "2021-04-01", {"pledgee": "ICBC Suzhou"})
    job = as_json(cli("jobs", "run-overdue", "--today", "2022-01-08", "--json"))
    [outcome] = job["outcomes"]
    assert outcome["notices"] == 1 and outcome["events"] == []
    right = as_json(cli("right", number, "--as-of", "2022-01-08", "--json", today="2022-01-08"))
    assert [a["kind"] for a in right["alerts"]] == ["pledgee_notice", "annual_fee_in_grace"]
