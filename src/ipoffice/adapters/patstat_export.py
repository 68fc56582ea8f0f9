"""The register written as PATSTAT Global tables (``ipoffice.domain.patstat``), built in DuckDB (issue #18).

The register's patent documents are read with SQLAlchemy Core (the same queries on SQLite and PostgreSQL,
streamed in chunks) into an in-memory DuckDB database; the PATSTAT tables are then ``CREATE TABLE … AS``
statements there, written out with ``COPY … TO`` as CSV (header, UTF-8) and, when asked, Parquet.

What an application is: the documents of one application number of one office (the A and B publications of
one application are one ``tls201_appln`` row with two ``tls211_pat_publn`` rows); a document without an
application number is an application of its own. The office's own cases are in the register as documents
once published (``services.case_documents``: one per publication number, source ``ipoffice-case``), so
they are exported like imported documents, and an application the office has not published is never
written (it is confidential until then). A priority claimed but not in the register becomes a "dummy"
application (``appln_kind`` ``D``) so that every ``prior_appln_id`` resolves.

As of a date: a document counts from its publication date (its application date when it has none), legal
events from their date; ``granted`` follows the ``granted`` indicator's definition in force on that date.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
from sqlalchemy import Engine, Select, select

from ipoffice.adapters import tables as t
from ipoffice.domain.applicant_types import ApplicantTypes
from ipoffice.domain.document import LegalEvent
from ipoffice.domain.legal_status import St27Vocabulary
from ipoffice.domain.patstat import (
    DUMMY_KIND,
    TABLES,
    appln_kind,
    citn_origin,
    default,
    ipr_type,
    patstat_ipc_symbol,
    psn_sector,
)
from ipoffice.domain.technology_fields import TechnologyFields

CHUNK = 50_000
CASE_SOURCE = "ipoffice-case"  # services.case_documents.SOURCE_FORMAT: events are procedure actions
FAR = "DATE '9999-12-31'"  # PATSTAT's default date


@dataclass(frozen=True)
class PatstatInputs:
    """What the export reads besides the register: the ``granted`` definition's parameters, the technology-
    field concordance, the applicant-type rules and the ST.27 vocabulary."""

    granted: Mapping[str, Any]
    fields: TechnologyFields
    applicant_types: ApplicantTypes
    st27: St27Vocabulary


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _literal(column: str) -> str:
    """PATSTAT's default of a column the register has no data for, as an SQL literal named after it."""
    value = default(column)
    sql = f"DATE '{value}'" if column.endswith("_date") else repr(value) if isinstance(value, int) else f"'{value}'"
    return f"{sql} AS {column}"


class PatstatExport:
    """``PatstatExport(engine, inputs).write(directory, as_of)`` → rows written per table."""

    def __init__(self, engine: Engine, inputs: PatstatInputs) -> None:
        self.engine = engine
        self.inputs = inputs

    # --- reading the register ---------------------------------------------------------------------------

    def _rows(self, stmt: Select[Any]) -> Iterator[list[Any]]:
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(stmt)
            for part in result.partitions(CHUNK):
                yield [tuple(r) for r in part]

    @staticmethod
    def _table(con: duckdb.DuckDBPyConnection, name: str, columns: Mapping[str, str],
               chunks: Iterator[list[Any]] | Sequence[list[Any]]) -> None:
        """A DuckDB table of the rows (each chunk handed over as numpy columns: no row-by-row insert)."""
        con.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {ty}' for c, ty in columns.items())})")
        casts = ", ".join(f"CAST({c} AS {ty})" for c, ty in columns.items())
        for rows in chunks:
            if rows:
                con.register("chunk", {c: np.array([r[i] for r in rows], dtype=object)
                                       for i, c in enumerate(columns)})
                con.execute(f"INSERT INTO {name} SELECT {casts} FROM chunk")
                con.unregister("chunk")

    def _load(self, con: duckdb.DuckDBPyConnection, as_of: date | None) -> None:
        d = t.documents
        self._table(con, "docs_raw", {
            "id": "BIGINT", "number": "VARCHAR", "country": "VARCHAR", "serial": "VARCHAR", "kind": "VARCHAR",
            "right_type": "VARCHAR", "source_format": "VARCHAR", "publication_date": "DATE",
            "application_number": "VARCHAR", "application_date": "DATE"},
            self._rows(select(d.c.id, d.c.number, d.c.country, d.c.serial, d.c.kind, d.c.right_type,
                              d.c.source_format, d.c.publication_date, d.c.application_number,
                              d.c.application_date).where(d.c.right_type != "trademark")))
        known = "coalesce(publication_date, application_date)"
        con.execute(f"""
            CREATE TABLE docs AS SELECT *, country || ':' || coalesce(application_number, number) AS unit
            FROM docs_raw WHERE {f'{known} <= $as_of' if as_of else 'true'}""", {"as_of": as_of} if as_of else {})
        con.execute("DROP TABLE docs_raw")
        con.execute("CREATE TABLE wanted AS SELECT id FROM docs")
        children: list[tuple[str, Any, dict[str, str], list[Any]]] = [
            ("texts_raw", t.document_texts, {"field": "VARCHAR", "lang": "VARCHAR", "text": "VARCHAR"},
             [t.document_texts.c.field.in_(("title", "abstract"))]),
            ("parties_raw", t.parties, {"role": "VARCHAR", "name": "VARCHAR", "country": "VARCHAR",
                                        "address": "VARCHAR"},
             [t.parties.c.role.in_(("applicant", "assignee", "inventor"))]),
            ("classes_raw", t.classifications, {"scheme": "VARCHAR", "symbol": "VARCHAR", "is_main": "BOOLEAN"},
             [t.classifications.c.scheme.in_(("IPC", "CPC"))]),
            ("citations_raw", t.citations, {"cited_by": "VARCHAR", "cited_number": "VARCHAR", "country": "VARCHAR",
                                            "kind": "VARCHAR"}, [t.citations.c.cited_number.is_not(None)]),
            ("priorities_raw", t.priority_claims, {"country": "VARCHAR", "number": "VARCHAR",
                                                   "priority_date": "DATE"}, []),
            ("events_raw", t.legal_events, {"code": "VARCHAR", "event_date": "DATE", "description": "VARCHAR",
                                            "office_code": "VARCHAR"},
             [t.legal_events.c.event_date <= as_of] if as_of else []),
            ("claims_raw", t.claims, {}, []),
        ]
        for name, table, columns, where in children:
            self._table(con, f"{name}_all", {"document_id": "BIGINT", "sequence": "BIGINT", **columns},
                        self._rows(select(table.c.document_id, table.c.sequence,
                                          *(table.c[c] for c in columns)).where(*where)))
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_all WHERE document_id IN (SELECT id FROM wanted)")
            con.execute(f"DROP TABLE {name}_all")
        self._lookups(con)

    def _lookups(self, con: duckdb.DuckDBPyConnection) -> None:
        """Per distinct value, what Python rules decide: the PATSTAT form and technology field of each IPC
        symbol, the sector of each person's name, the ST.27 mapping of each legal event."""
        fields, types, st27 = self.inputs.fields, self.inputs.applicant_types, self.inputs.st27
        symbols = con.execute("SELECT DISTINCT symbol FROM classes_raw WHERE scheme = 'IPC'").fetchall()
        self._table(con, "ipc_forms", {"symbol": "VARCHAR", "patstat": "VARCHAR", "field": "INTEGER"},
                    [[(s, patstat_ipc_symbol(s), fields.field_of(s)) for (s,) in symbols]])
        names = con.execute("SELECT DISTINCT name FROM parties_raw").fetchall()
        self._table(con, "sectors", {"name": "VARCHAR", "sector": "VARCHAR"},
                    [[(n, psn_sector(types.classify(n))) for (n,) in names]])
        events = con.execute("""
            SELECT DISTINCT d.country, d.source_format = $case, e.code, e.description
            FROM events_raw e JOIN docs d ON d.id = e.document_id""", {"case": CASE_SOURCE}).fetchall()
        rows = []
        for country, is_case, code, description in events:
            if is_case:
                key = st27.procedure_actions.get(code)
            elif country == "US" and code in st27.us_event_codes:
                key = st27.us_event_codes[code]
            else:
                found = st27.map_office_code("", description or "")
                key = found[0] if found else None
            mapped = st27.mapped(LegalEvent(code, date.min, description or ""), "", key, None)
            rows.append((country, is_case, code, description, mapped.category or "", mapped.key_event or ""))
        self._table(con, "st27_map", {"country": "VARCHAR", "is_case": "BOOLEAN", "code": "VARCHAR",
                                      "description": "VARCHAR", "category": "VARCHAR", "key_event": "VARCHAR"},
                    [rows])

    # --- the PATSTAT tables ---------------------------------------------------------------------------------

    def _build(self, con: duckdb.DuckDBPyConnection) -> None:
        g = self.inputs.granted
        params = {"kinds": sorted(g.get("granted_kinds", [])) or [""],
                  "sources": sorted(g.get("granted_sources", [])) or [""],
                  "events": sorted(g.get("grant_events", [])) or [""]}
        kinds = self._kind_values()
        con.execute("""
            CREATE MACRO nr(auth, n) AS (
                WITH x AS (SELECT upper(regexp_replace(coalesce(n, ''), '[^0-9A-Za-z]', '', 'g')) AS v)
                SELECT CASE WHEN starts_with(v, auth) AND length(v) > length(auth)
                            THEN substr(v, length(auth) + 1) ELSE v END FROM x)""")
        con.execute("CREATE TABLE kinds (right_type VARCHAR, auth_is_wo BOOLEAN, kind VARCHAR, ipr VARCHAR)")
        con.executemany("INSERT INTO kinds VALUES (?, ?, ?, ?)", kinds)
        # the applications of the register's documents
        con.execute(f"""
            CREATE TABLE units AS
            SELECT unit, any_value(country) AS auth,
                   CASE WHEN any_value(application_number) IS NULL THEN ''
                        ELSE nr(any_value(country), any_value(application_number)) END AS appln_nr,
                   coalesce(any_value(application_number), '') AS appln_nr_original,
                   arg_min(right_type, coalesce(publication_date, {FAR})) AS right_type,
                   min(application_date) AS filing_date,
                   min(publication_date) FILTER (WHERE list_contains($kinds, kind)
                       OR (kind IS NULL AND list_contains($sources, source_format))) AS granted_pub
            FROM docs GROUP BY unit""", {"kinds": params["kinds"], "sources": params["sources"]})
        con.execute("""
            CREATE TABLE prio AS
            SELECT d.unit, p.sequence, p.country, nr(p.country, p.number) AS pnr, p.number, p.priority_date
            FROM priorities_raw p JOIN docs d ON d.id = p.document_id
            WHERE nr(p.country, p.number) <> ''""")
        con.execute("""
            CREATE TABLE prio_target AS
            SELECT DISTINCT p.country, p.pnr, coalesce(
                (SELECT min(u.unit) FROM units u WHERE u.auth = p.country AND u.appln_nr = p.pnr),
                'P:' || p.country || ':' || p.pnr) AS target
            FROM prio p""")
        con.execute("""
            CREATE TABLE applns AS
            WITH every AS (
                SELECT unit, auth, appln_nr, appln_nr_original, right_type, filing_date, granted_pub FROM units
                UNION ALL
                SELECT t.target, t.country, t.pnr, any_value(p.number), NULL, min(p.priority_date), NULL
                FROM prio_target t JOIN prio p USING (country, pnr)
                WHERE t.target LIKE 'P:%' GROUP BY t.target, t.country, t.pnr)
            SELECT row_number() OVER (ORDER BY unit) AS appln_id, every.* FROM every""")
        con.execute("""
            CREATE TABLE links AS
            SELECT a.appln_id, pa.appln_id AS prior_appln_id,
                   row_number() OVER (PARTITION BY a.appln_id ORDER BY min(p.sequence), pa.appln_id)
                       AS prior_appln_seq_nr
            FROM prio p JOIN prio_target t USING (country, pnr)
            JOIN applns a ON a.unit = p.unit JOIN applns pa ON pa.unit = t.target
            WHERE pa.appln_id <> a.appln_id GROUP BY a.appln_id, pa.appln_id""")
        con.execute(f"""
            CREATE TABLE tls211_pat_publn AS
            WITH claim_counts AS (SELECT document_id, count(*) AS n FROM claims_raw GROUP BY document_id),
            p AS (
                SELECT row_number() OVER (ORDER BY d.number) AS pat_publn_id, d.country AS publn_auth,
                       d.serial AS publn_nr, d.number AS publn_nr_original, coalesce(d.kind, '') AS publn_kind,
                       a.appln_id, coalesce(d.publication_date, {FAR}) AS publn_date, '' AS publn_lg,
                       (list_contains($kinds, d.kind) OR (d.kind IS NULL AND list_contains($sources, d.source_format)))
                           AND d.publication_date IS NOT NULL AS is_grant,
                       coalesce(c.n, 0) AS publn_claims, d.id AS document_id
                FROM docs d JOIN applns a ON a.unit = d.unit LEFT JOIN claim_counts c ON c.document_id = d.id)
            SELECT *, CASE WHEN is_grant AND row_number() OVER (
                              PARTITION BY appln_id, is_grant ORDER BY publn_date, pat_publn_id) = 1
                           THEN 'Y' ELSE 'N' END AS publn_first_grant
            FROM p""", {"kinds": params["kinds"], "sources": params["sources"]})
        con.execute(f"""
            CREATE TABLE tls231_inpadoc_legal_event AS
            WITH e AS (
                SELECT DISTINCT a.appln_id, coalesce(e.office_code, d.country) AS event_auth, e.code, e.event_date,
                       coalesce(e.description, '') AS event_text, coalesce(m.category, '') AS st27_category,
                       coalesce(m.key_event, '') AS st27_key_event
                FROM events_raw e JOIN docs d ON d.id = e.document_id JOIN applns a ON a.unit = d.unit
                LEFT JOIN st27_map m ON m.country = d.country AND m.is_case = (d.source_format = '{CASE_SOURCE}')
                     AND m.code = e.code AND m.description IS NOT DISTINCT FROM e.description)
            SELECT row_number() OVER (ORDER BY appln_id, event_date, code, event_text, event_auth) AS event_id,
                   appln_id,
                   row_number() OVER (PARTITION BY appln_id ORDER BY event_date, code, event_text, event_auth)
                       AS event_seq_nr,
                   '' AS event_type, event_auth, code AS event_code, {FAR} AS event_filing_date,
                   event_date AS event_publn_date, {FAR} AS event_effective_date, event_text,
                   st27_category, st27_key_event
            FROM e""")
        grant_events = "list_contains($events, event_code)"
        con.execute(f"""
            CREATE TABLE grants AS
            SELECT a.appln_id, least(a.granted_pub, ge.d) AS grant_date FROM applns a
            LEFT JOIN (SELECT appln_id, min(event_publn_date) AS d FROM tls231_inpadoc_legal_event
                       WHERE {grant_events} GROUP BY appln_id) ge USING (appln_id)""", {"events": params["events"]})
        self._parties(con)
        self._classes_and_citations(con)
        self._families(con)

    @staticmethod
    def _kind_values() -> list[tuple[str, bool, str, str]]:
        rights = ("invention", "plant", "utility_model", "design")
        return [(r, wo, appln_kind(r, "WO" if wo else ""), ipr_type(r)) for r in rights for wo in (False, True)]

    @staticmethod
    def _parties(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("""
            CREATE TABLE persons AS
            SELECT row_number() OVER (ORDER BY name, ctry, addr) AS person_id, name, ctry, addr
            FROM (SELECT DISTINCT name, coalesce(country, '') AS ctry, coalesce(address, '') AS addr
                  FROM parties_raw)""")
        con.execute("""
            CREATE TABLE tls207_pers_appln AS
            WITH pa AS (
                SELECT p.person_id, a.appln_id, CASE WHEN r.role = 'inventor' THEN 'I' ELSE 'A' END AS r,
                       min(r.sequence) AS s
                FROM parties_raw r JOIN docs d ON d.id = r.document_id JOIN applns a ON a.unit = d.unit
                JOIN persons p ON p.name = r.name AND p.ctry = coalesce(r.country, '')
                     AND p.addr = coalesce(r.address, '')
                GROUP BY 1, 2, 3),
            ranked AS (SELECT *, row_number() OVER (PARTITION BY appln_id, r ORDER BY s, person_id) AS seq FROM pa)
            SELECT person_id, appln_id, coalesce(max(seq) FILTER (WHERE r = 'A'), 0) AS applt_seq_nr,
                   coalesce(max(seq) FILTER (WHERE r = 'I'), 0) AS invt_seq_nr
            FROM ranked GROUP BY person_id, appln_id""")
        con.execute("""
            CREATE TABLE tls206_person AS
            SELECT p.person_id, p.name AS person_name, '' AS person_name_orig_lg, p.addr AS person_address,
                   p.ctry AS person_ctry_code, '' AS nuts, 9 AS nuts_level, 0 AS doc_std_name_id, '' AS doc_std_name,
                   0 AS psn_id, '' AS psn_name, 0 AS psn_level, coalesce(s.sector, 'UNKNOWN') AS psn_sector,
                   0 AS han_id, '' AS han_name, 0 AS han_harmonized
            FROM persons p LEFT JOIN sectors s ON s.name = p.name""")
        for table, field, column, lang in (("tls202_appln_title", "title", "appln_title", "appln_title_lg"),
                                           ("tls203_appln_abstr", "abstract", "appln_abstract", "appln_abstract_lg")):
            con.execute(f"""
                CREATE TABLE {table} AS
                SELECT appln_id, {lang}, {column} FROM (
                    SELECT a.appln_id, coalesce(x.lang, '') AS {lang}, x.text AS {column},
                           row_number() OVER (PARTITION BY a.appln_id ORDER BY x.lang = 'en' DESC,
                                              coalesce(d.publication_date, {FAR}) DESC, d.number, x.sequence) AS rn
                    FROM texts_raw x JOIN docs d ON d.id = x.document_id JOIN applns a ON a.unit = d.unit
                    WHERE x.field = '{field}' AND trim(x.text) <> '')
                WHERE rn = 1""")

    @staticmethod
    def _classes_and_citations(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("""
            CREATE TABLE tls209_appln_ipc AS
            SELECT a.appln_id, f.patstat AS ipc_class_symbol, '' AS ipc_class_level, DATE '9999-12-31' AS ipc_version,
                   '' AS ipc_value, CASE WHEN bool_or(c.is_main) THEN 'F' ELSE 'L' END AS ipc_position,
                   min(d.country) AS ipc_gener_auth
            FROM classes_raw c JOIN ipc_forms f ON f.symbol = c.symbol JOIN docs d ON d.id = c.document_id
            JOIN applns a ON a.unit = d.unit
            WHERE c.scheme = 'IPC' AND f.patstat IS NOT NULL GROUP BY a.appln_id, f.patstat""")
        con.execute("""
            CREATE TABLE tls224_appln_cpc AS
            SELECT DISTINCT a.appln_id, c.symbol AS cpc_class_symbol
            FROM classes_raw c JOIN docs d ON d.id = c.document_id JOIN applns a ON a.unit = d.unit
            WHERE c.scheme = 'CPC'""")
        con.execute("""
            CREATE TABLE tls230_appln_techn_field AS
            WITH per AS (SELECT i.appln_id, f.field, count(*) AS n FROM tls209_appln_ipc i
                    JOIN (SELECT patstat, any_value(field) AS field FROM ipc_forms GROUP BY patstat) f
                         ON f.patstat = i.ipc_class_symbol
                    WHERE f.field IS NOT NULL GROUP BY 1, 2)
            SELECT appln_id, field AS techn_field_nr, n / sum(n) OVER (PARTITION BY appln_id) AS weight FROM per""")
        origins = {v: citn_origin(v) for v in ("applicant", "examiner", "third_party", "unknown")}
        case = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in origins.items())
        con.execute(f"""
            CREATE TABLE tls212_citation AS
            WITH c AS (
                SELECT p.pat_publn_id, c.sequence, c.cited_by, p.publn_auth,
                       (SELECT min(q.pat_publn_id) FROM tls211_pat_publn q
                        WHERE q.publn_auth = coalesce(c.country, p.publn_auth)
                          AND q.publn_nr = upper(regexp_replace(c.cited_number, '[^0-9A-Za-z]', '', 'g'))
                          AND (c.kind IS NULL OR q.publn_kind = c.kind)) AS cited
                FROM citations_raw c JOIN tls211_pat_publn p ON p.document_id = c.document_id)
            SELECT pat_publn_id, 0 AS citn_replenished,
                   row_number() OVER (PARTITION BY pat_publn_id ORDER BY sequence) AS citn_id,
                   CASE cited_by {case} ELSE '' END AS citn_origin, coalesce(cited, 0) AS cited_pat_publn_id,
                   0 AS cited_appln_id, row_number() OVER (PARTITION BY pat_publn_id ORDER BY sequence)
                       AS pat_citn_seq_nr, '0' AS cited_npl_publn_id, 0 AS npl_citn_seq_nr,
                   publn_auth AS citn_gener_auth
            FROM c""")

    @staticmethod
    def _families(con: duckdb.DuckDBPyConnection) -> None:
        """DOCDB-like simple families: applications claiming exactly the same priorities (an application
        claiming none is its own priority), each named by its smallest ``appln_id``."""
        con.execute("""
            CREATE TABLE families AS
            WITH keys AS (
                SELECT a.appln_id, coalesce(
                    (SELECT string_agg(l.prior_appln_id::VARCHAR, ',' ORDER BY l.prior_appln_id) FROM links l
                     WHERE l.appln_id = a.appln_id), a.appln_id::VARCHAR) AS k
                FROM applns a)
            SELECT appln_id, min(appln_id) OVER (PARTITION BY k) AS docdb_family_id,
                   count(*) OVER (PARTITION BY k) AS docdb_family_size FROM keys""")
        con.execute(f"""
            CREATE TABLE tls201_appln AS
            WITH earliest AS (
                SELECT a.appln_id, arg_min(x.id, (x.d, x.id)) AS earliest_filing_id, min(x.d) AS earliest_filing_date
                FROM applns a JOIN (
                    SELECT appln_id AS owner, appln_id AS id, filing_date AS d FROM applns WHERE filing_date IS NOT NULL
                    UNION ALL SELECT l.appln_id, l.prior_appln_id, p.filing_date FROM links l
                    JOIN applns p ON p.appln_id = l.prior_appln_id WHERE p.filing_date IS NOT NULL
                ) x ON x.owner = a.appln_id GROUP BY a.appln_id),
            pubs AS (SELECT appln_id, arg_min(pat_publn_id, (publn_date, pat_publn_id)) AS first_pub,
                            min(publn_date) AS first_date FROM tls211_pat_publn GROUP BY appln_id),
            people AS (SELECT appln_id, count(*) FILTER (WHERE applt_seq_nr > 0) AS nb_applicants,
                              count(*) FILTER (WHERE invt_seq_nr > 0) AS nb_inventors
                       FROM tls207_pers_appln GROUP BY appln_id),
            citing AS (SELECT q.appln_id, count(DISTINCT cf.docdb_family_id) AS n
                       FROM tls212_citation c JOIN tls211_pat_publn p ON p.pat_publn_id = c.pat_publn_id
                       JOIN families cf ON cf.appln_id = p.appln_id
                       JOIN tls211_pat_publn q ON q.pat_publn_id = c.cited_pat_publn_id
                       JOIN families qf ON qf.appln_id = q.appln_id
                       WHERE cf.docdb_family_id <> qf.docdb_family_id GROUP BY q.appln_id)
            SELECT a.appln_id, a.auth AS appln_auth, a.appln_nr,
                   CASE WHEN a.unit LIKE 'P:%' THEN '{DUMMY_KIND}' ELSE coalesce(k.kind, '') END AS appln_kind,
                   coalesce(a.filing_date, {FAR}) AS appln_filing_date,
                   coalesce(year(a.filing_date), 9999) AS appln_filing_year, '' AS appln_nr_epodoc,
                   a.appln_nr_original, coalesce(k.ipr, '') AS ipr_type, '' AS receiving_office,
                   0 AS internat_appln_id, 'N' AS int_phase, 'N' AS reg_phase, 'N' AS nat_phase,
                   coalesce(e.earliest_filing_date, {FAR}) AS earliest_filing_date,
                   coalesce(year(e.earliest_filing_date), 9999) AS earliest_filing_year,
                   coalesce(e.earliest_filing_id, 0) AS earliest_filing_id,
                   coalesce(pubs.first_date, {FAR}) AS earliest_publn_date,
                   CASE WHEN pubs.first_date IS NULL OR pubs.first_date = {FAR} THEN 9999
                        ELSE year(pubs.first_date) END AS earliest_publn_year,
                   coalesce(pubs.first_pub, 0) AS earliest_pat_publn_id,
                   CASE WHEN g.grant_date IS NOT NULL THEN 'Y' ELSE 'N' END AS granted,
                   f.docdb_family_id, 0 AS inpadoc_family_id, f.docdb_family_size,
                   coalesce(citing.n, 0) AS nb_citing_docdb_fam, coalesce(people.nb_applicants, 0) AS nb_applicants,
                   coalesce(people.nb_inventors, 0) AS nb_inventors
            FROM applns a JOIN families f USING (appln_id) JOIN grants g USING (appln_id)
            LEFT JOIN kinds k ON k.right_type = a.right_type AND k.auth_is_wo = (a.auth = 'WO')
            LEFT JOIN earliest e USING (appln_id) LEFT JOIN pubs USING (appln_id)
            LEFT JOIN people USING (appln_id) LEFT JOIN citing USING (appln_id)""")
        con.execute("CREATE TABLE tls204_appln_prior AS SELECT * FROM links")

    # --- writing ----------------------------------------------------------------------------------------------

    def build(self, as_of: date | None = None) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB database holding the PATSTAT tables (``TABLES``) of the register as of ``as_of``
        (None: everything it holds, undated documents included)."""
        con = duckdb.connect()
        self._load(con, as_of)
        self._build(con)
        return con

    def write(self, directory: Path, as_of: date | None = None, parquet: bool = False) -> dict[str, int]:
        """Write each table as ``<name>.csv`` (and ``<name>.parquet`` when asked) under ``directory``
        (created); the rows written per table. Raises OSError when the directory cannot be written."""
        directory.mkdir(parents=True, exist_ok=True)
        con = self.build(as_of)
        try:
            counts = {}
            for table in TABLES:
                held = {row[0] for row in con.execute(f"DESCRIBE {table.name}").fetchall()}
                columns = [c if c in held else _literal(c) for c in table.columns]
                query = f"SELECT {', '.join(columns)} FROM {table.name} ORDER BY {', '.join(table.key)}"
                target = directory / f"{table.name}.csv"
                con.execute(f"COPY ({query}) TO '{_quoted(target)}' (FORMAT csv, HEADER, DATEFORMAT '%Y-%m-%d')")
                if parquet:
                    con.execute(f"COPY ({query}) TO '{_quoted(directory / f'{table.name}.parquet')}' "
                                "(FORMAT parquet)")
                found = con.execute(f"SELECT count(*) FROM {table.name}").fetchone()
                counts[table.name] = int(found[0]) if found else 0
            return counts
        finally:
            con.close()
