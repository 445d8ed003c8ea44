"""Pass: the ledger. Money that earlier runs (or finance) already allocated is explained by
its standing ledger allocations, again, exactly as recorded: it is never matched anew, so
billing later showing the invoice paid by that same money is consistent, not an exception.

An allocation that later evidence contradicts (billing now shows the invoice cancelled or
refunded) is kept, never silently rewritten: exception ``allocation_contradicted``. Money
whose allocations were all reversed (a refund or chargeback) is unmatched with that reason.
"""

from __future__ import annotations

import pandas as pd

from pipeline.matching import ledger as ledger_math
from pipeline.matching.work import (
    ALLOC,
    CANCELLED_STATUSES,
    CONFIDENCE,
    EXC,
    UNMATCHED,
    Decided,
    Work,
    none,
)
from pipeline.money import in_words


def remembered(work: Work) -> Decided:
    if work.money.empty or work.ledger.empty:
        return Decided.nothing()
    money = pd.DataFrame({"row": work.money.index, "money_key": work.money["money_key"]})
    standing = ledger_math.standing(work.ledger).merge(money, on="money_key")
    allocations = pd.DataFrame({
        "row": standing["row"], "invoice_number": standing["invoice_number"],
        "applied_minor": standing["applied_minor"], "currency": standing["currency"],
        "status": standing["status"], "rule": standing["rule"],
        "confidence": standing["rule"].map(CONFIDENCE).where(standing["status"] == "auto", 1.0)
        .fillna(1.0),
        "reason": standing["reason"], "fee_minor": standing["fee_minor"],
        "remembered": True, "match_id": standing["match_id"],
    }) if len(standing) else none([*ALLOC, "fee_minor"])
    findings = pd.concat([_contradicted(work, standing), _still_short(work, standing),
                          _credited(work, money), _reversals_shown(work, money)],
                         ignore_index=True)
    return Decided(allocations, _reversed(work, money, set(standing["row"])), findings)


def _still_short(work: Work, standing: pd.DataFrame) -> pd.DataFrame:
    """A remembered partial payment whose invoice is still not settled: ``underpayment``."""
    partial = standing[standing["rule"].isin(["reference_partial", "ticket_partial"])]
    open_now = partial["invoice_number"].map(
        work.invoices.set_index("invoice_number")["balance_minor"]).fillna(0).astype("int64")
    partial, open_now = partial[open_now > 0], open_now[open_now > 0]
    if partial.empty:
        return none(EXC)
    return pd.DataFrame({
        "row": partial["row"], "kind": "underpayment",
        "invoice_number": partial["invoice_number"], "amount_minor": open_now,
        "currency": partial["currency"],
        "detail": "partial payment: " + in_words(open_now, partial["currency"]) + " still open"})


def _credited(work: Work, money: pd.DataFrame) -> pd.DataFrame:
    """The client credit the ledger kept from this money: ``overpayment``, as on its night."""
    credits = work.ledger[work.ledger["entry"] == "credit"].merge(money, on="money_key")
    if credits.empty:
        return none(EXC)
    return pd.DataFrame({
        "row": credits["row"], "kind": "overpayment",
        "invoice_number": credits["invoice_number"], "amount_minor": credits["applied_minor"],
        "currency": credits["currency"], "detail": credits["reason"]})


def _contradicted(work: Work, standing: pd.DataFrame) -> pd.DataFrame:
    inv = work.invoices[work.invoices["status"].isin(CANCELLED_STATUSES)]  # the few such
    bad = standing[standing["invoice_number"].isin(set(inv["invoice_number"]))]
    now = bad["invoice_number"].map(inv.drop_duplicates("invoice_number")
                                    .set_index("invoice_number")["status"])
    if bad.empty:
        return none(EXC)
    return pd.DataFrame({
        "row": bad["row"], "kind": "allocation_contradicted",
        "invoice_number": bad["invoice_number"], "amount_minor": bad["applied_minor"],
        "currency": bad["currency"],
        "detail": ("the ledger applied this money to the invoice (match " + bad["match_id"]
                   + ") but billing now shows it " + now[bad.index].astype(str)
                   + "; the allocation is kept until a person decides"),
    })


def _reversed(work: Work, money: pd.DataFrame, still_standing: set) -> pd.DataFrame:
    """Money every allocation of which was reversed: unmatched, the reversal named."""
    moves = work.ledger[work.ledger["entry"] == "reversal"]
    gone = moves.merge(money, on="money_key")
    gone = gone[~gone["row"].isin(still_standing)].drop_duplicates("row")
    if gone.empty:
        return none(UNMATCHED)
    return pd.DataFrame({"row": gone["row"],
                         "reason": gone["rule"] + ": " + gone["reason"]})


def _reversals_shown(work: Work, money: pd.DataFrame) -> pd.DataFrame:
    """The ``refund``/``chargeback`` exception of every reversal the ledger holds for this
    money, shown again each night as on the night it was recorded."""
    moves = work.ledger[work.ledger["entry"] == "reversal"].merge(money, on="money_key")
    if moves.empty:
        return none(EXC)
    return pd.DataFrame({
        "row": moves["row"], "kind": moves["rule"], "invoice_number": moves["invoice_number"],
        "amount_minor": -moves["applied_minor"], "currency": moves["currency"],
        "detail": moves["reason"]})
