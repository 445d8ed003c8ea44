"""``payrecon status``: healthy, failed, interrupted, missed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from flows import nights, runlog
from flows.status import read_status

LA = ZoneInfo("America/Los_Angeles")
CRON, TZ = "0 19 * * *", "America/Los_Angeles"
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=LA)


def finished(tmp_path, outcome="completed", kind="nightly", reason=None, slot=None):
    record = runlog.new_record(kind=kind, trigger="scheduled" if slot else "manual",
                               as_of="2026-12-01", slot=slot)
    if slot:
        runlog.claim_slot(tmp_path, slot, record.run_id)
    return runlog.finish(tmp_path, record, outcome=outcome, reason=reason)


def test_a_completed_night_is_healthy(tmp_path):
    finished(tmp_path)
    status = read_status(tmp_path, CRON, TZ, NOW)
    assert status.problem is None and status.runs[0].outcome == "completed"


def test_a_failed_last_nightly_run_is_a_problem_with_its_reason(tmp_path):
    finished(tmp_path)
    finished(tmp_path, "failed", reason="NotADirectoryError: /srv/reports")
    status = read_status(tmp_path, CRON, TZ, NOW)
    assert "failed: NotADirectoryError: /srv/reports" in status.problem


def test_a_later_report_run_does_not_hide_a_failed_night(tmp_path):
    finished(tmp_path, "failed", reason="boom")
    finished(tmp_path, kind="report")
    assert "failed: boom" in read_status(tmp_path, CRON, TZ, NOW).problem


def test_a_run_whose_process_vanished_is_shown_as_interrupted(tmp_path):
    record = dataclasses.replace(runlog.new_record(kind="nightly", trigger="manual",
                                                   as_of="2026-12-01"), pid=2**22 + 12345)
    runlog.write_last_run(tmp_path, record)
    status = read_status(tmp_path, CRON, TZ, NOW)
    assert status.runs[0].outcome == "interrupted"
    assert "interrupted" in status.problem


def test_a_scheduled_night_that_did_not_run_is_a_problem(tmp_path):
    nights.mark_served(tmp_path, CRON, TZ, dt.datetime(2026, 11, 29, 12, tzinfo=LA))
    finished(tmp_path, slot="2026-11-29T19:00:00-08:00")
    finished(tmp_path, slot="2026-11-30T19:00:00-08:00")
    status = read_status(tmp_path, CRON, TZ, NOW)
    assert "night of 2026-12-01" in status.problem and "did not run" in status.problem


@pytest.mark.parametrize("served", [False, True])
def test_without_any_run_status_says_so(tmp_path, served):
    if served:
        nights.mark_served(tmp_path, CRON, TZ, NOW)
    status = read_status(tmp_path, CRON, TZ, NOW)
    assert status.runs == [] and status.problem is None
    assert ("has not been started" in status.schedule) is not served


def running_elsewhere(tmp_path, heartbeat: dt.datetime):
    record = dataclasses.replace(
        runlog.new_record(kind="nightly", trigger="manual", as_of="2026-12-01"),
        host="another-host", pid=1, heartbeat=heartbeat.isoformat())
    runlog.write_last_run(tmp_path, record)


def test_a_run_on_another_host_whose_heartbeat_stopped_hours_ago_is_interrupted(tmp_path):
    running_elsewhere(tmp_path, NOW - dt.timedelta(hours=3))
    status = read_status(tmp_path, CRON, TZ, NOW)
    assert status.runs[0].outcome == "interrupted"
    assert "no heartbeat since" in status.runs[0].reason and "interrupted" in status.problem


def test_a_run_on_another_host_with_a_fresh_heartbeat_is_still_running(tmp_path):
    running_elsewhere(tmp_path, NOW - dt.timedelta(minutes=1))
    status = read_status(tmp_path, CRON, TZ, NOW)
    assert status.runs[0].outcome == "running" and status.problem is None
