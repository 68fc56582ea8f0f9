"""Trademark documents written as WIPO ST.66 XML: one ``Transaction`` whose ``TradeMarkDetails`` holds a
``TradeMark`` per mark, in the element order and namespaces of the offices' files (ST.66 with WIPO's
``wo:`` extension for the verbal element, events and current status).

What is written is what ``importers.st66_xml`` reads back: numbers and dates, ``KindMark``, ``MarkFeature``
(the ST.66 value; the office's own wording when it has none), disclaimers, colour claims and Vienna codes,
Nice classes with the goods and services per language, priorities, publications, applicants and
representatives (a name line per language, the address — per language when it differs — and country), the
verbal element with its transliteration and translation, events (the office's code and wording in
``OfficeSpecificMarkEventCode``/``…Description``) and the current status. TMBRAND's limitations, reason
for closure and internationality have no ST.66 element and are not written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import IO, Any

from lxml import etree

from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import Document, Party, PartyRole
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.trademark import MarkDetails, MarkTextKind

ST66 = "http://www.wipo.int/standards/XMLSchema/trademarks"
WO = "http://www.wipo.int/standards/XMLSchema/wo-trademarks"
_NSMAP: Any = {None: ST66, "wo": WO}  # lxml's default namespace is the key None (its stubs say str)


def _el(parent: etree._Element, name: str, value: str | date | None = None, *, wo: bool = False,
        lang: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{WO if wo else ST66}}}{name}")
    if value is not None:
        element.text = value.isoformat() if isinstance(value, date) else value
    if lang:
        element.set("languageCode", lang)
    return element


def _opt(parent: etree._Element, name: str, value: str | date | None, **kw: object) -> None:
    if value is not None and value != "":
        _el(parent, name, value, **kw)  # type: ignore[arg-type]


def write_transaction(docs: Iterable[Document], out: IO[bytes]) -> int:
    """Write the trademark documents as one ST.66 Transaction to ``out``; the number written. Raises
    InvalidField (``right_type``) for a document that is not a trademark, before writing anything."""
    root = etree.Element(f"{{{ST66}}}Transaction", nsmap=_NSMAP)
    content = _el(_el(root, "TradeMarkTransactionBody"), "TransactionContentDetails")
    _el(content, "TransactionIdentifier", "ipoffice-export")
    _el(content, "TransactionCode", "Trademarks")
    details = _el(_el(_el(content, "TransactionData"), "TradeMarkApplication"), "TradeMarkDetails")
    for doc in docs:
        details.append(trademark_element(doc))
    out.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return len(details)


def trademark_element(doc: Document) -> etree._Element:
    """The ``TradeMark`` element of one trademark document."""
    if doc.mark is None:
        raise InvalidField("right_type", doc.right_type.value, f"{doc.number.compact} is not a trademark record")
    m = doc.mark
    tm = etree.Element(f"{{{ST66}}}TradeMark")
    _el(tm, "RegistrationOfficeCode", doc.number.country)
    _el(tm, "ApplicationNumber", doc.application_number or doc.number.serial.removeprefix("TM-"))
    _opt(tm, "ApplicationDate", doc.application_date)
    _opt(tm, "RegistrationNumber", m.registration_number)
    _opt(tm, "RegistrationDate", m.registration_date)
    _opt(tm, "InternationalRegistrationNumber", m.international_number)
    _opt(tm, "ApplicationLanguageCode", _language(doc))
    _opt(tm, "ExpiryDate", m.expiry_date)
    _opt(tm, "MarkCurrentStatusDate", m.status_date)
    _opt(tm, "KindMark", m.kind_of_mark)
    _opt(tm, "MarkFeature", m.feature.value if m.feature else m.feature_text)
    disclaimers = m.texts_of(MarkTextKind.DISCLAIMER)
    if disclaimers:
        details = _el(tm, "MarkDisclaimerDetails")
        for x in disclaimers:
            _el(details, "MarkDisclaimer", x.text, lang=x.lang)
    _image(tm, doc, m)
    _goods_and_services(tm, doc)
    if doc.priority_claims:
        details = _el(tm, "PriorityDetails")
        for p in doc.priority_claims:
            priority = _el(details, "Priority")
            _el(priority, "PriorityCountryCode", p.country)
            _el(priority, "PriorityNumber", p.number)
            _opt(priority, "PriorityDate", p.date)
    if m.publications:
        details = _el(tm, "PublicationDetails")
        for x in m.publications:
            publication = _el(details, "Publication")
            _opt(publication, "PublicationIdentifier", x.text)
            _opt(publication, "PublicationDate", x.date)
    for role, group, item, book in ((PartyRole.APPLICANT, "ApplicantDetails", "Applicant", "ApplicantAddressBook"),
                                    (PartyRole.AGENT, "RepresentativeDetails", "Representative",
                                     "RepresentativeAddressBook")):
        books = _books(doc.parties, role)
        if books:
            details = _el(tm, group)
            for lines in books:
                _party(_el(_el(details, item), book), lines)
    _word_mark(tm, m)
    if doc.legal_events:
        details = _el(tm, "MarkEventDetails", wo=True)
        for e in doc.legal_events:
            event = _el(details, "MarkEvent", wo=True)
            _el(event, "MarkEventDate", e.date, wo=True)
            _el(event, "MarkEventCode", e.code, wo=True)
            _opt(event, "OfficeSpecificMarkEventCode", e.office_code, wo=True)
            _opt(event, "OfficeSpecificMarkEventDescription", e.description, wo=True)
    _opt(tm, "MarkCurrentStatusCode", m.status_text, wo=True)
    return tm


def _language(doc: Document) -> str | None:
    """The application's language: that of the verbal element, else of the goods and services."""
    langs = [x.lang for x in (doc.mark.texts if doc.mark else ()) if x.kind == MarkTextKind.VERBAL]
    langs += [g.lang for g in doc.goods_and_services]
    return next((lang for lang in langs if lang), None)


def _image(tm: etree._Element, doc: Document, m: MarkDetails) -> None:
    colours = m.texts_of(MarkTextKind.COLOUR_CLAIM)
    vienna = [c.symbol for c in doc.classifications if c.scheme == Scheme.VIENNA]
    image = _el(_el(tm, "MarkImageDetails"), "MarkImage")
    for x in colours:
        _el(image, "MarkImageColourClaimedText", x.text, lang=x.lang)
    if vienna:
        category = _el(image, "MarkImageCategory")
        _el(category, "CategoryKind", "Vienna")
        codes = _el(category, "CategoryCodeDetails")
        for symbol in vienna:
            _el(codes, "CategoryCode", symbol)


def _goods_and_services(tm: etree._Element, doc: Document) -> None:
    if not doc.goods_and_services:
        return
    descriptions = _el(_el(_el(tm, "GoodsServicesDetails"), "GoodsServices"), "ClassDescriptionDetails")
    current: tuple[int, etree._Element] | None = None
    for g in doc.goods_and_services:
        if current is None or current[0] != g.nice_class:  # one ClassDescription per run of a class
            current = (g.nice_class, _el(descriptions, "ClassDescription"))
            _el(current[1], "ClassNumber", str(g.nice_class))
        _el(current[1], "GoodsServicesDescription", g.terms, lang=g.lang)


def _books(parties: list[Party], role: PartyRole) -> list[list[Party]]:
    """The parties of a role, one address book per sequence number (its name lines in their languages)."""
    books: dict[int, list[Party]] = {}
    for p in parties:
        if p.role == role:
            books.setdefault(p.sequence, []).append(p)
    return list(books.values())


def _party(book: etree._Element, lines: list[Party]) -> None:
    formatted = _el(book, "FormattedNameAddress")
    details = _el(_el(_el(formatted, "Name"), "FreeFormatName"), "FreeFormatNameDetails")
    for p in lines:
        _el(details, "FreeFormatNameLine", p.name, lang=p.lang)
    first = lines[0]
    # An address per language of the names (TMBRAND gives one in Hebrew and one in English): each line then
    # carries its languageCode; one address for every name is written once, as the offices' files do.
    addresses = list(dict.fromkeys((p.address, p.lang) for p in lines if p.address))
    per_language = len({text for text, _ in addresses}) > 1
    if first.country or addresses:
        address = _el(formatted, "Address")
        _opt(address, "AddressCountryCode", first.country)
        if addresses:
            free = _el(address, "FreeFormatAddress")
            for text, lang in addresses if per_language else addresses[:1]:
                for line in text.split("\n"):
                    _el(free, "FreeFormatAddressLine", line, lang=lang if per_language else None)


def _word_mark(tm: etree._Element, m: MarkDetails) -> None:
    spec = _el(tm, "WordMarkSpecification", wo=True)
    for kind, name in ((MarkTextKind.VERBAL, "MarkVerbalElementText"),
                       (MarkTextKind.TRANSLITERATION, "MarkTransliteration"),
                       (MarkTextKind.TRANSLATION, "MarkTranslation")):
        for x in m.texts_of(kind):
            _el(spec, name, x.text, wo=True, lang=x.lang)
