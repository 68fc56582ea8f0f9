"""Conveyance wordings → types (the packaged vocabulary), reel/frame references, release pairing, chain order."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ipoffice.adapters.conveyance_vocabulary import (
    ConveyanceVocabularyError,
    load_conveyance_vocabulary,
    parse_conveyance_vocabulary,
)
from ipoffice.domain.assignments import (
    Assignee,
    Assignment,
    Assignor,
    Property,
    chain_of_title,
    pair_releases,
    party_key,
    property_key,
    with_references,
)
from ipoffice.domain.conveyances import (
    CONVEYANCE_TYPES,
    Classification,
    assignors_are_inventors,
    by_parties,
    normalise_conveyance,
    referenced_reel_frames,
)
from ipoffice.domain.errors import InvalidField

# Real USPTO wordings (the records in ../shared/data/us_assignments, the Assignment Search facets) and
# variants of our own: spacing, case, punctuation, the boilerplate, reel/frame references.
WORDINGS = [
    ("ASSIGNMENT OF ASSIGNORS INTEREST (SEE DOCUMENT FOR DETAILS).", "assignment"),
    ("Assignment of assignors interest (see document for details)", "assignment"),
    ("ASSIGNMENT OF ASSIGNOR'S INTEREST", "assignment"),
    ("NUNC PRO TUNC ASSIGNMENT (SEE DOCUMENT FOR DETAILS).", "assignment"),
    ("NUNC PRO TUNC ASSIGNMENT EFFECTIVE 01/01/2005", "assignment"),
    ("CONDITIONAL ASSIGNMENT", "assignment"),
    ("DECREE OF DISTRIBUTION", "assignment"),
    ("LETTERS OF TESTAMENTARY", "assignment"),
    ("LETTERS OF ADMINISTRATION (SEE DOCUMENT FOR DETAILS).", "assignment"),
    ("COURT ORDER", "assignment"),
    ("PATENT TRANSFER AGREEMENT", "assignment"),
    ("BILL OF SALE", "assignment"),
    ("EMPLOYMENT AGREEMENT", "employee_assignment"),
    ("EMPLOYEE AGREEMENT (SEE DOCUMENT FOR DETAILS).", "employee_assignment"),
    ("CONFIDENTIAL INFORMATION AND INVENTION ASSIGNMENT AGREEMENT", "employee_assignment"),
    ("PROPRIETARY INFORMATION AND INVENTIONS AGREEMENT", "employee_assignment"),
    ("SECURITY INTEREST (SEE DOCUMENT FOR DETAILS).", "security_interest"),
    ("security interest", "security_interest"),
    ("PATENT SECURITY AGREEMENT", "security_interest"),
    ("NOTICE OF GRANT OF SECURITY INTEREST IN PATENTS", "security_interest"),
    ("GRANT OF SECURITY INTEREST IN PATENT RIGHTS", "security_interest"),
    ("INTELLECTUAL PROPERTY SECURITY AGREEMENT", "security_interest"),
    ("LIEN (SEE DOCUMENT FOR DETAILS).", "security_interest"),
    ("MORTGAGE (SEE DOCUMENT FOR DETAILS).", "security_interest"),
    ("PLEDGE AGREEMENT", "security_interest"),
    ("COLLATERAL ASSIGNMENT OF PATENTS", "security_interest"),
    ("RELEASE BY SECURED PARTY (SEE DOCUMENT FOR DETAILS).", "release_of_security_interest"),
    ("TERMINATION AND RELEASE OF PATENT SECURITY AGREEMENT RECORDED AT REEL 048818/FRAME 0520",
     "release_of_security_interest"),
    ("RELEASE OF SECURITY INTEREST IN PATENTS", "release_of_security_interest"),
    ("RELEASE OF SECURITY INTEREST RECORDED AT REEL/FRAME 031234/0567", "release_of_security_interest"),
    ("PATENT SECURITY INTEREST RELEASE", "release_of_security_interest"),
    ("TERMINATION OF SECURITY INTEREST", "release_of_security_interest"),
    ("RELEASE OF LIEN", "release_of_security_interest"),
    ("SATISFACTION OF MORTGAGE", "release_of_security_interest"),
    ("RELEASE (REEL 012345 / FRAME 0678)", "release_of_security_interest"),
    ("PARTIAL RELEASE", "release_of_security_interest"),
    ("RELEASE OF PATENTS", "release_of_security_interest"),
    ("REASSIGNMENT AND RELEASE OF SECURITY INTEREST", "release_of_security_interest"),
    ("MERGER (SEE DOCUMENT FOR DETAILS).", "merger"),
    ("MERGER AND CHANGE OF NAME (SEE DOCUMENT FOR DETAILS).", "merger"),
    ("CERTIFICATE OF AMALGAMATION", "merger"),
    ("CHANGE OF NAME (SEE DOCUMENT FOR DETAILS).", "change_of_name"),
    ("Change of Name", "change_of_name"),
    ("ENTITY CONVERSION", "change_of_name"),
    ("CERTIFICATE OF CONVERSION", "change_of_name"),
    ("LICENSE (SEE DOCUMENT FOR DETAILS).", "licence"),
    ("CONFIRMATORY LICENSE (SEE DOCUMENT FOR DETAILS).", "licence"),
    ("EXCLUSIVE LICENCE", "licence"),
    ("EXECUTIVE ORDER 9424, CONFIRMATORY LICENSE", "licence"),
    ("GOVERNMENT INTEREST AGREEMENT", "licence"),
    ("CORRECTIVE ASSIGNMENT TO CORRECT THE ASSIGNEE NAME PREVIOUSLY RECORDED AT REEL: 012345 FRAME: 0678. "
     "ASSIGNOR(S) HEREBY CONFIRMS THE ASSIGNMENT.", "correction"),
    ("CORRECTIVE ASSIGNMENT TO CORRECT THE RECEIVING PARTY DATA PREVIOUSLY RECORDED ON REEL 043433 FRAME 0231",
     "correction"),
    ("CORRECTIVE ASSIGNMENT TO CORRECT THE SECURITY INTEREST PREVIOUSLY RECORDED AT REEL 048818/0520", "correction"),
    ("ASSIGNMENT TO CORRECT THE SPELLING OF THE INVENTOR'S NAME", "correction"),
    ("CORRECTION OF ERROR IN COVER SHEET", "correction"),
    ("DOCUMENT ERRONEOUSLY RECORDED", "correction"),
    ("OPTION (SEE DOCUMENT FOR DETAILS).", "other"),
    ("COURT APPOINTMENT", "assignment"),
    ("AFFIDAVIT", "other"),
    ("", "other"),
]


@pytest.mark.parametrize(("text", "expected"), WORDINGS)
def test_each_wording_gets_its_type(text: str, expected: str) -> None:
    assert load_conveyance_vocabulary().classify(text).type == expected


def test_every_type_is_reached_by_some_wording() -> None:
    assert {t for _, t in WORDINGS} == set(CONVEYANCE_TYPES)


def test_the_boilerplate_is_dropped_before_matching() -> None:
    assert normalise_conveyance("  security   interest (see document for details).") == "SECURITY INTEREST"


def test_the_deciding_rule_is_named() -> None:
    c = load_conveyance_vocabulary().classify("SECURITY INTEREST (SEE DOCUMENT FOR DETAILS).")
    assert c.type == "security_interest" and c.pattern is not None and "SECURITY" in c.pattern
    assert load_conveyance_vocabulary().classify("AFFIDAVIT").pattern is None


@pytest.mark.parametrize(("text", "expected"), [
    ("TERMINATION AND RELEASE OF PATENT SECURITY AGREEMENT RECORDED AT REEL 048818/FRAME 0520", [(48818, 520)]),
    ("RELEASE OF SECURITY INTEREST RECORDED AT REEL/FRAME 031234/0567", [(31234, 567)]),
    ("PREVIOUSLY RECORDED AT REEL: 012345 FRAME: 0678", [(12345, 678)]),
    ("RECORDED ON REEL 43433 AND FRAME 231; ALSO REEL 1 FRAME 2", [(43433, 231), (1, 2)]),
    ("REEL/FRAME: 045210/0369 AND REEL/FRAME: 045210/0369", [(45210, 369)]),
    ("SECURITY INTEREST (SEE DOCUMENT FOR DETAILS).", []),
])
def test_referenced_recordings_are_read_from_the_text(text: str, expected: list[tuple[int, int]]) -> None:
    assert referenced_reel_frames(text) == expected


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("patterns: []", "'updated'"),
    ("source: x\nupdated: 2026-11-30\npatterns:\n  - {type: sale, pattern: SALE}", "unknown type 'sale'"),
    ("source: x\nupdated: 2026-11-30\npatterns:\n  - {type: licence, pattern: '(LICEN'}", "missing )"),
    ("source: x\nupdated: 2026-11-30\npatterns:\n  - {type: licence}", "patterns[0]"),
])
def test_a_bad_vocabulary_is_refused_naming_the_entry(yaml_text: str, message: str) -> None:
    with pytest.raises(ConveyanceVocabularyError, match=re.escape(message)):
        parse_conveyance_vocabulary(yaml_text, "test.yaml")


def _recording(reel: int, frame: int, kind: str, assignors: list[str], assignees: list[str], recorded: date,
               text: str = "", numbers: tuple[str, ...] = ("10000001",)) -> Assignment:
    return with_references(Assignment(
        reel, frame, recorded, text or kind.upper(), kind, tuple(Assignor(n, recorded) for n in assignors),
        tuple(Assignee(n) for n in assignees), tuple(Property(patent_number=n) for n in numbers)))


def test_a_release_pairs_with_the_interest_it_names_even_with_another_candidate() -> None:
    si_a = _recording(100, 1, "security_interest", ["DEBTOR INC."], ["BANK, AS ADMINISTRATIVE AGENT"], date(2019, 1, 1))
    si_b = _recording(100, 2, "security_interest", ["DEBTOR INC."], ["BANK"], date(2019, 2, 1))
    release = _recording(200, 3, "release_of_security_interest", ["BANK"], ["DEBTOR INC."], date(2019, 5, 1),
                         text="RELEASE OF SECURITY INTEREST RECORDED AT REEL 000100/FRAME 0001")
    pairs = pair_releases([si_a, si_b, release])
    assert [(p.release, p.security_interest, p.how) for p in pairs] == [("000200/0003", "000100/0001", "reference")]


def test_without_a_reference_the_latest_matching_interest_of_the_same_parties_is_released() -> None:
    old = _recording(10, 1, "security_interest", ["DEBTOR INC."], ["LENDER LLC, AS COLLATERAL AGENT"], date(2018, 1, 1))
    new = _recording(11, 1, "security_interest", ["DEBTOR INC."], ["LENDER LLC"], date(2018, 6, 1))
    other = _recording(12, 1, "security_interest", ["DEBTOR INC."], ["SOMEONE ELSE"], date(2018, 7, 1))
    later = _recording(13, 1, "security_interest", ["DEBTOR INC."], ["LENDER LLC"], date(2020, 1, 1))
    release = _recording(20, 1, "release_of_security_interest", ["LENDER LLC"], ["DEBTOR INC."], date(2019, 1, 1))
    second = _recording(21, 1, "release_of_security_interest", ["LENDER LLC"], ["DEBTOR INC."], date(2019, 2, 1))
    pairs = {p.release: p.security_interest for p in pair_releases([old, new, other, later, release, second])}
    assert pairs == {"000020/0001": "000011/0001", "000021/0001": "000010/0001"}  # never one interest twice


def test_a_release_of_other_properties_or_parties_pairs_with_nothing() -> None:
    si = _recording(10, 1, "security_interest", ["DEBTOR INC."], ["LENDER LLC"], date(2018, 1, 1))
    elsewhere = _recording(20, 1, "release_of_security_interest", ["LENDER LLC"], ["DEBTOR INC."],
                           date(2019, 1, 1), numbers=("99999999",))
    stranger = _recording(21, 1, "release_of_security_interest", ["OTHER BANK"], ["DEBTOR INC."], date(2019, 1, 1))
    assert pair_releases([si, elsewhere, stranger]) == []


@pytest.mark.parametrize(("name", "key"), [
    ("U.S. BANK NATIONAL ASSOCIATION, AS ADMINISTRATIVE AGENT", "US BANK NATIONAL ASSOCIATION"),
    ("U.S. BANK NATIONAL ASSOCIATION, AS ADMINSTRATIVE AGENT", "US BANK NATIONAL ASSOCIATION"),
    ("BANK OF AMERICA, N.A., AS COLLATERAL AGENT", "BANK OF AMERICA NA"),
    ("WILMINGTON TRUST, AS NOTES TRUSTEE", "WILMINGTON TRUST"),
    ("PIPER JAFFRAY FINANCE, LLC", "PIPER JAFFRAY FINANCE LLC"),
])
def test_capacity_suffixes_are_not_part_of_the_party(name: str, key: str) -> None:
    assert party_key(name) == key


@pytest.mark.parametrize(("number", "key"), [
    ("US 7,130,913 B2", "7130913"), ("7130913", "7130913"), ("15/123,456", "15123456"),
    ("US20040073746A1", "20040073746"), ("US 2017-0071586 A1", "20170071586"), ("09210491", "9210491"),
])
def test_numbers_are_compared_without_prefix_kind_or_separators(number: str, key: str) -> None:
    assert property_key(number) == key


def test_chain_order_is_by_execution_then_recording() -> None:
    a = _recording(3, 1, "assignment", ["INVENTOR"], ["FIRST LLC"], date(2014, 5, 9))
    b = _recording(1, 1, "assignment", ["FIRST LLC"], ["SECOND LLC"], date(2016, 1, 1))
    c = _recording(2, 1, "assignment", ["X"], ["Y"], date(2016, 1, 1), numbers=("55555555",))
    assert [x.reel for x in chain_of_title([b, c, a], "US10000001")] == [3, 1]


@pytest.mark.parametrize(("change", "field"), [
    ({"reel": 0}, "reel"), ({"conveyance_text": " "}, "conveyance_text"),
    ({"conveyance_type": "sale"}, "conveyance_type"),
    ({"assignors": ()}, "assignors"), ({"assignees": (Assignee(""),)}, "assignees[0].name"),
    ({"properties": (Property(),)}, "properties[0]"),
])
def test_a_bad_recording_names_its_field(change: dict[str, object], field: str) -> None:
    from dataclasses import replace

    good = _recording(1, 1, "assignment", ["A"], ["B"], date(2020, 1, 1))
    good.validate()
    with pytest.raises(InvalidField) as err:
        replace(good, **change).validate()  # type: ignore[arg-type]
    assert err.value.field == field


@pytest.mark.parametrize(("assignors", "inventors", "expected"), [
    (["LIU, WENJUN", "RAMM, ROBERT JAMES"], ["Wenjun Liu", "Robert James Ramm", "Dino Sasaridis"], True),
    (["BROUSSARD, JOEL", "MCPHERSON, JEFF"], ["Joel N. Broussard", "Jeff McPherson", "Robert Kurtz"], True),
    (["WANG, MARVIN "], ["Marvin Wang"], True),
    (["LIU, WENJUN", "SMITH, JOHN"], ["Wenjun Liu"], False),  # one assignor is no inventor
    (["REALTIME DATA COMPRESSION SYSTEMS, INC."], ["James J. Fallon"], False),
    (["FALLON"], ["James J. Fallon"], False),  # a single word is not enough to tell a person
    ([], ["James J. Fallon"], False),
])
def test_the_inventors_own_assignment_is_recognised(assignors: list[str], inventors: list[str], expected: bool) -> None:
    assert assignors_are_inventors(assignors, inventors) is expected


def test_only_an_assignment_is_retyped_by_its_parties() -> None:
    people, inventors = ["LIU, WENJUN"], ["Wenjun Liu"]
    assert by_parties(Classification("assignment", "x"), people, inventors).type == "employee_assignment"
    assert by_parties(Classification("security_interest", "x"), people, inventors).type == "security_interest"
    assert by_parties(Classification("assignment", "x"), ["ACME INC."], inventors) == Classification("assignment", "x")
