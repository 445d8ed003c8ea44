"""Dunning policy: pure frames in, frames out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from pipeline.dunning import (
    BUCKETS,
    HOLD_COLUMNS,
    aging_bucket,
    aging_by_client,
    assess,
    claim_holds,
    policy_action,
    review_holds,
)
from pipeline.settings import DunningPolicy

AS_OF = dt.date(2026, 3, 15)
POLICY = DunningPolicy()  # lock 3, remind 1, suspend 14, terminate 45, collections 90, hold 7


def invoices(*rows: tuple) -> pd.DataFrame:
    """Rows of (invoice_number, days_overdue, first_invoice[, status])."""
    return pd.DataFrame(
        [(n, d, f, rest[0] if rest else "unpaid") for n, d, f, *rest in rows],
        columns=["invoice_number", "days_overdue", "first_invoice", "status"],
    )


def holds(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=HOLD_COLUMNS)


def actions(frame: pd.DataFrame, policy: DunningPolicy = POLICY) -> dict[str, str]:
    return dict(zip(frame["invoice_number"], policy_action(frame, policy), strict=True))


def tickets(*rows: dict) -> pd.DataFrame:
    base = {"ticket_id": "T1", "invoice_number": "A", "status": "pending",
            "claim_date": dt.date(2026, 3, 12), "claimed_amount": Decimal("1500000.00"),
            "currency": "IDR"}
    return pd.DataFrame([{**base, **row} for row in rows])


@pytest.mark.parametrize(("days", "bucket"), [
    (0, "current"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"),
    (90, "61-90"), (91, "90+"), (400, "90+"),
])
def test_days_overdue_fall_into_aging_buckets(days, bucket):
    assert aging_bucket(pd.Series([days])).tolist() == [bucket]


def test_the_ladder_escalates_remind_suspend_terminate_collections():
    frame = invoices(("due", 0, False), ("r", 1, False), ("r13", 13, False), ("s", 14, False),
                     ("s44", 44, False), ("t", 45, False), ("t89", 89, False),
                     ("c", 90, False))
    assert actions(frame) == {"due": "none", "r": "remind", "r13": "remind", "s": "suspend",
                              "s44": "suspend", "t": "terminate", "t89": "terminate",
                              "c": "collections"}


def test_a_first_invoice_is_locked_after_its_short_grace_until_termination():
    frame = invoices(("d2", 2, True), ("d3", 3, True), ("d20", 20, True), ("d45", 45, True))
    assert actions(frame) == {"d2": "remind", "d3": "lock_first_invoice",
                              "d20": "lock_first_invoice", "d45": "terminate"}


def test_an_invoice_already_in_collections_stays_in_collections():
    assert actions(invoices(("c", 5, False, "collections"))) == {"c": "collections"}


def test_the_policy_days_come_from_settings():
    policy = DunningPolicy(remind_after_days=5, suspend_after_days=7, terminate_after_days=10,
                           collections_after_days=20, first_invoice_lock_after_days=1)
    frame = invoices(("a", 4, False), ("b", 5, False), ("c", 7, False), ("d", 10, False),
                     ("e", 20, False), ("f", 1, True))
    assert actions(frame, policy) == {"a": "none", "b": "remind", "c": "suspend",
                                      "d": "terminate", "e": "collections",
                                      "f": "lock_first_invoice"}


def test_a_hold_replaces_any_escalation_but_not_no_action():
    frame = invoices(("late", 50, False), ("due", 0, False), ("free", 50, False))
    result = assess(frame, holds(("late", "claimed"), ("due", "claimed")), POLICY)
    by_number = result.set_index("invoice_number")
    assert by_number.loc["late", "action"] == "hold"
    assert by_number.loc["late", "hold_reason"] == "claimed"
    assert by_number.loc["due", "action"] == "none"
    assert by_number.loc["due", "hold_reason"] == "claimed"
    assert (by_number.loc["free", "action"], by_number.loc["free", "hold_reason"]) == (
        "terminate", "")
    assert list(result["bucket"]) == ["31-60", "current", "31-60"]


def test_several_hold_reasons_for_one_invoice_are_joined():
    result = assess(invoices(("a", 20, False)), holds(("a", "one"), ("a", "two"), ("a", "one")),
                    POLICY)
    assert result["hold_reason"].tolist() == ["one; two"]


def test_a_pending_ticket_holds_only_inside_the_claim_window():
    frame = tickets({"ticket_id": "in", "invoice_number": "A"},
                    {"ticket_id": "edge", "invoice_number": "B", "claim_date": dt.date(2026, 3, 8)},
                    {"ticket_id": "old", "invoice_number": "C", "claim_date": dt.date(2026, 3, 7)},
                    {"ticket_id": "done", "invoice_number": "D", "status": "verified"},
                    {"ticket_id": "bad", "invoice_number": "E", "status": "rejected"},
                    {"ticket_id": "nodate", "invoice_number": "F", "claim_date": None},
                    {"ticket_id": "noinv", "invoice_number": ""})
    result = claim_holds(frame, as_of=AS_OF, policy=POLICY)
    assert list(result.columns) == HOLD_COLUMNS
    assert result["invoice_number"].tolist() == ["A", "B"]
    assert result["hold_reason"].iloc[0] == (
        "payment claimed by ticket in 1500000.00 IDR on 2026-03-12, awaiting verification")


def test_a_claim_without_an_amount_still_holds():
    result = claim_holds(tickets({"claimed_amount": None}), as_of=AS_OF, policy=POLICY)
    assert result["hold_reason"].tolist() == [
        "payment claimed by ticket T1 on 2026-03-12, awaiting verification"]


def test_a_suggestion_holds_with_its_file_and_amount():
    frame = pd.DataFrame({"invoice_number": ["A"], "source_file": ["bca.csv"],
                          "applied_amount": [Decimal("0.00000012")]})
    assert review_holds(frame)["hold_reason"].tolist() == [
        "payment suggested, awaiting review: bca.csv 0.00000012"]


def test_no_open_invoices_give_an_empty_assessment():
    result = assess(invoices(), holds(), POLICY)
    assert result.empty and {"bucket", "action", "hold_reason"} <= set(result.columns)


def test_aging_by_client_sums_balances_per_bucket_within_one_currency():
    overdue = pd.DataFrame({
        "invoice_number": ["1", "2", "3", "4"], "client_id": ["7", "7", "7", "8"],
        "client_name": ["Ani", "Ani", "Ani", "Bob"], "currency": ["IDR", "IDR", "USD", "USD"],
        "bucket": ["1-30", "1-30", "90+", "current"],
        "balance": [Decimal("100.00"), Decimal("50.00"), Decimal("9.99"), Decimal("1.00")],
    })
    result = aging_by_client(overdue)
    assert list(result.columns) == ["client_id", "client_name", "currency", *BUCKETS,
                                    "balance", "invoices"]
    ani_idr = result.loc[(result["client_id"] == "7") & (result["currency"] == "IDR")].iloc[0]
    assert ani_idr["1-30"] == Decimal("150.00") and ani_idr["balance"] == Decimal("150.00")
    assert ani_idr["90+"] == 0 and ani_idr["invoices"] == 2
    assert len(result) == 3  # Ani IDR, Ani USD, Bob USD: currencies never added


def test_aging_by_client_of_nothing_is_an_empty_table_with_its_columns():
    assert aging_by_client(pd.DataFrame(columns=["client_id", "client_name", "currency",
                                                 "bucket", "balance",
                                                 "invoice_number"])).empty
