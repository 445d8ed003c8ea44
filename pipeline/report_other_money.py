"""Report tables beside the matches: payouts with the engine's outcome, money that is not a
customer's (``other_money.csv``), and statement gaps as exception rows. Frames and value
conventions as in :mod:`pipeline.reporting`."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.report_values import money, optional_date, optional_int, optional_text
from pipeline.statement_gaps import statement_gaps

SOURCE_OUT = ["source_kind", "source_format", "source_file", "source_ref", "source_line",
              "source_date"]
OTHER_MONEY_OUT = [*SOURCE_OUT, "amount", "currency", "kind", "detail"]


def known_payouts(payouts: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The payouts made on or before the as-of date (all when their date is not known), with
    ``amount_minor`` what reaches the bank (negative when the gateway took money back)."""
    if "net_minor" in payouts:
        payouts = payouts.assign(amount_minor=-payouts["net_minor"])
    if "payout_date" not in payouts:
        return payouts
    day = pd.to_datetime(payouts["payout_date"])
    return payouts[day.isna() | (day <= pd.Timestamp(as_of))]


def with_outcomes(payouts: pd.DataFrame, outcomes: pd.DataFrame | None) -> pd.DataFrame:
    """Payouts with the engine's ``status`` and bank line (``bank_payment_id``)."""
    if outcomes is None or outcomes.empty:
        return payouts
    found = outcomes.drop_duplicates(["gateway", "payout_id"], keep="last").rename(
        columns={"payment_id": "bank_payment_id"})[["gateway", "payout_id", "status",
                                                    "bank_payment_id"]]
    return payouts.drop(columns=["status", "bank_payment_id"], errors="ignore").merge(
        found, on=["gateway", "payout_id"], how="left", validate="many_to_one")


def with_non_payments(payments: pd.DataFrame, debits: pd.DataFrame | None) -> pd.DataFrame:
    """``payments`` plus the outgoing bank lines (other money points at those too)."""
    if debits is None or debits.empty:
        return payments
    return pd.concat([payments, debits], ignore_index=True)


def other_money_frame(other: pd.DataFrame, source_columns: dict) -> pd.DataFrame:
    """OTHER_MONEY_OUT from the engine's other money joined to its records
    (``source_amount_minor``, ``source_currency``) and their ``source_columns``."""
    return pd.DataFrame({
        **source_columns,
        "amount": money(other["source_amount_minor"], other["source_currency"]),
        "currency": optional_text(other["source_currency"]), "kind": other["kind"],
        "detail": other["detail"],
    }, columns=OTHER_MONEY_OUT)


def gap_exceptions(balances: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    """Statement gaps (:mod:`pipeline.statement_gaps`) as exception rows (``columns``)."""
    gaps = statement_gaps(balances)
    return pd.DataFrame({
        "kind": gaps["kind"], "source_kind": "bank",
        **{name: optional_text(gaps[name])
           for name in ("source_format", "source_file", "source_ref")},
        "source_line": optional_int(gaps["source_line"]),
        "source_date": optional_date(gaps["source_date"]), "invoice_number": None,
        "amount": money(gaps["amount_minor"], gaps["currency"]),
        "currency": gaps["currency"], "detail": gaps["detail"],
    }, columns=columns)
