"""The register's documents: patent publications and trademark records with their bibliographic data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ipoffice.domain.classification import ClassificationSymbol, Scheme, normalise_in_scheme
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.text import normalise
from ipoffice.domain.trademark import MarkDetails


class RightType(StrEnum):
    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"
    PLANT = "plant"
    TRADEMARK = "trademark"


class PartyRole(StrEnum):
    APPLICANT = "applicant"
    ASSIGNEE = "assignee"
    INVENTOR = "inventor"
    AGENT = "agent"


class CitedBy(StrEnum):
    APPLICANT = "applicant"
    EXAMINER = "examiner"
    THIRD_PARTY = "third_party"
    UNKNOWN = "unknown"


class TextField(StrEnum):
    TITLE = "title"
    ABSTRACT = "abstract"
    DESCRIPTION = "description"


@dataclass(frozen=True)
class LocalizedText:
    """A title, abstract or description in one language (ISO 639-1 code)."""

    field: TextField
    lang: str
    text: str

    @property
    def normalised(self) -> str:
        return normalise(self.text)


@dataclass(frozen=True)
class Claim:
    number: int
    text: str
    lang: str = "en"
    depends_on: tuple[int, ...] = ()

    @property
    def is_independent(self) -> bool:
        return not self.depends_on


@dataclass(frozen=True)
class Classification:
    scheme: Scheme
    symbol: str  # normalised, e.g. "H04W 72/04" (IPC, CPC), "02-01" (Locarno), "D2/700" (USPC)
    is_main: bool = False

    @classmethod
    def of(cls, scheme: Scheme, raw: str, *, is_main: bool = False) -> Classification:
        return cls(scheme, normalise_in_scheme(scheme, raw), is_main)

    @property
    def parsed(self) -> ClassificationSymbol:
        """The IPC/CPC symbol in its parts (raises InvalidField for Locarno and USPC symbols)."""
        return ClassificationSymbol.parse(self.symbol)

    @property
    def subclass_symbol(self) -> str | None:
        """The IPC/CPC subclass (``H04W``); None in the other schemes."""
        return self.parsed.subclass_symbol if self.scheme.is_ipc_like else None


@dataclass(frozen=True)
class Party:
    role: PartyRole
    name: str
    country: str | None = None
    sequence: int = 0
    address: str | None = None  # as printed, lines joined by newlines
    lang: str | None = None  # the language of name and address, when the record gives a party in several


@dataclass(frozen=True)
class Citation:
    """A cited patent document (``number``) or non-patent literature (``text``)."""

    cited_by: CitedBy
    number: str | None = None  # compact publication number when it parses, else as given
    country: str | None = None
    kind: str | None = None
    date: date | None = None
    text: str | None = None  # non-patent literature
    category: str | None = None  # search-report category: X, Y, A, ...
    sequence: int = 0

    @property
    def is_patent(self) -> bool:
        return self.number is not None


@dataclass(frozen=True)
class PriorityClaim:
    country: str
    number: str
    date: date | None


@dataclass(frozen=True)
class LegalEvent:
    code: str
    date: date
    description: str = ""
    office_code: str | None = None  # the office's own code when ``code`` is a standard one (ST.66 marks)


@dataclass(frozen=True)
class GoodsAndServices:
    """Goods or services of a trademark in one Nice class."""

    nice_class: int
    terms: str
    lang: str | None = None  # ISO 639-1; None when the record does not say


@dataclass
class Document:
    """One publication in the register (patent A/B/S document, utility model, design, trademark)."""

    number: PublicationNumber
    right_type: RightType = RightType.INVENTION
    publication_date: date | None = None
    application_number: str | None = None
    application_date: date | None = None
    texts: list[LocalizedText] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    classifications: list[Classification] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    priority_claims: list[PriorityClaim] = field(default_factory=list)
    legal_events: list[LegalEvent] = field(default_factory=list)
    mark_text: str | None = None  # trademarks only
    goods_and_services: list[GoodsAndServices] = field(default_factory=list)
    mark: MarkDetails | None = None  # trademarks: numbers, kind, status, texts (domain.trademark)
    source_format: str = ""

    def validate(self) -> None:
        """Reject a document that cannot be a real record; each message names the field."""
        if self.publication_date and self.application_date and self.publication_date < self.application_date:
            # Real data has publications before filing only for errors; reject so they surface.
            raise InvalidField(
                "publication_date", self.publication_date.isoformat(),
                f"is before the application date {self.application_date.isoformat()}",
            )
        for d, name in ((self.publication_date, "publication_date"), (self.application_date, "application_date")):
            if d is not None and not (1790 <= d.year <= 2100):
                raise InvalidField(name, d.isoformat(), "year out of range 1790-2100")
        numbers = [(c.lang, c.number) for c in self.claims]  # EP B documents repeat claims in 3 languages
        if len(numbers) != len(set(numbers)):
            raise InvalidField("claims", [n for _, n in numbers], "claim numbers are not unique within a language")
        if self.right_type == RightType.TRADEMARK and not (self.mark_text or self.texts or self.mark):
            # A figurative mark has no words: its record (feature, image, Vienna codes) is the mark.
            raise InvalidField("mark_text", self.mark_text, "a trademark needs the mark")
        for g in self.goods_and_services:
            if not 1 <= g.nice_class <= 45:
                raise InvalidField("goods_and_services.nice_class", g.nice_class, "Nice classes are 1 to 45")

    def text(self, which: TextField, lang: str | None = None) -> str | None:
        """The text of a field, in ``lang`` if given, else the first one present."""
        for t in self.texts:
            if t.field == which and (lang is None or t.lang == lang):
                return t.text
        return None

    @property
    def title(self) -> str | None:
        return self.text(TextField.TITLE, "en") or self.text(TextField.TITLE)

    @property
    def languages(self) -> list[str]:
        return sorted({t.lang for t in self.texts} | {c.lang for c in self.claims})
