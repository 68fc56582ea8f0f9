"""Issue #14, "nothing lost, nothing unfindable": the derived indexes against kills, rebuilds and concurrent
writers, on SQLite and on PostgreSQL.

- an import killed (SIGKILL) at several moments and run again: every document of the register is found by
  its number;
- a rebuild killed half-way: the old index still answers whole, and readers never see an empty index;
- a second import while one runs: it stops before writing anything, names the holder, no traceback;
- a huge query is refused fast, naming the limit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipoffice.adapters.derived_store import Watermark
from ipoffice.adapters.writer_lock import RegisterBusy
from ipoffice.bootstrap import Office
from ipoffice.config import Settings
from ipoffice.domain.search import SearchRequest
from ipoffice.services.indexing import keyword_generations

BASEBALL = Path("data") / "us_abstracts" / "koehrsen_baseball_patent_query.csv"  # 2,664 real documents


def _settings(tmp_path: Path, database_url: str, shared: Path) -> Settings:
    return Settings(database_url=database_url, shared_dir=shared, var_dir=tmp_path / "var")


def _env(settings: Settings) -> dict[str, str]:
    return {**os.environ, "IPOFFICE_VAR": str(settings.var_dir), "IPOFFICE_DATABASE_URL": settings.database_url,
            "COLUMNS": "200"}


def _cli(settings: Settings, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "ipoffice", *args], env=_env(settings), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(condition: object, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


def _unfindable(office: Office) -> list[str]:
    """Numbers of the register that a search by publication number does not find."""
    service = office.search(dense=False, catch_up=False)
    return [n for n in office.register.content_hashes()
            if n not in {h.number for h in service.search(SearchRequest(f"pn={n}", limit=5)).hits}]


def test_an_import_killed_at_several_moments_then_run_again_leaves_every_document_findable(
        tmp_path: Path, database_url: str, shared: Path) -> None:
    settings = _settings(tmp_path, database_url, shared)
    office = Office(settings)
    source = str(shared / BASEBALL)
    for documents in (1, 400, 1500):  # kill -9 once the register holds at least this many
        before = office.register.count_documents()
        proc = _cli(settings, "import", "--readers", "0", "--batch-size", "25", source)
        _wait_for(lambda n=documents, b=before, p=proc: office.register.count_documents() >= max(n, b + 1)
                  or p.poll() is not None)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert 0 < office.register.count_documents() < 2664
    rerun = _cli(settings, "import", "--readers", "0", "--json", source)
    _out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert office.register.count_documents() == 2664
    assert _unfindable(office) == []
    current = keyword_generations(office.keyword_index_path).current()
    assert current is not None and Watermark(current).recorded() == office.register.content_hashes()


def test_a_search_catches_up_what_a_killed_import_left_unindexed(tmp_path: Path, database_url: str,
                                                                 shared: Path) -> None:
    """The failure as seen: the register complete, the index missing documents the re-run skips as unchanged."""
    settings = _settings(tmp_path, database_url, shared)
    office = Office(settings)
    office.importer(batch_size=500, listeners=[]).run([shared / BASEBALL])  # the index never told
    office.register.engine.dispose()
    assert office.catch_up_indexes() == ["keyword index rebuilt (no index)"]
    # a second batch saved but never indexed (what SIGKILL between the two commits leaves)
    office.importer(batch_size=500, listeners=[]).run([shared / BASEBALL.with_name(
        "koehrsen_neural_network_patent_query.csv")])
    assert len(_unfindable(office)) > 0
    rerun = office.importer(batch_size=500).run([shared / BASEBALL])  # all unchanged: nothing to tell
    assert rerun.counts.added == 0 and rerun.caught_up and "missing" in rerun.caught_up[0]
    assert _unfindable(office) == []


def test_a_killed_rebuild_leaves_the_old_index_answering_whole(tmp_path: Path, database_url: str,
                                                             shared: Path) -> None:
    settings = _settings(tmp_path, database_url, shared)
    office = Office(settings)
    office.importer(batch_size=500).run([shared / BASEBALL])
    generations = keyword_generations(office.keyword_index_path)
    killed = 0
    for _ in range(10):  # a rebuild that finishes before the kill lands tests nothing: try again
        old = generations.pointer()
        proc = _cli(settings, "index", "rebuild", "--only", "keyword")
        _wait_for(lambda p=proc: len([g for g in office.keyword_index_path.iterdir() if g.is_dir()]) > 1
                  or p.poll() is not None)
        time.sleep(0.05)  # into the rebuild
        if proc.poll() is not None or generations.pointer() != old:  # it got to the swap before the kill
            proc.wait()
            continue
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed += 1
        assert generations.pointer() == old
        engine = office.keyword_engine()
        assert engine.document_count() == 2664
        assert engine.search(SearchRequest("baseball", limit=1)).total > 100
        if killed == 2:
            break
    assert killed == 2, "no rebuild could be killed while it ran"


def test_readers_never_see_an_empty_index_during_a_rebuild(tmp_path: Path, shared: Path) -> None:
    settings = _settings(tmp_path, f"sqlite:///{tmp_path}/r.db", shared)
    office = Office(settings)
    office.importer(batch_size=500).run([shared / BASEBALL])
    engine = office.keyword_engine()  # as a server holds it, for days
    totals: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            totals.append(engine.search(SearchRequest("baseball", limit=1)).total)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(2):
            rebuilt = CliRunner().invoke(_app(), ["index", "rebuild", "--only", "keyword"], env=_env(settings))
            assert rebuilt.exit_code == 0, rebuilt.output
    finally:
        stop.set()
        reader.join()
    assert totals and min(totals) == max(totals) > 100
    assert len([p for p in office.keyword_index_path.iterdir() if p.is_dir()]) == 2  # current and previous


def _app() -> object:
    from ipoffice.entrypoints.cli import app

    return app


def test_a_second_import_changes_nothing_and_names_the_holder(tmp_path: Path, database_url: str,
                                                              shared: Path) -> None:
    settings = _settings(tmp_path, database_url, shared)
    office = Office(settings)
    office.importer(batch_size=500).run([shared / BASEBALL])
    other = shared / BASEBALL.with_name("koehrsen_neural_network_patent_query.csv")
    first = _cli(settings, "import", "--readers", "0", "--batch-size", "25", str(other))
    try:
        _wait_for(lambda: office.register.count_documents() > 2664 or first.poll() is not None)
        assert first.poll() is None, "the first import ended before the second started"
        counted = office.register.count_documents()
        second = subprocess.run([sys.executable, "-m", "ipoffice", "import", str(shared / "data" / "us_xml")],
                                env=_env(settings), capture_output=True, text=True, timeout=300)
        assert second.returncode == 3
        assert "Traceback" not in second.stderr
        message = " ".join(second.stderr.split())
        assert f"pid {first.pid}" in message and "changed nothing" in message
        assert office.register.count_documents() >= counted  # only the first one's batches
        with pytest.raises(RegisterBusy, match=f"pid {first.pid}"):
            office.catch_up_indexes()
    finally:
        _out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert not office.register.get("US7472652B1")  # nothing of the second import's files
    assert _unfindable(office) == []


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path: Path, database_url: str, shared: Path) -> None:
    settings = _settings(tmp_path, database_url, shared)
    office = Office(settings)
    office.register.count_documents()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import time; from ipoffice.adapters.database import make_engine\n"
        "from ipoffice.adapters.register import SqlRegister\n"
        f"r = SqlRegister(make_engine({settings.database_url!r}))\n"
        "with r.writer_lock('test'):\n    print('held', flush=True); time.sleep(600)")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(RegisterBusy, match=f"test \\(pid {holder.pid}"), office.register.writer_lock("import"):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    _wait_for(lambda: _free(office), timeout=30)


def _free(office: Office) -> bool:
    try:
        with office.register.writer_lock("probe"):
            return True
    except RegisterBusy:
        return False


def test_a_huge_query_is_refused_fast_naming_the_limit(tmp_path: Path, shared: Path) -> None:
    settings = _settings(tmp_path, f"sqlite:///{tmp_path}/r.db", shared)
    Office(settings).importer(batch_size=500).run([shared / BASEBALL])
    huge = " OR ".join(f"w{i:07d}x*" for i in range(8000))  # ~100 KB, 8,000 wildcards
    runner = CliRunner()
    started = time.perf_counter()
    refused = runner.invoke(_app(), ["search", huge], env=_env(settings))
    assert time.perf_counter() - started < 2.0
    assert refused.exit_code == 2 and "MAX_QUERY_CHARS" in refused.output and huge not in refused.output
    many = " OR ".join(f"ba{i}*" for i in range(30))
    refused = runner.invoke(_app(), ["search", many], env=_env(settings))
    assert refused.exit_code == 2 and "MAX_WILDCARDS" in refused.output
    refused = runner.invoke(_app(), ["search", "--plain", "x " * 15_000], env=_env(settings))
    assert refused.exit_code == 2 and "MAX_TEXT_CHARS" in refused.output
