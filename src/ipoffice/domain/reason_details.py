"""The details of why two marks conflict, as structured data: a ``code`` naming the sentence and its ``params``
(the marks, pinyin, sound keys, meanings, classes — data, the same in every language), from which each language
writes the sentence. :data:`ENGLISH` is the default text (the API's and CLI's ``detail``); the portal's
catalogues (``entrypoints/web/messages_trademarks.py``) write the same codes in Chinese and English.

Codes: ``visual.identical``, ``visual.same_letters``, ``visual.look_alike``, ``visual.distance``;
``phonetic.same_pinyin``, ``phonetic.pinyin``, ``phonetic.reads``, ``phonetic.same_key``, ``phonetic.keys``;
``conceptual.cosine``, ``conceptual.dictionary``; ``containment.mark_inside``, ``containment.earlier_inside``;
``goods.same_class``, ``goods.neighbours``, ``goods.terms``; ``conflict.identical``, ``conflict.contained``
(the examination's default matching, ``domain.trademark_conflicts``).
"""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz.distance import Levenshtein

from ipoffice.domain.mark_forms import fold_look_alikes

Params = tuple[tuple[str, str], ...]

ENGLISH: Mapping[str, str] = {
    "visual.identical": "identical words",
    "visual.same_letters": "the same letters but for case, spacing, accents or look-alike characters: "
                           "{mark} ~ {earlier}",
    "visual.look_alike": "look-alike characters {pairs}: {mark} ~ {earlier}",
    "visual.distance": "edit distance {distance}, look-alike characters counted as one: {mark} ~ {earlier}",
    "phonetic.same_pinyin": "the same pinyin {pinyin} (tones ignored)",
    "phonetic.pinyin": "pinyin {pinyin} ~ {earlier_pinyin}",
    "phonetic.reads": "{chinese} reads {pinyin} ~ {latin}",
    "phonetic.same_key": "the same sound key {key}",
    "phonetic.keys": "sound keys {key} ~ {earlier_key}",
    "conceptual.cosine": "similar meaning: {mark} ~ {earlier} (cosine {cosine})",
    "conceptual.dictionary": "the same meaning by the dictionary: {mark} ~ {earlier} ({meanings})",
    "containment.mark_inside": "the mark is inside the earlier mark: {inner} in {outer}",
    "containment.earlier_inside": "the earlier mark is inside the mark: {inner} in {outer}",
    "goods.same_class": "same Nice class {classes}",
    "goods.neighbours": "neighbouring Nice classes {pairs}",
    "goods.terms": "shared goods/services terms: {terms}",
    "conflict.identical": "'{mark}' is the same word mark",
    "conflict.contained": "'{inner}' is contained in '{outer}'",
}


def params(**values: object) -> Params:
    """The parameters of a detail as (name, text) pairs: hashable, kept in order, JSON-ready."""
    return tuple((name, str(value)) for name, value in values.items())


def detail_text(code: str, values: Params) -> str:
    """The English sentence of detail ``code`` with ``values``; KeyError for an unknown code."""
    return ENGLISH[code].format(**dict(values))


def look_alike_pairs(mark: str, earlier: str) -> str:
    """The look-alike characters that tell two marks apart, as ``0/O, 1/I`` (the mark's character first), from an
    alignment of their letters; empty when none (``T0PGUN``, ``TOPGUN`` → ``0/O``)."""
    a = "".join(ch for ch in mark if ch.isalnum())
    b = "".join(ch for ch in earlier if ch.isalnum())
    pairs = []
    for op in Levenshtein.editops(_folded_case(a), _folded_case(b)):
        if op.tag != "replace":
            continue
        x, y = a[op.src_pos], b[op.dest_pos]
        if fold_look_alikes(_folded_case(x)) == fold_look_alikes(_folded_case(y)):
            pairs.append(f"{x}/{y}")
    return ", ".join(dict.fromkeys(pairs))


def _folded_case(text: str) -> str:
    """Case folded character by character, one character for one (``ß`` kept: it folds to two)."""
    return "".join(f if len(f := ch.casefold()) == 1 else ch for ch in text)
