"""WIPO ST.66 trademark XML (``Transaction`` of ``TradeMark`` records), as the offices send it to WIPO's
Global Brand Database: the ST.66 namespace ``http://www.wipo.int/standards/XMLSchema/trademarks`` with
WIPO's extension ``…/wo-trademarks`` (``wo:WordMarkSpecification``, ``wo:MarkEventDetails``,
``wo:MarkCurrentStatusCode``). Elements are read by local name, so either namespace serves.

Per ``TradeMark``: office (``RegistrationOfficeCode``), application, registration and publication
numbers and dates, expiry, ``KindMark``, ``MarkFeature``, the verbal element with its transliteration and
translation, Vienna codes (``MarkImageCategory`` of kind Vienna), colour claims, disclaimers, Nice classes
with the goods and services per language, applicants and representatives with country and address,
priorities, the events (``MarkEventCode`` with the office's own code and wording) and the current status.
A record with a bad field is a problem naming it; the file goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ipoffice.adapters.importers._common import parse_date, problem
from ipoffice.adapters.importers._marks import (
    child,
    children,
    every,
    lang_of,
    mark_document,
    priority_claim,
    publication,
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
from ipoffice.domain.trademark import MarkDetails, MarkText, MarkTextKind, mark_feature

ST66_NAMESPACE = "http://www.wipo.int/standards/XMLSchema/trademarks"
WO_NAMESPACE = "http://www.wipo.int/standards/XMLSchema/wo-trademarks"

_PARTIES = (("ApplicantDetails/Applicant/ApplicantAddressBook", PartyRole.APPLICANT),
            ("RepresentativeDetails/Representative/RepresentativeAddressBook", PartyRole.AGENT))


class St66XmlImporter:
    name = "st66-xml"

    def sniff(self, path: Path, head: bytes) -> bool:
        return b"<Transaction" in head.replace(b"tmk:", b"") and ST66_NAMESPACE.encode() in head

    def read(self, path: Path) -> Iterator[Record | ImportProblem | ImportNote]:
        return stream(path, "TradeMark", lambda element: self._record(path, element))

    def _record(self, path: Path, tm: etree._Element) -> Iterator[Record | ImportProblem | ImportNote]:
        office, application = text(tm, "RegistrationOfficeCode"), text(tm, "ApplicationNumber")
        try:
            application_date = parse_date(text(tm, "ApplicationDate"), field="ApplicationDate")
            yield from mark_document(
                path, office, application, application_date,
                lambda number: self.document(tm, number, application, application_date),
                office_field="RegistrationOfficeCode", number_field="ApplicationNumber")
        except InvalidField as e:
            yield problem(path, f"{office or '?'} {application or '?'}", e)

    def document(self, tm: etree._Element, number: object, application: str | None,
                 application_date: object) -> Document:
        verbal = [MarkText(MarkTextKind.VERBAL, t, lang_of(e))
                  for e in every(tm, "WordMarkSpecification/MarkVerbalElementText") if (t := text(e))]
        return Document(
            number=number,  # type: ignore[arg-type]
            application_number=application,
            application_date=application_date,  # type: ignore[arg-type]
            mark_text=verbal[0].text if verbal else None,
            classifications=_vienna(tm),
            parties=[p for path, role in _PARTIES for p in _parties(tm, path, role)],
            priority_claims=_priorities(tm),
            legal_events=_events(tm),
            goods_and_services=_goods_and_services(tm),
            mark=_details(tm, verbal),
            source_format=self.name,
        )


def _details(tm: etree._Element, verbal: list[MarkText]) -> MarkDetails:
    texts = list(verbal)
    for path, kind in (("WordMarkSpecification/MarkTransliteration", MarkTextKind.TRANSLITERATION),
                       ("WordMarkSpecification/MarkTranslation", MarkTextKind.TRANSLATION),
                       ("MarkDisclaimerDetails/MarkDisclaimer", MarkTextKind.DISCLAIMER),
                       ("MarkImageDetails/MarkImage/MarkImageColourClaimedText", MarkTextKind.COLOUR_CLAIM)):
        texts += [MarkText(kind, t, lang_of(e)) for e in every(tm, path) if (t := text(e))]
    for i, element in enumerate(every(tm, "PublicationDetails/Publication")):
        found = publication(text(element, "PublicationIdentifier"),
                            parse_date(text(element, "PublicationDate"), field=f"Publication[{i}].PublicationDate"))
        if found:
            texts.append(found)
    feature_text = text(tm, "MarkFeature")
    feature = mark_feature(feature_text)
    return MarkDetails(
        registration_number=text(tm, "RegistrationNumber"),
        registration_date=parse_date(text(tm, "RegistrationDate"), field="RegistrationDate"),
        international_number=text(tm, "InternationalRegistrationNumber"),
        expiry_date=parse_date(text(tm, "ExpiryDate"), field="ExpiryDate"),
        feature=feature,
        feature_text=feature_text if feature is None or feature.value != feature_text else None,
        kind_of_mark=text(tm, "KindMark"),
        status_text=text(tm, "MarkCurrentStatusCode"),
        status_date=parse_date(text(tm, "MarkCurrentStatusDate"), field="MarkCurrentStatusDate"),
        texts=tuple(texts),
    )


def _vienna(tm: etree._Element) -> list[Classification]:
    out: list[Classification] = []
    for category in every(tm, "MarkImageDetails/MarkImage/MarkImageCategory"):
        if (text(category, "CategoryKind") or "Vienna").lower() != "vienna":
            continue
        for code in every(category, "CategoryCodeDetails/CategoryCode"):
            if (raw := text(code)) is not None:
                out.append(Classification.of(Scheme.VIENNA, raw))
    return out


def _goods_and_services(tm: etree._Element) -> list[GoodsAndServices]:
    out: list[GoodsAndServices] = []
    for element in every(tm, "GoodsServicesDetails/GoodsServices/ClassDescriptionDetails/ClassDescription"):
        raw = text(element, "ClassNumber")
        if raw is None or not raw.isdigit():
            raise InvalidField("ClassDescription.ClassNumber", raw, "not a Nice class number")
        descriptions = children(element, "GoodsServicesDescription")
        terms = [(text(d) or "", lang_of(d)) for d in descriptions] or [("", None)]
        out += [GoodsAndServices(int(raw), t, lang) for t, lang in terms]
    return out


def _name_lines(book: etree._Element) -> list[tuple[str, str | None]]:
    name = child(book, "FormattedNameAddress/Name")
    lines = [(t, lang_of(e)) for e in every(name, "FreeFormatName/FreeFormatNameDetails/FreeFormatNameLine")
             if (t := text(e))]
    if not lines:  # structured forms: an organisation, or a person's parts
        formatted = child(name, "FormattedName")
        organisation = text(formatted, "OrganizationName")
        person = " ".join(t for part in ("FirstName", "MiddleName", "LastName") if (t := text(formatted, part)))
        if organisation or person:
            lines = [(organisation or person, None)]
    return lines


def _address(lines: dict[str | None, list[str]], lang: str | None) -> str | None:
    """The address of a name line in ``lang``: the lines in that language, else those without a language, else
    every line (a book whose address is given once, in any language)."""
    chosen = lines.get(lang) or lines.get(None) or [t for part in lines.values() for t in part]
    return "\n".join(chosen) or None


def _parties(tm: etree._Element, path: str, role: PartyRole) -> list[Party]:
    """One Party per name line (a line per language), the country of the book and its address in the line's
    language (``FreeFormatAddressLine/@languageCode``; the one address when not given per language) on each."""
    out: list[Party] = []
    for sequence, book in enumerate(every(tm, path)):
        address = child(book, "FormattedNameAddress/Address")
        country = text(address, "AddressCountryCode")
        lines: dict[str | None, list[str]] = {}  # by languageCode: an address per language of the names
        for e in every(address, "FreeFormatAddress/FreeFormatAddressLine"):
            if t := text(e):
                lines.setdefault(lang_of(e), []).append(t)
        names = _name_lines(book)
        if not names:
            raise InvalidField(f"{role.value}[{sequence}].Name", None, "the party has no name")
        out += [Party(role, name, country if country and len(country) == 2 else None, sequence,
                      _address(lines, lang), lang) for name, lang in names]
    return out


def _priorities(tm: etree._Element) -> list[PriorityClaim]:
    return [priority_claim(text(element, "PriorityCountryCode"), text(element, "PriorityNumber"),
                           text(element, "PriorityDate"), field=f"Priority[{i}]",
                           date_field=f"Priority[{i}].PriorityDate")
            for i, element in enumerate(every(tm, "PriorityDetails/Priority"))]


def _events(tm: etree._Element) -> list[LegalEvent]:
    out: list[LegalEvent] = []
    for i, element in enumerate(every(tm, "MarkEventDetails/MarkEvent")):
        day = parse_date(text(element, "MarkEventDate"), field=f"MarkEvent[{i}].MarkEventDate")
        code = text(element, "MarkEventCode")
        office_code = text(element, "OfficeSpecificMarkEventCode")
        if day is None:
            raise InvalidField(f"MarkEvent[{i}].MarkEventDate", None, "an event needs its date")
        if not code and not office_code:
            raise InvalidField(f"MarkEvent[{i}].MarkEventCode", None, "an event needs a code")
        name, description = text(element, "OfficeSpecificMarkEventName"), text(element,
                                                                                "OfficeSpecificMarkEventDescription")
        wording = f"{name}: {description}" if name and description and name != description else (
            description or name or "")
        out.append(LegalEvent(code or office_code or "", day, wording, office_code if code else None))
    return out
