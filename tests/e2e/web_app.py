"""The web tests' register: a few hundred real documents from ../shared/data (EPO and USPTO XML, Chinese
abstracts, USPTO prosecution histories for legal events, the bilingual IPC scheme for titles), indexed, with
the demo users and one case in each state the tests need. Built once per test session, whichever test
module asks first (the builder is cached), in a temporary folder."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ipoffice.config import Settings

PASSWORD = "demo"
DATA_FILES = (
    "ep_xml/go_epo_eps",
    "us_xml/go_uspto",
    "cn/liaoleyuan_sample_test.csv",
    "us_prosecution/peds_dev.jsonl",
    "ipc/ipc_bilingual.tsv",
)


@dataclass(frozen=True)
class WebRegister:
    settings: Settings
    # application numbers of the demo cases
    unpublished_js: str  # cn_invention filed by applicant.wang at CN-JS-SZ, not published
    examination_js: str  # cn_invention of applicant.wang at CN-JS-SZ, under substantive examination, published
    unpublished_zj: str  # cn_utility_model filed by applicant.chen at CN-ZJ


def _shared_vector_cache() -> Path:
    """The test sessions' vector cache (as ``tests/integration/search_corpus``): texts are embedded once."""
    return Path(os.environ.get("IPOFFICE_VECTOR_CACHE") or Path(__file__).resolve().parents[2] / "var"
                / "test-vector-cache")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@cache
def build_web_register(shared: Path) -> WebRegister:
    from ipoffice.bootstrap import office
    from ipoffice.entrypoints.web.app import create_app
    from ipoffice.services.indexing import rebuild_keyword_index
    from ipoffice.services.procedures import Filing

    var = Path(tempfile.mkdtemp(prefix="ipoffice-web-"))
    settings = Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=shared, var_dir=var,
                        vector_cache_dir=_shared_vector_cache())
    running = office(settings)
    running.importer(listeners=[]).run([shared / "data" / p for p in DATA_FILES])
    rebuild_keyword_index(running.register, running.keyword_index_path).close()
    try:
        running.semantic.rebuild()
        running.subclass_model()  # the web never builds it in a request: concept mode and suggestions need it
    except Exception as exc:  # noqa: BLE001 - the semantic tests skip and say why
        print(f"semantic index not built for the web tests: {exc}")

    context = create_app(running).state.web
    context.accounts.seed_demo(PASSWORD)
    service = context.procedures
    office_clock = service.clock

    def on(day: date) -> date:  # the office as it was that day: a party's act is dated by the office's clock
        service.clock = lambda: day
        return day

    filed = on(date(2026, 1, 5))
    unpublished_js = service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", filed,
                                         "Wireless charging coil with foreign-object detection",
                                         payload={"abstract": "A wireless charging transmitter coil detects "
                                                              "metal objects by the change of its quality factor.",
                                                  "claims": ["A wireless charging device comprising a coil."]}),
                                  "applicant.wang").record.application_number
    examined = service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", on(date(2025, 3, 3)),
                                   "Tuner for heterogeneous multimedia sources",
                                   payload={"claims": ["A system unifying heterogeneous multimedia tuners, "
                                                       "comprising a tuner allocation module."],
                                            "priority_dates": ["2024-09-02"]}),
                            "applicant.wang").record.application_number
    for action, actor, day in (("pass_formality_examination", "examiner.zhang", date(2025, 3, 20)),
                              ("request_early_publication", "applicant.wang", date(2025, 3, 21)),
                              ("publish", "registrar.zhou", date(2025, 4, 1)),
                              ("request_substantive_examination", "applicant.wang", date(2025, 4, 2)),
                              ("start_substantive_examination", "examiner.zhang", date(2025, 5, 6))):
        service.act(examined, action, on(day), actor)
    unpublished_zj = service.file(Filing("cn_utility_model", "CN-ZJ", "applicant.chen", on(filed),
                                         "Folding bicycle hinge", payload={"claims": ["A hinge."]}),
                                  "applicant.chen").record.application_number
    service.clock = office_clock
    return WebRegister(settings, unpublished_js, examined, unpublished_zj)


@pytest.fixture(scope="session")
def web_register(shared: Path) -> WebRegister:
    return build_web_register(shared)


@dataclass(frozen=True)
class LiveServer:
    url: str
    register: WebRegister


def start_app(app: Any) -> tuple[str, Any]:
    """Serve ``app`` with uvicorn in a daemon thread on a free port: (its base URL, the uvicorn server; set
    ``should_exit`` to stop it)."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


@contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """``app`` served for the ``with`` block (see :func:`start_app`): its base URL."""
    url, server = start_app(app)
    try:
        yield url
    finally:
        server.should_exit = True


@cache
def _start_server(register: WebRegister) -> LiveServer:
    from ipoffice.entrypoints.web.app import create_app

    url, _ = start_app(create_app(register.settings))  # for the whole session
    return LiveServer(url, register)


@pytest.fixture(scope="session")
def live_server(web_register: WebRegister) -> Iterator[LiveServer]:
    yield _start_server(web_register)


def api_token(client: object, username: str) -> str:
    response = client.post("/api/v1/tokens", json={"username": username, "password": PASSWORD})  # type: ignore[attr-defined]
    assert response.status_code == 201, response.text
    return str(response.json()["token"])
