"""The overdue list: who is a new customer, and which holds stop escalation."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.overdue import first_invoices


def test_the_first_invoice_is_billings_flag_else_the_clients_earliest_invoice():
    invoices = pd.DataFrame({
        "invoice_number": ["12", "11", "13", "20", "30", "31"],
        "client_id": ["1", "1", "1", "2", "3", "3"],
        "issue_date": [dt.date(2026, 3, 1), dt.date(2026, 3, 1), dt.date(2026, 2, 1),
                       dt.date(2026, 1, 5), None, dt.date(2026, 4, 1)],
        "first_invoice": [False, False, False, False, True, False],
    })
    first = dict(zip(invoices["invoice_number"], first_invoices(invoices), strict=True))
    assert first == {"12": False, "11": False, "13": True, "20": True, "30": True, "31": False}
