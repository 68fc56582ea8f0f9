"""What the applicant and examiner pages and the case API share: the cases a user may see, the actions a
user may take on a case now, the application text of the filing, refusals translated to HTTP terms."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException
from fastapi.responses import RedirectResponse

from ipoffice.adapters.procedure_store import CaseRecord
from ipoffice.domain.case_file import (
    DOCUMENT_ATTACHED,
    FEE_PAYMENT,
    AttachedDocument,
    Document,
    documents_attached,
    fees_paid,
)
from ipoffice.domain.errors import DomainError, InvalidField
from ipoffice.domain.event_log import LogEntry
from ipoffice.domain.offices import AccessPolicy, ActionKind, User, action_kind
from ipoffice.domain.procedures.base import ActionNotAllowed, ActionRefused
from ipoffice.entrypoints.web import i18n
from ipoffice.services.procedures import (
    AccessDenied,
    CaseNotFound,
    CaseView,
    ProcedureService,
    UnknownProcedure,
    UnknownUser,
)

# Actions that send the applicant an examiner's opinion: the office actions a party replies to.
OFFICE_ACTIONS = frozenset({
    "office_action", "notify_formality_deficiency", "non_final_rejection", "mail_non_final_rejection",
    "final_rejection", "mail_final_rejection", "restriction_requirement", "quayle_action",
    "draw_up_search_report",  # a protection centre's pre-examination (domain.procedures.cn_fast_track)
})


# Acts whose notice is the examiner's text: the office actions and the decisions that must state their reasons
# (CN IR Rule 59 / Patent Law Art. 38: a rejection states its grounds). Any other act (passing the formality
# examination, publication, grant...) is notified as what was done, never with the draft in the text box.
TEXT_ACTIONS = OFFICE_ACTIONS | frozenset({"reject", "refuse", "refuse_registration", "rejection_final",
                                           "pass_pre_examination", "refuse_pre_examination"})


# Party acts that end the case at the party's wish: the form asks for a confirmation (a required checkbox).
CONFIRMED_ACTIONS = frozenset({"withdraw", "express_abandonment", "surrender"})


def needs_confirmation(action: str) -> bool:
    return action in CONFIRMED_ACTIONS


def default_action(view: CaseView, actions: list[str]) -> str | None:
    """The act a party most likely came to do: the one that meets its earliest open time limit (the reply
    to an office action, not an extension of its time limit), else the first that ends nothing."""
    for limit in sorted(view.case.open_time_limits, key=lambda t: t.due):
        meeting = [a for a in actions if a in limit.met_by]
        if meeting:
            return meeting[0]
    safe = [a for a in actions if not needs_confirmation(a) and not a.startswith("request_extension")]
    chosen = safe or actions
    return chosen[0] if chosen else None


@dataclass(frozen=True)
class PartyAct:
    """A party's act on file (a reply, a correction, a request) with its note and the documents attached."""

    entry: LogEntry
    note: str
    documents: list[AttachedDocument]


def party_acts(view: CaseView, rules: AccessPolicy) -> list[PartyAct]:
    """The parties' acts after filing, newest first, each with the documents uploaded with it (the
    ``attach_document`` records that name its event)."""
    attached: dict[int, list[AttachedDocument]] = {}
    for e in view.events:
        if e.code == DOCUMENT_ATTACHED and isinstance(e.payload.get("event"), int):
            attached.setdefault(int(str(e.payload["event"])), []).extend(documents_attached([e]))
    acts = [PartyAct(e, str(e.payload.get("note") or ""), attached.get(e.sequence, []))
            for e in view.events
            if e.code not in ("file", FEE_PAYMENT, DOCUMENT_ATTACHED)
            and action_kind(e.code, rules.kind_of) is ActionKind.PARTY]
    return acts[::-1]


@dataclass(frozen=True)
class CaseSummary:
    record: CaseRecord
    next_due: date | None


def policy(procedures: ProcedureService) -> AccessPolicy:
    with procedures.store.reading() as s:
        return AccessPolicy(s.office_tree(), procedures.catalogue.consequence_kinds())


def visible_cases(procedures: ProcedureService, user: User | None, *, own_only: bool = False) -> list[CaseRecord]:
    """Cases ``user`` may see (the public: published cases); ``own_only``: where they are applicant or agent."""
    with procedures.store.reading() as s:
        rules = AccessPolicy(s.office_tree(), procedures.catalogue.consequence_kinds())
        records = s.cases()
    found = [r for r in records if rules.can_view(user, r.access)]
    if own_only and user is not None:
        found = [r for r in found if user.username in (r.applicant, r.agent)]
    found = procedures.with_derived_state(found)
    return sorted(found, key=lambda r: (r.filing_date, r.application_number), reverse=True)


def office_cases(procedures: ProcedureService, user: User) -> list[CaseRecord]:
    """The cases handled by the staff member's office or an office below it."""
    if not user.is_staff:
        return []
    with procedures.store.reading() as s:
        tree = s.office_tree()
        records = s.cases()
    return procedures.with_derived_state(r for r in records if tree.is_within(r.office, user.office))


def actions_for(view: CaseView, user: User | None, rules: AccessPolicy, *,
                kinds: frozenset[ActionKind] | None = None) -> list[str]:
    """The actions of the case's procedure allowed now that ``user`` may take (optionally of some kinds)."""
    return [a for a in view.allowed_actions
            if rules.can_act(user, view.record.access, a)
            and (kinds is None or action_kind(a, rules.kind_of) in kinds)]


def filing_payload(view: CaseView) -> dict[str, Any]:
    """The application as filed: the payload of the ``file`` event."""
    for entry in view.events:
        if entry.code == "file":
            return dict(entry.payload)
    return {}


def priority_or_filing_date(view: CaseView) -> date:
    """The date prior art must predate: the earliest priority date, else the filing date."""
    dates = filing_payload(view).get("priority_dates") or []
    parsed = [date.fromisoformat(str(d)) for d in dates if d]
    return min([*parsed, view.record.filing_date])


def act_or_refusal(procedures: ProcedureService, number: str, action: str, actor: str,
                   payload: dict[str, object], document: Document | None = None) -> CaseView | HTTPException:
    """Take an action on a case today from a page (with a document attached to it, if given): the case
    afterwards, or the refusal to show on the case page."""
    return attempt(lambda: procedures.act(number, action, None, actor, payload, document))


def attempt(use_case: Callable[[], CaseView]) -> CaseView | HTTPException:
    """Run a use case of the procedures from a page: the case afterwards, or the refusal (as an HTTP error)
    to show on the case page. An unknown (or invisible) case is raised as 404: there is no case page to
    show it on."""
    try:
        with http_errors():
            return use_case()
    except HTTPException as exc:
        if exc.status_code == 404:
            raise
        return exc


class Refusal(HTTPException):
    """A refusal of the procedures as an HTTP error that also says which one (``code`` of ``vocabulary.ERRORS``
    and its ``params``: codes of states and actions), so a page can say it in its own language."""

    def __init__(self, status_code: int, detail: str, code: str, **params: object) -> None:
        super().__init__(status_code, detail)
        self.code = code
        self.params = params


def refusal_text(t: i18n.Translator, refusal: HTTPException) -> str:
    """Why ``refusal``, in the page's language where its kind is known (else the procedures' own words)."""
    if not isinstance(refusal, Refusal):
        return str(refusal.detail)
    separator = "、" if t.lang == "zh" else ", "
    params: dict[str, object] = {}
    for name, value in refusal.params.items():
        if isinstance(value, date):
            params[name] = t.date(value)
        elif name in _CODE_PARAMS:
            params[name] = t.term(_CODE_PARAMS[name], value)
        elif name in _CODE_LIST_PARAMS:
            codes: Any = value
            params[name] = separator.join(t.term(_CODE_LIST_PARAMS[name], c) for c in codes) or t("case.none_allowed")
        else:
            params[name] = value
    if refusal.code == "action_refused":
        params["why"] = t(f"refusal.{refusal.params['reason']}", **params)
    return t(f"error.{refusal.code}", **params)


# parameters of refusals that are codes of the domain, by the message key prefix of their names
_CODE_PARAMS = {"action": "action.", "state": "state.", "limit": "time_limit.", "procedure": "procedure.", "fee": ""}
_CODE_LIST_PARAMS = {"allowed": "action.", "roles": "role.", "limits": "time_limit.", "fees": ""}


def refusal_messages(refusal: Refusal) -> dict[str, object]:
    """What an API error adds to a refusal's English ``error``: its ``code`` (for a refused condition, the
    condition's, e.g. ``centre_out_of_field``) and ``messages``, the reason in each language of the portal."""
    code = str(refusal.params.get("reason") or refusal.code) if refusal.code == "action_refused" else refusal.code
    messages = {}
    for lang in i18n.LANGUAGES:
        try:
            messages[lang] = refusal_text(i18n.Translator(lang), refusal)
        except (KeyError, IndexError, ValueError):  # a message whose parameters the refusal lacks
            messages[lang] = str(refusal.detail)
    return {"code": code, "messages": messages}


def refusal_message(t: i18n.Translator, refusal: HTTPException) -> str:
    """A refusal for the case page, in the page's language: 403 not permitted, else refused (why)."""
    key = "error.forbidden" if refusal.status_code == 403 else "case.refused"
    return t(key, reason=refusal_text(t, refusal))


@contextmanager
def http_errors() -> Iterator[None]:
    """The procedures' refusals as HTTP errors: 404 unknown (or not visible), 403 not permitted,
    409 not allowed in the case's state, 422 a field or legal condition."""
    try:
        yield
    except CaseNotFound as exc:
        raise Refusal(404, str(exc.args[0]), "no_case", number=exc.number) from None
    except AccessDenied as exc:
        raise (Refusal(403, str(exc), exc.code, **exc.params) if exc.code else HTTPException(403, str(exc))) from None
    except ActionRefused as exc:
        raise Refusal(422, str(exc), "action_refused", action=exc.action, state=exc.state, reason=exc.code,
                      text=exc.reason, **exc.params) from None
    except ActionNotAllowed as exc:
        raise Refusal(409, str(exc), "not_allowed", action=exc.action, state=exc.state, allowed=exc.allowed) from None
    except UnknownUser as exc:
        raise Refusal(422, str(exc.args[0]), "unknown_user", user=exc.username) from None
    except UnknownProcedure as exc:
        raise HTTPException(422, str(exc.args[0])) from None
    except InvalidField as exc:
        raise HTTPException(422, str(exc)) from None
    except (DomainError, ValueError) as exc:  # ActionRefused, a malformed payload value
        raise HTTPException(422, str(exc)) from None


@contextmanager
def api_errors(*, body_fields: bool = False) -> Iterator[None]:
    """:func:`http_errors` for an API whose bad field is a 422 ``{"message", "field", "code": "invalid_field"}``;
    ``body_fields``: the service's ``payload.x`` is the request body's ``x``."""
    with http_errors():
        try:
            yield
        except InvalidField as exc:
            field = exc.field.removeprefix("payload.") if body_fields else exc.field
            raise HTTPException(422, {"message": str(exc), "field": field, "code": "invalid_field"}) from None


def api_day(field: str, text: str | None) -> date | None:
    """The day of a request's field (YYYY-MM-DD; None when empty), else a 422 naming the field."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise HTTPException(422, {"message": "expected YYYY-MM-DD", "field": field, "code": "bad_date"}) from None


def after_act(page: str, done: str) -> RedirectResponse:
    """Post/redirect/get: a successful act answers 303 to the case page (``page``), which says what was
    done (``done``: the action's code), so reloading the page shows it again instead of repeating the act."""
    return RedirectResponse(f"{page}?done={quote(done)}", status_code=303)


def done_message(t: i18n.Translator, view: CaseView, done: str | None) -> str | None:
    """The confirmation of :func:`after_act`: only for an act the case's log really holds."""
    if not done or done not in {e.code for e in view.events}:
        return None
    if done == FEE_PAYMENT:
        paid = fees_paid(view.events)[-1]
        return t("case.paid", fee=t.term("", paid["fee"]), amount=paid["amount"], currency=paid["currency"])
    return t("case.done", action=t.term("action.", done), state=t.term("state.", view.case.state))
