"""The store migrates itself: fresh databases reach head, the schema matches the metadata."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
from alembic import command

from pipeline.store import Store
from pipeline.store.engine import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    normalize_url,
    schema_differences,
    write_transaction,
)
from pipeline.store.tables import metadata


def test_opening_a_fresh_database_migrates_it_to_head(store_url):
    with Store(store_url) as store:
        assert set(store.counts()) == set(metadata.tables)
        assert all(n == 0 for n in store.counts().values())
    engine = make_engine(store_url)
    try:
        assert current_revision(engine) == head_revision() == "0006_web_users"
    finally:
        engine.dispose()


def test_the_migrated_schema_matches_the_table_metadata(store):
    engine = make_engine(store.url)
    try:
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


def test_reopening_a_migrated_store_keeps_its_data(store_url):
    with Store(store_url) as store:
        run_id = store.start_run("reconcile", None)
    with Store(store_url) as reopened:
        assert reopened.counts()["runs"] == 1
        reopened.finish_run(run_id, "ok", {"matched": 3})


def test_migrations_are_found_from_any_working_directory(store_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Store(store_url) as store:
        assert store.counts()["invoices"] == 0


def test_a_sqlite_store_creates_its_folder_and_uses_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "nested" / "deeper" / "payrecon.db"
    with Store(f"sqlite:///{path}"):
        pass
    assert path.is_file()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///payrecon.db", "sqlite:///payrecon.db"),
    ],
)
def test_postgresql_urls_without_a_driver_use_psycopg_3(given, used):
    assert normalize_url(given) == used


def test_a_finished_run_needs_an_existing_run(store):
    with pytest.raises(KeyError):
        store.finish_run(999, "ok", {})


def test_tickets_stored_before_0002_become_one_reading_helpdesk_tickets(store_url):
    engine = make_engine(store_url)
    try:
        config = alembic_config()
        with write_transaction(engine) as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001_initial")
        with write_transaction(engine) as conn:
            conn.execute(sa.text(
                "INSERT INTO tickets (ticket_id, created_date, claimed_amount_minor, currency) "
                "VALUES ('BIL-1', '2026-10-16', 150000000, 'IDR')"))
    finally:
        engine.dispose()
    with Store(store_url) as store:
        (ticket,) = store.load_tickets().to_dict("records")
    assert ticket["claimed_amount_minor"] == 150000000
    assert (ticket["claimed_amount_alt_minor"], ticket["channel"]) == (None, "ticket")


def test_every_database_gets_its_own_id_and_keeps_it(store_url, tmp_path):
    with Store(store_url) as store:
        first = store.database_id()
    with Store(store_url) as reopened:
        assert reopened.database_id() == first
    with Store(f"sqlite:///{tmp_path / 'other.db'}") as other:
        assert other.database_id() != first and len(first) == 32
