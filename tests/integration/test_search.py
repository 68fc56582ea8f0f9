"""Keyword search over every shared document: each field type finds specific real documents."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipoffice.adapters.search_index import KeywordIndex
from ipoffice.bootstrap import office, open_register
from ipoffice.config import Settings
from ipoffice.domain.query import QueryError
from ipoffice.domain.search import SearchError, SearchHit, SearchRequest, SemanticIndexMissing
from ipoffice.services.importing import Importer
from ipoffice.services.indexing import catch_up_keyword_index, keyword_generations
from ipoffice.services.search import SearchService

from .search_corpus import shared_corpus


def open_keyword_index(settings: Settings) -> KeywordIndex:
    """The current generation of the office's keyword index."""
    current = keyword_generations(office(settings).keyword_index_path).current()
    assert current is not None, "no keyword index"
    return KeywordIndex(current)


@pytest.fixture(scope="module")
def corpus(shared: Path) -> Settings:
    return shared_corpus(shared)


@pytest.fixture(scope="module")
def service(corpus: Settings) -> SearchService:
    return SearchService(open_keyword_index(corpus))


def numbers(service: SearchService, query: str, limit: int = 50, **kw: object) -> list[str]:
    return [h.number for h in service.search(SearchRequest(query, limit=limit, **kw)).hits]  # type: ignore[arg-type]


def total(service: SearchService, query: str, **kw: object) -> int:
    return service.search(SearchRequest(query, **kw)).total  # type: ignore[arg-type]


def test_index_holds_every_document_of_the_register(corpus: Settings) -> None:
    index, register = open_keyword_index(corpus), open_register(corpus)
    assert index.info().documents == register.count_documents() > 6900
    assert index.numbers() == set(register.content_hashes())
    assert not catch_up_keyword_index(register, office(corpus).keyword_index_path).did_something


def test_title_abstract_claims_description(service: SearchService) -> None:
    assert numbers(service, 'ti="proximity communication"')[0] == "US7643833B2"
    assert "US7864699B2" in numbers(service, 'ab="Mobility Management Network Element"')
    assert numbers(service, 'cl="locator to determine the geographic location"') == ["US7643833B2"]
    assert "US8089342B2" in numbers(service, 'desc="conventional electronic key system"')
    # Stemming: "fluoroalkanols" finds the EP title "PROCESS FOR PRODUCING FLUOROALKANOL".
    assert "EP1325900A1" in numbers(service, "ti=fluoroalkanols")


def test_plain_words_search_title_abstract_and_claims_but_not_description(service: SearchService) -> None:
    assert "US7643833B2" in numbers(service, "PCDs locator")
    # "conventional electronic key system" is only in the description of US8089342B2.
    assert "US8089342B2" not in numbers(service, '"conventional electronic key system"', limit=100)
    assert "US8089342B2" in numbers(service, '"conventional electronic key system"',
                                    fields=("description",))


def test_applicant_inventor_and_publication_number(service: SearchService) -> None:
    assert "USD656476S1" in numbers(service, 'pa="samsung electronics" AND ti="mobile phone"')
    assert numbers(service, 'in="Masahiro Sugiura" AND ti="electronic key"') == ["US8089342B2"]
    assert numbers(service, "pn=US7643833B2") == ["US7643833B2"]
    assert numbers(service, "pn=US7643833") == ["US7643833B2"]  # without kind code
    # A document recorded without a kind code (a PatentsView export) is found by its number with a kind,
    # in any printed form; a kind code never finds a publication of another kind.
    assert numbers(service, 'pn="US 5,269,177 A"') == numbers(service, "pn=US5269177") == ["US5269177"]
    assert numbers(service, "US5269177A") == ["US5269177"]
    assert numbers(service, "pn=US7643833B1") == []


def test_classification_hierarchy(service: SearchService) -> None:
    # US7864699B2 has H04W 4/00 and H04W 36/00, US7643833B2 H04W 24/00.
    section = set(numbers(service, "ic=H04W", limit=100))
    assert {"US7643833B2", "US7864699B2"} <= section
    assert "US7864699B2" in numbers(service, "ic=H04W36")
    assert "US7643833B2" not in numbers(service, "ic=H04W36")
    assert numbers(service, "ic=H04W24/00 AND ti=proximity") == ["US7643833B2"]
    # CPC of the Chinese sample: G06F 18/2433.
    assert "CN118866379A" in numbers(service, "cpc=G06F18", limit=200)
    assert total(service, "ic=C07C AND ti=fluoroalkanol") == 1


def test_locarno_and_uspc_fields(service: SearchService) -> None:
    """#13 case 7: the v2.5 design USD452599S1 has Locarno 01-01 and USPC D1/106; the v2.5 grant
    US6530116B2 USPC 15/328 (main) and 15/327.6."""
    assert "USD452599S1" in numbers(service, "lc=01-01", limit=500)
    assert "USD452599S1" in numbers(service, "lc=0101", limit=500)
    assert "USD452599S1" in numbers(service, "lc=01", limit=500)
    assert "USD452599S1" in numbers(service, "uc=D1/106", limit=500)
    assert "USD452599S1" in numbers(service, "uc=D1", limit=500)
    assert "US6530116B2" in numbers(service, "uc=15/327.6 AND uc=15/328")
    assert "US6530116B2" in numbers(service, "uc=15/327", limit=500)
    assert "US6530116B2" not in numbers(service, "uc=D1", limit=500)


def test_dates_language_and_boolean_operators(service: SearchService) -> None:
    assert "US7643833B2" in numbers(service, 'ti=proximity AND pd within "2010-01-05 2010-01-05"')
    assert "US7643833B2" not in numbers(service, "ti=proximity AND pd>=2011")
    assert "US7643833B2" in numbers(service, "ti=proximity AND ad<2006-05-11")
    assert total(service, "lang=zh") == 57
    assert "EP1325900A1" in numbers(service, "lang=de AND ti=fluoroalkanol")
    mobile = set(numbers(service, 'ti="mobile phone"', limit=500))
    without_samsung = set(numbers(service, 'ti="mobile phone" NOT pa=samsung', limit=500))
    assert "USD656476S1" in mobile and "USD656476S1" not in without_samsung and without_samsung < mobile


def test_phrase_proximity_and_truncation(service: SearchService) -> None:
    # Claim 1 of US7643833B2: "a wireless transceiver for exchanging information".
    assert "US7643833B2" in numbers(service, 'cl="transceiver information"~3', limit=100)
    assert "US7643833B2" not in numbers(service, 'cl="transceiver information"', limit=100)
    assert "EP1325900A1" in numbers(service, "ti=fluoroalk*")


def test_chinese_query_finds_the_chinese_document_in_either_script(service: SearchService) -> None:
    assert numbers(service, "心理障碍")[0] == "CN118866379A"
    assert numbers(service, "心理障礙")[0] == "CN118866379A"  # traditional script, normalised
    assert numbers(service, "ti=心理障碍测评 AND lang=zh") == ["CN118866379A"]
    assert numbers(service, "生理信号 云端平台", syntax="text")[0] == "CN118866379A"


def test_prior_art_cut_off(service: SearchService) -> None:
    assert "US7643833B2" in numbers(service, "ti=proximity", before=date(2010, 1, 6))
    assert "US7643833B2" not in numbers(service, "ti=proximity", before=date(2010, 1, 5))  # published that day


def test_plain_text_ranks_a_claim_to_its_own_document(service: SearchService) -> None:
    claim = ("An electronic key system comprising: an in-vehicle device mounted in a vehicle; and a mobile unit "
             "carried by a user for conducting radio communication with the in-vehicle device")
    hits = numbers(service, claim, limit=3, syntax="text", fields=("title", "abstract", "description"))
    assert hits[0] == "US8089342B2"


def test_facets_count_the_matches(service: SearchService) -> None:
    facets = service.facets(SearchRequest('ti="mobile phone"'))
    assert {f.value for f in facets["right_type"]} >= {"design"}
    assert facets["country"][0].value == "US"
    assert any(f.value == "Samsung Electronics Co., Ltd." for f in facets["applicant"])
    years = {f.value: f.count for f in facets["year"]}
    assert years["2012"] >= 3  # USD656474S1, USD656475S1, USD656476S1


class FixedDense:
    """A dense retriever that always proposes the same documents (as a semantic index might)."""

    def __init__(self, numbers: list[str]) -> None:
        self.numbers = numbers
        self.calls: list[tuple[str, int, date | None]] = []

    def search_text(self, text: str, limit: int, before: date | None) -> list[SearchHit]:
        self.calls.append((text, limit, before))
        return [SearchHit(n, 1.0 - i / 100) for i, n in enumerate(self.numbers[:limit])]


def test_hybrid_fuses_keyword_and_dense_ranks(corpus: Settings) -> None:
    dense = FixedDense(["EP1325900A1", "US7643833B2"])
    service = SearchService(open_keyword_index(corpus), dense)
    hybrid = numbers(service, 'ti="proximity communication"', limit=5, mode="hybrid", before=date(2020, 1, 1))
    # US7643833B2 is first for both sides; EP1325900A1 comes from the dense side alone.
    assert hybrid[0] == "US7643833B2" and "EP1325900A1" in hybrid
    # The dense side gets the words of the query, not its fields, and the cut-off.
    assert dense.calls[0] == ("proximity communication", 20, date(2020, 1, 1))
    # The query's conditions hold on the dense side too: it reads deeper and keeps what meets them.
    register = office(corpus).register
    published = {n: register.get(n).publication_date for n in ("EP1325900A1", "US7643833B2")}  # type: ignore[union-attr]
    cut = max(d for d in published.values() if d is not None)
    dense.calls.clear()
    conditioned = numbers(service, f'ti="proximity communication" AND pd>={cut.isoformat()}', limit=5,
                          mode="hybrid", before=date(2020, 1, 1))
    earlier = {n for n, d in published.items() if d is None or d < cut}
    assert earlier and not earlier & set(conditioned) and set(published) - earlier <= set(conditioned)
    assert dense.calls[0] == ("proximity communication", 1000, date(2020, 1, 1))
    semantic = service.search(SearchRequest("anything", mode="semantic", limit=1, offset=1))
    assert [h.number for h in semantic.hits] == ["US7643833B2"]


def test_semantic_modes_need_vectors(service: SearchService) -> None:
    with pytest.raises(SemanticIndexMissing, match="ipoffice index rebuild"):
        service.search(SearchRequest("wireless", mode="hybrid"))


def test_query_errors_reach_the_caller(service: SearchService) -> None:
    with pytest.raises(QueryError, match="position 3"):
        service.search(SearchRequest("ti=(a"))


def test_cli_json_and_batch_contract(corpus: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipoffice.entrypoints.cli import app

    monkeypatch.setenv("IPOFFICE_VAR", str(corpus.var_dir))
    monkeypatch.setenv("IPOFFICE_DATABASE_URL", corpus.database_url)
    runner = CliRunner()
    result = runner.invoke(app, ["search", 'ti="proximity communication"', "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout.splitlines()[0])
    assert first["number"] == "US7643833B2" and first["title"] == "Methods and systems for proximity communication"
    batch = tmp_path / "queries.jsonl"
    batch.write_text(json.dumps({"id": "q1", "query": "electronic key in-vehicle device mobile unit"}) + "\n"
                     + json.dumps({"id": 7, "query": "心理障碍 测评"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["search", "--batch", str(batch), "--limit", "3", "--fields", "title,abstract"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["q1", 7]
    assert lines[0]["hits"][0]["number"] == "US8089342B2"
    assert lines[1]["hits"][0] == {"number": "CN118866379A", "score": lines[1]["hits"][0]["score"]}
    oversize = tmp_path / "oversize.jsonl"
    oversize.write_text(json.dumps({"id": "big", "query": "word " * 6000}) + "\n"
                        + json.dumps({"id": "ok", "query": "electronic key"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["search", "--batch", str(oversize), "--limit", "1"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 1 and [x["id"] for x in lines] == ["big", "ok"]  # the refused line does not stop
    assert "MAX_TEXT_CHARS" in lines[0]["error"] and lines[1]["hits"]
    result = runner.invoke(app, ["search", "titel=key"])
    assert result.exit_code == 2 and "valid fields" in result.output


def test_index_follows_a_reimport(shared: Path, tmp_path: Path) -> None:
    """Importing through the import service updates the index batch by batch, and a changed title replaces
    the old one."""
    settings = Settings(database_url=f"sqlite:///{tmp_path}/r.db", shared_dir=shared, var_dir=tmp_path)
    source = shared / "data" / "us_abstracts" / "koehrsen_baseball_patent_query.csv"
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:20]
    sample = tmp_path / "sample.csv"

    def write(title: str) -> None:
        rows[0]["patent_title"] = title
        with sample.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)

    def run_import() -> None:
        running = office(settings)
        listeners = running.index_listeners()
        running.importer(batch_size=7, listeners=listeners).run([sample])
        for listener in listeners:
            getattr(listener, "close", lambda: None)()

    write("Apparatus and method for determining the center of percussion")
    run_import()
    service = SearchService(open_keyword_index(settings))
    assert numbers(service, "ti=percussion") == ["US5269177"]
    assert total(service, "pd>=1900") == 20
    write("Sweet spot locator for zeppelin bats")
    run_import()
    service = SearchService(open_keyword_index(settings))
    assert numbers(service, "ti=zeppelin") == ["US5269177"]
    assert numbers(service, "ti=percussion") == []
    assert total(service, "pd>=1900") == 20


def test_a_lagging_index_catches_up_when_searched(shared: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from ipoffice.entrypoints.cli import app

    settings = Settings(database_url=f"sqlite:///{tmp_path}/r.db", shared_dir=shared, var_dir=tmp_path)
    register = open_register(settings)
    source = shared / "data" / "us_abstracts" / "koehrsen_baseball_patent_query.csv"
    Importer(register, batch_size=500).run([source])  # no listeners: the index is never told
    monkeypatch.setenv("IPOFFICE_VAR", str(tmp_path))
    monkeypatch.setenv("IPOFFICE_DATABASE_URL", settings.database_url)
    runner = CliRunner()
    built = runner.invoke(app, ["search", "baseball", "--json", "--limit", "1"])
    assert built.exit_code == 0 and "keyword index rebuilt (no index)" in built.output
    index = open_keyword_index(settings)
    assert index.document_count() == 2664
    assert "US5269177" in numbers(SearchService(index), "ti=percussion")
    Importer(register, batch_size=500).run([source.with_name("koehrsen_neural_network_patent_query.csv")])
    caught = runner.invoke(app, ["search", "neural", "--json", "--limit", "1"])
    assert caught.exit_code == 0 and "keyword index caught up: 3522 missing, 0 changed, 0 removed" in caught.output
    assert open_keyword_index(settings).document_count() == 6186
    rebuilt = runner.invoke(app, ["index", "rebuild", "--only", "keyword"])  # vectors take minutes
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "keyword index rebuilt: 6,186 documents" in rebuilt.output


def test_sorting_by_publication_date_covers_every_match(service: SearchService, corpus: Settings) -> None:
    register = open_register(corpus)
    every = service.search(SearchRequest("wireless", limit=1000))
    assert every.total == len(every.hits) > 20
    dates = {n: d.publication_date for n in (h.number for h in every.hits) if (d := register.get(n))}
    newest = service.search(SearchRequest("wireless", limit=5, sort="date_desc"))
    oldest = service.search(SearchRequest("wireless", limit=5, sort="date_asc", offset=0))
    dated = sorted(d for d in dates.values() if d)
    assert newest.total == every.total
    assert dates[newest.hits[0].number] == dated[-1]  # the newest of all matches, not of the best-scored few
    assert [dates[h.number] for h in newest.hits] == sorted((dates[h.number] for h in newest.hits), reverse=True)
    assert dates[oldest.hits[0].number] == dated[0]


def test_filters_on_office_and_right_type_apply_to_every_match(service: SearchService) -> None:
    ep = service.search(SearchRequest("method", limit=100, filters=(("country", "EP"),)))
    assert ep.total > 0 and all(h.number.startswith("EP") for h in ep.hits)
    designs = service.search(SearchRequest("ball", limit=500, filters=(("right_type", "design"),)))
    assert designs.total > 0 and all(h.number.startswith("USD") for h in designs.hits)
    counts = service.facets(SearchRequest("ball"), ["right_type"], 10)["right_type"]
    assert designs.total == next(c.count for c in counts if c.value == "design")
    with pytest.raises(SearchError, match="filters: unknown"):
        SearchRequest("ball", filters=(("colour", "red"),))
