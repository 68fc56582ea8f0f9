from datetime import date

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.domain.procedures.base import ActionNotAllowed, ActionRefused, Procedure, transition
from ipoffice.domain.procedures.cn_design import CN_DESIGN
from ipoffice.domain.procedures.cn_invention import CN_INVENTION
from ipoffice.domain.procedures.cn_trademark import CN_TRADEMARK
from ipoffice.domain.procedures.cn_utility_model import CN_UTILITY_MODEL
from ipoffice.domain.procedures.us_utility import US_UTILITY

ALL = [CN_INVENTION, CN_UTILITY_MODEL, CN_DESIGN, CN_TRADEMARK, US_UTILITY]


@pytest.mark.parametrize("procedure", ALL, ids=lambda p: p.name)
def test_every_state_is_reachable_from_the_initial_state(procedure):
    reachable = procedure.reachable_states(procedure.initial_state, ordinary_only=False)
    assert reachable == set(procedure.states)


@pytest.mark.parametrize("procedure", ALL, ids=lambda p: p.name)
def test_every_time_limit_rule_exists_in_the_rules_data(procedure):
    rules = load_rules(procedure.name.split("_")[0])
    for t in procedure.transitions:
        for spec in t.opens:
            for rule in (spec.rule, spec.extension_rule):
                if isinstance(rule, str):
                    assert rule in rules.names, f"{procedure.name}.{t.action}: {rule}"


def test_refused_action_names_the_state_and_the_allowed_actions_and_changes_nothing():
    rules = load_rules("cn")
    case, _ = CN_UTILITY_MODEL.apply(CN_UTILITY_MODEL.new_case(), "file", date(2024, 3, 1), rules)
    with pytest.raises(ActionNotAllowed) as refused:
        CN_UTILITY_MODEL.apply(case, "announce_grant", date(2024, 3, 2), rules)
    assert str(refused.value) == (
        "action 'announce_grant' is not allowed in state 'filed'; allowed actions: deem_withdrawn, "
        "notify_formality_deficiency, notify_grant, reject, withdraw"
    )
    assert refused.value.allowed == ("deem_withdrawn", "notify_formality_deficiency", "notify_grant", "reject",
                                     "withdraw")
    assert case.state == "filed" and len(case.events) == 1


def test_final_state_has_no_allowed_actions():
    rules = load_rules("cn")
    case, _ = CN_UTILITY_MODEL.apply(CN_UTILITY_MODEL.new_case(), "file", date(2024, 3, 1), rules)
    case, _ = CN_UTILITY_MODEL.apply(case, "withdraw", date(2024, 4, 1), rules)
    with pytest.raises(ActionNotAllowed, match=r"in state 'withdrawn'; allowed actions: none \(final state\)"):
        CN_UTILITY_MODEL.apply(case, "notify_grant", date(2024, 4, 2), rules)


def test_an_action_dated_before_the_last_event_is_refused():
    rules = load_rules("cn")
    case, _ = CN_UTILITY_MODEL.apply(CN_UTILITY_MODEL.new_case(), "file", date(2024, 3, 1), rules)
    with pytest.raises(ActionRefused, match=r"dated 2024-02-01, before the last event \(2024-03-01\)"):
        CN_UTILITY_MODEL.apply(case, "notify_grant", date(2024, 2, 1), rules)


def test_state_is_derived_from_the_events():
    rules = load_rules("us")
    case = US_UTILITY.new_case()
    recorded = []
    for action, on in [("file", date(2023, 1, 23)), ("non_final_rejection", date(2023, 9, 25)),
                       ("mail_non_final_rejection", date(2023, 9, 28)), ("reply", date(2023, 12, 1))]:
        case, events = US_UTILITY.apply(case, action, on, rules)
        recorded += events
    assert [e.code for e in recorded] == ["file", "non_final_rejection", "mail_non_final_rejection", "reply"]
    assert US_UTILITY.replay(recorded, rules) == case
    assert case.state == "response_filed"


def test_a_procedure_definition_with_unknown_states_is_rejected():
    with pytest.raises(ValueError, match="go: unknown target state 'nowhere'"):
        Procedure("toy", {"a": "A"}, "a", (), [transition("go", "a", "nowhere")])
    with pytest.raises(ValueError, match="two transitions for action 'go' from state 'a'"):
        Procedure("toy", {"a": "A", "b": "B"}, "a", (), [transition("go", "a", "b"), transition("go", "a", "a")])


def test_case_of_another_procedure_is_refused():
    rules = load_rules("cn")
    case = CN_DESIGN.new_case()
    with pytest.raises(ActionRefused, match="case belongs to procedure 'cn_design'"):
        CN_UTILITY_MODEL.apply(case, "file", date(2024, 1, 1), rules)
