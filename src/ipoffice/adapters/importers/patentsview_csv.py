"""US patents exported from PatentsView as CSV: ``patent_abstract, patent_date, patent_number, patent_title``.

Known limitation: the export has no kind code, so documents get ``kind=None`` (``US5269177``).
The same patent may also arrive from USPTO XML with its kind code (``US5269177A``); the two are
then different register keys and the register holds the patent twice. Matching a kind-less number
to its kinded publication is left to the register, not solved here.

Some cells were quoted twice by the exporter (``"A ""Barometer"" Neuron ..."``); one extra level of
quoting is undone. Design patents have no abstract; the export says ``NULL``, read as no abstract.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ipoffice.adapters.importers._common import (
    looks_like_csv_header,
    parse_date,
    read_csv_documents,
    unwrap_quoted,
)
from ipoffice.adapters.importers.base import ImportProblem, Record
from ipoffice.domain.document import Document, LocalizedText, RightType, TextField
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import PublicationNumber

COLUMNS = ("patent_abstract", "patent_date", "patent_number", "patent_title")
_NULL = "NULL"  # the export writes a missing abstract (all design patents) as the word NULL
_RIGHT_TYPE_OF_PREFIX = {"D": RightType.DESIGN, "PP": RightType.PLANT}


class PatentsViewCsvImporter:
    name = "patentsview-csv"

    def sniff(self, path: Path, head: bytes) -> bool:
        return looks_like_csv_header(head, COLUMNS)

    def read(self, path: Path) -> Iterator[Record | ImportProblem]:
        return read_csv_documents(path, COLUMNS, "PatentsView CSV", self.document)

    def document(self, row: dict[str, str | None]) -> Document:
        if None in row:
            raise InvalidField("row", row[None], "more cells than columns")  # type: ignore[index]
        number_text = (row["patent_number"] or "").strip()
        if not number_text:
            raise InvalidField("patent_number", number_text, "is empty")
        # PatentsView numbers have no country: "5269177", "D349814" (design), "H002215" (SIR), "PP12345".
        number = PublicationNumber.parse(number_text if number_text.startswith("US") else "US" + number_text)
        texts = [
            LocalizedText(which, "en", unwrap_quoted(value.strip()).strip())
            for which, value in ((TextField.TITLE, row["patent_title"] or ""),
                                 (TextField.ABSTRACT, row["patent_abstract"] or ""))
            if value.strip() and value.strip() != _NULL
        ]
        if not any(t.field == TextField.TITLE for t in texts):
            raise InvalidField("patent_title", row["patent_title"], "is empty")
        document = Document(
            number=number,
            right_type=_RIGHT_TYPE_OF_PREFIX.get(number.serial.rstrip("0123456789"), RightType.INVENTION),
            publication_date=parse_date(row["patent_date"], field="patent_date"),
            texts=texts,
            source_format=self.name,
        )
        document.validate()
        return document
