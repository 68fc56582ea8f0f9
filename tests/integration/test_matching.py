"""Need → patent matching and value indicators on real shared data (the web tests' register: EPO and USPTO
XML, Chinese patents, prosecution histories), and the match log and priority links on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from e2e.web_app import build_web_register
from integration.search_corpus import shared_vector_cache as shared_corpus_cache
from ipoffice.adapters.match_log import MatchLog
from ipoffice.adapters.priority_links import priority_linked
from ipoffice.adapters.register import SqlRegister
from ipoffice.bootstrap import Office, office
from ipoffice.domain.document import Document, LocalizedText, PriorityClaim, TextField
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import PublicationNumber

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def running(shared: Path) -> Office:
    settings = build_web_register(shared).settings
    running = office(replace(settings, today=TODAY))
    if running.semantic.load() is None:
        pytest.skip("the web register's semantic index was not built (see the session's output)")
    return running


def test_a_chinese_need_finds_the_english_right_in_force(running: Office) -> None:
    matches = running.matcher().match("混合动力汽车倒车时对电池预充电以提高倒车性能", 5, log=False)
    assert matches[0].number == "US9358892B1"
    assert {m.status for m in matches} == {"granted"}  # published applications (CN …A) are not rights
    best = matches[0]
    assert best.reasons and all(r.field == "claims" for r in best.reasons)  # it has claims: they are the reasons
    assert best.reasons[0].shared_terms == ()  # across languages: meaning alone
    assert best.open_licence is False  # no open-licence register yet (NoOpenLicences)
    term = best.indicators["remaining_term"]
    assert term["expiry"] == "2034-12-02" and term["upper_bound"] is False


def test_an_english_need_finds_the_chinese_application_when_all_are_asked(running: Office) -> None:
    need = "online monitoring of the state of a steam trap drain valve on a pipeline"
    assert "CN116793661A" not in [m.number for m in running.matcher().match(need, 10, log=False)]
    everything = running.matcher().match(need, 3, in_force_only=False, log=False)
    assert everything[0].number == "CN116793661A"  # 一种疏水阀状态在线监测系统及方法
    assert everything[0].status == "published"
    assert everything[0].reasons[0].field == "abstract"  # no claims in the register: the abstract's sentences
    drones = running.matcher().match("drone inventory counting of goods on warehouse shelves", 3,
                                     in_force_only=False, log=False)
    assert "CN116484996A" in [m.number for m in drones]  # 基于无人机盘点的立体货架物资快速盘点方法及系统


def test_reasons_of_a_same_language_match_name_the_shared_terms(running: Office) -> None:
    matches = running.matcher().match("A wheeled hand truck for moving loads", 3, log=False)
    assert matches[0].number == "US11147202B2"
    assert any("truck" in r.shared_terms for r in matches[0].reasons)
    assert matches[0].score >= matches[1].score


@pytest.mark.parametrize(("need", "limit", "field"), [("", 10, "need"), ("hand truck", 0, "limit"),
                                                       ("hand truck", 101, "limit"), ("x" * 5000, 10, "need")])
def test_bad_requests_name_the_field(running: Office, need: str, limit: int, field: str) -> None:
    with pytest.raises(InvalidField) as refused:
        running.matcher().match(need, limit, log=False)
    assert refused.value.field == field


def test_each_match_is_logged_for_the_statistics(running: Office) -> None:
    log = MatchLog(running.register.engine)
    before = log.statistics()["needs"]
    found = running.matcher().match("一种手推车", 2, channel="api")
    stats = log.statistics()
    assert stats["needs"] == before + 1
    latest = log.recent(1)[0]
    assert (latest.need, latest.need_lang, latest.channel) == ("一种手推车", "zh", "api")
    assert latest.numbers == [m.number for m in found]


def test_value_indicators_of_an_ep_right_with_events_and_claims(running: Office) -> None:
    value = running.value_indicators.of("EP3404678B1")
    indicators = value["indicators"]
    assert value["status"] == "granted"
    assert indicators["claims"]["value"] > 0 and indicators["claims"]["length_unit"] == "words"
    assert "no term rule for EP" in indicators["remaining_term"]["explanation"]
    assert set(indicators) == {"remaining_term", "forward_citations", "family_size", "claims", "legal_events",
                               "transactions"}
    assert indicators["transactions"]["value"] is None  # no register of transactions covers an EP right here
    with pytest.raises(LookupError, match="XX123"):
        running.value_indicators.of("XX123")


# --- storage on both databases ------------------------------------------------------------------------

def test_match_log_statistics(engine: Engine) -> None:
    log = MatchLog(engine)
    at = datetime(2026, 11, 30, 9, tzinfo=UTC)
    log.record(channel="cli", need="battery", need_lang="en", in_force_only=True, numbers=["US1", "US2"],
               top_score=0.71234, at=at)
    log.record(channel="portal", need="电池", need_lang="zh", in_force_only=True, numbers=["US2"], top_score=0.5)
    log.record(channel="api", need="nothing", need_lang="en", in_force_only=False, numbers=[], top_score=None)
    stats = log.statistics()
    assert stats["needs"] == 3 and stats["needs_without_result"] == 1
    assert stats["by_language"] == {"en": 2, "zh": 1}
    assert stats["by_channel"] == {"api": 1, "cli": 1, "portal": 1}
    assert stats["rights_returned_most"][0] == {"number": "US2", "needs": 2}
    oldest = log.recent(3)[-1]
    assert oldest.top_score == 0.7123 and oldest.numbers == ["US1", "US2"]


def _doc(number: str, application: str | None, priorities: list[tuple[str, str]]) -> Document:
    return Document(number=PublicationNumber.parse(number), application_number=application,
                    texts=[LocalizedText(TextField.TITLE, "en", f"Title of {number}")],
                    priority_claims=[PriorityClaim(c, n, date(2020, 1, 1)) for c, n in priorities])


def test_priority_links_make_the_family(register: SqlRegister) -> None:
    first = _doc("DE102020000001A1", "102020000001", [])
    sibling = _doc("EP3900000A1", "21000001.0", [("DE", "102020000001")])
    cousin = _doc("US20210000001A1", "17/000001", [("DE", "102020000001"), ("DE", "102020000099")])
    stranger = _doc("US20210000002A1", "17/000002", [("DE", "102020000002")])
    register.save_documents([(d, None) for d in (first, sibling, cousin, stranger)])
    assert priority_linked(register.engine, first) == ["EP3900000A1", "US20210000001A1"]
    assert priority_linked(register.engine, sibling) == ["DE102020000001A1", "US20210000001A1"]
    assert priority_linked(register.engine, stranger) == []


def test_a_granted_case_of_the_office_is_a_right_that_matches(tmp_path: Path, shared: Path) -> None:
    """A utility model granted through this office's own procedure is matched like the register's rights, until
    its term ends (10 years from filing, Patent Law Art. 42); a case not yet granted is not."""
    from ipoffice.config import Settings
    from ipoffice.services.procedures import Filing, publication_numbers

    settings = Settings(database_url=f"sqlite:///{tmp_path}/ipoffice.db", shared_dir=shared, var_dir=tmp_path,
                        vector_cache_dir=shared_corpus_cache(), today=TODAY)
    running = office(settings)
    running.importer(listeners=[]).run([shared / "data" / "cn" / "liaoleyuan_sample_test.csv"])
    running.semantic.rebuild()
    service = running.procedures
    service.seed_demo()
    payload = {"abstract": "A folding bicycle hinge locks the two frame halves with a cam lever and a safety catch.",
               "claims": ["A folding bicycle hinge comprising: a first hinge plate; a second hinge plate; and a cam "
                          "lever locking the plates together.", "The hinge of claim 1, wherein a safety catch "
                                                                 "holds the cam lever."]}
    filed = date(2023, 5, 10)
    service.clock = lambda: filed
    granted = service.file(Filing("cn_utility_model", "CN-JS-SZ", "applicant.wang", filed, "Folding bicycle hinge",
                                  payload=payload), "applicant.wang").record.application_number
    service.file(Filing("cn_utility_model", "CN-JS-SZ", "applicant.wang", filed, "Folding scooter hinge",
                        payload=payload), "applicant.wang")
    for action, actor, day in (("notify_grant", "examiner.zhang", date(2023, 11, 2)),
                              ("complete_registration", "applicant.wang", date(2023, 12, 1)),
                              ("announce_grant", "registrar.zhou", date(2024, 1, 5))):
        service.clock = lambda day=day: day  # type: ignore[misc]
        service.act(granted, action, day, actor)
    view = running.procedures.published_case(granted)
    assert view is not None
    grant_number = publication_numbers(view)[-1]
    matches = running.matcher().match("折叠自行车的铰链，用凸轮杆锁紧车架", 3, log=False)
    assert (matches[0].number, matches[0].title, matches[0].status) == (grant_number, "Folding bicycle hinge",
                                                                       "granted")
    assert "Folding scooter hinge" not in [m.title for m in matches]  # filed, never granted: no right
    assert {r.field for r in matches[0].reasons} == {"claims"}
    assert matches[0].indicators["remaining_term"]["expiry"] == "2033-05-10"
    after_term = office(replace(settings, today=date(2033, 5, 11)))
    later = after_term.matcher().match("折叠自行车的铰链", 3, log=False)
    assert "Folding bicycle hinge" not in [m.title for m in later]
