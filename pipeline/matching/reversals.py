"""Pass: gateway events. A refund or a chargeback reverses its charge's allocation.

The reversal is a new ledger entry with the negative amount (nothing is deleted): the invoice
reopens with its balance back, and an exception ``refund`` / ``chargeback`` says so. The charge
itself is then unmatched with that reason (its money went back).
"""

from __future__ import annotations

import pandas as pd

from pipeline.matching.work import EXC, UNMATCHED, none
from pipeline.money import in_words


def reverse(reversals: pd.DataFrame, allocations: pd.DataFrame,
            ledger: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(reversal entries, exceptions, unmatched) for ``reversals`` (REVERSAL_COLUMNS) of the
    standing applying ``allocations`` (rows of this run, with ``match_id``, ``money_key``).

    Each reversal takes back up to its amount from its charge's allocations, in order, once:
    a reversal already in ``ledger`` (its ``evidence``) is not taken again."""
    if reversals is None or reversals.empty or allocations.empty:
        return none(["match_id"]), none(EXC), none(UNMATCHED)
    if len(ledger):
        reversals = reversals[~reversals["money_key"].isin(set(ledger["evidence"]))]
    hits = reversals.rename(columns={"money_key": "reversal_key",
                                     "amount_minor": "reversed_minor", "kind": "reversal_kind",
                                     "source_date": "reversal_date", "currency": "rev_currency"})
    hits = hits.merge(allocations, left_on="reverses", right_on="money_key")
    if hits.empty:
        return none(["match_id"]), none(EXC), none(UNMATCHED)
    hits = _taken_back(hits)
    detail = (hits["reversal_kind"] + " of " + hits["reversal_date"].astype(str) + " ("
              + _record(hits["reversal_key"]) + ") takes back "
              + in_words(hits["back"], hits["currency"]) + ": the invoice is open again")
    entries = pd.DataFrame({
        "match_id": hits["match_id"], "entry": "reversal", "status": "reversed",
        "money_key": hits["money_key"], "payment_kind": hits["payment_kind"],
        "invoice_number": hits["invoice_number"], "applied_minor": -hits["back"],
        "fee_minor": -hits["fee_back"], "currency": hits["currency"],
        "rule": hits["reversal_kind"], "reason": detail, "source_date": hits["source_date"],
        "evidence": hits["reversal_key"],
    })
    exceptions = pd.DataFrame({
        "row": hits["row"], "kind": hits["reversal_kind"],
        "invoice_number": hits["invoice_number"], "amount_minor": hits["back"],
        "currency": hits["currency"], "detail": detail})
    whole = hits[hits["back"] == hits["applied_minor"]].drop_duplicates("row")
    unmatched = pd.DataFrame({"row": whole["row"],
                              "reason": whole["reversal_kind"] + ": " + detail[whole.index]})
    return entries, exceptions, unmatched


def _taken_back(hits: pd.DataFrame) -> pd.DataFrame:
    """``back``: what each reversal takes from each allocation of its charge, in order, up to
    its amount; ``fee_back``: the allocation's fee too when all of it goes back."""
    before = hits.groupby("reversal_key")["applied_minor"].cumsum() - hits["applied_minor"]
    back = (hits["reversed_minor"].abs() - before).clip(lower=0)
    back = back.where(back < hits["applied_minor"], hits["applied_minor"])
    full = back == hits["applied_minor"]
    hits = hits.assign(back=back, fee_back=hits["fee_minor"].fillna(0).where(full, 0))
    return hits[hits["back"] > 0]


def unapplied(reversals: pd.DataFrame | None, allocations: pd.DataFrame,
              payments: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """Exceptions (EXC) for refunds and chargebacks of charges of this run that settled no
    invoice (a duplicate charge, money never matched): the money went back all the same, so
    a person sees it, keyed by the charge's row."""
    if reversals is None or reversals.empty or payments.empty:
        return none(EXC)
    if len(ledger):
        reversals = reversals[~reversals["money_key"].isin(set(ledger["evidence"]))]
    reversals = reversals[~reversals["reverses"].isin(set(allocations["money_key"]))]
    charges = pd.DataFrame({"row": payments.index, "reverses": payments["money_key"]})
    hits = reversals.merge(charges, on="reverses")
    if hits.empty:
        return none(EXC)
    detail = (hits["kind"] + " of " + hits["source_date"].astype(str) + " ("
              + _record(hits["money_key"]) + ") returns "
              + in_words(hits["amount_minor"], hits["currency"])
              + " of a charge that settled no invoice")
    return pd.DataFrame({"row": hits["row"], "kind": hits["kind"], "invoice_number": "",
                         "amount_minor": hits["amount_minor"], "currency": hits["currency"],
                         "detail": detail})


def _record(money_key: pd.Series) -> pd.Series:
    """``gateway:stripe:txn_1`` -> ``stripe txn_1``: the gateway and its transaction id."""
    return money_key.str.split(":", n=2).str[1:].str.join(" ")
