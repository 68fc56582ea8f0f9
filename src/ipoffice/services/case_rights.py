"""Rights granted by this office's own procedures, as register documents for matching (issue #16).

A case of ``services.procedures`` whose replayed state is ``granted`` (or ``invalidation_pending``: still
in force until decided) is a right in force; what the public may see of it (``procedures.public_dict``:
title, abstract, claims, filing date, publication numbers) becomes a :class:`Document` numbered by its
latest publication (the grant's), so the matcher ranks it with the register's rights. The office's cases
are few next to the register; their vectors are embedded per match from the vector cache.
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import date

from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import Claim, Classification, Document, LocalizedText, RightType, TextField
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.text import has_cjk
from ipoffice.services.procedures import ProcedureService, public_dict

SOURCE_FORMAT = "case"  # Document.source_format of a right read from its case (not from the register)

IN_FORCE_STATES = frozenset({"granted", "invalidation_pending"})
_REFERS_TO_CLAIM = re.compile(r"\bclaims?\s+\d|权利要求\s*\d", re.IGNORECASE)


def _lang(text: str) -> str:
    return "zh" if has_cjk(text) else "en"


def case_document(public: dict[str, object]) -> Document | None:
    """The case as a register document (``public``: ``procedures.public_dict``); None before a publication."""
    numbers = [str(n) for n in public.get("publication_numbers") or []]  # type: ignore[attr-defined]
    if not numbers:
        return None
    application = public.get("application") or {}
    assert isinstance(application, dict)
    title = str(public.get("title") or "")
    texts = [LocalizedText(TextField.TITLE, _lang(title), title)] if title else []
    abstract = str(application.get("abstract") or "")
    if abstract:
        texts.append(LocalizedText(TextField.ABSTRACT, _lang(abstract), abstract))
    claims = []
    for i, text in enumerate(application.get("claims") or [], start=1):
        text = str(text)  # a dependent claim refers to an earlier one ("of claim 1", "根据权利要求1")
        claims.append(Claim(i, text, _lang(text), (1,) if i > 1 and _REFERS_TO_CLAIM.search(text) else ()))
    classifications = []
    for i, symbol in enumerate(application.get("ipc") or []):
        with suppress(InvalidField):  # a symbol the office's classifier gave in an older form stays out
            classifications.append(Classification.of(Scheme.IPC, str(symbol), is_main=i == 0))
    publication_dates = [date.fromisoformat(str(e["date"])) for e in public.get("legal_events") or []  # type: ignore[attr-defined]
                         if isinstance(e, dict) and e.get("publication_number") == numbers[-1]]
    return Document(number=PublicationNumber.parse(numbers[-1]), right_type=RightType(str(public["right_type"])),
                    application_number=str(public["application_number"]),
                    application_date=date.fromisoformat(str(public["filing_date"])),
                    publication_date=publication_dates[0] if publication_dates else None,
                    texts=texts, claims=claims, classifications=classifications, source_format=SOURCE_FORMAT)


def granted_cases(procedures: ProcedureService) -> list[Document]:
    """The office's granted cases in force, as documents (their state replayed from the events)."""
    with procedures.store.reading() as s:
        published = [r for r in s.cases() if r.published]
    out = []
    for record in procedures.with_derived_state(published):
        if record.state not in IN_FORCE_STATES:
            continue
        view = procedures.published_case(record.application_number)
        doc = case_document(public_dict(view)) if view is not None else None
        if doc is not None:
            out.append(doc)
    return out
