"""Every printed form of a publication or application number reads as one canonical key (issue #13, case 4)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import (
    ApplicationNumber,
    PublicationNumber,
    cn_check_character,
    parse_number,
)

PUBLICATIONS = {
    "US20220159901A1": ["US 2022 0159901 A1", "US 2022/0159901 A1", "US2022/0159901A1", "US 2022/0159901A1",
                        "US2022159901A1",
                        "US 2022-0159901 A1", "US20220159901A1", "us 2022/0159901 a1", "US-2022-0159901-A1",
                        "U.S. Patent Application Publication No. 2022/0159901 A1"],
    "US8421271B2": ["US 8,421,271 B2", "US8421271B2", "US 8421271 B2", "US-8421271-B2", "US 08421271 B2",
                    "US 8 421 271 B2", "ＵＳ８４２１２７１Ｂ２"],
    "US8421271": ["U.S. Pat. No. 8,421,271", "US Patent No. 8,421,271", "US 8,421,271", "U.S. 8,421,271"],
    "USD656476S1": ["US D656,476 S1", "USD656476S1", "US D 656476 S1", "US-D656476-S1"],
    "USRE43210E": ["US RE43,210 E", "USRE43210E"],
    "WO2019123456A1": ["WO 2019/123456 A1", "WO2019123456A1", "WO 2019/123456A1", "WO2019/123456 A1",
                       "WO/2019/123456 A1", "WO 2019 123456 A1",
                       "WO-2019123456-A1", "wo 2019/123456 a1"],
    "WO2001023241A2": ["WO 01/23241 A2", "WO0123241A2", "WO 01/023241 A2", "WO 2001/023241 A2", "WO2001023241A2"],
    "WO1999012345": ["WO 99/12345", "WO9912345"],
    "EP1325900A1": ["EP 1 325 900 A1", "EP1325900A1", "EP 1325900 A1", "EP01325900A1", "EP-1325900-A1",
                    "EP 1.325.900 A1"],
    "EP0874807B1": ["EP 0874807 B1", "EP874807B1", "EP 0 874 807 B1"],
    "CN115982890A": ["CN 115982890 A", "CN115982890A", "CN 115 982 890 A", "CN-115982890-A"],
    "JP2019123456A": ["JP 2019-123456 A", "JP2019123456A", "JP 2019/123456 A", "特開2019-123456", "JP-2019-123456-A"],
    "JP2019012345A": ["JP 2019-12345 A", "JP2019012345A"],
    "JPH05123456A": ["JP H05-123456 A", "JPH05123456A", "特開平5-123456", "JP H5-123456 A"],
    "JP6543210B2": ["JP 6543210 B2", "JP6543210B2", "特許第6543210号"],
    "KR20190012345A": ["KR 10-2019-0012345 A", "KR20190012345A", "KR 2019-0012345 A", "KR 1020190012345 A"],
    "KR101234567B1": ["KR 10-1234567 B1", "KR101234567B1"],
    "DE19733454A1": ["DE 197 33 454 A1", "DE19733454A1"],
}


@pytest.mark.parametrize(("printed", "key"), [(p, k) for k, forms in PUBLICATIONS.items() for p in forms])
def test_every_printed_form_of_a_publication_number_has_one_key(printed: str, key: str) -> None:
    assert PublicationNumber.parse(printed).compact == key


APPLICATIONS = {
    "CN201810358967": ["ZL201810358967.5", "ZL 201810358967.5", "ZL201810358967", "CN201810358967.5", "201810358967.5",
                       "CN 2018 1 0358967.5", "ZL 2018 1 0358967.5", "CN 201810358967",
                       "ＺＬ２０１８１０３５８９６７．５"],
    "CN99112345": ["ZL99112345.X", "ZL 99 1 12345.X"],
    "EP01963450": ["EP 01 963 450.0", "EP01963450.0", "EP 01963450", "EP01963450"],
    "US16123456": ["US 16/123,456", "US16/123456", "US 16/123456"],
    "US09725796": ["US 09/725,796", "US 9/725,796"],
    "WOUS2019012345": ["PCT/US2019/012345", "PCT/US19/12345", "PCT US 2019/012345"],
    "JP2019123456": ["特願2019-123456"],
}


@pytest.mark.parametrize(("printed", "key"), [(p, k) for k, forms in APPLICATIONS.items() for p in forms])
def test_application_forms_read_as_application_numbers(printed: str, key: str) -> None:
    number = parse_number(printed)
    assert isinstance(number, ApplicationNumber) and number.key == key
    assert ApplicationNumber.parse(printed).key == key


@pytest.mark.parametrize(("printed", "country", "key"), [
    ("9-290033", "JP", "JP09290033"), ("2002-156293", "JP", "JP2002156293"), ("197 33 454", "DE", "DE19733454"),
    ("19840645.2", "DE", "DE19840645"), ("09725796", "US", "US09725796"), ("01963450.0", "EP", "EP01963450"),
    ("03250605", "EP", "EP03250605"), ("10-2003-0008841", "KR", "KR1020030008841"),
    ("0315234.7", "GB", "GB315234"), ("60/123,456", "US", "US60123456"),
])
def test_priority_numbers_printed_without_their_country(printed: str, country: str, key: str) -> None:
    assert ApplicationNumber.parse(printed, default_country=country).key == key


def test_plain_digits_read_as_an_application_number_when_asked() -> None:
    assert ApplicationNumber.parse("US 16123456").key == "US16123456"
    assert isinstance(parse_number("US 16123456"), PublicationNumber)  # without the slash: a publication


def test_a_korean_application_is_found_with_and_without_its_right_type() -> None:
    assert ApplicationNumber.parse("KR 10-2019-0012345").keys == ("KR1020190012345", "KR20190012345")


def test_a_chinese_check_character_is_verified() -> None:
    assert cn_check_character("201810358967") == "5"
    with pytest.raises(InvalidField, match="check character '5'"):
        ApplicationNumber.parse("ZL201810358967.3")


@pytest.mark.parametrize("raw", ["ZL201810358967.5", "CN 201810358967.5", "EP 01963450.0", "US 16/123,456"])
def test_an_application_number_is_not_taken_for_a_publication(raw: str) -> None:
    with pytest.raises(InvalidField, match="is an application number"):
        PublicationNumber.parse(raw)


@pytest.mark.parametrize("raw", ["US 2022/0159901 A1", "WO 2019/123456 A1", "EP 1 325 900 A1"])
def test_a_kind_code_makes_it_no_application_number(raw: str) -> None:
    with pytest.raises(InvalidField, match="kind code"):
        ApplicationNumber.parse(raw)


@pytest.mark.parametrize("raw", ["", "US", "12345", "USA 123", "US 12A34", "ZL12345.6", "mouse trap"])
def test_what_is_not_a_number_is_refused_with_the_field(raw: str) -> None:
    with pytest.raises(InvalidField):
        parse_number(raw)


def test_register_keys_of_imported_documents_are_unchanged() -> None:
    for key in ("US7643833B2", "US20010000001A1", "USD656476S1", "EP1325900A1", "CN118866379A", "USPP12345P3"):
        assert PublicationNumber.parse(key).compact == key


# --- properties ----------------------------------------------------------------------------------

def _grouped(digits: str, separator: str) -> str:
    """Digits in groups of three from the right: 8421271 → 8,421,271."""
    head = len(digits) % 3 or 3
    return separator.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


@given(st.integers(1, 99_999_999), st.sampled_from(["", " "]), st.sampled_from([",", " ", ""]),
       st.sampled_from([None, "A", "B1", "B2"]), st.sampled_from(["", "0"]))
def test_us_patents_with_any_separators_kind_codes_and_leading_zeros(
        serial: int, space: str, separator: str, kind: str | None, zero: str) -> None:
    printed = f"US{space}{zero}{_grouped(str(serial), separator)}{space}{kind or ''}"
    assert PublicationNumber.parse(printed).compact == f"US{serial}{kind or ''}"


@given(st.integers(2001, 2030), st.integers(1, 9_999_999), st.sampled_from(["/", "-", ""]),
       st.sampled_from(["A1", "A2", "A9"]), st.sampled_from(["", " "]))
def test_us_publications_in_every_form(year: int, serial: int, separator: str, kind: str, space: str) -> None:
    expected = f"US{year}{serial:07d}{kind}"
    assert PublicationNumber.parse(f"US{space}{year}{separator}{serial:07d}{space}{kind}").compact == expected
    if serial < 1_000_000:  # the EPO writes the serial in six digits: US2019141884A1
        assert PublicationNumber.parse(f"US{year}{serial:06d}{kind}").compact == expected


@given(st.integers(2004, 2030), st.integers(1, 999_999), st.sampled_from(["/", ""]), st.sampled_from(["", " "]))
def test_wo_publications_in_every_form(year: int, serial: int, separator: str, space: str) -> None:
    assert PublicationNumber.parse(f"WO{space}{year}{separator}{serial:06d}{space}A1").compact == \
        f"WO{year}{serial:06d}A1"


@given(st.integers(0, 10**12 - 1))
def test_every_cn_application_with_its_check_character_reads_back(n: int) -> None:
    digits = f"{n:012d}"
    check = cn_check_character(digits)
    for printed in (f"ZL{digits}.{check}", f"CN {digits[:4]} {digits[4]} {digits[5:]}.{check}"):
        assert ApplicationNumber.parse(printed).key == f"CN{digits}"


@given(st.text(max_size=30))
def test_random_text_is_a_number_or_invalid_field(text: str) -> None:
    with contextlib.suppress(InvalidField):
        parse_number(text)


@pytest.mark.parametrize("key", [*PUBLICATIONS, "JP0723484A", "JPS63312435A", "WO2000001046", "EP0000123B1"])
def test_a_key_reads_back_as_itself(key: str) -> None:
    assert PublicationNumber.parse(key).compact == key
    assert PublicationNumber.parse(PublicationNumber.parse(key).without_kind).compact == \
        PublicationNumber.parse(key).without_kind


@given(st.sampled_from(sorted(PUBLICATIONS)), st.sampled_from(["US", "EP", "WO", "CN", "JP", "KR", "DE"]))
def test_from_parts_agrees_with_parse(key: str, country: str) -> None:
    number = PublicationNumber.parse(key)
    assert PublicationNumber.from_parts(number.country, number.serial, number.kind) == number
    digits = "".join(c for c in number.serial if c.isdigit())

    def outcome(make: Callable[[], PublicationNumber]) -> PublicationNumber | str:
        try:
            return make()
        except InvalidField as error:  # EP 19733454: an application number, either way
            return error.field
    assert outcome(lambda: PublicationNumber.from_parts(country, digits)) == \
        outcome(lambda: PublicationNumber.parse(f"{country} {digits}"))


# Variants of #13 case 4 written for this project: how numbers are printed in sentences, citation lists,
# Chinese and Japanese documents (labels, 号公報, registered utility models, designs, era kanji).
@pytest.mark.parametrize(("printed", "key"), [
    ("US 2022/0159901 A1.", "US20220159901A1"),  # end of a sentence
    ("US 2022/0159901 A1;", "US20220159901A1"),
    ("US 7,158,266 B2 (Smith)", "US7158266B2"),  # citation list with the first inventor
    ("JP 2019-123456 A (JP)", "JP2019123456A"),
    ("US Re. 45,123", "USRE45123"),
    ("U.S. Pat. No. Re. 45,123", "USRE45123"),
    ("特開2019-123456号公報", "JP2019123456A"),
    ("特許第6543210号公報", "JP6543210B2"),
    ("実用新案登録第3123456号", "JP3123456U"),
    ("意匠登録第1234567号", "JP1234567S"),
    ("JP 平10-123456 A", "JPH10123456A"),
    ("公开号：CN108123456A", "CN108123456A"),
    ("公开（公告）号：CN 108123456 A", "CN108123456A"),
    ("授权公告号 CN 101234567 B", "CN101234567B"),
])
def test_printed_forms_in_running_text_and_cjk_documents(printed: str, key: str) -> None:
    number = parse_number(printed)
    assert isinstance(number, PublicationNumber) and number.compact == key


@pytest.mark.parametrize(("printed", "country", "serial"), [
    ("CN ZL201810358967.5", "CN", "201810358967"),
    ("中国专利 ZL201810358967.5", "CN", "201810358967"),
    ("专利号：ZL201810358967.5", "CN", "201810358967"),
    ("申请号：201810358967.5", "CN", "201810358967"),
    ("01963450.0 (EP)", "EP", "01963450"),  # the office named after the number
    ("16/123,456 (US)", "US", "16123456"),
])
def test_application_numbers_with_labels_or_a_trailing_office(printed: str, country: str, serial: str) -> None:
    number = parse_number(printed)
    assert isinstance(number, ApplicationNumber) and (number.country, number.serial) == (country, serial)


def test_a_label_does_not_excuse_a_wrong_check_character() -> None:
    with pytest.raises(InvalidField, match="check character"):
        parse_number("专利号：ZL201810358967.4")
