"""Use case: keep the search indexes in step with the register.

The import service calls every listener of :func:`index_listeners` after each saved batch with the
compact numbers of the documents added or updated, so the keyword index is never silently out of date;
``ipoffice index rebuild`` rebuilds it from the register. Other indexes (dense vectors) append their
listener to the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ipoffice.adapters.register import SqlRegister
from ipoffice.adapters.search_index import IndexMissing, IndexOutdated, KeywordIndex
from ipoffice.config import Settings
from ipoffice.domain.document import Document

DocumentsChanged = Callable[[list[str]], None]


def keyword_index_path(settings: Settings) -> Path:
    return settings.var_dir / "search-index"


def open_keyword_index(settings: Settings | None = None) -> KeywordIndex:
    """The keyword index of ``settings``; raises IndexMissing (a SearchError) when it was never built."""
    settings = settings or Settings.from_env()
    return KeywordIndex(keyword_index_path(settings))


def rebuild_keyword_index(register: SqlRegister, path: Path,
                          progress: Callable[[int], None] | None = None) -> KeywordIndex:
    """A fresh index of every document of the register (the old one is replaced)."""
    index = KeywordIndex.recreate(path)
    index.add_new(register.iter_documents(), progress)
    index.close()
    return index


def staleness(index: KeywordIndex, register: SqlRegister) -> str | None:
    """Why the index does not reflect the register, or None when the document counts agree."""
    indexed, registered = index.info().documents, register.count_documents()
    if indexed == registered:
        return None
    return (f"the search index has {indexed:,} documents, the register {registered:,}: "
            "run `ipoffice index rebuild`")


class KeywordIndexUpdater:
    """Listener: re-reads changed documents from the register and replaces them in the keyword index.

    If there is no index yet, the first call builds it from the whole register (which then already holds
    the batch), so an index created mid-import is complete.
    """

    def __init__(self, settings: Settings, register: SqlRegister | None = None) -> None:
        self.settings = settings
        self._register = register
        self._index: KeywordIndex | None = None

    @property
    def register(self) -> SqlRegister:
        if self._register is None:
            from ipoffice.bootstrap import open_register

            self._register = open_register(self.settings)
        return self._register

    def __call__(self, numbers: list[str]) -> None:
        if self._index is None:
            try:
                self._index = KeywordIndex(keyword_index_path(self.settings))
            except (IndexMissing, IndexOutdated):
                self._index = rebuild_keyword_index(self.register, keyword_index_path(self.settings))
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


def index_listeners(settings: Settings | None = None) -> list[DocumentsChanged]:
    """Everyone who must hear of added or updated documents (see the module docstring)."""
    settings = settings or Settings.from_env()
    from ipoffice.services import semantic

    listeners: list[DocumentsChanged] = [KeywordIndexUpdater(settings)]

    def update_vectors(numbers: list[str]) -> None:
        semantic.update(numbers, settings)

    listeners.append(update_vectors)
    return listeners
