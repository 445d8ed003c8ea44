"""Ledger arithmetic, in one place: what is applied to an invoice, what is left open, what
becomes client credit, what a reversal gives back, and the stable ``match_id`` of a pair.

The ledger is append-only: an allocation is never edited, a reversal is a new entry with the
negative amount. An allocation counts (is *standing*) while its entries sum to more than zero.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

APPLYING = ("auto", "confirmed")


def match_id(money_key: str, invoice_number: str) -> str:
    """Stable id of a (money record, invoice) pair: the same every night and in every store."""
    digest = hashlib.sha256(f"{money_key}\x1f{invoice_number}".encode()).hexdigest()
    return "m" + digest[:16]


def match_ids(money_keys: pd.Series, invoice_numbers: pd.Series) -> pd.Series:
    """:func:`match_id` over two aligned columns: the same ids, one SHA-256 per pair.

    The ids are stored in the ledger and named in workbooks, so the scheme stays; what is
    saved is pandas' per-element access (the columns go to plain lists first) and a Python
    call per pair. Only a run's allocations are hashed, never all history."""
    sha = hashlib.sha256
    pairs = zip(money_keys.astype(str).tolist(), invoice_numbers.astype(str).tolist(),
                strict=True)
    return pd.Series(["m" + sha(f"{key}\x1f{number}".encode()).hexdigest()[:16]
                      for key, number in pairs], index=money_keys.index, dtype=object)


def applied_now(allocations: pd.DataFrame) -> pd.Series:
    """Minor units applied per invoice by the applying (auto/confirmed) rows of ``allocations``."""
    if allocations.empty:
        return pd.Series(dtype="int64")
    applying = allocations[allocations["status"].isin(APPLYING)]
    taken = applying["applied_minor"].astype("int64")
    if "fee_minor" in applying:
        taken = taken + applying["fee_minor"].fillna(0).astype("int64")
    return taken.groupby(applying["invoice_number"], sort=False).sum().astype("int64")


def reduce_balances(invoices: pd.DataFrame, applied: pd.Series) -> pd.DataFrame:
    """Invoices with ``applied`` (per invoice number) taken off their balance, never below 0."""
    if applied.empty:
        return invoices
    taken = invoices["invoice_number"].map(applied).fillna(0).astype("int64")
    return invoices.assign(balance_minor=(invoices["balance_minor"] - taken).clip(lower=0))


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


def considered(ledger: pd.DataFrame, as_of) -> pd.DataFrame:  # noqa: ANN001
    """The entries a run as of ``as_of`` sees: those for money dated on or before it."""
    if ledger is None or ledger.empty:
        from pipeline.frames import LEDGER_COLUMNS, empty

        return empty(LEDGER_COLUMNS)
    return ledger[pd.to_datetime(ledger["source_date"]) <= pd.Timestamp(as_of)]


def standing(ledger: pd.DataFrame) -> pd.DataFrame:
    """Allocations that still count: each allocation entry with its reversals netted
    (``applied_minor`` = what is still applied), kept while more than zero is applied."""
    moves = ledger[ledger["entry"].isin(["allocation", "reversal"])]
    if moves.empty:
        return ledger[ledger["entry"] == "allocation"].iloc[0:0]
    if not (moves["entry"] == "reversal").any() and not moves["match_id"].duplicated().any():
        return moves[moves["applied_minor"] > 0].reset_index(drop=True)  # nothing to net
    net = moves.groupby("match_id")[["applied_minor", "fee_minor"]].sum()
    first = moves[moves["entry"] == "allocation"].drop_duplicates("match_id").set_index(
        "match_id")
    first = first.assign(applied_minor=net["applied_minor"].reindex(first.index),
                         fee_minor=net["fee_minor"].reindex(first.index))
    return first[first["applied_minor"] > 0].reset_index()


def decisions(ledger: pd.DataFrame) -> pd.Series:
    """match_id -> the latest finance decision (``confirmed`` or ``rejected``)."""
    made = ledger[ledger["entry"] == "decision"]
    return made.drop_duplicates("match_id", keep="last").set_index("match_id")["status"]


def invoices_after_ledger(invoices: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """Invoices with ``balance_minor`` = still open after the ledger.

    Billing may or may not show our allocations yet, so both readings must agree: what is
    open is at most the total less what the ledger still applies (applied + fee), and at most
    billing's balance plus what the ledger took back (reversals billing may not know of).
    An invoice billing shows Paid that a reversal reopened is open (``Unpaid``) again."""
    moves = ledger[ledger["entry"].isin(["allocation", "reversal"])] if len(ledger) else ledger
    if moves.empty:
        return invoices
    taken = moves["applied_minor"].astype("int64") + moves["fee_minor"].fillna(0).astype("int64")
    back = -taken.where(moves["entry"] == "reversal", 0)
    applied, reversed_ = per_invoice(invoices["invoice_number"], moves["invoice_number"],
                                     taken, back)
    total = invoices["total_minor"].astype("int64")
    billing = invoices["balance_minor"].astype("int64")
    if "status" in invoices:
        billing = billing.where(invoices["status"] != "Paid", 0)
    balance = (billing + reversed_).where(billing + reversed_ < total - applied, total - applied)
    balance = balance.clip(lower=0)
    reopened = (invoices["status"] == "Paid") & (reversed_ > 0) & (balance > 0)
    return invoices.assign(balance_minor=balance,
                           status=invoices["status"].where(~reopened, "Unpaid"))


def per_invoice(numbers: pd.Series, keys: pd.Series, *values: pd.Series) -> list[pd.Series]:
    """Per row of ``numbers`` (invoice numbers), for each of ``values``: the sum of the values
    whose ``keys`` name that invoice (0 when none), by integer codes (the numbers hashed
    once, no group-by sorting strings)."""
    codes, unique = pd.factorize(numbers)
    at = pd.Index(unique).get_indexer(keys)
    known = at >= 0
    sums = []
    for value in values:
        per_code = np.zeros(len(unique), dtype="int64")
        np.add.at(per_code, at[known], value.to_numpy(dtype="int64")[known])
        sums.append(pd.Series(np.where(codes >= 0, per_code[np.maximum(codes, 0)], 0),
                              index=numbers.index, dtype="int64"))
    return sums
