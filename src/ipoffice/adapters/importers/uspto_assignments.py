"""USPTO patent assignment records: responses of the USPTO Assignment Search API (Solr XML ``<response>``
with one ``<doc>`` per recording: ``reelNo``, ``frameNo``, ``recordedDate``, ``conveyanceText``, the
assignors and assignees as parallel arrays, the properties as parallel arrays ``applNum``/``patNum``/
``publNum``/``inventionTitle``). Each recording becomes an :class:`Assignment` with its conveyance typed
by the conveyance vocabulary. A recording with a field missing or malformed is a problem naming the
field (the source's name, e.g. ``recordedDate``) and is left out whole; the others go on. An assignment
whose assignors are the inventors of its properties (``inventors``) is the employee's assignment.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ipoffice.adapters.conveyance_vocabulary import load_conveyance_vocabulary
from ipoffice.adapters.importers._common import problem
from ipoffice.adapters.importers.base import ImportNote, ImportProblem, Record
from ipoffice.domain.assignments import Assignee, Assignment, Assignor, Property, with_references
from ipoffice.domain.conveyances import by_parties
from ipoffice.domain.errors import InvalidField

_NULLS = {"", "NULL", "0001-01-01T00:00:00Z"}

Fields = dict[str, str | list[str]]


def _value(fields: Fields, name: str) -> str:
    value = fields.get(name)
    text = value if isinstance(value, str) else ""
    return "" if text.strip() in _NULLS else text.strip()


def _values(fields: Fields, name: str) -> list[str]:
    value = fields.get(name)
    items = value if isinstance(value, list) else ([value] if value else [])
    return ["" if item.strip() in _NULLS else item.strip() for item in items]


def _day(text: str, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidField(field, text, "not a date like 2019-05-07T04:00:00Z") from None


def _number(fields: Fields, name: str) -> int:
    text = _value(fields, name)
    if not text:
        raise InvalidField(name, fields.get(name), "is missing")
    if not text.isdigit():
        raise InvalidField(name, text, "must be a number")
    return int(text)


def assignment_from_fields(fields: Fields, source: str = "uspto") -> Assignment:
    """One recording from a Solr ``<doc>``'s fields; raises InvalidField naming the source field."""
    reel, frame = _number(fields, "reelNo"), _number(fields, "frameNo")
    recorded = _day(_value(fields, "recordedDate"), "recordedDate")
    if recorded is None:
        raise InvalidField("recordedDate", fields.get("recordedDate"), "is missing")
    text = _value(fields, "conveyanceText")
    if not text:
        raise InvalidField("conveyanceText", fields.get("conveyanceText"), "is missing")
    names, executed = _values(fields, "patAssignorName"), _values(fields, "patAssignorExDate")
    assignors = tuple(Assignor(name, _day(executed[i] if i < len(executed) else "", f"patAssignorExDate[{i}]"))
                      for i, name in enumerate(names))
    address_parts = [_values(fields, f"patAssignee{part}") for part in
                     ("Address1", "Address2", "City", "State", "Postcode", "CountryName")]
    assignees = tuple(
        Assignee(name, ", ".join(p[i] for p in address_parts if i < len(p) and p[i]))
        for i, name in enumerate(_values(fields, "patAssigneeName")))
    applications, patents = _values(fields, "applNum"), _values(fields, "patNum")
    publications, titles = _values(fields, "publNum"), _values(fields, "inventionTitle")
    count = max(len(applications), len(patents), len(publications))

    def at(items: list[str], i: int) -> str | None:
        return items[i] if i < len(items) and items[i] else None

    properties = tuple(Property(at(applications, i), at(patents, i), at(publications, i), at(titles, i) or "")
                       for i in range(count))
    inventors = [name.strip() for names in _values(fields, "inventors") for name in names.split(",")]
    classification = by_parties(load_conveyance_vocabulary().classify(text), [a.name for a in assignors], inventors)
    pages = _value(fields, "pageCount")
    assignment = with_references(Assignment(
        reel=reel, frame=frame, recorded=recorded, conveyance_text=text, conveyance_type=classification.type,
        assignors=assignors, assignees=assignees, properties=properties,
        pages=int(pages) if pages.isdigit() else None, correspondent=_value(fields, "corrName"),
        source=source, matched_pattern=classification.pattern))
    assignment.validate()
    return assignment


def _fields(doc: ET.Element) -> Fields:
    out: Fields = {}
    for child in doc:
        name = child.get("name")
        if name is None:
            continue
        out[name] = [item.text or "" for item in child] if child.tag == "arr" else (child.text or "")
    return out


class UsptoAssignmentsImporter:
    name = "uspto-assignment-xml"

    def sniff(self, path: Path, head: bytes) -> bool:
        return b"<response" in head and b'name="reelNo"' in head and b'name="conveyanceText"' in head

    def read(self, path: Path) -> Iterator[Record | ImportProblem | ImportNote]:
        position = 0
        try:
            depth = 0
            for event, element in ET.iterparse(path, events=("start", "end")):
                if element.tag == "result":
                    depth += 1 if event == "start" else -1
                if event != "end" or element.tag != "doc" or depth != 1:
                    continue
                position += 1
                fields = _fields(element)
                element.clear()
                record = f"reel/frame {_value(fields, 'reelNo') or '?'}/{_value(fields, 'frameNo') or '?'}"
                try:
                    yield assignment_from_fields(fields)
                except InvalidField as e:
                    yield problem(path, record if record != "reel/frame ?/?" else f"document {position}", e)
        except ET.ParseError as e:
            yield problem(path, None, f"not well-formed XML: {e}", "file")
        except OSError as e:
            yield problem(path, None, f"cannot read: {e}", "file")
