"""The transactions recorded against a right, for its value indicators (issue #16): this office's recordals
register for the office's own rights (a published case's documents), the USPTO's assignment records for US
documents (licences, security interests and their releases, title-passing recordings). Public data only: what
anyone may see of the right."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from ipoffice.domain.document import Document
from ipoffice.domain.value_indicators import RecordedTransactions
from ipoffice.services.case_documents import SOURCE_FORMAT as CASE_SOURCE
from ipoffice.services.case_rights import SOURCE_FORMAT as CASE_RIGHTS_SOURCE
from ipoffice.services.procedures import CaseNotFound
from ipoffice.services.recordals import RecordalService
from ipoffice.services.title_chain import TitleChainService

_TRANSFERS = frozenset({"assignment", "employee_assignment", "merger"})
# documents of the office's own cases: projected into the register, or read from the case (services.case_rights)
_CASE_SOURCES = frozenset({CASE_SOURCE, CASE_RIGHTS_SOURCE})


class RecordedTransactionsOf:
    """``recorded(doc)`` → :class:`RecordedTransactions`, or None when no register of transactions covers it."""

    def __init__(self, recordals: Callable[[], RecordalService], titles: Callable[[], TitleChainService]) -> None:
        self.recordals = recordals
        self.titles = titles

    def __call__(self, doc: Document) -> RecordedTransactions | None:
        if doc.source_format in _CASE_SOURCES and doc.application_number:
            with suppress(CaseNotFound, LookupError):
                right = self.recordals().right(doc.application_number, None)
                registered = right["recordals"]
                assert isinstance(registered, list)
                return RecordedTransactions(
                    "this office's recordals register", licences=len(right["licences"]),  # type: ignore[arg-type]
                    pledges=len(right["pledges"]),  # type: ignore[arg-type]
                    transfers=sum(1 for r in registered if r.get("type") == "transfer"),
                    open_licence=right["open_licence"] is not None)
            return None
        if doc.number.country != "US":
            return None
        chain = self.titles().chain_of_title(doc.number.compact)
        recordings = chain["assignments"]
        if not recordings:
            return None
        kinds = [str(a.get("conveyance_type")) for a in recordings]
        interests = chain["security_interests"]
        return RecordedTransactions(
            "USPTO assignment records", licences=kinds.count("licence"),
            pledges=sum(1 for i in interests if i["released_by"] is None),
            released_pledges=sum(1 for i in interests if i["released_by"] is not None),
            transfers=sum(1 for k in kinds if k in _TRANSFERS))
