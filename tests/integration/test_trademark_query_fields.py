"""The query language's trademark fields over the real trademark records, on SQLite and PostgreSQL: ``tm``
(the mark's words), ``gs`` (goods and services, in the record's languages), ``nc`` (Nice class, as 9 or 09)
and ``vc`` (Vienna code at each level), alone and combined with the other fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.query import QueryError
from ipoffice.domain.search import SearchRequest
from ipoffice.services.importing import Importer
from ipoffice.services.indexing import rebuild_keyword_index
from ipoffice.services.search import SearchService
from unit.trademark_files import trademark_dir


@pytest.fixture
def service(register: SqlRegister, data_dir: Path, tmp_path: Path) -> SearchService:
    report = Importer(register, batch_size=10).run([trademark_dir(data_dir)])
    assert report.problems == [] and report.counts.added == 22
    return SearchService(rebuild_keyword_index(register, tmp_path / "index"))


def numbers(service: SearchService, query: str) -> set[str]:
    return {h.number for h in service.search(SearchRequest(query=query, limit=50)).hits}


@pytest.mark.parametrize(("query", "expected"), [
    ("tm=topgun", {"ILTM-310118"}),
    ("tm=verizon", {"TOTM-2006-1856"}),
    ('tm="san marino"', {"SMTM-M-2010-000119"}),
    ("vc=03.11.10", {"MGTM-M-2018-516"}),
    ("vc=03.11 AND nc=25", {"MGTM-M-2018-516"}),
    ("gs=tongkat AND nc=09", {"IDTM-DID2017000184"}),  # KingMa's Indonesian goods: tongkat selfie (selfie stick)
])
def test_trademark_fields_find_the_real_records(service: SearchService, query: str, expected: set[str]) -> None:
    assert numbers(service, query) == expected


def test_nice_class_alone_finds_every_mark_of_the_class_and_no_patent(service: SearchService) -> None:
    ninth = numbers(service, "nc=9")
    assert {"IDTM-D002014030000", "MYTM-2012060000", "LATM-37978"} <= ninth
    assert ninth == numbers(service, "nc=09")
    with pytest.raises(QueryError, match="Nice class from 1 to 45"):
        numbers(service, "nc=46")
    with pytest.raises(QueryError, match="Vienna code"):
        numbers(service, "vc=flower")
    assert all("TM-" in n for n in ninth)
