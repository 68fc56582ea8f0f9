"""The whole schema: every module that declares tables on the shared metadata, imported once.

Alembic's environment and the migration test use this, so no table can be forgotten by either.
"""

from __future__ import annotations

from ipoffice.adapters import portal_tables, procedure_store  # noqa: F401  (they declare their tables)
from ipoffice.adapters.tables import metadata

__all__ = ["metadata"]
