"""The size limits of a search (domain.query_limits) and the watermark comparison of the derived stores."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ipoffice.adapters.derived_store import Generations, Watermark, lag
from ipoffice.domain.query import QueryError
from ipoffice.domain.query_limits import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    QueryTooLarge,
    check_query,
    check_text,
)


@pytest.mark.parametrize(("query", "limit"), [
    (" OR ".join(f"w{i:07d}x*" for i in range(8000)), "MAX_QUERY_CHARS"),
    ("(" * 25 + "ab" + ")" * 25, "MAX_DEPTH"),
    (" ".join(f"w{i}" for i in range(MAX_TERMS + 1)), "MAX_TERMS"),
    (" OR ".join(f"ba{i}*" for i in range(21)), "MAX_WILDCARDS"),
    ("a*", "MIN_WILDCARD_PREFIX"),
    ("ti=*ing", "MIN_WILDCARD_PREFIX"),
])
def test_a_query_beyond_a_limit_is_a_query_error_naming_it(query: str, limit: str) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryTooLarge, match=limit) as raised:
        check_query(query)
    assert isinstance(raised.value, QueryError)
    assert time.perf_counter() - started < 0.5


def test_queries_within_the_limits_parse() -> None:
    check_query('ti="wireless charging" AND (charg* OR coil?) NOT pa=samsung AND pd>=2015')
    check_query(" ".join(f"w{i}" for i in range(MAX_TERMS)))
    check_query('"((((((((((((((((((((((((((((((" AND ab')  # parentheses in a phrase do not nest
    check_text("A wireless charging device comprising a coil. " * 100)


def test_plain_text_is_limited_in_length_and_words() -> None:
    with pytest.raises(QueryTooLarge, match="MAX_TEXT_CHARS"):
        check_text("x" * 20_001)
    with pytest.raises(QueryTooLarge, match="MAX_TEXT_WORDS"):
        check_text(" ".join(f"w{i}" for i in range(1001)))
    assert len("x" * MAX_QUERY_CHARS) == MAX_QUERY_CHARS


def test_the_watermark_names_what_is_missing_changed_and_removed() -> None:
    behind = lag({"A": "1", "B": "2", "C": "3"}, {"A": "1", "B": "old", "D": "4"})
    assert (behind.missing, behind.changed, behind.removed) == (["C"], ["B"], ["D"])
    assert behind.to_index == ["C", "B"] and behind.behind
    assert not lag({"A": "1"}, {"A": "1"}).behind


def test_a_generation_is_published_whole_and_older_ones_removed(tmp_path: Path) -> None:
    generations = Generations(tmp_path / "store", legacy_marker="meta.json")
    assert generations.current() is None
    first = generations.new()
    Watermark(first).record({"A": "1"})
    assert generations.current() is None  # not published yet: no reader sees it
    generations.publish(first)
    assert generations.current() == first and Watermark(first).recorded() == {"A": "1"}
    partial = generations.new()  # a rebuild killed half-way
    second = generations.new()
    generations.publish(second)
    assert generations.current() == second and first.exists() and not partial.exists()
    third = generations.new()
    generations.publish(third)
    assert not first.exists() and second.exists()


def test_a_store_of_an_older_version_in_the_root_is_current_until_replaced(tmp_path: Path) -> None:
    root = tmp_path / "store"
    root.mkdir()
    (root / "meta.json").write_text("{}")
    generations = Generations(root, legacy_marker="meta.json")
    assert generations.current() == root and not Watermark(root).exists
    generations.publish(generations.new())
    assert (root / "meta.json").exists()  # a server may still read it
    generations.publish(generations.new())
    assert not (root / "meta.json").exists()
