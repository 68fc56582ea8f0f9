"""The EPO's table of legal-event codes (``legal_code_descriptions_*.xlsx``: one sheet with the columns
Authority, Event-code, Date Created, Influence, Description ENG, …, Event-class, Event-class Description),
the codes of 56 offices with their English descriptions and the class letter the EPO gives each, which
is the WIPO ST.27 category. Reference data: each row becomes a :class:`LegalEventCode`.

The workbook is read with the standard library (an .xlsx is a zip of XML parts): only the first sheet's
cell texts, shared or inline, are needed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ipoffice.adapters.importers._common import problem
from ipoffice.adapters.importers.base import ImportNote, ImportProblem, Record
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.legal_status import LegalEventCode

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_COLUMNS = ("Authority", "Event-code", "Description ENG", "Event-class", "Influence")


def _texts(element: ET.Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_MAIN}t"))


def sheet_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column letter: text}) of the workbook's first sheet."""
    with zipfile.ZipFile(path) as book:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in book.namelist():
            shared = [_texts(si) for si in ET.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{_MAIN}si")]
        with book.open("xl/worksheets/sheet1.xml") as sheet:
            for _, row in ET.iterparse(sheet):
                if row.tag != f"{_MAIN}row":
                    continue
                cells = {}
                for cell in row.iter(f"{_MAIN}c"):
                    column = re.sub(r"\d", "", cell.get("r") or "")
                    value = cell.find(f"{_MAIN}v")
                    if cell.get("t") == "s" and value is not None and (value.text or "").isdigit():
                        cells[column] = shared[int(value.text or 0)]
                    elif cell.get("t") == "inlineStr":
                        cells[column] = _texts(cell)
                    elif value is not None:
                        cells[column] = value.text or ""
                yield int(row.get("r") or 0), cells
                row.clear()


class EpoLegalCodesImporter:
    name = "epo-legal-codes"

    def sniff(self, path: Path, head: bytes) -> bool:
        # an Office Open XML workbook (zip with [Content_Types].xml); read() checks the columns
        return head.startswith(b"PK\x03\x04") and b"[Content_Types].xml" in head and path.suffix.lower() == ".xlsx"

    def read(self, path: Path) -> Iterator[Record | ImportProblem | ImportNote]:
        try:
            rows = sheet_rows(path)
            _, header = next(rows, (0, {}))
            where = {" ".join(name.split()): column for column, name in header.items()}
            missing = [c for c in _COLUMNS if c not in where]
            if missing:
                yield problem(path, None, f"not the EPO legal-event code table: missing columns {missing}", "file")
                return
            for number, cells in rows:
                def cell(name: str, cells: dict[str, str] = cells) -> str:
                    return " ".join(cells.get(where[name], "").split())

                entry = LegalEventCode(cell("Authority"), cell("Event-code"), cell("Description ENG"),
                                       cell("Event-class"), cell("Influence"))
                try:
                    entry.validate()
                except InvalidField as e:
                    yield problem(path, f"row {number}", e)
                    continue
                yield entry
        except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError) as e:
            yield problem(path, None, f"cannot read the workbook: {e}", "file")
