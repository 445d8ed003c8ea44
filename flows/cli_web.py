"""``payrecon web`` and ``payrecon demo --web``: serve the web front with uvicorn."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli_support import database_or_fail, err, out, settings_or_fail

DEMO_USER = "demo"


def web(
    host: Annotated[str | None, typer.Option(
        "--host", show_default=False, help="Address to listen on (default: 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(
        "--port", show_default=False, help="Port (default: 8080)")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="URL", show_default=False,
        help="SQLAlchemy database URL (default: settings / PAYRECON_DATABASE_URL)")] = None,
) -> None:
    """Serve the web front (upload, today, runs) on the store; Ctrl-C stops it."""
    settings = settings_or_fail(database_url=db)
    serve_web(settings, database_or_fail(settings), host=host, port=port)


def serve_web(settings: Any, url: str, *, host: str | None = None, port: int | None = None,
              as_of: str | None = None) -> None:
    """Build the app on ``url`` and serve it until interrupted."""
    import uvicorn

    from flows.web.app import WebConfig, create_app

    config = WebConfig(settings=settings, db_url=url, report_dir=Path(settings.out).resolve(),
                       as_of=as_of)
    app = create_app(config)
    if not app.state.store.users():
        err.print("No users yet: add one with `payrecon users add NAME --role admin`.",
                  highlight=False)
    host, port = host or settings.web.host, port or settings.web.port
    out.print(f"payrecon web on [bold]http://{host}:{port}/[/bold] (Ctrl-C stops it)",
              highlight=False, soft_wrap=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    except KeyboardInterrupt:
        out.print("Stopped.")


def serve_demo(settings: Any, as_of: str) -> None:
    """The web front on the demo database, with a ``demo`` admin whose password is printed
    here once (a new one every demo)."""
    from pipeline.database_url import with_password
    from pipeline.passwords import hash_password
    from pipeline.store import WebStore

    url = database_or_fail(settings)
    password = secrets.token_urlsafe(12)
    with WebStore(with_password(url)) as store:
        if not store.add_user(DEMO_USER, hash_password(password), "admin"):
            store.update_user(DEMO_USER, password_hash=hash_password(password), disabled=False)
    out.print(f"Web front: log in as [bold]{DEMO_USER}[/bold] with password "
              f"[bold]{password}[/bold] (shown once)", highlight=False, soft_wrap=True)
    serve_web(settings, url, as_of=as_of)
