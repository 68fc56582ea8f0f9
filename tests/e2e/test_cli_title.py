"""``ipoffice assignments`` and ``ipoffice status`` through the real command, on the real records."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import make_cli

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def title_cli(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Cli:
    """One register with the assignment records, ODP samples and EPO legal data imported (read-only tests)."""
    cli = make_cli(tmp_path_factory.mktemp("title") / "var")
    summary = json.loads(cli("import", str(data_dir / "us_assignments"), str(data_dir / "us_odp"),
                             str(data_dir / "ep_legal"), "--json").stdout.strip().splitlines()[-1])
    assert summary["problems"] == 0
    return cli


def test_assignments_json_lists_every_recording_typed_and_paired(title_cli: Cli) -> None:
    rows = [json.loads(line) for line in title_cli("assignments", "--json").stdout.splitlines()]
    assert len(rows) == 12
    kinds = [r["conveyance_type"] for r in rows]
    assert [kinds.count(k) for k in ("assignment", "employee_assignment", "security_interest",
                                     "release_of_security_interest")] == [1, 3, 6, 2]
    assert {r["reel_frame"]: r["releases"] for r in rows if "releases" in r} == {
        "049109/0610": "048818/0520", "049110/0319": "048041/0605"}


def test_assignments_source_is_the_recordals_interface(title_cli: Cli) -> None:
    uspto = title_cli("assignments", "--source", "uspto", "--json").stdout.splitlines()
    assert len(uspto) == 12  # the assignment records and the ODP bag are all the USPTO's
    bad = title_cli("assignments", "--source", "cnipa", check=False)
    assert bad.returncode == 2 and "--source" in bad.stderr


def test_assignments_of_one_number_give_its_chain_of_title(title_cli: Cli) -> None:
    chain = json.loads(title_cli("assignments", "--number", "US8789601", "--json").stdout)
    assert chain["owners"] == ["US WELL SERVICES LLC"] and len(chain["assignments"]) == 9
    text = title_cli("assignments", "--number", "8789601").stdout
    assert "released by 049109/0610" in text and "owners: US WELL SERVICES LLC" in text
    missing = title_cli("assignments", "--number", "US1", check=False)
    assert missing.returncode == 1 and "--number" in missing.stderr and "US1" in missing.stderr


def test_status_as_of_both_sides_of_the_abandonment(title_cli: Cli) -> None:
    before = json.loads(title_cli("status", "US15123456", "--as-of", "2018-10-01", "--json").stdout)
    after = json.loads(title_cli("status", "US15123456", "--as-of", "2018-10-02", "--json").stdout)
    assert before["state"] == "pending" and after["state"] == "not_in_force"
    assert (after["st27_category"], after["st27_key_event"]) == ("B", "B20")
    assert after["deciding_event"]["code"] == "ABN2" and after["unmapped"] == []
    assert len(after["events"]) > len(before["events"])


def test_status_errors_name_the_option_or_the_number(title_cli: Cli) -> None:
    bad_date = title_cli("status", "EP1000000", "--as-of", "2020-02-30", check=False)
    assert bad_date.returncode == 2 and "--as-of" in bad_date.stderr
    unknown = title_cli("status", "EP999", check=False)
    assert unknown.returncode == 1 and "EP999" in unknown.stderr
