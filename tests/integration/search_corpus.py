"""One import of every shared document (and its keyword index) per test session, for the search tests.

A cached function rather than a fixture so that test modules share it without a conftest: the first
caller imports the document folders of ``../shared/data`` (reference tables are not documents) into a
temporary SQLite register and builds the index; later callers get the same settings.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from ipoffice.adapters.database import migrate
from ipoffice.bootstrap import open_register
from ipoffice.config import Settings
from ipoffice.services.importing import Importer, expand_paths
from ipoffice.services.indexing import keyword_index_path, rebuild_keyword_index

DOCUMENT_FOLDERS = ("us_xml", "ep_xml", "us_abstracts", "us_prosecution", "cn")


@cache
def shared_corpus(shared: Path) -> Settings:
    var = Path(tempfile.mkdtemp(prefix="ipoffice-search-corpus-"))
    atexit.register(shutil.rmtree, var, ignore_errors=True)
    settings = Settings(database_url=f"sqlite:///{var}/register.db", shared_dir=shared, var_dir=var)
    migrate(settings.database_url)
    register = open_register(settings)
    files = expand_paths([shared / "data" / name for name in DOCUMENT_FOLDERS if (shared / "data" / name).exists()])
    Importer(register, batch_size=500).run(files)
    rebuild_keyword_index(register, keyword_index_path(settings))
    return settings
