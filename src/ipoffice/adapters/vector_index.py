"""Nearest-neighbour search over L2-normalised vectors (inner product = cosine), persisted as files.

Small collections (the register today: thousands of documents) are searched exactly with one matrix
product. From ``ANN_THRESHOLD`` vectors on, a FAISS inverted-file index (IVF, flat vectors) answers in a
few milliseconds by scanning only the ``nprobe`` clusters nearest to the query. A filter (the prior-art
date cut-off) is a boolean mask over rows: a narrow mask is searched exactly over the rows it allows,
a wide one through FAISS with an ID selector.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ANN_THRESHOLD = 50_000
# Below this share of allowed rows an exact scan of just those rows beats a filtered IVF probe
# (and never misses a neighbour that the clusters probed would not reach).
EXACT_FILTER_SHARE = 0.2
DEFAULT_NPROBE = 64


@dataclass(frozen=True)
class Neighbours:
    rows: np.ndarray  # int64 row numbers, best first
    scores: np.ndarray  # float32 cosine similarities


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, scores.shape[0])
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


class VectorIndex:
    """Row-numbered vectors with exact or IVF search. Rows are the caller's ids (0..n-1)."""

    def __init__(self, vectors: np.ndarray, ann: Any | None = None, nprobe: int = DEFAULT_NPROBE) -> None:
        if vectors.ndim != 2:
            raise ValueError(f"vectors: expected a 2-D array, got shape {vectors.shape}")
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.ann = ann
        self.nprobe = nprobe

    @property
    def size(self) -> int:
        return int(self.vectors.shape[0])

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    # --- building ------------------------------------------------------------------------------

    @classmethod
    def build(cls, vectors: np.ndarray, *, ann_threshold: int = ANN_THRESHOLD,
              nprobe: int = DEFAULT_NPROBE, threads: int | None = None) -> VectorIndex:
        """An index over ``vectors`` (n × d, L2-normalised); IVF from ``ann_threshold`` rows on."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape[0] < ann_threshold:
            return cls(vectors, None, nprobe)
        import faiss

        if threads:
            faiss.omp_set_num_threads(threads)
        n, d = vectors.shape
        # ~sqrt(n) lists (1,000 at 1M): a probe of 64 lists scans ~64,000 vectors (a few ms), and
        # assigning a million vectors to their lists stays well under a minute on two cores.
        nlist = max(16, int(math.sqrt(n)))
        quantizer = faiss.IndexFlatIP(d)
        ivf = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
        sample = vectors[np.random.default_rng(0).choice(n, size=min(n, nlist * 40), replace=False)]
        ivf.train(sample)
        ivf.add(vectors)
        ivf.nprobe = nprobe
        return cls(vectors, ivf, nprobe)

    # --- searching -----------------------------------------------------------------------------

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> Neighbours:
        """The ``k`` rows nearest to ``query`` (d,), only among rows where ``allowed`` is True if given."""
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(-1)
        if q.shape[0] != self.dim:
            raise ValueError(f"query: expected {self.dim} dimensions, got {q.shape[0]}")
        if allowed is not None:
            allowed_rows = np.flatnonzero(allowed)
            if self.ann is None or allowed_rows.size < EXACT_FILTER_SHARE * self.size:
                scores = self.vectors[allowed_rows] @ q
                top = _top_k(scores, k)
                return Neighbours(allowed_rows[top].astype(np.int64), scores[top])
            return self._ann_search(q, k, allowed)
        if self.ann is None:
            scores = self.vectors @ q
            top = _top_k(scores, k)
            return Neighbours(top.astype(np.int64), scores[top])
        return self._ann_search(q, k, None)

    def _ann_search(self, q: np.ndarray, k: int, allowed: np.ndarray | None) -> Neighbours:
        import faiss

        params = faiss.SearchParametersIVF()
        params.nprobe = self.nprobe
        if allowed is not None:
            bitmap = np.packbits(allowed.astype(np.uint8), bitorder="little")
            params.sel = faiss.IDSelectorBitmap(self.size, faiss.swig_ptr(bitmap))
            params.nprobe = self.nprobe * 2  # the filter empties part of each list probed
        ann: Any = self.ann
        scores, rows = ann.search(q.reshape(1, -1), min(k, self.size), params=params)
        keep = rows[0] >= 0
        return Neighbours(rows[0][keep].astype(np.int64), scores[0][keep].astype(np.float32))

    # --- persistence ---------------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "vectors.npy", self.vectors)
        ann_file = directory / "ivf.faiss"
        if self.ann is not None:
            import faiss

            faiss.write_index(self.ann, str(ann_file))
        elif ann_file.exists():
            ann_file.unlink()
        (directory / "index.json").write_text(json.dumps({"nprobe": self.nprobe, "size": self.size}))

    @classmethod
    def load(cls, directory: Path) -> VectorIndex:
        vectors = np.load(directory / "vectors.npy", mmap_mode=None)
        meta = json.loads((directory / "index.json").read_text())
        ann: Any = None
        ann_file = directory / "ivf.faiss"
        if ann_file.exists():
            import faiss

            ann = faiss.read_index(str(ann_file))
            faiss.extract_index_ivf(ann).nprobe = meta["nprobe"]
        return cls(vectors, ann, meta["nprobe"])


def derived_vectors(base: np.ndarray, n: int, seed: int = 0, chunk: int = 100_000) -> np.ndarray:
    """``n`` synthetic vectors for benchmarks: normalised sums of random pairs of real ``base`` vectors.

    They keep the real vectors' distribution (topics, anisotropy) at any scale, unlike random noise.
    """
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        a = rng.integers(0, base.shape[0], stop - start)
        b = rng.integers(0, base.shape[0], stop - start)
        weight = rng.uniform(0.2, 0.8, stop - start).astype(np.float32)[:, None]
        mixed = weight * base[a] + (1 - weight) * base[b]
        mixed /= np.linalg.norm(mixed, axis=1, keepdims=True) + 1e-12
        out[start:stop] = mixed
    return out
