"""Configuration from the environment (and an optional ``ipoffice.env`` file in the working directory)."""

from __future__ import annotations

import os
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Settings:
    database_url: str
    shared_dir: Path
    var_dir: Path

    @classmethod
    def from_env(cls) -> Settings:
        file_values = _read_env_file(Path("ipoffice.env"))

        def get(key: str, default: str) -> str:
            return os.environ.get(key) or file_values.get(key) or default

        var_dir = Path(get("IPOFFICE_VAR", "var"))
        return cls(
            database_url=get("IPOFFICE_DATABASE_URL", f"sqlite:///{var_dir}/ipoffice.db"),
            shared_dir=Path(get("IPOFFICE_SHARED", "../shared")),
            var_dir=var_dir,
        )

    @property
    def data_dir(self) -> Path:
        return self.shared_dir / "data"
