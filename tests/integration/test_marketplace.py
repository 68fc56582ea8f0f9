"""The open-licence marketplace and royalty guidance on SQLite and PostgreSQL: each filter keeps what it should and
leaves out the rest; a withdrawn open licence is no offer; text queries find rights across languages; the
guidance's range and count equal an independent computation, and too few contracts are said to be too few."""

from __future__ import annotations

import statistics
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine

from integration.marketplace_setup import CRYPTO_LICENCE_RATES, CRYPTO_LUMP_SUM, TODAY, build_market
from integration.office_days import OfficeOnTheDay
from integration.search_corpus import shared_vector_cache
from ipoffice.adapters.embeddings import cached_embedder
from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import Claim, Classification, Document, LocalizedText, TextField
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.services.marketplace import Candidate, Marketplace, OfferQuery
from ipoffice.services.recordals import RecordalService
from ipoffice.services.recorded_transactions import RecordedTransactionsOf
from ipoffice.services.value import ValueIndicators


@pytest.fixture
def market(engine: Engine) -> tuple[Marketplace, dict[str, str]]:
    service = OfficeOnTheDay(ProcedureStore(engine))
    service.seed_demo()
    numbers = build_market(service, RecordalService(service))
    embedder = cached_embedder(shared_vector_cache())
    marketplace = Marketplace(service, ValueIndicators(SqlRegister(engine), lambda: TODAY), lambda: embedder,
                              lambda: service.catalogue.rules("cn"), lambda: TODAY)
    return marketplace, numbers


def _keys(numbers: dict[str, str], offers: list[dict[str, Any]]) -> list[str]:
    by_number = {v: k for k, v in numbers.items()}
    return [by_number[o["number"]] for o in offers]


def test_each_filter_keeps_its_offers_and_leaves_out_the_others(market: tuple[Marketplace, dict[str, str]]) -> None:
    m, numbers = market

    def keys(**query: Any) -> set[str]:
        return set(_keys(numbers, m.offers(OfferQuery(**query))))

    everything = {"hinge", "battery", "crypto", "words"}
    assert keys() == everything  # the withdrawn open licence is no offer
    assert keys(ipc="H04L") == {"crypto", "words"}
    assert keys(ipc="h04l 9/") == keys(ipc="H04L 9/32") == {"crypto"}
    assert keys(ipc="B62K") == {"hinge"} and keys(ipc="H04W") == set() and keys(ipc="H02S") == set()
    assert keys(industry="batteries") == keys(industry="动力电池") == {"battery"}
    assert keys(industry="自行车") == {"hinge"} and keys(industry="solar") == set()
    assert keys(royalty_type="running_percentage") == {"hinge"}  # the text-only "3%" has no type
    assert keys(royalty_type="lump_sum") == {"battery"} and keys(royalty_type="free") == {"crypto"}
    assert keys(royalty_type="per_unit") == set()
    assert keys(max_rate=Decimal(2)) == {"crypto"} and keys(max_rate=Decimal(3)) == {"crypto", "hinge"}
    assert keys(max_amount=Decimal(49999)) == {"crypto"} and keys(max_amount=Decimal(50000)) == {"crypto", "battery"}
    # terms: hinge to 2033-05-10 (6.4 years), battery to 2031-03-01 (4.2), crypto to 2034-06-01 (7.5)
    assert keys(min_remaining_years=5) == {"hinge", "crypto", "words"}
    assert keys(min_remaining_years=7) == {"crypto", "words"} and keys(min_remaining_years=8) == set()
    assert keys(ipc="H04L", royalty_type="free", min_remaining_years=7) == {"crypto"}
    assert len(m.offers(OfferQuery(limit=2))) == 2


def test_text_finds_offers_across_languages_by_meaning(market: tuple[Marketplace, dict[str, str]]) -> None:
    m, numbers = market
    for query, expected in (("折叠自行车铰链", ["hinge"]), ("folding bike hinge", ["hinge"]),
                            ("lithium battery electrolyte additive", ["battery"]), ("锂电池电解液", ["battery"]),
                            ("pizza oven", [])):
        found = m.offers(OfferQuery(text=query))
        assert _keys(numbers, found) == expected, (query, [(o["title"], o["similarity"]) for o in found])
    encryption = m.offers(OfferQuery(text="网络数据包加密"))
    assert _keys(numbers, encryption)[0] == "crypto"  # best first; the routing right may follow (same field)
    assert [o["similarity"] for o in encryption] == sorted((o["similarity"] for o in encryption), reverse=True)


def test_an_offer_shows_status_first_claim_indicators_and_royalty(market: tuple[Marketplace, dict[str, str]]) -> None:
    m, numbers = market
    [hinge] = m.offers(OfferQuery(ipc="B62K"))
    assert hinge["number"] == numbers["hinge"] and hinge["title"] == "Folding bicycle hinge"
    assert hinge["status"] == {"state": "granted", "in_force": True}
    assert hinge["first_claim"]["number"] == 1 and hinge["first_claim"]["text"].startswith("A folding bicycle hinge")
    assert hinge["royalty"] == {"type": "running_percentage", "rate_percent": "3", "basis": "net sales"}
    assert hinge["royalty_summary"] == "3% of net sales" and hinge["industry"] == "自行车制造 bicycles"
    assert hinge["indicators"]["remaining_term"]["expiry"] == "2033-05-10"
    assert hinge["ipc"] == ["B62K 15/00"] and hinge["source"] == "open_licence"
    [words] = m.offers(OfferQuery(ipc="H04L 45"))
    assert words["royalty"] == {"type": None, "text": "3% of net sales"}  # read as text only


def test_further_sources_of_offers_are_filtered_alike(market: tuple[Marketplace, dict[str, str]]) -> None:
    """The seam for a university's resource library: its candidates join the open licences, same filters."""
    m, numbers = market
    crypto = next(c for c in m.open_licence_candidates(TODAY) if c.number == numbers["crypto"])
    entry = Candidate("LIB-1", crypto.document, "library", None, industry="university lab")
    assert [o["number"] for o in m.offers(OfferQuery(industry="university"), extra=[entry])] == ["LIB-1"]
    assert m.offers(OfferQuery(royalty_type="free"), extra=[entry])[0]["source"] == "open_licence"


def test_royalty_guidance_range_and_count_equal_an_independent_computation(
        market: tuple[Marketplace, dict[str, str]]) -> None:
    m, numbers = market
    crypto = m.royalty_guidance(numbers["crypto"])
    # the H04L contracts: four running royalties, one lump sum, one open licence taken (free)
    rates = [Decimal(r) for r in CRYPTO_LICENCE_RATES]
    assert (crypto["basis"], crypto["key"], crypto["contracts"], crypto["enough"]) == ("subclass", "H04L", 6, True)
    by_type = {r["type"]: r for r in crypto["ranges"]}
    assert (by_type["running_percentage"]["min"], by_type["running_percentage"]["median"],
            by_type["running_percentage"]["max"], by_type["running_percentage"]["count"]) == (
        str(min(rates)), str(statistics.median(rates).normalize()), str(max(rates)), len(rates))
    assert (by_type["lump_sum"]["median"], by_type["lump_sum"]["count"]) == (CRYPTO_LUMP_SUM, 1)
    assert by_type["free"]["count"] == 1
    assert crypto["minimum"] == 5 and "Office policy" in str(crypto["reference"])
    # the words right shares the subclass: the same contracts (its own text-only declaration is not comparable)
    assert m.royalty_guidance(numbers["words"])["contracts"] == 6
    # the hinge (B62K) has no comparable contract but its own declaration, which is left out
    hinge = m.royalty_guidance(numbers["hinge"])
    assert hinge["enough"] is False and hinge["contracts"] == 0 and hinge["ranges"] == []
    assert "too few comparable contracts (n = 0 < 5)" in str(hinge["message"])
    offered = {o["number"]: o for o in m.offers(OfferQuery())}
    assert offered[numbers["crypto"]]["guidance"]["ranges"] == crypto["ranges"]
    with pytest.raises(LookupError, match="NOPE123"):
        m.royalty_guidance("NOPE123")


@pytest.mark.parametrize(("query", "field"), [
    (OfferQuery(royalty_type="monthly"), "royalty_type"), (OfferQuery(max_rate=Decimal(101)), "max_rate"),
    (OfferQuery(max_amount=Decimal(-1)), "max_amount"), (OfferQuery(min_remaining_years=-1), "min_remaining_years"),
    (OfferQuery(limit=0), "limit"), (OfferQuery(ipc="9/32"), "ipc"), (OfferQuery(text="x" * 501), "text"),
])
def test_bad_filters_name_the_field(query: OfferQuery, field: str) -> None:
    with pytest.raises(InvalidField) as bad:
        query.check()
    assert bad.value.field == field


def _sample(number: str, title: str, symbol: str, claim: str | None, lang: str = "en") -> Document:
    texts = [LocalizedText(TextField.TITLE, lang, title), LocalizedText(TextField.ABSTRACT, lang, f"{title}: {claim}")]
    return Document(number=PublicationNumber.parse(number), texts=texts,
                    claims=[Claim(1, claim, lang)] if claim else [],
                    classifications=[Classification.of(Scheme.IPC, symbol, is_main=True)])


def test_demo_offers_are_seeded_once_on_the_registers_documents(engine: Engine) -> None:
    """``ipoffice seed-offers``: documents of the register (with claims, or Chinese ones with an abstract) become
    granted office cases under open licence, the first ones of the largest subclass with licence contracts; a
    second run seeds nothing."""
    from ipoffice.services.marketplace_demo import CONTRACT_RATES, DemoOffers

    register = SqlRegister(engine)
    samples = [_sample(f"US{7000001 + i}B2", f"Semiconductor package {i}", "H01L 23/12", f"A package {i} comprising "
                       "a die and a lid.") for i in range(5)]
    samples += [_sample("CN118000001A", "一种电池管理方法", "H02J 7/00", None, "zh"),
                _sample("US7100001B2", "Bicycle hinge", "B62K 15/00", "A hinge comprising a cam lever."),
                _sample("US7100002B2", "No classification", "H01L 23/12", "A claim.")]
    samples[-1].classifications.clear()
    register.save_documents([(d, None) for d in samples])
    service = OfficeOnTheDay(ProcedureStore(engine))
    demo = DemoOffers(service, RecordalService(service), register)
    seeded = demo.seed(TODAY)
    assert sorted(s.source_document for s in seeded) == sorted(d.number.compact for d in samples[:-1])
    embedder = cached_embedder(shared_vector_cache())
    m = Marketplace(service, ValueIndicators(register, lambda: TODAY), lambda: embedder,
                    lambda: service.catalogue.rules("cn"), lambda: TODAY)
    offers = m.offers(OfferQuery())
    assert len(offers) == 7 and {o["status"]["state"] for o in offers} == {"granted"}
    assert {o["royalty"]["type"] for o in offers} == {"running_percentage", "lump_sum", "free", "per_unit"}
    h01l = m.royalty_guidance(next(o["number"] for o in offers if o["ipc"] == ["H01L 23/12"]))
    assert h01l["enough"] is True and h01l["basis"] == "subclass"
    rates = [r for r in h01l["ranges"] if r["type"] == "running_percentage"][0]
    assert (rates["min"], rates["max"]) == (min(CONTRACT_RATES, key=Decimal), max(CONTRACT_RATES, key=Decimal))
    assert m.offers(OfferQuery(text="电池管理"))[0]["title"] == "一种电池管理方法"
    assert demo.seed(TODAY) == []


def test_a_utility_model_under_open_licence_has_its_annual_fee_schedule(
        market: tuple[Marketplace, dict[str, str]]) -> None:
    """The right's annual fees are those of its type (utility model: 600 CNY in years 1-3, 900 in 4-5; fee
    schedule of the NDRC/MOF), with the open-licence reduction (15 %, from 2024-07-15) on those falling due
    while the licence is in force; the stop-23 trial found the schedule empty for every right but inventions."""
    marketplace, numbers = market
    offer = next(o for o in marketplace.offers(OfferQuery()) if o["number"] in numbers.values())
    right = RecordalService(marketplace.procedures).right(offer["number"], "registrar.zhou", TODAY)
    fees = right["annual_fees"]
    assert isinstance(fees, list) and fees, "no annual-fee schedule"
    assert {f["currency"] for f in fees} == {"CNY"} and fees[0]["year"] >= 1
    declared = date.fromisoformat(offer["declared_on"])
    for f in fees:
        due = date.fromisoformat(f["due"])
        base = Decimal(f["base_amount"])
        assert base == (600 if f["year"] <= 3 else 900 if f["year"] <= 5 else base)
        reduced = [r["name"] for r in f["reductions"]]
        if due > declared and due >= date(2024, 7, 15) and (offer["ends"] is None or due <= date.fromisoformat(
                offer["ends"])):
            assert reduced == ["open_licence"] and Decimal(f["amount"]) == base * Decimal("0.85")
        elif due < declared:
            assert "open_licence" not in reduced


def test_offers_show_the_transactions_recorded_against_the_right(market: tuple[Marketplace, dict[str, str]]) -> None:
    """Value indicator ``transactions``: the recordals register's licences, pledges, transfers and open licence of
    each offered right (the crypto right has its licence contracts)."""
    marketplace, numbers = market
    recorded = RecordedTransactionsOf(lambda: RecordalService(marketplace.procedures), lambda: None)  # type: ignore
    with_transactions = Marketplace(marketplace.procedures, ValueIndicators(
        marketplace.value.register, lambda: TODAY, recorded), marketplace.embedder, marketplace.rules, lambda: TODAY)
    offers = {o["number"]: o["indicators"]["transactions"] for o in with_transactions.offers(OfferQuery())}
    assert offers and all(t["open_licence"] is True and t["source"] == "this office's recordals register"
                          for t in offers.values())
    right = RecordalService(marketplace.procedures).right(numbers["crypto"], None, TODAY)
    crypto = offers[numbers["crypto"]]
    assert crypto["licences"] == len(right["licences"]) and crypto["value"] >= 1 + crypto["licences"]  # type: ignore


@pytest.mark.parametrize("number", ["999", "US9999999B2", "202699999999.9"])
def test_royalty_guidance_of_an_unknown_right_says_so(market: tuple[Marketplace, dict[str, str]], number: str) -> None:
    marketplace, _ = market
    with pytest.raises(LookupError, match="neither a case of the office nor a document of the register"):
        marketplace.royalty_guidance(number)
