"""Ledger arithmetic, in one place: what is applied to an invoice, what is left open, what
becomes client credit, what a reversal gives back, and the stable ``match_id`` of a pair.

The ledger is append-only: an allocation is never edited, a reversal is a new entry with the
negative amount. An allocation counts (is *standing*) while its entries sum to more than zero.
"""

from __future__ import annotations

import hashlib

import pandas as pd

APPLYING = ("auto", "confirmed")


def match_id(money_key: str, invoice_number: str) -> str:
    """Stable id of a (money record, invoice) pair: the same every night and in every store."""
    digest = hashlib.sha256(f"{money_key}\x1f{invoice_number}".encode()).hexdigest()
    return "m" + digest[:16]


def match_ids(money_keys: pd.Series, invoice_numbers: pd.Series) -> pd.Series:
    """:func:`match_id` over two aligned columns."""
    pairs = zip(money_keys.astype(str), invoice_numbers.astype(str), strict=True)
    return pd.Series([match_id(k, n) for k, n in pairs], index=money_keys.index, dtype=object)


def applied_now(allocations: pd.DataFrame) -> pd.Series:
    """Minor units applied per invoice by the applying (auto/confirmed) rows of ``allocations``."""
    if allocations.empty:
        return pd.Series(dtype="int64")
    applying = allocations[allocations["status"].isin(APPLYING)]
    return applying.groupby("invoice_number")["applied_minor"].sum().astype("int64")


def reduce_balances(invoices: pd.DataFrame, applied: pd.Series) -> pd.DataFrame:
    """Invoices with ``applied`` (per invoice number) taken off their balance, never below 0."""
    if applied.empty:
        return invoices
    taken = invoices["invoice_number"].map(applied).fillna(0).astype("int64")
    return invoices.assign(balance_minor=(invoices["balance_minor"] - taken).clip(lower=0))


def open_balance(total: pd.Series, billing_balance: pd.Series,
                 ledger_applied: pd.Series) -> pd.Series:
    """What is still open on an invoice: billing's balance, but never more than its total
    less what the ledger applied (billing may or may not show our allocation yet: both
    read the same), never below zero."""
    after_ledger = (total - ledger_applied).clip(lower=0)
    return billing_balance.where(billing_balance < after_ledger, after_ledger).clip(lower=0)


def split_overpayment(amount: pd.Series, balance: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(applied, credit): an amount applies up to the balance; the excess is client credit."""
    applied = amount.where(amount < balance, balance)
    return applied, amount - applied


def tolerance_minor(money: pd.DataFrame, balance: pd.Series, setting) -> pd.Series:  # noqa: ANN001
    """Per row of ``money`` (``payment_kind``, ``currency``): how many minor units less than
    ``balance`` still settle the invoice (``fee_tolerance``: fixed + percent of the balance,
    in integers: the percent counts to 1/10,000 of a percent, rounded down)."""
    from pipeline.money import to_minor
    from pipeline.settings import fee_tolerance_for

    pairs = money[["payment_kind", "currency"]].astype(str).drop_duplicates()
    rules = [fee_tolerance_for(setting, kind, currency)  # a few (channel, currency) pairs
             for kind, currency in pairs.itertuples(index=False)]
    pairs = pairs.assign(
        fixed=[to_minor(r.fixed, cur) for r, cur in zip(rules, pairs["currency"], strict=True)],
        per_million=[int(r.percent * 10_000) for r in rules])
    keyed = money[["payment_kind", "currency"]].astype(str).merge(
        pairs, on=["payment_kind", "currency"], how="left")
    fixed = pd.Series(keyed["fixed"].to_numpy(), index=money.index).astype("int64")
    per_million = pd.Series(keyed["per_million"].to_numpy(), index=money.index).astype("int64")
    return fixed + balance.astype("int64") * per_million // 1_000_000
