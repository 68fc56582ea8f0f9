"""Portal pages of CN trademark examination on relative grounds and of opposition:

- ``/examiner/trademarks/{number}/relative-grounds`` (office staff who may see the case): the mark and its
  Nice classes, the earlier conflicting marks the office's finder gives (why each conflicts), and the refusal
  form — tick the marks to cite, name classes for a partial refusal — recorded through the procedures.
- ``/trademarks/{number}/opposition`` (a logged-in applicant or agent, not the mark's own): the opposition
  form of a mark published for opposition, until the last day of the period (Trademark Law Art. 33).

Every act goes through the services; a refusal is shown on the page in its language, nothing written."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipoffice.domain.trademark_conflicts import cited_marks, class_numbers
from ipoffice.entrypoints.web import casework
from ipoffice.entrypoints.web.deps import (
    Context,
    Forbidden,
    PageUser,
    StaffUser,
    WebContext,
    checked_form,
    render,
    translator,
)
from ipoffice.services.procedures import CaseView
from ipoffice.services.trademark_examination import case_mark

router = APIRouter(include_in_schema=False)

REFUSING_STATE = "under_examination"
OPPOSABLE_STATES = ("published_for_opposition", "opposed")


def _grounds_page(request: Request, ctx: WebContext, user: Any, number: str, *, error: str | None = None,
                  status_code: int = 200) -> HTMLResponse:
    with casework.http_errors():
        grounds = ctx.office.trademark_examination.relative_grounds(number, user.username)
    if not casework.policy(ctx.procedures).sees_file(user, grounds.view.record.access):
        raise Forbidden(f"{number} is not a case of {user.office}", "not_office_case", number=number,
                        office=user.office)
    cited = [(e.code, m) for e in grounds.view.events for m in cited_marks(e.payload)]
    return render(request, "tm_relative_grounds.html", status_code, view=grounds.view, mark=grounds.mark,
                  classes=grounds.classes, earlier=grounds.earlier, cited=cited, error=error,
                  can_refuse=grounds.view.case.state == REFUSING_STATE)


@router.get("/examiner/trademarks/{number}/relative-grounds", response_class=HTMLResponse)
def relative_grounds(request: Request, ctx: Context, user: StaffUser, number: str) -> HTMLResponse:
    return _grounds_page(request, ctx, user, number)


def _numbers(text: str) -> list[str]:
    return [n for n in re.split(r"[,\s]+", text.strip()) if n][:50]


@router.post("/examiner/trademarks/{number}/relative-grounds/refuse", response_model=None)
async def refuse(request: Request, ctx: Context, user: StaffUser, number: str) -> Response:
    """Refuse citing the marks ticked; with classes, a partial refusal."""
    form = await checked_form(request)
    cited = [str(v)[:40] for v in form.getlist("cite")][:50]
    classes_text = str(form.get("refused_classes") or "")[:200]
    text = str(form.get("text") or "")[:20_000]
    t = translator(request)

    def act() -> CaseView:
        classes = list(class_numbers(classes_text, "refused_classes")) if classes_text.strip() else None
        return ctx.office.trademark_examination.refuse(number, user.username, cited, classes, text)

    view = casework.attempt(act)
    if isinstance(view, HTTPException):
        return _grounds_page(request, ctx, user, number, error=casework.refusal_message(t, view),
                             status_code=view.status_code)
    return casework.after_act(f"/examiner/cases/{number}", view.events[-1].code)


def _opposition_page(request: Request, ctx: WebContext, user: Any, number: str, *, error: str | None = None,
                     filed: bool = False, status_code: int = 200) -> HTMLResponse:
    with casework.http_errors():
        view = ctx.procedures.show(number, user.username)
    if view.record.procedure != "cn_trademark" or not view.record.published:
        raise HTTPException(404, f"no published trademark {number}")
    mark, classes = case_mark(view)
    message = None
    own = [e for e in view.events if e.code == "file_opposition" and e.actor == user.username]
    reply = view.case.time_limit("opposition_reply")
    if filed and own:
        t = translator(request)
        message = t("tm_exam.opposition_filed", date=t.date(own[-1].date),
                    due=t.date(reply.due) if reply else t("common.none"))
    return render(request, "tm_opposition.html", status_code, view=view, mark=mark, classes=classes,
                  ends=view.case.date_fact("opposition_ends"), open=view.case.state in OPPOSABLE_STATES,
                  error=error, message=message)


@router.get("/trademarks/{number}/opposition", response_class=HTMLResponse)
def opposition(request: Request, ctx: Context, user: PageUser, number: str, filed: int = 0) -> HTMLResponse:
    return _opposition_page(request, ctx, user, number, filed=bool(filed))


@router.post("/trademarks/{number}/opposition", response_model=None)
async def file_opposition(request: Request, ctx: Context, user: PageUser, number: str) -> Response:
    """File the opposition (dated today by the office's clock), then show the case's public page."""
    form = await checked_form(request)
    grounds = str(form.get("grounds") or "")[:20_000]
    cited = _numbers(str(form.get("cite") or "")[:2_000])
    t = translator(request)
    view = casework.attempt(lambda: ctx.office.trademark_examination.third_party_request(
        number, "file_opposition", user.username, grounds, cited))
    if isinstance(view, HTTPException):
        message = casework.refusal_message(t, view)
        return _opposition_page(request, ctx, user, number, error=message, status_code=view.status_code)
    return RedirectResponse(f"/trademarks/{number}/opposition?filed=1", status_code=303)

