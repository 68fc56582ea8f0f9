"""Use cases of trademark watches: a right holder watches a mark in some Nice classes; a run compares every
mark the office has published for opposition and whose opposition period (Trademark Law Art. 33) has not
ended with every watch, and records a notice for each conflict — once per watch and application, so the holder
learns of it while an opposition can still be filed. Publications come from the office's CN trademark cases
(preliminary approval, partial refusal, refusal overturned on review); the comparison is
:func:`ipoffice.domain.trademark_conflicts.simple_conflict` unless another is given."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from ipoffice.adapters.procedure_store import CaseRecord
from ipoffice.adapters.trademark_store import TrademarkStore, Watch, WatchNotice
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.offices import Role
from ipoffice.domain.trademark_conflicts import EarlierMark, MarkRecord, class_numbers, simple_conflict
from ipoffice.services.procedures import ProcedureService, UnknownUser
from ipoffice.services.trademark_examination import TRADEMARK_PROCEDURE, case_mark

MAX_MARK_CHARS = 200
Comparison = Callable[[str, Sequence[int], MarkRecord], EarlierMark | None]
OPEN_FOR_OPPOSITION = ("published_for_opposition", "opposed")


@dataclass(frozen=True)
class Publication:
    """A mark published for opposition: its case, text, classes, publication date and the period's last day."""

    case: str
    applicant: str
    mark: MarkRecord
    published: date
    opposition_ends: date


@dataclass(frozen=True)
class WatchRun:
    today: date
    watches: int
    publications: int
    notices: list[WatchNotice]


class TrademarkWatches:
    def __init__(self, store: TrademarkStore, procedures: ProcedureService,
                 compare: Comparison = simple_conflict) -> None:
        self.store = store
        self.procedures = procedures
        self.compare = compare

    def add(self, holder: str, mark: str, classes: Sequence[int] | str = ()) -> Watch:
        """Watch ``mark`` in ``classes`` (list or comma-separated; none = every class) for ``holder``, a user with
        the applicant or agent role; InvalidField naming ``mark`` or ``classes``, UnknownUser."""
        mark = " ".join(mark.split())
        if not mark:
            raise InvalidField("mark", mark, "is required")
        if len(mark) > MAX_MARK_CHARS:
            raise InvalidField("mark", f"{len(mark)} characters", f"at most {MAX_MARK_CHARS} characters")
        numbers = class_numbers(classes if isinstance(classes, str) else list(classes), "classes")
        self._holder(holder)
        return self.store.add_watch(holder, mark, numbers)

    def _holder(self, holder: str) -> None:
        with self.procedures.store.reading() as s:
            user = s.user(holder)
        if user is None:
            raise UnknownUser(holder)
        if not (user.has(Role.APPLICANT) or user.has(Role.AGENT)):
            raise InvalidField("holder", holder, "a watch belongs to a right holder (applicant) or an agent")

    def watches(self, holder: str | None = None) -> list[Watch]:
        return self.store.watches(holder)

    def remove(self, watch_id: int, holder: str) -> bool:
        return self.store.remove_watch(watch_id, holder)

    def notices(self, holder: str | None = None) -> list[WatchNotice]:
        return self.store.notices(holder)

    def publications(self, today: date) -> list[Publication]:
        """The marks published for opposition whose opposition period ends on or after ``today``."""
        found: list[Publication] = []
        numbers = [r.application_number for r in self.procedures.with_derived_state(self._trademark_cases())
                   if r.state in OPEN_FOR_OPPOSITION]
        for number in numbers:
            view = self.procedures.show(number, None)  # published: as the public sees it
            ends, published = view.case.date_fact("opposition_ends"), view.case.date_fact("publication_date")
            if ends is None or published is None or ends < today:
                continue
            mark, classes = case_mark(view)
            found.append(Publication(number, view.record.applicant,
                                     MarkRecord(number, mark, classes, view.record.filing_date, "case"),
                                     published, ends))
        return found

    def _trademark_cases(self) -> list[CaseRecord]:
        with self.procedures.store.reading() as s:
            return [r for r in s.cases() if r.procedure == TRADEMARK_PROCEDURE and r.published]

    def run(self, today: date | None = None) -> WatchRun:
        """Compare every watch with every open publication; record and return the new notices (a repeated run
        produces none for the same watch and application). A holder is not warned of their own application."""
        today = today or self.procedures.clock()
        watches = self.store.watches()
        publications = self.publications(today)
        produced: list[WatchNotice] = []
        for watch in watches:
            for publication in publications:
                if publication.applicant == watch.holder:
                    continue
                found = self.compare(watch.mark, watch.classes, publication.mark)
                if found is None:
                    continue
                notice = self.store.add_notice(watch, publication.case, found, publication.published,
                                               publication.opposition_ends, today)
                if notice is not None:
                    produced.append(notice)
        return WatchRun(today, len(watches), len(publications), produced)
