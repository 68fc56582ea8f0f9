"""Chinese patents with title, keywords, abstract text and CPC labels (``publication_number, text, labels, n_labels``).

``text`` comes in two layouts: ``Title: ...\\nKeywords: ...\\nAbstract: ...`` and
``title [SEP] keywords [SEP] abstract``.
The keywords are English machine keywords with no field in the register; they are not kept.
The files pad the real rows with empty lines; those are skipped without a problem.
No publication date is given. Kind ``U`` is a utility model, every other kind an invention.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from ipoffice.adapters.importers._common import looks_like_csv_header, read_csv_documents
from ipoffice.adapters.importers.base import ImportProblem, Record
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import Classification, Document, LocalizedText, RightType, TextField
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import PublicationNumber

COLUMNS = ("publication_number", "text", "labels", "n_labels")
_LABELLED = re.compile(r"^\s*Title:\s*(?P<title>.*?)\s*(?:\n\s*Keywords:.*?)?\n\s*Abstract:\s*(?P<abstract>.*)$", re.S)


def split_text(text: str) -> tuple[str, str]:
    """(title, abstract) of either layout of the ``text`` column."""
    m = _LABELLED.match(text)
    if m:
        return m["title"].strip(), m["abstract"].strip()
    parts = [p.strip() for p in text.split("[SEP]")]
    if len(parts) == 3:
        return parts[0], parts[2]
    raise InvalidField(
        "text", text[:80], "neither 'Title:/Keywords:/Abstract:' nor 'title [SEP] keywords [SEP] abstract'"
    )


class CnCsvImporter:
    name = "cn-csv"

    def sniff(self, path: Path, head: bytes) -> bool:
        return looks_like_csv_header(head, COLUMNS)

    def read(self, path: Path) -> Iterator[Record | ImportProblem]:
        # The published sample pads its files with empty rows: not records, not problems.
        return read_csv_documents(path, COLUMNS, "CN patent CSV", self.document, skip_blank_rows=True)

    def document(self, row: dict[str, str | None]) -> Document:
        number = PublicationNumber.parse((row["publication_number"] or "").strip())
        if number.country != "CN":
            raise InvalidField("publication_number", row["publication_number"], "is not a CN number")
        title, abstract = split_text(row["text"] or "")
        if not title:
            raise InvalidField("text", row["text"], "has no title")
        texts = [LocalizedText(TextField.TITLE, "zh", title)]
        if abstract:
            texts.append(LocalizedText(TextField.ABSTRACT, "zh", abstract))
        document = Document(
            number=number,
            right_type=RightType.UTILITY_MODEL if number.kind == "U" else RightType.INVENTION,
            texts=texts,
            classifications=self._classifications(row),
            source_format=self.name,
        )
        document.validate()
        return document

    def _classifications(self, row: dict[str, str | None]) -> list[Classification]:
        try:
            labels = json.loads(row["labels"] or "[]")
        except json.JSONDecodeError as e:
            raise InvalidField("labels", row["labels"], f"not a JSON list of CPC symbols ({e.msg})") from None
        if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
            raise InvalidField("labels", row["labels"], "not a JSON list of CPC symbols")
        declared = (row["n_labels"] or "").strip()
        if declared and declared != str(len(labels)):
            raise InvalidField("n_labels", declared, f"does not match the {len(labels)} labels")
        # The labels carry no order of importance, so none is marked main.
        return [Classification.of(Scheme.CPC, label) for label in labels]
