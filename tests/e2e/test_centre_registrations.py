"""Registering applicants with a protection centre by command and through the API: ``ipoffice centres
register-applicant|deregister-applicant|applicants`` and ``/api/v1/centres/{code}/applicants``, and filing through
the centre on each side of a registration's first day."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from ipoffice.config import Settings

Cli = Callable[..., subprocess.CompletedProcess[str]]
CENTRE = "CN-JS-SZ-PC"
THROUGH = json.dumps({"pre_examination_centre": CENTRE, "ipc": ["G02B 7/02"]})


def test_register_list_and_end_by_command(cli: Cli) -> None:
    cli("offices", "seed-demo")
    # applicant.chen (Hangzhou) is outside the region: registration makes it pass that check, not the region's.
    made = json.loads(cli("centres", "register-applicant", CENTRE, "applicant.chen", "--from", "2026-03-10",
                          "--until", "2026-06-01", "--as", "centre.xu", "--reference", "SZ-2026-7", "--json").stdout)
    assert (made["registered_on"], made["until"], made["source"]) == ("2026-03-10", "2026-06-01", "register")
    before = json.loads(cli("centres", "applicants", CENTRE, "--as-of", "2026-03-09", "--json").stdout)
    on_day = json.loads(cli("centres", "applicants", CENTRE, "--as-of", "2026-03-10", "--json").stdout)
    assert [r["applicant"] for r in before] == ["applicant.wang"]
    assert [(r["applicant"], r["source"], r["in_force"]) for r in on_day] == [
        ("applicant.chen", "register", True), ("applicant.wang", "rules", True)]
    checks = {day: cli("centres", "check", CENTRE, "--applicant", "applicant.chen", "-p", "cn_utility_model",
                       "--ipc", "G02B 7/02", "--date", day, "--json", check=False) for day in ("2026-03-09",
                                                                                              "2026-03-10")}
    assert json.loads(checks["2026-03-09"].stdout)["code"] == "centre_not_registered"
    assert json.loads(checks["2026-03-10"].stdout)["code"] == "centre_outside_region"
    not_staff = cli("centres", "register-applicant", CENTRE, "applicant.wang", "--from", "2027-01-01",
                    "--as", "applicant.chen", check=False)
    assert not_staff.returncode == 3 and "not staff of protection centre" in not_staff.stdout + not_staff.stderr
    clash = cli("centres", "register-applicant", CENTRE, "applicant.chen", "--from", "2026-05-01", "--as",
                "centre.xu", check=False)
    assert clash.returncode == 1 and "already registered" in clash.stdout + clash.stderr
    bad_day = cli("centres", "register-applicant", CENTRE, "applicant.chen", "--from", "2026-02-30", "--as",
                  "centre.xu", check=False)
    assert bad_day.returncode != 0 and "--from" in bad_day.stdout + bad_day.stderr
    ended = cli("centres", "deregister-applicant", CENTRE, "applicant.chen", "--from", "2026-04-01", "--as",
                "centre.xu")
    assert "2026-04-01" in ended.stdout
    listed = json.loads(cli("centres", "applicants", CENTRE, "--json").stdout)
    assert next(r for r in listed if r["applicant"] == "applicant.chen")["until"] == "2026-04-01"


def _token(client: TestClient, user: str) -> dict[str, str]:
    made = client.post("/api/v1/tokens", json={"username": user, "password": "demo"})
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json()['token']}"}


def test_register_through_the_api(tmp_path: Path) -> None:
    from ipoffice.domain.offices import Role, User
    from ipoffice.entrypoints.web.app import create_app

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/ipoffice.db", var_dir=tmp_path,
                              shared_dir=tmp_path))
    web = app.state.web
    web.accounts.seed_demo("demo")
    with web.procedures.store.writing() as s:
        s.save_user(User("applicant.lin", "Lin Tao", "CN-JS-SZ", frozenset({Role.APPLICANT})))
    web.accounts.set_password("applicant.lin", "demo")
    client = TestClient(app)
    xu, lin = _token(client, "centre.xu"), _token(client, "applicant.lin")
    base = f"/api/v1/centres/{CENTRE}/applicants"
    assert client.post(base, json={"applicant": "applicant.lin", "from": "2026-03-10"}).status_code == 401
    assert client.post(base, headers=lin, json={"applicant": "applicant.lin", "from": "2026-03-10"}).status_code == 403
    bad: Any = client.post(base, headers=xu, json={"applicant": "agent.li", "from": "2026-03-10"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "applicant"
    bad = client.post(base, headers=xu, json={"applicant": "applicant.lin", "from": "2026-03-10",
                                              "until": "2026-03-01"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "until"
    made = client.post(base, headers=xu, json={"applicant": "applicant.lin", "from": "2026-03-10"})
    assert made.status_code == 201 and made.json()["recorded_by"] == "centre.xu"
    assert [r["applicant"] for r in client.get(base, params={"as_of": "2026-03-09"}).json()] == ["applicant.wang"]
    assert [r["applicant"] for r in client.get(base, params={"as_of": "2026-03-10"}).json()] == [
        "applicant.lin", "applicant.wang"]
    assert client.get("/api/v1/centres/CN-JS-SZ/applicants").status_code == 422

    application = {"procedure": "cn_utility_model", "office": "CN-JS-SZ", "title": "Lens holder",
                   "abstract": "A lens holder.", "claims": "1. A lens holder.", "description": "A holder.",
                   "ipc": "G02B 7/02", "pre_examination_centre": CENTRE}
    procedures = web.procedures
    for day, status in (("2026-03-09", 422), ("2026-03-10", 201)):
        procedures.clock = lambda d=day: date.fromisoformat(d)
        filed = client.post("/api/v1/cases", headers=lin, json=application)
        assert filed.status_code == status, (day, filed.text)
    ended = client.post(f"{base}/applicant.lin/end", headers=xu, json={"on": "2026-04-01"})
    assert ended.status_code == 200 and ended.json()["ended"] == ["2026-03-10"]
    procedures.clock = lambda: date(2026, 4, 1)
    refused = client.post("/api/v1/cases", headers=lin, json=application)
    assert refused.status_code == 422 and refused.json()["code"] == "centre_not_registered"
    assert "未" in refused.json()["messages"]["zh"]
