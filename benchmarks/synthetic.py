"""Deterministic synthetic input files, one writer per registered format (benchmarks only).

Every writer takes a target path and a record count ``n`` and writes a file whose normal
parse yields about ``n`` records, exercising the parser's ordinary path: OFX 1.0.2 SGML with
unclosed leaf tags (a bank and a card statement), camt.053 v02/v08 (two statements, a few
batch entries), MT940 with multi-line ``:86:`` (four statements), an Indonesian bank CSV with
a preamble, Stripe's itemized report, PayPal's activity download, BTCPay's legacy invoice
export (some invoices paid in two payments), WHMCS GetInvoices/GetClients JSON, the
canonical invoices/clients CSVs and payment-confirmation tickets (JSON Lines and CSV).
Same ``n`` -> same bytes. Rows are written as they are generated (no big lists).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from benchmarks.synthetic_bank import write_bank_csv, write_camt053, write_mt940, write_ofx
from benchmarks.synthetic_billing import (
    write_btcpay,
    write_clients_csv,
    write_invoices_csv,
    write_paypal,
    write_stripe,
    write_tickets_csv,
    write_tickets_jsonl,
    write_whmcs_clients,
    write_whmcs_invoices,
)

# --- the benchmark's variants ---------------------------------------------------------------

Writer = Callable[[Path, int], None]
# label -> (registered format it must be detected as, file suffix, writer)
WRITERS: dict[str, tuple[str, str, Writer]] = {
    "ofx": ("ofx", ".ofx", write_ofx),
    "camt053:v02": ("camt053", ".xml", lambda p, n: write_camt053(p, n, version=2)),
    "camt053:v08": ("camt053", ".xml", lambda p, n: write_camt053(p, n, version=8)),
    "mt940": ("mt940", ".sta", write_mt940),
    "bank-csv": ("bank-csv", ".csv", write_bank_csv),
    "stripe": ("stripe", ".csv", write_stripe),
    "paypal": ("paypal", ".csv", write_paypal),
    "btcpay": ("btcpay", ".csv", write_btcpay),
    "whmcs-invoices": ("whmcs-invoices", ".json", write_whmcs_invoices),
    "whmcs-clients": ("whmcs-clients", ".json", write_whmcs_clients),
    "invoices-csv": ("invoices-csv", ".csv", write_invoices_csv),
    "clients-csv": ("clients-csv", ".csv", write_clients_csv),
    "tickets-jsonl": ("tickets-jsonl", ".jsonl", write_tickets_jsonl),
    "tickets-csv": ("tickets-csv", ".csv", write_tickets_csv),
}
