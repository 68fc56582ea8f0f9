"""The query language: trees of real examiner queries, error positions, and random input (hypothesis)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipoffice.domain.query import (
    FIELDS,
    And,
    DateRange,
    Not,
    Or,
    Phrase,
    QueryError,
    Term,
    UnknownQueryField,
    free_text,
    parse_query,
    tokenize,
)


def test_plain_words_are_all_required_in_the_default_fields() -> None:
    assert parse_query("wireless charging") == And((Term(None, "wireless"), Term(None, "charging")))


def test_fields_phrases_and_operators() -> None:
    tree = parse_query('ti="wireless charging" AND pa=samsung OR ab=coil')
    assert tree == Or((
        And((Phrase("ti", "wireless charging"), Term("pa", "samsung"))),
        Term("ab", "coil"),
    ))


def test_and_binds_tighter_than_or_and_parentheses_override() -> None:
    assert parse_query("a OR b c") == Or((Term(None, "a"), And((Term(None, "b"), Term(None, "c")))))
    assert parse_query("(a OR b) c") == And((Or((Term(None, "a"), Term(None, "b"))), Term(None, "c")))


def test_not_is_binary_or_leading_and_operators_are_case_insensitive() -> None:
    assert parse_query("battery not lithium") == And((Term(None, "battery"), Not(Term(None, "lithium"))))
    assert parse_query("NOT cl=lithium") == Not(Term("cl", "lithium"))


def test_proximity_and_truncation() -> None:
    assert parse_query('"coil charging"~5') == Phrase(None, "coil charging", 5)
    term = parse_query("charg*")
    assert term == Term(None, "charg*") and isinstance(term, Term) and term.is_wildcard


def test_a_field_applies_to_a_whole_group() -> None:
    assert parse_query("ti=(wireless OR inductive)") == Or((Term("ti", "wireless"), Term("ti", "inductive")))


def test_classification_keys_keep_the_hierarchy_level() -> None:
    assert parse_query("ic=H04W") == Term("ic", "H04W")
    assert parse_query("ic=h04w72") == Term("ic", "H04W72")  # main group: all its subgroups
    assert parse_query("cpc=H04W72/04") == Term("cpc", "H04W72/04")
    assert parse_query('ic="H04W 72/0406"') == Term("ic", "H04W72/0406")
    assert parse_query("ic=H04W0072040000") == Term("ic", "H04W72/04")  # ST.8 fixed width


def test_classification_keys_above_the_main_group_are_upper_cased_without_spaces() -> None:
    assert parse_query("ic=h") == Term("ic", "H")
    assert parse_query("ic=H01") == Term("ic", "H01")
    assert parse_query('ic="h 01 l"') == Term("ic", "H01L")


def test_tokens_know_their_position_and_operator() -> None:
    tokens = [(t.kind, t.text, t.position, t.operator) for t in tokenize('  ti = "a b"~2 aNd (x)<=y ')]
    assert tokens == [
        ("word", "ti", 2, ""), ("comparison", "=", 5, ""), ("quoted phrase", "a b", 7, ""), ("'~'", "~", 12, ""),
        ("word", "2", 13, ""), ("word", "aNd", 15, "AND"), ("'('", "(", 19, ""), ("word", "x", 20, ""),
        ("')'", ")", 21, ""), ("comparison", "<=", 22, ""), ("word", "y", 24, ""), ("end of query", "", 26, ""),
    ]
    assert parse_query("a aNd b") == And((Term(None, "a"), Term(None, "b")))
    assert parse_query("ti=and") == Term("ti", "and")  # an operator's spelling is a value after '='


def test_publication_numbers_are_normalised() -> None:
    assert parse_query("pn=US7,654,321B2") == Term("pn", "US7654321B2")
    assert parse_query("pn=EP1325900") == Term("pn", "EP1325900")


def test_date_ranges() -> None:
    assert parse_query('pd within "2010 2012"') == DateRange("pd", date(2010, 1, 1), date(2012, 12, 31))
    assert parse_query("pd>=2015") == DateRange("pd", date(2015, 1, 1), None)
    assert parse_query("pd>2015") == DateRange("pd", date(2016, 1, 1), None)
    assert parse_query("ad<2012-05-01") == DateRange("ad", None, date(2012, 4, 30))
    assert parse_query("pd<=2012-02") == DateRange("pd", None, date(2012, 2, 29))
    assert parse_query("pd=20050104") == DateRange("pd", date(2005, 1, 4), date(2005, 1, 4))


def test_language_and_chinese_words() -> None:
    assert parse_query("lang=ZH 心理障碍") == And((Term("lang", "zh"), Term(None, "心理障碍")))


def test_free_text_drops_fields_filters_and_negations() -> None:
    tree = parse_query('ti="wireless charging" AND pd>=2015 AND ic=H02J NOT coil')
    assert free_text(tree) == "wireless charging"


@pytest.mark.parametrize(("query", "position", "expected"), [
    ("ti=foo AND (bar", 15, "expected ')' closing the '(' at position 11"),
    ("wireless AND", 12, "expected a search term"),
    ('"coil charging', 0, "unterminated phrase"),
    ('a "b', 2, "unterminated phrase"),
    ("ti=wire   AND", 13, "expected a search term, a phrase or '(', found end of query"),
    ("pd>=", 4, "expected a date after pd>=, found end of query"),
    ('"coil charging"~x', 16, "word distance"),
    ("pd>=2015-13", 4, "invalid date"),
    ('pd within "2012"', 10, 'expected two dates like "2010 2012"'),
    ("ic=Q99", 3, "classification symbol"),
    ("ti>=2015", 2, "expected '=' after ti"),
    ("a )", 2, "expected an operator or the end of the query"),
    ("", 0, "empty query"),
])
def test_syntax_errors_name_the_position_and_what_was_expected(query: str, position: int, expected: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(query)
    assert info.value.position == position
    assert expected in str(info.value)


def test_an_unknown_field_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownQueryField) as info:
        parse_query("wireless AND titel=charging")
    assert info.value.position == 13
    assert info.value.field == "titel"
    for name in FIELDS:
        assert f"{name} (" in str(info.value)


def _parses_or_names_a_position(text: str) -> None:
    try:
        tree = parse_query(text)
    except QueryError as exc:
        assert 0 <= exc.position <= len(text)
    else:
        assert isinstance(tree, Term | Phrase | DateRange | And | Or | Not)


_ALPHABET = st.sampled_from(list('abcXYZ019 ()"=<>~*?-/,.:中文') + ["AND", "OR", "NOT", "ti", "ic", "pd", "within"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=25).map("".join))
def test_random_query_language_input_never_raises_anything_but_query_error(text: str) -> None:
    _parses_or_names_a_position(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_random_unicode_never_raises_anything_but_query_error(text: str) -> None:
    _parses_or_names_a_position(text)


def test_parentheses_nested_too_deeply_are_a_query_error() -> None:
    from ipoffice.domain.query import MAX_NESTING

    assert parse_query("(" * MAX_NESTING + "a" + ")" * MAX_NESTING) is not None
    with pytest.raises(QueryError, match="nested too deeply") as error:
        parse_query("(" * 400 + "a" + ")" * 400)
    assert error.value.position == MAX_NESTING


@pytest.mark.parametrize("query", ["pd>=2300", "pd<1500", 'pd within "1200 2000"', "ad=2999-01-01"])
def test_dates_outside_the_engines_range_are_a_query_error(query: str) -> None:
    with pytest.raises(QueryError, match="date out of range"):
        parse_query(query)
