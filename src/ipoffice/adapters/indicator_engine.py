"""Indicators over the register, computed by DuckDB (issue #18).

The register's rows are copied into an in-memory DuckDB database once per state of the register, as Arrow batches
through the database's ADBC driver (``adapters.register_arrow``: the same narrow queries on SQLite and PostgreSQL,
in one read transaction, no Python loop over rows); every indicator is then one columnar ``GROUP BY`` there.
DuckDB's SQLite/PostgreSQL scanners are extensions downloaded at run time, which this project cannot rely on.

Loaded tables (one row per …):

- ``docs``: imported document — its ``unit`` (the application: country + application number, or the
  document itself when it has none), kind, source format, publication and application dates;
- ``cases_t``: case of the office's own procedures (unit ``C:<id>``) and its filing date;
- ``events``: dated legal event of a document's application or procedure event of a case (code, date,
  sequence in the case's log);
- ``unit_dims``: the dimensions of each application, from its first document (earliest date, then number)
  or its case: country, handling office and its ancestors by level, right type, IPC section, WIPO technology
  field of the first IPC/CPC symbol (main first), region and type of the first applicant (region: the
  applicant's country, or its province when the name says so — ``domain.regions``; cases: the province of
  the office the applicant's account belongs to).

Measures are computed as of a date from those dates and events only — never from a stored status column —
under the definition versions in force on the query's definition date (``ipoffice.domain.indicators``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
from sqlalchemy import Engine, func, or_, select

from ipoffice.adapters import tables as t
from ipoffice.adapters.indicators_loader import IndicatorCatalogue, packaged_rules_digest
from ipoffice.adapters.procedure_store import case_events, cases, offices, users
from ipoffice.adapters.register_arrow import Copy, copy_register
from ipoffice.domain.indicators import OFFICE_LEVEL_DIMENSIONS, DefinitionVersion, IndicatorQuery
from ipoffice.domain.legal_status import PUBLIC_EVENT_PREFIXES
from ipoffice.domain.offices import OfficeLevel
from ipoffice.domain.population import PopulationFigure, per_10k
from ipoffice.domain.recordal_figures import LoggedEvent, registered_recordals
from ipoffice.domain.recordals import FILED_EVENT, REGISTERED_EVENT

RESULTS_KEPT = 256
MEASURE_THREADS = 4  # statements of one query's measures run at once
# DuckDB's threads: twice the cores of a 2-core machine. Alone on it, 4 threads cost ~10 % more CPU than 2; when
# other work keeps the cores busy (load average 15-19 in the 1M bench), the scheduler shares the cores by runnable
# thread, and the cold dashboard took 20-25 % less wall time with 4 (bench/README.md)
DUCKDB_THREADS = max(4, os.cpu_count() or 1)
CASE_COPY_SOURCE = "ipoffice-case"  # services.case_documents.SOURCE_FORMAT: a published case's register copy
SNAPSHOT_LAYOUT = 2  # raise when the loaded tables change shape: older snapshots are then rebuilt


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")

def _dimension_column(dim: str) -> str:
    return f"office_{dim.split('@', 1)[1]}" if dim in OFFICE_LEVEL_DIMENSIONS else dim


@dataclass(frozen=True)
class IndicatorResult:
    query: IndicatorQuery
    definitions: dict[str, DefinitionVersion]  # measure -> the version used
    rows: list[dict[str, Any]]  # one per group: the dimensions, then the measures
    # measure per population -> the population figure it divides by (None: no figure dated by the as-of date)
    populations: dict[str, PopulationFigure | None] = field(default_factory=dict)


class _Params:
    """Named DuckDB parameters collected while a statement is built (values never go into the SQL text)."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def __call__(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = list(value) if isinstance(value, tuple | list | set | frozenset) else value
        return f"${name}"

    def codes(self, values: Sequence[str]) -> str:
        """An ``IN`` list; ``list_contains`` keeps an empty list valid."""
        return self(sorted(values) or [""])


class IndicatorEngine:
    """Loads the register into DuckDB when it has changed, and computes indicator queries. Thread-safe."""

    def __init__(self, engine: Engine, catalogue: IndicatorCatalogue, snapshot_dir: Path | None = None) -> None:
        """``snapshot_dir``: where the loaded tables are kept between processes (None: not kept)."""
        self.engine = engine
        self.catalogue = catalogue
        self.snapshot_dir = snapshot_dir
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: tuple[Any, ...] | None = None
        self._units: dict[date, str] = {}  # the units table of each version of `granted` (by its date)
        self._publications: dict[date, str] = {}  # the publications table of each version of `published`
        self._results: OrderedDict[tuple[Any, ...], IndicatorResult] = OrderedDict()  # by (query, register state)

    # --- loading ---------------------------------------------------------------------------------------

    def _register_stamp(self) -> tuple[Any, ...]:
        """Changes whenever a document is added or deleted or updated (an update keeps the document's id but
        replaces its classifications, parties and legal events: new ids), or a case or a case event is
        added. Primary-key maxima are index look-ups; the count is one index scan."""
        with self.engine.connect() as conn:
            return tuple(conn.execute(select(
                select(func.count()).select_from(t.documents).scalar_subquery(),
                *(select(func.max(table.c.id)).scalar_subquery()
                  for table in (t.documents, t.legal_events, t.classifications, t.parties, cases)),
                select(func.max(case_events.c.sequence)).scalar_subquery(),
            )).one())

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB database with the register as it is now (reloaded when it changed: from the snapshot
        when one of this state exists, else from the register, then kept as the snapshot)."""
        stamp = self._register_stamp()
        with self._lock:
            if self._con is None or stamp != self._stamp:
                con = duckdb.connect(config={"threads": DUCKDB_THREADS})
                fingerprint = self._fingerprint(stamp)
                if not self._restore(con, fingerprint):
                    self._load(con)
                    self._save(con, fingerprint)
                if self._con is not None:
                    self._con.close()
                self._con, self._stamp, self._units, self._publications = con, stamp, {}, {}
                self._results.clear()
            return self._con.cursor()

    # --- the snapshot: the loaded tables kept in a DuckDB file beside the register ---------------------------

    def _snapshot_path(self) -> Path | None:
        return self.snapshot_dir / "register.duckdb" if self.snapshot_dir is not None else None

    def _fingerprint(self, stamp: tuple[Any, ...]) -> str:
        """What the loaded tables depend on: the register (its URL and state) and the catalogue's inputs (event
        codes read, the concordance, the applicant-type and region rules)."""
        types = self.catalogue.applicant_types
        inputs = repr((SNAPSHOT_LAYOUT, self.engine.url.render_as_string(hide_password=True), stamp,
                       sorted(self._event_codes()), sorted(self.catalogue.fields.entries.items(), key=repr),
                       [(r.type, [x.pattern for x in r.patterns]) for r in types.rules], types.fallback,
                       packaged_rules_digest(), PUBLIC_EVENT_PREFIXES))
        return hashlib.sha256(inputs.encode()).hexdigest()

    def _restore(self, con: duckdb.DuckDBPyConnection, fingerprint: str) -> bool:
        """Copy the snapshot into ``con`` when it was taken of this state; False when there is none."""
        path = self._snapshot_path()
        if path is None or not path.exists():
            return False
        try:
            con.execute(f"ATTACH '{_quoted(path)}' AS snap (READ_ONLY)")
            try:
                found = con.execute("SELECT fingerprint FROM snap.snapshot_meta").fetchone()
                if found is None or found[0] != fingerprint:
                    return False
                con.execute("COPY FROM DATABASE snap TO memory")
                con.execute("DROP TABLE snapshot_meta")
                return True
            finally:
                con.execute("DETACH snap")
        except duckdb.Error:  # unreadable or of another layout: rebuilt from the register
            return False

    def _save(self, con: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
        """Keep the loaded tables as the snapshot (written aside, then renamed over the old one: readers in other
        processes see a whole file). Best effort: the snapshot only saves time."""
        path = self._snapshot_path()
        if path is None:
            return
        aside = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            aside.unlink(missing_ok=True)
            con.execute(f"ATTACH '{_quoted(aside)}' AS snap")
            # written uncompressed: at 1M documents half the CPU and wall time of compressing (1.2 s against
            # 2.0 s of CPU at load average 15), for a file of 170 MB instead of 31 MB; restoring costs the same
            con.execute("SET force_compression = 'uncompressed'")
            try:
                con.execute("COPY FROM DATABASE memory TO snap")
                con.execute("CREATE TABLE snap.snapshot_meta AS SELECT $f AS fingerprint", {"f": fingerprint})
            finally:
                con.execute("RESET force_compression")
                con.execute("DETACH snap")
            os.replace(aside, path)
        except (OSError, duckdb.Error):
            aside.unlink(missing_ok=True)

    # --- loading from the register ---------------------------------------------------------------------------

    @staticmethod
    def _create(con: duckdb.DuckDBPyConnection, name: str, columns: Mapping[str, str],
                rows: Sequence[Sequence[Any]]) -> None:
        """A lookup table made in Python (offices, the concordance, applicants: one row per distinct value)."""
        con.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {ty}' for c, ty in columns.items())})")
        if not rows:
            return
        arrays = {c: np.array([r[i] for r in rows], dtype=object) for i, c in enumerate(columns)}
        con.register("lookup", arrays)
        try:
            con.execute(f"INSERT INTO {name} SELECT {', '.join(f'CAST({c} AS {ty})' for c, ty in columns.items())} "
                        "FROM lookup")
        finally:
            con.unregister("lookup")

    def _offices(self) -> tuple[dict[str, dict[str, str | None]], dict[str, str]]:
        """Each office's ancestor (itself included) at each level; the national office of each jurisdiction."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(offices.c.code, offices.c.level, offices.c.jurisdiction,
                                       offices.c.parent_code)).all()
        by_code = {r.code: r for r in rows}
        ancestry: dict[str, dict[str, str | None]] = {}
        for code in by_code:
            levels: dict[str, str | None] = {level.value: None for level in OfficeLevel}
            current: str | None = code
            seen: set[str] = set()
            while current is not None and current in by_code and current not in seen:
                seen.add(current)
                levels[by_code[current].level] = levels[by_code[current].level] or current
                current = by_code[current].parent_code
            ancestry[code] = levels
        national = {r.jurisdiction: r.code for r in rows if r.level == OfficeLevel.NATIONAL.value}
        return ancestry, national

    def _load(self, con: duckdb.DuckDBPyConnection) -> None:
        """The register's rows, copied as Arrow batches in one read transaction (``adapters.register_arrow``);
        the first IPC symbol and first applicant of each document are chosen here, in DuckDB."""
        d, c, p, e = t.documents, t.classifications, t.parties, t.legal_events
        codes = sorted(self._event_codes())
        copy_register(self.engine, con, [
            Copy("docs", {
                "id": "BIGINT", "number": "VARCHAR", "country": "VARCHAR", "kind": "VARCHAR",
                "right_type": "VARCHAR", "source_format": "VARCHAR", "publication_date": "DATE",
                "application_number": "VARCHAR", "application_date": "DATE"},
                select(d.c.id, d.c.number, d.c.country, d.c.kind, d.c.right_type, d.c.source_format,
                       d.c.publication_date, d.c.application_number, d.c.application_date),
                derived={"unit": "'D:' || country || ':' || coalesce(application_number, number)"}),
            Copy("classes_raw", {
                "document_id": "BIGINT", "symbol": "VARCHAR", "subclass": "VARCHAR", "is_main": "BOOLEAN",
                "scheme": "VARCHAR", "sequence": "BIGINT", "id": "BIGINT"},
                select(c.c.document_id, c.c.symbol, c.c.subclass, c.c.is_main, c.c.scheme, c.c.sequence, c.c.id)
                .where(c.c.scheme.in_(("IPC", "CPC")))),
            Copy("parties_raw", {
                "document_id": "BIGINT", "name": "VARCHAR", "country": "VARCHAR", "role": "VARCHAR",
                "sequence": "BIGINT", "id": "BIGINT"},
                select(p.c.document_id, p.c.name, p.c.country, p.c.role, p.c.sequence, p.c.id)
                .where(p.c.role.in_(("applicant", "assignee")))),
            Copy("doc_events", {"document_id": "BIGINT", "code": "VARCHAR", "d": "DATE"},
                 select(e.c.document_id, e.c.code, e.c.event_date).where(e.c.code.in_(codes))),
            Copy("cases_raw", {
                "id": "BIGINT", "application_number": "VARCHAR", "country": "VARCHAR", "right_type": "VARCHAR",
                "office": "VARCHAR", "filing_date": "DATE", "applicant_name": "VARCHAR",
                "applicant_office": "VARCHAR"},
                select(cases.c.id, cases.c.application_number, cases.c.jurisdiction, cases.c.right_type,
                       cases.c.office_code, cases.c.filing_date, users.c.name, users.c.office_code)
                .join(users, users.c.username == cases.c.applicant)),
            Copy("case_events_raw", {"case_id": "BIGINT", "code": "VARCHAR", "d": "DATE", "seq": "BIGINT"},
                 select(case_events.c.case_id, case_events.c.code, case_events.c.event_date,
                        case_events.c.sequence).where(or_(
                            case_events.c.code.in_(codes),
                            *(case_events.c.code.startswith(x) for x in PUBLIC_EVENT_PREFIXES)))),
        ])
        # each document's first IPC/CPC symbol (main first, IPC before CPC) and first applicant (else assignee)
        con.execute("""
            CREATE TABLE doc_ipc AS SELECT document_id, symbol, subclass FROM classes_raw
            QUALIFY row_number() OVER (PARTITION BY document_id ORDER BY is_main DESC,
                                       CASE WHEN scheme = 'IPC' THEN 0 ELSE 1 END, sequence, id) = 1""")
        con.execute("""
            CREATE TABLE doc_applicant AS SELECT document_id, name, country FROM parties_raw
            QUALIFY row_number() OVER (PARTITION BY document_id ORDER BY
                                       CASE WHEN role = 'applicant' THEN 0 ELSE 1 END, sequence, id) = 1""")
        self._create_lookups(con)
        con.execute("""
            CREATE TABLE events AS
            SELECT d.unit, e.code, e.d, 0::BIGINT AS seq FROM doc_events e JOIN docs d ON d.id = e.document_id
            UNION ALL SELECT 'C:' || case_id, code, d, seq FROM case_events_raw""")
        con.execute("""
            CREATE TABLE cases_t AS SELECT 'C:' || id AS unit, filing_date FROM cases_raw""")
        office_cols = ", ".join(f"o.{level.value} AS office_{level.value}" for level in OfficeLevel)
        con.execute(f"""
            CREATE TABLE unit_dims AS
            WITH firsts AS (  -- each application's first document: the earliest, then the lowest number
                SELECT d.* FROM docs d JOIN (
                    SELECT arg_min(id, (coalesce(publication_date, application_date, DATE '9999-12-31'), number))
                    AS id FROM docs GROUP BY unit) USING (id))
            SELECT f.unit, f.country, coalesce(n.office, f.country) AS office, {office_cols}, f.right_type,
                   left(i.symbol, 1) AS ipc_section, left(i.subclass, 3) AS ipc_class, i.subclass AS ipc_subclass,
                   coalesce(fg.field, fs.field) AS field,
                   aty.region, aty.applicant_type
            FROM firsts f
            LEFT JOIN national n ON n.country = f.country
            LEFT JOIN office_levels o ON o.code = n.office
            LEFT JOIN doc_ipc i ON i.document_id = f.id
            LEFT JOIN concordance fg ON fg.subclass = left(i.symbol, 4)
                 AND fg.grp = ltrim(regexp_extract(i.symbol, '^[A-H][0-9][0-9][A-Z] *([0-9]+)', 1), '0')
            LEFT JOIN concordance fs ON fs.subclass = left(i.symbol, 4) AND fs.grp = ''
            LEFT JOIN doc_applicant a ON a.document_id = f.id
            LEFT JOIN applicants aty ON aty.name = a.name AND aty.country IS NOT DISTINCT FROM a.country
            UNION ALL
            SELECT 'C:' || c.id, c.country, c.office, {office_cols}, c.right_type, NULL, NULL, NULL, NULL,
                   coalesce(ao.provincial, c.applicant_office), aty.applicant_type
            FROM cases_raw c
            LEFT JOIN office_levels o ON o.code = c.office
            LEFT JOIN office_levels ao ON ao.code = c.applicant_office
            LEFT JOIN applicants aty ON aty.name = c.applicant_name AND aty.country IS NULL""")
        for name in ("classes_raw", "parties_raw", "doc_ipc", "doc_applicant", "doc_events",
                     "case_events_raw"):
            con.execute(f"DROP TABLE {name}")
        self._finish_load(con)

    def _create_lookups(self, con: duckdb.DuckDBPyConnection) -> None:
        ancestry, national = self._offices()
        self._create(con, "office_levels", {"code": "VARCHAR", **{lv.value: "VARCHAR" for lv in OfficeLevel}},
                     [[code, *(levels[lv.value] for lv in OfficeLevel)] for code, levels in ancestry.items()])
        self._create(con, "national", {"country": "VARCHAR", "office": "VARCHAR"},
                     list(national.items()))
        self._create(con, "concordance", {"subclass": "VARCHAR", "grp": "VARCHAR", "field": "INTEGER"},
                     [[sub, grp or "", number] for (sub, grp), number in self.catalogue.fields.entries.items()])
        classify = self.catalogue.applicant_types.classify
        region_of = self.catalogue.regions.region_of
        people = con.execute(
            "SELECT DISTINCT name, country FROM doc_applicant WHERE name IS NOT NULL "
            "UNION SELECT DISTINCT applicant_name, NULL FROM cases_raw WHERE applicant_name IS NOT NULL").fetchall()
        self._create(con, "applicants", {"name": "VARCHAR", "country": "VARCHAR", "applicant_type": "VARCHAR",
                                         "region": "VARCHAR"},
                     [[n, c, classify(n), region_of(n, c)] for n, c in people])

    def _event_codes(self) -> set[str]:
        """Every event code any version of any definition reads (only those events are loaded)."""
        codes: set[str] = set()
        for indicator in self.catalogue.book:
            for version in indicator.versions:
                for key, value in version.params.items():
                    if key.endswith("_events") and isinstance(value, list):
                        codes.update(str(v) for v in value)
        return codes

    # --- computing -------------------------------------------------------------------------------------

    def compute(self, query: IndicatorQuery, *, cached: bool = True) -> IndicatorResult:
        """The figures of ``query``. A result is kept for the same query while the register does not change
        (the last ``RESULTS_KEPT``); ``cached=False`` computes anyway."""
        return self.compute_many([query], cached=cached)[0]

    def compute_many(self, queries: Sequence[IndicatorQuery], *, cached: bool = True) -> list[IndicatorResult]:
        """The figures of each query, all of one state of the register (a page's charts: the register's state
        is read once, not once per chart)."""
        con = self.connection()  # reloads (and forgets kept results) when the register changed
        stamp = self._stamp
        results = []
        for query in queries:
            key = (query, stamp)
            with self._lock:
                kept = self._results.get(key) if cached else None
                if kept is not None:
                    self._results.move_to_end(key)
            if kept is None:
                kept = self._compute(con, query)
                with self._lock:
                    self._results[key] = kept
                    while len(self._results) > RESULTS_KEPT:
                        self._results.popitem(last=False)
            results.append(kept)
        return results

    def _compute(self, con: duckdb.DuckDBPyConnection, query: IndicatorQuery) -> IndicatorResult:
        book = self.catalogue.book
        on = query.definitions_on
        used = {m: book.version(m, on) for m in query.measures}
        defs = {name: book.version(name, on) for name in ("published", "granted", "in_force")}
        units = self._units_table(con, defs["granted"])
        publications = self._publications_table(con, defs["published"]) if "published" in query.measures else ""
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}
        populations = {m: self.catalogue.population.figure(used[m].params["population"], query.as_of)
                       for m in query.measures if "population" in used[m].params}
        statements = []
        for measure in query.measures:
            params = _Params()
            statements.append((self._measure_sql(measure, used[measure], defs, query, params, units, publications),
                               params.values))

        def run(statement: tuple[str, dict[str, Any]]) -> list[Any]:
            cursor = con.cursor()  # a DuckDB connection is used by one thread at a time
            try:
                return cursor.execute(*statement).fetchall()
            finally:
                cursor.close()

        # the measures' statements at once: each is small (tens of ms of CPU), one alone keeps both cores busy
        # only part of the time
        with ThreadPoolExecutor(max_workers=max(1, min(MEASURE_THREADS, len(statements)))) as pool:
            results = list(pool.map(run, statements))
        for measure, found_rows in zip(query.measures, results, strict=True):
            for found in found_rows:
                key, value = tuple(found[:-1]), found[-1]
                if measure in populations:
                    figure = populations[measure]
                    value = None if figure is None else per_10k(int(value), figure)
                groups.setdefault(key, {})[measure] = _plain(value)
        rows = []
        for key in sorted(groups, key=lambda k: tuple((v is None, v) for v in k)):
            row: dict[str, Any] = dict(zip(query.by, key, strict=True))
            for measure in query.measures:
                missing = None if measure in _RATIOS or populations.get(measure, True) is None else 0
                row[measure] = groups[key].get(measure, missing)
            rows.append(row)
        return IndicatorResult(query, used, rows, populations)

    def _units_table(self, con: duckdb.DuckDBPyConnection, granted: DefinitionVersion) -> str:
        """One row per application with its dates and dimensions, its grant date under this version of
        ``granted``: built once per version and state of the register (the measures all read it)."""
        with self._lock:
            if granted.effective_from in self._units:
                return self._units[granted.effective_from]
            name = f"units_{len(self._units)}"
            p, g = _Params(), granted.params
            con.execute(f"""
                CREATE TABLE {name} AS
                WITH grant_events AS (
                    SELECT unit, min(d) AS d FROM events
                    WHERE list_contains({p.codes(g.get('grant_events', []))}, code) GROUP BY unit),
                base AS (
                    SELECT unit, min(application_date) AS application_date,
                           coalesce(min(publication_date), min(application_date)) AS known_from,
                           min(publication_date) FILTER (
                               WHERE list_contains({p.codes(g.get('granted_kinds', []))}, kind)
                               OR (kind IS NULL AND list_contains({p.codes(g.get('granted_sources', []))},
                                                                  source_format))) AS granted_pub
                    FROM docs GROUP BY unit
                    UNION ALL SELECT unit, filing_date, filing_date, NULL FROM cases_t)
                SELECT base.unit, base.application_date, base.known_from,
                       least(base.granted_pub, ge.d) AS grant_date, ud.* EXCLUDE (unit)
                FROM base LEFT JOIN grant_events ge USING (unit) JOIN unit_dims ud USING (unit)""", p.values)
            self._units[granted.effective_from] = name
            return name

    def members(self, query: IndicatorQuery, measure: str, group: Mapping[str, Any],
                limit: int = 500) -> tuple[int, list[dict[str, Any]]]:
        """The applications behind one figure: (how many, the first ``limit`` of them as
        ``{"unit", "numbers", "kind": "document"|"case", "public"}``), documents by publication number, cases
        by application number; a case is ``public`` once an event laid it open (``domain.legal_status``)."""
        book = self.catalogue.book
        on = query.definitions_on
        defs = {name: book.version(name, on) for name in ("published", "granted", "in_force")}
        con = self.connection()
        units = self._units_table(con, defs["granted"])
        publications = self._publications_table(con, defs["published"]) if measure == "published" else ""
        p = _Params()
        inner = self._measure_sql(measure, book.version(measure, on), defs, query, p, units, publications,
                                  dict(group))
        total = con.execute(f"SELECT count(*) FROM ({inner})", p.values).fetchone()
        public = p("^(" + "|".join(re.escape(x) for x in PUBLIC_EVENT_PREFIXES) + ")")
        rows = con.execute(f"""
            WITH m AS ({inner} ORDER BY 1 LIMIT {int(limit)})
            SELECT m.unit,
                   coalesce((SELECT string_agg(number, ' ' ORDER BY publication_date, number) FROM docs d
                             WHERE d.unit = m.unit), c.application_number) AS numbers,
                   c.application_number IS NOT NULL AS is_case,
                   c.application_number IS NULL OR EXISTS (
                       SELECT 1 FROM events e WHERE e.unit = m.unit
                       AND regexp_matches(e.code, {public})) AS public
            FROM m LEFT JOIN cases_raw c ON 'C:' || c.id = m.unit ORDER BY m.unit""", p.values).fetchall()
        return int(total[0]) if total else 0, [
            {"unit": u, "numbers": (n or "").split(), "kind": "case" if is_case else "document", "public": bool(pub)}
            for u, n, is_case, pub in rows]

    def _publications_table(self, con: duckdb.DuckDBPyConnection, published: DefinitionVersion) -> str:
        """One row per publication (a document, or a publication event of a case) with its date and the
        dimensions of its application: built once per version of ``published`` and state of the register."""
        with self._lock:
            if published.effective_from in self._publications:
                return self._publications[published.effective_from]
            name = f"publications_{len(self._publications)}"
            p = _Params()
            events = p.codes(published.params.get("publication_events", []))
            con.execute(f"""
                CREATE TABLE {name} AS
                SELECT pub.d, ud.*
                FROM (SELECT unit, publication_date AS d FROM docs WHERE publication_date IS NOT NULL
                      UNION ALL SELECT unit, d FROM events WHERE unit LIKE 'C:%' AND list_contains({events}, code)
                     ) pub JOIN unit_dims ud USING (unit)""", p.values)
            self._publications[published.effective_from] = name
            return name

    @staticmethod
    def _last_event_sql(name: str, ends: Sequence[str], starts: Sequence[str], p: _Params, as_of: str) -> str:
        """Per unit, whether the last of these events on or before the as-of date ends (true) or restarts, the
        date of the last ending event and the code of the last event."""
        return f"""
            {name} AS (
                SELECT unit, arg_max(list_contains({p.codes(ends)}, code), {{'d': d, 's': seq, 'c': code}}) AS ended,
                       arg_max(code, {{'d': d, 's': seq, 'c': code}}) AS last_code,
                       max(d) FILTER (WHERE list_contains({p.codes(ends)}, code)) AS ended_on
                FROM events
                WHERE d <= {as_of} AND list_contains({p.codes([*ends, *starts])}, code)
                GROUP BY unit)"""

    @staticmethod
    def _high_value_sql(version: DefinitionVersion, p: _Params, as_of: str) -> str | None:
        """The condition of CNIPA's high-value definition over a right in force (its computable criteria);
        None when it has none."""
        criteria = {c["id"]: c for c in version.params.get("criteria", []) if c.get("computable")}
        if not criteria:
            return None
        years = int(criteria["maintained_over_10_years"]["years"]) if "maintained_over_10_years" in criteria else 0
        return (f"u.country = {p(version.params['country'])} AND u.right_type = {p(version.params['right_type'])} "
                f"AND u.application_date + to_years({years}) < {as_of}")

    @staticmethod
    def _term_end_sql(params: Mapping[str, Any], p: _Params) -> str:
        """The first day after the term (NULL: no term), by the first matching rule of ``terms``."""
        whens = []
        fallback = params.get("fallback_years_from_grant", {})
        for rule in params.get("terms", []):
            cond = [f"u.right_type = {p(rule['right_type'])}"]
            if "country" in rule:
                cond.append(f"u.country = {p(rule['country'])}")
            if "filed_before" in rule:
                cond.append(f"u.application_date < {p(rule['filed_before'])}")
            years = int(rule["years"])
            if rule["from"] == "grant_date":
                end = f"u.grant_date + to_years({years})"
            else:
                back = fallback.get(rule["right_type"])
                end = (f"coalesce(u.application_date + to_years({years}), u.grant_date + to_years({int(back)}))"
                       if back is not None else f"u.application_date + to_years({years})")
            whens.append(f"WHEN {' AND '.join(cond)} THEN {end}")
        return f"(CASE {' '.join(whens)} ELSE NULL END)" if whens else "NULL"

    def _measure_sql(self, measure: str, version: DefinitionVersion, defs: Mapping[str, DefinitionVersion],
                     query: IndicatorQuery, p: _Params, units: str, publications: str,
                     group: Mapping[str, Any] | None = None) -> str:
        """The measure's grouped figures; with ``group`` (dimension -> value), the units counted in that group
        instead (``SELECT DISTINCT u.unit``)."""
        as_of = p(query.as_of)
        dims = [_dimension_column(d) for d in query.by]

        def grouped(source: str, date_col: str, value: str, where: str) -> str:
            cols = [f"year({date_col})" if d == "year" else f"u.{d}" for d in dims]
            if group is not None:
                conditions = [where, *(f"{col} IS NULL" if group.get(dim) is None else f"{col} = {p(group[dim])}"
                                       for dim, col in zip(query.by, cols, strict=True))]
                return f"SELECT DISTINCT u.unit FROM {source} WHERE {' AND '.join(f'({c})' for c in conditions)}"
            select_list = ", ".join([*cols, value])
            group_by = f"GROUP BY {', '.join(str(i + 1) for i in range(len(cols)))}" if cols else ""
            return f"SELECT {select_list} FROM {source} WHERE {where} {group_by}"

        u = f"{units} u"
        force = defs["in_force"].params

        def in_force() -> tuple[str, str]:  # (the CTE of the last end/restore event, the condition)
            cte = self._last_event_sql("lf_t", force.get("end_events", []), force.get("restore_events", []), p, as_of)
            return cte, (f"u.grant_date <= {as_of} AND coalesce({self._term_end_sql(force, p)} > {as_of}, true) "
                         "AND NOT coalesce(lf.ended, false)")

        if measure == "applications":
            return grouped(u, "u.application_date", "count(*)", f"u.known_from <= {as_of}")
        elif measure == "published":
            return grouped(f"{publications} u", "u.d", "count(*)", f"u.d <= {as_of}")
        elif measure == "granted":
            return grouped(u, "u.grant_date", "count(*)", f"u.grant_date <= {as_of}")
        elif measure == "in_force":
            force_cte, condition = in_force()
            return f"WITH {force_cte} " + grouped(
                f"{u} LEFT JOIN lf_t lf USING (unit)", "u.grant_date", "count(*)", condition)
        elif measure == "high_value_invention":
            value = self._high_value_sql(version, p, as_of)
            if value is None:
                return grouped(u, "u.grant_date", "count(*)", "false")
            force_cte, condition = in_force()
            return f"WITH {force_cte} " + grouped(f"{u} LEFT JOIN lf_t lf USING (unit)", "u.grant_date",
                                                  "count(*)", f"{condition} AND {value}")
        elif "population" in version.params:  # the count of a measure restricted to domestic owners
            params = version.params
            counted = params["counts"]
            owners = params.get("owners", {})
            excluded = owners.get("excluding_regions", [])
            where = [f"u.country = {p(params['country'])}", f"u.right_type = {p(params['right_type'])}",
                     f"(u.region = {p(owners['country'])} OR starts_with(u.region, {p(owners['country'] + '-')}))",
                     f"NOT list_contains({p.codes(excluded)}, u.region)"]
            if counted == "high_value_invention":
                value = self._high_value_sql(self.catalogue.book.version(counted, query.definitions_on), p, as_of)
                where.append(value or "false")
            force_cte, condition = in_force()
            return f"WITH {force_cte} " + grouped(f"{u} LEFT JOIN lf_t lf USING (unit)", "u.grant_date",
                                                  "count(*)", " AND ".join([condition, *where]))
        elif measure in ("pendency_days_median", "pendency_days_p90"):
            return grouped(u, "u.grant_date", _quantile("date_diff('day', u.application_date, u.grant_date)",
                                                         version.params),
                           f"u.grant_date <= {as_of} AND u.application_date IS NOT NULL")
        elif measure in ("first_action_pendency_days_median", "first_action_pendency_days_p90"):
            first = f"""fa AS (SELECT unit, min(d) AS d FROM events
                        WHERE list_contains({p.codes(version.params.get('first_action_events', []))}, code)
                        GROUP BY unit)"""
            return f"WITH {first} " + grouped(
                f"{u} JOIN fa USING (unit)", "fa.d",
                _quantile("date_diff('day', u.application_date, fa.d)", version.params),
                f"fa.d <= {as_of} AND u.application_date IS NOT NULL")
        elif measure == "lapsed":
            lapse_cte = self._last_event_sql("ll", version.params.get("lapse_events", []),
                                             version.params.get("restore_events", []), p, as_of)
            return f"WITH {lapse_cte} " + grouped(f"{u} JOIN ll USING (unit)", "ll.ended_on", "count(*)",
                                                  f"u.grant_date <= {as_of} AND ll.ended")
        elif measure in ("grant_rate", "abandonment_rate", "abandoned"):
            rate = version.params
            abandonments = rate.get("abandonment_events", [])
            refusal_cte = self._last_event_sql(
                "lr", [*rate.get("refusal_events", []), *abandonments], rate.get("revive_events", []), p, as_of)
            granted = f"coalesce(u.grant_date <= {as_of}, false)"
            if measure == "grant_rate":
                share = granted
            else:  # every named parameter must be used by the statement
                share = f"(NOT {granted} AND lr.ended AND list_contains({p.codes(abandonments)}, lr.last_code))"
            if measure == "abandoned":
                return f"WITH {refusal_cte} " + grouped(f"{u} JOIN lr USING (unit)", "lr.ended_on", "count(*)",
                                                        share)
            disposal = f"CASE WHEN {granted} THEN u.grant_date ELSE lr.ended_on END"
            return f"WITH {refusal_cte} " + grouped(
                f"{u} LEFT JOIN lr USING (unit)", disposal,
                f"round(avg(CASE WHEN {share} THEN 1.0 ELSE 0.0 END), 4)",
                f"({granted} OR coalesce(lr.ended, false))")
        elif "recordal_types" in version.params:
            return self._recordal_sql(version.params, p, as_of, u, grouped)
        raise ValueError(f"measure: {measure!r} has no computation")  # IndicatorQuery.parse admits no other

    # --- the post-grant register: recordals (added last; the loading above is unchanged) ---------------------

    def _finish_load(self, con: duckdb.DuckDBPyConnection) -> None:
        """Steps after the register's tables are loaded: drop the register's copies of published cases, load
        the recordals. Written to need nothing of the loading above but its ``docs``, ``events`` and
        ``unit_dims`` tables."""
        # A published case is also in the register as documents (``services.case_documents``, source
        # ``ipoffice-case``) that repeat its application, publications and events: the case already counts
        # from its own record and events (unit ``C:<id>``), so its copies must not count a second time.
        for table in ("events", "unit_dims"):
            con.execute(f"DELETE FROM {table} WHERE unit IN (SELECT unit FROM docs WHERE source_format = $f)",
                        {"f": CASE_COPY_SOURCE})
        con.execute("DELETE FROM docs WHERE source_format = $f", {"f": CASE_COPY_SOURCE})
        self._create_recordals(con)

    def _create_recordals(self, con: duckdb.DuckDBPyConnection) -> None:
        """``recordals``: one row per registered recordal request of a case (``domain.recordal_figures``): its
        unit, type, registration date, the end it names and the day a later recordal ended it. Recordals are
        few (thousands), so they are read as rows and inserted with ``executemany``."""
        events: dict[int, list[LoggedEvent]] = {}
        ce = case_events.c
        with self.engine.connect() as conn:
            for case_id, sequence, code, day, actor, payload in conn.execute(
                    select(ce.case_id, ce.sequence, ce.code, ce.event_date, ce.actor, ce.payload)
                    .where(ce.code.in_((FILED_EVENT, REGISTERED_EVENT)))):
                events.setdefault(case_id, []).append(LoggedEvent(sequence, code, day, actor, json.loads(payload)))
        con.execute("CREATE TABLE recordals (unit VARCHAR, request BIGINT, type VARCHAR, registered_on DATE, "
                    "ends DATE, ended_on DATE)")
        rows = [(f"C:{case_id}", r.request, r.type, r.registered_on, r.ends, r.ended_on)
                for case_id, logged in events.items() for r in registered_recordals(logged)]
        if rows:
            con.executemany("INSERT INTO recordals VALUES (?, ?, ?, ?, ?, ?)", rows)

    @staticmethod
    def _recordal_sql(params: Mapping[str, Any], p: _Params, as_of: str, units: str,
                      grouped: Callable[[str, str, str, str], str]) -> str:
        """Registered recordals of the definition's types, by their registration date; with ``in_force``,
        those in force on the as-of date (registered, not past the end they name, not ended by a later one)."""
        where = f"list_contains({p.codes(params['recordal_types'])}, r.type) AND r.registered_on <= {as_of}"
        if params.get("in_force"):
            where += f" AND coalesce({as_of} <= r.ends, true) AND coalesce({as_of} < r.ended_on, true)"
        return grouped(f"recordals r JOIN {units} USING (unit)", "r.registered_on", "count(*)", where)


_RATIOS = frozenset({"pendency_days_median", "pendency_days_p90", "first_action_pendency_days_median",
                     "first_action_pendency_days_p90", "grant_rate", "abandonment_rate"})


def _quantile(days: str, params: Mapping[str, Any]) -> str:
    """The definition's quantile of a number of days (``quantile``: 0.5 the median, 0.9 the 90th percentile),
    interpolated linearly between the two nearest values (as ``numpy.quantile``'s default), to 0.1 day."""
    return f"round(quantile_cont({days}, {float(params['quantile'])}), 1)"


def _plain(value: Any) -> Any:
    """JSON-friendly numbers: an integral float becomes an int."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
