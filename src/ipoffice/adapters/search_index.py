"""The full-text index of the register in tantivy (an embedded Rust search library), under ``var/``.

Analysis:
- English (and other Latin-script) text: tantivy's simple tokenizer, lowercase, Snowball English stemming,
  in the fields ``title``, ``abstract``, ``claims``, ``description``.
- Chinese text: normalised (simplified script, folded width, pinyin glosses removed) then segmented into
  words by jieba (search mode) in Python, the words joined by spaces into ``<field>_zh`` with a whitespace
  tokenizer: plain Chinese words match there, with their sub-words, in any order (recall). The same text
  goes, one character a token (a Latin word one token), with positions into ``<field>_zhc``: quoted
  Chinese phrases and proximity match there, in order. Search-mode segments have no reliable positions,
  and a precise-mode segmentation of a phrase alone can differ from the same words in a sentence (雷达的标定
  in 激光雷达的标定), so characters, which never depend on context, carry the word order.
- Keywords for filters: publication number (with and without kind code), application number (``ap``),
  priority numbers (``pr``) and cited publication numbers (``ct``, with and without kind code), each in the
  canonical form of ``domain.numbers`` whatever form the office printed; every level of each IPC/CPC
  symbol (``H``, ``H04``, ``H04W``, ``H04W72``, ``H04W72/04``), language; dates; and fast fields for facets.

The index records its schema version; an index of another version must be rebuilt
(``ipoffice index rebuild``) rather than being read wrongly.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import tantivy

from ipoffice.adapters.query_to_tantivy import Analysers, QueryTranslator, as_datetime
from ipoffice.domain.classification import ClassificationSymbol, Scheme, scheme_keys
from ipoffice.domain.document import Document, PartyRole, TextField
from ipoffice.domain.errors import DomainError
from ipoffice.domain.numbers import ApplicationNumber, PublicationNumber
from ipoffice.domain.query import KIND_UNKNOWN, parse_query
from ipoffice.domain.search import (
    FACETS,
    FacetCount,
    SearchError,
    SearchHit,
    SearchRequest,
    SearchResult,
    applicant_names,
)
from ipoffice.domain.text import CJK_RANGES, has_cjk, normalise

SCHEMA_VERSION = 6  # 2: <field>_zhc character positions; ap, pr, ct number keys. 3: lc (Locarno), uc (USPC).
# 4: pn key "<number>~" of a document recorded without a kind code. 5: agents are not applicants; the applicant
# facet (applicant_name) lists applicants proper (domain.search.applicant_names). 6: trademark fields mark, goods
# (text), nc (Nice class), vc (Vienna code)
TEXT_INDEX_FIELDS = ("title", "abstract", "claims", "description")
MARK_INDEX_FIELDS = ("mark", "goods")  # a trademark's words and its goods and services (query fields tm, gs)
_WRITER_HEAP = 256_000_000
_FACET_FIELDS = {"right_type": "right_type", "ipc_section": "ipc_section", "ipc_class": "ipc_class",
                 "year": "year", "applicant": "applicant_name", "country": "country"}


class IndexMissing(SearchError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"no search index at {path}: run `ipoffice index rebuild`")


class IndexOutdated(SearchError):
    def __init__(self, path: Path, found: object) -> None:
        super().__init__(f"the search index at {path} has schema version {found}, this version needs "
                         f"{SCHEMA_VERSION}: run `ipoffice index rebuild`")


# --- analysis ----------------------------------------------------------------------------------

def _english_analyzer() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.stemmer("english")).build())


def _plain_analyzer() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase()).build())


def _whitespace_analyzer() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase()).build())


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading at INFO
    return jieba


def segment_chinese(text: str) -> list[str]:
    """jieba words of normalised text in search mode: each word, then its dictionary sub-words
    (心理障碍 → 心理, 障碍, 心理障碍), so a query cut differently from the document still matches."""
    return [w for w in _jieba().cut_for_search(text) if w.strip()]


def chinese_field_text(text: str) -> str:
    """The whitespace-separated words indexed in a ``_zh`` field (punctuation dropped)."""
    return " ".join(w for w in segment_chinese(normalise(text)) if any(c.isalnum() for c in w))


_CHARACTER_TOKEN = re.compile(f"[{CJK_RANGES}]|[^\\W_{CJK_RANGES}]+")


def chinese_characters(text: str) -> list[str]:
    """Tokens of the ``_zhc`` fields, of normalised text: each Chinese character, each run of other letters
    and digits (lowercased); punctuation dropped."""
    return [t.lower() for t in _CHARACTER_TOKEN.findall(text)]


@lru_cache(maxsize=1)
def analysers() -> Analysers:
    english, plain = _english_analyzer(), _plain_analyzer()
    stop = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stopword("english")).build())
    # The stop-word list itself, stemmed the way query words are, by what the stop filter removes.
    probe = "a an and are as at be but by for if in into is it no not of on or such that the their then there " \
            "these they this to was will with"
    kept = set(stop.analyze(probe))
    stopwords = frozenset(t for w in probe.split() if w not in kept for t in english.analyze(w))
    return Analysers(english=english.analyze, plain=plain.analyze, segment_chinese=segment_chinese,
                     stopwords=stopwords, chinese_characters=chinese_characters)


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("number", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("display_title", stored=True, tokenizer_name="raw", index_option="basic")
    for name in ("pn", "ap", "pr", "ct"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in TEXT_INDEX_FIELDS + MARK_INDEX_FIELDS:
        sb.add_text_field(name, tokenizer_name="en_stem")
        sb.add_text_field(name + "_zh", tokenizer_name="zh_words")
        sb.add_text_field(name + "_zhc", tokenizer_name="zh_words")
    sb.add_text_field("applicant", tokenizer_name="names")
    sb.add_text_field("inventor", tokenizer_name="names")
    for name in ("ic", "cpc", "lang", "lc", "uc", "nc", "vc"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    sb.add_date_field("pd", stored=True, indexed=True, fast=True)
    sb.add_date_field("ad", indexed=True, fast=True)
    for name in ("right_type", "country", "ipc_section", "ipc_class", "applicant_name"):
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_integer_field("year", indexed=True, fast=True)
    return sb.build()


def _register_tokenizers(index: tantivy.Index) -> None:
    index.register_tokenizer("en_stem", _english_analyzer())
    index.register_tokenizer("zh_words", _whitespace_analyzer())
    index.register_tokenizer("names", _plain_analyzer())


# --- documents → index documents ---------------------------------------------------------------

def classification_keys(symbol: str) -> list[str]:
    """Every level a query can name: ``H04W 72/04`` → H, H04, H04W, H04W72, H04W72/04."""
    try:
        parsed = ClassificationSymbol.parse(symbol)
    except DomainError:
        return []
    keys = [parsed.section]
    if parsed.class_:
        keys.append(parsed.section + parsed.class_)
    if parsed.subclass_symbol:
        keys.append(parsed.subclass_symbol)
    if parsed.main_group:
        keys += [f"{parsed.subclass_symbol}{parsed.main_group}", parsed.compact]
    return keys


_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def _as_given(text: str, country: str | None) -> str:
    """The key of a number no parser reads (``DM/054034``): its letters and digits after the country."""
    compact = _NOT_ALNUM.sub("", text.upper())
    return compact if country is None or compact.startswith(country) else country + compact


@lru_cache(maxsize=65536)
def application_keys(text: str, country: str | None) -> tuple[str, ...]:
    """The ``ap``/``pr`` keys of an application or priority number as the office printed it."""
    try:
        return ApplicationNumber.parse(text, default_country=country).keys
    except DomainError:
        return (_as_given(text, country),)


@lru_cache(maxsize=65536)  # a corpus cites the same documents again and again
def cited_keys(text: str, country: str | None) -> tuple[str, ...]:
    """The ``ct`` keys of a cited publication number: with and without its kind code."""
    try:
        number = PublicationNumber.parse(text, default_country=country)
    except DomainError:
        return (_as_given(text, country),)
    return (number.compact, number.without_kind) if number.kind else (number.compact,)


def index_document(doc: Document) -> tantivy.Document:
    out = tantivy.Document()
    number = doc.number.compact
    out.add_text("number", number)
    out.add_text("display_title", doc.title or doc.mark_text or "")
    for key in {number, doc.number.without_kind}:
        out.add_text("pn", key)
    if not doc.number.kind:
        out.add_text("pn", number + KIND_UNKNOWN)
    country = doc.number.country
    if doc.application_number:
        for key in application_keys(doc.application_number, country):
            out.add_text("ap", key)
    for key in {k for p in doc.priority_claims for k in application_keys(p.number, p.country or None)}:
        out.add_text("pr", key)
    for key in {k for c in doc.citations if c.number for k in cited_keys(c.number, c.country)}:
        out.add_text("ct", key)
    texts: list[tuple[str, str, str]] = [(t.field.value, t.lang, t.text) for t in doc.texts]
    texts += [("claims", c.lang, c.text) for c in doc.claims]
    if doc.mark_text:
        texts += [(TextField.TITLE.value, "", doc.mark_text), ("mark", "", doc.mark_text)]
    texts += [("goods", g.lang or "", g.terms) for g in doc.goods_and_services]
    for nice_class in sorted({g.nice_class for g in doc.goods_and_services}):
        out.add_text("nc", str(nice_class))
        out.add_text("nc", f"{nice_class:02d}")  # as printed: class 09
    for name, lang, text in texts:
        if lang == "zh" or has_cjk(text):
            normalised = normalise(text)
            out.add_text(name + "_zh", chinese_field_text(normalised))
            out.add_text(name + "_zhc", " ".join(chinese_characters(normalised)))
        else:
            out.add_text(name, normalise(text))
    for lang in doc.languages:
        out.add_text("lang", lang)
    for party in doc.parties:
        if party.role == PartyRole.AGENT:
            continue  # an attorney or law firm is neither applicant nor inventor
        field = "inventor" if party.role == PartyRole.INVENTOR else "applicant"
        name = normalise(party.name)
        out.add_text(field, chinese_field_text(name) if has_cjk(name) else name)
    for name in applicant_names(doc.parties):
        out.add_text("applicant_name", name)
    sections, classes = set(), set()
    for c in doc.classifications:
        if c.scheme == Scheme.VIENNA:  # figurative elements of marks: the query field vc
            for key in scheme_keys(c.scheme, c.symbol):
                out.add_text("vc", key)
            continue
        if not c.scheme.is_ipc_like:  # Locarno (lc), USPC (uc)
            for key in scheme_keys(c.scheme, c.symbol):
                out.add_text("lc" if c.scheme == Scheme.LOCARNO else "uc", key)
            continue
        keys = classification_keys(c.symbol)
        for key in keys:
            out.add_text("ic" if c.scheme == Scheme.IPC else "cpc", key)
        if keys:
            sections.add(keys[0])
            if len(keys) > 1:
                classes.add(keys[1])
    for s in sorted(sections):
        out.add_text("ipc_section", s)
    for cls in sorted(classes):
        out.add_text("ipc_class", cls)
    if doc.publication_date:
        out.add_date("pd", as_datetime(doc.publication_date))
        out.add_integer("year", doc.publication_date.year)
    if doc.application_date:
        out.add_date("ad", as_datetime(doc.application_date))
    out.add_text("right_type", doc.right_type.value)
    out.add_text("country", doc.number.country)
    return out


# --- the index ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class IndexInfo:
    path: Path
    documents: int
    size_bytes: int


class KeywordIndex:
    """The tantivy index at ``path``: writing documents and searching (implements ``domain.search.KeywordEngine``)."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        self.path = path
        self.schema = build_schema()
        meta = path / "ipoffice-index.json"
        if not (path / "meta.json").exists():
            if not create:
                raise IndexMissing(path)
            path.mkdir(parents=True, exist_ok=True)
            meta.write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
        else:
            found = json.loads(meta.read_text()).get("schema_version") if meta.exists() else None
            if found != SCHEMA_VERSION:
                raise IndexOutdated(path, found)
        self.index = tantivy.Index(self.schema, path=str(path))
        _register_tokenizers(self.index)
        self.translator = QueryTranslator(self.schema, analysers())
        self._writer: Any = None

    @classmethod
    def recreate(cls, path: Path) -> KeywordIndex:
        """An empty index at ``path``, replacing whatever was there (for a rebuild)."""
        if path.exists():
            shutil.rmtree(path)
        return cls(path, create=True)

    # --- writing -----------------------------------------------------------------------------

    def writer(self) -> Any:
        if self._writer is None:
            self._writer = self.index.writer(_WRITER_HEAP, 0)
        return self._writer

    def upsert(self, documents: Iterable[Document], *, commit: bool = True) -> int:
        """Add documents, replacing any indexed version of the same number."""
        writer = self.writer()
        n = 0
        for doc in documents:
            writer.delete_documents_by_term("number", doc.number.compact)
            writer.add_document(index_document(doc))
            n += 1
        if commit:
            self.commit()
        return n

    def add_new(self, documents: Iterable[Document], progress: Callable[[int], None] | None = None) -> int:
        """Add documents known not to be indexed yet (a rebuild): no deletes, one commit at the end."""
        writer = self.writer()
        n = 0
        for doc in documents:
            writer.add_document(index_document(doc))
            n += 1
            if progress:
                progress(1)
        self.commit()
        return n

    def delete(self, numbers: Iterable[str]) -> None:
        writer = self.writer()
        for number in numbers:
            writer.delete_documents_by_term("number", number)
        self.commit()

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self.index.reload()

    def close(self) -> None:
        """Release the writer (and its lock on the index folder), merging what is pending."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.commit()
            writer.wait_merging_threads()
            self.index.reload()

    def info(self) -> IndexInfo:
        size = sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())
        return IndexInfo(self.path, self.index.searcher().num_docs, size)

    def document_count(self) -> int:
        return int(self.index.searcher().num_docs)

    def numbers(self) -> set[str]:
        searcher = self.index.searcher()
        result = searcher.search(tantivy.Query.all_query(), limit=max(searcher.num_docs, 1), count=False)
        return {searcher.doc(addr)["number"][0] for _, addr in result.hits}

    # --- searching ---------------------------------------------------------------------------

    def to_query(self, request: SearchRequest) -> tantivy.Query:
        """The tantivy query of a request: the query language, or any of the words for plain text."""
        fields = request.fields or ("title", "abstract", "claims")
        query: tantivy.Query | None
        if request.within is not None and not request.query.strip():
            query = tantivy.Query.all_query()
        elif request.syntax == "text":
            query = self.translator.plain_text(request.query, fields)
        else:
            query = self.translator.translate(parse_query(request.query), fields)
        if query is None:
            query = tantivy.Query.empty_query()
        required = [query]
        if request.within is not None:
            required.append(tantivy.Query.term_set_query(self.schema, "number", list(request.within)))
        if request.require is not None:
            required.append(self.translator.translate(request.require, fields) or tantivy.Query.empty_query())
        if request.before is not None:
            required.append(tantivy.Query.range_query(self.schema, "pd", tantivy.FieldType.Date, None,
                                                      as_datetime(request.before), include_upper=False))
        for name, value in request.filters:
            field_name = _FACET_FIELDS[name]
            if field_name == "year":
                if not value.isdigit():
                    raise SearchError(f"filters: year must be a number (got {value!r})")
                required.append(tantivy.Query.term_query(self.schema, field_name, int(value)))
            else:
                required.append(tantivy.Query.term_query(self.schema, field_name, value))
        if len(required) == 1:
            return query
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in required])

    def search(self, request: SearchRequest) -> SearchResult:
        query = self.to_query(request)
        searcher = self.index.searcher()
        if request.sort == "relevance":
            found = searcher.search(query, limit=request.limit, offset=request.offset, count=True)
        else:  # by publication date, over every match (a fast field), not just the best-scored few
            order = tantivy.Order.Desc if request.sort == "date_desc" else tantivy.Order.Asc
            found = searcher.search(query, limit=request.limit, offset=request.offset, count=True,
                                    order_by_field="pd", order=order)
        hits = []
        for key, address in found.hits:
            stored = searcher.doc(address)
            score = float(key) if request.sort == "relevance" else 0.0
            hits.append(SearchHit(stored["number"][0], score, (stored.get_first("display_title") or None)))
        return SearchResult(total=found.count or 0, hits=hits)  # type: ignore[attr-defined,unused-ignore]

    def facets(self, request: SearchRequest, facets: Sequence[str] = FACETS,
               limit: int = 10) -> dict[str, list[FacetCount]]:
        unknown = [f for f in facets if f not in _FACET_FIELDS]
        if unknown:
            raise SearchError(f"facets: unknown {unknown}; valid: {', '.join(_FACET_FIELDS)}")
        spec = {f: {"terms": {"field": _FACET_FIELDS[f], "size": limit}} for f in facets}
        result = self.index.searcher().aggregate(self.to_query(request), spec)
        return {f: [FacetCount(str(b["key"]), int(b["doc_count"])) for b in result[f]["buckets"]] for f in facets}
