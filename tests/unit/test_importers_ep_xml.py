"""EP publication server XML: the 33 real go-epo-eps files, and broken input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ipoffice.adapters.importers.base import ImportProblem
from ipoffice.adapters.importers.ep_xml import EpXmlImporter
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import CitedBy, Classification, Document, Party, PartyRole, PriorityClaim, TextField

IMPORTER = EpXmlImporter()


@pytest.fixture(scope="module")
def ep_dir(data_dir: Path) -> Path:
    return data_dir / "ep_xml" / "go_epo_eps"


@pytest.fixture(scope="module")
def documents(ep_dir: Path) -> dict[str, Document]:
    out: dict[str, Document] = {}
    for path in sorted(ep_dir.glob("*.xml")):
        records = list(IMPORTER.read(path))
        assert [r for r in records if isinstance(r, ImportProblem)] == [], path.name
        (document,) = records
        assert isinstance(document, Document)
        out[path.name] = document
    return out


def test_all_33_files_give_one_document_each(documents: dict[str, Document]) -> None:
    assert len(documents) == 33
    assert {d.source_format for d in documents.values()} == {"ep-xml"}
    assert sum(1 for d in documents.values() if d.number.kind in ("B1", "B2")) == 14


def test_granted_patent_bibliography(documents: dict[str, Document]) -> None:
    d = documents["grant_v1-5-B1.xml"]
    assert d.number.compact == "EP3404678B1"
    assert d.publication_date == date(2021, 6, 30)
    assert (d.application_number, d.application_date) == ("17171508.9", date(2017, 5, 17))
    assert d.text(TextField.TITLE, "en") == "HIGH VOLTAGE ASSEMBLY AND METHOD TO OPERATE THE HIGH VOLTAGE ASSEMBLY"
    assert d.text(TextField.TITLE, "de") == (
        "HOCHSPANNUNGSANORDNUNG UND VERFAHREN ZUM BETREIBEN DER HOCHSPANNUNGSANORDNUNG"
    )
    assert d.text(TextField.TITLE, "fr") == (
        "ENSEMBLE À HAUTE TENSION ET PROCÉDÉ DE FONCTIONNEMENT DE L'ENSEMBLE À HAUTE TENSION"
    )
    assert d.text(TextField.DESCRIPTION, "en").startswith("FIELD OF THE INVENTION\nThe present invention relates")
    assert d.classifications == [
        Classification(Scheme.IPC, "H01F 27/14", is_main=True),
        Classification(Scheme.IPC, "H01F 27/40"),
    ]
    assert Party(PartyRole.ASSIGNEE, "General Electric Technology GmbH", "CH", 1) in d.parties
    assert Party(PartyRole.INVENTOR, "HARTHUM, Jörg", "DE", 1) in d.parties
    assert Party(PartyRole.AGENT, "Freigutpartners IP Law Firm", "CH", 1) in d.parties


def test_granted_patent_claims_in_three_languages(documents: dict[str, Document]) -> None:
    d = documents["grant_v1-5-B1.xml"]
    assert {lang: sum(1 for c in d.claims if c.lang == lang) for lang in ("en", "de", "fr")} == {
        "en": 12, "de": 12, "fr": 12,
    }
    first = {c.lang: c.text for c in d.claims if c.number == 1}
    assert first["en"].startswith("A high voltage assembly (2) comprising: - a sealed compartment (4)")
    assert first["de"].startswith("Hochspannungsanordnung (2), umfassend:")
    assert first["fr"].startswith("Ensemble haute tension (2) comprenant :")
    english = {c.number: c for c in d.claims if c.lang == "en"}
    assert english[1].is_independent
    assert english[2].depends_on == (1,)  # "according to claim 1"
    assert english[3].depends_on == (1, 2)  # "according to claim 1 or 2"


def test_citations_by_examiner_and_applicant(documents: dict[str, Document]) -> None:
    d = documents["grant_v1-5-B1.xml"]
    examiner = [c.number for c in d.citations if c.cited_by == CitedBy.EXAMINER]
    applicant = [c.number for c in d.citations if c.cited_by == CitedBy.APPLICANT]
    # US2008197955A1 (the EPO's form of US 2008/0197955 A1) in the register's canonical form.
    assert examiner == ["EP3109871A1", "FR84247E", "GB693448A", "US20080197955A1"]
    assert applicant == ["EP3109871A1", "US20080197955A1", "GB693448A"]
    assert [c.sequence for c in d.citations] == list(range(1, 8))

    old = documents["grant_v1-2-B1.xml"]
    assert [c.number for c in old.citations[:3]] == ["EP0367306A", "WO1991006571A", "WO1992004445A"]
    examiner_npl = [c for c in old.citations if c.cited_by == CitedBy.EXAMINER and not c.is_patent]
    assert len(examiner_npl) == 8
    assert examiner_npl[0].text.startswith("CELL vol. 52, 26 February 1988")
    assert sum(1 for c in old.citations if c.cited_by == CitedBy.APPLICANT and not c.is_patent) == 39
    assert len(documents["application_v1-5-1-A2.xml"].citations) == 196


def test_old_dtd_ipc_priority_and_agent(documents: dict[str, Document]) -> None:
    d = documents["application_v1-0-A1.xml"]
    assert d.number.compact == "EP1325900A1"
    assert d.priority_claims == [PriorityClaim("JP", "2000273711", date(2000, 9, 8))]
    assert d.classifications == [  # B511 " 7C 07C  29/44   A", B512
        Classification(Scheme.IPC, "C07C 29/44", is_main=True),
        Classification(Scheme.IPC, "C07C 31/38"),
    ]
    assert d.text(TextField.TITLE, "en") == "PROCESS FOR PRODUCING FLUOROALKANOL"
    assert d.text(TextField.ABSTRACT, "en").startswith("A process for producing a fluoroalkanol")
    assert Party(PartyRole.APPLICANT, "ASAHI GLASS COMPANY LTD.", "JP", 1) in d.parties
    assert Party(PartyRole.AGENT, "Müller-Boré & Partner Patentanwälte", "DE", 1) in d.parties


def test_german_language_application(documents: dict[str, Document]) -> None:
    d = documents["application_v1-1-A1.xml"]
    assert d.number.compact == "EP0000002A1"  # doc-number 0000002, the second EP application ever published
    assert d.publication_date == date(1978, 12, 20)
    assert d.priority_claims == [PriorityClaim("DE", "2724675", date(1977, 6, 1))]
    # num="" in this file: claim numbers come from the ids c-de-0001 ...
    assert [c.number for c in d.claims] == [1, 2, 3, 4, 5, 6]
    assert {c.lang for c in d.claims} == {"de"}
    assert d.text(TextField.ABSTRACT, "de").startswith("Die vorliegende Erfindung betrifft neue Tetrahydrofuran")
    assert Party(PartyRole.APPLICANT, "BAYER AG", "DE", 1) in d.parties


def test_cpc_with_first_position_flag_is_main(documents: dict[str, Document]) -> None:
    d = documents["application_v1-5-1-A1-1.xml"]
    mains = [(c.scheme, c.symbol) for c in d.classifications if c.is_main]
    assert mains == [(Scheme.IPC, "A01B 71/02"), (Scheme.CPC, "F16D 48/06")]
    assert Classification(Scheme.CPC, "F16D 2500/10437") in d.classifications


def test_file_with_bare_angle_bracket_is_recovered(documents: dict[str, Document]) -> None:
    d = documents["application_v1-5-1-A1-2.xml"]  # "<heading><First Embodiment</heading>" in the file
    assert d.number.compact == "EP3889521A1"
    assert d.title == "CONTROL DEVICE AND AIR CONDITIONING DEVICE"
    assert len(d.claims) == 17


def test_truncated_file_is_a_problem(ep_dir: Path, tmp_path: Path) -> None:
    data = (ep_dir / "grant_v1-5-B1.xml").read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: len(data) // 2])
    (result,) = IMPORTER.read(path)
    assert isinstance(result, ImportProblem)
    assert result.field == "file" and "truncated" in result.reason


def test_not_xml_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "notes.xml"
    path.write_text("this is not XML at all\n")
    (result,) = IMPORTER.read(path)
    assert isinstance(result, ImportProblem) and result.field == "file"


def test_invalid_date_names_the_field(ep_dir: Path, tmp_path: Path) -> None:
    data = (ep_dir / "grant_v1-5-B1.xml").read_bytes().replace(b'date-publ="20210630"', b'date-publ="20211350"')
    path = tmp_path / "bad_date.xml"
    path.write_bytes(data)
    (result,) = IMPORTER.read(path)
    assert isinstance(result, ImportProblem)
    assert (result.record, result.field) == ("EP3404678B1", "publication_date")


def test_search_report_citation_category(tmp_path: Path) -> None:
    path = tmp_path / "srep.xml"
    path.write_text(
        '<ep-patent-document id="EP1A1" lang="en" country="EP" doc-number="0000001" kind="A1" date-publ="20200101">'
        "<SDOBI><B200><B210>19000001.1</B210><B220><date>20190101</date></B220></B200></SDOBI>"
        '<search-report-data lang="en"><srep-citations>'
        "<citation><patcit><document-id><country>US</country><doc-number>7654321</doc-number><kind>B2</kind>"
        "</document-id></patcit><category>X</category></citation>"
        "<citation><nplcit><text>SMITH: A paper</text></nplcit><category>A</category></citation>"
        "</srep-citations></search-report-data></ep-patent-document>"
    )
    (d,) = IMPORTER.read(path)
    assert isinstance(d, Document)
    assert [(c.cited_by, c.number, c.text, c.category) for c in d.citations] == [
        (CitedBy.EXAMINER, "US7654321B2", None, "X"),
        (CitedBy.EXAMINER, None, "SMITH: A paper", "A"),
    ]


def test_sniff(ep_dir: Path) -> None:
    head = (ep_dir / "grant_v1-5-B1.xml").read_bytes()[:4096]
    assert IMPORTER.sniff(ep_dir / "grant_v1-5-B1.xml", head)
    assert not IMPORTER.sniff(Path("x.xml"), b'<?xml version="1.0"?><us-patent-grant>')


def test_indexing_ipc_and_claim_ranges(tmp_path: Path) -> None:
    """#13 cases 3 and 7: B513/B517EP indexing symbols are kept; "claims 1 to 3" gives 1, 2 and 3."""
    path = tmp_path / "ranges.xml"
    path.write_text(
        '<ep-patent-document id="EP1A1" lang="en" country="EP" doc-number="0000002" kind="A1" date-publ="20200101">'
        "<SDOBI><B200><B210>19000002.1</B210><B220><date>20190101</date></B220></B200>"
        "<B500><B510><B516>7</B516><B511> 7C 07D 307/12 A</B511><B513>7A 01N 43/08 -</B513>"
        "<B517EP>// A01N43/10</B517EP></B510></B500></SDOBI>"
        '<claims id="claims01" lang="en">'
        '<claim id="c-en-0001" num="0001"><claim-text>A compound.</claim-text></claim>'
        '<claim id="c-en-0002" num="0002"><claim-text>The compound of claim 1, white.</claim-text></claim>'
        '<claim id="c-en-0003" num="0003"><claim-text>The compound of claim 1 or 2, dry.</claim-text></claim>'
        '<claim id="c-en-0004" num="0004"><claim-text>A use of the compound of any one of '
        '<claim-ref idref="c-en-0001">claims 1</claim-ref> to 3.</claim-text></claim>'
        '<claim id="c-en-0005" num="0005"><claim-text>A use of the compound of any preceding claim.</claim-text>'
        "</claim></claims></ep-patent-document>"
    )
    (d,) = IMPORTER.read(path)
    assert isinstance(d, Document)
    assert [c.symbol for c in d.classifications] == ["C07D 307/12", "A01N 43/08", "A01N 43/10"]
    assert {c.number: c.depends_on for c in d.claims} == {1: (), 2: (1,), 3: (1, 2), 4: (1, 2, 3), 5: (1, 2, 3, 4)}
