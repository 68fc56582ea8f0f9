"""Locarno and USPC symbols (#13 case 7): kept, normalised, searchable keys."""

from __future__ import annotations

import pytest

from ipoffice.domain.classification import Scheme, normalise_locarno, normalise_uspc, scheme_keys
from ipoffice.domain.document import Classification
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.query import QueryError, Term, parse_query


@pytest.mark.parametrize(("raw", "expected"), [
    ("D 2700", "D2/700"),  # the bug report's design: class D2, subclass 700
    ("  2322", "2/322"),  # class 2, subclass 322
    ("D 2909", "D2/909"),
    (" D2866", "D2/866"),
    ("  2 52", "2/52"),
    (" 36  4", "36/4"),
    ("424 941", "424/94.1"),  # three characters of class, three of subclass, then decimals
    (" 7245306", "72/453.06"),
    ("16510425", "165/104.25"),
    (" 622592", "62/259.2"),
    (" 12142 E", "12/142E"),
    ("PLT263", "PLT/263"),
    ("002069000", "2/69"),  # pap v1.5: class and subclass elements joined
    ("134031000", "134/31"),
    ("4675", "4/675"),  # a re-indented file lost the leading spaces
    ("428/220", "428/220"),
    ("D02/700", "D2/700"),
    ("D2", "D2"),
    ("424", "424"),
])
def test_uspc(raw: str, expected: str) -> None:
    assert normalise_uspc(raw) == expected
    assert Classification.of(Scheme.USPC, raw).symbol == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("0201", "02-01"), ("02-01", "02-01"), ("2.1", "02-01"), ("Cl. 02-01", "02-01"), ("1401", "14-01"),
    ("2", "02"), ("02", "02"), ("32-00", "32-00"),
    # variants of #13 case 7: as printed on US design patents and in Hague records
    ("LOC (10) Cl. 02-02", "02-02"), ("LOC(13) 02-02", "02-02"), ("Locarno 02-02", "02-02"), ("02/02", "02-02"),
    ("2-2", "02-02"), ("0200", "02-00"),
])
def test_locarno(raw: str, expected: str) -> None:
    assert normalise_locarno(raw) == expected
    assert Classification.of(Scheme.LOCARNO, raw).symbol == expected


@pytest.mark.parametrize(("scheme", "raw"), [
    (Scheme.LOCARNO, "H04W"), (Scheme.LOCARNO, "00-01"), (Scheme.LOCARNO, "123"),
    (Scheme.USPC, "???"), (Scheme.USPC, "1234/5/6"),
])
def test_invalid_symbols_name_the_field(scheme: Scheme, raw: str) -> None:
    with pytest.raises(InvalidField) as caught:
        Classification.of(scheme, raw)
    assert caught.value.field == f"classification.{scheme.lower()}"


def test_subclass_only_for_ipc_like_schemes() -> None:
    assert Classification.of(Scheme.IPC, "H04W 72/04").subclass_symbol == "H04W"
    assert Classification.of(Scheme.USPC, "D 2700").subclass_symbol is None
    assert Classification.of(Scheme.LOCARNO, "0201").subclass_symbol is None


def test_search_keys() -> None:
    assert scheme_keys(Scheme.LOCARNO, "02-01") == ["02", "02-01"]
    assert scheme_keys(Scheme.USPC, "D2/700") == ["D2", "D2/700"]
    assert scheme_keys(Scheme.USPC, "424/94.1") == ["424", "424/94", "424/94.1"]
    assert scheme_keys(Scheme.USPC, "D2") == ["D2"]


@pytest.mark.parametrize(("query", "field", "key"), [
    ("lc=02-01", "lc", "02-01"), ("lc=0201", "lc", "02-01"), ("lc=2", "lc", "02"),
    ("uc=D2/700", "uc", "D2/700"), ("uc=D2", "uc", "D2"), ("uc=2/322", "uc", "2/322"),
    ("uc=424/94.1", "uc", "424/94.1"),
    ('lc="LOC (10) Cl. 02-02"', "lc", "02-02"), ('lc="Cl. 02-01"', "lc", "02-01"), ("uc=D02/700", "uc", "D2/700"),
    ('uc="D 2700"', "uc", "D2/700"), ("uc=428/357", "uc", "428/357"),
])
def test_query_fields(query: str, field: str, key: str) -> None:
    assert parse_query(query) == Term(field, key)


@pytest.mark.parametrize("query", ["lc=xx", "uc=???"])
def test_query_field_errors(query: str) -> None:
    with pytest.raises(QueryError):
        parse_query(query)
