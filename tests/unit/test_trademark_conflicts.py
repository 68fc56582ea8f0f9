"""The default matching of earlier marks (normalised identity or containment, a Nice class in common), the Nice
classes of a partial refusal and the check of the citations a decision carries — with variants of each kind."""

from __future__ import annotations

from datetime import date

import pytest

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.payloads import check_payload
from ipoffice.domain.reason_details import ENGLISH, detail_text, look_alike_pairs
from ipoffice.domain.trademark_conflicts import (
    ConflictReason,
    MarkRecord,
    check_citations,
    citation_payload,
    cited_marks,
    class_numbers,
    normalised_mark,
    ranked_conflicts,
    refused_classes_problem,
    requesters_to_notify,
    simple_conflict,
)
from ipoffice.entrypoints.web.messages_trademarks import CATALOGUE


@pytest.mark.parametrize(("text", "form"), [
    ("Ｉ-Phone®", "iphone"), ("  Lumina  Pro ", "luminapro"), ("华为 Mate", "华为mate"), ("ÉCLAT", "éclat"),
    ("A.B.C.", "abc"), ("STRASSE", "strasse"), ("®™", ""),
])
def test_marks_are_compared_in_a_normalised_form(text: str, form: str) -> None:
    assert normalised_mark(text) == form


def mark(number: str, text: str, *classes: int, day: date | None = None) -> MarkRecord:
    return MarkRecord(number, text, classes, day)


@pytest.mark.parametrize("variant", ["lumina", "LUMINA", "Lu-mi-na", "ＬＵＭＩＮＡ", "lumina!"])
def test_an_identical_mark_in_a_shared_class_scores_one(variant: str) -> None:
    found = simple_conflict(variant, [9, 35], mark("E1", "Lumina", 9, 42))
    assert found is not None and found.score == 1.0
    assert [(r.kind, r.detail) for r in found.reasons] == [
        ("identical", "'Lumina' is the same word mark"), ("goods_services", "same Nice class 9")]


@pytest.mark.parametrize(("mine", "theirs", "score"), [
    ("LUMINA PRO", "LUMINA", 6 / 9), ("LUMINA", "SUPERLUMINAX", 0.5), ("华为", "华为科技", 0.5),
    ("ACME", "ACME WIDGETS INTERNATIONAL", 0.5),
])
def test_a_mark_contained_in_the_other_scores_by_length(mine: str, theirs: str, score: float) -> None:
    found = simple_conflict(mine, [], mark("E1", theirs, 9))
    assert found is not None and found.score == pytest.approx(score)
    assert [r.kind for r in found.reasons] == ["containment"]  # no classes asked: every class counts


@pytest.mark.parametrize(("mine", "classes", "theirs"), [
    ("LUMINA", [30], mark("E1", "LUMINA", 9)),  # no class in common
    ("AB", [9], mark("E1", "ABC", 9)),  # too short to say anything by containment
    ("LUMINA", [9], mark("E1", "LUMEN", 9)),  # similar, but neither identical nor contained: another finder's job
    ("", [9], mark("E1", "LUMINA", 9)), ("®", [9], mark("E1", "LUMINA", 9)),
])
def test_no_conflict(mine: str, classes: list[int], theirs: MarkRecord) -> None:
    assert simple_conflict(mine, classes, theirs) is None


def test_ranking_keeps_earlier_marks_only_best_first_without_the_mark_itself() -> None:
    candidates = [
        mark("LATER", "NOVA", 9, day=date(2026, 5, 1)),
        mark("SAME-DAY", "NOVA", 9, day=date(2026, 3, 1)),
        mark("CONTAINS", "NOVAX", 9, day=date(2020, 1, 1)),
        mark("OLD", "nova", 9, day=date(2019, 1, 1)),
        mark("OLDER", "NOVA", 9, day=date(2010, 1, 1)),
        mark("UNDATED", "NOVA", 9),
        mark("SELF", "NOVA", 9, day=date(2001, 1, 1)),
    ]
    found = ranked_conflicts("Nova", [9], candidates, date(2026, 3, 1), 10, exclude="SELF")
    assert [m.number for m in found] == ["UNDATED", "OLDER", "OLD", "CONTAINS"]
    assert [m.number for m in ranked_conflicts("Nova", [9], candidates, date(2026, 3, 1), 2)] == ["UNDATED", "SELF"]
    assert ranked_conflicts("Nova", [9], candidates, None, 0) == []


@pytest.mark.parametrize(("value", "numbers"), [([9, 42, 9], (9, 42)), ("42, 9", (9, 42)), ("1 45", (1, 45)),
                                                 ([], ()), ("", ()), (["3"], (3,))])
def test_nice_class_numbers(value: object, numbers: tuple[int, ...]) -> None:
    assert class_numbers(value) == numbers


@pytest.mark.parametrize("value", [[0], [46], "9,x", [True], [9.5], None, {"9": 1}, "-1"])
def test_bad_nice_classes_name_the_field(value: object) -> None:
    with pytest.raises(InvalidField) as caught:
        class_numbers(value, "refused_classes")
    assert caught.value.field == "refused_classes"


@pytest.mark.parametrize(("value", "filed", "problem"), [
    ([9], (9, 42), None), ([9], (), None),
    (None, (9, 42), "names the Nice classes it refuses"), ([], (9, 42), "names the Nice classes it refuses"),
    ([9, 42], (9, 42), "that is a full refusal"), ([42, 9, 9], (9, 42), "that is a full refusal"),
    ([30], (9, 42), "class 30 is not among the classes filed (9, 42)"),
    (["x"], (9,), "is not a Nice class number"),
])
def test_partial_refusal_classes(value: object, filed: tuple[int, ...], problem: str | None) -> None:
    found = refused_classes_problem(value, filed)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_citations_round_trip_and_bad_ones_are_refused_naming_the_item() -> None:
    cited = citation_payload([mark("ILTM-160158", "LUMINA", 9, 42)])
    assert cited == [{"number": "ILTM-160158", "mark": "LUMINA", "classes": [9, 42]}]
    check_citations("earlier_marks", cited)
    assert cited_marks({"earlier_marks": cited}) == [MarkRecord("ILTM-160158", "LUMINA", (9, 42))]
    assert cited_marks({"note": "x"}) == []
    for bad, where in (([{"number": 5}], "earlier_marks[0]"), ([{"number": "A", "other": 1}], "earlier_marks[0]"),
                       ([{"number": "A", "classes": [99]}], "earlier_marks[0].classes"),
                       ("A", "earlier_marks"), ([{"number": "A" * 41}], "earlier_marks[0]"),
                       ([{"number": "A"}] * 51, "earlier_marks")):
        with pytest.raises(InvalidField) as caught:
            check_citations("earlier_marks", bad)
        assert caught.value.field == f"payload.{where}"


def test_payload_keys_of_refusals_and_oppositions() -> None:
    check_payload("refuse_partially", {"refused_classes": [9], "earlier_marks": []}, staff=True)
    with pytest.raises(InvalidField, match="written by the office"):
        check_payload("reply_to_opposition", {"refused_classes": [9]}, staff=False)
    with pytest.raises(InvalidField, match="written by the office"):
        check_payload("reply_to_opposition", {"opponent": "applicant.chen"}, staff=False)
    check_payload("reply_to_opposition", {"grounds": "no likelihood of confusion"}, staff=False)


@pytest.mark.parametrize(("mine", "theirs", "found"), [
    ("华为", "华为科技", True), ("华", "华为", False), ("ABC", "ABCD", True), ("AB", "ABCD", False),
    ("Lumina™", "LUMINA", True), ("℠ACME", "acme", True),
])
def test_containment_needs_three_letters_or_two_chinese_characters(mine: str, theirs: str, found: bool) -> None:
    assert (simple_conflict(mine, [], mark("E1", theirs)) is not None) is found


def test_the_requesters_a_decision_answers_are_notified_once() -> None:
    events = [("file", {}), ("approve_preliminarily", {}), ("file_opposition", {"opponent": "chen"}),
              ("file_opposition", {"opponent": "li"}), ("file_opposition", {"opponent": "chen"})]
    assert requesters_to_notify("refuse_registration", events) == ["chen", "li"]
    assert requesters_to_notify("register", events) == ["chen", "li"]
    assert requesters_to_notify("renew", events) == []
    later = [*events, ("register", {}), ("request_non_use_cancellation", {"opponent": "zhao"}),
             ("maintain_registration", {}), ("request_non_use_cancellation", {"opponent": "qian"})]
    assert requesters_to_notify("cancel_for_non_use", later) == ["qian"]  # zhao's request was answered
    assert requesters_to_notify("register", later) == []


# --- reason details as data (domain.reason_details) -----------------------------------------------------------

@pytest.mark.parametrize(("mark", "earlier", "pairs"), [
    ("T0PGUN", "TOPGUN", "0/O"), ("FAIRP1AY", "FAIRPLAY", "1/L"), ("5KYRIM", "Skyrim", "5/S"),
    ("TOPGUN", "TOPGUN", ""), ("TOPGUN", "TOPGUNS", ""), ("ABCD", "XYZ", ""), ("Straße", "STRASSE", ""),
])
def test_look_alike_pairs_name_the_characters_that_differ(mark: str, earlier: str, pairs: str) -> None:
    assert look_alike_pairs(mark, earlier) == pairs


def test_every_detail_code_is_written_in_both_languages_with_the_same_params() -> None:
    import string

    for code, english in ENGLISH.items():
        zh = CATALOGUE["zh"][f"tm.detail.{code}"]
        assert CATALOGUE["en"][f"tm.detail.{code}"] == english
        names = {n for _, n, _, _ in string.Formatter().parse(english) if n}
        assert names == {n for _, n, _, _ in string.Formatter().parse(zh) if n}, code
        assert detail_text(code, tuple((n, "x") for n in names))


def test_a_conflict_reason_keeps_its_detail_as_data_through_its_dict() -> None:
    found = simple_conflict("Lumina", [9], MarkRecord("ILTM-1", "LUMINA", (9,)))
    assert found is not None
    stored = [r.as_dict() for r in found.reasons]
    assert stored[0] == {"kind": "identical", "detail": "'LUMINA' is the same word mark", "code": "conflict.identical",
                         "params": {"mark": "LUMINA"}}
    assert tuple(ConflictReason.from_dict(r) for r in stored) == found.reasons
    assert ConflictReason.from_dict({"kind": "identical", "detail": "old"}) == ConflictReason("identical", "old")
