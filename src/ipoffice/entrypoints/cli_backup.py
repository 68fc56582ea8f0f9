"""CLI: ``backup PATH`` and ``restore PATH`` — the register (database and uploaded documents), online.

SQLite is copied with SQLite's online backup API; PostgreSQL with a logical copy of every table in one
consistent snapshot (see ``ipoffice.adapters.backup``). Exit status: 0 done; 1 the restored log does not
verify; 2 refused (not empty without --force, another schema revision, not a backup).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ipoffice.entrypoints.cli_common import current_office, print_json
from ipoffice.services.backups import BackupError, back_up, restore_register

console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)


def backup_command(
    path: Annotated[Path, typer.Argument(help="A new (or empty) folder to write the backup to.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the manifest as JSON.")] = False,
) -> None:
    """Back up the register while it runs: the database (SQLite: online backup API; PostgreSQL: a logical copy
    of every table in one snapshot), the uploaded documents, and a manifest with the chain head."""
    office = current_office()
    try:
        manifest = back_up(office.register, path, office.uploads_dir)
    except BackupError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if as_json:
        print_json(manifest.as_dict(), indent=2)
        return
    out.print(f"backup of the {manifest.database} register ({manifest.method}) in {path}: "
              f"{sum(manifest.rows.values()):,} rows, {manifest.uploads} uploaded files, "
              f"event log head {manifest.head_sequence} {manifest.head_hash}")


def restore_command(
    path: Annotated[Path, typer.Argument(help="A folder written by `ipoffice backup`.", exists=True,
                                         file_okay=False)],
    force: Annotated[bool, typer.Option("--force", help="Overwrite a register that has documents, cases or "
                                        "events (and the uploads folder).")] = False,
    no_index: Annotated[bool, typer.Option("--no-index", help="Do not rebuild the keyword index now.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Restore a backup into the register (refused when the register is not empty, unless --force), then
    verify the event log and rebuild the keyword index. Rebuild the semantic index with
    `ipoffice index rebuild --only semantic`."""
    office = current_office()
    try:
        result = restore_register(office.register, path, office.uploads_dir,
                                  None if no_index else office.keyword_index_path, force=force)
    except BackupError as exc:
        console.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(2) from None
    m = result.manifest
    if as_json:
        print_json({"manifest": m.as_dict(), "audit_ok": result.audit.ok, "events_checked": result.audit.checked,
                    "head_hash": result.audit.head_hash, "indexed_documents": result.indexed_documents,
                    "problems": [str(p) for p in result.audit.problems]}, indent=2)
    else:
        out.print(f"restored {sum(m.rows.values()):,} rows and {m.uploads} uploaded files from {path}; "
                  f"event log head {m.head_sequence} {m.head_hash}")
        out.print(("[green]event log intact[/green]" if result.audit.ok else "[red]event log broken[/red]")
                  + f": {result.audit.checked} events")
        for p in result.audit.problems:
            out.print(f"  {p}")
        if result.indexed_documents is not None:
            out.print(f"keyword index rebuilt: {result.indexed_documents:,} documents; "
                      "run `ipoffice index rebuild --only semantic` for the semantic index")
        else:
            out.print("keyword index not rebuilt (--no-index): run `ipoffice index rebuild`")
    if not result.audit.ok:
        raise typer.Exit(1)
