"""Integration fixtures: a store on SQLite (always) and on PostgreSQL (when
``PAYRECON_TEST_DATABASE_URL`` is set), plus small record factories shared by the store tests.

PostgreSQL: one throwaway database per test session, created from that URL and dropped at the
end; the ``public`` schema is recreated before each test so every test starts empty.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from pipeline.models import (
    BankTransaction,
    Client,
    GatewayTransaction,
    Invoice,
    Origin,
    Reject,
    StatementBalance,
    Ticket,
)
from pipeline.store import IngestCounts, Store

PG_URL = os.environ.get("PAYRECON_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + ([pytest.param("postgresql", marks=pytest.mark.postgres)] if PG_URL else [])
DAY = dt.date(2026, 3, 2)


def _libpq(url: str) -> str:
    """``postgresql+psycopg://...`` -> ``postgresql://...`` (what libpq understands)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+")[0]))


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway database for this session, dropped (even with open connections) at the end."""
    if not PG_URL:
        pytest.skip("PAYRECON_TEST_DATABASE_URL is not set")
    name = f"payrecon_test_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(_libpq(PG_URL), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(PG_URL, name)
    finally:
        with psycopg.connect(_libpq(PG_URL), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _reset_schema(url: str) -> None:
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> str:
    """An empty database: a SQLite file in a not-yet-existing folder, or a clean PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'payrecon.db'}"
    url = request.getfixturevalue("postgres_url")
    _reset_schema(url)
    return url


@pytest.fixture
def store(store_url):
    opened = Store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def ingest(store):
    """``ingest(records, name=..., rejects=...)``: one file into ``store``; sha256 from the name."""

    def _ingest(records, *, name="statement.csv", rejects=(), kind="bank",
                sha256=None) -> IngestCounts:
        return store.ingest(
            file_name=name, sha256=sha256 or sha_of(name), fmt="csv", kind=kind,
            size_bytes=1234, records=list(records), rejects=list(rejects), warnings=[],
        )

    return _ingest


def sha_of(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


class Make:
    """Small factories: valid records with defaults, override what a test is about."""

    @staticmethod
    def origin(file="statement.csv", line=None, ref=None, fmt="csv") -> Origin:
        return Origin(source_file=file, source_sha256=sha_of(file), source_format=fmt,
                      source_line=line, source_ref=ref)

    def bank(self, key, amount=1_500_000_00, *, day=DAY, file="statement.csv", line=None,
             account="BCA-0372543386", currency="IDR", **extra) -> BankTransaction:
        return BankTransaction(
            account_id=account, natural_key=key, booking_date=day, amount_minor=amount,
            currency=currency, origin=self.origin(file, line, key), **extra,
        )

    def gateway(self, txn, gross=50_00, *, kind="charge", fee=0, day=DAY, file="stripe.csv",
                **extra) -> GatewayTransaction:
        return GatewayTransaction(
            gateway="stripe", transaction_id=txn, kind=kind, created_date=day, gross_minor=gross,
            fee_minor=fee, net_minor=gross - fee, currency=extra.pop("currency", "USD"),
            origin=self.origin(file, None, txn, "stripe"), **extra,
        )

    def ticket(self, ticket_id, *, file="tickets.jsonl", line=1, **extra) -> Ticket:
        return Ticket(ticket_id=ticket_id, created_date=DAY,
                      origin=self.origin(file, line, ticket_id, "jsonl"), **extra)

    def invoice(self, number, total=1_500_000_00, *, balance=None, status="Unpaid",
                file="invoices.csv", **extra) -> Invoice:
        return Invoice(
            invoice_number=number, client_id=extra.pop("client_id", "C1"),
            currency=extra.pop("currency", "IDR"), issue_date=DAY - dt.timedelta(days=14),
            due_date=DAY, total_minor=total, balance_minor=total if balance is None else balance,
            status=status, origin=self.origin(file, 2), **extra,
        )

    def client(self, client_id, *, name="PT Maju Jaya", file="clients.csv", **extra) -> Client:
        return Client(client_id=client_id, name=name, origin=self.origin(file, 2), **extra)

    def balance(self, kind, amount, *, day=DAY, file="statement.csv") -> StatementBalance:
        return StatementBalance(account_id="BCA-0372543386", kind=kind, date=day,
                                amount_minor=amount, currency="IDR", origin=self.origin(file))

    @staticmethod
    def reject(line, reason, *, file="statement.csv", raw="") -> Reject:
        return Reject(source_file=file, source_sha256=sha_of(file), source_format="csv",
                      source_line=line, reason=reason, raw=raw)


@pytest.fixture
def make() -> Make:
    return Make()
