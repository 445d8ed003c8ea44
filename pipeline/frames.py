"""Column contracts of the DataFrames that pass between store, engine and reports.

Amounts are ``int64`` minor units (``*_minor``), dates are ``datetime.date`` objects
(object dtype), text is ``str`` ('' rather than missing). ``empty(COLUMNS)`` builds an
empty frame with the right columns.
"""

from __future__ import annotations

import pandas as pd

SOURCE_COLUMNS = ["source_format", "source_file", "source_ref", "source_line"]

INVOICE_COLUMNS = [
    "invoice_number", "invoice_id", "client_id", "client_name", "client_email", "currency",
    "issue_date", "due_date", "total_minor", "balance_minor", "status", "first_invoice",
    "group_id",
]

CLIENT_COLUMNS = ["client_id", "name", "company", "email", "created_at"]

# Money that came in and may pay invoices: bank credits and gateway charges.
PAYMENT_COLUMNS = [
    "payment_kind",  # bank | gateway
    "payment_id",  # store id, unique within payment_kind
    *SOURCE_COLUMNS,
    "source_date", "amount_minor", "currency",
    "text",  # memo/description/metadata joined: where invoice references are looked for
    "counterparty", "account_id",
    "money_key",  # the money's identity across runs: kind:account-or-gateway:natural key
]

ALLOCATION_COLUMNS = [
    "payment_kind", "payment_id", "invoice_number", "applied_minor", "currency",
    "status",  # auto | suggested | confirmed | rejected
    "rule", "confidence", "reason",
    "fee_minor",  # a fee deducted on the way that settles the rest of the invoice (0 else)
    "match_id",  # stable id of the (money, invoice) pair, see pipeline.matching.ledger
]

UNMATCHED_COLUMNS = ["payment_kind", "payment_id", "reason"]

EXCEPTION_COLUMNS = [
    "kind", "payment_kind", "payment_id", "invoice_number", "amount_minor", "currency", "detail",
]

# Reversed money: refunds and disputes (chargebacks) of gateway charges.
REVERSAL_COLUMNS = [
    "money_key",  # the reversal's own identity
    "reverses",  # money_key of the charge it reverses
    "kind",  # refund | chargeback
    "amount_minor", "currency", "source_date",
]

# The persistent allocation ledger (append-only). ``entry``: allocation | reversal | credit |
# decision; ``status``: auto | confirmed (allocation), reversed (reversal), credit,
# confirmed | rejected (decision). Amounts of a reversal are negative.
LEDGER_COLUMNS = [
    "match_id", "entry", "status", "money_key", "payment_kind", "invoice_number",
    "applied_minor", "fee_minor", "currency", "rule", "reason", "source_date", "as_of", "user",
    "evidence",  # what made the entry: a reversal's money_key; empty otherwise
]

REJECT_COLUMNS = [*SOURCE_COLUMNS, "reason", "raw"]

TICKET_COLUMNS = [
    "ticket_id", *SOURCE_COLUMNS, "created_date", "invoice_number", "claimed_amount_minor",
    "currency", "claimed_date", "account_holder", "destination_account",
    "claimed_amount_alt_minor",  # the typed amount's other reading (None unless it has two)
    "channel",  # ticket | email
    "name", "email", "client_id",  # who sent the claim (helpdesk user / e-mail From)
]

# ``amount_minor`` = |the payout's own net|; ``payout_date``: when the gateway paid it out;
# ``items_net_minor``: the sum of the net of its linked items (0 when none are linked);
# ``net_minor``: the payout record's own net, signed (negative: money sent to the bank).
PAYOUT_COLUMNS = ["gateway", "payout_id", "currency", "amount_minor", "item_count",
                  "payout_date", "items_net_minor", "net_minor"]

# What the engine concluded about each ticket/e-mail claim (one row per ticket).
# ``status``: verified | pending | claimed_not_received | rejected; the bank line that
# verifies it (``payment_kind``/``payment_id``, empty/None when none); the invoice it lends
# that line; ``detail`` in words (a typo corrected, a duplicate of ticket X, ...).
TICKET_OUTCOME_COLUMNS = ["ticket_id", "status", "payment_kind", "payment_id", "invoice_number",
                          "detail"]

# What the engine concluded about each gateway payout: ``status`` verified | unverified |
# mismatch, and the bank line that carries it (``payment_kind``/``payment_id``).
PAYOUT_OUTCOME_COLUMNS = ["gateway", "payout_id", "status", "payment_kind", "payment_id",
                          "detail"]

# Money that is not a customer's payment (DESIGN.md other_money.csv): the record
# (``payment_kind``/``payment_id``: a bank line's or gateway row's store id) and its ``kind``
# payout | fee | interest | outgoing | other, with ``detail`` in words.
OTHER_MONEY_COLUMNS = ["payment_kind", "payment_id", "kind", "detail"]

# What the engine's passes considered per money line (pipeline.matching.considered): each
# candidate invoice, the pass and rule that looked at it, ``outcome`` taken | suggested |
# dropped, and ``reason`` in words. An addition to the result: no export reads it.
CANDIDATE_COLUMNS = ["payment_kind", "payment_id", "invoice_number", "pass_name", "rule",
                     "outcome", "reason"]


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
