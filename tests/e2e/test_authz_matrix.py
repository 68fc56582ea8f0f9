"""Who gets 200/403/404 (and 401) on every case endpoint: roles × offices × endpoints.

Cases (see web_app): ``unpublished_js`` — applicant.wang's unpublished invention at CN-JS-SZ (below CN-JS
below CNIPA); ``examination_js`` — the same applicant's published invention under examination at CN-JS-SZ;
``unpublished_zj`` — applicant.chen's unpublished utility model at CN-ZJ. An unpublished case is 404 to
whoever may not see it (its existence is not revealed); an action is 403 to whoever may see but not act.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from e2e.web_app import WebRegister, api_token, web_register  # noqa: F401 - the session fixture

USERS = ("public", "applicant.wang", "applicant.chen", "agent.li", "examiner.zhang", "examiner.zhao",
         "examiner.liu", "registrar.zhou", "us.examiner")

# GET /api/v1/cases/{number}: may the user see the case?
VIEW = {
    "unpublished_js": {"public": 404, "applicant.wang": 200, "applicant.chen": 404, "agent.li": 404,
                       "examiner.zhang": 200, "examiner.zhao": 404, "examiner.liu": 200, "registrar.zhou": 200,
                       "us.examiner": 404},
    "examination_js": dict.fromkeys(USERS, 200),  # published: everybody
    "unpublished_zj": {"public": 404, "applicant.wang": 404, "applicant.chen": 200, "agent.li": 404,
                       "examiner.zhang": 404, "examiner.zhao": 200, "examiner.liu": 200, "registrar.zhou": 200,
                       "us.examiner": 404},
}

# POST an examination action on the published case under examination (an office action).
OFFICE_ACTION = {"public": 401, "applicant.wang": 403, "applicant.chen": 403, "agent.li": 403,
                 "examiner.zhang": 200, "examiner.zhao": 403, "examiner.liu": 200, "registrar.zhou": 403,
                 "us.examiner": 403}


@pytest.fixture(scope="module")
def client(web_register: WebRegister) -> Iterator[TestClient]:  # noqa: F811
    from ipoffice.entrypoints.web.app import create_app

    with TestClient(create_app(web_register.settings)) as c:
        yield c


@pytest.fixture(scope="module")
def headers(client: TestClient) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {"public": {}}
    for user in USERS[1:]:
        out[user] = {"Authorization": f"Bearer {api_token(client, user)}"}
    return out


@pytest.mark.parametrize("case", sorted(VIEW))
@pytest.mark.parametrize("user", USERS)
def test_view_case(client: TestClient, headers: dict[str, dict[str, str]], web_register: WebRegister,  # noqa: F811
                   case: str, user: str) -> None:
    number = getattr(web_register, case)
    response = client.get(f"/api/v1/cases/{number}", headers=headers[user])
    assert response.status_code == VIEW[case][user], response.text


@pytest.mark.parametrize("user", USERS)
def test_list_cases_shows_only_visible_ones(client: TestClient, headers: dict[str, dict[str, str]],
                                            web_register: WebRegister, user: str) -> None:  # noqa: F811
    listed = {c["application_number"] for c in client.get("/api/v1/cases", headers=headers[user]).json()}
    for case, expected in VIEW.items():
        number = getattr(web_register, case)
        assert (number in listed) == (expected[user] == 200), (case, user)


@pytest.mark.parametrize("user", USERS)
def test_office_action_on_a_case_under_examination(client: TestClient, headers: dict[str, dict[str, str]],
                                                   web_register: WebRegister, user: str) -> None:  # noqa: F811
    number = web_register.examination_js
    # A refused request changes nothing; an allowed one is undone by the applicant's reply so that the next
    # user again finds the case under examination.
    response = client.post(f"/api/v1/cases/{number}/actions", headers=headers[user],
                           json={"action": "office_action", "payload": {"text": "Claim 1 lacks novelty."}})
    assert response.status_code == OFFICE_ACTION[user], response.text
    if response.status_code == 200:
        assert response.json()["state"] == "awaiting_response"
        reply = client.post(f"/api/v1/cases/{number}/actions", headers=headers["applicant.wang"],
                            json={"action": "respond"})
        assert reply.status_code == 200 and reply.json()["state"] == "under_examination"


@pytest.mark.parametrize("user", USERS)
def test_filing_needs_a_party(client: TestClient, headers: dict[str, dict[str, str]], user: str) -> None:
    response = client.post("/api/v1/cases", headers=headers[user], json={
        "procedure": "cn_utility_model", "office": "CN-ZJ", "title": "Hinge", "abstract": "A hinge.",
        "claims": "A hinge.", "applicant": "applicant.chen"})
    expected = {"public": 401, "applicant.chen": 201, "agent.li": 201}.get(user, 403)
    assert response.status_code == expected, response.text


@pytest.mark.parametrize("path", ["/api/v1/search?q=method", "/api/v1/documents/EP0449582B1",
                                  "/api/v1/facets?q=method", "/api/v1/fees?procedure=us_utility"])
def test_public_endpoints_need_no_login(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200
