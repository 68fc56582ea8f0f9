"""Claim references read from a claim's words (#13 case 3): ranges, lists and "preceding", EN/ZH/DE/FR."""

from __future__ import annotations

import pytest

from ipoffice.domain.claim_references import claim_references


@pytest.mark.parametrize(("text", "number", "expected"), [
    # English ranges
    ("The throttle according to any one of claims 2 through 4, wherein", 5, (2, 3, 4)),
    ("according to any one of claims 2-4, wherein", 6, (2, 3, 4)),
    ("according to any one of claims 2–4, wherein", 6, (2, 3, 4)),
    ("according to any one of claims 2 — 4", 6, (2, 3, 4)),
    ("as claimed in any of claims 1 to 3", 5, (1, 2, 3)),
    ("The method of any one of claims 34 through 46", 47, tuple(range(34, 47))),
    ("The system of any of claims 20-22", 27, (20, 21, 22)),
    ("according to claims 1 thru 3", 4, (1, 2, 3)),
    # English lists
    ("The device of claim 1 or 2", 3, (1, 2)),
    ("The device of claims 1 and 2", 3, (1, 2)),
    ("The device of claim 1 and/or 2", 3, (1, 2)),
    ("The device of claims 1, 3 or 5", 6, (1, 3, 5)),
    ("The device of claims 1, 3, or 5", 6, (1, 3, 5)),
    ("The device of claim 1 or claim 2", 3, (1, 2)),
    ("The device of claims 1 to 3, 5 and 7 to 8", 9, (1, 2, 3, 5, 7, 8)),
    ("The device of claim 2 and 5-7", 8, (2, 5, 6, 7)),
    ("The device of Claim 3, wherein the pulley is steel", 4, (3,)),
    ("The device according to claim no. 3", 4, (3,)),
    # preceding claims
    ("The device of any preceding claim", 4, (1, 2, 3)),
    ("The device of any one of the preceding claims", 4, (1, 2, 3)),
    ("The device according to any of the previous claims", 3, (1, 2)),
    ("The device of any of the foregoing claims", 3, (1, 2)),
    ("The device according to the preceding claim", 4, (3,)),
    # Chinese
    ("如权利要求1所述的装置", 2, (1,)),
    ("如权利要求1至3任一项所述的装置", 5, (1, 2, 3)),
    ("根据权利要求1-3中任一项所述的装置", 5, (1, 2, 3)),
    ("根据权利要求1～3中任一项所述的装置", 5, (1, 2, 3)),
    ("根据权利要求1到3中任一项所述的装置", 5, (1, 2, 3)),
    ("如权利要求1或2所述的装置", 3, (1, 2)),
    ("如权利要求1、3或5所述的装置", 6, (1, 3, 5)),
    ("如权利要求１或２所述的装置", 3, (1, 2)),
    ("如权利要求 1 至 3 任一项所述", 4, (1, 2, 3)),
    ("根据前述权利要求中任一项所述的装置", 4, (1, 2, 3)),
    ("如上述任一项权利要求所述的装置", 3, (1, 2)),
    ("如權利要求1至2任一項所述", 3, (1, 2)),
    # German, French (EP claims come in three languages)
    ("Vorrichtung nach einem der Ansprüche 1 bis 3", 4, (1, 2, 3)),
    ("Vorrichtung nach Anspruch 1 oder 2", 3, (1, 2)),
    ("Vorrichtung nach einem der vorhergehenden Ansprüche", 3, (1, 2)),
    ("Dispositif selon l'une quelconque des revendications 1 à 3", 4, (1, 2, 3)),
    ("Dispositif selon la revendication 1 ou 2", 3, (1, 2)),
    ("Dispositif selon l'une des revendications précédentes", 3, (1, 2)),
])
def test_references(text: str, number: int, expected: tuple[int, ...]) -> None:
    assert claim_references(text, number) == expected


@pytest.mark.parametrize(("text", "number", "expected"), [
    ("A throttle comprising a pulley of 5 to 10 mm.", 1, ()),  # numbers without "claim" are no claims
    ("The device of claim 1, wherein 5 to 10 mm of cable", 2, (1,)),  # the list ends at "wherein"
    ("A device as claimed herein", 1, ()),
    ("The device of claims 1 to 100000", 2, (1, 100000)),  # no range of a hundred thousand claims
    ("The device of claim 3", 3, ()),  # its own number is no reference
    ("The device of claims 4 to 2", 5, (2, 4)),  # a backwards "range": both ends, nothing between
    ("", 1, ()),
])
def test_no_false_references(text: str, number: int, expected: tuple[int, ...]) -> None:
    assert claim_references(text, number) == expected


def test_window_reads_only_the_opening_words() -> None:
    text = "The device of claim 1, " + "x" * 300 + " unlike the device of claim 2"
    assert claim_references(text, 3, window=250) == (1,)
    assert claim_references(text, 3) == (1, 2)


# Variants of #13 case 3 written for this project.
@pytest.mark.parametrize(("text", "claim", "expected"), [
    ("The device of any one of claims 1 up to 3", 10, (1, 2, 3)),
    ("The device of claims 1 until 3", 10, (1, 2, 3)),
    ("根据权利要求1至权利要求3中任一项所述的装置", 10, (1, 2, 3)),  # the keyword repeated after 至
    ("根据权利要求1到权利要求4中任一项所述的装置", 10, (1, 2, 3, 4)),
    ("根据权利要求1－3任一项所述的装置", 10, (1, 2, 3)),  # full-width hyphen
    ("根据权利要求1−3任一项所述的装置", 10, (1, 2, 3)),  # minus sign
    ("根据权利要求1以及2所述的装置", 10, (1, 2)),
    ("根据权利要求1或者2所述的装置", 10, (1, 2)),
    ("根据权利要求1和/或2所述的装置", 10, (1, 2)),
    ("根据在先权利要求中任一项所述的装置", 5, (1, 2, 3, 4)),
    ("根据以上任一项权利要求所述的装置", 5, (1, 2, 3, 4)),
    ("根据前述各权利要求中任一项所述的装置", 5, (1, 2, 3, 4)),
    ("如先前任一項權利要求所述的裝置", 5, (1, 2, 3, 4)),
    ("The method of claim 1, wherein up to 3 layers are formed", 10, (1,)),
])
def test_other_wordings_of_ranges_lists_and_preceding_claims(text, claim, expected):
    assert claim_references(text, claim) == expected
