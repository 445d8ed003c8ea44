"""A failed or missed night is visible: LAST_RUN.json, ``payrecon status``, alerts; and a
missed night runs once, with its own as-of date, when ``serve`` comes back."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from flows import nights, runlog
from flows.flows import CATCH_UP, nightly_flow
from flows.schedule import build_deployment
from flows.serve import _catch_up
from pipeline.settings import Settings

AS_OF = "2026-11-20"
TZ = "America/Los_Angeles"


def alert_environment(monkeypatch, smtp, hook) -> None:
    for name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port),
                        "SMTP_STARTTLS": "false", "SMTP_TO": '["finance@example.com"]',
                        "WEBHOOK_URL": hook.url}.items():
        monkeypatch.setenv(f"PAYRECON_ALERTS__{name}", value)


def test_a_failed_night_shows_in_status_and_last_run_and_alerts_once_each(
        prefect_harness, cli, demo_inbox, tmp_path, monkeypatch, smtp_receiver,
        webhook_receiver):
    alert_environment(monkeypatch, smtp_receiver, webhook_receiver)
    not_a_folder = tmp_path / "reports"
    not_a_folder.write_text("an existing regular file where the report folder should be\n")
    url = f"sqlite:///{tmp_path / 'p.db'}"
    result = cli("run", "--inbox", demo_inbox, "--out", not_a_folder, "--as-of", AS_OF,
                 "--db", url)
    assert result.exit_code != 0

    last = json.loads((tmp_path / "LAST_RUN.json").read_text())
    assert (last["outcome"], last["as_of"], last["kind"]) == ("failed", AS_OF, "nightly")
    assert "FileExistsError" in last["reason"] and str(not_a_folder) in last["reason"]
    assert last["files"]["ingested"] == 7, "what the night did before failing is kept"

    status = cli("status", "--db", url)
    assert status.exit_code == 1
    assert "failed" in status.output and "FileExistsError" in status.output

    assert len(smtp_receiver.messages) == 1 and len(webhook_receiver.posts) == 1
    assert "FAILED" in smtp_receiver.messages[0]["Subject"]
    assert webhook_receiver.posts[0]["run"]["run_id"] == last["run_id"]


def test_a_completed_night_makes_status_exit_zero(prefect_harness, cli, demo_inbox, tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    assert cli("run", "--inbox", demo_inbox, "--out", tmp_path / "out", "--as-of", AS_OF,
               "--db", url).exit_code == 0
    status = cli("status", "--db", url)
    assert status.exit_code == 0, status.output
    assert "completed" in status.output and "OK" in status.output


def test_missed_nights_run_once_each_with_their_own_as_of_date(prefect_harness, demo_inbox,
                                                               tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'p.db'}", inbox=demo_inbox,
                        out=tmp_path / "out", schedule_cron="0 19 * * *", timezone=TZ)
    now = dt.datetime.now(ZoneInfo(TZ))
    nights.mark_served(tmp_path, settings.schedule_cron, TZ, now - dt.timedelta(days=3))
    fired = nights.fire_times(settings.schedule_cron, TZ, now - dt.timedelta(days=3), now)
    first, missed = fired[0], fired[1:]  # serve ran the first night, then was stopped
    runlog.claim_slot(tmp_path, nights.slot_text(first, TZ), "an earlier run")

    said: list[str] = []
    ran = _catch_up(tmp_path, settings, build_deployment(settings), said.append)
    assert ran == [nights.slot_text(t, TZ) for t in missed]
    journal = [r for r in runlog.read_journal(tmp_path) if r.trigger == CATCH_UP]
    assert [r.as_of for r in journal] == [t.date().isoformat() for t in missed]
    assert {r.outcome for r in journal} == {"completed"}

    assert _catch_up(tmp_path, settings, build_deployment(settings), said.append) == []
    late = nightly_flow(**{**build_deployment(settings).parameters, "trigger": CATCH_UP,
                           "slot": ran[-1]})
    assert late is None, "a late run of a slot that already ran does nothing"
    assert runlog.read_journal(tmp_path)[-1].outcome == "skipped"
