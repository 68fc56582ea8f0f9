"""``ipoffice serve --workers 2`` (uvicorn worker processes, as in production) on a copy of the web tests'
register: two worker processes serve, and a document's ETag is the same whichever worker answers (a conditional
GET is a 304 from either)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from e2e.web_app import WebRegister, _free_port, web_register  # noqa: F401 - the session fixture

START_TIMEOUT_S = 180  # two workers each import the application; slow on a busy 2-core machine


def _workers(pid: int) -> list[int]:
    """The worker processes of the uvicorn supervisor ``pid`` (spawned; multiprocessing's resource tracker,
    also a child, is not one)."""
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [c for c in children if b"resource_tracker" not in Path(f"/proc/{c}/cmdline").read_bytes()]


def test_serve_with_two_workers(web_register: WebRegister, tmp_path: Path) -> None:  # noqa: F811
    var = tmp_path / "var"
    shutil.copytree(web_register.settings.var_dir, var, ignore=shutil.ignore_patterns("*.lock"))
    env = {**os.environ, "IPOFFICE_VAR": str(var), "IPOFFICE_DATABASE_URL": f"sqlite:///{var}/ipoffice.db",
           "IPOFFICE_SHARED": str(web_register.settings.shared_dir)}
    if web_register.settings.vector_cache_dir:
        env["IPOFFICE_VECTOR_CACHE"] = str(web_register.settings.vector_cache_dir)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "ipoffice", "serve", "--port", str(port), "--workers", "2",
                               "--no-demo"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert server.poll() is None, server.stderr.read().decode()[-2000:] if server.stderr else ""
            try:
                if httpx.get(f"{base}/api/v1/ping", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "ipoffice serve --workers 2 did not answer"
            time.sleep(0.5)
        assert len(_workers(server.pid)) == 2
        etags = set()
        for _ in range(12):  # a new connection each time: uvicorn's workers share the listening socket
            answer = httpx.get(f"{base}/api/v1/documents/EP0449582B1", timeout=30)
            assert answer.status_code == 200 and answer.json()["claims_count"] == 36
            etags.add(answer.headers["etag"])
        assert len(etags) == 1
        for _ in range(6):
            again = httpx.get(f"{base}/api/v1/documents/EP0449582B1", headers={"If-None-Match": etags.pop()},
                              timeout=30)
            assert again.status_code == 304
            etags.add(again.headers["etag"])
    finally:
        server.terminate()
        server.wait(timeout=30)
