"""Use case: search the register — keyword (BM25), semantic (dense vectors) and hybrid.

Callers (CLI, web, evaluation) use only :class:`SearchService`; engines plug in behind the
:class:`SearchEngine` protocol (tantivy today, PostgreSQL full text later) and dense retrieval behind
:class:`DenseRetriever` (``ipoffice.services.semantic``), so adding an engine touches no caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol, runtime_checkable

from ipoffice.domain.query import free_text, parse_query

MODES = ("bm25", "semantic", "hybrid")
SYNTAXES = ("query", "text")
TEXT_FIELDS = ("title", "abstract", "claims", "description")
FACETS = ("right_type", "ipc_section", "ipc_class", "year", "applicant", "country")
SORTS = ("relevance", "date_desc", "date_asc")
# Reciprocal rank fusion constant (Cormack et al. 2009): damps the weight of the very top ranks.
RRF_K = 60
# Hybrid fuses each side's top (2 × the page, at least 20): deeper lists let a document ranked e.g. 15th by
# both sides rise, but much deeper ones (100) let the weaker side's agreement on lesser documents bury the
# stronger side's first hit (known-item evaluation, bench/README.md).
HYBRID_MIN_DEPTH = 20


class SearchError(ValueError):
    """A search that cannot be run as asked; the message says what to change."""


class SemanticIndexMissing(SearchError):
    def __init__(self, detail: str = "") -> None:
        msg = "semantic index not built: run `ipoffice index rebuild`"
        super().__init__(msg + (f" ({detail})" if detail else ""))


@dataclass(frozen=True)
class SearchHit:
    number: str  # compact publication number, e.g. US7654321B2
    score: float
    title: str | None = None
    snippet: str | None = None


@dataclass(frozen=True)
class SearchRequest:
    query: str
    mode: str = "bm25"  # bm25 | semantic | hybrid
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


@dataclass(frozen=True)
class SearchResult:
    total: int  # matching documents (for hybrid/semantic: the number of fused/retrieved candidates)
    hits: list[SearchHit] = field(default_factory=list)


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int





@runtime_checkable
class SearchEngine(Protocol):
    """A keyword engine: query language in, ranked documents out."""

    def search(self, request: SearchRequest) -> SearchResult: ...

    def facets(self, request: SearchRequest, facets: Sequence[str] = FACETS,
               limit: int = 10) -> dict[str, list[FacetCount]]: ...


@runtime_checkable
class DenseRetriever(Protocol):
    """Nearest documents to a text by embedding similarity (implemented in ``services.semantic``)."""

    def search_text(self, text: str, limit: int, before: date | None) -> list[SearchHit]: ...


def reciprocal_rank_fusion(ranked_lists: Sequence[Sequence[SearchHit]], k: int = RRF_K) -> list[SearchHit]:
    """Fuse ranked lists by sum of 1/(k + rank); the first list's title/snippet is kept for a number."""
    scores: dict[str, float] = {}
    first_seen: dict[str, SearchHit] = {}
    for hits in ranked_lists:
        for rank, hit in enumerate(hits, start=1):
            scores[hit.number] = scores.get(hit.number, 0.0) + 1.0 / (k + rank)
            seen = first_seen.get(hit.number)
            if seen is None or (seen.title is None and hit.title is not None):
                first_seen[hit.number] = hit
    fused = sorted(scores, key=lambda n: (-scores[n], n))
    return [replace(first_seen[n], score=scores[n]) for n in fused]


def dense_text(request: SearchRequest) -> str:
    """What a dense retriever embeds: plain text as is; of a query, its words and phrases without fields,
    operators or filters (``ti=wireless AND pd>=2015`` → ``wireless``)."""
    if request.syntax == "text":
        return request.query
    return free_text(parse_query(request.query)) or request.query


def load_dense_retriever(settings: object | None = None) -> DenseRetriever | None:
    """The colleague's dense retriever when its module and vectors exist, else None."""
    try:
        from ipoffice.services import semantic  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    opener = getattr(semantic, "open_dense_retriever", None)
    if opener is None:
        return None
    retriever: DenseRetriever | None = opener(settings)
    return retriever


def open_search_service(settings: object | None = None, *, dense: bool = True) -> SearchService:
    """The service over the keyword index of ``settings`` (and the dense retriever when ``dense``)."""
    from ipoffice.config import Settings
    from ipoffice.services.indexing import open_keyword_index

    resolved = settings if isinstance(settings, Settings) else Settings.from_env()
    return SearchService(open_keyword_index(resolved), load_dense_retriever(resolved) if dense else None)


class SearchService:
    """One entry point for every search mode."""

    def __init__(self, engine: SearchEngine, dense: DenseRetriever | None = None) -> None:
        self.engine = engine
        self.dense = dense

    def search(self, request: SearchRequest) -> SearchResult:
        if request.mode == "bm25":
            return self.engine.search(request)
        dense = self._require_dense()
        depth = request.offset + request.limit
        text = dense_text(request)
        if request.mode == "semantic":
            hits = dense.search_text(text, depth, request.before)
            return SearchResult(total=len(hits), hits=hits[request.offset:depth])
        pool = max(2 * depth, HYBRID_MIN_DEPTH)
        keyword = self.engine.search(replace(request, mode="bm25", limit=pool, offset=0)).hits
        semantic = dense.search_text(text, pool, request.before)
        fused = reciprocal_rank_fusion([keyword, semantic])
        return SearchResult(total=len(fused), hits=fused[request.offset:depth])

    def facets(self, request: SearchRequest, facets: Sequence[str] = FACETS,
               limit: int = 10) -> dict[str, list[FacetCount]]:
        """Counts of the keyword matches by right type, IPC section/class, year, applicant, country."""
        return self.engine.facets(request, facets, limit)

    def _require_dense(self) -> DenseRetriever:
        if self.dense is None:
            raise SemanticIndexMissing()
        return self.dense
