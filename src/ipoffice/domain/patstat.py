"""The PATSTAT Global shape of the register (issue #18): the tables, their columns in PATSTAT's order and
names, which of them the register fills, and the code mappings of single values.

Source of the table and column names: the EPO's *PATSTAT Global Data Catalog* (tables TLS201 … TLS231, as
loaded by the DDL the EPO ships with the Autumn editions). A column the register cannot fill is written with
PATSTAT's own default (``''``, ``0`` or ``9999-12-31``), so that analysts' queries keep working; ``filled``
lists what we write. Two columns are ipoffice's additions at the end of TLS231 (``st27_category``,
``st27_key_event``: the event's WIPO ST.27 mapping). ``docs/patstat_export.md`` explains each column.

    patstat_ipc_symbol("H04L 9/32")   # 'H04L   9/32' (subclass, main group right-aligned in 4, '/', subgroup)
    appln_kind("invention", "CN")     # 'A'
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PatstatTable:
    name: str
    columns: tuple[str, ...]  # in PATSTAT's order (ipoffice additions last)
    filled: frozenset[str]  # the columns the register fills; the others hold PATSTAT's defaults
    key: tuple[str, ...]  # the primary key


def _table(name: str, columns: str, filled: str, key: str) -> PatstatTable:
    cols = tuple(columns.split())
    wanted = frozenset(filled.split())
    assert wanted <= set(cols) and set(key.split()) <= set(cols), name
    return PatstatTable(name, cols, wanted, tuple(key.split()))


TABLES: tuple[PatstatTable, ...] = (
    _table("tls201_appln",
           "appln_id appln_auth appln_nr appln_kind appln_filing_date appln_filing_year appln_nr_epodoc "
           "appln_nr_original ipr_type receiving_office internat_appln_id int_phase reg_phase nat_phase "
           "earliest_filing_date earliest_filing_year earliest_filing_id earliest_publn_date earliest_publn_year "
           "earliest_pat_publn_id granted docdb_family_id inpadoc_family_id docdb_family_size nb_citing_docdb_fam "
           "nb_applicants nb_inventors",
           "appln_id appln_auth appln_nr appln_kind appln_filing_date appln_filing_year appln_nr_original ipr_type "
           "earliest_filing_date earliest_filing_year earliest_filing_id earliest_publn_date earliest_publn_year "
           "earliest_pat_publn_id granted docdb_family_id docdb_family_size nb_citing_docdb_fam nb_applicants "
           "nb_inventors",
           "appln_id"),
    _table("tls202_appln_title", "appln_id appln_title_lg appln_title", "appln_id appln_title_lg appln_title",
           "appln_id"),
    _table("tls203_appln_abstr", "appln_id appln_abstract_lg appln_abstract",
           "appln_id appln_abstract_lg appln_abstract", "appln_id"),
    _table("tls204_appln_prior", "appln_id prior_appln_id prior_appln_seq_nr",
           "appln_id prior_appln_id prior_appln_seq_nr", "appln_id prior_appln_id"),
    _table("tls206_person",
           "person_id person_name person_name_orig_lg person_address person_ctry_code nuts nuts_level "
           "doc_std_name_id doc_std_name psn_id psn_name psn_level psn_sector han_id han_name han_harmonized",
           "person_id person_name person_address person_ctry_code psn_sector", "person_id"),
    _table("tls207_pers_appln", "person_id appln_id applt_seq_nr invt_seq_nr",
           "person_id appln_id applt_seq_nr invt_seq_nr", "person_id appln_id applt_seq_nr invt_seq_nr"),
    _table("tls209_appln_ipc",
           "appln_id ipc_class_symbol ipc_class_level ipc_version ipc_value ipc_position ipc_gener_auth",
           "appln_id ipc_class_symbol ipc_position ipc_gener_auth", "appln_id ipc_class_symbol"),
    _table("tls211_pat_publn",
           "pat_publn_id publn_auth publn_nr publn_nr_original publn_kind appln_id publn_date publn_lg "
           "publn_first_grant publn_claims",
           "pat_publn_id publn_auth publn_nr publn_nr_original publn_kind appln_id publn_date publn_first_grant "
           "publn_claims",
           "pat_publn_id"),
    _table("tls212_citation",
           "pat_publn_id citn_replenished citn_id citn_origin cited_pat_publn_id cited_appln_id pat_citn_seq_nr "
           "cited_npl_publn_id npl_citn_seq_nr citn_gener_auth",
           "pat_publn_id citn_replenished citn_id citn_origin cited_pat_publn_id pat_citn_seq_nr citn_gener_auth",
           "pat_publn_id citn_replenished citn_id"),
    _table("tls224_appln_cpc", "appln_id cpc_class_symbol", "appln_id cpc_class_symbol",
           "appln_id cpc_class_symbol"),
    _table("tls230_appln_techn_field", "appln_id techn_field_nr weight", "appln_id techn_field_nr weight",
           "appln_id techn_field_nr"),
    _table("tls231_inpadoc_legal_event",
           "event_id appln_id event_seq_nr event_type event_auth event_code event_filing_date event_publn_date "
           "event_effective_date event_text ref_doc_auth ref_doc_nr ref_doc_kind ref_doc_date ref_doc_text "
           "party_type party_seq_nr party_new party_old spc_nr spc_filing_date spc_patent_expiry_date "
           "spc_extension_date spc_text designated_states extension_states fee_country fee_payment_date "
           "fee_renewal_year fee_text lapse_country lapse_date lapse_text reinstate_country reinstate_date "
           "reinstate_text class_scheme class_symbol st27_category st27_key_event",
           "event_id appln_id event_seq_nr event_auth event_code event_publn_date event_text st27_category "
           "st27_key_event",
           "event_id"),
)
"""Every table written, in PATSTAT's numbering."""

_NUMERIC_DEFAULTS = {"party_seq_nr": 0, "fee_renewal_year": 9999, "nuts_level": 9, "internat_appln_id": 0,
                     "inpadoc_family_id": 0, "doc_std_name_id": 0, "psn_id": 0, "psn_level": 0, "han_id": 0,
                     "han_harmonized": 0, "citn_replenished": 0, "cited_appln_id": 0, "npl_citn_seq_nr": 0}


def default(column: str) -> str | int:
    """PATSTAT's value of a column it has no data for: ``9999-12-31`` for a date, 0 (or 9999, 9) for a
    number, ``''`` for text."""
    if column.endswith("_date"):
        return "9999-12-31"
    return _NUMERIC_DEFAULTS.get(column, "")


DUMMY_KIND = "D"  # appln_kind of an application known only as a priority claimed by another ("dummy")
_KIND_OF_RIGHT = {"invention": "A", "plant": "A", "utility_model": "U", "design": "F"}
_IPR_TYPE = {"invention": "PI", "plant": "PI", "utility_model": "UM", "design": "DE"}
_SECTOR = {"enterprise": "COMPANY", "university": "UNIVERSITY", "research_institute": "GOV NON-PROFIT",
           "public_body": "GOV NON-PROFIT", "individual": "INDIVIDUAL"}
_ORIGIN = {"applicant": "APP", "examiner": "SEA", "third_party": "TPO"}
_IPC = re.compile(r"^([A-H]\d\d[A-Z])\s*(?:(\d{1,4})\s*/\s*(\d{1,6}))?$")


def appln_kind(right_type: str, auth: str) -> str:
    """PATSTAT's application kind: ``W`` an international (PCT) application, ``A`` a patent (invention or plant),
    ``U`` a utility model, ``F`` a design; ``''`` for anything else."""
    return "W" if auth == "WO" else _KIND_OF_RIGHT.get(right_type, "")


def ipr_type(right_type: str) -> str:
    """``PI`` patent of invention, ``UM`` utility model, ``DE`` design (PATSTAT ``ipr_type``)."""
    return _IPR_TYPE.get(right_type, "")


def psn_sector(applicant_type: str) -> str:
    """PATSTAT's sector (EEE-PPAT ``psn_sector``) of one of our applicant types; ``UNKNOWN`` otherwise."""
    return _SECTOR.get(applicant_type, "UNKNOWN")


def citn_origin(cited_by: str) -> str:
    """``APP`` cited by the applicant, ``SEA`` by the examiner (search), ``TPO`` a third-party observation."""
    return _ORIGIN.get(cited_by, "")


def patstat_ipc_symbol(symbol: str) -> str | None:
    """An IPC symbol as PATSTAT writes it (``'H04L   9/32'``: subclass, main group right-aligned in four
    characters, ``/``, subgroup); a subclass alone stays as it is. None when ``symbol`` is no IPC symbol."""
    match = _IPC.match(symbol.strip())
    if match is None:
        return None
    subclass, group, subgroup = match.groups()
    return subclass if group is None else f"{subclass}{group.rjust(4)}/{subgroup}"

