"""The composition root is the one place that reads the environment; everything else is handed its parts."""

from __future__ import annotations

import ast
from pathlib import Path

from ipoffice.bootstrap import Office, office
from ipoffice.config import Settings

SRC = Path(__file__).resolve().parents[2] / "src" / "ipoffice"


def _calls(attribute: str) -> list[str]:
    """``file:line`` of every ``….attribute(…)`` call or ``….attribute`` read in the package's source."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == attribute:
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_settings_are_read_from_the_environment_once_in_the_root() -> None:
    assert _calls("from_env") == [f"bootstrap.py:{_line('bootstrap.py', 'Settings.from_env()')}"]


def test_only_the_configuration_reads_environment_variables() -> None:
    readers = {place.split(":")[0] for place in _calls("environ") + _calls("getenv")}
    assert readers == {"config.py"}


def _line(file: str, text: str) -> int:
    lines = (SRC / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def test_every_variable_reaches_the_settings(tmp_path: Path) -> None:
    env_file = tmp_path / "ipoffice.env"
    env_file.write_text('IPOFFICE_SECRET_KEY="from-the-file"\nIPOFFICE_VAR=ignored\n')
    settings = Settings.from_env({
        "IPOFFICE_VAR": str(tmp_path / "v"), "IPOFFICE_SHARED": "/data/shared", "IPOFFICE_HTTPS": "1",
        "IPOFFICE_VECTOR_CACHE": "/cache", "IPOFFICE_IPC_TRAINING": "/a.csv:/b.csv",
    }, env_file)
    assert settings.var_dir == tmp_path / "v"  # the environment wins over the file
    assert settings.database_url == f"sqlite:///{tmp_path / 'v'}/ipoffice.db"
    assert settings.shared_dir == Path("/data/shared") and settings.https
    assert settings.vector_cache == Path("/cache")
    assert settings.ipc_training == (Path("/a.csv"), Path("/b.csv"))
    assert settings.secret_key == "from-the-file"


def test_defaults_and_an_explicitly_empty_training_list(tmp_path: Path) -> None:
    unset = Settings.from_env({}, tmp_path / "none.env")
    assert unset.var_dir == Path("var") and unset.shared_dir == Path("../shared")
    assert unset.vector_cache == Path("var") / "vector-cache"
    assert unset.ipc_training is None and unset.secret_key is None and not unset.https
    assert Settings.from_env({"IPOFFICE_IPC_TRAINING": ""}, tmp_path / "none.env").ipc_training == ()


def test_the_office_builds_its_parts_once_and_on_first_use(tmp_path: Path) -> None:
    running = office(Settings(database_url=f"sqlite:///{tmp_path}/r.db", shared_dir=tmp_path, var_dir=tmp_path))
    assert isinstance(running, Office)
    assert not (tmp_path / "r.db").exists()  # nothing opened yet
    assert running.register is running.register and running.procedures is running.procedures
    assert (tmp_path / "r.db").exists() and running.register.count_documents() == 0
    assert running.procedures.store.engine is running.register.engine  # one database, one engine
    assert running.semantic.register is running.register and running.semantic.load() is None
    assert running.keyword_index_path == tmp_path / "search-index"
