"""Use case: claim charts — which passage of a document best discloses each element of a claim — and
the combination search: the pair of documents that together disclose the most elements.

A passage is a sentence (or a short run of sentences) of the document's abstract, description or claims.
An element's score against a passage mixes the cosine of their multilingual embeddings (meaning, also
across languages) with the share of the element's content words found in the passage (the literal
support an examiner looks for). An element counts as disclosed from ``DISCLOSED_AT`` on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from itertools import combinations
from typing import Any

import numpy as np

from ipoffice.adapters.embeddings import CachedEmbedder
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.claim_elements import ClaimElement, split_claim
from ipoffice.domain.document import Document, TextField
from ipoffice.domain.search import DenseRetriever
from ipoffice.domain.text import has_cjk, normalise

SEMANTIC_WEIGHT = 0.6
DISCLOSED_AT = 0.55  # element/passage score from which an element counts as disclosed
MAX_PASSAGES = 800  # per document: the head of a long description holds most of its substance
MAX_PASSAGE_CHARS = 600
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(\d])|(?<=[。；！？])")
_WORD = re.compile(r"[a-z][a-z0-9-]{2,}")
_STOP = frozenset(re.findall(r"\w+", """
    the and for with that this from said wherein which are has have having into onto each one first second
    least being such its their than then when where whereby thereof therein comprising comprises including
    includes configured adapted means plurality"""))


@dataclass(frozen=True)
class Passage:
    field: str  # abstract | description | claims | title
    text: str


@dataclass(frozen=True)
class ChartRow:
    label: str
    element: str
    passage: str
    field: str
    score: float
    semantic: float
    literal: float
    disclosed: bool


@dataclass(frozen=True)
class ClaimChart:
    number: str
    title: str | None
    rows: list[ChartRow]

    @property
    def disclosed(self) -> int:
        return sum(r.disclosed for r in self.rows)

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "disclosed": self.disclosed,
                "elements": len(self.rows), "rows": [asdict(r) for r in self.rows]}


@dataclass(frozen=True)
class Combination:
    numbers: tuple[str, str]
    disclosed: int  # elements disclosed by at least one of the two
    elements: int
    score: float  # sum over elements of the better of the two scores
    rows: list[tuple[str, str, float]]  # (label, number of the document that discloses it best, score)

    def as_json(self) -> dict[str, Any]:
        return {"numbers": list(self.numbers), "disclosed": self.disclosed, "elements": self.elements,
                "score": round(self.score, 4),
                "rows": [{"label": label, "number": n, "score": round(s, 4)} for label, n, s in self.rows]}


def passages(doc: Document) -> list[Passage]:
    """Sentences of the document's abstract, description and claims (every language it has)."""
    out: list[Passage] = []
    for text in doc.texts:
        if text.field == TextField.TITLE:
            continue
        out.extend(Passage(text.field.value, s) for s in sentences(text.text))
    for claim in doc.claims:  # a claim is one long sentence: its elements are the passages
        try:
            out.extend(Passage("claims", e.text) for e in split_claim(claim.text, claim.number))
        except ValueError:
            continue
    if not out and doc.title:
        out.append(Passage("title", doc.title))
    return out[:MAX_PASSAGES]


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences (whitespace collapsed), in order; also used by need → patent matching."""
    pieces: list[str] = []
    for paragraph in text.split("\n"):
        for sentence in _SENTENCE_END.split(" ".join(paragraph.split())):
            sentence = sentence.strip()
            while len(sentence) > MAX_PASSAGE_CHARS:  # very long sentences: cut at a comma near the limit
                cut = sentence.rfind(",", 0, MAX_PASSAGE_CHARS)
                cut = cut if cut > MAX_PASSAGE_CHARS // 3 else MAX_PASSAGE_CHARS
                pieces.append(sentence[:cut])
                sentence = sentence[cut + 1:].strip()
            if len(sentence) >= 15 or (has_cjk(sentence) and len(sentence) >= 4):
                pieces.append(sentence)
    return pieces


def content_words(text: str) -> set[str]:
    """The words of ``text`` that carry content (Chinese: character bigrams), lower case, for literal overlap."""
    text = normalise(text).lower()
    if has_cjk(text):
        return {text[i:i + 2] for i in range(len(text) - 1) if has_cjk(text[i:i + 2])}  # character bigrams
    return {w.rstrip("s") for w in _WORD.findall(text) if w not in _STOP}


def _literal(element_words: set[str], passage_words: set[str]) -> float:
    return len(element_words & passage_words) / len(element_words) if element_words else 0.0


class ClaimCharter:
    def __init__(self, embedder: CachedEmbedder) -> None:
        self.embedder = embedder

    def elements(self, claim: str) -> list[ClaimElement]:
        return split_claim(claim)

    def _score_matrix(self, elements: list[ClaimElement], doc_passages: list[Passage]) -> tuple[np.ndarray, ...]:
        """(combined, semantic, literal) scores, elements × passages."""
        element_vectors = self.embedder.encode([e.text for e in elements])
        passage_vectors = self.embedder.encode([p.text for p in doc_passages])
        semantic = np.clip(element_vectors @ passage_vectors.T, 0, 1)
        passage_words = [content_words(p.text) for p in doc_passages]
        literal = np.array([[_literal(content_words(e.text), w) for w in passage_words] for e in elements],
                           dtype=np.float32).reshape(len(elements), len(doc_passages))
        combined = SEMANTIC_WEIGHT * semantic + (1 - SEMANTIC_WEIGHT) * literal
        return combined, semantic, literal

    def chart(self, claim: str, doc: Document) -> ClaimChart:
        doc_passages = passages(doc)
        if not doc_passages:
            raise ValueError(f"number: {doc.number.compact} has no text to chart against")
        return self._chart(claim, doc_passages, doc.number.compact, doc.title)

    def chart_text(self, claim: str, text: str, label: str = "accused product") -> ClaimChart:
        """The chart of ``claim`` against a free text (an accused product's description: its sentences are
        the passages, field ``product``); ValueError when the text has no sentence."""
        text_passages = [Passage("product", s) for s in sentences(text)][:MAX_PASSAGES]
        if not text_passages:
            raise ValueError("against-text: the text has no sentence to chart against")
        return self._chart(claim, text_passages, label, None)

    def _chart(self, claim: str, doc_passages: list[Passage], number: str, title: str | None) -> ClaimChart:
        elements = self.elements(claim)
        combined, semantic, literal = self._score_matrix(elements, doc_passages)
        rows = []
        for i, element in enumerate(elements):
            j = int(combined[i].argmax())
            rows.append(ChartRow(element.label, element.text, doc_passages[j].text, doc_passages[j].field,
                                 round(float(combined[i, j]), 4), round(float(semantic[i, j]), 4),
                                 round(float(literal[i, j]), 4), bool(combined[i, j] >= DISCLOSED_AT)))
        return ClaimChart(number, title, rows)

    def combination(self, claim: str, docs: list[Document]) -> list[Combination]:
        """Pairs of ``docs`` ranked by elements disclosed together, then by their summed best scores.

        The preamble is left out of the count: it names the field, and nearly every candidate has it.
        """
        elements = [e for e in self.elements(claim) if not e.is_preamble] or self.elements(claim)
        best: dict[str, np.ndarray] = {}
        for doc in docs:
            doc_passages = passages(doc)
            if doc_passages:
                best[doc.number.compact] = self._score_matrix(elements, doc_passages)[0].max(axis=1)
        ranked = []
        for a, b in combinations(best, 2):
            better = np.maximum(best[a], best[b])
            rows = [(e.label, a if best[a][i] >= best[b][i] else b, float(better[i])) for i, e in enumerate(elements)]
            ranked.append(Combination((a, b), int((better >= DISCLOSED_AT).sum()), len(elements),
                                      float(better.sum()), rows))
        ranked.sort(key=lambda c: (-c.disclosed, -c.score, c.numbers))
        return ranked


def chart_against(charter: ClaimCharter, register: SqlRegister, claim: str, number: str) -> ClaimChart:
    """``ipoffice chart``: the claim chart of ``claim`` against register document ``number``.

    Raises LookupError naming the number when it is not in the register.
    """
    doc = register.get(number)
    if doc is None:
        raise LookupError(f"number: {number} is not in the register")
    return charter.chart(claim, doc)


def claim_of(register: SqlRegister, published_claims: Callable[[str], list[str] | None], number: str,
             claim: int = 1) -> str:
    """Claim ``claim`` (1-based) of ``number``: a document of the register, else a published case of the
    procedures (``published_claims`` gives its claims as filed, None when there is no such case). LookupError
    naming the number or the claim otherwise."""
    try:
        doc = register.get(number)
    except ValueError:  # not a publication number (an application number of a case)
        doc = None
    claims = [c.text for c in doc.claims] if doc is not None and doc.claims else published_claims(number)
    if claims is None:
        raise LookupError(f"number: {number} is neither a document of the register nor a published case")
    if not 1 <= claim <= len(claims):
        raise LookupError(f"claim: {number} has no claim {claim} ({len(claims)} claims)")
    return claims[claim - 1]


def combination_search(charter: ClaimCharter, register: SqlRegister, retriever: DenseRetriever, claim: str,
                       before: date | None = None, candidates: int = 15) -> list[Combination]:
    """The best pairs among the ``candidates`` documents nearest to the claim (published before ``before``)."""
    hits = retriever.search_text(claim, candidates, before)
    docs = [d for d in (register.get(h.number) for h in hits) if d is not None]
    return charter.combination(claim, docs)
