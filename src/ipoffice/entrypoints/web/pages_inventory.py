"""Portal pages of the stock-patent inventory (issue #16), in the page's language:

- ``/inventory`` (logged in): the holder's inventory — upload a CSV (``POST /inventory/import``; every bad row is
  listed with its field, nothing is written), the entries with the suggested grade and its reasons, the
  self-assessment form (``POST /inventory/{id}/assess``, optionally submitting) and submission
  (``POST /inventory/{id}/submit``);
- ``/inventory/review``: the entries waiting for the user's review, with pass/return forms
  (``POST /inventory/{id}/review``);
- ``/library`` (public): the resource library, searchable by IPC prefix, words, grade and intent.

Refusals are shown on the page naming the rule in the page's language; a done act redirects (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup, escape
from starlette.datastructures import UploadFile

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.inventory import GRADES, INTENTS, LIBRARY_INTENTS, InventoryRefused
from ipoffice.domain.inventory_csv import MAX_BYTES, RowError
from ipoffice.domain.offices import User
from ipoffice.entrypoints.web import i18n
from ipoffice.entrypoints.web.deps import Context, PageUser, WebContext, checked_form, render, translator
from ipoffice.services.inventory import EntryNotFound, ImportReport
from ipoffice.services.procedures import UnknownUser

router = APIRouter()
DONE = ("imported", "assessed", "submitted", "reviewed", "member")


def refusal_text(t: i18n.Translator, exc: Exception) -> str:
    """Why an act was refused, in the page's language where the rule or field is known."""
    if isinstance(exc, InventoryRefused):
        params = {k: str(v) for k, v in exc.params.items()}
        for key in ("state", "needed"):
            if key in params:
                params[key] = t.label("inventory.state", params[key])
        if "role" in params:
            params["role"] = t.label("inventory.role", params["role"])
        if "missing" in params:
            params["missing"] = "、".join(t.label("inventory.field", m.strip()) for m in params["missing"].split(","))
        key = f"inventory.refusal.{exc.code}"
        return t("inventory.refused", reason=t(key, **params) if t.has(key) else str(exc))
    if isinstance(exc, InvalidField):
        return t("inventory.invalid_field", field=t.label("inventory.field", exc.field), reason=exc.reason)
    return str(exc)


def _data(text: str) -> Markup:
    return Markup('<span class="data">{}</span>').format(text)


def row_error_text(t: i18n.Translator, error: RowError) -> Markup:
    """The problem of a CSV row in the page's language; the file's values (and the owners named) marked as data."""
    key = f"inventory.row_error.{error.code}"
    detail = t.label("inventory.state", error.detail) if error.code == "under_review" else _data(error.detail)
    # the catalogue's text is trusted; the file's values are escaped inside their spans
    reason = Markup(t(key, value=_data(error.value), detail=detail)) if t.has(key) else escape(error.reason)
    field = t.label("inventory.field", error.field)
    if not error.row:
        return Markup(escape(t("inventory.file_error", field=field, reason="\0")).replace("\0", reason))
    return Markup(escape(t("inventory.row_error", row=error.row, field=field, reason="\0")).replace("\0", reason))


def reason_text(t: i18n.Translator, reason: Mapping[str, Any]) -> str:
    indicator = t.label("inventory.indicator", str(reason["indicator"]))
    if reason["value"] is None:
        return t("inventory.reason.unknown", indicator=indicator)
    values = {"indicator": indicator, "value": f"{reason['value']:g}", "threshold": f"{reason['threshold']:g}",
              "points": f"{reason['points']:+d}"}
    return t("inventory.reason.met" if reason["met"] else "inventory.reason.below", **values)


def _inventory_page(request: Request, ctx: WebContext, user: User, *, holder: str | None = None,
                    report: ImportReport | None = None, error: str | None = None, done: str | None = None,
                    status_code: int = 200, typed_holder: str = "") -> HTMLResponse:
    service = ctx.office.inventory
    memberships = service.holders_of(user.username)
    holders = sorted(memberships or service.holders(user.username))
    chosen = holder if holder in holders else (holders[0] if holders else None)
    entries = service.entries(user.username, chosen) if chosen else []
    keeper = chosen is not None and memberships.get(chosen) == "keeper"
    members = service.members(chosen) if keeper and chosen else {}
    t = translator(request)
    return render(request, "inventory.html", status_code, entries=entries, holders=holders, holder=chosen,
                  report=report, row_errors=[row_error_text(t, e) for e in report.errors] if report else [],
                  error=error, message=t(f"inventory.done.{done}") if done in DONE else None, grades=GRADES,
                  intents=INTENTS, reason_text=lambda r: reason_text(t, r), typed_holder=typed_holder or chosen or "",
                  keeper=keeper, members=members)


@router.get("/inventory", response_class=HTMLResponse)
def inventory_page(request: Request, ctx: Context, user: PageUser,
                   holder: Annotated[str | None, Query(max_length=200)] = None,
                   done: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
    return _inventory_page(request, ctx, user, holder=holder, done=done)


def _back(holder: str, done: str, anchor: str = "") -> RedirectResponse:
    from urllib.parse import quote

    return RedirectResponse(f"/inventory?holder={quote(holder)}&done={done}{anchor}", status_code=303)


@router.post("/inventory/import", response_model=None)
async def import_csv(request: Request, ctx: Context, user: PageUser) -> Response:
    form = await checked_form(request)
    holder = str(form.get("holder") or "").strip()[:200]
    upload = form.get("file")
    t = translator(request)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _inventory_page(request, ctx, user, holder=holder, typed_holder=holder, status_code=422,
                               error=t("inventory.invalid_field", field=t.label("inventory.field", "file"),
                                       reason="—"))
    data = await upload.read(MAX_BYTES + 1)
    try:
        report = ctx.office.inventory.import_csv(data, holder, user.username)
    except (InventoryRefused, InvalidField) as exc:
        return _inventory_page(request, ctx, user, holder=holder, typed_holder=holder, status_code=422,
                               error=refusal_text(t, exc))
    if report.errors:
        return _inventory_page(request, ctx, user, holder=holder, typed_holder=holder, report=report,
                               status_code=422)
    return _back(holder, "imported")


@router.post("/inventory/members", response_model=None)
async def add_member(request: Request, ctx: Context, user: PageUser) -> Response:
    """A keeper names a first-level reviewer (the technology-transfer office) of the holder's inventory."""
    form = await checked_form(request)
    holder = str(form.get("holder") or "")[:200]
    username = str(form.get("username") or "").strip()[:64]
    t = translator(request)
    try:
        ctx.office.inventory.add_member(holder, username, "reviewer", user.username)
    except (InventoryRefused, InvalidField) as exc:
        return _inventory_page(request, ctx, user, holder=holder, error=refusal_text(t, exc), status_code=422)
    except UnknownUser:
        return _inventory_page(request, ctx, user, holder=holder, status_code=422, error=t(
            "inventory.invalid_field", field=t.label("inventory.field", "username"), reason=t("inventory.no_user")))
    return _back(holder, "member")


def _entry_act(request: Request, ctx: WebContext, user: User, entry_id: int, run: Callable[[], dict[str, Any]],
               done: str, *, queue: bool = False) -> Response:
    t = translator(request)
    try:
        view = run()
    except EntryNotFound:
        raise HTTPException(404, t("error.not_found")) from None
    except (InventoryRefused, InvalidField) as exc:
        if queue:
            return _queue_page(request, ctx, user, error=refusal_text(t, exc), status_code=422)
        holder = str(request.query_params.get("holder") or "")
        return _inventory_page(request, ctx, user, holder=holder or None, error=refusal_text(t, exc),
                               status_code=422)
    if queue:
        return RedirectResponse(f"/inventory/review?done={done}", status_code=303)
    return _back(view["holder"], done, f"#entry-{entry_id}")


def _entry_id(entry_id: int) -> int:
    if not 1 <= entry_id < 2**31:
        raise HTTPException(404)
    return entry_id


@router.post("/inventory/{entry_id}/assess", response_model=None)
async def assess(request: Request, ctx: Context, user: PageUser, entry_id: int) -> Response:
    form = await checked_form(request)
    grade = str(form.get("self_grade") or "")[:4] or None
    intent = str(form.get("conversion_intent") or "")[:40] or None
    note = str(form.get("note") or "")[:600]
    then_submit = form.get("then_submit") == "1"
    service = ctx.office.inventory

    def run() -> dict[str, Any]:
        view = service.assess(_entry_id(entry_id), user.username, self_grade=grade, intent=intent, note=note)
        return service.submit(entry_id, user.username) if then_submit else view
    return _entry_act(request, ctx, user, entry_id, run, "submitted" if then_submit else "assessed")


@router.post("/inventory/{entry_id}/submit", response_model=None)
async def submit(request: Request, ctx: Context, user: PageUser, entry_id: int) -> Response:
    await checked_form(request)
    return _entry_act(request, ctx, user, entry_id,
                      lambda: ctx.office.inventory.submit(_entry_id(entry_id), user.username), "submitted")


def _queue_page(request: Request, ctx: WebContext, user: User, *, error: str | None = None,
                done: str | None = None, status_code: int = 200) -> HTMLResponse:
    t = translator(request)
    return render(request, "inventory_queue.html", status_code, entries=ctx.office.inventory.queue(user.username),
                  error=error, message=t(f"inventory.done.{done}") if done in DONE else None,
                  reason_text=lambda r: reason_text(t, r))


@router.get("/inventory/review", response_class=HTMLResponse)
def queue_page(request: Request, ctx: Context, user: PageUser,
               done: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
    return _queue_page(request, ctx, user, done=done)


@router.post("/inventory/{entry_id}/review", response_model=None)
async def review(request: Request, ctx: Context, user: PageUser, entry_id: int) -> Response:
    form = await checked_form(request)
    level_text = str(form.get("level") or "")
    decision = str(form.get("decision") or "")[:10]
    reason = str(form.get("reason") or "")[:600]
    level = int(level_text) if level_text in ("1", "2") else 0
    return _entry_act(request, ctx, user, entry_id,
                      lambda: ctx.office.inventory.review(_entry_id(entry_id), level, decision, user.username, reason),
                      "reviewed", queue=True)


@router.get("/library", response_class=HTMLResponse)
def library_page(request: Request, ctx: Context,
                 ipc: Annotated[str | None, Query(max_length=40)] = None,
                 q: Annotated[str | None, Query(max_length=200)] = None,
                 grade: Annotated[str | None, Query(max_length=2)] = None,
                 intent: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
    t = translator(request)
    error = None
    try:
        found = ctx.office.inventory.library_entries(ipc=ipc, text=q, grade=grade or None, intent=intent or None)
    except InvalidField as exc:
        found, error = [], refusal_text(t, exc)
    return render(request, "library.html", 422 if error else 200, entries=found, error=error, grades=GRADES,
                  intents=sorted(LIBRARY_INTENTS), ipc=ipc or "", q=q or "", grade=grade or "", intent=intent or "")
