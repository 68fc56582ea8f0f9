"""Use case: the register's document of each published case (a derived store of the case log).

A case filed and examined in ipoffice becomes public at its publication (CN: the A publication, then the
grant's B, U or S; ``domain.legal_status.makes_public``). From then on the register holds its documents, one
per publication number, built from the application as filed (title, abstract, claims, description,
IPC symbols, priority claims), the applicant by the name of record and the legal events of the case log, so
search, ``ipoffice show``, the document API, similar-document search and matching find it as they find
imported documents. Like the indexes it is derived data: ``project_published_cases`` brings the register to
the log's state (documents whose content is unchanged are not rewritten), and the office runs it before the
indexes catch up (``Office.catch_up_indexes``) and after every act on a published case.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ipoffice.adapters.register import SaveCounts, SqlRegister
from ipoffice.domain import case_file
from ipoffice.domain.classification import Scheme, normalise_symbol
from ipoffice.domain.document import (
    Claim,
    Classification,
    Document,
    LegalEvent,
    LocalizedText,
    Party,
    PartyRole,
    PriorityClaim,
    TextField,
)
from ipoffice.domain.errors import DomainError
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.text import has_cjk
from ipoffice.services.procedures import CaseView, ProcedureService, publication_numbers

SOURCE_PREFIX = "case:"  # the source of a projected document: "case:<application number>"
SOURCE_FORMAT = "ipoffice-case"  # Document.source_format of a projected document: its events are the case's


def case_documents(view: CaseView, applicant_name: str | None = None) -> list[Document]:
    """The documents of a published case, one per publication number (``CN900000001A``, then ``…B`` at
    grant), each with the case's legal events to date; none before publication, or for a procedure that
    numbers no publication. ``applicant_name``: the name of record."""
    if not view.record.published:
        return []
    return [_document(view, number, applicant_name) for number in dict.fromkeys(publication_numbers(view))]


def _document(view: CaseView, number: str, applicant_name: str | None) -> Document:
    record = view.record
    filed = _filed(view)
    published_on = min(e.date for e in view.events if e.payload.get("publication_number") == number)
    texts = [LocalizedText(field, _lang(text), text) for field, text in (
        (TextField.TITLE, record.title or str(filed.get("title") or "")),
        (TextField.ABSTRACT, str(filed.get("abstract") or "")),
        (TextField.DESCRIPTION, str(filed.get("description") or ""))) if text]
    claims = [Claim(i, text, _lang(text)) for i, text in enumerate(_strings(filed.get("claims")), start=1)]
    classifications = []
    for i, symbol in enumerate(_strings(filed.get("ipc"))):
        try:
            classifications.append(Classification(Scheme.IPC, normalise_symbol(symbol, field="ipc"), is_main=i == 0))
        except DomainError:
            continue  # validated at filing; a symbol the scheme no longer parses is left out, not guessed
    parties = [Party(PartyRole.APPLICANT, applicant_name or record.applicant, record.jurisdiction.upper())]
    priorities = [PriorityClaim(str(p.get("country") or ""), str(p.get("number") or ""), _day(p.get("date")))
                  for p in _list(filed.get("priorities")) if isinstance(p, Mapping)]
    events = [LegalEvent(e.code, e.date) for e in view.events if not case_file.is_record(e.code)]
    return Document(number=PublicationNumber.parse(number), right_type=record.right_type,
                    publication_date=published_on, application_number=record.application_number,
                    application_date=record.filing_date, texts=texts, claims=claims,
                    classifications=classifications, parties=parties, priority_claims=priorities,
                    legal_events=events, source_format=SOURCE_FORMAT)


def project_published_cases(procedures: ProcedureService, register: SqlRegister) -> SaveCounts:
    """Save the document of every published case into the register (one transaction; unchanged ones are
    counted, not rewritten). Returns what was added, updated and left unchanged."""
    names = {u.username: u.name for u in procedures.users()}
    batch = []
    for view in procedures.published_views():
        for document in case_documents(view, names.get(view.record.applicant)):
            batch.append((document, SOURCE_PREFIX + view.record.application_number))
    return register.save_documents(batch) if batch else SaveCounts()


def _filed(view: CaseView) -> dict[str, object]:
    return next((dict(e.payload) for e in view.events if e.code == "file"), {})


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def _lang(text: str) -> str:
    return "zh" if has_cjk(text) else "en"


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
