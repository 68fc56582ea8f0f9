"""How similar an earlier word mark is to a mark, and why: the kinds of similarity an examiner weighs.

- ``visual``: edit distance (Levenshtein) over the visual forms (accents dropped, look-alike characters
  folded: 1/I/l, 0/O, 5/S, rn/m, …), as a similarity 1 − distance / longer length.
- ``phonetic``: the same pinyin syllables of two Chinese marks (tones ignored: homophones), the pinyin of a
  Chinese mark against the letters of a Latin one, or the Metaphone keys of the romanised words.
- ``conceptual``: the same meaning: the English words a Chinese mark means by the dictionary against the other
  mark's (熊猫 and PANDA), or the cosine of the two marks' multilingual sentence vectors, both given by the
  caller; the cosine scaled so that unrelated short texts score 0.
- ``containment``: the whole of one mark, as words, inside the other (``ACME`` in ``ACME WORLD``).
- ``goods``: how related the goods and services are (domain.goods_relatedness), when classes are given.

The score (0..1) is the strongest mark similarity, raised a little by the other kinds found, then weighed by
the goods relatedness when the wanted classes are known: identical marks in unrelated classes rank below
similar marks for the same goods. Each kind reported has its own score and a detail for the examiner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from rapidfuzz.distance import Levenshtein

from ipoffice.domain.goods_relatedness import Relatedness
from ipoffice.domain.mark_forms import MarkForms
from ipoffice.domain.reason_details import Params, detail_text, look_alike_pairs, params


class ReasonKind(StrEnum):
    VISUAL = "visual"
    PHONETIC = "phonetic"
    CONCEPTUAL = "conceptual"
    CONTAINMENT = "containment"
    GOODS = "goods"


MARK_KINDS = frozenset({ReasonKind.VISUAL, ReasonKind.PHONETIC, ReasonKind.CONCEPTUAL, ReasonKind.CONTAINMENT})
# A kind is reported as a reason from this similarity on (below it the marks differ in that respect).
REPORT_FROM = {ReasonKind.VISUAL: 0.6, ReasonKind.PHONETIC: 0.7, ReasonKind.CONCEPTUAL: 0.3,
               ReasonKind.CONTAINMENT: 0.5}
# USE multilingual cosines of short texts: unrelated ~0.1–0.4, a word and its translation ~0.45–0.95 (median
# 0.69 over 300 bilingual IPC titles): from 0.45 on (score 0.3) a meaning is reported.
CONCEPT_FLOOR, CONCEPT_FULL = 0.3, 0.8
CONCEPT_CAP = 0.92  # a meaning alone never outranks the same mark written alike
# A meaning by the vectors alone, with no dictionary sense shared, stays below a dictionary translation and a
# whole earlier mark contained: the cosines of two person names of one origin reach 0.8 (Chun-Seok Ko ~
# Chao-Chun Chen), which an examiner would not call a likeness of meaning.
VECTOR_CONCEPT_CAP = 0.85
EXTRA_MEANING_WEIGHT = 0.02  # a tie-breaker: at most this share of the score lost to the other senses
CONTAINED_FROM, CONTAINED_SHARE = 0.8, 0.15  # containment score: from 0.8, up to 0.95 as the share grows
MIN_PHONETIC_KEY = 2  # shorter Metaphone keys (``S``, ``K``) match too many marks to mean anything
SUPPORT = 0.1  # how much the other kinds found add to the strongest
UNRELATED_GOODS_WEIGHT = 0.55  # the share of the score a mark keeps for goods unrelated to those wanted


@dataclass(frozen=True)
class MarkRecord:
    """A mark as the similarity search sees it: its register key (``ILTM-160158``), verbal element, Nice
    classes, filing date, goods and services text, and the texts that also stand for it (transliteration)."""

    number: str
    mark: str
    classes: tuple[int, ...] = ()
    filed: date | None = None
    terms: str = ""
    also: tuple[str, ...] = field(default_factory=tuple)

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.mark, *self.also)


@dataclass(frozen=True)
class Reason:
    """A kind of likeness, its score, the English ``detail``, and the same as data (``code``, ``params``:
    domain.reason_details) for other languages."""

    kind: ReasonKind
    score: float
    detail: str
    code: str = ""
    params: Params = ()

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind.value, "score": round(self.score, 3), "detail": self.detail, "code": self.code,
                "params": dict(self.params)}


def _reason(kind: ReasonKind, score: float, code: str, **values: object) -> Reason:
    found = params(**values)
    return Reason(kind, score, detail_text(code, found), code, found)


@dataclass(frozen=True)
class Similarity:
    score: float
    reasons: tuple[Reason, ...]

    @property
    def kinds(self) -> tuple[ReasonKind, ...]:
        return tuple(r.kind for r in self.reasons)


def _ratio(a: str, b: str) -> float:
    return Levenshtein.normalized_similarity(a, b) if a and b else 0.0


def visual(query: MarkForms, earlier: MarkForms) -> Reason | None:
    if not query.visual or not earlier.visual:
        return None
    distance = Levenshtein.distance(query.visual, earlier.visual)
    score = 1.0 - distance / max(len(query.visual), len(earlier.visual))
    pairs = look_alike_pairs(query.text, earlier.text)
    if distance == 0 and pairs:
        return _reason(ReasonKind.VISUAL, score, "visual.look_alike", pairs=pairs, mark=query.text,
                       earlier=earlier.text)
    if distance == 0 and query.words != earlier.words:
        return _reason(ReasonKind.VISUAL, score, "visual.same_letters", mark=query.text, earlier=earlier.text)
    if distance == 0:
        return _reason(ReasonKind.VISUAL, score, "visual.identical")
    return _reason(ReasonKind.VISUAL, score, "visual.distance", distance=distance, mark=query.text,
                   earlier=earlier.text)


def phonetic(query: MarkForms, earlier: MarkForms) -> Reason | None:
    candidates: list[Reason] = []
    if query.pinyin and earlier.pinyin and query.has_chinese and earlier.has_chinese:
        score = _ratio(" ".join(query.pinyin), " ".join(earlier.pinyin))
        candidates.append(
            _reason(ReasonKind.PHONETIC, score, "phonetic.same_pinyin", pinyin=" ".join(query.pinyin))
            if query.pinyin == earlier.pinyin else
            _reason(ReasonKind.PHONETIC, score, "phonetic.pinyin", pinyin=" ".join(query.pinyin),
                    earlier_pinyin=" ".join(earlier.pinyin)))
    elif query.has_chinese != earlier.has_chinese and query.latin and earlier.latin:
        chinese, latin = (query, earlier) if query.has_chinese else (earlier, query)
        score = _ratio(query.latin, earlier.latin)
        candidates.append(_reason(ReasonKind.PHONETIC, score, "phonetic.reads", chinese=chinese.text,
                                  pinyin=" ".join(chinese.pinyin), latin=latin.latin))
    # Metaphone reads English spelling: the pinyin of a Chinese mark read so makes 晨衫 (chen shan) and SHANE CHEN
    # one key, so a Chinese mark is compared by its pinyin only.
    if not (query.has_chinese or earlier.has_chinese) and \
            min(len(query.phonetic), len(earlier.phonetic)) >= MIN_PHONETIC_KEY:
        key_score = _ratio(query.phonetic, earlier.phonetic)
        # A short key is coarse: two keys of 2-3 letters agree by chance; weigh the letters too.
        confidence = min(1.0, min(len(query.phonetic), len(earlier.phonetic)) / 4)
        score = confidence * key_score + (1 - confidence) * _ratio(query.latin, earlier.latin)
        candidates.append(
            _reason(ReasonKind.PHONETIC, score, "phonetic.same_key", key=query.phonetic)
            if query.phonetic == earlier.phonetic else
            _reason(ReasonKind.PHONETIC, score, "phonetic.keys", key=query.phonetic, earlier_key=earlier.phonetic))
    return max(candidates, key=lambda r: r.score, default=None)


def _inside(short: Sequence[str], long: Sequence[str]) -> bool:
    n = len(short)
    return 0 < n < len(long) and any(tuple(long[i:i + n]) == tuple(short) for i in range(len(long) - n + 1))


def containment(query: MarkForms, earlier: MarkForms) -> Reason | None:
    """One mark's words, all of them in order, inside the other's; or a Chinese mark's characters inside the
    other's (Chinese has no spaces between words). Needs 3 letters or 2 Chinese characters."""
    for short, long, which in ((query, earlier, "containment.mark_inside"),
                               (earlier, query, "containment.earlier_inside")):
        if len(short.visual) < (2 if short.has_chinese else 3) or len(short.visual) >= len(long.visual):
            continue
        words = _inside(short.visual_words, long.visual_words)
        chinese = short.has_chinese and short.visual in long.visual
        if words or chinese:
            share = len(short.visual) / len(long.visual)
            return _reason(ReasonKind.CONTAINMENT, CONTAINED_FROM + CONTAINED_SHARE * share, which,
                           inner=short.text, outer=long.text)
    return None


def _dictionary_overlap(query: MarkForms, earlier: MarkForms, meanings: tuple[frozenset[str], frozenset[str]]
                        ) -> float:
    """The share of the English side's meaning words that the other side means too (of the smaller side when
    both are Chinese); 0 unless a Chinese mark is compared."""
    mine, theirs = meanings
    if not (query.has_chinese or earlier.has_chinese) or not mine or not theirs:
        return 0.0
    english = [m for forms, m in ((query, mine), (earlier, theirs)) if not forms.has_chinese]
    base = len(english[0]) if english else min(len(mine), len(theirs))
    shared = len(mine & theirs)
    # The same meaning and nothing else ranks above that meaning among others (镰刀 above 镰刀架 for SICKLES).
    return shared / base * (1 - EXTRA_MEANING_WEIGHT * (1 - shared / len(mine | theirs)))


def conceptual(query: MarkForms, earlier: MarkForms, cosine: float | None,
               meanings: tuple[frozenset[str], frozenset[str]] | None = None) -> Reason | None:
    """Likeness in meaning: by the dictionary (``meanings``, the English words each mark means) or by the
    cosine of the marks' sentence vectors, whichever is the stronger."""
    found: list[Reason] = []
    if cosine is not None and cosine > CONCEPT_FLOOR:
        score = min(1.0, (cosine - CONCEPT_FLOOR) / (CONCEPT_FULL - CONCEPT_FLOOR)) * VECTOR_CONCEPT_CAP
        found.append(_reason(ReasonKind.CONCEPTUAL, score, "conceptual.cosine", mark=query.text,
                             earlier=earlier.text, cosine=f"{cosine:.2f}"))
    overlap = _dictionary_overlap(query, earlier, meanings) if meanings else 0.0
    if overlap > 0 and meanings:
        shared = ", ".join(sorted(meanings[0] & meanings[1])[:5])
        found.append(_reason(ReasonKind.CONCEPTUAL, overlap * CONCEPT_CAP, "conceptual.dictionary",
                             mark=query.text, earlier=earlier.text, meanings=shared))
    return max(found, key=lambda r: r.score, default=None)


def compare(query: MarkForms, earlier: MarkForms, *, cosine: float | None = None,
            meanings: tuple[frozenset[str], frozenset[str]] | None = None,
            goods: Relatedness | None = None, classes_given: bool = False) -> Similarity:
    """The similarity of ``earlier`` to ``query``, with the reasons found (each at least ``REPORT_FROM``);
    ``cosine`` of their sentence vectors and ``meanings`` (the English word stems each means) when known."""
    found = [r for r in (visual(query, earlier), phonetic(query, earlier),
                         conceptual(query, earlier, cosine, meanings),
                         containment(query, earlier)) if r is not None]
    reasons = sorted((r for r in found if r.score >= REPORT_FROM[r.kind]), key=lambda r: -r.score)
    best = max((r.score for r in reasons), default=0.0)  # a respect below its threshold is no likeness
    support = sum(r.score for r in reasons[1:]) / max(1, len(reasons) - 1) if len(reasons) > 1 else 0.0
    score = min(1.0, best + SUPPORT * support * (1 - best))
    if classes_given:
        score *= UNRELATED_GOODS_WEIGHT + (1 - UNRELATED_GOODS_WEIGHT) * (goods.score if goods else 0.0)
    if goods is not None:
        reasons.append(Reason(ReasonKind.GOODS, goods.score, goods.detail, goods.code, goods.params))
    return Similarity(round(score, 4), tuple(reasons))
