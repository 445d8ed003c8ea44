"""Dunning policy: pure frames in, frames out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from pipeline.dunning import (
    BUCKETS,
    HOLD_COLUMNS,
    action_reason,
    aging_bucket,
    aging_by_client,
    assess,
    claim_holds,
    partial_holds,
    policy_action,
    review_holds,
    sorted_groups,
)
from pipeline.report_values import text_ranks
from pipeline.settings import DunningPolicy

AS_OF = dt.date(2026, 3, 15)
POLICY = DunningPolicy()  # remind 1 and 7, lock 3, suspend 14, terminate 45, final 75,
# collections 90, holds 7


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


@pytest.mark.parametrize(("days", "action"), [
    (0, "none"), (1, "remind"), (13, "remind"), (14, "suspend"), (44, "suspend"),
    (45, "terminate"), (74, "terminate"), (75, "final_reminder"), (89, "final_reminder"),
    (90, "collections"), (400, "collections"),
])
def test_the_ladder_straddles_every_threshold(days, action):
    assert actions(invoices(("x", days, False))) == {"x": action}


@pytest.mark.parametrize(("days", "action"), [
    (1, "remind"), (2, "remind"), (3, "lock"), (44, "lock"), (45, "terminate"),
])
def test_a_first_invoice_is_locked_after_its_short_grace_until_termination(days, action):
    assert actions(invoices(("x", days, True))) == {"x": action}


def test_an_invoice_already_in_collections_stays_in_collections():
    assert actions(invoices(("c", 5, False, "collections"))) == {"c": "collections"}


def test_the_policy_days_come_from_settings():
    policy = DunningPolicy(reminder_days=[5, 6], suspend_after_days=7, terminate_after_days=10,
                           final_reminder_after_days=15, collections_after_days=20,
                           first_invoice_lock_after_days=1)
    frame = invoices(("a", 4, False), ("b", 5, False), ("c", 7, False), ("d", 10, False),
                     ("e", 15, False), ("f", 20, False), ("g", 1, True))
    assert actions(frame, policy) == {"a": "none", "b": "remind", "c": "suspend",
                                      "d": "terminate", "e": "final_reminder",
                                      "f": "collections", "g": "lock"}


def test_the_older_single_reminder_key_still_works():
    assert DunningPolicy(remind_after_days=5).reminder_days == [5]


def test_the_reason_names_the_reminder_and_the_next_step_in_words():
    frame = invoices(("r1", 3, False), ("r2", 8, False), ("s", 31, False), ("l", 4, True),
                     ("due", 0, False), ("f", 80, False))
    why = dict(zip(frame["invoice_number"],
                   action_reason(frame, policy_action(frame, POLICY), POLICY), strict=True))
    assert why["r1"] == "3 days past due; reminder 1 of 2 (days 1, 7)"
    assert why["r2"] == "8 days past due; reminder 2 of 2 (days 1, 7)"
    assert why["s"] == "31 days past due; suspend from day 14, terminate from day 45"
    assert why["l"].startswith("4 days past due; a new customer's first invoice: lock services")
    assert why["due"] == "not yet due"
    assert why["f"] == "80 days past due; send the final reminder: collections from day 90"


def test_the_list_is_ordered_by_what_operations_must_do_first():
    frame = invoices(("remind", 3, False), ("coll", 95, False), ("none", 0, False),
                     ("susp", 20, False), ("held", 30, False), ("term", 50, False))
    result = assess(frame, holds(("held", "claimed")), POLICY)
    assert result["invoice_number"].tolist() == ["coll", "term", "susp", "remind", "held",
                                                 "none"]
    held = result.set_index("invoice_number").loc["held"]
    assert (held["action"], held["held_action"], held["why"]) == ("hold", "suspend", "claimed")


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
    assert by_number["bucket"].to_dict() == {"late": "31-60", "due": "current", "free": "31-60"}


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
        "The customer says they paid IDR 1,500,000.00 on 12 Mar 2026 (ticket in); not yet seen "
        "in the bank")


def test_a_claim_without_an_amount_still_holds():
    result = claim_holds(tickets({"claimed_amount": None}), as_of=AS_OF, policy=POLICY)
    assert result["hold_reason"].tolist() == [
        "The customer says they paid on 12 Mar 2026 (ticket T1); not yet seen in the bank"]


def test_money_awaiting_review_holds_with_its_amount_day_and_file():
    frame = pd.DataFrame({"invoice_number": ["A"], "source_file": ["bca.csv"],
                          "source_date": [dt.date(2026, 3, 12)],
                          "source_amount": [Decimal("0.00000012")], "currency": ["BTC"]})
    assert review_holds(frame)["hold_reason"].tolist() == [
        "A payment of BTC 0.00000012 received on 12 Mar 2026 (bca.csv) may pay this invoice "
        "and awaits review"]


def test_a_recent_partial_payment_holds_and_an_old_one_does_not():
    applied = pd.DataFrame({"invoice_number": ["new", "old", "later"],
                            "source_date": [dt.date(2026, 3, 10), dt.date(2026, 3, 1),
                                            dt.date(2026, 3, 20)],
                            "applied_amount": [Decimal("200000.00")] * 3,
                            "currency": ["IDR"] * 3})
    result = partial_holds(applied, as_of=AS_OF, policy=POLICY)
    assert result["invoice_number"].tolist() == ["new"]
    assert result["hold_reason"].iloc[0] == (
        "A partial payment of IDR 200,000.00 arrived on 10 Mar 2026; holding until 17 Mar 2026 "
        "for the rest")


def test_no_open_invoices_give_an_empty_assessment():
    result = assess(invoices(), holds(), POLICY)
    assert result.empty and {"bucket", "action", "hold_reason"} <= set(result.columns)


def test_aging_by_client_sums_balances_per_bucket_within_one_currency():
    overdue = pd.DataFrame({
        "invoice_number": ["1", "2", "3", "4", "5"], "client_id": ["7", "7", "7", "10", "9"],
        "client_name": ["Ani", "Ani", "Ani", "Bob", "Cy"],
        "currency": ["IDR", "IDR", "USD", "USD", "USD"],
        "bucket": ["1-30", "1-30", "90+", "current", "1-30"],
        "action": ["remind", "suspend", "collections", "none", "hold"],
        "balance": [Decimal("100.00"), Decimal("50.00"), Decimal("9.99"), Decimal("1.00"),
                    Decimal("2.00")],
    })
    result = aging_by_client(overdue)
    assert list(result.columns) == ["client_id", "client_name", "currency", "action", *BUCKETS,
                                    "balance", "invoices"]
    ani_idr = result.loc[(result["client_id"] == "7") & (result["currency"] == "IDR")].iloc[0]
    assert ani_idr["1-30"] == Decimal("150.00") and ani_idr["balance"] == Decimal("150.00")
    assert ani_idr["90+"] == 0 and ani_idr["invoices"] == 2
    assert ani_idr["action"] == "suspend", "the client's most urgent action"
    assert result["client_id"].tolist() == ["7", "7", "9", "10"], "numeric order, not text"


def test_aging_by_client_of_nothing_is_an_empty_table_with_its_columns():
    assert aging_by_client(pd.DataFrame(columns=["client_id", "client_name", "currency",
                                                 "bucket", "balance",
                                                 "invoice_number"])).empty


def test_sorted_groups_number_the_keys_as_a_sorted_groupby_does():
    keys = pd.DataFrame({
        "client_id": ["10", "9", "10", "b", None, "9", "a\x00", "a"],
        "client_name": ["Zed", "Amy", "Abe", "Bo", "Cy", "Amy", "Di", "Di"],
        "currency": ["IDR", "USD", "IDR", "IDR", "IDR", "IDR", "USD", "USD"]})
    expected = keys.groupby(list(keys), sort=True).ngroup().fillna(-1).astype(int).to_numpy()
    assert list(sorted_groups(keys)) == list(expected)
    assert list(sorted_groups(keys.astype("str"))) == list(expected)


def test_invoices_of_equal_urgency_and_days_are_ordered_by_number_as_text():
    frame = invoices(("b10", 3, False), ("b9", 3, False), ("B1", 3, False), ("a", 3, False),
                     ("b9", 3, False), ("c", 40, False))
    result = assess(frame, holds(), POLICY)
    expected = frame.assign(urgency=0).sort_values("invoice_number", kind="stable")
    assert result["invoice_number"].tolist() == ["c", *[n for n in expected["invoice_number"]
                                                        if n != "c"]]
    assert list(result.index[1:]) == [2, 3, 0, 1, 4]  # equal numbers keep their order


def test_text_ranks_order_texts_as_sorting_them_would_and_refuse_other_values():
    texts = pd.Series(["b", "a", "B", "ä", "a", ""])
    ranks = text_ranks(texts)
    assert texts.iloc[ranks.argsort(kind="stable")].tolist() == sorted(texts)
    assert text_ranks(pd.Series(["a", None])) is None
    assert text_ranks(pd.Series([2, 1])) is None
