"""Relative-grounds examination, opposition, non-use cancellation and watches of CN trademarks, on SQLite and
PostgreSQL: an examiner refuses a conflicting application citing an earlier mark (the citation kept with the
decision in the log), an opposition runs to decision with its exact time limits, a watch produces a notice
before the opposition period ends — and refusals write nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.adapters.register import SqlRegister
from ipoffice.adapters.trademark_store import TrademarkStore
from ipoffice.domain.document import Document, GoodsAndServices, RightType
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.procedures.base import ActionRefused
from ipoffice.domain.trademark import trademark_number
from ipoffice.services.procedures import CaseNotFound, Filing, ProcedureService
from ipoffice.services.trademark_examination import RegisterEarlierMarks, TrademarkExamination
from ipoffice.services.trademark_watch import TrademarkWatches

from .office_days import OfficeOnTheDay


class Trademarks:
    def __init__(self, engine: Engine) -> None:
        self.procedures: ProcedureService = OfficeOnTheDay(ProcedureStore(engine))
        self.procedures.seed_demo()
        self.store = TrademarkStore(engine)
        self.finder = RegisterEarlierMarks(self.store, self.procedures)
        self.examination = TrademarkExamination(self.procedures, self.finder)
        self.watches = TrademarkWatches(self.store, self.procedures)

    def on(self, day: date) -> None:
        self.procedures.clock = lambda: day

    def file(self, applicant: str, mark: str, classes: list[int], filed: date) -> str:
        view = self.procedures.file(Filing("cn_trademark", "CN-JS-SZ", applicant, filed, mark,
                                           payload={"mark": mark, "nice_classes": classes}), filed_by=applicant)
        return view.record.application_number

    def to_examination(self, number: str, on: date) -> None:
        self.procedures.act(number, "accept_for_examination", on, "examiner.zhang")


@pytest.fixture
def tm(engine: Engine) -> Trademarks:
    return Trademarks(engine)


def earlier_register_mark(engine: Engine) -> str:
    number = trademark_number("IL", "160158")
    SqlRegister(engine).save_documents([(Document(
        number, RightType.TRADEMARK, publication_date=date(2019, 3, 1), application_date=date(2018, 7, 2),
        mark_text="Lumina", goods_and_services=[GoodsAndServices(9, "cameras"), GoodsAndServices(42, "software")],
        source_format="test"), None)])
    return str(number)


def test_examiner_refuses_citing_an_earlier_mark_and_the_citation_is_kept(tm: Trademarks, engine: Engine) -> None:
    registered = earlier_register_mark(engine)
    earlier_case = tm.file("applicant.chen", "LUMINAX", [9], date(2026, 1, 5))
    number = tm.file("applicant.wang", "Ｌｕｍｉｎａ", [9, 35], date(2026, 2, 2))  # full-width: the same word
    later = tm.file("applicant.chen", "LUMINA", [9], date(2026, 3, 2))  # filed after: not an earlier mark
    tm.to_examination(number, date(2026, 2, 10))

    grounds = tm.examination.relative_grounds(number, "examiner.zhang")
    assert (grounds.mark, grounds.classes) == ("Ｌｕｍｉｎａ", (9, 35))
    found = {m.number: m for m in grounds.earlier}
    assert set(found) == {registered, earlier_case}  # the later application and the case itself are left out
    assert later not in found
    assert found[registered].score == 1.0 and [r.kind for r in found[registered].reasons] == [
        "identical", "goods_services"]
    assert [r.kind for r in found[earlier_case].reasons] == ["containment", "goods_services"]
    assert grounds.earlier[0].number == registered  # identical first

    # A number that is not an earlier mark of the case is refused, naming the field; nothing is written.
    with pytest.raises(InvalidField, match="earlier_marks: is not an earlier conflicting mark"):
        tm.examination.refuse(number, "examiner.zhang", [later])
    with pytest.raises(InvalidField, match="cites at least one earlier mark"):
        tm.examination.refuse(number, "examiner.zhang", [])
    assert tm.procedures.show(number, "examiner.zhang").case.state == "under_examination"

    view = tm.examination.refuse(number, "examiner.zhang", [registered], refused_classes=[9],
                                 text="Class 9 conflicts with an earlier mark (Trademark Law Art. 30).",
                                 on=date(2026, 9, 1))
    assert view.case.state == "published_for_opposition" and view.record.published
    decision = view.events[-1]
    assert decision.code == "refuse_partially" and decision.actor == "examiner.zhang"
    assert decision.payload["earlier_marks"] == [{"number": registered, "mark": "Lumina", "classes": [9, 42]}]
    assert decision.payload["refused_classes"] == [9]
    assert view.case.facts["nice_classes"] == (35,)
    assert [(t.name, t.due) for t in view.case.open_time_limits] == [("opposition_period", date(2026, 12, 1))]
    assert tm.procedures.verify_audit().ok


def test_full_refusal_cites_the_earlier_application(tm: Trademarks) -> None:
    earlier = tm.file("applicant.chen", "STARBRIGHT", [3], date(2026, 1, 5))
    number = tm.file("applicant.wang", "starbright", [3], date(2026, 1, 6))
    tm.to_examination(number, date(2026, 1, 20))
    view = tm.examination.refuse(number, "examiner.zhang", [earlier], on=date(2026, 4, 1))
    assert view.case.state == "refused"
    assert view.events[-1].payload["earlier_marks"] == [{"number": earlier, "mark": "STARBRIGHT", "classes": [3]}]
    assert [(t.name, t.due) for t in view.case.open_time_limits] == [("review_request", date(2026, 4, 16))]
    # Another class: no conflict, nothing to cite.
    other = tm.file("applicant.wang", "STARBRIGHT", [30], date(2026, 1, 7))
    assert tm.examination.relative_grounds(other, "examiner.zhang").earlier == []


def published_mark(tm: Trademarks) -> str:
    number = tm.file("applicant.wang", "NOVALUX", [11], date(2026, 1, 5))
    tm.to_examination(number, date(2026, 1, 20))
    tm.procedures.act(number, "approve_preliminarily", date(2026, 6, 1), "examiner.zhang")
    return number


def test_opposition_runs_to_decision_with_exact_time_limits(tm: Trademarks) -> None:
    number = published_mark(tm)
    # The applicant cannot oppose their own mark; an examiner is no party at all.
    tm.on(date(2026, 7, 1))
    with pytest.raises(InvalidField, match="requester: is a party of"):
        tm.examination.third_party_request(number, "file_opposition", "applicant.wang")
    with pytest.raises(InvalidField, match="needs the applicant or agent role"):
        tm.examination.third_party_request(number, "file_opposition", "examiner.zhao")
    # Nor through an ordinary act: an opposition names its opponent, a key only the office writes.
    with pytest.raises(ActionRefused, match="filed by a third party"):
        tm.procedures.act(number, "file_opposition", date(2026, 7, 1), "applicant.wang")
    with pytest.raises(InvalidField, match="written by the office"):
        tm.procedures.act(number, "file_opposition", date(2026, 7, 1), "applicant.wang",
                          {"opponent": "applicant.chen"})
    # Filed the day after the 3-month period (1 Sep 2026) is refused; on its last day it is accepted.
    tm.on(date(2026, 9, 2))
    with pytest.raises(ActionRefused, match="the opposition period ended on 2026-09-01"):
        tm.examination.third_party_request(number, "file_opposition", "applicant.chen", "earlier use")
    tm.on(date(2026, 9, 1))
    view = tm.examination.third_party_request(number, "file_opposition", "applicant.chen",
                                              "similar to my earlier mark")
    assert view.case.state == "opposed"
    filed = view.events[-1]
    assert (filed.code, filed.actor, filed.payload["opponent"]) == ("file_opposition", "applicant.chen",
                                                                     "applicant.chen")
    limits = {t.name: (t.due, t.last_day_with_extensions, t.reference) for t in view.case.open_time_limits}
    assert limits == {
        # 30 days end on 1 Oct 2026, in the National Day holidays
        "opposition_reply": (date(2026, 10, 8), None, "Trademark Implementing Regulations (2014) Art. 27"),
        "opposition_decision": (date(2027, 9, 1), date(2028, 3, 1), "Trademark Law (2013) Art. 35(1)"),
    }
    notices = tm.procedures.notices(number, "applicant.wang")
    assert any(n.kind == "file_opposition" and "reply by 2026-10-08" in n.text for n in notices)
    # The applicant replies through the ordinary procedure; the office decides: registration refused.
    tm.procedures.act(number, "reply_to_opposition", date(2026, 10, 8), "applicant.wang", {"note": "no conflict"})
    view = tm.procedures.act(number, "refuse_registration", date(2027, 3, 1), "examiner.zhang")
    assert view.case.state == "registration_refused"
    # The decision is served on the applicant and on the opponent.
    served = {(n.kind, n.addressee) for n in tm.procedures.notices(number, "examiner.zhang")}
    assert {("refuse_registration", "applicant.wang"), ("refuse_registration", "applicant.chen")} <= served
    assert [(t.name, t.due) for t in view.case.open_time_limits] == [("review_request", date(2027, 3, 16))]
    report = tm.procedures.run_overdue(date(2027, 3, 17))
    assert [(o.case, [e.code for e in o.events], o.state) for o in report.outcomes] == [
        (number, ["refusal_final"], "finally_refused")]


def test_non_use_cancellation_by_a_third_party(tm: Trademarks) -> None:
    number = published_mark(tm)
    tm.procedures.run_overdue(date(2026, 9, 2))  # unopposed: registered on 2 Sep 2026
    assert tm.procedures.show(number, None).case.state == "registered"
    tm.on(date(2029, 9, 1))
    with pytest.raises(ActionRefused, match="may be requested from 2029-09-02"):
        tm.examination.third_party_request(number, "request_non_use_cancellation", "applicant.chen")
    tm.on(date(2029, 9, 2))
    view = tm.examination.third_party_request(number, "request_non_use_cancellation", "applicant.chen",
                                              "no use since registration")
    assert view.case.state == "non_use_cancellation_requested"
    assert view.case.time_limit("use_evidence") is not None
    with pytest.raises(CaseNotFound):  # an unpublished application cannot be opposed: it is not seen
        tm.examination.third_party_request(tm.file("applicant.wang", "X1", [1], date(2026, 1, 5)),
                                           "file_opposition", "applicant.chen")


def test_watch_produces_one_notice_before_the_opposition_period_ends(tm: Trademarks) -> None:
    with pytest.raises(InvalidField, match="classes"):
        tm.watches.add("applicant.chen", "NOVALUX", "9, 46")
    with pytest.raises(InvalidField, match="holder"):
        tm.watches.add("examiner.zhang", "NOVALUX", [11])
    watch = tm.watches.add("applicant.chen", "novalux", [11, 12])
    unrelated = tm.watches.add("applicant.chen", "NOVALUX", [30])
    own = tm.watches.add("applicant.wang", "NOVALUX", [11])  # the applicant's own mark: no notice to them
    number = published_mark(tm)
    run = tm.watches.run(date(2026, 6, 2))
    assert (run.watches, run.publications) == (3, 1)
    assert [(n.watch_id, n.case_number, n.opposition_ends) for n in run.notices] == [
        (watch.id, number, date(2026, 9, 1))]
    assert [r.kind for r in run.notices[0].reasons] == ["identical", "goods_services"]
    assert tm.watches.run(date(2026, 6, 3)).notices == []  # once per watch and application
    assert [n.case_number for n in tm.watches.notices("applicant.chen")] == [number]
    assert tm.watches.notices("applicant.wang") == []
    assert {w.id for w in tm.watches.watches("applicant.chen")} == {watch.id, unrelated.id}
    assert own.id not in {w.id for w in tm.watches.watches("applicant.chen")}
    # After the opposition period a new watch hears nothing of the mark.
    late = tm.watches.add("agent.li", "NOVALUX", [11])
    assert tm.watches.run(date(2026, 9, 2)).notices == []
    assert tm.watches.notices("agent.li") == [] and late.id
    # A holder removes their own watch (and its notices), never another's.
    assert not tm.watches.remove(watch.id, "agent.li")
    assert tm.watches.remove(watch.id, "applicant.chen")
    assert tm.watches.notices("applicant.chen") == [] and watch.id not in {w.id for w in tm.watches.watches()}


def test_a_priority_claimed_before_the_earlier_filing_wins(tm: Trademarks) -> None:
    earlier = tm.file("applicant.chen", "SOLENNE", [3], date(2026, 2, 2))
    view = tm.procedures.file(Filing("cn_trademark", "CN-JS-SZ", "applicant.wang", date(2026, 3, 2), "SOLENNE",
                                     payload={"mark": "SOLENNE", "nice_classes": [3],
                                              "priority_dates": ["2026-01-15"]}), filed_by="applicant.wang")
    assert tm.examination.relative_grounds(view.record.application_number, "examiner.zhang").earlier == []
    # Without a priority claim, both are earlier: the one claiming priority from 15 Jan first.
    plain = tm.file("applicant.chen", "SOLENNE", [3], date(2026, 3, 3))
    found = tm.examination.relative_grounds(plain, "examiner.zhang").earlier
    assert [(m.number, m.date) for m in found] == [(view.record.application_number, date(2026, 1, 15)),
                                                   (earlier, date(2026, 2, 2))]
