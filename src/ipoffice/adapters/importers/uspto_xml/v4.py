"""ICE DTDs v4.0-v4.7 (2005 on): ``us-patent-grant`` and ``us-patent-application``.

A document is read in one XSLT pass (``v4.xsl``, which describes its output); this module splits that
output into sections, records and fields, and maps them.
"""

from __future__ import annotations

from lxml import etree

from ipoffice.adapters.importers.uspto_xml.builder import SOURCE_FORMAT, Builder, localized_texts
from ipoffice.adapters.importers.uspto_xml.text import BREAK, RECORD, join_blocks, stylesheet
from ipoffice.adapters.importers.uspto_xml.values import (
    cited_by_category,
    country_code,
    field_date,
    patent_citation,
    positive_int,
    publication_number,
    right_type_of,
)
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import Citation, Document, Party, PartyRole
from ipoffice.domain.errors import InvalidField

_FIELD = "\ufdd2"  # ends each field, as v4.xsl writes it
_SECTION = "\ufdd3"  # ends each section
_V4_SECTIONS = ("head", "classifications", "claims", "priorities", "title", "abstract", "description", "parties",
                "citations")
_V4_DOCUMENT = stylesheet("v4.xsl")
_V4_ROLES = {"applicant": PartyRole.APPLICANT, "us-applicant": PartyRole.APPLICANT, "inventor": PartyRole.INVENTOR,
             "assignee": PartyRole.ASSIGNEE, "agent": PartyRole.AGENT}


def _records(section: str) -> list[list[str]]:
    return [record.split(_FIELD) for record in section.split(RECORD)[1:]]


def from_v4(root: etree._Element, builder: Builder) -> Document:
    """The Document of a parsed ``us-patent-grant`` / ``us-patent-application``; raises InvalidField without
    bibliographic data or publication reference."""
    sections = dict(zip(_V4_SECTIONS, str(_V4_DOCUMENT(root)).split(_SECTION), strict=True))
    (has_biblio, has_publication, country, serial, kind, published, application_type, application_serial,
     applied, has_inventors) = sections["head"].split(_FIELD)
    if not has_biblio:
        raise InvalidField("bibliographic_data", None, f"<{root.tag}> has no bibliographic data")
    if not has_publication:
        raise InvalidField("publication_number", None, "no <publication-reference>")
    number = publication_number(country, serial, kind)

    for scheme_of, *fields in _records(sections["classifications"]):
        if scheme_of in ("M", "X"):  # IPC before IPCR (v4.0): the symbol as written
            builder.classify(Scheme.IPC, fields[0], is_main=scheme_of == "M")
        elif scheme_of in ("L", "l"):  # Locarno (designs)
            builder.classify(Scheme.LOCARNO, fields[0], is_main=scheme_of == "L")
        elif scheme_of in ("N", "n"):  # national: the USPC for the US
            builder.national(fields[0], fields[1], is_main=scheme_of == "N")
        elif scheme_of == "U":
            builder.problem("classifications", f"<{fields[0]}>: unknown classification scheme, not kept")
        else:  # IPCR / CPC: the symbol in parts
            section, class_, subclass, main_group, subgroup = (part.strip() for part in fields[1:6])
            builder.classify(Scheme.IPC if scheme_of == "I" else Scheme.CPC,
                             f"{section}{class_}{subclass} {main_group}/{subgroup}",
                             is_main=fields[0] == "F" if scheme_of == "I" else scheme_of == "C")
    for position, (num, id_, references, text) in enumerate(_records(sections["claims"]), 1):
        builder.claim(join_blocks(text, " "), position, num or id_, (references,))
    priorities = [builder.priority(*fields[:3]) for fields in _records(sections["priorities"])]
    return Document(
        number=number,
        right_type=right_type_of(number, application_type),
        publication_date=field_date(published, "publication_date"),
        application_number=application_serial.strip() or None,
        application_date=field_date(applied, "application_date"),
        texts=localized_texts(join_blocks(sections["title"], " "), join_blocks(sections["abstract"], BREAK),
                     join_blocks(sections["description"], BREAK)),
        claims=builder.claims,
        classifications=builder.classifications,
        parties=_v4_parties(_records(sections["parties"]), has_inventors=bool(has_inventors)),
        citations=_v4_citations(_records(sections["citations"])),
        priority_claims=[p for p in priorities if p is not None],
        source_format=SOURCE_FORMAT,
    )


def _v4_parties(records: list[list[str]], *, has_inventors: bool) -> list[Party]:
    parties: list[Party] = []
    positions: dict[PartyRole, int] = {}
    for record in records:
        tag, sequence_text, application_type, organisation, first, middle, last, suffix, country, residence, _ = record
        role = _V4_ROLES[tag]
        positions[role] = position = positions.get(role, 0) + 1
        name = join_blocks(organisation, " ")
        if not name:
            given = " ".join(t for t in (join_blocks(first, " "), join_blocks(middle, " ")) if t)
            name = " ".join(t for t in (given, join_blocks(last, " "), join_blocks(suffix, " ")) if t)
        if not name:
            continue
        where = country_code(country) or country_code(residence)
        sequence = positive_int(sequence_text) or position
        parties.append(Party(role, name, where, sequence))
        # Until v4.2 the inventors are only listed as applicants of app-type "applicant-inventor".
        if role == PartyRole.APPLICANT and not has_inventors and "inventor" in application_type:
            parties.append(Party(PartyRole.INVENTOR, name, where, sequence))
    return parties


def _v4_citations(records: list[list[str]]) -> list[Citation]:
    citations: list[Citation] = []
    for position, (kind_of, category, num, country, serial, kind, when, text) in enumerate(records, 1):
        sequence = positive_int(num) or position
        if kind_of == "P":
            citations.append(patent_citation(cited_by_category(category), country, serial, kind, when, sequence))
        elif kind_of == "N":
            citations.append(Citation(cited_by=cited_by_category(category), text=join_blocks(text, " "),
                                      sequence=sequence))
    return citations

