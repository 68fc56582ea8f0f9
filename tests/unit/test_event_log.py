"""The hash-chained event log: canonical hashing, and verification finding each kind of tampering."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

import pytest

from ipoffice.domain.dating import ActDate, DateRefused, act_date
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.event_log import GENESIS_HASH, Anchor, chain, entry_hash, json_payload, verify_chain
from ipoffice.domain.payloads import UploadReference, check_payload

CASE = "202610000001.9"


def _log() -> list:  # type: ignore[type-arg]
    return chain(GENESIS_HASH, 1, CASE, "agent.li", "CN-JS-SZ", [
        ("file", date(2026, 1, 5), {"priority_dates": [date(2025, 6, 1)], "application_number": CASE}),
        ("request_substantive_examination", date(2026, 2, 1), {}),
        ("withdraw", date(2026, 3, 2), {"reason": "撤回"}),
    ])


def test_hash_is_sha256_of_the_canonical_json() -> None:
    expected_body = (
        '["' + GENESIS_HASH + '",1,"202610000001.9","file","2026-01-05","agent.li","CN-JS-SZ",'
        '{"application_number":"202610000001.9","priority_dates":["2025-06-01"]}]'
    )
    digest = hashlib.sha256(expected_body.encode()).hexdigest()
    first = _log()[0]
    assert first.hash == digest
    assert first.payload == {"priority_dates": ["2025-06-01"], "application_number": CASE}
    # A payload read back from storage (dates as strings, keys in another order) hashes the same.
    assert entry_hash(GENESIS_HASH, 1, CASE, "file", date(2026, 1, 5), "agent.li", "CN-JS-SZ",
                      {"application_number": CASE, "priority_dates": ["2025-06-01"]}) == digest


def test_entries_chain_to_each_other() -> None:
    log = _log()
    assert [e.sequence for e in log] == [1, 2, 3]
    assert log[1].previous_hash == log[0].hash and log[2].previous_hash == log[1].hash
    report = verify_chain(log, expected_head=(3, log[2].hash))
    assert report.ok and report.checked == 3 and report.head_hash == log[2].hash


def test_an_altered_event_is_found() -> None:
    log = _log()
    log[1] = replace(log[1], date=date(2026, 1, 31))
    report = verify_chain(log, expected_head=(3, log[2].hash))
    assert [(p.sequence, p.reason) for p in report.problems] == [
        (2, "content does not match its hash (the event was altered)")
    ]


def test_a_rehashed_event_breaks_the_next_link() -> None:
    log = _log()
    forged = replace(log[1], actor="examiner.zhang")
    forged = replace(forged, hash=entry_hash(forged.previous_hash, 2, CASE, forged.code, forged.date,
                                             forged.actor, forged.office, forged.payload))
    report = verify_chain([log[0], forged, log[2]])
    assert [p.sequence for p in report.problems] == [3]
    assert "previous hash" in report.problems[0].reason


def test_a_removed_event_and_a_cut_tail_are_found() -> None:
    log = _log()
    gap = verify_chain([log[0], log[2]])
    assert {p.sequence for p in gap.problems} == {3}
    assert any("sequence 3 follows 1" in p.reason for p in gap.problems)
    cut = verify_chain(log[:2], expected_head=(3, log[2].hash))
    assert len(cut.problems) == 1 and "recorded head is event 3" in cut.problems[0].reason


def test_payload_values_must_be_json() -> None:
    assert json_payload({"n": (1, 2), "d": date(2026, 1, 1)}) == {"n": [1, 2], "d": "2026-01-01"}
    with pytest.raises(InvalidField, match=r"payload\.x"):
        json_payload({"x": object()})


def _rechain(entries: list) -> list:  # type: ignore[type-arg]
    """The entries re-hashed from the first: a consistent rewrite."""
    out, previous = [], GENESIS_HASH
    for e in entries:
        digest = entry_hash(previous, e.sequence, e.case, e.code, e.date, e.actor, e.office, e.payload)
        out.append(replace(e, previous_hash=previous, hash=digest))
        previous = digest
    return out


def test_anchors_find_a_consistent_rewrite_and_a_truncation() -> None:
    log = _log()
    anchors = [Anchor(2, log[1].hash, "2026-11-01T00:00:00+00:00"), Anchor(len(log), log[-1].hash, "later")]
    assert verify_chain(log, (log[-1].sequence, log[-1].hash), anchors).ok
    # Cut the tail and move the head back: consistent, but the last anchor is gone.
    cut = log[:-1]
    assert verify_chain(cut, (cut[-1].sequence, cut[-1].hash)).ok
    report = verify_chain(cut, (cut[-1].sequence, cut[-1].hash), anchors)
    assert [(p.sequence, "truncated" in p.reason) for p in report.problems] == [(len(log), True)]
    # Change the first event and recompute every hash and the head: every anchor from there on differs.
    rewritten = _rechain([replace(log[0], actor="someone")] + log[1:])
    assert verify_chain(rewritten, (rewritten[-1].sequence, rewritten[-1].hash)).ok
    report = verify_chain(rewritten, (rewritten[-1].sequence, rewritten[-1].hash), anchors)
    assert [p.sequence for p in report.problems] == [2, len(log)]
    assert "rewritten at or before event 2" in report.problems[0].reason


def test_an_anchor_must_be_a_sha256() -> None:
    with pytest.raises(InvalidField, match="anchor.hash"):
        Anchor(1, "not a hash")
    assert verify_chain([], None, [Anchor(0, GENESIS_HASH)]).ok


def test_who_may_choose_the_date_of_an_act() -> None:
    today = date(2026, 11, 30)
    assert act_date(today=today, requested=None, staff=False) == ActDate(today, None)
    assert act_date(today=today, requested=today, staff=False) == ActDate(today, None)
    with pytest.raises(DateRefused, match="in the future"):
        act_date(today=today, requested=date(2031, 6, 1), staff=True, reason="x")
    with pytest.raises(DateRefused, match="party"):
        act_date(today=today, requested=date(2026, 11, 1), staff=False, reason="x")
    with pytest.raises(DateRefused, match="needs a reason"):
        act_date(today=today, requested=date(2026, 11, 1), staff=True)
    assert act_date(today=today, requested=date(2026, 11, 1), staff=True, reason=" paper ") == ActDate(
        date(2026, 11, 1), {"reason": "paper", "recorded_on": "2026-11-30"})


def test_payload_keys_types_and_sizes() -> None:
    assert check_payload("respond", {"note": "ok", "months": 2}, staff=False) is None
    for payload, field in (({"colour": 1}, "payload.colour"), ({"note": "x" * 2001}, "payload.note"),
                           ({"months": True}, "payload.months"), ({"text": "t"}, "payload.text"),
                           ({"sha256": "A" * 64}, "payload.sha256"), ({"document": "a.pdf"}, "payload.document")):
        with pytest.raises(InvalidField) as refused:
            check_payload("respond", payload, staff=False)
        assert refused.value.field == field and len(str(refused.value)) < 400
    assert check_payload("respond", {"document": "a.pdf", "sha256": "a" * 64}, staff=False) == UploadReference(
        "a.pdf", "a" * 64)
    assert check_payload("office_action", {"text": "t", "service": "paper",
                                           "citations": [{"number": "CN1A", "category": "X"}]}, staff=True) is None
    with pytest.raises(InvalidField, match="at most 64 KB"):
        check_payload("office_action", {"text": "审" * 20_000, "note": "注" * 2000}, staff=True)
