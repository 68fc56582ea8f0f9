"""The candidate index of word-mark similarity search: tantivy over the marks' comparison forms, and their
multilingual sentence vectors (adapters.vector_index) for meanings.

Each mark (and each transliteration standing for it) is indexed as keys of its forms (domain.mark_forms):

- ``grams``: character trigrams of the visual form, with ``^``/``$`` at its ends (look-alike characters
  already folded, so ``G00GLE`` and ``GOOGLE`` share every gram); for Chinese characters, each character and
  each pair of neighbouring characters;
- ``sound``: the Metaphone key of the whole mark and of each word (``k:``/``w:``), the romanised form
  (``l:xiaomi``: pinyin of a Chinese mark meets the same letters in Latin script) and each pinyin syllable
  pair (``y:xiao_mi``, tones ignored, so homophones share them);
- ``words``: the visual words (a mark inside a longer one shares them);
- ``meaning_zh`` / ``meaning_en``: the English word stems a Chinese mark means by the dictionary / a Latin
  mark's own word stems (adapters.mark_glossary): a Chinese query looks in both, a Latin one in the first;
- ``whole``: the whole visual form as one key, words joined by ``_`` (``acme_world``; a Chinese mark's
  characters as they are), so the marks that are a run of the query's words are found by exact lookups;
- ``classes``, ``filed`` (a date, for "earlier than"), ``row`` (the vector row).

Candidates come in pools, one per kind of likeness, so that one kind's candidates never crowd out another's
(at a million marks, the marks sharing trigrams with ``riveting`` would fill any single list before the
Chinese mark 铆接 that means it): :meth:`MarkIndex.candidates` (a disjunction of trigram, sound and word keys,
scored by BM25), :meth:`MarkIndex.meaning_candidates` (the meaning keys alone) and
:meth:`MarkIndex.containment_candidates` (the marks holding every word of the query, and the marks whose whole
form is a run of the query's words). Each stays a few milliseconds at a million marks; the pools are merged
and compared exactly (domain.mark_similarity). The vectors give the marks nearest
in meaning whatever their letters (a Chinese mark for its English translation).

Layout: ``<dir>/tantivy/`` and ``<dir>/vectors/`` (VectorIndex files) and ``<dir>/filed.npy`` (days since
1970 per row, ``NO_DATE`` for none), ``<dir>/meta.json`` (schema version, the source state it was built from).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jellyfish
import numpy as np
import tantivy

from ipoffice.adapters.mark_glossary import meaning
from ipoffice.adapters.vector_index import ANN_THRESHOLD, VectorIndex
from ipoffice.domain.mark_forms import MarkForms, mark_forms
from ipoffice.domain.mark_similarity import MarkRecord

# 2: meaning_zh, meaning_en. 3: NO_DATE below every real day (marks filed before 1970). 4: whole (containment).
SCHEMA_VERSION = 4
_WRITER_HEAP = 200_000_000
_EPOCH = date(1970, 1, 1)
NO_DATE = -1_000_000_000  # a mark without a date: below every real day number (1970 is 0, 1900 is -25,567)
# Key weights in the candidate query: a shared sound or word says more than one shared trigram.
_BOOST = {"grams": 1.0, "sound": 3.0, "words": 2.0, "meaning_zh": 2.0, "meaning_en": 2.0}


def visual_grams(forms: MarkForms) -> list[str]:
    """The ``grams`` keys of a mark's visual form (see the module docstring)."""
    out: list[str] = []
    for word in forms.visual_words:
        if forms.has_chinese and any(not c.isascii() for c in word):
            out += list(word) + [word[i:i + 2] for i in range(len(word) - 1)]
    padded = f"^{forms.visual}$"
    out += [padded[i:i + 3] for i in range(len(padded) - 2)] if len(padded) > 3 else [padded]
    return out


def sound_keys(forms: MarkForms) -> list[str]:
    keys = []
    if forms.phonetic:
        keys.append("k:" + forms.phonetic)
    if forms.latin:
        keys.append("l:" + forms.latin)
    keys += ["w:" + jellyfish.metaphone(w).upper() for w in forms.latin_words if len(w) > 1 and not w.isdigit()]
    syllables = forms.pinyin
    keys += ["y:" + "_".join(syllables[i:i + 2]) for i in range(max(1, len(syllables) - 1))] if syllables else []
    return [k for k in keys if len(k) > 2]


def whole_key(words: Sequence[str]) -> str:
    """The ``whole`` key of a run of visual words."""
    return "_".join(words)


def contained_keys(forms: MarkForms) -> list[str]:
    """The ``whole`` keys of every shorter mark inside ``forms`` (domain.mark_similarity.containment): each run
    of its words, and for a Chinese mark each run of 2 or more of its characters. At most a few hundred."""
    words = forms.visual_words[:12]
    keys = [whole_key(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
            if j - i < len(words) and len("".join(words[i:j])) >= 3]
    if forms.has_chinese:
        text = forms.visual[:24]
        keys += [text[i:j] for i in range(len(text)) for j in range(i + 2, len(text) + 1) if j - i < len(text)]
    return list(dict.fromkeys(keys))


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("number", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("mark", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("also", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("terms", stored=True, tokenizer_name="raw", index_option="basic")
    for name in _BOOST:
        sb.add_text_field(name, tokenizer_name="keys", index_option="freq")
    sb.add_text_field("whole", tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("classes", stored=True, indexed=True)
    sb.add_integer_field("filed", stored=True, indexed=True, fast=True)
    sb.add_integer_field("row", stored=True, indexed=True)
    return sb.build()


def _keys_analyzer() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def day_number(day: date | None) -> int:
    return (day - _EPOCH).days if day else NO_DATE


@dataclass(frozen=True)
class Candidate:
    row: int
    record: MarkRecord
    bm25: float = 0.0


def _row(doc: Any) -> int:
    return int(doc.to_dict()["row"][0])


def _record(doc: Any) -> MarkRecord:
    filed = doc.get_first("filed")
    return MarkRecord(
        number=doc.get_first("number"), mark=doc.get_first("mark") or "",
        classes=tuple(sorted(doc.to_dict().get("classes", []))),
        filed=None if filed is None or filed == NO_DATE else date.fromordinal(_EPOCH.toordinal() + filed),
        terms=doc.get_first("terms") or "", also=tuple(doc.to_dict().get("also", [])),
    )


def vector_text(record: MarkRecord) -> str:
    """The text whose sentence vector stands for the mark's meaning: its words, descriptors dropped."""
    return " ".join(mark_forms(record.mark).words) or record.mark


class MarkIndex:
    """A built mark index, opened for searching."""

    def __init__(self, directory: Path) -> None:
        meta = json.loads((directory / "meta.json").read_text())
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise FileNotFoundError(f"mark index at {directory} has schema {meta.get('schema_version')}")
        self.directory = directory
        self.meta = meta
        self.schema = _schema()
        self.index = tantivy.Index(self.schema, path=str(directory / "tantivy"))
        self.index.register_tokenizer("keys", _keys_analyzer())
        self.searcher = self.index.searcher()
        vectors = directory / "vectors"
        self.vectors = VectorIndex.load(vectors) if (vectors / "index.json").exists() else None
        self.filed = np.load(directory / "filed.npy")

    @property
    def size(self) -> int:
        return int(self.searcher.num_docs)

    def _term(self, field: str, key: str) -> Any:
        return tantivy.Query.term_query(self.schema, field, key, index_option="freq")

    def _search(self, query: Any, *, before: date | None, limit: int) -> list[Candidate]:
        if before is not None:
            dated = tantivy.Query.range_query(self.schema, "filed", tantivy.FieldType.Integer, NO_DATE + 1,
                                              day_number(before) - 1)
            query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, dated)])
        hits = self.searcher.search(query, limit=limit, count=False).hits
        out = []
        for score, address in hits:
            doc = self.searcher.doc(address)
            out.append(Candidate(_row(doc), _record(doc), float(score)))
        return out

    def _any_of(self, keys: dict[str, list[str]]) -> Any:
        should = [(tantivy.Occur.Should, tantivy.Query.boost_query(self._term(field, value), _BOOST[field]))
                  for field, values in keys.items() for value in dict.fromkeys(values)]
        return tantivy.Query.boolean_query(should) if should else None

    def candidates(self, forms: MarkForms, *, before: date | None, limit: int) -> list[Candidate]:
        """The marks sharing most keys with ``forms`` (BM25 over grams, sounds, words), filed before ``before``."""
        query = self._any_of({"grams": visual_grams(forms), "sound": sound_keys(forms),
                              "words": list(forms.visual_words)})
        return self._search(query, before=before, limit=limit) if query is not None else []

    def meaning_candidates(self, forms: MarkForms, *, before: date | None, limit: int) -> list[Candidate]:
        """The marks sharing most dictionary meanings with ``forms``: for a Latin mark the Chinese marks meaning
        its words (``rivet`` → 铆接), for a Chinese mark the marks of either script meaning what it means; the
        rarest shared meaning weighs most (BM25)."""
        means = sorted(meaning(forms))
        query = self._any_of({"meaning_zh": means, "meaning_en": means if forms.has_chinese else []})
        return self._search(query, before=before, limit=limit) if query is not None else []

    def containment_candidates(self, forms: MarkForms, *, before: date | None, limit: int) -> list[Candidate]:
        """The marks in a containment relation with ``forms``: up to ``limit`` whose whole form is a run of its
        words (or of its Chinese characters), and up to ``limit`` holding every one of its words (a Chinese mark:
        its every character pair), shortest first."""
        inside = contained_keys(forms)
        out = self._search(tantivy.Query.term_set_query(self.schema, "whole", inside), before=before,
                           limit=limit) if inside else []
        if len(forms.visual) < (2 if forms.has_chinese else 3):
            return out
        if forms.has_chinese:
            grams = [forms.visual[i:i + 2] for i in range(len(forms.visual) - 1)] \
                if len(forms.visual_words) == 1 else list(forms.visual_words)
            keys = [("grams", g) for g in grams]
        else:
            keys = [("words", w) for w in forms.visual_words]
        holding = tantivy.Query.boolean_query([(tantivy.Occur.Must, self._term(f, v)) for f, v in dict.fromkeys(keys)])
        return out + self._search(holding, before=before, limit=limit)

    def by_rows(self, rows: Sequence[int]) -> list[Candidate]:
        if not rows:
            return []
        query = tantivy.Query.term_set_query(self.schema, "row", [int(r) for r in rows])
        hits = self.searcher.search(query, limit=len(rows), count=False).hits
        return [Candidate(_row(doc), _record(doc)) for doc in (self.searcher.doc(a) for _, a in hits)]

    def allowed_before(self, before: date | None) -> np.ndarray | None:
        if before is None:
            return None
        allowed: np.ndarray = (self.filed != NO_DATE) & (self.filed < day_number(before))
        return allowed

    def nearest_in_meaning(self, query_vector: np.ndarray, *, before: date | None, k: int) -> list[tuple[int, float]]:
        if self.vectors is None or self.vectors.size == 0:
            return []
        found = self.vectors.search(query_vector, k, self.allowed_before(before))
        return list(zip(found.rows.tolist(), found.scores.tolist(), strict=True))

    def cosine(self, query_vector: np.ndarray, rows: Sequence[int]) -> np.ndarray:
        if self.vectors is None or not rows:
            return np.zeros(len(rows), dtype=np.float32)
        return np.asarray(self.vectors.vectors[np.asarray(rows, dtype=np.int64)] @ query_vector, dtype=np.float32)


def build_mark_index(directory: Path, records: Iterable[MarkRecord], *, vectors: np.ndarray | None,
                     source_state: str = "", threads: int = 1, ann_threshold: int = ANN_THRESHOLD) -> int:
    """Write the index of ``records`` to ``directory`` (replacing what was there); ``vectors`` (n × d,
    L2-normalised, one per record in order) for meanings, or None for none. The number of marks indexed."""
    staging = directory.with_name(directory.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "tantivy").mkdir(parents=True)
    index = tantivy.Index(_schema(), path=str(staging / "tantivy"))
    index.register_tokenizer("keys", _keys_analyzer())
    writer = index.writer(heap_size=_WRITER_HEAP, num_threads=max(1, threads))
    filed: list[int] = []
    for row, record in enumerate(records):
        doc = tantivy.Document()
        doc.add_text("number", record.number)
        doc.add_text("mark", record.mark)
        for text in record.also:
            doc.add_text("also", text)
        doc.add_text("terms", record.terms[:1000])
        for text in record.texts:
            forms = mark_forms(text)
            doc.add_text("grams", " ".join(visual_grams(forms)))
            doc.add_text("sound", " ".join(sound_keys(forms)))
            doc.add_text("words", " ".join(forms.visual_words))
            doc.add_text("whole", whole_key(forms.visual_words))
            doc.add_text("meaning_zh" if forms.has_chinese else "meaning_en", " ".join(sorted(meaning(forms))))
        for nice_class in record.classes:
            doc.add_integer("classes", nice_class)
        doc.add_integer("filed", day_number(record.filed))
        doc.add_integer("row", row)
        writer.add_document(doc)
        filed.append(day_number(record.filed))
    writer.commit()
    writer.wait_merging_threads()
    np.save(staging / "filed.npy", np.asarray(filed, dtype=np.int32))
    if vectors is not None:
        if vectors.shape[0] != len(filed):
            raise ValueError(f"vectors: {vectors.shape[0]} rows for {len(filed)} marks")
        VectorIndex.build(vectors, ann_threshold=ann_threshold, threads=threads).save(staging / "vectors")
    (staging / "meta.json").write_text(json.dumps({
        "schema_version": SCHEMA_VERSION, "source_state": source_state, "marks": len(filed),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds")}))
    old = directory.with_name(directory.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if directory.exists():
        directory.rename(old)
    staging.rename(directory)
    shutil.rmtree(old, ignore_errors=True)
    return len(filed)
