"""The hash-chained event log: canonical hashing, and verification finding each kind of tampering."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

import pytest

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.event_log import GENESIS_HASH, chain, entry_hash, json_payload, verify_chain

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
