"""Pages of examiners: the work queue of their office by due date, and the case page — the application as
filed, a prior-art search prefilled from the claims (hybrid, only documents published before the priority
date), citations marked X/Y/A into a search report, an office action drafted from a template, decisions.
Every act goes through the procedures service, so the access policy and the procedure decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipoffice.domain.case_file import CITATION_CATEGORIES, Citation
from ipoffice.domain.offices import ActionKind, User
from ipoffice.domain.search import SearchError, SearchHit, SearchRequest
from ipoffice.entrypoints.web import casework, i18n
from ipoffice.entrypoints.web.deps import (
    Context,
    Forbidden,
    StaffUser,
    WebContext,
    checked_form,
    query_problem_text,
    render,
    search_unavailable_message,
    translator,
)
from ipoffice.services.procedures import CaseView

router = APIRouter(include_in_schema=False)

CATEGORIES = tuple(CITATION_CATEGORIES)
PRIOR_ART_HITS = 10
PRIOR_ART_QUERY_CHARS = 1500
EARLIER_MARKS_SHOWN = 5


# Office action templates by language; {citations} lists the search report.
TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "novelty": "Notification of the examiner's opinion on application {number} ({title}).\n\n"
                   "Claim 1 lacks novelty over the following documents of the search report:\n{citations}\n\n"
                   "The applicant is invited to submit observations or amendments within the time limit.",
        "inventive_step": "Notification of the examiner's opinion on application {number} ({title}).\n\n"
                          "The subject matter of the claims does not involve an inventive step in view of:\n"
                          "{citations}\n\nThe applicant is invited to reply within the time limit.",
        "formalities": "Notification of formal deficiencies in application {number} ({title}).\n\n"
                       "Please correct the application documents within the time limit.",
    },
    "zh": {
        "novelty": "关于申请 {number}（{title}）的审查意见通知书。\n\n"
                   "权利要求1相对于检索报告中的下列文件不具备新颖性：\n{citations}\n\n请申请人在期限内陈述意见或提交修改。",
        "inventive_step": "关于申请 {number}（{title}）的审查意见通知书。\n\n"
                          "权利要求的技术方案相对于下列文件不具备创造性：\n{citations}\n\n请申请人在期限内答复。",
        "formalities": "关于申请 {number}（{title}）的补正通知书。\n\n请申请人在期限内补正申请文件。",
    },
}


@dataclass(frozen=True)
class QueueItem:
    number: str
    title: str
    state: str
    office: str
    limit: str | None
    due: date | None


@router.get("/examiner", response_class=HTMLResponse)
def queue(request: Request, ctx: Context, user: StaffUser) -> HTMLResponse:
    """The office's cases, those with the earliest time limit first; cases without one at the end."""
    records = casework.office_cases(ctx.procedures, user)
    earliest: dict[str, tuple[str, date]] = {}
    for item in ctx.procedures.due(user.username):
        earliest.setdefault(item.case, (item.limit.name, item.limit.due))
    items = [QueueItem(r.application_number, r.title, r.state, r.office,
                       earliest.get(r.application_number, (None, None))[0],
                       earliest.get(r.application_number, (None, None))[1]) for r in records]
    items.sort(key=lambda i: (i.due is None, i.due or date.max, i.number))
    return render(request, "queue.html", items=items)


def prior_art_query(view: CaseView) -> str:
    """Claim 1 as filed, else the abstract, else the title: the text the prior-art search starts from."""
    payload = casework.filing_payload(view)
    claims = payload.get("claims") or []
    text = (claims[0] if isinstance(claims, list) and claims else None) or payload.get("abstract") or view.record.title
    return str(text)[:PRIOR_ART_QUERY_CHARS]


def prior_art(ctx: WebContext, text: str, before: date,
              t: i18n.Translator | None = None) -> tuple[list[SearchHit], str, str | None]:
    """(hits, mode used, note): hybrid when the semantic index exists, else keyword only (said in the note,
    in the language of ``t``, English by default)."""
    t = t or i18n.Translator("en")
    if not text.strip():
        return [], "hybrid", None
    service = ctx.search()
    for mode in ("hybrid", "bm25"):
        try:
            hits = service.search(SearchRequest(query=text, mode=mode, syntax="text", limit=PRIOR_ART_HITS,
                                                before=before)).hits
        except (ValueError, RecursionError, OverflowError) as exc:  # SearchError is a ValueError
            text_of = search_unavailable_message(exc, t) if isinstance(exc, SearchError) else \
                (query_problem_text(t, exc) or t("query.engine"))
            if mode == "bm25":
                return [], mode, text_of
            note = text_of
            continue
        return hits, mode, (None if mode == "hybrid" else note)
    return [], "bm25", None


# The categories of the search report each objection rests on (WIPO ST.14): novelty is destroyed only by a
# document taken alone (X); lack of inventive step by X, or Y combined with another Y. A documents (the
# general state of the art) are never cited against the claims.
TEMPLATE_CATEGORIES: dict[str, tuple[str, ...]] = {"novelty": ("X",), "inventive_step": ("X", "Y"),
                                                   "formalities": ()}


def _citation_lines(report: list[Citation], categories: tuple[str, ...]) -> str:
    return "\n".join(f"  [{r.category}] {r.cited_number}{(' — ' + r.note) if r.note else ''}"
                     for r in report if r.category in categories) or "  —"


def office_action_texts(lang: str, number: str, title: str, report: list[Citation]) -> dict[str, str]:
    """The office action templates in ``lang``, each citing the documents of its categories."""
    return {name: body.format(number=number, title=title,
                              citations=_citation_lines(report, TEMPLATE_CATEGORIES[name]))
            for name, body in TEMPLATES[lang].items()}


def _case_page(request: Request, ctx: WebContext, user: User, number: str, *, query: str | None = None,
               message: str | None = None, error: str | None = None, status_code: int = 200,
               done: str | None = None) -> HTMLResponse:
    with casework.http_errors():
        view = ctx.procedures.show(number, user.username)
    message = message or casework.done_message(translator(request), view, done)
    if not user.is_staff or number not in {r.application_number for r in casework.office_cases(ctx.procedures, user)}:
        raise Forbidden(f"{number} is not a case of {user.office}", "not_office_case", number=number,
                        office=user.office)
    rules = casework.policy(ctx.procedures)
    actions = casework.actions_for(view, user, rules, kinds=frozenset(
        {ActionKind.EXAMINATION, ActionKind.REVIEW, ActionKind.REGISTRATION}))
    before = casework.priority_or_filing_date(view)
    text = query if query is not None else prior_art_query(view)
    hits, mode, note = prior_art(ctx, text, before, translator(request))
    report = ctx.procedures.search_report(number, user.username)
    templates = office_action_texts(request.state.lang, number, view.record.title, report)
    earlier = (ctx.office.trademark_examination.relative_grounds(number, user.username, EARLIER_MARKS_SHOWN).earlier
               if view.record.procedure == "cn_trademark" else None)  # relative grounds (pages_tm_exam: the panel)
    return render(request, "examiner_case.html", status_code, view=view, payload=casework.filing_payload(view),
                  earlier_marks=earlier,
                  actions=actions, office_actions=sorted(casework.OFFICE_ACTIONS & set(actions)), before=before,
                  query=text, custom_query=query is not None, hits=hits, mode=mode, note=note, report=report,
                  categories=CATEGORIES, templates=templates, message=message, error=error,
                  party_acts=casework.party_acts(view, rules))


@router.get("/examiner/cases/{number}", response_class=HTMLResponse)
def case_page(request: Request, ctx: Context, user: StaffUser, number: str, q: str | None = None,
              done: str | None = None) -> HTMLResponse:
    return _case_page(request, ctx, user, number, query=q[:PRIOR_ART_QUERY_CHARS] if q else None, done=done)


@router.post("/examiner/cases/{number}/cite", response_model=None)
async def cite(request: Request, ctx: Context, user: StaffUser, number: str) -> Response:
    """Cite a document in the case's search report, through the procedures (access policy, event log)."""
    form = await checked_form(request)
    cited = str(form.get("cited_number") or "").strip()[:40]
    category = str(form.get("category") or "").strip().upper()[:5]
    note = str(form.get("note") or "")
    query = str(form.get("q") or "")[:PRIOR_ART_QUERY_CHARS] or None  # the examiner's own query, kept
    view = casework.attempt(lambda: ctx.procedures.cite(number, cited, category, None, user.username, note))
    if isinstance(view, HTTPException):
        t = translator(request)
        return _case_page(request, ctx, user, number, query=query, error=casework.refusal_message(t, view),
                          status_code=view.status_code)
    kept = f"?{urlencode({'q': query})}" if query else ""
    return RedirectResponse(f"/examiner/cases/{number}{kept}#report", status_code=303)


@router.post("/examiner/cases/{number}/act", response_model=None)
async def act(request: Request, ctx: Context, user: StaffUser, number: str) -> Response:
    """An office action (with its text and the search report) or a decision, through the procedures."""
    form = await checked_form(request)
    action = str(form.get("action") or "")
    payload: dict[str, object] = {}
    text = str(form.get("text") or "").strip()
    if text and action in casework.TEXT_ACTIONS:  # the draft is the opinion of these acts only
        payload["text"] = text[:20_000]
    if action in casework.OFFICE_ACTIONS:
        with casework.http_errors():
            report = ctx.procedures.search_report(number, user.username)
        payload["citations"] = [{"number": r.cited_number, "category": r.category} for r in report]
    view = casework.act_or_refusal(ctx.procedures, number, action, user.username, payload)
    t = translator(request)
    if isinstance(view, HTTPException):
        return _case_page(request, ctx, user, number, error=casework.refusal_message(t, view),
                          status_code=view.status_code)
    return casework.after_act(f"/examiner/cases/{number}", action)
