"""End-to-end fixtures: the real ``ipoffice`` command on a register with all of ../shared/data imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., subprocess.CompletedProcess[str]]


def make_cli(var: Path) -> Cli:
    env = {**os.environ, "IPOFFICE_VAR": str(var), "IPOFFICE_DATABASE_URL": f"sqlite:///{var}/ipoffice.db",
           "COLUMNS": "200"}

    def run(*args: str, check: bool = True, stdin: str | None = None,
            today: str | None = None) -> subprocess.CompletedProcess[str]:
        """``today``: the office's clock (IPOFFICE_TODAY); by default the day given with ``--date``, as if the
        office received the act that day (a party's act is dated by the office's clock)."""
        day = today or (args[args.index("--date") + 1] if "--date" in args[:-1] else None)
        run_env = {**env, "IPOFFICE_TODAY": day} if day else env
        proc = subprocess.run([sys.executable, "-m", "ipoffice", *args], env=run_env, capture_output=True,
                              text=True, input=stdin, timeout=1800)
        if check and proc.returncode != 0:
            raise AssertionError(f"ipoffice {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
        return proc

    return run


@pytest.fixture(scope="session")
def imported_register(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> tuple[Cli, dict[str, Any]]:
    """A register with every shared data file imported once through the CLI, and the import summary."""
    cli = make_cli(tmp_path_factory.mktemp("register"))
    proc = cli("import", str(shared / "data"), "--json", check=False)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]  # 1: the real data holds a few bad records
    return cli, json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """The CLI on a fresh, empty register."""
    return make_cli(tmp_path / "var")
