"""The case journeys of the portal over HTTP (issue #12): one-time forms (a reload or a double submit acts
once), requests made once, the reply form, the examiner seeing the reply, notices of the office's acts, due
dates after grant, filing validation (applicant, description, IPC), the fees due with amounts, the
registration fee before ``complete_registration``, the prior-art panel, and the public register of the
office's own cases after publication and grant.

Each test files its own case (today, by the office's clock), so the tests do not depend on each other."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from e2e.web_app import PASSWORD, WebRegister, api_token, web_register  # noqa: F401 - the session fixture

CLAIMS = "1. A wireless charging pad comprising a coil and a foreign-object detector.\n" \
         "2. The pad of claim 1, wherein the detector measures the quality factor."
DESCRIPTION = "The pad detects metal objects by the change of the coil's quality factor."


@pytest.fixture(scope="module")
def app(web_register: WebRegister) -> Any:  # noqa: F811
    from ipoffice.entrypoints.web.app import create_app

    return create_app(web_register.settings)


@pytest.fixture(scope="module")
def api(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def bearer(api: TestClient, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(api, user)}"}


def form_of(html: str, form_id: str | None = None) -> dict[str, str]:
    """The hidden fields (CSRF and one-time token) of the form ``form_id`` of a page (else the first form)."""
    start = html.find(f'id="{form_id}"') if form_id else html.find("<form")
    assert start >= 0, f"no form {form_id} on the page"
    part = html[start:]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', part)
    once = re.search(r'name="form_token" value="([^"]+)"', part)
    assert csrf and once, "the form carries no CSRF or one-time token"
    return {"csrf_token": csrf.group(1), "form_token": once.group(1)}


def logged_in(app: Any, user: str) -> TestClient:
    client = TestClient(app)
    page = client.get("/login")
    done = client.post("/login", data={**form_of(page.text), "username": user, "password": PASSWORD,
                                       "next": "/account"}, follow_redirects=False)
    assert done.status_code == 303, done.text
    return client


def file_by_api(api: TestClient, **fields: Any) -> str:
    body = {"procedure": "cn_invention", "office": "CN-JS-SZ", "title": "Charging pad",
            "abstract": "A wireless charging pad with foreign-object detection.", "claims": CLAIMS,
            "description": DESCRIPTION, **fields}
    filed = api.post("/api/v1/cases", headers=bearer(api, "applicant.wang"), json=body)
    assert filed.status_code == 201, filed.text
    return str(filed.json()["application_number"])


def act(api: TestClient, number: str, user: str, action: str, **payload: Any) -> dict[str, Any]:
    done = api.post(f"/api/v1/cases/{number}/actions", headers=bearer(api, user),
                    json={"action": action, "payload": payload})
    assert done.status_code == 200, done.text
    return dict(done.json())


def events(api: TestClient, number: str) -> list[str]:
    return [e["code"] for e in api.get(f"/api/v1/cases/{number}", headers=bearer(api, "examiner.zhang"))
            .json()["events"]]


def under_examination(api: TestClient) -> str:
    number = file_by_api(api)
    act(api, number, "examiner.zhang", "pass_formality_examination")
    act(api, number, "applicant.wang", "request_early_publication")
    act(api, number, "registrar.zhou", "publish")
    act(api, number, "applicant.wang", "request_substantive_examination")
    act(api, number, "examiner.zhang", "start_substantive_examination")
    return number


def pay(api: TestClient, number: str, fee: str, year: int | None = None) -> None:
    client = logged_in(api.app, "applicant.wang")
    page = client.get(f"/my/cases/{number}")
    paid = client.post(f"/my/cases/{number}/pay", data={**form_of(page.text, "pay-form"),
                                                        "fee": fee + (f"|{year}" if year else "")},
                       follow_redirects=False)
    assert paid.status_code == 303, paid.text


# --- 1. one-time forms and requests made once --------------------------------------------------------------

def test_a_double_submitted_filing_files_one_application(api: TestClient) -> None:
    client = logged_in(api.app, "applicant.wang")
    page = client.get("/file/cn_invention")
    data = {**form_of(page.text, "filing-form"), "office": "CN-JS-SZ", "applicant": "applicant.wang",
            "title": "Double-submitted pad", "abstract": "A pad.", "claims": CLAIMS, "description": DESCRIPTION}
    first = client.post("/file/cn_invention", data=data, follow_redirects=False)
    again = client.post("/file/cn_invention", data=data, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"]  # the receipt of the one filing
    mine = api.get("/api/v1/cases?mine=true", headers=bearer(api, "applicant.wang")).json()
    assert [c["title"] for c in mine].count("Double-submitted pad") == 1


@pytest.mark.parametrize("action", ["request_early_publication", "request_substantive_examination"])
def test_a_reloaded_act_is_recorded_once(api: TestClient, action: str) -> None:
    number = file_by_api(api)
    client = logged_in(api.app, "applicant.wang")
    data = {**form_of(client.get(f"/my/cases/{number}").text, "act-form"), "action": action}
    answers = [client.post(f"/my/cases/{number}/act", data=data, follow_redirects=False) for _ in range(3)]
    assert {a.status_code for a in answers} == {303}
    assert events(api, number).count(action) == 1


def test_a_form_without_its_one_time_token_is_refused(api: TestClient) -> None:
    number = file_by_api(api)
    client = logged_in(api.app, "applicant.wang")
    data = form_of(client.get(f"/my/cases/{number}").text, "act-form")
    del data["form_token"]
    refused = client.post(f"/my/cases/{number}/act", data={**data, "action": "request_early_publication"})
    assert refused.status_code == 400
    assert "request_early_publication" not in events(api, number)


def test_a_refused_submission_may_be_sent_again(api: TestClient) -> None:
    """Nothing was done the first time (an invalid filing): the same form, corrected, files."""
    client = logged_in(api.app, "applicant.wang")
    data = {**form_of(client.get("/file/cn_invention").text, "filing-form"), "office": "CN-JS-SZ",
            "title": "Corrected pad", "abstract": "A pad.", "claims": CLAIMS, "description": ""}
    assert client.post("/file/cn_invention", data=data).status_code == 422
    fixed = client.post("/file/cn_invention", data={**data, "description": DESCRIPTION}, follow_redirects=False)
    assert fixed.status_code == 303 and "/receipt" in fixed.headers["location"]


def test_token_creation_and_login_follow_post_redirect_get(api: TestClient) -> None:
    client = logged_in(api.app, "agent.li")
    before = len(client.get("/api/v1/tokens", headers=bearer(api, "agent.li")).json())
    data = {**form_of(client.get("/account").text), "label": "twice", "days": "30"}
    created = [client.post("/account/tokens", data=data, follow_redirects=False) for _ in range(2)]
    assert [c.status_code for c in created] == [303, 303]
    shown = client.get("/account")
    assert 'id="new-token"' in shown.text
    assert 'id="new-token"' not in client.get("/account").text  # shown once
    labels = [t["label"] for t in client.get("/api/v1/tokens", headers=bearer(api, "agent.li")).json()]
    assert labels.count("twice") == 1 and len(labels) == before + 2  # + the token of this check itself


@pytest.mark.parametrize("action", ["request_early_publication", "request_substantive_examination"])
def test_a_request_made_twice_is_refused_in_the_api(api: TestClient, action: str) -> None:
    number = file_by_api(api)
    act(api, number, "applicant.wang", action)
    again = api.post(f"/api/v1/cases/{number}/actions", headers=bearer(api, "applicant.wang"),
                     json={"action": action})
    assert again.status_code == 422 and "already requested on" in again.text
    assert events(api, number).count(action) == 1


# --- 2-3. reply form, the examiner sees the reply, notices --------------------------------------------------

def test_reply_form_defaults_to_respond_and_withdraw_needs_confirmation(api: TestClient) -> None:
    number = under_examination(api)
    act(api, number, "examiner.zhang", "office_action", text="Claim 1 lacks novelty.")
    client = logged_in(api.app, "applicant.wang")
    page = client.get(f"/my/cases/{number}").text
    assert re.search(r'<option value="respond" selected', page)
    assert 'id="confirm"' in page
    data = {**form_of(page, "act-form"), "action": "withdraw"}
    refused = client.post(f"/my/cases/{number}/act", data=data)
    assert refused.status_code == 422 and "withdraw" in refused.text
    assert "withdraw" not in events(api, number)
    data = {**form_of(refused.text, "act-form"), "action": "withdraw", "confirm": "yes"}
    assert client.post(f"/my/cases/{number}/act", data=data, follow_redirects=False).status_code == 303
    assert events(api, number)[-1] == "withdraw"


def test_the_examiner_sees_the_reply_and_the_applicant_the_notices(api: TestClient) -> None:
    number = under_examination(api)
    act(api, number, "examiner.zhang", "office_action", text="Claim 1 lacks novelty over D1.")
    wang = logged_in(api.app, "applicant.wang")
    page = wang.get(f"/my/cases/{number}").text
    assert 'id="notices"' in page and "Claim 1 lacks novelty over D1." in page.split('id="notices"')[1]
    content = b"%PDF-1.4\n% arguments: D1 lacks the detector\n"
    replied = wang.post(f"/my/cases/{number}/act", data={**form_of(page, "act-form"), "action": "respond",
                                                         "note": "Claim 1 amended: the detector is new."},
                        files={"document": ("reply.pdf", content, "application/pdf")}, follow_redirects=False)
    assert replied.status_code == 303
    zhang = logged_in(api.app, "examiner.zhang")
    examiner_page = zhang.get(f"/examiner/cases/{number}").text
    replies = examiner_page.split('id="party-acts"')[1]
    assert "respond" in replies and "Claim 1 amended: the detector is new." in replies
    link = re.search(r'class="reply-document" href="([^"]+)"><span class="data">reply.pdf<', replies)
    assert link, "no link to the uploaded reply"
    download = zhang.get(link.group(1))
    assert download.status_code == 200 and download.content == content
    assert "attachment" in download.headers["content-disposition"]
    assert TestClient(api.app).get(link.group(1), follow_redirects=False).status_code == 303  # log in first
    assert logged_in(api.app, "applicant.chen").get(link.group(1)).status_code == 404  # not a party

    act(api, number, "examiner.zhang", "notify_grant", text="The application is to be granted.")
    notices = wang.get(f"/my/cases/{number}").text.split('id="notices"')[1]
    assert "notify_grant" in notices and "The application is to be granted." in notices


def test_an_act_without_an_opinion_never_sends_the_draft_as_its_notice(api: TestClient) -> None:
    """The examiner's form always carries the text box (prefilled with the novelty template): only the office
    actions and reasoned decisions send it; passing the formality examination, publishing... are notified as
    what was done (a fresh-clone trial found the novelty opinion served with every act)."""
    number = file_by_api(api)
    zhang = logged_in(api.app, "examiner.zhang")
    page = zhang.get(f"/examiner/cases/{number}").text
    draft = "Claim 1 lacks novelty over the documents of the search report."
    done = zhang.post(f"/examiner/cases/{number}/act", data={**form_of(page, "act-form"), "text": draft,
                                                             "action": "pass_formality_examination"},
                      follow_redirects=False)
    assert done.status_code == 303, done.text
    notices = logged_in(api.app, "applicant.wang").get(f"/my/cases/{number}").text.split('id="notices"')[1]
    assert 'data-code="pass_formality_examination"' in notices and draft not in notices
    act(api, number, "applicant.wang", "request_early_publication")
    act(api, number, "registrar.zhou", "publish")
    act(api, number, "applicant.wang", "request_substantive_examination")
    act(api, number, "examiner.zhang", "start_substantive_examination")
    page = zhang.get(f"/examiner/cases/{number}").text
    sent = zhang.post(f"/examiner/cases/{number}/act", data={**form_of(page, "act-form"), "text": draft,
                                                             "action": "office_action"}, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    notices = logged_in(api.app, "applicant.wang").get(f"/my/cases/{number}").text.split('id="notices"')[1]
    assert notices.count(draft) == 1  # the office action's opinion, once


# --- 4. due dates after grant ----------------------------------------------------------------------------

def granted(api: TestClient) -> str:
    number = under_examination(api)
    act(api, number, "examiner.zhang", "notify_grant")
    pay(api, number, "fee.invention.annuity", 1)
    act(api, number, "applicant.wang", "complete_registration")
    act(api, number, "registrar.zhou", "announce_grant")
    return number


def test_after_grant_the_annuity_shows_its_due_date_then_the_grace_period(api: TestClient) -> None:
    number = granted(api)
    limits = {t["name"]: t for t in api.get(f"/api/v1/cases/{number}", headers=bearer(api, "applicant.wang"))
              .json()["open_time_limits"]}
    annuity = limits["annuity"]
    assert annuity["due"] < annuity["expires_after"]
    client = logged_in(api.app, "applicant.wang")
    row = next(line for line in client.get(f"/my/cases/{number}").text.splitlines() if 'data-code="annuity"' in line)
    assert f'<time class="due" datetime="{annuity["due"]}">' in row
    listed = client.get("/my/cases").text
    line = next(line for line in listed.split("<tr>") if number in line)
    assert f'datetime="{annuity["due"]}"' in line  # the due date, not the end of the grace period


# --- 5. filing validation, the applicant stays the party ---------------------------------------------------

def test_an_agent_must_name_the_applicant_and_a_description_is_required(api: TestClient) -> None:
    client = logged_in(api.app, "agent.li")
    page = client.get("/file/cn_invention").text
    assert re.search(r'id="applicant" name="applicant" value=""', page)
    data = {**form_of(page, "filing-form"), "office": "CN-JS-SZ", "applicant": "", "title": "Agent's pad",
            "abstract": "A pad.", "claims": CLAIMS, "description": ""}
    refused = client.post("/file/cn_invention", data=data)
    assert refused.status_code == 422
    assert 'id="error-applicant"' in refused.text and 'id="error-description"' in refused.text
    filed = client.post("/file/cn_invention", data={**data, **form_of(refused.text, "filing-form"),
                                                    "applicant": "applicant.wang", "description": DESCRIPTION})
    assert filed.status_code == 200 and 'id="receipt-applicant" class="party">applicant.wang<' in filed.text
    assert 'id="receipt-agent" class="party">agent.li<' in filed.text
    by_api = api.post("/api/v1/cases", headers=bearer(api, "agent.li"), json={
        "procedure": "cn_invention", "office": "CN-JS-SZ", "title": "x", "abstract": "x", "claims": "x",
        "description": "x"})
    assert by_api.status_code == 422 and "applicant" in by_api.json()["error"]["fields"]


# --- 6. fees -----------------------------------------------------------------------------------------------

def test_priority_and_examination_fees_are_listed_with_amounts(api: TestClient) -> None:
    fees = api.get("/api/v1/fees?procedure=cn_invention&priorities=2").json()["fees"]
    claim = next(f for f in fees if f["name"] == "fee.priority_claim")
    assert claim["amount"] == "160" and "Rule 93" in claim["reference"]
    client = logged_in(api.app, "applicant.wang")
    page = client.get("/file/cn_invention").text
    data = {**form_of(page, "filing-form"), "office": "CN-JS-SZ", "title": "Pad with priority",
            "abstract": "A pad.", "claims": CLAIMS, "description": DESCRIPTION,
            "priorities[0][country]": "US", "priorities[0][number]": "63/111111",
            "priorities[0][date]": api.app.state.web.procedures.clock().replace(day=1).isoformat()}
    receipt = client.post("/file/cn_invention", data=data)
    assert receipt.status_code == 200 and "Priority claim fee (per priority)" in receipt.text
    number = re.search(r'id="receipt-number">([^<]+)<', receipt.text).group(1)  # type: ignore[union-attr]
    act(api, number, "applicant.wang", "request_substantive_examination")
    case_page = client.get(f"/my/cases/{number}").text
    due = case_page.split('id="fees-due"')[1].split("</ul>")[0]
    assert "fee.invention.examination" in due and "2,500.00" in due
    options = re.findall(r"<option value=\"(fee\.[^\"]+)\">([^<]+)</option>", case_page.split('id="pay-form"')[1])
    assert {v for v, _ in options} == {"fee.invention.application", "fee.invention.publication_printing",
                                      "fee.priority_claim", "fee.invention.examination"}
    assert all(re.search(r"\d", label.split("—")[-1]) for _, label in options)  # every option has its amount


def test_complete_registration_waits_for_the_grant_year_annuity(api: TestClient) -> None:
    number = under_examination(api)
    act(api, number, "examiner.zhang", "notify_grant")
    early = api.post(f"/api/v1/cases/{number}/actions", headers=bearer(api, "applicant.wang"),
                     json={"action": "complete_registration"})
    assert early.status_code == 422
    assert "fee.invention.annuity (year 1)" in early.text and "Rule 97" in early.text
    pay(api, number, "fee.invention.annuity", 1)
    assert act(api, number, "applicant.wang", "complete_registration")["state"] == "registered"


def test_a_fee_is_paid_once(api: TestClient) -> None:
    number = file_by_api(api)
    pay(api, number, "fee.invention.application")
    client = logged_in(api.app, "applicant.wang")
    page = client.get(f"/my/cases/{number}").text
    assert 'value="fee.invention.application"' not in page.split('id="pay-form"')[1]
    again = client.post(f"/my/cases/{number}/pay", data={**form_of(page, "pay-form"),
                                                         "fee": "fee.invention.application"})
    assert again.status_code == 422 and "already paid" in again.text


# --- 7. prior art ------------------------------------------------------------------------------------------

def test_a_custom_prior_art_query_survives_a_citation(api: TestClient) -> None:
    number = under_examination(api)
    zhang = logged_in(api.app, "examiner.zhang")
    page = zhang.get(f"/examiner/cases/{number}", params={"q": "tuner allocation module"}).text
    hit = re.search(r'name="cited_number" value="([^"]+)"', page)
    assert hit, "the custom query found nothing to cite"
    cited = zhang.post(f"/examiner/cases/{number}/cite", data={
        **form_of(page[page.find('class="inline cite-form"') - 200:]), "cited_number": hit.group(1),
        "category": "A", "q": "tuner allocation module"}, follow_redirects=False)
    assert cited.status_code == 303 and "q=tuner+allocation+module" in cited.headers["location"]
    after = zhang.get(cited.headers["location"]).text
    assert ">tuner allocation module</textarea>" in after


def test_the_novelty_template_cites_x_documents_only() -> None:
    from ipoffice.domain.case_file import Citation
    from ipoffice.entrypoints.web.pages_examiner import office_action_texts

    report = [Citation("EP1A1", "X"), Citation("EP2A1", "Y"), Citation("EP3A1", "A")]
    for lang in ("en", "zh"):
        texts = office_action_texts(lang, "2026101", "Pad", report)
        assert "EP1A1" in texts["novelty"] and "EP2A1" not in texts["novelty"] and "EP3A1" not in texts["novelty"]
        assert "EP1A1" in texts["inventive_step"] and "EP2A1" in texts["inventive_step"]
        assert "EP3A1" not in texts["inventive_step"]


# --- 8. IPC on the filing form -----------------------------------------------------------------------------

def test_the_filed_ipc_is_stored_on_the_case(api: TestClient) -> None:
    client = logged_in(api.app, "applicant.wang")
    page = client.get("/file/cn_invention").text
    assert 'id="ipc" name="ipc"' in page and 'data-apply-label=' in page
    data = {**form_of(page, "filing-form"), "office": "CN-JS-SZ", "title": "Classified pad", "abstract": "A pad.",
            "claims": CLAIMS, "description": DESCRIPTION, "ipc": "H02J7/00, h01f 38/14"}
    receipt = client.post("/file/cn_invention", data=data)
    assert 'id="receipt-ipc">H02J 7/00, H01F 38/14<' in receipt.text
    number = re.search(r'id="receipt-number">([^<]+)<', receipt.text).group(1)  # type: ignore[union-attr]
    filed = api.get(f"/api/v1/cases/{number}", headers=bearer(api, "applicant.wang")).json()["events"][0]
    assert filed["payload"]["ipc"] == ["H02J 7/00", "H01F 38/14"]
    bad = client.post("/file/cn_invention", data={**data, **form_of(client.get("/file/cn_invention").text),
                                                  "ipc": "wireless"})
    assert bad.status_code == 422 and 'id="error-ipc"' in bad.text


# --- 9. public register of the office's cases --------------------------------------------------------------

def test_a_published_and_granted_case_is_on_the_public_register(api: TestClient) -> None:
    number = file_by_api(api)
    public = TestClient(api.app)
    for path in (f"/documents/{number}", f"/register/{number}", f"/api/v1/cases/{number}"):
        assert public.get(path).status_code == 404, path  # before publication: private
    act(api, number, "examiner.zhang", "pass_formality_examination")
    act(api, number, "applicant.wang", "request_early_publication")
    published = act(api, number, "registrar.zhou", "publish")["events"][-1]["payload"]["publication_number"]
    assert re.fullmatch(r"CN9\d{8}A", published)
    for path in (f"/documents/{number}", f"/documents/{published}"):
        page = public.get(path)
        assert page.status_code == 200, path
        assert f'id="public-application-number">{number}<' in page.text
    owner = public.get(f"/documents/{number}").text
    assert 'id="public-applicant" class="party">Wang Fang (Suzhou Lianhe Optics Co.)<' in owner  # not the user name
    chinese = TestClient(api.app).get(f"/documents/{number}?lang=zh").text.split('id="public-events"')[1]
    assert '<tr data-code="publish">' in chinese and "<code>publish</code>" not in chinese  # events named
    for path in (f"/register/{number}", f"/register/{published}"):
        extract = public.get(path)
        assert extract.status_code == 200 and f"<dd>{number}</dd>" in extract.text, path
        assert 'id="extract-status">Published' in extract.text
    seen = public.get(f"/api/v1/cases/{number}").json()
    assert seen["publication_numbers"] == [published] and "events" not in seen
    assert {"code": "publish", "date": seen["legal_events"][-1]["date"], "publication_number": published} \
        in seen["legal_events"]
    outsider = api.get(f"/api/v1/cases/{number}", headers=bearer(api, "applicant.chen")).json()
    assert "events" not in outsider and "legal_events" in outsider

    act(api, number, "applicant.wang", "request_substantive_examination")
    act(api, number, "examiner.zhang", "start_substantive_examination")
    act(api, number, "examiner.zhang", "notify_grant")
    pay(api, number, "fee.invention.annuity", 1)
    act(api, number, "applicant.wang", "complete_registration")
    act(api, number, "registrar.zhou", "announce_grant")
    grant = published[:-1] + "B"
    register = public.get(f"/register/{grant}")
    assert register.status_code == 200 and f"{grant}</h1>" in register.text
    assert 'id="extract-status">Granted' in register.text and "announce_grant" in register.text
    pdf = public.get(f"/register/{grant}/extract.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
