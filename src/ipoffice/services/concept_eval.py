"""Evaluation: concept search (``ipoffice eval concept``).

A concept is a technical field described in free text, in English (``query_en``) and in Chinese
(``query_zh``); its relevant documents are given by publication number. The data set of the shared folder
(``eval/concept_dev.jsonl``) describes each concept by an IPC subclass's scope and calls relevant the
Chinese titles of ``eval/cn_ipc_dev.csv`` that examiners classified in that subclass; the corpus is those
titles, imported as documents (title only: no classification, so nothing of the labels reaches the index).

Metric: nDCG@10 with binary relevance (ideal DCG over min(10, relevant) documents), the mean over concepts,
per search mode and query language, each next to the Chinese-query BM25 of the same run (the ratio).
"""

from __future__ import annotations

import csv
import json
import math
import statistics
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.document import Document, LocalizedText, RightType, TextField
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.search import SearchError, SearchRequest
from ipoffice.services.search import SearchService

DEPTH = 10
LANGUAGES = ("zh", "en")
BASELINE = ("bm25", "zh")  # every row's ratio is to Chinese-query BM25 of the same run


@dataclass(frozen=True)
class Concept:
    """One query in both languages and the compact publication numbers of its relevant documents."""

    id: str
    query_en: str
    query_zh: str
    relevant: frozenset[str]

    def query(self, lang: str) -> str:
        return self.query_zh if lang == "zh" else self.query_en


def load_concepts(path: Path) -> list[Concept]:
    """JSON lines ``{id, query_en, query_zh, relevant: [publication numbers]}``.

    Raises FileNotFoundError for a missing file, SearchError naming the line and field of a bad record."""
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    concepts = []
    with path.open(encoding="utf-8") as fh:
        for line_number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                concepts.append(Concept(str(row["id"]), str(row["query_en"]), str(row["query_zh"]),
                                        frozenset(str(n) for n in row["relevant"])))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise SearchError(f"{path}:{line_number}: expected a JSON object with id, query_en, query_zh "
                                  f"and relevant ({exc})") from None
    return concepts


def title_documents(path: Path) -> Iterable[Document]:
    """The documents of a CSV with ``publication_number`` and ``title`` columns (``eval/cn_ipc_dev.csv``):
    each a CN publication with its Chinese title only. Other columns (the labels) are not read."""
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            number = PublicationNumber.parse(row["publication_number"].strip())
            yield Document(number=number,
                           right_type=RightType.UTILITY_MODEL if number.kind == "U" else RightType.INVENTION,
                           texts=[LocalizedText(TextField.TITLE, "zh", row["title"].strip())],
                           source_format="concept-corpus")


def import_title_corpus(register: SqlRegister, path: Path, batch_size: int = 1000) -> int:
    """Save the titles of ``path`` as documents (:func:`title_documents`) into ``register``; returns how many."""
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    batch: list[tuple[Document, str | None]] = []
    saved = 0
    for doc in title_documents(path):
        batch.append((doc, str(path)))
        if len(batch) >= batch_size:
            saved += len(batch)
            register.save_documents(batch)
            batch = []
    if batch:
        saved += len(batch)
        register.save_documents(batch)
    return saved


def cross_fit_groups(corpus: Path, training: Sequence[Path], folds: int = 5) -> dict[str, str] | None:
    """Fold groups for cross-fitting when the corpus's documents are among the labelled training texts (else
    None: nothing to keep apart beyond each document's own label). A document's fold is a hash of its
    normalised title, so copies of one title (an invention and its utility model) fall in one fold."""
    corpus_numbers = {d.number.compact for d in title_documents(corpus)}
    overlap = False
    groups: dict[str, str] = {}
    for path in [corpus, *training]:
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                number = row["publication_number"].strip()
                overlap = overlap or (path in training and number in corpus_numbers)
                title = "".join(row["title"].split())
                groups[number] = f"fold {zlib.crc32(title.encode()) % folds}"
    return groups if overlap else None


def ndcg_at(ranked: Sequence[str], relevant: frozenset[str], depth: int = DEPTH) -> float:
    """Binary-relevance nDCG@depth of one ranked list of numbers (compared as given)."""
    if not relevant:
        return 0.0
    dcg = sum(1 / math.log2(rank + 1) for rank, n in enumerate(ranked[:depth], start=1) if n in relevant)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(depth, len(relevant)) + 1))
    return dcg / ideal


def run_concept_eval(service: SearchService, path: Path, *, modes: Sequence[str] = ("bm25", "semantic", "hybrid"),
                     languages: Sequence[str] = LANGUAGES,
                     progress: Callable[[str], None] = lambda msg: None) -> dict[str, Any]:
    """nDCG@10 of every (mode, language) for the concepts of ``path``, each with its ratio to Chinese-query
    BM25 (always run) and the p50 latency per query in ms. A mode the service cannot run gives a row with
    its ``error``."""
    concepts = load_concepts(path)
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise SearchError(f"lang: unknown {unknown}; valid: {', '.join(LANGUAGES)}")
    runs = [(m, lang) for m in modes for lang in languages]
    if BASELINE not in runs:
        runs.insert(0, BASELINE)
    rows = [_evaluate(service, concepts, mode, lang, progress) for mode, lang in runs]
    base = next(r for r in rows if (r["mode"], r["lang"]) == BASELINE)
    for row in rows:
        if "ndcg@10" in row and base.get("ndcg@10"):
            row["ratio"] = round(row["ndcg@10"] / base["ndcg@10"], 3)
    return {"concepts": len(concepts), "depth": DEPTH, "baseline": "bm25 zh", "rows": rows}


def _evaluate(service: SearchService, concepts: Sequence[Concept], mode: str, lang: str,
              progress: Callable[[str], None]) -> dict[str, Any]:
    scores, latencies = [], []
    try:
        for concept in concepts:
            started = time.perf_counter()
            hits = service.search(SearchRequest(concept.query(lang), mode=mode, limit=DEPTH, syntax="text")).hits
            latencies.append(time.perf_counter() - started)
            scores.append(ndcg_at([h.number for h in hits], concept.relevant))
    except SearchError as exc:
        progress(f"{mode} {lang}: not evaluated: {exc}")
        return {"mode": mode, "lang": lang, "error": str(exc)}
    row = {"mode": mode, "lang": lang, "ndcg@10": round(statistics.fmean(scores), 4),
           "p50_ms": round(statistics.median(latencies) * 1000, 2)}
    progress(f"{mode} {lang}: {row}")
    return row
