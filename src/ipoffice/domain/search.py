"""The search vocabulary: what a search asks, what it answers, and what an engine must provide.

Shared by the search service (``services.search``: modes, fusion) and the engines that implement the
protocols (``adapters.search_index``: tantivy; a second engine, e.g. PostgreSQL full text + pgvector,
implements :class:`KeywordEngine` and is wired with one line in ``ipoffice.bootstrap``). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, runtime_checkable

from ipoffice.domain.document import Party, PartyRole
from ipoffice.domain.query import Node, constraints, free_text, parse_query

MODES = ("bm25", "semantic", "hybrid", "concept")
SYNTAXES = ("query", "text")
TEXT_FIELDS = ("title", "abstract", "claims", "description")
FACETS = ("right_type", "ipc_section", "ipc_class", "year", "applicant", "country")
SORTS = ("relevance", "date_desc", "date_asc")


class SearchError(ValueError):
    """A search that cannot be run as asked; the message says what to change."""


class SemanticIndexMissing(SearchError):
    """Semantic, hybrid or concept search asked of a register whose vectors were never built."""

    def __init__(self, detail: str = "") -> None:
        msg = "semantic index not built: run `ipoffice index rebuild`"
        super().__init__(msg + (f" ({detail})" if detail else ""))


class ModelPreparing(SearchError):
    """Concept search asked while its subclass model is still being built in the background (the IPC scheme
    and the labelled titles are embedded once, minutes on a cold vector cache); a request never waits for it."""

    def __init__(self) -> None:
        super().__init__("concept search is being prepared (the IPC scheme is embedded once): "
                         "try again in a few minutes, or use hybrid mode meanwhile")


@dataclass(frozen=True)
class SearchHit:
    """One ranked document: ``number`` is the compact publication number (``US7654321B2``)."""

    number: str
    score: float
    title: str | None = None
    snippet: str | None = None


@dataclass(frozen=True)
class SearchRequest:
    """A search as asked; invalid values raise :class:`SearchError` naming the field."""

    query: str
    mode: str = "bm25"  # bm25 | semantic | hybrid | concept
    limit: int = 10
    offset: int = 0
    fields: tuple[str, ...] | None = None  # restricts plain-text queries to these of TEXT_FIELDS
    before: date | None = None  # prior-art cut-off: only documents published before this date
    # "query": the query language (ipoffice.domain.query); "text": plain text, any of the words ranked by
    # BM25 (claims as prior-art queries, batch queries). Semantic retrieval always takes the text as is.
    syntax: str = "query"
    sort: str = "relevance"  # relevance | date_desc | date_asc (publication date)
    # Exact-value filters on facet fields, e.g. (("country", "EP"), ("right_type", "design")).
    filters: tuple[tuple[str, str], ...] = ()
    # Only these documents (compact publication numbers): the facets and filters of a result pool (the
    # candidates of a semantic search, say). With ``within``, an empty ``query`` means every one of them.
    within: tuple[str, ...] | None = None
    # A parsed query every hit must also match (the conditions of a semantic search's query: ``constraints``).
    require: Node | None = None

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise SearchError(f"sort: unknown {self.sort!r}; valid: {', '.join(SORTS)}")
        unknown_filters = [name for name, _ in self.filters if name not in FACETS]
        if unknown_filters:
            raise SearchError(f"filters: unknown {unknown_filters}; valid: {', '.join(FACETS)}")
        if self.mode not in MODES:
            raise SearchError(f"mode: unknown mode {self.mode!r}; valid: {', '.join(MODES)}")
        if self.limit < 1:
            raise SearchError(f"limit: must be at least 1 (got {self.limit})")
        if self.syntax not in SYNTAXES:
            raise SearchError(f"syntax: unknown {self.syntax!r}; valid: {', '.join(SYNTAXES)}")
        if self.offset < 0:
            raise SearchError(f"offset: must not be negative (got {self.offset})")
        if self.fields is not None:
            unknown = [f for f in self.fields if f not in TEXT_FIELDS]
            if unknown or not self.fields:
                raise SearchError(f"fields: unknown {unknown or 'empty'}; valid: {', '.join(TEXT_FIELDS)}")


def applicant_names(parties: Sequence[Party]) -> list[str]:
    """The applicants of a document as its applicant facet lists them: applicants and assignees, never agents
    (attorneys, law firms) nor inventors. An inventor is also named as applicant in US grants before 2012
    (``applicant-inventor``); such a name counts only when the document names no other applicant or assignee
    (an inventor who applies alone). Source: the parties as imported (USPTO ``us-applicant`` with its
    ``app-type``, ``assignee``; EPO B710/B730)."""
    inventors = {p.name for p in parties if p.role == PartyRole.INVENTOR}
    named = [p.name for p in parties if p.role in (PartyRole.APPLICANT, PartyRole.ASSIGNEE)]
    proper = [n for n in named if n not in inventors]
    return list(dict.fromkeys(proper or named))


@dataclass(frozen=True)
class SearchResult:
    """``total``: matching documents (for hybrid/semantic: the fused/retrieved candidates); ``hits``: one page."""

    total: int
    hits: list[SearchHit] = field(default_factory=list)


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@runtime_checkable
class KeywordEngine(Protocol):
    """A keyword engine: query language (or plain text) in, BM25-ranked documents and facet counts out."""

    def search(self, request: SearchRequest) -> SearchResult: ...

    def facets(self, request: SearchRequest, facets: Sequence[str] = FACETS,
               limit: int = 10) -> dict[str, list[FacetCount]]: ...

    def document_count(self) -> int:
        """Documents the engine holds (compared with the register's, so a lagging index is never silent)."""
        ...


@runtime_checkable
class DenseRetriever(Protocol):
    """Nearest documents to a text by embedding similarity, optionally only those published before a date."""

    def search_text(self, text: str, limit: int, before: date | None) -> list[SearchHit]: ...


def query_constraints(request: SearchRequest) -> Node | None:
    """The conditions of a query-language request that a semantic ranking must keep (``query.constraints``);
    None for plain text."""
    return None if request.syntax == "text" else constraints(parse_query(request.query))


def dense_text(request: SearchRequest) -> str:
    """What a dense retriever embeds: plain text as is; of a query, its words and phrases without fields,
    operators or filters (``ti=wireless AND pd>=2015`` → ``wireless``)."""
    if request.syntax == "text":
        return request.query
    return free_text(parse_query(request.query)) or request.query
