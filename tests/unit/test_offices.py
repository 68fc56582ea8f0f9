"""The office tree and the access policy: who may see and do what."""

from __future__ import annotations

import pytest

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.offices import (
    AccessPolicy,
    ActionKind,
    CaseAccess,
    Office,
    OfficeLevel,
    OfficeTree,
    Role,
    User,
    action_kind,
)
from ipoffice.domain.procedures.cn_invention import CN_INVENTION

TREE = OfficeTree([
    Office("CNIPA", "CNIPA", OfficeLevel.NATIONAL, "CN"),
    Office("CN-JS", "Jiangsu", OfficeLevel.PROVINCIAL, "CN", "CNIPA"),
    Office("CN-JS-SZ", "Suzhou", OfficeLevel.LOCAL, "CN", "CN-JS"),
    Office("CN-JS-SPC", "Jiangsu service centre", OfficeLevel.SERVICE_CENTRE, "CN", "CN-JS"),
    Office("CN-ZJ", "Zhejiang", OfficeLevel.PROVINCIAL, "CN", "CNIPA"),
])
POLICY = AccessPolicy(TREE)


def user(name: str, office: str, *roles: Role) -> User:
    return User(name, name, office, frozenset(roles))


WANG = user("applicant.wang", "CN-JS-SZ", Role.APPLICANT)
CHEN = user("applicant.chen", "CN-ZJ", Role.APPLICANT)
LI = user("agent.li", "CN-JS", Role.AGENT)
ZHANG = user("examiner.zhang", "CN-JS", Role.EXAMINER)
ZHAO = user("examiner.zhao", "CN-ZJ", Role.EXAMINER)
LIU = user("examiner.liu", "CNIPA", Role.EXAMINER)
SUN = user("reviewer.sun", "CNIPA", Role.REVIEWING_EXAMINER)
ZHOU = user("registrar.zhou", "CNIPA", Role.REGISTRAR)
QIAN = user("admin.qian", "CNIPA", Role.OFFICE_ADMIN)

UNPUBLISHED = CaseAccess("202610000001.9", "CN-JS-SZ", "applicant.wang", "agent.li", published=False)
PUBLISHED = CaseAccess("202610000002.3", "CN-JS-SZ", "applicant.wang", None, published=True)


def test_tree_answers_ancestry() -> None:
    assert [o.code for o in TREE.ancestors("CN-JS-SZ")] == ["CN-JS-SZ", "CN-JS", "CNIPA"]
    assert TREE.is_within("CN-JS-SZ", "CNIPA") and TREE.is_within("CN-JS-SZ", "CN-JS")
    assert not TREE.is_within("CN-JS-SZ", "CN-ZJ") and not TREE.is_within("CN-JS", "CN-JS-SZ")
    assert [o.code for o in TREE.children("CN-JS")] == ["CN-JS-SPC", "CN-JS-SZ"]


@pytest.mark.parametrize(("offices", "message"), [
    ([Office("X", "x", OfficeLevel.PROVINCIAL, "CN")], "needs a parent office"),
    ([Office("A", "a", OfficeLevel.NATIONAL, "CN"), Office("B", "b", OfficeLevel.LOCAL, "CN", "Z")],
     "unknown parent"),
    ([Office("A", "a", OfficeLevel.NATIONAL, "CN"), Office("B", "b", OfficeLevel.LOCAL, "CN", "A"),
      Office("C", "c", OfficeLevel.PROVINCIAL, "CN", "B")], "cannot sit below local B"),
    ([Office("A", "a", OfficeLevel.NATIONAL, "CN"), Office("B", "b", OfficeLevel.PROVINCIAL, "US", "A")],
     "differs from parent A"),
    ([Office("A", "a", OfficeLevel.NATIONAL, "CN"), Office("A", "b", OfficeLevel.NATIONAL, "CN")], "appears twice"),
])
def test_tree_rejects_a_malformed_hierarchy(offices: list[Office], message: str) -> None:
    with pytest.raises(InvalidField, match=message):
        OfficeTree(offices)


def test_unpublished_application_is_seen_by_its_parties_and_the_offices_above_only() -> None:
    assert [u.username for u in (WANG, CHEN, LI, ZHANG, ZHAO, LIU, ZHOU) if POLICY.can_view(u, UNPUBLISHED)] == [
        "applicant.wang", "agent.li", "examiner.zhang", "examiner.liu", "registrar.zhou"]
    assert not POLICY.can_view(None, UNPUBLISHED)
    assert POLICY.view(None, UNPUBLISHED).reason == "application 202610000001.9 is not published"


def test_published_case_is_seen_by_everybody() -> None:
    assert POLICY.can_view(None, PUBLISHED) and POLICY.can_view(CHEN, PUBLISHED) and POLICY.can_view(ZHAO, PUBLISHED)


def test_examiners_act_only_within_their_office_tree() -> None:
    assert POLICY.can_act(ZHANG, UNPUBLISHED, "office_action")
    assert POLICY.can_act(LIU, UNPUBLISHED, "office_action")  # the national office is above every province
    decision = POLICY.act(ZHAO, PUBLISHED, "office_action")
    assert not decision
    assert decision.reason == "202610000002.3 is handled by CN-JS-SZ, outside examiner.zhao's office CN-ZJ"


def test_parties_act_only_on_their_own_cases() -> None:
    assert POLICY.can_act(WANG, UNPUBLISHED, "respond")
    assert POLICY.can_act(LI, UNPUBLISHED, "request_substantive_examination")
    assert not POLICY.can_act(LI, PUBLISHED, "respond")  # not the agent of that case
    assert not POLICY.can_act(CHEN, PUBLISHED, "withdraw")
    assert not POLICY.can_act(ZHANG, UNPUBLISHED, "respond")  # staff do not reply for applicants
    assert not POLICY.can_act(WANG, UNPUBLISHED, "office_action")
    assert not POLICY.can_act(None, PUBLISHED, "respond")


def test_each_office_action_needs_its_role() -> None:
    assert not POLICY.can_act(ZHANG, UNPUBLISHED, "announce_grant")
    assert POLICY.can_act(ZHOU, UNPUBLISHED, "announce_grant")
    assert POLICY.can_act(ZHOU, UNPUBLISHED, "publish")
    assert not POLICY.can_act(ZHANG, UNPUBLISHED, "uphold_rejection")
    assert POLICY.can_act(SUN, UNPUBLISHED, "uphold_rejection")
    assert POLICY.can_act(QIAN, UNPUBLISHED, "deem_withdrawn") and not POLICY.can_act(QIAN, UNPUBLISHED, "reject")
    assert POLICY.act(ZHANG, UNPUBLISHED, "announce_grant").reason == (
        "'announce_grant' (registration action) needs the role registrar; examiner.zhang has none")


def test_filing() -> None:
    assert POLICY.file(WANG, "CN-JS-SPC", "applicant.wang")
    assert POLICY.file(LI, "CN-JS-SZ", "applicant.chen")  # an agent files for a client
    assert not POLICY.file(WANG, "CN-JS-SZ", "applicant.chen")
    assert not POLICY.file(ZHANG, "CN-JS-SZ", "applicant.wang")
    with pytest.raises(InvalidField, match="no such office"):
        POLICY.file(WANG, "CN-XX", "applicant.wang")


def test_every_cn_invention_action_has_an_actor() -> None:
    kinds = {t.action: action_kind(t.action) for t in CN_INVENTION.transitions}
    assert {a for a, k in kinds.items() if k is ActionKind.PARTY} >= {
        "file", "request_substantive_examination", "request_early_publication", "respond", "request_extension",
        "withdraw", "complete_registration", "pay_annuity", "request_reexamination", "submit_correction"}
    assert {a for a, k in kinds.items() if k is ActionKind.CONSEQUENCE} >= {
        "deem_withdrawn", "deem_right_abandoned", "lapse", "expire_term"}
    assert {a for a, k in kinds.items() if k is ActionKind.REGISTRATION} == {"publish", "announce_grant"}
    assert kinds["office_action"] is ActionKind.EXAMINATION and kinds["notify_grant"] is ActionKind.EXAMINATION
    assert kinds["revoke_rejection"] is ActionKind.REVIEW and kinds["declare_invalid"] is ActionKind.REVIEW


def test_us_and_trademark_actions_have_the_right_actor() -> None:
    assert action_kind("express_abandonment") is ActionKind.PARTY
    assert action_kind("notice_of_appeal") is ActionKind.PARTY
    assert action_kind("reply_to_restriction") is ActionKind.PARTY
    assert action_kind("corrected_notice_of_allowability") is ActionKind.EXAMINATION
    assert action_kind("non_final_rejection") is ActionKind.EXAMINATION
    assert action_kind("issue_patent") is ActionKind.REGISTRATION
    assert action_kind("abandon_for_failure_to_reply") is ActionKind.CONSEQUENCE
    assert action_kind("board_decision") is ActionKind.REVIEW
    assert action_kind("overturn_refusal") is ActionKind.REVIEW
