"""Reading import files and saving their records: in the importing process, and in reader processes
forked beside it that share the work file by file and take turns to save (a lock).

Each reader reads a file (parse, map to Documents, check them and turn them into rows) and saves its
documents itself in transactions of about ``batch_size`` documents; reference data (IPC, Nice) goes in
larger ones. What a reader finds (problems, notes, counts) reaches the importing process through a pipe
of its own and is handed to a :class:`Receiver`, which puts the report together in file order.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol, cast

from sqlalchemy.exc import SQLAlchemyError

from ipoffice.adapters.importers import IMPORTERS
from ipoffice.adapters.importers.base import ImportNote, ImportProblem
from ipoffice.adapters.register import PreparedDocument, SaveCounts, SaveOrder, SqlRegister, prepare
from ipoffice.adapters.title_store import SqlTitleStore, TitleRecord
from ipoffice.domain.assignments import Assignment
from ipoffice.domain.document import Document
from ipoffice.domain.errors import DomainError, InvalidField
from ipoffice.domain.legal_status import LegalEventCode, RecordedEvents
from ipoffice.domain.reference import IpcEntry, NiceClass, NiceTerm

# Reading (parsing, mapping to Documents, turning them into rows) is about four fifths of an import and
# writing the rows one fifth. Reader processes each take the next file when free, read it and save its
# documents themselves, one transaction at a time (a lock shared by the readers): handing the rows over
# to one writing process cost more CPU than the writing itself (bench/README.md). They pay off only with
# cores to spare: on a machine busy with other work, extra processes made imports slower, hence
# ``auto_readers``.
MAX_READERS = 4
AUTO_READERS_MIN_BYTES = 4_000_000  # below this, starting processes costs more than they save


def auto_readers(work_bytes: int, idle_cores: float | None) -> int:
    """How many reader processes an import of ``work_bytes`` should use with ``idle_cores`` free
    (None: unknown): two or more when at least one and a half cores are idle, else none."""
    if idle_cores is None or work_bytes < AUTO_READERS_MIN_BYTES or idle_cores < 1.5:
        return 0
    return min(MAX_READERS, max(2, int(idle_cores)))


class Receiver(Protocol):
    """Hears, in the importing process, what the readers did, in whatever order they did it."""

    def file_read(self, index: int, result: FileResult) -> None:
        """The file at ``index`` of the jobs has been read (its documents may still wait to be saved)."""

    def saved(self, counts: SaveCounts, documents: int, problems: list[ImportProblem]) -> None:
        """A transaction of ``documents`` documents was saved; ``problems``: those the database rejected."""


def read_and_save(register: SqlRegister, batch_size: int, order: SaveOrder, jobs: list[tuple[int, Path, str]],
                  readers: int, results: Receiver) -> None:
    """Read and save every file of ``jobs`` (index in the run, path, format name) with up to ``readers``
    processes, this one included (fewer when there are fewer files, none beside this one when the register
    cannot be shared); ``results`` hears of each file read and each transaction saved. Raises what a
    reader raised (a DomainError ends only its file and is reported as a problem), or RuntimeError when a
    reader process stopped."""
    readers = min(readers, MAX_READERS, len(jobs)) if register.can_be_shared else 0
    # This process is one of the readers: it reads and saves files like the others, and between two of
    # its files hears what the others did.
    with _Readers(register, batch_size, order, jobs, max(readers - 1, 0)) as others:
        saver = _Saver(register, batch_size, order, results.saved, others.lock, eager=readers > 1)
        while (job := _next_file(others.taken, jobs, readers, saver)) is not None:
            index, path, name = job
            results.file_read(index, saver.read_file(path, name))
            others.report_to(results)
        saver.finish()
        others.report_to(results, until_done=True)


@dataclass
class FileResult:
    """What reading one file found, besides its documents (which go to the batch being saved)."""

    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[ImportNote] = field(default_factory=list)
    reference_records: int = 0


class _Saver:
    """Reads files and saves their records: documents in batches of one transaction each, reference data
    (IPC, Nice) in larger ones. ``on_saved`` hears of each saved batch of documents."""

    def __init__(self, register: SqlRegister, batch_size: int, order: SaveOrder,
                 on_saved: Callable[[SaveCounts, int, list[ImportProblem]], None], lock: Any,
                 *, eager: bool = False) -> None:
        self.register = register
        self.batch_size = batch_size
        self.order = order
        self.on_saved = on_saved
        self.lock = lock  # shared by the reader processes; with one reader, always free
        # With other readers, save from a quarter batch on whenever no one else is saving: the saves, which
        # go one at a time, then spread over the run instead of piling up at its end.
        self.eager = eager
        self.batch = _DocumentBatch()

    def read_file(self, path: Path, name: str) -> FileResult:
        result = FileResult()
        ipc: list[IpcEntry] = []
        nice: list[NiceClass] = []
        terms: list[NiceTerm] = []
        titles: list[TitleRecord] = []  # recorded assignments, other offices' events, event-code tables
        source = str(path)
        accepted = 0  # documents of this file so far

        def flush() -> None:
            if titles:
                result.reference_records += self._save_titles(titles, source, result)
                titles.clear()
            if not (ipc or nice or terms):
                return
            with self.lock:
                if ipc:
                    result.reference_records += self.register.save_ipc_entries(ipc)
                if nice:
                    result.reference_records += self.register.save_nice_classes(nice)
                if terms:
                    result.reference_records += self.register.save_nice_terms(terms)
            ipc.clear()
            nice.clear()
            terms.clear()

        reference_batch = self.batch_size * 20  # reference rows are tiny
        try:
            for record in IMPORTERS[name].read(path):
                if isinstance(record, ImportNote):
                    result.notes.append(record)
                elif isinstance(record, ImportProblem):
                    result.problems.append(record)
                elif isinstance(record, Document):
                    document = _prepared(record, source)
                    if isinstance(document, ImportProblem):
                        result.problems.append(document)
                        continue
                    key = (source, accepted // self.batch_size)
                    accepted += 1
                    if self.batch.holds_another_version(document, key) or self.batch.is_full(key, self.batch_size):
                        self.save()
                    elif self.eager and self.batch.is_full(key, self.batch_size // 4):
                        self.save(wait=False)
                    self.batch.add(document, source, key)
                elif isinstance(record, IpcEntry):
                    ipc.append(record)
                elif isinstance(record, NiceClass):
                    nice.append(record)
                elif isinstance(record, NiceTerm):
                    terms.append(record)
                elif isinstance(record, Assignment | RecordedEvents | LegalEventCode):
                    try:
                        record.validate()
                    except DomainError as exc:
                        result.problems.append(_problem(source, _title_key(record), exc))
                        continue
                    titles.append(record)
                if len(ipc) + len(nice) + len(terms) + len(titles) >= reference_batch:
                    flush()
        except DomainError as exc:  # an importer that could not go on with this file
            result.problems.append(_problem(source, None, exc))
        flush()
        return result

    def finish(self) -> None:
        self.save()

    def _save_titles(self, records: list[TitleRecord], source: str, result: FileResult) -> int:
        """Save recordings and event histories in one transaction; if the database rejects it, one by one,
        so that only the record at fault is left out (and reported), each whole or not at all."""
        store = SqlTitleStore(self.register.engine)
        with self.lock:
            try:
                return store.save([(r, source) for r in records])
            except SQLAlchemyError:
                saved = 0
                for r in records:
                    try:
                        saved += store.save([(r, source)])
                    except SQLAlchemyError as exc:
                        result.problems.append(ImportProblem(source, _title_key(r), None,
                                                             f"database rejected the record: {exc.__class__.__name__}"))
                return saved

    def save(self, *, wait: bool = True) -> None:
        """Save the documents waiting, in one transaction. ``wait=False``: unless another reader is saving;
        then read on and try again later, rather than wait with a core idle."""
        if not self.batch.documents or not self.lock.acquire(wait):
            return
        try:
            batch = self.batch.take()
            counts, problems = self._write(batch)
        finally:
            self.lock.release()
        self.on_saved(counts, len(batch), problems)  # never under the lock: a report may have to wait

    def _write(self, batch: list[tuple[PreparedDocument, str | None]]) -> tuple[SaveCounts, list[ImportProblem]]:
        problems: list[ImportProblem] = []
        try:
            counts = self.register.save_documents(batch, self.order)
        except SQLAlchemyError:
            # Find the culprit: save one by one, each in its own transaction; the rest still lands.
            counts = SaveCounts()
            for doc, source in batch:
                try:
                    counts += self.register.save_documents([(doc, source)], self.order)
                except SQLAlchemyError as exc:
                    problems.append(
                        ImportProblem(source or "", doc.number, None,
                                      f"database rejected the document: {exc.__class__.__name__}: "
                                      f"{str(exc.orig if hasattr(exc, 'orig') else exc).splitlines()[0]}")
                    )
        return counts, problems


@dataclass
class _DocumentBatch:
    """Documents waiting to be saved in one transaction, from one file or several: a transaction per
    small file (one EP document each) would cost more than the rows it writes.

    The documents come in slices: the ``batch_size`` documents of a file that used to make one
    transaction. A transaction keeps the last version of a number (see ``SqlRegister.save_documents``),
    so, for the counts to stay the same, a slice is never split and a version of a number from another
    slice waits for the next transaction.
    """

    documents: list[tuple[PreparedDocument, str | None]] = field(default_factory=list)
    slices: dict[str, tuple[str, int]] = field(default_factory=dict)  # number → (file, slice of the file)
    last_slice: tuple[str, int] | None = None

    def holds_another_version(self, document: PreparedDocument, slice_key: tuple[str, int]) -> bool:
        """A version of the number from another slice is waiting: it must be saved first."""
        return self.slices.get(document.number, slice_key) != slice_key

    def is_full(self, slice_key: tuple[str, int], batch_size: int) -> bool:
        """Enough to save, and the document would start a new slice."""
        return len(self.documents) >= batch_size and slice_key != self.last_slice

    def add(self, document: PreparedDocument, source: str, slice_key: tuple[str, int]) -> None:
        self.documents.append((document, source))
        self.slices[document.number] = self.last_slice = slice_key

    def take(self) -> list[tuple[PreparedDocument, str | None]]:
        documents, self.documents, self.slices, self.last_slice = self.documents, [], {}, None
        return documents


class _Readers:
    """Processes that, like the importing one, each take the next file not yet taken, read it and save
    its documents, and tell the importing process what they found (problems, notes, counts) through a
    pipe of their own. The importing process keeps no sending end open, so a reader that dies shows as the
    end of its pipe.

    Saves from several readers go one transaction at a time (a lock), in whatever order the readers get
    there; ``SaveOrder`` keeps a later file's version of a document from being replaced by an earlier one.
    Without processes, the files are simply taken in turn.
    """

    def __init__(self, register: SqlRegister, batch_size: int, order: SaveOrder, jobs: list[tuple[int, Path, str]],
                 processes: int) -> None:
        self.pipes: list[Connection] = []
        self.processes: list[Any] = []
        self.inbox: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self.listener: threading.Thread | None = None
        if processes == 0:
            self.taken: Any = _Counter()
            self.lock: Any = threading.Lock()  # always free
            return
        # fork: starts at once and needs no importable __main__. A child never touches the inherited
        # database connections (it opens its own) and leaves by os._exit, so it closes none of them.
        context = multiprocessing.get_context("fork")
        self.taken = context.Value("q", 0)  # files taken so far, by all readers
        self.lock = context.Lock()  # one save at a time
        for _ in range(processes):
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=_read_and_save, daemon=True,
                                      args=(register, batch_size, order, jobs, processes + 1, self.taken,
                                            self.lock, sending, os.getpid()))
            process.start()
            sending.close()
            self.pipes.append(receiving)
            self.processes.append(process)
        # A thread (started after the forks) takes in the reports as they come, so that a reader never
        # waits on this process while it reads a file of its own.
        self.listener = threading.Thread(target=self._listen, name="import-reports", daemon=True)
        self.listener.start()

    def __enter__(self) -> _Readers:
        return self

    def __exit__(self, *_: object) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        if self.listener is not None:
            self.listener.join()  # it ends at the end of the pipes
        for pipe in self.pipes:
            pipe.close()

    def _listen(self) -> None:
        running = dict(zip(self.pipes, self.processes, strict=True))
        while running:
            for pipe in cast("list[Connection]", multiprocessing.connection.wait(list(running))):
                try:
                    message = pipe.recv()
                except (EOFError, OSError):
                    process = running.pop(pipe)
                    process.join(5)
                    message = ("stopped", process.exitcode)
                if message[0] == "done":
                    del running[pipe]
                self.inbox.put(message)
        self.inbox.put(("all done",))

    def report_to(self, results: Receiver, *, until_done: bool = False) -> None:
        """Hand what the other readers reported so far to ``results`` (all of it, with ``until_done``);
        raises where a reader failed or stopped."""
        if self.listener is None:
            return
        while True:
            try:
                message = self.inbox.get(block=until_done)
            except queue.Empty:
                return
            if message[0] == "all done":
                self.inbox.put(message)  # for a later call
                return
            if message[0] == "stopped":
                raise RuntimeError(f"a reader process stopped (exit code {message[1]})")
            if message[0] == "failed":
                raise _restored(message[1])
            if message[0] == "saved":
                results.saved(*message[1:])
            elif message[0] == "file":
                results.file_read(*message[1:])


class _Counter:
    """Files taken so far, when this process is the only reader (a multiprocessing.Value otherwise)."""

    def __init__(self) -> None:
        self.value = 0

    def get_lock(self) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()


def _next_file(taken: Any, jobs: list[tuple[int, Path, str]], readers: int, saver: _Saver
               ) -> tuple[int, Path, str] | None:
    """Take the next file not yet taken (None when all are). Before one of the last few (four per reader),
    save what waits unless another reader is saving: the readers then end with little left to save,
    instead of saving full batches one after the other while the other core idles."""
    with taken.get_lock():
        position = int(taken.value)
        if position == len(jobs):
            return None
        taken.value = position + 1
    if readers > 1 and len(jobs) - position <= 4 * readers:
        saver.save(wait=False)
    return jobs[position]


def _read_and_save(register: SqlRegister, batch_size: int, order: SaveOrder, jobs: list[tuple[int, Path, str]],
                   readers: int, taken: Any, lock: Any, out: Connection, parent: int) -> None:
    """A reader process: like the importing one, a DomainError ends one file, anything else the run."""
    try:
        saver = _Saver(register.reopened(), batch_size, order,
                       lambda counts, documents, problems: out.send(("saved", counts, documents, problems)), lock,
                       eager=True)
        while os.getppid() == parent:  # an orphan (the importing process was killed) saves nothing more
            job = _next_file(taken, jobs, readers, saver)
            if job is None:
                break
            index, path, name = job
            out.send(("file", index, saver.read_file(path, name)))
        else:
            return
        saver.finish()
    except KeyboardInterrupt:  # Ctrl-C reaches every process: the importing one says what it means
        return
    except Exception as exc:  # handed over to be raised in the importing process
        out.send(("failed", _portable(exc)))
        return
    out.send(("done",))


def _portable(exc: Exception) -> tuple[str, Any]:
    # InvalidField's constructor takes three arguments, which default exception pickling does not keep.
    if isinstance(exc, InvalidField):
        return ("invalid_field", (exc.field, exc.value, exc.reason))
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return ("unpicklable", f"{exc.__class__.__name__}: {exc}")
    return ("exception", exc)


def _restored(portable: tuple[str, Any]) -> Exception:
    kind, detail = portable
    if kind == "invalid_field":
        return InvalidField(*detail)
    if kind == "exception":
        return detail  # type: ignore[no-any-return]
    return RuntimeError(f"reading failed in the reader process: {detail}")


def _prepared(document: Document, source: str) -> PreparedDocument | ImportProblem:
    """The document checked and turned into the rows to save, or the problem that keeps it out."""
    try:
        document.validate()
    except DomainError as exc:
        return _problem(source, document.number.compact, exc)
    return prepare(document)


def _title_key(record: TitleRecord) -> str:
    if isinstance(record, Assignment):
        return f"reel/frame {record.reel_frame}"
    if isinstance(record, LegalEventCode):
        return f"{record.authority} {record.code}"
    return record.number


def _problem(source: str, record: str | None, exc: DomainError) -> ImportProblem:
    field_name = exc.field if isinstance(exc, InvalidField) else None
    reason = exc.reason if isinstance(exc, InvalidField) else str(exc)
    if isinstance(exc, InvalidField):
        reason = f"{reason} (got {exc.value!r})"
    return ImportProblem(source, record, field_name, reason)
