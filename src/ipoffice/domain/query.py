"""The search query language (Espacenet-like): tokenizer and parser into an abstract syntax tree.

Examples::

    wireless charging                      plain words: all of them, in title+abstract+claims (txt)
    ti="wireless charging" AND pa=samsung  a phrase in the title and an applicant
    "coil charging"~5 OR charg*            proximity (at most 5 words apart) and truncation
    ic=H04W72 NOT cpc=H04W72/04            classification with its hierarchy
    pd within "2010 2012"  pd>=2015-03     date ranges (year, year-month or full date)

``AND`` binds tighter than ``OR``; ``NOT`` is binary (``a NOT b``) or leading (``NOT b``); operators are
case-insensitive, as on Espacenet. ``ti=(a OR b)`` applies the field to the whole group.
The tree is pure data: the search adapter turns it into an engine query.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ipoffice.domain.classification import ClassificationSymbol, normalise_locarno, normalise_uspc
from ipoffice.domain.errors import DomainError
from ipoffice.domain.numbers import PublicationNumber

# Text fields and what they search (the adapter maps these to index fields).
TEXT_QUERY_FIELDS = {"ti": "title", "ab": "abstract", "cl": "claims", "desc": "description", "txt": "txt"}
NAME_FIELDS = ("pa", "in")
CLASSIFICATION_FIELDS = ("ic", "cpc")
DATE_FIELDS = ("pd", "ad")
KEYWORD_FIELDS = ("pn", "lang", "lc", "uc")
FIELDS = (*TEXT_QUERY_FIELDS, *NAME_FIELDS, *CLASSIFICATION_FIELDS, *DATE_FIELDS, *KEYWORD_FIELDS)
_FIELD_SET = frozenset(FIELDS)
_TERM_FIELDS = frozenset((*TEXT_QUERY_FIELDS, *NAME_FIELDS))  # words, phrases and wildcards, not keywords
_FIELD_HELP = (
    "ti (title), ab (abstract), cl (claims), desc (description), txt (title+abstract+claims), pa (applicant), "
    "in (inventor), pn (publication number), ic (IPC), cpc (CPC), pd (publication date), ad (application date), "
    "lang (language), lc (Locarno), uc (USPC)"
)
OPERATORS = ("AND", "OR", "NOT")


class QueryError(DomainError):
    """A query that cannot be parsed; ``position`` is the 0-based character offset of the problem."""

    def __init__(self, position: int, message: str) -> None:
        self.position = position
        self.message = message
        super().__init__(f"query error at position {position}: {message}")


class UnknownQueryField(QueryError):
    def __init__(self, position: int, name: str) -> None:
        self.field = name
        super().__init__(position, f"unknown field {name!r}; valid fields: {_FIELD_HELP}")


# --- the tree --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """One word (``*`` truncation, ``?`` one character) or a keyword value (pn, ic, cpc, lang).

    ``field`` None means the default text fields (``txt`` unless the request restricts them).
    """

    field: str | None
    text: str

    @property
    def is_wildcard(self) -> bool:
        return "*" in self.text or "?" in self.text


@dataclass(frozen=True)
class Phrase:
    """Words in this order; with ``slop`` > 0, within that many extra positions (proximity)."""

    field: str | None
    text: str
    slop: int = 0


@dataclass(frozen=True)
class DateRange:
    """Both bounds inclusive; None is open."""

    field: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Term | Phrase | DateRange | And | Or | Not


def free_text(node: Node) -> str:
    """The words and phrases of the text fields of a query, for a semantic search of the same intent."""
    if isinstance(node, Term):
        is_text = node.field is None or node.field in TEXT_QUERY_FIELDS
        return node.text.replace("*", "").replace("?", "") if is_text else ""
    if isinstance(node, Phrase):
        return node.text if node.field is None or node.field in TEXT_QUERY_FIELDS else ""
    if isinstance(node, And | Or):
        return " ".join(t for t in (free_text(i) for i in node.items) if t)
    return ""  # dates and negations carry no topic


# --- tokens ----------------------------------------------------------------------------------

class Kind:
    """Token kinds, each spelled as an error message names it.

    Plain class attributes rather than an Enum: the parser compares kinds at every token, and reading an Enum
    member costs ten times as much (Python 3.11)."""

    WORD = "word"
    QUOTED = "quoted phrase"
    LPAREN = "'('"
    RPAREN = "')'"
    COMPARE = "comparison"  # = < <= > >=
    TILDE = "'~'"
    END = "end of query"


class Token(NamedTuple):
    """``operator`` is AND, OR or NOT for a word that is one (in any case), else empty.

    A tuple rather than a frozen dataclass, which costs four times as much to make (a query makes a dozen)."""

    kind: str  # a Kind
    text: str
    position: int
    operator: str = ""

    def describe(self) -> str:
        return self.kind if self.kind in (Kind.END, Kind.QUOTED) else repr(self.text)


# A token after optional spaces: a word, a comparison, a phrase (without its closing quote if it has none) or any
# other single character, '(', ')', '~', '=', '<' or '>'. Every character but a space belongs to a token, so the
# scan never skips input.
_TOKEN = re.compile(r"""(\s*)([^\s()"=<>~]+|<=|>=|"[^"]*"?|\S)""")
_KIND_OF_FIRST = {"(": Kind.LPAREN, ")": Kind.RPAREN, "~": Kind.TILDE, "=": Kind.COMPARE, "<": Kind.COMPARE,
                  ">": Kind.COMPARE, '"': Kind.QUOTED}
_make_token = tuple.__new__  # Token((...)) without NamedTuple's Python-level __new__: half the cost


def tokenize(query: str) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    position = 0
    # findall and the lengths of the spaces: cheaper than a Match object per token.
    for spaces, text in _TOKEN.findall(query):
        position += len(spaces)
        kind = _KIND_OF_FIRST.get(text[0], Kind.WORD)
        if kind is Kind.WORD:
            # No upper-casing makes a word shorter, so only words of up to 3 characters can be operators.
            operator = text.upper() if len(text) <= 3 else ""
            append(_make_token(Token, (kind, text, position, operator if operator in OPERATORS else "")))
        elif kind is Kind.QUOTED:
            if len(text) == 1 or text[-1] != '"':
                raise QueryError(position, 'unterminated phrase: expected a closing \'"\'')
            append(_make_token(Token, (kind, text[1:-1], position, "")))
        else:
            append(_make_token(Token, (kind, text, position, "")))
        position += len(text)
    append(_make_token(Token, (Kind.END, "", len(query), "")))
    return tokens


# --- values ----------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?$", re.ASCII)
_MAIN_GROUP = re.compile(r"^([A-HY]\d{2}[A-Z])(\d{1,4})$", re.ASCII)
# Section, class or subclass: already the key (as ClassificationSymbol.parse(...).compact would make it).
_ABOVE_MAIN_GROUP = re.compile(r"[A-HY](?:\d{2}[A-Z]?)?")
_SPACES = re.compile(r"\s+")
_SLOP = re.compile(r"[0-9]{1,4}")
_LANGUAGE = re.compile(r"[a-z]{2}")


def _date_bounds(text: str, position: int) -> tuple[date, date]:
    """First and last day of a year, month or day: ``2015``, ``2015-03``, ``2015-03-01``, ``20150301``."""
    m = _DATE.match(text.strip())
    if not m:
        raise QueryError(position, f"expected a date like 2015, 2015-03 or 2015-03-01, found {text!r}")
    year, month, day = int(m[1]), m[2], m[3]
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            last = monthrange(year, int(month))[1]
            return date(year, int(month), 1), date(year, int(month), last)
        d = date(year, int(month), int(day))
    except ValueError as exc:
        raise QueryError(position, f"invalid date {text!r}: {exc}") from None
    return d, d


def classification_key(text: str, position: int) -> str:
    """The index key of a classification at any level: ``H``, ``H04``, ``H04W``, ``H04W72`` (main group and
    its subgroups) or ``H04W72/04`` (one subgroup)."""
    raw = _SPACES.sub("", text.upper())
    m = _MAIN_GROUP.match(raw)
    if m:
        return f"{m[1]}{int(m[2])}"
    if _ABOVE_MAIN_GROUP.fullmatch(raw):
        return raw
    try:
        return ClassificationSymbol.parse(text).compact
    except DomainError:
        raise QueryError(position, f"expected a classification symbol like H04W, H04W72 or H04W72/04, "
                                   f"found {text!r}") from None


def scheme_key(field: str, text: str, position: int) -> str:
    """The index key of a Locarno class or subclass (``lc=02``, ``lc=02-01``) or a US class or
    class/subclass (``uc=D2``, ``uc=D2/700``, ``uc=424/94.1``)."""
    try:
        return normalise_locarno(text) if field == "lc" else normalise_uspc(text if "/" in text else text.strip())
    except DomainError:
        example = "02 or 02-01" if field == "lc" else "D2, D2/700 or 424/94.1"
        raise QueryError(position, f"expected a {'Locarno' if field == 'lc' else 'US'} classification like "
                                   f"{example}, found {text!r}") from None


def number_key(text: str, position: int) -> str:
    """Compact publication number, with the kind code if given: ``US7654321B2`` or ``US7654321``."""
    try:
        return PublicationNumber.parse(text).compact
    except DomainError:
        raise QueryError(position, f"expected a publication number like US7654321B2, found {text!r}") from None


# --- parser ----------------------------------------------------------------------------------

_TERM_STARTS = (Kind.WORD, Kind.QUOTED, Kind.LPAREN)


class _Parser:
    __slots__ = ("tokens", "i", "tok")

    def __init__(self, query: str) -> None:
        self.tokens = tokenize(query)
        self.i = 0
        self.tok = self.tokens[0]  # the current token, tokens[i]

    def advance(self) -> Token:
        tok = self.tok
        if tok.kind is not Kind.END:
            self.i += 1
            self.tok = self.tokens[self.i]
        return tok

    def expect(self, kind: str, what: str) -> Token:
        if self.tok.kind is not kind:
            raise self.unexpected(what)
        return self.advance()

    def unexpected(self, what: str) -> QueryError:
        return QueryError(self.tok.position, f"expected {what}, found {self.tok.describe()}")

    def parse(self) -> Node:
        node = self.or_expr(None)
        if self.tok.kind is not Kind.END:
            what = "an operator or the end of the query" if self.tok.kind is Kind.RPAREN else "the end of the query"
            raise QueryError(self.tok.position, f"expected {what}, found {self.tok.describe()}")
        return node

    def or_expr(self, field: str | None) -> Node:
        items = [self.and_expr(field)]
        while self.tok.operator == "OR":
            self.advance()
            items.append(self.and_expr(field))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self, field: str | None) -> Node:
        items = [self.unary(field)]
        while True:
            operator = self.tok.operator
            if operator == "AND":
                self.advance()
                items.append(self.unary(field))
            elif operator == "NOT":
                self.advance()
                items.append(Not(self.primary(field)))
            elif not operator and self.tok.kind in _TERM_STARTS:  # an OR ends the AND
                items.append(self.primary(field))  # adjacent terms: implicit AND
            else:
                break
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self, field: str | None) -> Node:
        if self.tok.operator == "NOT":
            self.advance()
            return Not(self.primary(field))
        return self.primary(field)

    def primary(self, field: str | None) -> Node:
        tok = self.tok
        if tok.kind is Kind.LPAREN:
            self.advance()
            node = self.or_expr(field)
            self.expect(Kind.RPAREN, "')' closing the '(' at position " + str(tok.position))
            return node
        if tok.kind is Kind.QUOTED:
            return self.phrase(field)
        if tok.kind is Kind.WORD:
            if tok.operator:
                raise QueryError(tok.position, f"expected a search term, found the operator {tok.text!r}")
            nxt = self.tokens[self.i + 1]
            if nxt.kind is Kind.COMPARE or (nxt.kind is Kind.WORD and nxt.text.lower() == "within"
                                            and tok.text.lower() in _FIELD_SET):
                return self.field_clause(field)
            self.advance()
            return self.value(field, tok)
        raise QueryError(tok.position, f"expected a search term, a phrase or '(', found {tok.describe()}")

    def phrase(self, field: str | None) -> Node:
        tok = self.advance()
        slop = 0
        if self.tok.kind is Kind.TILDE:
            self.advance()
            num = self.expect(Kind.WORD, "a word distance after '~'")
            if not _SLOP.fullmatch(num.text) or int(num.text) > 1000:
                raise QueryError(num.position, f"expected a word distance 0-1000 after '~', found {num.text!r}")
            slop = int(num.text)
        if field is not None and field not in _TERM_FIELDS:
            return self.keyword(field, Token(Kind.WORD, tok.text, tok.position))
        if not tok.text.strip():
            raise QueryError(tok.position, "empty phrase: expected words between the quotes")
        words = tok.text.split()
        if len(words) == 1 and slop == 0:
            return Term(field, words[0])
        return Phrase(field, " ".join(words), slop)

    def field_clause(self, outer: str | None) -> Node:
        name_tok = self.advance()
        name = name_tok.text.lower()
        if name not in _FIELD_SET:
            raise UnknownQueryField(name_tok.position, name_tok.text)
        if outer is not None:
            raise QueryError(name_tok.position, f"field {name!r} inside a group of field {outer!r}")
        op = self.advance()
        if op.kind is Kind.WORD:  # "within"
            if name not in DATE_FIELDS:
                raise QueryError(op.position, f"'within' needs a date field (pd, ad), not {name!r}")
            span = self.expect(Kind.QUOTED, 'a quoted date range like "2010 2012"')
            parts = span.text.split()
            if len(parts) != 2:
                raise QueryError(span.position, f'expected two dates like "2010 2012", found "{span.text}"')
            start, _ = _date_bounds(parts[0], span.position + 1)
            _, end = _date_bounds(parts[1], span.position + 1 + span.text.index(parts[1]))
            if start > end:
                raise QueryError(span.position, f"range starts after it ends: {span.text!r}")
            return DateRange(name, start, end)
        if name in DATE_FIELDS:
            if self.tok.kind is not Kind.WORD:  # (not expect(): its message would be formatted every time)
                raise self.unexpected(f"a date after {name}{op.text}")
            value = self.advance()
            first, last = _date_bounds(value.text, value.position)
            if op.text == ">=":
                return DateRange(name, first, None)
            if op.text == "<=":
                return DateRange(name, None, last)
            if op.text == ">":
                return DateRange(name, _next_day(last, value.position), None)
            if op.text == "<":
                return DateRange(name, None, _previous_day(first, value.position))
            return DateRange(name, first, last)  # "="
        if op.text != "=":
            raise QueryError(op.position, f"expected '=' after {name} ({op.text!r} only works with pd and ad)")
        if self.tok.kind is Kind.LPAREN:
            open_tok = self.advance()
            node = self.or_expr(name)
            self.expect(Kind.RPAREN, f"')' closing the '(' at position {open_tok.position}")
            return node
        if self.tok.kind is Kind.QUOTED:
            return self.phrase(name)
        if self.tok.kind is not Kind.WORD:
            raise self.unexpected(f"a value after {name}=")
        return self.value(name, self.advance())

    def value(self, field: str | None, tok: Token) -> Node:
        if field is None or field in _TERM_FIELDS:
            if not tok.text.strip("*?"):
                raise QueryError(tok.position, "expected letters or digits around the wildcard")
            return Term(field, tok.text)
        return self.keyword(field, tok)

    def keyword(self, field: str, tok: Token) -> Node:
        if field in CLASSIFICATION_FIELDS:
            return Term(field, classification_key(tok.text, tok.position))
        if field == "pn":
            return Term(field, number_key(tok.text, tok.position))
        if field in ("lc", "uc"):
            return Term(field, scheme_key(field, tok.text, tok.position))
        if field == "lang":
            code = tok.text.lower()
            if not _LANGUAGE.fullmatch(code):
                raise QueryError(tok.position, f"expected a two-letter language code like en or zh, found {tok.text!r}")
            return Term(field, code)
        raise QueryError(tok.position, f"field {field!r} needs a comparison like {field}>=2015 or {field}=2015")


def _next_day(d: date, position: int) -> date:
    try:
        return date.fromordinal(d.toordinal() + 1)
    except ValueError:
        raise QueryError(position, "date out of range") from None


def _previous_day(d: date, position: int) -> date:
    try:
        return date.fromordinal(d.toordinal() - 1)
    except ValueError:
        raise QueryError(position, "date out of range") from None


def parse_query(query: str) -> Node:
    """Parse ``query`` into a tree; raises :class:`QueryError` naming the position and what was expected."""
    if not query.strip():
        raise QueryError(0, "expected a search term, found an empty query")
    return _Parser(query).parse()
