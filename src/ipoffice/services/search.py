"""Use case: search the register — keyword (BM25), semantic (dense vectors), hybrid, and concept (keyword,
dense and IPC-subclass agreement fused: ``services.concept_search``).

Callers (CLI, web, evaluation) use only :class:`SearchService`. Its vocabulary (requests, hits, results,
facets) and the engine protocols live in ``ipoffice.domain.search``; the composition root
(``ipoffice.bootstrap``) hands it a :class:`~ipoffice.domain.search.KeywordEngine` (tantivy today) and,
when the vectors are built, a :class:`~ipoffice.domain.search.DenseRetriever`, so adding an engine touches
no caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ipoffice.domain.query import number_query
from ipoffice.domain.query_limits import check_query, check_text
from ipoffice.domain.search import (
    FACETS,
    DenseRetriever,
    FacetCount,
    KeywordEngine,
    SearchHit,
    SearchRequest,
    SearchResult,
    SemanticIndexMissing,
    dense_text,
    query_constraints,
)

if TYPE_CHECKING:
    from ipoffice.services.concept_search import ConceptSearch


def check_request(request: SearchRequest) -> None:
    """The size limits of ``domain.query_limits``: plain text by length and words, the query language also
    by nesting, terms and wildcards."""
    if request.within is not None and not request.query.strip():
        return  # every document of the pool
    if request.syntax == "text":
        check_text(request.query)
    else:
        check_query(request.query)


# Reciprocal rank fusion constant (Cormack et al. 2009): damps the weight of the very top ranks.
RRF_K = 60
# Hybrid fuses each side's top (2 × the page, at least 20): deeper lists let a document ranked e.g. 15th by
# both sides rise, but much deeper ones (100) let the weaker side's agreement on lesser documents bury the
# stronger side's first hit (known-item evaluation, bench/README.md).
HYBRID_MIN_DEPTH = 20
# A semantic ranking with conditions (a date range, classes, exclusions, filters) reads this many times
# deeper (at least CONDITIONED_MIN_DEPTH) and keeps the candidates that meet them.
CONDITIONED_DEPTH_FACTOR = 10
CONDITIONED_MIN_DEPTH = 1000


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


class SearchService:
    """One entry point for every search mode."""

    def __init__(self, engine: KeywordEngine, dense: DenseRetriever | None = None,
                 concept: ConceptSearch | None = None) -> None:
        self.engine = engine
        self.dense = dense
        self.concept = concept

    def search(self, request: SearchRequest) -> SearchResult:
        """Raises QueryTooLarge (a QueryError) for a request beyond ``domain.query_limits``, before any engine."""
        check_request(request)
        if request.mode == "bm25":
            return self.engine.search(request)
        if request.mode == "concept":
            self._require_dense()
            if self.concept is None:
                raise SemanticIndexMissing("concept search needs the vectors")
            return self.concept.search(request)
        depth = request.offset + request.limit
        if request.mode == "semantic":
            hits = self._nearest(request, depth)
            return SearchResult(total=len(hits), hits=hits[request.offset:depth])
        pool = max(2 * depth, HYBRID_MIN_DEPTH)
        keyword = self.engine.search(replace(request, mode="bm25", limit=pool, offset=0)).hits
        semantic = self._nearest(request, pool)
        fused = reciprocal_rank_fusion([keyword, semantic])
        return SearchResult(total=len(fused), hits=fused[request.offset:depth])

    def as_number_search(self, request: SearchRequest) -> SearchRequest:
        """``request`` as a number search when its query is just a printed number (``8421271``,
        ``US 2022/0159901 A1``, ``ZL201810358967.5``) that finds a document, else ``request`` unchanged: the
        same rule for the portal's search box, the API and the CLI (``domain.query.number_query``)."""
        if request.syntax != "query":
            return request
        numbered = number_query(request.query)
        if numbered is None:
            return request
        found = replace(request, query=numbered, mode="bm25", offset=0, limit=1)
        if not self.engine.search(found).total:
            return request
        return replace(request, query=numbered, mode="bm25")

    def _nearest(self, request: SearchRequest, depth: int) -> list[SearchHit]:
        """The ``depth`` documents nearest to the request's topic that meet its conditions: the query's dates,
        classifications, numbers, names and exclusions (``query.constraints``) and the request's filters,
        checked by the keyword engine on a deeper list of candidates."""
        dense = self._require_dense()
        text = dense_text(request)
        require = query_constraints(request)
        if require is None and not request.filters:
            return dense.search_text(text, depth, request.before)
        hits = dense.search_text(text, max(CONDITIONED_DEPTH_FACTOR * depth, CONDITIONED_MIN_DEPTH), request.before)
        if not hits:
            return hits
        numbers = tuple(h.number for h in hits)
        meeting = self.engine.search(SearchRequest(query="", within=numbers, require=require, filters=request.filters,
                                                   limit=len(numbers))).hits
        kept = {h.number for h in meeting}
        return [h for h in hits if h.number in kept][:depth]

    def facets(self, request: SearchRequest, facets: Sequence[str] = FACETS,
               limit: int = 10) -> dict[str, list[FacetCount]]:
        """Counts of the keyword matches by right type, IPC section/class, year, applicant, country."""
        check_request(request)
        return self.engine.facets(request, facets, limit)

    def _require_dense(self) -> DenseRetriever:
        if self.dense is None:
            raise SemanticIndexMissing()
        return self.dense
