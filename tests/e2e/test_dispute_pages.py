"""The enforcement workspace over HTTP, in both languages, on a small register of its own: the list of a user's
disputes, the workspace (the patent's claims and status then and now, the clocks, the claim chart against the
accused product, the draft decision), acts from the page (and their refusals), the alert of a lapsed patent, and
who may see it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from .dispute_setup import PRODUCT, granted_patent, on
from .test_case_journeys import form_of, logged_in
from .web_app import PASSWORD


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Iterator[tuple[Any, str, str]]:
    from ipoffice.bootstrap import office
    from ipoffice.config import Settings
    from ipoffice.entrypoints.web.app import create_app

    var = tmp_path_factory.mktemp("disputes-web")
    cache = Path(os.environ.get("IPOFFICE_VECTOR_CACHE") or Path(__file__).resolve().parents[2] / "var"
                 / "test-vector-cache")
    running = office(Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=shared, var_dir=var,
                              vector_cache_dir=cache))
    app = create_app(running)
    app.state.web.accounts.seed_demo(PASSWORD)
    service = running.procedures
    right = granted_patent(service)
    service.act(right, "pay_annuity", on(service, "2024-01-05"), "agent.li")  # year 2: in force through 2025-01-09
    running.disputes.record_enforcement(right, "agent.li", "customs", "Shanghai Customs", "T2024-0042")
    number = running.disputes.file(right, "agent.li", {
        "respondent": "applicant.chen", "infringement_date": "2024-06-03", "product_description": PRODUCT},
        on(service, "2024-09-26")).record.application_number
    on(service, "2024-09-30")
    yield app, number, right


def test_the_workspace_shows_the_patent_the_clocks_the_chart_and_the_draft(workspace: tuple[Any, str, str]) -> None:
    app, number, right = workspace
    respondent = logged_in(app, "applicant.chen")
    listed = respondent.get("/disputes")
    assert listed.status_code == 200 and f'href="/disputes/{number}"' in listed.text
    page = respondent.get(f"/disputes/{number}?lang=en").text
    assert 'id="right-state-then" data-state="granted"' in page and 'id="respondent">applicant.chen<' in page
    # 2024-09-26 (Thu): 09-27, Sun 09-29 (make-up), 09-30, then National Day 2024 (10-01..07), 10-08, 10-09.
    assert 'data-code="acceptance"' in page and 'datetime="2024-10-09"' in page
    assert 'id="chart-table"' in page and 'data-disclosed="yes"' in page
    assert 'data-kind="customs" data-flagged="no"' in page
    assert "DECISION ON A PATENT INFRINGEMENT DISPUTE (DRAFT)" in page
    zh = respondent.get(f"/disputes/{number}?lang=zh").text
    assert "专利侵权纠纷行政裁决书（草稿）" in zh and "已收到请求" in zh and "立案期限" in zh
    # A chart against another description, asked from the page: nothing is recorded.
    other = respondent.post(f"/disputes/{number}/chart", data={**form_of(zh, None), "product_text":
                                                              "A cup with a handle. It holds hot drinks."})
    assert other.status_code == 200 and 'data-disclosed="yes"' not in other.text.split('id="chart-table"')[1]
    for outsider in ("examiner.zhao", "us.applicant"):
        assert logged_in(app, outsider).get(f"/disputes/{number}").status_code == 404
    assert logged_in(app, "applicant.chen").get("/disputes/NOPE").status_code == 404


def test_acts_from_the_page_and_the_alert_of_a_lapsed_patent(workspace: tuple[Any, str, str]) -> None:
    app, number, right = workspace
    officer = logged_in(app, "examiner.zhang")
    page = officer.get(f"/disputes/{number}?lang=en").text
    assert '<option value="accept_request">' in page and "alert_right_status" not in page.split('id="act-form"')[1]
    bad = officer.post(f"/disputes/{number}/act", data={**form_of(page, "act-form"), "action": "accept_request",
                                                         "payload": "[1, 2"})
    assert bad.status_code == 422 and 'id="error"' in bad.text
    done = officer.post(f"/disputes/{number}/act", data={**form_of(page, "act-form"), "action": "accept_request"},
                        follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/disputes/{number}?done=accept_request"
    page = officer.get(done.headers["location"]).text
    # Accepted 2024-09-30: service by Saturday 10-12, a make-up working day (10-08..10-11 after National Day 2024,
    # then 10-12); decision by 2024-12-30.
    assert 'id="message"' in page and 'datetime="2024-10-12"' in page and 'datetime="2024-12-30"' in page
    refused = officer.post(f"/disputes/{number}/act", data={**form_of(page, "act-form"), "action": "decide",
                                                             "payload": '{"outcome": "stop_infringement"}'})
    assert refused.status_code == 409 and 'id="error"' in refused.text
    # The year-3 annuity (due 2025-01-10, grace to 2025-07-10) is not paid: the job lapses the patent and the
    # dispute shows the alert.
    app.state.web.procedures.run_overdue(date(2025, 7, 20))
    zh = logged_in(app, "applicant.wang").get(f"/disputes/{number}?lang=zh").text
    assert 'id="alerts"' in zh and 'data-code="lapse"' in zh and 'id="right-state" data-state="lapsed"' in zh
    assert 'data-kind="customs" data-flagged="yes"' in zh and "海关知识产权备案" in zh
