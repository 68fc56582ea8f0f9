"""The published document as the REST API gives it, and a cache of it that is checked against the register on
every read (published documents are immutable; only a re-import, new documents and legal events change
what a lookup shows).

Representations (``VARIANTS``): ``lean`` (the default) — bibliographic data, abstracts, classifications with
their IPC titles, parties, citations in both directions, priority claims, legal events and the derived legal
status, the number of claims and links to the long texts; ``full`` — the same with the claims and the
description; ``claims`` — the claims alone; ``description`` — the description alone (language → text).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from ipoffice.adapters.register import SqlRegister
from ipoffice.adapters.register_reads import RegisterReads
from ipoffice.services.documents import document_as_dict, get_document
from ipoffice.services.portal_queries import cited_by, resolve_cited
from ipoffice.services.register_extract import legal_status

Variant = Literal["lean", "full", "claims", "description"]
VARIANTS: tuple[Variant, ...] = ("lean", "full", "claims", "description")
LONG_TEXTS = ("claims", "description")
# Part of every ETag: a change of the representations' shape must not be answered "304 Not Modified".
REPRESENTATION_VERSION = "2"
CACHED_DOCUMENTS = 512  # lean answers are ~16 KB, full ones up to ~100 KB: tens of MB at most per worker
MAX_AGE_S = 60.0


def document_record(register: SqlRegister, number: str) -> dict[str, Any]:
    """The ``full`` representation of the document ``number`` (any printed form; see
    :func:`documents.get_document`): :func:`documents.document_as_dict` plus ``legal_status``
    (``{"status", "since"}``), ``cited_by`` (``[{"number", "title", "category"}]``) and, on each citation,
    ``register_number`` (the register's publication it means, or None). Raises DocumentNotFound."""
    doc = get_document(register, number)
    data = document_as_dict(register, doc)
    status = legal_status(doc)
    data["legal_status"] = {"status": status.code, "since": status.since.isoformat() if status.since else None}
    data["cited_by"] = [{"number": c.number, "title": c.title, "category": c.category}
                        for c in cited_by(register, doc.number.compact, doc.number.without_kind)]
    linked = resolve_cited(register, [c["number"] for c in data["citations"]])
    for citation in data["citations"]:  # the register's publication a citation means (USD668832S → ...S1)
        citation["register_number"] = linked.get(citation["number"] or "")
    return data


def links(number: str) -> dict[str, str]:
    """Where the long texts and the related resources of the document ``number`` (compact) are."""
    n = quote(number)
    api = f"/api/v1/documents/{n}"
    return {"self": api, "full": f"{api}?full=true", "claims": f"{api}/claims", "description": f"{api}/description",
            "similar": f"{api}/similar", "page": f"/documents/{n}", "register_extract": f"/register/{n}"}


def representation(record: dict[str, Any], variant: Variant) -> Any:
    """``record`` (:func:`document_record`) in ``variant``: ``lean`` drops the claims and the description for
    ``claims_count``, ``description_languages`` and ``links``; ``full`` adds ``claims_count`` and ``links``."""
    if variant == "claims":
        return record["claims"]
    if variant == "description":
        return record["description"]
    extra = {"claims_count": len(record["claims"]), "description_languages": sorted(record["description"]),
             "links": links(record["number"])}
    if variant == "full":
        return {**record, **extra}
    return {**{k: v for k, v in record.items() if k not in LONG_TEXTS}, **extra}


@dataclass
class DocumentView:
    """One document's record as of ``version`` (:meth:`RegisterReads.document_version`), with what callers
    derived from it (``derived``, e.g. encoded answers) kept alongside until the record changes."""

    number: str  # compact
    version: tuple[int, str]
    record: dict[str, Any]
    built: float
    derived: dict[Any, Any] = field(default_factory=dict)

    def etag(self, variant: Variant) -> str:
        """A strong entity tag of ``variant`` in this version (quoted, as in the ETag header)."""
        key = f"{REPRESENTATION_VERSION}|{self.number}|{self.version[0]}|{self.version[1]}|{variant}"
        return '"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


class DocumentViews:
    """Documents' records, built once and reused while :meth:`RegisterReads.document_version` is unchanged
    (one indexed query per read) and for at most ``max_age`` seconds (a re-imported *other* document that
    starts or stops citing this one shows within that time). Holds at most ``size`` documents (least
    recently read dropped first). Thread-safe; a record is built outside the lock, and kept only when the
    document's version was the same before and after building it."""

    def __init__(self, register: SqlRegister, size: int = CACHED_DOCUMENTS, max_age: float = MAX_AGE_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.register = register
        self.reads = RegisterReads(register.engine)
        self.size = size
        self.max_age = max_age
        self.clock = clock
        self._views: OrderedDict[str, DocumentView] = OrderedDict()  # by compact number
        self._aliases: dict[str, str] = {}  # number as asked -> compact
        self._lock = threading.Lock()

    def get(self, number: str) -> DocumentView:
        """The view of ``number`` as asked (any printed form). Raises DocumentNotFound."""
        with self._lock:
            compact = self._aliases.get(number, number)
            view = self._views.get(compact)
        before = self.reads.document_version(compact)
        if view is not None and before == view.version and self.clock() - view.built < self.max_age:
            with self._lock:
                if compact in self._views:
                    self._views.move_to_end(compact)
            return view
        record = document_record(self.register, number)
        after = self.reads.document_version(record["number"])
        view = DocumentView(record["number"], after or (0, ""), record, self.clock())
        with self._lock:
            if len(self._aliases) >= 4 * self.size:
                self._aliases.clear()
            self._aliases[number] = view.number
            # Kept only when nothing changed while it was built (else the next read builds it again).
            if before is not None and before == after:
                self._views[view.number] = view
                self._views.move_to_end(view.number)
                while len(self._views) > self.size:
                    dropped, _ = self._views.popitem(last=False)
                    self._aliases = {a: c for a, c in self._aliases.items() if c != dropped}
        return view
