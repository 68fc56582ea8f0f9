"""The International Bureau's Madrid transactions fed into the cn_madrid_trademark cases, on SQLite and
PostgreSQL, from a small hand-written ST.66-shaped file (tests/integration/madrid/ib_transactions.xml; the shared
data holds no Madrid transaction, see adapters.madrid_transactions): the designation files the case, the
limitation and transfer become its legal events with their effects, a renewal after the grant extends the term,
a second feed records nothing new, and a refusal or an unknown registration is refused naming the element."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from integration.office_days import OfficeOnTheDay
from ipoffice.adapters.madrid_transactions import read_transactions
from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.domain.errors import InvalidField
from ipoffice.services.madrid_feed import MadridFeed

FIXTURE = Path(__file__).parent / "madrid" / "ib_transactions.xml"


def _renewal(tmp_path: Path, code: str = "Renewal", number: str = "9900001") -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    start, end = text.index("<wo:MarkEventDetails>"), text.index("</wo:MarkEventDetails>")
    event = (f"<wo:MarkEventDetails><wo:MarkEvent><wo:MarkEventDate>2034-02-01</wo:MarkEventDate>"
             f"<wo:MarkEventCode>{code}</wo:MarkEventCode></wo:MarkEvent>")
    path = tmp_path / "renewal.xml"
    path.write_text(text[:start].replace("9900001", number) + event + text[end:], encoding="utf-8")
    return path


@pytest.fixture
def feed(engine: Engine) -> MadridFeed:
    procedures = OfficeOnTheDay(ProcedureStore(engine))
    procedures.seed_demo()
    return MadridFeed(procedures)


def test_the_file_reads_as_three_ib_transactions() -> None:
    found = read_transactions(FIXTURE)
    assert [(t.international_number, t.action, t.notified) for t in found] == [
        ("9900001", "file", date(2024, 5, 20)), ("9900001", "record_limitation", date(2024, 7, 1)),
        ("9900001", "record_transfer", date(2024, 8, 1))]
    assert found[0].payload == {"international_registration_number": "9900001",
                                "international_registration_date": "2024-03-11", "gazette_date": "2024-05-16",
                                "nice_classes": [9, 42], "notification_date": "2024-05-20", "mark": "SKYWARDEN"}
    assert found[1].payload == {"removed_classes": [42]}
    assert found[2].payload == {"new_holder": "Skywarden Holdings GmbH"}


def test_designation_limitation_transfer_and_renewal_become_the_cases_legal_events(feed: MadridFeed,
                                                                                  tmp_path: Path) -> None:
    feed.procedures.clock = lambda: date(2024, 5, 20)  # the office records the designation the day notified
    fed = feed.feed_file(FIXTURE, "applicant.wang", "agent.li", "registrar.zhou")
    assert [f.outcome for f in fed] == ["recorded"] * 3
    number = fed[0].case
    view = feed.procedures.show(number, "registrar.zhou")
    assert [(e.code, e.date) for e in view.events if e.code in ("file", "record_limitation", "record_transfer")] == [
        ("file", date(2024, 5, 20)), ("record_limitation", date(2024, 7, 1)), ("record_transfer", date(2024, 8, 1))]
    assert view.case.facts["nice_classes"] == [9] and view.case.facts["holder"] == "Skywarden Holdings GmbH"
    assert view.case.facts["international_registration_number"] == "9900001"
    assert {t.name: t.due for t in view.case.open_time_limits}["refusal_period"] == date(2025, 11, 20)

    again = feed.feed_file(FIXTURE, "applicant.wang", "agent.li", "registrar.zhou")
    assert [f.outcome for f in again] == ["already recorded"] * 3

    feed.procedures.act(number, "grant_protection", date(2024, 9, 10), "registrar.zhou")
    renewed = feed.feed_file(_renewal(tmp_path), "applicant.wang", "agent.li", "registrar.zhou")
    assert [(f.transaction.action, f.outcome) for f in renewed] == [("record_renewal", "recorded")]
    view = feed.procedures.show(number, "registrar.zhou")
    assert view.case.state == "protected" and view.case.date_fact("term_ends") == date(2044, 3, 10)
    assert feed.procedures.verify_audit().ok


@pytest.mark.parametrize(("code", "number", "field"), [
    ("Provisional Refusal", "9900001", "MarkEventCode"),  # the office's own act, not the IB's
    ("Merger", "9900001", "MarkEventCode"),
    ("Renewal", "9900002", "InternationalRegistrationNumber"),  # no designation recorded for it
])
def test_what_is_not_an_ib_transaction_of_a_known_registration_is_refused(feed: MadridFeed, tmp_path: Path,
                                                                          code: str, number: str, field: str) -> None:
    with pytest.raises(InvalidField) as caught:
        feed.feed_file(_renewal(tmp_path, code, number), "applicant.wang", "agent.li", "registrar.zhou")
    assert field in caught.value.field
    assert feed.cases_by_registration() == {}
