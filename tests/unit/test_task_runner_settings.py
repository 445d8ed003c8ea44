"""The settings that choose where the nightly flow's heavy steps run."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pipeline.settings import load_settings


def test_the_nightly_flow_runs_locally_unless_told_otherwise():
    settings = load_settings()
    assert settings.task_runner == "local" and settings.dask_address is None


def test_a_dask_cluster_is_chosen_by_settings_or_environment(monkeypatch):
    monkeypatch.setenv("PAYRECON_TASK_RUNNER", "dask")
    monkeypatch.setenv("PAYRECON_DASK_ADDRESS", "tcp://10.0.0.5:8786")
    settings = load_settings()
    assert (settings.task_runner, settings.dask_address) == ("dask", "tcp://10.0.0.5:8786")


def test_an_unknown_task_runner_is_refused():
    with pytest.raises(ValidationError):
        load_settings(task_runner="threads")


def test_the_settings_sent_to_workers_hold_no_passwords():
    from flows.fanout import without_secrets

    settings = load_settings(database_password="s3cret", alerts={"smtp_password": "hunter2"})
    shared = without_secrets(settings)
    assert shared.database_password is None and shared.alerts.smtp_password is None
    assert "s3cret" not in repr(shared.model_dump()) and "hunter2" not in repr(shared.model_dump())


def test_workers_cannot_share_an_in_memory_database():
    from flows.fanout import check_shared_database

    with pytest.raises(ValueError, match="PostgreSQL or a SQLite file"):
        check_shared_database("sqlite://")
    check_shared_database("postgresql://payrecon@db.internal/payrecon")
