"""Wires the adapters for the configured environment (composition root)."""

from __future__ import annotations

from functools import lru_cache

from ipoffice.adapters.database import make_engine, migrate
from ipoffice.adapters.register import SqlRegister
from ipoffice.config import Settings


def open_register(settings: Settings | None = None, *, create: bool = True) -> SqlRegister:
    """The register of ``settings`` (default: from the environment), migrated to the newest schema."""
    settings = settings or Settings.from_env()
    if create:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        _migrate_once(settings.database_url)
    return SqlRegister(make_engine(settings.database_url))


@lru_cache(maxsize=8)
def _migrate_once(url: str) -> None:
    migrate(url)
