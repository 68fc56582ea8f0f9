"""Pages of applicants and agents: login, account and API tokens, e-filing with a receipt, "my cases" with
due dates, office actions, notices, uploads of replies/amendments and payments."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from ipoffice.domain import case_file
from ipoffice.domain.offices import ActionKind, User
from ipoffice.entrypoints.web import casework
from ipoffice.entrypoints.web.auth import log_in, log_out
from ipoffice.entrypoints.web.deps import (
    Context,
    PageUser,
    PartyUser,
    WebContext,
    checked_form,
    render,
    translator,
)
from ipoffice.entrypoints.web.filing import FORMS, FilingInvalid, build_filing, fees_due, total
from ipoffice.services.accounts import DEMO_PASSWORD
from ipoffice.services.procedures import DEMO_USERS

router = APIRouter(include_in_schema=False)


# --- login ---------------------------------------------------------------------------------------------

def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=_safe_next(next), failed=False,
                  demo_users=[u.username for u in DEMO_USERS], demo_password=DEMO_PASSWORD)


@router.post("/login", response_model=None)
async def login(request: Request, ctx: Context) -> Response:
    form = await checked_form(request)
    user = ctx.accounts.authenticate(str(form.get("username") or ""), str(form.get("password") or ""))
    if user is None:
        return render(request, "login.html", 401, next=_safe_next(str(form.get("next") or "/")), failed=True,
                      demo_users=[u.username for u in DEMO_USERS], demo_password=DEMO_PASSWORD)
    log_in(request, user)
    default = "/examiner" if user.is_staff else "/my/cases"
    target = _safe_next(str(form.get("next") or ""))
    return RedirectResponse(default if target == "/" else target, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    log_out(request)
    return RedirectResponse("/", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, ctx: Context, user: PageUser) -> HTMLResponse:
    return render(request, "account.html", account=user, tokens=ctx.accounts.tokens(user.username), new_token=None)


@router.post("/account/tokens", response_class=HTMLResponse)
async def new_token(request: Request, ctx: Context, user: PageUser) -> HTMLResponse:
    form = await checked_form(request)
    token = ctx.accounts.create_token(user.username, str(form.get("label") or "web")[:100])
    return render(request, "account.html", account=user, tokens=ctx.accounts.tokens(user.username), new_token=token)


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
    form = FORMS[procedure]
    offices = [o for o in ctx.procedures.offices() if o.jurisdiction == form.jurisdiction]
    lines = fees_due(ctx.procedures.catalogue, procedure, date.today())
    return render(request, "file_form.html", status_code, form=form, offices=offices, values=values, errors=errors,
                  fee_lines=lines, fee_total=total(lines), filer=user)


@router.get("/file/{procedure}", response_class=HTMLResponse)
def filing_form(request: Request, ctx: Context, user: PartyUser, procedure: str) -> HTMLResponse:
    if procedure not in FORMS:
        raise HTTPException(404, f"no filing form for {procedure!r}")
    default_office = user.office if any(o.code == user.office for o in ctx.procedures.offices()) else ""
    return _filing_page(request, ctx, user, procedure, {"office": default_office, "applicant": user.username,
                                                         "priorities": [{}]}, {})


@router.post("/file/{procedure}", response_model=None)
async def submit_filing(request: Request, ctx: Context, user: PartyUser, procedure: str) -> Response:
    if procedure not in FORMS:
        raise HTTPException(404, f"no filing form for {procedure!r}")
    form = await checked_form(request)
    values = _form_values(form)
    values["procedure"] = procedure
    values["applicant"] = values.get("applicant") or user.username
    try:
        filing = build_filing(values, filer=user.username, offices={o.code for o in ctx.procedures.offices()},
                              today=ctx.procedures.clock())
        with casework.http_errors():
            view = ctx.procedures.file(filing, user.username)
    except FilingInvalid as exc:
        return _filing_page(request, ctx, user, procedure, values, exc.errors, 422)
    except HTTPException as exc:
        return _filing_page(request, ctx, user, procedure, values, {"filing": str(exc.detail)}, exc.status_code)
    return RedirectResponse(f"/my/cases/{view.record.application_number}/receipt", status_code=303)


@router.get("/my/cases/{number}/receipt", response_class=HTMLResponse)
def receipt(request: Request, ctx: Context, user: PageUser, number: str) -> HTMLResponse:
    with casework.http_errors():
        view = ctx.procedures.show(number, user.username)
    payload = casework.filing_payload(view)
    reduction = payload.get("fee_reduction")
    classes = len(payload.get("nice_classes") or []) or 1
    lines = fees_due(ctx.procedures.catalogue, view.record.procedure, view.record.filing_date,
                     str(reduction) if reduction else None, classes)
    return render(request, "receipt.html", view=view, payload=payload, fee_lines=lines, fee_total=total(lines))


# --- my cases ------------------------------------------------------------------------------------------

@router.get("/my/cases", response_class=HTMLResponse)
def my_cases(request: Request, ctx: Context, user: PartyUser) -> HTMLResponse:
    records = casework.visible_cases(ctx.procedures, user, own_only=True)
    due: dict[str, date] = {}
    for item in ctx.procedures.due(user.username):
        due.setdefault(item.case, item.limit.expires_after)
    return render(request, "my_cases.html", records=records, due=due)


def _case_page(request: Request, ctx: WebContext, user: User, number: str, message: str | None = None,
               error: str | None = None, status_code: int = 200) -> HTMLResponse:
    with casework.http_errors():
        view = ctx.procedures.show(number, user.username)
        notices = ctx.procedures.notices(number, user.username)
        payable = ctx.procedures.payable_fees(number, user.username)
    rules = casework.policy(ctx.procedures)
    party_actions = casework.actions_for(view, user, rules, kinds=frozenset({ActionKind.PARTY}))
    may_pay = rules.can_act(user, view.record.access, case_file.FEE_PAYMENT)
    return render(
        request, "my_case.html", status_code, view=view, notices=notices, party_actions=party_actions,
        office_actions=[e for e in view.events if e.code in casework.OFFICE_ACTIONS],
        payments=[e for e in view.events if e.code.startswith("pay")],
        uploads=case_file.documents_attached(view.events), payable_fees=payable if may_pay else [],
        payload=casework.filing_payload(view), message=message, error=error,
        max_mb=case_file.MAX_DOCUMENT_BYTES // (1024 * 1024), upload_types=", ".join(case_file.DOCUMENT_TYPES),
    )


@router.get("/my/cases/{number}", response_class=HTMLResponse)
def my_case(request: Request, ctx: Context, user: PartyUser, number: str) -> HTMLResponse:
    return _case_page(request, ctx, user, number)


@router.post("/my/cases/{number}/act", response_class=HTMLResponse)
async def party_act(request: Request, ctx: Context, user: PartyUser, number: str) -> HTMLResponse:
    """A reply, amendment, request or payment, optionally with a document."""
    form = await checked_form(request)
    action = str(form.get("action") or "")
    payload: dict[str, object] = {}
    upload = form.get("document")
    document = None
    if isinstance(upload, UploadFile) and upload.filename:
        content = await upload.read(case_file.MAX_DOCUMENT_BYTES + 1)
        document = case_file.Document.named(upload.filename, content)
        problem = case_file.document_problem(document)
        if problem:
            return _case_page(request, ctx, user, number, error=problem, status_code=422)
    note = str(form.get("note") or "").strip()[:2000]
    if note:
        payload["note"] = note
    view = casework.act_or_refusal(ctx.procedures, number, action, user.username, payload, document)
    t = translator(request)
    if isinstance(view, HTTPException):
        return _case_page(request, ctx, user, number, error=casework.refusal_message(t, view),
                          status_code=view.status_code)
    return _case_page(request, ctx, user, number, message=t("case.done", action=action, state=view.case.state))


@router.post("/my/cases/{number}/pay", response_class=HTMLResponse)
async def pay(request: Request, ctx: Context, user: PartyUser, number: str) -> HTMLResponse:
    """Pay a fee of the case: the amount in force today (with the filing's fee reduction) is recorded."""
    form = await checked_form(request)
    fee = str(form.get("fee") or "")[:100]
    year_text = str(form.get("year") or "").strip()
    year = int(year_text) if year_text.isdigit() and len(year_text) <= 3 else None
    t = translator(request)
    view = casework.attempt(lambda: ctx.procedures.pay_fee(number, fee, None, user.username, year=year))
    if isinstance(view, HTTPException):
        return _case_page(request, ctx, user, number, error=casework.refusal_message(t, view),
                          status_code=view.status_code)
    paid = case_file.fees_paid(view.events)[-1]
    return _case_page(request, ctx, user, number, message=t("case.paid", fee=fee, amount=paid["amount"],
                                                            currency=paid["currency"]))
