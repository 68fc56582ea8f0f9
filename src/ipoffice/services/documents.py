"""Use cases that read the register: a document for display, and the register's statistics."""

from __future__ import annotations

from typing import Any

from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.classification import ClassificationSymbol, Scheme
from ipoffice.domain.document import Document
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import ApplicationNumber, parse_number


class DocumentNotFound(LookupError):
    def __init__(self, number: str, why: str = "") -> None:
        super().__init__(f"no document {number!r} in the register" + (f": {why}" if why else ""))
        self.number = number


def get_document(register: SqlRegister, number: str) -> Document:
    """The document of a number in any printed form (``US 2022/0159901 A1``, ``WO2019123456A1``); an
    application number (``ZL201810358967.5``) gives the latest publication of that application."""
    try:
        parsed = parse_number(number)
    except InvalidField as exc:
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
        raise DocumentNotFound(number)
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
        "parties": [{"role": p.role.value, "name": p.name, "country": p.country} for p in doc.parties],
        "citations": [
            {"cited_by": c.cited_by.value, "number": c.number, "country": c.country, "kind": c.kind,
             "date": _iso(c.date), "text": c.text, "category": c.category}
            for c in doc.citations
        ],
        "priority_claims": [
            {"country": p.country, "number": p.number, "date": _iso(p.date)} for p in doc.priority_claims
        ],
        "legal_events": [
            {"code": e.code, "date": _iso(e.date), "description": e.description} for e in doc.legal_events
        ],
        "mark_text": doc.mark_text,
        "goods_and_services": [{"nice_class": g.nice_class, "terms": g.terms} for g in doc.goods_and_services],
        "source_format": doc.source_format,
    }


def _iso(d: Any) -> str | None:
    return d.isoformat() if d else None
