"""Portal page of a right after grant (issue #16): ``/rights/{number}?as_of=D`` shows its legal status, owners,
licences in force, open licence, pledges, annual-fee schedule (due dates, amounts, reductions), alerts and the
recordals, in the page's language — the same data as ``GET /api/v1/rights/{number}``. A logged-in user files a
recordal request with the form of the page (``POST /rights/{number}/recordals``); a registrar registers or
refuses the filed requests (``POST /rights/{number}/recordals/{id}/decision``). Refusals are shown on the page,
naming the rule in the page's language; a done act redirects to the page (post/redirect/get)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.offices import User
from ipoffice.domain.procedures.base import ActionRefused
from ipoffice.domain.recordals import LICENCE_KINDS, TYPES
from ipoffice.domain.royalties import ROYALTY_TYPES
from ipoffice.entrypoints.web import casework, i18n
from ipoffice.entrypoints.web.auth import session_user
from ipoffice.entrypoints.web.deps import Context, PageUser, WebContext, checked_form, render, translator
from ipoffice.services.recordals import RequestNotFound

router = APIRouter()

# Form fields that are lists of names (comma-separated), and those copied as they are; ``licence_kind`` is the
# payload's ``kind``, ``pledge`` an id.
LIST_FIELDS = ("assignees", "agreed_by", "consents")
TEXT_FIELDS = ("licensee", "contract_effective", "ends", "pledgee", "amount", "royalty", "old_name", "new_name",
               "industry", "products")
# A structured royalty (``domain.royalties``): the form's field → the royalty's key; the ``royalty`` text is its
# ``text`` when a type is chosen (without a type the royalty is that text, as before).
ROYALTY_FIELDS = {"royalty_rate": "rate_percent", "royalty_amount": "amount", "royalty_currency": "currency",
                  "royalty_basis": "basis"}
DONE = ("filed", "registered", "refused", "paid")


def _page(request: Request, ctx: WebContext, number: str, user: User | None, *, as_of: date | None = None,
          error: str | None = None, done: str | None = None, status_code: int = 200,
          values: Mapping[str, str] | None = None) -> HTMLResponse:
    """The right's page; after a refused request, ``values`` are the fields as typed (nothing is lost)."""
    with casework.http_errors():
        right = ctx.office.recordals.right(number, user.username if user else None, as_of)
    decides = user is not None and user.is_staff and casework.policy(ctx.procedures).can_act(
        user, ctx.procedures.show(number, user.username).record.access, "register_recordal")
    listed = right["recordals"]
    filed = [r for r in listed if isinstance(r, dict) and r.get("state") == "filed"] if isinstance(listed, list) else []
    t = translator(request)
    message = t(f"recordal.done.{done}") if done in DONE else None
    guidance = None
    with suppress(LookupError):
        guidance = ctx.office.marketplace.royalty_guidance(number)
    return render(request, "right.html", status_code, right=right, types=TYPES, licence_kinds=LICENCE_KINDS,
                  royalty_types=ROYALTY_TYPES,
                  filed=filed if decides else [], error=error, message=message, values=dict(values or {}),
                  guidance=guidance)


@router.get("/rights/{number}", response_class=HTMLResponse)
def right_page(request: Request, ctx: Context, number: str,
               as_of: Annotated[date | None, Query(description="The day (default today)")] = None,
               done: str | None = None) -> HTMLResponse:
    return _page(request, ctx, number, session_user(request), as_of=as_of, done=done)


def _payload(form: FormData) -> dict[str, object]:
    payload: dict[str, object] = {}
    for name in LIST_FIELDS:
        names = [n.strip() for n in str(form.get(name) or "").replace("，", ",").split(",") if n.strip()]
        if names:
            payload[name] = names
    for name in TEXT_FIELDS:
        value = str(form.get(name) or "").strip()[:200]
        if value:
            payload[name] = value
    royalty_type = str(form.get("royalty_type") or "").strip()[:40]
    if royalty_type:
        royalty: dict[str, object] = {"type": royalty_type}
        for name, key in ROYALTY_FIELDS.items():
            value = str(form.get(name) or "").strip()[:200]
            if value:
                royalty[key] = value
        if "royalty" in payload:
            royalty["text"] = payload["royalty"]
        payload["royalty"] = royalty
    if form.get("licence_kind"):
        payload["kind"] = str(form.get("licence_kind"))[:40]
    pledge = str(form.get("pledge") or "").strip()
    if pledge:
        payload["pledge"] = int(pledge) if pledge.isdigit() and len(pledge) < 10 else pledge
    return payload


def _refusal(t: i18n.Translator, exc: Exception) -> str:
    """Why the request or decision was refused, in the page's language where its rule is known."""
    if isinstance(exc, ActionRefused):
        key = f"recordal.refusal.{exc.code}"
        if key in t.messages:
            return t("recordal.refused_because", reason=t(key, **{k: str(v) for k, v in exc.params.items()}),
                     reference=t.reference(str(exc.params.get("reference", ""))) or "—")
        return str(exc.reason)
    if isinstance(exc, InvalidField):
        field = exc.field.removeprefix("payload.")
        return t("recordal.invalid_field", field=t.label("recordal.field", field), reason=_reason(t, field, exc))
    return casework.refusal_message(t, exc) if isinstance(exc, HTTPException) else str(exc)


def _reason(t: i18n.Translator, field: str, exc: InvalidField) -> str:
    """A royalty field's reason in the page's language (the others' reasons are the domain's, in English)."""
    if not field.startswith("royalty."):
        return exc.reason
    if "required" in exc.reason:
        return t("royalty.reason.required")
    if "does not apply" in exc.reason:
        return t("royalty.reason.not_applicable")
    key = f"royalty.reason.{field.removeprefix('royalty.')}"
    return t(key) if key in t.messages else exc.reason


def _act(request: Request, ctx: WebContext, number: str, user: User, run: Callable[[], object],
         done: str, values: Mapping[str, str] | None = None) -> Response:
    try:
        with casework.http_errors():
            try:
                run()
            except (ActionRefused, InvalidField) as exc:
                return _page(request, ctx, number, user, error=_refusal(translator(request), exc), status_code=422,
                             values=values)
            except RequestNotFound:
                raise HTTPException(404, translator(request)("error.not_found")) from None
    except HTTPException as exc:
        return _page(request, ctx, number, user, error=_refusal(translator(request), exc),
                     status_code=exc.status_code, values=values)
    return RedirectResponse(f"/rights/{number}?done={done}", status_code=303)


@router.post("/rights/{number}/recordals", response_model=None)
async def file_recordal(request: Request, ctx: Context, user: PageUser, number: str) -> Response:
    form = await checked_form(request)
    kind = str(form.get("type") or "")[:40]
    payload = _payload(form)
    typed = {k: str(v)[:200] for k, v in form.items() if isinstance(v, str) and k not in ("csrf_token", "form_token")}
    return _act(request, ctx, number, user, lambda: ctx.office.recordals.file(number, kind, user.username, payload),
                "filed", typed)


@router.post("/rights/{number}/recordals/{request_id}/decision", response_model=None)
async def decide_recordal(request: Request, ctx: Context, user: PageUser, number: str, request_id: int) -> Response:
    form = await checked_form(request)
    decision = str(form.get("decision") or "")
    if decision not in ("register", "refuse") or not 1 <= request_id < 2**31:
        raise HTTPException(422, translator(request)("recordal.invalid_decision"))
    return _act(request, ctx, number, user, lambda: ctx.office.recordals.decide(request_id, decision, user.username),
                "registered" if decision == "register" else "refused")


@router.post("/rights/{number}/recordals/{request_id}/fee", response_model=None)
async def pay_recordal_fee(request: Request, ctx: Context, user: PageUser, number: str, request_id: int) -> Response:
    """Record the payment of a filed request's fee (a registrar at the counter; registration waits for it)."""
    await checked_form(request)
    if not 1 <= request_id < 2**31:
        raise HTTPException(422, translator(request)("recordal.invalid_decision"))
    return _act(request, ctx, number, user, lambda: ctx.office.recordals.pay_fee(request_id, user.username), "paid")
