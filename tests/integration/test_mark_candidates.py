"""The candidate pools of word-mark similarity (adapters.mark_index) on a real tantivy index: the marks meaning
the same by the dictionary and the marks in a containment relation are found by their own exact lookups, so
that hundreds of marks sharing letters with the query cannot push them out of what is compared; and
services.trademark_similarity.rank then ranks them in the top 10 with the reason."""

from __future__ import annotations

import pytest

from ipoffice.adapters.mark_glossary import meaning
from ipoffice.adapters.mark_index import MarkIndex, build_mark_index, contained_keys
from ipoffice.domain.mark_forms import mark_forms
from ipoffice.domain.mark_similarity import MarkRecord
from ipoffice.services.trademark_similarity import LEXICAL_POOL, rank

CROWD = LEXICAL_POOL + 100  # more near-duplicates than the lexical pool holds


def _crowd(stem: str) -> list[MarkRecord]:
    """Marks sharing letters (trigrams) with ``stem`` and sounding otherwise: APPLEDDD, APPLEDDG, … in one
    class."""
    letters = "DGKMNPRTV"
    suffixes = [a + b + c for a in letters for b in letters for c in letters][:CROWD]
    return [MarkRecord(f"CROWD-{stem}-{i}", stem + suffix, (9,)) for i, suffix in enumerate(suffixes)]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> MarkIndex:
    marks = [MarkRecord("CN-1", "苹果", (9,)), MarkRecord("CN-2", "长城", (33,)), MarkRecord("CN-3", "小米", (9,)),
             MarkRecord("EN-1", "GREAT WALL", (33,)), MarkRecord("EN-2", "MILLET", (30,)),
             MarkRecord("EN-3", "ACME WORLD", (9,)), MarkRecord("EN-4", "BLUE SKY", (9,)),
             MarkRecord("EN-5", "SUNNY 阳光", (9,))]
    crowd = [*_crowd("APPLE"), *_crowd("GREAT"), *_crowd("MILLE"), *_crowd("ACME"), *_crowd("BLUESKY")]
    # marks holding ACME with other words, longer than ACME WORLD, and Chinese marks sharing a character with 长城
    crowd += [MarkRecord(f"ACME-{i}", f"ACME {w} {w}X", (9,)) for i, w in enumerate(["RED", "GREEN", "BLUE"] * 20)]
    crowd += [MarkRecord(f"ZH-{i}", c + "城", (33,)) for i, c in enumerate("东西南北新老大小")]
    folder = tmp_path_factory.mktemp("marks") / "index"
    build_mark_index(folder, [*marks, *crowd], vectors=None)
    return MarkIndex(folder)


def _numbers(found: list) -> list[str]:  # type: ignore[type-arg]
    return [c.record.number for c in found]


@pytest.mark.parametrize(("query", "number", "means"), [
    ("APPLE", "CN-1", "appl"),  # 苹果 means apple
    ("APPLES", "CN-1", "appl"),  # the English stem: apples, apple
    ("GREAT WALL", "CN-2", "wall"),  # 长城
    ("MILLET", "CN-3", "millet"),  # 小米 read as a word is millet (and Xiaomi, the company)
    ("长城", "EN-1", "great"),  # the reverse: a Chinese query finds the English mark
    ("小米", "EN-2", "millet"),
])
def test_the_dictionary_pool_finds_translations_among_look_alikes(index: MarkIndex, query: str, number: str,
                                                                   means: str) -> None:
    forms = mark_forms(query)
    assert means in meaning(forms)
    assert number not in _numbers(index.candidates(forms, before=None, limit=LEXICAL_POOL))  # crowded out
    assert number in _numbers(index.meaning_candidates(forms, before=None, limit=20))
    top = rank(index, None, query, (), None, 10)
    found = next(e for e in top if e.number == number)
    assert "by the dictionary" in " ".join(r.detail for r in found.reasons if r.kind.value == "conceptual")


def test_xiaomi_in_latin_letters_sounds_like_the_chinese_mark(index: MarkIndex) -> None:
    top = rank(index, None, "XIAOMI", (), None, 10)
    assert top[0].number == "CN-3" and "phonetic" in [r.kind.value for r in top[0].reasons]


@pytest.mark.parametrize(("query", "number", "relation"), [
    ("ACME", "EN-3", "the mark is inside the earlier mark"),  # among 400 ACMEDDD… and 60 longer ACME marks
    ("THE BLUE SKY COMPANY", "EN-4", "the earlier mark is inside the mark"),  # among 400 BLUESKYDDD…
    ("SUNNY 阳光 DAYS", "EN-5", "the earlier mark is inside the mark"),
    ("长城牌", "CN-2", "the earlier mark is inside the mark"),  # Chinese has no spaces: 长城 in 长城牌
])
def test_the_containment_pool_finds_the_mark_among_near_duplicates(index: MarkIndex, query: str, number: str,
                                                                    relation: str) -> None:
    forms = mark_forms(query)
    assert number in _numbers(index.containment_candidates(forms, before=None, limit=20))
    top = rank(index, None, query, (), None, 10)
    found = next(e for e in top if e.number == number)
    assert relation in " ".join(r.detail for r in found.reasons if r.kind.value == "containment")


def test_contained_keys_are_the_runs_of_words_or_characters() -> None:
    assert contained_keys(mark_forms("THE BLUE SKY")) == ["the", "the_blue", "blue", "blue_sky", "sky"]
    assert contained_keys(mark_forms("长城牌")) == ["长城", "城牌"]
    assert contained_keys(mark_forms("AB CD")) == []  # too short to be a mark inside
    assert contained_keys(mark_forms("ACME")) == []
