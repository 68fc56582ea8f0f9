"""Measuring the IPC classifier: top-1 accuracy, recall@5 and micro-F1 of predicted sets, by k-fold
cross-validation on a labelled title file, and the same metrics for the file's anchor predictions.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ipoffice.adapters.embeddings import CachedEmbedder
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.document import TextField
from ipoffice.services.classify.model import Classification, IpcClassifier
from ipoffice.services.classify.training import (
    IpcTitle,
    LabelledText,
    labelled_documents,
    read_labelled_csv,
    register_ipc_scheme,
)


@dataclass(frozen=True)
class IpcMetrics:
    """Scores of a set of suggestions against the true subclasses, each a share (0-1) of ``items`` texts
    except ``labels_per_item`` (subclasses predicted per text)."""

    items: int
    top1_accuracy: float
    recall_at_5: float
    micro_f1: float
    precision: float
    recall: float
    labels_per_item: float
    any_hit: float  # share of texts with at least one true subclass in the predicted set


def score_predictions(truth: Sequence[Sequence[str]], ranked: Sequence[Sequence[str]],
                      predicted: Sequence[Sequence[str]]) -> IpcMetrics:
    """Top-1 accuracy (first ranked is a true subclass), recall@5, micro P/R/F1 of the predicted sets."""
    n = len(truth)
    top1 = sum(1 for t, r in zip(truth, ranked, strict=True) if r and r[0] in t)
    recall5 = sum(len(set(r[:5]) & set(t)) / len(set(t)) for t, r in zip(truth, ranked, strict=True))
    tp = sum(len(set(p) & set(t)) for t, p in zip(truth, predicted, strict=True))
    n_pred = sum(len(set(p)) for p in predicted)
    n_true = sum(len(set(t)) for t in truth)
    return IpcMetrics(
        items=n,
        top1_accuracy=top1 / n,
        recall_at_5=recall5 / n,
        micro_f1=2 * tp / (n_pred + n_true) if n_pred + n_true else 0.0,
        precision=tp / n_pred if n_pred else 0.0,
        recall=tp / n_true if n_true else 0.0,
        labels_per_item=n_pred / n,
        any_hit=sum(1 for t, p in zip(truth, predicted, strict=True) if set(t) & set(p)) / n,
    )


def anchor_metrics(path: Path, *, folds: int = 5, only_fold: int | None = None,
                   seed: int = 0) -> tuple[IpcMetrics, float]:
    """The file's ``anchor_predicted_subclasses`` column scored as a predicted set; plus its any-hit rate.
    ``only_fold``: only the texts :func:`cross_validate` puts in that fold (same ``folds`` and ``seed``)."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if only_fold is not None:
        # cross_validate permutes the rows read_labelled_csv keeps (a title and at least one subclass).
        kept = [r for r in rows if r.get("title") and any(s.strip() for s in (r["ipc_subclasses"] or "").split("|"))]
        order = np.random.default_rng(seed).permutation(len(kept))
        rows = [kept[i] for i in sorted(order[only_fold::folds].tolist())]
    truth = [[s for s in row["ipc_subclasses"].split("|") if s] for row in rows]
    predicted = [[s for s in (row.get("anchor_predicted_subclasses") or "").split("|") if s] for row in rows]
    metrics = score_predictions(truth, predicted, predicted)
    return metrics, metrics.any_hit


def cross_validate(path: Path, embedder: CachedEmbedder, register: SqlRegister | None = None, folds: int = 5,
                   seed: int = 0, progress: Callable[[int, int], None] | None = None,
                   only_fold: int | None = None) -> IpcMetrics:
    """K-fold CV on a labelled file (:func:`~ipoffice.services.classify.training.read_labelled_csv`): each
    fold is scored by a model that never saw it; ``progress(folds done, folds)`` hears of each fold.

    With a ``register``, its classified documents (minus any number in the file) and its IPC titles join
    every fold's training set, as they would in use. ``only_fold``: train and score that fold alone (0-based;
    the metrics cover its texts only), a fifth of the run time.
    """
    items = read_labelled_csv(path)
    extra: list[LabelledText] = []
    titles: list[IpcTitle] = []
    scheme: list[LabelledText] = []
    if register is not None:
        in_file = {i.source for i in items}
        extra = [e for e in labelled_documents(register.iter_documents()) if e.source not in in_file]
        titles, scheme = register_ipc_scheme(register)
    order = np.random.default_rng(seed).permutation(len(items))
    ranked: list[list[str]] = [[] for _ in items]
    predicted: list[list[str]] = [[] for _ in items]
    for fold in range(folds) if only_fold is None else [only_fold]:
        test = order[fold::folds]
        test_set = set(test.tolist())
        train = [items[i] for i in range(len(items)) if i not in test_set] + extra
        model = IpcClassifier.train(train, titles, embedder, scheme)
        results = model.classify([items[i].text for i in test], top=5)
        for i, result in zip(test.tolist(), results, strict=True):
            ranked[i] = [s.symbol for s in result.suggestions]
            predicted[i] = result.predicted
        if progress:
            progress(fold + 1, folds)
    scored = range(len(items)) if only_fold is None else sorted(order[only_fold::folds].tolist())
    return score_predictions([items[i].subclasses for i in scored], [ranked[i] for i in scored],
                             [predicted[i] for i in scored])


@dataclass(frozen=True)
class AbstractsRow:
    """One row of :func:`evaluate_abstracts`: a set of register documents (``documents``: "CN", "US/EP"),
    the model that scored them (``model``: "titles" = trained on the title file and the IPC scheme only;
    "titles+abstracts" = also on the register's other classified documents), what it read (``input``:
    "title" or "title+abstract") and its metrics."""

    documents: str
    model: str
    input: str
    metrics: IpcMetrics


def _document_groups(examples: Sequence[LabelledText]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {"CN": [], "US/EP": []}
    for i, e in enumerate(examples):
        groups["CN" if e.source.startswith("CN") else "US/EP"].append(i)
    return groups


def evaluate_abstracts(path: Path, embedder: CachedEmbedder, register: SqlRegister, folds: int = 2,
                       seed: int = 0, titles_limit: int | None = None, scheme_documents: bool = True,
                       ) -> list[AbstractsRow]:
    """Suggestions on the register's classified documents (title + abstract; their own IPC/CPC subclasses are
    the truth): the 57 CN abstracts (Chinese, CPC) and the US/EP XML documents (English; EP titles may be
    German/French).

    Two models: one trained on the title file ``path`` and the IPC scheme only (it never saw a register
    document), and the model as ``ipoffice classify`` trains it (titles + scheme + the register's classified
    documents), by ``folds``-fold cross-validation over the documents, so a document is never scored by a model
    that saw it. Each reads the title alone and the title + abstract. ``titles_limit``: only the file's first
    titles; ``scheme_documents`` False: the SVMs learn from the texts only, not from the scheme's group texts
    (both make the run shorter: the small variant of bench/README.md). Raises ValueError when the register has
    no classified document."""
    items = read_labelled_csv(path)[:titles_limit]
    in_file = {i.source for i in items}
    documents = [d for d in register.iter_documents() if d.number.compact not in in_file]
    full = labelled_documents(documents)
    if not full:
        raise ValueError("register: no classified document to score (import ../shared/data first)")
    by_number = {d.number.compact: d for d in documents}
    only_title = [by_number[e.source].text(TextField.TITLE) or e.text for e in full]
    titles, scheme = register_ipc_scheme(register)
    if not scheme_documents:
        scheme = []
    truth = [e.subclasses for e in full]
    scored: dict[tuple[str, str], list[Classification]] = {}
    title_model = IpcClassifier.train(items, titles, embedder, scheme)
    scored["titles", "title"] = title_model.classify(only_title, top=5)
    scored["titles", "title+abstract"] = title_model.classify([e.text for e in full], top=5)
    order = np.random.default_rng(seed).permutation(len(full))
    for read in ("title", "title+abstract"):
        scored["titles+abstracts", read] = [Classification([], [])] * len(full)
    for fold in range(folds):
        test = order[fold::folds].tolist()
        held = set(test)
        model = IpcClassifier.train(items + [full[i] for i in range(len(full)) if i not in held], titles,
                                    embedder, scheme)
        for text_of, read in ((only_title, "title"), ([e.text for e in full], "title+abstract")):
            for i, result in zip(test, model.classify([text_of[i] for i in test], top=5), strict=True):
                scored["titles+abstracts", read][i] = result
    rows = []
    for name, members in _document_groups(full).items():
        if not members:
            continue
        for (model_name, read), results in scored.items():
            rows.append(AbstractsRow(name, model_name, read, score_predictions(
                [truth[i] for i in members], [[s.symbol for s in results[i].suggestions] for i in members],
                [results[i].predicted for i in members])))
    return rows
