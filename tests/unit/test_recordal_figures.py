"""Registered recordals as dated spans (``domain.recordal_figures``): a release ends its own pledge only, a
withdrawal ends the open licence declared before it, requests not registered are not spans, the end a
request names bounds it."""

from __future__ import annotations

from datetime import date

from ipoffice.domain.recordal_figures import LoggedEvent, registered_recordals


def _filed(seq: int, kind: str, on: date, **request: object) -> LoggedEvent:
    return LoggedEvent(seq, "recordal_filed", on, "owner", {"type": kind, "request": request, "fee": {}})


def _registered(seq: int, request: int, kind: str, on: date) -> LoggedEvent:
    return LoggedEvent(seq, "recordal_registered", on, "registrar", {"request": request, "type": kind})


def test_spans_of_pledges_and_open_licences() -> None:
    d = date
    log = [
        _filed(1, "pledge", d(2021, 1, 4), pledgee="A"), _registered(2, 1, "pledge", d(2021, 1, 6)),
        _filed(3, "pledge", d(2021, 2, 1), pledgee="B"), _registered(4, 3, "pledge", d(2021, 2, 3)),
        _filed(5, "pledge_release", d(2021, 3, 1), pledge=3), _registered(6, 5, "pledge_release", d(2021, 3, 2)),
        _filed(7, "open_licence", d(2021, 7, 1), royalty="2%", ends="2022-06-30"),
        _registered(8, 7, "open_licence", d(2021, 7, 2)),
        _filed(9, "open_licence_withdrawal", d(2021, 9, 1)),
        _registered(10, 9, "open_licence_withdrawal", d(2021, 9, 3)),
        _filed(11, "open_licence", d(2021, 10, 1), royalty="3%", ends="2021-12-31"),
        _registered(12, 11, "open_licence", d(2021, 10, 2)),
        _filed(13, "transfer", d(2021, 11, 1), assignees=["x"]),  # filed, never decided
    ]
    spans = {s.request: s for s in registered_recordals(reversed(log))}
    assert set(spans) == {1, 3, 5, 7, 9, 11}
    assert spans[1].ended_on is None and spans[3].ended_on == d(2021, 3, 2)  # the release names pledge 3
    assert spans[1].in_force(d(2030, 1, 1)) and not spans[3].in_force(d(2021, 3, 2))
    assert spans[3].in_force(d(2021, 3, 1)) and not spans[3].in_force(d(2021, 2, 2))
    assert spans[7].ended_on == d(2021, 9, 3) and spans[7].ends == d(2022, 6, 30)
    assert spans[7].in_force(d(2021, 9, 2)) and not spans[7].in_force(d(2021, 9, 3))
    assert spans[11].ended_on is None  # the withdrawal came before this declaration
    assert spans[11].in_force(d(2021, 12, 31)) and not spans[11].in_force(d(2022, 1, 1))
