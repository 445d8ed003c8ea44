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


def test_a_clients_earliest_invoice_among_equal_issue_days_is_its_lowest_number_as_text():
    frame = pd.DataFrame({"invoice_number": ["b9", "b10", "a2", "a10"],
                          "client_id": ["1", "1", "2", "2"],
                          "issue_date": [dt.date(2026, 1, 1)] * 4,
                          "first_invoice": [False] * 4})
    assert first_invoices(frame).tolist() == [False, True, False, True]
