"""Issue 10, finding 3: a database password given in ``--db`` never reaches Prefect (its API
database), the run journal, the logs or the reports; the flows get the URL without it."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from pydantic import SecretStr

from pipeline.database_url import (
    PASSWORD_ENV,
    move_password_to_environment,
    split_password,
    with_password,
)

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo"
PAYRECON = str(Path(sys.executable).with_name("payrecon"))
PG_URL = os.environ.get("PAYRECON_TEST_DATABASE_URL", "")


def test_a_url_loses_its_password_and_gets_it_back_percent_encoded():
    redacted, password = split_password("postgresql://ann:s%40c:ret@db.example:5432/pay?x=1")
    assert (redacted, password) == ("postgresql://ann@db.example:5432/pay?x=1", "s@c:ret")
    assert with_password(redacted, password) == (
        "postgresql://ann:s%40c%3Aret@db.example:5432/pay?x=1")


def test_a_url_without_a_password_or_user_is_left_as_it_is():
    assert split_password("sqlite:////tmp/p.db") == ("sqlite:////tmp/p.db", None)
    assert with_password("sqlite:////tmp/p.db", "x") == "sqlite:////tmp/p.db"
    assert with_password("postgresql://host/db", "x") == "postgresql://host/db"


def test_the_cli_moves_the_password_into_its_own_environment(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    assert move_password_to_environment("postgresql://ann:SECRET@h/db") == "postgresql://ann@h/db"
    assert os.environ[PASSWORD_ENV] == "SECRET"
    assert with_password("postgresql://ann@h/db") == "postgresql://ann:SECRET@h/db"


def test_a_password_from_the_settings_goes_to_the_environment_too(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    url = move_password_to_environment("postgresql://ann@h/db", SecretStr("from-toml"))
    assert url == "postgresql://ann@h/db" and os.environ[PASSWORD_ENV] == "from-toml"


def test_the_deployment_parameters_hold_the_url_without_its_password(tmp_path):
    from flows.schedule import deployment_parameters
    from pipeline.settings import Settings

    (tmp_path / "inbox").mkdir()
    settings = Settings(database_url="postgresql://ann:SECRET@h/db", inbox=tmp_path / "inbox")
    assert deployment_parameters(settings)["db_url"] == "postgresql://ann@h/db"


def _libpq(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+")[0]))


@pytest.fixture
def role_with_password():
    """A throwaway database owned by a throwaway role with a password: that role's URL."""
    if not PG_URL:
        pytest.skip("PAYRECON_TEST_DATABASE_URL is not set")
    import psycopg
    from psycopg import sql

    tag = secrets.token_hex(4)
    name, role, password = f"payrecon_secret_{tag}", f"payrecon_role_{tag}", f"Pw{tag}Zq9x"
    with psycopg.connect(_libpq(PG_URL), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(password)))
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
            sql.Identifier(name), sql.Identifier(role)))
    parts = urlsplit(PG_URL)
    netloc = f"{role}:{password}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    try:
        yield urlunsplit(parts._replace(netloc=netloc, path=f"/{name}")), password
    finally:
        with psycopg.connect(_libpq(PG_URL), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def _files_holding(root: Path, needle: bytes) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


@pytest.mark.slow
@pytest.mark.postgres
def test_a_password_in_db_never_reaches_prefect_logs_journal_or_reports(
        role_with_password, tmp_path):
    url, password = role_with_password
    home = tmp_path / "home"
    (home / "prefect").mkdir(parents=True)
    inbox = shutil.copytree(DEMO, tmp_path / "inbox")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYRECON_", "PREFECT_"))}
    env.update(HOME=str(home), PREFECT_HOME=str(home / "prefect"),
               PAYRECON_DATA_DIR=str(tmp_path / "data"), PREFECT_LOGGING_LEVEL="INFO")
    done = subprocess.run(
        [PAYRECON, "run", "--inbox", inbox, "--out", tmp_path / "out", "--as-of", "2026-11-20",
         "--db", url], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (home / "prefect" / "prefect.db").exists(), "the run went through Prefect's database"
    role = urlsplit(url).username or ""
    assert _files_holding(home / "prefect", role.encode()), "the redacted URL is a parameter"
    assert password not in done.stdout + done.stderr
    assert _files_holding(tmp_path, password.encode()) == []
