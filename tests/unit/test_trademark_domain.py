"""The trademark register key, printed-number look-up form, ST.66 feature and status words, Vienna codes."""

from __future__ import annotations

import pytest

from ipoffice.domain.classification import Scheme, normalise_in_scheme, scheme_keys
from ipoffice.domain.document import Document, GoodsAndServices, RightType
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import PublicationNumber, parse_number
from ipoffice.domain.trademark import (
    MarkDetails,
    MarkFeature,
    MarkStatus,
    is_trademark_number,
    mark_feature,
    mark_status,
    printed_key,
    trademark_number,
)


@pytest.mark.parametrize(("office", "printed", "key"), [
    ("AL", "AL/T/1996/001287", "ALTM-T-1996-001287"),
    ("KH", "KH/673426/M", "KHTM-673426-M"),
    ("TO", "2017/3420", "TOTM-2017-3420"),
    ("BR", "MMA1501730141", "BRTM-MMA1501730141"),
    ("ID", "DID2017000184", "IDTM-DID2017000184"),  # "DID…" does not repeat the office code ID
    ("IL", " 160158 ", "ILTM-160158"),
    ("sm", "sm/m/2010/000119", "SMTM-M-2010-000119"),
    ("US", "1234567", "USTM-1234567"),
])
def test_the_register_key_of_a_mark(office: str, printed: str, key: str) -> None:
    number = trademark_number(office, printed)
    assert number.compact == key
    assert is_trademark_number(number)
    assert PublicationNumber.parse(key) == number  # the key reads back as itself
    assert parse_number(key.lower()) == number


def test_a_mark_never_takes_the_key_of_a_patent_of_its_office() -> None:
    mark, patent = trademark_number("US", "1234567"), PublicationNumber.parse("US 1234567")
    assert mark.compact != patent.compact and mark.without_kind != patent.without_kind
    assert mark.serial != patent.serial  # the register finds a kind-less patent by country and serial
    assert not is_trademark_number(patent)
    assert PublicationNumber.parse("US 7,654,321 B2").compact == "US7654321B2"  # patents unchanged


@pytest.mark.parametrize("printed", ["", "///", "A" * 22])
def test_a_bad_application_number_is_refused_naming_it(printed: str) -> None:
    with pytest.raises(InvalidField) as e:
        trademark_number("AL", printed)
    assert e.value.field == "application_number"


@pytest.mark.parametrize(("printed", "office", "key"), [
    ("AL/T/1996/001287", "AL", "T1996001287"),
    ("AL/T/1996/001287", None, "ALT1996001287"),
    ("007650", "AL", "7650"),
    ("7650", None, "7650"),
    ("ＫＨ／６７３４２６／Ｍ", "KH", "673426M"),  # full-width forms, as typed on CJK keyboards
])
def test_printed_key(printed: str, office: str | None, key: str) -> None:
    assert printed_key(printed, office) == key


@pytest.mark.parametrize(("wording", "feature"), [
    ("Word", MarkFeature.WORD), ("COMBINED", MarkFeature.COMBINED), ("Figurative", MarkFeature.FIGURATIVE),
    ("Stylized characters", MarkFeature.STYLIZED), ("Three dimensional", MarkFeature.THREE_DIMENSIONAL),
    ("3-D", MarkFeature.THREE_DIMENSIONAL), ("Colour", MarkFeature.COLOUR), ("Sound", MarkFeature.SOUND),
    ("Merek Kata dan Lukisan", MarkFeature.COMBINED), ("Marchi Nazionale (Both Name and Logo)", MarkFeature.COMBINED),
    ("  word ", MarkFeature.WORD), ("Trademark/Service mark", None), ("", None), (None, None),
])
def test_mark_feature(wording: str | None, feature: MarkFeature | None) -> None:
    assert mark_feature(wording) == feature


@pytest.mark.parametrize(("word", "status"), [
    ("Registered", MarkStatus.REGISTERED), ("active", MarkStatus.REGISTERED), ("Expired", MarkStatus.EXPIRED),
    ("Rejected", MarkStatus.REFUSED), ("Examined", MarkStatus.PENDING), ("Depositado", MarkStatus.PENDING),
    ("deleted", MarkStatus.CANCELLED), ("Withdrawn", MarkStatus.WITHDRAWN), ("1058", None), (None, None),
])
def test_mark_status(word: str | None, status: MarkStatus | None) -> None:
    assert mark_status(word) == status
    assert MarkDetails(status_text=word).status == status


@pytest.mark.parametrize(("raw", "normalised"), [
    ("26.2", "26.02"), ("3.11.10", "03.11.10"), ("27.05.08", "27.05.08"), ("5.3", "05.03"), ("18.01.00", "18.01.00"),
    ("24 13", "24.13"), ("7", "07"),
])
def test_vienna_codes(raw: str, normalised: str) -> None:
    assert normalise_in_scheme(Scheme.VIENNA, raw) == normalised


@pytest.mark.parametrize("raw", ["30.1", "0.1", "26.2.3.4", "A.1", ""])
def test_bad_vienna_codes_are_refused(raw: str) -> None:
    with pytest.raises(InvalidField) as e:
        normalise_in_scheme(Scheme.VIENNA, raw)
    assert e.value.field == "classification.vienna"


def test_vienna_search_keys() -> None:
    assert scheme_keys(Scheme.VIENNA, "03.11.10") == ["03", "03.11", "03.11.10"]


def test_a_figurative_mark_needs_no_words_but_a_nice_class_must_exist() -> None:
    figurative = Document(trademark_number("PG", "PG/M/1/061818"), RightType.TRADEMARK,
                          mark=MarkDetails(feature=MarkFeature.FIGURATIVE))
    figurative.validate()
    with pytest.raises(InvalidField) as e:
        Document(trademark_number("PG", "1"), RightType.TRADEMARK).validate()
    assert e.value.field == "mark_text"
    with pytest.raises(InvalidField) as e:
        Document(trademark_number("PG", "1"), RightType.TRADEMARK, mark_text="X",
                 goods_and_services=[GoodsAndServices(0, "x")]).validate()
    assert e.value.field == "goods_and_services.nice_class"
