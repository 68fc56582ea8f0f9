"""Claim splitting into chart rows, on real claims of the shared corpus (quoted) and Chinese drafting."""

from __future__ import annotations

import pytest

from ipoffice.domain.claim_elements import claim_number, split_claim

# Claim 1 of US 2021/0267109 A1 (shared us_xml), quoted in full.
US20210267109_CLAIM_1 = (
    "An apparatus to clean a surface with debris comprising: a frame comprising a front face, and an uplifted "
    "panel, wherein the uplifted panel entraps the debris scooped up by the apparatus; at least a first wheel "
    "attached to the frame; wherein the apparatus moves upon the first wheel with at least a portion of a weight "
    "of the frame, the uplifted panel and the debris supported by the first wheel; at least a first fork "
    "comprising teeth, wherein the first fork is attached to the uplifted panel; a first adjustment fixture "
    "attached to the frame and to the uplifted panel; wherein the first adjustment fixture holds the first fork "
    "at an angle relative to the surface; and wherein the angle relative to the surface defines a condition "
    "which uplifts the teeth attached to the first fork from a yard surface as the apparatus moves across the "
    "yard surface."
)


def test_preamble_then_semicolon_and_wherein_elements() -> None:
    elements = split_claim(US20210267109_CLAIM_1)
    assert [e.label for e in elements] == ["1[pre]"] + [f"1[{c}]" for c in "abcdefghi"]
    assert elements[0].is_preamble
    assert elements[0].text == "An apparatus to clean a surface with debris comprising"
    assert elements[1].text == "a frame comprising a front face, and an uplifted panel"
    assert elements[2].text == "wherein the uplifted panel entraps the debris scooped up by the apparatus"
    assert elements[3].text == "at least a first wheel attached to the frame"
    assert elements[-1].text.startswith("wherein the angle relative to the surface defines a condition")
    assert elements[-1].text.endswith("as the apparatus moves across the yard surface")


def test_lettered_markers_and_leading_claim_number() -> None:
    # Claim 1 of US 6,836,899 B1 as given in eval/known_item_dev.jsonl (beginning).
    claim = ("1. A holding device for removably holding a napkin over the front of the body or torso of a user "
             "comprising: (a) a lanyard having two ends and sufficient length to extend around the neck and over "
             "the shoulders of a human body, (b) a pair of clamping devices secured to the ends of the lanyard in "
             "a pivotable relationship")
    elements = split_claim(claim)
    assert claim_number(claim) == 1
    assert [e.label for e in elements] == ["1[pre]", "1[a]", "1[b]"]
    assert elements[1].text.startswith("a lanyard having two ends")
    assert elements[2].text == ("a pair of clamping devices secured to the ends of the lanyard in a pivotable "
                                "relationship")


def test_chinese_claim() -> None:
    elements = split_claim("1.一种无人机喷洒装置，包括：机身；设置在机身下方的药箱；以及喷头，其中所述喷头与药箱连通。")
    assert [(e.label, e.text) for e in elements] == [
        ("1[pre]", "一种无人机喷洒装置，包括"),
        ("1[a]", "机身"),
        ("1[b]", "设置在机身下方的药箱"),
        ("1[c]", "喷头"),
        ("1[d]", "其中所述喷头与药箱连通"),
    ]


def test_dependent_claim_keeps_its_number_and_reference() -> None:
    elements = split_claim("2. The method of claim 1, wherein the sensor is optical.")
    assert [(e.label, e.text) for e in elements] == [("2[a]", "The method of claim 1"),
                                                     ("2[b]", "wherein the sensor is optical")]


def test_empty_claim_is_rejected_naming_the_field() -> None:
    with pytest.raises(ValueError, match="claim: the claim text is empty"):
        split_claim("   ")
