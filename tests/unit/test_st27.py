"""WIPO ST.27: every legal event code of every jurisdiction the register holds maps to a category and key
event (the tests list the unmapped codes and fail on any), and the status as of a date on both sides of
its events."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from ipoffice.adapters.importers.epo_legal import EpoLegalImporter
from ipoffice.adapters.importers.epo_legal_codes import EpoLegalCodesImporter
from ipoffice.adapters.st27_vocabulary import St27VocabularyError, load_st27_vocabulary, parse_st27_vocabulary
from ipoffice.domain import case_file
from ipoffice.domain.document import LegalEvent
from ipoffice.domain.legal_status import LegalEventCode, MappedEvent, RecordedEvent, RecordedEvents, status_as_of
from ipoffice.domain.procedures.cn_design import CN_DESIGN
from ipoffice.domain.procedures.cn_invention import CN_INVENTION
from ipoffice.domain.procedures.cn_utility_model import CN_UTILITY_MODEL
from ipoffice.domain.procedures.us_utility import US_UTILITY, USPTO_EVENT_CODES

V = load_st27_vocabulary()


def _epo_table(data_dir: Path) -> list[LegalEventCode]:
    path = data_dir / "ep_legal" / "legal_code_descriptions_202417.xlsx"
    rows = list(EpoLegalCodesImporter().read(path))
    assert all(isinstance(r, LegalEventCode) for r in rows), [r for r in rows if not isinstance(r, LegalEventCode)]
    return rows  # type: ignore[return-value]


def test_every_code_of_the_epo_table_maps_to_a_category_and_key_event(data_dir: Path) -> None:
    table = _epo_table(data_dir)
    assert len(table) == 4397 and len({(c.authority, c.code) for c in table}) == 4397
    unmapped = [f"{c.authority} {c.code} {c.description}" for c in table
                if V.map_office_code(c.event_class, c.description) is None]
    assert unmapped == []
    by_table = [c for c in table if c.event_class in V.categories]
    assert len(by_table) == 3155  # the EPO's own ST.27 class; the other 1,242 by the description rules
    for c in by_table:
        key, how = V.map_office_code(c.event_class, c.description)  # type: ignore[misc]
        assert key[0] == c.event_class and how == "epo_table" and key in V.key_events


def test_the_description_rules_follow_the_meaning_of_unclassified_codes() -> None:
    cases = {
        "PATENT LAPSED": "H10", "LAPSED DUE TO NON-PAYMENT OF THE ANNUAL FEE": "H10", "PATENT REVOKED": "H30",
        "REFUSAL OF APPLICATION": "B30", "APPLICATION DEEMED WITHDRAWN (ART. 115(1))": "B20",
        "APPLICATION WITHDRAWN (SECT. 33/1949)": "B10", "RESTORATION OF LAPSED FINAL PROT.": "K10",
        "APPEAL TO THE PATENTS COURT LODGED (SECT. 27/1977)": "V10", "CHANGE OF NAME REFUSED": "B30",
        "SUPPLEMENTARY PROTECTION CERTIFICATE (SPC) GRANTED (LAW OF 25 JUNE 1990)": "G10",
        "CORRECTION OF: PATENT EXPIRED": "Y10", "COUNTERCLAIM FOR REVOCATION TERMINATED": "L10",
        "CASE DECIDED BY THE COMPTROLLER ** NO ORDER FOR REVOCATION MADE (SECT. 72/1977)": "L10",
        "A REQUEST FOR ADDITIONAL SEARCH HAS BEEN WITHDRAWN": "D10",
        "INFORMATION ON STATUS: PATENT APPLICATION AND GRANTING PROCEDURE IN GENERAL": "D10",
        "SUCCESSION OR ASSIGNMENT OF PATENT RIGHT (SUCCESSION OF PATENT RIGHT)": "S10",
        "WILLINGNESS TO GRANT LICENCES": "S10", "CHANGE OF THE MAIN CLASSIFICATION": "W10",
    }
    got = {text: V.map_office_code("", text) for text in cases}
    assert {text: (found or ("?", ""))[0] for text, found in got.items()} == cases
    assert V.map_office_code("Z", "PATENT LAPSED") == ("H10", "description_rules")  # Z: classification pending


def test_every_uspto_event_code_of_the_data_maps(data_dir: Path) -> None:
    peds = {e["code"] for line in (data_dir / "us_prosecution" / "peds_dev.jsonl").read_text().splitlines()
            if line.strip() for e in json.loads(line)["prosecution_events"]}
    application = json.loads((data_dir / "us_odp" / "application.json").read_text())
    odp = {t["caseActionCode"] for entry in application["patentBag"] for t in entry["transactionContentBag"]}
    assert len(peds) == 10 and len(odp) == 31
    codes = peds | odp | set(USPTO_EVENT_CODES)
    assert sorted(c for c in codes if c not in V.us_event_codes) == []


@pytest.mark.parametrize("procedure", [CN_INVENTION, CN_UTILITY_MODEL, CN_DESIGN, US_UTILITY], ids=lambda p: p.name)
def test_every_action_of_the_patent_procedures_maps(procedure: object) -> None:
    actions = {t.action for t in procedure.transitions}  # type: ignore[attr-defined]
    assert sorted(a for a in actions if a not in V.procedure_actions and not case_file.is_record(a)) == []


def test_every_event_of_the_epo_legal_responses_maps(data_dir: Path) -> None:
    table = {(c.authority, c.code): c for c in _epo_table(data_dir)}
    events = [e for f in sorted((data_dir / "ep_legal").glob("example_*.xml"))
              for r in EpoLegalImporter().read(f) if isinstance(r, RecordedEvents) for e in r.events]
    assert len(events) == 115
    missing = sorted({(e.office_code, e.code) for e in events if (e.office_code, e.code) not in table})
    assert missing == []
    assert all(V.map_office_code(table[(e.office_code or "", e.code)].event_class, e.description) for e in events)


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("source: x\nupdated: 2026-11-30\ncategories: {A: [Filing, pending]}\nkey_events: {A10: x, Q10: y}\n"
     "key_event_rules: []\ndescription_rules: []\nus_event_codes: {X: A10}\nprocedure_actions: {file: A10}",
     "key event Q10: no category Q"),
    ("source: x\nupdated: 2026-11-30\ncategories: {A: [Filing, pending]}\nkey_events: {A10: x}\n"
     "key_event_rules: []\ndescription_rules: []\nus_event_codes: {X: A20}\nprocedure_actions: {file: A10}",
     "unknown key event A20"),
    ("source: x\nupdated: 2026-11-30\ncategories: {A: [Filing, sleeping]}\nkey_events: {A10: x}\n"
     "key_event_rules: []\ndescription_rules: []\nus_event_codes: {X: A10}\nprocedure_actions: {file: A10}",
     "unknown effect 'sleeping'"),
    ("source: x\ncategories: {}", "'updated'"),
])
def test_a_bad_st27_vocabulary_is_refused_naming_the_entry(yaml_text: str, message: str) -> None:
    with pytest.raises(St27VocabularyError, match=message):
        parse_st27_vocabulary(yaml_text, "st27-test.yaml")


def _event(code: str, day: date, key: str | None, description: str = "") -> MappedEvent:
    return V.mapped(LegalEvent(code, day, description, "EP"), "test", key, "test" if key else None)


def test_status_on_both_sides_of_each_event_date() -> None:
    filed, granted, lapsed, restored = date(2010, 1, 4), date(2013, 6, 5), date(2016, 3, 1), date(2016, 9, 1)
    events = [_event("file", filed, "A10"), _event("announce_grant", granted, "F10"),
              _event("lapse", lapsed, "H10"), _event("restore_patent", restored, "K10")]
    day = timedelta(days=1)
    expected = [(filed - day, None), (filed, "pending"), (granted - day, "pending"), (granted, "in_force"),
                (lapsed - day, "in_force"), (lapsed, "not_in_force"), (restored - day, "not_in_force"),
                (restored, "in_force")]
    assert [(d, status_as_of(events, d, V).state) for d, _ in expected] == expected
    result = status_as_of(events, lapsed, V).as_dict(V)
    assert (result["st27_category"], result["st27_key_event"]) == ("H", "H10")
    assert result["st27_category_title"] == "IP right cessation"
    assert [e["code"] for e in result["events"]] == ["file", "announce_grant", "lapse"]  # only those up to the day


def test_application_events_after_the_grant_or_the_end_change_nothing() -> None:
    events = [_event("A", date(2000, 1, 1), "A10"), _event("B", date(2001, 1, 1), "B20"),
              _event("Q", date(2001, 6, 1), "Q10"), _event("C", date(2002, 1, 1), "C10"),
              _event("F", date(2003, 1, 1), "F10"), _event("D", date(2003, 6, 1), "D10"),
              _event("M", date(2004, 1, 1), "M10")]
    days = (date(2001, 1, 1), date(2001, 6, 1), date(2002, 1, 1), date(2003, 1, 1), date(2003, 6, 1), date(2004, 1, 1))
    states = [status_as_of(events, d, V).state for d in days]
    assert states == ["not_in_force", "not_in_force", "pending", "in_force", "in_force", "in_force"]
    maintained = status_as_of(events, date(2004, 1, 1), V)
    assert maintained.deciding is not None and maintained.deciding.key_event == "M10"


def test_territorial_and_unmapped_events_are_listed_but_change_nothing() -> None:
    events = [_event("GRAA", date(2002, 12, 28), "F10", "(EXPECTED) GRANT"),
              _event("PG25", date(2003, 2, 12), "H10", "LAPSED IN A CONTRACTING STATE"),
              _event("GBPC", date(2011, 7, 27), "H10", "GB: EUROPEAN PATENT CEASED THROUGH NON-PAYMENT OF RENEWAL FEE"),
              _event("ZZZZ", date(2012, 1, 1), None, "SOMETHING")]
    status = status_as_of(events, date(2012, 1, 1), V)
    assert status.state == "in_force" and status.deciding is not None and status.deciding.code == "GRAA"
    assert [e.territorial for e in status.events] == [False, True, True, False]
    assert status.as_dict(V)["unmapped"] == ["ZZZZ"]


def _state_event(code: str, day: date, key: str, territory: str | None = None,
                 designated: tuple[str, ...] = ()) -> MappedEvent:
    return V.mapped(RecordedEvent(code, day, "", "EP", territory, designated), "test", key, "test")


def test_a_european_patent_ceases_once_every_designated_state_has() -> None:
    events = [_state_event("AK", date(2000, 5, 17), "W10", designated=("BE", "CH", "DE")),
              _state_event("GRAA", date(2002, 12, 28), "F10"),
              _state_event("PG25", date(2003, 2, 12), "H10", "CH"),
              _state_event("PG25", date(2003, 5, 13), "H10", "DE"),
              _state_event("PGFP", date(2010, 6, 30), "U10", "BE"),
              _state_event("PG25", date(2011, 8, 31), "H10", "BE"),
              _state_event("PRDP", date(2012, 1, 10), "K10", "DE")]
    states = {d: status_as_of(events, d, V) for d in (date(2011, 8, 30), date(2011, 8, 31), date(2012, 1, 10))}
    assert [s.state for s in states.values()] == ["in_force", "not_in_force", "in_force"]
    ceased = states[date(2011, 8, 31)].deciding
    assert ceased is not None and (ceased.code, ceased.territory, ceased.key_event) == ("PG25", "BE", "H10")
    assert states[date(2012, 1, 10)].deciding is not None and states[date(2012, 1, 10)].deciding.code == "GRAA"
    # without the designation the lapses stay territorial
    assert status_as_of(events[1:], date(2011, 8, 31), V).state == "in_force"


def test_the_real_ep_family_member_on_both_sides_of_its_grant(data_dir: Path) -> None:
    table = {(c.authority, c.code): c for c in _epo_table(data_dir)}
    (member,) = [r for r in EpoLegalImporter().read(data_dir / "ep_legal" / "example_2.xml")
                 if isinstance(r, RecordedEvents)]
    events = []
    for e in member.events:
        found = V.map_office_code(table[(e.office_code or "", e.code)].event_class, e.description)
        events.append(V.mapped(e, member.source, *(found or (None, None))))
    grant = next(e.date for e in member.events if e.code == "GRAA")
    assert status_as_of(events, grant - timedelta(days=1), V).state == "pending"
    after = status_as_of(events, grant, V)
    assert (after.state, after.deciding and after.deciding.key_event) == ("in_force", "F10")
    # all 19 designated states lapsed, the last (GB) on 2011-11-30: in force nowhere from that day
    assert status_as_of(events, date(2011, 11, 29), V).state == "in_force"
    everywhere = status_as_of(events, date(2011, 11, 30), V)
    assert everywhere.state == "not_in_force" and everywhere.deciding is not None
    assert (everywhere.deciding.code, everywhere.deciding.territory) == ("PG25", "GB")
