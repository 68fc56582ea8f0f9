"""Word-mark comparison: each kind of likeness with variants of its own, the forms it works on, and how the
goods weigh the score (domain.mark_forms, domain.mark_similarity, domain.goods_relatedness)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipoffice.domain.goods_relatedness import are_neighbours, goods_relatedness, term_words
from ipoffice.domain.mark_forms import fold_look_alikes, mark_forms
from ipoffice.domain.mark_similarity import ReasonKind, compare


def kinds(query: str, earlier: str, **kw: object) -> dict[ReasonKind, float]:
    similarity = compare(mark_forms(query), mark_forms(earlier), **kw)  # type: ignore[arg-type]
    return {r.kind: r.score for r in similarity.reasons}


@pytest.mark.parametrize(("query", "earlier"), [
    ("G00GLE", "GOOGLE"), ("G0OG1E", "Google"), ("rnicrosoft", "MICROSOFT"), ("5AMSUNG", "SAMSUNG"),
    ("TOPGUN!", "TOPGUN"), ("Nestlé", "NESTLE"), ("VVALMART", "WALMART"),
])
def test_look_alike_characters_make_the_same_visual_form(query: str, earlier: str) -> None:
    found = kinds(query, earlier)
    assert found[ReasonKind.VISUAL] == 1.0


@pytest.mark.parametrize(("query", "earlier", "at_least"), [
    ("KODAKS", "KODAK", 0.8), ("ADIDAS", "ADIDOS", 0.8), ("SONY", "SONI", 0.7), ("小米科技", "小来科技", 0.7),
])
def test_one_edit_is_visually_close(query: str, earlier: str, at_least: float) -> None:
    found = kinds(query, earlier)
    assert at_least <= found[ReasonKind.VISUAL] < 1.0


def test_different_marks_have_no_reason() -> None:
    assert compare(mark_forms("KODAK"), mark_forms("ZENITH")).reasons == ()
    assert compare(mark_forms("小米"), mark_forms("华为")).reasons == ()


@pytest.mark.parametrize(("query", "earlier"), [
    ("FONIX", "PHONIX"), ("NITE", "NIGHT"), ("CAFFE", "KAFE"), ("KAMERA", "CAMERA"), ("SHUZ", "SHOES"),
    ("EZY", "EASY"), ("FOTON", "PHOTON"),
])
def test_english_sound_alikes_share_the_sound_key(query: str, earlier: str) -> None:
    assert kinds(query, earlier)[ReasonKind.PHONETIC] >= 0.7


@pytest.mark.parametrize(("query", "earlier"), [
    ("小米", "晓米"), ("华为", "花为"), ("长城", "常城"), ("美的", "美德"),
])
def test_chinese_homophones_have_the_same_pinyin_whatever_the_tones(query: str, earlier: str) -> None:
    similarity = compare(mark_forms(query), mark_forms(earlier))
    phonetic = [r for r in similarity.reasons if r.kind == ReasonKind.PHONETIC]
    assert phonetic and phonetic[0].score == 1.0
    assert "tones ignored" in phonetic[0].detail


@pytest.mark.parametrize(("query", "earlier"), [("XIAOMI", "小米"), ("小米", "Xiaomi"), ("HUAWEI", "华为")])
def test_pinyin_of_a_chinese_mark_sounds_like_the_latin_one(query: str, earlier: str) -> None:
    assert kinds(query, earlier)[ReasonKind.PHONETIC] >= 0.9


@pytest.mark.parametrize(("query", "earlier"), [
    ("ACME", "ACME WORLD"), ("ACME WORLD", "ACME"), ("BLUE SKY", "THE BLUE SKY COMPANY"), ("小米", "小米科技"),
])
def test_a_mark_inside_a_longer_one(query: str, earlier: str) -> None:
    assert kinds(query, earlier)[ReasonKind.CONTAINMENT] >= 0.75


def test_containment_needs_whole_words_and_some_length() -> None:
    assert ReasonKind.CONTAINMENT not in kinds("ART", "SMART PHONES")  # a part of a word
    assert ReasonKind.CONTAINMENT not in kinds("AB", "AB TOOLS")  # too short to be distinctive


def test_a_meaning_counts_from_its_cosine_but_never_above_the_same_letters() -> None:
    found = kinds("苹果", "APPLE", cosine=0.9)
    assert 0.8 < found[ReasonKind.CONCEPTUAL] < 1.0
    assert ReasonKind.CONCEPTUAL not in kinds("苹果", "APPLE", cosine=0.2)
    same = compare(mark_forms("APPLE"), mark_forms("APPLE"), cosine=1.0)
    assert same.score == 1.0 and same.reasons[0].kind == ReasonKind.VISUAL


def test_descriptors_of_a_device_are_not_words_of_the_mark() -> None:
    assert mark_forms("SECRET (Tulisan & Lukisan)").words == ("secret",)
    assert mark_forms("VERIZON BUSINESS & device").words == ("verizon", "business")
    assert mark_forms("(label)").words == ("label",)  # nothing else: the text stays
    assert fold_look_alikes("g00g1e") == "google"
    assert mark_forms("הרווח").latin == "hrvvh"  # another script is transliterated
    assert mark_forms("☆").empty


def test_goods_relatedness_same_neighbouring_terms_or_none() -> None:
    assert goods_relatedness([9], [9, 42]).score == 1.0  # type: ignore[union-attr]
    neighbour = goods_relatedness([9], [42])
    assert neighbour is not None and neighbour.score == 0.7 and "9~42" in neighbour.detail
    assert are_neighbours(25, 18) and are_neighbours(33, 32) and not are_neighbours(9, 31)
    terms = goods_relatedness([1], [31], term_words("fresh fruits and vegetables"), term_words("Fruits, fresh"))
    assert terms is not None and 0 < terms.score <= 0.5 and "fruits" in terms.detail
    assert goods_relatedness([9], [31]) is None


def test_unrelated_goods_lower_the_score_of_the_same_mark() -> None:
    forms = mark_forms("TOPGUN")
    same = compare(forms, forms, goods=goods_relatedness([9], [9]), classes_given=True)
    near = compare(forms, forms, goods=goods_relatedness([9], [42]), classes_given=True)
    far = compare(forms, forms, goods=goods_relatedness([9], [31]), classes_given=True)
    assert same.score > near.score > far.score > 0
    assert ReasonKind.GOODS in same.kinds and ReasonKind.GOODS not in far.kinds


@pytest.mark.parametrize(("query", "earlier", "shared"), [
    ("熊猫", "PANDA", "panda"), ("APPLES", "苹果", "appl"), ("熊猫牌", "PANDA BRAND", "panda"),
])
def test_a_chinese_mark_means_the_english_one_by_the_dictionary(query: str, earlier: str, shared: str) -> None:
    from ipoffice.adapters.mark_glossary import meaning

    q, e = mark_forms(query), mark_forms(earlier)
    similarity = compare(q, e, meanings=(meaning(q), meaning(e)))
    concept = [r for r in similarity.reasons if r.kind == ReasonKind.CONCEPTUAL]
    assert concept and concept[0].score >= 0.45 and shared in concept[0].detail
    assert "by the dictionary" in concept[0].detail
    assert not compare(mark_forms("熊猫"), mark_forms("TIGER"), meanings=(meaning(q), meaning(mark_forms("TIGER")))
                       ).reasons


@pytest.mark.parametrize(("text", "classes"), [("9,42", [9, 42]), (" 9, 42 ", [9, 42]), ("9，42", [9, 42]), ("", [])])
def test_nice_classes_as_typed(text: str, classes: list[int]) -> None:
    from ipoffice.domain.goods_relatedness import parse_nice_classes

    assert parse_nice_classes(text) == classes


@pytest.mark.parametrize("text", ["nine", "9,x", "9;42", "-3"])
def test_nice_classes_not_numbers_name_the_field(text: str) -> None:
    from ipoffice.domain.errors import InvalidField
    from ipoffice.domain.goods_relatedness import parse_nice_classes

    with pytest.raises(InvalidField) as caught:
        parse_nice_classes(text)
    assert caught.value.field == "classes"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40), st.floats(-1, 1) | st.none())
def test_any_two_texts_compare_within_0_and_1(a: str, b: str, cosine: float | None) -> None:
    similarity = compare(mark_forms(a), mark_forms(b), cosine=cosine, goods=goods_relatedness([9], [42]),
                         classes_given=True)
    assert 0.0 <= similarity.score <= 1.0
    assert all(0.0 <= r.score <= 1.0 for r in similarity.reasons)
