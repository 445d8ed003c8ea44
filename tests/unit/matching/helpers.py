"""Small frames for the pass tests: payments and invoices with defaults, and a Work."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.frames import INVOICE_COLUMNS, PAYMENT_COLUMNS
from pipeline.matching import match
from pipeline.matching.work import Work, none
from pipeline.settings import Settings

AS_OF = dt.date(2026, 11, 20)


def invoices(*rows: dict) -> pd.DataFrame:
    base = {"invoice_id": "", "client_id": "7", "client_name": "Rina", "client_email": "",
            "currency": "IDR", "issue_date": dt.date(2026, 10, 1),
            "due_date": dt.date(2026, 10, 15), "status": "Unpaid", "first_invoice": False,
            "group_id": None}
    frame = pd.DataFrame([{**base, **row} for row in rows])
    if "total_minor" not in frame:
        frame["total_minor"] = frame["balance_minor"]
    return frame[INVOICE_COLUMNS]


def payments(*rows: dict) -> pd.DataFrame:
    base = {"payment_kind": "bank", "source_format": "bank-csv", "source_file": "bca.csv",
            "source_ref": None, "source_line": 2, "source_date": dt.date(2026, 11, 2),
            "currency": "IDR", "counterparty": "", "account_id": "0372543386", "text": ""}
    frame = pd.DataFrame([{**base, "payment_id": i + 1, "source_line": i + 2,
                           "money_key": f"bank:0372543386:T{i + 1}", **row}
                          for i, row in enumerate(rows)])
    return frame[PAYMENT_COLUMNS]


def work(pays: pd.DataFrame, invs: pd.DataFrame, settings: Settings | None = None) -> Work:
    return Work(money=pays, invoices=invs, ledger=none([]), settings=settings or Settings(),
                as_of=AS_OF)


def run(pays: pd.DataFrame, invs: pd.DataFrame, settings: Settings | None = None, **kw):
    return match(pays, invs, settings=settings or Settings(), as_of=AS_OF, **kw)


def outcome(result, payment_id: int) -> tuple[str, ...]:
    allocs = result.allocations[result.allocations["payment_id"] == payment_id]
    unmatched = result.unmatched[result.unmatched["payment_id"] == payment_id]
    return tuple(allocs["status"]) + tuple(unmatched["reason"].str.split(":").str[0])
