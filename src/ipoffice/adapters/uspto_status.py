"""Read the USPTO application-status vocabulary (``ipoffice/rules/vocabularies/
uspto_application_status.yaml``) into the domain's ``StatusVocabulary``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ipoffice.domain.procedures.us_utility import StatusVocabulary, UsptoStatus

VOCABULARY_FILE = "uspto_application_status.yaml"
PROCEEDINGS = ("application", "reexamination", "supplemental_examination")


DEFAULT_SOURCE = "oce-2015"


class StatusVocabularyError(ValueError):
    pass


@dataclass(frozen=True)
class VocabularySource:
    """A published list the codes and texts were transcribed from; ``stated_count`` is the number of
    codes the source itself says the complete list has."""

    id: str
    title: str
    url: str
    published: date
    stated_count: int


def _packaged_text() -> str:
    return resources.files("ipoffice.rules.vocabularies").joinpath(VOCABULARY_FILE).read_text("utf-8")


@cache
def load_status_vocabulary() -> StatusVocabulary:
    """The packaged vocabulary (read once)."""
    return parse_status_vocabulary(_packaged_text(), VOCABULARY_FILE)


@cache
def load_status_sources() -> dict[str, VocabularySource]:
    """The sources the packaged vocabulary cites, by id."""
    return parse_status_sources(yaml.safe_load(_packaged_text()), VOCABULARY_FILE)


def parse_status_sources(document: Any, file: str = "(text)") -> dict[str, VocabularySource]:
    sources = document.get("sources") if isinstance(document, dict) else None
    if not isinstance(sources, dict) or DEFAULT_SOURCE not in sources:
        raise StatusVocabularyError(f"{file}: needs a 'sources' mapping with '{DEFAULT_SOURCE}'")
    out = {}
    for key, item in sources.items():
        fields = {"title", "url", "published", "stated_count"}
        if not isinstance(item, dict) or set(item) != fields:
            raise StatusVocabularyError(f"{file}: sources.{key}: needs exactly {', '.join(sorted(fields))}")
        if not isinstance(item["published"], date) or not isinstance(item["stated_count"], int):
            raise StatusVocabularyError(f"{file}: sources.{key}: published must be a date, stated_count an integer")
        out[str(key)] = VocabularySource(str(key), str(item["title"]), str(item["url"]), item["published"],
                                         item["stated_count"])
    return out


def parse_status_vocabulary(text: str, file: str = "(text)") -> StatusVocabulary:
    document = yaml.safe_load(text)
    if not isinstance(document, dict) or not isinstance(document.get("statuses"), list):
        raise StatusVocabularyError(f"{file}: needs a 'statuses' list")
    sources = parse_status_sources(document, file)
    statuses = [_status(file, index, item, sources) for index, item in enumerate(document["statuses"])]
    try:
        return StatusVocabulary(statuses)
    except ValueError as exc:
        raise StatusVocabularyError(f"{file}: {exc}") from None


def _status(file: str, index: int, item: Any, sources: dict[str, VocabularySource]) -> UsptoStatus:
    key = f"{file}: statuses[{index}]"
    if not isinstance(item, dict) or not {"code", "text", "proceeding", "states"} <= set(item):
        raise StatusVocabularyError(f"{key}: needs code, text, proceeding and states")
    unknown = set(item) - {"code", "text", "proceeding", "states", "also", "note", "source"}
    if unknown:
        raise StatusVocabularyError(f"{key}: unknown key(s) {sorted(unknown)}")
    if not isinstance(item["code"], int) or not isinstance(item["text"], str) or not item["text"].strip():
        raise StatusVocabularyError(f"{key}: code must be an integer and text a non-empty string")
    if item["proceeding"] not in PROCEEDINGS:
        raise StatusVocabularyError(f"{key}: proceeding must be one of {', '.join(PROCEEDINGS)}")
    source = str(item.get("source", DEFAULT_SOURCE))
    if source not in sources:
        raise StatusVocabularyError(f"{key}: source {source!r} is not in 'sources'")
    states, also = item["states"], item.get("also", [])
    if not isinstance(states, list) or not isinstance(also, list):
        raise StatusVocabularyError(f"{key}: states and also must be lists")
    return UsptoStatus(code=item["code"], text=item["text"], proceeding=item["proceeding"],
                       states=frozenset(str(s) for s in states), also=tuple(str(a) for a in also),
                       note=str(item.get("note", "")), source=source)
