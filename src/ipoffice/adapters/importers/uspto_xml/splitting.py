"""Splitting a USPTO XML file into its documents.

The weekly files are concatenations of complete XML documents, each with its own ``<?xml ...?>``
declaration and DOCTYPE, so no XML parser can read a file whole. The byte stream is split on the
declarations while reading line by line: memory holds one document at a time whatever the file size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ipoffice.adapters.importers.uspto_xml.parsing import parse_document

_DECLARATION = b"<?xml"
BOM = b"\xef\xbb\xbf"  # UTF-8 byte order mark, ignored where a file starts


@dataclass(frozen=True)
class RawDocument:
    """One document's bytes, declaration included, as found in a file."""

    position: int  # 1-based position in the file
    line: int  # line of the file where it starts
    data: bytes
    is_last: bool = False


def _has_content(chunk: bytes) -> bool:
    return bool(chunk.strip(b" \t\r\n" + BOM))


def split_documents(path: Path) -> Iterator[RawDocument]:
    """Yield the documents of a (concatenated) file one by one, reading it line by line."""
    parts: list[bytes] = []
    start_line = 1
    position = 0
    pending: RawDocument | None = None  # held back one step so the last one can be marked

    def flush(next_line: int) -> Iterator[RawDocument]:
        nonlocal parts, start_line, position, pending
        data = b"".join(parts)
        parts = []
        if _has_content(data):
            position += 1
            if pending is not None:
                yield pending
            pending = RawDocument(position, start_line, data)
        start_line = next_line

    with path.open("rb") as stream:
        for number, line in enumerate(stream, 1):
            if _DECLARATION not in line:
                parts.append(line)
                continue
            # A declaration starts a new document, even in the middle of a line.
            head, *rest = line.split(_DECLARATION)
            parts.append(head)
            for piece in rest:
                yield from flush(number)
                parts.append(_DECLARATION + piece)
        yield from flush(0)
    if pending is not None:
        yield RawDocument(pending.position, pending.line, pending.data, is_last=True)


def parse_only(path: Path | str) -> int:
    """Split and parse every document of a file without building Documents; returns how many parsed.

    The physical limit of an import: what splitting and lxml cost alone.
    """
    parsed = 0
    for raw in split_documents(Path(path)):
        try:
            parse_document(raw.data)
        except etree.XMLSyntaxError:
            continue
        parsed += 1
    return parsed

