"""The USPTO full-text XML importer on real documents of every DTD version, and on broken input."""

from __future__ import annotations

import os
import tracemalloc
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipoffice.adapters.importers._common import fold_whitespace
from ipoffice.adapters.importers.base import ImportProblem
from ipoffice.adapters.importers.uspto_xml import UsptoXmlImporter
from ipoffice.adapters.importers.uspto_xml.splitting import parse_only, split_documents
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import CitedBy, Document, PartyRole, RightType, TextField
from ipoffice.domain.numbers import PublicationNumber

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def us_xml() -> Path:
    shared = Path(os.environ.get("IPOFFICE_SHARED", REPO.parent / "shared"))
    folder = shared / "data" / "us_xml"
    if not folder.is_dir():
        pytest.skip(f"shared data not found at {folder} (set IPOFFICE_SHARED)")
    return folder


def read(path: Path) -> tuple[list[Document], list[ImportProblem]]:
    documents: list[Document] = []
    problems: list[ImportProblem] = []
    for record in UsptoXmlImporter().read(path):
        if isinstance(record, ImportProblem):
            problems.append(record)
        else:
            assert isinstance(record, Document)
            documents.append(record)
    return documents, problems


def only(path: Path, number: str | None = None) -> Document:
    documents, problems = read(path)
    assert problems == []
    if number is None:
        assert len(documents) == 1
        return documents[0]
    return next(d for d in documents if d.number.compact == number)


def names(document: Document, role: PartyRole) -> list[str]:
    return [p.name for p in document.parties if p.role == role]


def main_symbol(document: Document, scheme: Scheme) -> str:
    return next(c.symbol for c in document.classifications if c.scheme == scheme and c.is_main)


def cited_by(document: Document) -> Counter[CitedBy]:
    return Counter(c.cited_by for c in document.citations)


# ---- grants --------------------------------------------------------------------------------------


def test_v25_grant_b2(us_xml: Path) -> None:
    doc = only(us_xml / "go_uspto/grant_v2-5-B2.xml")
    assert doc.number == PublicationNumber("US", "6530116", "B2")
    assert doc.right_type == RightType.INVENTION
    assert (doc.publication_date, doc.application_number, doc.application_date) == (
        date(2003, 3, 11), "09782496", date(2001, 2, 13))
    assert doc.title == "Vacuum cleaner with muffled detachable blower exhaust"
    assert len(doc.claims) == 20
    assert doc.claims[0].text.startswith("A vacuum cleaner comprising: a housing having a housing passage")
    assert doc.claims[1].depends_on == (1,)
    assert doc.claims[1].text.startswith("The vacuum cleaner according to claim 1, wherein the housing")
    assert main_symbol(doc, Scheme.IPC) == "A47L 5/14"  # "A47L  514" in the file
    assert names(doc, PartyRole.INVENTOR) == ["Robert C. Berfield", "Ronald Griffin", "Craig Seasholtz"]
    assert names(doc, PartyRole.ASSIGNEE) == ["Shop Vac Corporation"]
    assert cited_by(doc) == {CitedBy.EXAMINER: 7, CitedBy.UNKNOWN: 30}  # 33 patents + 4 NPL
    assert doc.citations[0].number == "US2276844A"
    assert doc.citations[0].date == date(1942, 3, 1)  # "19420300": month precision
    assert doc.citations[-1].text == "Photographs (4) of vacuum cleaner wooden model (Apr. 1999)."
    description = doc.text(TextField.DESCRIPTION) or ""
    assert description.startswith("FIELD OF THE INVENTION\nThe present invention is directed to a vacuum cleaner")
    assert doc.source_format == "uspto-xml"
    assert doc.languages == ["en"]


def test_v25_grant_b1_with_foreign_priority_and_citations(us_xml: Path) -> None:
    doc = only(us_xml / "go_uspto/grant_v2-5-B1.xml")
    assert doc.number.compact == "US6334226B1"
    assert doc.publication_date == date(2002, 1, 1)
    assert len(doc.claims) == 31
    assert doc.claims[0].text.startswith("A faucet support member configured to releasably f")
    assert main_symbol(doc, Scheme.IPC) == "E03C 1/04"
    assert [(p.country, p.number, p.date) for p in doc.priority_claims][0] == ("JP", "9-290033", date(1997, 10, 22))
    assert names(doc, PartyRole.ASSIGNEE) == ["Toto Ltd."]
    assert names(doc, PartyRole.AGENT) == ["Pillsbury Winthrop LLP"]
    assert [p.country for p in doc.parties if p.role == PartyRole.INVENTOR] == ["JP", "JP", "JP"]
    assert cited_by(doc) == {CitedBy.EXAMINER: 10, CitedBy.UNKNOWN: 4}
    assert {c.country for c in doc.citations} >= {"US", "DE", "EP"}


def test_v25_design_s1(us_xml: Path) -> None:
    doc = only(us_xml / "go_uspto/grant_v2-5-S1.xml")
    assert doc.number.compact == "USD452599S1"
    assert doc.right_type == RightType.DESIGN
    assert doc.application_number == "29129833"
    assert [c.text for c in doc.claims] == [
        "The ornamental design for a confection item in the form of a tied braid, as shown and described."]
    # B511 "0101" is the Locarno class, not IPC; B521 "D 1106" the US class D1, subclass 106
    assert [(c.scheme, c.symbol, c.is_main) for c in doc.classifications] == [
        (Scheme.LOCARNO, "01-01", True), (Scheme.USPC, "D1/106", True)]
    assert names(doc, PartyRole.INVENTOR) == ["Ute Rossi-Wolter"]
    assert doc.priority_claims[0].country == "DE"
    assert cited_by(doc) == {CitedBy.EXAMINER: 4}
    assert "Anness Publishing" in (doc.citations[-1].text or "")


def test_v40_grant(us_xml: Path) -> None:
    doc = only(us_xml / "go_uspto/grant_v4-0-B2.xml")
    assert doc.number.compact == "US6857133B2"
    assert (doc.publication_date, doc.application_date) == (date(2005, 2, 22), date(2002, 5, 7))
    assert len(doc.claims) == 6
    assert doc.claims[0].text.startswith("A method for producing a water-resistant unit, comprising")
    assert main_symbol(doc, Scheme.IPC) == "A41D 13/00"
    # v4.0 lists inventors only as applicants of app-type "applicant-inventor"
    assert names(doc, PartyRole.APPLICANT) == names(doc, PartyRole.INVENTOR) == ["David V. Reynolds"]
    assert names(doc, PartyRole.AGENT) == ["Tod R. Nissle, P.C."]
    assert cited_by(doc) == {CitedBy.EXAMINER: 8}


def test_v40_grant_in_weekly_file(us_xml: Path) -> None:
    doc = only(us_xml / "patentsview_db/ipg050104.small.xml", "US6837086B2")
    assert doc.title == "Hot isostatic pressing method and apparatus"
    assert main_symbol(doc, Scheme.IPC) == "B21D 26/02"
    assert names(doc, PartyRole.ASSIGNEE) == ["Kobe Steel, Ltd."]
    assert [(p.country, p.number, p.date) for p in doc.priority_claims] == [("JP", "2002-156293", date(2002, 5, 29))]
    assert len(doc.claims) == 11
    assert doc.citations[-1].country == "JP" and doc.citations[-1].number == "JP0723484"  # JP 7-23484


def test_v41_design_grant(us_xml: Path) -> None:
    doc = only(us_xml / "patentsview_db/ipg060103.small.xml", "USD513425S1")
    assert doc.right_type == RightType.DESIGN
    assert doc.title == "Skateboard"
    assert names(doc, PartyRole.INVENTOR) == ["Harald Kohl"]
    assert doc.parties[0].country == "FR"
    assert cited_by(doc) == {CitedBy.EXAMINER: 6}


def test_v42_design_grant(us_xml: Path) -> None:
    doc = only(us_xml / "patentsview_db/ipg120327.one.xml")
    assert doc.number == PublicationNumber("US", "D656296", "S1")
    assert doc.right_type == RightType.DESIGN
    assert (doc.publication_date, doc.application_date) == (date(2012, 3, 27), date(2010, 12, 16))
    assert doc.title == "Ready to eat snack piece"  # split over two lines in the file
    assert doc.claims[0].text == "The ornamental design for a ready to eat snack piece, as shown and described."
    assert names(doc, PartyRole.ASSIGNEE) == ["Frito-Lay North America, Inc."]
    assert names(doc, PartyRole.INVENTOR) == ["Nicole Cavin", "Divya Paruchuri", "Michael Zbuchalski"]
    assert cited_by(doc) == {CitedBy.EXAMINER: 40, CitedBy.UNKNOWN: 2}  # "cited by other"
    assert sum(1 for c in doc.citations if c.text) == 6


def test_v43_grant_with_applicant_citations(us_xml: Path) -> None:
    doc = only(us_xml / "patentsview_db/ipg130416.small.xml", "USD680087S1")
    assert doc.publication_date == date(2013, 4, 16)
    assert names(doc, PartyRole.ASSIGNEE) == ["Sharp Kabushiki Kaisha"]
    assert cited_by(doc) == {CitedBy.APPLICANT: 77, CitedBy.EXAMINER: 9}
    assert doc.claims[0].text == "The ornamental design for “television set,” as shown and described."


def test_v45_grant(us_xml: Path) -> None:
    doc = only(us_xml / "go_uspto/grant_v4-5-B1.xml")
    assert doc.number.compact == "US9358892B1"
    assert (doc.publication_date, doc.application_number) == (date(2016, 6, 7), "14558596")
    assert len(doc.claims) == 20
    assert doc.claims[0].text.startswith("A pre-charging system for improving reverse direction hill climb")
    assert main_symbol(doc, Scheme.IPC) == "B60L 9/00"
    assert main_symbol(doc, Scheme.CPC) == "B60L 11/1809"
    assert "B60K 2350/1076" in {c.symbol for c in doc.classifications if c.scheme == Scheme.CPC}
    company = "Toyota Motor Engineering & Manufacturing North America, Inc."
    assert names(doc, PartyRole.APPLICANT) == names(doc, PartyRole.ASSIGNEE) == [company]
    assert [(p.name, p.country) for p in doc.parties if p.role == PartyRole.INVENTOR] == [
        ("Geoffrey D. Gaither", "JP")]
    assert cited_by(doc) == {CitedBy.APPLICANT: 14, CitedBy.EXAMINER: 14}
    assert doc.citations[-1].text is not None and doc.citations[-1].text.startswith("Modeling of a Series Hybrid")


def test_v45_grant_claim_dependencies(us_xml: Path) -> None:
    doc = only(us_xml / "go_uspto/grant_v4-5-B2.xml")
    assert doc.number.compact == "US11147202B2"
    assert main_symbol(doc, Scheme.CPC) == "A01B 1/243"
    assert [c.number for c in doc.claims] == list(range(1, 10))
    assert doc.claims[0].is_independent and all(c.depends_on for c in doc.claims[1:] if "of claim" in c.text)
    assert names(doc, PartyRole.AGENT) == ["Kenneth H. Jack", "Davis & Jack, LLC"]
    assert cited_by(doc) == {CitedBy.APPLICANT: 27, CitedBy.EXAMINER: 14}


# ---- applications --------------------------------------------------------------------------------


def test_v15_application(us_xml: Path) -> None:
    doc = only(us_xml / "go_uspto/application_v1-5-A1_2.xml")
    assert doc.number.compact == "US20010000002A1"
    assert (doc.publication_date, doc.application_number, doc.application_date) == (
        date(2001, 3, 15), "09726341", date(2000, 12, 1))
    assert len(doc.claims) == 33
    assert doc.claims[2].text.startswith("The process of claim 2, further comprising: determining that")
    assert doc.claims[2].depends_on == (2,)
    assert "about ⅕ of the width of a headbox and about ½ an inside width" in doc.claims[7].text  # &frac15;
    assert main_symbol(doc, Scheme.IPC) == "D21C 11/12"
    assert names(doc, PartyRole.INVENTOR)[0] == "Wolfgang Ruf"
    assert [(p.country, p.number, p.date) for p in doc.priority_claims] == [("DE", "197 33 454", date(1997, 8, 2))]
    assert doc.citations == []


def test_v16_application(us_xml: Path) -> None:
    doc = only(us_xml / "patentsview_db/pa040101.two.xml")
    assert doc.number.compact == "US20040000002A1"
    assert doc.title == "Garment for preventing muscle strain"
    assert doc.claims[0].text.startswith("A garment for releasably securing a user's hands")
    assert main_symbol(doc, Scheme.IPC) == "A41B 1/00"
    assert names(doc, PartyRole.ASSIGNEE) == ["Hill-Rom Services, Inc."]


def test_v40_application_without_xml_declaration(us_xml: Path) -> None:
    doc = only(us_xml / "go_uspto/application_v4-0-A1.xml")
    assert doc.number.compact == "US20050000001A1"
    assert doc.title == "Novelty jeans"
    assert main_symbol(doc, Scheme.IPC) == "A41D 1/06"  # "A41D001/06"


def test_v40_a2_application(us_xml: Path) -> None:
    doc = only(us_xml / "go_uspto/application_v4-0-A2_1.xml")
    assert doc.number.compact == "US20050004655A2"
    assert [(p.country, p.number, p.date) for p in doc.priority_claims] == [("DE", "19840645.2", date(1998, 9, 5))]
    assert names(doc, PartyRole.ASSIGNEE) == ["Abbott Labortories Vascular Enterprises Limited"]


def test_v43_applications(us_xml: Path) -> None:
    documents, problems = read(us_xml / "patentsview_db/ipa130117.one.xml")
    assert problems == []
    assert [d.number.compact for d in documents] == ["US20130014308A1", "US20130014306A1"]
    assert documents[0].title == "TYPING-MATE"
    assert len(documents[1].claims) == 14


def test_v44_and_v45_applications(us_xml: Path) -> None:
    v44 = only(us_xml / "go_uspto/application_v4-4-A1.xml")
    assert v44.number.compact == "US20210267109A1"
    assert v44.application_date == date(2021, 2, 11)
    assert v44.claims[0].text.startswith("An apparatus to clean a surface with debris comprising")
    assert names(v44, PartyRole.INVENTOR) == ["Daniel O'Keefe"]
    v45 = only(us_xml / "go_uspto/application_v4-5-A2.xml")
    assert v45.number.compact == "US20220160114A2"
    assert main_symbol(v45, Scheme.CPC) == "A45F 3/047"
    assert [(p.name, p.country) for p in v45.parties if p.role == PartyRole.APPLICANT] == [("BEVIS GEAR INC.", "CA")]


# ---- files as a whole ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ipg120327.196.xml", "ipg120327.18.xml", "ipg060103.small.xml",
                                  "ipg130416.small.xml", "go:test-data_test.xml"])
def test_concatenated_files_yield_every_document(us_xml: Path, name: str) -> None:
    path = us_xml / "go_uspto" / name[3:] if name.startswith("go:") else us_xml / "patentsview_db" / name
    raw = path.read_bytes()
    sequence_listings = raw.count(b"<!DOCTYPE sequence-cwu")  # ride along, are not publications
    documents, problems = read(path)
    assert problems == []
    assert len(documents) == raw.count(b"<?xml") - sequence_listings
    assert len({d.number.compact for d in documents}) == len(documents)


def test_whole_shared_folder(us_xml: Path) -> None:
    documents: list[Document] = []
    problems: list[ImportProblem] = []
    for path in sorted(us_xml.glob("*/*.xml")):
        found, wrong = read(path)
        documents += found
        problems += wrong
    assert len(documents) == 515
    # the only file that is not a patent document: a toy <a><b><c> file of the PatentsView tests
    assert [(Path(p.file).name, p.record) for p in problems] == [("basic.xml", "document 1")]
    assert "root element <a>" in problems[0].reason


def test_parse_only_counts_documents(us_xml: Path) -> None:
    assert parse_only(us_xml / "patentsview_db/ipg120327.196.xml") == 196
    assert parse_only(us_xml / "patentsview_db/ipg060103.small.xml") == 27  # 25 grants + 2 sequence listings


def test_sniff(us_xml: Path, tmp_path: Path) -> None:
    importer = UsptoXmlImporter()
    for name in ("go_uspto/grant_v2-5-S1.xml", "go_uspto/application_v1-5-A1_1.xml",
                 "patentsview_db/ipg120327.two.xml", "go_uspto/application_v4-0-A1.xml"):
        path = us_xml / name
        assert importer.sniff(path, path.read_bytes()[:4096]), name
    assert not importer.sniff(us_xml / "patentsview_db/basic.xml", (us_xml / "patentsview_db/basic.xml").read_bytes())
    assert not importer.sniff(tmp_path / "x.xml", b'<?xml version="1.0"?>\n<ep-patent-document lang="en">')


# ---- broken input --------------------------------------------------------------------------------


def _documents_of(path: Path) -> list[bytes]:
    return [raw.data for raw in split_documents(path)]


def test_malformed_document_is_reported_and_neighbours_survive(us_xml: Path, tmp_path: Path) -> None:
    first, second = _documents_of(us_xml / "patentsview_db/ipg120327.two.xml")
    broken = first.replace(b"</invention-title>", b"</invention-titel>", 1)
    path = tmp_path / "broken.xml"
    path.write_bytes(first + broken + second)
    documents, problems = read(path)
    assert len(documents) == 2
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file == str(path)
    assert problem.record == documents[0].number.compact  # the number is read from the raw bytes
    assert "malformed XML at line" in problem.reason and "invention-titel" in problem.reason


def test_unparsable_document_without_number_is_named_by_position(tmp_path: Path) -> None:
    path = tmp_path / "junk.xml"
    path.write_bytes(b'<?xml version="1.0"?>\n<us-patent-grant><oops></us-patent-grant>\n'
                     b'<?xml version="1.0"?>\n<us-patent-grant><b></c></us-patent-grant>\n')
    _, problems = read(path)
    assert [p.record for p in problems] == ["document 1", "document 2"]


def test_invalid_date_names_the_field(us_xml: Path, tmp_path: Path) -> None:
    first, second = _documents_of(us_xml / "patentsview_db/ipg120327.two.xml")
    bad = first.replace(b"<date>20120327</date>", b"<date>20121327</date>", 1)
    path = tmp_path / "dates.xml"
    path.write_bytes(bad + second)
    documents, problems = read(path)
    assert len(documents) == 1
    assert len(problems) == 1
    assert problems[0].field == "publication_date"
    assert problems[0].record is not None and problems[0].record.startswith("US")
    assert "20121327" in str(problems[0])


def test_bad_classification_is_reported_and_document_kept(us_xml: Path, tmp_path: Path) -> None:
    (grant,) = _documents_of(us_xml / "go_uspto/grant_v4-0-B2.xml")
    path = tmp_path / "ipc.xml"
    path.write_bytes(grant.replace(b"A41D013/00", b"ZZ9 nonsense", 1))
    documents, problems = read(path)
    assert [d.number.compact for d in documents] == ["US6857133B2"]
    assert documents[0].claims and documents[0].title
    assert [(p.record, p.field) for p in problems] == [("US6857133B2", "classification.ipc")]
    assert "ZZ9 nonsense" in problems[0].reason


def test_truncated_file(us_xml: Path, tmp_path: Path) -> None:
    first, second = _documents_of(us_xml / "patentsview_db/ipg120327.two.xml")
    path = tmp_path / "truncated.xml"
    path.write_bytes(first + second[: len(second) // 2])
    documents, problems = read(path)
    assert len(documents) == 1
    assert len(problems) == 1
    assert problems[0].reason.startswith("the file is truncated: its last document has no closing </us-patent-grant>")
    assert problems[0].record is not None and problems[0].record.startswith("US")


def test_non_xml_and_empty_files(tmp_path: Path) -> None:
    csv = tmp_path / "patents.csv"
    csv.write_text("patent_number,title\n7654321,Widget\n")
    documents, problems = read(csv)
    assert documents == []
    assert [(p.file, p.record, p.field) for p in problems] == [(str(csv), None, None)]
    assert problems[0].reason.startswith("not an XML file")
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"\n\n")
    assert [p.reason for p in read(empty)[1]] == ["the file is empty"]


def test_unknown_entity_is_kept_as_text(us_xml: Path, tmp_path: Path) -> None:
    (grant,) = _documents_of(us_xml / "go_uspto/grant_v4-0-B2.xml")
    path = tmp_path / "entities.xml"
    path.write_bytes(grant.replace(b"water resistant cover", b"water &mdash; &lgr; &unknownthing; cover", 1))
    doc = only(path)
    assert doc.title == "Method and apparatus for manufacturing and installing water — λ &unknownthing; cover on a limb"


def test_large_concatenated_file_streams(us_xml: Path, tmp_path: Path) -> None:
    (one,) = _documents_of(us_xml / "patentsview_db/ipg120327.one.xml")
    path = tmp_path / "weekly.xml"
    with path.open("wb") as out:
        for _ in range(200):
            out.write(one)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = sum(1 for record in UsptoXmlImporter().read(path) if isinstance(record, Document))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200
    # One document at a time: the peak is a few documents' worth, not the 7 MB file.
    assert peak < size / 10, (peak, size)


# Characters XML 1.0 allows (the C0 controls other than tab, newline and carriage return do not occur).
_XML_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=[
    chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]), max_size=30)


@given(_XML_TEXT | st.lists(st.sampled_from(["a", " ", "  ", "\n", "\xa0", "\u2009", "µ", "\u3000", "x y"]),
                            max_size=8).map("".join))
def test_folding_a_paragraph_is_splitting_it_into_words_and_joining_them(text: str) -> None:
    assert fold_whitespace(text) == " ".join(text.split())


# ---- #13 case 3: a range of claims, tagged only at its first claim -------------------------------

_V4_RANGE_CLAIMS = """<?xml version="1.0" encoding="UTF-8"?>
<us-patent-grant lang="EN" dtd-version="v4.2 2006-08-23" id="us-patent-grant" country="US">
<us-bibliographic-data-grant>
<publication-reference><document-id><country>US</country><doc-number>07990001</doc-number><kind>B2</kind>
<date>20110104</date></document-id></publication-reference>
<application-reference appl-type="utility"><document-id><country>US</country><doc-number>12990001</doc-number>
<date>20080102</date></document-id></application-reference>
<invention-title id="t">Invented widget</invention-title>
</us-bibliographic-data-grant>
<claims id="claims">
<claim id="CLM-00001" num="00001"><claim-text>1. A widget.</claim-text></claim>
<claim id="CLM-00002" num="00002">
<claim-text>2. The widget of
<claim-ref idref="CLM-00001">claim 1</claim-ref>, red.</claim-text></claim>
<claim id="CLM-00003" num="00003">
<claim-text>3. The widget of
<claim-ref idref="CLM-00001">claim 1</claim-ref>, blue.</claim-text></claim>
<claim id="CLM-00004" num="00004">
<claim-text>4. The widget of
<claim-ref idref="CLM-00001">claim 1</claim-ref>, big.</claim-text></claim>
<claim id="CLM-00005" num="00005">
<claim-text>5. The widget of any one of
<claim-ref idref="CLM-00002">claims 2</claim-ref> through <b>4</b>, steel.</claim-text></claim>
<claim id="CLM-00006" num="00006">
<claim-text>6. The widget of any one of
<claim-ref idref="CLM-00002">claims 2</claim-ref>-<b>4</b>, brass.</claim-text></claim>
<claim id="CLM-00007" num="00007">
<claim-text>7. The widget of
<claim-ref idref="CLM-00002">claims 2</claim-ref> to 3 or
<claim-ref idref="CLM-00005">5</claim-ref>.</claim-text></claim>
<claim id="CLM-00008" num="00008"><claim-text>8. The widget of any preceding claim, wooden.</claim-text></claim>
<claim id="CLM-00009" num="00009"><claim-text>9. The widget of claims 1, 3 or 5, untagged.</claim-text></claim>
</claims>
</us-patent-grant>
"""


def test_v4_claim_ranges_give_every_claim_of_the_range(tmp_path: Path) -> None:
    path = tmp_path / "range.xml"
    path.write_text(_V4_RANGE_CLAIMS, encoding="utf-8")
    documents, problems = read(path)
    assert not problems
    depends = {c.number: c.depends_on for c in documents[0].claims}
    assert depends == {1: (), 2: (1,), 3: (1,), 4: (1,), 5: (2, 3, 4), 6: (2, 3, 4), 7: (2, 3, 5),
                       8: (1, 2, 3, 4, 5, 6, 7), 9: (1, 3, 5)}


_V25_RANGE_CLAIMS = """<?xml version="1.0" encoding="UTF-8"?>
<PATDOC DTD="2.5" STATUS="Build 20020101">
<SDOBI><B100><B110><DNUM><PDAT>06990002</PDAT></DNUM></B110><B130><PDAT>B2</PDAT></B130>
<B140><DATE><PDAT>20030107</PDAT></DATE></B140><B190><PDAT>US</PDAT></B190></B100>
<B200><B210><DNUM><PDAT>09990002</PDAT></DNUM></B210><B220><DATE><PDAT>20010101</PDAT></DATE></B220></B200>
<B500><B540><STEXT><PDAT>Invented gadget</PDAT></STEXT></B540></B500></SDOBI>
<SDOCL><CL>
<CLM ID="CLM-00001"><PARA ID="P-00001"><PTEXT><PDAT>1. A gadget.</PDAT></PTEXT></PARA></CLM>
<CLM ID="CLM-00002">
<PARA ID="P-00002"><PTEXT><PDAT>2. The gadget of </PDAT>
<CLREF ID="CLM-00001"><PDAT>claim 1</PDAT></CLREF><PDAT>, red.</PDAT></PTEXT></PARA></CLM>
<CLM ID="CLM-00003">
<PARA ID="P-00003"><PTEXT><PDAT>3. The gadget of </PDAT>
<CLREF ID="CLM-00001"><PDAT>claim 1</PDAT></CLREF><PDAT>, blue.</PDAT></PTEXT></PARA></CLM>
<CLM ID="CLM-00004">
<PARA ID="P-00004"><PTEXT><PDAT>4. The gadget of any of </PDAT>
<CLREF ID="CLM-00001"><PDAT>claims 1</PDAT></CLREF><PDAT> to 3, green.</PDAT></PTEXT></PARA></CLM>
</CL></SDOCL>
</PATDOC>
"""


def test_v25_claim_ranges_give_every_claim_of_the_range(tmp_path: Path) -> None:
    path = tmp_path / "range25.xml"
    path.write_text(_V25_RANGE_CLAIMS, encoding="utf-8")
    documents, problems = read(path)
    assert documents, problems
    assert {c.number: c.depends_on for c in documents[0].claims} == {1: (), 2: (1,), 3: (1,), 4: (1, 2, 3)}


def test_shared_case_claims_range(us_xml: Path) -> None:
    """The bug report's file (#13 case 3): claims 5 and 6 depend on 2, 3 and 4."""
    path = us_xml.parents[1] / "cases" / "2026-11-30" / "claims_range.xml"
    if not path.exists():
        pytest.skip(f"{path} not found (set IPOFFICE_SHARED)")
    claims = {c.number: c.depends_on for c in only(path).claims}
    assert claims[5] == (2, 3, 4) and claims[6] == (2, 3, 4)


# ---- #13 case 7: Locarno and USPC kept, an unknown scheme reported ------------------------------

_V4_DESIGN_CLASSES = """<?xml version="1.0" encoding="UTF-8"?>
<us-patent-grant lang="EN" dtd-version="v4.5 2014-04-03" id="us-patent-grant" country="US">
<us-bibliographic-data-grant>
<publication-reference><document-id><country>US</country><doc-number>D0990001</doc-number><kind>S1</kind>
<date>20240102</date></document-id></publication-reference>
<application-reference appl-type="design"><document-id><country>US</country><doc-number>29990001</doc-number>
<date>20220301</date></document-id></application-reference>
<classification-locarno><edition>14</edition><main-classification>0201</main-classification></classification-locarno>
<classification-national><country>US</country><main-classification>D 2700</main-classification>
<further-classification>  2322</further-classification><further-classification>424 941</further-classification>
</classification-national>
<classification-national><country>JP</country><main-classification>B5-123</main-classification>
</classification-national>
<classification-fterm><main-classification>2B030</main-classification></classification-fterm>
<invention-title id="t">Invented hat</invention-title>
</us-bibliographic-data-grant>
<claims id="claims"><claim id="CLM-00001" num="00001"><claim-text>The ornamental design for a hat.</claim-text>
</claim></claims>
</us-patent-grant>
"""


def test_v4_locarno_and_uspc_are_kept_and_unknown_schemes_reported(tmp_path: Path) -> None:
    path = tmp_path / "design.xml"
    path.write_text(_V4_DESIGN_CLASSES, encoding="utf-8")
    documents, problems = read(path)
    assert [(c.scheme, c.symbol, c.is_main) for c in documents[0].classifications] == [
        (Scheme.LOCARNO, "02-01", True), (Scheme.USPC, "D2/700", True), (Scheme.USPC, "2/322", False),
        (Scheme.USPC, "424/94.1", False)]
    reasons = sorted(p.reason for p in problems)
    assert len(reasons) == 2
    assert "classification-fterm" in reasons[0] and "unknown classification scheme" in reasons[0]
    assert "JP" in reasons[1] and "unknown classification scheme" in reasons[1]


def test_shared_case_design_locarno_uspc(us_xml: Path) -> None:
    """The bug report's file (#13 case 7): a design with Locarno and USPC, a utility patent with USPC."""
    path = us_xml.parents[1] / "cases" / "2026-11-30" / "design_locarno_uspc.xml"
    if not path.exists():
        pytest.skip(f"{path} not found (set IPOFFICE_SHARED)")
    documents, problems = read(path)
    assert not problems
    symbols = {d.number.compact: [(c.scheme, c.symbol) for c in d.classifications] for d in documents}
    assert symbols == {"USD999001S1": [(Scheme.LOCARNO, "02-01"), (Scheme.USPC, "D2/700")],
                       "US7000002B2": [(Scheme.IPC, "A41D 13/00"), (Scheme.USPC, "2/322")]}


def test_every_design_in_the_shared_data_has_a_classification(us_xml: Path) -> None:
    designs = [d for path in sorted(us_xml.rglob("*.xml")) for d in read(path)[0] if d.right_type == RightType.DESIGN]
    assert designs
    assert all(d.classifications for d in designs), [d.number.compact for d in designs if not d.classifications]
