"""Domain records: frozen pydantic models, amounts in integer minor units.

Every record that comes from an input file carries a :class:`Origin` (file name, sha256,
physical line, natural key). Records are immutable: change one with ``model_copy(update=...)``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.money import normalize_currency


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Origin(Record):
    """Where a record came from: names an input record the same way in every export."""

    source_file: str  # base name as uploaded
    source_sha256: str
    source_format: str
    source_line: int | None = None  # 1-based physical line for line-based formats
    source_ref: str | None = None  # natural key as the source states it, when it has one


class MoneyRecord(Record):
    currency: str

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: str) -> str:
        return normalize_currency(value)


class InvoiceStatus(StrEnum):
    UNPAID = "Unpaid"
    OVERDUE = "Overdue"
    PAID = "Paid"
    CANCELLED = "Cancelled"
    REFUNDED = "Refunded"
    COLLECTIONS = "Collections"
    PAYMENT_PENDING = "Payment Pending"
    DRAFT = "Draft"


OPEN_INVOICE_STATUSES = frozenset(
    {InvoiceStatus.UNPAID, InvoiceStatus.OVERDUE, InvoiceStatus.PAYMENT_PENDING,
     InvoiceStatus.COLLECTIONS}
)


class Invoice(MoneyRecord):
    invoice_number: str  # WHMCS invoicenum when set, else the invoiceid
    invoice_id: str | None = None  # WHMCS numeric invoiceid, when it differs from the number
    client_id: str
    client_name: str = ""
    client_email: str = ""
    issue_date: dt.date
    due_date: dt.date
    total_minor: int
    balance_minor: int
    status: InvoiceStatus
    first_invoice: bool = False
    group_id: str | None = None
    origin: Origin


class Client(Record):
    client_id: str
    name: str = ""
    company: str = ""
    email: str = ""
    created_at: dt.date | None = None
    origin: Origin


class BankTransaction(MoneyRecord):
    """One line of a bank statement. ``amount_minor`` is signed: credits (money in) > 0."""

    account_id: str  # account number/IBAN as the statement names it ('' when absent)
    natural_key: str  # FITID / AcctSvcrRef / bank ref, else row hash + occurrence
    booking_date: dt.date
    value_date: dt.date | None = None
    amount_minor: int
    description: str = ""
    counterparty_name: str = ""
    counterparty_account: str = ""
    origin: Origin


class GatewayKind(StrEnum):
    CHARGE = "charge"
    REFUND = "refund"
    DISPUTE = "dispute"
    FEE = "fee"
    PAYOUT = "payout"
    ADJUSTMENT = "adjustment"
    OTHER = "other"


class GatewayTransaction(MoneyRecord):
    """A Stripe/PayPal/crypto processor transaction; gross, fee and net kept (net = gross - fee)."""

    gateway: str  # stripe | paypal | btcpay ...
    transaction_id: str
    kind: GatewayKind
    created_date: dt.date
    gross_minor: int
    fee_minor: int = 0
    net_minor: int
    status: str = ""
    customer_name: str = ""
    customer_email: str = ""
    description: str = ""
    invoice_ref: str = ""  # invoice reference from metadata, when the gateway carries one
    related_id: str = ""  # the charge a refund/dispute belongs to
    payout_id: str = ""
    metadata: dict[str, str] = Field(default_factory=dict)
    origin: Origin


class Ticket(Record):
    """A customer's payment-confirmation ticket: a claim, not money."""

    ticket_id: str
    created_date: dt.date
    name: str = ""
    email: str = ""
    client_id: str = ""
    subject: str = ""
    message: str = ""
    invoice_number: str = ""  # as claimed
    destination_bank: str = ""
    destination_account: str = ""
    claimed_amount_minor: int | None = None  # the typed amount's first (or only) reading
    claimed_amount_alt_minor: int | None = None  # its other reading, when it has two
    currency: str | None = None
    claimed_date: dt.date | None = None
    account_holder: str = ""
    channel: Literal["ticket", "email"] = "ticket"  # a helpdesk ticket or an e-mail
    origin: Origin


class StatementBalance(MoneyRecord):
    """Opening/closing balance a statement states, for the opening + movements = closing check."""

    account_id: str
    kind: Literal["opening", "closing"]
    date: dt.date | None = None
    amount_minor: int
    origin: Origin


class Reject(Record):
    """An input row (or file) that could not be read; nothing is dropped silently."""

    source_file: str
    source_sha256: str = ""
    source_format: str = ""
    source_line: int | None = None
    source_ref: str | None = None  # natural key or element path, when known
    reason: str
    raw: str = ""


class AllocationStatus(StrEnum):
    AUTO = "auto"
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Allocation(MoneyRecord):
    """Money from one payment applied (or proposed) to one invoice."""

    payment_kind: Literal["bank", "gateway", "ticket"]
    payment_id: int  # store id of the bank/gateway record
    invoice_number: str
    applied_minor: int
    status: AllocationStatus
    rule: str
    confidence: float = Field(ge=0, le=1)
    reason: str


InputRecord = Invoice | Client | BankTransaction | GatewayTransaction | Ticket | StatementBalance
