"""The ``ipoffice`` command line. Thin: parses arguments, calls the service layer, prints results.

The app's callback builds the office (``ipoffice.bootstrap``) once per invocation; commands get it with
``cli_common.current_office()``.

Commands live in one module per concern; each module has ``register(app)``. Add a module to
``_COMMAND_MODULES`` to plug it in.
"""

from __future__ import annotations

import importlib

import typer

from ipoffice.entrypoints.cli_common import open_office, warn_if_no_register

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
    "ipoffice.entrypoints.cli_backup",
    "ipoffice.entrypoints.cli_export",
    "ipoffice.entrypoints.cli_indicators",
    "ipoffice.entrypoints.cli_matching",
    "ipoffice.entrypoints.cli_title",
    "ipoffice.entrypoints.cli_trademarks",  # before cli_tm_exam, which adds its commands to this `tm` group
    "ipoffice.entrypoints.cli_tm_exam",
    "ipoffice.entrypoints.cli_centres",
    "ipoffice.entrypoints.cli_recordals",
    "ipoffice.entrypoints.cli_disputes",
    "ipoffice.entrypoints.cli_inventory",
    "ipoffice.entrypoints.cli_marketplace",
]


# Commands that make or fill a register: the others warn when there is none yet.
_CREATING = {"init", "import", "restore"}


@app.callback()
def _root(ctx: typer.Context) -> None:
    # The composition root, once per invocation: commands take the office with current_office().
    office = open_office()
    if ctx.invoked_subcommand not in _CREATING:
        warn_if_no_register(office)


def _load_commands() -> None:
    for name in _COMMAND_MODULES:
        importlib.import_module(name).register(app)


_load_commands()


def main() -> None:
    app()
