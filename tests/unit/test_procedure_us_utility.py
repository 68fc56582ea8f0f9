"""US utility mechanics that are not scenarios: implied steps and the USPTO status mapping. The legal
scenarios (reply periods, allowance, issue, maintenance) are data: tests/scenarios/us/*.yaml."""

from ipoffice.domain.procedures.us_utility import US_UTILITY as P
from ipoffice.domain.procedures.us_utility import USPTO_STATUS_TEXTS, states_for_status


def test_implied_steps_bridge_a_partial_history():
    assert [t.action for t in P.implied_path("restriction_required", "final_rejection")] == ["reply_to_restriction"]
    assert [t.action for t in P.implied_path("non_final_rejection", "corrected_notice_of_allowability")] == [
        "reply", "notice_of_allowance"]
    assert P.implied_path("patented", "non_final_rejection") is None


def test_status_text_mapping_is_explicit():
    assert states_for_status("Abandoned  --  Failure to Respond to an Office Action") == {"abandoned"}
    assert states_for_status("Non Final Action Mailed") == {"non_final_rejection", "restriction_required"}
    assert states_for_status("Some New Status") is None
    assert all(states <= set(P.states) for states in USPTO_STATUS_TEXTS.values())
    assert "abandoned" not in P.reachable_states("patented")
    assert P.reachable_states("abandoned") == {"abandoned"}  # revival is an extraordinary remedy
