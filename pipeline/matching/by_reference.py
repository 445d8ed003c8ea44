"""Pass: references. Money whose text names invoices (see :mod:`pipeline.references`).

- one referenced open invoice of the money's currency -> auto, the amount decides how:
  equal to the balance (``reference_amount``); less within the fee tolerance, the invoice
  settled and the fee recorded (``reference_fee``); less beyond it, a partial payment
  (``reference_partial`` + exception ``underpayment``); more, the balance applied and the
  excess kept as client credit (``reference_overpaid`` + exception ``overpayment``)
- numbers listed after a reference ("invoices 11019, 11021") count only when the amount
  confirms them (the balances sum to it); otherwise they are dropped, not exceptions
- several referenced open invoices whose balances sum to the amount -> auto (mass payment,
  ``references_sum``); not summing -> suggested (``references_ambiguous``), never auto
- references only to paid/cancelled invoices, other currencies or unknown numbers
  -> exception and unmatched
- several payments naming one invoice take its balance in date order; one that finds
  nothing left is an exception (``payment_on_paid_invoice``), never a second allocation
"""

from __future__ import annotations

import pandas as pd

from pipeline.matching import considered
from pipeline.matching.candidates import (
    STATE_EXCEPTION,
    classify_candidates,
    confirmed_lists,
    distinct_references,
)
from pipeline.matching.codes import referenced_invoices
from pipeline.matching.reference_rules import mass_payments, one_invoice, settle_mass
from pipeline.matching.settle_order import late_outcome, settle_in_order
from pipeline.matching.work import EXC, UNMATCHED, Decided, Work, none


def by_reference(work: Work) -> Decided:
    if work.money.empty:
        return Decided.nothing()
    refs = distinct_references(work.money["text"], work.settings.reference_patterns,
                               work.map_partitions)
    candidates = referenced_invoices(refs, work.money, work.invoices)
    classified = classify_candidates(candidates)
    candidates = confirmed_lists(classified)
    open_c = candidates[candidates["state"] == "open"]
    n_open = open_c.groupby("row")["invoice_number"].transform("size")
    single = open_c[n_open == 1]
    mass, suggested = mass_payments(open_c[n_open > 1])
    ordered = settle_in_order(
        pd.concat([single.assign(desired=single["amount_minor"], is_mass=False),
                   mass.assign(desired=mass["balance_minor"], is_mass=True)]), work.money)
    late = ordered[ordered["late"]]
    on_time = ordered[~ordered["late"]]
    alone = on_time[~on_time["is_mass"].astype(bool)]
    single_allocs, single_exc = one_invoice(alone.assign(balance_minor=alone["remaining"]),
                                            work.money, work.settings.fee_tolerance)
    mass_allocs, mass_exc = settle_mass(on_time[on_time["is_mass"].astype(bool)])
    late_exc, late_unmatched = late_outcome(late, work.money)
    closed = candidates[~candidates["row"].isin(set(open_c["row"]))]
    return Decided(
        allocations=pd.concat([single_allocs, mass_allocs, suggested], ignore_index=True),
        unmatched=pd.concat([_closed_unmatched(closed), late_unmatched], ignore_index=True),
        exceptions=pd.concat([_closed_exceptions(closed), single_exc, mass_exc, late_exc],
                             ignore_index=True),
        considered=considered.listed_not_confirmed(classified, candidates),
    )


def _closed_exceptions(closed: pd.DataFrame) -> pd.DataFrame:
    if closed.empty:
        return none(EXC)
    detail = closed["state"].map({
        "paid": "invoice is already paid", "cancelled": "invoice is cancelled or refunded",
        "draft": "invoice is a draft", "unknown": "no invoice with this number",
        "currency_mismatch": "invoice is in another currency"})
    return pd.DataFrame({
        "row": closed["row"], "kind": closed["state"].map(STATE_EXCEPTION),
        "invoice_number": closed["invoice_number"].fillna(closed["ref"]),
        "amount_minor": closed["amount_minor"], "currency": closed["currency"],
        "detail": detail + " (" + closed["ref"] + " in the payment text)"})


def _closed_unmatched(closed: pd.DataFrame) -> pd.DataFrame:
    if closed.empty:
        return none(UNMATCHED)
    strength = {state: i for i, state in enumerate(STATE_EXCEPTION)}
    best = closed.assign(strength=closed["state"].map(strength)).sort_values(
        ["row", "strength"], kind="stable").drop_duplicates("row")
    return pd.DataFrame({"row": best["row"], "reason": best["state"].map(STATE_EXCEPTION)
                         + ": " + best["ref"] + " cannot take this payment"})
