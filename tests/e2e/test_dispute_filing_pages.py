"""The request form for the adjudication of a dispute and the handling officer's queue over HTTP, in both
languages: each bad field named in the page's language with the fields kept, post/redirect/get with the
one-time form token (a repeat goes where the first went, one dispute is filed), and who sees the queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .dispute_setup import PRODUCT, on, portal_with_patent
from .test_case_journeys import form_of, logged_in
from .web_app import PASSWORD


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, str]]:
    app, service, right = portal_with_patent(Path(tmp_path_factory.mktemp("dispute-form")), PASSWORD)
    on(service, "2026-09-28")
    yield app, service, right


@pytest.mark.parametrize(("lang", "words"), [
    ("en", {"respondent": "Respondent (username): required",
            "infringement_date": "Date of the alleged infringement: give a date YYYY-MM-DD",
            "asserted_claims": "Claims asserted: give claim numbers", "claims_range": "the patent has claims 1 to 2",
            "no_patent": "no patent with this application number",
            "queue": ("Dispute handling queue", "Acceptance decision", "Accept the request")}),
    ("zh", {"respondent": "被请求人（用户名）: 必填", "infringement_date": "被控侵权行为日期: 请填写日期",
            "asserted_claims": "主张的权利要求: 请填写以逗号分隔", "claims_range": "该专利的权利要求为第1至2项",
            "no_patent": "没有该申请号的专利", "queue": ("纠纷办案队列", "立案期限", "立案")}),
])
def test_the_form_names_each_bad_field_and_files_once(portal: tuple[Any, Any, str], lang: str,
                                                      words: dict[str, Any]) -> None:
    app, _, right = portal
    wang = logged_in(app, "applicant.wang")
    listed = wang.get(f"/disputes?lang={lang}").text
    assert 'href="/disputes/new"' in listed and 'id="dispute-queue-link"' not in listed
    page = wang.get(f"/disputes/new?right={right}").text
    assert f'value="{right}"' in page
    bad = wang.post("/disputes/new", data={**form_of(page, "dispute-form"), "right_number": right, "respondent": "",
                                           "infringement_date": "2026-02-30", "asserted_claims": "1, x",
                                           "product_description": PRODUCT})
    assert bad.status_code == 422
    for field in ("respondent", "infringement_date", "asserted_claims"):
        assert words[field] in bad.text.split(f'id="error-{field}"')[1].split("</div>")[0], field
    assert PRODUCT in bad.text and "2026-02-30" in bad.text  # nothing typed is lost
    for fields, error, expected in (({"asserted_claims": "1, 9"}, "asserted_claims", words["claims_range"]),
                                    ({"right_number": "CN000"}, "right_number", words["no_patent"])):
        refused = wang.post("/disputes/new", data={**form_of(bad.text, "dispute-form"), "right_number": right,
                                                   "respondent": "applicant.chen", **fields})
        assert refused.status_code == 422 and expected in refused.text.split(f'id="error-{error}"')[1], error
    good = {**form_of(bad.text, "dispute-form"), "right_number": right, "respondent": "applicant.chen",
            "infringement_date": "2026-06-01", "asserted_claims": "1, 2", "product_description": PRODUCT}
    done = wang.post("/disputes/new", data=good, follow_redirects=False)
    assert done.status_code == 303 and "?done=file" in done.headers["location"]
    again = wang.post("/disputes/new", data=good, follow_redirects=False)  # the same form sent twice
    assert again.status_code == 303 and again.headers["location"] == done.headers["location"]
    number = done.headers["location"].split("/disputes/")[1].split("?")[0]
    workspace = wang.get(done.headers["location"] + f"&lang={lang}")
    assert workspace.status_code == 200 and 'id="respondent">applicant.chen<' in workspace.text

    officer = logged_in(app, "officer.dispute")
    queue = officer.get(f"/disputes/queue?lang={lang}").text
    row = queue.split(f'data-number="{number}"')[1].split("</tr>")[0]
    assert all(w in queue for w in words["queue"][:1]) and words["queue"][1] in row and words["queue"][2] in row
    # 2026-09-28 (Mon): 09-29, 09-30, National Day, 10-08, 10-09, Sat 10-10 (make-up working day).
    assert 'datetime="2026-10-10"' in row
    assert number not in logged_in(app, "examiner.zhao").get("/disputes/queue").text
    assert wang.get("/disputes/queue").status_code == 403
