"""Read a university's stock-patent inventory CSV (UTF-8, with or without a byte-order mark; comma-separated;
header row first; English or Chinese headers):

=====================  ==========================  ========  ================================================
column (en)            column (zh)                 required  value
=====================  ==========================  ========  ================================================
``number``             专利号 / 公告号 / 申请号      yes       any printed form of a publication or application
                                                               number (``CN 1234567 B``, ``ZL201810358967.5``)
``department``         院系 / 部门                   no        text (≤ 500 characters)
``contact``            联系人                        no        text
``self_grade``         自评等级                      no        A, B or C
``conversion_intent``  转化意向                      no        transfer, licence, open_licence, pledge_financing,
                                                               own_use, keep, abandon (or 转让, 许可, 开放许可,
                                                               质押融资, 自行实施, 维持, 放弃)
``note``               备注                          no        text
=====================  ==========================  ========  ================================================

Every problem is a :class:`RowError` naming the row (the line of the file, the header being line 1) and the field;
all of them are returned, so a file is fixed in one go.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.inventory import ROW_FIELDS, check_grade, check_intent, check_text

HEADERS: Mapping[str, str] = {
    "number": "number", "publication_number": "number", "patent_number": "number",
    "专利号": "number", "公告号": "number", "申请号": "number", "号码": "number",
    "department": "department", "院系": "department", "部门": "department", "学院": "department",
    "contact": "contact", "联系人": "contact",
    "self_grade": "self_grade", "grade": "self_grade", "自评等级": "self_grade", "等级": "self_grade",
    "conversion_intent": "conversion_intent", "intent": "conversion_intent", "转化意向": "conversion_intent",
    "note": "note", "notes": "note", "备注": "note",
}
INTENT_WORDS: Mapping[str, str] = {
    "转让": "transfer", "许可": "licence", "普通许可": "licence", "开放许可": "open_licence",
    "质押融资": "pledge_financing", "质押": "pledge_financing", "自行实施": "own_use", "自用": "own_use",
    "维持": "keep", "放弃": "abandon", "license": "licence", "open_license": "open_licence"}
MAX_ROWS = 5000
MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class RowError:
    row: int  # line of the file (header = 1); 0 for the file as a whole
    field: str
    value: str
    reason: str  # in English
    code: str = ""  # the kind of problem, for an interface to say it in its language
    detail: str = ""  # the figure the reason names (the other row, the owners, the limit, the state)

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row else ""
        return f"{where}{self.field}: {self.reason} (got {self.value!r})"

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "value": self.value, "reason": self.reason, "code": self.code,
                "detail": self.detail}


@dataclass(frozen=True)
class CsvRow:
    row: int
    number: str  # as written
    values: Mapping[str, str]  # the optional fields present in the file, checked


def decode(data: bytes) -> str:
    """The file's text: UTF-8, a leading byte-order mark dropped; raises InvalidField("file", …) otherwise."""
    if len(data) > MAX_BYTES:
        raise InvalidField("file", f"{len(data)} bytes", f"at most {MAX_BYTES} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidField("file", f"byte {exc.start}", "must be UTF-8 text (save the CSV as UTF-8)") from None


def _field(name: str, value: str) -> str:
    if name == "self_grade":
        return check_grade(value)
    if name == "conversion_intent":
        return check_intent(INTENT_WORDS.get(value.strip().lower(), value))
    return check_text(value, name)


def parse(text: str) -> tuple[list[CsvRow], list[RowError]]:
    """The rows of the file and every problem found in it (both lists, rows in file order)."""
    text = text.removeprefix("\ufeff")
    try:
        return _parse(csv.reader(io.StringIO(text)))
    except csv.Error as exc:  # a NUL byte, a cell beyond the csv module's field size limit
        return [], [RowError(0, "file", "", f"not a readable CSV file: {exc}", "not_csv")]


def _parse(reader: Iterator[list[str]]) -> tuple[list[CsvRow], list[RowError]]:
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        return [], [RowError(0, "header", "", "the file is empty: the first line names the columns", "empty")]
    columns: list[str | None] = []
    errors: list[RowError] = []
    for raw in header:
        key = raw.strip().lower().replace(" ", "_")
        columns.append(HEADERS.get(key) or HEADERS.get(raw.strip()))
        if columns[-1] is None and raw.strip():
            errors.append(RowError(1, "header", raw, "unknown column; known: " + ", ".join(("number", *ROW_FIELDS)),
                                   "unknown_column", ", ".join(("number", *ROW_FIELDS))))
    named = [c for c in columns if c]
    for twice in sorted({c for c in named if named.count(c) > 1}):
        errors.append(RowError(1, "header", twice, "column given twice", "column_twice"))
    if "number" not in named:
        errors.append(RowError(1, "number", ",".join(header), "the header has no number column (number / 专利号)",
                               "no_number_column"))
        return [], errors
    rows: list[CsvRow] = []
    seen: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if line - 1 > MAX_ROWS:
            errors.append(RowError(line, "file", "", f"at most {MAX_ROWS} rows", "too_many_rows", str(MAX_ROWS)))
            break
        if len(cells) > len(columns):
            errors.append(RowError(line, "row", ",".join(cells), f"{len(cells)} cells, the header has {len(columns)}",
                                   "cell_count", str(len(columns))))
            continue
        by_name = {c: cells[i].strip() for i, c in enumerate(columns) if c and i < len(cells)}
        number = by_name.pop("number", "")
        values: dict[str, str] = {}
        bad = False
        if not number:
            errors.append(RowError(line, "number", "", "the number is missing", "missing"))
            bad = True
        elif number.upper() in seen:
            errors.append(RowError(line, "number", number, f"given twice (also row {seen[number.upper()]})", "twice",
                                   str(seen[number.upper()])))
            bad = True
        else:
            seen[number.upper()] = line
        for name, value in by_name.items():
            if not value:
                continue
            try:
                values[name] = _field(name, value)
            except InvalidField as exc:
                errors.append(RowError(line, name, value, exc.reason, "invalid_" + name))
                bad = True
        if not bad:
            rows.append(CsvRow(line, number, values))
    return rows, errors
