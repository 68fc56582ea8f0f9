"""The query language: trees of real examiner queries, error positions, and random input (hypothesis)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipoffice.domain.query import (
    FIELDS,
    KIND_UNKNOWN,
    And,
    DateRange,
    Not,
    Or,
    Phrase,
    Proximity,
    QueryError,
    Term,
    UnknownQueryField,
    constraints,
    free_text,
    number_query,
    parse_query,
    refine,
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


def pn_with_kind(compact: str, without_kind: str) -> Or:
    """A number with a kind code also matches the same number recorded without one (``KIND_UNKNOWN`` key)."""
    return Or((Term("pn", compact), Term("pn", without_kind + KIND_UNKNOWN)))


def test_publication_numbers_are_normalised() -> None:
    assert parse_query("pn=US7,654,321B2") == pn_with_kind("US7654321B2", "US7654321")
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
        assert isinstance(tree, Term | Phrase | Proximity | DateRange | And | Or | Not)


_ALPHABET = st.sampled_from(list('abcXYZ019 ()"=<>~*?-/,.:中文') + [
    "AND", "OR", "NOT", "ti", "ic", "pd", "within", "any", "all", "prox/distance<3", "prox/ordered", "pn", "ap",
    "ct", "num", "US", "ZL"])


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


# --- issue #13: Espacenet syntax and numbers -------------------------------------------------------

def test_any_all_and_within_as_on_espacenet() -> None:
    assert parse_query('ti any "yarn composite"') == Or((Term("ti", "yarn"), Term("ti", "composite")))
    assert parse_query('ti ALL "yarn composite"') == And((Term("ti", "yarn"), Term("ti", "composite")))
    assert parse_query("ab any glass") == Term("ab", "glass")
    assert parse_query('ic any "H04W A61K"') == Or((Term("ic", "H04W"), Term("ic", "A61K")))
    assert parse_query('pn any "EP1000000, EP1000001"') == Or((Term("pn", "EP1000000"), Term("pn", "EP1000001")))
    span = DateRange("pd", date(2005, 1, 1), date(2006, 12, 31))
    assert parse_query('pd within "2005, 2006"') == parse_query('pd within "2005,2006"') == span
    assert parse_query("pd=07/01/2008") == parse_query("pd=07.01.2008") == parse_query("pd=20080107")
    assert parse_query("pd=07/01/2008") == DateRange("pd", date(2008, 1, 7), date(2008, 1, 7))
    assert parse_query('pd="07/01/2008"') == parse_query("pd=07/01/2008")
    assert parse_query("pd within 2005,2006") == span


def test_words_that_are_field_names_stay_words_without_quotes() -> None:
    assert parse_query("in all cases") == And((Term(None, "in"), Term(None, "all"), Term(None, "cases")))


def test_espacenet_field_identifiers() -> None:
    assert parse_query("ipc=H04W") == Term("ic", "H04W")
    assert parse_query("cl=H04W72/04") == Or((Term("ic", "H04W72/04"), Term("cpc", "H04W72/04")))
    assert parse_query("cl=battery") == Term("cl", "battery")
    assert parse_query("ta=laser AND ia=smith") == And((Term("ta", "laser"), Term("ia", "smith")))


def test_proximity_operators() -> None:
    assert parse_query("mouse prox/distance<3 trap") == Proximity(None, "mouse", "trap", 3, False)
    assert parse_query("mouse PROX/DISTANCE<3/ORDERED trap") == Proximity(None, "mouse", "trap", 3, True)
    assert parse_query("ti=mouse prox/distance<=2 ti=trap") == Proximity("ti", "mouse", "trap", 3, False)
    assert parse_query('"mouse trap" prox/distance<5 spring OR x') == Or(
        (Proximity(None, "mouse trap", "spring", 5, False), Term(None, "x")))
    assert parse_query("a b prox/ordered c") == And((Term(None, "a"), Proximity(None, "b", "c", 21, True)))
    assert free_text(parse_query("ti=mouse prox/distance<3 ti=trap")) == "mouse trap"


def test_numbers_in_any_printed_form() -> None:
    assert parse_query('pn="US 2022/0159901 A1"') == pn_with_kind("US20220159901A1", "US20220159901")
    assert parse_query('pn="WO 2019/123456 A1"') == pn_with_kind("WO2019123456A1", "WO2019123456")
    assert parse_query("pn=ZL201810358967.5") == Term("ap", "CN201810358967")
    assert parse_query('ap="EP 01 963 450.0"') == Term("ap", "EP01963450")
    assert parse_query('pr="KR 10-2019-0012345"') == Term("pr", "KR1020190012345")
    assert parse_query('ct="US 8,421,271 B2"') == Term("ct", "US8421271B2")
    assert parse_query("US2022/0159901A1") == pn_with_kind("US20220159901A1", "US20220159901")  # bare: num
    assert parse_query('"EP 1 325 900 A1"') == pn_with_kind("EP1325900A1", "EP1325900")
    assert parse_query('num="JP 2019-123456"') == Or(
        (Term("pn", "JP2019123456"), Term("ap", "JP2019123456"), Term("pr", "JP2019123456")))
    assert parse_query('"is 100,000 units"') == Phrase(None, "is 100,000 units")


def test_quoted_chinese_is_a_phrase() -> None:
    assert parse_query('ti="标定激光雷达"') == Phrase("ti", "标定激光雷达")
    assert parse_query("ti=标定激光雷达") == Term("ti", "标定激光雷达")
    assert parse_query('ti="wireless"') == Term("ti", "wireless")


@pytest.mark.parametrize(("query", "position", "expected"), [
    ("mouse prox/unit=sentence trap", 6, "prox/unit=sentence is not supported"),
    ("mouse prox/distance<1 trap", 6, "prox/distance<1"),
    ("mouse prox/distance<500 trap", 6, "at most"),
    ("(a OR b) prox/distance<3 c", 9, "prox/distance<3 needs a word or a quoted phrase"),
    ("ti=a prox/distance<3 ab=b", 5, "one field on both sides"),
    ("prox/distance<3 a", 0, "needs a word or phrase on each side"),
    ("cpcc=C08F8/30", 0, "field 'cpcc' is not supported"),
    ('pd all "2005 2006"', 3, "'all' needs a text, name, number or classification field"),
    ('pd within "2005, 2006, 2007"', 10, "expected two dates"),
    ("pn=ZL201810358967.3", 3, "wrong check character"),
    ("ct=ZL201810358967.5", 3, "ct: 'ZL201810358967.5' is an application number"),
    ('ap="WO 2019/123456 A1"', 3, "ap: expected"),
    ("pn=hello", 3, "pn: expected a number"),
])
def test_issue_13_errors_name_the_construct_and_position(query: str, position: int, expected: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(query)
    assert info.value.position == position
    assert expected in str(info.value)


# Variants of #13 case 6 written for this project: Espacenet constructs either keep their meaning or are
# refused by name, never read as search words.
@pytest.mark.parametrize(("query", "named"), [
    ("ti=yarn sortBy pd/sort.descending", "sortBy"),
    ('ti exact "yarn composite"', "'exact'"),
    ('ti adj "yarn composite"', "'adj'"),
    ('claims exact "yarn"', "'exact'"),
    ("ti=yarn prox composite", "prox needs a distance"),
    ("ti=(yarn prox composite)", "prox needs a distance"),
    ("cpc=/low D02G3/04", "cpc=/low with a subgroup"),
    ("cpc=/low", "after cpc=/low"),
])
def test_espacenet_constructs_not_answered_are_refused_by_name(query: str, named: str) -> None:
    with pytest.raises(QueryError, match=named.replace("(", r"\(").replace(")", r"\)")):
        parse_query(query)


@pytest.mark.parametrize(("query", "expected"), [
    ("cpc=/low D02G3", Term("cpc", "D02G3")),  # a main group already covers its subgroups
    ("ipc=/low H04W", Term("ic", "H04W")),
    ("cl=/low D02G3", Or((Term("ic", "D02G3"), Term("cpc", "D02G3")))),
    ("in exact terms", And((Term(None, "in"), Term(None, "exact"), Term(None, "terms")))),  # English words stay
])
def test_espacenet_constructs_with_the_same_meaning(query: str, expected: object) -> None:
    assert parse_query(query) == expected


@pytest.mark.parametrize("query", ["ti=“yarn composite”", "ti=「yarn composite」", "ti＝＂yarn composite＂",
                                   "ti=『yarn composite』", "ti\u3000=\u3000\"yarn composite\""])
def test_quotes_and_signs_typed_by_cjk_input_methods_are_query_syntax(query: str) -> None:
    assert parse_query(query) == Phrase("ti", "yarn composite", 0)
    assert parse_query("ti＝（yarn OR fibre）") == Or((Term("ti", "yarn"), Term("ti", "fibre")))


@pytest.mark.parametrize(("query", "distance", "ordered"), [
    ("ti=yarn prox/distance<3/unit=word composite", 3, False),  # Espacenet's default unit, written out
    ("ti=yarn prox/unit=word/distance<3 composite", 3, False),
    ("ti=yarn prox/ordered/distance<3 composite", 3, True),  # modifiers in any order
    ("ti=yarn prox/distance<=2/ordered composite", 3, True),
])
def test_proximity_modifiers_in_any_order_with_the_word_unit(query: str, distance: int, ordered: bool) -> None:
    assert parse_query(query) == Proximity("ti", "yarn", "composite", distance, ordered)


@pytest.mark.parametrize("query", ["ti=yarn prox/unit=paragraph/distance<3 composite",
                                   "ti=yarn prox/unordered composite", "ti=yarn prox/distance<3/distance<4 composite"])
def test_proximity_modifiers_the_index_cannot_answer_are_refused_by_name(query: str) -> None:
    with pytest.raises(QueryError, match="prox/"):
        parse_query(query)
def test_and_binds_tighter_than_or_as_on_espacenet() -> None:
    a, b, c, d = (Term(None, w) for w in "abcd")
    assert parse_query("a OR b AND c") == Or((a, And((b, c))))
    assert parse_query("a AND b OR c AND d") == Or((And((a, b)), And((c, d))))
    assert parse_query("a OR b NOT c") == Or((a, And((b, Not(c)))))
    assert parse_query("(a OR b) AND c") == And((Or((a, b)), c))


@pytest.mark.parametrize(("query", "tree"), [
    ("wireless -charging", And((Term(None, "wireless"), Not(Term(None, "charging"))))),
    ("wireless +charging", And((Term(None, "wireless"), Term(None, "charging")))),
    ('coil -"wireless charging"', And((Term(None, "coil"), Not(Phrase(None, "wireless charging"))))),
    ("coil -(a OR b)", And((Term(None, "coil"), Not(Or((Term(None, "a"), Term(None, "b"))))))),
    ("coil -ti=pad", And((Term(None, "coil"), Not(Term("ti", "pad"))))),
    ("coil OR -pad", Or((Term(None, "coil"), Not(Term(None, "pad"))))),
    ("coil AND -pad", And((Term(None, "coil"), Not(Term(None, "pad"))))),
    ("ti=(coil -pad)", And((Term("ti", "coil"), Not(Term("ti", "pad"))))),
    ("-pad", Not(Term(None, "pad"))),
    ("无线 －充电", And((Term(None, "无线"), Not(Term(None, "充电"))))),  # full-width signs as IMEs type them
    ("无线 ＋充电", And((Term(None, "无线"), Term(None, "充电")))),
    ("anti-lock", Term(None, "anti-lock")),  # a hyphen inside a word is no sign
    ("pd>=2015-03", DateRange("pd", date(2015, 3, 1), None)),
])
def test_minus_excludes_and_plus_requires_as_in_web_search_engines(query: str, tree: object) -> None:
    assert parse_query(query) == tree


def test_a_sign_before_an_operator_is_an_error_at_its_position() -> None:
    with pytest.raises(QueryError) as error:
        parse_query("coil -AND pad")
    assert error.value.position == 6


@pytest.mark.parametrize(("query", "refined"), [
    ("wireless OR charging", "(wireless OR charging) AND ic=H04"),
    ("wireless charging", "wireless charging AND ic=H04"),
    ("a OR b AND c", "(a OR b AND c) AND ic=H04"),
    ("(a OR b) c", "(a OR b) c AND ic=H04"),
    ("a NOT b", "a NOT b AND ic=H04"),
])
def test_refine_restricts_the_whole_query(query: str, refined: str) -> None:
    assert refine(query, "ic=H04") == refined
    tree = parse_query(refined)
    assert isinstance(tree, And) and tree.items[-1] == Term("ic", "H04")
    restricted = tree.items[0] if len(tree.items) == 2 else And(tree.items[:-1])
    assert restricted == parse_query(query)


@pytest.mark.parametrize(("typed", "keys"), [
    ("US8421271B2", {"US8421271B2", "US8421271" + KIND_UNKNOWN}),
    ("US 2022/0159901 A1", {"US20220159901A1", "US20220159901" + KIND_UNKNOWN}),
    ("CN115982890A", {"CN115982890A", "CN115982890" + KIND_UNKNOWN}),
    ("8421271", {"US8421271", "EP8421271", "CN8421271"}),
    ("8,421,271", {"US8421271", "EP8421271", "CN8421271"}),
])
def test_a_search_box_holding_a_number_is_a_number_search(typed: str, keys: set[str]) -> None:
    query = number_query(typed)
    assert query is not None

    def pn_keys(node: object) -> set[str]:
        if isinstance(node, Term):
            return {node.text} if node.field == "pn" else set()
        return {k for item in getattr(node, "items", ()) for k in pn_keys(item)}

    assert keys <= pn_keys(parse_query(query))


@pytest.mark.parametrize("typed", ["wireless charging", "2010", "H04W", "pn=US8421271", "ti=US8421271",
                                   "US8421271 OR US7654321", "8421271 wireless"])
def test_a_search_box_holding_more_than_a_number_is_no_number_search(typed: str) -> None:
    assert number_query(typed) is None


@pytest.mark.parametrize(("query", "conditions"), [
    ('ti="wireless charging" AND pd>=2010', "pd>=2010"),
    ("wireless -charging", "NOT charging"),
    ("wireless charging AND ic=H02J AND pa=samsung", "ic=H02J AND pa=samsung"),
    ("(wireless OR charging) AND pd within \"2010 2012\"", 'pd within "2010 2012"'),
    ("pd>=2010 AND ic=H02J", "pd>=2010 AND ic=H02J"),
    ("wireless OR pd>=2010", None),  # an alternative, not a condition
    ("wireless charging", None),
])
def test_the_conditions_a_semantic_search_keeps(query: str, conditions: str | None) -> None:
    assert constraints(parse_query(query)) == (None if conditions is None else parse_query(conditions))
