"""Use case: import office data files into the register.

Records are saved in batches, each batch in one transaction, so an interruption never leaves a
half-written document and a re-run finishes the job (unchanged documents are skipped by hash).
A bad record is reported with its file, record and field, and the rest of the file goes on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

from sqlalchemy.exc import SQLAlchemyError

from ipoffice.adapters.importers import IMPORTERS, detect_format
from ipoffice.adapters.importers.base import ImportNote, ImportProblem
from ipoffice.adapters.register import PreparedDocument, SaveCounts, SaveOrder, SqlRegister, prepare
from ipoffice.domain.document import Document
from ipoffice.domain.errors import DomainError, InvalidField
from ipoffice.domain.reference import IpcEntry, NiceClass, NiceTerm

DocumentsChanged = Callable[[list[str]], object]  # told the numbers a batch added or updated


class UnknownFormat(ValueError):
    pass


@dataclass
class ImportReport:
    files: int = 0
    counts: SaveCounts = field(default_factory=SaveCounts)
    reference_records: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[ImportNote] = field(default_factory=list)
    formats: dict[str, int] = field(default_factory=dict)  # files per format

    @property
    def documents_seen(self) -> int:
        return self.counts.added + self.counts.updated + self.counts.unchanged


@dataclass
class Progress:
    """Hooks for a progress display; every one is optional."""

    file_started: Callable[[Path, int], None] = lambda path, size: None
    records_done: Callable[[int, int], None] = lambda records, problems: None  # increments
    file_done: Callable[[Path, int], None] = lambda path, size: None


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and every file below named folders (sorted, hidden files skipped)."""
    return [path for path, _ in _expand(paths)]


def _expand(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """(file, named explicitly?) pairs: a folder's members are not, so unknown ones are only noted."""
    out: list[tuple[Path, bool]] = []
    for p in paths:
        if p.is_dir():
            out.extend((f, False) for f in sorted(p.rglob("*")) if f.is_file() and not f.name.startswith("."))
        elif p.exists():
            out.append((p, True))
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    return out


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


class Importer:
    def __init__(
        self,
        register: SqlRegister,
        *,
        batch_size: int = 250,
        progress: Progress | None = None,
        on_documents_changed: Sequence[DocumentsChanged] = (),
        readers: int = 0,
    ) -> None:
        """``readers``: processes, this one included, that read and save files side by side (up to
        MAX_READERS); 0 or 1: this one alone."""
        self.register = register
        self.batch_size = batch_size
        self.progress = progress or Progress()
        self.listeners = list(on_documents_changed)
        self.readers = readers

    def run(self, paths: Iterable[Path], fmt: str = "auto") -> ImportReport:
        if fmt != "auto" and fmt not in IMPORTERS:
            raise UnknownFormat(f"unknown format {fmt!r}; valid: auto, {', '.join(sorted(IMPORTERS))}")
        files = [(path, explicit, fmt if fmt != "auto" else _detect(path)) for path, explicit in _expand(paths)]
        places = {str(path): index for index, (path, _, _) in reversed(list(enumerate(files)))}  # first place
        order = SaveOrder(datetime.now(UTC), places)
        results = _Results(self, files, places)
        for index in range(len(files)):
            results.before(index)  # an unreadable file stops the run before anything is read
        jobs = [(index, path, name) for index, (path, _, name) in enumerate(files) if isinstance(name, str)]
        readers = min(self.readers, MAX_READERS, len(jobs)) if self.register.can_be_shared else 0
        # This process is one of the readers: it reads and saves files like the others, and between two of
        # its files hears what the others did.
        with _Readers(self.register, self.batch_size, order, jobs, max(readers - 1, 0)) as others:
            saver = _Saver(self.register, self.batch_size, order, results.saved, others.lock, eager=readers > 1)
            while (job := _next_file(others.taken, jobs, readers, saver)) is not None:
                index, path, name = job
                results.file_read(index, saver.read_file(path, name))
                others.report_to(results)
            saver.finish()
            others.report_to(results, until_done=True)
        return results.report()


@dataclass
class _FileResult:
    """What reading one file found, besides its documents (which go to the batch being saved)."""

    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[ImportNote] = field(default_factory=list)
    reference_records: int = 0


class _Results:
    """The report of a run, put together in file order whatever order the files are read and saved in,
    and the progress and listeners told as it goes."""

    def __init__(self, importer: Importer, files: list[tuple[Path, bool, str | OSError | None]],
                 places: dict[str, int]) -> None:
        self.progress = importer.progress
        self.listeners = importer.listeners
        self.files = files
        self.report_so_far = ImportReport()
        self.problems: list[list[ImportProblem]] = [[] for _ in files]
        self.notes: list[list[ImportNote]] = [[] for _ in files]
        self.places = places

    def before(self, index: int) -> None:
        """What is known of a file before reading it: its format, or why it is not read."""
        path, explicit, name = self.files[index]
        if isinstance(name, OSError):
            raise name
        if name is None:
            reason = "unrecognised file format (not one of: " + ", ".join(sorted(IMPORTERS)) + ")"
            if explicit:  # asked for by name: an error; found in a folder: skipped, and said so
                self.problems[index].append(ImportProblem(str(path), None, "file", reason + "; use --format"))
                self.progress.records_done(0, 1)
            else:
                self.notes[index].append(ImportNote(str(path), "skipped: " + reason))
        else:
            self.report_so_far.files += 1
            self.report_so_far.formats[name] = self.report_so_far.formats.get(name, 0) + 1

    def file_read(self, index: int, result: _FileResult) -> None:
        path = self.files[index][0]
        size = path.stat().st_size
        self.progress.file_started(path, size)
        self.problems[index].extend(result.problems)
        self.notes[index].extend(result.notes)
        self.report_so_far.reference_records += result.reference_records
        self.progress.records_done(result.reference_records, len(result.problems))
        self.progress.file_done(path, size)

    def saved(self, counts: SaveCounts, documents: int, problems: list[ImportProblem]) -> None:
        if counts.changed:
            for listener in self.listeners:
                listener(counts.changed)
        counts.changed = []  # handed on; the report keeps only the counts
        self.report_so_far.counts += counts
        for problem in problems:
            self.problems[self.places.get(problem.file, 0)].append(problem)
        self.progress.records_done(documents, len(problems))

    def report(self) -> ImportReport:
        report = self.report_so_far
        report.problems = [problem for problems in self.problems for problem in problems]
        report.notes = [note for notes in self.notes for note in notes]
        return report


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

    def read_file(self, path: Path, name: str) -> _FileResult:
        result = _FileResult()
        ipc: list[IpcEntry] = []
        nice: list[NiceClass] = []
        terms: list[NiceTerm] = []
        source = str(path)
        accepted = 0  # documents of this file so far

        def flush() -> None:
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
                if len(ipc) + len(nice) + len(terms) >= reference_batch:
                    flush()
        except DomainError as exc:  # an importer that could not go on with this file
            result.problems.append(_problem(source, None, exc))
        flush()
        return result

    def finish(self) -> None:
        self.save()

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


def _detect(path: Path) -> str | OSError | None:
    """The file's format; an unreadable file's error is raised before anything is read."""
    try:
        return detect_format(path)
    except OSError as exc:
        return exc


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

    def report_to(self, results: _Results, *, until_done: bool = False) -> None:
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


def _problem(source: str, record: str | None, exc: DomainError) -> ImportProblem:
    field_name = exc.field if isinstance(exc, InvalidField) else None
    reason = exc.reason if isinstance(exc, InvalidField) else str(exc)
    if isinstance(exc, InvalidField):
        reason = f"{reason} (got {exc.value!r})"
    return ImportProblem(source, record, field_name, reason)
