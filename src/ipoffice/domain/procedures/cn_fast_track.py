"""CN fast track through an IP protection centre (知识产权保护中心预审 → 快速审查): inventions, utility models
and designs (a design is classified by its Locarno classes, payload ``locarno``, instead of the IPC; it has no
search report of its own in practice, but the step is kept, with an empty list of citations).

Pre-examination at the centre: request (``file``, with the centre and the IPC symbols; eligibility is checked
by the service before, see ``ipoffice.domain.centres``) → formality check → classification (the IPC the centre
confirms) → search report (documents cited in categories X, Y, A) → pre-examination opinion: passed, or
refused (the applicant may still file through the ordinary procedure). An application that passed is filed
with the national office (``file_with_national_office``) and examined on the fast track: a notification of
the examiner's opinion must be answered within the short period of the priority-examination rules, counted
from the notice's dispatch date (2 months for an invention, 15 days for a utility model or a design, CNIPA Measures for
Priority Examination of Patents (2017) Art. 11), else the application is deemed withdrawn; then the
ordinary grant phase (notice to grant, registration, announcement, annuities; ``_cn_patent.grant_phase``).

Facts: ``requested_on`` (the day the request reached the centre), ``filing_date`` (that day, then the day
the national office received the application: the term and annuities count from it),
``pre_examination_centre``, ``ipc`` (as filed, then as classified; a classification without symbols confirms
those filed), ``centre_field`` (the field of the centre the first symbol falls in, set by the service),
``search_citations`` (how many), ``pre_examination_passed`` / ``pre_examination_refused`` (dates),
``national_filing_date``. (The case's record keeps the request date as its filing date.)
"""

from __future__ import annotations

from collections.abc import Mapping

from ipoffice.domain.procedures import _cn_patent as cn
from ipoffice.domain.procedures.base import (
    ActionContext,
    Case,
    Effect,
    Guard,
    Procedure,
    Reason,
    TimeLimitSpec,
    Transition,
    transition,
)

CENTRE = "pre_examination_centre"
PRE_EXAMINATION = ("pre_examination_requested", "formality_checked", "classified", "searched")
FAST_PENDING = ("fast_track_examination", "awaiting_response")

STATES = {
    "pre_examination_requested": "Pre-examination requested at a protection centre; formality check pending",
    "formality_checked": "Formalities checked by the centre; classification pending",
    "classified": "Classified by the centre; search pending",
    "searched": "Search report drawn up; pre-examination opinion pending",
    "pre_examined": "Passed pre-examination; to be filed with the national office on the fast track",
    "pre_examination_refused": "Pre-examination not passed (the ordinary procedure remains open)",
    "fast_track_examination": "Filed with the national office; examination on the fast track",
    "awaiting_response": "Examiner's opinion notified; reply awaited within the fast-track period",
}


def _symbols(ctx: ActionContext, key: str = "ipc") -> list[str]:
    raw = ctx.payload.get(key, [])
    if not isinstance(raw, list | tuple) or not all(isinstance(s, str) and s.strip() for s in raw):
        kind = "Locarno classes" if key == "locarno" else "IPC symbols"
        raise ValueError(f"payload {key!r} must be a list of {kind}")
    return [str(s).strip() for s in raw]


def _request_guard(priority_rule: str) -> Guard:
    def guard(case: Case, ctx: ActionContext) -> str | None:
        if not str(ctx.payload.get(CENTRE) or "").strip():
            return Reason("a fast-track request names the protection centre (payload pre_examination_centre)",
                          "centre_required")
        return cn.priority_guard(priority_rule)(case, ctx)

    return guard


def _request_effect(key: str) -> Effect:
    def effect(case: Case, ctx: ActionContext) -> Mapping[str, object]:
        facts = cn.file_effect(case, ctx)
        facts["requested_on"] = ctx.on
        facts[CENTRE] = str(ctx.payload[CENTRE]).strip()
        facts[key] = tuple(_symbols(ctx, key))
        if ctx.payload.get("centre_field"):
            facts["centre_field"] = str(ctx.payload["centre_field"])
        return facts

    return effect


def _classify_guard(key: str) -> Guard:
    def guard(case: Case, ctx: ActionContext) -> str | None:
        if key in ctx.payload and not _symbols(ctx, key):
            return Reason(f"classification gives the {'Locarno classes' if key == 'locarno' else 'IPC symbols'} "
                          f"(payload {key}), or none to confirm those filed", f"{key}_required")
        return None

    return guard


def _classified(key: str) -> Effect:
    def effect(case: Case, ctx: ActionContext) -> Mapping[str, object]:
        """The classes the centre gives (payload ``ipc``, a design's ``locarno``), else those filed, confirmed."""
        return {key: tuple(_symbols(ctx, key))} if key in ctx.payload else {}

    return effect


def _search_guard(case: Case, ctx: ActionContext) -> str | None:
    if "citations" not in ctx.payload:
        return Reason("a search report lists the documents cited, in categories X, Y or A (payload citations; "
                      "an empty list when none is relevant)", "citations_required")
    return None


def _count(payload: Mapping[str, object], key: str) -> int:
    value = payload.get(key)
    return len(value) if isinstance(value, list | tuple) else 0


def _reply_spec(right: str) -> TimeLimitSpec:
    return TimeLimitSpec(
        name="fast_track_response",
        rule=f"time_limit.fast_track_response.{right}",
        consequence="deem_withdrawn",
        met_by=frozenset({"respond"}),  # counted from the dispatch date (the event date), no deemed receipt
    )


def _fast_track(name: str, right: str, term_rule: str, publishes: bool) -> Procedure:
    key = "locarno" if right == "design" else "ipc"
    priority_rule = f"time_limit.priority_{'design' if right == 'design' else 'invention'}"
    examination: list[Transition] = [
        transition("office_action", "fast_track_examination", "awaiting_response", opens=(_reply_spec(right),),
                   description="Notification of the examiner's opinion, fast-track reply period"),
        transition("respond", "awaiting_response", "fast_track_examination"),
    ]
    if publishes:
        examination.append(transition("publish", "fast_track_examination", None,
                                      effect=lambda case, ctx: {"publication_date": ctx.on},
                                      description="Publication of the invention application (early, on request)"))
    return Procedure(
        name=name,
        description=__doc__ or "",
        states={**cn.COMMON_STATES, **STATES},
        initial_state="new",
        final_states=(*cn.FINAL_STATES, "pre_examination_refused"),
        transitions=[
            transition("file", "new", "pre_examination_requested", guard=_request_guard(priority_rule),
                       effect=_request_effect(key),
                       description="Request for pre-examination received by the protection centre"),
            transition("pass_formality_check", "pre_examination_requested", "formality_checked"),
            transition("classify", "formality_checked", "classified", guard=_classify_guard(key),
                       effect=_classified(key)),
            transition("draw_up_search_report", "classified", "searched", guard=_search_guard,
                       effect=lambda case, ctx: {"search_citations": _count(ctx.payload, "citations")}),
            transition("pass_pre_examination", "searched", "pre_examined",
                       effect=lambda case, ctx: {"pre_examination_passed": ctx.on},
                       description="Pre-examination opinion: passed"),
            transition("refuse_pre_examination", PRE_EXAMINATION, "pre_examination_refused",
                       effect=lambda case, ctx: {"pre_examination_refused": ctx.on},
                       description="Pre-examination opinion: not passed"),
            transition("withdraw_pre_examination_request", PRE_EXAMINATION, "withdrawn"),
            transition("file_with_national_office", "pre_examined", "fast_track_examination",
                       effect=lambda case, ctx: {"national_filing_date": ctx.on, "filing_date": ctx.on},
                       description="Filed with the national office on the fast track"),
            *examination,
            transition("revoke_rejection", "under_reexamination", "fast_track_examination"),
            *cn.closing_phase(FAST_PENDING),
            *cn.grant_phase(("fast_track_examination",), term_rule),
        ],
    )


CN_INVENTION_FAST_TRACK = _fast_track("cn_invention_fast_track", "invention", "term.invention", publishes=True)
CN_UTILITY_MODEL_FAST_TRACK = _fast_track("cn_utility_model_fast_track", "utility_model", "term.utility_model",
                                          publishes=False)

CN_DESIGN_FAST_TRACK = _fast_track("cn_design_fast_track", "design", "term.design", publishes=False)

FAST_TRACK_OF = {"cn_invention": CN_INVENTION_FAST_TRACK.name, "cn_utility_model": CN_UTILITY_MODEL_FAST_TRACK.name,
                 "cn_design": CN_DESIGN_FAST_TRACK.name}


def ordinary_procedure(name: str) -> str:
    """The ordinary procedure of a fast-track one (its filing form and fees): ``cn_invention_fast_track`` →
    ``cn_invention``; any other name as it is."""
    return name.removesuffix("_fast_track")
