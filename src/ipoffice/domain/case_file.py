"""Records of the case file that do not move the procedure: the citations of the search report, the
documents attached to a party's act, the fees paid.

They are legal events of the case like the procedure's actions — appended to the same hash-chained log, in
the transaction of the act, after the same access policy (``ACTION_KINDS`` in ``ipoffice.domain.offices``
says who takes them) — but no procedure has a transition for them: the state machine does not fold them
(``procedure_events`` leaves them out when a case is replayed) and they are allowed in any state.

- ``cite_in_search_report``: an examiner cites a document of the register in the search report, with its
  category (X: particularly relevant on its own; Y: particularly relevant combined with another document of
  the same category; A: the general state of the art). Citing a document again recategorises it.
- ``attach_document``: a document (reply, amendment) uploaded with a party's act; the log keeps its name,
  size and SHA-256 digest, so the stored file can be checked against the log.
- ``pay_fee``: a fee of the case's rule book paid, with the amount due on the day of payment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.procedures.base import ProcedureEvent, Reason
from ipoffice.domain.procedures.cn_fast_track import ordinary_procedure
from ipoffice.domain.rules import Fee

SEARCH_REPORT_CITATION = "cite_in_search_report"
DOCUMENT_ATTACHED = "attach_document"
FEE_PAYMENT = "pay_fee"
RECORD_CODES = frozenset({SEARCH_REPORT_CITATION, DOCUMENT_ATTACHED, FEE_PAYMENT})

# Categories of cited documents (as in search reports under the PCT, WIPO ST.14).
CITATION_CATEGORIES: dict[str, str] = {
    "X": "particularly relevant if taken alone",
    "Y": "particularly relevant if combined with another document of the same category",
    "A": "defining the general state of the art",
}

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Accepted documents by extension, with the first bytes each must start with (None: UTF-8 text).
DOCUMENT_TYPES: dict[str, bytes | None] = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04", ".txt": None}
MAX_NOTE = 500


RECORDAL_PREFIX = "recordal_"  # recordals on the right (ipoffice.domain.recordals)


def is_record(code: str) -> bool:
    """Whether an event code is a record of the case file (not an action of the procedure)."""
    return code in RECORD_CODES or code.startswith(RECORDAL_PREFIX)


def procedure_events(events: Iterable[ProcedureEvent]) -> list[ProcedureEvent]:
    """The events the procedure folds: the case's events without the records of the case file."""
    return [e for e in events if not is_record(e.code)]


# -- search report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    cited_number: str
    category: str
    note: str = ""


def citation_event(on: date, cited_number: str, category: str, note: str = "") -> ProcedureEvent:
    cited = cited_number.strip()
    category = category.strip().upper()
    if category not in CITATION_CATEGORIES:
        raise InvalidField("category", category, f"must be one of {', '.join(CITATION_CATEGORIES)}")
    if not cited or len(cited) > 40:
        raise InvalidField("cited_number", cited_number, "must be a publication number of the register")
    return ProcedureEvent(SEARCH_REPORT_CITATION, on,
                          {"cited_number": cited, "category": category, "note": note.strip()[:MAX_NOTE]})


class Recorded(Protocol):
    """An event as recorded (a ``ProcedureEvent`` or a ``LogEntry``)."""

    @property
    def code(self) -> str: ...

    @property
    def payload(self) -> Mapping[str, object]: ...


def search_report(events: Iterable[Recorded]) -> list[Citation]:
    """The search report a case's events make: each cited document once, with its latest category, by
    category and then in the order cited (a document recategorised moves to the end of its category)."""
    latest: dict[str, Citation] = {}
    for event in events:
        if event.code == SEARCH_REPORT_CITATION:
            p = event.payload
            cited = str(p["cited_number"])
            latest.pop(cited, None)
            latest[cited] = Citation(cited, str(p["category"]), str(p.get("note") or ""))
    return sorted(latest.values(), key=lambda c: c.category)


# -- documents ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """A document to attach: its (cleaned) file name and content."""

    filename: str
    content: bytes

    @staticmethod
    def named(filename: str, content: bytes) -> Document:
        """The document with its name reduced to safe characters (letters, digits, ``.``, ``-``, ``_``, space)."""
        return Document(re.sub(r"[^\w.\- ]", "_", filename)[-200:], content)

    @property
    def suffix(self) -> str:
        return "." + self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""


def document_problem(document: Document) -> Reason | None:
    """Why a document cannot be attached (size, type, content; with its code), or None."""
    content = document.content
    if len(content) > MAX_DOCUMENT_BYTES:
        limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
        return Reason(f"file: larger than {limit} MB", "file_too_large", limit=limit)
    if not content:
        return Reason("file: empty", "file_empty")
    suffix = document.suffix
    accepted = ", ".join(DOCUMENT_TYPES)
    if suffix not in DOCUMENT_TYPES:
        return Reason(f"file: type {suffix or '(none)'} not accepted; accepted: {accepted}", "file_type",
                      suffix=suffix or "—", accepted=accepted)
    magic = DOCUMENT_TYPES[suffix]
    if magic is None:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return Reason("file: a .txt document must be UTF-8 text", "file_not_utf8")
    elif not content.startswith(magic):
        return Reason(f"file: the content is not a {suffix} document", "file_content", suffix=suffix)
    return None


def document_event(on: date, document: Document, sha256: str, *, action: str, event: int) -> ProcedureEvent:
    """The record of ``document`` attached to the act ``action`` recorded as event number ``event``."""
    problem = document_problem(document)
    if problem is not None:
        raise InvalidField("document", document.filename, problem)
    return ProcedureEvent(DOCUMENT_ATTACHED, on, {"filename": document.filename, "sha256": sha256,
                                                  "size": len(document.content), "action": action, "event": event})


@dataclass(frozen=True)
class AttachedDocument:
    filename: str
    sha256: str
    size: int
    action: str


def documents_attached(events: Iterable[Recorded]) -> list[AttachedDocument]:
    """The documents on file, in the order attached. Acts recorded before documents had their own event
    carry the document in their payload (``document``, ``sha256``, ``size``); those are listed too."""
    found = []
    for event in events:
        p = event.payload
        if event.code == DOCUMENT_ATTACHED:
            found.append(AttachedDocument(str(p["filename"]), str(p["sha256"]), int(str(p["size"])),
                                          str(p.get("action") or "")))
        elif "document" in p and "sha256" in p:
            found.append(AttachedDocument(str(p["document"]), str(p["sha256"]), int(str(p.get("size") or 0)),
                                          event.code))
    return found


# -- fees -----------------------------------------------------------------------------------------------


def payable_fees(procedure: str, parameters: Iterable[str]) -> list[str]:
    """The fees of a rule book a case of ``procedure`` pays: those of its kind of right
    (``fee.invention.…`` for ``cn_invention``) and those of no kind (``fee.reexamination``)."""
    right = ordinary_procedure(procedure).split("_", 1)[-1]  # a fast track pays its ordinary procedure's fees
    return sorted(n for n in parameters
                  if n.startswith(f"fee.{right}.") or (n.startswith("fee.") and n.count(".") == 1))


def fee_payment_event(on: date, name: str, fee: Fee, *, year: int | None = None,
                      times: int = 1) -> ProcedureEvent:
    """The record of fee ``name`` paid on ``on`` (``times`` over, e.g. per class of goods or services)."""
    amount = fee.amount * Decimal(times)
    payload: dict[str, object] = {"fee": name, "amount": str(amount), "currency": fee.currency,
                                  "reference": fee.reference}
    if fee.reduction:
        payload["reduction"] = fee.reduction
    if year is not None:
        payload["year"] = year
    if times != 1:
        payload["times"] = times
    return ProcedureEvent(FEE_PAYMENT, on, payload)


def fees_paid(events: Iterable[Recorded]) -> list[Mapping[str, object]]:
    return [e.payload for e in events if e.code == FEE_PAYMENT]
