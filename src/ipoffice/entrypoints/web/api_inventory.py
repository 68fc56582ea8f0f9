"""The stock-patent inventory through the REST API (issue #16), the same JSON as ``ipoffice inventory … --json``:

- ``POST /api/v1/inventory/import`` (logged in) ``{holder, csv}`` → 200 the import report; 422 with the same report
  (``errors``: row, field, value, reason, code) when any row is bad — nothing is written;
- ``GET /api/v1/inventory?holder=&state=`` (logged in): the entries the caller may see, with the suggested grade,
  its reasons and the history; ``GET /api/v1/inventory/{id}``: one entry;
- ``POST /api/v1/inventory/{id}/assessment`` ``{self_grade?, conversion_intent?, note?, submit?}``;
- ``POST /api/v1/inventory/{id}/submission``;
- ``POST /api/v1/inventory/{id}/review`` ``{level: 1|2, decision: pass|return, reason?}``;
- ``GET /api/v1/inventory/queue``: the entries waiting for the caller's review;
- ``POST /api/v1/inventory/members`` ``{holder, username, function: keeper|reviewer}`` (a keeper);
- ``GET /api/v1/inventory/library?ipc=&q=&grade=&intent=`` (public): the resource library's records.

A rule broken (out of order, self-review, not editable) is a 422 ``{"error": {"message", "code", "params"}}``; a
caller who may not act is a 403 with the rule's code; an unknown entry a 404."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.inventory import InventoryRefused
from ipoffice.domain.inventory_csv import MAX_BYTES
from ipoffice.entrypoints.web.deps import Context, RequiredUser
from ipoffice.services.inventory import EntryNotFound, InventoryForbidden
from ipoffice.services.procedures import UnknownUser

router = APIRouter(prefix="/api/v1/inventory", tags=["api"])
EntryId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except EntryNotFound as exc:
        raise HTTPException(404, {"message": str(exc.args[0]), "code": "no_entry"}) from None
    except UnknownUser as exc:
        raise HTTPException(404, {"message": str(exc.args[0]), "code": "no_user"}) from None
    except InventoryForbidden as exc:
        raise HTTPException(403, {"message": str(exc), "code": exc.code,
                                  "params": {k: str(v) for k, v in exc.params.items()}}) from None
    except InventoryRefused as exc:
        raise HTTPException(422, {"message": str(exc), "code": exc.code,
                                  "params": {k: str(v) for k, v in exc.params.items()}}) from None
    except InvalidField as exc:
        raise HTTPException(422, {"message": str(exc), "code": "invalid_field", "field": exc.field}) from None


def _run(call: Callable[[], Any]) -> Any:
    with _errors():
        return call()


class ImportIn(BaseModel):
    holder: str = Field(min_length=1, max_length=200, description="The organisation, as the register names it")
    csv: str = Field(max_length=MAX_BYTES, description=(
        "The CSV text: number, department?, contact?, self_grade?, conversion_intent?, note? (en or zh headers)"))


class AssessmentIn(BaseModel):
    self_grade: Literal["A", "B", "C"] | None = None
    conversion_intent: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=500)
    submit: bool = Field(default=False, description="Then submit it for first-level review")


class ReviewIn(BaseModel):
    level: Literal[1, 2]
    decision: Literal["pass", "return"]
    reason: str = Field(default="", max_length=500)


@router.post("/import", response_model=None)
def import_csv(ctx: Context, user: RequiredUser, body: ImportIn) -> dict[str, object] | JSONResponse:
    """Import a holder's patents, all or nothing."""
    report = _run(lambda: ctx.office.inventory.import_csv(body.csv.encode("utf-8"), body.holder, user.username))
    if report.errors:
        return JSONResponse(report.as_dict(), status_code=422)
    data: dict[str, object] = report.as_dict()
    return data


class MemberIn(BaseModel):
    holder: str = Field(min_length=1, max_length=200)
    username: str = Field(min_length=1, max_length=64)
    function: Literal["keeper", "reviewer"] = "reviewer"


@router.post("/members")
def add_member(ctx: Context, user: RequiredUser, body: MemberIn) -> dict[str, object]:
    """A keeper adds a member: another keeper, or a first-level reviewer; ``added`` False when already one."""
    added = _run(lambda: ctx.office.inventory.add_member(body.holder, body.username, body.function, user.username))
    return {"holder": body.holder, "username": body.username, "function": body.function, "added": added}


@router.get("")
def list_entries(ctx: Context, user: RequiredUser, holder: Annotated[str | None, Query(max_length=200)] = None,
                 state: Annotated[str | None, Query(max_length=30)] = None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = _run(lambda: ctx.office.inventory.entries(user.username, holder, state))
    return found


@router.get("/queue")
def queue(ctx: Context, user: RequiredUser) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = _run(lambda: ctx.office.inventory.queue(user.username))
    return found


@router.get("/library")
def library(ctx: Context, ipc: Annotated[str | None, Query(max_length=40)] = None,
            q: Annotated[str | None, Query(max_length=200)] = None,
            grade: Annotated[str | None, Query(max_length=2)] = None,
            intent: Annotated[str | None, Query(max_length=20)] = None) -> list[dict[str, object]]:
    found = _run(lambda: ctx.office.inventory.library_entries(ipc=ipc, text=q, grade=grade, intent=intent))
    return [e.as_dict() for e in found]


@router.get("/{entry_id}")
def entry(ctx: Context, user: RequiredUser, entry_id: EntryId) -> dict[str, Any]:
    found: dict[str, Any] = _run(lambda: ctx.office.inventory.entry(entry_id, user.username))
    return found


@router.post("/{entry_id}/assessment")
def assess(ctx: Context, user: RequiredUser, entry_id: EntryId, body: AssessmentIn) -> dict[str, Any]:
    service = ctx.office.inventory

    def run() -> dict[str, Any]:
        view = service.assess(entry_id, user.username, self_grade=body.self_grade, intent=body.conversion_intent,
                              note=body.note)
        return service.submit(entry_id, user.username) if body.submit else view
    found: dict[str, Any] = _run(run)
    return found


@router.post("/{entry_id}/submission")
def submit(ctx: Context, user: RequiredUser, entry_id: EntryId) -> dict[str, Any]:
    found: dict[str, Any] = _run(lambda: ctx.office.inventory.submit(entry_id, user.username))
    return found


@router.post("/{entry_id}/review")
def review(ctx: Context, user: RequiredUser, entry_id: EntryId, body: ReviewIn) -> dict[str, Any]:
    found: dict[str, Any] = _run(lambda: ctx.office.inventory.review(entry_id, body.level, body.decision,
                                                                     user.username, body.reason))
    return found
