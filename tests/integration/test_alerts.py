"""Alerts reach a real (local) SMTP server and a real (local) HTTP receiver."""

from __future__ import annotations

import dataclasses

from flows import alerts, runlog
from pipeline.settings import AlertSettings, Settings


def failed_night():
    record = runlog.new_record(kind="nightly", trigger="scheduled", as_of="2026-12-01")
    return runlog.finish_record(record, outcome="failed",
                                reason="NotADirectoryError: /srv/payrecon/reports")


def channels(smtp, hook, **more) -> AlertSettings:
    return AlertSettings(smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_starttls=False,
                         smtp_to=["finance@example.com"], webhook_url=hook.url, **more)


def test_a_failed_night_sends_one_mail_and_one_webhook(smtp_receiver, webhook_receiver):
    errors = alerts.notify(channels(smtp_receiver, webhook_receiver), failed_night())
    assert errors == []
    [mail] = smtp_receiver.messages
    assert mail["Subject"] == "payrecon: nightly run as of 2026-12-01 FAILED"
    assert "NotADirectoryError: /srv/payrecon/reports" in mail.get_payload()
    [post] = webhook_receiver.posts
    assert post["event"] == "run_failed" and post["run"]["as_of"] == "2026-12-01"


def test_a_quarantined_file_is_alerted_too(smtp_receiver, webhook_receiver):
    record = runlog.finish_record(
        runlog.new_record(kind="nightly", trigger="scheduled", as_of="2026-12-01"),
        outcome="completed")
    record = dataclasses.replace(record, quarantined=["bca.csv: every row was rejected"])
    assert alerts.notify(channels(smtp_receiver, webhook_receiver), record) == []
    assert "1 file(s) quarantined" in smtp_receiver.messages[0]["Subject"]
    assert webhook_receiver.posts[0]["event"] == "file_quarantined"


def test_a_good_night_sends_nothing(smtp_receiver, webhook_receiver):
    record = runlog.finish_record(
        runlog.new_record(kind="nightly", trigger="manual", as_of="2026-12-01"),
        outcome="completed")
    assert alerts.notify(channels(smtp_receiver, webhook_receiver), record) == []
    assert smtp_receiver.messages == [] and webhook_receiver.posts == []


def test_an_unreachable_channel_is_an_error_value_not_a_crash(smtp_receiver):
    settings = AlertSettings(smtp_host="127.0.0.1", smtp_port=smtp_receiver.port,
                             smtp_starttls=False, smtp_to=["a@example.com"],
                             webhook_url="http://127.0.0.1:9/nothing", timeout_seconds=3)
    errors = alerts.notify(settings, failed_night())
    assert len(smtp_receiver.messages) == 1
    assert len(errors) == 1 and errors[0].startswith("webhook: ")


def test_the_smtp_password_is_a_secret_that_never_shows(monkeypatch):
    monkeypatch.setenv("PAYRECON_ALERTS__SMTP_PASSWORD", "hunter2")
    monkeypatch.setenv("PAYRECON_ALERTS__SMTP_HOST", "mail.example.com")
    settings = Settings()
    assert settings.alerts.smtp_password.get_secret_value() == "hunter2"
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings.model_dump())
