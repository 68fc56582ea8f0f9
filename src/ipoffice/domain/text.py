"""Text normalisation for indexing: the original is always kept, this form is what gets searched.

Chinese text arrives in traditional or simplified script, with full-width Latin letters and digits,
and, when scraped from the web, with pinyin glosses pasted after characters:
``全國知識產(chǎn)權(quán)局`` means ``全国知识产权局``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RANGES = _CJK  # the Chinese characters, for a regular-expression class
_HAS_CJK = re.compile(f"[{_CJK}]")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# One pinyin syllable with at least one tone mark, in parentheses, directly after a CJK character.
# "(PCT)", "(1)" and "(a)" carry no tone mark and stay.
_PINYIN_GLOSS = re.compile(
    rf"(?<=[{_CJK}])\((?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,6}}\)"
)
# Full-width forms worth folding: letters, digits, space and ASCII symbols, but not the Chinese
# sentence punctuation (，。；：！？、) that belongs to the language.
_KEEP_FULLWIDTH = set("，。；：！？、")


_FOLD_WIDTH = {0x3000: " "} | {
    code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F) if chr(code) not in _KEEP_FULLWIDTH
}


_HAS_WIDE = re.compile("[\u3000\uff01-\uff5e]")
_HAS_CJK_OR_WIDE = re.compile(f"[{_CJK}\u3000\uff01-\uff5e]")
# In UTF-8, every character of U+3000-U+9FFF and U+F000-U+FFFF (all of _CJK, the ideographic space and
# the full-width forms) starts with one of these bytes. A text without any of them needs no regular
# expression scan: a byte search (memchr) over the encoded text is ten times faster, and most non-ASCII
# text (English with a "µ" or an em dash) has none.
_CJK_OR_WIDE_LEAD_BYTES = tuple(bytes([lead]) for lead in (*range(0xE3, 0xEA), 0xEF))


def _may_have_cjk_or_wide(text: str) -> bool:
    encoded = text.encode("utf-8", "surrogatepass")
    return any(lead in encoded for lead in _CJK_OR_WIDE_LEAD_BYTES)


def _fold_width(text: str) -> str:
    return text.translate(_FOLD_WIDTH) if _HAS_WIDE.search(text) else text


def remove_pinyin_glosses(text: str) -> str:
    return _PINYIN_GLOSS.sub("", text)


@lru_cache(maxsize=1)
def _converters() -> tuple[Any, ...]:
    """OpenCC's own configurations, applied in turn (see :func:`to_simplified`)."""
    import opencc

    return opencc.OpenCC("s2t"), opencc.OpenCC("hk2t"), opencc.OpenCC("tw2s")


# Words in which 著 means "to write, a work; to manifest" (zhù) and stays 著 in simplified text, while
# Taiwan writes 著 for 着 too (附著, 隨著). OpenCC's Taiwan phrase list keeps 著作, 顯著, 名著 and others,
# not these; the words are protected from its 著 → 着 step. Longer words listed first win, so the
# progressive 着 of 討論著 ("discussing") is not read as 論著 ("treatise").
_ZHU_WORDS = ("論著", "專著", "原著", "遺著", "譯著", "編著", "拙著", "卓著", "土著", "著論", "傑著", "著文", "著說",
              "新著", "鉅著")
_ZHE_WORDS = ("討論著", "議論著", "談論著", "爭論著", "辯論著", "評論著")
_ZHU_OR_ZHE = re.compile("|".join(sorted({*_ZHU_WORDS, *_ZHE_WORDS}, key=len, reverse=True)))
_KEPT_ZHU = "\ue000"  # a private-use character OpenCC passes through unchanged


def _protect_zhu(match: re.Match[str]) -> str:
    word = match[0]
    return word if word in _ZHE_WORDS else word.replace("著", _KEPT_ZHU)


def to_simplified(text: str) -> str:
    """The simplified script users type, from simplified, traditional, Taiwan or Hong Kong text.

    Three OpenCC configurations in turn: ``s2t`` first lifts simplified characters to traditional, so that
    the phrase dictionaries of the last step see every text in one script (``显著`` and ``顯著`` alike);
    ``hk2t`` replaces Hong Kong variant characters (``衞`` → ``衛``); ``tw2s`` replaces Taiwan variant
    characters and phrases (``附著`` → ``附着``, ``隨著`` → ``随着``, while ``著作`` and ``顯著`` keep 著)
    and converts to simplified. OpenCC's plain ``t2s`` keeps the Taiwan 著 everywhere.
    """
    if not _HAS_CJK.search(text):
        return text
    s2t, hk2t, tw2s = _converters()
    text = hk2t.convert(s2t.convert(text))
    protected = "著" in text and _KEPT_ZHU not in text and _ZHU_OR_ZHE.search(text) is not None
    if protected:
        text = _ZHU_OR_ZHE.sub(_protect_zhu, text)
    text = tw2s.convert(text)
    return text.replace(_KEPT_ZHU, "著") if protected else text


def has_cjk(text: str) -> bool:
    return _HAS_CJK.search(text) is not None


_SPACES = re.compile(r"[ \t\r\f\v]+")


def _fold_spaces(text: str) -> str:
    # Substring tests run in C and usually prove there is nothing to fold in a long description.
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def normalise(text: str) -> str:
    """The indexing form of a text in any language (idempotent)."""
    if not text.isascii():  # ASCII is already NFC, with neither CJK nor full-width forms
        text = unicodedata.normalize("NFC", text)
        if _may_have_cjk_or_wide(text) and _HAS_CJK_OR_WIDE.search(text):
            text = _fold_width(text)
            if has_cjk(text):
                text = to_simplified(remove_pinyin_glosses(text))
    return _fold_spaces(text)
