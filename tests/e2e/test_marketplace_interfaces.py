"""The marketplace's interfaces on a register of its own: ``ipoffice offers`` / ``royalty-guidance`` (the real
command, one JSON line per offer, exit 2 naming a bad option) and ``/api/v1/offers`` / ``/rights/{n}/royalty-guidance``
(422 naming the field, 404 for an unknown right), both giving what the service gives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from e2e.conftest import make_cli
from e2e.test_api_recordals import PASSWORD
from e2e.test_i18n_pages import _log_in, _tokens
from integration.marketplace_setup import TODAY, build_market
from integration.search_corpus import shared_vector_cache
from ipoffice.bootstrap import Office, office
from ipoffice.config import Settings
from ipoffice.entrypoints.web.app import create_app
from ipoffice.services.marketplace import OfferQuery


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Office, dict[str, str]]]:
    var = tmp_path_factory.mktemp("market")
    the_office = office(Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=var / "shared", var_dir=var,
                                 vector_cache_dir=shared_vector_cache(), today=TODAY))
    the_office.procedures.seed_demo()
    numbers = build_market(the_office.procedures, the_office.recordals)
    yield var, the_office, numbers


def test_offers_and_guidance_through_the_cli(market: tuple[Path, Office, dict[str, str]],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    var, _, numbers = market
    monkeypatch.setenv("IPOFFICE_VECTOR_CACHE", str(shared_vector_cache()))
    cli = make_cli(var)
    lines = cli("offers", "--ipc", "H04L", "--json", today=TODAY.isoformat()).stdout.strip().splitlines()
    offers = [json.loads(line) for line in lines]
    assert {o["number"] for o in offers} == {numbers["crypto"], numbers["words"]}
    assert all({"status", "first_claim", "indicators", "royalty", "guidance"} <= set(o) for o in offers)
    cheap = [json.loads(x) for x in cli("offers", "--max-amount", "50000", "--min-remaining-years", "5", "--json",
                                        today=TODAY.isoformat()).stdout.splitlines()]
    assert [o["number"] for o in cheap] == [numbers["crypto"]]  # the battery's lump sum has 4.2 years left
    across = [json.loads(x) for x in cli("offers", "--text", "折叠自行车铰链", "--json",
                                         today=TODAY.isoformat()).stdout.splitlines()]
    assert [o["number"] for o in across] == [numbers["hinge"]]
    guidance = json.loads(cli("royalty-guidance", numbers["crypto"], "--json", today=TODAY.isoformat()).stdout)
    assert (guidance["contracts"], guidance["basis"], guidance["enough"]) == (6, "subclass", True)
    text = cli("royalty-guidance", numbers["hinge"], today=TODAY.isoformat()).stdout
    assert "too few comparable contracts (n = 0 < 5)" in " ".join(text.split())
    bad = cli("offers", "--royalty-type", "monthly", check=False, today=TODAY.isoformat())
    assert bad.returncode == 2 and "--royalty-type" in bad.stderr
    unknown = cli("royalty-guidance", "NOPE123", check=False, today=TODAY.isoformat())
    assert unknown.returncode == 2 and "NOPE123" in unknown.stderr


def test_offers_and_guidance_through_the_api(market: tuple[Path, Office, dict[str, str]]) -> None:
    _, the_office, numbers = market
    with TestClient(create_app(the_office)) as client:
        answer = client.get("/api/v1/offers", params={"royalty_type": "lump_sum"})
        assert answer.status_code == 200
        assert [o["number"] for o in answer.json()["offers"]] == [numbers["battery"]]
        assert answer.json()["offers"] == the_office.marketplace.offers(OfferQuery(royalty_type="lump_sum"))
        english = client.get("/api/v1/offers", params={"text": "lithium battery electrolyte"}).json()["offers"]
        assert [o["number"] for o in english] == [numbers["battery"]]  # a Chinese right
        for params, field in (({"max_rate": "x"}, "max_rate"), ({"royalty_type": "monthly"}, "royalty_type"),
                              ({"ipc": "9/32"}, "ipc")):
            bad = client.get("/api/v1/offers", params=params)
            assert bad.status_code == 422 and bad.json()["error"]["field"] == field, bad.text
        assert client.get("/api/v1/offers", params={"limit": 0}).status_code == 422
        guidance = client.get(f"/api/v1/rights/{numbers['crypto']}/royalty-guidance")
        assert guidance.status_code == 200 and guidance.json()["contracts"] == 6
        assert client.get("/api/v1/rights/NOPE123/royalty-guidance").status_code == 404
        page = client.get("/marketplace", params={"ipc": "B62K"}, headers={"Accept-Language": "en"})
        assert page.status_code == 200 and "Folding bicycle hinge" in page.text and 'id="nav-marketplace"' in page.text


def test_the_right_page_form_files_a_structured_royalty_and_names_a_bad_field(tmp_path: Path) -> None:
    """The recordal form of ``/rights/{n}``: a licence with a running royalty; a rate above 100 % refused with the
    field and reason in Chinese, the fields kept; the right's page shows the royalty and its guidance."""
    the_office = office(Settings(database_url=f"sqlite:///{tmp_path}/ipoffice.db", shared_dir=tmp_path / "shared",
                                 var_dir=tmp_path, vector_cache_dir=shared_vector_cache(), today=TODAY))
    app = create_app(the_office)
    app.state.web.accounts.seed_demo(PASSWORD)
    numbers = build_market(the_office.procedures, the_office.recordals)
    number = numbers["crypto"]
    with TestClient(app, headers={"Accept-Language": "zh-CN"}) as client:
        _log_in(client, "applicant.wang")
        form = {"type": "licence", "licensee": "苏州网络有限公司", "licence_kind": "non_exclusive",
                "contract_effective": TODAY.isoformat(), "royalty_type": "running_percentage", "royalty_rate": "150",
                "royalty_basis": "净销售额", "industry": "通信"}
        bad = client.post(f"/rights/{number}/recordals",
                          data={**_tokens(client.get(f"/rights/{number}").text), **form}, follow_redirects=False)
        assert bad.status_code == 422
        assert "提成比例（%）：大于0且不超过100的百分比" in bad.text and 'value="净销售额"' in bad.text
        done = client.post(f"/rights/{number}/recordals", data={
            **_tokens(client.get(f"/rights/{number}").text), **form, "royalty_rate": "4.5"}, follow_redirects=False)
        assert done.status_code == 303, done.text
        [filed] = [r for r in the_office.recordals.requests("registrar.zhou", number) if r.state == "filed"]
        assert filed.payload["royalty"] == {"type": "running_percentage", "rate_percent": "4.5", "basis": "净销售额"}
        assert filed.payload["industry"] == "通信"
        page = client.get(f"/rights/{number}")
        assert 'id="right-guidance" data-enough="yes" data-contracts="6"' in page.text
        assert "免费" in page.text.split('id="right-royalty"')[1][:300]


def test_the_registrar_records_a_recordal_fee_on_the_right_page(tmp_path: Path) -> None:
    """A transfer owes fee.recordal.change_of_patentee: registering it on the page is refused in the page's
    language until the registrar records the payment there; then it registers."""
    the_office = office(Settings(database_url=f"sqlite:///{tmp_path}/ipoffice.db", shared_dir=tmp_path / "shared",
                                 var_dir=tmp_path, vector_cache_dir=shared_vector_cache(), today=TODAY))
    app = create_app(the_office)
    app.state.web.accounts.seed_demo(PASSWORD)
    numbers = build_market(the_office.procedures, the_office.recordals)
    number = numbers["hinge"]
    ident = the_office.recordals.file(number, "transfer", "applicant.wang",
                                      {"assignees": ["applicant.chen"]}).request.id
    with TestClient(app, headers={"Accept-Language": "zh-CN"}) as client:
        _log_in(client, "registrar.zhou")
        page = client.get(f"/rights/{number}").text
        assert f'id="pay-{ident}"' in page and "登记缴费（200.00 元）" in page
        unpaid = client.post(f"/rights/{number}/recordals/{ident}/decision",
                             data={**_tokens(page), "decision": "register"}, follow_redirects=False)
        assert unpaid.status_code == 422 and "登记费 200 CNY 尚未缴纳" in unpaid.text
        paid = client.post(f"/rights/{number}/recordals/{ident}/fee",
                           data=_tokens(client.get(f"/rights/{number}").text), follow_redirects=False)
        assert paid.status_code == 303 and paid.headers["location"].endswith("done=paid")
        page = client.get(f"/rights/{number}").text
        assert f'id="pay-{ident}"' not in page
        done = client.post(f"/rights/{number}/recordals/{ident}/decision",
                           data={**_tokens(page), "decision": "register"}, follow_redirects=False)
        assert done.status_code == 303
    assert the_office.recordals.right(number, None)["owners"] == ["applicant.chen"]
