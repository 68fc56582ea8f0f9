"""Use case: the extract from the register for one right — status, owner, events — as data and as PDF.

The status is derived from what the register holds: the legal events of the document when one of them
ends or changes the right (expiry, abandonment), else the kind of publication (a B/S document or a US
patent number without kind is a granted patent; an A document a published application). A trademark's
status is the one its office recorded (ST.66 ``MarkCurrentStatusCode``, TMBRAND ``STATUS``, read by
``domain.trademark.mark_status``); without one, a mark with a registration date is registered, else
pending. The HTML form of the extract is a page of the web portal; the PDF is written here with fpdf2
and a CJK font when the system has one (Debian ``fonts-wqy-microhei`` or ``fonts-noto-cjk``), so Chinese
names and titles print; without one, CJK characters are replaced and the extract says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ipoffice.domain.document import Document, LegalEvent, PartyRole, RightType
from ipoffice.domain.legal_status import is_grant_kind

# Event codes (USPTO PEDS and the procedures' own) that end a right or an application.
_ENDING_PREFIXES: tuple[tuple[str, str], ...] = (
    ("EXP", "expired"), ("expire", "expired"), ("lapse", "expired"),
    ("ABN", "abandoned"), ("abandon", "abandoned"), ("deem_withdrawn", "abandoned"), ("withdraw", "abandoned"),
)
# ABN9 is "Disposal for a RCE / CPA": the application continues, it is not abandoned.
_NOT_ENDING = frozenset({"ABN9"})

CJK_FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)


@dataclass(frozen=True)
class LegalStatus:
    code: str  # granted | published | registered | expired | abandoned
    since: date | None
    event: LegalEvent | None = None  # the event the status comes from, when it does


@dataclass(frozen=True)
class RegisterExtract:
    number: str
    number_display: str
    title: str
    right_type: str
    status: LegalStatus
    owners: list[str]
    application_number: str | None
    application_date: date | None
    publication_date: date | None
    classifications: list[str]
    events: list[LegalEvent] = field(default_factory=list)


def legal_status(doc: Document) -> LegalStatus:
    if doc.mark is not None and doc.mark.status is not None:
        # The status the office recorded for the mark (ST.66 MarkCurrentStatusCode, TMBRAND STATUS).
        return LegalStatus(doc.mark.status.value, doc.mark.status_date or _latest_event_date(doc))
    for event in sorted(doc.legal_events, key=lambda e: e.date, reverse=True):
        if event.code in _NOT_ENDING:
            continue
        for prefix, status in _ENDING_PREFIXES:
            if event.code.startswith(prefix):
                return LegalStatus(status, event.date, event)
    if doc.right_type == RightType.TRADEMARK:
        if doc.mark is not None and doc.mark.registration_date is None:
            return LegalStatus("pending", doc.application_date)  # no status word, never registered
        registered = doc.mark.registration_date if doc.mark is not None else None
        return LegalStatus("registered", registered or doc.publication_date)
    granted = is_grant_kind(doc.number.country, doc.number.kind)
    return LegalStatus("granted" if granted else "published", doc.publication_date)


def _latest_event_date(doc: Document) -> date | None:
    return max((e.date for e in doc.legal_events), default=None)


def owners(doc: Document) -> list[str]:
    """The owners of record: the assignees, or the applicants when no assignee is recorded."""
    for role in (PartyRole.ASSIGNEE, PartyRole.APPLICANT):
        names = [p.name for p in doc.parties if p.role == role]
        if names:
            return list(dict.fromkeys(names))
    return []


# The legal status of a case of this office, by the state of its procedure (other states: published).
_CASE_STATUS = {"granted": "granted", "invalidation_pending": "granted", "registered": "published",
                "expired": "expired", "lapsed": "expired", "invalidated": "expired", "withdrawn": "abandoned",
                "deemed_withdrawn": "abandoned", "right_abandoned": "abandoned", "finally_rejected": "abandoned"}


def case_extract(public: Mapping[str, Any]) -> RegisterExtract:
    """The register extract of a published case of this office, from what the public may see of it
    (``ipoffice.services.procedures.public_dict``): numbered by its latest publication."""
    events = [LegalEvent(str(e["code"]), date.fromisoformat(str(e["date"])), str(e.get("publication_number") or ""))
              for e in public["legal_events"]]
    published = [e for e in events if e.description]
    number = published[-1].description if published else str(public["application_number"])
    status = _CASE_STATUS.get(str(public["state"]), "published")
    return RegisterExtract(
        number=number, number_display=number, title=str(public["title"]), right_type=str(public["right_type"]),
        status=LegalStatus(status, events[-1].date if events else None, events[-1] if events else None),
        owners=[str(public["applicant"])], application_number=str(public["application_number"]),
        application_date=date.fromisoformat(str(public["filing_date"])),
        publication_date=published[0].date if published else None,
        classifications=[str(c) for c in public["application"].get("ipc", [])], events=events,
    )


def build_extract(doc: Document) -> RegisterExtract:
    return RegisterExtract(
        number=doc.number.compact,
        number_display=str(doc.number),
        title=doc.title or doc.mark_text or "",
        right_type=doc.right_type.value,
        status=legal_status(doc),
        owners=owners(doc),
        application_number=doc.application_number,
        application_date=doc.application_date,
        publication_date=doc.publication_date,
        classifications=[c.symbol if c.scheme.is_ipc_like else f"{c.scheme.value} {c.symbol}"
                         for c in doc.classifications]
        + [f"Nice {n}" for n in dict.fromkeys(g.nice_class for g in doc.goods_and_services)],
        events=sorted(doc.legal_events, key=lambda e: (e.date, e.code)),
    )


def cjk_font() -> Path | None:
    return next((p for p in CJK_FONT_CANDIDATES if p.is_file()), None)


def extract_pdf(extract: RegisterExtract, labels: Callable[[str], str], format_date: Callable[[date | None], str],
                generated_on: date, font: Path | None = None) -> bytes:
    """The extract as a PDF; ``labels`` gives the captions in the reader's language (message keys
    ``extract.*``, ``doc.*``, ``status.*``, ``right.*``)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    font = font if font is not None else cjk_font()
    if font is not None:
        pdf.add_font("cjk", "", str(font))
        family = "cjk"
    else:
        family = "helvetica"

    def text(value: str) -> str:
        # The core fonts know Latin-1 only: without a CJK font, say so rather than fail.
        return value if font is not None else value.encode("latin-1", "replace").decode("latin-1")

    pdf.set_font(family, size=16)
    pdf.cell(0, 10, text(f"{labels('extract.title')}: {extract.number_display}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=9)
    pdf.cell(0, 6, text(labels("extract.generated").format(date=format_date(generated_on))),
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    rows: Sequence[tuple[str, str]] = (
        (labels("doc.number"), extract.number_display),
        (labels("doc.right_type"), labels(f"right.{extract.right_type}")),
        (labels("extract.status"), f"{labels(f'status.{extract.status.code}')} "
                                   f"({format_date(extract.status.since)})"),
        (labels("extract.owner"), "; ".join(extract.owners) or "-"),
        (labels("doc.application_number"), extract.application_number or "-"),
        (labels("doc.application_date"), format_date(extract.application_date)),
        (labels("doc.publication_date"), format_date(extract.publication_date)),
        (labels("doc.classifications"), ", ".join(extract.classifications) or "-"),
    )
    pdf.set_font(family, size=11)
    pdf.multi_cell(0, 7, text(extract.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, size=10)
    for caption, value in rows:
        pdf.cell(50, 7, text(caption))
        pdf.multi_cell(0, 7, text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(family, size=12)
    pdf.cell(0, 8, text(labels("extract.events")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=9)
    if not extract.events:
        pdf.cell(0, 6, text(labels("doc.none")), new_x="LMARGIN", new_y="NEXT")
    for event in extract.events:
        pdf.cell(35, 6, text(format_date(event.date)))
        name = labels(f"action.{event.code}")  # an action of the procedures has a name; imported codes do not
        pdf.cell(45, 6, text(event.code if name == f"action.{event.code}" else name))
        pdf.multi_cell(0, 6, text(event.description or "-"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
