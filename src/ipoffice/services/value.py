"""Use case: the value indicators of a right (``ipoffice value NUMBER``; also in each match).

Each indicator is ``{"value": …, "explanation": …}`` (``domain.value_indicators``): remaining term (from the
dated rule books, CN Patent Law Art. 42 and 35 U.S.C. 154/173), forward citations (documents of the
register citing the right, whatever kind-code convention they cite it by), family size (publications of the
register linked by priority), claim count and breadth, and the legal events recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from ipoffice.adapters.priority_links import priority_linked
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.document import Document
from ipoffice.domain.time_limits import Period
from ipoffice.domain.value_indicators import (
    RecordedTransactions,
    claims_breadth,
    family_size,
    forward_citations,
    legal_events,
    remaining_term,
    transactions,
)
from ipoffice.services.portal_queries import cited_by
from ipoffice.services.register_extract import legal_status


@lru_cache(maxsize=4)
def _rule_book(jurisdiction: str) -> Any:
    from ipoffice.adapters.rules_loader import load_rules

    return load_rules(jurisdiction)


def term_rule(jurisdiction: str, parameter: str, on: date) -> tuple[Period, str]:
    """The term ``parameter`` of ``jurisdiction``'s packaged rule book in force on ``on``, with its reference."""
    dated = _rule_book(jurisdiction).value(parameter, on)
    return Period.from_mapping(dated.value, parameter), str(dated.reference)


class ValueIndicators:
    def __init__(self, register: SqlRegister, today: Callable[[], date],
                 recorded: Callable[[Document], RecordedTransactions | None] | None = None) -> None:
        """``recorded``: the transactions recorded against a document's right (``services.recorded_transactions``);
        None leaves the ``transactions`` indicator out."""
        self.register = register
        self.today = today
        self.recorded = recorded

    def of_document(self, doc: Document) -> dict[str, Any]:
        """Every indicator of ``doc`` (a register document) as JSON-ready dicts, keyed by name."""
        citing = [c.number for c in cited_by(self.register, doc.number.compact)]
        return {
            "remaining_term": remaining_term(doc, term_rule, self.today()).as_json(),
            "forward_citations": forward_citations(citing).as_json(),
            "family_size": family_size(doc.number.compact, priority_linked(self.register.engine, doc),
                                       len(doc.priority_claims)).as_json(),
            "claims": claims_breadth(doc).as_json(),
            "legal_events": legal_events(doc.legal_events).as_json(),
            **({"transactions": transactions(self.recorded(doc)).as_json()} if self.recorded is not None else {}),
        }

    def of(self, number: str) -> dict[str, Any]:
        """``{"number", "title", "status", "indicators"}`` of register document ``number``; raises LookupError
        naming the number when the register has no such document."""
        doc = self.register.get(number)
        if doc is None:
            raise LookupError(f"number: {number} is not in the register")
        return {"number": doc.number.compact, "title": doc.title, "status": legal_status(doc).code,
                "indicators": self.of_document(doc)}
