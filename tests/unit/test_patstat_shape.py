"""The PATSTAT shape (``domain.patstat``): the tables' columns in PATSTAT's order, keys among them, the value
mappings and PATSTAT's form of IPC symbols."""

from __future__ import annotations

import pytest

from ipoffice.domain.patstat import TABLES, appln_kind, citn_origin, default, ipr_type, patstat_ipc_symbol, psn_sector


@pytest.mark.parametrize(("symbol", "expected"), [
    ("H04L 9/32", "H04L   9/32"), ("A61K 31/4745", "A61K  31/4745"), ("G06F 1234/00", "G06F1234/00"),
    ("C07D401/04", "C07D 401/04"), ("  B01D 53 / 34 ", "B01D  53/34"), ("H04L", "H04L"),
    ("Z99Z 1/00", None), ("", None), ("D21 1/00", None), ("G06Q 10/00 (2012.01)", None),
])
def test_ipc_symbols_in_patstat_form(symbol: str, expected: str | None) -> None:
    assert patstat_ipc_symbol(symbol) == expected


def test_the_main_tables_with_their_keys() -> None:
    names = [t.name for t in TABLES]
    assert names == sorted(names) and len(set(names)) == len(names)
    by_name = {t.name: t for t in TABLES}
    assert by_name["tls201_appln"].columns[:6] == ("appln_id", "appln_auth", "appln_nr", "appln_kind",
                                                    "appln_filing_date", "appln_filing_year")
    assert by_name["tls207_pers_appln"].key == ("person_id", "appln_id", "applt_seq_nr", "invt_seq_nr")
    assert by_name["tls212_citation"].key == ("pat_publn_id", "citn_replenished", "citn_id")
    for table in TABLES:
        assert set(table.key) <= table.filled <= set(table.columns)
        assert len(set(table.columns)) == len(table.columns)
    assert by_name["tls231_inpadoc_legal_event"].columns[-2:] == ("st27_category", "st27_key_event")


def test_codes_and_defaults() -> None:
    assert [appln_kind(r, "CN") for r in ("invention", "utility_model", "design", "plant", "trademark")] == \
        ["A", "U", "F", "A", ""]
    assert appln_kind("invention", "WO") == "W"
    assert [ipr_type(r) for r in ("invention", "utility_model", "design")] == ["PI", "UM", "DE"]
    assert [psn_sector(x) for x in ("enterprise", "university", "research_institute", "individual", "other")] == \
        ["COMPANY", "UNIVERSITY", "GOV NON-PROFIT", "INDIVIDUAL", "UNKNOWN"]
    assert [citn_origin(x) for x in ("applicant", "examiner", "third_party", "unknown")] == ["APP", "SEA", "TPO", ""]
    assert (default("lapse_date"), default("fee_renewal_year"), default("party_seq_nr"), default("event_type")) == \
        ("9999-12-31", 9999, 0, "")
