"""Use case: keep the keyword index in step with the register.

The import service calls its listeners (wired in ``ipoffice.bootstrap``: a :class:`KeywordIndexUpdater`
and the semantic store's update) after each saved batch with the compact numbers of the documents added or
updated, so the indexes are never silently out of date; ``ipoffice index rebuild`` rebuilds them from the
register.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ipoffice.adapters.register import SqlRegister
from ipoffice.adapters.search_index import IndexMissing, IndexOutdated, KeywordIndex
from ipoffice.domain.document import Document
from ipoffice.domain.search import KeywordEngine


def rebuild_keyword_index(register: SqlRegister, path: Path,
                          progress: Callable[[int], None] | None = None) -> KeywordIndex:
    """A fresh index of every document of the register (the old one is replaced)."""
    index = KeywordIndex.recreate(path)
    index.add_new(register.iter_documents(), progress)
    index.close()
    return index


def staleness(engine: KeywordEngine, register: SqlRegister) -> str | None:
    """Why the engine's index does not reflect the register, or None when the document counts agree."""
    indexed, registered = engine.document_count(), register.count_documents()
    if indexed == registered:
        return None
    return (f"the search index has {indexed:,} documents, the register {registered:,}: "
            "run `ipoffice index rebuild`")


class KeywordIndexUpdater:
    """Listener: re-reads changed documents from the register and replaces them in the keyword index at
    ``path``.

    If there is no index yet, the first call builds it from the whole register (which then already holds
    the batch), so an index created mid-import is complete.
    """

    def __init__(self, path: Path, register: SqlRegister) -> None:
        self.path = path
        self.register = register
        self._index: KeywordIndex | None = None

    def __call__(self, numbers: list[str]) -> None:
        if self._index is None:
            try:
                self._index = KeywordIndex(self.path)
            except (IndexMissing, IndexOutdated):
                self._index = rebuild_keyword_index(self.register, self.path)
                return
        self._index.upsert(self._documents(numbers))

    def _documents(self, numbers: Iterable[str]) -> Iterable[Document]:
        for number in numbers:
            doc = self.register.get(number)
            if doc is not None:
                yield doc

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
