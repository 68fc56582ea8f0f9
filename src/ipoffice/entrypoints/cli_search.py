"""CLI: ``search``, ``index rebuild``, ``eval known-item`` — searching the register.

``search --json`` and ``search --batch`` print JSON lines that scripts depend on:
``{"number", "score", "title"}`` per hit, and ``{"id", "hits": [{"number", "score"}]}`` per batch query.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from ipoffice.bootstrap import Office
from ipoffice.domain.query import QueryError
from ipoffice.domain.query_limits import QueryTooLarge
from ipoffice.domain.search import MODES, TEXT_FIELDS, SearchError, SearchRequest
from ipoffice.entrypoints.cli_common import current_office, parse_before, print_json
from ipoffice.services.search import SearchService, check_request

console = Console(stderr=True)
out = Console()

index_app = typer.Typer(help="Search indexes: rebuild from the register.", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluations of search quality.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("search")(search)
    app.add_typer(index_app, name="index")
    app.add_typer(eval_app, name="eval")


def _parse_fields(fields: str | None) -> tuple[str, ...] | None:
    if not fields:
        return None
    return tuple(f.strip() for f in fields.split(",") if f.strip())


def _fail(exc: Exception, query: str | None = None) -> typer.Exit:
    console.print(Text("error: ", style="red") + Text(str(exc)), highlight=False)
    if isinstance(exc, QueryError) and not isinstance(exc, QueryTooLarge) and query is not None:
        console.print(Text("  " + query + "\n  " + " " * exc.position + "^"), highlight=False)
    return typer.Exit(2)


def _open_service(office: Office, mode: str) -> SearchService:
    """The service, its indexes first caught up with the register (and said so, never silently)."""
    from ipoffice.adapters.writer_lock import RegisterBusy

    dense = mode != "bm25"
    try:
        for done in office.catch_up_indexes(semantic=dense):
            console.print(f"[yellow]note:[/yellow] {done}")
    except RegisterBusy as exc:
        console.print(f"[yellow]note:[/yellow] the indexes were not checked: {exc.holder} is writing the "
                      "register (and updating them as it goes)")
    return office.search(dense=dense, catch_up=False)


def search(
    query: Annotated[str | None, typer.Argument(help='Query, e.g. \'ti="wireless charging" AND pd>=2015\'.')] = None,
    mode: Annotated[str, typer.Option(help="bm25 | semantic | hybrid | concept (a field of technology: "
                                            "keyword, meaning and IPC subclass)")] = "bm25",
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Hits to return.")] = 10,
    offset: Annotated[int, typer.Option(min=0, help="Hits to skip (paging).")] = 0,
    fields: Annotated[str | None, typer.Option(
        help="Text fields searched by plain words: comma-separated of title,abstract,claims,description.")] = None,
    before: Annotated[str | None, typer.Option(help="Prior-art cut-off: only documents published before "
                                                    "this date (YYYY-MM-DD).")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="Take the query as plain text (any of the words), "
                                                         "not the query language.")] = False,
    batch: Annotated[Path | None, typer.Option(help='JSON lines {"id": ..., "query": ...} of plain-text '
                                                     "queries; prints one JSON line per query.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit per line.")] = False,
) -> None:
    """Search the register: keyword (bm25, the query language), semantic, hybrid or concept.

    Fields: ti ab cl desc txt pa in pn ic cpc pd ad lang; AND OR NOT ( ) "phrase" "near words"~5 trunc*.

    Limits (refused with exit status 2, naming the limit): a query of at most 4,000 characters, 200 terms,
    20 truncated words (each with 2 or more characters before * or ?), parentheses 20 deep; plain text of at
    most 20,000 characters and 1,000 distinct words. Before searching, the indexes catch up with the register.
    """
    if mode not in MODES:
        console.print(f"[red]error:[/red] --mode: unknown {mode!r}; valid: {', '.join(MODES)}")
        raise typer.Exit(2)
    if (query is None) == (batch is None):
        console.print("[red]error:[/red] give either a QUERY or --batch FILE")
        raise typer.Exit(2)
    field_list = _parse_fields(fields)
    if field_list and any(f not in TEXT_FIELDS for f in field_list):
        console.print(f"[red]error:[/red] --fields: valid fields are {', '.join(TEXT_FIELDS)} (got {fields!r})")
        raise typer.Exit(2)
    cutoff = parse_before(before)
    try:
        request = None
        if query is not None:  # refused before anything is opened when beyond the limits
            request = SearchRequest(query, mode=mode, limit=limit, offset=offset, fields=field_list,
                                    before=cutoff, syntax="text" if plain else "query")
            check_request(request)
        service = _open_service(current_office(), mode)
        if batch is not None:
            _run_batch(service, batch, mode, limit, field_list, cutoff)
            return
        assert request is not None
        request = service.as_number_search(request)
        result = service.search(request)
    except (SearchError, QueryError) as exc:
        raise _fail(exc, query) from None
    if as_json:
        for hit in result.hits:
            print_json({"number": hit.number, "score": round(hit.score, 6), "title": hit.title})
        return
    title = f"{result.total:,} documents match" + (f" (published before {cutoff})" if cutoff else "")
    if request.query != query:
        title += f" (number search: {request.query})"
    table = Table(title=title)
    table.add_column("#", justify="right")
    table.add_column("number")
    table.add_column("score", justify="right")
    table.add_column("title")
    for rank, hit in enumerate(result.hits, start=offset + 1):
        table.add_row(str(rank), hit.number, f"{hit.score:.3f}", hit.title or "")
    out.print(table)


def _run_batch(service: SearchService, path: Path, mode: str, limit: int, fields: tuple[str, ...] | None,
               before: date | None) -> None:
    if not path.is_file():
        raise SearchError(f"--batch: no such file {path}")
    failed = 0
    with path.open(encoding="utf-8") as fh:
        for line_number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                query_id, text = item["id"], item["query"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise SearchError(f"{path}:{line_number}: expected a JSON object with id and query ({exc})") from None
            try:
                result = service.search(SearchRequest(str(text), mode=mode, limit=limit, fields=fields,
                                                      before=before, syntax="text"))
            except QueryError as exc:  # one refused line (e.g. beyond a limit) is reported; the others run
                print_json({"id": query_id, "error": str(exc), "hits": []})
                failed += 1
                continue
            print_json({"id": query_id, "hits": [{"number": h.number, "score": round(h.score, 6)}
                                                  for h in result.hits]})
    if failed:
        console.print(f"[yellow]{failed} of the queries were refused[/yellow]: their lines carry an \"error\"")
        raise typer.Exit(1)


@index_app.command("rebuild")
def rebuild(
    only: Annotated[str | None, typer.Option(help="Rebuild only this index: keyword | semantic.")] = None,
) -> None:
    """Rebuild the keyword index and the semantic index (where installed) from the register.

    Each index is built beside the current one, which keeps answering until the new one is swapped in whole
    (a killed rebuild leaves the old index as it was). It holds the register's writer lock: while an import
    runs it stops at once, changing nothing. Exit status: 0 rebuilt, 2 usage error, 3 the register is busy
    (the message names the process writing it).
    """
    from ipoffice.adapters.writer_lock import RegisterBusy
    from ipoffice.services.indexing import rebuild_keyword_index

    if only not in (None, "keyword", "semantic"):
        console.print(f"[red]error:[/red] --only: expected keyword or semantic, got {only!r}")
        raise typer.Exit(2)
    office = current_office()
    reg = office.register
    try:
        with reg.writer_lock("index rebuild"):
            if only != "semantic":
                total = reg.count_documents()
                with Progress(TextColumn("[bold]keyword index"), BarColumn(), MofNCompleteColumn(),
                              TimeElapsedColumn(), TimeRemainingColumn(), console=console) as bar:
                    task = bar.add_task("index", total=total)
                    index = rebuild_keyword_index(reg, office.keyword_index_path, lambda n: bar.advance(task, n))
                info = index.info()
                console.print(f"[green]keyword index rebuilt[/green]: {info.documents:,} documents, "
                              f"{info.size_bytes / 1e6:,.1f} MB at {info.path}")
            if only != "keyword":
                _rebuild_semantic(office)
    except RegisterBusy as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3) from None


def _rebuild_semantic(office: Office) -> None:
    """The semantic index's rebuild (dense vectors; texts already embedded come from the vector cache)."""
    with Progress(TextColumn("[bold]semantic index"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=console) as bar:
        task = bar.add_task("vectors", total=None)
        report = office.semantic.rebuild(lambda done, total: bar.update(task, completed=done, total=total))
    console.print(f"[green]semantic index rebuilt[/green]: {report['documents']:,} documents, "
                  f"{report['texts_embedded']:,} texts embedded (the rest from the vector cache), "
                  f"model {report['model']}")
    # Concept search embeds the IPC scheme's titles and the labelled texts on first use: here, not in a request.
    console.print("preparing concept search and IPC suggestions: embedding the IPC scheme's titles and the "
                  "labelled titles once (minutes on a new machine; later runs read them from the vector cache)…")
    model = office.subclass_model()
    console.print(f"[green]concept search ready[/green]: {model.labels.shape[0]:,} labelled texts, "
                  f"{len(model.scheme_columns):,} IPC scheme titles, {len(model.subclasses):,} subclasses")


@eval_app.command("known-item")
def known_item(
    file: Annotated[Path, typer.Argument(help="JSON lines {query, target}: claim 1 and its document.")],
    modes: Annotated[str, typer.Option(help="Comma-separated modes to evaluate.")] = "bm25,semantic,hybrid",
    baseline: Annotated[bool, typer.Option(help="Also run the independent BM25 baseline.")] = True,
    output: Annotated[Path | None, typer.Option(help="Write the metrics as JSON here.")] = None,
) -> None:
    """Known-item prior-art search: recall@1, recall@10 and MRR@10 over title + abstract + description."""
    from ipoffice.services.known_item import run_known_item

    office = current_office()
    wanted = tuple(m.strip() for m in modes.split(",") if m.strip())
    try:
        report = run_known_item(office.search(dense=any(m != "bm25" for m in wanted)), office.register, file,
                                modes=wanted, baseline=baseline,
                                progress=lambda msg: console.print(msg, highlight=False))
    except (SearchError, FileNotFoundError) as exc:
        raise _fail(exc) from None
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    table = Table(title=f"known-item search: {report['queries']} queries, corpus {report['corpus_documents']:,} "
                        "documents, fields title+abstract+description")
    for column in ("system", "recall@1", "recall@10", "MRR@10", "note"):
        table.add_column(column, justify="left" if column in ("system", "note") else "right")
    for row in report["rows"]:
        if row.get("error"):
            table.add_row(row["system"], "-", "-", "-", row["error"])
        else:
            table.add_row(row["system"], f"{row['recall@1']:.3f}", f"{row['recall@10']:.3f}",
                          f"{row['mrr@10']:.3f}", row.get("note", ""))
    out.print(table)


@eval_app.command("concept")
def concept(
    file: Annotated[Path, typer.Argument(help="JSON lines {id, query_en, query_zh, relevant: [numbers]}.")],
    modes: Annotated[str, typer.Option(help="Comma-separated modes to evaluate.")] = "bm25,semantic,hybrid,concept",
    lang: Annotated[str, typer.Option(help="Comma-separated query languages: zh,en.")] = "zh,en",
    corpus: Annotated[Path | None, typer.Option(
        help="CSV of publication_number,title: imported as documents (title only) into a throwaway register "
             "with the IPC scheme of the shared data. Default: the shared eval/cn_ipc_dev.csv.")] = None,
    here: Annotated[bool, typer.Option("--here", help="Search the current register as it is instead.")] = False,
    keep: Annotated[Path | None, typer.Option(help="Build the throwaway register in this folder and keep it "
                                                   "(a re-run reuses it).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Concept search: nDCG@10 per mode and query language, each next to Chinese-query BM25 (ratio).

    The corpus's titles are labelled texts of the IPC training files too (the shared cn_ipc_dev.csv): concept
    mode then keeps each document's fold apart from its own labels (5-fold cross-fitting, said in the report).
    """
    import tempfile

    from ipoffice.services.concept_eval import run_concept_eval

    office = current_office()
    wanted = tuple(m.strip() for m in modes.split(",") if m.strip())
    languages = tuple(x.strip() for x in lang.split(",") if x.strip())
    if any(m not in MODES for m in wanted):
        console.print(f"[red]error:[/red] --modes: valid modes are {', '.join(MODES)} (got {modes!r})")
        raise typer.Exit(2)
    try:
        if here:
            groups = None
            service = office.search(dense=any(m != "bm25" for m in wanted))
        else:
            folder = keep or Path(tempfile.mkdtemp(prefix="ipoffice-concept-"))
            service, groups = concept_corpus(office, corpus or office.settings.shared_dir / "eval" / "cn_ipc_dev.csv",
                                              folder)
        report = run_concept_eval(service, file, modes=wanted, languages=languages,
                                  progress=lambda msg: console.print(msg, highlight=False))
    except (SearchError, FileNotFoundError) as exc:
        raise _fail(exc) from None
    finally:
        if not here and keep is None:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    report["cross_fitted"] = groups is not None
    if as_json:
        print_json(report, indent=2)
        return
    table = Table(title=f"concept search: {report['concepts']} concepts, nDCG@10, ratio to Chinese-query BM25"
                        + (" (concept mode 5-fold cross-fitted)" if groups is not None else ""))
    for column in ("mode", "lang", "nDCG@10", "ratio", "p50 ms"):
        table.add_column(column, justify="left" if column in ("mode", "lang") else "right")
    for row in report["rows"]:
        if row.get("error"):
            table.add_row(row["mode"], row["lang"], "-", "-", row["error"])
        else:
            table.add_row(row["mode"], row["lang"], f"{row['ndcg@10']:.3f}", f"{row.get('ratio', 0):.2f}×",
                          f"{row['p50_ms']:.1f}")
    out.print(table)


def concept_corpus(office: Office, corpus: Path, folder: Path) -> tuple[SearchService, dict[str, str] | None]:
    """A throwaway register in ``folder`` holding the corpus's titles and the shared IPC scheme, its indexes
    built (vectors from the office's vector cache), and the cross-fitting groups of concept mode."""
    from dataclasses import replace

    from ipoffice.bootstrap import office as make_office
    from ipoffice.services.classify.training import training_files
    from ipoffice.services.concept_eval import cross_fit_groups, import_title_corpus
    from ipoffice.services.importing import expand_paths
    from ipoffice.services.indexing import rebuild_keyword_index

    settings = office.settings
    throwaway = make_office(replace(settings, database_url=f"sqlite:///{folder}/register.db", var_dir=folder,
                                    vector_cache_dir=settings.vector_cache))
    if throwaway.register.count_documents() == 0:
        console.print(f"importing the corpus {corpus} into {folder}", highlight=False)
        import_title_corpus(throwaway.register, corpus)
        scheme = settings.shared_dir / "data" / "ipc" / "ipc_bilingual.tsv"
        if scheme.is_file():
            throwaway.importer(batch_size=5000, listeners=[]).run(expand_paths([scheme]))
        rebuild_keyword_index(throwaway.register, throwaway.keyword_index_path)
        throwaway.semantic.rebuild()
    groups = cross_fit_groups(corpus, training_files(settings.ipc_training, settings.shared_dir))
    return throwaway.search(concept_groups=groups), groups
