"""Backup and restore on SQLite (online backup API) and PostgreSQL (logical copy): the same documents, the
same chain head, ``audit verify`` ok, the uploads back, the keyword index rebuilt; a non-empty register is
only overwritten with ``force``."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ipoffice.adapters.backup import BackupError
from ipoffice.adapters.database import make_engine, migrate
from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.adapters.register import SqlRegister
from ipoffice.adapters.tables import documents
from ipoffice.services.backups import back_up, restore_register
from ipoffice.services.importing import Importer
from ipoffice.services.procedures import Filing, ProcedureService

from .office_days import OfficeOnTheDay


def _another_database(database_url: str, tmp_path: Path, server_url: str | None) -> str:
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path}/restored.db"
    else:
        import psycopg

        assert server_url is not None
        name = "r_" + uuid.uuid4().hex[:12]
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        base, _, query = server_url.partition("?")
        url = (base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")).replace(
            "postgresql://", "postgresql+psycopg://", 1)
    migrate(url)
    return url


def _register_with_cases(url: str, shared: Path, uploads: Path) -> tuple[SqlRegister, str]:
    register = SqlRegister(make_engine(url))
    Importer(register, on_documents_changed=[]).run([shared / "data" / "cn" / "liaoleyuan_sample_test.csv"])
    service = OfficeOnTheDay(ProcedureStore(register.engine))
    service.seed_demo()
    number = service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", date(2026, 1, 5), "Lens"),
                          "agent.li").record.application_number
    service.act(number, "request_early_publication", date(2026, 1, 6), "agent.li", {"note": "早日公开"})
    service.act(number, "pass_formality_examination", date(2026, 2, 1), "examiner.zhang")
    service.act(number, "publish", date(2026, 2, 10), "registrar.zhou")
    (uploads / "202610000001_9").mkdir(parents=True)
    (uploads / "202610000001_9" / f"{'c' * 64}-reply.pdf").write_bytes(b"%PDF-1.4 reply")
    return register, number


def _count_documents(register: SqlRegister) -> int:
    with register.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(documents)).scalar_one())


def test_round_trip(database_url: str, tmp_path: Path, shared: Path, request: pytest.FixtureRequest) -> None:
    server = None if database_url.startswith("sqlite") else request.getfixturevalue("postgres_server_url")
    uploads = tmp_path / "uploads"
    source, number = _register_with_cases(database_url, shared, uploads)
    service = ProcedureService(ProcedureStore(source.engine))
    head = service.head()

    manifest = back_up(source, tmp_path / "backup", uploads)
    assert (manifest.head_sequence, manifest.head_hash) == head and manifest.uploads == 1
    assert manifest.method == ("sqlite-backup-api" if database_url.startswith("sqlite") else "logical-copy")
    assert manifest.rows["documents"] == _count_documents(source) > 0

    target = SqlRegister(make_engine(_another_database(database_url, tmp_path, server)))
    restored_uploads = tmp_path / "restored-uploads"
    result = restore_register(target, tmp_path / "backup", restored_uploads, tmp_path / "index")
    assert result.audit.ok and result.audit.head_hash == head[1]
    assert result.indexed_documents == _count_documents(target) == _count_documents(source)
    again = ProcedureService(ProcedureStore(target.engine))
    assert again.head() == head
    view = again.show(number, None)
    assert view.case.state == "published" and view.events[1].payload == {"note": "早日公开"}
    assert (restored_uploads / "202610000001_9" / f"{'c' * 64}-reply.pdf").read_bytes() == b"%PDF-1.4 reply"
    # The restored register goes on: the next number and the next event follow the restored ones.
    nxt = OfficeOnTheDay(ProcedureStore(target.engine)).file(
        Filing("cn_invention", "CN-JS-SZ", "applicant.wang", date(2026, 3, 1), "Mount"), "agent.li")
    assert nxt.record.application_number == "202610000002.3" and nxt.events[0].sequence == head[0] + 1

    with pytest.raises(BackupError, match="not empty"):
        restore_register(target, tmp_path / "backup", restored_uploads, None)
    forced = restore_register(target, tmp_path / "backup", restored_uploads, None, force=True)
    assert forced.audit.ok and ProcedureService(ProcedureStore(target.engine)).head() == head
    with pytest.raises(BackupError, match="not empty"):
        back_up(source, tmp_path / "backup", uploads)
    source.engine.dispose()
    target.engine.dispose()
