"""Settings: defaults, then payrecon.toml, then PAYRECON_* variables, then explicit overrides."""

from __future__ import annotations

from pathlib import Path

from parsers.base import SourceFile
from parsers.registry import detect
from pipeline.settings import Settings, load_settings

TOML = '''
database_url = "sqlite:///from-toml.db"
timezone = "Asia/Jakarta"

[dunning]
suspend_after_days = 21

[[accounts]]
number = "0372543386"
bank = "BCA"
currency = "IDR"
'''


def test_defaults_need_no_configuration(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.database_url == "sqlite:///payrecon.db"
    assert (settings.schedule_cron, settings.timezone) == ("0 19 * * *", "America/Los_Angeles")
    assert settings.accounts == []


def test_a_toml_file_configures_and_the_environment_overrides_it(monkeypatch, tmp_path):
    config = tmp_path / "payrecon.toml"
    config.write_text(TOML, encoding="utf-8")
    monkeypatch.setenv("PAYRECON_CONFIG", str(config))
    monkeypatch.setenv("PAYRECON_TIMEZONE", "Europe/Berlin")
    monkeypatch.setenv("PAYRECON_DUNNING__REMIND_AFTER_DAYS", "5")
    settings = load_settings(database_url="sqlite:///cli.db", inbox=None)
    assert settings.database_url == "sqlite:///cli.db"
    assert settings.timezone == "Europe/Berlin"
    assert (settings.dunning.suspend_after_days, settings.dunning.remind_after_days) == (21, 5)
    assert settings.accounts[0].currency == "IDR"


def test_an_accounts_currency_reaches_a_bank_csv_that_names_no_currency(monkeypatch, tmp_path):
    config = tmp_path / "payrecon.toml"
    config.write_text(TOML, encoding="utf-8")
    monkeypatch.setenv("PAYRECON_CONFIG", str(config))
    export = tmp_path / "mutasi.csv"
    export.write_text("No. rekening : 0372543386\n\nTanggal,Keterangan,Jumlah\n"
                      "02/11/2026,INV 10908 RINA,\"1,110,000.00 CR\"\n", encoding="utf-8")
    source = SourceFile(Path(export))
    parser = detect(source, accounts=Settings().accounts).parser
    (record,) = parser.parse(source).records
    assert (record.currency, record.account_id, record.amount_minor) == ("IDR", "0372543386",
                                                                         111_000_000)


def test_the_data_folder_is_beside_the_sqlite_file_else_the_settings_file(monkeypatch, tmp_path):
    from pipeline.settings import data_folder

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PAYRECON_CONFIG", raising=False)
    assert data_folder(Settings()) == tmp_path
    assert data_folder(Settings(database_url="sqlite:///db/p.db")) == tmp_path / "db"
    assert data_folder(Settings(data_dir=Path("data"))) == tmp_path / "data"
    postgres = Settings(database_url="postgresql://u@h/db")
    assert data_folder(postgres) == Path.home().resolve() / ".payrecon"
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "payrecon.toml").write_text("")
    monkeypatch.setenv("PAYRECON_CONFIG", str(tmp_path / "etc" / "payrecon.toml"))
    assert data_folder(postgres) == tmp_path / "etc"


def test_alert_settings_come_from_the_alerts_table(monkeypatch, tmp_path):
    config = tmp_path / "payrecon.toml"
    config.write_text('[alerts]\nsmtp_host = "mail.example.com"\nsmtp_to = ["f@example.com"]\n'
                      'webhook_url = "http://127.0.0.1:8099/hook"\n')
    monkeypatch.setenv("PAYRECON_CONFIG", str(config))
    alerts = Settings().alerts
    assert alerts.email_enabled and alerts.smtp_starttls and alerts.smtp_port == 587
    assert alerts.webhook_url == "http://127.0.0.1:8099/hook"
    monkeypatch.delenv("PAYRECON_CONFIG")
    monkeypatch.chdir(tmp_path / "..")
    assert not Settings().alerts.email_enabled, "no alerts unless configured"
