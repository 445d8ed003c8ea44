"""Finance's rejections kept visible in the report (pure): a pair finance rejected is never
suggested again, but ``matches.csv`` and the workbook still show it, with status
``rejected``, who rejected it and when, for the audit. Nothing is applied by such a row."""

from __future__ import annotations

import pandas as pd

from pipeline.frames import ALLOCATION_COLUMNS


def with_rejected(allocations: pd.DataFrame, ledger: pd.DataFrame | None,
                  payments: pd.DataFrame) -> pd.DataFrame:
    """``allocations`` plus one ``rejected`` row (applied 0) per pair whose latest decision
    in ``ledger`` is a rejection and whose money is among ``payments``."""
    if ledger is None or ledger.empty:
        return allocations
    made = ledger.loc[ledger["entry"] == "decision"].drop_duplicates("match_id", keep="last")
    rejected = made.loc[(made["status"] == "rejected")
                        & ~made["match_id"].isin(allocations["match_id"])]
    if rejected.empty:
        return allocations
    money = payments[["money_key", "payment_kind", "payment_id"]].drop_duplicates("money_key")
    found = rejected.drop(columns="payment_kind").merge(money, on="money_key", how="inner")
    rows = pd.DataFrame({
        "payment_kind": found["payment_kind"], "payment_id": found["payment_id"],
        "invoice_number": found["invoice_number"], "applied_minor": 0,
        "currency": found["currency"], "status": "rejected", "rule": found["rule"],
        "confidence": 0.0,
        "reason": "rejected by " + found["user"].astype(str) + " on "
                  + found["as_of"].astype(str),
        "fee_minor": 0, "match_id": found["match_id"],
    }, columns=ALLOCATION_COLUMNS)
    return pd.concat([allocations, rows], ignore_index=True)
