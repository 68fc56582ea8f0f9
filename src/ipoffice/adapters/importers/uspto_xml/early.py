"""The 2001-2004 DTDs: ST.32 grants (``PATDOC``, v2.4/2.5, SGML-like tags: ``B110`` number, ``B140``
date, ...) and application publications (``patent-application-publication``, pap v1.5/v1.6).
"""

from __future__ import annotations

from lxml import etree

from ipoffice.adapters.importers.uspto_xml.builder import SOURCE_FORMAT, Builder, localized_texts
from ipoffice.adapters.importers.uspto_xml.text import BREAK, flatten, text_at
from ipoffice.adapters.importers.uspto_xml.values import (
    country_code,
    field_date,
    patent_citation,
    publication_number,
    right_type_of,
)
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import Citation, CitedBy, Document, Party, PartyRole, RightType
from ipoffice.domain.errors import InvalidField

# ---- ST.32 v2.5: PATDOC -------------------------------------------------------------------------


def _pdat(element: etree._Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(path)
    return flatten(found) if found is not None else None


def _v25_parties(sdobi: etree._Element) -> list[Party]:
    parties: list[Party] = []
    for path, role in (("B700/B720/B721", PartyRole.INVENTOR), ("B700/B730/B731", PartyRole.ASSIGNEE),
                       ("B700/B740/B741", PartyRole.AGENT)):
        for position, element in enumerate(sdobi.iterfind(path), 1):
            party = element.find("PARTY-US")
            if party is None:
                party = element.find("PARTY-NUS")
            if party is None:
                continue
            name = _pdat(party, "NAM/ONM") or " ".join(
                t for t in (_pdat(party, "NAM/FNM"), _pdat(party, "NAM/SNM"), _pdat(party, "NAM/SFX")) if t)
            if name:
                parties.append(Party(role, name, country_code(_pdat(party, "ADR/CTRY")), position))
    return parties


def _v25_citations(sdobi: etree._Element) -> list[Citation]:
    citations: list[Citation] = []
    for position, element in enumerate(sdobi.iterfind("B500/B560/*"), 1):
        cited_by = (CitedBy.EXAMINER if element.find("CITED-BY-EXAMINER") is not None
                    else CitedBy.UNKNOWN)  # CITED-BY-OTHER: applicant or third party
        if element.tag == "B561":
            doc = element.find("PCIT/DOC")
            if doc is not None:
                # US patents are cited without a country.
                citations.append(patent_citation(cited_by, _pdat(doc, "CTRY") or "US", _pdat(doc, "DNUM"),
                                                  _pdat(doc, "KIND"), _pdat(doc, "DATE"), position))
        elif element.tag == "B562":
            text = _pdat(element, "NCIT")
            if text:
                citations.append(Citation(cited_by=cited_by, text=text, sequence=position))
    return citations


def from_v25(root: etree._Element, builder: Builder) -> Document:
    """The Document of a parsed ``PATDOC`` (ST.32 grant); raises InvalidField without ``<SDOBI>``."""
    sdobi = root.find("SDOBI")
    if sdobi is None:
        raise InvalidField("bibliographic_data", None, "<PATDOC> has no <SDOBI>")
    number = publication_number(_pdat(sdobi, "B100/B190"), _pdat(sdobi, "B100/B110/DNUM"),
                                 _pdat(sdobi, "B100/B130"))
    right_type = right_type_of(number, None)
    for tag, is_main in (("B511", True), ("B512", False)):
        for element in sdobi.iterfind(f"B500/B510/{tag}"):
            raw = flatten(element)
            # A design's B511 is its Locarno class ("0101"), not an IPC symbol.
            scheme = Scheme.LOCARNO if right_type == RightType.DESIGN and raw.isdigit() else Scheme.IPC
            builder.classify(scheme, raw, is_main=is_main)
    # B520: the US classification, fixed-width with its spaces (" 15328" = 15/328).
    for tag, is_main in (("B521", True), ("B522", False)):
        for element in sdobi.iterfind(f"B500/B520/{tag}"):
            builder.classify(Scheme.USPC, element.findtext("PDAT") or flatten(element), is_main=is_main)
    builder.add_claims(root.iterfind("SDOCL/CL"), "CLM", lambda claim: claim.get("ID"),
                       lambda claim: (ref.get("ID") for ref in claim.iter("CLREF")))
    priorities = [builder.priority(_pdat(e, "B330/CTRY"), _pdat(e, "B310/DNUM"), _pdat(e, "B320/DATE"))
                  for e in sdobi.iterfind("B300")]
    application_serial = _pdat(sdobi, "B200/B210/DNUM")
    return Document(
        number=number,
        right_type=right_type,
        publication_date=field_date(_pdat(sdobi, "B100/B140/DATE"), "publication_date"),
        application_number=application_serial or None,
        application_date=field_date(_pdat(sdobi, "B200/B220/DATE"), "application_date"),
        texts=localized_texts(_pdat(sdobi, "B500/B540") or "", flatten(root.find("SDOAB"), block_separator=BREAK),
                     flatten(root.find("SDODE"), block_separator=BREAK)),
        claims=builder.claims,
        classifications=builder.classifications,
        parties=_v25_parties(sdobi),
        citations=_v25_citations(sdobi),
        priority_claims=[p for p in priorities if p is not None],
        source_format=SOURCE_FORMAT,
    )


# ---- pap v1.5/v1.6: patent-application-publication ----------------------------------------------


def _v15_parties(biblio: etree._Element) -> list[Party]:
    parties: list[Party] = []
    inventors = [e for e in biblio.iterfind("inventors/*") if e.tag in ("first-named-inventor", "inventor")]
    for position, element in enumerate(inventors, 1):
        name = " ".join(t for t in (text_at(element, f"name/{part}") for part in
                                    ("given-name", "middle-name", "family-name", "name-suffix")) if t)
        if name:
            parties.append(Party(PartyRole.INVENTOR, name, country_code(element.findtext("residence//country-code")),
                                 position))
    for position, element in enumerate(biblio.iterfind("assignee"), 1):
        name = text_at(element, "organization-name") or " ".join(
            t for t in (text_at(element, "name/given-name"), text_at(element, "name/family-name")) if t)
        if name:
            parties.append(Party(PartyRole.ASSIGNEE, name, country_code(element.findtext(".//country-code")),
                                 position))
    return parties


def from_v15(root: etree._Element, builder: Builder) -> Document:
    """The Document of a parsed ``patent-application-publication`` (pap v1.5/v1.6); raises InvalidField
    without bibliographic information."""
    biblio = root.find("subdoc-bibliographic-information")
    if biblio is None:
        raise InvalidField("bibliographic_data", None, "no <subdoc-bibliographic-information>")
    number = publication_number(biblio.findtext("document-id/country-code"),
                                 biblio.findtext("document-id/doc-number"), biblio.findtext("document-id/kind-code"))
    ipc = biblio.find("technical-information/classification-ipc")
    if ipc is not None:
        for group, is_main in (("classification-ipc-primary", True), ("classification-ipc-secondary", False)):
            for element in ipc.iterfind(f"{group}/ipc"):
                builder.classify(Scheme.IPC, element.text, is_main=is_main)
    for group, is_main in (("classification-us-primary", True), ("classification-us-secondary", False)):
        for element in biblio.iterfind(f"technical-information/classification-us/{group}/uspc"):
            us_class = (element.findtext("class") or "").strip()
            if us_class:  # class and subclass apart ("002", "069000"): the fixed-width form joined
                builder.classify(Scheme.USPC, f"{us_class:>3}{(element.findtext('subclass') or '').strip()}",
                                 is_main=is_main)
    builder.add_claims(root.iterfind("subdoc-claims"), "claim", lambda claim: claim.get("id"),
                       lambda claim: (ref.get("depends_on") for ref in claim.iter("dependent-claim-reference")))
    priorities = [
        builder.priority(e.findtext("country-code"), e.findtext("priority-application-number/doc-number"),
                         e.findtext("filing-date"))
        for e in biblio.iterfind("foreign-priority-data")
    ]
    application_serial = (biblio.findtext("domestic-filing-data/application-number/doc-number") or "").strip()
    return Document(
        number=number,
        right_type=right_type_of(number, None),
        publication_date=field_date(biblio.findtext("document-id/document-date"), "publication_date"),
        application_number=application_serial or None,
        application_date=field_date(biblio.findtext("domestic-filing-data/filing-date"), "application_date"),
        texts=localized_texts(text_at(biblio, "technical-information/title-of-invention"),
                     flatten(root.find("subdoc-abstract"), block_separator=BREAK),
                     flatten(root.find("subdoc-description"), block_separator=BREAK)),
        claims=builder.claims,
        classifications=builder.classifications,
        parties=_v15_parties(biblio),
        citations=[],  # application publications list no citations
        priority_claims=[p for p in priorities if p is not None],
        source_format=SOURCE_FORMAT,
    )

