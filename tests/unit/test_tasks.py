"""The Prefect tasks are one-line wrappers: call ``.fn()`` without a server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from prefect.cache_policies import NO_CACHE
from prefect.logging import disable_run_logger

from flows import nightly_step, steps, tasks
from pipeline.settings import Settings

ALL_TASKS = [tasks.ingest_file_task, tasks.reconcile_task, tasks.report_task,
             tasks.reconcile_and_report_task,
             tasks.drain_inbox_task, tasks.archive_file_task, tasks.quarantine_file_task]


@pytest.mark.parametrize("task", ALL_TASKS, ids=lambda t: t.name)
def test_no_task_caches_its_result(task):
    assert task.cache_policy is NO_CACHE


def test_inbox_tasks_drain_archive_and_quarantine(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "sub" / "a.csv").write_text("a")
    (inbox / "b.csv").write_text("b")
    with disable_run_logger():
        files = tasks.drain_inbox_task.fn(inbox, None, None)
        archived = tasks.archive_file_task.fn(files[1], inbox, tmp_path / "archive")
        kept = tasks.quarantine_file_task.fn(files[0], inbox, tmp_path / "q", "empty file")
    assert files == [inbox / "b.csv", inbox / "sub" / "a.csv"]
    assert archived == tmp_path / "archive" / "sub" / "a.csv"
    assert kept == tmp_path / "q" / "b.csv"
    assert (tmp_path / "q" / "b.csv.reason.txt").exists()


def test_step_tasks_pass_their_arguments_through(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(steps, "ingest_file", lambda path, **kw: seen.append((path, kw)) or "i")
    monkeypatch.setattr(steps, "reconcile", lambda **kw: seen.append(kw) or {"auto": 1})
    monkeypatch.setattr(steps, "report", lambda **kw: seen.append(kw) or "r")
    monkeypatch.setattr(nightly_step, "reconcile_and_report",
                        lambda **kw: seen.append(kw) or ({"auto": 1}, "r"))
    day, settings = dt.date(2026, 11, 20), Settings()
    with disable_run_logger():
        assert tasks.ingest_file_task.fn("f.csv", db_url="sqlite://", fmt="ofx") == "i"
        assert tasks.reconcile_task.fn("sqlite://", day, settings) == {"auto": 1}
        assert tasks.report_task.fn("sqlite://", tmp_path, day, settings) == "r"
        assert tasks.reconcile_and_report_task.fn("sqlite://", "out", day, settings) == (
            {"auto": 1}, "r")
    assert seen == [
        ("f.csv", {"db_url": "sqlite://", "fmt": "ofx", "settings": None}),
        {"db_url": "sqlite://", "as_of": day, "settings": settings, "map_partitions": None},
        {"db_url": "sqlite://", "out_dir": Path(tmp_path), "as_of": day, "settings": settings},
        {"db_url": "sqlite://", "out_dir": "out", "as_of": day, "settings": settings,
         "map_partitions": None},
    ]
