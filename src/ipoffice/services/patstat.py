"""Use case: the register written as PATSTAT Global tables (issue #18), so analysts can run their PATSTAT
queries on it (``ipoffice export patstat DIR [--as-of D] [--parquet]``).

``export_patstat(engine, catalogue, directory, as_of)`` writes one CSV per table of
``ipoffice.domain.patstat.TABLES`` and returns the rows written per table; ``as_of`` must lie between
1790-01-01 and today (``InvalidField`` naming ``as_of``). The ``granted`` flag follows the ``granted``
indicator's definition in force on the as-of date, the technology fields WIPO's concordance, the
applicant sectors the applicant-type rules (``ipoffice indicators --list`` shows all three with references).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from ipoffice.adapters.indicators_loader import IndicatorCatalogue
from ipoffice.adapters.patstat_export import PatstatExport, PatstatInputs
from ipoffice.adapters.st27_vocabulary import load_st27_vocabulary
from ipoffice.domain.errors import InvalidField
from ipoffice.services.indicators import EARLIEST


def export_patstat(engine: Engine, catalogue: IndicatorCatalogue, directory: Path, as_of: date | None = None,
                   parquet: bool = False, today: date | None = None) -> dict[str, int]:
    """Write the PATSTAT tables of the register as of ``as_of`` (None: all it holds) under ``directory``."""
    today = today or date.today()
    if as_of is not None and not EARLIEST <= as_of <= today:
        raise InvalidField("as_of", as_of.isoformat(), f"must be between {EARLIEST} and today ({today})")
    inputs = PatstatInputs(catalogue.book.version("granted", as_of or today).params, catalogue.fields,
                           catalogue.applicant_types, load_st27_vocabulary())
    return PatstatExport(engine, inputs).write(directory, as_of, parquet)
