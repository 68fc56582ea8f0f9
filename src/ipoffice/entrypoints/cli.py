"""The ``ipoffice`` command line. Thin: parses arguments, calls the service layer, prints results.

Commands live in one module per concern; each module has ``register(app)``. Add a module to
``_COMMAND_MODULES`` to plug it in.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="ipoffice",
    help="ipoffice: the register, search and procedures of an IP office.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

_COMMAND_MODULES = [
    "ipoffice.entrypoints.cli_register",
    "ipoffice.entrypoints.cli_procedures",
    "ipoffice.entrypoints.cli_search",
    "ipoffice.entrypoints.cli_semantic",
    "ipoffice.entrypoints.cli_replay",
    "ipoffice.entrypoints.cli_web",
]


def _load_commands() -> None:
    for name in _COMMAND_MODULES:
        importlib.import_module(name).register(app)


_load_commands()


def main() -> None:
    app()
