"""Use case: need → patent matching (``ipoffice match``, ``/api/v1/match``, the portal's matching page).

1. Candidates: the need's nearest documents in the semantic index (multilingual, so a Chinese need finds
   English rights and vice versa; ``POOL_DENSE``) fused by reciprocal rank with its BM25 hits
   (``POOL_KEYWORD``), then kept while they are rights in force (granted and their term not ended, lapsed
   ones excluded where the register records it: ``register_extract.legal_status``) until ``RERANK`` are.
2. Each candidate's elements: the elements of its independent claims (``domain.claim_elements``, claims of
   one language), or the sentences of its abstract when the register holds no claims.
3. Score = ``DOCUMENT_WEIGHT`` × the cosine of the need and the right (the semantic index's vector) +
   the rest × coverage, the mean over the need's parts of the best element score: the cosine of their
   embeddings, mixed with the share of the part's words found in the element (``LITERAL_WEIGHT``, as in
   claim charts: ``services.claim_chart``) when both are in the same language. The reasons are the best
   elements of each part.

``open_licence`` comes from :class:`~ipoffice.domain.matching.OpenLicences` (the recordals register); each
need matched is logged (``adapters.match_log``) unless the caller says not to (benchmarks).
Measured in ``bench/bench_match.py`` (bench/README.md, matching section).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from ipoffice.adapters.embeddings import CachedEmbedder
from ipoffice.adapters.match_log import MatchLog
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.claim_elements import split_claim
from ipoffice.domain.document import Document, RightType, TextField
from ipoffice.domain.errors import DomainError, InvalidField
from ipoffice.domain.matching import MatchReason, OpenLicences, RightMatch, check_need, need_language, need_parts
from ipoffice.domain.search import KeywordEngine, SearchError, SearchHit, SearchRequest
from ipoffice.domain.text import has_cjk
from ipoffice.domain.value_indicators import claims_of_one_language, remaining_term
from ipoffice.services.claim_chart import content_words, sentences
from ipoffice.services.register_extract import legal_status
from ipoffice.services.search import reciprocal_rank_fusion
from ipoffice.services.semantic import DenseSearch, embed_documents
from ipoffice.services.value import ValueIndicators, term_rule

POOL_DENSE = 200
POOL_KEYWORD = 50
RERANK = 40
# Chosen on the 70 needs of bench/bench_match.py (in-sample: no held-out set of cross-lingual needs exists):
# document weight 0.3 → 0.8 moved found@10 52 → 55 and MRR@10 0.61 → 0.63 (best 0.65 at 0.5, 52 found).
DOCUMENT_WEIGHT = 0.7
# Literal support (shared words) counts only where the need part and the element are in the same language:
# counting it as 0 across languages ranked same-language rights above the target (38 of 57 found instead of 44).
LITERAL_WEIGHT = 0.3
REASON_AT = 0.45  # an element scoring from here on is a reason; below, only a part's best one is shown
MAX_REASONS = 5
MAX_ELEMENTS = 40  # per right: the first independent claims hold the substance
MAX_LIMIT = 100
CHANNELS = ("cli", "api", "portal", "bench")


@dataclass(frozen=True)
class _Element:
    label: str
    text: str
    field: str


def right_elements(doc: Document) -> list[_Element]:
    """What a need is compared with: the elements of the independent claims (one language), else the
    abstract's sentences, else the title."""
    out: list[_Element] = []
    for claim in claims_of_one_language(doc.claims):
        if not claim.is_independent:
            continue
        try:
            out.extend(_Element(e.label, e.text, "claims") for e in split_claim(claim.text, claim.number))
        except ValueError:
            continue
    if not out:
        abstract = doc.text(TextField.ABSTRACT, "en") or doc.text(TextField.ABSTRACT)
        if abstract:
            out = [_Element(f"abstract[{i + 1}]", s, "abstract") for i, s in enumerate(sentences(abstract))]
    if not out and doc.title:
        out = [_Element("title", doc.title, "title")]
    return out[:MAX_ELEMENTS]


def in_force(doc: Document, term_ended: Callable[[Document], bool]) -> bool:
    """A patent, utility model or design granted and neither lapsed, expired nor abandoned, whose term has not
    ended (where the register lets the term be computed)."""
    return (doc.right_type != RightType.TRADEMARK and legal_status(doc).code == "granted"
            and not term_ended(doc))


class Matcher:
    def __init__(self, register: SqlRegister, dense: DenseSearch, keyword: KeywordEngine | None,
                 embedder: CachedEmbedder, open_licences: OpenLicences, value: ValueIndicators,
                 log: MatchLog | None, today: Callable[[], date],
                 case_rights: Callable[[], Sequence[Document]] = tuple) -> None:
        self.register = register
        self.dense = dense
        self.keyword = keyword
        self.embedder = embedder
        self.open_licences = open_licences
        self.value = value
        self.log = log
        self.today = today
        self.case_rights = case_rights  # the office's own granted cases (``services.case_rights``), in force

    def _term_ended(self, doc: Document) -> bool:
        term = remaining_term(doc, term_rule, self.today())
        return bool(term.details and term.details.get("ended"))

    def _candidates(self, need: str, query: np.ndarray) -> list[SearchHit]:
        dense = self.dense.index.search_vector(query, POOL_DENSE, None)
        keyword: list[SearchHit] = []
        if self.keyword is not None:
            try:
                keyword = self.keyword.search(SearchRequest(query=need, mode="bm25", syntax="text",
                                                            limit=POOL_KEYWORD)).hits
            except (SearchError, DomainError):  # a need beyond the keyword engine's limits: meaning alone
                keyword = []
        return reciprocal_rank_fusion([dense, keyword])

    def _eligible(self, hits: Sequence[SearchHit], in_force_only: bool) -> Iterator[Document]:
        for start in range(0, len(hits), 50):
            numbers = [h.number for h in hits[start:start + 50]]
            docs = {d.number.compact: d for d in self.register.documents_numbered(numbers)}
            for number in numbers:
                doc = docs.get(number)
                if doc is None or doc.right_type == RightType.TRADEMARK:
                    continue
                if not in_force_only or in_force(doc, self._term_ended):
                    yield doc

    def match(self, need: str, limit: int = 10, *, in_force_only: bool = True, channel: str = "cli",
              indicators: bool = True, log: bool = True) -> list[RightMatch]:
        """The ``limit`` rights that best meet ``need`` (Chinese or English), best first.

        Raises InvalidField naming ``need`` (empty, too long) or ``limit`` (outside 1..MAX_LIMIT).
        """
        need = check_need(need)
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidField("limit", limit, f"must be between 1 and {MAX_LIMIT}")
        if channel not in CHANNELS:
            raise InvalidField("channel", channel, f"must be one of {', '.join(CHANNELS)}")
        query = self.dense.embed(need)
        docs: list[Document] = []
        for doc in self._eligible(self._candidates(need, query), in_force_only):
            docs.append(doc)
            if len(docs) >= max(RERANK, limit):
                break
        found = {d.number.compact for d in docs}
        cases = [d for d in self.case_rights() if d.number.compact not in found and not self._term_ended(d)]
        matches = self._rank(need, query, [*docs, *cases], {d.number.compact for d in cases})[:limit]
        docs += cases
        offered = self.open_licences.on_offer([m.number for m in matches], self.today()) if matches else set()
        by_number = {d.number.compact: d for d in docs}
        out = []
        for m in matches:
            extra = self.value.of_document(by_number[m.number]) if indicators else {}
            out.append(RightMatch(m.number, m.title, m.score, m.similarity, m.coverage, m.status,
                                  m.number in offered, m.reasons, extra))
        if log and self.log is not None:
            self.log.record(channel=channel, need=need, need_lang=need_language(need), in_force_only=in_force_only,
                            numbers=[m.number for m in out], top_score=out[0].score if out else None)
        return out

    def _rank(self, need: str, query: np.ndarray, docs: Sequence[Document],
              cases: Collection[str] = ()) -> list[RightMatch]:
        """``cases``: numbers of ``docs`` that are the office's granted cases (not in the semantic index:
        embedded here, from the vector cache; in force by their procedure's state)."""
        if not docs:
            return []
        case_docs = [d for d in docs if d.number.compact in cases]
        case_vectors = dict(zip([d.number.compact for d in case_docs],
                                embed_documents(case_docs, self.embedder), strict=True)) if case_docs else {}
        parts = need_parts(need)
        part_vectors = self.embedder.embedder.encode(parts)  # one-off texts: not cached
        part_words = [content_words(p) for p in parts]
        elements = [right_elements(d) for d in docs]
        flat = [e.text for els in elements for e in els]
        element_vectors = self.embedder.encode(flat) if flat else np.zeros((0, part_vectors.shape[1]), np.float32)
        index = self.dense.index
        ranked, offset = [], 0
        for doc, els in zip(docs, elements, strict=True):
            vectors = element_vectors[offset:offset + len(els)]
            offset += len(els)
            number = doc.number.compact
            row = None if number in case_vectors else index.row(number)
            vector = case_vectors.get(number) if row is None else index.index.vectors[row]
            similarity = float(np.clip(vector @ query, 0, 1)) if vector is not None else 0.0
            reasons: list[MatchReason] = []
            coverage = 0.0
            if els:
                semantic = np.clip(part_vectors @ vectors.T, 0, 1)
                words = [content_words(e.text) for e in els]
                literal = np.array([[len(pw & ew) / len(pw) if pw else 0.0 for ew in words] for pw in part_words],
                                   dtype=np.float32)
                same = np.array([[has_cjk(p) == has_cjk(e.text) for e in els] for p in parts], dtype=bool)
                combined = np.where(same, (1 - LITERAL_WEIGHT) * semantic + LITERAL_WEIGHT * literal, semantic)
                best = combined.argmax(axis=1)
                coverage = float(combined.max(axis=1).mean())
                reasons = _reasons(parts, part_words, els, words, best, combined, semantic, literal)
            score = DOCUMENT_WEIGHT * similarity + (1 - DOCUMENT_WEIGHT) * coverage
            ranked.append(RightMatch(doc.number.compact, doc.title, score, similarity, coverage,
                                     "granted" if number in case_vectors else legal_status(doc).code, False, reasons))
        ranked.sort(key=lambda m: (-m.score, m.number))
        return ranked


def _reasons(parts: Sequence[str], part_words: Sequence[set[str]], els: Sequence[_Element],
             words: Sequence[set[str]], best: np.ndarray, combined: np.ndarray, semantic: np.ndarray,
             literal: np.ndarray) -> list[MatchReason]:
    """Each need part's best element (one reason per element), strongest first: those from ``REASON_AT`` on,
    at least the strongest one."""
    seen: dict[str, MatchReason] = {}
    for i, j in enumerate(best.tolist()):
        reason = MatchReason(parts[i], els[j].label, els[j].text, els[j].field, float(combined[i, j]),
                             float(semantic[i, j]), float(literal[i, j]),
                             _display_terms(parts[i], part_words[i] & words[j]))
        if els[j].label not in seen or seen[els[j].label].score < reason.score:
            seen[els[j].label] = reason
    ordered = sorted(seen.values(), key=lambda r: -r.score)
    return ([r for r in ordered if r.score >= REASON_AT] or ordered[:1])[:MAX_REASONS]


def _display_terms(part: str, shared: set[str]) -> tuple[str, ...]:
    """The shared content words as the need writes them ("wireless", not the stem "wirele"); CJK bigrams
    as they are."""
    if not shared:
        return ()
    written = [w for w in dict.fromkeys(re.findall(r"[a-z][a-z0-9-]{2,}", part.lower())) if w.rstrip("s") in shared]
    found = {w.rstrip("s") for w in written}
    return tuple([*written, *sorted(shared - found)][:8])
