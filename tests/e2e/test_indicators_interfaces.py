"""``ipoffice indicators`` and ``GET /api/v1/indicators`` on a register of real documents (EPO and USPTO
XML from ../shared/data): the same figures through both, each equal to a count over the imported documents,
and errors that name the field."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select

from ipoffice.adapters import tables as t
from ipoffice.config import Settings

from .conftest import Cli


@pytest.fixture(scope="module")
def small_register(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> tuple[Cli, Path]:
    from .conftest import make_cli

    var = tmp_path_factory.mktemp("indicators")
    cli = make_cli(var)
    data = shared / "data"
    cli("import", str(data / "ep_xml" / "go_epo_eps"), str(data / "us_xml" / "go_uspto"))
    return cli, var


def _documents(var: Path) -> list[Any]:
    engine = create_engine(f"sqlite:///{var}/ipoffice.db")
    with engine.connect() as conn:
        rows = conn.execute(select(t.documents.c.country, t.documents.c.publication_date)).all()
    engine.dispose()
    return rows


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_cli_json_is_one_object_per_group_and_counts_the_register(small_register: tuple[Cli, Path]) -> None:
    cli, var = small_register
    rows = _lines(cli("indicators", "--by", "year,country", "--measure", "published,pendency_days_median",
                      "--json").stdout)
    expected = Counter((d.publication_date.year, d.country) for d in _documents(var) if d.publication_date)
    assert {(r["year"], r["country"]): r["published"] for r in rows if r["published"]} == dict(expected)
    assert all(set(r) == {"year", "country", "published", "pendency_days_median"} for r in rows)
    past = _lines(cli("indicators", "--by", "country", "--measure", "published", "--as-of", "2005-12-31",
                      "--json").stdout)
    assert {r["country"]: r["published"] for r in past} == dict(Counter(
        d.country for d in _documents(var) if d.publication_date and d.publication_date.isoformat() <= "2005-12-31"))


def test_cli_list_names_each_definition_with_its_reference(small_register: tuple[Cli, Path]) -> None:
    cli, _ = small_register
    items = _lines(cli("indicators", "--list", "--json").stdout)
    by_name = {i["name"]: i for i in items}
    assert {"applications", "published", "granted", "in_force", "pendency_days_median", "grant_rate",
            "high_value_invention", "field", "applicant_type"} <= set(by_name)
    assert all(v["reference"] for i in items if "versions" in i for v in i["versions"])
    criteria = by_name["high_value_invention"]["versions"][0]["params"]["criteria"]
    assert [c["id"] for c in criteria if not c["computable"]] == [
        "strategic_emerging_industry", "family_granted_abroad", "pledge_financing", "award"]
    assert all(c["why"] for c in criteria if not c["computable"])
    assert "Patent Law" in cli("indicators", "--list").stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--by", "colour", "--measure", "granted"), "--by: unknown; choose from year"),
    (("--by", "year", "--measure", "granted,speed"), "--measure: unknown"),
    (("--by", "year,year", "--measure", "granted"), "--by: names a value twice"),
    (("--measure", "granted", "--as-of", "2015-13-01"), "--as-of: expected a date"),
    (("--measure", "granted", "--as-of", "2999-01-01"), "--as-of: must be between"),
    (("--measure", "high_value_invention", "--as-of", "2015-12-31"), "--definition-date: indicator"),
    (("--by", "year",), "--measure: name at least one"),
])
def test_cli_errors_name_the_option(small_register: tuple[Cli, Path], args: tuple[str, ...], message: str) -> None:
    cli, _ = small_register
    proc = cli("indicators", *args, check=False)
    assert proc.returncode == 2 and message in proc.stderr.replace("\n", " ")


def test_api_gives_the_same_rows_as_the_cli(small_register: tuple[Cli, Path], shared: Path) -> None:
    from ipoffice.entrypoints.web.app import create_app

    cli, var = small_register
    settings = Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=shared, var_dir=var)
    with TestClient(create_app(settings)) as client:
        params = {"by": "year,right_type", "measure": "published,granted,in_force", "as_of": "2012-06-30"}
        body = client.get("/api/v1/indicators", params=params).json()
        assert body["as_of"] == "2012-06-30" and body["measures"] == ["published", "granted", "in_force"]
        assert body["definitions"]["granted"]["reference"].startswith("WIPO Standard ST.16")
        assert body["rows"] == _lines(cli("indicators", "--by", "year,right_type", "--measure",
                                          "published,granted,in_force", "--as-of", "2012-06-30", "--json").stdout)
        assert sum(r["published"] for r in body["rows"]) == sum(
            1 for d in _documents(var) if d.publication_date and d.publication_date.isoformat() <= "2012-06-30")
        bad = client.get("/api/v1/indicators", params={"by": "colour", "measure": "granted"})
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "by"
        missing = client.get("/api/v1/indicators", params={"by": "year"})
        assert missing.status_code == 422 and "measure" in missing.json()["error"]
        listed = client.get("/api/v1/indicators/definitions").json()
        assert any(i["name"] == "in_force" for i in listed)


def test_statistics_pages_csv_and_list(small_register: tuple[Cli, Path], shared: Path) -> None:
    from ipoffice.entrypoints.web.app import create_app

    _, var = small_register
    settings = Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=shared, var_dir=var)
    with TestClient(create_app(settings)) as client:
        for lang, title in (("en", "Statistics"), ("zh", "统计")):
            page = client.get("/statistics", params={"breakdown": "field", "lang": lang})
            assert page.status_code == 200 and f"<h1>{title}</h1>" in page.text
            assert "script-src 'self';" in page.headers["content-security-policy"]
            assert "/statistics/plotly.min.js" in page.text and "/statistics/list?" in page.text
        script = client.get("/statistics/plotly.min.js")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
        assert len(script.content) > 1_000_000
        exported = client.get("/statistics.csv", params={"by": "year", "measure": "published", "as_of": "2012-06-30"})
        lines = exported.text.splitlines()
        assert lines[0] == "year,published"
        assert sum(int(line.split(",")[1]) for line in lines[1:]) == sum(
            1 for d in _documents(var) if d.publication_date and d.publication_date.isoformat() <= "2012-06-30")
        listed = client.get("/statistics/list", params={"measure": "published", "by": "country", "g.country": "EP"})
        assert listed.status_code == 200
        assert listed.text.count('href="/documents/EP') == sum(1 for d in _documents(var) if d.country == "EP")
        for params, field in (({"breakdown": "colour"}, "breakdown"), ({"as_of": "2999-01-01"}, "as_of")):
            bad = client.get("/statistics", params=params)
            assert bad.status_code == 422 and field in bad.text
        bad_group = client.get("/statistics/list", params={"measure": "granted", "by": "year", "g.year": "last"})
        assert bad_group.status_code == 422 and "g.year" in bad_group.text


@pytest.fixture(scope="module")
def prosecution_register(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Cli:
    """The real USPTO prosecution histories of ../shared (the importer keeps the patented applications)."""
    from .conftest import make_cli

    cli = make_cli(tmp_path_factory.mktemp("prosecution"))
    cli("import", str(shared / "data" / "us_prosecution" / "peds_dev.jsonl"))
    return cli


def _quantile(values: list[int], q: float) -> float:
    ordered = sorted(values)
    h = (len(ordered) - 1) * q
    low = int(h)
    high = min(low + 1, len(ordered) - 1)
    value = round(ordered[low] + (h - low) * (ordered[high] - ordered[low]), 1)
    return int(value) if value.is_integer() else value


@pytest.mark.parametrize("as_of", ["2026-11-30", "2023-06-30", "2021-01-01"])
def test_first_action_pendency_of_real_prosecution_histories(prosecution_register: Cli, shared: Path,
                                                             as_of: str) -> None:
    """Median and 90th percentile of filing → first action on the merits (non-final or final rejection, Quayle
    action; a restriction requirement is not one), by the year of that action, computed here from the JSONL
    itself: the same figures through the CLI and the API."""
    from datetime import date

    days: dict[int, list[int]] = {}
    for line in (shared / "data" / "us_prosecution" / "peds_dev.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        firsts = [e["date"] for e in record["prosecution_events"] if e["code"] in ("CTNF", "CTFR", "CTEQ")]
        if record.get("patent_number") and firsts and min(firsts) <= as_of:
            first = date.fromisoformat(min(firsts))
            days.setdefault(first.year, []).append((first - date.fromisoformat(record["filing_date"])).days)
    expected = {year: (_quantile(v, 0.5), _quantile(v, 0.9)) for year, v in days.items()}
    rows = _lines(prosecution_register("indicators", "--by", "year", "--measure",
                                       "first_action_pendency_days_median,first_action_pendency_days_p90",
                                       "--as-of", as_of, "--json").stdout)
    got = {r["year"]: (r["first_action_pendency_days_median"], r["first_action_pendency_days_p90"])
           for r in rows if r["first_action_pendency_days_median"] is not None}
    assert got == expected and len(expected) >= (5 if as_of > "2023" else 2)
    assert any(median != p90 for median, p90 in expected.values())


def test_api_and_cli_agree_on_lapses_abandonments_and_ipc_classes(small_register: tuple[Cli, Path],
                                                                   shared: Path) -> None:
    from ipoffice.entrypoints.web.app import create_app

    cli, var = small_register
    measures = "applications,lapsed,abandoned,abandonment_rate,pendency_days_p90"
    settings = Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=shared, var_dir=var)
    engine = create_engine(f"sqlite:///{var}/ipoffice.db")
    with engine.connect() as conn:
        subclasses = {s for (s,) in conn.execute(select(t.classifications.c.subclass)) if s}
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        for by in ("ipc_class", "ipc_subclass"):
            body = client.get("/api/v1/indicators", params={"by": by, "measure": measures}).json()
            assert body["rows"] == _lines(cli("indicators", "--by", by, "--measure", measures, "--json").stdout)
            values = {r[by] for r in body["rows"]} - {None}
            assert values and values <= ({s[:3] for s in subclasses} if by == "ipc_class" else subclasses)
            assert sum(r["applications"] for r in body["rows"]) == sum(
                r["applications"] for r in _lines(cli("indicators", "--measure", "applications", "--json").stdout))
        for lang, label in (("en", "IPC subclass"), ("zh", "IPC 小类")):
            page = client.get("/statistics", params={"breakdown": "ipc_subclass", "lang": lang})
            assert page.status_code == 200 and label in page.text and 'id="chart-pendency"' in page.text


def test_per_10k_population_names_its_population_figure_everywhere(small_register: tuple[Cli, Path],
                                                                   shared: Path) -> None:
    from ipoffice.entrypoints.web.app import create_app

    cli, var = small_register
    listed = {i["name"]: i for i in _lines(cli("indicators", "--list", "--json").stdout)}
    figures = listed["population"]["values"]["CN"]
    assert [f["persons"] for f in figures] == [1_412_600_000, 1_411_750_000, 1_409_670_000, 1_408_280_000]
    assert "population CN 2023-12-31: 1,409,670,000 — NBS" in cli("indicators", "--list").stdout.replace("\n", " ")
    measures = "invention_patents_per_10k_population,high_value_invention_per_10k_population"
    text = cli("indicators", "--measure", measures, "--as-of", "2024-06-30").stdout.replace("\n", " ")
    assert "population 1,409,670,000 on 2023-12-31" in text
    settings = Settings(database_url=f"sqlite:///{var}/ipoffice.db", shared_dir=shared, var_dir=var)
    with TestClient(create_app(settings)) as client:
        body = client.get("/api/v1/indicators", params={"measure": measures, "as_of": "2024-06-30"}).json()
        assert body["populations"]["invention_patents_per_10k_population"]["date"] == "2023-12-31"
        assert body["rows"] == [{"invention_patents_per_10k_population": 0,
                                 "high_value_invention_per_10k_population": 0}]  # no CN documents here
        early = client.get("/api/v1/indicators", params={
            "measure": measures, "as_of": "2019-12-31", "definition_date": "2024-12-31"}).json()
        assert early["populations"] == {m: None for m in measures.split(",")}
        assert early["rows"] == [{m: None for m in measures.split(",")}]
        for lang, title in (("en", "Per 10,000 population"), ("zh", "每万人口指标")):
            page = client.get("/statistics", params={"lang": lang, "as_of": "2024-06-30"})
            assert page.status_code == 200 and title in page.text and "140967万人" in page.text
