"""USPTO full-text XML (Red Book / Yellow Book): grants and application publications, every DTD.

A file is split into its documents (``splitting``), each parsed alone (``parsing``) and mapped by the
module of its DTD (``v4``, ``early``) with a ``builder`` that collects field problems; ``text``
flattens the text fields, ``values`` reads the field values.

Shapes handled (root element → DTD):

* ``PATDOC`` — grants 2001–2004, ST.32 SGML-like tags (``B110`` number, ``B140`` date, ...), v2.4/2.5;
* ``patent-application-publication`` — applications 2001–2004, ``pap`` v1.5/v1.6;
* ``us-patent-grant`` / ``us-patent-application`` — ICE DTDs v4.0–v4.5 (2005 on);
* ``sequence-cwu`` — sequence listings that ride along in grant files: not publications, skipped.

The DTDs are never loaded (no network, no external files); the ISO 8879 character entities that
the documents use without their DTD are replaced from a table before parsing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree

from ipoffice.adapters.importers.base import ImportProblem, Record
from ipoffice.adapters.importers.uspto_xml import values
from ipoffice.adapters.importers.uspto_xml.builder import Builder
from ipoffice.adapters.importers.uspto_xml.early import from_v15, from_v25
from ipoffice.adapters.importers.uspto_xml.parsing import parse_document
from ipoffice.adapters.importers.uspto_xml.splitting import BOM, RawDocument, split_documents
from ipoffice.adapters.importers.uspto_xml.v4 import from_v4
from ipoffice.domain.document import Document
from ipoffice.domain.errors import DomainError, InvalidField
from ipoffice.domain.numbers import PublicationNumber

_SKIPPED_ROOTS = frozenset({"sequence-cwu"})  # sequence listings: data attached to a grant, not a publication


_MAPPERS: dict[str, Callable[[etree._Element, Builder], Document]] = {
    "us-patent-grant": from_v4,
    "us-patent-application": from_v4,
    "PATDOC": from_v25,
    "patent-application-publication": from_v15,
}

# --------------------------------------------------------------------------------------------------
# The importer.

_NUMBER_HINT = re.compile(
    rb"<doc-number>\s*([^<]{1,20}?)\s*</doc-number>\s*<kind(?:-code)?>\s*([A-Z]\d?)\s*<"  # v4, pap
    rb"|<B110>\s*<DNUM>\s*<PDAT>\s*([^<]{1,20}?)\s*</PDAT>\s*</DNUM>\s*</B110>\s*<B130>\s*<PDAT>\s*([A-Z]\d?)"
)


def _number_hint(data: bytes) -> str | None:
    """The document's own number read from its raw bytes, to name a document that does not parse."""
    m = _NUMBER_HINT.search(data, 0, 20_000)
    if not m:
        return None
    serial, kind = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    text = f"US {serial.decode('ascii', 'replace')} {kind.decode('ascii')}"
    try:
        return PublicationNumber.parse(text).compact
    except DomainError:
        return text


def _record_name(raw: RawDocument) -> str:
    """How a problem names a document that has no number yet: read from its bytes (only then: a search)."""
    return _number_hint(raw.data) or f"document {raw.position}"


_ROOT_TAG = re.compile(rb"<([A-Za-z][\w.-]*)[\s>/]")


def _root_tag(data: bytes) -> str | None:
    # "<?xml" and "<!DOCTYPE" cannot match: a letter must follow "<".
    m = _ROOT_TAG.search(data, 0, 20_000)
    return m.group(1).decode("ascii", "replace") if m else None


class UsptoXmlImporter:
    """USPTO grant and application full text, every DTD since 2001 (see the module doc)."""

    name = "uspto-xml"

    _MARKERS = (b"<us-patent-grant", b"<us-patent-application", b"<PATDOC", b"<patent-application-publication",
                b"ST32-US-Grant", b"us-patent-grant-v", b"us-patent-application-v", b"pap-v1")

    def sniff(self, path: Path, head: bytes) -> bool:
        return any(marker in head for marker in self._MARKERS)

    def read(self, path: Path) -> Iterator[Record | ImportProblem]:
        path = Path(path)
        file = str(path)
        try:
            with path.open("rb") as stream:
                head = stream.read(4096)
        except OSError as error:
            yield ImportProblem(file, None, None, f"cannot read the file: {error.strerror or error}")
            return
        start = head.lstrip(b" \t\r\n" + BOM)
        if not start:
            yield ImportProblem(file, None, None, "the file is empty")
            return
        if not start.startswith(b"<"):
            yield ImportProblem(file, None, None, f"not an XML file (it starts with {start[:16]!r})")
            return
        # The caches of repeated values live for one file: a run's speed and memory do not depend on
        # the files read before.
        values.clear_caches()
        for raw in split_documents(path):
            yield from self._read_document(file, raw)

    def _read_document(self, file: str, raw: RawDocument) -> Iterator[Record | ImportProblem]:
        try:
            root = parse_document(raw.data)
        except etree.XMLSyntaxError as error:
            yield ImportProblem(file, _record_name(raw), None, self._syntax_reason(raw, error))
            return
        mapper = _MAPPERS.get(root.tag if isinstance(root.tag, str) else "")
        if mapper is None:
            if root.tag not in _SKIPPED_ROOTS:
                yield ImportProblem(file, _record_name(raw), None,
                                    f"not a USPTO patent document: root element <{root.tag}> "
                                    f"(line {raw.line} of the file)")
            return
        builder = Builder()
        document: Document | None = None
        try:
            document = mapper(root, builder)
            document.validate()
        except DomainError as error:
            record = document.number.compact if document is not None else _record_name(raw)
            if isinstance(error, InvalidField):
                yield ImportProblem(file, record, error.field, f"{error.reason} (got {error.value!r})")
            else:
                yield ImportProblem(file, record, None, str(error))
            return
        yield document
        for field, reason in builder.problems:
            yield ImportProblem(file, document.number.compact, field, reason)

    @staticmethod
    def _syntax_reason(raw: RawDocument, error: etree.XMLSyntaxError) -> str:
        line = (error.lineno or 1) + raw.line - 1
        message = f"malformed XML at line {line} of the file: {error.msg}"
        root = _root_tag(raw.data)
        if raw.is_last and root and f"</{root}>".encode() not in raw.data[-4096:]:
            return f"the file is truncated: its last document has no closing </{root}> ({message})"
        return message
