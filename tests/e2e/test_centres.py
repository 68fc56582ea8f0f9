"""Protection centres end to end: ``ipoffice offices``/``centres``/``file``/``act`` on the command line, and
filing through a centre on the API and the e-filing page (refused with the reason, in the page's language)."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipoffice.config import Settings

Cli = Callable[..., subprocess.CompletedProcess[str]]
CENTRE = "CN-JS-SZ-PC"
THROUGH = json.dumps({"pre_examination_centre": CENTRE, "ipc": ["G02B 7/02"]})


def as_json(proc: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(proc.stdout)


def test_offices_list_shows_the_centre_its_region_and_fields(cli: Cli) -> None:
    cli("offices", "seed-demo", today="2026-03-02")
    offices = {o["code"]: o for o in as_json(cli("offices", "list", "--json", today="2026-03-02"))}
    centre = offices[CENTRE]
    assert (centre["kind"], centre["parent"], centre["region"]) == ("protection_centre", "CN-JS-SZ", "CN-JS-SZ")
    assert centre["fields"] == ["G02B", "G02F", "H01L", "H01M", "G06F 16/"]
    assert (offices["CN-JS"]["kind"], offices["CN-JS"]["fields"]) == ("provincial", [])
    # Before the announced change the centre had fewer fields.
    before = {o["code"]: o for o in as_json(cli("offices", "list", "--json", today="2025-06-30"))}
    assert before[CENTRE]["fields"] == ["G02B", "G02F", "H01L"]
    users = {u["username"]: u for u in as_json(cli("offices", "users", "--json"))}
    assert users["officer.dispute"]["office"] == "CN-JS-SZ" and users["centre.xu"]["office"] == CENTRE
    listed = as_json(cli("centres", "list", "--json", "--date", "2026-03-02"))
    assert listed[0]["registered_applicants"] == ["applicant.wang"]


def test_an_eligible_application_is_granted_on_the_fast_track_and_an_ineligible_one_refused(cli: Cli) -> None:
    cli("offices", "seed-demo")
    ok = cli("centres", "check", CENTRE, "--applicant", "applicant.wang", "-p", "cn_utility_model",
             "--ipc", "G02B 7/02", "--date", "2026-03-02")
    assert "eligible" in ok.stdout
    no = cli("centres", "check", CENTRE, "--applicant", "applicant.chen", "-p", "cn_utility_model",
             "--ipc", "G02B 7/02", "--date", "2026-03-02", "--json", check=False)
    assert no.returncode == 1 and as_json(no)["code"] == "centre_not_registered"

    refused = cli("file", "-p", "cn_invention", "--office", "CN-JS-SZ", "--applicant", "applicant.wang", "--as",
                  "applicant.wang", "--date", "2026-03-02", "--title", "Drug", "--payload",
                  json.dumps({"pre_examination_centre": CENTRE, "ipc": ["A61K 9/00"]}), check=False)
    assert refused.returncode == 1
    assert "A61K 9/00 outside the technical fields" in refused.stderr and "unchanged" in refused.stderr
    pct = cli("file", "-p", "cn_invention", "--office", "CN-JS-SZ", "--applicant", "applicant.wang", "--as",
              "applicant.wang", "--date", "2026-03-02", "--title", "Lens", "--pct", "--payload", THROUGH, check=False)
    assert pct.returncode == 1 and "PCT application entering the national phase" in pct.stderr

    filed = as_json(cli("file", "-p", "cn_utility_model", "--office", "CN-JS-SZ", "--applicant", "applicant.wang",
                        "--as", "applicant.wang", "--date", "2026-03-02", "--title", "Lens holder", "--payload",
                        THROUGH, "--json"))
    number = filed["application_number"]
    assert (filed["procedure"], filed["office"], filed["state"]) == (
        "cn_utility_model_fast_track", CENTRE, "pre_examination_requested")
    queue = as_json(cli("centres", "queue", CENTRE, "--as", "centre.xu", "--json"))
    assert [q["application_number"] for q in queue] == [number]
    steps = [("pass_formality_check", "centre.xu", "2026-03-03", {}),
             ("classify", "centre.xu", "2026-03-03", {"ipc": ["G02B 7/02"]}),
             ("draw_up_search_report", "centre.xu", "2026-03-04",
              {"citations": [{"number": "CN101234567A", "category": "Y"}]}),
             ("pass_pre_examination", "centre.xu", "2026-03-05", {"text": "passed"}),
             ("file_with_national_office", "applicant.wang", "2026-03-06", {}),
             ("office_action", "examiner.liu", "2026-03-09", {"text": "Clarify claim 1."})]
    for action, user, day, payload in steps:
        view = as_json(cli("act", number, action, "--as", user, "--date", day, "--payload", json.dumps(payload),
                           "--json"))
    limits = {t["name"]: t for t in view["open_time_limits"]}
    assert limits["fast_track_response"]["due"] == "2026-03-24"
    for action, user, day in (("respond", "applicant.wang", "2026-03-20"), ("notify_grant", "examiner.liu",
                              "2026-03-23"), ("complete_registration", "applicant.wang", "2026-03-25"),
                              ("announce_grant", "registrar.zhou", "2026-04-01")):
        view = as_json(cli("act", number, action, "--as", user, "--date", day, "--json"))
    assert view["state"] == "granted"
    figures = as_json(cli("centres", "figures", "--json"))
    assert figures == [{"centre": CENTRE, "field": "G02B", "requests": 1, "passed": 1, "refused": 0,
                        "pass_rate": 1.0, "granted": 1, "median_days_to_grant": 30, "p90_days_to_grant": 30,
                        "cases": [number]}]


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The web app on a fresh register with the demo offices and users (no documents needed to file)."""
    from ipoffice.entrypoints.web.app import create_app

    var = tmp_path_factory.mktemp("centres-web")
    settings = Settings(database_url=f"sqlite:///{var}/ipoffice.db", var_dir=Path(var), shared_dir=Path(var))
    app = create_app(settings)
    app.state.web.accounts.seed_demo("demo")
    with TestClient(app) as client:
        yield client


def _token(client: TestClient, user: str) -> dict[str, str]:
    made = client.post("/api/v1/tokens", json={"username": user, "password": "demo"})
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json()['token']}"}


APPLICATION = {"procedure": "cn_utility_model", "office": "CN-JS-SZ", "title": "Lens holder",
               "abstract": "A lens holder.", "claims": "1. A lens holder.", "description": "A holder for lenses."}


def test_the_api_files_through_a_centre_or_refuses_with_the_reason(portal: TestClient) -> None:
    wang, chen = _token(portal, "applicant.wang"), _token(portal, "applicant.chen")
    filed = portal.post("/api/v1/cases", headers=wang, json={**APPLICATION, "ipc": "G02B 7/02",
                                                             "pre_examination_centre": CENTRE})
    assert filed.status_code == 201, filed.text
    assert (filed.json()["procedure"], filed.json()["office"]) == ("cn_utility_model_fast_track", CENTRE)
    for headers, ipc, reason in ((wang, "A61K 9/00", "IPC A61K 9/00 outside the technical fields"),
                                 (wang, "", "give the IPC symbols of the application"),
                                 (chen, "G02B 7/02", "applicant.chen is not registered with protection centre")):
        refused = portal.post("/api/v1/cases", headers=headers, json={
            **APPLICATION, "office": "CN-ZJ" if headers is chen else "CN-JS-SZ", "ipc": ipc,
            "pre_examination_centre": CENTRE})
        assert refused.status_code == 422, refused.text
        assert reason in refused.json()["error"]


def _login(client: TestClient, user: str) -> None:
    page = client.get("/login")
    hidden = dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"', page.text))
    done = client.post("/login", data={**hidden, "username": user, "password": "demo", "next": "/account"},
                       follow_redirects=False)
    assert done.status_code == 303, done.text


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "A61K 9/00 is outside the technical fields of protection centre CN-JS-SZ-PC"),
    ("zh", "IPC分类号A61K 9/00不在保护中心CN-JS-SZ-PC于"),
])
def test_the_filing_page_offers_the_centre_and_says_the_refusal_in_its_language(
        portal: TestClient, lang: str, expected: str) -> None:
    _login(portal, "applicant.wang")
    page = portal.get(f"/file/cn_utility_model?lang={lang}")
    assert page.status_code == 200 and f'<option value="{CENTRE}"' in page.text
    hidden = dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"', page.text))
    form = {**hidden, "office": "CN-JS-SZ", "applicant": "applicant.wang", "title": "Lens holder",
            "abstract": "A lens holder.", "claims": "1. A lens holder.", "description": "A holder.",
            "ipc": "A61K 9/00", "pre_examination_centre": CENTRE}
    refused = portal.post(f"/file/cn_utility_model?lang={lang}", data=form, follow_redirects=False)
    assert refused.status_code == 422
    assert expected in refused.text
    hidden = dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"', refused.text))
    accepted = portal.post(f"/file/cn_utility_model?lang={lang}", data={**form, **hidden, "ipc": "G02B 7/02"},
                           follow_redirects=False)
    assert accepted.status_code == 303, accepted.text
    receipt = portal.get(accepted.headers["location"])
    assert receipt.status_code == 200


@pytest.mark.parametrize(("lang", "words"), [("en", ("Protection centres", "Pass rate", "G02B")),
                                             ("zh", ("保护中心", "预审合格率", "G02B"))])
def test_the_centres_page_and_the_queue_in_both_languages(portal: TestClient, lang: str,
                                                          words: tuple[str, ...]) -> None:
    wang = _token(portal, "applicant.wang")
    filed = portal.post("/api/v1/cases", headers=wang, json={**APPLICATION, "ipc": "G02B 7/02",
                                                             "pre_examination_centre": CENTRE})
    number = filed.json()["application_number"]
    page = portal.get(f"/centres?lang={lang}")
    assert page.status_code == 200 and all(w in page.text for w in words)
    assert number not in page.text  # an unpublished request is counted, never named
    _login(portal, "centre.xu")
    queue = portal.get(f"/centres/{CENTRE}/queue?lang={lang}")
    assert queue.status_code == 200 and f'href="/examiner/cases/{number}"' in queue.text
    _login(portal, "applicant.wang")
    assert portal.get(f"/centres/{CENTRE}/queue").status_code == 403


def test_the_centre_pre_examines_on_the_examiner_page(portal: TestClient) -> None:
    wang = _token(portal, "applicant.wang")
    number = portal.post("/api/v1/cases", headers=wang, json={
        **APPLICATION, "ipc": "G02B 7/02", "pre_examination_centre": CENTRE}).json()["application_number"]
    _login(portal, "centre.xu")
    for action, text in (("pass_formality_check", ""), ("classify", ""), ("draw_up_search_report", ""),
                         ("pass_pre_examination", "No document of the search report anticipates claim 1.")):
        page = portal.get(f"/examiner/cases/{number}")
        assert page.status_code == 200 and f'value="{action}"' in page.text, action
        hidden = dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"', page.text))
        done = portal.post(f"/examiner/cases/{number}/act", data={**hidden, "action": action, "text": text},
                           follow_redirects=False)
        assert done.status_code == 303, (action, done.text[-2000:])
    case = portal.get(f"/api/v1/cases/{number}", headers=wang).json()
    assert case["state"] == "pre_examined"
    opinion = next(e for e in case["events"] if e["code"] == "pass_pre_examination")
    assert opinion["payload"]["text"].startswith("No document of the search report")
    report = next(e for e in case["events"] if e["code"] == "draw_up_search_report")
    assert report["payload"]["citations"] == []


def test_the_api_lists_the_centres_and_their_figures(portal: TestClient) -> None:
    listed = portal.get("/api/v1/centres", params={"on": "2025-06-30"})
    assert listed.status_code == 200
    centre = next(c for c in listed.json() if c["code"] == CENTRE)
    assert (centre["region"], centre["fields"], centre["fields_from"]) == (
        "CN-JS-SZ", ["G02B", "G02F", "H01L"], "2019-05-01")
    assert portal.get("/api/v1/centres", params={"on": "2025-13-01"}).status_code == 422
    wang = _token(portal, "applicant.wang")
    number = portal.post("/api/v1/cases", headers=wang, json={
        **APPLICATION, "ipc": "G02B 7/02", "pre_examination_centre": CENTRE}).json()["application_number"]
    public = portal.get("/api/v1/centres/figures").json()
    own = portal.get("/api/v1/centres/figures", headers=wang).json()
    g02b = next(f for f in own if f["field"] == "G02B")
    assert g02b["requests"] >= 1 and number in g02b["cases"]
    assert all(number not in f["cases"] for f in public)  # unpublished: counted, not named to the public
    by_region = portal.get("/api/v1/centres/figures", params={"by": "region"}, headers=wang).json()
    suzhou = next(f for f in by_region if f["centre"] == "CN-JS")  # the province above the centre's area
    assert suzhou["field"] == "*" and number in suzhou["cases"]
    assert suzhou["requests"] == sum(f["requests"] for f in own if f["centre"] == CENTRE)
    assert portal.get("/api/v1/centres/figures", params={"by": "field"}).status_code == 422
    assert 'id="region-figures"' in portal.get("/centres?lang=zh").text


@pytest.mark.parametrize(("lang", "bad", "outside"), [
    ("en", "XY is not a Locarno class", "Locarno 02-01 is outside the design fields of protection centre"),
    ("zh", "XY 不是洛迦诺分类号", "洛迦诺"),
])
def test_the_design_filing_page_takes_locarno_classes_and_files_through_the_centre(
        portal: TestClient, lang: str, bad: str, outside: str) -> None:
    """A design's field is its Locarno class: the page asks for it (not IPC) and offers the centre."""
    _login(portal, "applicant.wang")
    page = portal.get(f"/file/cn_design?lang={lang}")
    assert page.status_code == 200 and 'name="locarno"' in page.text and 'name="ipc"' not in page.text
    assert ("Locarno classes" if lang == "en" else "洛迦诺分类号") in page.text.split('id="centre-help"')[1][:200]
    assert f'<option value="{CENTRE}"' in page.text

    def post(locarno: str, after: str) -> Any:
        hidden = dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"', after))
        form = {**hidden, "office": "CN-JS-SZ", "applicant": "applicant.wang", "title": "Lamp shade",
                "abstract": "A lamp shade.", "locarno": locarno, "pre_examination_centre": CENTRE}
        return portal.post(f"/file/cn_design?lang={lang}", data=form, follow_redirects=False)

    wrong = post("XY", page.text)
    assert wrong.status_code == 422 and bad in wrong.text
    refused = post("02-01", wrong.text)
    assert refused.status_code == 422 and outside in refused.text
    accepted = post("26-05", refused.text)
    assert accepted.status_code == 303, accepted.text
    number = re.fullmatch(r"/my/cases/([^/]+)/receipt", accepted.headers["location"])[1]  # type: ignore[index]
    wang = _token(portal, "applicant.wang")
    case = portal.get(f"/api/v1/cases/{number}", headers=wang).json()
    assert (case["procedure"], case["office"]) == ("cn_design_fast_track", CENTRE)
