"""USPTO full-text XML (Red Book / Yellow Book): grants and application publications, every DTD.

The weekly files are concatenations of complete XML documents, each with its own ``<?xml ...?>``
declaration and DOCTYPE, so no XML parser can read a file whole. We split the byte stream on the
declarations while reading line by line, and parse each document alone: memory holds one
document at a time whatever the file size.

Shapes handled (root element → DTD):

* ``PATDOC`` — grants 2001–2004, ST.32 SGML-like tags (``B110`` number, ``B140`` date, ...), v2.4/2.5;
* ``patent-application-publication`` — applications 2001–2004, ``pap`` v1.5/v1.6;
* ``us-patent-grant`` / ``us-patent-application`` — ICE DTDs v4.0–v4.5 (2005 on);
* ``sequence-cwu`` — sequence listings that ride along in grant files: not publications, skipped.

The DTDs are never loaded (no network, no external files); the ISO 8879 character entities that
the documents use without their DTD are replaced from a table before parsing.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import cast

from lxml import etree

from ipoffice.adapters.importers._common import fold_whitespace, parse_date
from ipoffice.adapters.importers.base import ImportProblem, Record
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import (
    Citation,
    CitedBy,
    Claim,
    Classification,
    Document,
    LocalizedText,
    Party,
    PartyRole,
    PriorityClaim,
    RightType,
    TextField,
)
from ipoffice.domain.errors import DomainError, InvalidField
from ipoffice.domain.numbers import PublicationNumber

SOURCE_FORMAT = "uspto-xml"
_DECLARATION = b"<?xml"
_BOM = b"\xef\xbb\xbf"
_SKIPPED_ROOTS = frozenset({"sequence-cwu"})  # sequence listings: data attached to a grant, not a publication

# --------------------------------------------------------------------------------------------------
# Character entities. Without the DTD only &amp; &lt; &gt; &quot; &apos; are defined; USPTO text uses
# ISO 8879 names (&mdash; &frac12; &lgr; ...). HTML5 knows most of them; the Greek ISOgrk1 set it lacks.
_ISOGRK1 = {
    "agr": "α", "bgr": "β", "ggr": "γ", "dgr": "δ", "egr": "ε", "zgr": "ζ", "eegr": "η", "thgr": "θ",
    "igr": "ι", "kgr": "κ", "lgr": "λ", "mgr": "μ", "ngr": "ν", "xgr": "ξ", "ogr": "ο", "pgr": "π",
    "rgr": "ρ", "sgr": "σ", "sfgr": "ς", "tgr": "τ", "ugr": "υ", "phgr": "φ", "khgr": "χ", "psgr": "ψ",
    "ohgr": "ω",
}
_ISOGRK1.update({name[0].upper() + name[1:]: ch.upper() for name, ch in list(_ISOGRK1.items()) if name != "sfgr"})
_PREDEFINED = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_ENTITY_REF = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")


def _entity_replacement(name: str) -> bytes:
    text = html.entities.html5.get(name + ";") or _ISOGRK1.get(name)
    if text is None:
        # Unknown name: keep it visible as literal text rather than dropping it.
        return b"&amp;" + name.encode("ascii") + b";"
    return "".join(f"&#{ord(ch)};" for ch in text).encode("ascii")


_entity_cache: dict[bytes, bytes] = {}


def _replace_entity(match: re.Match[bytes]) -> bytes:
    name = match.group(1)
    if name in _PREDEFINED:
        return match.group(0)
    out = _entity_cache.get(name)
    if out is None:
        out = _entity_cache[name] = _entity_replacement(name.decode("ascii"))
    return out


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False,
        remove_comments=True, remove_pis=True, huge_tree=True,
    )


_PARSER = _parser()


def parse_document(data: bytes) -> etree._Element:
    """Parse one document's bytes (raises ``etree.XMLSyntaxError``)."""
    return etree.fromstring(_ENTITY_REF.sub(_replace_entity, data), _PARSER)


# --------------------------------------------------------------------------------------------------
# Splitting a file into documents.


@dataclass(frozen=True)
class RawDocument:
    position: int  # 1-based position in the file
    line: int  # line of the file where it starts
    data: bytes
    is_last: bool = False


def _has_content(chunk: bytes) -> bool:
    return bool(chunk.strip(b" \t\r\n" + _BOM))


def split_documents(path: Path) -> Iterator[RawDocument]:
    """Yield the documents of a (concatenated) file one by one, reading it line by line."""
    parts: list[bytes] = []
    start_line = 1
    position = 0
    pending: RawDocument | None = None  # held back one step so the last one can be marked

    def flush(next_line: int) -> Iterator[RawDocument]:
        nonlocal parts, start_line, position, pending
        data = b"".join(parts)
        parts = []
        if _has_content(data):
            position += 1
            if pending is not None:
                yield pending
            pending = RawDocument(position, start_line, data)
        start_line = next_line

    with path.open("rb") as stream:
        for number, line in enumerate(stream, 1):
            if _DECLARATION not in line:
                parts.append(line)
                continue
            # A declaration starts a new document, even in the middle of a line.
            head, *rest = line.split(_DECLARATION)
            parts.append(head)
            for piece in rest:
                yield from flush(number)
                parts.append(_DECLARATION + piece)
        yield from flush(0)
    if pending is not None:
        yield RawDocument(pending.position, pending.line, pending.data, is_last=True)


def parse_only(path: Path | str) -> int:
    """Split and parse every document of a file without building Documents; returns how many parsed.

    The physical limit of an import: what splitting and lxml cost alone.
    """
    parsed = 0
    for raw in split_documents(Path(path)):
        try:
            parse_document(raw.data)
        except etree.XMLSyntaxError:
            continue
        parsed += 1
    return parsed


# --------------------------------------------------------------------------------------------------
# Text.

# Elements that start a new paragraph-like block; the rest (b, i, sub, sup, figref, ...) are inline.
_BLOCKS = frozenset({
    "p", "heading", "li", "ul", "ol", "dl", "dt", "dd", "table", "tables", "row", "tr", "maths",
    "description-of-drawings", "claim", "claim-text", "us-claim-statement", "chemistry", "us-chemistry",
    "paragraph", "section", "subdoc-abstract", "cross-reference-to-related-applications",
    "PARA", "H", "CLMSTEP", "BTEXT", "CWU", "DRWDESC", "BRFSUM", "DETDESC", "RELAPP",
})
_CELLS = frozenset({"entry", "td", "th"})
_BREAK = "\n"
_SPACE_BEFORE_PUNCTUATION = re.compile(r" +([,.;:])")

# Blocks are marked in the text by a Unicode noncharacter: reserved for a program's internal use, it
# never comes in with the data, and it is no whitespace, so it survives whitespace folding.
_BLOCK_MARK = "\ufdd0"
_SEPARATED = tuple(_BLOCKS | _CELLS)
# The walk over the tree runs in libxslt: a Python walk costs ten times the XML parse of a description.
# Text output with each block between two marks and each table cell between spaces; the stylesheets
# below that flatten several elements at once share these templates.
_TEXT_TEMPLATES = f"""\
  <xsl:template match="{'|'.join(sorted(_BLOCKS))}">&#xFDD0;<xsl:apply-templates/>&#xFDD0;</xsl:template>
  <xsl:template match="{'|'.join(sorted(_CELLS))}">
    <xsl:text> </xsl:text><xsl:apply-templates/><xsl:text> </xsl:text>
  </xsl:template>"""
_TEXT_WITH_BLOCK_MARKS = etree.XSLT(etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
{_TEXT_TEMPLATES}
</xsl:stylesheet>"""))


def _join_blocks(marked: str, block_separator: str) -> str:
    """Text with block marks → each block's whitespace folded, empty blocks dropped, the rest joined.
    (A regular expression over the whole text is slower: Python's regex engine scans slower than this.)"""
    # Half the pieces are the whitespace between two blocks: dropped by a check in C.
    blocks = (fold_whitespace(block) for block in marked.split(_BLOCK_MARK) if block and not block.isspace())
    return block_separator.join(block for block in blocks if block)


def _flatten(element: etree._Element | None, *, block_separator: str = " ") -> str:
    """The text of an element: inline markup joined without spaces, blocks on their own line
    (``block_separator="\\n"``) or separated by one space."""
    if element is None:
        return ""
    if len(element) == 0:  # a leaf such as <last-name>: most calls
        return fold_whitespace(element.text or "")
    if next(element.iterdescendants(*_SEPARATED), None) is None:  # inline markup only
        return fold_whitespace("".join(cast("Iterator[str]", element.itertext())))
    return _join_blocks(str(_TEXT_WITH_BLOCK_MARKS(element)), block_separator)


# The claims of a document in one XSLT pass instead of one each (a document has 20 on average).
_RECORD = "\ufdd1"  # a noncharacter, as _BLOCK_MARK: starts each record of a multi-record text
_CHILDREN_TEXT = etree.XSLT(etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:param name="tag"/>
  <xsl:template match="/">
    <xsl:for-each select="/*/*[name() = $tag]">{_RECORD}<xsl:apply-templates select="."/></xsl:for-each>
  </xsl:template>
{_TEXT_TEMPLATES}
</xsl:stylesheet>"""))


def _flatten_children(parent: etree._Element, tag: str) -> list[str]:
    """``_flatten`` of each ``tag`` child of ``parent``, in document order (as ``findall(tag)``)."""
    marked = str(_CHILDREN_TEXT(parent, tag=etree.XSLT.strparam(tag)))
    return [_join_blocks(text, " ") for text in marked.split(_RECORD)[1:]]


def _text(element: etree._Element | None, path: str | None = None) -> str:
    if element is not None and path is not None:
        element = element.find(path)
    return _flatten(element)


# --------------------------------------------------------------------------------------------------
# Values.

def _country(text: str | None) -> str | None:
    value = (text or "").strip().upper()
    return value if len(value) == 2 and value.isascii() and value.isalpha() else None


def _date(text: str | None, field: str) -> date | None:
    return parse_date(text, field=field)


_EIGHT_DIGITS = re.compile(r"\d{8}")
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=65536)
def _approximate_date(text: str | None) -> date | None:
    """Cited documents' dates are often month-precise (``19420300``): day or month 00 reads as 01."""
    value = (text or "").strip()
    if not _EIGHT_DIGITS.fullmatch(value):
        return None
    year, month, day = int(value[:4]), int(value[4:6]) or 1, int(value[6:]) or 1
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _publication_number(country: str | None, serial: str | None, kind: str | None) -> PublicationNumber:
    serial = (serial or "").strip()
    if not serial:
        raise InvalidField("publication_number", serial, "the document has no publication number")
    return PublicationNumber.from_parts((country or "US").strip(), serial, (kind or "").strip() or None)


def _right_type(number: PublicationNumber, application_type: str | None) -> RightType:
    kind = number.kind or ""
    application_type = (application_type or "").lower()
    if kind.startswith("S") or number.serial.startswith("D") or application_type == "design":
        return RightType.DESIGN
    if kind.startswith("P") or number.serial.startswith("PP") or application_type == "plant":
        return RightType.PLANT
    return RightType.INVENTION


def _positive_int(text: str | None) -> int | None:
    if text and text.isascii() and text.isdigit():  # "00001": the usual case, without a regex
        return int(text)
    digits = _DIGITS.findall(text or "")
    return int(digits[-1]) if digits else None


# ST.32 / early v4 IPC text without a slash: 4-character subclass, main group right-aligned in three
# characters, then the subgroup: "A47L  514" = A47L 5/14, "H01L 21461" = H01L 21/461.
_UNSLASHED_IPC = re.compile(r"^\s*\d?\s*([A-HY]\d{2}[A-Z])([ \d]{3,})\s*$")


def _ipc_text(raw: str) -> str:
    m = _UNSLASHED_IPC.match(raw)
    if "/" in raw or not m:
        return raw
    rest = m.group(2).rstrip()
    if len(rest) < 4:
        return raw
    # Files re-indented by hand lost spaces ("E03C 104"): with fewer than five characters the
    # subgroup is the last two digits.
    main, sub = (rest[:3], rest[3:]) if len(rest) >= 5 else (rest[:-2], rest[-2:])
    return f"{m.group(1)} {main.strip()}/{sub.strip()}"


# --------------------------------------------------------------------------------------------------
# Building one Document. Field problems (a bad classification symbol, an unparsable priority date)
# are collected and the rest of the document is kept; document problems raise InvalidField.


_CLAIM_NUMBER = re.compile(r"\s*([0-9]+)\s*\.\s*")


class _Builder:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []  # (field, reason)
        self.classifications: list[Classification] = []
        self.claims: list[Claim] = []

    def problem(self, field: str, reason: str) -> None:
        self.problems.append((field, reason))

    def classify(self, scheme: Scheme, raw: str | None, *, is_main: bool) -> None:
        raw = (raw or "").strip()
        if not raw:
            return
        text = _ipc_text(raw) if scheme == Scheme.IPC else raw
        try:
            item = Classification.of(scheme, text, is_main=is_main)
        except InvalidField as error:
            self.problem(error.field, f"{raw!r}: {error.reason}")
            return
        for i, known in enumerate(self.classifications):
            if (known.scheme, known.symbol) == (item.scheme, item.symbol):
                if is_main and not known.is_main:
                    self.classifications[i] = item
                return
        self.classifications.append(item)

    def add_claims(self, containers: Iterable[etree._Element], tag: str,
                   number_text: Callable[[etree._Element], str | None],
                   references: Callable[[etree._Element], Iterable[str | None]]) -> None:
        """Every ``tag`` child of the containers (``<claims>``) as a claim, numbered in order if unnumbered."""
        position = 0
        for container in containers:
            for element, text in zip(container.findall(tag), _flatten_children(container, tag), strict=True):
                position += 1
                self.claim(text, position, number_text(element), references(element))

    def claim(self, text: str, position: int, number_text: str | None, references: Iterable[str | None]) -> None:
        number = _positive_int(number_text) or position
        # The text repeats the claim's number ("1. A vacuum cleaner ..."): the number is kept apart.
        repeated = _CLAIM_NUMBER.match(text)
        if repeated and int(repeated[1]) == number:
            text = text[repeated.end():]
        # Nested claim-text blocks (v1.5 wraps even "claim 2" in one) leave a space before punctuation.
        if " ," in text or " ." in text or " ;" in text or " :" in text:
            text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
        depends_on: list[int] = []
        for reference in references:
            for digits in _DIGITS.findall(reference or ""):
                target = int(digits)
                if target != number and target not in depends_on:
                    depends_on.append(target)
        self.claims.append(Claim(number=number, text=text, lang="en", depends_on=tuple(depends_on)))

    def priority(self, country: str | None, number: str | None, when: str | None) -> PriorityClaim | None:
        number = (number or "").strip()
        if not number:
            return None
        try:
            claimed = _date(when, "priority_claims.date")
        except InvalidField as error:
            self.problem(error.field, error.reason + f" (got {error.value!r})")
            claimed = None
        return PriorityClaim(country=_country(country) or (country or "").strip(), number=number, date=claimed)


def _texts(title: str, abstract: str, description: str) -> list[LocalizedText]:
    pairs = ((TextField.TITLE, title), (TextField.ABSTRACT, abstract), (TextField.DESCRIPTION, description))
    return [LocalizedText(field, "en", text) for field, text in pairs if text]


_REPEATED_COUNTRY = re.compile(r"^[A-Z]{2}[-\s]?(?=\d)")
_US_PUBLICATION = re.compile(r"^(\d{4})/(\d+)$")


def _patent_citation(cited_by: CitedBy, country: str | None, serial: str | None, kind: str | None,
                     when: str | None, sequence: int) -> Citation:
    number, country, kind = _cited_number(country, serial, kind)
    return Citation(cited_by=cited_by, number=number, country=country, kind=kind,
                    date=_approximate_date(when), sequence=sequence)


# Weekly files cite the same documents (and dates) again and again: each is worked out once.
@lru_cache(maxsize=65536)
def _cited_number(country: str | None, serial: str | None, kind: str | None) -> tuple[str, str | None, str | None]:
    """(compact number or the serial as given, country, kind) of a cited patent document."""
    serial = (serial or "").strip()
    country = _country(country)
    kind = (kind or "").strip().upper() or None
    # "WO-0123241" repeats the country; US publications are written "2019/0141884".
    cleaned = _REPEATED_COUNTRY.sub("", serial) if country and serial.startswith(country) else serial
    if "/" in cleaned:
        cleaned = _US_PUBLICATION.sub(r"\1\2", cleaned)
    try:
        number = PublicationNumber.from_parts(country or "US", cleaned, kind).compact
    except DomainError:
        number = serial  # foreign numbers such as "DM/074 086" are kept as given
    return number, country, kind


_CATEGORIES = {
    "cited by examiner": CitedBy.EXAMINER,
    "cited by applicant": CitedBy.APPLICANT,
    "cited by third party": CitedBy.THIRD_PARTY,
}


@lru_cache(maxsize=64)
def _cited_by(category: str | None) -> CitedBy:
    # "cited by other" (until 2009) means "not by the examiner": applicant or third party, unknown which.
    return _CATEGORIES.get(" ".join((category or "").lower().split()), CitedBy.UNKNOWN)


# ---- ICE v4.x: us-patent-grant / us-patent-application -------------------------------------------

# A v4 document is read in one XSLT pass: reading its fields through lxml elements from Python cost more
# than parsing it (a weekly file holds tens of thousands of citations, claims and parties). The output
# holds the sections of _V4_SECTIONS in that order, split by _SECTION; a section's records each start
# with _RECORD, and fields are split by _FIELD. A field is the first element of its name, as ``find``
# takes it; a text field is flattened by the shared templates (block marks and all). Parties and
# citations are taken from where the v4.0-v4.7 DTDs put them, not searched for with "//": a search walks
# all of the bibliographic data each time (a fifth of the pass).
_FIELD = "\ufdd2"  # noncharacters, as _BLOCK_MARK
_SECTION = "\ufdd3"
_V4_SECTIONS = ("head", "classifications", "claims", "priorities", "title", "abstract", "description", "parties",
                "citations")
_F = f"<xsl:text>{_FIELD}</xsl:text>"
_R = f"<xsl:text>{_RECORD}</xsl:text>"
_S = f"<xsl:text>{_SECTION}</xsl:text>"


def _first(path: str) -> str:
    """The text of the first element at ``path``, then a field separator (every such element is a leaf:
    country, doc-number, date, ...; ``(path)[1]/text()[1]`` would cost libxslt a fifth more)."""
    return f'<xsl:value-of select="{path}"/>{_F}'


_SYMBOL_PARTS = "".join(_first(tag) for tag in ("section", "class", "subclass", "main-group", "subgroup"))
_V4_DOCUMENT = etree.XSLT(etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/">
    <xsl:variable name="grant" select="*/us-bibliographic-data-grant[1]"/>
    <xsl:variable name="biblio" select="$grant | */us-bibliographic-data-application[1][not($grant)]"/>
    <xsl:variable name="publication" select="($biblio/publication-reference/document-id)[1]"/>
    <xsl:variable name="application" select="$biblio/application-reference[1]"/>
    <xsl:variable name="parties" select="$biblio/parties/*/applicant | $biblio/parties/*/inventor
      | $biblio/parties/*/agent | $biblio/us-parties/*/us-applicant | $biblio/us-parties/*/inventor
      | $biblio/us-parties/*/agent | $biblio/assignees/assignee"/>
    <xsl:if test="$biblio">B</xsl:if>{_F}<xsl:if test="$publication">P</xsl:if>{_F}
    {_first("$publication/country")}{_first("$publication/doc-number")}{_first("$publication/kind")}
    {_first("$publication/date")}<xsl:value-of select="$application/@appl-type"/>{_F}
    {_first("$application/document-id[1]/doc-number")}{_first("$application/document-id[1]/date")}
    <xsl:if test="$parties[self::inventor]">I</xsl:if>{_S}
    <xsl:for-each select="$biblio/classifications-ipcr/classification-ipcr">
      {_R}I{_F}{_first("symbol-position")}{_SYMBOL_PARTS}</xsl:for-each>
    <xsl:for-each select="$biblio/classification-ipc">
      {_R}M{_F}{_first("main-classification")}
      <xsl:for-each select="further-classification">{_R}X{_F}<xsl:value-of select="text()[1]"/>{_F}</xsl:for-each>
    </xsl:for-each>
    <xsl:for-each select="$biblio/classifications-cpc/main-cpc/classification-cpc">
      {_R}C{_F}{_F}{_SYMBOL_PARTS}</xsl:for-each>
    <xsl:for-each select="$biblio/classifications-cpc/further-cpc/classification-cpc">
      {_R}c{_F}{_F}{_SYMBOL_PARTS}</xsl:for-each>{_S}
    <xsl:for-each select="/*/claims/claim">
      {_R}<xsl:value-of select="@num"/>{_F}<xsl:value-of select="@id"/>{_F}
      <xsl:for-each select=".//claim-ref"><xsl:value-of select="@idref"/><xsl:text> </xsl:text></xsl:for-each>
      {_F}<xsl:apply-templates select="."/></xsl:for-each>{_S}
    <xsl:for-each select="$biblio/priority-claims/priority-claim">
      {_R}{_first("country")}{_first("doc-number")}{_first("date")}</xsl:for-each>{_S}
    <xsl:apply-templates select="$biblio/invention-title[1]"/>{_S}
    <xsl:apply-templates select="/*/abstract[1]"/>{_S}
    <xsl:apply-templates select="/*/description[1]"/>{_S}
    <xsl:for-each select="$parties">
      <xsl:variable name="book" select="addressbook[1] | self::*[not(addressbook)]"/>
      {_R}<xsl:value-of select="name()"/>{_F}<xsl:value-of select="@sequence"/>{_F}
      <xsl:value-of select="@app-type"/>{_F}
      <xsl:apply-templates select="$book/orgname[1]"/>{_F}<xsl:apply-templates select="$book/first-name[1]"/>{_F}
      <xsl:apply-templates select="$book/middle-name[1]"/>{_F}<xsl:apply-templates select="$book/last-name[1]"/>{_F}
      <xsl:apply-templates select="$book/suffix[1]"/>{_F}{_first("$book/address/country")}
      {_first("residence/country")}</xsl:for-each>{_S}
    <xsl:for-each select="$biblio/references-cited/citation | $biblio/us-references-cited/us-citation">
      <xsl:variable name="patent" select="patcit[1]"/>
      <xsl:variable name="id" select="$patent/document-id[1]"/>
      {_R}<xsl:choose>
        <xsl:when test="$id">P</xsl:when>
        <xsl:when test="$patent">-</xsl:when>
        <xsl:when test="nplcit">N</xsl:when>
      </xsl:choose>{_F}{_first("category")}
      <xsl:value-of select="$patent/@num"/>
      <xsl:if test="not($patent)"><xsl:value-of select="nplcit[1]/@num"/></xsl:if>{_F}
      {_first("$id/country")}{_first("$id/doc-number")}{_first("$id/kind")}{_first("$id/date")}
      <xsl:if test="not($patent)"><xsl:apply-templates select="nplcit[1]/node()"/></xsl:if>
    </xsl:for-each>
  </xsl:template>
{_TEXT_TEMPLATES}
</xsl:stylesheet>"""))

_V4_ROLES = {"applicant": PartyRole.APPLICANT, "us-applicant": PartyRole.APPLICANT, "inventor": PartyRole.INVENTOR,
             "assignee": PartyRole.ASSIGNEE, "agent": PartyRole.AGENT}


def _records(section: str) -> list[list[str]]:
    return [record.split(_FIELD) for record in section.split(_RECORD)[1:]]


def _from_v4(root: etree._Element, builder: _Builder) -> Document:
    sections = dict(zip(_V4_SECTIONS, str(_V4_DOCUMENT(root)).split(_SECTION), strict=True))
    (has_biblio, has_publication, country, serial, kind, published, application_type, application_serial,
     applied, has_inventors) = sections["head"].split(_FIELD)
    if not has_biblio:
        raise InvalidField("bibliographic_data", None, f"<{root.tag}> has no bibliographic data")
    if not has_publication:
        raise InvalidField("publication_number", None, "no <publication-reference>")
    number = _publication_number(country, serial, kind)

    for scheme_of, *fields in _records(sections["classifications"]):
        if scheme_of in ("M", "X"):  # IPC before IPCR (v4.0): the symbol as written
            builder.classify(Scheme.IPC, fields[0], is_main=scheme_of == "M")
        else:  # IPCR / CPC: the symbol in parts
            section, class_, subclass, main_group, subgroup = (part.strip() for part in fields[1:6])
            builder.classify(Scheme.IPC if scheme_of == "I" else Scheme.CPC,
                             f"{section}{class_}{subclass} {main_group}/{subgroup}",
                             is_main=fields[0] == "F" if scheme_of == "I" else scheme_of == "C")
    for position, (num, id_, references, text) in enumerate(_records(sections["claims"]), 1):
        builder.claim(_join_blocks(text, " "), position, num or id_, (references,))
    priorities = [builder.priority(*fields[:3]) for fields in _records(sections["priorities"])]
    return Document(
        number=number,
        right_type=_right_type(number, application_type),
        publication_date=_date(published, "publication_date"),
        application_number=application_serial.strip() or None,
        application_date=_date(applied, "application_date"),
        texts=_texts(_join_blocks(sections["title"], " "), _join_blocks(sections["abstract"], _BREAK),
                     _join_blocks(sections["description"], _BREAK)),
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
        name = _join_blocks(organisation, " ")
        if not name:
            given = " ".join(t for t in (_join_blocks(first, " "), _join_blocks(middle, " ")) if t)
            name = " ".join(t for t in (given, _join_blocks(last, " "), _join_blocks(suffix, " ")) if t)
        if not name:
            continue
        where = _country(country) or _country(residence)
        sequence = _positive_int(sequence_text) or position
        parties.append(Party(role, name, where, sequence))
        # Until v4.2 the inventors are only listed as applicants of app-type "applicant-inventor".
        if role == PartyRole.APPLICANT and not has_inventors and "inventor" in application_type:
            parties.append(Party(PartyRole.INVENTOR, name, where, sequence))
    return parties


def _v4_citations(records: list[list[str]]) -> list[Citation]:
    citations: list[Citation] = []
    for position, (kind_of, category, num, country, serial, kind, when, text) in enumerate(records, 1):
        sequence = _positive_int(num) or position
        if kind_of == "P":
            citations.append(_patent_citation(_cited_by(category), country, serial, kind, when, sequence))
        elif kind_of == "N":
            citations.append(Citation(cited_by=_cited_by(category), text=_join_blocks(text, " "), sequence=sequence))
    return citations


# ---- ST.32 v2.5: PATDOC -------------------------------------------------------------------------


def _pdat(element: etree._Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(path)
    return _flatten(found) if found is not None else None


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
                parties.append(Party(role, name, _country(_pdat(party, "ADR/CTRY")), position))
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
                citations.append(_patent_citation(cited_by, _pdat(doc, "CTRY") or "US", _pdat(doc, "DNUM"),
                                                  _pdat(doc, "KIND"), _pdat(doc, "DATE"), position))
        elif element.tag == "B562":
            text = _pdat(element, "NCIT")
            if text:
                citations.append(Citation(cited_by=cited_by, text=text, sequence=position))
    return citations


def _from_v25(root: etree._Element, builder: _Builder) -> Document:
    sdobi = root.find("SDOBI")
    if sdobi is None:
        raise InvalidField("bibliographic_data", None, "<PATDOC> has no <SDOBI>")
    number = _publication_number(_pdat(sdobi, "B100/B190"), _pdat(sdobi, "B100/B110/DNUM"),
                                 _pdat(sdobi, "B100/B130"))
    right_type = _right_type(number, None)
    for tag, is_main in (("B511", True), ("B512", False)):
        for element in sdobi.iterfind(f"B500/B510/{tag}"):
            raw = _flatten(element)
            # A design's B511 is its Locarno class ("0101"), not an IPC symbol.
            if right_type == RightType.DESIGN and raw.isdigit():
                continue
            builder.classify(Scheme.IPC, raw, is_main=is_main)
    builder.add_claims(root.iterfind("SDOCL/CL"), "CLM", lambda claim: claim.get("ID"),
                       lambda claim: (ref.get("ID") for ref in claim.iter("CLREF")))
    priorities = [builder.priority(_pdat(e, "B330/CTRY"), _pdat(e, "B310/DNUM"), _pdat(e, "B320/DATE"))
                  for e in sdobi.iterfind("B300")]
    application_serial = _pdat(sdobi, "B200/B210/DNUM")
    return Document(
        number=number,
        right_type=right_type,
        publication_date=_date(_pdat(sdobi, "B100/B140/DATE"), "publication_date"),
        application_number=application_serial or None,
        application_date=_date(_pdat(sdobi, "B200/B220/DATE"), "application_date"),
        texts=_texts(_pdat(sdobi, "B500/B540") or "", _flatten(root.find("SDOAB"), block_separator=_BREAK),
                     _flatten(root.find("SDODE"), block_separator=_BREAK)),
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
        name = " ".join(t for t in (_text(element, f"name/{part}") for part in
                                    ("given-name", "middle-name", "family-name", "name-suffix")) if t)
        if name:
            parties.append(Party(PartyRole.INVENTOR, name, _country(element.findtext("residence//country-code")),
                                 position))
    for position, element in enumerate(biblio.iterfind("assignee"), 1):
        name = _text(element, "organization-name") or " ".join(
            t for t in (_text(element, "name/given-name"), _text(element, "name/family-name")) if t)
        if name:
            parties.append(Party(PartyRole.ASSIGNEE, name, _country(element.findtext(".//country-code")),
                                 position))
    return parties


def _from_v15(root: etree._Element, builder: _Builder) -> Document:
    biblio = root.find("subdoc-bibliographic-information")
    if biblio is None:
        raise InvalidField("bibliographic_data", None, "no <subdoc-bibliographic-information>")
    number = _publication_number(biblio.findtext("document-id/country-code"),
                                 biblio.findtext("document-id/doc-number"), biblio.findtext("document-id/kind-code"))
    ipc = biblio.find("technical-information/classification-ipc")
    if ipc is not None:
        for group, is_main in (("classification-ipc-primary", True), ("classification-ipc-secondary", False)):
            for element in ipc.iterfind(f"{group}/ipc"):
                builder.classify(Scheme.IPC, element.text, is_main=is_main)
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
        right_type=_right_type(number, None),
        publication_date=_date(biblio.findtext("document-id/document-date"), "publication_date"),
        application_number=application_serial or None,
        application_date=_date(biblio.findtext("domestic-filing-data/filing-date"), "application_date"),
        texts=_texts(_text(biblio, "technical-information/title-of-invention"),
                     _flatten(root.find("subdoc-abstract"), block_separator=_BREAK),
                     _flatten(root.find("subdoc-description"), block_separator=_BREAK)),
        claims=builder.claims,
        classifications=builder.classifications,
        parties=_v15_parties(biblio),
        citations=[],  # application publications list no citations
        priority_claims=[p for p in priorities if p is not None],
        source_format=SOURCE_FORMAT,
    )


_MAPPERS: dict[str, Callable[[etree._Element, _Builder], Document]] = {
    "us-patent-grant": _from_v4,
    "us-patent-application": _from_v4,
    "PATDOC": _from_v25,
    "patent-application-publication": _from_v15,
}

# --------------------------------------------------------------------------------------------------
# The importer.

_NUMBER_HINT = re.compile(
    rb"<doc-number>\s*([^<]{1,20}?)\s*</doc-number>\s*<kind(?:-code)?>\s*([A-Z]\d?)\s*<"  # v4, pap
    rb"|<B110>\s*<DNUM>\s*<PDAT>\s*([^<]{1,20}?)\s*</PDAT>\s*</DNUM>\s*</B110>\s*<B130>\s*<PDAT>\s*([A-Z]\d?)"
)


def _number_hint(data: bytes) -> str | None:
    """The document's own number read from its raw bytes, to name a document that does not parse."""
    m = _NUMBER_HINT.search(data, 0, 20_000)
    if not m:
        return None
    serial, kind = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    text = f"US {serial.decode('ascii', 'replace')} {kind.decode('ascii')}"
    try:
        return PublicationNumber.parse(text).compact
    except DomainError:
        return text


def _record_name(raw: RawDocument) -> str:
    """How a problem names a document that has no number yet: read from its bytes (only then: a search)."""
    return _number_hint(raw.data) or f"document {raw.position}"


_ROOT_TAG = re.compile(rb"<([A-Za-z][\w.-]*)[\s>/]")


def _root_tag(data: bytes) -> str | None:
    # "<?xml" and "<!DOCTYPE" cannot match: a letter must follow "<".
    m = _ROOT_TAG.search(data, 0, 20_000)
    return m.group(1).decode("ascii", "replace") if m else None


class UsptoXmlImporter:
    """USPTO grant and application full text, every DTD since 2001 (see the module doc)."""

    name = "uspto-xml"

    _MARKERS = (b"<us-patent-grant", b"<us-patent-application", b"<PATDOC", b"<patent-application-publication",
                b"ST32-US-Grant", b"us-patent-grant-v", b"us-patent-application-v", b"pap-v1")

    def sniff(self, path: Path, head: bytes) -> bool:
        return any(marker in head for marker in self._MARKERS)

    def read(self, path: Path) -> Iterator[Record | ImportProblem]:
        path = Path(path)
        file = str(path)
        try:
            with path.open("rb") as stream:
                head = stream.read(4096)
        except OSError as error:
            yield ImportProblem(file, None, None, f"cannot read the file: {error.strerror or error}")
            return
        start = head.lstrip(b" \t\r\n" + _BOM)
        if not start:
            yield ImportProblem(file, None, None, "the file is empty")
            return
        if not start.startswith(b"<"):
            yield ImportProblem(file, None, None, f"not an XML file (it starts with {start[:16]!r})")
            return
        # The caches of repeated values live for one file: a run's speed and memory do not depend on
        # the files read before.
        _cited_number.cache_clear()
        _approximate_date.cache_clear()
        for raw in split_documents(path):
            yield from self._read_document(file, raw)

    def _read_document(self, file: str, raw: RawDocument) -> Iterator[Record | ImportProblem]:
        try:
            root = parse_document(raw.data)
        except etree.XMLSyntaxError as error:
            yield ImportProblem(file, _record_name(raw), None, self._syntax_reason(raw, error))
            return
        mapper = _MAPPERS.get(root.tag if isinstance(root.tag, str) else "")
        if mapper is None:
            if root.tag not in _SKIPPED_ROOTS:
                yield ImportProblem(file, _record_name(raw), None,
                                    f"not a USPTO patent document: root element <{root.tag}> "
                                    f"(line {raw.line} of the file)")
            return
        builder = _Builder()
        document: Document | None = None
        try:
            document = mapper(root, builder)
            document.validate()
        except DomainError as error:
            record = document.number.compact if document is not None else _record_name(raw)
            if isinstance(error, InvalidField):
                yield ImportProblem(file, record, error.field, f"{error.reason} (got {error.value!r})")
            else:
                yield ImportProblem(file, record, None, str(error))
            return
        yield document
        for field, reason in builder.problems:
            yield ImportProblem(file, document.number.compact, field, reason)

    @staticmethod
    def _syntax_reason(raw: RawDocument, error: etree.XMLSyntaxError) -> str:
        line = (error.lineno or 1) + raw.line - 1
        message = f"malformed XML at line {line} of the file: {error.msg}"
        root = _root_tag(raw.data)
        if raw.is_last and root and f"</{root}>".encode() not in raw.data[-4096:]:
            return f"the file is truncated: its last document has no closing </{root}> ({message})"
        return message
