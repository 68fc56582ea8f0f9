"""Read the conveyance vocabulary (``ipoffice/rules/vocabularies/uspto_conveyances.yaml``) into the
domain's ``ConveyanceVocabulary``."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ipoffice.domain.conveyances import ConveyancePattern, ConveyanceVocabulary

VOCABULARY_FILE = "uspto_conveyances.yaml"


class ConveyanceVocabularyError(ValueError):
    pass


@cache
def load_conveyance_vocabulary() -> ConveyanceVocabulary:
    """The packaged vocabulary (read once)."""
    text = resources.files("ipoffice.rules.vocabularies").joinpath(VOCABULARY_FILE).read_text("utf-8")
    return parse_conveyance_vocabulary(text, VOCABULARY_FILE)


def parse_conveyance_vocabulary(text: str, file: str = "(text)") -> ConveyanceVocabulary:
    """Raises ConveyanceVocabularyError naming the file and the entry at fault."""
    document: Any = yaml.safe_load(text)
    if not isinstance(document, dict) or not isinstance(document.get("patterns"), list):
        raise ConveyanceVocabularyError(f"{file}: needs a 'patterns' list")
    if not isinstance(document.get("updated"), date) or not str(document.get("source") or "").strip():
        raise ConveyanceVocabularyError(f"{file}: needs 'source' and an 'updated' date")
    patterns = []
    for index, item in enumerate(document["patterns"]):
        keys = set(item) if isinstance(item, dict) else set()
        if not {"type", "pattern"} <= keys or keys - {"type", "pattern", "example"}:
            raise ConveyanceVocabularyError(f"{file}: patterns[{index}]: needs type and pattern (and an example)")
        patterns.append(ConveyancePattern(str(item["type"]), str(item["pattern"]), str(item.get("example", ""))))
    try:
        return ConveyanceVocabulary(patterns)
    except ValueError as exc:
        raise ConveyanceVocabularyError(f"{file}: {exc}") from None
