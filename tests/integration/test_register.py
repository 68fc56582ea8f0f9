"""The register on SQLite and PostgreSQL: saving, loading, idempotency, atomic batches."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from ipoffice.adapters import tables as t
from ipoffice.adapters.register import SaveOrder, SqlRegister
from ipoffice.domain.classification import Level, Scheme
from ipoffice.domain.document import (
    Citation,
    CitedBy,
    Claim,
    Classification,
    Document,
    LegalEvent,
    LocalizedText,
    Party,
    PartyRole,
    PriorityClaim,
    TextField,
)
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.reference import IpcEntry, NiceClass


def sample(number: str = "CN114081026A", title: str = "一种無線充電裝置") -> Document:
    return Document(
        number=PublicationNumber.parse(number),
        publication_date=date(2022, 2, 22),
        application_number="CN202111234567.X",
        application_date=date(2021, 10, 1),
        texts=[LocalizedText(TextField.TITLE, "zh", title), LocalizedText(TextField.TITLE, "en", "Charger")],
        claims=[Claim(1, "一种充电装置，包括线圈。", "zh"), Claim(2, "如权利要求1所述的装置。", "zh", (1,))],
        classifications=[Classification.of(Scheme.IPC, "H02J0050100000", is_main=True)],
        parties=[Party(PartyRole.APPLICANT, "华为技术有限公司", "CN", 1), Party(PartyRole.INVENTOR, "张三", "CN", 1)],
        citations=[Citation(CitedBy.EXAMINER, "US7654321B2", "US", "B2", date(2010, 2, 2), category="X", sequence=1),
                   Citation(CitedBy.APPLICANT, text="Smith, Wireless power, 2009", sequence=2)],
        priority_claims=[PriorityClaim("CN", "202011111111.1", date(2020, 10, 1))],
        legal_events=[LegalEvent("PB01", date(2022, 2, 22), "publication")],
        source_format="test",
    )


def test_round_trip_keeps_every_field(register: SqlRegister) -> None:
    doc = sample()
    counts = register.save_documents([(doc, "x.xml")])
    assert (counts.added, counts.updated, counts.unchanged) == (1, 0, 0)
    loaded = register.get("CN 114081026 A")
    assert loaded == doc
    assert register.get("CN114081026") == doc  # without kind code: the latest publication


def test_normalised_text_is_stored_for_indexing(register: SqlRegister) -> None:
    register.save_documents([(sample(), None)])
    with register.engine.connect() as conn:
        row = conn.execute(select(t.document_texts.c.text, t.document_texts.c.text_normalised)
                           .where(t.document_texts.c.lang == "zh")).one()
    assert row.text == "一种無線充電裝置"
    assert row.text_normalised == "一种无线充电装置"


def test_saving_again_is_idempotent_and_a_new_version_updates(register: SqlRegister) -> None:
    register.save_documents([(sample(), None)])
    again = register.save_documents([(sample(), None)])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    newer = replace(sample(), claims=[Claim(1, "一种改进的充电装置。", "zh")])
    upd = register.save_documents([(newer, None)])
    assert (upd.added, upd.updated) == (0, 1)
    assert register.count_documents() == 1
    loaded = register.get("CN114081026A")
    assert loaded is not None and [c.text for c in loaded.claims] == ["一种改进的充电装置。"]
    with register.engine.connect() as conn:
        assert conn.execute(select(t.claims)).all().__len__() == 1


def test_a_failing_batch_writes_nothing(register: SqlRegister) -> None:
    good = sample("CN1A")
    bad = replace(sample("CN2A"), parties=[Party(PartyRole.APPLICANT, None, "CN")])  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - the database's own integrity error, whichever backend
        register.save_documents([(good, None), (bad, None)])
    assert register.count_documents() == 0


def test_reference_data_upserts(register: SqlRegister) -> None:
    e = IpcEntry("H04W 72/04", Level.SUBGROUP, "Wireless resource allocation", "无线资源分配")
    assert register.save_ipc_entries([e, e]) == 1
    assert register.save_ipc_entries([replace(e, title_en="Changed")]) == 1
    assert register.ipc_titles(["H04W 72/04"])["H04W 72/04"].title_en == "Changed"
    register.save_nice_classes([NiceClass(9, "goods", "Scientific apparatus", "13-2026")])
    s = register.stats()
    assert s["ipc_symbols"] == 1 and s["nice_classes"] == 1
    assert s["documents_total"] == 0


def test_an_empty_ipc_title_never_overwrites_a_known_one(register: SqlRegister) -> None:
    register.save_ipc_entries([IpcEntry("H04W", Level.SUBCLASS, "WIRELESS COMMUNICATION NETWORKS", "无线通信网络")])
    register.save_ipc_entries([IpcEntry("H04W", Level.SUBCLASS, "", "无线通信网络（新）")])
    entry = register.ipc_titles(["H04W"])["H04W"]
    assert (entry.title_en, entry.title_zh) == ("WIRELESS COMMUNICATION NETWORKS", "无线通信网络（新）")


def test_in_a_run_saved_by_several_processes_a_later_files_version_is_never_replaced(register: SqlRegister) -> None:
    """Readers save whole files in whatever order they finish them: the version from the later file wins."""
    order = SaveOrder(datetime.now(UTC), {"early.xml": 0, "late.xml": 1})
    early = replace(sample(), claims=[Claim(1, "一种充电装置。", "zh")])
    late = replace(sample(), claims=[Claim(1, "一种改进的充电装置。", "zh")])

    assert register.save_documents([(late, "late.xml")], order).added == 1
    kept = register.save_documents([(early, "early.xml")], order)  # the earlier file, saved last
    assert (kept.added, kept.updated, kept.unchanged) == (0, 0, 1)
    stored = register.get("CN114081026A")
    assert stored is not None and stored.claims[0].text == "一种改进的充电装置。"

    # A later run replaces it, whichever file it comes from: the stored row is not that run's own.
    next_run = SaveOrder(datetime.now(UTC), {"early.xml": 0})
    assert register.save_documents([(early, "early.xml")], next_run).updated == 1
    stored = register.get("CN114081026A")
    assert stored is not None and stored.claims[0].text == "一种充电装置。"


def test_in_a_run_an_earlier_files_version_saved_first_is_updated_by_the_later_one(register: SqlRegister) -> None:
    order = SaveOrder(datetime.now(UTC), {"early.xml": 0, "late.xml": 1})
    register.save_documents([(sample(title="旧"), "early.xml")], order)
    assert register.save_documents([(sample(title="新"), "late.xml")], order).updated == 1
    stored = register.get("CN114081026A")
    assert stored is not None and stored.texts[0].text == "新"


def _citing(number: str, *cited: str) -> Document:
    return Document(number=PublicationNumber.parse(number), publication_date=date(2022, 1, 4), source_format="test",
                    citations=[Citation(CitedBy.EXAMINER, c, sequence=i) for i, c in enumerate(cited, 1)])


def test_cited_by_resolves_across_kind_conventions(register: SqlRegister) -> None:
    """#13 case 2: a design cited as USD668832S is cited by; a utility patent of the same digits is not."""
    from ipoffice.services.portal_queries import cited_by, resolve_cited

    register.save_documents([(d, None) for d in (
        _citing("USD668832S1"), _citing("US668832A"), _citing("EP1234567A1"), _citing("EP1234567B1"),
        _citing("USD939807S1", "USD668832S", "US20050137607A1"),
        _citing("US7000001B2", "US668832", "EP1234567A1"),
        _citing("US7000002B2", "US668832S", "EP1234567A2"),
    )])
    assert sorted(c.number for c in cited_by(register, "USD668832S1")) == ["US7000002B2", "USD939807S1"]
    assert [c.number for c in cited_by(register, "US668832A")] == ["US7000001B2"]
    # A1 cited exactly (not the B1's); A2 is not in the register: the A1 and B1 of its application
    assert sorted(c.number for c in cited_by(register, "EP1234567A1")) == ["US7000001B2", "US7000002B2"]
    assert [c.number for c in cited_by(register, "EP1234567B1")] == ["US7000002B2"]
    assert resolve_cited(register, ["USD668832S", "US668832", "EP1234567A2", "US20050137607A1", None]) == {
        "USD668832S": "USD668832S1", "US668832": "US668832A"}


def test_locarno_and_uspc_round_trip_and_show(register: SqlRegister) -> None:
    """#13 case 7: every scheme is stored, read back and shown (``ipoffice show``, the page and the API use
    document_as_dict)."""
    from ipoffice.services.documents import document_as_dict

    doc = Document(number=PublicationNumber.parse("USD999001S1"), publication_date=date(2024, 1, 2),
                   source_format="test", classifications=[
                       Classification.of(Scheme.LOCARNO, "0201", is_main=True),
                       Classification.of(Scheme.USPC, "D 2700", is_main=True),
                       Classification.of(Scheme.USPC, "  2322")])
    register.save_documents([(doc, None)])
    back = register.get("USD999001S1")
    assert back is not None and back.classifications == doc.classifications
    shown = document_as_dict(register, back)["classifications"]
    assert [(c["scheme"], c["symbol"], c["main"], c["title"]) for c in shown] == [
        ("LOCARNO", "02-01", True, None), ("USPC", "D2/700", True, None), ("USPC", "2/322", False, None)]


def test_long_claim_dependencies_fit_and_read_back(register: SqlRegister) -> None:
    """#13 case 3: "any preceding claim" of claim 150 depends on 149 claims; unsorted and short lists too."""
    claims = [Claim(1, "A widget."), Claim(150, "The widget of any preceding claim.", "en", tuple(range(1, 150))),
              Claim(151, "The widget of claims 1, 3 or 5.", "en", (1, 3, 5)),
              Claim(152, "The widget of claims 1, 2 and 34 to 46.", "en", (1, 2, *range(34, 47)))]
    doc = Document(number=PublicationNumber.parse("US7990009B2"), source_format="test", claims=claims)
    register.save_documents([(doc, None)])
    back = register.get("US7990009B2")
    assert back is not None and back.claims == claims
    with register.engine.connect() as conn:
        stored = sorted(conn.execute(select(t.claims.c.depends_on)).scalars())
    assert stored == ["", "1,2,34-46", "1,3,5", "1-149"]
