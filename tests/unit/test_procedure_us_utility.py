"""US utility mechanics that are not scenarios: implied steps and the USPTO status mapping. The legal
scenarios (reply periods, allowance, issue, maintenance) are data: tests/scenarios/us/*.yaml."""

from ipoffice.adapters.uspto_status import load_status_vocabulary
from ipoffice.domain.procedures.us_utility import US_UTILITY as P


def test_implied_steps_bridge_a_partial_history():
    assert [t.action for t in P.implied_path("restriction_required", "final_rejection")] == ["reply_to_restriction"]
    assert [t.action for t in P.implied_path("non_final_rejection", "corrected_notice_of_allowability")] == [
        "reply", "notice_of_allowance"]
    assert P.implied_path("patented", "non_final_rejection") is None


def test_status_text_mapping_is_explicit():
    states_for = load_status_vocabulary().states_for
    assert states_for("Abandoned  --  Failure to Respond to an Office Action") == {"abandoned"}
    assert states_for("Non Final Action Mailed") == {"non_final_rejection", "restriction_required"}
    assert states_for("Some New Status") is None
    assert "abandoned" not in P.reachable_states("patented")
    assert P.reachable_states("abandoned") == {"abandoned"}  # revival is an extraordinary remedy
