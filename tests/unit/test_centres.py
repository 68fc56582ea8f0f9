"""Eligibility for a protection centre's fast pre-examination (``ipoffice.domain.centres``), its dated
configuration (``adapters.centres_loader``) and the published figures (``domain.centre_figures``)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ipoffice.adapters.centres_loader import load_centre_files, load_centres
from ipoffice.adapters.rules_loader import RulesFileError
from ipoffice.domain.centre_figures import FastTrackCase, figures, nearest_rank
from ipoffice.domain.centres import CentreConfig, FieldList, Registration
from ipoffice.domain.document import RightType
from ipoffice.domain.offices import Office, OfficeLevel, OfficeTree
from ipoffice.services.procedures import DEMO_OFFICES

CHANGE = date(2025, 7, 1)  # the demo centre's second field list (adds H01M and G06F 16/)
TREE = OfficeTree(DEMO_OFFICES)
CENTRE = CentreConfig(
    "CN-JS-SZ-PC", "CN-JS-SZ",
    (FieldList(date(2019, 5, 1), ("G02B", "H01L"), "announcement 1",
               frozenset({RightType.INVENTION, RightType.UTILITY_MODEL})),
     FieldList(CHANGE, ("G02B", "H01L", "H01M", "G06F 16/"), "announcement 2",
               frozenset({RightType.INVENTION, RightType.UTILITY_MODEL}))),
    (Registration("applicant.wang", date(2024, 1, 2), "record-filing 1"),
     Registration("applicant.ma", date(2024, 1, 2), "record-filing 2", until=date(2026, 1, 1)),
     Registration("applicant.chen", date(2024, 1, 2), "record-filing 3")))


def refusal(applicant: str = "applicant.wang", office: str = "CN-JS-SZ", ipc: tuple[str, ...] = ("G02B 6/12",),
            right: RightType = RightType.INVENTION, pct: bool = False, on: date = date(2026, 3, 2)) -> str | None:
    reason = CENTRE.refusal(applicant=applicant, applicant_office=office, ipc=ipc, right_type=right, pct=pct,
                            on=on, within=TREE.is_within)
    return None if reason is None else reason.code


def test_an_eligible_application_has_no_refusal() -> None:
    assert refusal() is None
    assert refusal(ipc=("G02B 6/12", "H01L 21/02"), right=RightType.UTILITY_MODEL) is None
    assert refusal(office="CN-JS-SZ-PC") is None  # an applicant of an office below the region is in it


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"ipc": ("A61K 9/00",)}, "centre_out_of_field"),
    ({"ipc": ("G02B 6/12", "A61K 9/00")}, "centre_out_of_field"),  # every symbol must be in a field
    ({"ipc": ()}, "centre_ipc_missing"),
    ({"applicant": "applicant.li"}, "centre_not_registered"),  # never registered
    ({"applicant": "applicant.ma"}, "centre_not_registered"),  # registration ended 2026-01-01
    ({"applicant": "applicant.wang", "on": date(2024, 1, 1)}, "centre_not_registered"),  # before it began
    ({"applicant": "applicant.chen", "office": "CN-ZJ"}, "centre_outside_region"),
    ({"office": "CN-JS"}, "centre_outside_region"),  # the province is wider than the centre's city
    ({"pct": True}, "centre_pct_national_phase"),
    ({"right": RightType.DESIGN}, "centre_right_type"),
    ({"on": date(2019, 4, 30)}, "centre_no_fields"),
])
def test_an_ineligible_application_is_refused_with_the_reason(kwargs: dict[str, object], code: str) -> None:
    assert refusal(**kwargs) == code  # type: ignore[arg-type]


def test_the_field_list_in_force_on_the_filing_date_decides_on_both_sides_of_a_change() -> None:
    day_before = date(2025, 6, 30)
    assert refusal(ipc=("H01M 10/052",), on=day_before) == "centre_out_of_field"
    assert refusal(ipc=("H01M 10/052",), on=CHANGE) is None
    assert refusal(ipc=("G06F 16/35",), on=day_before) == "centre_out_of_field"
    assert refusal(ipc=("G06F 16/35",), on=CHANGE) is None
    assert refusal(ipc=("G06F 17/00",), on=CHANGE) == "centre_out_of_field"  # another group of the subclass


def test_the_reason_names_the_symbols_the_fields_and_the_announcement() -> None:
    reason = CENTRE.refusal(applicant="applicant.wang", applicant_office="CN-JS-SZ", ipc=("A61K 9/00", "G02B 1/00"),
                            right_type=RightType.INVENTION, pct=False, on=date(2025, 6, 30), within=TREE.is_within)
    assert reason is not None
    assert reason.params == {"centre": "CN-JS-SZ-PC", "ipc": "A61K 9/00", "fields": "G02B, H01L",
                             "on": date(2025, 6, 30)}
    assert "announcement 1" in reason


@pytest.mark.parametrize(("field", "symbol", "inside"), [
    ("G02B", "G02B 6/12", True), ("G02B", "G02F 1/13", False), ("G06F 16/", "G06F 16/35", True),
    ("G06F 16/", "G06F 161/00", False), ("G06F 16/00", "G06F 16/901", True), ("G06F 16", "G06F 16/35", True),
    ("H01M 10/052", "H01M 10/0525", True), ("H01M 10/052", "H01M 10/04", False),
])
def test_an_ipc_field_holds_its_subclass_or_group(field: str, symbol: str, inside: bool) -> None:
    fields = FieldList(date(2020, 1, 1), (field,), "ref")
    assert (fields.field_of(symbol) is not None) is inside


def test_the_packaged_configuration_has_the_demo_centre_and_its_office() -> None:
    centre = load_centres().get("CN-JS-SZ-PC")
    assert centre is not None and centre.region == "CN-JS-SZ"
    assert centre.registration_of("applicant.wang", date(2026, 1, 1)) is not None
    office = TREE.get("CN-JS-SZ-PC")
    assert (office.level, office.parent) == (OfficeLevel.PROTECTION_CENTRE, "CN-JS-SZ")


def test_a_protection_centre_hangs_under_any_office() -> None:
    OfficeTree([*DEMO_OFFICES[:1], Office("PC", "centre", OfficeLevel.PROTECTION_CENTRE, "CN", "CNIPA")])


@pytest.mark.parametrize(("text", "key"), [
    ("centres: {X: {region: R}}", "centres.X.fields"),
    ("centres: {X: {region: R, fields: [{effective_from: 2020-01-01, ipc: [G02B]}]}}", "centres.X.fields[0].reference"),
    ("centres: {X: {region: R, fields: [{effective_from: 2020-13-01, ipc: [G02B], reference: r}]}}",
     "centres.X.fields[0].effective_from"),
    ("centres: {X: {region: R, fields: [{effective_from: 2020-01-01, ipc: [NOPE], reference: r}]}}",
     "centres.X.fields[0].ipc[0]"),
    ("centres: {X: {region: R, fields: [{effective_from: 2020-01-01, ipc: [G02B], reference: r, "
     "right_types: [design]}]}}", "centres.X.fields[0].locarno"),
    ("centres: {X: {region: R, fields: [{effective_from: 2020-01-01, ipc: [G02B], reference: r, "
     "right_types: [trademark]}]}}", "centres.X.fields[0].right_types"),
    ("centres: {X: {region: R, fields: [{effective_from: 2020-01-01, ipc: [G02B], reference: r, "
     "right_types: [design], locarno: [XX]}]}}", "centres.X.fields[0].locarno[0]"),
    ("centres: {X: {region: R, fields: [{effective_from: 2021-01-01, ipc: [G02B], reference: r}, "
     "{effective_from: 2020-01-01, ipc: [G02B], reference: r}]}}", "centres.X.fields"),
    ("centres: {X: {region: R, fields: [], registrations: [{applicant: a, registered_on: 2020-01-01, "
     "until: 2019-01-01, reference: r}]}}", "centres.X.registrations[0].until"),
    ("centres: {X: {region: R, fields: [], colour: blue}}", "centres.X.colour"),
])
def test_a_malformed_configuration_names_the_file_and_the_key(text: str, key: str) -> None:
    with pytest.raises(RulesFileError) as caught:
        load_centre_files([("centres.yaml", text)])
    assert (caught.value.file, caught.value.key) == ("centres.yaml", key)


def test_figures_per_centre_and_field_with_pass_rate_median_and_p90() -> None:
    day = date(2026, 1, 1)
    cases = [FastTrackCase(f"N{i}", "PC", "G02B", day, passed=day, granted=day + timedelta(days=d))
             for i, d in enumerate([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])]
    cases += [FastTrackCase("R1", "PC", "G02B", day, refused=day), FastTrackCase("P1", "PC", "G02B", day),
              FastTrackCase("H1", "PC", "H01M", day, passed=day)]
    g02b, h01m = figures(cases)
    assert (g02b.field, g02b.requests, g02b.passed, g02b.refused, g02b.granted) == ("G02B", 12, 10, 1, 10)
    assert g02b.pass_rate == pytest.approx(10 / 11)
    assert (g02b.median_days, g02b.p90_days) == (55, 90)
    assert (h01m.requests, h01m.pass_rate, h01m.median_days, h01m.p90_days) == (1, 1.0, None, None)


@pytest.mark.parametrize(("values", "p90"), [([5], 5), ([1, 2], 2), (list(range(1, 11)), 9), (list(range(1, 21)), 18)])
def test_nearest_rank_percentile(values: list[int], p90: int) -> None:
    assert nearest_rank(values, 0.9) == p90


DESIGNS = date(2026, 7, 1)
DESIGN_CENTRE = CentreConfig("PC", "CN-JS-SZ", (
    FieldList(date(2019, 5, 1), ("G02B",), "announcement 1"),
    FieldList(DESIGNS, ("G02B",), "announcement 3",
              frozenset({RightType.INVENTION, RightType.DESIGN}), locarno=("14-03", "26"))),
    (Registration("applicant.wang", date(2024, 1, 2), "record-filing 1"),))


@pytest.mark.parametrize(("classes", "on", "code"), [
    (("26-05",), DESIGNS, None),  # a class holds its subclasses
    (("26",), DESIGNS, None),
    (("14-03",), DESIGNS, None),  # a subclass holds itself
    (("14-02",), DESIGNS, "centre_locarno_out_of_field"),  # not its sibling
    (("14",), DESIGNS, "centre_locarno_out_of_field"),  # nor the class above it
    (("26-05", "02-01"), DESIGNS, "centre_locarno_out_of_field"),  # every class must be in a field
    ((), DESIGNS, "centre_locarno_missing"),
    (("G02B 6/12",), DESIGNS, "centre_locarno_out_of_field"),  # an IPC symbol is no design field
    (("26-05",), date(2026, 6, 30), "centre_right_type"),  # the day before designs were added
])
def test_a_design_is_checked_on_its_locarno_classes(classes: tuple[str, ...], on: date, code: str | None) -> None:
    reason = DESIGN_CENTRE.refusal(applicant="applicant.wang", applicant_office="CN-JS-SZ", ipc=classes,
                                   right_type=RightType.DESIGN, pct=False, on=on, within=TREE.is_within)
    assert (None if reason is None else reason.code) == code
    if code == "centre_locarno_out_of_field":
        assert reason is not None and "14-03, 26" in str(reason) and "announcement 3" in str(reason)


def test_an_invention_of_a_centre_with_designs_is_still_checked_on_its_ipc() -> None:
    assert DESIGN_CENTRE.refusal(applicant="applicant.wang", applicant_office="CN-JS-SZ", ipc=("26-05",),
                                 right_type=RightType.INVENTION, pct=False, on=DESIGNS,
                                 within=TREE.is_within) is not None
