"""The PATSTAT-shaped export (issue #18) on SQLite and PostgreSQL: loaded into DuckDB, typical PATSTAT queries
(applications per filing year and office, applicants per application, technology-field shares, grants) give
the figures of an independent count in plain Python over the register's documents, as of today and as of
past dates; every key is unique and every foreign key resolves; published cases of the office's own
procedures are in it from their publication, unpublished ones never."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import Engine

from ipoffice.adapters.indicators_loader import load_indicator_catalogue
from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import (
    Citation,
    CitedBy,
    Classification,
    Document,
    LegalEvent,
    LocalizedText,
    Party,
    PartyRole,
    PriorityClaim,
    RightType,
    TextField,
)
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.patstat import TABLES
from ipoffice.services.case_documents import project_published_cases
from ipoffice.services.patstat import export_patstat
from ipoffice.services.procedures import Filing

from .office_days import OfficeOnTheDay

CATALOGUE = load_indicator_catalogue()
GRANTED = CATALOGUE.book.version("granted", date.today()).params
NAMES = [("清华大学", "CN", "北京市海淀区"), ("华为技术有限公司", "CN", None),
         ("Microsoft Corporation", "US", "Redmond, WA"), ("Rankin, David", "GB", None),
         ("BAYER AG", "DE", None), ("张伟", "CN", None)]
SYMBOLS = ["H04L 9/32", "H04N 21/431", "G01N 33/53", "A61K 31/00", "B01D 53/34", "F16H 1/28", "G06F 3/01"]
AS_OF = [None, date(2016, 12, 31), date(2010, 6, 30)]


def _documents(seed: int = 201) -> list[Document]:
    rng = random.Random(seed)
    docs: list[Document] = []
    serial = 8000000
    applications: list[tuple[str, str, date]] = []
    for i in range(60):
        country = rng.choice(["US", "CN", "EP"])
        right = RightType.DESIGN if rng.random() < 0.15 else RightType.INVENTION
        filed = date(2000, 1, 1) + timedelta(days=rng.randrange(0, 18 * 365))
        app_no = f"{country}{20000 + i}" if rng.random() > 0.1 else None
        parties = [Party(PartyRole.APPLICANT, n, c, sequence=k, address=a)
                   for k, (n, c, a) in enumerate(rng.sample(NAMES, rng.randrange(0, 3)))]
        parties += [Party(PartyRole.INVENTOR, f"Inventor {rng.randrange(8)}", country, sequence=k)
                    for k in range(rng.randrange(0, 3))]
        symbols = rng.sample(SYMBOLS, rng.randrange(0, 4))
        classes = [Classification(Scheme.IPC, s, is_main=k == 0) for k, s in enumerate(symbols)]
        classes.append(Classification(Scheme.CPC, "G06Q 10/00"))
        priorities = []
        if applications and rng.random() < 0.3:  # claims an earlier application of the register
            pc, pn, pd = rng.choice(applications)
            if pd < filed:
                priorities.append(PriorityClaim(pc, pn, pd))
        if rng.random() < 0.2:  # a priority the register does not hold
            priorities.append(PriorityClaim("JP", f"2001-{i:05d}", filed - timedelta(days=300)))
        if app_no:
            applications.append((country, app_no, filed))
        grant_after = rng.randrange(300, 2500) if rng.random() > 0.3 else None
        events = [LegalEvent("lapse" if country == "CN" else "EXP.", filed + timedelta(days=grant_after + 900),
                             "Patent expired for failure to pay maintenance fees")] \
            if grant_after and rng.random() < 0.3 else []
        kinds: list[tuple[str, int]] = []
        if right is RightType.DESIGN:
            kinds.append(("S" if country == "CN" else "S1", grant_after or 400))
        else:
            kinds.append(("A" if country == "CN" else "A1", rng.randrange(200, 600)))
            if grant_after:
                kinds.append(("B" if country == "CN" else "B2", max(grant_after, 700)))
        for kind, after in kinds:
            serial += 1
            cited = [Citation(CitedBy.EXAMINER, d.number.serial, d.number.country, d.number.kind)
                     for d in rng.sample(docs, min(len(docs), rng.randrange(0, 3)))]
            cited.append(Citation(CitedBy.APPLICANT, "5123456", "US", "A"))  # not in the register
            docs.append(Document(
                PublicationNumber.parse(f"{country}{serial}{kind}"), right, filed + timedelta(days=after), app_no,
                filed if app_no else None,
                texts=[LocalizedText(TextField.TITLE, "en", f"Device {i}"),
                       LocalizedText(TextField.ABSTRACT, "zh", f"一种装置{i}")],
                classifications=list(classes), parties=list(parties), citations=cited,
                priority_claims=list(priorities), legal_events=list(events), source_format="test"))
    return docs


def _cases(engine: Engine) -> tuple[str, str]:
    """A case published on 2015-04-08 and one withdrawn unpublished; both projected into the register."""
    office = OfficeOnTheDay(ProcedureStore(engine))
    office.seed_demo()

    def file(filed: date, office_code: str, applicant: str) -> str:
        return office.file(Filing("cn_invention", office_code, applicant, filed, "Lens"), filed_by="agent.li"
                           ).record.application_number

    published = file(date(2015, 2, 11), "CN-ZJ", "applicant.chen")
    for action, who, on in [("request_early_publication", "agent.li", date(2015, 2, 12)),
                            ("pass_formality_examination", "examiner.zhao", date(2015, 2, 20)),
                            ("publish", "registrar.zhou", date(2015, 4, 8))]:
        office.act(published, action, on, who)
    withdrawn = file(date(2015, 6, 1), "CN-JS-SZ", "applicant.wang")
    office.act(withdrawn, "withdraw", date(2016, 1, 4), "applicant.wang")
    project_published_cases(office, SqlRegister(engine))
    return published, withdrawn


@pytest.fixture
def register(engine: Engine) -> tuple[Engine, str, str]:
    SqlRegister(engine).save_documents([(d, None) for d in _documents()])
    published, withdrawn = _cases(engine)
    return engine, published, withdrawn


def _load(directory: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for table in TABLES:
        con.execute(f"CREATE TABLE {table.name} AS SELECT * FROM read_csv('{directory / table.name}.csv', "
                    "header = true, all_varchar = true)")
    return con


# --- the independent count --------------------------------------------------------------------------------


def _applications(engine: Engine, as_of: date | None) -> dict[tuple[str, str], list[Document]]:
    """The register's patent documents known on ``as_of`` grouped by application (office, application number
    or, without one, the publication number)."""
    reg = SqlRegister(engine)
    groups: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for doc in reg.iter_documents():
        if doc.right_type is RightType.TRADEMARK:
            continue
        known = doc.publication_date or doc.application_date
        if as_of is not None and (known is None or known > as_of):
            continue
        groups[(doc.number.country, doc.application_number or doc.number.compact)].append(doc)
    return groups


def _granted(docs: list[Document], as_of: date | None) -> bool:
    limit = as_of or date.max
    return any((d.number.kind in GRANTED["granted_kinds"] or (d.number.kind is None and d.source_format in
                                                                GRANTED["granted_sources"]))
               and d.publication_date is not None and d.publication_date <= limit
               or any(e.code in GRANTED["grant_events"] and e.date <= limit for e in d.legal_events)
               for d in docs)


def _key(con: duckdb.DuckDBPyConnection) -> str:
    """The register's key of each exported application: office and application number, or the number of its
    (only) publication."""
    return """(SELECT CASE WHEN a.appln_nr_original <> '' THEN a.appln_nr_original
                      ELSE (SELECT min(publn_nr_original) FROM tls211_pat_publn p WHERE p.appln_id = a.appln_id)
                      END)"""


@pytest.mark.parametrize("as_of", AS_OF, ids=lambda d: str(d or "all"))
def test_patstat_queries_equal_an_independent_count(register: tuple[Engine, str, str], tmp_path: Path,
                                                     as_of: date | None) -> None:
    engine, _, _ = register
    counts = export_patstat(engine, CATALOGUE, tmp_path, as_of)
    con = _load(tmp_path)
    groups = _applications(engine, as_of)
    assert counts["tls201_appln"] >= len(groups) > 0

    # applications per filing year and office
    never = date(9999, 12, 31)
    expected = Counter((str(min((d.application_date for d in docs if d.application_date), default=never).year), office)
                       for (office, _), docs in groups.items())
    rows = con.execute("SELECT appln_filing_year, appln_auth, count(*) FROM tls201_appln WHERE appln_kind <> 'D' "
                       "GROUP BY ALL").fetchall()
    assert {(y, a): n for y, a, n in rows} == dict(expected)

    # applicants per application (distinct name, country, address of applicants and assignees)
    expected_applicants = {}
    for (office, key), docs in groups.items():
        people = {(p.name, p.country or "", p.address or "") for d in docs for p in d.parties
                  if p.role in (PartyRole.APPLICANT, PartyRole.ASSIGNEE)}
        expected_applicants[(office, key)] = len(people)
    rows = con.execute(f"""
        SELECT a.appln_auth, {_key(con)}, count(pa.person_id) FILTER (WHERE pa.applt_seq_nr::INT > 0),
               any_value(a.nb_applicants)::INT
        FROM tls201_appln a LEFT JOIN tls207_pers_appln pa USING (appln_id)
        WHERE a.appln_kind <> 'D' GROUP BY a.appln_id, a.appln_auth, a.appln_nr_original""").fetchall()
    assert {(o, k): n for o, k, n, _ in rows} == expected_applicants
    assert all(n == nb for _, _, n, nb in rows)  # nb_applicants agrees with tls207

    # technology-field shares: each application's distinct IPC symbols, split evenly over their fields
    shares: dict[int, float] = defaultdict(float)
    for docs in groups.values():
        symbols = {c.symbol for d in docs for c in d.classifications if c.scheme is Scheme.IPC}
        fields = [f for s in symbols if (f := CATALOGUE.fields.field_of(s)) is not None]
        for f in fields:
            shares[f] += 1 / len(fields)
    rows = con.execute("SELECT techn_field_nr::INT, sum(weight::DOUBLE) FROM tls230_appln_techn_field "
                       "GROUP BY 1").fetchall()
    assert {f: round(w, 6) for f, w in rows} == {f: round(w, 6) for f, w in shares.items()}
    weights = con.execute("SELECT round(sum(weight::DOUBLE), 6) FROM tls230_appln_techn_field "
                          "GROUP BY appln_id").fetchall()
    assert {w for (w,) in weights} <= {1.0}

    # grants, per office
    expected_grants = Counter(office for (office, _), docs in groups.items() if _granted(docs, as_of))
    rows = con.execute("SELECT appln_auth, count(*) FROM tls201_appln WHERE granted = 'Y' GROUP BY 1").fetchall()
    assert dict(rows) == dict(expected_grants)

    # publications: one row per document, first grant flagged once per granted application
    assert counts["tls211_pat_publn"] == sum(len(docs) for docs in groups.values())
    first = con.execute("SELECT appln_id, count(*) FROM tls211_pat_publn WHERE publn_first_grant = 'Y' "
                        "GROUP BY 1").fetchall()
    assert all(n == 1 for _, n in first)


@pytest.mark.parametrize("as_of", AS_OF, ids=lambda d: str(d or "all"))
def test_keys_are_unique_and_foreign_keys_resolve(register: tuple[Engine, str, str], tmp_path: Path,
                                                  as_of: date | None) -> None:
    engine, _, _ = register
    export_patstat(engine, CATALOGUE, tmp_path, as_of)
    con = _load(tmp_path)
    for table in TABLES:
        header = (tmp_path / f"{table.name}.csv").read_text("utf-8").splitlines()[0]
        assert header.split(",") == list(table.columns)
        key = ", ".join(table.key)
        dupes = con.execute(f"SELECT count(*) FROM (SELECT {key} FROM {table.name} GROUP BY ALL "
                            "HAVING count(*) > 1)").fetchone()
        assert dupes == (0,), table.name
    foreign = [(f"{t}.appln_id", "tls201_appln.appln_id") for t in (
        "tls202_appln_title", "tls203_appln_abstr", "tls204_appln_prior", "tls207_pers_appln", "tls209_appln_ipc",
        "tls211_pat_publn", "tls224_appln_cpc", "tls230_appln_techn_field", "tls231_inpadoc_legal_event")]
    foreign += [("tls204_appln_prior.prior_appln_id", "tls201_appln.appln_id"),
                ("tls201_appln.docdb_family_id", "tls201_appln.appln_id"),
                ("tls207_pers_appln.person_id", "tls206_person.person_id"),
                ("tls212_citation.pat_publn_id", "tls211_pat_publn.pat_publn_id")]
    optional = [("tls212_citation.cited_pat_publn_id", "tls211_pat_publn.pat_publn_id"),
                ("tls201_appln.earliest_pat_publn_id", "tls211_pat_publn.pat_publn_id"),
                ("tls201_appln.earliest_filing_id", "tls201_appln.appln_id")]
    for (child, parent), may_be_zero in [*((f, False) for f in foreign), *((f, True) for f in optional)]:
        ct, cc = child.split(".")
        pt, pc = parent.split(".")
        zero = f"AND {cc} <> '0'" if may_be_zero else ""
        dangling = con.execute(f"SELECT count(*) FROM {ct} WHERE {cc} NOT IN (SELECT {pc} FROM {pt}) {zero}"
                               ).fetchone()
        assert dangling == (0,), child
    # the links are there to follow: citations inside the register, claimed priorities, families
    if as_of is None:
        resolved = con.execute("SELECT count(*) FROM tls212_citation WHERE cited_pat_publn_id <> '0'").fetchone()
        unresolved = con.execute("SELECT count(*) FROM tls212_citation WHERE cited_pat_publn_id = '0'").fetchone()
        assert resolved and resolved[0] > 0 and unresolved and unresolved[0] > 0
        cited = con.execute("SELECT sum(nb_citing_docdb_fam::INT) FROM tls201_appln").fetchone()
        assert cited and cited[0] > 0
        dummies = con.execute("SELECT count(*) FROM tls201_appln WHERE appln_kind = 'D' AND appln_auth = 'JP'"
                              ).fetchone()
        assert dummies and dummies[0] > 0
        shared = con.execute("SELECT count(*) FROM tls201_appln WHERE docdb_family_size::INT > 1").fetchone()
        assert shared and shared[0] > 0


def test_published_cases_are_exported_from_their_publication_unpublished_never(
        register: tuple[Engine, str, str], tmp_path: Path) -> None:
    engine, published, withdrawn = register
    for as_of, present in ((date(2015, 4, 7), False), (date(2015, 4, 8), True), (None, True)):
        out = tmp_path / str(as_of)
        export_patstat(engine, CATALOGUE, out, as_of)
        con = _load(out)
        numbers = {n for (n,) in con.execute("SELECT appln_nr_original FROM tls201_appln").fetchall()}
        assert (published in numbers) is present
        assert withdrawn not in numbers
        if present:  # the case's procedure events come with their ST.27 mapping
            events = con.execute("""
                SELECT e.event_code, e.st27_key_event FROM tls231_inpadoc_legal_event e
                JOIN tls201_appln a USING (appln_id) WHERE a.appln_nr_original = $n""", {"n": published}).fetchall()
            assert ("publish", "Q10") in events
