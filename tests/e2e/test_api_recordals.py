"""Recordals through the HTTP API on a fresh register: ``/api/v1/recordals`` (file, list, decide) and
``/api/v1/rights/{number}``, with the role checks of the API (401 without a token, 403 for a non-registrar's
decision, 404 for an unknown request) and a refusal naming the rule (422 with its ``code``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from e2e.test_i18n_pages import _log_in, _tokens
from ipoffice.bootstrap import Office, office
from ipoffice.config import Settings
from ipoffice.entrypoints.web.app import create_app
from ipoffice.services.procedures import Filing

PASSWORD = "demo"


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Office, TestClient]]:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/ipoffice.db", shared_dir=tmp_path / "shared",
                        var_dir=tmp_path)
    the_office = office(settings)
    app = create_app(the_office)
    app.state.web.accounts.seed_demo(PASSWORD)
    with TestClient(app) as client:
        yield the_office, client


def _on(the_office: Office, day: date) -> None:
    the_office.procedures.clock = lambda: day  # the office as it was that day


def _granted(the_office: Office, reduction: str | None = "single_applicant") -> str:
    """A CN invention filed 2019-01-07 (with ``reduction``, a patentee fee reduction), granted 2021-02-05."""
    service = the_office.procedures
    _on(the_office, date(2019, 1, 7))
    number = service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", None, "Optical lens",
                                 payload={"fee_reduction": reduction} if reduction else {}),
                          "agent.li").record.application_number
    for action, who, day in [("request_substantive_examination", "applicant.wang", date(2019, 2, 1)),
                             ("pass_formality_examination", "examiner.zhang", date(2019, 3, 1)),
                             ("publish", "registrar.zhou", date(2020, 7, 7)),
                             ("start_substantive_examination", "examiner.liu", date(2020, 8, 3)),
                             ("notify_grant", "examiner.liu", date(2020, 12, 1))]:
        _on(the_office, day)
        service.act(number, action, None, who)
    _on(the_office, date(2021, 1, 10))
    service.pay_fee(number, "fee.invention.annuity", None, "agent.li", year=3)
    service.act(number, "complete_registration", None, "agent.li")
    _on(the_office, date(2021, 2, 5))
    service.act(number, "announce_grant", None, "registrar.zhou")
    return number


def _token(client: TestClient, username: str) -> dict[str, str]:
    answer = client.post("/api/v1/tokens", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_recordals_and_the_right_through_the_api(running: tuple[Office, TestClient]) -> None:
    the_office, client = running
    number = _granted(the_office)
    wang, chen, registrar = (_token(client, u) for u in ("applicant.wang", "applicant.chen", "registrar.zhou"))

    def file(headers: dict[str, str], day: date, kind: str, payload: dict[str, Any]) -> Any:
        _on(the_office, day)
        return client.post("/api/v1/recordals", headers=headers, json={"number": number, "type": kind,
                                                                        "payload": payload})

    def register(ident: int, day: date) -> Any:
        _on(the_office, day)
        return client.post(f"/api/v1/recordals/{ident}/decision", headers=registrar, json={"decision": "register"})

    assert client.post("/api/v1/recordals", json={"number": number, "type": "transfer"}).status_code == 401
    transfer = file(wang, date(2021, 3, 1), "transfer", {"assignees": ["applicant.chen"]})
    assert transfer.status_code == 201 and transfer.json()["state"] == "filed"
    ident = transfer.json()["id"]
    forbidden = client.post(f"/api/v1/recordals/{ident}/decision", headers=chen, json={"decision": "register"})
    assert forbidden.status_code == 403
    unpaid = register(ident, date(2021, 3, 2))
    assert unpaid.status_code == 422 and unpaid.json()["error"]["code"] == "recordal_fee_unpaid"
    paid = client.post(f"/api/v1/recordals/{ident}/fee-payment", headers=wang, json={})
    assert paid.status_code == 200 and paid.json()["fee_paid_on"] == "2021-03-02"
    again = client.post(f"/api/v1/recordals/{ident}/fee-payment", headers=wang, json={})
    assert again.status_code == 422 and again.json()["error"]["field"] == "request"
    assert register(ident, date(2021, 3, 2)).json()["state"] == "registered"
    assert client.post("/api/v1/recordals/99999/decision", headers=registrar,
                       json={"decision": "register"}).status_code == 404

    pledge = file(chen, date(2021, 4, 1), "pledge", {"pledgee": "ICBC Suzhou"}).json()["id"]
    register(pledge, date(2021, 4, 1))
    transfer_back = file(chen, date(2021, 5, 1), "transfer", {"assignees": ["applicant.wang"]}).json()
    assert transfer_back["examination"]["code"] == "pledgee_consent_missing"
    refused = register(transfer_back["id"], date(2021, 5, 1))
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "pledgee_consent_missing"
    bad = file(chen, date(2021, 5, 2), "licence", {"kind": "sole", "licensee": "x"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "payload.contract_effective"

    register(file(chen, date(2021, 6, 1), "pledge_release", {"pledge": pledge}).json()["id"], date(2021, 6, 1))
    register(file(chen, date(2021, 6, 2), "licence", {"kind": "non_exclusive", "licensee": "Suzhou Optics Ltd",
                                                      "contract_effective": "2021-05-20"}).json()["id"],
             date(2021, 6, 2))
    register(file(chen, date(2021, 6, 3), "open_licence", {"royalty": "3% of net sales"}).json()["id"],
             date(2021, 6, 3))

    right = client.get(f"/api/v1/rights/{number}", params={"as_of": "2021-06-30"})
    assert right.status_code == 200
    data = right.json()
    assert data["owners"] == ["applicant.chen"] and data["pledges"] == []
    assert data["status"]["state"] == "granted" and data["status"]["st27"]["st27_category"] is not None
    assert data["open_licence"]["royalty"] == "3% of net sales"
    assert [lic["licensee"] for lic in data["licences"]] == ["Suzhou Optics Ltd"]
    year4 = next(f for f in data["annual_fees"] if f["year"] == 4)
    assert (year4["amount"], year4["currency"], [r["name"] for r in year4["reductions"]]) == (
        "180.00", "CNY", ["single_applicant"])  # no open-licence rate before 2024-07-15, and never both
    assert client.get(f"/api/v1/rights/{number}", params={"as_of": "2021-04-15"}).json()["pledges"][0][
        "pledgee"] == "ICBC Suzhou"

    public = client.get("/api/v1/recordals", params={"number": number}).json()
    staff = client.get("/api/v1/recordals", params={"number": number}, headers=registrar).json()
    assert len(public) == 5 and len(staff) == 6  # the filed (unregistered) transfer back is not public
    assert client.get("/api/v1/rights/000000000000.0").status_code == 404

    # The right's page, in both languages.
    for lang, words in (("en", ["Owners", "Open licence", "One eligible applicant (pays 15%)", "CNY 180.00"]),
                        ("zh", ["专利权人", "开放许可", "单个申请人减缴（缴纳 15%）", "180.00 元", "普通许可"])):
        page = client.get(f"/rights/{number}", params={"as_of": "2021-06-30"}, headers={"Accept-Language": lang})
        assert page.status_code == 200
        for word in words:
            assert word in page.text, (lang, word)
    assert client.get("/rights/000000000000.0").status_code == 404


def test_recordal_forms_of_the_portal_in_both_languages(running: tuple[Office, TestClient]) -> None:
    the_office, client = running
    number = _granted(the_office)
    _on(the_office, date(2021, 6, 1))
    page = f"/rights/{number}"

    assert 'id="recordal-form"' not in client.get(page).text  # the public sees no form
    _log_in(client, "applicant.wang")
    bad = client.post(f"{page}/recordals", headers={"Accept-Language": "zh"}, data={
        **_tokens(client.get(page).text), "type": "licence", "licensee": "李", "licence_kind": "sole"})
    assert bad.status_code == 422 and "合同生效日" in bad.text  # the field, named in Chinese
    assert 'value="李"' in bad.text and '<option value="sole" selected>' in bad.text  # nothing typed is lost
    done = client.post(f"{page}/recordals", data={**_tokens(client.get(page).text), "type": "pledge",
                                                  "pledgee": "ICBC Suzhou", "amount": "5000000"},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"{page}?done=filed"
    [pledge] = [r for r in the_office.recordals.requests("registrar.zhou", number) if r.type == "pledge"]
    assert 'id="right-filed"' not in client.get(page).text  # only a registrar decides

    _log_in(client, "registrar.zhou")
    staff_page = client.get(page).text
    assert f'id="decide-{pledge.id}-register"' in staff_page
    registered = client.post(f"{page}/recordals/{pledge.id}/decision",
                             data={**_tokens(staff_page), "decision": "register"}, follow_redirects=False)
    assert registered.status_code == 303

    _log_in(client, "applicant.wang")
    declared = client.post(f"{page}/recordals", data={**_tokens(client.get(page).text), "type": "open_licence",
                                                      "royalty": "3%"}, follow_redirects=False)
    assert declared.status_code == 303
    _log_in(client, "registrar.zhou")
    [declaration] = [r for r in the_office.recordals.requests("registrar.zhou", number) if r.type == "open_licence"]
    for lang, words in (("zh", ["不予登记", "未经质权人同意", "民法典"]),
                        ("en", ["Refused", "who has not consented", "Civil Code Art. 444(2)"])):
        refused = client.post(f"{page}/recordals/{declaration.id}/decision", headers={"Accept-Language": lang},
                              data={**_tokens(client.get(page).text), "decision": "register"})
        assert refused.status_code == 422
        for word in words:
            assert word in refused.text, (lang, word)
    assert client.post(f"{page}/recordals/99999/decision", data={**_tokens(client.get(page).text),
                                                                 "decision": "register"}).status_code == 404


def test_the_open_licence_reduction_on_the_right(running: tuple[Office, TestClient]) -> None:
    """Without a patentee reduction, the annual fees falling due from 2024-07-15 under an open licence are 15% off
    (Caishui [2024] No. 23 item 2); the earlier ones are not."""
    the_office, client = running
    number = _granted(the_office, reduction=None)
    _on(the_office, date(2021, 6, 1))
    declared = the_office.recordals.file(number, "open_licence", "applicant.wang", {"royalty": "3%"})
    the_office.recordals.decide(declared.request.id, "register", "registrar.zhou")
    fees = {f["year"]: f for f in client.get(f"/api/v1/rights/{number}").json()["annual_fees"]}
    assert (fees[6]["due"], fees[6]["amount"], fees[6]["reductions"]) == ("2024-01-08", "1200", [])
    assert (fees[7]["due"], fees[7]["amount"], [r["name"] for r in fees[7]["reductions"]]) == (
        "2025-01-07", "1700.00", ["open_licence"])
    for lang, words in (("en", ["Open-licence annual-fee reduction", "CNY 1,700.00"]),
                        ("zh", ["开放许可年费减免", "1,700.00 元"])):
        page = client.get(f"/rights/{number}", headers={"Accept-Language": lang})
        assert page.status_code == 200
        for word in words:
            assert word in page.text, (lang, word)
