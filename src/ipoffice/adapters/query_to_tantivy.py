"""Turns a parsed query (``ipoffice.domain.query``) or a plain text into a tantivy query.

Words are analysed exactly as the indexed text was: Latin-script words by the English analyser
(lowercase + Snowball stemming) against the ``<field>`` index fields, and also lowercased against the
Chinese ``<field>_zh`` fields (Chinese text often contains Latin words such as "LED"); Chinese words are
normalised (simplified script) and segmented by jieba (search mode: words and their sub-words) against
the ``<field>_zh`` fields, all segments required, in any order; quoted Chinese phrases and proximity match
the characters in order in the positional ``<field>_zhc`` fields (a word distance counts as
``CJK_CHARACTERS_PER_WORD`` characters).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import tantivy

from ipoffice.domain import query as q
from ipoffice.domain.query_limits import check_wildcard
from ipoffice.domain.text import has_cjk, normalise

# Query-language text fields → the searchable text fields of the index (their English index fields).
QUERY_FIELD_TARGETS: dict[str, tuple[str, ...]] = {
    "ti": ("title",), "ab": ("abstract",), "cl": ("claims",), "desc": ("description",),
    "txt": ("title", "abstract", "claims"), "ta": ("title", "abstract"), "claims": ("claims",),
    "ftxt": ("description", "claims"), "extftxt": ("title", "abstract", "description", "claims"),
    "tm": ("mark",), "gs": ("goods",),
}
DEFAULT_TEXT_FIELDS = QUERY_FIELD_TARGETS["txt"]
NAME_INDEX_FIELDS: dict[str, tuple[str, ...]] = {"pa": ("applicant",), "in": ("inventor",),
                                                 "ia": ("inventor", "applicant")}
KEYWORD_INDEX_FIELDS = {"pn": "pn", "ap": "ap", "pr": "pr", "ct": "ct", "ic": "ic", "cpc": "cpc", "lang": "lang",
                        "lc": "lc", "uc": "uc", "nc": "nc", "vc": "vc"}
DATE_INDEX_FIELDS = {"pd": "pd", "ad": "ad"}

Analyse = Callable[[str], list[str]]
CJK_CHARACTERS_PER_WORD = 2  # a Chinese word has two characters on average: "~3" allows 6 characters


@dataclass(frozen=True)
class Analysers:
    english: Analyse  # stemmed tokens, as indexed in the English text fields
    plain: Analyse  # lowercased tokens, as in the Chinese and name fields
    segment_chinese: Analyse  # jieba words of normalised Chinese text
    stopwords: frozenset[str]  # English stop words (already stemmed), dropped from plain-text queries
    chinese_characters: Analyse  # one token a Chinese character, as in the positional ``_zhc`` fields


_MIDNIGHT_UTC = time(tzinfo=UTC)


def as_datetime(d: date) -> datetime:
    return datetime.combine(d, _MIDNIGHT_UTC)  # a third of the cost of datetime(y, m, d, tzinfo=UTC)


def wildcard_regex(word: str) -> str:
    """``charg*`` → ``charg.*``; as on Espacenet, ``?`` is none or one character, ``#`` exactly one.
    Lowercased: index terms are. The expansion is bounded: a word with too short a literal prefix raises
    QueryTooLarge (``domain.query_limits``)."""
    check_wildcard(word)
    return "".join(_WILDCARDS.get(c) or re.escape(c) for c in word.lower())


_WILDCARDS = {"*": ".*", "?": ".?", "#": "."}


class QueryTranslator:
    def __init__(self, schema: tantivy.Schema, analysers: Analysers) -> None:
        self.schema = schema
        self.analysers = analysers

    # --- plain text (batch queries, known-item search) -------------------------------------

    def plain_text(self, text: str, fields: Sequence[str] = DEFAULT_TEXT_FIELDS) -> tantivy.Query | None:
        """Any of the words, ranked by BM25; a word repeated in the text weighs as often (as Lucene's
        query parser does with repeated clauses). English stop words are dropped: they are in nearly every
        document and only cost time."""
        a = self.analysers
        normalised = normalise(text)
        english = Counter(t for t in a.english(normalised) if t not in a.stopwords)
        clauses: list[tuple[str, str, int]] = [(f, t, n) for f in fields for t, n in english.items()]
        if has_cjk(normalised):
            chinese = Counter(t for t in a.segment_chinese(normalised) if has_cjk(t))
            clauses += [(f + "_zh", t, n) for f in fields for t, n in chinese.items()]
        if not clauses:
            return None
        subqueries = []
        for field, token, count in clauses:
            term = tantivy.Query.term_query(self.schema, field, token, index_option="freq")
            subqueries.append((tantivy.Occur.Should, term if count == 1 else tantivy.Query.boost_query(term, count)))
        return tantivy.Query.boolean_query(subqueries)

    # --- the query language ----------------------------------------------------------------

    def translate(self, node: q.Node, default_fields: Sequence[str] = DEFAULT_TEXT_FIELDS) -> tantivy.Query | None:
        """The tantivy query of ``node``; None when it has nothing searchable (e.g. only punctuation)."""
        if isinstance(node, q.Term) or isinstance(node, q.Phrase):  # noqa: SIM101 (faster than a union)
            return self._text_or_keyword(node, default_fields)
        if isinstance(node, q.Proximity):
            return self._proximity(node, default_fields)
        if isinstance(node, q.And):
            positives, negatives = [], []
            for item in node.items:
                if isinstance(item, q.Not):
                    inner = self.translate(item.item, default_fields)
                    if inner is not None:
                        negatives.append(inner)
                else:
                    sub = self.translate(item, default_fields)
                    if sub is not None:
                        positives.append(sub)
            return _boolean(positives, negatives) if positives or negatives else None
        if isinstance(node, q.DateRange):
            start = as_datetime(node.start) if node.start else None
            end = as_datetime(node.end) if node.end else None
            return tantivy.Query.range_query(self.schema, DATE_INDEX_FIELDS[node.field], tantivy.FieldType.Date,
                                             start, end)
        if isinstance(node, q.Not):
            inner = self.translate(node.item, default_fields)
            return _boolean([], [inner] if inner else [])
        return _any_of([s for s in (self.translate(i, default_fields) for i in node.items) if s is not None])

    def _text_or_keyword(self, node: q.Term | q.Phrase, default_fields: Sequence[str]) -> tantivy.Query | None:
        field = node.field
        if field in KEYWORD_INDEX_FIELDS:
            # A filter, not a topic: every match scores alike, whatever the number of symbols or numbers.
            term = tantivy.Query.term_query(self.schema, KEYWORD_INDEX_FIELDS[field], node.text, index_option="basic")
            return tantivy.Query.const_score_query(term, 1.0)
        if field in NAME_INDEX_FIELDS:
            return _any_of([s for s in (self._name_field(f, node) for f in NAME_INDEX_FIELDS[field]) if s])
        return _any_of(self._text_fields(default_fields if field is None else QUERY_FIELD_TARGETS[field], node))

    # --- proximity -------------------------------------------------------------------------------

    def _proximity(self, node: q.Proximity, default_fields: Sequence[str]) -> tantivy.Query | None:
        """Both sides in one index field, fewer than ``distance`` positions apart (word positions; Chinese
        in the character fields, ``CJK_CHARACTERS_PER_WORD`` characters a word)."""
        field = node.field
        if field in NAME_INDEX_FIELDS:
            pairs = [(f, self._name_tokens(node.left), self._name_tokens(node.right)) for f in NAME_INDEX_FIELDS[field]]
            per_word = 1
        else:
            targets = default_fields if field is None else QUERY_FIELD_TARGETS[field]
            cjk = has_cjk(node.left) or has_cjk(node.right)
            if cjk:
                left = self.analysers.chinese_characters(normalise(node.left))
                right = self.analysers.chinese_characters(normalise(node.right))
                pairs = [(t + "_zhc", left, right) for t in targets]
            else:
                left = self._tokens(self.analysers.english, normalise(node.left))
                right = self._tokens(self.analysers.english, normalise(node.right))
                pairs = [(t, left, right) for t in targets]
            per_word = CJK_CHARACTERS_PER_WORD if cjk else 1
        between = (node.distance - 2) * per_word  # at most this many positions between the two sides
        return _any_of([self._near(f, left, right, between, node.ordered) for f, left, right in pairs
                        if left and right])

    def _near(self, field: str, left: list[str], right: list[str], between: int, ordered: bool) -> tantivy.Query:
        """``right`` after ``left`` with at most ``between`` positions between them (or, unordered, either way)."""
        if not ordered:
            # A phrase slop moves tokens either way: both orders with the slop cover every arrangement.
            return tantivy.Query.boolean_query([
                (tantivy.Occur.Should, tantivy.Query.phrase_query(self.schema, field, _sequence(a + b), between))
                for a, b in ((left, right), (right, left))])
        phrases = []
        for gap in range(between + 1):  # one exact phrase per gap (the parser bounds the distance)
            tokens: list[str | tuple[int, str]] = list(enumerate(left))
            tokens += [(len(left) + gap + i, t) for i, t in enumerate(right)]
            phrases.append((tantivy.Occur.Should, tantivy.Query.phrase_query(self.schema, field, tokens, 0)))
        return tantivy.Query.boolean_query(phrases)

    def _name_tokens(self, text: str) -> list[str]:
        text = normalise(text)
        return self._tokens(self.analysers.segment_chinese if has_cjk(text) else self.analysers.plain, text)

    def _text_fields(self, targets: Sequence[str], node: q.Term | q.Phrase) -> list[tantivy.Query]:
        """For each target, its English index field (unless the text is Chinese) and its Chinese one; the text
        is analysed once for all targets."""
        cjk = has_cjk(node.text)
        text = normalise(node.text)
        if isinstance(node, q.Term) and node.is_wildcard:
            pattern = wildcard_regex(text)
            names = [f for t in targets for f in ((t + "_zh",) if cjk else (t, t + "_zh"))]
            return [tantivy.Query.regex_query(self.schema, f, pattern) for f in names]
        if cjk and isinstance(node, q.Phrase):
            characters = self.analysers.chinese_characters(text)
            if not characters:
                return []
            slop = node.slop * CJK_CHARACTERS_PER_WORD
            return [self._sequence(t + "_zhc", characters, slop) for t in targets]
        english = [] if cjk else self._tokens(self.analysers.english, text)
        # Latin words in Chinese text are jieba tokens that the plain analyser reproduces (and 20× faster).
        chinese = self._tokens(self.analysers.segment_chinese if cjk else self.analysers.plain, text)
        out = []
        for target in targets:
            if english:
                out.append(self._words(target, english, node, segmented=False))
            if chinese:
                out.append(self._words(target + "_zh", chinese, node, segmented=cjk))
        return out

    def _name_field(self, field: str, node: q.Term | q.Phrase) -> tantivy.Query | None:
        """Applicant or inventor: lowercased words; Chinese names are segmented as at indexing."""
        text = normalise(node.text)
        if isinstance(node, q.Term) and node.is_wildcard:
            return tantivy.Query.regex_query(self.schema, field, wildcard_regex(text))
        cjk = has_cjk(text)
        words = self._tokens(self.analysers.segment_chinese if cjk else self.analysers.plain, text)
        return self._words(field, words, node, segmented=cjk) if words else None

    def _tokens(self, analyse: Analyse, text: str) -> list[str]:
        words = [t for t in analyse(text) if t.strip()]
        if analyse is self.analysers.segment_chinese:
            words = [t.lower() for t in words if any(c.isalnum() for c in t)]
        return words

    def _words(self, field: str, words: list[str], node: q.Term | q.Phrase, *, segmented: bool) -> tantivy.Query:
        """One index field: a term, or a phrase when the text analyses into several tokens."""
        if len(words) == 1:
            return tantivy.Query.term_query(self.schema, field, words[0])
        if segmented:
            # Segmentation depends on context, so a word of the query may be cut differently in a document;
            # the index holds words and their sub-words, and a match needs all of them, in any order.
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, tantivy.Query.term_query(self.schema, field, w)) for w in dict.fromkeys(words)]
            )
        slop = node.slop if isinstance(node, q.Phrase) else 0
        tokens: list[str | tuple[int, str]] = list(words)
        return tantivy.Query.phrase_query(self.schema, field, tokens, slop)

    def _sequence(self, field: str, tokens: list[str], slop: int) -> tantivy.Query:
        if len(tokens) == 1:
            return tantivy.Query.term_query(self.schema, field, tokens[0])
        return tantivy.Query.phrase_query(self.schema, field, _sequence(tokens), slop)


def _sequence(tokens: list[str]) -> list[str | tuple[int, str]]:
    return list(tokens)


def _any_of(subs: list[tantivy.Query]) -> tantivy.Query | None:
    if not subs:
        return None
    return subs[0] if len(subs) == 1 else tantivy.Query.boolean_query([(tantivy.Occur.Should, s) for s in subs])


def _boolean(positives: list[Any], negatives: list[Any]) -> tantivy.Query:
    """Must every positive, must not any negative; a purely negative query starts from every document."""
    must = positives or [tantivy.Query.all_query()]
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, p) for p in must] + [(tantivy.Occur.MustNot, n) for n in negatives]
    )
