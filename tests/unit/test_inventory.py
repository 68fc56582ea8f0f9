"""Stock-patent inventory, pure: the suggested grade (each band's threshold on both sides, the reasons naming the
indicator and threshold, a right not in force never A), the packaged dated thresholds, the CSV reader (each bad
field named with its row, BOM, Chinese headers and intents), and the review order / self-review rules."""

from __future__ import annotations

from datetime import date

import pytest

from ipoffice.adapters.inventory_grading_loader import load_grading, load_grading_text
from ipoffice.adapters.rules_loader import RulesFileError
from ipoffice.domain import inventory as inv
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.inventory_csv import decode, parse
from ipoffice.domain.inventory_grading import Band, GradingRules, score, suggest

RULES = load_grading().in_force(date(2026, 11, 30))


def indicators(term: float | None = 0, citations: int = 0, family: int = 1, claims: int | None = 1,
               challenges: int = 0, ended: bool = False) -> dict[str, dict[str, object]]:
    return {"remaining_term": {"value": term, "ended": ended}, "forward_citations": {"value": citations},
            "family_size": {"value": family}, "claims": {"value": claims},
            "legal_events": {"value": challenges, "challenges": challenges}}


def test_packaged_thresholds_are_the_offices_own_and_cite_the_work_plan():
    assert RULES.office_own is True
    assert "国知发运字〔2024〕5号" in RULES.reference
    assert RULES.effective_from == date(2024, 1, 1)
    with pytest.raises(LookupError):
        load_grading().in_force(date(2023, 12, 31))


@pytest.mark.parametrize(("name", "below", "at", "points"), [
    ("remaining_term", 4.9, 5, 1), ("remaining_term", 9.9, 10, 2),
    ("forward_citations", 0, 1, 1), ("forward_citations", 2, 3, 2),
    ("family_size", 1, 2, 1), ("family_size", 2, 3, 2),
    ("claims", 9, 10, 1), ("challenges", 0, 1, -1),
])
def test_each_band_on_both_sides_of_its_threshold(name, below, at, points):
    bands = RULES.bands[name]
    met = score(name, at, bands)
    assert (met.met, met.points, met.threshold) == (True, points, at)
    assert f"≥ {at:g}" in met.text and name in met.text
    under = score(name, below, bands)
    assert under.points < points if points > 0 else under.points > points
    assert name in under.text


def test_unknown_value_scores_nothing_and_says_so():
    reason = score("remaining_term", None, RULES.bands["remaining_term"])
    assert (reason.points, reason.value) == (0, None) and "unknown" in reason.text


def test_grade_a_b_c_at_the_point_thresholds():
    a = suggest(indicators(term=12, citations=3, family=1, claims=10), "granted", RULES)  # 2+2+0+1 = 5
    assert (a.grade, a.points) == ("A", 5)
    just_b = suggest(indicators(term=12, citations=1, family=1, claims=10), "granted", RULES)  # 2+1+1 = 4
    assert (just_b.grade, just_b.points) == ("B", 4)
    b = suggest(indicators(term=12), "granted", RULES)  # 2
    assert (b.grade, b.points) == ("B", 2)
    c = suggest(indicators(term=6), "granted", RULES)  # 1
    assert (c.grade, c.points) == ("C", 1)
    assert [r.indicator for r in a.reasons] == ["remaining_term", "forward_citations", "family_size", "claims",
                                                "challenges"]
    assert a.as_dict()["thresholds_office_own"] is True


def test_a_challenge_costs_a_point():
    challenged = suggest(indicators(term=12, citations=3, claims=10, challenges=1), "granted", RULES)
    assert (challenged.grade, challenged.points) == ("B", 4)
    assert challenged.reasons[-1].text.startswith("challenges 1 ≥ 1: -1")


@pytest.mark.parametrize(("status", "ended"), [("expired", False), ("abandoned", False), ("granted", True)])
def test_a_right_not_in_force_is_flagged_and_never_a(status, ended):
    s = suggest(indicators(term=12, citations=5, family=4, claims=20, ended=ended), status, RULES)
    assert s.points == 7 and s.grade == "C" and s.flags == ("not_in_force",)


def test_grading_rules_refuse_bad_shapes():
    with pytest.raises(InvalidField, match="unknown indicator"):
        GradingRules(date(2024, 1, 1), "r", True, {"beauty": (Band(1, 1),)}, 5, 2)
    with pytest.raises(InvalidField, match="A needs more points"):
        GradingRules(date(2024, 1, 1), "r", True, {}, 2, 2)
    with pytest.raises(InvalidField, match="highest threshold first"):
        GradingRules(date(2024, 1, 1), "r", True, {"claims": (Band(1, 1), Band(5, 2))}, 5, 2)


def test_grading_file_errors_name_the_key():
    good = "versions:\n  - {effective_from: 2024-01-01, reference: r, bands: {claims: [{at_least: 10, points: 1}]}, " \
           "grades: {A: 5, B: 2}}\n"
    assert load_grading_text("f.yaml", good).in_force(date(2024, 1, 1)).bands["claims"] == (Band(10, 1),)
    with pytest.raises(RulesFileError, match=r"versions\[0\]\.bands\.claims\[0\]\.points"):
        load_grading_text("f.yaml", good.replace("points: 1", "points: one"))
    with pytest.raises(RulesFileError, match=r"versions\[0\]\.effective_from"):
        load_grading_text("f.yaml", good.replace("2024-01-01", "2024-13-01"))
    with pytest.raises(RulesFileError, match=r"versions\[0\]\.reference"):
        load_grading_text("f.yaml", good.replace("reference: r, ", ""))


# -- CSV -------------------------------------------------------------------------------------------------


def test_csv_with_bom_and_english_headers():
    text = decode("\ufeffnumber,department,contact,self_grade,conversion_intent,note\n"
                  "CN 1234567 B,Physics,Li,a,open licence,n1\n\n\"US 7,474,097 B2\",,,,,\n".encode())
    rows, errors = parse(text)
    assert errors == []
    assert [(r.row, r.number) for r in rows] == [(2, "CN 1234567 B"), (4, "US 7,474,097 B2")]
    assert rows[0].values == {"department": "Physics", "contact": "Li", "self_grade": "A",
                              "conversion_intent": "open_licence", "note": "n1"}
    assert rows[1].values == {}


def test_csv_with_chinese_headers_and_intents():
    rows, errors = parse("专利号,院系,联系人,自评等级,转化意向,备注\nZL201810358967.5,化学学院,王老师,B,开放许可,\n"
                         "CN1234567B,,,C,质押融资,\n")
    assert errors == []
    assert rows[0].values == {"department": "化学学院", "contact": "王老师", "self_grade": "B",
                              "conversion_intent": "open_licence"}
    assert rows[1].values["conversion_intent"] == "pledge_financing"


def test_every_bad_field_is_named_with_its_row():
    rows, errors = parse("number,self_grade,conversion_intent,note\n"
                         "CN1B,D,keep,\n"  # bad grade
                         "CN2B,A,sell,\n"  # bad intent
                         ",A,keep,\n"  # number missing
                         "CN1B,A,keep,\n"  # twice
                         f"CN3B,A,keep,{'x' * 501}\n"  # note too long
                         "CN4B,B,transfer,ok,extra\n"  # too many cells
                         "CN5B,B,licence,\n")
    assert [(e.row, e.field) for e in errors] == [(2, "self_grade"), (3, "conversion_intent"), (4, "number"),
                                                   (5, "number"), (6, "note"), (7, "row")]
    assert "A, B or C" in errors[0].reason and "transfer" in errors[1].reason and "row 2" in errors[3].reason
    assert str(errors[0]).startswith("row 2, self_grade:")
    assert [r.number for r in rows] == ["CN5B"]  # the good rows only; the caller writes nothing anyway


def test_header_problems():
    assert [(e.row, e.field) for e in parse("")[1]] == [(0, "header")]
    rows, errors = parse("department,colour\nPhysics,red\n")
    assert rows == [] and {(e.row, e.field) for e in errors} == {(1, "header"), (1, "number")}
    assert "colour" in {e.value for e in errors}
    assert [(e.field, e.value) for e in parse("number,number\nCN1B,CN1B\n")[1]] == [("header", "number")]


def test_unreadable_csv_is_one_file_error():
    rows, errors = parse("number,note\nCN1B," + "x" * 200_000 + "\n")  # beyond the csv module's cell limit
    assert rows == [] and [(e.row, e.field, e.code) for e in errors] == [(0, "file", "not_csv")]


def test_control_characters_are_refused_in_text():
    rows, errors = parse("number,note\nCN1B,a\x01b\n")
    assert [(e.row, e.field, e.code) for e in errors] == [(2, "note", "invalid_note")]
    assert "control characters" in errors[0].reason
    assert inv.check_text(" line one\nline two ", "note") == "line one\nline two"


def test_non_utf8_file_is_refused_naming_the_file():
    with pytest.raises(InvalidField, match="^file: must be UTF-8"):
        decode("number\nCN1B,物理\n".encode("gbk"))


# -- review order and self-review -------------------------------------------------------------------------


def ev(seq: int, code: str, actor: str, **payload: object) -> inv.Event:
    return inv.Event(seq, code, date(2026, 1, seq), actor, payload)


IMPORTED = ev(1, inv.IMPORTED, "keeper", conversion_intent="transfer")
ASSESSED = ev(2, inv.ASSESSED, "keeper", self_grade="A")
SUBMITTED = ev(3, inv.SUBMITTED, "keeper")


def test_fold_through_two_passes_into_the_library():
    s = inv.fold([IMPORTED, ASSESSED, SUBMITTED])
    assert (s.state, s.self_grade, s.conversion_intent, s.submitted_by) == (inv.UNDER_FIRST_REVIEW, "A",
                                                                               "transfer", "keeper")
    s = inv.fold([IMPORTED, ASSESSED, SUBMITTED, ev(4, inv.REVIEWED, "tto", level=1, decision="pass")])
    assert (s.state, s.first_reviewer, s.in_library) == (inv.UNDER_SECOND_REVIEW, "tto", False)
    s = inv.fold([IMPORTED, ASSESSED, SUBMITTED, ev(4, inv.REVIEWED, "tto", level=1, decision="pass"),
                  ev(5, inv.REVIEWED, "registrar", level=2, decision="pass")])
    assert (s.state, s.second_reviewer, s.in_library) == (inv.APPROVED, "registrar", True)


def test_an_approved_entry_kept_by_its_holder_is_not_in_the_library():
    keep = ev(2, inv.ASSESSED, "keeper", self_grade="B", conversion_intent="keep")
    s = inv.fold([IMPORTED, keep, SUBMITTED, ev(4, inv.REVIEWED, "tto", level=1, decision="pass"),
                  ev(5, inv.REVIEWED, "registrar", level=2, decision="pass")])
    assert s.state == inv.APPROVED and not s.in_library


def test_return_then_resubmit_clears_the_reviewers():
    returned = inv.fold([IMPORTED, ASSESSED, SUBMITTED, ev(4, inv.REVIEWED, "tto", level=1, decision="return",
                                                          reason="grade too high")])
    assert (returned.state, returned.returned_reason) == (inv.RETURNED, "grade too high")
    inv.check_editable(returned, "N")
    again = inv.fold([IMPORTED, ASSESSED, SUBMITTED,
                      ev(4, inv.REVIEWED, "tto", level=1, decision="return", reason="x"), ev(5, inv.SUBMITTED, "k2")])
    assert (again.state, again.first_reviewer, again.submitted_by) == (inv.UNDER_FIRST_REVIEW, None, "k2")


def test_review_order_is_enforced():
    draft = inv.fold([IMPORTED])
    with pytest.raises(inv.InventoryRefused) as first:
        inv.check_review(draft, "N", 1, "tto")
    assert first.value.code == "out_of_order" and first.value.params["state"] == inv.DRAFT
    submitted = inv.fold([IMPORTED, ASSESSED, SUBMITTED])
    with pytest.raises(inv.InventoryRefused) as second:
        inv.check_review(submitted, "N", 2, "registrar")
    assert second.value.code == "out_of_order" and second.value.params["needed"] == inv.UNDER_SECOND_REVIEW
    inv.check_review(submitted, "N", 1, "tto")  # in order: no refusal


def test_self_review_is_refused_at_both_levels():
    submitted = inv.fold([IMPORTED, ASSESSED, SUBMITTED])
    with pytest.raises(inv.InventoryRefused) as own:
        inv.check_review(submitted, "N", 1, "keeper")
    assert (own.value.code, own.value.params["role"]) == ("self_review", "submitter")
    passed = inv.fold([IMPORTED, ASSESSED, SUBMITTED, ev(4, inv.REVIEWED, "tto", level=1, decision="pass")])
    with pytest.raises(inv.InventoryRefused) as twice:
        inv.check_review(passed, "N", 2, "tto")
    assert (twice.value.code, twice.value.params["role"]) == ("self_review", "first_reviewer")
    inv.check_review(passed, "N", 2, "registrar")


def test_submit_needs_grade_and_intent_and_an_editable_entry():
    with pytest.raises(inv.InventoryRefused) as incomplete:
        inv.check_submit(inv.fold([IMPORTED]), "N")
    assert incomplete.value.code == "assessment_incomplete" and "self_grade" in str(incomplete.value)
    inv.check_submit(inv.fold([IMPORTED, ASSESSED]), "N")
    with pytest.raises(inv.InventoryRefused) as under_review:
        inv.check_submit(inv.fold([IMPORTED, ASSESSED, SUBMITTED]), "N")
    assert under_review.value.code == "not_editable"


def test_decision_and_date_checks():
    with pytest.raises(InvalidField, match="^decision"):
        inv.check_decision("approve", "")
    with pytest.raises(InvalidField, match="^reason"):
        inv.check_decision("return", " ")
    assert inv.check_decision("return", " why ") == ("return", "why")
    with pytest.raises(inv.InventoryRefused) as early:
        inv.check_in_order(inv.fold([IMPORTED, ASSESSED]), date(2026, 1, 1))
    assert early.value.code == "before_last_event"
