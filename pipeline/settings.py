"""Settings: defaults, then an optional ``payrecon.toml``, then ``PAYRECON_*`` environment
variables.

Nested values use ``__`` in the environment (``PAYRECON_DUNNING__SUSPEND_AFTER_DAYS=14``).
The TOML file is read from ``PAYRECON_CONFIG`` when set, else ``./payrecon.toml`` when present.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from pipeline.database_url import sqlite_file
from pipeline.money import normalize_currency

DEFAULT_REFERENCE_PATTERNS = [
    # sequential invoice numbers written whole: "INV-2026-00123"
    r"(?<![A-Z0-9])(?P<ref>INV-\d{4}-\d{3,6})(?![0-9])",
    # keyword then number: "INV 10234", "Invoice #10234", "inv10234", "Faktur no. 10234",
    # "invoices 10234, 10235" (the numbers after the first: see pipeline.references)
    r"(?<![A-Z0-9])(?:INVOICES?|INV|FAKTUR|TAGIHAN|RECHNUNG|NOTA)(?!-\d{4}-)\s*"
    r"(?:NO\.?|NR\.?|NUMBER)?\s*[#:.\-]?\s*(?P<ref>\d{3,10})(?![0-9]|[.,]\d)",
    # "#10234" on its own
    r"(?<![A-Z0-9&#])#\s?(?P<ref>\d{3,10})(?![0-9]|[.,]\d)",
]


class DunningPolicy(BaseModel):
    """Overdue policy (``[dunning]``): days after the due date at which each recommended
    action starts. Billing exports do not say which reminders were sent, so every step is
    counted from the due date."""

    model_config = ConfigDict(frozen=True)

    reminder_days: list[int] = Field(default_factory=lambda: [1, 7])  # a reminder on each
    first_invoice_lock_after_days: int = 3  # a new customer's first invoice: lock services
    suspend_after_days: int = 14
    terminate_after_days: int = 45
    final_reminder_after_days: int = 75  # the last letter before debt collection
    collections_after_days: int = 90
    claim_hold_days: int = 7  # a pending confirmation ticket holds escalation this long
    partial_hold_days: int = 7  # a partial payment this recent holds escalation

    @model_validator(mode="before")
    @classmethod
    def _single_reminder_day(cls, data: object) -> object:
        """``remind_after_days = N`` (the older key) means ``reminder_days = [N]``."""
        if isinstance(data, dict) and "remind_after_days" in data:
            data = dict(data)
            day = data.pop("remind_after_days")
            data.setdefault("reminder_days", [day])
        return data

    @property
    def first_reminder_day(self) -> int:
        return max(min(self.reminder_days, default=1), 1)


def _upper(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


class ShopAccount(BaseModel):
    """One of the shop's own bank accounts (from payrecon.toml ``[[accounts]]``).

    ``currency``: the account's currency when its statements do not name one.
    ``date_order``: the order of numeric dates in its statements (``"DMY"`` ``15/10/2026``,
    ``"MDY"`` ``10/15/2026``, ``"YMD"`` ``26/10/15``) when the file cannot show it.
    ``profile``: the bank CSV profile its exports are read with."""

    model_config = ConfigDict(frozen=True)

    number: str
    bank: str = ""
    currency: str | None = None
    name: str = ""
    profile: str | None = None
    date_order: Literal["DMY", "MDY", "YMD"] | None = None

    _date_order_case = field_validator("date_order", mode="before")(_upper)


class FeeTolerance(BaseModel):
    """How much less than an invoice's balance still settles it (a wire fee deducted on the
    way): ``fixed`` major units plus ``percent`` of the balance."""

    model_config = ConfigDict(frozen=True)

    fixed: Decimal = Decimal("0")
    percent: Decimal = Decimal("0")


# ``fee_tolerance``: one amount for every channel and currency (the old scalar form), or per
# channel (``bank``, ``gateway``, or ``"*"``) and currency (``IDR``... or ``"*"``):
# ``[fee_tolerance.bank] IDR = {fixed = "10000", percent = "0"}``.
FeeToleranceSetting = Decimal | dict[str, dict[str, FeeTolerance]]


def fee_tolerance_for(setting: FeeToleranceSetting, channel: str,
                      currency: str) -> FeeTolerance:
    """The tolerance for money of ``channel`` in ``currency`` (exact keys before ``"*"``)."""
    if isinstance(setting, Decimal):
        return FeeTolerance(fixed=setting)
    for chan in (channel, "*"):
        per_currency = setting.get(chan, {})
        for cur in (currency.upper(), "*"):
            if cur in per_currency:
                return per_currency[cur]
    return FeeTolerance()


class NonCustomerMoney(BaseModel):
    """Money that is not a customer's (``[non_customer]``): regular expressions (case
    insensitive, searched in a bank line's text) per kind. ``interest`` and ``other`` are
    asked of incoming lines and must be clear (anchored at the start): anything else incoming
    stays customer money. ``fee`` tells bank charges among outgoing debits (every other debit
    is ``outgoing``). Payouts are recognised by their gateway payout, within
    ``payout_window_days`` after it; a second charge of one customer and amount within
    ``duplicate_window_days`` is a ``duplicate_charge``."""

    model_config = ConfigDict(frozen=True)

    interest: list[str] = Field(default_factory=lambda: [
        r"^\W*(BUNGA|JASA GIRO|(CREDIT )?INTEREST( PAYMENT| EARNED| PAID| CREDIT)?\b"
        r"|HABENZINS|ZINSGUTSCHRIFT|ZINSEN\b)"])
    other: list[str] = Field(default_factory=lambda: [
        r"^\W*(SETORAN MODAL|OWNER('?S)? CAPITAL|CAPITAL CONTRIBUTION|EINLAGE\b"
        r"|REFUND\b|ERSTATTUNG\b)", r"\bIRS TREAS\b"])
    fee: list[str] = Field(default_factory=lambda: [
        r"BIAYA ADM|\bBIAYA\b|\bADMIN(ISTRATION)? FEE|SERVICE (FEE|CHARGE)|BANK CHARGE"
        r"|\bFEE\b|ENTGELT|GEB(UE|Ü)HR|\bPROVISI\b"])
    payout_window_days: int = 5
    duplicate_window_days: int = 1


class AlertSettings(BaseModel):
    """Where to say that a night failed or quarantined a file (``[alerts]``; all optional).

    E-mail goes through SMTP (STARTTLS unless ``smtp_starttls = false``); the webhook gets a
    JSON POST. The password is a secret: it never appears in logs, reprs or flow parameters.
    """

    model_config = ConfigDict(frozen=True)

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_ca_file: Path | None = None  # a private CA for the relay's certificate (else system CAs)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "payrecon@localhost"
    smtp_to: list[str] = Field(default_factory=list)
    webhook_url: str | None = None
    timeout_seconds: float = 20.0

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host and self.smtp_to)


class PostingSettings(BaseModel):
    """Postings back to billing (``[postings]``): ``gateways`` maps where money came from to
    billing's gateway system name (WHMCS ``gateway``). Keys, most specific first: the
    account (a bank account number, or a gateway such as ``stripe``), the input format
    (``ofx``, ``bank-csv``, ``paypal``...), the channel (``bank``, ``gateway``), ``"*"``.
    Unmapped bank money posts as ``banktransfer``, gateway money as the gateway's name."""

    model_config = ConfigDict(frozen=True)

    gateways: dict[str, str] = Field(default_factory=dict)


class WebSettings(BaseModel):
    """The web front (``[web]``): where ``payrecon web`` listens (loopback unless told
    otherwise), the upload size limit per file, the idle time after which a session ends, and
    how many failed logins per user name and address are allowed in ``login_window_minutes``."""

    model_config = ConfigDict(frozen=True)

    host: str = "127.0.0.1"
    port: int = 8080
    max_upload_mb: int = 50
    idle_timeout_minutes: int = 30
    login_attempts: int = 5
    login_window_minutes: int = 15


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PAYRECON_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    database_url: str = "sqlite:///payrecon.db"
    # the database password, kept out of the URL (and so out of flow parameters and logs);
    # PAYRECON_DATABASE_PASSWORD. A password written in the URL is moved here by the CLI.
    database_password: SecretStr | None = None
    timezone: str = "America/Los_Angeles"
    schedule_cron: str = "0 19 * * *"
    inbox: Path = Path("inbox")
    out: Path = Path("reports")
    archive: Path | None = None  # default: <inbox>/../archive
    quarantine: Path | None = None  # default: <inbox>/../quarantine
    reference_patterns: list[str] = Field(default_factory=lambda: list(DEFAULT_REFERENCE_PATTERNS))
    fee_tolerance: FeeToleranceSetting = Decimal("0")  # under-payment that still settles
    reconciliation_window_days: int = 7
    dunning: DunningPolicy = Field(default_factory=DunningPolicy)
    accounts: list[ShopAccount] = Field(default_factory=list)
    # payrecon's own folder: LAST_RUN.json, the run journal, the scheduler's working
    # directory (default: beside the SQLite file, else beside the settings file, else
    # ~/.payrecon; see data_folder)
    data_dir: Path | None = None
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    non_customer: NonCustomerMoney = Field(default_factory=NonCustomerMoney)
    postings: PostingSettings = Field(default_factory=PostingSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    # The currency of statement amounts that name none (no column, preamble, symbol or
    # account currency); also what a bare ``$`` means.
    default_currency: str | None = None
    # Where the nightly flow's heavy steps run: "local" (the flow's own process, one file
    # after another) or "dask" (parse one task per file on the Dask cluster at dask_address,
    # e.g. "tcp://10.0.0.5:8786"; without an address, a temporary cluster on this machine).
    # See docs/scale.md.
    task_runner: Literal["local", "dask"] = "local"
    dask_address: str | None = None
    # How many processes a big night uses on this machine (on platforms that fork; the same
    # results either way): 2 reads the invoices in a forked second process while reconcile
    # reads the money, and writes the exports and the overdue workbook in one while the
    # report writes the reconciliation workbook; 1 does each in turn.
    processes: int = Field(default=2, ge=1, le=2)

    @field_validator("default_currency")
    @classmethod
    def _currency_code(cls, value: str | None) -> str | None:
        return normalize_currency(value) if value else None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = os.environ.get("PAYRECON_CONFIG") or "payrecon.toml"
        toml = TomlConfigSettingsSource(settings_cls, toml_file=toml_file)
        return (init_settings, env_settings, toml)


def config_file() -> Path | None:
    """The settings file in use: ``PAYRECON_CONFIG``, else ``./payrecon.toml`` when present."""
    named = os.environ.get("PAYRECON_CONFIG")
    if named:
        return Path(named)
    local = Path("payrecon.toml")
    return local if local.is_file() else None


def data_folder(settings: Settings) -> Path:
    """payrecon's data folder, absolute: ``data_dir``, else the SQLite file's folder, else
    the settings file's folder, else ``~/.payrecon``."""
    if settings.data_dir is not None:
        return settings.data_dir.expanduser().resolve()
    database = sqlite_file(settings.database_url)
    if database is not None:
        return database.expanduser().resolve().parent
    config = config_file()
    if config is not None:
        return config.expanduser().resolve().parent
    return (Path.home() / ".payrecon").resolve()


def load_settings(**overrides: object) -> Settings:
    """Settings with explicit overrides (CLI options) on top; ``None`` overrides are ignored."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
