"""Pages of applicants and agents: login, account and API tokens, e-filing with a receipt, "my cases" with
due dates, office actions, notices, uploads of replies/amendments and payments."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from ipoffice.domain import case_file
from ipoffice.domain.offices import ActionKind, Role, User
from ipoffice.domain.procedures.base import OpenTimeLimit
from ipoffice.entrypoints.web import casework, vocabulary
from ipoffice.entrypoints.web.auth import client_address, log_in, log_out
from ipoffice.entrypoints.web.deps import (
    Context,
    PageUser,
    PartyUser,
    WebContext,
    checked_form,
    render,
    translator,
)
from ipoffice.entrypoints.web.filing import FORMS, FilingInvalid, build_filing, fees_due, problem_texts, total
from ipoffice.services.accounts import DEMO_PASSWORD, MAX_TOKEN_DAYS, TooManyAttempts
from ipoffice.services.procedures import DEMO_USERS

router = APIRouter(include_in_schema=False)


# --- login ---------------------------------------------------------------------------------------------

def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _login_page(request: Request, ctx: WebContext, next: str, status_code: int = 200, *, failed: bool = False,
                throttled: int | None = None) -> HTMLResponse:
    """The login form; the demo accounts and their password only where the demo users were seeded with it."""
    demo = ctx.accounts.demo_password_works()
    response = render(request, "login.html", status_code, next=_safe_next(next), failed=failed,
                      throttled_minutes=None if throttled is None else max(1, -(-throttled // 60)),
                      demo_users=[u.username for u in DEMO_USERS] if demo else [],
                      demo_password=DEMO_PASSWORD if demo else None)
    if throttled is not None:
        response.headers["Retry-After"] = str(throttled)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, ctx: Context, next: str = "/") -> HTMLResponse:
    return _login_page(request, ctx, next)


@router.post("/login", response_model=None)
async def login(request: Request, ctx: Context) -> Response:
    form = await checked_form(request)
    next = str(form.get("next") or "/")
    try:
        user = ctx.accounts.authenticate(str(form.get("username") or ""), str(form.get("password") or ""),
                                         client_address(request))
    except TooManyAttempts as exc:
        return _login_page(request, ctx, next, 429, throttled=exc.retry_after)
    if user is None:
        return _login_page(request, ctx, next, 401, failed=True)
    log_in(request, user)
    default = "/examiner" if user.is_staff else "/my/cases"
    target = _safe_next(str(form.get("next") or ""))
    return RedirectResponse(default if target == "/" else target, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    log_out(request)
    return RedirectResponse("/", status_code=303)


NEW_TOKEN = "new_token"  # session key: the token just created, shown once by the next GET of /account


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, ctx: Context, user: PageUser, done: str | None = None) -> HTMLResponse:
    """The account and its API tokens; a token just created (post/redirect/get) is shown once."""
    new_token = request.session.pop(NEW_TOKEN, None)
    message = translator(request)("account.token_revoked") if done == "revoked" else None
    return render(request, "account.html", account=user, tokens=ctx.accounts.tokens(user.username),
                  new_token=new_token, message=message, token_days=ctx.accounts.policy.token_days,
                  max_token_days=MAX_TOKEN_DAYS)


@router.post("/account/tokens", response_model=None)
async def new_token(request: Request, ctx: Context, user: PageUser) -> Response:
    form = await checked_form(request)
    try:
        days = int(str(form.get("days") or ctx.accounts.policy.token_days))
    except ValueError:
        days = ctx.accounts.policy.token_days
    request.session[NEW_TOKEN] = ctx.accounts.create_token(user.username, str(form.get("label") or "web")[:100],
                                                           days)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/tokens/{token_id}/revoke", response_model=None)
async def revoke_token(request: Request, ctx: Context, user: PageUser, token_id: str) -> Response:
    await checked_form(request)
    if not ctx.accounts.revoke_token(user.username, token_id):
        raise HTTPException(404, translator(request)("error.not_found"))
    return RedirectResponse("/account?done=revoked", status_code=303)


# --- filing --------------------------------------------------------------------------------------------

@router.get("/file", response_class=HTMLResponse)
def choose_procedure(request: Request, user: PartyUser) -> HTMLResponse:
    return render(request, "file_choose.html", forms=FORMS)


def _form_values(form: FormData) -> dict[str, Any]:
    """Form fields as build_filing expects them; ``priorities[i][field]`` rows become a list of dicts."""
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str) and not k.startswith("priorities")}
    rows: dict[int, dict[str, str]] = {}
    for key, value in form.items():
        m = re.fullmatch(r"priorities\[(\d+)\]\[(country|number|date)\]", key)
        if m and isinstance(value, str):
            rows.setdefault(int(m.group(1)), {})[m.group(2)] = value
    values["priorities"] = [rows[i] for i in sorted(rows)][:20]
    return values


def _filing_page(request: Request, ctx: WebContext, user: User, procedure: str, values: dict[str, Any],
                 errors: dict[str, str], status_code: int = 200) -> HTMLResponse:
    """The filing form with ``values``; ``errors``: field → message in the page's language."""
    form = FORMS[procedure]
    offices = [o for o in ctx.procedures.offices() if o.jurisdiction == form.jurisdiction]
    claimed = sum(1 for p in values.get("priorities") or [] if any(str(v).strip() for v in p.values()))
    reduction = values.get("reduction") if values.get("reduction") in form.reductions else None
    lines = fees_due(ctx.procedures.catalogue, procedure, date.today(), reduction, priorities=claimed)
    t = translator(request)
    return render(request, "file_form.html", status_code, form=form, offices=offices, values=values, errors=errors,
                  fee_lines=lines, fee_total=total(lines), filer=user, filer_is_applicant=user.has(Role.APPLICANT),
                  fee_names={name: t.term("", name) for name in vocabulary.FEES})


@router.get("/file/{procedure}", response_class=HTMLResponse)
def filing_form(request: Request, ctx: Context, user: PartyUser, procedure: str) -> HTMLResponse:
    if procedure not in FORMS:
        raise HTTPException(404, translator(request)("error.no_form", procedure=procedure))
    default_office = user.office if any(o.code == user.office for o in ctx.procedures.offices()) else ""
    applicant = user.username if user.has(Role.APPLICANT) else ""  # an agent names the applicant it files for
    return _filing_page(request, ctx, user, procedure, {"office": default_office, "applicant": applicant,
                                                         "priorities": [{}]}, {})


@router.post("/file/{procedure}", response_model=None)
async def submit_filing(request: Request, ctx: Context, user: PartyUser, procedure: str) -> Response:
    if procedure not in FORMS:
        raise HTTPException(404, translator(request)("error.no_form", procedure=procedure))
    form = await checked_form(request)
    values = _form_values(form)
    values["procedure"] = procedure
    try:
        filing = build_filing(values, filer=user.username, offices={o.code for o in ctx.procedures.offices()},
                              today=ctx.procedures.clock(), filer_is_applicant=user.has(Role.APPLICANT))
        with casework.http_errors():
            view = ctx.procedures.file(filing, user.username)
    except FilingInvalid as exc:
        return _filing_page(request, ctx, user, procedure, values, problem_texts(translator(request), exc.problems),
                            422)
    except HTTPException as exc:
        t = translator(request)
        if isinstance(exc, casework.Refusal) and exc.code == "unknown_user":  # the applicant named on the form
            errors = problem_texts(t, {"applicant": ("unknown_user", exc.params)})
            return _filing_page(request, ctx, user, procedure, values, errors, exc.status_code)
        message = t("file.filing_problem", reason=casework.refusal_text(t, exc))
        return _filing_page(request, ctx, user, procedure, values, {"filing": message}, exc.status_code)
    return RedirectResponse(f"/my/cases/{view.record.application_number}/receipt", status_code=303)


@router.get("/my/cases/{number}/receipt", response_class=HTMLResponse)
def receipt(request: Request, ctx: Context, user: PageUser, number: str) -> HTMLResponse:
    with casework.http_errors():
        view = ctx.procedures.show(number, user.username)
    payload = casework.filing_payload(view)
    reduction = payload.get("fee_reduction")
    classes = len(payload.get("nice_classes") or []) or 1
    lines = fees_due(ctx.procedures.catalogue, view.record.procedure, view.record.filing_date,
                     str(reduction) if reduction else None, classes, len(payload.get("priority_dates") or []))
    return render(request, "receipt.html", view=view, payload=payload, fee_lines=lines, fee_total=total(lines))


# --- my cases ------------------------------------------------------------------------------------------

@router.get("/my/cases", response_class=HTMLResponse)
def my_cases(request: Request, ctx: Context, user: PartyUser) -> HTMLResponse:
    records = casework.visible_cases(ctx.procedures, user, own_only=True)
    due: dict[str, OpenTimeLimit] = {}  # the earliest due date of each case (the last day late shown after it)
    for item in ctx.procedures.due(user.username):
        due.setdefault(item.case, item.limit)
    return render(request, "my_cases.html", records=records, due=due)


def _case_page(request: Request, ctx: WebContext, user: User, number: str, message: str | None = None,
               error: str | None = None, status_code: int = 200, done: str | None = None) -> HTMLResponse:
    with casework.http_errors():
        view = ctx.procedures.show(number, user.username)
        notices = ctx.procedures.notices(number, user.username)
        fees = ctx.procedures.fees_due(number, user.username)
    message = message or casework.done_message(translator(request), view, done)
    rules = casework.policy(ctx.procedures)
    party_actions = casework.actions_for(view, user, rules, kinds=frozenset({ActionKind.PARTY}))
    may_pay = rules.can_act(user, view.record.access, case_file.FEE_PAYMENT)
    return render(
        request, "my_case.html", status_code, view=view, notices=notices, party_actions=party_actions,
        default_action=casework.default_action(view, party_actions),
        confirmed_actions=[a for a in party_actions if casework.needs_confirmation(a)],
        office_actions=[e for e in view.events if e.code in casework.OFFICE_ACTIONS],
        payments=[e for e in view.events if e.code.startswith("pay")],
        uploads=case_file.documents_attached(view.events), fees=fees,
        payable_fees=[f for f in fees if not f.paid] if may_pay else [],
        payload=casework.filing_payload(view), message=message, error=error,
        max_mb=case_file.MAX_DOCUMENT_BYTES // (1024 * 1024), upload_types=", ".join(case_file.DOCUMENT_TYPES),
    )


@router.get("/my/cases/{number}", response_class=HTMLResponse)
def my_case(request: Request, ctx: Context, user: PartyUser, number: str, done: str | None = None) -> HTMLResponse:
    return _case_page(request, ctx, user, number, done=done)


@router.post("/my/cases/{number}/act", response_model=None)
async def party_act(request: Request, ctx: Context, user: PartyUser, number: str) -> Response:
    """A reply, amendment, request or payment, optionally with a document."""
    form = await checked_form(request)
    action = str(form.get("action") or "")
    t = translator(request)
    if casework.needs_confirmation(action) and form.get("confirm") != "yes":
        return _case_page(request, ctx, user, number, status_code=422,
                          error=t("case.confirm_required", action=t.term("action.", action)))
    payload: dict[str, object] = {}
    upload = form.get("document")
    document = None
    if isinstance(upload, UploadFile) and upload.filename:
        content = await upload.read(case_file.MAX_DOCUMENT_BYTES + 1)
        document = case_file.Document.named(upload.filename, content)
        problem = case_file.document_problem(document)
        if problem:
            t = translator(request)
            why = t(f"refusal.{problem.code}", **problem.params)
            message = t("file.problem", field=t("case.document"), problem=why)
            return _case_page(request, ctx, user, number, error=message, status_code=422)
    note = str(form.get("note") or "").strip()[:2000]
    if note:
        payload["note"] = note
    view = casework.act_or_refusal(ctx.procedures, number, action, user.username, payload, document)
    if isinstance(view, HTTPException):
        return _case_page(request, ctx, user, number, error=casework.refusal_message(t, view),
                          status_code=view.status_code)
    return casework.after_act(f"/my/cases/{number}", action)


@router.get("/cases/{number}/documents/{sha256}")
def attached_document(ctx: Context, user: PageUser, number: str, sha256: str) -> Response:
    """A document attached to a case (a reply, an amendment), for a user who may see the case: its parties and
    the office's staff. Served as a download, never rendered by the portal's origin."""
    with casework.http_errors():
        document, content = ctx.procedures.document_content(number, sha256.lower()[:64], user.username)
    suffix = document.filename.rsplit(".", 1)[-1].lower()
    media = {"pdf": "application/pdf", "txt": "text/plain; charset=utf-8",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    return Response(content, media_type=media.get(suffix, "application/octet-stream"), headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}"})


@router.post("/my/cases/{number}/pay", response_model=None)
async def pay(request: Request, ctx: Context, user: PartyUser, number: str) -> Response:
    """Pay a fee of the case: the amount in force today (with the filing's fee reduction) is recorded."""
    form = await checked_form(request)
    fee, _, year_in_fee = str(form.get("fee") or "")[:100].partition("|")  # "fee.invention.annuity|3"
    year_text = (year_in_fee or str(form.get("year") or "")).strip()
    year = int(year_text) if year_text.isdigit() and len(year_text) <= 3 else None
    t = translator(request)
    view = casework.attempt(lambda: ctx.procedures.pay_fee(number, fee, None, user.username, year=year))
    if isinstance(view, HTTPException):
        return _case_page(request, ctx, user, number, error=casework.refusal_message(t, view),
                          status_code=view.status_code)
    return casework.after_act(f"/my/cases/{number}", case_file.FEE_PAYMENT)
