"""Use case: the open-licence marketplace and royalty guidance (``ipoffice offers``, ``ipoffice royalty-guidance``,
``/api/v1/offers``, ``/marketplace``; issue #16).

An **offer** is an open-licence declaration registered in the recordals register, not withdrawn and not ended,
on a right in force (the office's granted cases: ``services.case_rights``). Each offer shows the right's status
(the procedure's state and, where the register has events, WIPO ST.27 category), its first independent claim,
its value indicators (``services.value``), the royalty (``domain.royalties``) and the royalty guidance.

Filters (``OfferQuery``), all optional and combined:

- ``ipc``: an IPC prefix (``H04L``, ``H04L 9/``, ``H04L 9/32``) matched against the right's symbols;
- ``text``: free text in either language, compared by meaning with the multilingual sentence encoder the
  matcher uses (the same document vectors as the semantic index: ``semantic.embed_documents``), so a Chinese
  query finds an English right and back; kept from ``TEXT_SIMILARITY`` on and within ``TEXT_MARGIN`` of the
  best offer (or when the text occurs literally in the title, abstract, claims, industry or products), best
  first;
- ``industry``: a text found (case-insensitively) in the declared industry or products;
- ``royalty_type``; ``max_rate`` (percent: running percentages up to it, and free licences);
  ``max_amount`` (lump sums and per-unit royalties up to it, and free licences);
- ``min_remaining_years``: the right's remaining term (dated term rules, ``domain.value_indicators``).

Further sources of offers (a university's resource library) plug in as :class:`OfferSource`: each gives
:class:`Candidate` rights, filtered and shown like the open licences (``Marketplace(..., sources=[...])`` or
``offers(query, extra=...)``).

Royalty guidance (``domain.royalty_guidance``) rests on the contracts of the recordals register with a structured
royalty: licence contracts registered, open licences taken (at the declared royalty) and declarations no one has
taken yet; a right's own declaration is left out of its own guidance (it would only repeat the asking price).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

import numpy as np

from ipoffice.adapters.embeddings import CachedEmbedder
from ipoffice.domain import recordals
from ipoffice.domain.document import Document, TextField
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.royalties import ROYALTY_TYPES, Royalty, read_royalty
from ipoffice.domain.royalty_guidance import Comparable, guidance
from ipoffice.domain.rules import RuleBook
from ipoffice.domain.value_indicators import claims_of_one_language, remaining_term
from ipoffice.services.case_rights import IN_FORCE_STATES, case_document
from ipoffice.services.procedures import CaseView, ProcedureService, public_dict, publication_numbers
from ipoffice.services.semantic import embed_documents
from ipoffice.services.value import ValueIndicators, term_rule

# Which offers meet a free-text query: a cosine of at least TEXT_SIMILARITY and within TEXT_MARGIN of the best
# offer's (or the text found literally). Cosines of the multilingual encoder depend on the texts' length and
# language, so a fixed cut alone either misses or floods: on the tests' five offers (tests/integration/
# marketplace_setup.py) a query on a right's subject scored 0.62-0.85, a neighbouring subject 0.36-0.46 and
# unrelated ones -0.04-0.20. On the eight demo offers of the sample register (`ipoffice seed-offers`), seven
# queries each aimed at one offer (six Chinese, one English; four across languages) returned it for five, with
# at most two neighbours of the same field; missed: 造纸纤维 (0.19) and 半导体封装 (0.31, the other two
# semiconductor offers 0.42-0.46); "pizza oven" returned nothing. A fixed 0.35 had returned it for three.
TEXT_SIMILARITY = 0.2
TEXT_MARGIN = 0.15
MAX_LIMIT = 100
MIN_COMPARABLES = "royalty_guidance.min_comparables"
SOURCE_OPEN_LICENCE = "open_licence"


@dataclass(frozen=True)
class OfferQuery:
    """The filters of the marketplace (see the module); ``check`` raises InvalidField naming the field."""

    ipc: str | None = None
    text: str | None = None
    industry: str | None = None
    royalty_type: str | None = None
    max_rate: Decimal | None = None
    max_amount: Decimal | None = None
    min_remaining_years: float | None = None
    limit: int = 20

    def check(self) -> OfferQuery:
        ipc = None
        if self.ipc is not None and self.ipc.strip():
            raw = self.ipc.strip().upper()
            if not raw[:1].isalpha() or len(raw) > 20:
                raise InvalidField("ipc", self.ipc, "must be an IPC prefix such as H04L, H04L 9/ or H04L 9/32")
            ipc = raw
        if self.royalty_type not in (None, "") and self.royalty_type not in ROYALTY_TYPES:
            raise InvalidField("royalty_type", self.royalty_type, f"must be one of {', '.join(ROYALTY_TYPES)}")
        for name in ("max_rate", "max_amount"):
            value = getattr(self, name)
            if value is not None and (not value.is_finite() or value < 0):
                raise InvalidField(name, value, "must be a number from 0 on")
        if self.max_rate is not None and self.max_rate > 100:
            raise InvalidField("max_rate", self.max_rate, "is a percentage: at most 100")
        if self.min_remaining_years is not None and not 0 <= self.min_remaining_years <= 100:
            raise InvalidField("min_remaining_years", self.min_remaining_years, "must be between 0 and 100 years")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidField("limit", self.limit, f"must be between 1 and {MAX_LIMIT}")
        for name in ("text", "industry"):
            value = getattr(self, name)
            if value is not None and len(value) > 500:
                raise InvalidField(name, value[:40] + "…", "must be at most 500 characters")
        return replace(self, ipc=ipc, text=(self.text or "").strip() or None,
                       industry=(self.industry or "").strip() or None, royalty_type=self.royalty_type or None)


def decimal_or_none(raw: str | None, name: str) -> Decimal | None:
    """A number given as text (CLI, query string), or None; InvalidField naming ``name``."""
    if raw is None or not str(raw).strip():
        return None
    try:
        return Decimal(str(raw).strip())
    except InvalidOperation:
        raise InvalidField(name, raw, "must be a number") from None


@dataclass(frozen=True)
class Candidate:
    """A right offered for licensing, before the filters: ``number`` names it (an application number for the
    office's cases), ``document`` its text, claims, classification and dates."""

    number: str
    document: Document
    source: str  # "open_licence", or a further source's name (e.g. "library")
    royalty: Royalty | None
    industry: str | None = None
    products: str | None = None
    declared_on: date | None = None
    ends: date | None = None
    status: Mapping[str, object] = field(default_factory=dict)
    request: int | None = None  # the open-licence declaration's recordal request


class OfferSource(Protocol):
    """A further source of offers (the lead's seam for the university resource library): the candidates it
    offers on ``on``."""

    def candidates(self, on: date) -> Iterable[Candidate]: ...


def _prefix(symbol: str) -> str:
    return symbol.replace(" ", "").upper()


def _ipc_symbols(doc: Document) -> list[str]:
    return [c.symbol for c in doc.classifications if c.scheme.is_ipc_like]


def _subclasses(doc: Document) -> list[str]:
    return list(dict.fromkeys(s for c in doc.classifications if (s := c.subclass_symbol))) \
        if doc.classifications else []


def first_claim(doc: Document) -> dict[str, object] | None:
    claims = claims_of_one_language(doc.claims)
    independent = [c for c in claims if c.is_independent] or claims[:1]
    return {"number": independent[0].number, "text": independent[0].text} if independent else None


def _words(doc: Document, candidate: Candidate) -> str:
    parts = [t.text for t in doc.texts if t.field in (TextField.TITLE, TextField.ABSTRACT)]
    parts += [c.text for c in doc.claims] + [candidate.industry or "", candidate.products or ""]
    return " ".join(parts).casefold()


class Marketplace:
    def __init__(self, procedures: ProcedureService, value: ValueIndicators, embedder: Callable[[], CachedEmbedder],
                 rules: Callable[[], RuleBook], today: Callable[[], date],
                 st27_status: Callable[[str, date], Mapping[str, object]] | None = None,
                 sources: Sequence[OfferSource] = ()) -> None:
        self.procedures = procedures
        self.value = value
        self.embedder = embedder
        self.rules = rules
        self.today = today
        self.st27_status = st27_status
        self.sources = list(sources)

    # -- what the register holds ------------------------------------------------------------------------

    def _views(self) -> list[tuple[CaseView, Document | None]]:
        out = []
        for view in self.procedures.published_views():
            out.append((view, case_document(public_dict(view))))
        return out

    def _status(self, view: CaseView, on: date) -> dict[str, object]:
        status: dict[str, object] = {"state": view.case.state, "in_force": view.case.state in IN_FORCE_STATES}
        if self.st27_status is not None:
            with suppress(LookupError):
                st27 = self.st27_status(view.record.application_number, on)
                status.update({k: st27.get(k) for k in ("st27_category", "st27_category_title", "st27_key_event",
                                                         "st27_key_event_title")})
        return status

    def open_licence_candidates(self, on: date,
                                views: Sequence[tuple[CaseView, Document | None]] | None = None) -> list[Candidate]:
        """The open licences in force on ``on`` on the office's rights in force."""
        out = []
        for view, doc in self._views() if views is None else views:
            if doc is None or view.case.state not in IN_FORCE_STATES:
                continue
            number = view.record.application_number
            right = recordals.right_record(view.record.applicant, recordals.recordals_of(number, view.events), on)
            licence = right.open_licence
            if licence is None or not licence.in_force(on) or not right.open_licence_on(on):
                continue
            out.append(Candidate(number, doc, SOURCE_OPEN_LICENCE, read_royalty(licence.royalty), licence.industry,
                                 licence.products, licence.declared_on, licence.ends, self._status(view, on),
                                 licence.request))
        return out

    def comparables(self, views: Sequence[tuple[CaseView, Document | None]] | None = None) -> list[Comparable]:
        """Every contract of the recordals register with a structured royalty (see the module)."""
        out: list[Comparable] = []
        for view, doc in self._views() if views is None else views:
            number = view.record.application_number
            found = recordals.recordals_of(number, view.events)
            registered = [r for r in found if r.state == recordals.REGISTERED and r.decided_on is not None]
            subclasses = tuple(_subclasses(doc)) if doc is not None else ()
            taken: set[int] = set()
            for r in registered:
                assert r.decided_on is not None
                p = r.payload
                if r.type == "licence":
                    royalty = read_royalty(p.get("royalty"))
                    industry = p.get("industry")
                elif r.type == "open_licence_take":
                    right = recordals.right_record(view.record.applicant, found, r.decided_on)
                    if right.open_licence is None:
                        continue
                    taken.add(right.open_licence.request)
                    royalty, industry = read_royalty(right.open_licence.royalty), right.open_licence.industry
                else:
                    continue
                if royalty is not None and royalty.structured:
                    out.append(Comparable(number, r.type, r.id, r.decided_on, royalty, subclasses,
                                          str(industry) if industry else None))
            for r in registered:
                royalty = read_royalty(r.payload.get("royalty"))
                if r.type == "open_licence" and r.id not in taken and royalty is not None and royalty.structured:
                    assert r.decided_on is not None
                    industry = r.payload.get("industry")
                    out.append(Comparable(number, "open_licence", r.id, r.decided_on, royalty, subclasses,
                                          str(industry) if industry else None))
        return out

    # -- offers -----------------------------------------------------------------------------------------

    def offers(self, query: OfferQuery, extra: Iterable[Candidate] = ()) -> list[dict[str, Any]]:
        """The offers meeting every filter of ``query`` (checked: InvalidField naming the field), best first
        when there is a text, else newest declaration first; each with its status, first claim, indicators,
        royalty and royalty guidance. ``extra``: further candidates (e.g. a resource library's entries)."""
        query = query.check()
        today = self.today()
        views = self._views()
        candidates = self.open_licence_candidates(today, views)
        for source in self.sources:
            candidates += list(source.candidates(today))
        candidates += list(extra)
        kept = [c for c in candidates if self._meets(c, query, today)]
        scores: dict[int, float] = {}
        if query.text is not None and kept:
            kept, scores = self._by_text(kept, query.text)
        else:
            kept.sort(key=lambda c: (c.declared_on or date.min, c.number), reverse=True)
        contracts = self.comparables(views)
        return [self._offer(c, scores.get(id(c)), contracts) for c in kept[:query.limit]]

    @staticmethod
    def _meets(c: Candidate, q: OfferQuery, today: date) -> bool:
        if q.ipc is not None and not any(_prefix(s).startswith(_prefix(q.ipc)) for s in _ipc_symbols(c.document)):
            return False
        if q.industry is not None:
            wanted = q.industry.casefold()
            if not any(wanted in (t or "").casefold() for t in (c.industry, c.products)):
                return False
        r = c.royalty
        if q.royalty_type is not None and (r is None or r.type != q.royalty_type):
            return False
        if q.max_rate is not None and not (r is not None and (r.type == "free" or (
                r.type == "running_percentage" and r.rate_percent is not None and r.rate_percent <= q.max_rate))):
            return False
        if q.max_amount is not None and not (r is not None and (r.type == "free" or (
                r.type in ("lump_sum", "per_unit") and r.amount is not None and r.amount <= q.max_amount))):
            return False
        if q.min_remaining_years is not None:
            years = remaining_term(c.document, term_rule, today).value
            if years is None or years < q.min_remaining_years:
                return False
        return True

    def _by_text(self, kept: list[Candidate], text: str) -> tuple[list[Candidate], dict[int, float]]:
        embedder = self.embedder()
        query = embedder.embedder.encode([text])[0]
        vectors = embed_documents([c.document for c in kept], embedder)
        similarity = np.clip(vectors @ query, 0, 1)
        literal = text.casefold()
        scores = {id(c): round(float(s), 4) for c, s in zip(kept, similarity, strict=True)}
        best = max(scores.values())
        met = [c for c in kept if scores[id(c)] >= max(TEXT_SIMILARITY, best - TEXT_MARGIN)
               or literal in _words(c.document, c)]
        met.sort(key=lambda c: scores[id(c)], reverse=True)
        return met, scores

    def _offer(self, c: Candidate, score: float | None, contracts: Sequence[Comparable]) -> dict[str, Any]:
        doc = c.document
        data: dict[str, Any] = {
            "number": c.number, "publication_number": doc.number.compact, "title": doc.title, "source": c.source,
            "ipc": _ipc_symbols(doc), "industry": c.industry, "products": c.products,
            "royalty": c.royalty.as_dict() if c.royalty else None,
            "royalty_summary": c.royalty.summary() if c.royalty else None,
            "declared_on": c.declared_on.isoformat() if c.declared_on else None,
            "ends": c.ends.isoformat() if c.ends else None, "request": c.request,
            "status": dict(c.status), "first_claim": first_claim(doc),
            "indicators": self.value.of_document(doc),
            "guidance": self._guidance(c.number, _subclasses(doc), c.industry, contracts),
        }
        if score is not None:
            data["similarity"] = score
        return data

    # -- royalty guidance ------------------------------------------------------------------------------------

    def _guidance(self, number: str, subclasses: Sequence[str], industry: str | None,
                  contracts: Sequence[Comparable]) -> dict[str, object]:
        dated = self.rules().value(MIN_COMPARABLES, self.today())
        own = [c for c in contracts if not (c.number == number and c.kind == "open_licence")]
        return guidance(subclasses, industry, own, int(str(dated.value)), dated.reference)

    def royalty_guidance(self, number: str) -> dict[str, object]:
        """The royalty guidance of right ``number`` (an application or publication number of the office's cases,
        or a document of the register): ``{"number", "title", ...domain.royalty_guidance.guidance}``. Raises
        LookupError naming the number when neither holds it."""
        wanted = number.strip()
        if not wanted:
            raise InvalidField("number", number, "must be an application or publication number")
        views = self._views()
        compact = wanted.replace(" ", "").upper()
        for view, doc in views:
            if compact in {view.record.application_number.replace(" ", "").upper(),
                           *(p.replace(" ", "").upper() for p in publication_numbers(view))}:
                right = recordals.right_record(view.record.applicant,
                                               recordals.recordals_of(view.record.application_number, view.events))
                industry = right.open_licence.industry if right.open_licence else None
                result = self._guidance(view.record.application_number, _subclasses(doc) if doc else [], industry,
                                        self.comparables(views))
                return {"number": view.record.application_number, "title": view.record.title, **result}
        try:
            doc = self.value.register.get(wanted)
        except InvalidField:  # not even a printed number: say what the user needs to know
            doc = None
        if doc is None:
            raise LookupError(f"number: {number} is neither a case of the office nor a document of the register")
        return {"number": doc.number.compact, "title": doc.title,
                **self._guidance(doc.number.compact, _subclasses(doc), None, self.comparables(views))}

