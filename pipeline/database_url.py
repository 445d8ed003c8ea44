"""Database URLs: the SQLite file a URL names, and the password kept out of URLs.

A PostgreSQL password travels in ``PAYRECON_DATABASE_PASSWORD``, never in a URL that is
logged, stored or sent to a worker: ``split_password`` takes it out, ``with_password`` puts it
back only where the store is opened.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, unquote

from pydantic import SecretStr


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///path`` URL (``None`` for other databases and memory)."""
    scheme, sep, rest = url.partition(":///")
    if not sep or not scheme.startswith("sqlite"):
        return None
    path = rest.partition("?")[0]
    return Path(path) if path and path != ":memory:" else None


def absolute_database_url(url: str) -> str:
    """A relative SQLite path made absolute (so a run from another folder finds the file)."""
    database = sqlite_file(url)
    if database is None or database.is_absolute():
        return url
    prefix, _, rest = url.partition(":///")
    query = rest.partition("?")[1:]
    return f"{prefix}:///{database.expanduser().resolve()}{''.join(query)}"


PASSWORD_ENV = "PAYRECON_DATABASE_PASSWORD"


def split_password(url: str) -> tuple[str, str | None]:
    """(``url`` without its password, the password decoded) — ``None`` when it has none.

    ``postgresql://user:s%40cret@host/db`` -> (``postgresql://user@host/db``, ``s@cret``).
    """
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if not sep or not at or ":" not in userinfo:
        return url, None
    user, _, password = userinfo.partition(":")
    return f"{scheme}://{user}@{host}{slash}{path}", unquote(password)


def with_password(url: str, password: str | None = None) -> str:
    """``url`` with the password put back (``password``, else ``PAYRECON_DATABASE_PASSWORD``).

    Only the step that opens the store calls this: the full URL never leaves that step. A URL
    without a user name, or one that already holds a password, is returned as it is.
    """
    password = password if password is not None else os.environ.get(PASSWORD_ENV)
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if not password or not sep or not at or ":" in userinfo:
        return url
    return f"{scheme}://{userinfo}:{quote(password, safe='')}@{host}{slash}{path}"


def move_password_to_environment(url: str, settings_password: SecretStr | None = None) -> str:
    """The URL without its password; the password (from the URL, else the settings) goes
    into this process's ``PAYRECON_DATABASE_PASSWORD`` for the flows it runs and the
    flow-run processes it starts. Nothing is written anywhere."""
    redacted, password = split_password(url)
    if password is None and settings_password is not None:
        password = settings_password.get_secret_value()
    if password:
        os.environ[PASSWORD_ENV] = password
    return redacted
