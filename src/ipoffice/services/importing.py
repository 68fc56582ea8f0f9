"""Use case: import office data files into the register.

Records are saved in batches, each batch in one transaction, so an interruption never leaves a
half-written document and a re-run finishes the job (unchanged documents are skipped by hash).
A bad record is reported with its file, record and field, and the rest of the file goes on.
One import writes a register at a time: the run holds the register's writer lock (an OS lock) from before
it reads anything to the end, and a second run stops at once with ``RegisterBusy`` naming the holder,
having changed nothing. Before reading, the run lets each derived index catch up with the register
(``catch_up``): what an interrupted run saved but never indexed is indexed then.
The reading and saving themselves, in this process and in reader processes beside it, are
:mod:`ipoffice.services.import_readers`; this module decides what is read and puts the report together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ipoffice.adapters.importers import IMPORTERS, detect_format
from ipoffice.adapters.importers.base import ImportNote, ImportProblem
from ipoffice.adapters.register import SaveCounts, SaveOrder, SqlRegister
from ipoffice.services.import_readers import FileResult, read_and_save

DocumentsChanged = Callable[[list[str]], object]  # told the numbers a batch added or updated
CatchUp = Callable[[], object]  # brings a derived index to the register's state; its result is reported


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
    caught_up: list[str] = field(default_factory=list)  # what the derived indexes' catch-up before the run did

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


class Importer:
    def __init__(
        self,
        register: SqlRegister,
        *,
        batch_size: int = 250,
        progress: Progress | None = None,
        on_documents_changed: Sequence[DocumentsChanged] = (),
        readers: int = 0,
        catch_up: Sequence[CatchUp] = (),
    ) -> None:
        """``readers``: processes, this one included, that read and save files side by side (up to
        ``import_readers.MAX_READERS``); 0 or 1: this one alone."""
        self.register = register
        self.batch_size = batch_size
        self.progress = progress or Progress()
        self.listeners = list(on_documents_changed)
        self.readers = readers
        self.catch_up = list(catch_up)

    def run(self, paths: Iterable[Path], fmt: str = "auto") -> ImportReport:
        if fmt != "auto" and fmt not in IMPORTERS:
            raise UnknownFormat(f"unknown format {fmt!r}; valid: auto, {', '.join(sorted(IMPORTERS))}")
        files = [(path, explicit, fmt if fmt != "auto" else _detect(path)) for path, explicit in _expand(paths)]
        with self.register.writer_lock("import"):  # raises RegisterBusy before anything is written
            caught_up = [str(done) for done in (catch_up() for catch_up in self.catch_up) if done]
            report = self._run(files, fmt)
        report.caught_up = caught_up
        return report

    def _run(self, files: list[tuple[Path, bool, str | OSError | None]], fmt: str) -> ImportReport:
        places = {str(path): index for index, (path, _, _) in reversed(list(enumerate(files)))}  # first place
        order = SaveOrder(datetime.now(UTC), places)
        results = _Results(self, files, places)
        for index in range(len(files)):
            results.before(index)  # an unreadable file stops the run before anything is read
        jobs = [(index, path, name) for index, (path, _, name) in enumerate(files) if isinstance(name, str)]
        read_and_save(self.register, self.batch_size, order, jobs, self.readers, results)
        return results.report()


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

    def file_read(self, index: int, result: FileResult) -> None:
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


def _detect(path: Path) -> str | OSError | None:
    """The file's format; an unreadable file's error is raised before anything is read."""
    try:
        return detect_format(path)
    except OSError as exc:
        return exc
