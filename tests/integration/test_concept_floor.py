"""Regression guard of concept search (``ipoffice eval concept``, bench/concept_eval.py,
bench/results/concept.json): nDCG@10 of the concept mode stays at the measured level, next to Chinese-query
BM25 of the same run.

The corpus is the 6,759 titles of ``eval/cn_ipc_dev.csv`` (title only) in a throwaway register with the IPC
scheme; the concept mode's labelled texts are the same file's titles, kept apart by 5-fold cross-fitting.
The fast tier scores every 5th concept (62); the full 310 run is opt-in (IPOFFICE_SLOW=1).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ipoffice.bootstrap import office
from ipoffice.config import Settings
from ipoffice.domain.search import SearchRequest
from ipoffice.entrypoints.cli_search import concept_corpus
from ipoffice.services.concept_eval import Concept, load_concepts, ndcg_at
from ipoffice.services.search import SearchService

from .search_corpus import shared_vector_cache

# Measured 2026-11-30 (nDCG@10, ratio to Chinese-query BM25 of the same run). Every 5th concept (62): bm25 zh
# 0.136, concept zh 0.279 (2.06x), concept en 0.197 (1.45x). All 310 (bench/results/concept.json): bm25 zh
# 0.161, concept zh 0.274 (1.70x), en 0.238 (1.47x). The floors sit about 0.1-0.2x below: a change that loses
# a tenth of the gain fails.
FAST_RATIO_FLOOR = {"zh": 1.85, "en": 1.3}
FULL_RATIO_FLOOR = {"zh": 1.6, "en": 1.35}


@pytest.fixture(scope="module")
def concept_service(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> SearchService:
    var = tmp_path_factory.mktemp("concept")
    settings = Settings(database_url=f"sqlite:///{var}/office.db", shared_dir=shared, var_dir=var,
                        vector_cache_dir=shared_vector_cache())
    service, groups = concept_corpus(office(settings), shared / "eval" / "cn_ipc_dev.csv", var / "corpus")
    assert groups is not None  # the corpus is the training file: cross-fitted
    return service


def mean_ndcg(service: SearchService, concepts: list[Concept], mode: str, lang: str) -> float:
    scores = [ndcg_at([h.number for h in service.search(SearchRequest(c.query(lang), mode=mode, limit=10,
                                                                      syntax="text")).hits], c.relevant)
              for c in concepts]
    return sum(scores) / len(scores)


def check_floor(service: SearchService, concepts: list[Concept], floors: dict[str, float]) -> None:
    baseline = mean_ndcg(service, concepts, "bm25", "zh")
    assert baseline > 0.1
    for lang, floor in floors.items():
        ours = mean_ndcg(service, concepts, "concept", lang)
        assert ours >= floor * baseline, f"concept {lang}: {ours:.3f} = {ours / baseline:.2f}x bm25 (floor {floor}x)"


def test_concept_mode_beats_chinese_bm25_on_a_subsample(shared: Path, concept_service: SearchService) -> None:
    concepts = load_concepts(shared / "eval" / "concept_dev.jsonl")[::5]
    assert len(concepts) == 62
    check_floor(concept_service, concepts, FAST_RATIO_FLOOR)


@pytest.mark.skipif(not os.environ.get("IPOFFICE_SLOW"), reason="all 310 concepts: set IPOFFICE_SLOW=1")
def test_concept_mode_beats_chinese_bm25_on_every_concept(shared: Path, concept_service: SearchService) -> None:
    check_floor(concept_service, load_concepts(shared / "eval" / "concept_dev.jsonl"), FULL_RATIO_FLOOR)


def test_a_document_never_votes_for_itself() -> None:
    """A labelled text never votes for the document of its own group: by default its own publication number;
    with fold groups, every document of its fold (the scheme titles still describe the query)."""
    from ipoffice.adapters.embeddings import cached_embedder
    from ipoffice.services.classify.training import LabelledText
    from ipoffice.services.concept_search import SchemeTitle, SubclassModel

    embedder = cached_embedder(shared_vector_cache())
    labelled = [LabelledText("一种水电站高压输电线路驱鸟保护装置", ("A01M",), "CN114081026A"),
                LabelledText("一种驱鸟装置", ("A01M",), "CN1"), LabelledText("一种锂电池充电装置", ("H02J",), "CN2")]
    scheme = [SchemeTitle("A01M", "catching or killing animals", "动物的捕捉或诱杀"),
              SchemeTitle("H02J", "charging batteries", "电池组的充电")]
    title = ["一种水电站高压输电线路驱鸟保护装置"]
    vector = embedder.encode(title)
    own_only = SubclassModel(embedder, scheme, labelled)
    column = own_only.subclasses.index("A01M")
    assert own_only.of_documents(["CN114081026A"], vector)[0, column] > 0.5  # CN1 still votes A01M
    folds = SubclassModel(embedder, scheme, labelled, groups={"CN114081026A": "f0", "CN1": "f0", "CN2": "f1"})
    votes = folds.of_documents(["CN114081026A"], vector)[0]
    assert votes[folds.subclasses.index("A01M")] == 0.0  # only CN2, of another fold, is left to vote
    assert votes[folds.subclasses.index("H02J")] > 0.99
    assert folds.of_query("电池充电", embedder.encode(["电池充电"])[0]).argmax() == folds.subclasses.index("H02J")
