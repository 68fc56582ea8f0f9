"""Use cases that read the register: a document for display, and the register's statistics."""

from __future__ import annotations

import re
from typing import Any

from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.classification import ClassificationSymbol, Scheme
from ipoffice.domain.document import Document
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import ApplicationNumber, parse_number
from ipoffice.domain.trademark import MarkDetails


class DocumentNotFound(LookupError):
    def __init__(self, number: str, why: str = "") -> None:
        super().__init__(f"no document {number!r} in the register" + (f": {why}" if why else ""))
        self.number = number


class AmbiguousNumber(DocumentNotFound):
    """A printed number that several marks of different offices carry."""


def get_document(register: SqlRegister, number: str, office: str | None = None) -> Document:
    """The document of a number in any printed form (``US 2022/0159901 A1``, ``WO2019123456A1``); an
    application number (``ZL201810358967.5``) gives the latest publication of that application. A mark is
    found by its register key (``ALTM-T-1996-001287``) or by the application, registration or international
    number its office printed (``AL/T/1996/001287``; ``AL 007650``, or ``007650`` with ``office="AL"``)."""
    if office is not None:
        return _mark(register, number, office)
    try:
        parsed = parse_number(number)
    except InvalidField as exc:
        try:
            return _mark(register, number, None)
        except AmbiguousNumber:
            raise
        except DocumentNotFound:
            raise DocumentNotFound(number, str(exc)) from exc
    match parsed:
        case ApplicationNumber():
            doc = register.get_by_application(parsed)
        case _:
            doc = register.get(parsed.compact)
            if doc is None and parsed.kind:
                # A document recorded without a kind code (PatentsView exports) is that publication too;
                # one recorded with another kind is not.
                doc = register.get(parsed.without_kind)
                if doc is not None and doc.number.kind:
                    doc = None
    if doc is None:
        return _mark(register, number, None)
    return doc


def _mark(register: SqlRegister, printed: str, office: str | None) -> Document:
    """The one mark with this printed number (at ``office``, or at the office the text starts with)."""
    text = printed.strip()
    found = register.find_marks(text, office)
    head = re.match(r"^([A-Za-z]{2})(?:\s+|[:/-]\s*)(\S.*)$", text)
    if not found and office is None and head:  # "AL 007650", "AL/T/1996/001287"
        found = register.find_marks(head[2], head[1]) or register.find_marks(text, head[1])
    if len(found) > 1:
        raise AmbiguousNumber(printed, f"the number is that of {len(found)} marks ({', '.join(found[:5])}): "
                                        "give the office, e.g. 'AL 007650'")
    doc = register.get(found[0]) if found else None
    if doc is None:
        raise DocumentNotFound(printed)
    return doc


def document_as_dict(register: SqlRegister, doc: Document) -> dict[str, Any]:
    """The document as JSON-ready data, with IPC titles from the scheme when it is loaded."""
    wanted: set[str] = set()
    for c in doc.classifications:
        if not c.scheme.is_ipc_like:
            continue
        sym = ClassificationSymbol.parse(c.symbol)
        wanted.add(c.symbol)
        if sym.main_group_symbol:
            wanted.add(sym.main_group_symbol)
        if sym.subclass_symbol:
            wanted.add(sym.subclass_symbol)
    titles = register.ipc_titles(wanted)

    def title_of(scheme: Scheme, symbol: str) -> dict[str, str] | None:
        if not scheme.is_ipc_like:
            return None
        sym = ClassificationSymbol.parse(symbol)
        for candidate in (symbol, sym.main_group_symbol, sym.subclass_symbol):
            if candidate and candidate in titles:
                e = titles[candidate]
                return {"symbol": e.symbol, "en": e.title_en, "zh": e.title_zh}
        return None

    return {
        "number": doc.number.compact,
        "number_display": str(doc.number),
        "country": doc.number.country,
        "kind": doc.number.kind,
        "right_type": doc.right_type.value,
        "publication_date": _iso(doc.publication_date),
        "application_number": doc.application_number,
        "application_date": _iso(doc.application_date),
        "titles": {t.lang: t.text for t in doc.texts if t.field == "title"},
        "abstracts": {t.lang: t.text for t in doc.texts if t.field == "abstract"},
        "description": {t.lang: t.text for t in doc.texts if t.field == "description"},
        "claims": [
            {"number": c.number, "lang": c.lang, "text": c.text, "depends_on": list(c.depends_on)}
            for c in doc.claims
        ],
        "classifications": [
            {"scheme": c.scheme.value, "symbol": c.symbol, "main": c.is_main, "title": title_of(c.scheme, c.symbol)}
            for c in doc.classifications
        ],
        "parties": [{"role": p.role.value, "name": p.name, "country": p.country, "address": p.address,
                     "lang": p.lang} for p in doc.parties],
        "citations": [
            {"cited_by": c.cited_by.value, "number": c.number, "country": c.country, "kind": c.kind,
             "date": _iso(c.date), "text": c.text, "category": c.category}
            for c in doc.citations
        ],
        "priority_claims": [
            {"country": p.country, "number": p.number, "date": _iso(p.date)} for p in doc.priority_claims
        ],
        "legal_events": [
            {"code": e.code, "date": _iso(e.date), "description": e.description, "office_code": e.office_code}
            for e in doc.legal_events
        ],
        "mark_text": doc.mark_text,
        "goods_and_services": [{"nice_class": g.nice_class, "terms": g.terms, "lang": g.lang}
                               for g in doc.goods_and_services],
        "mark": mark_as_dict(doc.mark),
        "source_format": doc.source_format,
    }


def _iso(d: Any) -> str | None:
    return d.isoformat() if d else None


def mark_as_dict(mark: MarkDetails | None) -> dict[str, Any] | None:
    """A trademark's own data as JSON-ready data (None for a patent document)."""
    if mark is None:
        return None
    return {
        "registration_number": mark.registration_number,
        "registration_date": _iso(mark.registration_date),
        "international_number": mark.international_number,
        "expiry_date": _iso(mark.expiry_date),
        "feature": mark.feature.value if mark.feature else None,
        "feature_text": mark.feature_text,
        "kind_of_mark": mark.kind_of_mark,
        "status": mark.status.value if mark.status else None,
        "status_text": mark.status_text,
        "status_date": _iso(mark.status_date),
        "texts": [{"kind": t.kind.value, "text": t.text, "lang": t.lang, "date": _iso(t.date)} for t in mark.texts],
    }
