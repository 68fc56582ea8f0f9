"""A web request never waits for a model build (CI run of stop 21: the first IPC suggestion request embedded
the IPC scheme and 6,759 labelled titles on a cold vector cache, and the filing page hung past 30 s).

While the subclass model is built in the background, concept search answers 503 with ``Retry-After`` and a
reason in the page's language, and IPC suggestions come from the next fallback (BM25 neighbours); once it is
built, both use it. The build is held by an event so the "preparing" state is seen for certain.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from e2e.web_app import WebRegister, web_register  # noqa: F401 - the session fixture
from ipoffice import bootstrap


@pytest.fixture
def held_build(web_register: WebRegister, monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:  # noqa: F811
    settings = web_register.settings
    key = (settings.database_url, str(settings.vector_cache_dir))
    kept = bootstrap._MODELS.pop(key, None)
    release = threading.Event()
    real_build = bootstrap.Office._build_subclass_model

    def build_when_released(self: bootstrap.Office, groups: Any = None) -> Any:
        release.wait(60)
        return real_build(self, groups)

    monkeypatch.setattr(bootstrap.Office, "_build_subclass_model", build_when_released)
    try:
        yield release
    finally:
        release.set()
        with bootstrap._MODELS_LOCK:
            if kept is not None:
                bootstrap._MODELS[key] = kept


def _client(register: WebRegister) -> TestClient:
    from ipoffice.entrypoints.web.app import create_app

    return TestClient(create_app(register.settings))


def test_concept_search_answers_at_once_while_its_model_is_prepared(
        web_register: WebRegister, held_build: threading.Event) -> None:  # noqa: F811
    if bootstrap.office(web_register.settings).semantic.load() is None:
        pytest.skip("semantic index not built for the web tests")
    with _client(web_register) as client:
        started = time.monotonic()
        api = client.get("/api/v1/search", params={"q": "battery cooling", "mode": "concept", "syntax": "text"})
        assert time.monotonic() - started < 5
        assert api.status_code == 503 and api.headers["Retry-After"] == "60"
        assert "being prepared" in api.json()["error"]
        page = client.get("/search", params={"q": "电池 冷却", "mode": "concept", "lang": "zh"})
        assert page.status_code == 200 and "概念检索正在准备中" in page.text
        # suggestions do not wait either: the BM25 neighbours answer meanwhile
        suggested = client.get("/api/v1/classify/ipc", params={"text": "wireless charging pad with a coil"})
        assert suggested.status_code == 200 and suggested.json()
        assert all(0 < s["score"] <= 1 for s in suggested.json())
        held_build.set()
        for _ in range(600):
            ready = client.get("/api/v1/search", params={"q": "battery cooling", "mode": "concept",
                                                         "syntax": "text"})
            if ready.status_code == 200:
                break
            time.sleep(0.5)
        assert ready.status_code == 200 and ready.json()["hits"]
