"""Issue 10, findings 6 and 8, end to end: four nights at once on one database, and nights
killed with SIGKILL at random moments then run again, each compared with a serial night
(``benchmarks/night_trials.py``; run it by hand for more trials)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import night_trials  # noqa: E402

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


@pytest.fixture(scope="session")
def postgres_url():
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


@pytest.mark.slow
def test_four_nights_at_once_on_one_database_end_like_one_serial_night(trial_db, tmp_path):
    assert night_trials.concurrent(tmp_path / "work", trial_db, processes=4) == []


@pytest.mark.slow
def test_a_night_killed_at_random_moments_and_run_again_ends_like_an_uninterrupted_one(
        trial_db, tmp_path):
    results = night_trials.crash(tmp_path / "work", trial_db, trials=5, seed=7)
    assert [r for r in results if r["problems"]] == []
