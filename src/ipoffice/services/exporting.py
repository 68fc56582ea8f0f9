"""Use case: trademark records of the register written out as WIPO ST.66 XML."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from ipoffice.adapters.register import SqlRegister
from ipoffice.adapters.st66_export import write_transaction
from ipoffice.domain.document import Document
from ipoffice.domain.errors import InvalidField
from ipoffice.services.documents import get_document


def marks_to_export(register: SqlRegister, numbers: Sequence[str], office: str | None = None) -> list[Document]:
    """The trademark documents of ``numbers`` (register keys or the offices' printed numbers); raises
    DocumentNotFound for a number the register lacks and InvalidField (``number``) for a patent document,
    before anything is written."""
    docs = [get_document(register, number, office) for number in numbers]
    for number, doc in zip(numbers, docs, strict=True):
        if doc.mark is None:
            raise InvalidField("number", number, f"{doc.number.compact} is a {doc.right_type.value} document, "
                                                 "not a trademark record: ST.66 holds marks only")
    return docs


def export_st66(register: SqlRegister, numbers: Sequence[str], out: IO[bytes], office: str | None = None) -> int:
    """Write the marks of ``numbers`` as one ST.66 ``Transaction`` to ``out``; the number of marks written."""
    return write_transaction(marks_to_export(register, numbers, office), out)
