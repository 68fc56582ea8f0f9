"""Search speed at scale (``make bench-search``): index build rate, size, RSS, and query latency.

The corpus: ``--docs`` (default 1,000,000) synthetic documents made by recombining sentences of the real
documents of ``$IPOFFICE_SHARED/data``: a real title, abstract/claim/description sentences drawn from the
real pools, and the metadata (classifications, applicants, dates, language) of a random real document.
So the vocabulary and its frequencies are real; the documents are not. Chinese documents (1 in 120, as
in the shared data) are recombined from the Chinese sentences.

Vectors: embedding a million texts on two cores is not feasible (~2 h), so the vectors of the synthetic
documents are derived from the real documents' embeddings (normalised weighted sums of random pairs,
``ipoffice.adapters.vector_index.derived_vectors``); query vectors are real embeddings of real titles.

Each latency is measured through our stack (``SearchService``: parse, translate, search, stored titles)
and, in the same run, for the raw engine called directly with the same prepared query (tantivy
``searcher.search`` + stored fields of the hits) — the baseline of the goal — and for the raw engine given the
equivalent query string in tantivy's own query language (``index.parse_query`` + the same), which is what a
direct tantivy user pays; for vectors, an exact numpy scan is the baseline.
Results: ``bench/results/search.json`` and the table in ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import tantivy
from _report import shared_dir, write_section  # bench/ is the script's folder, first on sys.path

from ipoffice.adapters.query_to_tantivy import (
    DATE_INDEX_FIELDS,
    DEFAULT_TEXT_FIELDS,
    KEYWORD_INDEX_FIELDS,
    QUERY_FIELD_TARGETS,
)
from ipoffice.adapters.search_index import KeywordIndex, index_document
from ipoffice.bootstrap import open_register
from ipoffice.config import Settings
from ipoffice.domain.document import Claim, Document, LocalizedText, TextField
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.query import And, DateRange, Node, Or, Phrase, Term, parse_query
from ipoffice.domain.search import SearchHit, SearchRequest
from ipoffice.domain.text import has_cjk
from ipoffice.services.importing import Importer, expand_paths
from ipoffice.services.search import SearchService

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "search.json"
DOCUMENT_FOLDERS = ("us_xml", "ep_xml", "us_abstracts", "us_prosecution", "cn")
QUERIES = 200
EMBEDDED_SAMPLE = 3000
WARMUP = 20


def log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the real material ---------------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.;:。；])\s*")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 20]


@dataclass
class Pools:
    documents: list[Document]
    titles: dict[bool, list[str]]  # keyed by "is Chinese"
    abstract: dict[bool, list[str]]
    claims: list[str]
    description: list[str]


def real_documents(shared: Path, work: Path) -> list[Document]:
    settings = Settings(database_url=f"sqlite:///{work}/real.db", shared_dir=shared, var_dir=work)
    register = open_register(settings)
    Importer(register, batch_size=500).run(expand_paths([shared / "data" / f for f in DOCUMENT_FOLDERS]))
    return [d for d in register.iter_documents() if d.title]


def pools(documents: list[Document]) -> Pools:
    p = Pools(documents, {False: [], True: []}, {False: [], True: []}, [], [])
    for doc in documents:
        zh = any(has_cjk(t.text) for t in doc.texts)
        if doc.title:
            p.titles[zh].append(doc.title)
        p.abstract[zh] += sentences(doc.text(TextField.ABSTRACT) or "")
        if not zh:
            p.description += sentences(doc.text(TextField.DESCRIPTION) or "")[:200]
            p.claims += [c.text for c in doc.claims[:5] if len(c.text) < 1500]
    return p


def synthetic(i: int, p: Pools, rng: random.Random) -> Document:
    base = rng.choice(p.documents)
    zh = base.number.country == "CN"
    lang = "zh" if zh else "en"
    texts = [LocalizedText(TextField.TITLE, lang, rng.choice(p.titles[zh])),
             LocalizedText(TextField.ABSTRACT, lang, " ".join(rng.choices(p.abstract[zh], k=3)))]
    claims = []
    if not zh:
        texts.append(LocalizedText(TextField.DESCRIPTION, "en", " ".join(rng.choices(p.description, k=6))))
        claims = [Claim(n, rng.choice(p.claims)) for n in (1, 2)]
    return Document(
        number=PublicationNumber(base.number.country, str(20_000_000 + i), base.number.kind),
        right_type=base.right_type, publication_date=base.publication_date or date(2010, 1, 1),
        application_date=base.application_date, texts=texts, claims=claims,
        classifications=base.classifications, parties=base.parties,
    )


# --- building --------------------------------------------------------------------------------------

def build_index(path: Path, n: int, p: Pools, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    index = KeywordIndex.recreate(path)
    writer = index.writer()
    started = time.perf_counter()
    for i in range(n):
        writer.add_document(index_document(synthetic(i, p, rng)))
        if i and i % 100_000 == 0:
            log(f"  {i:,} documents, {i / (time.perf_counter() - started):,.0f}/s, RSS {rss_mb():,.0f} MB")
    index.close()
    seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return {"documents": n, "seconds": round(seconds, 1), "docs_per_second": round(n / seconds),
            "index_mb": round(size / 1e6, 1), "peak_rss_mb_after_build": round(peak_rss_mb())}


# --- queries ---------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z]{4,}")


def query_sets(p: Pools, rng: random.Random) -> dict[str, list[str]]:
    en_docs = [d for d in p.documents if d.number.country != "CN" and d.text(TextField.ABSTRACT)]
    title_words = [w.lower() for t in p.titles[False] for w in _WORD.findall(t)]
    sets: dict[str, list[str]] = {"single term": [rng.choice(title_words) for _ in range(QUERIES)]}
    and3, phrases, filtered, plain = [], [], [], []
    while len(and3) < QUERIES:
        words = _WORD.findall(rng.choice(en_docs).text(TextField.ABSTRACT) or "")
        if len(words) >= 3:
            and3.append(" AND ".join(rng.sample(words, 3)))
    while len(phrases) < QUERIES:
        words = _WORD.findall(rng.choice(p.titles[False]))
        if len(words) >= 2:
            k = rng.randrange(len(words) - 1)
            phrases.append(f'"{words[k]} {words[k + 1]}"')
    classified = [d for d in en_docs if d.classifications and d.publication_date]
    while len(filtered) < QUERIES:
        doc = rng.choice(classified)
        words = _WORD.findall(doc.title or "")
        if words:
            ipc_class = doc.classifications[0].symbol[:3]  # e.g. H04: synthetic documents mix topics and classes
            year = doc.publication_date.year - rng.randrange(0, 10) if doc.publication_date else 2005
            filtered.append(f"ti={rng.choice(words)} AND ic={ipc_class} AND pd>={year}")
    while len(plain) < QUERIES:
        plain.append(rng.choice(p.titles[False]))
    sets.update({"3-term AND": and3, "phrase": phrases, "field + classification + date": filtered,
                 "plain text (title as query)": plain})
    return sets


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    # 3 decimals (1 µs): sub-millisecond rows would otherwise show ratios of rounded figures.
    return {"p50_ms": round(statistics.median(ms), 3), "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 3)}


def timed(run: Callable[[Any], Any], inputs: Sequence[Any]) -> dict[str, float]:
    for x in inputs[:WARMUP]:
        run(x)
    samples = []
    for x in inputs:
        t = time.perf_counter()
        run(x)
        samples.append(time.perf_counter() - t)
    return percentiles(samples)


def timed_interleaved(sides: Sequence[tuple[Callable[[Any], Any], Sequence[Any]]]) -> list[dict[str, float]]:
    """Every side (a run and its inputs, one per query) on the same queries, interleaved, the side that goes
    first rotating from query to query, so none profits from caches another warmed."""
    for i in range(WARMUP):
        for run, inputs in sides:
            run(inputs[i])
    samples: list[list[float]] = [[] for _ in sides]
    for i in range(len(sides[0][1])):
        for k in range(len(sides)):
            side = (i + k) % len(sides)
            run, inputs = sides[side]
            t = time.perf_counter()
            run(inputs[i])
            samples[side].append(time.perf_counter() - t)
    return [percentiles(s) for s in samples]


def tantivy_syntax(node: Node) -> str:
    """The same query in tantivy's own query language (for the query-parser baseline), for the shapes this
    benchmark uses: words and phrases in text fields (each with its Chinese twin field), keywords, dates, AND/OR.
    Keywords score by BM25 there, constant in ours: the same documents match."""
    if isinstance(node, Term | Phrase):
        if node.field in KEYWORD_INDEX_FIELDS:
            return f"{KEYWORD_INDEX_FIELDS[node.field]}:{node.text}"
        value = node.text
        if isinstance(node, Phrase):
            value = f'"{node.text}"' + (f"~{node.slop}" if node.slop else "")
        targets = DEFAULT_TEXT_FIELDS if node.field is None else QUERY_FIELD_TARGETS[node.field]
        return "(" + " OR ".join(f"{f}:{value}" for t in targets for f in (t, t + "_zh")) + ")"
    if isinstance(node, DateRange):
        start = f"{node.start.isoformat()}T00:00:00Z" if node.start else "*"
        end = f"{node.end.isoformat()}T00:00:00Z" if node.end else "*"
        return f"{DATE_INDEX_FIELDS[node.field]}:[{start} TO {end}]"
    if isinstance(node, And | Or):
        return "(" + (" AND " if isinstance(node, And) else " OR ").join(tantivy_syntax(i) for i in node.items) + ")"
    raise ValueError(f"no tantivy query-language form for {node!r} in this benchmark")


def keyword_latencies(index: KeywordIndex, service: SearchService, sets: dict[str, list[str]]) -> list[dict[str, Any]]:
    rows = []
    searcher = index.index.searcher()

    def raw(query: tantivy.Query) -> list[str]:
        found = searcher.search(query, limit=10, count=True)
        return [searcher.doc(a)["number"][0] for _, a in found.hits]

    def raw_parsed(query: str) -> list[str]:
        return raw(index.index.parse_query(query))

    for name, queries in sets.items():
        # Plain text has no tantivy query string that does the same (we drop stop words, weigh repeated words).
        syntax = "text" if name.startswith("plain") else "query"
        requests = [SearchRequest(q, limit=10, syntax=syntax) for q in queries]
        prepared = [index.to_query(r) for r in requests]
        sides: list[tuple[Callable[[Any], Any], Sequence[Any]]] = [(service.search, requests), (raw, prepared)]
        if syntax == "query":
            strings = [tantivy_syntax(parse_query(q)) for q in queries]
            _check_same_matches(searcher, prepared[:50], [index.index.parse_query(s) for s in strings[:50]], name)
            sides.append((raw_parsed, strings))
        ours, engine, *parsed = timed_interleaved(sides)
        hits = statistics.median(service.search(r).total for r in requests[:50])
        rows.append({"query": name, "example": queries[0], "median_matches": hits, "ours": ours, "raw_tantivy": engine,
                     "raw_tantivy_query_parser": parsed[0] if parsed else None,
                     "ratio_p50": round(ours["p50_ms"] / max(engine["p50_ms"], 1e-6), 2),
                     "parse_translate_p50_us": _p50_us(index.to_query, requests)})
        log(f"  {name}: ours {ours}, raw {engine}, raw with tantivy's query parser {parsed[0] if parsed else '-'}")
    return rows


def _p50_us(run: Callable[[Any], Any], inputs: Sequence[Any]) -> float:
    """Median microseconds of ``run`` alone (the query's parsing and translation: finer than ``timed``'s 10 µs)."""
    samples = []
    for x in [*inputs[:WARMUP], *inputs]:
        t = time.perf_counter()
        run(x)
        samples.append(time.perf_counter() - t)
    return round(statistics.median(samples[WARMUP:]) * 1e6, 1)


def _check_same_matches(searcher: Any, ours: Sequence[tantivy.Query], parsed: Sequence[tantivy.Query],
                        name: str) -> None:
    """The query-parser baseline must do the same work: the same number of matches for every query."""
    for a, b in zip(ours, parsed, strict=True):
        count_a, count_b = searcher.search(a, limit=1, count=True).count, searcher.search(b, limit=1, count=True).count
        if count_a != count_b:
            raise AssertionError(f"{name}: tantivy's query string matches {count_b} documents, ours {count_a}: {b}")


# --- vectors ---------------------------------------------------------------------------------------

class BenchDense:
    """A DenseRetriever over the derived vectors (same VectorIndex as ipoffice.services.semantic)."""

    def __init__(self, vectors: np.ndarray, numbers: list[str], embed: Callable[[str], np.ndarray]) -> None:
        from ipoffice.adapters.vector_index import VectorIndex

        self.index = VectorIndex.build(vectors)
        self.numbers = numbers
        self.embed = embed

    def search_vector(self, vector: np.ndarray, limit: int) -> list[SearchHit]:
        found = self.index.search(vector, limit)
        return [SearchHit(self.numbers[r], float(s)) for r, s in zip(found.rows.tolist(), found.scores.tolist(),
                                                                    strict=True)]

    def search_text(self, text: str, limit: int, before: date | None) -> list[SearchHit]:
        return self.search_vector(self.embed(text), limit)


def vector_part(p: Pools, n: int, index: KeywordIndex, sets: dict[str, list[str]], seed: int) -> dict[str, Any]:
    from ipoffice.adapters.embeddings import default_embedder
    from ipoffice.adapters.vector_index import derived_vectors

    embedder = default_embedder()
    # A sample is enough to span the topics; embedding all ~7,000 would take minutes on two cores.
    sample = random.Random(seed).sample(p.documents, min(EMBEDDED_SAMPLE, len(p.documents)))
    texts = [f"{d.title}\n{d.text(TextField.ABSTRACT) or ''}" for d in sample]
    started = time.perf_counter()
    base = embedder.encode(texts)
    embed_seconds = time.perf_counter() - started
    log(f"  embedded {len(texts):,} real documents in {embed_seconds:.0f} s")
    vectors = derived_vectors(base, n, seed=seed)
    # The keyword index numbers the synthetic documents 20,000,000 + i; rows follow i.
    numbers = _synthetic_numbers(index, n)
    started = time.perf_counter()
    dense = BenchDense(vectors, numbers, lambda text: embedder.encode([text])[0])
    build_seconds = time.perf_counter() - started
    log(f"  vector index over {n:,} vectors built in {build_seconds:.0f} s, RSS {rss_mb():,.0f} MB")
    queries = sets["plain text (title as query)"]
    query_vectors = embedder.encode(queries)

    def exact(vector: np.ndarray) -> np.ndarray:
        scores = vectors @ vector
        top = np.argpartition(-scores, 100)[:100]
        return top[np.argsort(-scores[top])]

    semantic_raw = timed(lambda v: dense.index.search(v, 100), list(query_vectors))
    semantic_hits = timed(lambda v: dense.search_vector(v, 100), list(query_vectors))
    baseline = timed(exact, list(query_vectors[:60]))
    embed_one = timed(lambda t: embedder.encode([t]), queries[:60])
    service = SearchService(index, dense)
    semantic_service = timed(service.search, [SearchRequest(q, mode="semantic", limit=100, syntax="text")
                                              for q in queries])
    hybrid = timed(service.search, [SearchRequest(q, mode="hybrid", limit=10, syntax="text") for q in queries])
    keyword_part = timed(service.search, [SearchRequest(q, limit=20, syntax="text") for q in queries])
    recall = _ivf_recall(dense, vectors, query_vectors[:50])
    return {"real_documents_embedded": len(texts), "embed_seconds": round(embed_seconds, 1),
            "vector_index_build_seconds": round(build_seconds, 1), "dim": int(vectors.shape[1]),
            "semantic_top100_index": semantic_raw, "semantic_top100_with_hits": semantic_hits,
            "semantic_top100_exact_numpy_baseline": baseline, "query_embedding": embed_one,
            "semantic_top100_service_incl_embedding": semantic_service, "hybrid_top10_service": hybrid,
            "bm25_top20_plain_text_service": keyword_part, "ivf_recall_at_100_vs_exact": recall,
            "rss_mb": round(rss_mb())}


def _ivf_recall(dense: BenchDense, vectors: np.ndarray, queries: np.ndarray) -> float:
    found = 0
    for v in queries:
        scores = vectors @ v
        exact = set(np.argpartition(-scores, 100)[:100].tolist())
        found += len(exact & set(dense.index.search(v, 100).rows.tolist()))
    return round(found / (100 * len(queries)), 3)


def _synthetic_numbers(index: KeywordIndex, n: int) -> list[str]:
    """Row i's number: read back from the index (kind codes vary with the base document)."""
    searcher = index.index.searcher()
    numbers: list[str | None] = [None] * n
    found = searcher.search(tantivy.Query.all_query(), limit=n, count=False)
    for _, address in found.hits:
        number = searcher.doc(address)["number"][0]
        numbers[int(re.sub(r"\D", "", number[2:])[:8]) - 20_000_000] = number
    return [x or "" for x in numbers]


# --- report ----------------------------------------------------------------------------------------

def table(report: dict[str, Any]) -> str:
    b = report["build"]
    lines = [
        f"Build: {b['documents']:,} documents in {b['seconds']:,} s = **{b['docs_per_second']:,} docs/s**; "
        f"index **{b['index_mb']:,} MB**; peak RSS after build {b['peak_rss_mb_after_build']:,} MB; "
        f"RSS while querying {report['rss_mb_querying']:,} MB"
        + (f" (keyword index), {report['vectors']['rss_mb']:,} MB with the 1M × {report['vectors']['dim']} vectors "
           f"and their IVF index loaded (vector index built in {report['vectors']['vector_index_build_seconds']} s)."
           if report.get("vectors") else "."),
        "",
        "| query (top 10 unless noted) | example | median matches | ours p50 / p95 ms | raw engine p50 / p95 ms | "
        "ours / raw | raw engine + its query parser p50 / p95 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in report["keyword"]:
        parsed = r.get("raw_tantivy_query_parser")
        lines.append(f"| {r['query']} | `{r['example'][:50]}` | {r['median_matches']:,} | "
                     f"{r['ours']['p50_ms']} / {r['ours']['p95_ms']} | "
                     f"{r['raw_tantivy']['p50_ms']} / {r['raw_tantivy']['p95_ms']} | {r['ratio_p50']}× | "
                     + (f"{parsed['p50_ms']} / {parsed['p95_ms']} |" if parsed else "no equivalent query string |"))
    v = report.get("vectors")
    if v:
        def cell(key: str) -> str:
            return f"{v[key]['p50_ms']} / {v[key]['p95_ms']}"

        lines += [
            f"| semantic top-100 (IVF, vector given) | | | {cell('semantic_top100_with_hits')} | "
            f"exact numpy scan: {cell('semantic_top100_exact_numpy_baseline')} | "
            f"recall@100 vs exact {v['ivf_recall_at_100_vs_exact']} | |",
            f"| semantic top-100 through the service (incl. query embedding) | | | "
            f"{cell('semantic_top100_service_incl_embedding')} | query embedding alone: {cell('query_embedding')} "
            "| | |",
            f"| hybrid top-10 (BM25 top-20 + semantic top-20, RRF; incl. embedding) | | | "
            f"{cell('hybrid_top10_service')} | BM25 top-20 alone: {cell('bm25_top20_plain_text_service')} | | |",
        ]
    else:
        lines.append("| semantic / hybrid | | | not run (`--no-vectors`) | | | |")
    return "\n".join(lines)


def verdict(report: dict[str, Any]) -> str:
    keyword = report["keyword"]
    slowest = max(keyword, key=lambda r: r["ours"]["p50_ms"])
    over = [r for r in keyword if r["ratio_p50"] > 1.2]
    lines = [f"- BM25 p50 < 20 ms: {'met' if slowest['ours']['p50_ms'] < 20 else 'NOT met'} "
             f"(slowest: {slowest['query']}, {slowest['ours']['p50_ms']} ms)."]
    if over:
        lines.append("- ≤ 1.2× the raw engine: met except " + "; ".join(
            f"{r['query']} ({r['ratio_p50']}×: {r['ours']['p50_ms']} vs {r['raw_tantivy']['p50_ms']} ms; parsing and "
            f"translating the query in Python alone takes {r.get('parse_translate_p50_us', '?')} µs p50)"
            for r in over) + ".")
    else:
        lines.append("- ≤ 1.2× the raw engine: met for every query type.")
    parsed = [r for r in keyword if r.get("raw_tantivy_query_parser")]
    if parsed:
        lines.append("- Against the raw engine given the same query as a string in tantivy's own query language "
                     "(what a direct tantivy user pays), ours / that at p50: " + ", ".join(
                         f"{r['query']} {r['ours']['p50_ms'] / max(r['raw_tantivy_query_parser']['p50_ms'], 1e-6):.2f}×"
                         for r in parsed) + ".")
    v = report.get("vectors")
    if v:
        p50 = v["semantic_top100_with_hits"]["p50_ms"]
        lines.append(f"- semantic top-100 p50 < 30 ms: {'met' if p50 < 30 else 'NOT met'} ({p50} ms given the "
                     f"query vector; embedding the query text adds {v['query_embedding']['p50_ms']} ms p50).")
    return "\n".join(lines)


def write_readme(report: dict[str, Any]) -> None:
    reused = (" The build figures are those of the run that built the index; the latencies were measured "
              "again on it (`--keep DIR --reuse`)." if report.get("index_reused") else "")
    section = f"""\
## Search speed (`make bench-search`)

`{report['command']}` on {report['machine']} (shared with other work running at the same time: latencies
vary between runs, several-fold under load),
{report['date']}. Results: `bench/results/search.json`.{reused}

Corpus: {report['build']['documents']:,} **synthetic** documents recombined from sentences of the real
shared documents (real titles; abstract, claim and description sentences drawn from the real pools; metadata
of a random real document), so the vocabulary is real but the documents are not. Vectors: derived from real
embeddings of {report.get('vectors', {}).get('real_documents_embedded', 'real')} shared documents
(normalised weighted sums of random pairs), because embedding a million texts on 2 cores is not feasible;
query vectors are real embeddings of real titles. "ours" = `SearchService.search` (parse, translate,
search, stored titles); "raw engine" = tantivy `searcher.search` with the same prepared query plus the stored
numbers of the hits; "raw engine + its query parser" = the same, given the equivalent query string in tantivy's
own query language (`index.parse_query`; checked to match the same documents), what a direct tantivy user pays.
All in the same run, each query's sides interleaved in rotating order; {QUERIES} queries per row after {WARMUP}
warm-up queries. The goal's baseline is the prepared query.

{table(report)}

Goals: BM25 p50 < 20 ms at 1M documents and ≤ 1.2× the raw engine; semantic top-100 p50 < 30 ms.
{verdict(report)}
"""
    write_section("bench-search", section)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-vectors", action="store_true", help="Skip the semantic and hybrid rows.")
    parser.add_argument("--keep", type=Path, help="Build the index here and keep it (default: a temp dir).")
    parser.add_argument("--no-readme", action="store_true", help="Do not update bench/README.md.")
    parser.add_argument("--reuse", action="store_true", help="With --keep: reuse the index built there before.")
    args = parser.parse_args()
    shared = shared_dir()
    if not (shared / "data").is_dir():
        print(f"no shared data at {shared} (set IPOFFICE_SHARED)", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="ipoffice-bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        log("importing the real documents")
        material = pools(real_documents(shared, work))
        built = work / "build.json"
        reused = bool(args.reuse and built.exists())
        if reused:
            build = json.loads(built.read_text())
            log(f"reusing the index built earlier in {work}: {build}")
        else:
            log(f"building the index of {args.docs:,} synthetic documents")
            build = build_index(work / "index", args.docs, material, args.seed)
            built.write_text(json.dumps(build))
            log(f"  {build}")
        index = KeywordIndex(work / "index")
        sets = query_sets(material, random.Random(args.seed))
        log("keyword latencies")
        keyword = keyword_latencies(index, SearchService(index), sets)
        report: dict[str, Any] = {"build": build, "keyword": keyword, "index_reused": reused}
        if not args.no_vectors:
            log("vectors")
            report["vectors"] = vector_part(material, args.docs, index, sets, args.seed)
        report["rss_mb_querying"] = round(rss_mb())
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    command = ("make bench-search" if args.docs == 1_000_000
               else f".venv/bin/python bench/bench_search.py --docs {args.docs}")
    report.update({"command": command, "date": datetime.now(UTC).isoformat(timespec="seconds"),
                   "machine": f"{platform.machine()}, {os.cpu_count()} cores", "tantivy": tantivy.__version__})
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    if not args.no_readme:
        write_readme(report)
    print(table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
