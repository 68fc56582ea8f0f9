"""USPTO Open Data Portal (ODP) patent file wrapper responses (JSON ``{"count": …, "patentBag": [...]}``)
that hold an application's transactions (``transactionContentBag``: dated ``caseActionCode`` events)
and/or its recorded assignments (``assignmentBag``).

An entry with ``applicationNumberText`` gives the application's transactions as its recorded events
(``US<application number>``) and its assignments (the application as their property). An entry without
it (the bare ``transactions`` and ``assignment`` endpoints answer without saying which application) is
skipped with a note: its records could not be attached to anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ipoffice.adapters.conveyance_vocabulary import load_conveyance_vocabulary
from ipoffice.adapters.importers._common import problem
from ipoffice.adapters.importers.base import ImportNote, ImportProblem, Record
from ipoffice.domain.assignments import Assignee, Assignment, Assignor, Property, property_key, with_references
from ipoffice.domain.conveyances import by_parties
from ipoffice.domain.document import LegalEvent
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.legal_status import RecordedEvents

SOURCE = "uspto-odp"


def _date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InvalidField(field, value, "not a date like 2018-10-25") from None


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _publication(value: Any) -> str | None:
    """``US 2017-0071586 A1`` → ``20170071586`` (the form assignment records give publications in)."""
    text = _text(value)
    return property_key(text) if text else None


def transactions(entry: dict[str, Any], number: str) -> RecordedEvents:
    bag = entry.get("transactionContentBag") or []
    if not isinstance(bag, list):
        raise InvalidField("transactionContentBag", type(bag).__name__, "must be a list")
    events = []
    for i, item in enumerate(bag):
        where = f"transactionContentBag[{i}]"
        if not isinstance(item, dict):
            raise InvalidField(where, item, "must be an object")
        code = _text(item.get("caseActionCode"))
        if not code:
            raise InvalidField(f"{where}.caseActionCode", item.get("caseActionCode"), "is missing")
        when = _date(item.get("recordedDate"), f"{where}.recordedDate")
        if when is None:
            raise InvalidField(f"{where}.recordedDate", item.get("recordedDate"), "is missing")
        events.append(LegalEvent(code, when, _text(item.get("caseActionDescriptionText")), "US"))
    events.sort(key=lambda e: e.date)  # stable: same-day events keep the office's order
    return RecordedEvents("US" + number, number, SOURCE, tuple(events))


def assignment(item: dict[str, Any], where: str, prop: Property, inventors: Sequence[str] = ()) -> Assignment:
    """One ``assignmentBag`` entry; raises InvalidField naming the field (``where`` its place). ``inventors``:
    the application's, to tell the inventors' own assignment (the employee's) from others."""
    reel_text, frame_text = _text(item.get("reelNumber")), _text(item.get("frameNumber"))
    if not reel_text.isdigit():
        raise InvalidField(f"{where}.reelNumber", item.get("reelNumber"), "must be a number")
    if not frame_text.isdigit():
        raise InvalidField(f"{where}.frameNumber", item.get("frameNumber"), "must be a number")
    recorded = _date(item.get("assignmentRecordedDate"), f"{where}.assignmentRecordedDate")
    if recorded is None:
        raise InvalidField(f"{where}.assignmentRecordedDate", None, "is missing")
    text = _text(item.get("conveyanceText"))
    if not text:
        raise InvalidField(f"{where}.conveyanceText", item.get("conveyanceText"), "is missing")
    assignors = tuple(Assignor(_text(a.get("assignorName")), _date(a.get("executionDate"),
                                                                    f"{where}.assignorBag[{i}].executionDate"))
                      for i, a in enumerate(item.get("assignorBag") or []) if isinstance(a, dict))
    assignees = []
    for b in item.get("assigneeBag") or []:
        if isinstance(b, dict):
            address = b.get("assigneeAddress") or {}
            parts = [address.get(k) for k in ("addressLineOneText", "addressLineTwoText", "cityName",
                                              "geographicRegionCode", "postalCode", "countryName")]
            assignees.append(Assignee(_text(b.get("assigneeNameText")), ", ".join(_text(p) for p in parts if _text(p))))
    correspondents = item.get("correspondenceAddress") or []
    correspondent = _text(correspondents[0].get("correspondentNameText")) if correspondents and isinstance(
        correspondents[0], dict) else ""
    classification = by_parties(load_conveyance_vocabulary().classify(text), [a.name for a in assignors], inventors)
    pages = item.get("pageNumber")
    result = with_references(Assignment(
        reel=int(reel_text), frame=int(frame_text), recorded=recorded, conveyance_text=text,
        conveyance_type=classification.type, assignors=assignors, assignees=tuple(assignees), properties=(prop,),
        pages=pages if isinstance(pages, int) else None, correspondent=correspondent, source=SOURCE,
        matched_pattern=classification.pattern))
    try:
        result.validate()
    except InvalidField as e:
        raise InvalidField(f"{where}.{e.field}", e.value, e.reason) from None
    return result


class UsptoOdpImporter:
    name = "uspto-odp-json"

    def sniff(self, path: Path, head: bytes) -> bool:
        return (head.lstrip().startswith(b"{") and b'"patentBag"' in head
                and (b'"transactionContentBag"' in head or b'"assignmentBag"' in head))

    def read(self, path: Path) -> Iterator[Record | ImportProblem | ImportNote]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as e:
            yield problem(path, None, f"cannot read: {e}", "file")
            return
        except json.JSONDecodeError as e:
            yield problem(path, None, f"not valid JSON: {e.msg} at line {e.lineno}", "file")
            return
        bag = data.get("patentBag") if isinstance(data, dict) else None
        if not isinstance(bag, list):
            yield problem(path, None, "must be a list", "patentBag")
            return
        for index, entry in enumerate(bag):
            where = f"patentBag[{index}]"
            if not isinstance(entry, dict):
                yield problem(path, where, "must be an object", where)
                continue
            number = _text(entry.get("applicationNumberText")).replace("/", "").replace(",", "")
            if not number:
                yield ImportNote(str(path), f"{where}: skipped: no applicationNumberText, so its transactions "
                                            "and assignments cannot be attached to an application (the "
                                            "application response holds them with its number)")
                continue
            record = f"application {number}"
            if "transactionContentBag" in entry:
                try:
                    yield transactions(entry, number)
                except InvalidField as e:
                    yield problem(path, record, e)
            prop = Property(application_number=number,
                            publication_number=_publication(entry.get("earliestPublicationNumber")),
                            patent_number=_text(entry.get("patentNumber")) or None,
                            title=_text(entry.get("inventionTitle")))
            inventors = [_text(x.get("inventorNameText")) for x in entry.get("inventorBag") or []
                         if isinstance(x, dict)]
            for i, item in enumerate(entry.get("assignmentBag") or []):
                try:
                    if not isinstance(item, dict):
                        raise InvalidField(f"assignmentBag[{i}]", item, "must be an object")
                    yield assignment(item, f"assignmentBag[{i}]", prop, inventors)
                except InvalidField as e:
                    yield problem(path, record, e)
