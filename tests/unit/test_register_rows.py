"""A document's rows and content hash, prepared without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ipoffice.adapters.register import prepare
from ipoffice.domain.document import Claim, Document, LocalizedText, TextField
from ipoffice.domain.numbers import PublicationNumber


def document(title: str, claim_texts: list[str], published: date = date(2020, 1, 7)) -> Document:
    return Document(
        number=PublicationNumber.parse("US 10524444 B2"),
        publication_date=published,
        texts=[LocalizedText(TextField.TITLE, "en", title)],
        claims=[Claim(i, text, "en") for i, text in enumerate(claim_texts, 1)],
        source_format="test",
    )


def test_the_content_hash_depends_on_the_content_only() -> None:
    shared = "A wheel comprising a hub."
    once = prepare(document("Wheel", [shared, shared]))  # one string object twice
    pieces = ["A wheel ", "comprising ", "a hub."]
    built = prepare(document("".join(["Whe", "el"]), ["".join(pieces), "".join(pieces)]))  # built at run time
    assert once.content_hash == built.content_hash
    assert len(once.content_hash) == 64


def test_any_changed_row_value_changes_the_content_hash() -> None:
    base = document("Wheel", ["A wheel comprising a hub."])
    hashes = {
        prepare(base).content_hash,
        prepare(document("Wheel", ["A wheel comprising a rim."])).content_hash,
        prepare(document("Wheels", ["A wheel comprising a hub."])).content_hash,
        prepare(replace(base, publication_date=date(2020, 1, 14))).content_hash,
        prepare(replace(base, claims=[Claim(2, "A wheel comprising a hub.", "en")])).content_hash,
    }
    assert len(hashes) == 5
