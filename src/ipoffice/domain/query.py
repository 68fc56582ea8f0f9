"""The search query language (Espacenet-like): tokenizer and parser into an abstract syntax tree.

Examples::

    wireless charging                      plain words: all of them, in title+abstract+claims (txt)
    ti="wireless charging" AND pa=samsung  a phrase in the title and an applicant
    "coil charging"~5 OR charg*            proximity (at most 5 words apart) and truncation
    ic=H04W72 NOT cpc=H04W72/04            classification with its hierarchy
    pd within "2010 2012"  pd>=2015-03     date ranges (year, year-month or full date; also "2010, 2012",
                                           20100105, 05/01/2010 and 05.01.2010 as on Espacenet)
    ti any "yarn composite"                any of the words; ``ti all "..."``: all of them, in any order
    mouse prox/distance<3 trap             the two within fewer than 3 positions (adjacent words are 1
                                           apart), in either order; ``prox/distance<3/ordered`` in this
                                           order; ``prox/ordered``: in this order, at most
                                           PROX_ORDERED_DEFAULT positions apart
    pn="WO 2019/123456 A1"  ap=ZL201810358967.5  pr="JP 2019-123456"  ct=EP1000000  num=US8421271
                                           numbers in any printed form (``ipoffice.domain.numbers``);
                                           a bare number (``WO2019123456A1``) is searched as num=

``AND`` binds tighter than ``OR`` (standard Boolean precedence, as on Espacenet: ``a OR b AND c`` is
``a OR (b AND c)``; words side by side are an implicit ``AND``); ``NOT`` is binary (``a NOT b``) or leading
(``NOT b``); proximity binds tighter than all; operators are case-insensitive, as on Espacenet. As in
common web search engines, ``-word`` (or ``-"a phrase"``, ``-(group)``, ``-ti=word``) excludes and
``+word`` requires (the same as plain ``word``). ``ti=(a OR b)`` applies the field to
the whole group. Espacenet's field identifiers ta, claims, ftxt, extftxt, ia and ipc are accepted with
Espacenet's meaning, and ``cl=`` followed by a classification symbol is Espacenet's ``cl`` (IPC or CPC);
constructs that the index cannot answer (``prox/unit=sentence``, ``cpcc``) are refused by name.
The tree is pure data: the search adapter turns it into an engine query.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ipoffice.domain.classification import ClassificationSymbol, normalise_locarno, normalise_uspc, normalise_vienna
from ipoffice.domain.errors import DomainError
from ipoffice.domain.numbers import ApplicationNumber, PublicationNumber, parse_number
from ipoffice.domain.text import has_cjk

# Text fields and what they search (the adapter maps these to index fields).
TEXT_QUERY_FIELDS = {"ti": "title", "ab": "abstract", "cl": "claims", "desc": "description", "txt": "txt",
                     "ta": "title+abstract", "claims": "claims", "ftxt": "description+claims",
                     "extftxt": "title+abstract+description+claims", "tm": "mark", "gs": "goods and services"}
NAME_FIELDS = ("pa", "in", "ia")
CLASSIFICATION_FIELDS = ("ic", "cpc", "ipc")
DATE_FIELDS = ("pd", "ad")
NUMBER_FIELDS = ("pn", "ap", "pr", "ct", "num")
KEYWORD_FIELDS = (*NUMBER_FIELDS, "lang", "lc", "uc", "nc", "vc")
FIELDS = (*TEXT_QUERY_FIELDS, *NAME_FIELDS, *CLASSIFICATION_FIELDS, *DATE_FIELDS, *KEYWORD_FIELDS)
_FIELD_SET = frozenset(FIELDS)
_TERM_FIELDS = frozenset((*TEXT_QUERY_FIELDS, *NAME_FIELDS))  # words, phrases and wildcards, not keywords
_FIELD_HELP = (
    "ti (title), ab (abstract), cl (claims; or IPC/CPC before a classification symbol), claims (claims), "
    "desc (description), txt (title+abstract+claims), ta (title+abstract), ftxt (description+claims), "
    "extftxt (title+abstract+description+claims), pa (applicant), in (inventor), ia (inventor or applicant), "
    "pn (publication number), ap (application number), pr (priority number), ct (cited document), "
    "num (publication, application or priority number), ic (IPC), ipc (IPC), cpc (CPC), "
    "pd (publication date), ad (application date), lang (language), lc (Locarno), uc (USPC), "
    "tm (trademark: the mark's words), gs (goods and services), nc (Nice class), vc (Vienna code)"
)
# Espacenet field identifiers that this register cannot search, and why (refused by name, never a silent 0).
_UNSUPPORTED_FIELDS = {
    "cpcc": "CPC combination sets are not recorded; search the symbols with cpc=",
    "nftxt": "names are not full text here; combine fields, e.g. extftxt=x OR ia=x",
    "ntxt": "names are not full text here; combine fields, e.g. ta=x OR ia=x",
}
OPERATORS = ("AND", "OR", "NOT")
PROX_ORDERED_DEFAULT = 20  # prox/ordered without a distance: in order, at most this many positions apart
PROX_MAX_DISTANCE = 100


class QueryError(DomainError):
    """A query that cannot be parsed; ``position`` is the 0-based character offset of the problem, ``code``
    names the kind of problem and ``params`` its values (``found``, ``field``...), so an interface can say it
    in its own language; ``message`` says it in English."""

    def __init__(self, position: int, message: str, code: str = "invalid", **params: object) -> None:
        self.position = position
        self.message = message
        self.code = code
        self.params: dict[str, object] = params
        super().__init__(f"query error at position {position}: {message}")


class UnknownQueryField(QueryError):
    def __init__(self, position: int, name: str) -> None:
        self.field = name
        super().__init__(position, f"unknown field {name!r}; valid fields: {_FIELD_HELP}", "unknown_field",
                         field=name, fields=_FIELD_HELP, codes=", ".join(FIELDS))


# --- the tree --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """One word (as on Espacenet: ``*`` any characters, ``?`` none or one, ``#`` exactly one) or a keyword
    value (pn, ic, cpc, lang).

    ``field`` None means the default text fields (``txt`` unless the request restricts them).
    """

    field: str | None
    text: str

    @property
    def is_wildcard(self) -> bool:
        return "*" in self.text or "?" in self.text or "#" in self.text


@dataclass(frozen=True)
class Phrase:
    """Words in this order; with ``slop`` > 0, within that many extra positions (proximity)."""

    field: str | None
    text: str
    slop: int = 0


@dataclass(frozen=True)
class Proximity:
    """``left`` and ``right`` (words or phrases of one field) fewer than ``distance`` positions apart
    (adjacent words are 1 apart), in this order when ``ordered``."""

    field: str | None
    left: str
    right: str
    distance: int
    ordered: bool


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


Node = Term | Phrase | Proximity | DateRange | And | Or | Not


def free_text(node: Node) -> str:
    """The words and phrases of the text fields of a query, for a semantic search of the same intent."""
    if isinstance(node, Term):
        is_text = node.field is None or node.field in TEXT_QUERY_FIELDS
        return node.text.replace("*", "").replace("?", "").replace("#", "") if is_text else ""
    if isinstance(node, Phrase):
        return node.text if node.field is None or node.field in TEXT_QUERY_FIELDS else ""
    if isinstance(node, Proximity):
        return f"{node.left} {node.right}" if node.field is None or node.field in TEXT_QUERY_FIELDS else ""
    if isinstance(node, And | Or):
        return " ".join(t for t in (free_text(i) for i in node.items) if t)
    return ""  # dates and negations carry no topic


def _is_topic(node: Node) -> bool:
    """Holds words of the text fields (what a semantic search embeds), outside a negation."""
    if isinstance(node, Term | Phrase | Proximity):
        return node.field is None or node.field in TEXT_QUERY_FIELDS
    if isinstance(node, And | Or):
        return any(_is_topic(i) for i in node.items)
    return False  # dates; negations exclude, they carry no topic


def constraints(node: Node) -> Node | None:
    """What a query asks of every document besides its topic: the conditions on dates, classifications,
    numbers, names, languages and the exclusions (``NOT x``, ``-x``) that are ANDed to it (or the whole
    query when it is only that); None when there are none. A semantic search, which ranks by the topic
    (:func:`free_text`), keeps only the candidates that satisfy them: ``ti="wireless charging" AND
    pd>=2010`` → ``pd>=2010``; ``a OR pd>=2010`` → None (the date is an alternative, not a condition)."""
    if not _is_topic(node):
        return node
    if isinstance(node, And):
        kept = tuple(i for i in node.items if not _is_topic(i))
        return None if not kept else kept[0] if len(kept) == 1 else And(kept)
    return None


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
    PROX = "proximity operator"
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
_TOKEN = re.compile(r"""(\s*)((?i:prox/[^\s()"]*)|[^\s()"=<>~]+|<=|>=|"[^"]*"?|\S)""")
_KIND_OF_FIRST = {"(": Kind.LPAREN, ")": Kind.RPAREN, "~": Kind.TILDE, "=": Kind.COMPARE, "<": Kind.COMPARE,
                  ">": Kind.COMPARE, '"': Kind.QUOTED}
_make_token = tuple.__new__  # Token((...)) without NamedTuple's Python-level __new__: half the cost


# Syntax characters as Chinese and Japanese input methods and word processors type them: quotation marks
# (“…”, 「…」, 『…』, full-width "), full-width parentheses, =, <, >, the signs － and ＋ and the ideographic
# space. One character for one, so positions in error messages stay those of the query as typed.
_TYPED_QUOTES = "\uff02\u201c\u201d\u201e\u201f\u300c\u300d\u300e\u300f\u301d\u301e"
_TYPED_SYNTAX = str.maketrans({**dict.fromkeys(_TYPED_QUOTES, '"'),
                               "\uff08": "(", "\uff09": ")", "\uff1d": "=", "\uff1c": "<", "\uff1e": ">",
                               "\uff0d": "-", "\uff0b": "+", "\u3000": " "})


def tokenize(query: str) -> list[Token]:
    query = query.translate(_TYPED_SYNTAX)
    tokens: list[Token] = []
    append = tokens.append
    position = 0
    # findall and the lengths of the spaces: cheaper than a Match object per token.
    for spaces, text in _TOKEN.findall(query):
        position += len(spaces)
        kind = _KIND_OF_FIRST.get(text[0], Kind.WORD)
        if kind is Kind.WORD and (text[:5].lower() == "prox/" or text.lower() == "prox"):
            append(_make_token(Token, (Kind.PROX, text, position, "")))
        elif kind is Kind.WORD:
            # No upper-casing makes a word shorter, so only words of up to 3 characters can be operators.
            operator = text.upper() if len(text) <= 3 else ""
            append(_make_token(Token, (kind, text, position, operator if operator in OPERATORS else "")))
        elif kind is Kind.QUOTED:
            if len(text) == 1 or text[-1] != '"':
                raise QueryError(position, 'unterminated phrase: expected a closing \'"\'', "unterminated_phrase")
            append(_make_token(Token, (kind, text[1:-1], position, "")))
        else:
            append(_make_token(Token, (kind, text, position, "")))
        position += len(text)
    append(_make_token(Token, (Kind.END, "", len(query), "")))
    return tokens


# --- values ----------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?$", re.ASCII)
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$", re.ASCII)
_MAIN_GROUP = re.compile(r"^([A-HY]\d{2}[A-Z])(\d{1,4})$", re.ASCII)
# Section, class or subclass: already the key (as ClassificationSymbol.parse(...).compact would make it).
_ABOVE_MAIN_GROUP = re.compile(r"[A-HY](?:\d{2}[A-Z]?)?")
_SPACES = re.compile(r"\s+")
_SLOP = re.compile(r"[0-9]{1,4}")
_WORDS = frozenset(("in", "claims", "num"))  # field names that are also English words
_DATE_SEPARATORS = re.compile(r"\s*,\s*|\s+")
_LANGUAGE = re.compile(r"[a-z]{2}")


# Years a query's dates may name: what search engines storing nanosecond timestamps hold (1677-09 to 2262-04).
QUERY_YEARS = (1678, 2261)
# Parentheses nested deeper than this are refused (the parser is recursive).
MAX_NESTING = 32


def _date_bounds(text: str, position: int) -> tuple[date, date]:
    """First and last day of a year, month or day: ``2015``, ``2015-03``, ``2015-03-01``, ``20150301``, and
    Espacenet's day-first ``01/03/2015`` and ``01.03.2015``."""
    m = _DATE.match(text.strip())
    day_first = None if m else _DAY_FIRST.match(text.strip())
    if day_first:
        year, month, day = int(day_first[3]), day_first[2].zfill(2), day_first[1].zfill(2)
    elif not m:
        raise QueryError(position, f"expected a date like 2015, 2015-03, 2015-03-01 or 01/03/2015, found {text!r}",
                         "date_format", found=text)
    else:
        year, month, day = int(m[1]), m[2], m[3]
    if not QUERY_YEARS[0] <= year <= QUERY_YEARS[1]:
        raise QueryError(position, f"date out of range: {text.strip()!r}; dates in a query must lie between "
                                   f"{QUERY_YEARS[0]} and {QUERY_YEARS[1]}", "date_range", found=text.strip(),
                         first=QUERY_YEARS[0], last=QUERY_YEARS[1])
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            last = monthrange(year, int(month))[1]
            return date(year, int(month), 1), date(year, int(month), last)
        d = date(year, int(month), int(day))
    except ValueError as exc:
        raise QueryError(position, f"invalid date {text!r}: {exc}", "date_invalid", found=text) from None
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
                                   f"found {text!r}", "classification", found=text) from None


def scheme_key(field: str, text: str, position: int) -> str:
    """The index key of a Locarno class or subclass (``lc=02``, ``lc=02-01``) or a US class or
    class/subclass (``uc=D2``, ``uc=D2/700``, ``uc=424/94.1``)."""
    try:
        return normalise_locarno(text) if field == "lc" else normalise_uspc(text if "/" in text else text.strip())
    except DomainError:
        example = "02 or 02-01" if field == "lc" else "D2, D2/700 or 424/94.1"
        raise QueryError(position, f"expected a {'Locarno' if field == 'lc' else 'US'} classification like "
                                   f"{example}, found {text!r}", "classification", found=text) from None


def nice_class_key(text: str, position: int) -> str:
    """The index key of a Nice class (``nc=9``, ``nc=09``): the class number without leading zeros."""
    if not text.isdigit() or not 1 <= int(text) <= 45:
        raise QueryError(position, f"expected a Nice class from 1 to 45 like 9 or 09, found {text!r}",
                         "classification", found=text)
    return str(int(text))


def vienna_key(text: str, position: int) -> str:
    """The index key of a Vienna category, division or section (``vc=26``, ``vc=26.04``, ``vc=26.04.02``)."""
    try:
        return normalise_vienna(text)
    except DomainError:
        raise QueryError(position, f"expected a Vienna code like 26, 26.04 or 26.04.02, found {text!r}",
                         "classification", found=text) from None


def number_terms(field: str, text: str, position: int) -> Node:
    """The keyword terms of a number field: ``pn`` and ``ct`` a publication number (``pn=`` with an
    application number, ``pn=ZL201810358967.5``, means the documents of that application), ``ap`` and ``pr``
    an application number, ``num`` any of the three."""
    try:
        if field in ("ap", "pr"):
            return Term(field, ApplicationNumber.parse(text).key)
        number = parse_number(text)
    except DomainError as exc:
        reason = exc.args[0] if exc.args else str(exc)
        raise QueryError(position, f"{field}: expected a number like US 8,421,271 B2, WO 2019/123456 A1 or "
                                   f"ZL201810358967.5 ({reason})", "number", field=field, found=text) from None
    if isinstance(number, ApplicationNumber):
        if field == "ct":
            raise QueryError(position, f"ct: {text!r} is an application number; ct= needs the publication "
                                       "number of the cited document")
        if field == "num":
            return Or((Term("ap", number.key), Term("pr", number.key)))
        return Term("ap", number.key)
    if field == "num":
        pn = publication_terms(number)
        if number.kind or number.country in _DISTINCT_APPLICATION_FORMS:
            return pn
        try:  # JP 2019-123456 is printed alike as a publication and as an application number
            application = ApplicationNumber.parse(text, default_country=number.country)
        except DomainError:
            return pn
        return Or((pn, Term("ap", application.key), Term("pr", application.key)))
    return publication_terms(number) if field == "pn" else Term(field, number.compact)


# Suffix of the ``pn`` index key of a document recorded without a kind code (the PatentsView exports): a number
# asked for with its kind also finds such a document, never a publication of another kind.
KIND_UNKNOWN = "~"


def publication_terms(number: PublicationNumber) -> Node:
    """``pn`` terms of a publication number: the number as given, and, when it has a kind code, the same
    number recorded without one (``US7012893B2`` finds a document stored as ``US7012893``)."""
    exact = Term("pn", number.compact)
    return Or((exact, Term("pn", number.without_kind + KIND_UNKNOWN))) if number.kind else exact


# Offices whose application numbers never look like their publication numbers (parse_number tells them apart).
_DISTINCT_APPLICATION_FORMS = frozenset(("US", "EP", "CN", "WO"))
# A bare word that is a number as Espacenet's smart search guesses one: a country code, digits (at least six),
# an optional kind code; or ZL and an application number.
_BARE_NUMBER = re.compile(
    r"^(?:[A-Za-z]{2}[-/\s]?[A-Za-z]{0,2}\s?[0-9][0-9,./\s-]{4,}[0-9](?:[\s-]?[A-Za-z][0-9]?)?"
    r"|ZL\s?[0-9][0-9.\s]{8,}[0-9Xx])$")
_CLASSIFICATION_VALUE = re.compile(r"^[A-HY][0-9]{2}[A-Z](?:[0-9]{1,4}(?:/[0-9]{1,6})?)?$", re.ASCII)


# --- parser ----------------------------------------------------------------------------------

_TERM_STARTS = (Kind.WORD, Kind.QUOTED, Kind.LPAREN)
# CQL relations other than =, all, any and within (Espacenet's CQL dialect): refused by name, never
# read as search words ("ti exact \"yarn\"" would otherwise search the words ti and exact).
_CQL_RELATIONS = frozenset(("exact", "adj", "encloses", "scr"))


class _Parser:
    __slots__ = ("tokens", "i", "tok", "depth")

    def __init__(self, query: str) -> None:
        self.tokens = tokenize(query)
        self.depth = 0  # parentheses open at the current token
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
        code, found = self._found()
        return QueryError(self.tok.position, f"expected {what}, found {self.tok.describe()}", code, found=found)

    def _found(self) -> tuple[str, str]:
        """The code and the ``found`` parameter of an unexpected token (the end of the query has no text)."""
        return ("unexpected_end", "") if self.tok.kind is Kind.END else ("unexpected", self.tok.text)

    def parse(self) -> Node:
        node = self.or_expr(None)
        if self.tok.kind is not Kind.END:
            what = "an operator or the end of the query" if self.tok.kind is Kind.RPAREN else "the end of the query"
            code, found = self._found()
            raise QueryError(self.tok.position, f"expected {what}, found {self.tok.describe()}", code, found=found)
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
                items.append(Not(self.near(field)))
            elif not operator and self.tok.kind in _TERM_STARTS:  # an OR ends the AND
                items.append(self.unary(field))  # adjacent terms: implicit AND
            else:
                break
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self, field: str | None) -> Node:
        if self.tok.operator == "NOT":
            self.advance()
            return Not(self.near(field))
        sign = self.sign()
        node = self.near(field)
        return Not(node) if sign == "-" else node

    def sign(self) -> str:
        """A leading ``-`` (exclude) or ``+`` (require) glued to a term, phrase, group or field clause: consumed
        and returned; a lone ``-`` between spaces stays a (meaningless) word."""
        tok = self.tok
        if tok.kind is not Kind.WORD or tok.text[0] not in "+-":
            return ""
        if len(tok.text) > 1:
            rest = tok.text[1:]
            if rest[0] in "+-":
                return ""  # "--x", "+-x": not a sign
            operator = rest.upper() if rest.upper() in OPERATORS else ""
            self.tok = self.tokens[self.i] = _make_token(Token, (Kind.WORD, rest, tok.position + 1, operator))
            if operator:
                raise QueryError(tok.position + 1, f"expected a search term after {tok.text[0]!r}, found the "
                                                   f"operator {rest!r}")
            return tok.text[0]
        nxt = self.tokens[self.i + 1]
        if nxt.position == tok.position + 1 and nxt.kind in (Kind.QUOTED, Kind.LPAREN):
            self.advance()
            return tok.text
        return ""

    def near(self, field: str | None) -> Node:
        """A term, or terms joined by proximity operators (``mouse prox/distance<3 trap``)."""
        node = self.primary(field)
        while self.tok.kind is Kind.PROX:
            op = self.advance()
            distance, ordered = _proximity_operator(op)
            right = self.primary(field)
            node = _proximity(op, node, right, distance, ordered)
        return node

    def primary(self, field: str | None) -> Node:
        tok = self.tok
        if tok.kind is Kind.LPAREN:
            if self.depth >= MAX_NESTING:
                raise QueryError(tok.position, f"parentheses nested too deeply (at most {MAX_NESTING} levels)",
                                 "too_deep", limit=MAX_NESTING)
            self.advance()
            self.depth += 1
            node = self.or_expr(field)
            self.expect(Kind.RPAREN, "')' closing the '(' at position " + str(tok.position))
            self.depth -= 1
            return node
        if tok.kind is Kind.QUOTED:
            return self.phrase(field)
        if tok.kind is Kind.WORD:
            if tok.operator:
                raise QueryError(tok.position, f"expected a search term, found the operator {tok.text!r}",
                                 "operator_without_term", operator=tok.text)
            if tok.text.lower() == "sortby":
                raise QueryError(tok.position, "sortBy is not supported in the query: results come by relevance; "
                                               "choose another order in the result list", "unsupported_construct",
                                 construct=tok.text)
            nxt = self.tokens[self.i + 1]
            if (nxt.kind is Kind.WORD and nxt.text.lower() in _CQL_RELATIONS and tok.text.lower() in _FIELD_SET
                    and (tok.text.lower() not in _WORDS or self.tokens[self.i + 2].kind is Kind.QUOTED)):
                raise QueryError(nxt.position, f"the relation {nxt.text!r} is not supported: use {tok.text}=\"...\" "
                                               f"for words in this order, {tok.text} all or {tok.text} any",
                                 "unsupported_construct", construct=f"{tok.text} {nxt.text}")
            if nxt.kind is Kind.COMPARE or (nxt.kind is Kind.WORD and tok.text.lower() in _FIELD_SET and (
                    nxt.text.lower() == "within" or (nxt.text.lower() in ("any", "all") and (
                        self.tokens[self.i + 2].kind is Kind.QUOTED  # "in all cases" stays words
                        or (self.tokens[self.i + 2].kind is Kind.WORD and tok.text.lower() not in _WORDS))))):
                return self.field_clause(field)
            self.advance()
            if field is None and _BARE_NUMBER.match(tok.text):
                number = self.bare_number(tok)
                if number is not None:
                    return number
            return self.value(field, tok)
        if tok.kind is Kind.PROX:
            raise QueryError(tok.position, f"{tok.text} needs a word or phrase on each side", "operator_without_term",
                             operator=tok.text)
        code, found = self._found()
        raise QueryError(tok.position, f"expected a search term, a phrase or '(', found {tok.describe()}", code,
                         found=found)

    def bare_number(self, tok: Token) -> Node | None:
        """A word that reads as a number is searched as ``num=`` (as Espacenet guesses)."""
        try:
            parse_number(tok.text)
        except DomainError:
            return None
        return number_terms("num", tok.text, tok.position)

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
            raise QueryError(tok.position, "empty phrase: expected words between the quotes", "empty_phrase")
        text = tok.text.strip()
        # A quoted number with spaces needs its country in capitals: "is 100,000 units" stays a phrase.
        if field is None and slop == 0 and text[:2].isupper() and _BARE_NUMBER.match(text):
            number = self.bare_number(tok)  # "US 2022/0159901 A1" in the search box
            if number is not None:
                return number
        words = tok.text.split()
        # One quoted word is a term; quoted Chinese stays a phrase: its words are written without spaces,
        # and the quotes ask for their order.
        if len(words) == 1 and slop == 0 and (not has_cjk(words[0]) or Term(field, words[0]).is_wildcard):
            return Term(field, words[0])
        return Phrase(field, " ".join(words), slop)

    def field_clause(self, outer: str | None) -> Node:
        name_tok = self.advance()
        name = name_tok.text.lower()
        if name in _UNSUPPORTED_FIELDS:
            raise QueryError(name_tok.position, f"field {name!r} is not supported: {_UNSUPPORTED_FIELDS[name]}",
                             "unsupported_field", field=name)
        if name not in _FIELD_SET:
            raise UnknownQueryField(name_tok.position, name_tok.text)
        if outer is not None:
            raise QueryError(name_tok.position, f"field {name!r} inside a group of field {outer!r}")
        op = self.advance()
        if op.kind is Kind.WORD and op.text.lower() in ("any", "all"):
            return self.any_or_all(name, op)
        if op.kind is Kind.WORD:  # "within"
            if name not in DATE_FIELDS:
                raise QueryError(op.position, f"'within' needs a date field (pd, ad), not {name!r}")
            if self.tok.kind is Kind.WORD and "," in self.tok.text:  # pd within 2005,2006
                span = self.advance()
            else:
                span = self.expect(Kind.QUOTED, 'a quoted date range like "2010 2012"')
            inside = span.position + (1 if span.kind is Kind.QUOTED else 0)
            parts = _DATE_SEPARATORS.split(span.text.strip())
            if len(parts) != 2 or not all(parts):
                raise QueryError(span.position, f'expected two dates like "2010 2012" or "2010, 2012", '
                                                f'found "{span.text}"')
            start, _ = _date_bounds(parts[0], inside)
            _, end = _date_bounds(parts[1], inside + span.text.rindex(parts[1]))
            if start > end:
                raise QueryError(span.position, f"range starts after it ends: {span.text!r}")
            return DateRange(name, start, end)
        if name in DATE_FIELDS:
            if self.tok.kind is not Kind.WORD and self.tok.kind is not Kind.QUOTED:  # pd=2015, pd="07/01/2008"
                raise self.unexpected(f"a date after {name}{op.text}")  # (not expect(): formatted every time)
            value = self.advance()
            first, last = _date_bounds(value.text, value.position + (1 if value.kind is Kind.QUOTED else 0))
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
        if self.tok.text.lower() == "/low" and (name in CLASSIFICATION_FIELDS or name == "cl"):
            return self.lower_groups(name, self.advance())
        return self.value(name, self.advance())

    def lower_groups(self, name: str, low: Token) -> Node:
        """Espacenet's ``cpc=/low H04W72``: the symbol and the groups below it. A main group or a higher
        level already means that here; below a main group the index does not know the hierarchy."""
        if self.tok.kind is not Kind.WORD:
            raise self.unexpected(f"a classification symbol after {name}=/low")
        symbol = self.advance()
        node = self.value(name, symbol)
        terms = node.items if isinstance(node, Or) else (node,)  # cl= gives ic OR cpc
        keys = {t.text for t in terms if isinstance(t, Term)}
        if any("/" in key for key in keys):
            raise QueryError(low.position, f"{name}=/low with a subgroup ({symbol.text}) is not supported: the "
                                           "index does not know which subgroups lie below it; use its main group",
                             "unsupported_construct", construct=f"{name}=/low {symbol.text}")
        return node

    def any_or_all(self, name: str, op: Token) -> Node:
        """``ti any "motor engine"``: any of the values; ``ti all "paint brush hair"``: all of them."""
        if name in DATE_FIELDS:
            raise QueryError(op.position, f"'{op.text}' needs a text, name, number or classification field, "
                                          f"not {name!r}; use {name} within \"2005 2006\"")
        if self.tok.kind is Kind.WORD and not self.tok.operator:  # ti any motor: one value
            return self.value(name, self.advance())
        values = self.expect(Kind.QUOTED, f"a quoted list of values after {name} {op.text}")
        items: list[Node] = []
        offset = 0
        for word in values.text.split():
            offset = values.text.index(word, offset)
            position = values.position + 1 + offset
            offset += len(word)
            word = word.strip(",;")
            if not word:
                continue
            items.append(self.value(name, Token(Kind.WORD, word, position)))
        if not items:
            raise QueryError(values.position, f"expected values between the quotes after {name} {op.text}")
        if len(items) == 1:
            return items[0]
        return Or(tuple(items)) if op.text.lower() == "any" else And(tuple(items))

    def value(self, field: str | None, tok: Token) -> Node:
        if field == "cl" and _CLASSIFICATION_VALUE.match(tok.text.upper()):
            key = classification_key(tok.text, tok.position)  # Espacenet's cl: IPC or CPC
            return Or((Term("ic", key), Term("cpc", key)))
        if field is None or field in _TERM_FIELDS:
            if not tok.text.strip("*?#"):
                raise QueryError(tok.position, "expected letters or digits around the wildcard")
            return Term(field, tok.text)
        return self.keyword(field, tok)

    def keyword(self, field: str, tok: Token) -> Node:
        if field in CLASSIFICATION_FIELDS:
            return Term("ic" if field == "ipc" else field, classification_key(tok.text, tok.position))
        if field in NUMBER_FIELDS:
            return number_terms(field, tok.text, tok.position)
        if field in ("lc", "uc"):
            return Term(field, scheme_key(field, tok.text, tok.position))
        if field == "nc":
            return Term(field, nice_class_key(tok.text, tok.position))
        if field == "vc":
            return Term(field, vienna_key(tok.text, tok.position))
        if field == "lang":
            code = tok.text.lower()
            if not _LANGUAGE.fullmatch(code):
                raise QueryError(tok.position, f"expected a two-letter language code like en or zh, found {tok.text!r}")
            return Term(field, code)
        raise QueryError(tok.position, f"field {field!r} needs a comparison like {field}>=2015 or {field}=2015")


_PROX_DISTANCE = re.compile(r"distance(<=?)([0-9]{1,4})", re.IGNORECASE)


def _proximity_operator(op: Token) -> tuple[int, bool]:
    """(positions apart, exclusive bound; ordered) of ``prox`` with its modifiers in any order, as CQL and
    Espacenet write them: ``/distance<n`` or ``/distance<=n``, ``/ordered`` or ``/unordered``, ``/unit=word``
    (the unit counted here); ``prox/ordered`` alone: in order, at most PROX_ORDERED_DEFAULT apart."""
    text = op.text
    if text.lower() == "prox":
        raise QueryError(op.position, "prox needs a distance: prox/distance<n (fewer than n words apart), "
                                      "prox/distance<n/ordered or prox/ordered", "proximity", found=op.text)
    distance: int | None = None
    ordered = False
    for modifier in text.split("/")[1:]:
        low = modifier.lower()
        m = _PROX_DISTANCE.fullmatch(modifier)
        if m and distance is None:
            distance = int(m[2]) + (1 if m[1] == "<=" else 0)  # "fewer than" this many positions apart
        elif low in ("ordered", "unordered"):
            ordered = low == "ordered"
        elif low == "unit=word":
            continue
        elif low.startswith("unit="):
            raise QueryError(op.position, f"{text} is not supported ({modifier}): the index keeps word positions, "
                                          "not sentences or paragraphs; use prox/distance<n", "proximity", found=text)
        else:
            raise QueryError(op.position, f"unknown proximity operator {text!r}: expected prox/distance<n, "
                                          "prox/distance<n/ordered or prox/ordered", "proximity", found=text)
    if distance is None:
        if not ordered:
            raise QueryError(op.position, f"{text} needs a distance: prox/distance<n or prox/ordered", "proximity",
                             found=text)
        return PROX_ORDERED_DEFAULT + 1, True
    if distance < 2:
        raise QueryError(op.position, f"{text}: words are at least 1 position apart; use prox/distance<2 or more")
    if distance > PROX_MAX_DISTANCE + 1:
        raise QueryError(op.position, f"{text}: the distance is at most {PROX_MAX_DISTANCE}")
    return distance, ordered


def _proximity(op: Token, left: Node, right: Node, distance: int, ordered: bool) -> Proximity:
    """Words or phrases of one text or name field on both sides; anything else is refused by name."""
    sides = []
    for side in (left, right):
        words = isinstance(side, Term) and not side.is_wildcard or isinstance(side, Phrase) and side.slop == 0
        if words and isinstance(side, Term | Phrase) and (side.field is None or side.field in _TERM_FIELDS):
            sides.append(side)
            continue
        raise QueryError(op.position, f"{op.text} needs a word or a quoted phrase of a text or name field on "
                                      "each side (not a group, a wildcard, a number or a date)")
    a, b = sides
    if a.field != b.field and a.field is not None and b.field is not None:
        raise QueryError(op.position, f"{op.text} needs one field on both sides, not {a.field!r} and {b.field!r}")
    return Proximity(a.field or b.field, a.text, b.text, distance, ordered)


def _next_day(d: date, position: int) -> date:
    try:
        return date.fromordinal(d.toordinal() + 1)
    except ValueError:
        raise QueryError(position, "date out of range", "date_range", found=d.isoformat(), first=QUERY_YEARS[0],
                         last=QUERY_YEARS[1]) from None


def _previous_day(d: date, position: int) -> date:
    try:
        return date.fromordinal(d.toordinal() - 1)
    except ValueError:
        raise QueryError(position, "date out of range", "date_range", found=d.isoformat(), first=QUERY_YEARS[0],
                         last=QUERY_YEARS[1]) from None


def parse_query(query: str) -> Node:
    """Parse ``query`` into a tree; raises :class:`QueryError` naming the position and what was expected."""
    if not query.strip():
        raise QueryError(0, "expected a search term, found an empty query", "empty")
    return _Parser(query).parse()


# --- building queries ------------------------------------------------------------------------

def refine(query: str, clause: str) -> str:
    """``query AND clause``, the query in parentheses when its top level is an ``OR`` (``AND`` binds tighter:
    ``a OR b AND ic=H04`` would restrict only ``b``). Raises QueryError for a query that does not parse."""
    if isinstance(parse_query(query), Or):
        return f"({query.strip()}) AND {clause}"
    return f"{query.strip()} AND {clause}"


# Digits as a number is printed without its country (8421271, 8,421,271, 2022/0159901, 115982890 A), with an
# optional kind code.
_NUMBER_WITHOUT_COUNTRY = re.compile(r"^[0-9][0-9,./\s-]{4,}[0-9](?:\s?[A-Za-z][0-9]?)?$")
_QUERY_SYNTAX = re.compile(r'[=<>()~"*?#]')


def number_query(text: str, countries: tuple[str, ...] = ("US", "CN", "EP", "WO")) -> str | None:
    """The number search of a search box holding just a number, or None: ``US8421271B2`` and
    ``US 2022/0159901 A1`` → ``num=`` of it; a number without its country (``8421271``) → the ``num=``
    alternatives of the ``countries`` it is valid for (``ipoffice.domain.numbers``). The caller falls back
    to a text search when the number finds nothing."""
    text = text.strip()
    if not text or _QUERY_SYNTAX.search(text) or any(w.upper() in OPERATORS for w in text.split()):
        return None
    try:
        number = parse_number(text)
    except DomainError:
        number = None
    if number is not None:
        return f'num="{text}"'
    if not _NUMBER_WITHOUT_COUNTRY.match(text):
        return None
    alternatives = []
    for country in countries:
        try:
            found = parse_number(text, default_country=country)
        except DomainError:
            continue
        if isinstance(found, PublicationNumber):
            alternatives.append(f"num={found.compact}")
    return " OR ".join(dict.fromkeys(alternatives)) or None
