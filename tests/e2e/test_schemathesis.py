"""Property-based API tests generated from ``/openapi.json`` (schemathesis): no input makes the server fail
with a 5xx. A 503 is allowed only for the semantic modes when the semantic index is not built."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from e2e.web_app import WebRegister, api_token, web_register  # noqa: F401 - the session fixture

EXAMPLES_PER_OPERATION = 30
# schemathesis' default (10 s) is shorter than loading the embedding model on the first semantic search on a
# busy machine: a timeout is not a server error, and a hang would still fail after this long.
TIMEOUT_S = 120


@pytest.fixture(scope="module")
def api_schema(web_register: WebRegister) -> Any:  # noqa: F811
    from ipoffice.entrypoints.web.app import create_app

    return schemathesis.openapi.from_asgi("/openapi.json", create_app(web_register.settings))


def test_no_server_error_on_any_generated_input(api_schema: Any) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(api_schema.app)
    token = api_token(client, "examiner.zhang")
    client.get("/api/v1/search", params={"q": "warm up", "mode": "semantic"})  # loads the embedding model
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def no_server_error(case: Any) -> None:
            response = case.call(headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT_S)
            if response.status_code == 503:
                assert "semantic index" in response.text
                return
            case.validate_response(response, checks=[checks.not_a_server_error])

        no_server_error()
