"""The ledger entries one run adds: its new automatic allocations, the client credit of its
overpayments, and its reversals. Nothing already in the ledger is added again."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.frames import LEDGER_COLUMNS, empty
from pipeline.matching.ledger import match_ids

ENGINE_USER = "payrecon"


def with_money_keys(payments: pd.DataFrame) -> pd.DataFrame:
    """Payments with a ``money_key``: the store's (kind, account or gateway, natural key);
    where a frame has none, kind + file + line, else kind + id."""
    if "money_key" in payments and payments["money_key"].fillna("").astype(str).ne("").all():
        return payments
    kind = payments["payment_kind"].astype(str)
    line = payments["source_line"].astype(object).where(payments["source_line"].notna(), None)
    fallback = (kind + ":" + payments["source_file"].astype(str) + ":"
                + line.astype(str).where(line.notna(), "id" + payments["payment_id"].astype(str)))
    given = payments.get("money_key", pd.Series("", index=payments.index)).fillna("").astype(str)
    return payments.assign(money_key=given.where(given != "", fallback))


def new_entries(allocations: pd.DataFrame, exceptions: pd.DataFrame, reversals: pd.DataFrame,
                payments: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """LEDGER_COLUMNS rows for this run's new auto allocations, credits and reversals."""
    remembered = allocations.get("remembered", pd.Series(False, index=allocations.index))
    new = allocations[(allocations["status"] == "auto") & ~remembered.fillna(False).astype(bool)]
    parts = [new.assign(entry="allocation", evidence="")]
    over = exceptions[(exceptions["kind"] == "overpayment")
                      & exceptions["row"].isin(set(new["row"]))]
    if len(over):
        money = payments.loc[over["row"]]
        parts.append(pd.DataFrame({
            "match_id": match_ids(money["money_key"].set_axis(over.index), over["invoice_number"]),
            "entry": "credit", "status": "credit", "money_key": money["money_key"].to_numpy(),
            "payment_kind": money["payment_kind"].to_numpy(),
            "invoice_number": over["invoice_number"], "applied_minor": over["amount_minor"],
            "fee_minor": 0, "currency": over["currency"], "rule": "overpayment",
            "reason": over["detail"], "source_date": money["source_date"].to_numpy(),
            "evidence": ""}))
    if len(reversals):
        parts.append(reversals)
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty(LEDGER_COLUMNS)
    entries = pd.concat(parts, ignore_index=True).assign(as_of=as_of, user=ENGINE_USER)
    entries["fee_minor"] = entries["fee_minor"].fillna(0).astype("int64")
    entries["applied_minor"] = entries["applied_minor"].astype("int64")
    return entries[LEDGER_COLUMNS].reset_index(drop=True)
