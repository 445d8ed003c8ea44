"""Settings: defaults, then payrecon.toml, then PAYRECON_* variables, then explicit overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from parsers.base import SourceFile
from parsers.registry import detect
from pipeline.settings import Settings, ShopAccount, load_settings

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
    monkeypatch.setenv("PAYRECON_DUNNING__REMINDER_DAYS", "[5, 10]")
    settings = load_settings(database_url="sqlite:///cli.db", inbox=None)
    assert settings.database_url == "sqlite:///cli.db"
    assert settings.timezone == "Europe/Berlin"
    assert (settings.dunning.suspend_after_days, settings.dunning.reminder_days) == (21, [5, 10])
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
def test_default_currency_and_an_accounts_date_order_come_from_the_toml(monkeypatch, tmp_path):
    config = tmp_path / "payrecon.toml"
    config.write_text('default_currency = "usd"\n\n[[accounts]]\nnumber = "000123456789"\n'
                      'bank = "Chase"\ndate_order = "mdy"\n', encoding="utf-8")
    monkeypatch.setenv("PAYRECON_CONFIG", str(config))
    settings = Settings()
    assert settings.default_currency == "USD"
    assert settings.accounts[0].date_order == "MDY"


def test_without_configuration_there_is_no_default_currency_and_no_date_order(monkeypatch,
                                                                             tmp_path):
    monkeypatch.chdir(tmp_path)
    assert Settings().default_currency is None
    assert ShopAccount(number="1").date_order is None


def test_the_default_currency_may_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAYRECON_DEFAULT_CURRENCY", "eur")
    assert Settings().default_currency == "EUR"


@pytest.mark.parametrize("value", ["dollars", "$", "12"])
def test_a_default_currency_that_is_no_currency_code_is_refused(monkeypatch, tmp_path, value):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationError, match="not a currency code"):
        Settings(default_currency=value)


def test_a_date_order_other_than_dmy_mdy_or_ymd_is_refused():
    with pytest.raises(ValidationError, match="date_order"):
        ShopAccount(number="1", date_order="DD/MM/YYYY")


def test_the_default_currency_reaches_a_bank_csv_with_dollar_amounts(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAYRECON_DEFAULT_CURRENCY", "USD")
    export = tmp_path / "checking.csv"
    export.write_text('"Date","Description","Withdrawal","Deposit"\n'
                      '"11/16/2026","INVOICE #10911","","$240.00"\n', encoding="utf-8")
    source = SourceFile(export)
    settings = Settings()
    parser = detect(source, accounts=settings.accounts,
                    default_currency=settings.default_currency).parser
    (record,) = parser.parse(source).records
    assert (record.currency, record.amount_minor) == ("USD", 24000)


def test_a_fee_tolerance_per_channel_and_currency_comes_from_the_toml(monkeypatch, tmp_path):
    from decimal import Decimal

    from pipeline.settings import fee_tolerance_for

    config = tmp_path / "payrecon.toml"
    config.write_text('[fee_tolerance.bank]\nIDR = {fixed = "10000", percent = "0"}\n'
                      '[fee_tolerance."*"]\n"*" = {percent = "0.5"}\n', encoding="utf-8")
    monkeypatch.setenv("PAYRECON_CONFIG", str(config))
    setting = Settings().fee_tolerance
    assert fee_tolerance_for(setting, "bank", "IDR").fixed == Decimal("10000")
    assert fee_tolerance_for(setting, "gateway", "USD").percent == Decimal("0.5")
    assert fee_tolerance_for(setting, "bank", "USD").percent == Decimal("0.5")


def test_the_old_single_fee_tolerance_still_applies_everywhere(monkeypatch, tmp_path):
    from decimal import Decimal

    from pipeline.settings import fee_tolerance_for

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAYRECON_FEE_TOLERANCE", "2.50")
    rule = fee_tolerance_for(Settings().fee_tolerance, "gateway", "EUR")
    assert (rule.fixed, rule.percent) == (Decimal("2.50"), Decimal("0"))
