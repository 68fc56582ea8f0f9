"""The stock-patent inventory through the real ``ipoffice inventory`` command and the HTTP API, on a fresh SQLite
register holding a demo university's granted rights: import (a bad file refused row by row, exit 1, nothing
written), grades with reasons, self-assessment, the two reviews in order, the library; the API's role checks
(401, 403 with the rule's code, 422 out of order)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from e2e.conftest import make_cli
from integration.inventory_setup import CSV_HEADER, TODAY, UNIVERSITY, good_csv, university_documents
from ipoffice.bootstrap import Office, office
from ipoffice.config import Settings
from ipoffice.entrypoints.web.app import create_app

PASSWORD = "demo"


def _settings(var: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=var / "shared", var_dir=var, today=TODAY)


def _register(var: Path) -> Office:
    var.mkdir(parents=True, exist_ok=True)
    the_office = office(_settings(var))
    the_office.register.save_documents([(d, None) for d in university_documents()])
    return the_office


def lines(text: str) -> list[Any]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_inventory_through_the_cli(tmp_path: Path) -> None:
    var = tmp_path / "var"
    _register(var)
    cli = make_cli(var)
    day = TODAY.isoformat()
    cli("offices", "seed-demo")
    bad = tmp_path / "bad.csv"
    bad.write_text("\ufeff专利号,自评等级,转化意向\nCN110000001B,A,转让\nCN110000004B,B,许可\nCN110000002B,Z,维持\n",
                   encoding="utf-8")
    refused = cli("inventory", "import", str(bad), "--holder", UNIVERSITY, "--as", "univ.keeper", "--json",
                  check=False, today=day)
    assert refused.returncode == 1
    report = json.loads(refused.stdout)
    assert [(e["row"], e["field"], e["code"]) for e in report["errors"]] == [(3, "number", "held_by_other"),
                                                                           (4, "self_grade", "invalid_self_grade")]
    assert report["written"] is False
    assert cli("inventory", "list", "--as", "univ.keeper", "--json", today=day).stdout == ""
    good = tmp_path / "good.csv"
    good.write_bytes(good_csv())
    first = json.loads(cli("inventory", "import", str(good), "--holder", UNIVERSITY, "--as", "univ.keeper", "--json",
                           today=day).stdout)
    assert first["created"] == ["CN110000001B", "CN110000002B", "CN110000003B"]
    again = json.loads(cli("inventory", "import", str(good), "--holder", UNIVERSITY, "--as", "univ.keeper",
                           "--json", today=day).stdout)
    assert (again["created"], again["updated"], len(again["unchanged"])) == ([], [], 3)
    entries = lines(cli("inventory", "list", "--as", "univ.keeper", "--json", today=day).stdout)
    assert [(e["number"], e["suggested"]["grade"]) for e in entries] == [
        ("CN110000001B", "A"), ("CN110000002B", "B"), ("CN110000003B", "C")]
    assert entries[2]["suggested"]["flags"] == ["not_in_force"]
    battery = str(entries[0]["id"])
    cli("inventory", "member", "univ.tto", "--holder", UNIVERSITY, "--function", "reviewer", "--as", "univ.keeper",
        today=day)
    early = cli("inventory", "review", battery, "pass", "--level", "2", "--as", "registrar.zhou", "--json",
                check=False, today=day)
    assert early.returncode == 1 and json.loads(early.stdout.splitlines()[0])["code"] == "out_of_order"
    cli("inventory", "assess", battery, "--grade", "A", "--intent", "open_licence", "--note", "pilot line",
        "--submit", "--as", "univ.keeper", today=day)
    own = cli("inventory", "review", battery, "pass", "--as", "univ.keeper", "--json", check=False, today=day)
    assert own.returncode == 1 and json.loads(own.stdout.splitlines()[0])["code"] == "self_review"
    assert [e["number"] for e in lines(cli("inventory", "queue", "--as", "univ.tto", "--json", today=day).stdout)] \
        == ["CN110000001B"]
    cli("inventory", "review", battery, "pass", "--level", "1", "--as", "univ.tto", today=day)
    cli("inventory", "review", battery, "pass", "--level", "2", "--as", "registrar.zhou", today=day)
    library = lines(cli("inventory", "library", "--ipc", "H01M", "--json", today=day).stdout)
    assert [(e["number"], e["grade"], e["intent"], e["holder"]) for e in library] == [
        ("CN110000001B", "A", "open_licence", UNIVERSITY)]
    assert cli("inventory", "library", "--ipc", "G01L", "--json", today=day).stdout == ""
    demo = cli("inventory", "demo-csv", "--holder", UNIVERSITY, today=day)
    assert demo.stdout.splitlines()[0] == CSV_HEADER.strip()
    assert [r.split(",")[0] for r in demo.stdout.splitlines()[1:]] == ["CN110000001B", "CN110000002B",
                                                                     "CN110000003B"]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(_register(tmp_path))
    app.state.web.accounts.seed_demo(PASSWORD)
    with TestClient(app) as test_client:
        yield test_client


def _token(client: TestClient, username: str) -> dict[str, str]:
    answer = client.post("/api/v1/tokens", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_inventory_through_the_api(client: TestClient) -> None:
    assert client.get("/api/v1/inventory").status_code == 401
    keeper, tto, registrar, wang = (_token(client, u) for u in ("univ.keeper", "univ.tto", "registrar.zhou",
                                                                "applicant.wang"))
    bad = client.post("/api/v1/inventory/import", headers=keeper,
                      json={"holder": UNIVERSITY, "csv": CSV_HEADER + "CN999999999B,,,,,\nCN110000002B,,,,sell,\n"})
    assert bad.status_code == 422
    assert [(e["row"], e["field"]) for e in bad.json()["errors"]] == [(2, "number"), (3, "conversion_intent")]
    assert client.get("/api/v1/inventory", headers=keeper).json() == []
    done = client.post("/api/v1/inventory/import", headers=keeper,
                       json={"holder": UNIVERSITY, "csv": good_csv().decode()})
    assert done.status_code == 200 and len(done.json()["created"]) == 3
    entries = client.get("/api/v1/inventory", headers=keeper).json()
    ident = entries[0]["id"]
    assert entries[0]["suggested"]["reasons"][0]["indicator"] == "remaining_term"
    forbidden = client.get(f"/api/v1/inventory?holder={UNIVERSITY}", headers=wang)
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "not_member"
    assert client.get(f"/api/v1/inventory/{ident}", headers=wang).status_code == 404
    early = client.post(f"/api/v1/inventory/{ident}/review", headers=registrar,
                        json={"level": 2, "decision": "pass"})
    assert early.status_code == 422 and early.json()["error"]["code"] == "out_of_order"
    bad_intent = client.post(f"/api/v1/inventory/{ident}/assessment", headers=keeper,
                             json={"conversion_intent": "sell"})
    assert bad_intent.status_code == 422 and bad_intent.json()["error"]["field"] == "conversion_intent"
    submitted = client.post(f"/api/v1/inventory/{ident}/assessment", headers=keeper,
                            json={"self_grade": "A", "conversion_intent": "licence", "submit": True})
    assert submitted.json()["state"] == "under_first_review"
    not_member = client.post(f"/api/v1/inventory/{ident}/review", headers=tto, json={"level": 1, "decision": "pass"})
    assert not_member.status_code == 403 and not_member.json()["error"]["code"] == "not_first_reviewer"
    member = {"holder": UNIVERSITY, "username": "univ.tto"}
    by_tto = client.post("/api/v1/inventory/members", headers=tto, json=member)
    assert by_tto.status_code == 403 and by_tto.json()["error"]["code"] == "not_keeper"
    named = client.post("/api/v1/inventory/members", headers=keeper, json=member)
    assert named.json() == {"holder": UNIVERSITY, "username": "univ.tto", "function": "reviewer", "added": True}
    assert [e["level"] for e in client.get("/api/v1/inventory/queue", headers=tto).json()] == [1]
    returned = client.post(f"/api/v1/inventory/{ident}/review", headers=tto, json={"level": 1, "decision": "return"})
    assert returned.status_code == 422 and returned.json()["error"]["field"] == "reason"
    assert client.post(f"/api/v1/inventory/{ident}/review", headers=tto,
                       json={"level": 1, "decision": "pass"}).json()["state"] == "under_second_review"
    assert client.post(f"/api/v1/inventory/{ident}/review", headers=registrar,
                       json={"level": 2, "decision": "pass"}).json()["state"] == "approved"
    library = client.get("/api/v1/inventory/library", params={"q": "lithium", "grade": "A"}).json()
    assert [(e["number"], e["intent"]) for e in library] == [("CN110000001B", "licence")]
    assert client.get("/api/v1/inventory/library", params={"grade": "Z"}).status_code == 422
    # The marketplace draws on the library: offered beside the open licences, with no royalty of its own.
    offers = client.get("/api/v1/offers").json()["offers"]
    assert [(o["number"], o["source"], o["royalty"]) for o in offers] == [("CN110000001B", "library", None)]
    assert offers[0]["status"]["holder"] == UNIVERSITY and offers[0]["guidance"]
    assert client.get("/api/v1/offers", params={"ipc": "G01L"}).json()["offers"] == []
    assert client.get("/api/v1/offers", params={"royalty_type": "running_percentage"}).json()["offers"] == []
    history = client.get(f"/api/v1/inventory/{ident}", headers=registrar).json()["history"]
    assert [(h["code"], h["actor"]) for h in history] == [
        ("imported", "univ.keeper"), ("assessed", "univ.keeper"), ("submitted", "univ.keeper"),
        ("reviewed", "univ.tto"), ("reviewed", "registrar.zhou")]


def test_a_granted_case_of_the_office_is_inventoried(tmp_path: Path) -> None:
    """A CN invention granted through this office's procedure (its grant projected into the register) is imported
    by its application number; before the grant, its publication is refused as an application."""
    from e2e.test_api_recordals import _granted

    the_office = office(Settings(database_url=f"sqlite:///{tmp_path}/ipoffice.db", shared_dir=tmp_path / "shared",
                                 var_dir=tmp_path))
    the_office.procedures.seed_demo()
    number = _granted(the_office)
    holder = "Wang Fang (Suzhou Lianhe Optics Co.)"  # the applicant of record, as the register names it
    report = the_office.inventory.import_csv(f"专利号,转化意向\n{number},开放许可\n".encode(), holder, "applicant.wang")
    assert report.created == ["CN900000001B"] and not report.errors
    entry = the_office.inventory.entries("applicant.wang")[0]
    assert (entry["title"], entry["status"], entry["conversion_intent"]) == ("Optical lens", "granted", "open_licence")
    assert entry["suggested"]["reasons"][0]["indicator"] == "remaining_term"
    other = the_office.inventory.import_csv(f"number\n{number}\n".encode(), "Somebody Else", "applicant.chen")
    assert [(e.code, e.detail) for e in other.errors] == [("held_by_other", holder)]
