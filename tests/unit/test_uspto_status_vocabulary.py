"""The USPTO application-status vocabulary (issue #13 case 10): data with its source, every status
mapped to states of the US procedure, unknown texts reported by the replay, never guessed."""

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.adapters.uspto_status import StatusVocabularyError, load_status_vocabulary, parse_status_vocabulary
from ipoffice.domain.procedures.us_utility import US_UTILITY as P
from ipoffice.domain.procedures.us_utility import StatusVocabulary, UsptoStatus
from ipoffice.services.replay import replay_all, replay_history


@pytest.fixture(scope="module")
def vocabulary():
    return load_status_vocabulary()


def test_every_status_of_the_vocabulary_maps_to_known_states(vocabulary):
    assert len(vocabulary) >= 115
    for status in vocabulary.statuses:
        assert status.states and status.states <= set(P.states), status
        assert vocabulary.states_for(status.text, status.proceeding) is not None
        for spelling in status.also:
            assert vocabulary.lookup(spelling, status.proceeding)[0].code == status.code
    codes = [s.code for s in vocabulary.statuses]
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize(("text", "states"), [
    ("Abandoned  --  Failure to Pay Issue Fee", {"abandoned"}),  # the status of issue #13
    ("Abandoned -- Failure to Pay Issue Fee", {"abandoned"}),
    ("ABANDONED -- FAILURE TO PAY ISSUE FEE", {"abandoned"}),
    ("Non Final Action Mailed", {"non_final_rejection", "restriction_required"}),
    ("Patented Case", {"patented"}),
    ("Expressly Abandoned  --  During Examination", {"abandoned"}),
    ("Provisional Application Expired", {"abandoned"}),
    ("Patent Expired Due to NonPayment of Maintenance Fees Under 37 CFR 1.362", {"expired"}),
    ("Patent Expired Due to Non Payment of Maintenance Fees Under 37 CFR 1.362", {"expired"}),
    ("Notice of Appeal Filed", {"appeal_pending"}),  # the application status, not the reexamination one
    ("Reexamination Certificate Issued", {"patented"}),
    ("Abandoned  --  Incomplete Application (Pre-examination)", {"abandoned"}),
])
def test_status_texts_as_uspto_data_spells_them(vocabulary, text, states):
    assert vocabulary.states_for(text) == states


def test_the_pct_statuses_of_appendix_a_table_a7_are_known(vocabulary):
    assert len(vocabulary) == 121
    by_code = {s.code: s for s in vocabulary.statuses}
    assert by_code[218].text == "RO PROCESSING COMPLETED-PLACED IN STORAGE"
    assert by_code[566].text == "PCT - International Search Report Mailed to IB"
    assert vocabulary.states_for("RO PROCESSING COMPLETED-PLACED IN STORAGE") == {"new"}
    assert vocabulary.states_for("Ro Processing Completed-Placed in Storage") == {"new"}
    assert vocabulary.states_for("PCT  -  International Search Report Mailed to IB") == {"new"}


def test_a_vocabulary_naming_an_unknown_state_or_a_duplicate_code_is_refused():
    with pytest.raises(ValueError, match="unknown state"):
        StatusVocabulary([UsptoStatus(1, "X", "application", frozenset({"limbo"}))])
    with pytest.raises(ValueError, match="code 2 listed twice"):
        StatusVocabulary([UsptoStatus(2, "X", "application", frozenset({"patented"})),
                          UsptoStatus(2, "Y", "application", frozenset({"patented"}))])
    with pytest.raises(StatusVocabularyError, match=r"statuses\[0\]: unknown key"):
        parse_status_vocabulary("statuses: [{code: 1, text: X, proceeding: application, states: [new], x: 1}]")


def _record(number, status, events):
    return {"application_number": number, "filing_date": "2019-03-04", "status": status,
            "prosecution_events": [{"code": c, "date": d} for c, d in events]}


def test_replay_maps_the_issue_fee_abandonment_and_reports_an_unknown_status():
    rules = load_rules("us")
    allowed = [("CTNF", "2020-01-06"), ("MCTNF", "2020-01-08")]
    known = replay_history(_record("90000010", "Abandoned  --  Failure to Pay Issue Fee", allowed), rules)
    assert known.consistent and not known.unknown_status
    results, summary = replay_all([_record("90000011", "Application Sent to the Moon", allowed),
                                   _record("90000012", "Abandoned  --  Failure to Pay Issue Fee", allowed)], rules)
    assert summary.unknown_statuses == {"Application Sent to the Moon": 1}
    assert results[0].unknown_status and not results[0].consistent
    assert "not in the USPTO status vocabulary" in results[0].reason
    assert summary.as_json()["unknown_statuses"] == {"Application Sent to the Moon": 1}
