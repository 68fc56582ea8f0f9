"""Result snippets and titles with the query's words marked (the read models of the pages are in
``ipoffice.services.portal_queries``).

A word is marked whole, when it is one the search matched: a Latin-script word whose English stem (the
index's analyser) is the stem of a query word ("charging" marks "charge" and "charger", never the "wirel" of
"wireless"), or that a truncated query word (``charg*``) covers; Chinese query words are marked where they
occur. Excluded words (``NOT x``, ``-x``) and the values of number, date and classification fields are not
marked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ipoffice.adapters.query_to_tantivy import wildcard_regex
from ipoffice.adapters.search_index import analysers
from ipoffice.domain import query as q
from ipoffice.domain.document import Document, TextField
from ipoffice.domain.errors import DomainError
from ipoffice.domain.text import has_cjk

SNIPPET_CHARS = 260
_WORD = re.compile(r"\w+")
_LATIN_WORD = re.compile(r"[^\W\d_]\w*|\d\w*", re.ASCII)


def _query_texts(node: q.Node) -> list[str]:
    """The words and phrases of the text fields of a query, wildcards kept, negations left out."""
    if isinstance(node, q.Term | q.Phrase):
        return [node.text] if node.field is None or node.field in q.TEXT_QUERY_FIELDS else []
    if isinstance(node, q.Proximity):
        return [node.left, node.right] if node.field is None or node.field in q.TEXT_QUERY_FIELDS else []
    if isinstance(node, q.And | q.Or):
        return [t for item in node.items for t in _query_texts(item)]
    return []


def query_words(query: str, syntax: str = "query") -> list[str]:
    """The words a result should mark: the query's text words (wildcards kept: ``charg*``)."""
    if syntax == "text":
        texts = [query]
    else:
        try:
            texts = _query_texts(q.parse_query(query))
        except (DomainError, RecursionError):  # a bad query is reported by the search itself
            texts = [query]
    return [w for t in texts for w in re.findall(r"[\w*?#]+", t.lower()) if w.strip("*?#")]


@dataclass(frozen=True)
class Marker:
    """Finds the words of a text that a query matched (see the module docstring)."""

    stems: frozenset[str]
    truncated: re.Pattern[str] | None
    chinese: re.Pattern[str] | None

    @classmethod
    def of(cls, words: Sequence[str]) -> Marker:
        english = analysers().english
        latin = [w for w in words if not has_cjk(w)]
        stems = frozenset(s for w in latin if not q.Term(None, w).is_wildcard for s in english(w))
        truncated = [wildcard_regex(w) for w in latin if q.Term(None, w).is_wildcard]
        chinese = sorted({w for w in words if has_cjk(w)}, key=len, reverse=True)
        return cls(stems, re.compile("|".join(truncated)) if truncated else None,
                   re.compile("|".join(map(re.escape, chinese))) if chinese else None)

    def spans(self, text: str) -> list[tuple[int, int]]:
        english = analysers().english
        found = []
        for m in _WORD.finditer(text):
            for w in _LATIN_WORD.finditer(m.group(0)) if not has_cjk(m.group(0)) else ():
                word = w.group(0)
                if (self.stems and self.stems.intersection(english(word))) or (
                        self.truncated is not None and self.truncated.fullmatch(word.lower())):
                    found.append((m.start() + w.start(), m.start() + w.end()))
        if self.chinese is not None:
            found += [(m.start(), m.end()) for m in self.chinese.finditer(text)]
        return sorted(found)

    def mark(self, text: str) -> Markup:
        """``text`` escaped, the matched words wrapped in <mark>."""
        out: list[str] = []
        last = 0
        for start, end in self.spans(text):
            if start < last:
                continue
            out.append(str(escape(text[last:start])))
            out.append(f"<mark>{escape(text[start:end])}</mark>")
            last = end
        out.append(str(escape(text[last:])))
        return Markup("".join(out))


def snippet(doc: Document, words: Sequence[str] | Marker, lang: str | None = None) -> Markup:
    """About SNIPPET_CHARS of the abstract (or the first claim, or the description) around the first query
    word, the query's words wrapped in <mark>."""
    marker = words if isinstance(words, Marker) else Marker.of(words)
    text = (doc.text(TextField.ABSTRACT, lang) or doc.text(TextField.ABSTRACT)
            or (doc.claims[0].text if doc.claims else None) or doc.text(TextField.DESCRIPTION) or "")
    if not text:
        return Markup("")
    spans = marker.spans(text)
    start = 0
    if spans and spans[0][0] > SNIPPET_CHARS // 3:
        start = spans[0][0] - SNIPPET_CHARS // 3
        space = text.find(" ", start, spans[0][0])
        start = space + 1 if space >= 0 else start  # begin at a word
    piece = text[start:start + SNIPPET_CHARS]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET_CHARS < len(text) else ""
    return Markup(escape(prefix)) + marker.mark(piece) + Markup(escape(suffix))
