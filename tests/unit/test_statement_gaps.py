"""Statement continuity: consecutive statements of one account must join up."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.statement_gaps import statement_gaps

ACCOUNT = "1230004567890"


def balance(kind: str, day: int, amount: int, statement: str, line: int,
            file: str = "mandiri.sta") -> dict:
    return {"account_id": ACCOUNT, "kind": kind, "date": dt.date(2026, 11, day),
            "amount_minor": amount, "currency": "IDR", "source_format": "mt940",
            "source_file": file,
            "source_ref": f"{statement}:{'60F' if kind == 'opening' else '62F'}",
            "source_line": line}


def balances(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def test_two_statements_with_a_missing_day_between_them_raise_a_statement_gap():
    gaps = statement_gaps(balances(
        balance("opening", 1, 100, "S1", 5), balance("closing", 7, 200, "S1", 40),
        balance("opening", 9, 200, "S2", 45), balance("closing", 14, 300, "S2", 80)))
    assert gaps["kind"].tolist() == ["statement_gap"]
    assert gaps["source_ref"].tolist() == ["S2:60F"]
    assert "1 day(s) missing (2026-11-08 to 2026-11-08)" in gaps["detail"].iloc[0]


def test_statements_that_join_up_day_after_day_raise_nothing():
    gaps = statement_gaps(balances(
        balance("opening", 1, 100, "S1", 5), balance("closing", 7, 200, "S1", 40),
        balance("opening", 8, 200, "S2", 45), balance("closing", 14, 300, "S2", 80)))
    assert gaps.empty


def test_an_opening_balance_that_differs_from_the_closing_before_it_is_a_statement_gap():
    gaps = statement_gaps(balances(
        balance("opening", 1, 100, "S1", 5), balance("closing", 7, 200, "S1", 40),
        balance("opening", 8, 250, "S2", 45), balance("closing", 14, 300, "S2", 80)))
    assert gaps["amount_minor"].tolist() == [50]


def test_statements_in_two_files_are_put_in_date_order_before_they_are_compared():
    gaps = statement_gaps(balances(
        balance("opening", 8, 200, "S2", 2, file="week2.sta"),
        balance("closing", 14, 300, "S2", 9, file="week2.sta"),
        balance("opening", 1, 100, "S1", 2, file="week1.sta"),
        balance("closing", 7, 200, "S1", 9, file="week1.sta")))
    assert gaps.empty


def test_an_account_with_only_a_closing_balance_has_nothing_to_compare():
    assert statement_gaps(balances(balance("closing", 30, 100, "S1", 9))).empty
