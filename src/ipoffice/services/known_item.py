"""Evaluation: known-item prior-art search (``ipoffice eval known-item``).

Each query is claim 1 of a US document; the target is that document. The register is searched with the
claim as plain text over title + abstract + description (claims excluded: the claim itself would be
found trivially). Metrics: recall@1, recall@10 and MRR@10, for our modes and for an independent BM25
baseline on the same corpus in the same run (Lucene via pyserini when it runs here, else bm25s).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.document import Document, TextField
from ipoffice.domain.errors import DomainError
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.search import SearchError, SearchRequest
from ipoffice.services.search import SearchService

SEARCHED_FIELDS = ("title", "abstract", "description")
DEPTH = 10


@dataclass(frozen=True)
class KnownItem:
    query: str
    target: str  # compact number without kind code: US6836899


def load_known_items(path: Path) -> list[KnownItem]:
    items = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                items.append(KnownItem(row["query"], same_document_key(row["target"], default_country="US")))
    return items


def same_document_key(number: str, default_country: str | None = None) -> str:
    """Publications of one document share country and serial (A1 and B2 are the same invention).

    A number without country (``06836899``, design ``D0614834``) gets ``default_country``."""
    text = number.strip()
    if default_country and re.match(r"(?:RE|PP|RX|AI|HX|[DHT])?[0-9]", text, re.IGNORECASE):
        text = default_country + text
    try:
        return PublicationNumber.parse(text).without_kind
    except DomainError:
        return number


def metrics(ranked: Sequence[Sequence[str]], items: Sequence[KnownItem]) -> dict[str, float]:
    """recall@1, recall@10 and MRR@10 of ranked number lists (compared without kind codes)."""
    r1 = r10 = rr = 0.0
    for numbers, item in zip(ranked, items, strict=True):
        keys = [same_document_key(n) for n in numbers[:DEPTH]]
        if item.target in keys:
            rank = keys.index(item.target) + 1
            r1 += rank == 1
            r10 += 1
            rr += 1 / rank
    n = max(len(items), 1)
    return {"recall@1": r1 / n, "recall@10": r10 / n, "mrr@10": rr / n}


def document_text(doc: Document) -> str:
    """Title, abstract and description in every language: what both systems search."""
    wanted = {TextField(f) for f in SEARCHED_FIELDS}
    return "\n".join(t.text for t in doc.texts if t.field in wanted)


# --- baselines ---------------------------------------------------------------------------------

class Bm25sBaseline:
    """BM25 (Lucene variant, k1=1.2, b=0.75) by the bm25s package, English stop words and Snowball stemming."""

    name = "baseline bm25s"

    def __init__(self, corpus: Iterable[tuple[str, str]]) -> None:
        import bm25s
        import Stemmer

        self.numbers, texts = [], []
        for number, text in corpus:
            self.numbers.append(number)
            texts.append(text)
        self._bm25s = bm25s
        self.stemmer = Stemmer.Stemmer("english")
        self.retriever = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
        self.retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, show_progress=False),
                             show_progress=False)

    def search(self, queries: Sequence[str], k: int = DEPTH) -> list[list[str]]:
        tokens = self._bm25s.tokenize(list(queries), stopwords="en", stemmer=self.stemmer, show_progress=False)
        results, _ = self.retriever.retrieve(tokens, k=min(k, len(self.numbers)), show_progress=False,
                                             n_threads=1)
        return [[self.numbers[i] for i in row] for row in results]


# --- the run -----------------------------------------------------------------------------------

def run_known_item(service: SearchService, register: SqlRegister, path: Path, *,
                   modes: Sequence[str] = ("bm25", "semantic", "hybrid"), baseline: bool = True,
                   progress: Callable[[str], None] = lambda msg: None) -> dict[str, Any]:
    """Every requested row of the metric table for the queries of ``path`` (JSON lines {query, target}).

    Raises FileNotFoundError when ``path`` does not exist; a mode the service cannot run (no vectors)
    gives a row with its ``error``.
    """
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    items = load_known_items(path)
    rows: list[dict[str, Any]] = []
    for mode in modes:
        rows.append(_evaluate_mode(service, mode, items, progress))
    if baseline:
        rows.append(_evaluate_baseline(register.iter_documents(), items, progress))
    return {"queries": len(items), "corpus_documents": register.count_documents(), "fields": list(SEARCHED_FIELDS),
            "rows": rows}


def _evaluate_mode(service: SearchService, mode: str, items: Sequence[KnownItem],
                   progress: Callable[[str], None]) -> dict[str, Any]:
    started = time.perf_counter()
    ranked = []
    try:
        for item in items:
            request = SearchRequest(item.query, mode=mode, limit=DEPTH, fields=SEARCHED_FIELDS, syntax="text")
            ranked.append([h.number for h in service.search(request).hits])
    except SearchError as exc:
        progress(f"{mode}: not evaluated: {exc}")
        return {"system": mode, "error": str(exc)}
    seconds = time.perf_counter() - started
    row = {"system": mode, **metrics(ranked, items), "seconds": round(seconds, 2)}
    progress(f"{mode}: {row}")
    return row


def _evaluate_baseline(documents: Iterable[Document], items: Sequence[KnownItem],
                       progress: Callable[[str], None]) -> dict[str, Any]:
    corpus = [(doc.number.compact, document_text(doc)) for doc in documents]
    started = time.perf_counter()
    system = _lucene_baseline(corpus, progress) or Bm25sBaseline(corpus)
    ranked = system.search([i.query for i in items])
    row = {"system": system.name, **metrics(ranked, items), "seconds": round(time.perf_counter() - started, 2)}
    progress(f"baseline: {row}")
    return row


def _lucene_baseline(corpus: Sequence[tuple[str, str]], progress: Callable[[str], None]) -> Any:
    """Lucene through pyserini, when pyserini and a Java 21 runtime are installed; else None."""
    from ipoffice.adapters.lucene_baseline import LuceneBaseline

    try:
        return LuceneBaseline(corpus)
    except ImportError:
        return None
    except Exception as exc:  # any failure of the external stack: fall back, but say why
        progress(f"pyserini baseline unavailable ({exc}); using bm25s")
        return None
