"""The PATSTAT-shaped export at 1,000,000 documents (issue #18): ``ipoffice export patstat`` timed next to a
plain dump of the ``documents`` table to CSV in the same run (the baseline: reading the register's main table
and writing it, nothing joined).

The register is the one of ``bench/bench_indicators.py`` (``--docs`` synthetic documents, built once into
``--register`` and reused). Checked in the run: ``tls201_appln`` holds as many applications (dummies aside) as
a plain ``GROUP BY`` of the documents by office and application number counts.

Reproduce: ``python bench/bench_patstat.py [--docs N] [--register PATH]``; results in bench/results/patstat.json
and the ``bench-patstat`` section of bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_result, write_section  # noqa: E402
from bench_indicators import build  # noqa: E402

from ipoffice.adapters import tables as t  # noqa: E402
from ipoffice.adapters.database import make_engine, migrate  # noqa: E402
from ipoffice.adapters.indicators_loader import load_indicator_catalogue  # noqa: E402
from ipoffice.adapters.patstat_export import PatstatExport, PatstatInputs  # noqa: E402
from ipoffice.adapters.st27_vocabulary import load_st27_vocabulary  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--register", type=Path, default=Path("var/bench-indicators.db"))
    args = parser.parse_args()
    url = f"sqlite:///{args.register}"
    built = args.register.exists()
    args.register.parent.mkdir(parents=True, exist_ok=True)
    migrate(url)  # a register built by an older version is brought up to the current schema
    if not built:
        build(make_engine(url), args.docs)
    engine = make_engine(url)
    catalogue = load_indicator_catalogue()
    inputs = PatstatInputs(catalogue.book.version("granted", date.today()).params, catalogue.fields,
                           catalogue.applicant_types, load_st27_vocabulary())
    out = Path(tempfile.mkdtemp(prefix="bench-patstat-"))
    try:
        started = time.perf_counter()
        counts = PatstatExport(engine, inputs).write(out / "export")
        export_s = time.perf_counter() - started
        print(f"export: {export_s:.1f} s", file=sys.stderr)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        d = t.documents
        started = time.perf_counter()
        with engine.connect() as conn, (out / "documents.csv").open("w", newline="") as f:
            writer = csv.writer(f)
            result = conn.execution_options(stream_results=True, yield_per=50_000).execute(select(*d.c))
            for part in result.partitions(50_000):
                writer.writerows(part)
        baseline_s = time.perf_counter() - started
        print(f"plain dump: {baseline_s:.1f} s", file=sys.stderr)
        with engine.connect() as conn:
            docs = conn.execute(select(text("count(*)")).select_from(d)).scalar_one()
            units = conn.execute(text("SELECT count(*) FROM (SELECT DISTINCT country, coalesce(application_number, "
                                      "number) FROM documents WHERE right_type <> 'trademark')")).scalar_one()
        found = duckdb.connect().execute(f"SELECT count(*) FROM read_csv('{out}/export/tls201_appln.csv') "
                           "WHERE appln_kind <> 'D'").fetchone()
        size_mb = sum(p.stat().st_size for p in (out / "export").iterdir()) / 2**20
    finally:
        shutil.rmtree(out, ignore_errors=True)
    report = {"documents": docs, "export_s": round(export_s, 1), "plain_dump_s": round(baseline_s, 1),
              "ratio": round(export_s / baseline_s, 2), "peak_rss_mb": round(peak_mb), "csv_mb": round(size_mb),
              "rows": counts, "applications_equal_plain_group_by": bool(found and found[0] == units),
              "load_average": [round(x, 1) for x in os.getloadavg()]}
    write_result("patstat", report)
    rows = ", ".join(f"{k} {v:,}" for k, v in counts.items() if v)
    write_section("bench-patstat", f"""
## PATSTAT export (`python bench/bench_patstat.py`)

{docs:,} synthetic documents (the register of `bench_indicators.py`, SQLite): `ipoffice export patstat` wrote
the PATSTAT tables as CSV in **{report['export_s']} s** (peak RSS {report['peak_rss_mb']} MB, {report['csv_mb']} MB of
CSV); the baseline in the same run, a plain dump of the `documents` table to CSV (SQLAlchemy stream + `csv`),
took {report['plain_dump_s']} s: ratio **{report['ratio']}**. Applications in `tls201_appln` equal a plain
`GROUP BY` of the documents by office and application number: {report['applications_equal_plain_group_by']}.
Rows: {rows} (the synthetic corpus has no texts, citations or priorities, so tls202/203/204/212/224 are empty
here; they are tested on real and test data). Load average during the run:
{', '.join(map(str, report['load_average']))} (2 cores shared).
""")
    print(report)


if __name__ == "__main__":
    main()
