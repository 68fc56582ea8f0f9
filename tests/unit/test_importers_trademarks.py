"""The ST.66 and TMBRAND readers on the 22 real trademark records of ../shared (each record's number, mark,
classes, status and events against the file), the ST.66 round trip (import, export, re-import: every kept
field equal), and variants: bad fields named per record, the file going on."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from ipoffice.adapters.importers import IMPORTERS, ImportProblem, detect_format
from ipoffice.adapters.importers.base import ImportNote
from ipoffice.adapters.st66_export import write_transaction
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import Document, PartyRole, RightType
from ipoffice.domain.trademark import MarkTextKind

from .trademark_files import EXPECTED, ST66_FILES, TMBRAND_FILES, trademark_dir


def read(path: Path, fmt: str | None = None) -> tuple[list[Document], list[ImportProblem], list[ImportNote]]:
    fmt = fmt or detect_format(path)
    assert fmt is not None, f"{path.name}: format not recognised"
    out = list(IMPORTERS[fmt].read(path))
    return ([r for r in out if isinstance(r, Document)], [r for r in out if isinstance(r, ImportProblem)],
            [r for r in out if isinstance(r, ImportNote)])


@pytest.fixture(scope="module")
def folder(data_dir: Path) -> Path:
    return trademark_dir(data_dir)


def test_every_file_is_recognised_by_content(folder: Path) -> None:
    formats = {path.name: detect_format(path) for path in sorted(folder.glob("*.xml"))}
    assert set(formats) == set(EXPECTED)
    assert {formats[n] for n in ST66_FILES} == {"st66-xml"}
    assert {formats[n] for n in TMBRAND_FILES} == {"tmbrand-xml"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_record_against_its_file(folder: Path, name: str) -> None:
    docs, problems, _ = read(folder / name)
    assert problems == []
    assert len(docs) == 1
    doc, want = docs[0], EXPECTED[name]
    assert doc.right_type == RightType.TRADEMARK
    assert doc.number.compact == want.key
    assert doc.application_number == want.application_number
    assert doc.mark_text == want.mark
    assert tuple(g.nice_class for g in doc.goods_and_services) == want.classes
    assert doc.mark is not None
    assert doc.mark.status_text == want.status_text
    assert (doc.mark.status.value if doc.mark.status else None) == want.status
    assert tuple((e.code, e.date) for e in doc.legal_events) == want.events
    assert tuple(c.symbol for c in doc.classifications if c.scheme == Scheme.VIENNA) == want.vienna
    assert doc.mark.registration_number == want.registration_number
    assert (doc.mark.feature.value if doc.mark.feature else None) == want.feature
    assert any(p.role == PartyRole.APPLICANT for p in doc.parties)


def test_st66_details_of_one_record(folder: Path) -> None:
    doc = read(folder / "mytm_example.xml")[0][0]
    assert doc.mark is not None
    assert doc.mark.feature_text == "COMBINED"  # the office's wording, the ST.66 value beside it
    assert doc.mark.kind_of_mark == "TRADE MARK"
    assert [x.text for x in doc.mark.texts_of(MarkTextKind.DISCLAIMER)] == [
        "REGISTRATION OF THIS TRADE MARK SHALL GIVE NO RIGHT TO THE EXCLUSIVE USE OF THE LETTER 'P'."]
    assert [(p.country, p.number, p.date) for p in doc.priority_claims] == [("US", "85651317", date(2012, 6, 13))]
    agent = next(p for p in doc.parties if p.role == PartyRole.AGENT)
    assert (agent.name, agent.country) == ("Indran A/L Shanmuganathan", "MY")
    assert agent.address and agent.address.startswith("Shearn Delamore & Co.")
    assert (doc.mark.expiry_date, doc.mark.status_date) == (date(2022, 6, 13), date(2019, 2, 7))
    assert doc.goods_and_services[0].lang == "en"
    registered = doc.legal_events[0]
    assert (registered.office_code, registered.description) == ("11", "Registration: Registered")


def test_translation_colour_claim_and_placeholders(folder: Path) -> None:
    doc = read(folder / "idtm_unicode.xml")[0][0]
    assert doc.mark is not None
    assert [x.text for x in doc.mark.texts_of(MarkTextKind.TRANSLATION)] == ["merupakan suatu penamaan"]
    assert [(x.text, x.lang) for x in doc.mark.texts_of(MarkTextKind.COLOUR_CLAIM)] == [("Hitam, putih", "id")]
    assert doc.mark.texts_of(MarkTextKind.DISCLAIMER) == []  # "-": the office's "none"
    assert [p.lang for p in doc.parties if p.role == PartyRole.APPLICANT] == ["id", "en"]  # a name line each


def test_a_publication_before_filing_is_kept_with_a_note(folder: Path) -> None:
    docs, _, notes = read(folder / "altm_altm.xml")
    assert docs[0].publication_date is None
    assert docs[0].mark is not None
    assert [(p.text, p.date) for p in docs[0].mark.publications] == [("007650", date(1900, 1, 1))]
    assert len(notes) == 1 and "1900-01-01" in notes[0].message


def test_tmbrand_details(folder: Path) -> None:
    doc = read(folder / "iltm_eventdata.xml")[0][0]
    assert doc.mark is not None
    assert [(x.lang, x.text) for x in doc.mark.texts_of(MarkTextKind.VERBAL)] == [
        ("he", "הרווח כולו שלכם"), ("en", "Benefit")]
    assert [x.text for x in doc.mark.texts_of(MarkTextKind.TRANSLITERATION)] == ["HAREVAH KOLO SHLACHIM"]
    assert [(g.nice_class, g.lang) for g in doc.goods_and_services][:2] == [(9, "he"), (9, "en")]
    assert [(p.role, p.lang) for p in doc.parties] == [
        (PartyRole.APPLICANT, "he"), (PartyRole.APPLICANT, "en"), (PartyRole.AGENT, "he"), (PartyRole.AGENT, "en")]
    assert doc.parties[1].address == "1 Montefiori Street, Tel Aviv, Israel"
    assert doc.mark.registration_number is None  # pending: the application number is no registration yet
    base = read(folder / "iltm_international.xml")[0][0].mark
    assert base is not None and base.international_number == "1466954"
    assert [x.text for x in base.texts_of(MarkTextKind.INTERNATIONALITY)] == ["Base for International"]
    collective = read(folder / "iltm_collcert.xml")[0][0]
    assert collective.mark is not None
    assert collective.mark.kind_of_mark == "Collective/Certification mark"
    assert collective.mark.international_number == "1161423"
    assert [x.text for x in collective.mark.texts_of(MarkTextKind.COLOUR_CLAIM)] == [
        "The mark is limited to the colours Red, green, black, white. as shown in the mark."]
    opposition = read(folder / "iltm_opposition.xml")[0][0]
    assert opposition.mark is not None
    assert [x.text for x in opposition.mark.texts_of(MarkTextKind.STATUS_REASON)] == ["אי תשלום"]
    assert opposition.legal_events[-1].description == "closed 2002-11-12"
    limitations = read(folder / "iltm_cancellations.xml")[0][0].mark
    assert limitations is not None and len(limitations.texts_of(MarkTextKind.LIMITATION)) == 2


def _kept(doc: Document) -> dict[str, object]:
    """Every field the register keeps of a mark, as compared after a round trip; the office's own wording
    of the feature is not in ST.66 (its ST.66 value is)."""
    fields = {f.name: getattr(doc, f.name) for f in dataclasses.fields(doc) if f.name not in ("mark", "source_format")}
    assert doc.mark is not None
    fields["mark"] = dataclasses.replace(doc.mark, feature_text=None)
    return fields


@pytest.mark.parametrize("name", ST66_FILES)
def test_st66_round_trip(folder: Path, name: str, tmp_path: Path) -> None:
    original = read(folder / name)[0]
    exported = tmp_path / "export.xml"
    with exported.open("wb") as out:
        assert write_transaction(original, out) == 1
    again, problems, _ = read(exported)
    assert problems == []
    assert [_kept(d) for d in again] == [_kept(d) for d in original]


def test_every_tmbrand_record_exports_and_reads_back(folder: Path, tmp_path: Path) -> None:
    """TMBRAND records written as ST.66: what ST.66 has room for comes back (limitations and the reason for
    closure have no ST.66 element)."""
    records = [read(folder / name)[0][0] for name in TMBRAND_FILES]
    exported = tmp_path / "il.xml"
    with exported.open("wb") as out:
        write_transaction(records, out)
    again, problems, _ = read(exported)
    assert problems == []
    dropped = {MarkTextKind.LIMITATION, MarkTextKind.STATUS_REASON, MarkTextKind.INTERNATIONALITY}
    for before, after in zip(records, again, strict=True):
        assert before.mark is not None
        want = dataclasses.replace(before.mark, texts=tuple(x for x in before.mark.texts if x.kind not in dropped))
        assert after.mark == want
        # Every other field too: number, dates, goods per language, events, Vienna codes, and the applicants and
        # agents with their address in each language (the English name once came back with the Hebrew address).
        assert {k: v for k, v in _kept(after).items() if k != "mark"} == {
            k: v for k, v in _kept(before).items() if k != "mark"}
    # The case is there: a party whose address differs between its name lines' languages.
    assert any(len({p.address for p in r.parties if (p.role, p.sequence) == (q.role, q.sequence)}) > 1
               for r in records for q in r.parties)


# --- variants ------------------------------------------------------------------------------------------

_ST66 = """<?xml version="1.0" encoding="UTF-8"?>
<Transaction xmlns="http://www.wipo.int/standards/XMLSchema/trademarks"
 xmlns:wo="http://www.wipo.int/standards/XMLSchema/wo-trademarks"><TradeMarkTransactionBody>
<TransactionContentDetails><TransactionData><TradeMarkApplication><TradeMarkDetails>{records}
</TradeMarkDetails></TradeMarkApplication></TransactionData></TransactionContentDetails>
</TradeMarkTransactionBody></Transaction>"""


def _st66_record(number: str, *, office: str = "XX", date_text: str = "2020-01-02", nice: str = "9",
                 feature: str = "Three dimensional", vienna: str = "26.2") -> str:
    return f"""<TradeMark><RegistrationOfficeCode>{office}</RegistrationOfficeCode>
<ApplicationNumber>{number}</ApplicationNumber><ApplicationDate>{date_text}</ApplicationDate>
<MarkFeature>{feature}</MarkFeature><MarkImageDetails><MarkImage><MarkImageCategory><CategoryKind>Vienna</CategoryKind>
<CategoryCodeDetails><CategoryCode>{vienna}</CategoryCode></CategoryCodeDetails></MarkImageCategory></MarkImage>
</MarkImageDetails><GoodsServicesDetails><GoodsServices><ClassDescriptionDetails><ClassDescription>
<ClassNumber>{nice}</ClassNumber><GoodsServicesDescription languageCode="en">Software</GoodsServicesDescription>
</ClassDescription></ClassDescriptionDetails></GoodsServices></GoodsServicesDetails>
<ApplicantDetails><Applicant><ApplicantAddressBook><FormattedNameAddress><Name><FormattedName>
<OrganizationName>ACME</OrganizationName></FormattedName></Name></FormattedNameAddress></ApplicantAddressBook>
</Applicant></ApplicantDetails>
<wo:WordMarkSpecification><wo:MarkVerbalElementText>MARK {number}</wo:MarkVerbalElementText></wo:WordMarkSpecification>
<wo:MarkCurrentStatusCode>Filed</wo:MarkCurrentStatusCode></TradeMark>"""


@pytest.mark.parametrize(("bad", "field"), [
    ({"date_text": "2020-13-45"}, "ApplicationDate"),
    ({"nice": "IX"}, "ClassDescription.ClassNumber"),
    ({"nice": "46"}, "goods_and_services.nice_class"),
    ({"vienna": "31.1"}, "classification.vienna"),
    ({"office": "X1"}, "RegistrationOfficeCode"),
])
def test_a_bad_field_is_a_problem_of_its_record_and_the_file_goes_on(tmp_path: Path, bad: dict[str, str],
                                                                      field: str) -> None:
    path = tmp_path / "marks.xml"
    path.write_text(_ST66.format(records=_st66_record("1/2020") + _st66_record("2/2020", **bad)
                                 + _st66_record("3/2020")), encoding="utf-8")
    docs, problems, _ = read(path)
    assert [d.number.compact for d in docs] == ["XXTM-1-2020", "XXTM-3-2020"]
    assert len(problems) == 1 and problems[0].field == field
    assert problems[0].record is not None and "2/2020" in problems[0].record
    assert docs[0].mark is not None and docs[0].mark.feature is not None
    assert docs[0].mark.feature.value == "3-D"
    assert [c.symbol for c in docs[0].classifications] == ["26.02"]
    assert docs[0].parties[0].name == "ACME"


def test_a_truncated_file_keeps_the_records_before_the_fault(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    whole = _ST66.format(records=_st66_record("1/2020") + _st66_record("2/2020"))
    path.write_text(whole[: whole.index("MARK 2/2020")], encoding="utf-8")
    docs, problems, _ = read(path, "st66-xml")
    assert [d.number.compact for d in docs] == ["XXTM-1-2020"]
    assert [p.field for p in problems] == ["file"]


_TMBRAND = """<?xml version="1.0" ?><TMBRAND><DETAILS><OFFICENUMBER>{number}</OFFICENUMBER>
<FILINGDATE>20200101</FILINGDATE><STATUS>pending</STATUS><BRAND><NAME lang="en">WORD</NAME></BRAND></DETAILS>
<APPLICANTS><APPLICANT><NAMES><NAME lang="en">Owner Ltd</NAME></NAMES></APPLICANT></APPLICANTS>
<NICEGROUP><NICECLASS><TYPE>{nice}</TYPE><LIST lang="en">Wine</LIST></NICECLASS></NICEGROUP>
<PRIORGROUP>{priority}</PRIORGROUP>
<EVENTS><EVENT><EventDate>{event_date}</EventDate><NatureOfEvent lang="en">Something new</NatureOfEvent></EVENT>
</EVENTS>
<EXTREGISTRATIONGROUP>{international}</EXTREGISTRATIONGROUP></TMBRAND>"""


def _tmbrand(tmp_path: Path, **values: str) -> tuple[list[Document], list[ImportProblem]]:
    fields = {"number": "400001", "nice": "33", "event_date": "20200301", "priority": "", "international": ""}
    fields.update(values)
    path = tmp_path / "il.xml"
    path.write_text(_TMBRAND.format(**fields), encoding="utf-8")
    docs, problems, _ = read(path)
    return docs, problems


def test_tmbrand_groups_the_samples_leave_empty(tmp_path: Path) -> None:
    docs, problems = _tmbrand(
        tmp_path, priority="<PRIOR><PRIORCOUNTRY>US</PRIORCOUNTRY><PRIORNUMBER>88/123</PRIORNUMBER>"
                           "<PRIORDATE>20191201</PRIORDATE></PRIOR>",
        international="<EXTREGISTRATION><EXTREGISTRATIONNUMBER>1500000</EXTREGISTRATIONNUMBER>"
                      "<EXTREGISTRATIONDATE>20200401</EXTREGISTRATIONDATE></EXTREGISTRATION>")
    assert problems == []
    doc = docs[0]
    assert [(p.country, p.number, p.date) for p in doc.priority_claims] == [("US", "88/123", date(2019, 12, 1))]
    assert [(e.code, e.date) for e in doc.legal_events] == [
        ("event", date(2020, 3, 1)), ("international_registration", date(2020, 4, 1))]
    assert doc.legal_events[0].description == "Something new"  # an unknown nature keeps its words
    assert doc.legal_events[1].description == "1500000 20200401"


@pytest.mark.parametrize(("values", "field"), [
    ({"event_date": "2020-02-30"}, "EVENT[0].EventDate"),
    ({"nice": ""}, "NICECLASS.TYPE"),
    ({"number": ""}, "DETAILS.OFFICENUMBER"),
    ({"priority": "<PRIOR><PRIORDATE>20191201</PRIORDATE></PRIOR>"}, "PRIORGROUP[0]"),
])
def test_tmbrand_bad_fields_are_named(tmp_path: Path, values: dict[str, str], field: str) -> None:
    docs, problems = _tmbrand(tmp_path, **values)
    assert docs == []
    assert [p.field for p in problems] == [field]
