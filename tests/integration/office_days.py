"""The office as it was on the day of each act, for tests that replay a history from the past.

A party's act is dated by the office's clock (``ProcedureService.clock``); tests that take a case through
dated acts move that clock to the day of each act, as if the office received it then. The rules on who may
choose a date are tested on the plain service with a fixed clock (``test_dates_and_payloads``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ipoffice.services.procedures import CaseView, Filing, ProcedureService


class OfficeOnTheDay(ProcedureService):
    def _on(self, day: date | None) -> None:
        if day is not None:
            self.clock = lambda: day

    def file(self, filing: Filing, filed_by: str) -> CaseView:
        self._on(filing.filing_date)
        return super().file(filing, filed_by)

    def act(self, number: str, action: str, on: date | None, actor: str, *args: Any, **kwargs: Any) -> CaseView:
        self._on(on)
        return super().act(number, action, on, actor, *args, **kwargs)

    def cite(self, number: str, cited_number: str, category: str, on: date | None, actor: str,
             note: str = "") -> CaseView:
        self._on(on)
        return super().cite(number, cited_number, category, on, actor, note)

    def pay_fee(self, number: str, fee: str, on: date | None, actor: str, year: int | None = None) -> CaseView:
        self._on(on)
        return super().pay_fee(number, fee, on, actor, year)
