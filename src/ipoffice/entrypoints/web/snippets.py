"""Result snippets with the query's words marked (the read models of the pages are in
``ipoffice.services.portal_queries``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup, escape

from ipoffice.domain.document import Document, TextField
from ipoffice.domain.errors import DomainError
from ipoffice.domain.query import free_text, parse_query

SNIPPET_CHARS = 260


def query_words(query: str, syntax: str = "query") -> list[str]:
    """The words a result snippet should mark: the query's text words, wildcards stripped."""
    if syntax == "text":
        text = query
    else:
        try:
            text = free_text(parse_query(query))
        except (DomainError, RecursionError):  # a bad query is reported by the search itself
            text = query
    return [w for w in re.findall(r"\w+", text.lower()) if len(w) > 1 or not w.isascii()]


def _stem(word: str) -> str:
    # Matching by a short prefix stands in for the index's stemming: "charging" marks "charger" too.
    return word[:5] if word.isascii() and len(word) > 5 else word


def snippet(doc: Document, words: Sequence[str], lang: str | None = None) -> Markup:
    """About SNIPPET_CHARS of the abstract (or the first claim, or the description) around the first query
    word, the query's words wrapped in <mark>."""
    text = (doc.text(TextField.ABSTRACT, lang) or doc.text(TextField.ABSTRACT)
            or (doc.claims[0].text if doc.claims else None) or doc.text(TextField.DESCRIPTION) or "")
    if not text:
        return Markup("")
    stems = sorted({_stem(w) for w in words if w}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(s) for s in stems), re.IGNORECASE) if stems else None
    start = 0
    if pattern is not None and (first := pattern.search(text)) is not None:
        start = max(0, first.start() - SNIPPET_CHARS // 3)
    piece = text[start:start + SNIPPET_CHARS]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET_CHARS < len(text) else ""
    if pattern is None:
        return Markup(escape(prefix + piece + suffix))
    out: list[str] = [str(escape(prefix))]
    last = 0
    for match in pattern.finditer(piece):
        out.append(str(escape(piece[last:match.start()])))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(str(escape(piece[last:])))
    out.append(str(escape(suffix)))
    return Markup("".join(out))
