"""Read the ST.27 mapping (``ipoffice/rules/vocabularies/st27.yaml``) into the domain's ``St27Vocabulary``."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ipoffice.domain.legal_status import St27Rule, St27Vocabulary

VOCABULARY_FILE = "st27.yaml"


class St27VocabularyError(ValueError):
    pass


@cache
def load_st27_vocabulary() -> St27Vocabulary:
    """The packaged vocabulary (read once)."""
    text = resources.files("ipoffice.rules.vocabularies").joinpath(VOCABULARY_FILE).read_text("utf-8")
    return parse_st27_vocabulary(text, VOCABULARY_FILE)


def _rules(document: dict[str, Any], key: str, file: str, *, scoped: bool) -> list[St27Rule]:
    items = document.get(key)
    if not isinstance(items, list):
        raise St27VocabularyError(f"{file}: needs a '{key}' list")
    out = []
    for i, item in enumerate(items):
        wanted = {"pattern", "key_event", "category"} if scoped else {"pattern", "key_event"}
        if not isinstance(item, dict) or set(item) != wanted:
            raise St27VocabularyError(f"{file}: {key}[{i}]: needs exactly {', '.join(sorted(wanted))}")
        out.append(St27Rule(str(item["pattern"]), str(item["key_event"]), str(item["category"]) if scoped else None))
    return out


def _mapping(document: dict[str, Any], key: str, file: str) -> dict[str, str]:
    items = document.get(key)
    if not isinstance(items, dict) or not items:
        raise St27VocabularyError(f"{file}: needs a '{key}' mapping")
    return {str(k): str(v) for k, v in items.items()}


def parse_st27_vocabulary(text: str, file: str = "(text)") -> St27Vocabulary:
    """Raises St27VocabularyError naming the file and the entry at fault."""
    document: Any = yaml.safe_load(text)
    if not isinstance(document, dict):
        raise St27VocabularyError(f"{file}: not a mapping")
    if not isinstance(document.get("updated"), date) or not str(document.get("source") or "").strip():
        raise St27VocabularyError(f"{file}: needs 'source' and an 'updated' date")
    categories = document.get("categories")
    if not isinstance(categories, dict) or not all(isinstance(v, list) and len(v) == 2 for v in categories.values()):
        raise St27VocabularyError(f"{file}: categories: each needs [title, effect]")
    try:
        return St27Vocabulary(
            {str(k): (str(v[0]), str(v[1])) for k, v in categories.items()},
            _mapping(document, "key_events", file),
            _rules(document, "key_event_rules", file, scoped=True),
            _rules(document, "description_rules", file, scoped=False),
            _mapping(document, "us_event_codes", file),
            _mapping(document, "procedure_actions", file),
        )
    except (ValueError, TypeError) as exc:
        if isinstance(exc, St27VocabularyError):
            raise
        raise St27VocabularyError(f"{file}: {exc}") from None
