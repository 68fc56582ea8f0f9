"""Reference data of the register: the IPC scheme and the Nice classification."""

from __future__ import annotations

from dataclasses import dataclass

from ipoffice.domain.classification import Level


@dataclass(frozen=True)
class IpcEntry:
    symbol: str  # normalised: "H04W", "H04W 72/00", "H04W 72/04"
    level: Level
    title_en: str
    title_zh: str


@dataclass(frozen=True)
class NiceClass:
    number: int
    kind: str  # "goods" | "services"
    heading: str
    edition: str
    explanatory_note: str = ""


@dataclass(frozen=True)
class NiceTerm:
    """One good or service of the Nice alphabetical list."""

    class_number: int
    term: str
    edition: str
    basic_number: str | None = None
