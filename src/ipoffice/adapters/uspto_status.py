"""Read the USPTO application-status vocabulary (``ipoffice/rules/vocabularies/
uspto_application_status.yaml``) into the domain's ``StatusVocabulary``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from ipoffice.domain.procedures.us_utility import StatusVocabulary, UsptoStatus

VOCABULARY_FILE = "uspto_application_status.yaml"
PROCEEDINGS = ("application", "reexamination", "supplemental_examination")


class StatusVocabularyError(ValueError):
    pass


@cache
def load_status_vocabulary() -> StatusVocabulary:
    """The packaged vocabulary (read once)."""
    text = resources.files("ipoffice.rules.vocabularies").joinpath(VOCABULARY_FILE).read_text("utf-8")
    return parse_status_vocabulary(text, VOCABULARY_FILE)


def parse_status_vocabulary(text: str, file: str = "(text)") -> StatusVocabulary:
    document = yaml.safe_load(text)
    if not isinstance(document, dict) or not isinstance(document.get("statuses"), list):
        raise StatusVocabularyError(f"{file}: needs a 'statuses' list")
    statuses = [_status(file, index, item) for index, item in enumerate(document["statuses"])]
    try:
        return StatusVocabulary(statuses)
    except ValueError as exc:
        raise StatusVocabularyError(f"{file}: {exc}") from None


def _status(file: str, index: int, item: Any) -> UsptoStatus:
    key = f"{file}: statuses[{index}]"
    if not isinstance(item, dict) or not {"code", "text", "proceeding", "states"} <= set(item):
        raise StatusVocabularyError(f"{key}: needs code, text, proceeding and states")
    unknown = set(item) - {"code", "text", "proceeding", "states", "also", "note"}
    if unknown:
        raise StatusVocabularyError(f"{key}: unknown key(s) {sorted(unknown)}")
    if not isinstance(item["code"], int) or not isinstance(item["text"], str) or not item["text"].strip():
        raise StatusVocabularyError(f"{key}: code must be an integer and text a non-empty string")
    if item["proceeding"] not in PROCEEDINGS:
        raise StatusVocabularyError(f"{key}: proceeding must be one of {', '.join(PROCEEDINGS)}")
    states, also = item["states"], item.get("also", [])
    if not isinstance(states, list) or not isinstance(also, list):
        raise StatusVocabularyError(f"{key}: states and also must be lists")
    return UsptoStatus(code=item["code"], text=item["text"], proceeding=item["proceeding"],
                       states=frozenset(str(s) for s in states), also=tuple(str(a) for a in also),
                       note=str(item.get("note", "")))
