"""Use case: import office data files into the register.

Records are saved in batches, each batch in one transaction, so an interruption never leaves a
half-written document and a re-run finishes the job (unchanged documents are skipped by hash).
A bad record is reported with its file, record and field, and the rest of the file goes on.
"""

from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from ipoffice.adapters.importers import IMPORTERS, detect_format
from ipoffice.adapters.importers.base import ImportNote, ImportProblem, Record
from ipoffice.adapters.register import PreparedDocument, SaveCounts, SqlRegister, prepare
from ipoffice.domain.document import Document
from ipoffice.domain.errors import DomainError, InvalidField
from ipoffice.domain.reference import IpcEntry, NiceClass, NiceTerm

DocumentsChanged = Callable[[list[str]], None]


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
# writing the rows one fifth, so reader processes can read ahead, each taking the next file when free,
# while this process writes. They pay off only with cores to spare: on a machine busy with other work, the extra
# processes and the hand-over (pickling) made imports slower (bench/README.md), hence ``auto_readers``.
MAX_READERS = 4
AUTO_READERS_MIN_BYTES = 4_000_000  # below this, starting processes costs more than they save
_CHUNK = 16  # records per message from the reader (about half a megabyte of rows)
_PIPE_BYTES = 4 << 20  # what a reader may send ahead (Linux raises a pipe to that size if allowed)


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
        """``readers``: processes that parse ahead (up to MAX_READERS), 0 to read in this one."""
        self.register = register
        self.batch_size = batch_size
        self.progress = progress or Progress()
        self.listeners = list(on_documents_changed)
        self.readers = readers

    def run(self, paths: Iterable[Path], fmt: str = "auto") -> ImportReport:
        if fmt != "auto" and fmt not in IMPORTERS:
            raise UnknownFormat(f"unknown format {fmt!r}; valid: auto, {', '.join(sorted(IMPORTERS))}")
        files = [(path, explicit, fmt if fmt != "auto" else _detect(path)) for path, explicit in _expand(paths)]
        jobs = [(path, name) for path, _, name in files if isinstance(name, str)]
        readers = min(self.readers, MAX_READERS, len(jobs))
        reader = _Reader(jobs, readers) if readers > 0 else None
        try:
            return self._run(files, reader)
        finally:
            if reader is not None:
                reader.close()

    def _run(self, files: list[tuple[Path, bool, str | OSError | None]], reader: _Reader | None) -> ImportReport:
        report = ImportReport()
        batch = _DocumentBatch()
        for path, explicit, name in files:
            size = path.stat().st_size
            self.progress.file_started(path, size)
            if isinstance(name, OSError):
                raise name
            if name is None:
                reason = "unrecognised file format (not one of: " + ", ".join(sorted(IMPORTERS)) + ")"
                if explicit:  # asked for by name: an error; found in a folder: skipped, and said so
                    report.problems.append(ImportProblem(str(path), None, "file", reason + "; use --format"))
                    self.progress.records_done(0, 1)
                else:
                    report.notes.append(ImportNote(str(path), "skipped: " + reason))
            else:
                report.files += 1
                report.formats[name] = report.formats.get(name, 0) + 1
                records = reader.records() if reader is not None else IMPORTERS[name].read(path)
                self._import_file(path, records, report, batch)
            self.progress.file_done(path, size)
        if batch.documents:
            self._save_documents(batch.take(), report)
        return report

    def _import_file(
        self, path: Path, records: Iterator[Record | ImportProblem | ImportNote], report: ImportReport,
        batch: _DocumentBatch,
    ) -> None:
        ipc: list[IpcEntry] = []
        nice: list[NiceClass] = []
        terms: list[NiceTerm] = []
        source = str(path)
        accepted = 0  # documents of this file so far

        def flush() -> None:
            if ipc:
                report.reference_records += self.register.save_ipc_entries(ipc)
                self.progress.records_done(len(ipc), 0)
                ipc.clear()
            if nice:
                report.reference_records += self.register.save_nice_classes(nice)
                self.progress.records_done(len(nice), 0)
                nice.clear()
            if terms:
                report.reference_records += self.register.save_nice_terms(terms)
                self.progress.records_done(len(terms), 0)
                terms.clear()

        reference_batch = self.batch_size * 20  # reference rows are tiny
        try:
            for record in records:
                if isinstance(record, ImportNote):
                    report.notes.append(record)
                elif isinstance(record, ImportProblem):
                    report.problems.append(record)
                    self.progress.records_done(0, 1)
                elif isinstance(record, Document | PreparedDocument):
                    document = _prepared(record, source) if isinstance(record, Document) else record
                    if isinstance(document, ImportProblem):
                        report.problems.append(document)
                        self.progress.records_done(0, 1)
                        continue
                    key = (source, accepted // self.batch_size)
                    accepted += 1
                    if batch.must_save_before(document, key, self.batch_size):
                        self._save_documents(batch.take(), report)
                    batch.add(document, source, key)
                elif isinstance(record, IpcEntry):
                    ipc.append(record)
                elif isinstance(record, NiceClass):
                    nice.append(record)
                elif isinstance(record, NiceTerm):
                    terms.append(record)
                if len(ipc) + len(nice) + len(terms) >= reference_batch:
                    flush()
        except DomainError as exc:  # an importer that could not go on with this file
            report.problems.append(_problem(source, None, exc))
        flush()

    def _save_documents(self, batch: list[tuple[PreparedDocument, str | None]], report: ImportReport) -> None:
        try:
            counts = self.register.save_documents(batch)
        except SQLAlchemyError:
            # Find the culprit: save one by one, each in its own transaction; the rest still lands.
            counts = SaveCounts()
            for doc, source in batch:
                try:
                    counts += self.register.save_documents([(doc, source)])
                except SQLAlchemyError as exc:
                    report.problems.append(
                        ImportProblem(source or "", doc.number, None,
                                      f"database rejected the document: {exc.__class__.__name__}: "
                                      f"{str(exc.orig if hasattr(exc, 'orig') else exc).splitlines()[0]}")
                    )
        if counts.changed:
            for listener in self.listeners:
                listener(counts.changed)
        counts.changed = []  # handed on; the report keeps only the counts
        report.counts += counts
        self.progress.records_done(len(batch), 0)


def _detect(path: Path) -> str | OSError | None:
    """The file's format; an unreadable file is raised when its turn comes, as without a reader."""
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

    def must_save_before(self, document: PreparedDocument, slice_key: tuple[str, int], batch_size: int) -> bool:
        if self.slices.get(document.number, slice_key) != slice_key:
            return True
        return len(self.documents) >= batch_size and slice_key != self.last_slice

    def add(self, document: PreparedDocument, source: str, slice_key: tuple[str, int]) -> None:
        self.documents.append((document, source))
        self.slices[document.number] = self.last_slice = slice_key

    def take(self) -> list[tuple[PreparedDocument, str | None]]:
        documents, self.documents, self.slices, self.last_slice = self.documents, [], {}, None
        return documents


class _Reader:
    """Processes that read the files and hand their records over in chunks, in file order.

    Each reader takes the next file not yet taken when it is done with one (taken in turn, a reader
    with the larger files fell behind while the others waited), notes in shared memory that it took it,
    and sends that file's records through its own pipe: a reader ahead of the writer waits when the pipe
    is full, so memory stays flat whatever the file size. This process keeps no sending end of a pipe
    open, so a reader that dies, even in the middle of a message, shows as the end of its pipe."""

    def __init__(self, jobs: list[tuple[Path, str]], processes: int) -> None:
        # fork: starts at once and needs no importable __main__. A child touches files only, never the
        # inherited database connections, and leaves by os._exit, so it closes none of them.
        context = multiprocessing.get_context("fork")
        taken = context.Value("q", 0)  # files taken so far, by all readers
        # The reader of each file, set in the same locked step as the file is taken.
        self.taken_by: Any = context.Array("h", [-1] * len(jobs), lock=False)
        self.pipes: list[Any] = []
        self.processes = []
        for reader in range(processes):
            receiving, sending = context.Pipe(duplex=False)
            _widen(sending)
            process = context.Process(target=_read_files, args=(jobs, taken, self.taken_by, reader, sending),
                                      daemon=True)
            process.start()
            sending.close()
            self.pipes.append(receiving)
            self.processes.append(process)
        self.files_taken = 0

    def records(self) -> Iterator[Record | ImportProblem | ImportNote]:
        """The next file's records; raises where the importer raised."""
        turn = self._reader_of(self.files_taken)
        self.files_taken += 1
        while True:
            chunk, end = self._get(turn)
            yield from chunk
            if end == "end":
                return
            if end is not None:
                raise _restored(end)

    def _reader_of(self, position: int) -> int:
        # Readers are usually ahead of the writer: the file is taken already, or is within a moment.
        while (reader := int(self.taken_by[position])) < 0:
            _raise_if_stopped(self.processes)
            time.sleep(0.001)
        return reader

    def _get(self, reader: int) -> tuple[list[Any], Any]:
        pipe = self.pipes[reader]
        while not pipe.poll(1):
            _raise_if_stopped([self.processes[reader]])
        try:
            return pipe.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError):
            self.processes[reader].join(5)
            _raise_if_stopped([self.processes[reader]])
            raise

    def close(self) -> None:
        for process, pipe in zip(self.processes, self.pipes, strict=True):
            if process.is_alive():
                process.terminate()
            process.join()
            pipe.close()


def _widen(pipe: Any) -> None:
    """Let a pipe hold several chunks (Linux; elsewhere, or above the system's limit, it keeps its size)."""
    resize = getattr(fcntl, "F_SETPIPE_SZ", None)
    if resize is None:
        return
    for size in (_PIPE_BYTES, 1 << 20):  # 1 MiB: the limit for a user without CAP_SYS_RESOURCE
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe.fileno(), resize, size)
            return


def _raise_if_stopped(readers: list[Any]) -> None:
    """Raise if every one of these reader processes has stopped (one stops only when done or broken)."""
    if not any(p.is_alive() for p in readers):
        code = next((p.exitcode for p in readers if p.exitcode), 0)  # the one that broke, if any
        raise RuntimeError(f"a reader process stopped (exit code {code})")


def _read_files(jobs: list[tuple[Path, str]], taken: Any, taken_by: Any, reader: int, out: Any) -> None:
    """The reader process: like the in-process loop, a DomainError ends one file, anything else the run."""
    while True:
        with taken.get_lock():
            position = taken.value
            if position == len(jobs):
                return
            taken.value = position + 1
            taken_by[position] = reader
        path, name = jobs[position]
        chunk: list[Any] = []
        source = str(path)
        try:
            for record in IMPORTERS[name].read(path):
                # Checked and turned into rows here: that work runs in parallel, and rows pickle cheaply.
                chunk.append(_prepared(record, source) if isinstance(record, Document) else record)
                if len(chunk) == _CHUNK:
                    out.send((chunk, None))
                    chunk = []
        except Exception as exc:  # handed over to be raised in the importing process
            out.send((chunk, _portable(exc)))
            if not isinstance(exc, DomainError):
                return
            continue
        out.send((chunk, "end"))


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
