"""Stock-patent inventory on SQLite and PostgreSQL: the import is all or nothing (every bad row reported, nothing
written) and idempotent; the suggested grades come from the register's indicators; the two-level review refuses
the wrong people and the wrong order; the library holds exactly the entries passed twice with an intent to
transfer or license; events are append-only."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text

from integration.inventory_setup import CSV_HEADER, UNIVERSITY, good_csv, inventory_service
from ipoffice.adapters import tables as t
from ipoffice.domain.inventory import InventoryRefused
from ipoffice.services.inventory import InventoryForbidden, InventoryService, library_entries


def counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(table)).scalar_one()  # type: ignore[return-value]
                     for table in (t.inventory_entries, t.inventory_events, t.inventory_members))


def imported(engine: Engine) -> tuple[InventoryService, dict[str, int]]:
    service = inventory_service(engine)
    report = service.import_csv(good_csv(), UNIVERSITY, "univ.keeper")
    assert report.created == ["CN110000001B", "CN110000002B", "CN110000003B"] and not report.errors
    service.add_member(UNIVERSITY, "univ.tto", "reviewer", "univ.keeper")
    return service, {e["number"]: e["id"] for e in service.entries("univ.keeper")}


def test_a_file_with_bad_rows_writes_nothing_and_names_every_row(engine: Engine) -> None:
    service = inventory_service(engine)
    bad = (CSV_HEADER + "CN110000001B,Chemistry,,A,transfer,\n"
           "CN110000004B,,,B,licence,\n"  # the stranger's
           "CN110000009A,,,B,licence,\n"  # an application
           "CN999999999B,,,B,licence,\n"  # not in the register
           "CN110000002B,,,E,licence,\n"  # bad grade
           "CN 110000001 B,,,A,transfer,\n")  # the first row again, printed otherwise
    report = service.import_csv(bad.encode(), UNIVERSITY, "univ.keeper")
    assert [(e.row, e.field) for e in report.errors] == [(3, "number"), (4, "number"), (5, "number"),
                                                         (6, "self_grade"), (7, "number")]
    reasons = [e.reason for e in report.errors]
    assert "held by Gearbox Works Ltd." in reasons[0] and "published application" in reasons[1]
    assert "no such right" in reasons[2] and "also row 2" in reasons[4]
    assert not report.written and report.created == []
    assert counts(engine) == (0, 0, 0)


def test_reimporting_the_same_file_changes_nothing(engine: Engine) -> None:
    service, _ = imported(engine)
    before = counts(engine)
    again = service.import_csv(good_csv(), UNIVERSITY, "univ.keeper")
    assert (again.created, again.updated, len(again.unchanged)) == ([], [], 3)
    assert counts(engine) == before
    changed = good_csv().replace(b"Physics,,B", b"Physics,,A")
    report = service.import_csv(changed, UNIVERSITY, "univ.keeper")
    assert report.updated == ["CN110000002B"] and counts(engine)[1] == before[1] + 1
    entry = next(e for e in service.entries("univ.keeper") if e["number"] == "CN110000002B")
    assert entry["self_grade"] == "A" and [h["code"] for h in entry["history"]] == ["imported", "imported"]


def test_only_a_keeper_imports_once_the_holder_has_one(engine: Engine) -> None:
    service, _ = imported(engine)
    with pytest.raises(InventoryForbidden) as refused:
        service.import_csv(good_csv(), UNIVERSITY, "applicant.wang")
    assert refused.value.code == "not_keeper"
    with pytest.raises(InventoryForbidden) as staff:
        service.import_csv(good_csv(), "Another University", "registrar.zhou")
    assert staff.value.code == "not_holder_account"


def test_suggested_grades_from_the_registers_indicators(engine: Engine) -> None:
    service, _ = imported(engine)
    by_number = {e["number"]: e for e in service.entries("univ.keeper")}
    battery = by_number["CN110000001B"]["suggested"]
    assert (battery["grade"], battery["points"]) == ("A", 5)  # 15.4 years (+2), 3 citing (+2), 12 claims (+1)
    assert battery["reasons"][1]["text"] == "forward_citations 3 ≥ 3: +2 point(s)"
    sensor = by_number["CN110000002B"]["suggested"]
    assert (sensor["grade"], sensor["points"]) == ("B", 2)  # 12.5 years left (+2), nothing else
    assert sensor["reasons"][0]["text"] == "remaining_term 12.5 ≥ 10: +2 point(s)"
    catalyst = by_number["CN110000003B"]["suggested"]
    assert catalyst["grade"] == "C" and catalyst["flags"] == ["not_in_force"]
    assert by_number["CN110000001B"]["ipc"] == ["H01M 10/0562"]


def test_a_right_not_in_force_is_never_graded_a(engine: Engine) -> None:
    """The trial: a keeper graded A a right the suggestion flags not in force. Refused by name, both when the
    keeper assesses and when a grade given in the imported file is submitted; B or C stay allowed."""
    service, ids = imported(engine)
    catalyst = ids["CN110000003B"]  # lapsed: flagged not_in_force
    before = counts(engine)
    with pytest.raises(InventoryRefused) as refused:
        service.assess(catalyst, "univ.keeper", self_grade="A", intent="licence")
    assert refused.value.code == "grade_not_in_force" and counts(engine) == before
    service.assess(catalyst, "univ.keeper", self_grade="C", intent="licence")
    battery = ids["CN110000001B"]  # in force: A is the keeper's call
    service.assess(battery, "univ.keeper", self_grade="A", intent="licence", note="pilot line")


def test_two_level_review_into_the_library(engine: Engine) -> None:
    service, ids = imported(engine)
    battery, sensor, catalyst = ids["CN110000001B"], ids["CN110000002B"], ids["CN110000003B"]
    with pytest.raises(InventoryRefused) as early:
        service.review(battery, 1, "pass", "univ.tto")
    assert early.value.code == "out_of_order"
    for entry in (battery, sensor, catalyst):
        service.submit(entry, "univ.keeper")
    with pytest.raises(InventoryRefused) as skipped:
        service.review(battery, 2, "pass", "registrar.zhou")
    assert skipped.value.code == "out_of_order"
    with pytest.raises(InventoryRefused) as own:
        service.review(battery, 1, "pass", "univ.keeper")
    assert own.value.code == "self_review"
    with pytest.raises(InventoryForbidden) as stranger:
        service.review(battery, 1, "pass", "applicant.wang")
    assert stranger.value.code == "not_first_reviewer"
    assert [e["number"] for e in service.queue("univ.tto")] == ["CN110000001B", "CN110000002B", "CN110000003B"]
    for entry in (battery, sensor, catalyst):
        service.review(entry, 1, "pass", "univ.tto")
    with pytest.raises(InventoryForbidden) as outside:
        service.review(battery, 2, "pass", "service.wu")  # a registrar of a service centre, not over CN-JS-SZ
    assert outside.value.code == "not_second_reviewer"
    with pytest.raises(InventoryForbidden):
        service.review(battery, 2, "pass", "examiner.zhang")  # staff, but no registrar
    assert {e["level"] for e in service.queue("registrar.zhou")} == {2}
    service.review(battery, 2, "pass", "registrar.zhou")
    service.review(catalyst, 2, "pass", "registrar.zhou")  # intent keep: approved, not offered
    service.review(sensor, 2, "return", "registrar.zhou", "no licensee in sight for this sensor")
    library = library_entries(service)
    assert library == [{"number": "CN110000001B", "title": "Solid electrolyte for a lithium battery",
                        "ipc": ["H01M 10/0562"], "grade": "A", "suggested_grade": "A", "intent": "transfer",
                        "holder": UNIVERSITY, "department": "Chemistry", "approved_on": "2026-11-30"}]
    assert [e.number for e in service.library_entries(ipc="H01M")] == ["CN110000001B"]
    assert service.library_entries(ipc="G01L") == [] and service.library_entries(grade="B") == []
    assert [e.number for e in service.library_entries(text="lithium electrolyte")] == ["CN110000001B"]
    assert service.library_entries(intent="licence") == []
    returned = service.entry(sensor, "univ.keeper")
    assert (returned["state"], returned["returned_reason"]) == ("returned", "no licensee in sight for this sensor")
    history = [(h["code"], h["actor"], h.get("level"), h.get("decision")) for h in returned["history"]]
    assert history == [("imported", "univ.keeper", None, None), ("submitted", "univ.keeper", None, None),
                       ("reviewed", "univ.tto", 1, "pass"), ("reviewed", "registrar.zhou", 2, "return")]
    service.assess(sensor, "univ.keeper", self_grade="C", intent="open licence")
    service.submit(sensor, "univ.keeper")
    assert service.entry(sensor, "univ.keeper")["state"] == "under_first_review"


def test_members_see_their_holder_only(engine: Engine) -> None:
    service, ids = imported(engine)
    with pytest.raises(InventoryForbidden):
        service.entries("applicant.wang", UNIVERSITY)
    assert service.entries("applicant.wang") == []
    assert len(service.entries("registrar.zhou")) == 3
    with pytest.raises(InventoryForbidden) as not_keeper:
        service.assess(ids["CN110000001B"], "univ.tto", self_grade="B")
    assert not_keeper.value.code == "not_keeper"


def test_events_are_append_only(engine: Engine) -> None:
    imported(engine)
    for statement in ("UPDATE inventory_events SET actor = 'x'", "DELETE FROM inventory_events"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    assert counts(engine)[1] == 3
