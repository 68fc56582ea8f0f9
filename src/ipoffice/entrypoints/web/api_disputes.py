"""Administrative adjudication of patent infringement disputes through the REST API (issue #17), the same JSON
as ``ipoffice dispute show --json``:

- ``POST /api/v1/disputes`` (logged in: the patentee or an agent): file a request against a patent in force →
  201, the dispute with its number, clocks and parties;
- ``GET /api/v1/disputes``: the disputes the caller may see (its parties, the staff of the handling office or
  above), the most urgent clock first;
- ``GET /api/v1/disputes/{number}``: one dispute — the patent then and now, clocks, alerts, parties,
  suspension, the parties' documents (listed); ``…/documents/{sha256}``: a document's content;
- ``POST /api/v1/disputes/{number}/acts``: an act, with the guards of ``ipoffice act`` (access policy, the
  procedure's state and conditions, dating), optionally with a document (base64).

Confidentiality: a dispute and its parties' documents exist only for its parties and the staff of the handling
office (or an office above it): anyone else logged in gets 404 (not even its existence is disclosed), the
public 401. An act of the other side's (the requester's act by the respondent, or the reverse) is 403.
Errors as the case API's: 401, 403, 404, 409 (not allowed in the state), 422 naming the field
(``{"error": {"message", "field", "code"}}``) or the refused condition (with ``messages`` in en and zh)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ipoffice.domain.case_file import Document
from ipoffice.entrypoints.web import casework
from ipoffice.entrypoints.web.deps import Context, RequiredUser
from ipoffice.services.disputes import MAX_DESCRIPTION_CHARS, DisputeService

router = APIRouter(prefix="/api/v1", tags=["api"])

DisputeNumber = Annotated[str, Path(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9./ -]+$",
                                    description="Dispute number, e.g. CN-JS-SZ-2026-J0001")]
Sha256 = Annotated[str, Path(min_length=64, max_length=64, pattern=r"^[0-9a-fA-F]{64}$")]
MAX_DOCUMENT_BASE64 = 14_000_000  # about 10 MB once decoded (case_file.MAX_DOCUMENT_BYTES decides)


def _service(ctx: Context) -> DisputeService:
    return ctx.office.disputes


class DisputeIn(BaseModel):
    right_number: str = Field(min_length=3, max_length=40, description="Application number of the patent")
    respondent: str = Field(min_length=1, max_length=64, description="Username of the respondent")
    respondent_agent: str | None = Field(default=None, max_length=64)
    agent: str | None = Field(default=None, max_length=64, description="The requester's agent")
    office: str | None = Field(default=None, max_length=32, description="Handling office (default: the patent's)")
    infringement_date: str | None = Field(default=None, max_length=10, description="YYYY-MM-DD")
    asserted_claims: list[int] = Field(default_factory=lambda: [1], min_length=1, max_length=100)
    product_description: str = Field(default="", max_length=MAX_DESCRIPTION_CHARS,
                                     description="The accused product, as free text")
    note: str | None = Field(default=None, max_length=2_000)


@router.post("/disputes", status_code=201)
def file_dispute(ctx: Context, user: RequiredUser, body: DisputeIn) -> dict[str, Any]:
    """File a request for administrative adjudication against a patent in force (by its patentee or an agent);
    dated the day the office receives it."""
    payload = {k: v for k, v in body.model_dump(exclude={"right_number"}).items() if v not in (None, "")}
    casework.api_day("infringement_date", body.infringement_date)
    with casework.api_errors(body_fields=True):
        view = _service(ctx).file(body.right_number, user.username, payload)
        return _service(ctx).show(view.record.application_number, user.username).as_dict()


@router.get("/disputes")
def list_disputes(ctx: Context, user: RequiredUser) -> list[dict[str, Any]]:
    """The disputes the caller may see, the most urgent clock first: number, state, office, patent, parties,
    next clock, alerts."""
    rows = []
    for d in _service(ctx).queue(user.username):
        next_clock = min(d.clocks, key=lambda t: t.due, default=None)
        rows.append({"number": d.number, "state": d.view.case.state, "office": d.view.record.office,
                     "right_number": d.right.view.record.application_number, "parties": d.parties,
                     "filing_date": d.view.record.filing_date.isoformat(),
                     "next_clock": {"name": next_clock.name, "due": next_clock.due.isoformat()} if next_clock
                     else None, "alerts": len(d.alerts)})
    return rows


@router.get("/disputes/{number}")
def show_dispute(ctx: Context, user: RequiredUser, number: DisputeNumber) -> dict[str, Any]:
    """The dispute: the patent (claims, status now and on the infringement date), clocks, alerts, parties,
    suspension, the documents on file, and the acts the caller may take now."""
    with casework.api_errors(body_fields=True):
        dispute = _service(ctx).show(number, user.username)
    data = dispute.as_dict()
    data["actions_permitted"] = [a for a in dispute.view.allowed_actions if a != "alert_right_status"]
    return data


@router.get("/disputes/{number}/documents/{sha256}")
def dispute_document(ctx: Context, user: RequiredUser, number: DisputeNumber, sha256: Sha256) -> Response:
    """A party's document on file, for the parties and the handling office only (a download)."""
    with casework.api_errors(body_fields=True):
        _service(ctx).show(number, user.username)
        document, content = ctx.procedures.document_content(number, sha256.lower(), user.username)
    return Response(content, media_type="application/octet-stream", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}"})


class DocumentIn(BaseModel):
    filename: str = Field(min_length=1, max_length=200, description="Name with its type: .pdf, .txt, .docx")
    content_base64: str = Field(min_length=1, max_length=MAX_DOCUMENT_BASE64)


class DisputeActIn(BaseModel):
    action: str = Field(min_length=1, max_length=64, pattern=r"^[a-z_]+$", description=(
        "accept_request, refuse_request, serve_request, submit_defence, submit_evidence, notify_hearing, "
        "hold_hearing, extend_decision_period, request_suspension, suspend_proceedings, refuse_suspension, "
        "resume_proceedings, decide, withdraw_request, conclude_mediation, file_suit"))
    date: str | None = Field(default=None, max_length=10, description=(
        "YYYY-MM-DD, default today; refused from a party; office staff may give an earlier date with a reason"))
    reason: str | None = Field(default=None, max_length=500)
    payload: dict[str, Any] = Field(default_factory=dict, description=(
        "The act's data: received_on, hearing_date, outcome, months + approved_by, note"))
    document: DocumentIn | None = None


@router.post("/disputes/{number}/acts")
def act(ctx: Context, user: RequiredUser, number: DisputeNumber, body: DisputeActIn) -> dict[str, Any]:
    """Take an act on the dispute; the dispute afterwards."""
    on = casework.api_day("date", body.date)
    document = None
    if body.document is not None:
        try:
            content = base64.b64decode(body.document.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise HTTPException(422, {"message": "not base64", "field": "document.content_base64",
                                      "code": "invalid_field"}) from None
        document = Document.named(body.document.filename, content)
    with casework.api_errors():
        dispute = _service(ctx).act(number, body.action, user.username, body.payload, on, body.reason, document)
    return dispute.as_dict()
