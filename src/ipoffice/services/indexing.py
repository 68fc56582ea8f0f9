"""Use case: keep the keyword index in step with the register — never trusted blindly.

The keyword index is derived data. It lives in generations (``adapters.derived_store``): a rebuild writes a
whole new index beside the current one and swaps the ``CURRENT`` pointer, so a reader (a running server)
always sees a whole index, and a rebuild killed half-way leaves the old one answering. Each generation's
watermark records the content hash of every document it holds, written after the index committed them;
:func:`catch_up_keyword_index` compares it with the register's numbers and hashes and re-indexes exactly the
documents missing or changed (and drops the ones removed) — what a killed import left behind.

The import service calls its listeners (wired in ``ipoffice.bootstrap``: a :class:`KeywordIndexUpdater`
and the semantic store's update) after each saved batch with the compact numbers of the documents added or
updated, and calls the catch-ups before it reads anything; ``ipoffice serve`` and ``ipoffice search`` catch
up too. Every writer holds the register's writer lock (``SqlRegister.writer_lock``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ipoffice.adapters.derived_store import Generations, Lag, Watermark, lag
from ipoffice.adapters.register import SqlRegister
from ipoffice.adapters.search_index import IndexMissing, IndexOutdated, KeywordIndex
from ipoffice.domain.document import Document
from ipoffice.domain.search import FACETS, FacetCount, SearchRequest, SearchResult


def keyword_generations(root: Path) -> Generations:
    """The generations of the keyword index under ``root`` (``<var>/search-index``); an index written in
    ``root`` itself by an older version counts as the current one (it has no watermark: rebuilt aside)."""
    return Generations(root, legacy_marker="meta.json")


def rebuild_keyword_index(register: SqlRegister, root: Path,
                          progress: Callable[[int], None] | None = None) -> KeywordIndex:
    """A new index of every document of the register, built beside the current one and then swapped in.

    The caller holds the register's writer lock (the CLI's ``index rebuild`` and the catch-up do)."""
    generations = keyword_generations(root)
    generation = generations.new()
    hashes = register.content_hashes()
    seen: list[str] = []

    def noting(documents: Iterable[Document]) -> Iterator[Document]:
        for doc in documents:
            seen.append(doc.number.compact)
            yield doc

    index = KeywordIndex(generation, create=True)
    index.add_new(noting(register.iter_documents()), progress)
    index.close()
    Watermark(generation).record({n: hashes[n] for n in seen if n in hashes})
    generations.publish(generation)
    return index


@dataclass(frozen=True)
class CatchUp:
    """What a catch-up did: nothing (``lag`` None and not rebuilt), a rebuild, or the documents it re-indexed."""

    rebuilt: bool = False
    lag: Lag | None = None
    reason: str = ""

    @property
    def did_something(self) -> bool:
        return self.rebuilt or (self.lag is not None and self.lag.behind)

    def __str__(self) -> str:
        if self.rebuilt:
            return f"rebuilt ({self.reason})"
        return f"caught up: {self.lag}" if self.lag is not None and self.lag.behind else "up to date"


def catch_up_keyword_index(register: SqlRegister, root: Path) -> CatchUp:
    """Bring the keyword index at ``root`` to the register's state; the caller holds the writer lock.

    No index, no watermark (an older version's index) or another schema version: rebuilt aside. Otherwise
    the numbers and hashes are compared (one query of the register's ``documents`` table) and only what
    differs is re-indexed.
    """
    current = keyword_generations(root).current()
    reason = "no index" if current is None else "no watermark" if not Watermark(current).exists else ""
    index = None
    if current is not None and not reason:
        try:
            index = KeywordIndex(current)
        except (IndexMissing, IndexOutdated) as exc:
            reason = str(exc)
    if index is None or current is None:
        rebuild_keyword_index(register, root).close()
        return CatchUp(rebuilt=True, reason=reason)
    hashes = register.content_hashes()
    behind = lag(hashes, Watermark(current).recorded())
    if behind.behind:
        if behind.removed:
            index.delete(behind.removed)
        index.upsert(register.documents_numbered(behind.to_index))
        index.close()
        Watermark(current).record({n: hashes[n] for n in behind.to_index}, forget=behind.removed)
    return CatchUp(lag=behind)


class KeywordIndexUpdater:
    """Import listener: re-reads changed documents from the register and replaces them in the current
    keyword index under ``root``, then notes their hashes in its watermark.

    If there is no index yet, the first call builds it from the whole register (which then already holds
    the batch), so an index created mid-import is complete.
    """

    def __init__(self, root: Path, register: SqlRegister) -> None:
        self.root = root
        self.register = register
        self._index: KeywordIndex | None = None
        self._watermark: Watermark | None = None

    def __call__(self, numbers: list[str]) -> None:
        if self._index is None or self._watermark is None:
            current = keyword_generations(self.root).current()
            try:
                if current is None or not Watermark(current).exists:
                    raise IndexMissing(self.root)
                self._index, self._watermark = KeywordIndex(current), Watermark(current)
            except (IndexMissing, IndexOutdated):
                catch_up_keyword_index(self.register, self.root)  # the register already holds this batch
                return
        hashes = self.register.content_hashes(numbers)  # before the documents: an older hash only re-indexes
        self._index.upsert(self.register.documents_numbered(numbers))
        self._watermark.record(hashes)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
        self._index = self._watermark = None


class CurrentKeywordIndex:
    """The keyword engine of a running office: the current generation, reopened when a rebuild swaps in a
    new one (a server's engine is opened once and lives for days). Implements ``domain.search.KeywordEngine``.
    """

    def __init__(self, root: Path) -> None:
        self.generations = keyword_generations(root)
        self.root = root
        self._opened: tuple[str, KeywordIndex] | None = None
        self.index  # noqa: B018 (raises IndexMissing now rather than at the first search)

    @property
    def index(self) -> KeywordIndex:
        pointer = self.generations.pointer()
        opened = self._opened
        if opened is not None and opened[0] == pointer:
            return opened[1]
        current = self.generations.current()
        if current is None or pointer is None:
            if opened is not None:
                return opened[1]  # the pointer is being replaced this instant: keep answering
            raise IndexMissing(self.root)
        index = KeywordIndex(current)
        self._opened = (pointer, index)
        return index

    def search(self, request: SearchRequest) -> SearchResult:
        return self.index.search(request)

    def facets(self, request: SearchRequest, facets: Sequence[str] = FACETS,
               limit: int = 10) -> dict[str, list[FacetCount]]:
        return self.index.facets(request, facets, limit)

    def document_count(self) -> int:
        return self.index.document_count()

    def numbers(self) -> set[str]:
        return self.index.numbers()
