"""Value indicators of a right, each a value with its explanation: what a licensee, a lender or a
university's inventory looks at first.

- ``remaining_term``: years left until the term ends (term from the dated rule book: CN Patent Law Art. 42,
  35 U.S.C. 154(a)(2)); from the filing date when the register has it, else an upper bound counted from
  the grant (publication) date, since a filing precedes its grant;
- ``forward_citations``: documents of the register that cite the right (``domain.citation_links``);
- ``family_size``: publications of the register linked to it by priority (a shared priority claim, or one
  claiming the other's application), itself included;
- ``claims``: number of claims, of independent claims, and the breadth of the broadest independent claim
  (the length of the shortest one: fewer words, fewer limitations, a wider scope);
- ``legal_events``: the events recorded, with those that challenge the right (opposition, invalidation,
  re-examination) named;
- ``transactions``: licences, pledges (security interests), an open licence and transfers recorded against the
  right: this office's recordals register for its own rights, the USPTO's assignment records for US ones.

Every indicator is ``{"value": …, "explanation": "…"}`` (plus figures of its own); ``value`` is None when
the register cannot tell, and the explanation says why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ipoffice.domain.claim_elements import split_claim
from ipoffice.domain.document import Claim, Document, LegalEvent, RightType
from ipoffice.domain.time_limits import Period, add_period

# (jurisdiction, parameter, date) → (term, legal reference); raises ValueError (RuleNotInForce) when none is.
TermRule = Callable[[str, str, date], tuple[Period, str]]

# US utility patents filed before 1995-06-08 (the URAA date) ran 17 years from the grant.
US_TERM_CHANGE = date(1995, 6, 8)
_CN_TERMS = {RightType.INVENTION: "term.invention", RightType.UTILITY_MODEL: "term.utility_model",
             RightType.DESIGN: "term.design"}
_CHALLENGE = re.compile(r"oppos|invalid|revoc|re-?exam|reissue|nullit|cancel", re.IGNORECASE)
_CJK = re.compile("[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


@dataclass(frozen=True)
class Indicator:
    value: Any
    explanation: str
    details: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "explanation": self.explanation, **(self.details or {})}


def claim_length(text: str) -> tuple[int, str]:
    """The length of a claim in its own unit: Chinese characters for Chinese text, else words."""
    cjk = len(_CJK.findall(text))
    return (cjk, "characters") if cjk > len(text) // 4 else (len(_WORD.findall(text)), "words")


def claims_of_one_language(claims: Sequence[Claim]) -> list[Claim]:
    """The claims of one language (English first): an EP B1 states the same claims in DE, EN and FR."""
    languages = list(dict.fromkeys(c.lang for c in claims))
    lang = "en" if "en" in languages else (languages[0] if languages else "")
    return [c for c in claims if c.lang == lang]


@dataclass(frozen=True)
class _TermBasis:
    parameter: str
    start: date  # the day the term runs from
    rule_date: date  # the day that chooses the rule's value (the filing date, or the best bound of it)
    basis: str
    bound: bool  # the filing date is unknown: the expiry is an upper bound


def _term_basis(doc: Document) -> _TermBasis | str:
    """Which term rule applies and from when; a sentence saying why not when none does."""
    country, filed, granted = doc.number.country, doc.application_date, doc.publication_date
    since_filing = "filing date"
    if country == "CN" and doc.right_type in _CN_TERMS:
        parameter = _CN_TERMS[doc.right_type]
        if filed:
            return _TermBasis(parameter, filed, filed, since_filing, False)
        if granted:
            return _TermBasis(parameter, granted, granted, "publication date (no filing date recorded)", True)
        return "the register has neither the filing date nor the publication date"
    if country == "US" and doc.right_type == RightType.INVENTION and granted:
        if (filed or granted) < US_TERM_CHANGE:
            return _TermBasis("term.utility_before_1995", granted, granted, "grant date (filed before 1995-06-08)",
                              False)
        if filed:
            return _TermBasis("term.utility", filed, filed, since_filing, False)
        return _TermBasis("term.utility", granted, granted, "grant date (no filing date recorded)", True)
    if country == "US" and doc.right_type == RightType.DESIGN and granted:
        return _TermBasis("term.design", granted, filed or granted,
                          "grant date" + ("" if filed else " (the rule chosen by it: no filing date recorded)"),
                          filed is None)
    if country in ("CN", "US") and not granted:
        return "the register has no grant (publication) date"
    return f"no term rule for {country} {doc.right_type.value} rights in the rule book"


def remaining_term(doc: Document, rule: TermRule, today: date) -> Indicator:
    """Years left of the right's term on ``today`` (0 when it ended), with the rule and the date counted from."""
    basis = _term_basis(doc)
    if isinstance(basis, str):
        return Indicator(None, basis)
    try:
        period, reference = rule(doc.number.country.lower(), basis.parameter, basis.rule_date)
    except ValueError as exc:
        return Indicator(None, f"no term rule in force on {basis.rule_date.isoformat()} ({exc})")
    expiry = add_period(basis.start, period)
    ended = expiry <= today
    years = 0.0 if ended else round((expiry - today).days / 365.25, 1)
    what = "term ended" if ended else ("at most " if basis.bound else "") + f"{years:g} years left"
    explanation = (f"{what}: {period} from the {basis.basis} {basis.start.isoformat()} ({reference}), "
                   f"{'ended' if ended else 'ending'} {'by' if basis.bound else 'on'} {expiry.isoformat()}")
    return Indicator(years, explanation, {"expiry": expiry.isoformat(), "upper_bound": basis.bound,
                                          "ended": ended, "reference": reference})


def forward_citations(citing: Sequence[str]) -> Indicator:
    """``citing``: numbers of the register's documents that cite the right."""
    if not citing:
        return Indicator(0, "no document of the register cites it")
    shown = ", ".join(citing[:5]) + (" …" if len(citing) > 5 else "")
    return Indicator(len(citing), f"cited by {len(citing)} document(s) of the register: {shown}",
                     {"citing": list(citing)})


def family_size(number: str, linked: Sequence[str], priorities: int) -> Indicator:
    """``linked``: the other publications of the register linked to ``number`` by priority."""
    members = sorted({number, *linked})
    if not linked:
        why = (f"claims {priorities} priority(ies), but no other publication of the register shares them"
               if priorities else "no priority claimed and none of the register claims it")
    else:
        why = f"linked by priority to {', '.join(m for m in members if m != number)}"
    return Indicator(len(members), f"{len(members)} publication(s) in the register's family: {why}",
                     {"members": members, "priorities_claimed": priorities})


def claims_breadth(doc: Document) -> Indicator:
    """Claim count and the breadth of the broadest independent claim."""
    claims = claims_of_one_language(doc.claims)
    if not claims:
        return Indicator(None, "the register holds no claims of this right")
    independent = [c for c in claims if c.is_independent] or claims[:1]
    lengths = [(claim_length(c.text), c) for c in independent]
    (length, unit), broadest = min(lengths, key=lambda x: x[0][0])
    try:
        elements = len([e for e in split_claim(broadest.text, broadest.number) if not e.is_preamble])
    except ValueError:
        elements = 0
    return Indicator(len(claims),
                     f"{len(claims)} claims, {len(independent)} independent; the broadest, claim {broadest.number}, "
                     f"has {length} {unit} and {elements} element(s): a shorter independent claim has fewer "
                     "limitations and a wider scope",
                     {"independent": len(independent), "shortest_independent_claim": broadest.number,
                      "shortest_independent_length": length, "length_unit": unit,
                      "shortest_independent_elements": elements})


def legal_events(events: Sequence[LegalEvent]) -> Indicator:
    """The number of legal events recorded, naming those that challenge the right."""
    if not events:
        return Indicator(0, "no legal event recorded in the register")
    challenges = [e for e in events if _CHALLENGE.search(f"{e.code} {e.description}")]
    ordered = sorted(events, key=lambda e: e.date)
    why = f"{len(events)} event(s) from {ordered[0].date.isoformat()} to {ordered[-1].date.isoformat()}"
    if challenges:
        why += "; challenges: " + ", ".join(f"{e.code} {e.date.isoformat()}" for e in challenges[:5])
    else:
        why += "; no opposition, invalidation or re-examination recorded"
    return Indicator(len(events), why, {"challenges": len(challenges), "latest": ordered[-1].code})


@dataclass(frozen=True)
class RecordedTransactions:
    """What a register of transactions records against one right (counts; ``source`` names the register)."""

    source: str
    licences: int = 0
    pledges: int = 0  # pledges (security interests) still recorded, not released
    released_pledges: int = 0
    transfers: int = 0
    open_licence: bool = False


def transactions(recorded: RecordedTransactions | None) -> Indicator:
    """Licences, pledges, open licence and transfers recorded against the right: a licensed right has shown
    that someone pays for it; a pledge, that a lender took it as security; None when no register of
    transactions covers it."""
    if recorded is None:
        return Indicator(None, "no register of transactions covers it (this office's recordals cover its own "
                               "rights, the USPTO assignment records US ones)")
    r = recorded
    total = r.licences + r.pledges + r.released_pledges + r.transfers + int(r.open_licence)
    parts = [f"{r.licences} licence(s)", f"{r.pledges} pledge(s) recorded"
             + (f" and {r.released_pledges} released" if r.released_pledges else ""),
             f"{r.transfers} transfer(s)", "under open licence" if r.open_licence else "no open licence"]
    return Indicator(total, f"{', '.join(parts)} ({r.source})",
                     {"licences": r.licences, "pledges": r.pledges, "released_pledges": r.released_pledges,
                      "transfers": r.transfers, "open_licence": r.open_licence, "source": r.source})
