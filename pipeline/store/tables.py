"""SQLAlchemy Core tables: the metadata the store code uses.

Amounts are ``BigInteger`` minor units, dates are ``Date``; never floats for money.
The schema is created by the Alembic migrations in ``migrations/`` (a test checks that the
migrated schema matches this metadata on every supported database).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _id() -> Column:
    return Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True)


def _text(name: str) -> Column:
    return Column(name, Text, nullable=False, server_default="")


def _money(name: str, nullable: bool = False) -> Column:
    return Column(name, BigInteger, nullable=nullable)


def _source_columns() -> list[Column]:
    """Where a record came from, named the same way in every table and export."""
    return [
        Column("source_file_id", BigInteger, ForeignKey("source_files.id"), nullable=True),
        _text("source_file"),
        _text("source_sha256"),
        _text("source_format"),
        Column("source_line", Integer, nullable=True),
        Column("source_ref", Text, nullable=True),
    ]


source_files = Table(
    "source_files", metadata, _id(),
    Column("sha256", String(64), nullable=False, unique=True),
    _text("file_name"), _text("format"), _text("kind"),
    Column("size_bytes", BigInteger, nullable=False, server_default=text("0")),
    Column("status", String(16), nullable=False),  # ingested | quarantined
    _text("reason"),
    Column("records_new", Integer, nullable=False, server_default=text("0")),
    Column("records_duplicate", Integer, nullable=False, server_default=text("0")),
    Column("records_rejected", Integer, nullable=False, server_default=text("0")),
    Column("invoices_updated", Integer, nullable=False, server_default=text("0")),
    _text("warnings"),  # JSON list
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

bank_transactions = Table(
    "bank_transactions", metadata, _id(),
    _text("account_id"),
    Column("natural_key", Text, nullable=False),
    Column("booking_date", Date, nullable=False),
    Column("value_date", Date, nullable=True),
    _money("amount_minor"),
    Column("currency", String(8), nullable=False),
    _text("description"), _text("counterparty_name"), _text("counterparty_account"),
    *_source_columns(),
    UniqueConstraint("natural_key", "account_id"),  # selective column first
    Index(None, "source_file_id"),
    Index(None, "booking_date"),
)

gateway_transactions = Table(
    "gateway_transactions", metadata, _id(),
    Column("gateway", String(32), nullable=False),
    Column("transaction_id", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("created_date", Date, nullable=False),
    _money("gross_minor"), _money("fee_minor"), _money("net_minor"),
    Column("currency", String(8), nullable=False),
    _text("status"), _text("customer_name"), _text("customer_email"), _text("description"),
    _text("invoice_ref"), _text("related_id"), _text("payout_id"),
    Column("metadata_json", Text, nullable=False, server_default="{}"),
    *_source_columns(),
    UniqueConstraint("transaction_id", "gateway"),
    Index(None, "gateway", "payout_id"),
    Index(None, "source_file_id"),
)

tickets = Table(
    "tickets", metadata, _id(),
    Column("ticket_id", Text, nullable=False, unique=True),
    Column("created_date", Date, nullable=False),
    _text("name"), _text("email"), _text("client_id"), _text("subject"), _text("message"),
    _text("invoice_number"), _text("destination_bank"), _text("destination_account"),
    _money("claimed_amount_minor", nullable=True),
    Column("currency", String(8), nullable=True),
    Column("claimed_date", Date, nullable=True),
    _text("account_holder"),
    _money("claimed_amount_alt_minor", nullable=True),  # second reading of a typed amount
    Column("channel", String(8), nullable=False, server_default="ticket"),  # ticket | email
    *_source_columns(),
    Index(None, "source_file_id"),
)

statement_balances = Table(
    "statement_balances", metadata, _id(),
    Column("natural_key", Text, nullable=False, unique=True),
    _text("account_id"),
    Column("kind", String(8), nullable=False),  # opening | closing
    Column("date", Date, nullable=True),
    _money("amount_minor"),
    Column("currency", String(8), nullable=False),
    *_source_columns(),
    Index(None, "source_file_id"),
)


def _invoice_content() -> list[Column]:
    return [
        Column("invoice_id", Text, nullable=True),
        Column("client_id", Text, nullable=False),
        _text("client_name"), _text("client_email"),
        Column("currency", String(8), nullable=False),
        Column("issue_date", Date, nullable=False),
        Column("due_date", Date, nullable=False),
        _money("total_minor"), _money("balance_minor"),
        Column("status", String(32), nullable=False),
        Column("first_invoice", Boolean, nullable=False),
        Column("group_id", Text, nullable=True),
    ]


invoices = Table(
    "invoices", metadata, _id(),
    Column("invoice_number", Text, nullable=False, unique=True),
    *_invoice_content(), *_source_columns(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index(None, "client_id"),
)

invoice_history = Table(
    "invoice_history", metadata, _id(),
    Column("invoice_number", Text, nullable=False),
    *_invoice_content(), *_source_columns(),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Index(None, "invoice_number"),
)


def _client_content() -> list[Column]:
    return [
        _text("name"), _text("company"), _text("email"),
        Column("created_at", Date, nullable=True),
    ]


clients = Table(
    "clients", metadata, _id(),
    Column("client_id", Text, nullable=False, unique=True),
    *_client_content(), *_source_columns(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

client_history = Table(
    "client_history", metadata, _id(),
    Column("client_id", Text, nullable=False),
    *_client_content(), *_source_columns(),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Index(None, "client_id"),
)

rejects = Table(
    "rejects", metadata, _id(),
    *_source_columns(),
    Column("reason", Text, nullable=False),
    _text("raw"),
    Index(None, "source_file_id"),
)

runs = Table(
    "runs", metadata, _id(),
    Column("kind", String(32), nullable=False),
    Column("as_of", Date, nullable=True),
    Column("status", String(16), nullable=False),  # running | <status given at finish>
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("summary_json", Text, nullable=False, server_default="{}"),
)


def _run_id() -> Column:
    return Column("run_id", BigInteger, ForeignKey("runs.id"), nullable=False)


match_allocations = Table(
    "match_allocations", metadata, _id(), _run_id(),
    Column("payment_kind", String(16), nullable=False),
    Column("payment_id", BigInteger, nullable=False),
    Column("invoice_number", Text, nullable=False),
    _money("applied_minor"),
    Column("currency", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    _text("rule"),
    Column("confidence", Float, nullable=False),
    _text("reason"),
    Column("fee_minor", BigInteger, nullable=False, server_default=text("0")),
    _text("match_id"),
    Index(None, "run_id"),
)

match_unmatched = Table(
    "match_unmatched", metadata, _id(), _run_id(),
    Column("payment_kind", String(16), nullable=False),
    Column("payment_id", BigInteger, nullable=False),
    _text("reason"),
    Index(None, "run_id"),
)

match_exceptions = Table(
    "match_exceptions", metadata, _id(), _run_id(),
    Column("kind", String(64), nullable=False),
    _text("payment_kind"),
    Column("payment_id", BigInteger, nullable=True),
    _text("invoice_number"),
    _money("amount_minor", nullable=True),
    _text("currency"),
    _text("detail"),
    Index(None, "run_id"),
)

match_tickets = Table(
    "match_tickets", metadata, _id(), _run_id(),
    Column("ticket_id", Text, nullable=False),
    Column("status", String(32), nullable=False),
    _text("payment_kind"),
    Column("payment_id", BigInteger, nullable=True),
    _text("invoice_number"),
    _text("detail"),
    Index(None, "run_id"),
)

match_payouts = Table(
    "match_payouts", metadata, _id(), _run_id(),
    Column("gateway", String(32), nullable=False),
    Column("payout_id", Text, nullable=False),
    Column("status", String(32), nullable=False),
    _text("payment_kind"),
    Column("payment_id", BigInteger, nullable=True),
    _text("detail"),
    Index(None, "run_id"),
)

match_other_money = Table(
    "match_other_money", metadata, _id(), _run_id(),
    Column("payment_kind", String(16), nullable=False),
    Column("payment_id", BigInteger, nullable=False),
    Column("kind", String(32), nullable=False),
    _text("detail"),
    Index(None, "run_id"),
)

# What the engine's passes considered per money line (pipeline.matching.considered): read by
# the money line's detail page, never recomputed. Created by migration 0007_match_candidates.
match_candidates = Table(
    "match_candidates", metadata, _id(), _run_id(),
    Column("payment_kind", String(16), nullable=False),
    Column("payment_id", BigInteger, nullable=False),
    _text("invoice_number"),
    Column("pass_name", String(32), nullable=False),
    _text("rule"),
    Column("outcome", String(16), nullable=False),  # taken | suggested | dropped
    _text("reason"),
    Index(None, "run_id"),
)

MATCH_TABLES = (match_allocations, match_unmatched, match_exceptions, match_tickets,
                match_payouts, match_other_money, match_candidates)

# The allocation ledger: append-only, kept across runs (see pipeline.matching.ledger).
# ``entry_key`` makes appending idempotent: one allocation, one credit per match_id, one
# reversal per (match_id, reversing money); a decision is keyed by its time.
ledger_entries = Table(
    "ledger_entries", metadata, _id(),
    Column("entry_key", Text, nullable=False, unique=True),
    Column("match_id", String(32), nullable=False),
    Column("entry", String(16), nullable=False),  # allocation | credit | reversal | decision
    Column("status", String(16), nullable=False),
    Column("money_key", Text, nullable=False),
    Column("payment_kind", String(16), nullable=False),
    Column("invoice_number", Text, nullable=False),
    _money("applied_minor"),
    Column("fee_minor", BigInteger, nullable=False, server_default=text("0")),
    Column("currency", String(8), nullable=False),
    _text("rule"), _text("reason"),
    Column("source_date", Date, nullable=False),
    Column("as_of", Date, nullable=True),
    _text("user"), _text("evidence"),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index(None, "match_id"),
    Index(None, "money_key"),
)

# What finance entered in billing (``payrecon postings mark-posted``): one row per posted
# allocation (``kind`` payment) or client credit (``kind`` credit); never posted twice.
postings_posted = Table(
    "postings_posted", metadata, _id(),
    Column("match_id", String(32), nullable=False),
    Column("kind", String(16), nullable=False),  # payment | credit
    _text("invoice_number"),
    _text("billing_id"),  # WHMCS invoiceid (payment) or clientid (credit)
    _text("transid"), _text("gateway"),
    _money("amount_minor"),
    Column("fee_minor", BigInteger, nullable=False, server_default=text("0")),
    Column("currency", String(8), nullable=False),
    Column("date", Date, nullable=False),
    _text("checksum"), _text("file_name"), _text("file_sha256"), _text("user"),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("match_id", "kind"),
)

# Facts about this database itself; ``database_id`` (random, made when first asked for) names it
# in the files it writes, so a file from another database is recognised.
store_meta = Table(
    "store_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


# Indexes the browsing queries read by (pipeline.store.browse*), made by 0007_match_candidates.
for _table, _columns in (
    (match_candidates, ("payment_id", "payment_kind")),
    (match_candidates, ("invoice_number",)),
    (match_allocations, ("payment_id", "payment_kind")),
    (match_allocations, ("invoice_number",)), (match_allocations, ("status", "id")),
    (match_unmatched, ("payment_id", "payment_kind")),
    (match_exceptions, ("payment_id", "payment_kind")), (match_exceptions, ("invoice_number",)),
    (ledger_entries, ("invoice_number",)), (invoices, ("due_date", "id")),
):
    Index(None, *(_table.c[name] for name in _columns))

# -- the web front (migration 0006_web_users) ----------------------------------------------

web_users = Table(
    "web_users", metadata, _id(),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),  # accountant | reviewer | admin
    Column("disabled", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

web_uploads = Table(
    "web_uploads", metadata, _id(),
    Column("sha256", String(64), nullable=False),
    _text("file_name"),  # the name the browser sent: data only, never a path
    Column("size_bytes", BigInteger, nullable=False, server_default=text("0")),
    Column("username", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # a FileOutcome status, or refused
    _text("outcome_json"),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Index(None, "sha256"),
)
