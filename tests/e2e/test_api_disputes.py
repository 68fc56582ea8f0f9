"""The dispute REST API (``/api/v1/disputes``) on a fresh register: filing with named field errors, the list and
one dispute with its clocks, alerts and parties, acts with the guards of ``ipoffice act``, the suspension on an
invalidation request with the clocks stopped and resumed, and the confidentiality matrix — who sees a dispute
and its parties' documents, and who may act."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .dispute_setup import PRODUCT, on, portal_with_patent
from .test_case_journeys import logged_in

PASSWORD = "demo"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Any, str]]:
    """(client, the procedures service, the granted patent of applicant.wang) on a register of its own."""
    app, service, right = portal_with_patent(Path(tmp_path_factory.mktemp("disputes-api")), PASSWORD)
    with TestClient(app) as client:
        yield client, service, right


def _auth(client: TestClient, user: str) -> dict[str, str]:
    made = client.post("/api/v1/tokens", json={"username": user, "password": PASSWORD})
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json()['token']}"}


def _file(client: TestClient, service: Any, right: str, day: str, **extra: Any) -> dict[str, Any]:
    on(service, day)
    filed = client.post("/api/v1/disputes", headers=_auth(client, "applicant.wang"), json={
        "right_number": right, "respondent": "applicant.chen", "infringement_date": "2025-06-01",
        "asserted_claims": [1], "product_description": PRODUCT, **extra})
    assert filed.status_code == 201, filed.text
    return dict(filed.json())


def test_filing_shows_the_clocks_and_parties_and_names_each_bad_field(api: tuple[TestClient, Any, str]) -> None:
    client, service, right = api
    dispute = _file(client, service, right, "2026-09-28")
    assert dispute["application_number"].startswith("CN-JS-SZ-2026-J")
    assert dispute["parties"] == {"requester": "applicant.wang", "requester_agent": None,
                                  "respondent": "applicant.chen", "respondent_agent": None}
    # Mon 2026-09-28: 09-29, 09-30, National Day (10-01..07), 10-08, 10-09, Sat 10-10 (a make-up working day).
    assert [(c["name"], c["due"]) for c in dispute["clocks"]] == [("acceptance", "2026-10-10")]
    assert dispute["right"]["state_on_infringement_date"] == "granted" and dispute["asserted_claims"] == [1]
    wang = _auth(client, "applicant.wang")
    for body, field in ((({"respondent": "nobody.here"}), "respondent"), ({"asserted_claims": [9]}, "asserted_claims"),
                        ({"respondent": "applicant.wang"}, "respondent"),
                        ({"infringement_date": "2026-13-01"}, "infringement_date"),
                        ({"office": "CN-JS-SPC"}, "office")):
        refused = client.post("/api/v1/disputes", headers=wang, json={
            "right_number": right, "respondent": "applicant.chen", **body})
        assert refused.status_code == 422, (body, refused.text)
        assert refused.json()["error"]["field"] == field, refused.text
    missing = client.post("/api/v1/disputes", headers=wang, json={"right_number": right})
    assert missing.status_code == 422 and missing.json()["fields"][0]["field"] == "respondent"
    assert client.post("/api/v1/disputes", headers=wang, json={
        "right_number": "CN999", "respondent": "applicant.chen"}).status_code == 404
    assert client.post("/api/v1/disputes", json={"right_number": right, "respondent": "x"}).status_code == 401
    # The respondent is not the patentee's side: it may not file against the patent (403, nothing written).
    chen = client.post("/api/v1/disputes", headers=_auth(client, "applicant.chen"), json={
        "right_number": right, "respondent": "applicant.wang"})
    assert chen.status_code == 403, chen.text
    listed = client.get("/api/v1/disputes", headers=wang).json()
    assert dispute["application_number"] in [d["number"] for d in listed]


SEES = ("applicant.wang", "applicant.chen", "officer.dispute", "examiner.zhang", "examiner.liu")
OUTSIDERS = ("examiner.zhao", "us.applicant", "centre.xu", "agent.li")


def test_the_confidentiality_matrix_of_a_dispute_and_its_documents(api: tuple[TestClient, Any, str]) -> None:
    client, service, right = api
    number = _file(client, service, right, "2026-09-28")["application_number"]
    officer = _auth(client, "officer.dispute")
    on(service, "2026-09-30")
    assert client.post(f"/api/v1/disputes/{number}/acts", headers=officer,
                       json={"action": "accept_request"}).status_code == 200
    client.post(f"/api/v1/disputes/{number}/acts", headers=officer, json={
        "action": "serve_request", "payload": {"received_on": "2026-09-30"}}).raise_for_status()
    defence = b"The accused holder has no spring: claim 1 is not infringed."
    on(service, "2026-10-09")
    submitted = client.post(f"/api/v1/disputes/{number}/acts", headers=_auth(client, "applicant.chen"), json={
        "action": "submit_defence", "payload": {"note": "defence"},
        "document": {"filename": "defence.txt", "content_base64": base64.b64encode(defence).decode()}})
    assert submitted.status_code == 200, submitted.text
    sha = hashlib.sha256(defence).hexdigest()
    assert [d["sha256"] for d in submitted.json()["documents"]] == [sha]

    assert client.get(f"/api/v1/disputes/{number}").status_code == 401
    assert client.get(f"/api/v1/disputes/{number}/documents/{sha}").status_code == 401
    for user in SEES:
        headers = _auth(client, user)
        shown = client.get(f"/api/v1/disputes/{number}", headers=headers)
        assert shown.status_code == 200, user
        assert shown.json()["documents"][0]["filename"] == "defence.txt"
        content = client.get(f"/api/v1/disputes/{number}/documents/{sha}", headers=headers)
        assert content.status_code == 200 and content.content == defence, user
        assert number in [d["number"] for d in client.get("/api/v1/disputes", headers=headers).json()], user
    for user in OUTSIDERS:  # not a party, nor staff of the handling office or above: it does not exist
        headers = _auth(client, user)
        assert client.get(f"/api/v1/disputes/{number}", headers=headers).status_code == 404, user
        assert client.get(f"/api/v1/disputes/{number}/documents/{sha}", headers=headers).status_code == 404, user
        assert number not in [d["number"] for d in client.get("/api/v1/disputes", headers=headers).json()], user
        assert client.post(f"/api/v1/disputes/{number}/acts", headers=headers,
                           json={"action": "submit_evidence"}).status_code == 404, user
    # The general case API keeps the same secret.
    assert client.get(f"/api/v1/cases/{number}", headers=_auth(client, "examiner.zhao")).status_code == 404
    # Each side acts only as itself: the requester cannot defend, the respondent cannot decide.
    wang, chen = _auth(client, "applicant.wang"), _auth(client, "applicant.chen")
    other_side = client.post(f"/api/v1/disputes/{number}/acts", headers=wang, json={"action": "submit_defence"})
    assert other_side.status_code in (403, 409), other_side.text
    decide = client.post(f"/api/v1/disputes/{number}/acts", headers=chen,
                         json={"action": "decide", "payload": {"outcome": "request_dismissed"}})
    assert decide.status_code == 403, decide.text
    evidence = client.post(f"/api/v1/disputes/{number}/acts", headers=wang, json={"action": "request_suspension"})
    assert evidence.status_code == 403 and evidence.json()["code"] == "other_side_action", evidence.text


def test_suspension_on_an_invalidation_request_stops_and_resumes_the_clocks(api: tuple[TestClient, Any, str]) -> None:
    client, service, right = api
    number = _file(client, service, right, "2025-12-01")["application_number"]
    officer, chen = _auth(client, "officer.dispute"), _auth(client, "applicant.chen")

    def act(headers: dict[str, str], action: str, **payload: Any) -> Any:
        return client.post(f"/api/v1/disputes/{number}/acts", headers=headers,
                           json={"action": action, "payload": payload})

    on(service, "2025-12-03")
    assert act(officer, "accept_request").status_code == 200
    early = act(chen, "request_suspension")
    assert early.status_code == 422 and early.json()["code"] == "no_invalidation_pending"
    assert "无效宣告请求" in early.json()["messages"]["zh"] and "invalidation" in early.json()["messages"]["en"]
    service.act(right, "request_invalidation", on(service, "2025-12-18"), "applicant.wang")
    shown = client.get(f"/api/v1/disputes/{number}", headers=chen).json()
    assert [a["right_event"] for a in shown["alerts"]] == ["request_invalidation"]
    assert "request_suspension" in shown["actions_permitted"]
    on(service, "2025-12-19")
    assert act(chen, "request_suspension").status_code == 200
    on(service, "2026-01-05")
    suspended = act(officer, "suspend_proceedings").json()
    assert suspended["state"] == "suspended" and suspended["clocks"] == []
    assert {c["name"]: c["due"] for c in suspended["suspension"]["stopped_clocks"]} == {
        "service": "2025-12-10", "decision": "2026-03-03"}
    officer_page = logged_in(client.app, "officer.dispute")
    zh = officer_page.get(f"/disputes/{number}?lang=zh").text.split('id="suspension"')[1].split("</p>")[0]
    assert "自2026年1月5日起中止处理" in zh and "原届满日2026年3月3日" in zh
    assert '<option value="resume_proceedings">' in officer_page.get(f"/disputes/{number}?lang=en").text
    on(service, "2026-02-06")
    resumed = act(officer, "resume_proceedings").json()
    # 32 days not counted: 3 months from 2026-01-04 is Sat 04-04 (Qingming) → Tue 04-07.
    assert resumed["state"] == "accepted" and resumed["suspension"]["days_not_counted"] == 32
    assert {c["name"]: c["due"] for c in resumed["clocks"]}["decision"] == "2026-04-07"
    en = officer_page.get(f"/disputes/{number}?lang=en").text
    assert "the 32 days of the suspension are not counted" in en


def test_a_centre_refusal_says_why_in_both_languages(api: tuple[TestClient, Any, str]) -> None:
    client, _, _ = api
    refused = client.post("/api/v1/cases", headers=_auth(client, "applicant.wang"), json={
        "procedure": "cn_utility_model", "office": "CN-JS-SZ", "title": "Drug", "abstract": "A drug.",
        "claims": "1. A drug.", "description": "A drug.", "ipc": "A61K 9/00",
        "pre_examination_centre": "CN-JS-SZ-PC"})
    assert refused.status_code == 422
    body = refused.json()
    assert "A61K 9/00 outside the technical fields" in body["error"] and body["code"] == "centre_out_of_field"
    assert "A61K 9/00 is outside the technical fields" in body["messages"]["en"]
    assert "IPC分类号A61K 9/00不在保护中心CN-JS-SZ-PC" in body["messages"]["zh"]
