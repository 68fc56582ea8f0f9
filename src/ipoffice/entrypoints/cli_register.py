"""CLI: ``init``, ``import``, ``show``, ``stats`` — the register."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ipoffice.adapters.importers import IMPORTERS
from ipoffice.adapters.machine import idle_cores
from ipoffice.entrypoints.cli_common import current_office, print_json
from ipoffice.services import documents as document_service
from ipoffice.services.import_readers import AUTO_READERS_MIN_BYTES, MAX_READERS, auto_readers
from ipoffice.services.importing import ImportReport, UnknownFormat, expand_paths
from ipoffice.services.importing import Progress as ImportProgress

console = Console(stderr=True)
out = Console()


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("import")(import_)
    app.command("show")(show)
    app.command("stats")(stats)


def init() -> None:
    """Create (or migrate) the register at IPOFFICE_DATABASE_URL."""
    office = current_office()
    documents = office.register.count_documents()  # opening it creates or migrates it
    console.print(f"[green]register ready[/green] at {office.settings.database_url} ({documents:,} documents)")


def import_(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to import.", exists=False)],
    format: Annotated[
        str, typer.Option("--format", "-f",
                          help="auto | " + " | ".join(sorted(IMPORTERS))),
    ] = "auto",
    batch_size: Annotated[int, typer.Option(min=1, max=10_000, help="Documents per transaction.")] = 250,
    report_file: Annotated[Path | None, typer.Option(help="Where to write the problem report (JSON lines).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    readers: Annotated[str, typer.Option(
        help=f"Processes (this one included) that read and save files side by side: 2-{MAX_READERS}, 0 or 1 "
             "for this one alone, or auto (two or more when cores are idle and there is enough to read).")] = "auto",
) -> None:
    """Import office data files (USPTO/EPO XML, CSV exports, IPC scheme, Nice classification).

    One import writes a register at a time (an OS lock on SQLite, an advisory lock on PostgreSQL): a second
    one stops before writing anything and names the process holding the register. Before reading, the
    search indexes catch up with the register (what an interrupted import saved but never indexed).

    Exit status: 0 all imported, 1 some records were rejected (see the report), 2 usage error,
    3 the register is busy (another import or index rebuild is writing it; nothing was changed).
    """
    from ipoffice.adapters.writer_lock import RegisterBusy

    try:
        work = sum(f.stat().st_size for f in expand_paths(paths))
    except FileNotFoundError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    reader_count = _reader_count(readers, work)
    office = current_office()
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[records]} records · {task.fields[rate]} /s · [red]{task.fields[problems]} problems"),
        TimeElapsedColumn(), console=console, transient=as_json, disable=not console.is_terminal and as_json,
    ) as bar:
        task = bar.add_task("importing", total=None, records=0, problems=0, rate="-")
        started = datetime.now()
        state = {"records": 0, "problems": 0}

        def records_done(records: int, problems: int) -> None:
            state["records"] += records
            state["problems"] += problems
            secs = max((datetime.now() - started).total_seconds(), 1e-6)
            bar.update(task, records=state["records"], problems=state["problems"],
                       rate=f"{state['records'] / secs:,.0f}")

        def file_started(path: Path, size: int) -> None:
            bar.update(task, description=path.name[:40])

        hooks = ImportProgress(file_started=file_started, records_done=records_done,
                               file_done=lambda p, s: bar.advance(task, s))
        importer = office.importer(batch_size=batch_size, progress=hooks, readers=reader_count)
        try:
            bar.update(task, total=work)
            report = importer.run(paths, format)
        except (UnknownFormat, FileNotFoundError) as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        except RegisterBusy as exc:
            console.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(3) from None
        except KeyboardInterrupt:
            console.print("[yellow]interrupted[/yellow]: every finished batch is saved and no document is "
                          "half-written; run the same command again to finish.")
            raise typer.Exit(130) from None
    _print_report(report, office.settings.var_dir, report_file, as_json)
    if report.problems:
        raise typer.Exit(1)


def _reader_count(readers: str, work_bytes: int) -> int:
    if readers == "auto":  # the idle-core probe waits a moment: only when there is enough to read
        return auto_readers(work_bytes, idle_cores()) if work_bytes >= AUTO_READERS_MIN_BYTES else 0
    if readers.isdigit() and int(readers) <= MAX_READERS:
        return int(readers)
    console.print(f"[red]error:[/red] --readers must be auto or 0-{MAX_READERS} (got {readers!r})")
    raise typer.Exit(2)


def _print_report(report: ImportReport, var_dir: Path, report_file: Path | None, as_json: bool) -> None:
    path = None
    if report.problems:
        path = report_file or var_dir / f"import-problems-{datetime.now():%Y%m%dT%H%M%S}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            for p in report.problems:
                fh.write(json.dumps(
                    {"file": p.file, "record": p.record, "field": p.field, "reason": p.reason}, ensure_ascii=False
                ) + "\n")
    summary = {
        "files": report.files, "formats": report.formats, "added": report.counts.added,
        "updated": report.counts.updated, "unchanged": report.counts.unchanged,
        "reference_records": report.reference_records, "problems": len(report.problems),
        "notes": [str(n) for n in report.notes], "indexes_caught_up": report.caught_up,
        "problem_report": str(path) if path else None,
    }
    if as_json:
        print_json(summary)
        return
    console.print(
        f"[bold]{report.files}[/bold] files: [green]{report.counts.added} added[/green], "
        f"{report.counts.updated} updated, {report.counts.unchanged} unchanged, "
        f"{report.reference_records} reference records, "
        + (f"[red]{len(report.problems)} problems[/red]" if report.problems else "no problems")
    )
    for done in report.caught_up:
        console.print(f"  [blue]ℹ[/blue] before importing: {done}", highlight=False)
    for n in report.notes:
        console.print("  [blue]ℹ[/blue] ", end="")
        console.print(str(n), highlight=False, markup=False, soft_wrap=True)
    for p in report.problems[:20]:
        console.print("  [red]✗[/red] ", end="")
        console.print(str(p), highlight=False, markup=False, soft_wrap=True)
    if len(report.problems) > 20:
        console.print(f"  … {len(report.problems) - 20} more")
    if path:
        console.print(f"problem report: {path}")


def show(
    number: Annotated[str, typer.Argument(help="Publication number, e.g. 'US 7654321 B2' or US7654321; a mark's "
                                                "key (ALTM-T-1996-001287) or printed number (AL/T/1996/001287, "
                                                "'AL 007650').")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the document as JSON.")] = False,
    office: Annotated[str | None, typer.Option(help="The office of a mark's printed number, e.g. AL.")] = None,
) -> None:
    """Show one document of the register."""
    reg = current_office().register
    try:
        doc = document_service.get_document(reg, number, office)
    except document_service.DocumentNotFound as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    data = document_service.document_as_dict(reg, doc)
    if as_json:
        print_json(data)
        return
    dated = f"published {data['publication_date']}" if data["publication_date"] else "publication date not recorded"
    out.print(f"[bold]{data['number_display']}[/bold]  {data['right_type']}  {dated}")
    for lang, title in data["titles"].items():
        out.print(f"  title ({lang}): {title}", highlight=False)
    out.print(f"  application {data['application_number'] or '-'} filed {data['application_date'] or '-'}")
    for p in data["parties"]:
        out.print(f"  {p['role']}: {p['name']}" + (f" ({p['country']})" if p["country"] else ""), highlight=False)
    for c in data["classifications"]:
        title = (c["title"] or {}).get("en", "")
        out.print(f"  {c['scheme']} {c['symbol']}  {title}", highlight=False)
    for lang, text in data["abstracts"].items():
        out.print(f"  abstract ({lang}): {text[:500]}", highlight=False)
    if data["claims"]:
        out.print(f"  {len(data['claims'])} claims; claim {data['claims'][0]['number']}: "
                  f"{data['claims'][0]['text'][:400]}", highlight=False)
    if data["mark"] is not None:
        _print_mark(data)
        return
    out.print(f"  {len(data['citations'])} citations, {len(data['legal_events'])} legal events")


def _print_mark(data: dict[str, Any]) -> None:
    mark = data["mark"]
    out.print(f"  mark: {data['mark_text'] or '-'}  ({mark['feature'] or mark['feature_text'] or 'kind not given'}"
              + (f", office: {mark['feature_text']}" if mark["feature"] and mark["feature_text"] else "")
              + (f"; {mark['kind_of_mark']}" if mark["kind_of_mark"] else "") + ")", highlight=False)
    for x in mark["texts"]:
        if x["kind"] != "publication":
            out.print(f"  {x['kind']}{' (' + x['lang'] + ')' if x['lang'] else ''}: {x['text']}", highlight=False)
    out.print(f"  status: {mark['status'] or '-'} ({mark['status_text'] or '-'}"
              + (f", {mark['status_date']}" if mark["status_date"] else "") + ")", highlight=False)
    out.print(f"  registration {mark['registration_number'] or '-'} on {mark['registration_date'] or '-'}, "
              f"expires {mark['expiry_date'] or '-'}"
              + (f", international registration {mark['international_number']}" if mark["international_number"]
                 else ""), highlight=False)
    for g in data["goods_and_services"]:
        out.print(f"  class {g['nice_class']}{' (' + g['lang'] + ')' if g['lang'] else ''}: {g['terms'][:300]}",
                  highlight=False)
    for e in sorted(data["legal_events"], key=lambda e: e["date"]):
        out.print(f"  {e['date']} {e['code']}{' [' + e['office_code'] + ']' if e['office_code'] else ''} "
                  f"{e['description']}", highlight=False)


def stats(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """Counts of the register's documents and reference data."""
    data = current_office().register.stats()
    if as_json:
        print_json(data)
        return
    table = Table(title="ipoffice register")
    table.add_column("what")
    table.add_column("count", justify="right")
    for country, n in data["documents"].items():
        table.add_row(f"documents {country}", f"{n:,}")
    table.add_row("documents total", f"{data['documents_total']:,}")
    for k in ("claims", "citations", "ipc_symbols", "nice_classes", "nice_terms"):
        table.add_row(k.replace("_", " "), f"{data[k]:,}")
    out.print(table)
