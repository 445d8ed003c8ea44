"""End-to-end helpers: a fresh copy of the demo inbox and an in-process CLI runner."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo"


def copy_demo(inbox: Path) -> Path:
    """``sample_data/demo`` copied into ``inbox`` as it is (merged when ``inbox`` exists)."""
    shutil.copytree(DEMO, inbox, dirs_exist_ok=True)
    return inbox


@pytest.fixture
def demo_inbox(tmp_path: Path) -> Path:
    """A fresh copy of the demo inbox in ``tmp_path/inbox``."""
    return copy_demo(tmp_path / "inbox")


@pytest.fixture
def demo_copier():
    """``copy_demo(inbox)``: copy the demo inbox again (for re-runs)."""
    return copy_demo


@pytest.fixture
def cli():
    """``cli(*args)`` runs ``payrecon args...`` in-process and returns the click Result."""
    from flows.cli import app

    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, [str(a) for a in args])

    return invoke


# Trials on a throwaway database: a SQLite file, or a PostgreSQL database made for the session.
PG_URL = os.environ.get("PAYRECON_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def trial_db(request, tmp_path) -> str:
    """A SQLite file, or a throwaway PostgreSQL database (skipped without one)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'payrecon.db'}"
    if not PG_URL:
        pytest.skip("PAYRECON_TEST_DATABASE_URL is not set")
    return request.getfixturevalue("postgres_url")


@contextlib.contextmanager
def _new_postgres_database():
    """A database of its own on the test server, dropped afterwards."""
    import secrets

    import psycopg
    from psycopg import sql

    name = f"payrecon_trials_{os.getpid()}_{secrets.token_hex(3)}"
    base = "postgresql://" + PG_URL.split("://", 1)[1]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


@pytest.fixture(scope="session")
def postgres_url():
    with _new_postgres_database() as url:
        yield url


@pytest.fixture
def fresh_postgres_url():
    """An empty PostgreSQL database for one test (the session's one is shared)."""
    if not PG_URL:
        pytest.skip("PAYRECON_TEST_DATABASE_URL is not set")
    with _new_postgres_database() as url:
        yield url
