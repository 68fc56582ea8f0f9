"""The pieces of ``ipoffice eval concept``: nDCG@10, the concept file, the title corpus and its fold groups."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from ipoffice.domain.search import SearchError
from ipoffice.services.concept_eval import cross_fit_groups, load_concepts, ndcg_at, title_documents


def test_ndcg_at_ten_with_binary_relevance() -> None:
    relevant = frozenset({"A", "B"})
    assert ndcg_at(["A", "B", "C"], relevant) == 1.0
    assert ndcg_at(["C", "A"], relevant) == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert ndcg_at(["C"] * 10 + ["A"], relevant) == 0.0  # beyond the tenth rank counts nothing
    assert ndcg_at(["A"], frozenset(f"R{i}" for i in range(30)) | {"A"}) == 1 / sum(
        1 / math.log2(r + 1) for r in range(1, 11))  # the ideal holds at most ten documents
    assert ndcg_at(["A"], frozenset()) == 0.0


def test_concept_file_errors_name_the_line_and_the_fields(tmp_path: Path) -> None:
    path = tmp_path / "concepts.jsonl"
    path.write_text(json.dumps({"id": "A01B", "query_en": "soil", "query_zh": "整地", "relevant": ["CN1A"]})
                    + "\n\n" + json.dumps({"id": "X", "query_en": "no Chinese"}) + "\n", encoding="utf-8")
    with pytest.raises(SearchError, match=r"concepts.jsonl:3: .*query_zh"):
        load_concepts(path)
    path.write_text(json.dumps({"id": "A01B", "query_en": "soil", "query_zh": "整地", "relevant": ["CN1A"]}))
    [concept] = load_concepts(path)
    assert concept.query("zh") == "整地" and concept.query("en") == "soil" and concept.relevant == {"CN1A"}
    with pytest.raises(FileNotFoundError):
        load_concepts(tmp_path / "missing.jsonl")


def _titles(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("publication_number,title,ipc_subclasses\n" + "".join(f"{n},{t},A01B\n" for n, t in rows),
                    encoding="utf-8")
    return path


def test_title_corpus_keeps_the_title_only(tmp_path: Path) -> None:
    corpus = _titles(tmp_path / "c.csv", [("CN114081026A", "一种驱鸟装置"), ("CN215792497U", "印刷生产线")])
    docs = list(title_documents(corpus))
    assert [d.number.compact for d in docs] == ["CN114081026A", "CN215792497U"]
    assert [d.title for d in docs] == ["一种驱鸟装置", "印刷生产线"]
    assert all(not d.classifications for d in docs)  # the labels never reach the register
    assert docs[1].right_type.value == "utility_model"


def test_fold_groups_only_when_the_corpus_is_labelled_training_data(tmp_path: Path) -> None:
    corpus = _titles(tmp_path / "c.csv", [("CN1A", "一种驱鸟装置"), ("CN1U", "一种 驱鸟装置"), ("CN2A", "印刷生产线")])
    other = _titles(tmp_path / "t.csv", [("CN9A", "一种驱鸟装置")])
    assert cross_fit_groups(corpus, [other]) is None  # disjoint: each document's own label is all to keep apart
    groups = cross_fit_groups(corpus, [corpus, other])
    assert groups is not None and groups["CN1A"] == groups["CN1U"] == groups["CN9A"]  # one title, one fold
    assert set(groups.values()) <= {f"fold {i}" for i in range(5)}
