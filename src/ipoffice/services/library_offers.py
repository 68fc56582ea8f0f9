"""The universities' resource library as a source of marketplace offers (issue #16).

An inventory entry that passed both reviews with the intent to transfer, license or open-license
(``services.inventory``) is offered on the marketplace beside the registered open licences, marked
``source: library``. It carries no royalty (the holder negotiates it), so royalty filters leave it out and the
royalty guidance of comparable contracts is its price hint. A right no longer in force is not offered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import suppress
from datetime import date

from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.inventory_grading import NOT_IN_FORCE_STATUSES
from ipoffice.services.inventory import InventoryService
from ipoffice.services.marketplace import Candidate
from ipoffice.services.register_extract import legal_status

SOURCE_LIBRARY = "library"


class LibraryOffers:
    """An :class:`~ipoffice.services.marketplace.OfferSource` over the resource library."""

    def __init__(self, inventory: InventoryService, register: SqlRegister,
                 st27_status: Callable[[str, date], Mapping[str, object]] | None = None) -> None:
        self.inventory = inventory
        self.register = register
        self.st27_status = st27_status

    def candidates(self, on: date) -> Iterator[Candidate]:
        """The library's rights in force, as offers dated by their second-level approval."""
        for entry in self.inventory.library_entries(limit=10_000):
            doc = self.register.get(entry.number)
            if doc is None:
                continue
            state = legal_status(doc).code
            if state in NOT_IN_FORCE_STATUSES:
                continue
            status: dict[str, object] = {"state": state, "in_force": True, "holder": entry.holder,
                                         "grade": entry.grade, "intent": entry.intent}
            if self.st27_status is not None:
                with suppress(LookupError):
                    st27 = self.st27_status(entry.number, on)
                    status.update({k: st27.get(k) for k in ("st27_category", "st27_category_title")})
            approved = date.fromisoformat(entry.approved_on) if entry.approved_on else None
            yield Candidate(entry.number, doc, SOURCE_LIBRARY, None, declared_on=approved, status=status)
