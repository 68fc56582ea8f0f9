"""Relative-grounds examination through the word-mark similarity search, on SQLite and PostgreSQL: an application
for a look-alike, a sound-alike, a pinyin homophone or a translation of an earlier register mark gets that mark
cited, with the reasons as structured data; a later mark, a mark in an unrelated class and the case itself are
never cited; the office's earlier applications are still found; the refusal's decision event cites the mark."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from integration.search_corpus import shared_vector_cache
from integration.test_trademark_examination import Trademarks
from ipoffice.adapters.embeddings import cached_embedder
from ipoffice.adapters.mark_records import trademark_records, trademark_state
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.document import Document, GoodsAndServices, RightType
from ipoffice.domain.trademark import trademark_number
from ipoffice.services.trademark_earlier_marks import SimilarEarlierMarks
from ipoffice.services.trademark_examination import TrademarkExamination, case_marks
from ipoffice.services.trademark_similarity import TrademarkSimilarity

EARLIER = date(2025, 6, 2)
LATER = date(2026, 3, 2)  # after every application below
APPLIED = date(2026, 2, 2)


def _mark(serial: str, text: str, classes: list[int], filed: date) -> Document:
    return Document(number=trademark_number("CN", serial), right_type=RightType.TRADEMARK, mark_text=text,
                    application_date=filed, publication_date=filed, source_format="test",
                    goods_and_services=[GoodsAndServices(c, "goods") for c in classes])


REGISTER = {  # serial: (mark, classes, filed)
    "2025-1": ("TOPGUN", [13], EARLIER),
    "2025-2": ("KWIKSNAP", [9], EARLIER),
    "2025-3": ("熊猫", [30], EARLIER),
    "2025-4": ("APPLE", [9], EARLIER),
    "2025-5": ("LUMEXA", [25], EARLIER),  # a look-alike of LUMEXO, but clothing: unrelated to class 9
    "2026-9": ("LUMEXO", [9], LATER),  # filed after the application
}


class Examination(Trademarks):
    """The trademark harness with the office's finder: similarity search over the register + applications."""

    def __init__(self, engine: Engine, folder: Path) -> None:
        super().__init__(engine)
        SqlRegister(engine).save_documents([(_mark(s, m, c, f), None) for s, (m, c, f) in REGISTER.items()])
        similarity = TrademarkSimilarity(folder, lambda: trademark_records(engine), lambda: trademark_state(engine),
                                         lambda: cached_embedder(shared_vector_cache()))
        self.finder = SimilarEarlierMarks(similarity, lambda before: case_marks(self.procedures, before))
        self.examination = TrademarkExamination(self.procedures, self.finder)

    def examined(self, mark: str, classes: list[int]) -> str:
        number = self.file("applicant.wang", mark, classes, APPLIED)
        self.to_examination(number, date(2026, 2, 10))
        return number


@pytest.fixture
def exam(engine: Engine, tmp_path: Path) -> Examination:
    return Examination(engine, tmp_path / "marks")


def _number(serial: str) -> str:
    return str(trademark_number("CN", serial))


@pytest.mark.parametrize(("mark", "classes", "serial", "kind", "code", "params"), [
    ("T0PGUN", [13], "2025-1", "visual", "visual.look_alike", {"pairs": "0/O"}),
    ("QUICKSNAP", [9], "2025-2", "phonetic", "phonetic.keys", {"key": "KKSNP"}),
    ("雄猫", [30], "2025-3", "phonetic", "phonetic.same_pinyin", {"pinyin": "xiong mao"}),  # xióng māo, homophone
    # a translation: the dictionary gives 苹果 the meaning "apple"
    ("苹果", [9], "2025-4", "conceptual", "conceptual.dictionary", {"mark": "苹果", "earlier": "APPLE"}),
])
def test_each_kind_of_likeness_gets_the_earlier_mark_cited(exam: Examination, mark: str, classes: list[int],
                                                           serial: str, kind: str, code: str,
                                                           params: dict[str, str]) -> None:
    number = exam.examined(mark, classes)
    grounds = exam.examination.relative_grounds(number, "examiner.zhang")
    assert grounds.earlier[0].number == _number(serial)
    reasons = {r.kind: r for r in grounds.earlier[0].reasons}
    assert reasons[kind].code == code and params.items() <= dict(reasons[kind].params).items()
    assert reasons["goods_services"].code == "goods.same_class"  # the similarity's "goods", renamed
    assert grounds.earlier[0].date == EARLIER and grounds.earlier[0].source == "register"
    as_dict = grounds.earlier[0].as_dict()["reasons"]
    assert isinstance(as_dict, list) and {"kind", "detail", "code", "params"} == set(as_dict[0])

    view = exam.examination.refuse(number, "examiner.zhang", [_number(serial)], on=date(2026, 4, 1))
    decision = view.events[-1]
    assert decision.code == "refuse" and view.case.state == "refused"
    assert decision.payload["earlier_marks"] == [{"number": _number(serial), "mark": REGISTER[serial][0],
                                                  "classes": REGISTER[serial][1]}]


def test_a_later_mark_and_an_unrelated_class_are_never_cited(exam: Examination) -> None:
    number = exam.examined("LUMEXO", [9])
    found = [m.number for m in exam.examination.relative_grounds(number, "examiner.zhang", 200).earlier]
    assert _number("2026-9") not in found  # the identical mark was filed a month after the application
    assert _number("2025-5") not in found  # LUMEXA is for clothing (25), the application for class 9
    assert number not in found
    with pytest.raises(Exception, match="earlier_marks"):
        exam.examination.refuse(number, "examiner.zhang", [_number("2026-9")])
    # Without classes of its own an application meets LUMEXA (nothing says the goods differ).
    bare = exam.examined("LUMEXO", [])
    assert _number("2025-5") in [m.number for m in exam.examination.relative_grounds(bare, "examiner.zhang").earlier]


def test_the_offices_earlier_applications_are_still_found(exam: Examination) -> None:
    earlier = exam.file("applicant.chen", "STARLUX", [3], date(2026, 1, 5))
    later = exam.file("applicant.chen", "STARLUX", [3], date(2026, 5, 5))
    number = exam.examined("STARLUX PRO", [3])
    found = {m.number: m for m in exam.examination.relative_grounds(number, "examiner.zhang").earlier}
    assert earlier in found and later not in found
    assert found[earlier].source == "case"
    assert [(r.kind, r.code) for r in found[earlier].reasons] == [("containment", "conflict.contained"),
                                                                  ("goods_services", "goods.same_class")]
    view = exam.examination.refuse(number, "examiner.zhang", [earlier], on=date(2026, 4, 1))
    assert view.events[-1].payload["earlier_marks"] == [{"number": earlier, "mark": "STARLUX", "classes": [3]}]
