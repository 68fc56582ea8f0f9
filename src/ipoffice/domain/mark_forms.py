"""The forms a word mark is compared in: normalised words, a visual form with look-alike characters folded,
a Latin (romanised) form, pinyin syllables of Chinese characters (tones ignored) and an English phonetic key.

Any script: Chinese characters are read in Mandarin pinyin (``pypinyin``, the most frequent reading of
each character, without tones), other non-Latin scripts are transliterated to ASCII (``anyascii``), and
the phonetic key is the Metaphone code (``jellyfish``) of the romanised words. Examples::

    mark_forms("G00GLE").visual       → "google"           0 and O look alike
    mark_forms("小米科技").pinyin      → ("xiao", "mi", "ke", "ji")
    mark_forms("XIAOMI").phonetic     → "SM"               the key of "xiaomi" and of 小米
    mark_forms("SECRET (Tulisan & Lukisan)").words → ("secret",)   the office's descriptor dropped

Pure functions, no I/O (the libraries hold their tables in memory).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from anyascii import anyascii

from ipoffice.domain.text import CJK_RANGES, has_cjk, normalise

# What offices print after the verbal element to say the mark has a device or a label: not part of the words
# ("VERIZON BUSINESS & device", "AMERICAN STANDARD (label)", Indonesian "(Tulisan & Lukisan)": words and device).
_DESCRIPTOR = re.compile(r"\([^)]*\)|\[[^]]*\]|(?:&|\band\b|\+)\s*(?:device|logo|design|label)\b", re.IGNORECASE)
# A word: a run of Chinese characters, or a run of other letters and digits.
_WORD = re.compile(f"[{CJK_RANGES}]+|[^\\W_{CJK_RANGES}]+")
_COMBINING = re.compile(r"[\u0300-\u036f]")

# Characters that look alike in print, folded to one representative (lower case): 1/I/l/|/!, 0/O, 5/S, 2/Z,
# 8/B, 3/E; and the letter pairs read as one letter at a glance (rn/m, vv/w). The form is for comparing only.
_LOOK_ALIKE_PAIRS = (("rn", "m"), ("vv", "w"))
_LOOK_ALIKE = str.maketrans({"1": "l", "i": "l", "|": "l", "!": "l", "0": "o", "5": "s", "2": "z", "8": "b",
                             "3": "e", "$": "s", "@": "a", "€": "e"})


@dataclass(frozen=True)
class MarkForms:
    """A mark's comparison forms. ``visual`` and ``latin`` are compact (no spaces); ``pinyin`` is empty when
    the mark has no Chinese character."""

    text: str
    words: tuple[str, ...]  # normalised (NFKC, simplified Chinese, lower case) words, descriptors dropped
    visual: str  # compact, accents dropped, look-alike characters folded; Chinese characters kept
    visual_words: tuple[str, ...]
    latin: str  # compact romanised form: pinyin for Chinese, ASCII transliteration for other scripts
    latin_words: tuple[str, ...]
    pinyin: tuple[str, ...]  # toneless syllables of the Chinese characters, in order
    phonetic: str  # Metaphone of the romanised words, joined
    has_chinese: bool

    @property
    def empty(self) -> bool:
        return not self.visual and not self.latin


def fold_look_alikes(word: str) -> str:
    """Every member of a look-alike group made the group's representative, of a lower-case word:
    ``g00g1e`` → ``google``; ``rnicrosoft`` and ``microsoft`` → ``mlcrosoft`` (``i`` and ``l`` are one)."""
    folded = word.translate(_LOOK_ALIKE)
    for pair, one in _LOOK_ALIKE_PAIRS:
        folded = folded.replace(pair, one)
    return folded


def _strip_accents(text: str) -> str:
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def _romanised(word: str) -> tuple[list[str], list[str]]:
    """(romanised words, pinyin syllables) of one normalised word."""
    if has_cjk(word):
        # imported here: pypinyin loads its phrase dictionary (a quarter of a second) on import, which every
        # `ipoffice` command would pay through the domain's payload checks
        from pypinyin import Style, lazy_pinyin

        syllables = [s for s in lazy_pinyin(word, style=Style.NORMAL, errors="ignore") if s.strip()]
        return ["".join(syllables)] if syllables else [], syllables
    ascii_form = anyascii(word).lower()
    return [w for w in re.findall(r"[a-z0-9]+", ascii_form)], []


@lru_cache(maxsize=65536)
def mark_forms(text: str) -> MarkForms:
    """The comparison forms of a mark's verbal element (any script). A mark of no letter or digit (a
    figurative mark's empty text) gives empty forms."""
    cleaned = _DESCRIPTOR.sub(" ", unicodedata.normalize("NFKC", text))
    if not _WORD.search(cleaned):  # the whole text was a descriptor: keep it rather than nothing
        cleaned = unicodedata.normalize("NFKC", text)
    words = tuple(w.lower() for w in _WORD.findall(normalise(cleaned)))
    visual_words = tuple(fold_look_alikes(_strip_accents(w)) for w in words)
    latin_words: list[str] = []
    pinyin: list[str] = []
    for word in words:
        romanised, syllables = _romanised(word)
        latin_words += romanised
        pinyin += syllables
    phonetic = "".join(jellyfish.metaphone(w) for w in latin_words if not w.isdigit())
    return MarkForms(
        text=text, words=words, visual="".join(visual_words), visual_words=visual_words,
        latin="".join(latin_words), latin_words=tuple(latin_words), pinyin=tuple(pinyin),
        phonetic=phonetic.upper(), has_chinese=any(has_cjk(w) for w in words),
    )
