"""CLI: ``classify``, ``chart``, ``similar``, ``eval ipc`` — semantic tools for examiners.

``classify`` is a filter for scripts: one text per line on stdin, one JSON line per input line on
stdout, in order: ``{"suggestions": [{"symbol", "score"}, ...], "predicted": [...]}``.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ipoffice.bootstrap import Office
from ipoffice.entrypoints.cli_common import current_office, fail, parse_before, print_json

if TYPE_CHECKING:
    from ipoffice.services.claim_chart import ClaimChart

console = Console(stderr=True)
out = Console()
# A publication or application number (US9898688B2, CN112345678A, 202610000001.9) rather than a claim's text.
_NUMBER = re.compile(r"[A-Za-z]{0,2}\d[\d.]{4,}[A-Za-z]?\d?")


def register(app: typer.Typer) -> None:
    app.command("classify")(classify)
    app.command("chart")(chart)
    app.command("similar")(similar)
    try:  # the search CLI owns the "eval" group; join it when it is there
        from ipoffice.entrypoints.cli_search import eval_app
    except ImportError:
        eval_app = typer.Typer(help="Evaluations.", no_args_is_help=True)
        app.add_typer(eval_app, name="eval")
    eval_app.command("ipc")(eval_ipc)


def classify(
    top: Annotated[int, typer.Option(min=1, max=50, help="Subclasses suggested per text.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines (the only output format; the default).")] = True,
    main_groups: Annotated[int, typer.Option(min=0, max=50, help="Also suggest this many main groups.")] = 0,
    retrain: Annotated[bool, typer.Option(help="Retrain the model from the register first.")] = False,
) -> None:
    """Suggest IPC subclasses for each line of stdin (any language); one JSON line out per line in."""
    office = current_office()
    if retrain or not office.classifier_trained:
        console.print("training the IPC classifier from the register and the labelled titles (first use: "
                      "several minutes; the model is saved and later runs load it in seconds)…")
    try:
        model = office.classifier(retrain=retrain)
    except (ValueError, RuntimeError) as exc:
        raise fail(str(exc)) from None
    lines = [line.rstrip("\n") for line in sys.stdin]
    texts = [line for line in lines if line.strip()]
    results = iter(model.classify(texts, top=top, main_groups=main_groups))
    for line in lines:
        if line.strip():
            print_json(next(results).as_json())
        else:  # keep the output aligned with the input
            print_json({"suggestions": [], "predicted": []})


def _read_claim(claim: str) -> str:
    path = Path(claim)
    if len(claim) < 1024 and "\n" not in claim and path.is_file():
        return path.read_text(encoding="utf-8")
    return claim


def chart(
    claim: Annotated[str, typer.Argument(help="The claim text, a file holding it, or (with --claim-number) the "
                                              "number of a register document or published case whose claim it is.")],
    against: Annotated[str | None, typer.Option(help="Publication number of the document to chart against.")] = None,
    against_text: Annotated[Path | None, typer.Option(
        "--against-text", help="Chart against this text file (an accused product's description).",
        exists=True, dir_okay=False)] = None,
    claim_number: Annotated[int | None, typer.Option(
        "--claim-number", min=1, help="CLAIM is a number: chart its claim N (a number alone means claim 1).")] = None,
    combine: Annotated[bool, typer.Option(help="Find the pair of documents that together disclose the most "
                                                "elements (among the nearest --candidates).")] = False,
    before: Annotated[str | None, typer.Option(help="Combination search: only documents published before "
                                                    "this date (YYYY-MM-DD).")] = None,
    candidates: Annotated[int, typer.Option(min=2, max=100, help="Documents considered by --combine.")] = 15,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Claim chart: per claim element, the passage of a document (or of an accused product's description, with
    --against-text) that best discloses it, with a score."""
    from ipoffice.domain.search import SearchError
    from ipoffice.services.claim_chart import chart_against, combination_search

    if sum((against is not None, against_text is not None, combine)) != 1:
        raise fail("give one of --against NUMBER (a chart), --against-text FILE (a chart against a product "
                   "description) or --combine (a combination search)")
    office = current_office()
    try:
        text = _claim_text(office, claim, claim_number)
        if against_text is not None:
            result = office.claim_charter().chart_text(text, against_text.read_text(encoding="utf-8"),
                                                       label=against_text.name)
            _print_chart(result, as_json)
            return
        if combine:
            pairs = combination_search(office.claim_charter(), office.register, office.semantic.require_retriever(),
                                       text, parse_before(before), candidates)[:5]
            if as_json:
                print_json({"combinations": [p.as_json() for p in pairs]})
                return
            table = Table(title="document pairs disclosing the most claim elements")
            for column in ("documents", "elements disclosed", "score"):
                table.add_column(column)
            for p in pairs:
                table.add_row(" + ".join(p.numbers), f"{p.disclosed}/{p.elements}", f"{p.score:.2f}")
            out.print(table)
            return
        assert against is not None
        result = chart_against(office.claim_charter(), office.register, text, against)
    except (LookupError, ValueError, SearchError) as exc:
        raise fail(str(exc)) from None
    _print_chart(result, as_json)


def _claim_text(office: Office, claim: str, claim_number: int | None) -> str:
    """The claim to chart: CLAIM itself (or the file it names), or claim N of the number CLAIM when it is a
    register document or a published case (with --claim-number, or when CLAIM is such a number)."""
    from ipoffice.services.claim_chart import claim_of

    def published_claims(number: str) -> list[str] | None:
        view = office.procedures.published_case(number)
        claims = None if view is None else next((e.payload.get("claims") for e in view.events if e.code == "file"),
                                                None)
        return [str(c) for c in claims] if isinstance(claims, list) else None

    words = claim.strip()
    if claim_number is not None or _NUMBER.fullmatch(words):
        return claim_of(office.register, published_claims, words, claim_number or 1)
    return _read_claim(claim)


def _print_chart(result: ClaimChart, as_json: bool) -> None:
    if as_json:
        print_json(result.as_json())
        return
    table = Table(title=f"claim chart against {result.number}: {result.title or ''} "
                        f"({result.disclosed}/{len(result.rows)} elements disclosed)", show_lines=True)
    for column in ("element", "claim text", "best passage", "where", "score"):
        table.add_column(column, overflow="fold")
    for row in result.rows:
        mark = "[green]✓[/green]" if row.disclosed else "[yellow]?[/yellow]"
        # Labels such as "1[pre]" and claim text would otherwise be read as Rich markup.
        table.add_row(escape(row.label), escape(row.element), escape(row.passage), row.field, f"{row.score:.2f} {mark}")
    out.print(table)


def similar(
    number: Annotated[str, typer.Argument(help="Publication number, e.g. US9898688.")],
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    before: Annotated[str | None, typer.Option(help="Only documents published before this date.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit per line.")] = False,
) -> None:
    """More like this: the documents nearest in meaning to a register document."""
    from ipoffice.domain.search import SearchError

    try:
        hits = current_office().semantic.more_like_this(number, limit, parse_before(before))
    except (LookupError, ValueError, SearchError) as exc:
        raise fail(str(exc)) from None
    if as_json:
        for hit in hits:
            print_json({"number": hit.number, "score": hit.score, "title": hit.title})
        return
    table = Table(title=f"documents like {number}")
    for column in ("#", "number", "score", "title"):
        table.add_column(column)
    for rank, hit in enumerate(hits, start=1):
        table.add_row(str(rank), hit.number, f"{hit.score:.3f}", escape(hit.title or ""))
    out.print(table)


def eval_ipc(
    file: Annotated[Path, typer.Argument(help="CSV with title, ipc_subclasses (and anchor_predicted_subclasses).")],
    folds: Annotated[int, typer.Option(min=2, max=20, help="Cross-validation folds.")] = 5,
    output: Annotated[Path | None, typer.Option(help="Write the metrics as JSON here.")] = None,
    fold: Annotated[int | None, typer.Option(min=0, help="Train and score only this fold (0-based), next to the "
                                                        "anchor on the same texts: a fifth of the run time.")] = None,
    abstracts: Annotated[bool, typer.Option(
        "--abstracts", help="Score the register's classified documents (CN abstracts, US/EP XML) instead: a "
                            "model trained on FILE's titles only next to one also trained on the other documents "
                            "(--folds-fold over the documents), each reading the title and the title + abstract.")
    ] = False,
) -> None:
    """IPC classification: top-1 accuracy, recall@5, micro-F1 by k-fold cross-validation, and the anchor."""
    if not file.is_file():
        raise fail(f"FILE: {file} does not exist")
    if abstracts:
        _eval_abstracts(file, folds, output)
        return
    if fold is not None and fold >= folds:
        raise fail(f"--fold: {fold} is not below --folds {folds}")
    report = ipc_report(file, current_office(), folds, lambda done, total: console.print(f"fold {done}/{total} done"),
                        only_fold=fold)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n")
    table = Table(title=f"IPC classification: {report['items']} texts, {folds}-fold cross-validation; anchor = "
                        "the file's TF-IDF + linear SVM predictions (a set: no ranking)")
    for column in ("system", "top-1", "recall@5", "micro-F1", "prec.", "recall", "any-hit", "labels"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for row in report["rows"]:
        table.add_row(row["system"], *(f"{row[k]:.3f}" if row.get(k) is not None else "–" for k in
                                       ("top1_accuracy", "recall_at_5", "micro_f1", "precision", "recall",
                                        "any_hit", "labels_per_item")))
    out.print(table)


def _eval_abstracts(file: Path, folds: int, output: Path | None) -> None:
    try:
        report = abstracts_report(file, current_office(), folds)
    except ValueError as exc:
        raise fail(str(exc)) from None
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2) + "\n")
    table = Table(title="IPC suggestions on the register's classified documents (their own IPC/CPC subclasses)")
    for column in ("documents", "n", "model", "input", "top-1", "recall@5", "micro-F1"):
        table.add_column(column, justify="left" if column in ("documents", "model", "input") else "right")
    for row in report["rows"]:
        table.add_row(row["documents"], str(row["items"]), row["model"], row["input"],
                      *(f"{row[k]:.3f}" for k in ("top1_accuracy", "recall_at_5", "micro_f1")))
    out.print(table)


def abstracts_report(file: Path, office: Office, folds: int = 2, titles_limit: int | None = None,
                     scheme_documents: bool = True) -> dict[str, Any]:
    """The rows of ``eval ipc --abstracts`` (also written by bench/ipc_eval.py); see
    :func:`~ipoffice.services.classify.evaluation.evaluate_abstracts`."""
    from ipoffice.services.classify.evaluation import evaluate_abstracts

    rows = evaluate_abstracts(file, office.embedder(), office.register, folds=folds, titles_limit=titles_limit,
                              scheme_documents=scheme_documents)
    return {"file": str(file), "folds": folds,
            "rows": [{"documents": r.documents, "model": r.model, "input": r.input, **asdict(r.metrics)}
                     for r in rows]}


def ipc_report(file: Path, office: Office, folds: int = 5, progress: Any = None,
               only_fold: int | None = None) -> dict[str, Any]:
    """The rows of ``eval ipc`` (also written by bench/ipc_eval.py); ``only_fold``: that fold alone, the anchor
    scored on the same texts."""
    import csv

    from ipoffice.services.classify.evaluation import anchor_metrics, cross_validate

    ours = cross_validate(file, office.embedder(), office.register, folds=folds, progress=progress,
                          only_fold=only_fold)
    rows: list[dict[str, Any]] = [{"system": "ipoffice", **asdict(ours)}]
    with file.open(newline="", encoding="utf-8") as fh:
        has_anchor = "anchor_predicted_subclasses" in (csv.DictReader(fh).fieldnames or [])
    if has_anchor:
        anchor, any_hit = anchor_metrics(file, folds=folds, only_fold=only_fold)
        # The anchor gives a set, not a ranking: its top-1 and recall@5 are not comparable, so not shown.
        rows.append({"system": "anchor", **asdict(anchor), "any_hit": any_hit,
                     "top1_accuracy": None, "recall_at_5": None})
    return {"file": str(file), "items": ours.items, "folds": folds, "rows": rows}
