"""The API's document representations and their cache (``services.document_views``) on SQLite and
PostgreSQL: the lean and full shapes, a cached record reused only while the register says it is current
(the document re-imported, a new document citing it, the age limit), and the least recently read dropped
first. Invented documents."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.document import Citation, CitedBy, Claim, Document, LegalEvent, LocalizedText, TextField
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.services.document_views import DocumentViews, representation
from ipoffice.services.documents import DocumentNotFound


def _doc(number: str, *, cites: str | None = None, events: tuple[LegalEvent, ...] = ()) -> Document:
    return Document(
        number=PublicationNumber.parse(number), publication_date=date(2020, 1, 7), application_number=None,
        texts=[LocalizedText(TextField.TITLE, "en", f"Title {number}"),
               LocalizedText(TextField.ABSTRACT, "en", "An abstract."),
               LocalizedText(TextField.DESCRIPTION, "en", "A long description. " * 200)],
        claims=[Claim(1, "A widget."), Claim(2, "The widget of claim 1.", depends_on=(1,))],
        citations=[Citation(CitedBy.EXAMINER, number=cites)] if cites else [],
        legal_events=list(events),
    )


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def filled(register: SqlRegister) -> SqlRegister:
    register.save_documents([(_doc("US9000001B2"), None), (_doc("US9000002B2"), None)])
    return register


def test_lean_has_no_long_texts_and_full_has_them(filled: SqlRegister) -> None:
    record = DocumentViews(filled).get("US 9000001 B2").record
    lean = representation(record, "lean")
    assert "description" not in lean and "claims" not in lean
    assert lean["claims_count"] == 2 and lean["description_languages"] == ["en"]
    assert lean["links"]["full"] == "/api/v1/documents/US9000001B2?full=true"
    assert lean["abstracts"] == {"en": "An abstract."} and lean["legal_status"]["status"] == "granted"
    full = representation(record, "full")
    assert [c["number"] for c in full["claims"]] == [1, 2] and full["description"]["en"].startswith("A long")
    assert set(full) == set(lean) | {"claims", "description"}
    assert representation(record, "claims")[1]["depends_on"] == [1]
    assert list(representation(record, "description")) == ["en"]


def test_a_record_is_reused_until_the_register_changes_what_it_shows(filled: SqlRegister) -> None:
    clock = Clock()
    views = DocumentViews(filled, clock=clock)
    first = views.get("US9000001B2")
    assert views.get("US9000001B2") is first
    views.get("US 9000001 B2")  # another printed form: resolved once, then the same record
    assert views.get("US 9000001 B2") is first
    etag = first.etag("lean")
    assert etag != first.etag("full")
    # A new document citing it: cited_by changes.
    filled.save_documents([(_doc("US9000003B2", cites="US9000001B2"), None)])
    second = views.get("US9000001B2")
    assert second is not first and [c["number"] for c in second.record["cited_by"]] == ["US9000003B2"]
    assert second.etag("lean") != etag
    # The document itself re-imported with a new legal event.
    lapsed = _doc("US9000001B2", events=(LegalEvent("EXP", date(2024, 2, 1), "Patent expired"),))
    filled.save_documents([(lapsed, None)])
    third = views.get("US9000001B2")
    assert third is not second and third.record["legal_events"][0]["code"] == "EXP"
    # Unchanged, but older than max_age: built again (another document's re-import may show).
    clock.now += views.max_age + 1
    assert views.get("US9000001B2") is not third


def test_unknown_numbers_are_not_found_and_the_least_recently_read_is_dropped(filled: SqlRegister) -> None:
    views = DocumentViews(filled, size=1)
    with pytest.raises(DocumentNotFound):
        views.get("US9999999B2")
    one = views.get("US9000001B2")
    views.get("US9000002B2")
    assert views.get("US9000001B2") is not one  # dropped when the second was read
    assert views.get("US9000001B2") is views.get("US9000001B2")


def test_a_document_changed_while_its_record_was_built_is_not_kept(filled: SqlRegister) -> None:
    views = DocumentViews(filled)
    original = views.reads.document_version
    calls = 0

    def racing(number: str) -> tuple[int, str] | None:
        nonlocal calls
        calls += 1
        if calls == 2:  # between the version read before building and the one after
            filled.save_documents([(replace(_doc("US9000001B2"), mark_text="changed"), None)])
        return original(number)

    views.reads.document_version = racing  # type: ignore[method-assign]
    built = views.get("US9000001B2")
    views.reads.document_version = original  # type: ignore[method-assign]
    assert views.get("US9000001B2") is not built
