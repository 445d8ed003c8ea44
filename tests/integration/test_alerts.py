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


def self_signed(tmp_path):
    """A certificate for 127.0.0.1 (its own CA) and its key, as files."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "payrecon test relay")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "relay.pem", tmp_path / "relay.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_mail_goes_over_starttls_and_logs_in_with_the_secret_password(tmp_path):
    import socket
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins, messages = [], []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
            messages.append((session.ssl is not None, envelope.content))
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    relay = Controller(Handler(), hostname="127.0.0.1", port=port, tls_context=context,
                       require_starttls=True, auth_required=True, authenticator=authenticator)
    relay.start()
    try:
        settings = AlertSettings(smtp_host="127.0.0.1", smtp_port=port, smtp_ca_file=cert,
                                 smtp_user="payrecon", smtp_password="s3cret",
                                 smtp_to=["finance@example.com"])
        assert alerts.notify(settings, failed_night()) == []
    finally:
        relay.stop()
    assert logins == [(b"payrecon", b"s3cret")]
    assert len(messages) == 1 and messages[0][0], "the mail went over TLS"


def test_an_alert_shows_account_numbers_by_their_last_4_digits(smtp_receiver,
                                                                 webhook_receiver):
    record = runlog.finish_record(
        runlog.new_record(kind="nightly", trigger="scheduled", as_of="2026-12-01"),
        outcome="completed")
    record = dataclasses.replace(record, quarantined=[
        "bca.csv: no currency for account 0372543386"])
    assert alerts.notify(channels(smtp_receiver, webhook_receiver), record) == []
    mail, post = smtp_receiver.messages[0].get_payload(), webhook_receiver.posts[0]
    assert "0372543386" not in mail + str(post)
    assert "account ******3386" in mail and "account ******3386" in post["text"]
