"""Need → patent matching and value indicators: the pure parts (need parts, reasons, indicators with the
packaged dated term rules on both sides of their dates)."""

from __future__ import annotations

from datetime import date

import pytest

from ipoffice.domain.document import Claim, Document, LegalEvent, PriorityClaim, RightType
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.matching import (
    MAX_NEED_CHARS,
    MAX_NEED_PARTS,
    MatchReason,
    NoOpenLicences,
    check_need,
    need_language,
    need_parts,
)
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.domain.value_indicators import (
    claim_length,
    claims_breadth,
    family_size,
    forward_citations,
    legal_events,
    remaining_term,
)
from ipoffice.services.value import term_rule

TODAY = date(2026, 11, 30)


def _doc(number: str, right_type: RightType = RightType.INVENTION, *, filed: date | None = None,
         published: date | None = None, **kwargs: object) -> Document:
    return Document(number=PublicationNumber.parse(number), right_type=right_type, application_date=filed,
                    publication_date=published, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_need_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidField) as refused:
        check_need(text)
    assert refused.value.field == "need"


@pytest.mark.parametrize(("text", "kept"), [("battery\x00cooling", "battery cooling"),
                                            ("\x07电池\u200b 冷却", "电池 冷却"), ("  two\n\tlines ", "two lines")])
def test_control_characters_are_dropped_from_a_need(text: str, kept: str) -> None:
    assert check_need(text) == kept


@pytest.mark.parametrize("text", ["\x00", "\x00\x01 \x1f"])
def test_a_need_of_control_characters_only_is_empty(text: str) -> None:
    with pytest.raises(InvalidField):
        check_need(text)


def test_a_need_too_long_is_refused_with_the_limit() -> None:
    with pytest.raises(InvalidField, match=f"{MAX_NEED_CHARS:,}"):
        check_need("battery " * MAX_NEED_CHARS)


@pytest.mark.parametrize(("need", "expected"), [
    ("A battery cooling device for electric vehicles.", ["A battery cooling device for electric vehicles"]),
    ("We need a low-cost water filter. It must remove arsenic; and fit a kitchen tap.",
     ["We need a low-cost water filter", "It must remove arsenic", "and fit a kitchen tap"]),
    ("一种电池冷却装置。能够降低电池温度；体积小巧", ["一种电池冷却装置", "能够降低电池温度", "体积小巧"]),
    ("一种电池冷却装置；体积小", ["一种电池冷却装置, 体积小"]),
    ("Sensor. Ok.", ["Sensor, Ok"]),  # pieces too short for a meaning of their own are glued together
])
def test_need_parts_are_its_sentences_and_clauses(need: str, expected: list[str]) -> None:
    assert need_parts(need) == expected


def test_need_parts_are_capped_the_rest_joined_to_the_last() -> None:
    need = ". ".join(f"requirement number {i} of the product" for i in range(30))
    parts = need_parts(need)
    assert len(parts) == MAX_NEED_PARTS
    assert "requirement number 29" in parts[-1]


def test_need_language() -> None:
    assert need_language("电池 cooling") == "zh"
    assert need_language("battery cooling") == "en"


def test_no_open_licences_is_the_default_seam() -> None:
    assert NoOpenLicences().on_offer(["CN116226907A", "US8421615B2"], TODAY) == set()


def test_a_reason_says_why_shared_terms_or_meaning_alone() -> None:
    literal = MatchReason("sensor network", "1[a]", "a sensor network", "claims", 0.8, 0.7, 1.0, ("sensor", "network"))
    across = MatchReason("传感器网络", "1[a]", "a sensor network", "claims", 0.6, 0.6, 0.0)
    assert literal.why == "meaning similarity 0.70; shared terms: sensor, network"
    assert "no shared words" in across.why
    assert across.as_json()["why"] == across.why


# --- remaining term: the packaged rule books, each rule on both sides of its date -------------------------

@pytest.mark.parametrize(("doc", "expiry", "bound"), [
    # CN invention: 20 years from filing (Patent Law Art. 42)
    (_doc("CN116226907A", filed=date(2023, 3, 1)), "2043-03-01", False),
    # CN design: 10 years for filings before 2021-06-01, 15 from then on
    (_doc("CN306000000S", RightType.DESIGN, filed=date(2021, 5, 31)), "2031-05-31", False),
    (_doc("CN306000001S", RightType.DESIGN, filed=date(2021, 6, 1)), "2036-06-01", False),
    # CN utility model: 10 years
    (_doc("CN216000000U", RightType.UTILITY_MODEL, filed=date(2020, 1, 2)), "2030-01-02", False),
    # US utility: 17 years from grant when filed before 1995-06-08, 20 years from filing from then on
    (_doc("US5432887", filed=date(1995, 6, 7), published=date(1996, 7, 11)), "2013-07-11", False),
    (_doc("US5432888", filed=date(1995, 6, 8), published=date(1996, 7, 11)), "2015-06-08", False),
    # no filing date: an upper bound from the grant date
    (_doc("US8116787", published=date(2012, 2, 14)), "2032-02-14", True),
    # US design: 14 years from grant when filed before 2015-05-13, 15 from then on
    (_doc("USD700000S1", RightType.DESIGN, filed=date(2015, 5, 12), published=date(2016, 1, 5)), "2030-01-05", False),
    (_doc("USD700001S1", RightType.DESIGN, filed=date(2015, 5, 13), published=date(2016, 1, 5)), "2031-01-05", False),
])
def test_remaining_term_from_the_dated_rules(doc: Document, expiry: str, bound: bool) -> None:
    term = remaining_term(doc, term_rule, TODAY).as_json()
    assert term["expiry"] == expiry
    assert term["upper_bound"] is bound
    ended = date.fromisoformat(expiry) <= TODAY
    assert term["ended"] is ended
    assert (term["value"] == 0.0) is ended
    assert term["reference"] in term["explanation"]
    assert ("at most" in term["explanation"]) is (bound and not ended)


@pytest.mark.parametrize(("doc", "why"), [
    (_doc("EP1326188B1", published=date(2005, 1, 1)), "no term rule for EP"),
    (_doc("CN116226907A"), "neither the filing date nor the publication date"),
    (_doc("US8116787"), "no grant"),
])
def test_remaining_term_unknown_says_why(doc: Document, why: str) -> None:
    term = remaining_term(doc, term_rule, TODAY)
    assert term.value is None
    assert why in term.explanation


def test_forward_citations_and_family() -> None:
    assert forward_citations([]).value == 0
    cited = forward_citations([f"US{n}" for n in range(7)])
    assert cited.value == 7 and cited.explanation.endswith("…")
    alone = family_size("EP1B1", [], 2)
    assert alone.value == 1 and "no other publication" in alone.explanation
    family = family_size("EP1B1", ["US7B2", "EP1A1"], 1).as_json()
    assert family["value"] == 3 and family["members"] == ["EP1A1", "EP1B1", "US7B2"]


def test_claim_breadth_is_the_shortest_independent_claim_of_one_language() -> None:
    claims = [
        Claim(1, "1. A device comprising: a coil; a capacitor; and a controller configured to detect metal.", "en"),
        Claim(2, "2. The device of claim 1, wherein the coil is flat.", "en", (1,)),
        Claim(3, "3. A method comprising: measuring a quality factor; and stopping power.", "en"),
        Claim(1, "1. Vorrichtung mit einer Spule.", "de"),
    ]
    breadth = claims_breadth(_doc("EP1B1", claims=claims)).as_json()
    assert breadth["value"] == 3  # the English claims only
    assert breadth["independent"] == 2
    assert breadth["shortest_independent_claim"] == 3
    assert breadth["shortest_independent_elements"] == 2
    assert claims_breadth(_doc("US8116787")).value is None


def test_claim_length_counts_characters_in_chinese() -> None:
    assert claim_length("一种电池冷却装置，包括：散热片。") == (13, "characters")
    assert claim_length("A battery cooler comprising a fin.") == (6, "words")


def test_legal_events_name_the_challenges() -> None:
    events = [LegalEvent("published", date(2010, 1, 1)), LegalEvent("26", date(2012, 3, 1), "Opposition filed"),
              LegalEvent("grant", date(2011, 5, 1))]
    indicator = legal_events(events).as_json()
    assert indicator["value"] == 3 and indicator["challenges"] == 1
    assert "26 2012-03-01" in indicator["explanation"]
    assert legal_events([]).value == 0
    calm = legal_events(events[:1])
    assert "no opposition" in calm.explanation


def test_priority_claims_do_not_change_the_term_basis() -> None:
    doc = _doc("CN116226907A", filed=date(2023, 3, 1),
               priority_claims=[PriorityClaim("US", "63/000", date(2022, 3, 1))])
    assert remaining_term(doc, term_rule, TODAY).as_json()["expiry"] == "2043-03-01"
