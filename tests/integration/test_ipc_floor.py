"""Regression guard of the IPC classifier: 5-fold cross-validation on ``eval/cn_ipc_dev.csv`` stays at the
measured level (bench/ipc_eval.py, bench/results/ipc_eval.json).

Measured 2026-11-25 with this test's register (the bilingual IPC scheme only): top-1 0.549, recall@5 0.707,
micro-F1 0.466 (bench register with the shared classified documents too: 0.547, 0.704, 0.465; anchor 0.491;
the model before the e5 kernel ridge and the stacker: 0.522, 0.684, 0.447). The floors sit about 0.015 below
the measured values: a change that loses one title in 70 fails. The run takes ~27 min on one shared core
(five folds, each training two SVM calibration sets and the stacker).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ipoffice.bootstrap import Office, office
from ipoffice.config import Settings
from ipoffice.services.importing import expand_paths

from .search_corpus import shared_vector_cache

FLOOR = {"top1_accuracy": 0.534, "recall_at_5": 0.692, "micro_f1": 0.451}
# The 57 CN abstracts (all G06F), read by a model trained on 1,500 titles; measured 2026-11-30: title alone top-1
# 0.439, recall@5 0.860; title + abstract 0.579, 0.895; best G06F main group a true one for 6 of 57 (0.105). One
# abstract is 0.018: the floors sit one abstract (groups: two) below.
FLOOR_CN = {"top1_accuracy": 0.561, "recall_at_5": 0.877, "group_top1": 0.07}


@pytest.fixture(scope="module")
def ipc_register(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Office:
    var = tmp_path_factory.mktemp("ipc-register")
    running = office(Settings(database_url=f"sqlite:///{var}/register.db", shared_dir=shared, var_dir=var,
                              vector_cache_dir=shared_vector_cache()))
    ipc_file = shared / "data" / "ipc" / "ipc_bilingual.tsv"
    running.importer(batch_size=5000, listeners=[]).run(expand_paths([ipc_file]))
    return running


@pytest.mark.skipif(not os.environ.get("IPOFFICE_SLOW"),
                    reason="5-fold training takes ~27 min on one core: set IPOFFICE_SLOW=1 (make test-slow)")
def test_cross_validated_metrics_stay_above_floor(shared: Path, ipc_register: Office) -> None:
    from ipoffice.services.classify.evaluation import anchor_metrics, cross_validate

    dev = shared / "eval" / "cn_ipc_dev.csv"
    if not dev.is_file():
        pytest.skip(f"{dev} not found")
    ours = cross_validate(dev, ipc_register.embedder(), ipc_register.register, folds=5)
    assert ours.items == 6759
    for metric, floor in FLOOR.items():
        assert getattr(ours, metric) >= floor, f"{metric} {getattr(ours, metric):.3f} fell below {floor}"
    anchor, any_hit = anchor_metrics(dev)
    assert round(anchor.micro_f1, 3) == 0.491 and round(any_hit, 3) == 0.693


def test_held_out_slice_stays_above_floor(shared: Path, tmp_path: Path) -> None:
    """The fast tier: train on the first 1,500 titles, score the next 300 (never seen). Measured 2026-11-25
    once training was made deterministic (seeded liblinear, float64 kernel ridge; the same with one or two
    BLAS threads): top-1 0.460, recall@5 0.607, micro-F1 0.384 (before the e5 model and the stacker: 0.417,
    0.563, 0.335). The floors were set from an earlier, unseeded run (0.470, 0.599, 0.393)."""
    import csv

    from ipoffice.adapters.embeddings import cached_embedder
    from ipoffice.services.classify.evaluation import score_predictions
    from ipoffice.services.classify.model import IpcClassifier
    from ipoffice.services.classify.training import ipc_titles, read_labelled_csv

    items = read_labelled_csv(shared / "eval" / "cn_ipc_dev.csv")
    train, held_out = items[:1500], items[1500:1800]
    with (shared / "data" / "ipc" / "ipc_bilingual.tsv").open(encoding="utf-8") as fh:
        subclasses = [(r["code"], r["level"], r["title_en"], r["title_zh"])
                      for r in csv.DictReader(fh, delimiter="\t") if r["level"] == "subclass"]
    model = IpcClassifier.train(train, ipc_titles(subclasses), cached_embedder(shared_vector_cache()))
    results = model.classify([x.text for x in held_out], top=5)
    assert all(len(r.suggestions) == 5 and r.predicted for r in results)
    # Scores are the stacker's probabilities, in ranking order; the first suggestion is always predicted.
    assert all(1 >= r.suggestions[0].score >= r.suggestions[-1].score >= 0 for r in results)
    assert all(r.predicted[0] == r.suggestions[0].symbol for r in results)
    metrics = score_predictions([x.subclasses for x in held_out],
                                [[s.symbol for s in r.suggestions] for r in results], [r.predicted for r in results])
    assert metrics.top1_accuracy >= 0.455
    assert metrics.recall_at_5 >= 0.584
    assert metrics.micro_f1 >= 0.378


def test_abstracts_are_suggested_at_least_as_well_as_titles(shared: Path, tmp_path: Path) -> None:
    """The fast tier on abstracts: a model trained on the first 1,500 titles, the IPC scheme's subclass titles and
    G06F's main-group titles scores the 57 labelled CN abstracts (imported from ``data/cn``; all are G06F)
    reading the title alone and the title + abstract: the abstract must not make it worse. The main group it
    ranks first within G06F is checked against the documents' own main groups (no scheme documents here, so by
    the embedding alone). Measured 2026-11-30: see FLOOR_CN."""
    import csv

    from ipoffice.adapters.embeddings import cached_embedder
    from ipoffice.domain.classification import normalise_symbol
    from ipoffice.domain.document import TextField
    from ipoffice.domain.text import normalise
    from ipoffice.services.classify.evaluation import score_predictions
    from ipoffice.services.classify.model import IpcClassifier
    from ipoffice.services.classify.training import ipc_titles, labelled_documents, read_labelled_csv

    running = office(Settings(database_url=f"sqlite:///{tmp_path}/register.db", shared_dir=shared,
                              var_dir=tmp_path, vector_cache_dir=shared_vector_cache()))
    running.importer(batch_size=500, listeners=[]).run(expand_paths([shared / "data" / "cn"]))
    documents = {d.number.compact: d for d in running.register.iter_documents()}
    examples = labelled_documents(documents.values())
    assert len(examples) == 57 and all(e.main_groups for e in examples)
    only_title = [documents[e.source].text(TextField.TITLE) or "" for e in examples]
    items = read_labelled_csv(shared / "eval" / "cn_ipc_dev.csv")[:1500]
    with (shared / "data" / "ipc" / "ipc_bilingual.tsv").open(encoding="utf-8") as fh:
        rows = [(normalise_symbol(r["code"]), r["level"], r["title_en"], r["title_zh"])
                for r in csv.DictReader(fh, delimiter="\t")
                if r["level"] == "subclass" or (r["level"] == "main_group" and r["code"].startswith("G06F"))]
    model = IpcClassifier.train(items, ipc_titles(rows), cached_embedder(shared_vector_cache()))
    truth = [e.subclasses for e in examples]
    metrics = {}
    for name, texts in (("title", only_title), ("abstract", [e.text for e in examples])):
        results = model.classify(texts, top=5)
        for r in results:
            for s in r.suggestions:
                assert (s.group is None) == (s.group_score is None)
                if s.group is not None and s.group_score is not None:
                    assert s.group.startswith(s.symbol + " ") and 0 < s.group_score <= s.score
        metrics[name] = score_predictions(truth, [[s.symbol for s in r.suggestions] for r in results],
                                          [r.predicted for r in results])
    assert metrics["abstract"].top1_accuracy >= metrics["title"].top1_accuracy
    assert metrics["abstract"].recall_at_5 >= metrics["title"].recall_at_5
    assert metrics["abstract"].top1_accuracy >= FLOOR_CN["top1_accuracy"]
    assert metrics["abstract"].recall_at_5 >= FLOOR_CN["recall_at_5"]
    # Main groups: no title file gives them, so the ranker is unsupervised; the best G06F group is a true one
    # for a share of the abstracts, with a probability (the prior: these titles carry no groups) below 1.
    texts = [normalise(e.text) for e in examples]
    vectors = model.embedder.encode(texts)
    chars = model.char_vectorizer.transform(texts)
    label = model.labels.index("G06F")
    best = [model.groups.best(label, vectors[i], chars[i], True) for i in range(len(texts))]
    assert all(b is not None and b[0].startswith("G06F ") and 0 < b[1] < 1 for b in best)
    hits = sum(1 for b, e in zip(best, examples, strict=True) if b is not None and b[0] in e.main_groups)
    assert hits / len(examples) >= FLOOR_CN["group_top1"]
