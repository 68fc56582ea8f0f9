"""Configuration: every setting ipoffice reads from the environment (or an ``ipoffice.env`` file in the
working directory). Only the composition root (``ipoffice.bootstrap``) calls :meth:`Settings.from_env`;
everything else receives a :class:`Settings` or, better, the collaborators built from it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path


def _read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, _, value = line.partition("=")
                values[key.strip()] = value.strip().strip('"')
    return values


def _paths(value: str | None) -> tuple[Path, ...] | None:
    """A ``:``-separated list of paths; None when the variable is not set at all."""
    return None if value is None else tuple(Path(p) for p in value.split(":") if p)


@dataclass(frozen=True)
class Settings:
    """What one running office is configured with.

    - ``database_url`` (``IPOFFICE_DATABASE_URL``): the register, ``sqlite:///…`` or ``postgresql://…``;
      default ``sqlite:///<var_dir>/ipoffice.db``.
    - ``shared_dir`` (``IPOFFICE_SHARED``, default ``../shared``): real corpora and evaluation sets.
    - ``var_dir`` (``IPOFFICE_VAR``, default ``var``): embedded register, indexes, reports, uploads.
    - ``vector_cache_dir`` (``IPOFFICE_VECTOR_CACHE``): a vector cache several registers may share;
      default ``<var_dir>/vector-cache``.
    - ``ipc_training`` (``IPOFFICE_IPC_TRAINING``, ``:``-separated CSV files): labelled texts the IPC
      classifier trains on besides the register; None (unset): the shared ``eval/cn_ipc_dev.csv`` when
      present; an empty value: none.
    - ``secret_key`` (``IPOFFICE_SECRET_KEY``): signs web sessions; default a random key kept in ``var_dir``.
    - ``https`` (``IPOFFICE_HTTPS=1``): session cookies only over HTTPS.
    - ``session_hours`` (``IPOFFICE_SESSION_HOURS``, default 8): lifetime of a login session of the pages.
    - ``token_days`` (``IPOFFICE_TOKEN_DAYS``, default 90): default lifetime of an API token (at most 365).
    - ``login_attempts_per_account`` / ``login_attempts_per_address`` (``IPOFFICE_LOGIN_ATTEMPTS_PER_ACCOUNT``,
      ``IPOFFICE_LOGIN_ATTEMPTS_PER_ADDRESS``): failed logins allowed, as ``limits`` strings; defaults
      ``5 per 15 minutes`` and ``20 per 15 minutes``.
    - ``throttle_storage`` (``IPOFFICE_THROTTLE_STORAGE``, default ``memory://``, per process): where failed
      logins are counted, a ``limits`` storage URI (e.g. ``redis://host:6379`` for several workers).
    - ``today`` (``IPOFFICE_TODAY``, YYYY-MM-DD): the office's clock stopped on that day — for demos,
      training registers and tests only; unset, the office's clock is the system date. The receipt date of
      a party's act is the office's today.
    """

    database_url: str
    shared_dir: Path
    var_dir: Path
    vector_cache_dir: Path | None = None
    ipc_training: tuple[Path, ...] | None = None
    secret_key: str | None = None
    https: bool = False
    session_hours: float = 8
    token_days: int = 90
    login_attempts_per_account: str = "5 per 15 minutes"
    login_attempts_per_address: str = "20 per 15 minutes"
    throttle_storage: str = "memory://"
    today: date | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, env_file: Path = Path("ipoffice.env")) -> Settings:
        """The settings of ``environ`` (default ``os.environ``), falling back to ``env_file``, then defaults."""
        environ = os.environ if environ is None else environ
        file_values = _read_env_file(env_file)

        def get(key: str, default: str = "") -> str:
            return environ.get(key) or file_values.get(key) or default

        var_dir = Path(get("IPOFFICE_VAR", "var"))
        return cls(
            database_url=get("IPOFFICE_DATABASE_URL", f"sqlite:///{var_dir}/ipoffice.db"),
            shared_dir=Path(get("IPOFFICE_SHARED", "../shared")),
            var_dir=var_dir,
            vector_cache_dir=Path(get("IPOFFICE_VECTOR_CACHE")) if get("IPOFFICE_VECTOR_CACHE") else None,
            ipc_training=_paths(environ.get("IPOFFICE_IPC_TRAINING", file_values.get("IPOFFICE_IPC_TRAINING"))),
            secret_key=get("IPOFFICE_SECRET_KEY") or None,
            https=get("IPOFFICE_HTTPS") == "1",
            session_hours=float(get("IPOFFICE_SESSION_HOURS", "8")),
            token_days=int(get("IPOFFICE_TOKEN_DAYS", "90")),
            login_attempts_per_account=get("IPOFFICE_LOGIN_ATTEMPTS_PER_ACCOUNT", "5 per 15 minutes"),
            login_attempts_per_address=get("IPOFFICE_LOGIN_ATTEMPTS_PER_ADDRESS", "20 per 15 minutes"),
            throttle_storage=get("IPOFFICE_THROTTLE_STORAGE", "memory://"),
            today=date.fromisoformat(get("IPOFFICE_TODAY")) if get("IPOFFICE_TODAY") else None,
        )

    @property
    def sqlite_path(self) -> Path | None:
        """The embedded register's database file, or None when the register is not SQLite (or in memory)."""
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix) or self.database_url == prefix + ":memory:":
            return None
        return Path(self.database_url[len(prefix):].partition("?")[0])

    @property
    def data_dir(self) -> Path:
        return self.shared_dir / "data"

    @property
    def vector_cache(self) -> Path:
        """Where embedded texts are cached: ``vector_cache_dir``, else ``<var_dir>/vector-cache``."""
        # Not under <var_dir>/semantic: that folder belongs to the semantic store, which removes what it did
        # not write there when it publishes a generation.
        return self.vector_cache_dir or self.var_dir / "vector-cache"
