"""The web front in-process (FastAPI's TestClient) on a fresh SQLite database and data folder,
with one user of each role (password ``correct horse battery``)."""

from __future__ import annotations

import pytest

from tests.integration.web.helpers import PASSWORD, ROLE_USERS, log_in


@pytest.fixture
def web_config(tmp_path, monkeypatch):
    from flows.web.app import WebConfig
    from pipeline.passwords import hash_password
    from pipeline.settings import load_settings
    from pipeline.store import WebStore

    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'data' / 'payrecon.db'}"
    settings = load_settings(database_url=url, out=tmp_path / "reports",
                             fee_tolerance={"bank": {"USD": {"fixed": "5.00"}}})
    with WebStore(url) as store:
        hashed = hash_password(PASSWORD)
        for name, role in ROLE_USERS.items():
            store.add_user(name, hashed, role)
    return WebConfig(settings=settings, db_url=url, report_dir=tmp_path / "reports",
                     as_of="2026-11-20")


@pytest.fixture
def app(web_config):
    from flows.web.app import create_app

    return create_app(web_config)


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.fixture
def as_user(app):
    """``as_user(name)``: a new client logged in as ``name``."""
    from fastapi.testclient import TestClient

    clients = []

    def make(name: str):
        test_client = TestClient(app, base_url="http://127.0.0.1")
        clients.append(test_client)
        assert log_in(test_client, name).status_code == 303
        return test_client

    yield make
    for test_client in clients:
        test_client.close()
