"""Issue #14, the record: nothing rewritten. On SQLite and PostgreSQL: a consistent rewrite of the event log
(tail cut and head moved back; an event changed and every later hash and the head recomputed) passes the
chain check alone but not the anchors kept outside the database; UPDATE/DELETE of the log are refused by
triggers; a flipped ``published`` column publishes nothing; parties cannot date their acts; payloads are
checked key by key; an upload reference must name a stored upload."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from ipoffice.adapters.anchor_file import append_anchor, read_anchors
from ipoffice.adapters.document_files import DocumentFolder
from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.domain.dating import BACKDATED, DateRefused
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.event_log import Anchor
from ipoffice.services.procedures import CaseNotFound, Filing, ProcedureService

from .office_days import OfficeOnTheDay
from .tampering import change_event_and_rehash, delete_last_and_move_head_back, without_log_triggers

TODAY = date(2026, 11, 30)


@pytest.fixture
def history(engine: Engine) -> OfficeOnTheDay:
    """A case published after formality examination and one still unpublished (acts of 2024)."""
    service = OfficeOnTheDay(ProcedureStore(engine))
    service.seed_demo()
    return service


def _file(service: ProcedureService, on: date, title: str) -> str:
    return service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", on, title), "agent.li") \
        .record.application_number


def _published_case(service: ProcedureService) -> str:
    number = _file(service, date(2024, 1, 10), "Optical lens")
    for action, actor, on in (("request_early_publication", "agent.li", date(2024, 1, 15)),
                              ("pass_formality_examination", "examiner.zhang", date(2024, 2, 1)),
                              ("publish", "registrar.zhou", date(2024, 3, 6))):
        service.act(number, action, on, actor)
    return number


def _anchor(service: ProcedureService) -> Anchor:
    sequence, head = service.head()
    return Anchor(sequence, head, "2024-03-06T12:00:00+00:00")


def test_cut_tail_and_head_moved_back_is_found_by_the_anchor(history: OfficeOnTheDay, engine: Engine) -> None:
    _published_case(history)
    anchor = _anchor(history)
    assert history.verify_audit([anchor]).ok
    with without_log_triggers(engine) as conn:
        cut = delete_last_and_move_head_back(conn)
    # The chain and its head are consistent again: the database alone cannot tell.
    alone = history.verify_audit()
    assert [p.reason for p in alone.problems if "cases table" not in p.reason] == []
    report = history.verify_audit([anchor])
    assert not report.ok
    assert any(p.sequence == cut and "truncated" in p.reason for p in report.problems), report.problems


def test_event_changed_and_every_hash_recomputed_is_found_by_the_anchor(history: OfficeOnTheDay,
                                                                        engine: Engine) -> None:
    _published_case(history)
    anchor = _anchor(history)
    with without_log_triggers(engine) as conn:
        change_event_and_rehash(conn, 2, date(2024, 1, 14))
    assert history.verify_audit().ok  # consistent rewrite: chain and head agree
    report = history.verify_audit([anchor])
    assert [(p.sequence, "rewritten" in p.reason) for p in report.problems] == [(anchor.sequence, True)]


def test_the_anchor_file_is_appended_to_and_read_back(tmp_path: Path, history: OfficeOnTheDay) -> None:
    _published_case(history)
    path = tmp_path / "anchors" / "log.jsonl"
    first = append_anchor(path, *history.head())
    history.act(_file(history, date(2024, 4, 1), "Mount"), "request_early_publication", date(2024, 4, 2),
                "agent.li")
    second = append_anchor(path, *history.head())
    assert read_anchors(path) == [first, second] and second.sequence == first.sequence + 2
    assert history.verify_audit(read_anchors(path)).ok


def test_update_and_delete_of_the_log_are_refused_by_triggers(history: OfficeOnTheDay, engine: Engine) -> None:
    _published_case(history)
    for statement in ("UPDATE case_events SET actor = 'someone' WHERE sequence = 1",
                      "DELETE FROM case_events WHERE sequence = (SELECT max(sequence) FROM case_events)",
                      "UPDATE event_chain SET last_sequence = last_sequence - 1",
                      "DELETE FROM event_chain"):
        with pytest.raises(DBAPIError, match="event log"), engine.begin() as conn:
            conn.execute(text(statement))
    if engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("TRUNCATE case_events CASCADE"))
    assert history.verify_audit().ok and history.head()[0] == 4


def test_a_flipped_published_column_publishes_nothing(history: OfficeOnTheDay, engine: Engine) -> None:
    published = _published_case(history)
    secret = _file(history, date(2024, 5, 1), "Secret lens coating")
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET published = :t WHERE application_number = :n"),
                     {"t": True, "n": secret})
    with pytest.raises(CaseNotFound):
        history.show(secret, None)  # the public
    with pytest.raises(CaseNotFound):
        history.show(secret, "examiner.zhao")  # another province's examiner
    assert history.show(published, None).record.published
    assert not history.show(secret, "applicant.wang").record.published
    report = history.verify_audit()
    assert [(p.case, "published flag" in p.reason) for p in report.problems] == [(secret, True)]
    # And the opposite: hiding a published case in the column does not unpublish it.
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET published = :f WHERE application_number = :n"),
                     {"f": False, "n": published})
    assert history.show(published, None).record.published


def test_a_tampered_state_column_is_reported(history: OfficeOnTheDay, engine: Engine) -> None:
    number = _published_case(history)
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET state = 'withdrawn' WHERE application_number = :n"), {"n": number})
    assert history.show(number, None).case.state == "published"  # replayed from the events
    report = history.verify_audit()
    assert [(p.case, "stored state 'withdrawn'" in p.reason) for p in report.problems] == [(number, True)]
    assert [r.state for r in history.with_derived_state([history.show(number, None).record])] == ["published"]
    # A case made to look final in the column still takes its legal consequence from the overdue job.
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET state = 'deemed_withdrawn' WHERE application_number = :n"),
                     {"n": number})
    job = history.run_overdue(date(2027, 2, 1))
    assert [(o.case, o.state) for o in job.outcomes] == [(number, "deemed_withdrawn")]
    assert history.verify_audit().ok  # the job rewrote the cache from the events


# -- dates -------------------------------------------------------------------------------------------------


@pytest.fixture
def today_office(engine: Engine, tmp_path: Path) -> ProcedureService:
    """The office on TODAY (a fixed clock), with a document folder."""
    service = ProcedureService(ProcedureStore(engine), documents=DocumentFolder(tmp_path / "uploads"),
                               clock=lambda: TODAY)
    service.seed_demo()
    return service


def test_a_party_cannot_date_its_act_and_staff_back_date_only_with_a_reason(today_office: ProcedureService) -> None:
    number = _file(today_office, TODAY, "Lens")
    with pytest.raises(DateRefused, match="2031-06-01 is in the future"):
        today_office.act(number, "request_early_publication", date(2031, 6, 1), "agent.li")
    with pytest.raises(DateRefused, match="an act of a party is dated the day the office receives it"):
        today_office.act(number, "request_early_publication", date(2026, 11, 1), "agent.li")
    view = today_office.act(number, "request_early_publication", None, "agent.li")
    assert view.events[-1].date == TODAY
    # Nothing froze: the office acts the same day.
    with pytest.raises(DateRefused, match="needs a reason"):
        today_office.act(number, "pass_formality_examination", date(2026, 11, 29), "examiner.zhang")
    with pytest.raises(DateRefused, match="in the future"):
        today_office.act(number, "pass_formality_examination", date(2026, 12, 1), "examiner.zhang",
                         reason="typo")
    view = today_office.act(number, "pass_formality_examination", TODAY, "examiner.zhang")
    assert view.case.state == "formality_examined" and BACKDATED not in view.events[-1].payload


def test_a_back_dated_staff_act_keeps_its_reason(today_office: ProcedureService) -> None:
    number = _file(today_office, date(2026, 11, 30), "Paper")
    reason = "paper request received 2026-11-30 at the Suzhou counter, entered the next morning"
    with pytest.raises(DateRefused, match="on or before today"):
        today_office.act(number, "pass_formality_examination", date(2026, 12, 1), "examiner.zhang", reason=reason)
    view = today_office.act(number, "pass_formality_examination", date(2026, 11, 30), "examiner.zhang")
    assert BACKDATED not in view.events[-1].payload
    # A filing dated before today, by a party: refused whatever the reason.
    with pytest.raises(DateRefused):
        today_office.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", date(2026, 11, 20), "Mine",
                                 date_reason="I say so"), "applicant.wang")


def test_staff_back_date_with_a_reason_kept_in_the_event(engine: Engine, tmp_path: Path) -> None:
    clock = {"today": date(2026, 11, 2)}
    service = ProcedureService(ProcedureStore(engine), clock=lambda: clock["today"])
    service.seed_demo()
    number = _file(service, date(2026, 11, 2), "Paper")
    clock["today"] = TODAY
    reason = "paper notice signed 2026-11-20, entered late"
    view = service.act(number, "pass_formality_examination", date(2026, 11, 20), "examiner.zhang", reason=reason)
    assert view.events[-1].date == date(2026, 11, 20)
    assert view.events[-1].payload[BACKDATED] == {"reason": reason, "recorded_on": "2026-11-30"}
    assert service.verify_audit().ok  # the replay folds the reason like any payload


# -- payloads ----------------------------------------------------------------------------------------------


def test_payloads_are_checked_key_by_key(today_office: ProcedureService, engine: Engine) -> None:
    number = _file(today_office, TODAY, "Lens")
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM case_events")).scalar_one()
    huge = "x" * (20 * 1024 * 1024)
    with pytest.raises(InvalidField, match="payload.note") as refused:
        today_office.act(number, "request_early_publication", None, "agent.li", {"note": huge})
    assert len(str(refused.value)) < 300  # the refusal does not echo the 20 MB
    with pytest.raises(InvalidField, match="payload.colour: unknown key"):
        today_office.act(number, "request_early_publication", None, "agent.li", {"colour": "red"})
    with pytest.raises(InvalidField, match="payload.text: is written by the office"):
        today_office.act(number, "request_early_publication", None, "agent.li", {"text": "I grant myself"})
    with pytest.raises(InvalidField, match="payload.months"):
        today_office.act(number, "request_early_publication", None, "agent.li", {"months": "many"})
    with pytest.raises(InvalidField, match="payload: at most 64 KB"):
        today_office.act(number, "pass_formality_examination", None, "examiner.zhang",
                         {"text": "审" * 19_000, "note": "注" * 2000,
                          "citations": [{"number": "CN" + "9" * 38, "category": "X"}] * 200})
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM case_events")).scalar_one() == before
    view = today_office.act(number, "request_early_publication", None, "agent.li", {"note": "please"})
    assert view.events[-1].payload == {"note": "please"}


def test_an_upload_reference_must_name_a_stored_upload(today_office: ProcedureService, tmp_path: Path) -> None:
    number = _file(today_office, TODAY, "Lens")
    content = b"%PDF-1.4 reply"
    digest = hashlib.sha256(content).hexdigest()
    with pytest.raises(InvalidField, match="names no document 'reply.pdf' uploaded"):
        today_office.act(number, "request_early_publication", None, "agent.li",
                         {"document": "reply.pdf", "sha256": digest, "size": len(content)})
    folder = DocumentFolder(tmp_path / "uploads")
    folder.save(number, digest, "reply.pdf", b"%PDF-1.4 something else")  # stored, but not that content
    with pytest.raises(InvalidField, match="names no document"):
        today_office.act(number, "request_early_publication", None, "agent.li",
                         {"document": "reply.pdf", "sha256": digest})
    folder.save(number, digest, "reply.pdf", content)
    view = today_office.act(number, "request_early_publication", None, "agent.li",
                            {"document": "reply.pdf", "sha256": digest, "size": len(content)})
    assert view.events[-1].payload["sha256"] == digest
