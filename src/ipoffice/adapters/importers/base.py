"""What every importer yields, and how formats are told apart.

An importer reads one file and yields records (documents or reference entries) and problems.
A problem never stops the file: the importer reports it and goes on with the next record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ipoffice.domain.assignments import Assignment
from ipoffice.domain.document import Document
from ipoffice.domain.legal_status import LegalEventCode, RecordedEvents
from ipoffice.domain.reference import IpcEntry, NiceClass, NiceTerm

Record = Document | IpcEntry | NiceClass | NiceTerm | Assignment | RecordedEvents | LegalEventCode


@dataclass(frozen=True)
class ImportProblem:
    """One record (or the whole file) that could not be imported, and why."""

    file: str
    record: str | None  # document number, or "line N", or "document N" (position in the file)
    field: str | None  # the field at fault, e.g. "publication_date"
    reason: str

    def __str__(self) -> str:
        where = self.file + (f" [{self.record}]" if self.record else "")
        return f"{where}: {self.field + ': ' if self.field else ''}{self.reason}"


@dataclass(frozen=True)
class ImportNote:
    """Something worth telling about a file that is not an error, e.g. records skipped on purpose."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


class Importer(Protocol):
    """One office data format."""

    name: str  # the --format value, e.g. "uspto-xml"

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when the file (``head`` = its first 4 KiB) is in this format."""
        ...

    def read(self, path: Path) -> Iterator[Record | ImportProblem | ImportNote]:
        """Stream the file's records; memory must not grow with the file size."""
        ...
