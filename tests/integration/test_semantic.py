"""Semantic search on the shared corpus: cross-lingual retrieval, more like this, the prior-art date
cut-off, claim charts and the combination search.

The corpus is imported once per session (``search_corpus``) and embedded once; vectors are cached by
content hash in ``var/test-vector-cache`` (or ``IPOFFICE_VECTOR_CACHE``; ``search_corpus``), so later runs
embed nothing.
The English documents are patentsview abstracts and USPTO full texts; the Chinese ones are the CN sample.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from ipoffice.adapters.database import migrate
from ipoffice.bootstrap import Office, office
from ipoffice.config import Settings
from ipoffice.services.semantic import DenseSearch

from .search_corpus import shared_corpus


@pytest.fixture(scope="module")
def corpus(shared: Path) -> Office:
    running = office(shared_corpus(shared))
    if running.semantic.load() is None:
        running.semantic.rebuild()
    return running


@pytest.fixture(scope="module")
def dense(corpus: Office) -> DenseSearch:
    retriever = corpus.semantic.retriever()
    assert retriever is not None
    return retriever


def _numbers(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.number for h in hits]


@pytest.mark.parametrize(("query", "target"), [
    ("运动器材收纳系统", "US9038976"),  # "Sporting gear storage system"
    ("从音频比特流中提取音乐分类数据", "US7295977"),  # "Extracting classifying data in music from an audio bitstream"
    # "Neural network system and method for factory floor scheduling"
    ("用于工厂车间调度的神经网络系统和方法", "US5432887"),
])
def test_chinese_query_finds_english_document(dense, query: str, target: str) -> None:  # type: ignore[no-untyped-def]
    assert _numbers(dense.search_text(query, 5, None))[0] == target


@pytest.mark.parametrize(("query", "target"), [
    ("satellite orbit prediction under constant thrust maneuvering", "CN116108319A"),
    ("tunnel deformation prediction based on multi-source data fusion", "CN118981601A"),
])
def test_english_query_finds_chinese_document(dense, query: str, target: str) -> None:  # type: ignore[no-untyped-def]
    assert _numbers(dense.search_text(query, 5, None))[0] == target


def test_claim_as_query_finds_its_document(dense) -> None:  # type: ignore[no-untyped-def]
    claim = ("A holding device for removably holding a napkin over the front of the body comprising a lanyard "
             "and a pair of clamping devices with magnets")
    hit = dense.search_text(claim, 3, None)[0]
    assert hit.number == "US6836899B1"
    assert hit.title == "Device for detachably holding an absorbent napkin across the torso"


def test_more_like_this(corpus: Office) -> None:
    hits = corpus.semantic.more_like_this("US6035057", 5, None)
    # Two patents of the same family of "hierarchical data matrix pattern recognition" systems.
    assert hits[0].number == "US6278799"
    assert hits[0].score > 0.9
    assert "US6035057" not in _numbers(hits)
    with pytest.raises(LookupError, match="number: US1 is not in the semantic index"):
        corpus.semantic.more_like_this("US1", 5, None)


def test_before_cut_off_hides_later_documents(dense, corpus: Office) -> None:  # type: ignore[no-untyped-def]
    query = "用于精准农业的视觉增强无人机"  # "Vision enhanced drones for precision farming", published 2018-02-20
    assert _numbers(dense.search_text(query, 5, None))[0] == "US9898688"
    cut_off = date(2018, 2, 20)
    hits = dense.search_text(query, 20, cut_off)
    assert len(hits) == 20 and "US9898688" not in _numbers(hits)
    register = corpus.register
    dates = [register.get(n).publication_date for n in _numbers(hits)]  # type: ignore[union-attr]
    assert all(d is not None and d < cut_off for d in dates)
    assert "US9898688" in _numbers(dense.search_text(query, 5, date(2018, 2, 21)))
    similar = corpus.semantic.more_like_this("US6035057", 10, date(1999, 1, 1))
    assert all(register.get(n).publication_date < date(1999, 1, 1) for n in _numbers(similar))  # type: ignore[union-attr]


def test_rebuild_reuses_cached_vectors_and_import_listener_updates(corpus: Office) -> None:
    report = corpus.semantic.rebuild()
    assert report["texts_embedded"] == 0
    assert report["documents"] == corpus.register.count_documents()
    assert corpus.semantic.update(["US6035057", "CN116108319A"]) == 2
    index = corpus.semantic.load()
    assert index is not None and index.size == report["documents"]


def test_the_semantic_store_catches_up_exactly_what_it_lacks(corpus: Office) -> None:
    from ipoffice.adapters.vector_index import VectorIndex
    from ipoffice.services.semantic import SemanticIndex

    store = corpus.semantic.load()
    assert store is not None
    assert not corpus.semantic.catch_up().behind  # type: ignore[union-attr]
    # what a killed import leaves: the register holds a document the vectors never got
    lacking = SemanticIndex(store.entries[:-1], VectorIndex.build(store.index.vectors[:-1]), store.model_id)
    corpus.semantic._publish(lacking)
    assert corpus.semantic.lag().missing == [store.entries[-1].number]  # type: ignore[union-attr]
    caught = corpus.semantic.catch_up()
    assert caught is not None and caught.missing == [store.entries[-1].number]
    again = corpus.semantic.load()
    assert again is not None and again.size == store.size and not corpus.semantic.lag().behind  # type: ignore[union-attr]


def test_claim_chart_of_a_document_against_itself_and_another(corpus: Office) -> None:
    from ipoffice.services.claim_chart import chart_against

    doc = corpus.register.get("US20210267109A1")
    assert doc is not None
    claim = doc.claims[0].text
    own = chart_against(corpus.claim_charter(), corpus.register, claim, "US20210267109A1")
    assert len(own.rows) == 10 and own.disclosed == 10
    assert all(r.field == "claims" and r.score > 0.99 for r in own.rows)  # the claim discloses itself
    # Without its claims, the description must carry the chart.
    described = corpus.claim_charter().chart(claim, replace(doc, claims=[]))
    row_b = next(r for r in described.rows if r.label == "1[b]")
    assert row_b.passage == "The uplifted panel entraps debris scooped up by the apparatus."
    assert row_b.field == "description" and row_b.disclosed
    assert described.disclosed >= 8
    other = chart_against(corpus.claim_charter(), corpus.register, claim, "US20220159901A1")  # a seed metering device
    assert other.disclosed == 0
    assert max(r.score for r in other.rows) < min(r.score for r in own.rows)


def test_combination_search_respects_cut_off(corpus: Office) -> None:
    from ipoffice.services.claim_chart import combination_search

    register = corpus.register
    claim = register.get("US20210267109A1").claims[0].text  # type: ignore[union-attr]
    pairs = combination_search(corpus.claim_charter(), register, corpus.semantic.require_retriever(), claim,
                               date(2021, 1, 1), 8)
    assert len(pairs) == 28  # every pair of the 8 candidates
    ranked = [(p.disclosed, p.score) for p in pairs]
    assert ranked == sorted(ranked, reverse=True)
    numbers = {n for p in pairs for n in p.numbers}
    assert "US20210267109A1" not in numbers
    assert all(register.get(n).publication_date < date(2021, 1, 1) for n in numbers)  # type: ignore[union-attr]


def test_ivf_index_agrees_with_exact_search_on_derived_vectors(corpus: Office) -> None:
    from ipoffice.adapters.vector_index import VectorIndex, derived_vectors

    index = corpus.semantic.load()
    assert index is not None
    vectors = derived_vectors(index.index.vectors, 40_000, seed=1)
    exact = VectorIndex.build(vectors, ann_threshold=10**9)
    ivf = VectorIndex.build(vectors, ann_threshold=1_000)
    assert exact.ann is None and ivf.ann is not None
    queries = vectors[:20]
    overlap = [len(set(exact.search(q, 10).rows) & set(ivf.search(q, 10).rows)) / 10 for q in queries]
    assert np.mean(overlap) >= 0.9
    allowed = np.zeros(len(vectors), dtype=bool)
    allowed[::3] = True
    filtered = ivf.search(queries[1], 10, allowed)
    assert len(filtered.rows) == 10 and all(allowed[filtered.rows])


def test_cli_similar_json(corpus: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ipoffice.entrypoints.cli import app

    monkeypatch.setenv("IPOFFICE_VAR", str(corpus.settings.var_dir))
    monkeypatch.setenv("IPOFFICE_DATABASE_URL", corpus.settings.database_url)
    result = CliRunner().invoke(app, ["similar", "US6035057", "--limit", "2", "--json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout.splitlines()[0])
    assert first["number"] == "US6278799"


def test_rebuilds_keep_the_default_vector_cache_and_the_trained_model(tmp_path: Path, shared: Path) -> None:
    """With the default folders (no shared cache): publishing a semantic generation sweeps the store's own
    folder, and must leave the vector cache and the saved IPC model alone — a second rebuild embeds nothing."""
    var = tmp_path / "var"
    running = office(Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=shared, var_dir=var))
    migrate(running.settings.database_url)
    abstracts = shared / "data" / "cn" / "liaoleyuan_sample_test.csv"
    running.importer(listeners=[]).run([abstracts])
    running.classifier_path.parent.mkdir(parents=True)
    running.classifier_path.write_bytes(b"a saved model")
    first = running.semantic.rebuild()
    assert first["texts_embedded"] > 0
    second = running.semantic.rebuild()
    assert second["texts_embedded"] == 0
    assert second["documents"] == first["documents"] == running.register.count_documents()
    assert list(running.settings.vector_cache.glob("cache-*.sqlite"))
    assert running.classifier_path.read_bytes() == b"a saved model"
