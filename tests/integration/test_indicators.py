"""Indicators (issue #18) on SQLite and PostgreSQL: every figure of the engine equals an independent count in
plain Python over the register's rows, as of today and as of past dates, for each measure and dimension.

The register holds imported documents (application and grant publications of one application, lapses,
abandonments, US expiry for non-payment, documents without application data) and cases taken through the
office's procedures (granted, published only, withdrawn)."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select

from ipoffice.adapters import tables as t
from ipoffice.adapters.indicator_engine import IndicatorEngine
from ipoffice.adapters.indicators_loader import load_indicator_catalogue
from ipoffice.adapters.procedure_store import ProcedureStore, case_events, cases, offices, users
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import Classification, Document, LegalEvent, Party, PartyRole, RightType
from ipoffice.domain.indicators import IndicatorQuery
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.services.procedures import Filing

from .office_days import OfficeOnTheDay

CATALOGUE = load_indicator_catalogue()
APPLICANTS: list[tuple[str, str | None]] = [
              ("清华大学", "CN"), ("华为技术有限公司", "CN"), ("中国科学院微电子研究所", "CN"), ("张伟", "CN"),
              ("Microsoft Corporation", "US"), ("Rankin, David", "GB"),
              ("Regents of the University of California", "US"), ("江苏恒瑞医药股份有限公司", "CN"),
              ("Suzhou Lianhe Optics Co., Ltd.", None),
              ("Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.", "DE"), ("BAYER AG", "DE")]
SYMBOLS = ["H04L 9/32", "H04N 21/431", "G01N 33/53", "G01N 21/01", "A61K 31/00", "A61K 8/02", "B01D 53/34",
           "C07D 401/04", "F16H 1/28", "G06F 3/01", "Y02E 10/50"]
AS_OF = [date.today(), date(2016, 12, 31), date(2012, 6, 30), date(2009, 1, 1), date(2003, 3, 15)]


def _documents(seed: int = 18) -> list[Document]:
    rng = random.Random(seed)
    docs: list[Document] = []
    serial = 7000000
    for i in range(90):
        country = rng.choice(["US", "US", "CN", "EP"])
        right = RightType.DESIGN if rng.random() < 0.15 else RightType.INVENTION
        filed = date(1996, 1, 1) + timedelta(days=rng.randrange(0, 22 * 365))
        with_application = rng.random() > 0.1
        name, party_country = rng.choice(APPLICANTS)
        parties = [Party(PartyRole.APPLICANT, name, party_country)] if rng.random() > 0.05 else []
        symbol = rng.choice(SYMBOLS)
        classes = [Classification(Scheme.CPC, "G06Q 10/00"), Classification(Scheme.IPC, symbol, is_main=True)]
        events: list[LegalEvent] = []
        grant_after = rng.randrange(300, 2500) if rng.random() > 0.3 else None
        publish_after = rng.randrange(200, 600)
        kinds: list[tuple[str, int]] = []
        if right is RightType.DESIGN:
            kinds.append(("S" if country == "CN" else "S1", grant_after or 400))
        else:
            if publish_after < (grant_after or 10**6):
                kinds.append(("A1" if country != "CN" else "A", publish_after))
            if grant_after is not None:
                kinds.append(("B2" if country != "CN" else "B", grant_after))
        if grant_after is not None and rng.random() < 0.3:
            lapsed = filed + timedelta(days=grant_after + 1500)
            events.append(LegalEvent("lapse" if country == "CN" else "EXP.", lapsed))
            if rng.random() < 0.3:
                events.append(LegalEvent("restore_patent", filed + timedelta(days=grant_after + 1600)))
        if grant_after is None and rng.random() < 0.5:
            events.append(LegalEvent(rng.choice(["ABN2", "withdraw", "rejection_final"]),
                                     filed + timedelta(days=publish_after + 200)))
            if rng.random() < 0.3:
                events.append(LegalEvent("revive", filed + timedelta(days=publish_after + 260)))
        if rng.random() < 0.7:  # a first office action (some before the first publication)
            first_action = filed + timedelta(days=rng.randrange(60, 900))
            events.append(LegalEvent(rng.choice(["CTNF", "CTRS", "CTFR"]), first_action))
        events.append(LegalEvent("MCTNF", filed + timedelta(days=30)))  # not read by any definition
        for kind, after in kinds:
            serial += 1
            number = PublicationNumber.parse(f"{country}{serial}{kind}")
            published = filed + timedelta(days=after)
            docs.append(Document(
                number, right, published, f"APP-{country}-{i}" if with_application else None,
                filed if with_application else None, classifications=list(classes), parties=list(parties),
                legal_events=list(events), source_format="test"))
    # A US grant without a kind code from a full-text grant source, and without application data.
    docs.append(Document(PublicationNumber.parse("US4032145"), RightType.INVENTION, date(1977, 6, 28),
                         source_format="patentsview-csv"))
    return docs


def _cases(engine: Engine) -> None:
    service = OfficeOnTheDay(ProcedureStore(engine))
    service.seed_demo()

    def file(filed: date, applicant: str, office: str, procedure: str = "cn_invention") -> str:
        return service.file(Filing(procedure, office, applicant, filed, "Lens"), filed_by="agent.li"
                            ).record.application_number

    granted = file(date(2014, 1, 10), "applicant.wang", "CN-JS-SZ")
    for action, who, on in [
        ("request_early_publication", "agent.li", date(2014, 1, 15)),
        ("request_substantive_examination", "applicant.wang", date(2014, 1, 15)),
        ("pass_formality_examination", "examiner.zhang", date(2014, 2, 1)),
        ("publish", "registrar.zhou", date(2014, 3, 6)),
        ("start_substantive_examination", "examiner.liu", date(2014, 5, 6)),
        ("notify_grant", "examiner.liu", date(2015, 10, 8)),
    ]:
        service.act(granted, action, on, who)
    # the registration formalities: the registration fee (due in 2015) and the grant-year annuity (IR Rule 97)
    service.pay_fee(granted, "fee.invention.registration", date(2015, 10, 30), "agent.li")
    service.pay_fee(granted, "fee.invention.annuity", date(2015, 10, 30), "agent.li", year=2)
    service.act(granted, "complete_registration", date(2015, 11, 1), "agent.li")
    service.act(granted, "announce_grant", date(2015, 11, 22), "registrar.zhou")
    published = file(date(2015, 2, 11), "applicant.chen", "CN-ZJ")
    service.act(published, "request_early_publication", date(2015, 2, 12), "agent.li")
    service.act(published, "pass_formality_examination", date(2015, 2, 20), "examiner.zhao")
    service.act(published, "publish", date(2015, 4, 8), "registrar.zhou")
    withdrawn = file(date(2015, 6, 1), "applicant.wang", "CN-JS-SZ")
    service.act(withdrawn, "withdraw", date(2016, 1, 4), "applicant.wang")


@pytest.fixture
def indicators(engine: Engine) -> IndicatorEngine:
    register = SqlRegister(engine)
    register.save_documents([(d, None) for d in _documents()])
    _cases(engine)
    return IndicatorEngine(engine, CATALOGUE)


# --- the independent count: plain Python over the register's rows -------------------------------------------


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def quantile(values: list[float], q: float) -> float:
    """Linear interpolation between the two nearest ranks (numpy's default, SQL's quantile_cont)."""
    ordered = sorted(values)
    h = (len(ordered) - 1) * q
    low = int(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


class Oracle:
    """Reads the register's tables row by row and counts each measure the way its definition says."""

    def __init__(self, engine: Engine, definition_date: date) -> None:
        book = CATALOGUE.book
        self.g = book.version("granted", definition_date).params
        self.f = book.version("in_force", definition_date).params
        self.r = book.version("grant_rate", definition_date).params
        self.lapse = book.version("lapsed", definition_date).params
        self.per_population = {m: book.version(m, max(definition_date, date(2021, 10, 9))).params
                               for m in ("invention_patents_per_10k_population",
                                         "high_value_invention_per_10k_population")}
        self.first_actions = book.version("first_action_pendency_days_median", definition_date).params[
            "first_action_events"]
        self.pub_events = book.version("published", definition_date).params["publication_events"]
        self.hv = book.version("high_value_invention", max(definition_date, date(2021, 10, 9))).params
        with engine.connect() as conn:
            docs = conn.execute(select(t.documents)).mappings().all()
            classes = conn.execute(select(t.classifications)).mappings().all()
            parties = conn.execute(select(t.parties)).mappings().all()
            events = conn.execute(select(t.legal_events)).mappings().all()
            case_rows = conn.execute(select(cases)).mappings().all()
            user_rows = {u["username"]: u for u in conn.execute(select(users)).mappings()}
            office_rows = {o["code"]: o for o in conn.execute(select(offices)).mappings()}
            log = conn.execute(select(case_events)).mappings().all()
        self.units: dict[str, dict[str, Any]] = {}
        self.events: dict[str, list[tuple[date, int, str]]] = defaultdict(list)
        self.publications: list[tuple[str, date]] = []
        national = {o["jurisdiction"]: c for c, o in office_rows.items() if o["level"] == "national"}

        def ancestor(code: str | None, level: str) -> str | None:
            while code is not None:
                if office_rows[code]["level"] == level:
                    return code
                code = office_rows[code]["parent_code"]
            return None

        unit_of: dict[int, str] = {}
        for d in sorted(docs, key=lambda d: (d["publication_date"] or d["application_date"] or date.max, d["number"])):
            key = f"D:{d['country']}:{d['application_number'] or d['number']}"
            unit_of[d["id"]] = key
            if d["publication_date"]:
                self.publications.append((key, d["publication_date"]))
            is_grant = d["kind"] in self.g["granted_kinds"] or (
                d["kind"] is None and d["source_format"] in self.g["granted_sources"])
            unit = self.units.get(key)
            if unit is None:  # the first document gives the dimensions
                symbols = sorted((c for c in classes if c["document_id"] == d["id"] and c["scheme"] in ("IPC", "CPC")),
                                 key=lambda c: (not c["is_main"], c["scheme"] != "IPC", c["sequence"], c["id"]))
                firsts = sorted((p for p in parties if p["document_id"] == d["id"]
                                 and p["role"] in ("applicant", "assignee")),
                                key=lambda p: (p["role"] != "applicant", p["sequence"], p["id"]))
                office = national.get(d["country"], d["country"])
                unit = self.units[key] = {
                    "country": d["country"], "office": office, "right_type": d["right_type"],
                    **{f"office@{lv}": ancestor(office if office in office_rows else None, lv)
                       for lv in ("national", "provincial", "local", "service_centre")},
                    "ipc_section": symbols[0]["symbol"][0] if symbols else None,
                    "ipc_class": symbols[0]["subclass"][:3] if symbols and symbols[0]["subclass"] else None,
                    "ipc_subclass": symbols[0]["subclass"] if symbols else None,
                    "field": CATALOGUE.fields.field_of(symbols[0]["symbol"]) if symbols else None,
                    "region": CATALOGUE.regions.region_of(firsts[0]["name"], firsts[0]["country"]) if firsts else None,
                    "applicant_type": CATALOGUE.applicant_types.classify(firsts[0]["name"]) if firsts else None,
                    "application_date": None, "dates": [], "grant_dates": [],
                }
            if d["application_date"] and (unit["application_date"] is None
                                          or d["application_date"] < unit["application_date"]):
                unit["application_date"] = d["application_date"]
            unit["dates"] += [x for x in (d["publication_date"], d["application_date"]) if x]
            if is_grant and d["publication_date"]:
                unit["grant_dates"].append(d["publication_date"])
        for e in events:
            self.events[unit_of[e["document_id"]]].append((e["event_date"], 0, e["code"]))
        for c in case_rows:
            key = f"C:{c['id']}"
            applicant = user_rows[c["applicant"]]
            self.units[key] = {
                "country": c["jurisdiction"], "office": c["office_code"], "right_type": c["right_type"],
                **{f"office@{lv}": ancestor(c["office_code"], lv)
                   for lv in ("national", "provincial", "local", "service_centre")},
                "ipc_section": None, "ipc_class": None, "ipc_subclass": None, "field": None,
                "region": ancestor(applicant["office_code"], "provincial") or applicant["office_code"],
                "applicant_type": CATALOGUE.applicant_types.classify(applicant["name"]),
                "application_date": c["filing_date"], "dates": [c["filing_date"]], "grant_dates": [],
            }
        for e in log:
            key = f"C:{e['case_id']}"
            self.events[key].append((e["event_date"], e["sequence"], e["code"]))
            if e["code"] in self.pub_events:
                self.publications.append((key, e["event_date"]))
        for key, unit in self.units.items():
            grants = unit["grant_dates"] + [d for d, _, code in self.events[key] if code in self.g["grant_events"]]
            unit["grant_date"] = min(grants) if grants else None
            unit["known_from"] = min(unit["dates"]) if unit["dates"] else None
            if key.startswith("D:") and any(p for k, p in self.publications if k == key):
                unit["known_from"] = min(p for k, p in self.publications if k == key)

    def _last(self, key: str, ends: list[str], starts: list[str], as_of: date) -> tuple[date, int, str] | None:
        relevant = [e for e in self.events[key] if e[0] <= as_of and e[2] in ends + starts]
        return max(relevant) if relevant else None

    def term_end(self, u: dict[str, Any]) -> date | None:
        for rule in self.f["terms"]:
            if rule["right_type"] != u["right_type"] or rule.get("country", u["country"]) != u["country"]:
                continue
            if "filed_before" in rule and not (u["application_date"] and u["application_date"] < rule["filed_before"]):
                continue
            if rule["from"] == "grant_date":
                return _add_years(u["grant_date"], rule["years"])
            if u["application_date"]:
                return _add_years(u["application_date"], rule["years"])
            return _add_years(u["grant_date"], self.f["fallback_years_from_grant"][u["right_type"]])
        return None

    def in_force(self, key: str, u: dict[str, Any], as_of: date) -> bool:
        if not (u["grant_date"] and u["grant_date"] <= as_of):
            return False
        end = self.term_end(u)
        last = self._last(key, self.f["end_events"], self.f["restore_events"], as_of)
        return (end is None or end > as_of) and not (last and last[2] in self.f["end_events"])

    def counts_at_grant(self, measure: str, key: str, u: dict[str, Any], as_of: date) -> bool:
        """Whether the unit counts in a measure dated by its grant (granted, in force, high value)."""
        if measure == "granted":
            return u["grant_date"] is not None and u["grant_date"] <= as_of
        if measure == "in_force":
            return self.in_force(key, u, as_of)
        return (measure == "high_value_invention" and self.in_force(key, u, as_of)
                and u["country"] == self.hv["country"] and u["right_type"] == self.hv["right_type"]
                and u["application_date"] is not None and _add_years(u["application_date"], 10) < as_of)

    def figures(self, measure: str, by: tuple[str, ...], as_of: date) -> dict[tuple[Any, ...], Any]:
        """measure per group: {(dimension values…): value}."""
        rows: list[tuple[dict[str, Any], date | None, Any]] = []  # (unit, the measure's own date, value)
        for key, u in self.units.items():
            granted = u["grant_date"] is not None and u["grant_date"] <= as_of
            if measure == "applications" and u["known_from"] and u["known_from"] <= as_of:
                rows.append((u, u["application_date"], 1))
            elif self.counts_at_grant(measure, key, u, as_of):
                rows.append((u, u["grant_date"], 1))
            elif measure in self.per_population:
                params = self.per_population[measure]
                owners = params["owners"]
                domestic = u["region"] is not None and u["region"] not in owners["excluding_regions"] and (
                    u["region"] == owners["country"] or u["region"].startswith(owners["country"] + "-"))
                if (domestic and u["country"] == params["country"] and u["right_type"] == params["right_type"]
                        and self.counts_at_grant(params["counts"], key, u, as_of)):
                    rows.append((u, u["grant_date"], 1))
            elif measure.startswith("pendency_days") and granted and u["application_date"]:
                rows.append((u, u["grant_date"], (u["grant_date"] - u["application_date"]).days))
            elif measure.startswith("first_action_pendency") and u["application_date"]:
                firsts = [d for d, _, code in self.events[key] if code in self.first_actions]
                if firsts and min(firsts) <= as_of:
                    rows.append((u, min(firsts), (min(firsts) - u["application_date"]).days))
            elif measure == "lapsed" and granted:
                lapses = self.lapse["lapse_events"]
                last = self._last(key, lapses, self.lapse["restore_events"], as_of)
                if last and last[2] in lapses:
                    rows.append((u, max(e[0] for e in self.events[key] if e[0] <= as_of and e[2] in lapses), 1))
            elif measure in ("grant_rate", "abandonment_rate", "abandoned"):
                ends = self.r["refusal_events"] + self.r["abandonment_events"]
                last = self._last(key, ends, self.r["revive_events"], as_of)
                ended = last is not None and last[2] in ends
                abandoned = not granted and ended and last is not None and last[2] in self.r["abandonment_events"]
                ended_on = max((e[0] for e in self.events[key] if e[0] <= as_of and e[2] in ends), default=None)
                if measure == "abandoned":
                    if abandoned:
                        rows.append((u, ended_on, 1))
                elif granted:
                    rows.append((u, u["grant_date"], 1.0 if measure == "grant_rate" else 0.0))
                elif ended:
                    rows.append((u, ended_on, 1.0 if abandoned and measure == "abandonment_rate" else 0.0))
        if measure == "published":
            rows = [(self.units[k], d, 1) for k, d in self.publications if d <= as_of]
        groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
        for u, own_date, value in rows:
            groups[tuple((own_date.year if own_date else None) if d == "year" else u[d] for d in by)].append(value)
        rate: Callable[[list[Any]], Any] = lambda v: round(sum(v) / len(v), 4)  # noqa: E731
        combine: Callable[[list[Any]], Any] = {
            "pendency_days_median": lambda v: round(quantile(v, 0.5), 1),
            "pendency_days_p90": lambda v: round(quantile(v, 0.9), 1),
            "first_action_pendency_days_median": lambda v: round(quantile(v, 0.5), 1),
            "first_action_pendency_days_p90": lambda v: round(quantile(v, 0.9), 1),
            "grant_rate": rate, "abandonment_rate": rate,
        }.get(measure, sum)
        if measure in self.per_population:
            figure = CATALOGUE.population.figure(self.per_population[measure]["population"], as_of)
            combine = (lambda v: None) if figure is None else (lambda v: sum(v) * 10_000 / figure.persons)
        out = {}
        for k, values in groups.items():
            value = combine(values)
            out[k] = int(value) if isinstance(value, float) and value.is_integer() else value
        return out


CASES = [
    ("year,country", "applications,published,granted,in_force,pendency_days_median,grant_rate"),
    ("year", "lapsed,abandoned,pendency_days_p90,first_action_pendency_days_median,first_action_pendency_days_p90,"
             "abandonment_rate"),
    ("ipc_class,right_type", "applications,lapsed,abandoned,abandonment_rate,first_action_pendency_days_median"),
    ("ipc_subclass", "granted,in_force,lapsed,pendency_days_p90,first_action_pendency_days_p90"),
    ("right_type", "applications,granted,in_force,high_value_invention"),
    ("region,year", "invention_patents_per_10k_population,high_value_invention_per_10k_population,in_force"),
    ("office,office@provincial", "applications,published,granted"),
    ("ipc_section,field", "published,granted,in_force"),
    ("region,applicant_type", "applications,granted,grant_rate"),
    ("", "applications,published,granted,in_force,pendency_days_median,grant_rate"),
    ("", "lapsed,abandoned,pendency_days_p90,first_action_pendency_days_median,first_action_pendency_days_p90,"
         "abandonment_rate"),
]


@pytest.mark.parametrize(("by", "measures"), CASES)
def test_each_figure_equals_an_independent_count(indicators: IndicatorEngine, engine: Engine, by: str,
                                                  measures: str) -> None:
    compared = 0
    for as_of in AS_OF:
        # The high-value definition applies from 2021: past figures are computed under it by naming its date.
        definition_date = date.today() if "high_value_invention" in measures else None
        query = IndicatorQuery.parse(by, measures, as_of, definition_date)
        result = indicators.compute(query)
        oracle = Oracle(engine, query.definitions_on)
        for measure in query.measures:
            expected = oracle.figures(measure, query.by, as_of)
            got = {tuple(row[d] for d in query.by): row[measure] for row in result.rows
                   if row[measure] not in (0, None)}
            expected = {k: v for k, v in expected.items() if v not in (0, None)}
            assert got == expected, (measure, by, as_of)
            compared += len(expected)
    assert compared > 20  # the register is not trivially empty for these groupings


def test_the_register_has_what_the_figures_need(indicators: IndicatorEngine) -> None:
    """The data above exercises what the comparisons check: lapses and restorations, refusals, grants of cases,
    units of two publications, every applicant type, provinces of case applicants."""
    today = indicators.compute(IndicatorQuery.parse("", "applications,published,granted,in_force,grant_rate",
                                                    date.today())).rows[0]
    assert today["published"] > today["applications"] > today["granted"] > today["in_force"] > 0
    assert 0 < today["grant_rate"] < 1
    types = {r["applicant_type"] for r in indicators.compute(
        IndicatorQuery.parse("applicant_type", "applications", date.today())).rows}
    assert {"university", "enterprise", "research_institute", "individual"} <= types
    regions = {r["region"] for r in indicators.compute(
        IndicatorQuery.parse("region", "applications", date.today())).rows}
    assert {"CN-JS", "CN-ZJ"} <= regions  # the provinces of the case applicants' offices
    assert {"CN", "US", "GB", "DE"} <= regions  # the applicants' countries
    offices_ = {(r["office"], r["office@provincial"]): r["applications"] for r in indicators.compute(
        IndicatorQuery.parse("office,office@provincial", "applications", date.today())).rows}
    assert offices_[("CN-JS-SZ", "CN-JS")] == 2 and offices_[("CN-ZJ", "CN-ZJ")] == 1


def test_as_of_follows_the_events_not_the_state(indicators: IndicatorEngine, engine: Engine) -> None:
    """The granted case: not granted the day before its grant announcement, granted and in force from it."""
    def figures(on: date) -> dict[str, Any]:
        rows = indicators.compute(IndicatorQuery.parse("office", "granted,in_force,published", on)).rows
        return next((r for r in rows if r["office"] == "CN-JS-SZ"), {"granted": 0, "in_force": 0, "published": 0})

    assert figures(date(2015, 11, 21)) == {"office": "CN-JS-SZ", "granted": 0, "in_force": 0, "published": 1}
    assert figures(date(2015, 11, 22)) == {"office": "CN-JS-SZ", "granted": 1, "in_force": 1, "published": 2}
    assert figures(date(2014, 3, 5))["published"] == 0


def test_reloads_when_the_register_changes(indicators: IndicatorEngine, engine: Engine) -> None:
    query = IndicatorQuery.parse("", "published", date.today())
    before = indicators.compute(query).rows[0]["published"]
    SqlRegister(engine).save_documents([(Document(PublicationNumber.parse("EP3000001A1"), RightType.INVENTION,
                                                  date(2020, 1, 1), "EP-NEW", date(2018, 1, 1)), None)])
    assert indicators.compute(query).rows[0]["published"] == before + 1



def test_both_versions_of_a_changed_definition_stay_computable(engine: Engine) -> None:
    """``granted`` redefined from 2010 without designs: the definition date picks the version, whatever the
    as-of date, and each version's figure is its own count over the register."""
    from dataclasses import replace

    from ipoffice.adapters.indicators_loader import parse_definitions
    from ipoffice.domain.indicators import IndicatorBook
    from unit.test_indicator_definitions import TWO_VERSIONS  # B2 and S1 until 2009, B2 only from 2010

    redefined = parse_definitions("test.yaml", TWO_VERSIONS)
    book = IndicatorBook([redefined.get("granted"), *(i for i in CATALOGUE.book if i.name != "granted")])
    SqlRegister(engine).save_documents([(d, None) for d in _documents()])
    two = IndicatorEngine(engine, replace(CATALOGUE, book=book))
    with engine.connect() as conn:
        docs = conn.execute(select(t.documents.c.kind, t.documents.c.publication_date)).all()
    for as_of in (date.today(), date(2008, 6, 30)):
        def count(kinds: set[str], on: date = as_of) -> int:
            return sum(1 for kind, published in docs if kind in kinds and published and published <= on)

        old = two.compute(IndicatorQuery.parse("", "granted", as_of, date(2009, 12, 31)))
        new = two.compute(IndicatorQuery.parse("", "granted", as_of, date(2010, 1, 1)))
        assert (old.rows[0]["granted"], new.rows[0]["granted"]) == (count({"B2", "S1"}), count({"B2"}))
        assert count({"S1"}) > 0
        assert (old.definitions["granted"].reference, new.definitions["granted"].reference) == ("old", "new")


def test_reloads_when_a_document_is_updated(indicators: IndicatorEngine, engine: Engine) -> None:
    """A re-imported document with a new legal event (same id, children replaced) is seen at once."""
    register = SqlRegister(engine)
    query = IndicatorQuery.parse("", "in_force", date.today())
    before = indicators.compute(query).rows[0]["in_force"]
    granted = next(d for d in _documents() if d.number.kind == "B2" and d.application_date
                   and d.application_date > date(2010, 1, 1) and not any(e.code == "EXP." for e in d.legal_events))
    stored = register.get(granted.number.compact)
    assert stored is not None
    stored.legal_events.append(LegalEvent("EXP.", date.today() - timedelta(days=1)))
    register.save_documents([(stored, None)])
    assert indicators.compute(query).rows[0]["in_force"] == before - 1


@pytest.mark.parametrize(("by", "measure"), [("year,country", "granted"), ("right_type", "in_force"),
                                             ("office", "published"), ("applicant_type", "grant_rate")])
def test_the_applications_behind_each_figure_are_as_many_as_it_counts(indicators: IndicatorEngine, by: str,
                                                                     measure: str) -> None:
    for as_of in (date.today(), date(2012, 6, 30)):
        query = IndicatorQuery.parse(by, measure, as_of)
        for row in indicators.compute(query).rows:
            group = {d: row[d] for d in query.by}
            total, members = indicators.members(query, measure, group)
            if measure == "published":  # publications: the applications behind them are at most as many
                assert 0 < total <= row[measure]
            elif measure == "grant_rate":  # the disposals the rate is taken over
                assert total > 0
            else:
                assert total == row[measure]
            assert len(members) == min(total, 500)
            for m in members:
                assert m["numbers"] and m["kind"] == ("case" if m["unit"].startswith("C:") else "document")


def test_unpublished_cases_behind_a_figure_are_not_public(indicators: IndicatorEngine) -> None:
    query = IndicatorQuery.parse("office", "applications", date.today())
    _, members = indicators.members(query, "applications", {"office": "CN-JS-SZ"})
    # Two cases at Suzhou: the granted one (published) and the withdrawn one (never published).
    assert sorted((m["kind"], m["public"]) for m in members) == [("case", False), ("case", True)]


def test_per_10k_population_divides_the_domestic_count_by_the_latest_year_end_population(
        indicators: IndicatorEngine, engine: Engine) -> None:
    """The figure of the national plans: domestic invention patents in force per 10,000 persons of the latest
    year-end population (NBS) dated on or before the as-of date; none before the table's first figure."""
    measures = "invention_patents_per_10k_population,high_value_invention_per_10k_population"
    for as_of, population_date in ((date(2024, 12, 31), date(2024, 12, 31)), (date(2023, 6, 30), date(2022, 12, 31))):
        result = indicators.compute(IndicatorQuery.parse("region", f"in_force,{measures}", as_of, date.today()))
        figure = result.populations["invention_patents_per_10k_population"]
        assert figure is not None and figure.on == population_date and "NBS" in figure.source
        domestic = {r["region"]: r for r in result.rows if r["region"] and r["region"].startswith("CN")
                    and r["region"] not in ("CN-TW", "CN-HK", "CN-MO")}
        oracle = Oracle(engine, date.today())
        counted = oracle.figures("in_force", ("region", "country", "right_type"), as_of)
        for region, row in domestic.items():
            count = counted.get((region, "CN", "invention"), 0)
            assert row["invention_patents_per_10k_population"] == count * 10_000 / figure.persons
        assert sum(r["invention_patents_per_10k_population"] for r in result.rows) > 0
    early = indicators.compute(IndicatorQuery.parse("", measures, date(2020, 6, 30), date.today()))
    assert early.populations == {m: None for m in measures.split(",")}
    assert early.rows[0]["invention_patents_per_10k_population"] is None


def test_a_snapshot_of_the_loaded_register_serves_a_new_process_until_the_register_changes(
        indicators: IndicatorEngine, engine: Engine, tmp_path: Any) -> None:
    """The loaded tables are kept beside the register: a fresh engine (another process, a restart) starts from
    them when they were taken of the register as it is now, and reloads when it changed or the file is bad."""
    import duckdb

    query = IndicatorQuery.parse("year,country", "applications,published,granted,in_force,lapsed", date.today())
    first = IndicatorEngine(engine, CATALOGUE, snapshot_dir=tmp_path)
    expected = first.compute(query).rows
    assert expected == indicators.compute(query).rows and (tmp_path / "register.duckdb").exists()
    fresh = IndicatorEngine(engine, CATALOGUE, snapshot_dir=tmp_path)
    assert fresh._restore(duckdb.connect(), fresh._fingerprint(fresh._register_stamp()))
    assert fresh.compute(query).rows == expected
    SqlRegister(engine).save_documents([(Document(PublicationNumber.parse("EP3000002A1"), RightType.INVENTION,
                                                  date(2020, 1, 1), "EP-SNAP", date(2018, 1, 1)), None)])
    changed = IndicatorEngine(engine, CATALOGUE, snapshot_dir=tmp_path)
    assert not changed._restore(duckdb.connect(), changed._fingerprint(changed._register_stamp()))
    total = IndicatorQuery.parse("", "published", date.today())
    assert changed.compute(total).rows[0]["published"] == sum(r["published"] for r in expected) + 1
    (tmp_path / "register.duckdb").write_bytes(b"not a database")
    assert IndicatorEngine(engine, CATALOGUE, snapshot_dir=tmp_path).compute(total).rows == changed.compute(total).rows


def _in_another_process(database: str, sql: str) -> str:
    code = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); r = c.execute(sys.argv[2]).fetchall(); " \
           "c.commit(); c.close(); print(r[0][0] if r else '')"
    return subprocess.run([sys.executable, "-c", code, database, sql], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_writes_after_the_indicators_load_reach_the_register_file(indicators: IndicatorEngine) -> None:
    """The stop-23 trial: loading the indicators in the server's process released the process's locks on a
    SQLite register (the ADBC driver links its own copy of SQLite, and closing its file drops the POSIX locks of
    every connection of the process); a CLI command then ran as the "last" connection, removed the WAL, and the
    server's later writes went to a deleted file. Every write must still reach the register."""
    engine = indicators.engine
    now = datetime.now(UTC)

    def document(number: str) -> Any:
        return insert(t.documents).values(
            number=number, country="US", serial=number[2:-1], kind="A", right_type="invention",
            publication_date=date(2020, 1, 1), source_format="test", content_hash="0" * 64,
            imported_at=now, updated_at=now)

    with engine.connect() as held:  # the server's pooled connection stays open throughout
        held.execute(select(func.count()).select_from(t.documents)).scalar()
        indicators.connection()  # loads the register into DuckDB
        database = engine.url.database
        if engine.dialect.name == "sqlite":
            assert database is not None
            _in_another_process(database, "SELECT count(*) FROM documents")  # a CLI command, then it exits
        with engine.begin() as conn:
            conn.execute(document("US999A"))
        held.execute(select(func.count()).select_from(t.documents)).scalar()
    if engine.dialect.name == "sqlite":
        assert database is not None
        assert _in_another_process(database, "SELECT count(*) FROM documents WHERE number = 'US999A'") == "1"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.documents)
                            .where(t.documents.c.number == "US999A")).scalar() == 1
