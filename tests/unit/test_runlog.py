"""Every run leaves LAST_RUN.json and a journal line in the data folder, failed or not."""

from __future__ import annotations

import json

import pytest

from flows import runlog


def record(**changes):
    return runlog.new_record(kind=changes.pop("kind", "nightly"),
                             trigger=changes.pop("trigger", "manual"),
                             as_of=changes.pop("as_of", "2026-11-20"), **changes)


def test_a_run_says_running_at_once_and_completed_at_the_end(tmp_path):
    with runlog.recording(tmp_path, record(run_id="r1")) as log:
        assert json.loads((tmp_path / "LAST_RUN.json").read_text())["outcome"] == "running"
        log.update(files={"ingested": 2})
    last = runlog.read_last_run(tmp_path)
    assert (last.run_id, last.outcome, last.files) == ("r1", "completed", {"ingested": 2})
    assert [r.run_id for r in runlog.read_journal(tmp_path)] == ["r1"]


def test_a_failing_run_is_recorded_with_its_reason_and_the_error_goes_on(tmp_path):
    with pytest.raises(NotADirectoryError):
        with runlog.recording(tmp_path, record(run_id="r2")):
            raise NotADirectoryError("Not a directory: '/srv/reports'\nsecond line")
    last = runlog.read_last_run(tmp_path)
    assert last.outcome == "failed"
    assert last.reason == "NotADirectoryError: Not a directory: '/srv/reports'"
    assert runlog.read_journal(tmp_path)[-1].outcome == "failed"


def test_ctrl_c_is_recorded_as_interrupted(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with runlog.recording(tmp_path, record()):
            raise KeyboardInterrupt
    assert runlog.read_last_run(tmp_path).outcome == "interrupted"


def test_alerts_are_decided_on_the_finished_record_and_their_errors_kept(tmp_path):
    seen = []

    def notify(done):
        seen.append(done.outcome)
        return ["webhook: URLError: refused"]

    with pytest.raises(RuntimeError):
        with runlog.recording(tmp_path, record(), notify=notify):
            raise RuntimeError("boom")
    assert seen == ["failed"]
    assert runlog.read_last_run(tmp_path).alert_errors == ["webhook: URLError: refused"]


def test_a_skipped_run_goes_to_the_journal_but_leaves_last_run_alone(tmp_path):
    with runlog.recording(tmp_path, record(run_id="first")):
        pass
    with runlog.recording(tmp_path, record(run_id="late")) as log:
        log.skip("slot already run")
    assert runlog.read_last_run(tmp_path).run_id == "first"
    assert [r.outcome for r in runlog.read_journal(tmp_path)] == ["completed", "skipped"]


def test_a_slot_can_be_claimed_only_once(tmp_path):
    slot = "2026-12-01T19:00:00-08:00"
    assert runlog.claim_slot(tmp_path, slot, "a") is None
    assert runlog.claim_slot(tmp_path, slot, "b") == "a"
    assert runlog.claimed_slots(tmp_path) == [slot]


def test_a_damaged_journal_line_is_skipped_not_fatal(tmp_path):
    with runlog.recording(tmp_path, record(run_id="ok")):
        pass
    journal = tmp_path / ".payrecon" / "runs.jsonl"
    journal.write_text(journal.read_text() + '{"run_id": "half\n')
    assert [r.run_id for r in runlog.read_journal(tmp_path)] == ["ok"]


def test_the_work_folder_lives_inside_payrecons_own_folder(tmp_path):
    work = runlog.work_folder(tmp_path)
    assert work == tmp_path / ".payrecon" / "work" and work.is_dir()


def test_the_journal_and_last_run_show_account_numbers_by_their_last_4_digits(tmp_path):
    with runlog.recording(tmp_path, record(run_id="r9")) as log:
        log.update(quarantined=["bca.csv: no statement for account 0372543386"])
    written = (tmp_path / "LAST_RUN.json").read_text() + (
        tmp_path / ".payrecon" / "runs.jsonl").read_text()
    assert "0372543386" not in written and "******3386" in written


def test_a_failed_runs_reason_is_masked_in_the_journal(tmp_path):
    with pytest.raises(ValueError):
        with runlog.recording(tmp_path, record(run_id="r10")):
            raise ValueError("no currency for account 000123456789")
    assert runlog.read_journal(tmp_path)[-1].reason == \
        "ValueError: no currency for account ********6789"


def test_a_running_runs_heartbeat_is_refreshed_until_it_finishes(tmp_path):
    import datetime as dt
    import time

    with runlog.recording(tmp_path, record(run_id="r11"),
                          beat_every=dt.timedelta(milliseconds=20)):
        first = runlog.read_last_run(tmp_path).heartbeat
        deadline = time.monotonic() + 10
        while runlog.read_last_run(tmp_path).heartbeat == first:
            assert time.monotonic() < deadline, "the heartbeat was never refreshed"
            time.sleep(0.05)
        assert runlog.read_last_run(tmp_path).outcome == "running"
    time.sleep(0.1)
    last = runlog.read_last_run(tmp_path)
    assert (last.run_id, last.outcome) == ("r11", "completed")


def test_a_run_killed_before_the_next_one_starts_stays_in_the_journal_as_interrupted(tmp_path):
    import dataclasses

    killed = dataclasses.replace(record(run_id="killed"), pid=2**22 + 12345)
    runlog.write_last_run(tmp_path, killed)
    with runlog.recording(tmp_path, record(run_id="next")):
        pass
    journal = {r.run_id: r for r in runlog.read_journal(tmp_path)}
    assert journal["killed"].outcome == "interrupted"
    assert "ended without finishing" in journal["killed"].reason
    assert journal["next"].outcome == "completed"
    assert runlog.read_last_run(tmp_path).run_id == "next"


def test_a_run_still_alive_is_left_running_by_the_next_one(tmp_path):
    alive = record(run_id="alive")  # this process: alive
    runlog.write_last_run(tmp_path, alive)
    with runlog.recording(tmp_path, record(run_id="next")):
        pass
    assert [r.run_id for r in runlog.read_journal(tmp_path)] == ["next"]
