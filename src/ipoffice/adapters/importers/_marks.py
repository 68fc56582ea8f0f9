"""What the trademark importers (ST.66, TMBRAND) share: reading elements by local name, streaming the
records of a file, and the rules that make a trademark Document of what a record holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from ipoffice.adapters.importers._common import fold_whitespace, parse_date, problem
from ipoffice.adapters.importers.base import ImportNote, ImportProblem, Record
from ipoffice.domain.document import Document, PriorityClaim, RightType
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.trademark import MarkText, MarkTextKind, trademark_number


def local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def children(element: etree._Element | None, name: str) -> list[etree._Element]:
    """The child elements called ``name``, whatever their namespace (ST.66 and its WIPO extension)."""
    if element is None:
        return []
    return [c for c in element if local(c) == name]


def child(element: etree._Element | None, path: str) -> etree._Element | None:
    """The first element along ``A/B/C`` (local names)."""
    for name in path.split("/"):
        found = children(element, name)
        if not found:
            return None
        element = found[0]
    return element


def every(element: etree._Element | None, path: str) -> list[etree._Element]:
    """Every element along ``A/B/C`` (local names), in document order."""
    current = [element] if element is not None else []
    for name in path.split("/"):
        current = [c for e in current for c in children(e, name)]
    return current


def text(element: etree._Element | None, path: str | None = None) -> str | None:
    """The folded text of an element (or of ``path`` under it); None when absent, empty or a bare ``-``
    (the offices' placeholder for "none")."""
    target = child(element, path) if path else element
    if target is None:
        return None
    if len(target):  # a group: its parts' texts apart, not run together
        value = " ".join(str(part).strip() for part in target.itertext() if str(part).strip())
    else:
        value = fold_whitespace(target.text or "")
    return value if value and value != "-" else None


def lang_of(element: etree._Element) -> str | None:
    value = (element.get("languageCode") or element.get("lang") or "").strip().lower()
    return value or None


def stream(path: Path, record_tag: str, read_one: Callable[[etree._Element], Iterator[Record | ImportProblem |
           ImportNote]]) -> Iterator[Record | ImportProblem | ImportNote]:
    """Each ``record_tag`` element of the file (any namespace) handed to ``read_one`` as it ends, then
    freed: memory stays that of one record. A file that is not well-formed is a problem after the records
    read before the fault."""
    try:
        for _, element in etree.iterparse(str(path), events=("end",), tag=(record_tag, f"{{*}}{record_tag}"),
                                          resolve_entities=False, no_network=True, huge_tree=True):
            yield from read_one(element)
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except (OSError, etree.XMLSyntaxError) as e:
        yield problem(path, None, e, field="file")


def mark_document(path: Path, office: str | None, application_number: str | None, application_date: date | None,
                  build: Callable[..., Document], *, office_field: str,
                  number_field: str) -> Iterator[Document | ImportNote]:
    """The Document ``build(number=…, publication_date=…)`` of a record, keyed by its office and application
    number (domain.trademark); its publication date is the earliest publication on or after filing, the
    others (offices write 1900-01-01 for "unknown") stay among the mark's publications with a note."""
    if not office or len(office) != 2 or not office.isalpha():
        raise InvalidField(office_field, office, "must be the office's two-letter ST.3 code")
    if not application_number:
        raise InvalidField(number_field, application_number, "is missing: a trademark record needs it")
    number = trademark_number(office, application_number)
    doc: Document = build(number=number)
    doc.right_type = RightType.TRADEMARK
    dates = sorted(p.date for p in (doc.mark.publications if doc.mark else []) if p.date)
    valid = [d for d in dates if application_date is None or d >= application_date]
    doc.publication_date = valid[0] if valid else None
    if len(valid) < len(dates):
        early = ", ".join(d.isoformat() for d in dates if d not in valid)
        yield ImportNote(str(path), f"{number.compact}: publication date {early} is before the application date "
                                    f"{application_date}: kept among the mark's publications, not as its "
                                    "publication date")
    doc.validate()
    yield doc


def publication(identifier: str | None, day: date | None) -> MarkText | None:
    if identifier is None and day is None:
        return None
    return MarkText(MarkTextKind.PUBLICATION, identifier or "", None, day)


def priority_claim(country: str | None, number: str | None, date_text: str | None, *, field: str,
                   date_field: str) -> PriorityClaim:
    """A priority claim of a mark; raises InvalidField naming ``field`` without country or number."""
    if not country or not number:
        raise InvalidField(field, number, "a priority needs its country and number")
    return PriorityClaim(country, number, parse_date(date_text, field=date_field))
