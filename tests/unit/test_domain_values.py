"""Value objects of the domain: publication numbers, IPC/CPC symbols, text normalisation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipoffice.domain.classification import ClassificationSymbol, Level, normalise_symbol
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.text import _HAS_CJK_OR_WIDE, _may_have_cjk_or_wide, normalise, remove_pinyin_glosses


class TestPublicationNumber:
    @pytest.mark.parametrize(
        ("raw", "compact"),
        [
            ("US 7,654,321 B2", "US7654321B2"),
            ("US07654321", "US7654321"),
            ("us7654321b2", "US7654321B2"),
            ("CN 114081026 A", "CN114081026A"),
            ("USD512345S", "USD512345S"),
            ("US RE41234 E", "USRE41234E"),
            ("EP 874807 B2", "EP0874807B2"),  # EP serials are written with 7 digits
            ("EP1234567A1", "EP1234567A1"),
        ],
    )
    def test_parse_to_compact(self, raw: str, compact: str) -> None:
        assert PublicationNumber.parse(raw).compact == compact

    def test_display_form_and_default_country(self) -> None:
        n = PublicationNumber.parse("7654321 B2", default_country="US")
        assert str(n) == "US 7654321 B2" and n.without_kind == "US7654321"

    @pytest.mark.parametrize(
        ("country", "serial", "kind", "compact"),
        [("US", "07654321", "B2", "US7654321B2"), ("EP", "874807", "B2", "EP0874807B2"),
         ("US", "D512345", "S", "USD512345S"), ("US", "7,654,321", None, "US7654321"),
         ("CN", "114081026", "A", "CN114081026A")],
    )
    def test_from_parts_as_office_xml_gives_them(self, country: str, serial: str, kind: str | None,
                                                  compact: str) -> None:
        assert PublicationNumber.from_parts(country, serial, kind).compact == compact

    @given(st.from_regex(r"[A-Za-z]{2}", fullmatch=True) | st.text(max_size=3),
           st.from_regex(r"[0-9]{1,9}", fullmatch=True) | st.text(max_size=9),
           st.none() | st.from_regex(r"[A-Z][0-9]?", fullmatch=True) | st.text(max_size=3))
    def test_from_parts_is_parse_of_the_parts_written_out(self, country: str, serial: str, kind: str | None) -> None:
        def outcome(make: Callable[[], PublicationNumber]) -> PublicationNumber | str:
            try:
                return make()
            except InvalidField as error:
                return error.field
        written_out = f"{country} {serial} {kind or ''}"
        assert outcome(lambda: PublicationNumber.from_parts(country, serial, kind)) == outcome(
            lambda: PublicationNumber.parse(written_out))

    @pytest.mark.parametrize("raw", ["", "7654321", "U7654321", "US", "US 12A34", "US7654321 B23"])
    def test_rejects_what_is_not_a_number_and_names_the_field(self, raw: str) -> None:
        with pytest.raises(InvalidField) as err:
            PublicationNumber.parse(raw)
        assert err.value.field.startswith("publication_number")


class TestClassificationSymbol:
    @pytest.mark.parametrize(
        ("raw", "normalised", "level"),
        [
            ("H04W0072040000", "H04W 72/04", Level.SUBGROUP),  # ST.8 fixed width
            ("H04W  72/0406", "H04W 72/0406", Level.SUBGROUP),  # v4 XML spacing
            ("H04L 12/28 20060101AFI20051220BHEP", "H04L 12/28", Level.SUBGROUP),  # EP IPCR text
            ("7H04Q 7/20", "H04Q 7/20", Level.SUBGROUP),  # edition digit in old US data
            ("A01B1/00", "A01B 1/00", Level.MAIN_GROUP),
            ("h04w", "H04W", Level.SUBCLASS),
            ("H04", "H04", Level.CLASS),
            ("H", "H", Level.SECTION),
            ("Y02E 10/50", "Y02E 10/50", Level.SUBGROUP),  # CPC's Y section
        ],
    )
    def test_normalises_every_form_found_in_office_data(self, raw: str, normalised: str, level: Level) -> None:
        symbol = ClassificationSymbol.parse(raw)
        assert str(symbol) == normalised
        assert symbol.level == level

    def test_hierarchy(self) -> None:
        s = ClassificationSymbol.parse("H04W 72/04")
        assert s.ancestors() == ["H", "H04", "H04W", "H04W 72/00"]
        assert s.subclass_symbol == "H04W" and s.main_group_symbol == "H04W 72/00"
        assert s.compact == "H04W72/04"

    @pytest.mark.parametrize("raw", ["", "Z01B 1/00", "H04W 0/00", "H04W 72", "12/04", "H04WW 72/04"])
    def test_rejects_unknown_syntax_naming_the_field(self, raw: str) -> None:
        with pytest.raises(InvalidField) as err:
            normalise_symbol(raw, field="classification.ipc")
        assert err.value.field == "classification.ipc"

    @given(st.text(max_size=30))
    def test_random_text_raises_only_invalid_field(self, text: str) -> None:
        try:
            s = ClassificationSymbol.parse(text)
        except InvalidField:
            return
        assert ClassificationSymbol.parse(str(s)) == s  # whatever parses, round-trips


class TestChineseNormalisation:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("全國知識產(chǎn)權(quán)局局長高級研修班", "全国知识产权局局长高级研修班"),
            ("認(rèn)真落實黨中央", "认真落实党中央"),
            ("國家知識產權局發佈《專利審查指南》", "国家知识产权局发布《专利审查指南》"),
        ],
    )
    def test_pinyin_glosses_removed_and_traditional_simplified(self, raw: str, expected: str) -> None:
        assert normalise(raw) == expected

    @pytest.mark.parametrize(
        "kept",
        ["专利合作条约(PCT)", "根据权利要求(1)所述的装置", "(a)", "步骤(a)和步骤(b)", "装置(de)", "Apple (iPhone)"],
    )
    def test_parentheses_that_are_not_pinyin_glosses_stay(self, kept: str) -> None:
        assert remove_pinyin_glosses(kept) == kept
        assert normalise(kept) == kept

    def test_full_width_latin_and_digits_fold_but_chinese_punctuation_stays(self) -> None:
        assert normalise("采用ＬＥＤ光源，功率为１２Ｗ。") == "采用LED光源，功率为12W。"

    def test_english_text_is_only_whitespace_folded(self) -> None:
        assert normalise("  A  wireless\tcharger ") == "A wireless charger"

    def test_non_ascii_english_text_is_not_taken_for_chinese(self) -> None:
        text = "A 5 µm film \u2014 heated to 40 \u00b0C \u2264 T"
        assert not _may_have_cjk_or_wide(text)
        assert normalise(text) == text

    def test_byte_prefilter_never_misses_a_cjk_or_full_width_character(self) -> None:
        # The cheap check may say "maybe" wrongly, never "no" wrongly: every character, checked.
        missed = [hex(code) for code in range(0x80, 0x110000)
                  if _HAS_CJK_OR_WIDE.match(chr(code)) and not _may_have_cjk_or_wide(f"x{chr(code)}y")]
        assert missed == []

    @given(st.text(max_size=40))
    def test_idempotent(self, text: str) -> None:
        once = normalise(text)
        assert normalise(once) == once


@pytest.mark.parametrize(("raw", "compact"), [("NO 331234 B1", "NO331234B1"), ("NO 0", "NO0"),
                                              ("Patent No 7654321", "US7654321"), ("No. 7,654,321", "US7654321")])
def test_no_is_norway_unless_it_is_the_word_number(raw: str, compact: str) -> None:
    """Found by the property test above: "NO 0" was read as "No. 0" and refused for want of a country."""
    assert PublicationNumber.parse(raw, default_country="US").compact == compact
