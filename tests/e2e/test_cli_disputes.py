"""A patent dispute through the real ``ipoffice`` command on a fresh register: ``due`` for a request,
``dispute file``, its acts through ``ipoffice act`` with the clocks shown by ``ipoffice case``, the lapse of the
patent alerting the dispute, ``dispute show/list/draft``, and the refusals with their exit status."""

from __future__ import annotations

import json
from typing import Any

from .test_cli_procedures import Cli, as_json

CLAIMS = ["A lens holder comprising: a ring-shaped frame; three clamping arms spaced around the frame; and a "
          "spring urging each arm towards the centre of the frame.", "The lens holder of claim 1, wherein the arms are "
          "made of aluminium."]


def granted_patent(cli: Cli) -> str:
    number: str = as_json(cli("file", "-p", "cn_invention", "--office", "CN-JS-SZ", "--applicant", "applicant.wang",
                              "--as", "agent.li", "--date", "2023-01-10", "--title", "Lens holder",
                              "--payload", json.dumps({"claims": CLAIMS}), "--json"))["application_number"]
    for action, who, day in [
        ("request_early_publication", "agent.li", "2023-01-16"),
        ("request_substantive_examination", "agent.li", "2023-01-16"),
        ("pass_formality_examination", "examiner.zhang", "2023-02-01"),
        ("publish", "registrar.zhou", "2023-03-06"),
        ("start_substantive_examination", "examiner.liu", "2023-05-08"),
        ("notify_grant", "examiner.liu", "2023-10-09"),
    ]:
        cli("act", number, action, "--as", who, "--date", day)
    cli("pay", number, "fee.invention.annuity", "--year", "1", "--as", "agent.li", "--date", "2023-10-30")
    cli("act", number, "complete_registration", "--as", "agent.li", "--date", "2023-11-01")
    cli("act", number, "announce_grant", "--as", "registrar.zhou", "--date", "2023-11-24")
    return number


def clocks(case: dict[str, Any]) -> dict[str, str]:
    return {t["name"]: t["due"] for t in case["open_time_limits"]}


def test_dispute_from_request_to_decision_and_lapse_alert(cli: Cli) -> None:
    due = as_json(cli("due", "--jurisdiction", "cn", "--event", "adjudication_request", "--date", "2026-09-30"))
    assert (due["due"], due["period"]) == ("2026-10-13", "5 working days")  # National Day 2026, Sat 10-10 make-up
    assert {c["name"]: c["due"] for c in due["later_clocks"]} == {
        "service": "2026-10-20", "defence": "2026-11-04", "decision": "2027-01-13",
        "decision_with_extension": "2027-02-15", "suit": "2027-01-28", "suit_after_extended_decision": "2027-03-02"}

    cli("offices", "seed-demo")
    right = granted_patent(cli)
    recorded = as_json(cli("dispute", "recordal", right, "--kind", "customs", "--authority", "Shanghai Customs",
                           "--reference", "T2025-0042", "--as", "agent.li", "--json", today="2025-09-25"))
    assert (recorded["recorded_on"], recorded["flagged_on"]) == ("2025-09-25", None)
    wrong = cli("dispute", "recordal", right, "--kind", "post", "--authority", "x", "--as", "agent.li", check=False)
    assert wrong.returncode == 1 and "kind" in wrong.stderr
    refused = cli("dispute", "file", right, "--as", "agent.li", "--date", "2025-09-26", "--payload",
                  '{"respondent": "applicant.chen", "asserted_claims": [7]}', check=False)
    assert refused.returncode == 1 and "payload.asserted_claims" in refused.stderr
    filed = as_json(cli("dispute", "file", right, "--as", "agent.li", "--date", "2025-09-26", "--json", "--payload",
                        json.dumps({"respondent": "applicant.chen", "infringement_date": "2025-06-01",
                                    "product_description": "A round frame with three spring-loaded arms."})))
    number = filed["application_number"]
    assert (number, filed["state"], clocks(filed)) == ("CN-JS-SZ-2025-J0001", "requested", {"acceptance": "2025-10-10"})
    assert filed["right"]["state_on_infringement_date"] == "granted"

    cli("act", number, "accept_request", "--as", "examiner.zhang", "--date", "2025-10-10")
    cli("act", number, "serve_request", "--as", "examiner.zhang", "--date", "2025-10-16")
    case = as_json(cli("case", number, "--as", "applicant.chen", "--json"))
    assert clocks(case) == {"decision": "2026-01-12", "defence": "2025-10-31"}
    text = cli("case", number, "--as", "applicant.chen").stdout
    assert "time limit defence: due 2025-10-31" in text and "time limit decision: due 2026-01-12" in text
    wrong_side = cli("act", number, "submit_defence", "--as", "agent.li", "--date", "2025-10-20", check=False)
    assert wrong_side.returncode == 3 and "not an action of agent.li's side" in wrong_side.stderr
    cli("act", number, "submit_defence", "--as", "applicant.chen", "--date", "2025-10-30")
    cli("act", number, "notify_hearing", "--as", "examiner.zhang", "--date", "2025-11-10",
        "--payload", '{"hearing_date": "2025-11-17"}')
    cli("act", number, "hold_hearing", "--as", "examiner.zhang", "--date", "2025-11-17")
    hidden = cli("dispute", "show", number, "--as", "examiner.zhao", check=False)
    assert hidden.returncode == 2 and "no case" in hidden.stderr  # another province's examiner

    # The year-2 annuity (due 2024-01-10, grace to 2024-07-10) was never paid, and nobody ran the job: the register
    # still said "granted" when the request was filed. The job lapses the patent from 2024-07-11 and alerts the
    # dispute in the same transaction: on the date of the alleged infringement the patent had lapsed.
    cli("jobs", "run-overdue", "--today", "2025-11-20")
    shown = as_json(cli("dispute", "show", number, "--as", "applicant.chen", "--json"))
    assert shown["right"]["state"] == "lapsed" and shown["right"]["state_on_infringement_date"] == "lapsed"
    assert [(a["right_event"], a["date"]) for a in shown["alerts"]] == [("lapse", "2025-11-17")]
    assert "lapsed (Patent Law Art. 44) on 2024-07-11" in shown["alerts"][0]["notice"]
    assert [(r["kind"], r["flagged_on"]) for r in as_json(cli("dispute", "recordals", right, "--json"))] == [
        ("customs", "2024-07-11")]
    assert "ALERT" in cli("dispute", "list", "--as", "examiner.zhang").stdout

    decided = as_json(cli("act", number, "decide", "--as", "examiner.zhang", "--date", "2025-12-01", "--json",
                          "--payload", '{"outcome": "request_dismissed"}'))
    assert (decided["state"], clocks(decided)) == ("decided", {"suit": "2025-12-16"})
    draft_zh = cli("dispute", "draft", number, "--as", "examiner.zhang", "--lang", "zh").stdout
    assert "专利侵权纠纷行政裁决书" in draft_zh and "驳回请求人的请求" in draft_zh and "15日" in draft_zh
    draft_en = cli("dispute", "draft", number, "--as", "examiner.zhang", "--lang", "en").stdout
    assert "The request is dismissed." in draft_en and "Patent Law (2020) Art. 65" in draft_en
    assert "the patent lapsed" in draft_en
    assert cli("audit", "verify").returncode == 0
