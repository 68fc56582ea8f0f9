"""Portal pages of the requests for administrative adjudication: the request form of the patentee or a licensee
(``/disputes/new``: the patent, the respondent, the accused product's description, the claims asserted, the date
of the infringement; each bad field named in the page's language, the fields kept as typed; a filed request
goes to its workspace by post/redirect/get with the one-time form token) and the handling officer's queue
(``/disputes/queue``: the disputes handled by the officer's office or an office below it, the most urgent clock
first, with the act each clock awaits, the alerts and the suspensions)."""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ipoffice.domain.errors import InvalidField
from ipoffice.entrypoints.web import casework, i18n
from ipoffice.entrypoints.web.deps import Context, PageUser, StaffUser, checked_form, render, translator
from ipoffice.services.disputes import MAX_DESCRIPTION_CHARS

router = APIRouter(include_in_schema=False)

FIELDS = ("right_number", "respondent", "respondent_agent", "infringement_date", "asserted_claims",
          "product_description", "note")
MAX_FIELD = {"right_number": 40, "respondent": 64, "respondent_agent": 64, "infringement_date": 10,
             "asserted_claims": 200, "product_description": MAX_DESCRIPTION_CHARS, "note": 2_000}
_REFUSED_FIELD = {"infringement_after_request": "infringement_date"}  # the field a refused condition is about
_CLAIMS = re.compile(r"^\s*\d{1,3}(\s*[,，、]\s*\d{1,3})*\s*$")


def _form_page(request: Request, values: dict[str, str], errors: dict[str, str], status_code: int = 200,
               problem: str | None = None) -> HTMLResponse:
    return render(request, "dispute_file.html", status_code, values=values, errors=errors, problem=problem,
                  fields=FIELDS)


@router.get("/disputes/new", response_class=HTMLResponse)
def new_dispute(request: Request, user: PageUser, right: str = "") -> HTMLResponse:
    """The empty request form (``right``: the patent's application number, filled in)."""
    return _form_page(request, {"right_number": right[:40]}, {})


def _checked(t: i18n.Translator, form: FormData) -> tuple[dict[str, str], dict[str, str], dict[str, object]]:
    """(the fields as typed, the problems by field in the page's language, the request's payload)."""
    values = {name: str(form.get(name) or "").strip() for name in FIELDS}
    errors: dict[str, str] = {}
    for name, limit in MAX_FIELD.items():
        if len(values[name]) > limit:
            errors[name] = t("dispute_form.too_long", limit=limit)
            values[name] = values[name][:limit]
    for name in ("right_number", "respondent"):
        if not values[name]:
            errors[name] = t("dispute_form.required")
    payload: dict[str, object] = {"respondent": values["respondent"]}
    if values["infringement_date"]:
        try:
            date.fromisoformat(values["infringement_date"])
            payload["infringement_date"] = values["infringement_date"]
        except ValueError:
            errors["infringement_date"] = t("dispute_form.bad_date")
    claims = values["asserted_claims"] or "1"
    if _CLAIMS.match(claims):
        payload["asserted_claims"] = [int(n) for n in re.split(r"[,，、]", claims)]
    else:
        errors["asserted_claims"] = t("dispute_form.bad_claims")
    for name in ("respondent_agent", "product_description", "note"):
        if values[name]:
            payload[name] = values[name]
    return values, errors, payload


def _field_problem(t: i18n.Translator, exc: InvalidField) -> tuple[str, str]:
    """(the form's field, the problem in the page's language) of the service's InvalidField."""
    field = exc.field.removeprefix("payload.")
    reason = str(exc.reason)
    if field == "right_number":
        return field, t("dispute_form.not_in_force", reason=reason.removeprefix("the patent is not in force "))
    if "not a user" in reason:
        return field, t("dispute_form.unknown_user", user=str(exc.value))
    if "requester" in reason:
        return field, t("dispute_form.requester_side")
    if field == "asserted_claims":
        found = re.search(r"1 to (\d+)", reason)
        return field, t("dispute_form.claims_range", count=found.group(1) if found else "?")
    if "role" in reason:
        return field, t("dispute_form.not_agent", user=str(exc.value))
    return field, reason


@router.post("/disputes/new", response_model=None)
async def file_dispute(request: Request, ctx: Context, user: PageUser) -> Response:
    form = await checked_form(request)
    t = translator(request)
    values, errors, payload = _checked(t, form)
    if errors:
        return _form_page(request, values, errors, 422)
    try:
        with casework.http_errors():
            try:
                view = ctx.office.disputes.file(values["right_number"], user.username, payload)
            except InvalidField as exc:
                field, problem = _field_problem(t, exc)
                return _form_page(request, values, {field if field in FIELDS else "right_number": problem}, 422)
    except HTTPException as exc:
        if exc.status_code == 404:  # no such patent: the field is wrong, the page is not missing
            return _form_page(request, values, {"right_number": t("dispute_form.no_patent")}, 422)
        if isinstance(exc, casework.Refusal) and exc.code == "action_refused":
            field = str(exc.params.get("field") or _REFUSED_FIELD.get(str(exc.params.get("reason")), ""))
            if field in FIELDS:
                return _form_page(request, values, {field: casework.refusal_text(t, exc)}, 422)
        return _form_page(request, values, {}, exc.status_code, problem=casework.refusal_message(t, exc))
    return RedirectResponse(f"/disputes/{view.record.application_number}?done=file", status_code=303)


@router.get("/disputes/queue", response_class=HTMLResponse)
def officer_queue(request: Request, ctx: Context, user: StaffUser) -> HTMLResponse:
    """The disputes of the officer's office and the offices below it, the most urgent clock first."""
    offices = casework.policy(ctx.procedures).offices
    items = [d for d in ctx.office.disputes.queue(user.username) if offices.is_within(d.view.record.office,
                                                                                     user.office)]
    return render(request, "dispute_queue.html", items=items, today=ctx.office.today())
