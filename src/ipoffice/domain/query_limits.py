"""Limits on the size of a search: what one query may ask of the engine.

A query is refused (a :class:`QueryTooLarge`, which is a ``QueryError``: every entrypoint shows it the way
it shows a syntax error) before the engine sees it when it is longer than ``MAX_QUERY_CHARS``, nests
parentheses deeper than ``MAX_DEPTH``, has more than ``MAX_TERMS`` words and phrases or more than
``MAX_WILDCARDS`` truncated words, or truncates a word after fewer than ``MIN_WILDCARD_PREFIX`` letters
(``a*`` would expand to most of the dictionary). Plain text (``--plain``, batch and prior-art queries, where
a whole claim is the query) may be longer (``MAX_TEXT_CHARS``) and is limited in distinct words.

Each check costs a pass over the text or the tree: a 100 KB query is refused in milliseconds.
"""

from __future__ import annotations

import re

from ipoffice.domain.query import And, Node, Not, Or, Phrase, Proximity, QueryError, Term, parse_query

MAX_QUERY_CHARS = 4_000
MAX_TEXT_CHARS = 20_000
MAX_DEPTH = 20  # a policy below the parser's own structural bound (query.MAX_NESTING)
MAX_TERMS = 200
MAX_TEXT_WORDS = 1_000
MAX_WILDCARDS = 20
MIN_WILDCARD_PREFIX = 2

_WORD = re.compile(r"\w+")


class QueryTooLarge(QueryError):
    """A query beyond one of the limits of this module; the message names the limit and its value."""


def check_text(text: str) -> None:
    """Plain text (any of the words): its length and its number of distinct words."""
    if len(text) > MAX_TEXT_CHARS:
        raise QueryTooLarge(MAX_TEXT_CHARS, f"the text is {len(text):,} characters long; the limit is "
                                            f"{MAX_TEXT_CHARS:,} (MAX_TEXT_CHARS)", "too_long",
                            count=len(text), limit=MAX_TEXT_CHARS, name="MAX_TEXT_CHARS")
    words = len(set(_WORD.findall(text.lower())))
    if words > MAX_TEXT_WORDS:
        raise QueryTooLarge(0, f"the text has {words:,} distinct words; the limit is {MAX_TEXT_WORDS:,} "
                               "(MAX_TEXT_WORDS)", "too_many_words", count=words, limit=MAX_TEXT_WORDS,
                            name="MAX_TEXT_WORDS")


def check_query(query: str) -> Node:
    """The parsed query, refused before parsing when too long or too deeply nested, after it when it has
    too many terms or wildcards."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLarge(MAX_QUERY_CHARS, f"the query is {len(query):,} characters long; the limit is "
                                             f"{MAX_QUERY_CHARS:,} (MAX_QUERY_CHARS)", "too_long",
                            count=len(query), limit=MAX_QUERY_CHARS, name="MAX_QUERY_CHARS")
    _check_nesting(query)
    tree = parse_query(query)
    check_tree(tree)
    return tree


def _check_nesting(query: str) -> None:
    depth, quoted = 0, False
    for position, char in enumerate(query):
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryTooLarge(position, f"parentheses nested more than {MAX_DEPTH} deep (MAX_DEPTH)",
                                    "too_deep", limit=MAX_DEPTH)
        elif not quoted and char == ")":
            depth -= 1


def check_tree(tree: Node) -> None:
    """Terms, wildcards and the literal prefix of each wildcard of a parsed query."""
    terms = wildcards = 0
    stack: list[tuple[Node, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise QueryTooLarge(0, f"the query nests more than {MAX_DEPTH} levels deep (MAX_DEPTH)", "too_deep",
                                limit=MAX_DEPTH)
        if isinstance(node, And | Or):
            stack.extend((item, depth + 1) for item in node.items)
        elif isinstance(node, Not):
            stack.append((node.item, depth + 1))
        elif isinstance(node, Proximity):
            terms += 2
        elif isinstance(node, Term | Phrase):
            terms += 1
            if isinstance(node, Term) and node.is_wildcard:
                wildcards += 1
                check_wildcard(node.text)
    if terms > MAX_TERMS:
        raise QueryTooLarge(0, f"the query has {terms:,} terms; the limit is {MAX_TERMS:,} (MAX_TERMS)",
                            "too_many_terms", count=terms, limit=MAX_TERMS, name="MAX_TERMS")
    if wildcards > MAX_WILDCARDS:
        raise QueryTooLarge(0, f"the query has {wildcards:,} truncated words (*, ? or #); the limit is "
                               f"{MAX_WILDCARDS} (MAX_WILDCARDS)", "too_many_wildcards", count=wildcards,
                            limit=MAX_WILDCARDS, name="MAX_WILDCARDS")


def check_wildcard(word: str) -> None:
    """A truncated word needs ``MIN_WILDCARD_PREFIX`` letters before its first ``*`` or ``?``: ``a*``
    or ``*ing`` would expand to a large share of the index's dictionary."""
    prefix = len(re.split(r"[*?#]", word, maxsplit=1)[0])
    if prefix < MIN_WILDCARD_PREFIX:
        raise QueryTooLarge(0, f"{word!r}: a truncated word needs at least {MIN_WILDCARD_PREFIX} characters "
                               "before *, ? or # (MIN_WILDCARD_PREFIX)", "wildcard_prefix", found=word,
                            limit=MIN_WILDCARD_PREFIX, name="MIN_WILDCARD_PREFIX")
