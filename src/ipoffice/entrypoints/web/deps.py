"""What every route module of the portal shares: the web context (``WebContext``, one per app, on
``request.app.state.web``), page rendering, and the request-scoped dependencies — the logged-in user of a
page (any user, a party, office staff) or of an API call, and the CSRF-checked form of a POST.

Route modules (``api``, ``pages_*``) import this module, never each other nor ``app``; ``app`` imports
the route modules and assembles the application.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from ipoffice.adapters.register import SqlRegister
from ipoffice.adapters.search_index import IndexMissing, IndexOutdated
from ipoffice.bootstrap import Office
from ipoffice.config import Settings
from ipoffice.domain.case_file import MAX_DOCUMENT_BYTES
from ipoffice.domain.offices import Role, User
from ipoffice.domain.query import MAX_NESTING, QUERY_YEARS, QueryError
from ipoffice.domain.search import ModelPreparing, SearchError, SemanticIndexMissing
from ipoffice.entrypoints.web import i18n
from ipoffice.entrypoints.web.auth import (
    CSRF_FIELD,
    FORM_FIELD,
    bearer_token,
    bearer_user,
    csrf_token,
    csrf_valid,
    new_form_token,
    session_user,
)
from ipoffice.services.accounts import Accounts
from ipoffice.services.procedures import ProcedureService
from ipoffice.services.search import SearchService

HERE = Path(__file__).parent


class LoginRequired(Exception):
    """A page needs a logged-in user: redirect to the login page."""


class AlreadySubmitted(Exception):  # noqa: N818 - the name says what happened
    """The form's one-time token was submitted before: go to ``target``, where that submission led (None:
    it is still being handled)."""

    def __init__(self, target: str | None) -> None:
        super().__init__(target or "")
        self.target = target


class Forbidden(Exception):
    """A page the user may not see: ``reason`` in English; ``code`` (of ``vocabulary.ERRORS``) and ``params``
    say it in the page's language."""

    def __init__(self, reason: str, code: str | None = None, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.params = params


@dataclass
class WebContext:
    """The running office (built by the composition root) and the portal's templates."""

    office: Office
    templates: Jinja2Templates
    _search: SearchService | None = None
    _search_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def settings(self) -> Settings:
        return self.office.settings

    @property
    def register(self) -> SqlRegister:
        return self.office.register

    @property
    def procedures(self) -> ProcedureService:
        return self.office.procedures

    @property
    def accounts(self) -> Accounts:
        return self.office.accounts

    def search(self) -> SearchService:
        """The search service, opened on first use (the index may be built after the server started)."""
        if self._search is None:
            with self._search_lock:
                if self._search is None:
                    self._search = self.office.search(wait_for_models=False)
        return self._search


def context_of(request: Request) -> WebContext:
    context: WebContext = request.app.state.web
    return context


async def web(request: Request) -> WebContext:
    """The app's context, as a dependency. ``async``: FastAPI runs it on the event loop, where a plain ``def``
    dependency would cost every request a round trip through the thread pool (about as much as a whole
    trivial request)."""
    return context_of(request)


Context = Annotated[WebContext, Depends(web)]


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """A page in the request's language; templates get ``t`` (messages, dates, numbers), ``user``, ``csrf`` and
    ``form_token()`` (a fresh one-time token for each form rendered)."""
    lang = getattr(request.state, "lang", i18n.DEFAULT_LANGUAGE)
    values.setdefault("user", session_user(request))
    response: HTMLResponse = context_of(request).templates.TemplateResponse(
        request, template,
        {"t": i18n.Translator(lang), "lang": lang, "csrf": csrf_token(request), "form_token": new_form_token,
         **values},
        status_code=status_code,
    )
    return response


def translator(request: Request) -> i18n.Translator:
    return i18n.Translator(getattr(request.state, "lang", i18n.DEFAULT_LANGUAGE))


# --- search errors: a bad query is a 422 naming q; a missing index a 503 naming the command, never a path ---

MAX_QUERY_NESTING_MESSAGE = "parentheses nested too deeply: simplify the query"
QUERY_DATE_RANGE_MESSAGE = "date out of range: dates in a query must lie between 1678 and 2261"
_PATH = re.compile(r"(?<![\w.:/])(?:[A-Za-z]:)?[/\\](?:[^\s/\\:'\"`]+[/\\])+[^\s/\\:'\"`]*")


def query_problem(exc: BaseException) -> dict[str, Any] | None:
    """The 422 detail (``field``, ``message``, maybe ``position``) of a query the search cannot run: a syntax
    error, nesting too deep for the parser, a date outside the range the engine stores (1677-2262) or another
    value the engine refuses; None when ``exc`` is not about the query (then it is not the caller's fault)."""
    if isinstance(exc, QueryError):
        return {"field": "q", "message": exc.message, "position": exc.position, "code": exc.code}
    if isinstance(exc, RecursionError):
        return {"field": "q", "message": MAX_QUERY_NESTING_MESSAGE, "code": "too_deep"}
    if isinstance(exc, ValueError | OverflowError) and not isinstance(exc, SearchError):
        if "out of range" in str(exc):
            return {"field": "q", "message": QUERY_DATE_RANGE_MESSAGE, "code": "date_out_of_range"}
        return {"field": "q", "message": "the search engine cannot run this query: " + without_paths(str(exc)),
                "code": "engine"}
    return None


def query_problem_text(t: i18n.Translator, exc: BaseException) -> str | None:
    """:func:`query_problem` in the page's language, by its code (None when ``exc`` is not about the query)."""
    problem = query_problem(exc)
    if problem is None:
        return None
    params: dict[str, object] = {"limit": MAX_NESTING, "first": QUERY_YEARS[0], "last": QUERY_YEARS[1]}
    if isinstance(exc, QueryError):
        params.update(exc.params, position=exc.position)
    return t(f"query.{problem['code']}", **params)


def without_paths(message: str) -> str:
    """``message`` with file system paths replaced by "…" (errors shown to the public never name them)."""
    return _PATH.sub("…", message)


def search_unavailable_message(exc: SearchError, t: i18n.Translator | None = None) -> str:
    """What to tell the public when the search cannot run: the command that builds the index, no path."""
    if isinstance(exc, IndexMissing | IndexOutdated):
        return t("error.index_missing") if t else i18n.MESSAGES["en"]["error.index_missing"]
    if isinstance(exc, SemanticIndexMissing):
        return t("error.semantic_missing") if t else i18n.MESSAGES["en"]["error.semantic_missing"]
    if isinstance(exc, ModelPreparing):
        return t("error.model_preparing") if t else i18n.MESSAGES["en"]["error.model_preparing"]
    return t("error.search_unavailable") if t else without_paths(str(exc))


# --- pages: the logged-in user ---------------------------------------------------------------------------

def page_user(request: Request) -> User:
    user = session_user(request)
    if user is None:
        raise LoginRequired()
    return user


def party_user(request: Request) -> User:
    user = page_user(request)
    if not (user.has(Role.APPLICANT) or user.has(Role.AGENT)):
        raise Forbidden(f"{user.username} is not an applicant or agent", "not_party", user=user.username)
    return user


def staff_user(request: Request) -> User:
    user = page_user(request)
    if not user.is_staff:
        raise Forbidden(f"{user.username} is not office staff", "not_staff", user=user.username)
    return user


PageUser = Annotated[User, Depends(page_user)]
PartyUser = Annotated[User, Depends(party_user)]
StaffUser = Annotated[User, Depends(staff_user)]


async def checked_form(request: Request) -> FormData:
    """The POSTed form, refused (403) unless it carries the session's CSRF token, and (400) unless it carries
    a one-time form token; a token submitted before raises ``AlreadySubmitted`` (post/redirect/get: the
    repeat is sent where the first submission led, nothing is done twice). ``settle_form`` records the
    outcome once the response is known."""
    form = await request.form(max_part_size=MAX_DOCUMENT_BYTES + 1024)
    if not csrf_valid(request, str(form.get(CSRF_FIELD) or "")):
        raise HTTPException(403, translator(request)("error.csrf"))
    token = str(form.get(FORM_FIELD) or "")
    if not 16 <= len(token) <= 100:
        raise HTTPException(400, translator(request)("error.form_token"))
    claimed = context_of(request).office.form_submissions.claim(token)
    if not claimed.first:
        raise AlreadySubmitted(claimed.target)
    request.state.form_token = token
    return form


def settle_form(request: Request, status_code: int, location: str | None) -> None:
    """After the response to a form claimed by ``checked_form``: a redirect (the form acted) keeps its target
    for repeats; any other answer (refused, invalid: nothing changed) frees the token to be sent again."""
    token = getattr(request.state, "form_token", None)
    if token is None:
        return
    submissions = context_of(request).office.form_submissions
    if 300 <= status_code < 400 and location:
        submissions.succeeded(token, location)
    else:
        submissions.failed(token)


# --- API: the caller ------------------------------------------------------------------------------------

def optional_user(request: Request) -> User | None:
    """The API user, or None for an anonymous call; a token that is sent but unknown, revoked or expired is a
    401 — never silently the anonymous view (an integrator would take an empty list for an answer)."""
    user = bearer_user(request)
    if user is None and bearer_token(request) is not None:
        raise HTTPException(401, "the API token is unknown, revoked or expired: create a new one "
                                 "(POST /api/v1/tokens)", headers={"WWW-Authenticate": "Bearer"})
    return user


def required_user(request: Request) -> User:
    user = bearer_user(request)
    if user is None:
        raise HTTPException(401, "log in: send Authorization: Bearer <token> (POST /api/v1/tokens)",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
RequiredUser = Annotated[User, Depends(required_user)]
