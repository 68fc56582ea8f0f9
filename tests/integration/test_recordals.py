"""Recordals through the service on SQLite and PostgreSQL: a granted CN invention transferred, licensed, pledged,
released and put under open licence; refusals that name the rule and write nothing; the events in the hash
chain; notices to the parties; the pledgee alerted in the transaction of a missed annual fee, an invalidation
request and a lapse; the right as of a date with its annual-fee schedule."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.procedures.base import ActionRefused
from ipoffice.services.procedures import AccessDenied, CaseNotFound, Filing, ProcedureService
from ipoffice.services.recordals import PledgeWatch, RecordalService, RequestNotFound

from .office_days import OfficeOnTheDay
from .test_procedure_service import event_count


@pytest.fixture
def service(engine: Engine) -> ProcedureService:
    service = OfficeOnTheDay(ProcedureStore(engine), watchers=(PledgeWatch(),))
    service.seed_demo()
    return service


@pytest.fixture
def recordals(service: ProcedureService) -> RecordalService:
    return RecordalService(service)


def granted_invention(service: ProcedureService) -> str:
    """A CN invention filed 2019-01-07 with the single-applicant fee reduction, granted 2021-02-05 (patent year 3
    paid with the registration; year 4 due 2022-01-07)."""
    view = service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", date(2019, 1, 7), "Optical lens",
                               payload={"fee_reduction": "single_applicant"}), filed_by="agent.li")
    number = view.record.application_number
    for action, who, on in [
        ("request_substantive_examination", "applicant.wang", date(2019, 2, 1)),
        ("pass_formality_examination", "examiner.zhang", date(2019, 3, 1)),
        ("publish", "registrar.zhou", date(2020, 7, 7)),
        ("start_substantive_examination", "examiner.liu", date(2020, 8, 3)),
        ("notify_grant", "examiner.liu", date(2020, 12, 1)),
    ]:
        service.act(number, action, on, who)
    service.pay_fee(number, "fee.invention.annuity", date(2021, 1, 10), "agent.li", year=3)
    service.act(number, "complete_registration", date(2021, 1, 10), "agent.li")
    service.act(number, "announce_grant", date(2021, 2, 5), "registrar.zhou")
    return number


def _file(recordals: RecordalService, number: str, recordal: str, who: str, day: date, **payload: object) -> int:
    recordals.procedures.clock = lambda: day  # a party's request is dated the day the office receives it
    return recordals.file(number, recordal, who, payload).request.id


def _register(recordals: RecordalService, request: int, day: date) -> str:
    recordals.procedures.clock = lambda: day
    return recordals.decide(request, "register", "registrar.zhou").request.state


def test_granted_invention_transferred_licensed_pledged_released_and_put_under_open_licence(
        service: ProcedureService, recordals: RecordalService, engine: Engine) -> None:
    number = granted_invention(service)

    transfer = _file(recordals, number, "transfer", "applicant.wang", date(2021, 3, 1),
                     assignees=["applicant.chen"])
    recordals.pay_fee(transfer, "applicant.wang")  # fee.recordal.change_of_patentee, 200 CNY
    assert _register(recordals, transfer, date(2021, 3, 3)) == "registered"
    with pytest.raises(AccessDenied) as denied:  # the former owner no longer files
        _file(recordals, number, "pledge", "applicant.wang", date(2021, 3, 4), pledgee="ICBC Suzhou")
    assert denied.value.code == "recordal_party"
    # The new owner is the party of the procedure from the registration on: they pay the annual fees.
    assert service.show(number, "applicant.chen").record.applicant == "applicant.chen"
    with pytest.raises(AccessDenied):
        service.pay_fee(number, "fee.invention.annuity", date(2021, 3, 5), "applicant.wang", year=4)
    service.pay_fee(number, "fee.invention.annuity", date(2021, 3, 5), "applicant.chen", year=4)

    licence = _file(recordals, number, "licence", "applicant.chen", date(2021, 3, 10), kind="non_exclusive",
                    licensee="Suzhou Optics Ltd", contract_effective="2021-03-01")
    _register(recordals, licence, date(2021, 3, 10))
    pledge = _file(recordals, number, "pledge", "applicant.chen", date(2021, 4, 1), pledgee="ICBC Suzhou",
                   amount=5000000)
    _register(recordals, pledge, date(2021, 4, 2))

    # An open licence on the pledged right without the pledgee's consent: examined, then refused on registration.
    recordals.procedures.clock = lambda: date(2021, 6, 1)
    view = recordals.file(number, "open_licence", "applicant.chen", {"royalty": "3% of net sales"})
    assert view.problem is not None and view.problem.code == "pledgee_consent_missing"
    assert "Civil Code Art. 444(2)" in str(view.problem)
    before = event_count(engine)
    with pytest.raises(ActionRefused) as refused:
        recordals.decide(view.request.id, "register", "registrar.zhou")
    assert refused.value.code == "pledgee_consent_missing" and event_count(engine) == before
    decided = recordals.decide(view.request.id, "refuse", "registrar.zhou")
    assert (decided.request.state, decided.request.reason_code) == ("refused", "pledgee_consent_missing")
    with pytest.raises(ActionRefused) as twice:
        recordals.decide(view.request.id, "register", "registrar.zhou")
    assert twice.value.code == "recordal_decided"

    release = _file(recordals, number, "pledge_release", "applicant.chen", date(2021, 6, 2), pledge=pledge)
    _register(recordals, release, date(2021, 6, 2))
    declared = _file(recordals, number, "open_licence", "applicant.chen", date(2021, 6, 3),
                     royalty="3% of net sales")
    _register(recordals, declared, date(2021, 6, 3))
    taken = _file(recordals, number, "open_licence_take", "applicant.wang", date(2021, 6, 10),
                  licensee="applicant.wang")
    _register(recordals, taken, date(2021, 6, 10))

    right = recordals.right(number, "applicant.chen", date(2021, 6, 30))
    assert right["owners"] == ["applicant.chen"]
    assert [(lic["licensee"], lic["kind"], lic["open_licence"]) for lic in right["licences"]] == [
        ("Suzhou Optics Ltd", "non_exclusive", False), ("applicant.wang", "non_exclusive", True)]
    assert right["pledges"] == [] and right["open_licence"]["royalty"] == "3% of net sales"
    assert right["status"]["state"] == "granted" and right["status"]["in_force"] is True
    fees = {f["year"]: f for f in right["annual_fees"]}
    assert (fees[3]["amount"], [r["name"] for r in fees[3]["reductions"]]) == ("135.00", ["single_applicant"])
    assert (fees[4]["due"], fees[4]["amount"], [r["name"] for r in fees[4]["reductions"]]) == (
        "2022-01-07", "180.00", ["single_applicant"])  # no open-licence rate before 2024-07-15, never both
    assert fees[3]["paid"] is True and fees[4]["paid"] is False and max(fees) == 20

    # need → patent matching marks the right as on offer, by its publication or application number, from the
    # day the declaration was registered
    from ipoffice.services.procedures import publication_numbers
    from ipoffice.services.recordals import RegisteredOpenLicences

    granted_b = publication_numbers(service.show(number, "registrar.zhou"))[-1]
    offers = RegisteredOpenLicences(service)
    assert offers.on_offer([granted_b, number, "US7654321B2"], date(2021, 6, 30)) == {granted_b, number}
    assert offers.on_offer([granted_b], date(2021, 6, 2)) == set()

    earlier = recordals.right(number, None, date(2021, 3, 2))  # the public, as of before the transfer
    assert earlier["owners"] == ["applicant.wang"] and earlier["open_licence"] is None
    assert [r["state"] for r in earlier["recordals"]] == []
    public = recordals.requests(None, number)
    assert {r.type for r in public} == {"transfer", "licence", "pledge", "pledge_release", "open_licence",
                                        "open_licence_take"}  # registered ones only
    assert len(recordals.requests("registrar.zhou", number)) == 7

    # Every request and decision is in the hash chain, and the case's procedure is untouched by them.
    assert service.verify_audit().ok
    assert service.show(number, "registrar.zhou").case.state == "granted"
    notices = service.notices(number, "registrar.zhou")
    transfer_notices = {n.addressee for n in notices if n.kind == "recordal_registered" and "transfer" in n.text}
    assert transfer_notices == {"applicant.wang", "applicant.chen"}
    assert any(n.addressee == "ICBC Suzhou" and n.kind == "recordal_refused" for n in notices)


def test_payload_and_access_refusals_write_nothing(service: ProcedureService, recordals: RecordalService,
                                                    engine: Engine) -> None:
    number = granted_invention(service)
    before = event_count(engine)
    recordals.procedures.clock = lambda: date(2021, 3, 1)
    with pytest.raises(InvalidField, match="payload.kind"):
        recordals.file(number, "licence", "applicant.wang", {"kind": "exclusiv", "licensee": "x",
                                                             "contract_effective": "2021-02-01"})
    with pytest.raises(InvalidField, match="type"):
        recordals.file(number, "mortgage", "applicant.wang", {})
    with pytest.raises(AccessDenied):
        recordals.file(number, "transfer", "applicant.chen", {"assignees": ["applicant.chen"]})
    ident = recordals.file(number, "transfer", "applicant.wang", {"assignees": ["applicant.chen"]}).request.id
    with pytest.raises(AccessDenied):  # a decision is a registrar's
        recordals.decide(ident, "register", "examiner.zhang")
    with pytest.raises(RequestNotFound):
        recordals.decide(ident + 100, "register", "registrar.zhou")
    assert event_count(engine) == before + 1


def test_pledgee_alerted_when_the_fee_is_missed_an_invalidation_is_requested_and_the_right_lapses(
        service: ProcedureService, recordals: RecordalService) -> None:
    number = granted_invention(service)
    pledge = _file(recordals, number, "pledge", "applicant.wang", date(2021, 4, 1), pledgee="ICBC Suzhou")
    _register(recordals, pledge, date(2021, 4, 1))

    assert service.run_overdue(date(2022, 1, 7)).outcomes == []  # due that day: not missed yet
    report = service.run_overdue(date(2022, 1, 8))
    [outcome] = report.outcomes
    assert outcome.events == [] and [(n.addressee, n.kind) for n in outcome.notices] == [
        ("ICBC Suzhou", "recordal_pledge_alert")]
    assert "annual fee due 2022-01-07 was not paid" in outcome.notices[0].text
    assert service.run_overdue(date(2022, 1, 9)).outcomes == []  # once per missed fee

    service.act(number, "request_invalidation", date(2022, 2, 1), "applicant.wang")
    alerts = [n for n in service.notices(number, "registrar.zhou") if n.kind == "recordal_pledge_alert"]
    assert [n.notice_date for n in alerts] == [date(2022, 1, 8), date(2022, 2, 1)]
    assert "invalidation requested" in alerts[-1].text
    service.act(number, "maintain_patent", date(2022, 3, 1), "reviewer.sun")

    lapsed = service.run_overdue(date(2022, 7, 9))
    [outcome] = lapsed.outcomes
    assert outcome.state == "lapsed"
    assert [n.addressee for n in outcome.notices if n.kind == "recordal_pledge_alert"] == ["ICBC Suzhou"]
    right = recordals.right(number, "applicant.wang", date(2022, 7, 9))
    assert right["status"] == {"state": "lapsed", "in_force": False, "grant_date": "2021-02-05",
                               "term_ends": "2039-01-06"}
    assert [a["text"].split(": ")[1].split(" (")[0] for a in right["alerts"]] == [
        "the annual fee due 2022-01-07 was not paid; the grace period runs to 2022-07-07",
        "invalidation requested", "the right lapsed"]
    in_grace = recordals.right(number, "applicant.wang", date(2022, 3, 2))
    assert [a["kind"] for a in in_grace["alerts"]] == ["pledgee_notice", "pledgee_notice", "annual_fee_in_grace"]
    assert service.verify_audit().ok

    # Nothing is recorded on the lapsed right, but its pledge may be released.
    recordals.procedures.clock = lambda: date(2022, 7, 10)
    view = recordals.file(number, "transfer", "applicant.wang", {"assignees": ["applicant.chen"],
                                                                 "consents": ["ICBC Suzhou"]})
    assert view.problem is not None and view.problem.code == "right_not_in_force"
    release = recordals.file(number, "pledge_release", "applicant.wang", {"pledge": pledge})
    assert release.problem is None


def test_the_list_leaves_out_rights_the_viewer_may_not_see(service: ProcedureService,
                                                            recordals: RecordalService) -> None:
    number = granted_invention(service)
    unpublished = service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", date(2021, 3, 1), "Lens mount"),
                               filed_by="agent.li").record.application_number
    _file(recordals, number, "transfer", "applicant.wang", date(2021, 3, 2), assignees=["applicant.chen"])
    hidden = _file(recordals, unpublished, "transfer", "applicant.wang", date(2021, 3, 2),
                   assignees=["applicant.chen"])
    view = recordals.decide(hidden, "refuse", "registrar.zhou")
    assert view.problem is not None and view.problem.code == "right_not_in_force"  # not granted
    assert [r.number for r in recordals.requests("applicant.wang")] == [number, unpublished]
    assert recordals.requests(None) == []  # nothing registered, and the unpublished case is not revealed
    with pytest.raises(CaseNotFound):
        recordals.requests(None, unpublished)


def test_a_recordal_fee_named_by_the_rules_is_paid_before_registration(
        service: ProcedureService, recordals: RecordalService, engine: Engine) -> None:
    """A transfer and a change of name owe fee.recordal.change_of_patentee (200 CNY): registration is refused,
    naming the fee and its reference, until it is paid; a licence (nil fee) is registered without payment and no
    fee can be paid on it; a fee is paid once, and not after the decision."""
    number = granted_invention(service)
    transfer = _file(recordals, number, "transfer", "applicant.wang", date(2021, 3, 1), assignees=["applicant.chen"])
    filed = recordals.requests("registrar.zhou", number)[-1]
    assert (filed.fee["name"], filed.fee["amount"], filed.fee_due) == ("fee.recordal.change_of_patentee", "200", True)
    recordals.procedures.clock = lambda: date(2021, 3, 2)
    before = event_count(engine)
    with pytest.raises(ActionRefused) as unpaid:
        recordals.decide(transfer, "register", "registrar.zhou")
    assert unpaid.value.code == "recordal_fee_unpaid" and event_count(engine) == before
    assert "fee.recordal.change_of_patentee" in str(unpaid.value.reason)
    assert "Patent fee schedule" in str(unpaid.value.reason)
    with pytest.raises(AccessDenied):  # a stranger does not pay on someone's request
        recordals.pay_fee(transfer, "applicant.chen")
    paid = recordals.pay_fee(transfer, "agent.li")
    assert paid.request.fee_paid_on == date(2021, 3, 2) and paid.problem is None
    assert paid.as_dict()["fee_paid_on"] == "2021-03-02"
    with pytest.raises(InvalidField, match="already paid"):
        recordals.pay_fee(transfer, "applicant.wang")
    assert _register(recordals, transfer, date(2021, 3, 3)) == "registered"
    with pytest.raises(InvalidField, match="already registered"):
        recordals.pay_fee(transfer, "applicant.chen")

    name = _file(recordals, number, "name_change", "applicant.chen", date(2021, 3, 4), old_name="applicant.chen",
                 new_name="Chen Optics Ltd")
    recordals.procedures.clock = lambda: date(2021, 3, 4)
    assert recordals.decide(name, "refuse", "registrar.zhou").problem.code == "recordal_fee_unpaid"

    licence = _file(recordals, number, "licence", "applicant.chen", date(2021, 3, 5), kind="non_exclusive",
                    licensee="Suzhou Optics Ltd", contract_effective="2021-03-01")
    with pytest.raises(InvalidField, match="nil"):
        recordals.pay_fee(licence, "applicant.chen")
    assert _register(recordals, licence, date(2021, 3, 5)) == "registered"
    assert service.verify_audit().ok
