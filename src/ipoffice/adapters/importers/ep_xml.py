"""EPO publication server XML (``ep-patent-document``, DTD 1.0 to 1.5.1), one document per file.

Bibliographic data uses WIPO ST.36 INID tags: B110 number, B130 kind, B140 publication date,
B210/B220 application, B300 priorities, B510/B510EP IPC, B520EP CPC, B540 titles, B560 citations,
B710/B730 applicants/proprietors, B720 inventors, B740 representatives.

Who cited what: B560 lists the documents cited in the search and examination (``examiner``);
``ep-reference-list`` lists the references the applicant cited in the description (``applicant``);
``search-report-data`` citations carry the search category (X, Y, A, ...).

A proprietor of a granted patent (B730) is stored as an assignee, the owner as in US data.
Claim dependencies come from ``<claim-ref>`` when tagged; EP files mostly do not tag them, so
a reference to an earlier claim in the opening words of a claim (EN/DE/FR) is read as a dependency.

The DTD is never loaded (no network, no file look-up); the files are parsed without it.
Some real files are not well-formed (a bare ``&`` or ``<`` in a text); they are parsed in
lxml's recovery mode with a logged warning, unless the file is truncated, which is a problem.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from ipoffice.adapters.importers._common import fold_whitespace, parse_date, problem
from ipoffice.adapters.importers.base import ImportProblem, Record
from ipoffice.domain.claim_references import claim_references
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
    TextField,
)
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import PublicationNumber

log = logging.getLogger(__name__)

ROOT = "ep-patent-document"
_CLOSING_TAG = b"</" + ROOT.encode() + b">"

# After the symbol: version date, then ([level A/C/S]) position F(irst)/L(ater) and value I/A/N.
_POSITION = re.compile(r"\d{8}\s*[ACS]?(?P<position>[FL])[IAN]")
# Old B511/B512 text: edition digit, then a symbol with stray spaces: " 7C 07C  29/44   A".
_OLD_IPC = re.compile(
    r"^\s*\d*\s*(?P<sec>[A-HY])\s*(?P<cls>\d{2})\s*(?P<sub>[A-Z])\s*(?P<main>\d{1,4})\s*/\s*(?P<sg>\d{1,6})"
)
_INDEXING_IPC = re.compile(
    r"(?<![A-Z0-9])\d?\s*(?P<sec>[A-HY])\s*(?P<cls>\d{2})\s*(?P<sub>[A-Z])\s*(?P<main>\d{1,4})\s*[/:]\s*(?P<sg>\d{1,6})"
)
# B561 text: "EP-A1- 3 109 871", "US-E- R E36 154", "WO-A-91/06571".
_B561 = re.compile(r"^\s*(?P<country>[A-Z]{2})\s*-\s*(?P<kind>[A-Z][0-9]?)?\s*-\s*(?P<serial>.+?)\s*$")
_WO_YEAR_SERIAL = re.compile(r"^(?P<year>\d{2}|\d{4})/(?P<serial>\d{4,6})$")
_DEPENDENCY_WINDOW = 250  # a dependent claim names its parent in its opening words

_PARTY_TAGS = (
    ("B700/B710/B711", PartyRole.APPLICANT),
    ("B700/B730/B731", PartyRole.ASSIGNEE),
    ("B700/B720/B721", PartyRole.INVENTOR),
    ("B700/B740/B741", PartyRole.AGENT),
)


def _parser(*, recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        load_dtd=False, no_network=True, resolve_entities=False, huge_tree=True, recover=recover
    )


def _text(element: etree._Element | None) -> str:
    """All text inside an element, whitespace collapsed (comments such as ``<!-- EPO <DP n="8"> -->`` skipped)."""
    if element is None:
        return ""
    # Serialised as text in libxml2 (comments are no text): a Python loop over itertext() cost more
    # than parsing the file.
    return fold_whitespace(etree.tostring(element, method="text", encoding=str, with_tail=False))


def _block_text(element: etree._Element) -> str:
    """Text of a description or abstract: one line per paragraph or heading."""
    blocks = [_text(child) for child in element if isinstance(child.tag, str)]
    return "\n".join(b for b in blocks if b)


class EpXmlImporter:
    name = "ep-xml"

    def sniff(self, path: Path, head: bytes) -> bool:
        return b"<" + ROOT.encode() in head

    def read(self, path: Path) -> Iterator[Record | ImportProblem]:
        try:
            root = self._parse(path)
        except (OSError, etree.XMLSyntaxError, ValueError) as e:
            yield problem(path, None, e, field="file")
            return
        if root is None or root.tag != ROOT:
            tag = None if root is None else root.tag
            yield problem(path, None, f"root element is {tag!r}, expected <{ROOT}>", field="file")
            return
        # Named by its publication number; the id attribute holds the application number instead.
        record = f"EP{root.get('doc-number')}{root.get('kind') or ''}" if root.get("doc-number") else path.name
        try:
            document = self.document(root)
            document.validate()
        except InvalidField as e:
            yield problem(path, record, e)
            return
        yield document

    def _parse(self, path: Path) -> etree._Element | None:
        try:
            return etree.parse(str(path), _parser(recover=False)).getroot()
        except etree.XMLSyntaxError as strict_error:
            with path.open("rb") as f:
                f.seek(0, 2)
                f.seek(max(0, f.tell() - 4096))
                tail = f.read()
            if _CLOSING_TAG not in tail:
                raise ValueError(
                    f"truncated or not EP XML: no closing </{ROOT}> at the end ({strict_error})"
                ) from None
            log.warning("%s: not well-formed XML, parsed in recovery mode: %s", path, strict_error)
            return etree.parse(str(path), _parser(recover=True)).getroot()

    def document(self, root: etree._Element) -> Document:
        """Map one parsed ``<ep-patent-document>`` to a Document."""
        sdobi = root.find("SDOBI")
        if sdobi is None:
            raise InvalidField("SDOBI", None, "bibliographic data (SDOBI) is missing")
        doc_number = root.get("doc-number") or sdobi.findtext("B100/B110") or ""
        kind = root.get("kind") or sdobi.findtext("B100/B130") or ""
        try:
            number = PublicationNumber.parse(f"EP{doc_number.strip()}{kind.strip()}")
        except InvalidField as e:
            raise InvalidField("publication_number", f"EP {doc_number} {kind}", e.reason) from None
        return Document(
            number=number,
            publication_date=parse_date(
                root.get("date-publ") or sdobi.findtext("B100/B140/date"), field="publication_date"
            ),
            application_number=(sdobi.findtext("B200/B210") or "").strip() or None,
            application_date=parse_date(sdobi.findtext("B200/B220/date"), field="application_date"),
            texts=self._texts(root, sdobi),
            claims=self._claims(root),
            classifications=self._classifications(sdobi),
            parties=self._parties(sdobi),
            citations=self._citations(root, sdobi),
            priority_claims=self._priorities(sdobi),
            source_format=self.name,
        )

    def _texts(self, root: etree._Element, sdobi: etree._Element) -> list[LocalizedText]:
        texts: list[LocalizedText] = []
        lang = None
        for element in sdobi.findall("B500/B540/*"):
            if element.tag == "B541":
                lang = _text(element).lower()
            elif element.tag == "B542" and lang and _text(element):
                texts.append(LocalizedText(TextField.TITLE, lang, _text(element)))
        document_lang = (root.get("lang") or "en").lower()
        for tag, which in (("abstract", TextField.ABSTRACT), ("description", TextField.DESCRIPTION)):
            for element in root.findall(tag):
                body = _block_text(element)
                if body:
                    texts.append(LocalizedText(which, (element.get("lang") or document_lang).lower(), body))
        return texts

    def _claims(self, root: etree._Element) -> list[Claim]:
        claims: list[Claim] = []
        document_lang = (root.get("lang") or "en").lower()
        for claims_element in root.findall("claims"):
            lang = (claims_element.get("lang") or document_lang).lower()
            number_of_id = {
                c.get("id"): _claim_number(c, position, lang)
                for position, c in enumerate(claims_element.findall("claim"), start=1)
            }
            for position, element in enumerate(claims_element.findall("claim"), start=1):
                claim_number = _claim_number(element, position, lang)
                text = _text(element)
                tagged = {number_of_id.get(ref.get("idref")) for ref in element.iter("claim-ref")}
                named = claim_references(text, claim_number, window=None if tagged else _DEPENDENCY_WINDOW)
                depends_on = sorted({n for n in tagged if n and n != claim_number}.union(named))
                claims.append(Claim(claim_number, text, lang, tuple(depends_on)))
        return claims

    def _classifications(self, sdobi: etree._Element) -> list[Classification]:
        out: list[Classification] = []
        for scheme, path in (
            (Scheme.IPC, "B500/B510EP/classification-ipcr/text"),
            (Scheme.CPC, "B500/B520EP/classifications-cpc/classification-cpc/text"),
        ):
            found = []
            for element in sdobi.findall(path):
                raw = _text(element)
                position = _POSITION.search(raw)
                found.append(Classification.of(scheme, raw, is_main=bool(position and position["position"] == "F")))
            # Early IPCR text ("B05B 7/ 00 A I") has no position flag: the first symbol is the main one.
            if found and not any(c.is_main for c in found):
                found[0] = Classification(found[0].scheme, found[0].symbol, is_main=True)
            out.extend(found)
        # DTD 1.0-1.4 documents before IPC reform: B511 main, B512 further symbols.
        for tag, is_main in (("B511", True), ("B512", False)):
            for element in sdobi.findall(f"B500/B510/{tag}"):
                m = _OLD_IPC.match(_text(element))
                if not m:
                    raise InvalidField(f"classification.ipc ({tag})", _text(element), "not an IPC symbol")
                symbol = f"{m['sec']}{m['cls']}{m['sub']} {m['main']}/{m['sg']}"
                out.append(Classification.of(Scheme.IPC, symbol, is_main=is_main))
        # B513 additional information, B514 index codes, B517EP linked indexing codes ("// A01N43/08"):
        # IPC symbols too, kept as further ones.
        for tag in ("B513", "B514", "B517EP"):
            for element in sdobi.findall(f"B500/B510/{tag}"):
                for m in _INDEXING_IPC.finditer(_text(element)):
                    symbol = f"{m['sec']}{m['cls']}{m['sub']} {m['main']}/{m['sg']}"
                    out.append(Classification.of(Scheme.IPC, symbol, is_main=False))
        return _unique(out)

    def _parties(self, sdobi: etree._Element) -> list[Party]:
        parties: list[Party] = []
        for path, role in _PARTY_TAGS:
            for sequence, element in enumerate(sdobi.findall(path), start=1):
                name = _text(element.find("snm"))
                if not name:
                    raise InvalidField(f"parties.{role}", None, f"{path} has no name (snm)")
                country = _text(element.find("adr/ctry")) or None
                parties.append(Party(role, name, country, sequence))
        return parties

    def _priorities(self, sdobi: etree._Element) -> list[PriorityClaim]:
        # B300 repeats the triple B310 number, B320 date, B330 country for each priority.
        claims: list[PriorityClaim] = []
        number: str | None = None
        when: date | None = None
        for element in sdobi.findall("B300/*"):
            if element.tag == "B310":
                number = _text(element)
                when = None
            elif element.tag == "B320":
                when = parse_date(element.findtext("date"), field="priority_claims.date")
            elif element.tag == "B330" and number:
                claims.append(PriorityClaim(_text(element.find("ctry")) or _text(element), number, when))
                number = None
        return claims

    def _citations(self, root: etree._Element, sdobi: etree._Element) -> list[Citation]:
        citations: list[Citation] = []
        for element in sdobi.findall("B500/B560/*"):
            if element.tag == "B561":
                citations.append(_b561_citation(_text(element)))
            elif element.tag == "B562":
                citations.append(Citation(CitedBy.EXAMINER, text=_text(element)))
        for element in root.iterfind("ep-reference-list//patcit"):
            citations.append(_patcit(element, CitedBy.APPLICANT))
        for element in root.iterfind("ep-reference-list//nplcit"):
            citations.append(Citation(CitedBy.APPLICANT, text=_text(element)))
        for element in root.iterfind("search-report-data//citation"):
            category = _text(element.find("category")) or None
            patcit = element.find("patcit")
            if patcit is not None:
                cited = _patcit(patcit, CitedBy.EXAMINER)
                citations.append(Citation(cited.cited_by, cited.number, cited.country, cited.kind, cited.date,
                                          category=category))
            elif element.find("nplcit") is not None:
                citations.append(Citation(CitedBy.EXAMINER, text=_text(element.find("nplcit")),
                                          category=category))
        return [
            Citation(c.cited_by, c.number, c.country, c.kind, c.date, c.text, c.category, sequence)
            for sequence, c in enumerate(citations, start=1)
        ]


def _unique(classifications: list[Classification]) -> list[Classification]:
    seen: set[tuple[Scheme, str]] = set()
    out = []
    for c in classifications:
        if (c.scheme, c.symbol) not in seen:
            seen.add((c.scheme, c.symbol))
            out.append(c)
    return out


def _claim_number(element: etree._Element, position: int, lang: str) -> int:
    """``num="0001"``; some files leave ``num`` empty, then the id ``c-de-0001`` or the position tells."""
    raw = (element.get("num") or "").strip()
    if raw.isdigit():
        return int(raw)
    if raw:
        raise InvalidField(f"claims[{lang}].num", raw, "claim number is not a number")
    from_id = re.search(r"(\d+)$", element.get("id") or "")
    return int(from_id.group(1)) if from_id else position


def _citation_number(country: str, serial: str, kind: str | None) -> tuple[str, str | None]:
    """Compact number when it parses, else the text as given; and the kind code kept."""
    serial = serial.replace(" ", "")
    wo = _WO_YEAR_SERIAL.match(serial)
    if country == "WO" and wo:
        year = wo["year"] if len(wo["year"]) == 4 else ("19" if int(wo["year"]) >= 78 else "20") + wo["year"]
        serial = year + wo["serial"].zfill(6)
    try:
        number = PublicationNumber.parse(f"{country}{serial}{kind or ''}")
        return number.compact, number.kind
    except InvalidField:
        return f"{country}{serial}{kind or ''}", kind


def _b561_citation(text: str) -> Citation:
    m = _B561.match(text)
    if not m:
        return Citation(CitedBy.EXAMINER, number=text)
    number, kind = _citation_number(m["country"], m["serial"], m["kind"])
    return Citation(CitedBy.EXAMINER, number=number, country=m["country"], kind=kind)


def _patcit(element: etree._Element, cited_by: CitedBy) -> Citation:
    country = _text(element.find("document-id/country")) or None
    serial = _text(element.find("document-id/doc-number"))
    kind = _text(element.find("document-id/kind")) or None
    when = parse_date(element.findtext("document-id/date"), field="citations.date")
    if country and serial:
        number, kind = _citation_number(country, serial, kind)
    else:
        number = element.get("dnum") or _text(element)
    return Citation(cited_by, number=number, country=country, kind=kind, date=when)
