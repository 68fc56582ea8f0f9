"""Use cases: back up the register (database + uploaded documents) and restore it.

After a restore the event log is verified (``audit verify``) and the keyword index is rebuilt from the
restored register; the semantic index is rebuilt on request (it needs the embedding model) or by
``ipoffice index rebuild --only semantic``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ipoffice.adapters.backup import BackupError, BackupManifest, backup, restore
from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.event_log import ChainReport
from ipoffice.services.procedures import ProcedureService

__all__ = ["BackupError", "Restored", "back_up", "restore_register"]


@dataclass(frozen=True)
class Restored:
    manifest: BackupManifest
    audit: ChainReport
    indexed_documents: int | None  # None: the keyword index was not rebuilt


def back_up(register: SqlRegister, target: Path, uploads: Path) -> BackupManifest:
    return backup(register.engine, target, uploads)


def restore_register(register: SqlRegister, source: Path, uploads: Path, keyword_index: Path | None, *,
                     force: bool = False) -> Restored:
    """Restore ``source`` into the register, verify the event log, rebuild the keyword index (when a path
    is given)."""
    manifest = restore(register.engine, source, uploads, force=force)
    audit = ProcedureService(ProcedureStore(register.engine)).verify_audit()
    indexed = None
    if keyword_index is not None:
        from ipoffice.services.indexing import rebuild_keyword_index

        indexed = rebuild_keyword_index(register, keyword_index).info().documents
    return Restored(manifest, audit, indexed)
