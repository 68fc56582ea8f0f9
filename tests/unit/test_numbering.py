"""Application numbers: the CNIPA check character against real CN numbers, US series/serial numbers."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from ipoffice.domain.document import RightType
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbering import (
    CnApplicationNumber,
    CnNumbering,
    PlainNumbering,
    SequenceKey,
    UsApplicationNumber,
    UsNumbering,
    cn_check_character,
    numbering_for,
)

# Real CN application numbers cited in the shared data (USPTO grants' non-patent citations of CN
# office actions, and the priority claim of an EP application).
REAL_CN_NUMBERS = [
    "200510072215.5",
    "200710146763.7",
    "200710186180.7",
    "200780018073.1",
    "200810125110.5",
    "200910160476.0",
    "201810358967.5",
]


@pytest.mark.parametrize("number", REAL_CN_NUMBERS)
def test_check_character_of_real_cn_numbers(number: str) -> None:
    digits, check = number.split(".")
    assert cn_check_character(digits) == check
    parsed = CnApplicationNumber.parse(number)
    assert str(parsed) == number


def test_every_cn_application_number_in_the_shared_data_checks(shared: Path) -> None:
    pattern = re.compile(r"(?<![\d.])((?:19|20)\d{2}[1-9]\d{7})\.([0-9X])(?![\d])")
    found: set[str] = set()
    for path in (shared / "data").rglob("*.xml"):
        text = path.read_text("utf-8", errors="replace")
        found.update(f"{d}.{c}" for d, c in pattern.findall(text))
    assert set(REAL_CN_NUMBERS) <= found
    assert all(cn_check_character(n[:12]) == n[-1] for n in found), sorted(found)


def test_check_character_ten_is_written_x() -> None:
    # 2*2+3*0+4*2+5*6+6*1+7*0+8*0+9*0+2*0+3*0+4*1+5*7 = 87 = 7*11 + 10
    assert cn_check_character("202610000017") == "X"
    assert str(CnApplicationNumber(2026, "1", 17)) == "202610000017.X"
    assert CnApplicationNumber.parse("CN 2026 1 0000017.x") == CnApplicationNumber(2026, "1", 17)


def test_parse_accepts_office_spellings_and_structure() -> None:
    number = CnApplicationNumber.parse("ZL201810358967.5")
    assert (number.year, number.type_digit, number.serial) == (2018, "1", 358967)
    assert CnApplicationNumber.parse("CN 2018 1 0358967.5") == number
    assert CnApplicationNumber.parse("200780018073.1").type_digit == "8"  # a PCT national-phase invention


def test_parse_rejects_a_wrong_check_character_and_names_it() -> None:
    with pytest.raises(InvalidField, match="check character is 5, not 6"):
        CnApplicationNumber.parse("201810358967.6")
    with pytest.raises(InvalidField, match="expected a CN number"):
        CnApplicationNumber.parse("20181035896.5")
    with pytest.raises(InvalidField, match="one of 1, 2, 3, 8, 9"):
        CnApplicationNumber(2026, "5", 1)


def test_cn_scheme_counts_per_year_and_type() -> None:
    scheme = CnNumbering()
    assert scheme.sequence_key(RightType.INVENTION, date(2026, 3, 1)) == SequenceKey(2026, "1")
    assert scheme.sequence_key(RightType.UTILITY_MODEL, date(2025, 12, 31)) == SequenceKey(2025, "2")
    assert scheme.sequence_key(RightType.DESIGN, date(2026, 1, 1)) == SequenceKey(2026, "3")
    assert scheme.sequence_key(RightType.INVENTION, date(2026, 1, 1), pct=True) == SequenceKey(2026, "8")
    assert scheme.format(SequenceKey(2018, "1"), 358967) == "201810358967.5"
    with pytest.raises(InvalidField, match="PCT national-phase"):
        scheme.sequence_key(RightType.DESIGN, date(2026, 1, 1), pct=True)


def test_us_numbers_as_in_peds(shared: Path) -> None:
    assert str(UsApplicationNumber.parse("18100000")) == "18/100,000"
    assert UsApplicationNumber.parse("US 18/100,000") == UsApplicationNumber(18, 100000)
    numbers = [json.loads(line)["application_number"]
               for line in (shared / "data/us_prosecution/peds_dev.jsonl").read_text().splitlines() if line]
    assert len(numbers) == 272
    assert all(UsApplicationNumber.parse(n).compact == n for n in numbers)
    assert UsNumbering().format(SequenceKey(0, "18"), 100000) == "18/100,000"
    assert UsNumbering().sequence_key(RightType.DESIGN, date(2026, 1, 1)) == SequenceKey(0, "29")


def test_scheme_per_jurisdiction_and_right() -> None:
    assert isinstance(numbering_for("CN", RightType.UTILITY_MODEL), CnNumbering)
    assert isinstance(numbering_for("US", RightType.INVENTION), UsNumbering)
    marks = numbering_for("CN", RightType.TRADEMARK)
    assert isinstance(marks, PlainNumbering)
    assert marks.format(marks.sequence_key(RightType.TRADEMARK, date(2026, 5, 4)), 42) == "CNT2026000042"
