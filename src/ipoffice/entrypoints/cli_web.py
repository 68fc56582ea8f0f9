"""CLI: ``serve`` — the web portal and REST API on uvicorn.

When no user can log in yet (a fresh embedded register, as ``make run`` makes) it adds the demo offices and
users of the procedures with the password ``demo``, so a new user can log in at once; ``--no-demo``
leaves the users alone.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo/--no-demo",
                                       help="Seed demo users (password 'demo') when the register has none.")] = True,
    workers: Annotated[int, typer.Option(min=1, max=64, help=(
        "Worker processes (uvicorn): for production, about one per core; each keeps its own document cache "
        "and index handles. Throughput with 1 and 2: bench/README.md (make bench-api)."))] = 1,
) -> None:
    """Serve the portal (search, documents, filing, examination) and the REST API at /api/v1.

    At start the search indexes catch up with the register (re-indexing exactly what they lack, or
    rebuilding aside a missing or outdated index); a rebuild while serving swaps the new index in whole.
    """
    import uvicorn

    from ipoffice.adapters.writer_lock import RegisterBusy
    from ipoffice.entrypoints.cli_common import current_office
    from ipoffice.entrypoints.web.app import create_app
    from ipoffice.services.accounts import DEMO_PASSWORD

    office = current_office()
    try:  # the indexes are derived data: caught up with the register before the first request
        for done in office.catch_up_indexes():
            console.print(f"search indexes: {done}")
    except RegisterBusy as exc:
        console.print(f"search indexes not checked: {exc.holder} is writing the register and updates them")
    if office.ready_subclass_model() is None and office.semantic.load() is not None:
        console.print("concept search and IPC suggestions: preparing their model in the background")
    app = create_app(office)
    context = app.state.web
    existing = context.procedures.users()
    if demo and not any(context.accounts.has_password(u.username) for u in existing):
        users = context.accounts.seed_demo()
        console.print(f"demo users added (password [bold]{DEMO_PASSWORD}[/bold]): {', '.join(users)}")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    console.print(f"ipoffice portal: [bold]http://{shown}:{port}/[/bold]  (API docs: http://{shown}:{port}/docs)")
    if workers > 1:
        uvicorn.run("ipoffice.entrypoints.web.app:create_app", factory=True, host=host, port=port,
                    workers=workers, log_level="warning")
    else:
        uvicorn.run(app, host=host, port=port, log_level="warning")
