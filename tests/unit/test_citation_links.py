"""Citations resolved across kind-code conventions (#13 case 2), never linking different documents."""

from __future__ import annotations

import pytest

from ipoffice.domain.citation_links import canonical, citation_forms, parse_cited, resolve, same_series
from ipoffice.domain.numbers import PublicationNumber


def n(text: str) -> PublicationNumber:
    return PublicationNumber.parse(text)


def resolved(cited: str, *register: str) -> list[str]:
    found = parse_cited(cited)
    assert found is not None
    return sorted(p.compact for p in resolve(found, [n(r) for r in register]))


@pytest.mark.parametrize(("cited", "register", "expected"), [
    # the bug: US designs are cited with kind S and published as S1
    ("USD668832S", ["USD668832S1"], ["USD668832S1"]),
    ("US D668832 S", ["USD668832S1"], ["USD668832S1"]),
    ("US668832S", ["USD668832S1"], ["USD668832S1"]),  # a design cited without its D
    ("USD668832", ["USD668832S1"], ["USD668832S1"]),  # no kind
    ("USD668832S1", ["USD668832S1"], ["USD668832S1"]),
    # US utility grants: A (before 2001), B1, B2; reissues and plants
    ("US5000000A", ["US5000000A"], ["US5000000A"]),
    ("US7654321B1", ["US7654321B2"], ["US7654321B2"]),
    ("US7654321", ["US7654321B2"], ["US7654321B2"]),
    ("USRE38123E", ["USRE38123E1"], ["USRE38123E1"]),
    ("US38123E", ["USRE38123E1"], ["USRE38123E1"]),
    ("USPP12345P2", ["USPP12345P3"], ["USPP12345P3"]),
    ("US20050137607A1", ["US20050137607A2"], ["US20050137607A2"]),
    # EP: one number for A and B publications; the exact kind preferred
    ("EP1234567A1", ["EP1234567B1"], ["EP1234567B1"]),
    ("EP1234567A1", ["EP1234567A1", "EP1234567B1"], ["EP1234567A1"]),
    ("EP1234567A2", ["EP1234567A1"], ["EP1234567A1"]),
    ("EP1234567", ["EP1234567A1", "EP1234567B1"], ["EP1234567A1", "EP1234567B1"]),
    ("EP 0874807 B1", ["EP0874807B1"], ["EP0874807B1"]),
    # CN: A/B/C one application; U/Y utility models and S/D designs series of their own
    ("CN114081026A", ["CN114081026B"], ["CN114081026B"]),
    ("CN201234567Y", ["CN201234567U"], ["CN201234567U"]),
    ("CN301234567D", ["CN301234567S"], ["CN301234567S"]),
    ("WO2020123456A1", ["WO2020123456A3"], ["WO2020123456A3"]),
    ("JP2005123456A", ["JP2005123456A"], ["JP2005123456A"]),
])
def test_resolves_across_conventions(cited: str, register: list[str], expected: list[str]) -> None:
    assert resolved(cited, *register) == expected


@pytest.mark.parametrize(("cited", "register"), [
    # US serial collisions: a design's number and a utility patent's never link
    ("USD668832S", ["US668832A"]),
    ("US668832S", ["US668832A"]),
    ("US668832", ["USD668832S1"]),
    ("US668832B1", ["USD668832S1"]),
    ("US668832A", ["USD668832S1"]),
    ("USRE38123E", ["US38123A"]),
    ("US38123", ["USRE38123E1"]),
    # an application publication and a grant are different series in the US
    ("US5000000A", ["US5000000A1"]),
    ("US5000000A1", ["US5000000B1"]),
    # offices numbering publications and grants apart: an A and a B of one serial are different documents
    ("JP3456789A", ["JP3456789B2"]),
    ("KR100123456B1", ["KR100123456A"]),
    # CN inventions, utility models and designs never link one to another
    ("CN201234567U", ["CN201234567A"]),
    ("CN301234567S", ["CN301234567U"]),
    # other countries, other serials
    ("EP1234567A1", ["WO1234567A1", "EP1234568A1"]),
])
def test_never_links_different_documents(cited: str, register: list[str]) -> None:
    assert resolved(cited, *register) == []


def test_series() -> None:
    assert same_series("US", "S", "S1") and not same_series("US", "S", "B2")
    assert same_series("EP", "A1", "B1") and not same_series("JP", "A", "B2")
    assert same_series("JP", "B1", "B2") and same_series("KR", None, "A")


def test_canonical_and_forms() -> None:
    assert canonical(n("US668832S")).compact == "USD668832S"
    assert canonical(n("US20050137607A1")).compact == "US20050137607A1"
    forms = citation_forms(n("USD668832S1"))
    assert {"USD668832S", "USD668832S1", "USD668832", "US668832S"} <= set(forms)
    assert "US668832" not in forms and "US668832B1" not in forms and "USD668832B2" not in forms
    assert parse_cited("a journal article") is None and parse_cited(None) is None
