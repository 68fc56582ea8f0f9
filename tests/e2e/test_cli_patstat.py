"""``ipoffice export patstat`` end to end: the real EP documents imported, the tables written as CSV and
Parquet with PATSTAT's headers, readable by DuckDB; a bad date is refused naming the option."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import duckdb

from ipoffice.domain.patstat import TABLES

Cli = Callable[..., subprocess.CompletedProcess[str]]


def test_export_patstat_writes_every_table(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    cli("import", str(data_dir / "ep_xml"))
    out = tmp_path / "patstat"
    proc = cli("export", "patstat", str(out), "--parquet")
    con = duckdb.connect()
    for table in TABLES:
        csv = out / f"{table.name}.csv"
        assert csv.read_text("utf-8").splitlines()[0].split(",") == list(table.columns)
        rows = con.execute(f"SELECT count(*) FROM read_csv('{csv}', header = true)").fetchone()
        parquet = con.execute(f"SELECT count(*) FROM read_parquet('{out / table.name}.parquet')").fetchone()
        assert rows == parquet
        assert f"{table.name}: {rows[0] if rows else 0} rows" in proc.stderr
    # 33 EP documents: A and B publications of fewer applications, with their applicants, IPC and citations
    publications = con.execute(f"SELECT count(*) FROM read_csv('{out}/tls211_pat_publn.csv')").fetchone()
    applications = con.execute(f"SELECT count(*) FROM read_csv('{out}/tls201_appln.csv') "
                               "WHERE appln_kind <> 'D'").fetchone()
    assert publications == (33,) and applications and 0 < applications[0] <= 33
    for table in ("tls207_pers_appln", "tls209_appln_ipc", "tls212_citation", "tls202_appln_title"):
        found = con.execute(f"SELECT count(*) FROM read_csv('{out}/{table}.csv')").fetchone()
        assert found and found[0] > 0, table


def test_export_patstat_refuses_a_bad_date(cli: Cli, tmp_path: Path) -> None:
    for bad in ("2015-13-01", "2999-01-01"):
        proc = cli("export", "patstat", str(tmp_path / "out"), "--as-of", bad, check=False)
        assert proc.returncode == 1 and "as_of" in proc.stderr
    assert not (tmp_path / "out" / "tls201_appln.csv").exists()
