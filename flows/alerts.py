"""Alerts when a night fails or sets a file aside: e-mail (SMTP) and a webhook (JSON POST).

Configured under ``[alerts]`` in ``payrecon.toml`` (see :class:`pipeline.settings.AlertSettings`).
An alert that cannot be delivered never fails the run: its error is returned, logged and
kept in the run record (``alert_errors``). Standard library only: ``smtplib`` and ``urllib``.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.request
from dataclasses import asdict, dataclass
from email.message import EmailMessage

from flows.runlog import FAILED, INTERRUPTED, RunRecord, masked
from pipeline.masking import mask_accounts, masked_logger
from pipeline.settings import AlertSettings

log = masked_logger(__name__)


@dataclass(frozen=True)
class Alert:
    """What to tell: one subject line and a short plain-text body."""

    subject: str
    body: str
    event: str  # run_failed | file_quarantined


def alert_for(record: RunRecord) -> Alert | None:
    """The alert a finished run deserves: failed/interrupted, or files quarantined; else none."""
    what = _describe(record)
    if record.outcome in (FAILED, INTERRUPTED):
        return Alert(subject=f"payrecon: {what} {record.outcome.upper()}",
                     body=_body(record, f"The run {record.outcome}: {record.reason}"),
                     event="run_failed")
    if record.quarantined:
        count = len(record.quarantined)
        return Alert(subject=f"payrecon: {what}: {count} file(s) quarantined",
                     body=_body(record, "These files could not be read and were set aside:\n"
                                + "\n".join(f"  - {q}" for q in record.quarantined)),
                     event="file_quarantined")
    return None


def notify(settings: AlertSettings, record: RunRecord) -> list[str]:
    """Send the run's alert (if it deserves one) by every configured channel; the errors."""
    record = masked(record)  # account numbers: last 4 digits only (pipeline.masking)
    alert = alert_for(record)
    if alert is None:
        return []
    alert = Alert(mask_accounts(alert.subject), mask_accounts(alert.body), alert.event)
    errors = []
    if settings.email_enabled:
        errors += _attempt("e-mail", lambda: send_email(settings, alert))
    if settings.webhook_url:
        errors += _attempt("webhook", lambda: post_webhook(settings, alert, record))
    return errors


def send_email(settings: AlertSettings, alert: Alert) -> None:
    """One message to ``smtp_to`` through ``smtp_host`` (STARTTLS unless switched off)."""
    message = EmailMessage()
    message["Subject"] = alert.subject
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(settings.smtp_to)
    message.set_content(alert.body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                      timeout=settings.timeout_seconds) as smtp:
        if settings.smtp_starttls:
            cafile = str(settings.smtp_ca_file) if settings.smtp_ca_file else None
            smtp.starttls(context=ssl.create_default_context(cafile=cafile))
        if settings.smtp_user:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            smtp.login(settings.smtp_user, password)
        smtp.send_message(message)


def post_webhook(settings: AlertSettings, alert: Alert, record: RunRecord) -> None:
    """POST ``{"event", "subject", "text", "run": {...}}`` as JSON to ``webhook_url``."""
    payload = {"event": alert.event, "subject": alert.subject, "text": alert.body,
               "run": asdict(record)}
    request = urllib.request.Request(
        settings.webhook_url, data=json.dumps(payload).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "payrecon"})
    with urllib.request.urlopen(request, timeout=settings.timeout_seconds) as response:
        response.read()


def _attempt(channel: str, send) -> list[str]:  # noqa: ANN001
    try:
        send()
    except Exception as exc:  # noqa: BLE001 - an alert must never fail the run
        log.warning("payrecon alert by %s failed: %s", channel, exc)
        return [f"{channel}: {type(exc).__name__}: {exc}"]
    return []


def _describe(record: RunRecord) -> str:
    name = "nightly run" if record.kind == "nightly" else f"{record.kind} run"
    return f"{name} as of {record.as_of}" if record.as_of else name


def _body(record: RunRecord, headline: str) -> str:
    lines = [headline, "", f"run id:   {record.run_id}", f"kind:     {record.kind} "
             f"({record.trigger})", f"as of:    {record.as_of or '-'}",
             f"started:  {record.started_at}", f"finished: {record.finished_at or '-'}",
             f"host:     {record.host}"]
    if record.report_folder:
        lines.append(f"reports:  {record.report_folder}")
    return "\n".join(lines) + "\n\n`payrecon status` shows the latest runs.\n"
