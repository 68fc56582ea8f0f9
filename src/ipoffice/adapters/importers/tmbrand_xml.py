"""The Israel Patent Office's trademark XML (``TMBRAND``, one record per element, as its register
publishes them and WIPO's Global Brand Database receives them).

Per ``TMBRAND``: ``DETAILS`` (``OFFICENUMBER`` — in Israel the application keeps its number when registered,
so it is the registration number too once ``REGISTRATIONDATE`` is given —, ``INTERNATIONALNUMBER``,
``Internationality``, ``FILINGDATE``, ``REGISTRATIONDATE``, ``EXPIRATIONDATE``, ``BRANDTYPE``, ``STATUS``,
``ReasonForClosure``, the mark ``BRAND/NAME`` in Hebrew and English, ``MarkTranscription``), applicants and
representatives (names and addresses per language), ``NICEGROUP`` (class ``TYPE``, ``LIST`` per language),
``VIENNAGROUP`` (``26.2`` → ``26.02``), ``PRIORGROUP``, ``DISCLAIMERS``, ``COLORCLAIMS``, ``TERMS``
(conditions of the registration), ``EVENTS`` (date, nature, description, publication date), ``OPPOSITIONS``
and ``CANCELLATIONS`` (opening and closing dates) and ``EXTREGISTRATIONGROUP`` (international
registrations).

Events are coded by their English nature (:data:`EVENT_CODES`); a publication of an event is an event of
its own (``published``). An opposition or cancellation proceeding is one event at its opening, its closing
date in the description.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from ipoffice.adapters.importers._common import parse_date, problem
from ipoffice.adapters.importers._marks import (
    child,
    children,
    every,
    lang_of,
    local,
    mark_document,
    priority_claim,
    stream,
    text,
)
from ipoffice.adapters.importers.base import ImportNote, ImportProblem, Record
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import (
    Classification,
    Document,
    GoodsAndServices,
    LegalEvent,
    Party,
    PartyRole,
    PriorityClaim,
)
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.trademark import MarkDetails, MarkText, MarkTextKind

OFFICE = "IL"

# NatureOfEvent (English, lower case) → event code.
EVENT_CODES: dict[str, str] = {
    "accepted": "accepted",
    "registered": "registered",
    "renewal of registration": "renewed",
    "non-payment of renewal fee": "renewal_fee_unpaid",
    "cancellation due to non-payment of renewal fee": "expired_unpaid_renewal",
    "commencement of opposition procedure": "opposition_opened",
    "cancellation of opposition procedure": "opposition_closed",
    "commencement of removal/cancellation/rectification procedure": "cancellation_opened",
    "cancellation of removal/cancellation/rectification procedure": "cancellation_closed",
    "appointment of attorney": "agent_appointed",
    "cancellation of attorney appointment": "agent_removed",
    "change in ownership from": "owner_changed",
    "change in proprietor's details from": "owner_details_changed",
}
OTHER_EVENT = "event"
PUBLISHED = "published"


class TmbrandXmlImporter:
    name = "tmbrand-xml"

    def sniff(self, path: Path, head: bytes) -> bool:
        return b"<TMBRAND" in head

    def read(self, path: Path) -> Iterator[Record | ImportProblem | ImportNote]:
        return stream(path, "TMBRAND", lambda element: self._record(path, element))

    def _record(self, path: Path, brand: etree._Element) -> Iterator[Record | ImportProblem | ImportNote]:
        details = child(brand, "DETAILS")
        number = text(details, "OFFICENUMBER")
        try:
            filed = parse_date(text(details, "FILINGDATE"), field="DETAILS.FILINGDATE")
            yield from mark_document(path, OFFICE, number, filed,
                                     lambda number: self.document(brand, number, filed),
                                     office_field="office", number_field="DETAILS.OFFICENUMBER")
        except InvalidField as e:
            yield problem(path, f"{OFFICE} {number or '?'}", e)

    def document(self, brand: etree._Element, number: PublicationNumber, filed: date | None) -> Document:
        details = child(brand, "DETAILS")
        office_number = text(details, "OFFICENUMBER")
        verbal = [MarkText(MarkTextKind.VERBAL, t, lang_of(e)) for e in every(details, "BRAND/NAME") if (t := text(e))]
        events = _events(brand)
        return Document(
            number=number,
            application_number=office_number,
            application_date=filed,
            mark_text=verbal[0].text if verbal else None,
            classifications=[Classification.of(Scheme.VIENNA, t)
                             for e in every(brand, "VIENNAGROUP/VIENNATYPE") if (t := text(e))],
            parties=_parties(brand, "APPLICANTS/APPLICANT", PartyRole.APPLICANT)
            + _parties(brand, "REPRESENTATIVES/REPRESENTATIVE", PartyRole.AGENT),
            priority_claims=_priorities(brand),
            legal_events=events,
            goods_and_services=_goods_and_services(brand),
            mark=_details(brand, details, office_number, verbal, events),
            source_format=TmbrandXmlImporter.name,
        )


def _details(brand: etree._Element, details: etree._Element | None, office_number: str | None,
             verbal: list[MarkText], events: list[LegalEvent]) -> MarkDetails:
    registered = parse_date(text(details, "REGISTRATIONDATE"), field="DETAILS.REGISTRATIONDATE")
    texts = list(verbal)
    if (transcription := text(details, "MarkTranscription")) is not None:
        texts.append(MarkText(MarkTextKind.TRANSLITERATION, transcription))
    if (reason := text(details, "ReasonForClosure")) is not None:
        texts.append(MarkText(MarkTextKind.STATUS_REASON, reason))
    if (internationality := text(details, "Internationality")) is not None:
        texts.append(MarkText(MarkTextKind.INTERNATIONALITY, internationality))
    for path, kind in (("DISCLAIMERS/DISCLAIMER/DESC", MarkTextKind.DISCLAIMER),
                       ("COLORCLAIMS/COLORCLAIM/DESC", MarkTextKind.COLOUR_CLAIM),
                       ("TERMS/TERM/DESC", MarkTextKind.LIMITATION)):
        texts += [MarkText(kind, t, lang_of(e)) for e in every(brand, path) if (t := text(e))]
    texts += [MarkText(MarkTextKind.PUBLICATION, "", None, e.date) for e in events if e.code == PUBLISHED]
    return MarkDetails(
        registration_number=office_number if registered else None,
        registration_date=registered,
        international_number=text(details, "INTERNATIONALNUMBER"),
        expiry_date=parse_date(text(details, "EXPIRATIONDATE"), field="DETAILS.EXPIRATIONDATE"),
        kind_of_mark=text(details, "BRANDTYPE"),
        status_text=text(details, "STATUS"),
        texts=tuple(texts),
    )


def _in_language(element: etree._Element | None, name: str) -> dict[str | None, str]:
    return {lang_of(e): t for e in children(element, name) if (t := text(e))}


def _parties(brand: etree._Element, path: str, role: PartyRole) -> list[Party]:
    """One Party per language the names are given in, with the address in that language."""
    out: list[Party] = []
    for sequence, element in enumerate(every(brand, path)):
        names = _in_language(child(element, "NAMES"), "NAME")
        addresses = _in_language(child(element, "ADDRESSES"), "ADDRESS")
        if not names:
            raise InvalidField(f"{path}[{sequence}].NAMES", None, "the party has no name")
        out += [Party(role, name, None, sequence, addresses.get(lang), lang) for lang, name in names.items()]
    return out


def _goods_and_services(brand: etree._Element) -> list[GoodsAndServices]:
    out: list[GoodsAndServices] = []
    for element in every(brand, "NICEGROUP/NICECLASS"):
        raw = text(element, "TYPE")
        if raw is None or not raw.isdigit():
            raise InvalidField("NICECLASS.TYPE", raw, "not a Nice class number")
        lists = _in_language(element, "LIST") or {None: ""}
        out += [GoodsAndServices(int(raw), terms, lang) for lang, terms in lists.items()]
    return out


def _field_like(element: etree._Element, word: str) -> str | None:
    """The text of the first child whose tag holds ``word`` (COUNTRY, NUMBER, DATE): the groups the samples
    leave empty are read by what their tags say."""
    return next((t for c in element if word in local(c).upper() and (t := text(c))), None)


def _priorities(brand: etree._Element) -> list[PriorityClaim]:
    group = child(brand, "PRIORGROUP")
    return [priority_claim(_field_like(element, "COUNTRY"), _field_like(element, "NUMBER"),
                           _field_like(element, "DATE"), field=f"PRIORGROUP[{i}]", date_field=f"PRIORGROUP[{i}].DATE")
            for i, element in enumerate(c for c in (group if group is not None else []) if local(c))]


def _events(brand: etree._Element) -> list[LegalEvent]:
    out: list[LegalEvent] = []
    for i, element in enumerate(every(brand, "EVENTS/EVENT")):
        day = parse_date(text(element, "EventDate"), field=f"EVENT[{i}].EventDate")
        if day is None:
            raise InvalidField(f"EVENT[{i}].EventDate", None, "an event needs its date")
        nature = _in_language(element, "NatureOfEvent")
        described = _in_language(element, "EventDescription")
        wording = nature.get("en") or next(iter(nature.values()), "")
        detail = described.get("en") or next(iter(described.values()), "")
        code = EVENT_CODES.get(wording.lower(), OTHER_EVENT)
        out.append(LegalEvent(code, day, f"{wording}: {detail}" if detail else wording))
        published = parse_date(text(element, "PublicationDate"), field=f"EVENT[{i}].PublicationDate")
        if published is not None:
            out.append(LegalEvent(PUBLISHED, published, f"publication of: {wording}"))
    for group, code in (("OPPOSITIONS/OPPOSITION", "opposition"), ("CANCELLATIONS/CANCELLATION", "cancellation")):
        for i, element in enumerate(every(brand, group)):
            opened = parse_date(text(element, "OPENINGDATE"), field=f"{group}[{i}].OPENINGDATE")
            closed = parse_date(text(element, "CLOSINGDATE"), field=f"{group}[{i}].CLOSINGDATE")
            if opened is None:
                raise InvalidField(f"{group}[{i}].OPENINGDATE", None, "a proceeding needs its opening date")
            out.append(LegalEvent(code, opened, f"closed {closed.isoformat()}" if closed else "open"))
    extregistration = child(brand, "EXTREGISTRATIONGROUP")
    for i, element in enumerate(c for c in (extregistration if extregistration is not None else []) if local(c)):
        day = parse_date(_field_like(element, "DATE"), field=f"EXTREGISTRATIONGROUP[{i}].DATE")
        if day is None:
            raise InvalidField(f"EXTREGISTRATIONGROUP[{i}].DATE", None, "an international registration needs a date")
        out.append(LegalEvent("international_registration", day, text(element) or ""))
    return out
