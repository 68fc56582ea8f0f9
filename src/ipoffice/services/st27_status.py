"""Use case: the legal status of a patent right in WIPO ST.27 terms, derived at read time from every legal
event the register holds for it, as of any date (``ipoffice status NUMBER --as-of D``).

The events come from three places, each mapped by its own vocabulary (``rules/vocabularies/st27.yaml``):
the legal events of a register document (USPTO PEDS prosecution codes on ``US<patent>``), the recorded
events of other offices (USPTO Open Data Portal transactions on ``US<application>``: USPTO codes; EPO
INPADOC events: the EPO's code table, imported as reference data, gives each office's code its ST.27
class), and the published cases of this office's own procedures (CN invention, utility model, design;
US utility: the actions). Nothing is stored: the status is what the events say on the day asked.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from typing import Any

from ipoffice.adapters.recorded_events import SqlRecordedEvents
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain import case_file
from ipoffice.domain.document import LegalEvent, RightType
from ipoffice.domain.errors import DomainError
from ipoffice.domain.legal_status import LegalEventCode, MappedEvent, St27Vocabulary, is_grant_kind, status_as_of
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.services.case_documents import SOURCE_FORMAT as CASE_SOURCE_FORMAT
from ipoffice.services.procedures import ProcedureService


def _recorded_keys(number: str) -> list[str]:
    """The keys recorded events may be stored under for a number in any printed form: as given, without
    separators (``US 15/123,456`` → ``US15123456``), the publication without its kind (``EP 1 000 000 B1`` →
    ``EP1000000``)."""
    keys = [number, re.sub(r"[\s/,.-]", "", number)]
    with contextlib.suppress(DomainError):
        parsed = PublicationNumber.parse(number)
        keys.append(parsed.country + parsed.serial)
    return list(dict.fromkeys(keys))


class NoLegalEvents(LookupError):
    """Nothing in the register for the number: no document, recorded events or published case."""


class St27StatusService:
    def __init__(self, register: SqlRegister, recorded: SqlRecordedEvents, procedures: ProcedureService,
                 vocabulary: St27Vocabulary) -> None:
        self.register = register
        self.recorded = recorded
        self.procedures = procedures
        self.vocabulary = vocabulary

    def status(self, number: str, as_of: date) -> dict[str, Any]:
        """``{"number", "sources", "as_of", "state", "st27_category", "st27_category_title", "st27_key_event",
        "st27_key_event_title", "deciding_event", "events": [...], "unmapped": [codes], "undated_events"}``;
        the register document's own publication counts as an event (Q10, or F10 for a grant); each event has its
        code, date, description, source, authority, ST.27 category and key event, and ``mapped_by``.
        Raises NoLegalEvents when the register has nothing for ``number``."""
        wanted = "".join(number.split()).upper()
        events, sources, undated = self.events(wanted)
        if not sources:
            raise NoLegalEvents(f"no legal events in the register for {number!r} (a publication number such as "
                                "EP1000000 or US10465445, a US application number such as US15123456, or the "
                                "application number of a published case)")
        status = status_as_of(events, as_of, self.vocabulary).as_dict(self.vocabulary)
        return {"number": wanted, "sources": sources, **status, "undated_events": undated}

    def events(self, number: str) -> tuple[list[MappedEvent], list[str], list[dict[str, str]]]:
        """Every mapped event of ``number``, the sources they came from, and the events known without a date
        (a patent the register holds without its issue date)."""
        codes: dict[tuple[str, str], LegalEventCode] | None = None
        out: list[MappedEvent] = []
        sources: list[str] = []
        undated: list[dict[str, str]] = []
        for recorded in next((found for key in _recorded_keys(number) if (found := self.recorded.of(key))), []):
            sources.append(recorded.source)
            if recorded.source == "uspto-odp":
                out += [self._us(e, recorded.source) for e in recorded.events]
            else:
                codes = codes if codes is not None else self.recorded.code_table()
                out += [self._office(e, recorded.source, codes) for e in recorded.events]
        document = None
        with contextlib.suppress(DomainError):  # not a publication number: no document
            document = self.register.get(number)
        if document is not None and document.right_type != RightType.TRADEMARK:
            sources.append(document.source_format)
            # The document is itself an event: the publication of the application, or of the grant.
            granted = is_grant_kind(document.number.country, document.number.kind)
            key = "F10" if granted else "Q10"
            own = LegalEvent(document.number.compact, document.publication_date or date.max,
                             "grant published" if granted else "application published", document.number.country)
            if document.publication_date is not None:
                out.append(self.vocabulary.mapped(own, "register document", key, "document kind"))
            else:
                undated.append({"code": own.code, "description": own.description, "st27_key_event": key,
                                "note": "the register holds this publication without its date, so it cannot be "
                                        "placed in time and does not count in the status"})
            # a document projected from one of this office's cases repeats the case's events, read below
            for e in document.legal_events if document.source_format != CASE_SOURCE_FORMAT else ():
                if document.number.country == "US" and e.code in self.vocabulary.us_event_codes:
                    out.append(self._us(e, document.source_format))
                else:
                    codes = codes if codes is not None else self.recorded.code_table()
                    out.append(self._office(LegalEvent(e.code, e.date, e.description,
                                                       e.office_code or document.number.country),
                                            document.source_format, codes))
        view = self.procedures.published_case(number)
        if view is not None:
            sources.append(f"procedure:{view.record.procedure}")
            for entry in view.events:
                if case_file.is_record(entry.code):
                    continue
                action_key = self.vocabulary.procedure_actions.get(entry.code)
                out.append(self.vocabulary.mapped(LegalEvent(entry.code, entry.date, "", view.record.office),
                                                  f"procedure:{view.record.procedure}", action_key,
                                                  "procedure_actions" if action_key else None))
        out.sort(key=lambda e: e.date)
        return out, sources, undated

    def _us(self, event: LegalEvent, source: str) -> MappedEvent:
        key = self.vocabulary.us_event_codes.get(event.code)
        return self.vocabulary.mapped(event, source, key, "us_event_codes" if key else None)

    def _office(self, event: LegalEvent, source: str, codes: dict[tuple[str, str], LegalEventCode]) -> MappedEvent:
        entry = codes.get((event.office_code or "", " ".join(event.code.split())))
        if entry is not None:
            found = self.vocabulary.map_office_code(entry.event_class, entry.description)
        else:  # a code the table lacks (or the table not imported): the event's own description decides
            found = self.vocabulary.map_office_code("", event.description)
        key, how = found if found else (None, None)
        return self.vocabulary.mapped(event, source, key, how)
