"""``payrecon users add|passwd|disable``: the web front's users (argon2 hashes in the
database). Passwords are asked for on the terminal (hidden, twice), never taken as options."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.cli_support import database_or_fail, fail, out, settings_or_fail

users = typer.Typer(name="users", no_args_is_help=True,
                    help="Users of the web front: accountant, reviewer, admin.")

Db = Annotated[str | None, typer.Option(
    "--db", metavar="URL", show_default=False,
    help="SQLAlchemy database URL (default: settings / PAYRECON_DATABASE_URL)")]
Name = Annotated[str, typer.Argument(metavar="NAME", help="User name")]


def _store(db: str | None):  # noqa: ANN202
    from pipeline.database_url import with_password
    from pipeline.store import WebStore

    url = database_or_fail(settings_or_fail(database_url=db))
    return WebStore(with_password(url))


def _new_password() -> str:
    from pipeline.passwords import hash_password, password_problem

    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password)
    if problem:
        fail(problem, 2)
    return hash_password(password)


@users.command("add")
def add(name: Name, role: Annotated[str, typer.Option(
        "--role", help="accountant (upload, view), reviewer (also decide), admin (also users)")
        ] = "accountant", db: Db = None) -> None:
    """Add a user; the password is asked for twice."""
    from pipeline.store.web import ROLES

    if role not in ROLES:
        fail(f"unknown role {role!r}; one of {', '.join(ROLES)}", 2)
    with _store(db) as store:
        if store.user(name) is not None:
            fail(f"the user {name} already exists (use `payrecon users passwd`)")
        store.add_user(name, _new_password(), role)
    out.print(f"User [bold]{name}[/bold] added as {role}.", highlight=False)


@users.command("passwd")
def passwd(name: Name, db: Db = None) -> None:
    """Set a user's password (and enable the user again)."""
    with _store(db) as store:
        if store.user(name) is None:
            fail(f"no user {name}")
        store.update_user(name, password_hash=_new_password(), disabled=False)
    out.print(f"Password of [bold]{name}[/bold] changed.", highlight=False)


@users.command("disable")
def disable(name: Name, db: Db = None) -> None:
    """Disable a user: they cannot log in any more (their sessions end)."""
    with _store(db) as store:
        if not store.update_user(name, disabled=True):
            fail(f"no user {name}")
    out.print(f"User [bold]{name}[/bold] disabled.", highlight=False)
