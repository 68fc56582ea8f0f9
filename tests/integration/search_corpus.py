"""One import of every shared document (and its keyword index) per test session, for the search tests.

A cached function rather than a fixture so that test modules share it without a conftest: the first
caller imports the document folders of ``../shared/data`` (reference tables are not documents) into a
temporary SQLite register and builds the index; later callers get the same settings.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

from ipoffice.bootstrap import office
from ipoffice.config import Settings
from ipoffice.services.importing import expand_paths
from ipoffice.services.indexing import rebuild_keyword_index

DOCUMENT_FOLDERS = ("us_xml", "ep_xml", "us_abstracts", "us_prosecution", "cn")
ROOT = Path(__file__).resolve().parents[2]


def shared_vector_cache() -> Path:
    """One vector cache for every test session (``IPOFFICE_VECTOR_CACHE`` or ``var/test-vector-cache``):
    the texts of the shared corpus are embedded once, later sessions embed nothing."""
    return Path(os.environ.get("IPOFFICE_VECTOR_CACHE") or ROOT / "var" / "test-vector-cache")



@cache
def shared_corpus(shared: Path) -> Settings:
    var = Path(tempfile.mkdtemp(prefix="ipoffice-search-corpus-"))
    atexit.register(shutil.rmtree, var, ignore_errors=True)
    settings = Settings(database_url=f"sqlite:///{var}/register.db", shared_dir=shared, var_dir=var,
                        vector_cache_dir=shared_vector_cache())
    running = office(settings)
    files = expand_paths([shared / "data" / name for name in DOCUMENT_FOLDERS if (shared / "data" / name).exists()])
    running.importer(batch_size=500, listeners=[]).run(files)
    rebuild_keyword_index(running.register, running.keyword_index_path)
    return settings
