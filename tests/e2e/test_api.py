"""The REST API through HTTP (FastAPI's test client) on a register of real documents."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from e2e.web_app import WebRegister, api_token, web_register  # noqa: F401 - the session fixture


@pytest.fixture(scope="module")
def client(web_register: WebRegister) -> Iterator[TestClient]:  # noqa: F811
    from ipoffice.entrypoints.web.app import create_app

    with TestClient(create_app(web_register.settings)) as c:
        yield c


def test_search_contract_returns_total_and_hits(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "measuring", "mode": "bm25", "limit": 5}).json()
    assert set(body) == {"total", "hits"}
    assert body["total"] >= 1
    assert all(set(h) == {"number", "title", "score"} for h in body["hits"])
    assert "EP0449582B1" in [h["number"] for h in body["hits"]]
    assert len(body["hits"]) <= 5


def test_search_in_chinese_finds_the_chinese_abstract(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "心理障碍", "limit": 10}).json()
    assert "CN118866379A" in [h["number"] for h in body["hits"]]


def test_search_fielded_query_and_prior_art_cutoff(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": 'ti="measuring method"', "limit": 10}).json()
    assert [h["number"] for h in body["hits"]][:1] == ["EP0449582B1"]
    assert body["hits"][0]["title"] == "Measuring method and apparatus"
    before = client.get("/api/v1/search", params={"q": 'ti="measuring method"', "before": "1990-01-01"}).json()
    assert "EP0449582B1" not in [h["number"] for h in before["hits"]]  # published 1991


@pytest.mark.parametrize(("params", "field"), [
    ({"q": "x", "limit": 0}, "limit"),
    ({"q": "x", "limit": 101}, "limit"),
    ({"q": "x", "mode": "fuzzy"}, "mode"),
    ({"q": ""}, "q"),
    ({"limit": 3}, "q"),
    ({"q": "x", "before": "yesterday"}, "before"),
])
def test_bad_search_parameters_are_422_naming_the_field(client: TestClient, params: dict[str, object],
                                                        field: str) -> None:
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["fields"]] == [field]


def test_malformed_query_is_422_naming_q_and_the_position(client: TestClient) -> None:
    response = client.get("/api/v1/search", params={"q": "ti=("})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "q"
    assert error["position"] == 4


def test_document_has_claims_classifications_parties_citations_and_events(client: TestClient) -> None:
    doc = client.get("/api/v1/documents/EP0449582B1").json()
    assert doc["titles"]["en"] == "Measuring method and apparatus"
    assert doc["titles"]["de"] == "Messverfahren und -vorrichtung"
    assert doc["claims_count"] == 36 and "claims" not in doc and "description" not in doc
    full = client.get(doc["links"]["full"]).json()
    assert len(full["claims"]) == 36 and full["description"]
    assert {k: v for k, v in full.items() if k not in ("claims", "description")} == doc
    assert {"role": "assignee", "name": "CANON KABUSHIKI KAISHA", "country": None} in doc["parties"] or \
        any(p["name"] == "CANON KABUSHIKI KAISHA" for p in doc["parties"])
    assert "US4710026A" in [c["number"] for c in doc["citations"]]
    assert doc["legal_status"]["status"] == "granted"
    assert "legal_events" in doc and "cited_by" in doc


@pytest.mark.parametrize("number", ["EP0449582B1", "EP 0449582 B1", "EP1792486A2"])
def test_long_texts_are_sub_resources_of_the_lean_document(client: TestClient, number: str) -> None:
    lean = client.get(f"/api/v1/documents/{number}")
    full = client.get(f"/api/v1/documents/{number}", params={"full": "true"}).json()
    claims = client.get(lean.json()["links"]["claims"])
    description = client.get(lean.json()["links"]["description"])
    assert claims.json() == full["claims"] and len(claims.json()) == lean.json()["claims_count"]
    assert description.json() == full["description"]
    assert sorted(description.json()) == lean.json()["description_languages"]
    assert len(lean.content) < len(client.get(f"/api/v1/documents/{number}?full=true").content)


def test_document_answers_carry_an_etag_and_a_conditional_get_is_304(client: TestClient) -> None:
    url = "/api/v1/documents/EP0449582B1"
    first = client.get(url)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, no-cache"
    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(url, headers={"If-None-Match": sent})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    full = client.get(url, params={"full": "true"}, headers={"If-None-Match": etag})
    assert full.status_code == 200 and full.headers["etag"] != etag  # another representation
    for sub in ("claims", "description"):
        answer = client.get(f"{url}/{sub}")
        assert answer.headers["etag"] not in (etag, full.headers["etag"])
        assert client.get(f"{url}/{sub}", headers={"If-None-Match": answer.headers["etag"]}).status_code == 304
    missing = client.get("/api/v1/documents/US0000001B1/claims")
    assert missing.status_code == 404 and "US0000001B1" in missing.json()["error"]


def test_document_legal_events_from_prosecution_history(client: TestClient) -> None:
    doc = client.get("/api/v1/documents/US12186454").json()
    codes = [(e["code"], e["date"]) for e in doc["legal_events"]]
    assert ("CTNF", "2023-09-25") in codes
    assert ("CTFR", "2024-04-01") in codes
    assert doc["legal_status"]["status"] == "granted"  # ABN9 (RCE disposal) does not abandon


def test_document_classification_titles_in_both_languages(client: TestClient) -> None:
    doc = client.get("/api/v1/documents/EP1792486A2").json()
    ipc = [c for c in doc["classifications"] if c["symbol"] == "H04N 7/173"][0]
    assert ipc["title"]["en"].startswith("with two-way working")
    assert ipc["title"]["zh"]


def test_unknown_document_is_404_json(client: TestClient) -> None:
    response = client.get("/api/v1/documents/US0000001B1")
    assert response.status_code == 404
    assert "US0000001B1" in response.json()["error"]


def test_facets_count_offices_and_right_types(client: TestClient) -> None:
    body = client.get("/api/v1/facets", params={"q": "method"}).json()
    offices = {f["value"]: f["count"] for f in body["country"]}
    assert offices.get("EP", 0) >= 1
    assert {"right_type", "ipc_section", "ipc_class", "year", "applicant", "country"} <= set(body)


def test_fees_from_the_rules_in_force(client: TestClient) -> None:
    body = client.get("/api/v1/fees", params={"procedure": "cn_invention", "on": "2024-05-01"}).json()
    assert [(f["name"], f["amount"]) for f in body["fees"]] == [("fee.invention.application", "900"),
                                                                 ("fee.invention.publication_printing", "50")]
    assert body["total"] == "950"
    reduced = client.get("/api/v1/fees", params={"procedure": "cn_invention", "on": "2024-05-01",
                                                 "reduction": "single_applicant"}).json()
    assert reduced["fees"][0]["amount"] == "135.00"  # 15% of 900
    bad = client.get("/api/v1/fees", params={"procedure": "cn_invention", "reduction": "micro_entity"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "reduction"


@pytest.mark.parametrize(("text", "expected"), [
    # the filing page's reported faults (#12, #15): an EV-battery abstract got only G06F at 1.0, "wireless
    # charging pad" got explosive charges (F42B); until a classifier is trained the suggestions come from the
    # nearest labelled texts and IPC scheme titles by meaning, in either language
    ("wireless charging pad with a transmitter coil that charges a phone placed on it", {"H02J"}),
    ("一种电动汽车动力电池包的热管理系统，包括冷却板、温度传感器和控制器，根据电池温度调节冷却液流量。",
     {"B60L", "H01M"}),
    ("A lithium-ion battery pack for an electric vehicle with a liquid cooling plate", {"B60L", "H01M"}),
    ("An optical lens carries an anti-reflective coating of nanostructured silica", {"G02B"}),
    ("multimedia tuner for television programme selection", {"H04N", "H04H", "H04B"}),
])
def test_ipc_suggestions_for_an_abstract(client: TestClient, text: str, expected: set[str]) -> None:
    body = client.get("/api/v1/classify/ipc", params={"text": text, "limit": 3})
    assert body.status_code == 200
    suggested = [s["symbol"] for s in body.json()]
    assert expected & set(suggested), suggested
    assert "F42B" not in suggested and all(0 < s["score"] <= 1 for s in body.json())
    # the confidence shown is a calibrated probability (or none at all): the untrained fallback is calibrated
    assert {s["source"] for s in body.json()} == {"subclass_model"}
    assert all(s["confidence"] is not None and 0 <= s["confidence"] <= 1 for s in body.json())
    confidences = [s["confidence"] for s in body.json()]
    assert confidences == sorted(confidences, reverse=True)


def test_suggestion_confidence_is_calibrated(web_register: WebRegister) -> None:  # noqa: F811
    """The subclass model's isotonic calibration, measured on the half of 2,000 labelled texts' top-5
    suggestions it was not fitted on: expected calibration error (10 bins) under 0.03 (0.006 when written)."""
    from ipoffice.bootstrap import office

    calibration = office(web_register.settings).subclass_model().calibration
    assert calibration is not None and calibration.texts == 2000
    assert calibration.ece < 0.03, calibration.ece


def test_tokens_need_the_right_password(client: TestClient) -> None:
    assert client.post("/api/v1/tokens", json={"username": "applicant.wang", "password": "wrong"}).status_code == 401
    token = api_token(client, "applicant.wang")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me == {"username": "applicant.wang", "name": "Wang Fang (Suzhou Lianhe Optics Co.)",
                  "office": "CN-JS-SZ", "roles": ["applicant"]}
    assert client.get("/api/v1/me").status_code == 401


def test_file_an_application_and_act_on_it(client: TestClient) -> None:
    applicant = {"Authorization": f"Bearer {api_token(client, 'applicant.wang')}"}
    bad = client.post("/api/v1/cases", headers=applicant, json={"procedure": "cn_invention", "office": "CN-XX",
                                                                "title": ""})
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {"office", "title", "abstract", "claims", "description"}
    assert bad.json()["error"]["codes"] == {"office": "unknown_office", "title": "required", "abstract": "required",
                                            "claims": "required", "description": "required"}  # by code, any language
    filed = client.post("/api/v1/cases", headers=applicant, json={
        "procedure": "cn_invention", "office": "CN-JS-SZ", "title": "Lens hood",
        "abstract": "A lens hood with a bayonet.", "claims": "1. A lens hood.\n2. The hood of claim 1.",
        "description": "The hood locks with a bayonet.",
        "priorities": [{"country": "US", "number": "63/123456", "date": "2026-01-02"}]})
    assert filed.status_code == 201, filed.text
    receipt = filed.json()
    assert receipt["state"] == "filed" and receipt["office"] == "CN-JS-SZ"
    number = receipt["application_number"]
    assert number.startswith("CN2026") or number.startswith("2026")
    examiner = {"Authorization": f"Bearer {api_token(client, 'examiner.zhang')}"}
    acted = client.post(f"/api/v1/cases/{number}/actions", headers=examiner,
                        json={"action": "notify_formality_deficiency", "payload": {"text": "Drawings missing."}})
    assert acted.status_code == 200, acted.text
    assert acted.json()["state"] == "awaiting_correction"
    wrong_state = client.post(f"/api/v1/cases/{number}/actions", headers=examiner, json={"action": "grant"})
    assert wrong_state.status_code in (403, 409)


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/search", "/api/v1/documents/{number}", "/api/v1/cases"} <= set(spec["paths"])
    lookup = spec["paths"]["/api/v1/documents/{number}"]["get"]
    assert {p["name"] for p in lookup["parameters"]} == {"number", "full", "if-none-match"}
    assert {"200", "304", "404"} <= set(lookup["responses"])
    assert lookup["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/DocumentOut")
    assert {"/api/v1/documents/{number}/claims", "/api/v1/documents/{number}/description"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


def test_a_query_beyond_the_limits_is_422_naming_the_limit(client: TestClient) -> None:
    many = " ".join(f"w{i}" for i in range(250))  # 250 terms in 1,150 characters
    for path in ("/api/v1/search", "/api/v1/facets"):
        response = client.get(path, params={"q": many})
        assert response.status_code == 422
        assert "MAX_TERMS" in response.json()["error"]["message"]
    response = client.get("/api/v1/search", params={"q": "a* OR measuring"})
    assert response.status_code == 422 and "MIN_WILDCARD_PREFIX" in response.json()["error"]["message"]
    page = client.get("/search", params={"q": many})
    assert page.status_code == 422 and 'id="search-error"' in page.text and "MAX_TERMS" in page.text


def test_party_dates_and_payloads_are_refused_with_422_naming_the_field(client: TestClient) -> None:
    applicant = {"Authorization": f"Bearer {api_token(client, 'applicant.wang')}"}
    filed = client.post("/api/v1/cases", headers=applicant, json={
        "procedure": "cn_invention", "office": "CN-JS-SZ", "title": "Lens cap",
        "abstract": "A lens cap.", "claims": "1. A lens cap.", "description": "A cap for a lens."})
    number = filed.json()["application_number"]
    url = f"/api/v1/cases/{number}/actions"
    future = client.post(url, headers=applicant, json={"action": "request_early_publication", "date": "2031-06-01"})
    assert future.status_code == 422 and "2031-06-01 is in the future" in future.text
    past = client.post(url, headers=applicant, json={"action": "request_early_publication", "date": "2026-01-02"})
    assert past.status_code == 422 and "dated the day the office receives it" in past.text
    unknown = client.post(url, headers=applicant, json={"action": "request_early_publication",
                                                         "payload": {"colour": "red"}})
    assert unknown.status_code == 422 and "payload.colour: unknown key" in unknown.text
    big = client.post(url, headers=applicant, json={"action": "request_early_publication",
                                                     "payload": {"note": "x" * 100_000}})
    assert big.status_code == 422 and "payload.note" in big.text and len(big.text) < 2000
    phantom = client.post(url, headers=applicant, json={"action": "request_early_publication",
                                                         "payload": {"document": "a.pdf", "sha256": "d" * 64}})
    assert phantom.status_code == 422 and "names no document" in phantom.text
    done = client.post(url, headers=applicant, json={"action": "request_early_publication"})
    assert done.status_code == 200, done.text
    # Nothing froze: the office acts after the party's act.
    examiner = {"Authorization": f"Bearer {api_token(client, 'examiner.zhang')}"}
    assert client.post(url, headers=examiner, json={"action": "pass_formality_examination"}).status_code == 200


def test_a_flipped_published_column_publishes_nothing(client: TestClient, web_register: WebRegister) -> None:  # noqa: F811
    import sqlite3

    secret = web_register.unpublished_js
    database = web_register.settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        db.execute("UPDATE cases SET published = 1 WHERE application_number = ?", (secret,))
    try:
        assert secret not in {c["application_number"] for c in client.get("/api/v1/cases").json()}
        assert client.get(f"/api/v1/cases/{secret}").status_code == 404
    finally:
        with sqlite3.connect(database) as db:
            db.execute("UPDATE cases SET published = 0 WHERE application_number = ?", (secret,))


def test_concept_mode_finds_a_field_in_either_language(client: TestClient) -> None:
    """``mode=concept`` takes any free text: the Chinese abstract on psychological disorders is found from a
    Chinese and an English description of its field, with the contract of every mode."""
    for q in ("心理障碍的治疗", "treatment of psychological disorders"):
        response = client.get("/api/v1/search", params={"q": q, "mode": "concept", "syntax": "text", "limit": 10})
        if response.status_code == 503 and "semantic index not built" in response.text:
            pytest.skip(f"semantic index not built for the web tests: {response.text}")
        body = response.json()
        assert set(body) == {"total", "hits"} and all(set(h) == {"number", "title", "score"} for h in body["hits"])
        assert "CN118866379A" in [h["number"] for h in body["hits"]], q
    refused = client.get("/api/v1/search", params={"q": "x", "mode": "concepts"})
    assert refused.status_code == 422 and "mode" in refused.text
