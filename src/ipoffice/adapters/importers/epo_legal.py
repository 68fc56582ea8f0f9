"""EPO OPS legal-status responses (INPADOC, ``ops:world-patent-data`` with ``ops:patent-family legal="true"``):
for each family member, its publication and the legal events recorded against it by every office
(``ops:legal`` with the event ``code``, its description, and the ``L001EP`` authority whose code it
is; the day is the gazette date ``L007EP``).

Each family member becomes :class:`RecordedEvents` for its publication number (docdb country + number,
e.g. ``EP1000000``; kind dropped, as one record covers A1 and B1), the events in date order. An event
without a code or a date is a problem naming it; the family member is then left out whole.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ipoffice.adapters.importers._common import problem
from ipoffice.adapters.importers.base import ImportNote, ImportProblem, Record
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.legal_status import RecordedEvent, RecordedEvents

SOURCE = "epo-ops-legal"
_EX = "{http://www.epo.org/exchange}"
_OPS = "{http://ops.epo.org}"


def _docdb(parent: ET.Element | None) -> tuple[str, str]:
    """(country + number, kind) of the docdb ``document-id`` under ``parent``."""
    if parent is None:
        return "", ""
    for doc_id in parent.iter(f"{_EX}document-id"):
        if doc_id.get("document-id-type") == "docdb":
            country = (doc_id.findtext(f"{_EX}country") or "").strip()
            number = (doc_id.findtext(f"{_EX}doc-number") or "").strip()
            return (country + number if country and number else ""), (doc_id.findtext(f"{_EX}kind") or "").strip()
    return "", ""


def _event(legal: ET.Element, index: int) -> RecordedEvent:
    where = f"legal[{index}]"
    code = (legal.get("code") or "").strip()
    if not code:
        raise InvalidField(f"{where}.code", legal.get("code"), "is missing")
    text = (legal.findtext(f"{_OPS}L007EP") or "").strip()
    try:
        when = date.fromisoformat(text)
    except ValueError:
        raise InvalidField(f"{where}.L007EP", text, "gazette date missing or not like 2002-06-05") from None
    authority = (legal.findtext(f"{_OPS}L001EP") or "").strip() or None
    territory = (legal.findtext(f".//{_OPS}L501EP") or "").strip() or None  # "Ref Country Code"
    designated = tuple((legal.findtext(f".//{_OPS}L507EP") or "").split())  # "Designated State(s)"
    return RecordedEvent(code, when, " ".join((legal.get("desc") or "").split()), authority, territory, designated)


def family_member_events(member: ET.Element) -> RecordedEvents:
    number, _ = _docdb(member.find(f"{_EX}publication-reference"))
    if not number:
        raise InvalidField("publication-reference", None, "no docdb country and doc-number")
    application, _ = _docdb(member.find(f"{_EX}application-reference"))
    events = [_event(legal, i) for i, legal in enumerate(member.iter(f"{_OPS}legal"))]
    events.sort(key=lambda e: e.date)
    return RecordedEvents(number, application or None, SOURCE, tuple(events))


class EpoLegalImporter:
    name = "epo-ops-legal"

    def sniff(self, path: Path, head: bytes) -> bool:
        return b"world-patent-data" in head and b'legal="true"' in head

    def read(self, path: Path) -> Iterator[Record | ImportProblem | ImportNote]:
        position = 0
        try:
            for _, element in ET.iterparse(path, events=("end",)):
                if element.tag != f"{_OPS}family-member":
                    continue
                position += 1
                try:
                    yield family_member_events(element)
                except InvalidField as e:
                    number, _ = _docdb(element.find(f"{_EX}publication-reference"))
                    yield problem(path, number or f"family member {position}", e)
                element.clear()
        except ET.ParseError as e:
            yield problem(path, None, f"not well-formed XML: {e}", "file")
        except OSError as e:
            yield problem(path, None, f"cannot read: {e}", "file")
