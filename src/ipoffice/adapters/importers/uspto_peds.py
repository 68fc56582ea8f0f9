"""USPTO prosecution histories (PEDS JSON lines): granted applications with their dated events.

Each line is one application with its filing date, status and prosecution events (USPTO event
codes such as CTNF non-final rejection, NOA allowance). An application with a patent number becomes
(or enriches) the register entry ``US<patent number>`` with its application data and the events as
legal events. Applications without a patent number have no publication to attach them to here:
they are skipped with a note; ``ipoffice replay`` works on them as procedure histories.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ipoffice.adapters.importers._common import parse_date, problem
from ipoffice.adapters.importers.base import ImportNote, ImportProblem, Record
from ipoffice.domain.document import Document, LegalEvent, LocalizedText, TextField
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import PublicationNumber

_REQUIRED = (b'"application_number"', b'"prosecution_events"')


class UsptoPedsImporter:
    name = "uspto-peds"

    def sniff(self, path: Path, head: bytes) -> bool:
        return head.lstrip().startswith(b"{") and all(key in head for key in _REQUIRED)

    def read(self, path: Path) -> Iterator[Record | ImportProblem | ImportNote]:
        skipped = 0
        try:
            with path.open(encoding="utf-8") as fh:
                for line_number, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    record = f"line {line_number}"
                    try:
                        data = json.loads(line)
                        if not isinstance(data, dict):
                            raise InvalidField("line", type(data).__name__, "must be a JSON object")
                        record = f"application {data.get('application_number') or '?'}"
                        document = self.document(data)
                    except json.JSONDecodeError as e:
                        yield problem(path, record, f"not valid JSON: {e.msg} at column {e.colno}", "line")
                        continue
                    except InvalidField as e:
                        yield problem(path, record, e)
                        continue
                    if document is None:
                        skipped += 1
                    else:
                        yield document
        except (OSError, UnicodeDecodeError) as e:
            yield problem(path, None, f"cannot read: {e}", "file")
            return
        if skipped:
            yield ImportNote(str(path), f"{skipped} applications without a patent number skipped "
                                        "(not publications; replay them with `ipoffice replay`)")

    def document(self, data: dict[str, Any]) -> Document | None:
        patent = str(data.get("patent_number") or "").strip()
        if not patent:
            return None
        events = []
        raw_events = data.get("prosecution_events") or []
        if not isinstance(raw_events, list):
            raise InvalidField("prosecution_events", type(raw_events).__name__, "must be a list")
        for i, event in enumerate(raw_events):
            if not isinstance(event, dict):
                raise InvalidField(f"prosecution_events[{i}]", event, "must be an object")
            code = str(event.get("code") or "").strip()
            if not code:
                raise InvalidField(f"prosecution_events[{i}].code", event.get("code"), "is empty")
            when = parse_date(event.get("date"), field=f"prosecution_events[{i}].date")
            if when is None:
                raise InvalidField(f"prosecution_events[{i}].date", event.get("date"), "is missing")
            events.append(LegalEvent(code, when, str(event.get("description") or "")))
        events.sort(key=lambda e: (e.date, e.code))
        title = str(data.get("patent_title") or "").strip()
        return Document(
            number=PublicationNumber.parse("US" + patent),
            application_number=str(data.get("application_number") or "") or None,
            application_date=parse_date(str(data.get("filing_date") or ""), field="filing_date"),
            texts=[LocalizedText(TextField.TITLE, "en", title)] if title else [],
            legal_events=events,
            source_format=self.name,
        )
