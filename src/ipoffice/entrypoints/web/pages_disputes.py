"""Pages of the administrative adjudication of patent disputes: the list of the disputes a user may see (parties
and the staff of the handling office), and the enforcement workspace of one dispute — the patent's claims and its
status on the date of the alleged infringement and now, the alerts, the clocks, the claim chart of the asserted
claim against the accused product's description, a prior-art search limited to before the patent's priority
date, the decision drafted from the template of the page's language, and the acts the user may take. Every act
goes through the procedures service (access policy, procedure, event log)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from ipoffice.domain.search import SearchError, SearchHit, SearchRequest
from ipoffice.entrypoints.web import casework, i18n
from ipoffice.entrypoints.web.deps import (
    Context,
    PageUser,
    WebContext,
    checked_form,
    query_problem_text,
    render,
    search_unavailable_message,
    translator,
)
from ipoffice.services.decision_drafts import draft_decision

router = APIRouter(include_in_schema=False)

PRIOR_ART_HITS = 10
MAX_PRODUCT_TEXT = 20_000
MAX_PAYLOAD_TEXT = 4_000


@router.get("/disputes", response_class=HTMLResponse)
def disputes(request: Request, ctx: Context, user: PageUser) -> HTMLResponse:
    """The disputes the user may see, the most urgent time limit first."""
    items = ctx.office.disputes.queue(user.username)
    return render(request, "disputes.html", items=items)


def _prior_art(ctx: WebContext, t: i18n.Translator, text: str, before: Any) -> tuple[list[SearchHit], str | None]:
    """Hybrid search when the semantic index exists, else keywords; (hits, the mode's problem if any, in the
    page's language: the command that builds the missing index, never a path)."""
    problem = None
    for mode in ("hybrid", "bm25"):
        try:
            return ctx.search().search(SearchRequest(query=text, mode=mode, syntax="text", limit=PRIOR_ART_HITS,
                                                     before=before)).hits, problem
        except SearchError as exc:
            problem = search_unavailable_message(exc, t)
        except (ValueError, RecursionError) as exc:
            problem = query_problem_text(t, exc) or t("error.search_unavailable")
    return [], problem


def _workspace(request: Request, ctx: WebContext, user: Any, number: str, *, product_text: str | None = None,
               error: str | None = None, status_code: int = 200, done: str | None = None) -> HTMLResponse:
    t = translator(request)
    with casework.http_errors():
        dispute = ctx.office.disputes.show(number, user.username)
    view = dispute.view
    claim_number = dispute.asserted_claims[0]
    try:
        claim = dispute.claim_text(claim_number)
    except LookupError:
        claim = ""
    text = dispute.product_description if product_text is None else product_text
    chart, chart_problem = None, None
    if claim and text.strip():
        try:
            chart = ctx.office.claim_charter().chart_text(claim, text)
        except (ValueError, RuntimeError, OSError) as exc:  # no sentence, or the model cannot be loaded
            chart_problem = str(exc)[:200]
    hits, search_problem = _prior_art(ctx, t, claim or view.record.title, dispute.right.priority_date) \
        if claim else ([], None)
    rules = ctx.procedures.catalogue.rules(view.record.jurisdiction)
    office_names = {o.code: o.name for o in ctx.procedures.offices()}
    office_name = t.term("office.", view.record.office) if t.has(f"office.{view.record.office}") \
        else office_names.get(view.record.office, view.record.office)
    draft = draft_decision(dispute, "zh" if t.lang == "zh" else "en", office_name, rules, chart=chart,
                           cite=t.reference, day=t.date)
    actions = [a for a in casework.actions_for(view, user, casework.policy(ctx.procedures))
               if a != "alert_right_status"]
    return render(request, "dispute.html", status_code, dispute=dispute, view=view, claim_number=claim_number,
                  product_text=text, chart=chart, chart_problem=chart_problem, hits=hits,
                  search_problem=search_problem, draft=draft, actions=actions, error=error,
                  message=casework.done_message(t, view, done))


@router.get("/disputes/{number}", response_class=HTMLResponse)
def workspace(request: Request, ctx: Context, user: PageUser, number: str, done: str | None = None) -> HTMLResponse:
    return _workspace(request, ctx, user, number, done=done)


@router.post("/disputes/{number}/chart", response_model=None)
async def chart(request: Request, ctx: Context, user: PageUser, number: str) -> Response:
    """The claim chart against another description of the accused product (nothing is recorded)."""
    form = await checked_form(request)
    text = str(form.get("product_text") or "")[:MAX_PRODUCT_TEXT]
    return _workspace(request, ctx, user, number, product_text=text)


@router.post("/disputes/{number}/act", response_model=None)
async def act(request: Request, ctx: Context, user: PageUser, number: str) -> Response:
    """An act on the dispute (the officer's, or a party's), with its data as a JSON object."""
    form = await checked_form(request)
    t = translator(request)
    action = str(form.get("action") or "")[:64]
    raw = str(form.get("payload") or "").strip()[:MAX_PAYLOAD_TEXT]
    try:
        payload = json.loads(raw) if raw else {}
        if not isinstance(payload, dict):
            raise ValueError("not an object")
    except ValueError:
        return _workspace(request, ctx, user, number, status_code=422,
                          error=t("case.refused", reason=f"payload: {t('dispute.payload')}"))
    result = casework.act_or_refusal(ctx.procedures, number, action, user.username, payload)
    if isinstance(result, HTTPException):
        return _workspace(request, ctx, user, number, error=casework.refusal_message(t, result),
                          status_code=result.status_code)
    return casework.after_act(f"/disputes/{number}", action)
