"""Pass: duplicate charges. A second gateway charge for one invoice, or of the same customer
and amount within ``non_customer.duplicate_window_days`` (when neither names an invoice the
other does not), is a ``duplicate_charge``: an exception, and the charge stays unmatched
with that reason, so it never settles anything a second time.

Which of two charges is the duplicate: the one reversed (refunded, disputed) when only one
is, else the later one (date, then position in the run). The pass looks at every charge of
the run, also those the ledger already explained, so the same charge is the duplicate every
night.
"""

from __future__ import annotations

import pandas as pd

from pipeline.matching.work import EXC, UNMATCHED, Decided, Work
from pipeline.references import extract_references

ORDER = ["reversed", "source_date", "row"]


def duplicate_charges(work: Work) -> Decided:
    every = work.payments if work.payments is not None else work.money
    charges = every[every["payment_kind"] == "gateway"]
    if charges.empty or not (work.money["payment_kind"] == "gateway").any():
        return Decided.nothing()
    charges = _described(charges, work)
    window = work.settings.non_customer.duplicate_window_days
    dups = pd.concat([_same_invoice(charges), _same_customer(charges, window)],
                     ignore_index=True)
    dups = dups.drop_duplicates("row")
    dups = dups[dups["row"].isin(set(work.money.index))]
    if dups.empty:
        return Decided.nothing()
    nothing = Decided.nothing()
    unmatched = pd.DataFrame({"row": dups["row"], "reason": "duplicate_charge: " + dups["detail"]})
    exceptions = pd.DataFrame({
        "row": dups["row"], "kind": "duplicate_charge", "invoice_number": dups["invoice"],
        "amount_minor": dups["amount_minor"], "currency": dups["currency"],
        "detail": dups["detail"]})
    return Decided(nothing.allocations, unmatched[UNMATCHED], exceptions[EXC])


def _described(charges: pd.DataFrame, work: Work) -> pd.DataFrame:
    """Charges with ``row``, ``refs`` (their invoice references, sorted and joined),
    ``invoice`` (the first), ``customer`` and ``reversed``."""
    refs = extract_references(charges["text"], work.settings.reference_patterns)
    joined = refs.sort_values(["row", "ref"]).groupby("row")["ref"].agg(",".join)
    first = refs.drop_duplicates("row").set_index("row")["ref"]
    reversed_ = set() if work.reversals is None else set(work.reversals["reverses"])
    return charges.assign(
        row=charges.index, refs=joined.reindex(charges.index).fillna("").to_numpy(),
        invoice=first.reindex(charges.index).fillna("").to_numpy(),
        customer=charges["counterparty"].fillna("").astype(str).str.strip().str.lower(),
        reversed=charges["money_key"].isin(reversed_))


def _same_invoice(charges: pd.DataFrame) -> pd.DataFrame:
    """Every charge naming the same invoices as a better one (ORDER) is a duplicate."""
    named = charges[charges["refs"] != ""].sort_values(ORDER, kind="stable")
    keep = named.groupby(["currency", "refs"])
    first = keep["source_ref"].transform("first")
    first_date = keep["source_date"].transform("first")
    dups = named[keep.cumcount() > 0]
    detail = ("a second charge for invoice " + dups["refs"] + " (first: "
              + _text(first[dups.index]) + " of " + _text(first_date[dups.index])
              + "): not applied again")
    return dups.assign(detail=detail)


def _same_customer(charges: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """Of two consecutive charges of one customer and amount within the window whose
    invoice references agree (or one names none), the worse (ORDER) is a duplicate."""
    known = charges[charges["customer"] != ""].sort_values(["source_date", "row"],
                                                           kind="stable")
    group = known.groupby(["customer", "currency", "amount_minor"])
    before = group[["row", "source_date", "refs", "reversed", "source_ref"]].shift(1)
    days = (pd.to_datetime(known["source_date"])
            - pd.to_datetime(before["source_date"])).dt.days
    agree = (before["refs"] == known["refs"]) | (before["refs"] == "") | (known["refs"] == "")
    pairs = known.assign(prev_row=before["row"], prev_ref=before["source_ref"],
                         prev_date=before["source_date"], prev_reversed=before["reversed"],
                         days=days)[before["row"].notna() & agree & (days <= window_days)]
    if pairs.empty:
        return pairs.assign(detail=pd.Series(dtype=object))
    earlier_worse = pairs["prev_reversed"].astype(bool) & ~pairs["reversed"]
    dup = pairs.assign(row=pairs["row"].where(~earlier_worse, pairs["prev_row"]).astype("int64"))
    detail = ("a second charge of " + pairs["customer"] + " for the same amount within "
              + pairs["days"].astype(int).astype(str) + " day(s) ("
              + _text(pairs["prev_ref"]) + " and " + _text(pairs["source_ref"])
              + "): not applied")
    rows = charges.set_index("row").loc[dup["row"]]
    return pd.DataFrame({"row": dup["row"].to_numpy(), "invoice": rows["invoice"].to_numpy(),
                         "amount_minor": rows["amount_minor"].to_numpy(),
                         "currency": rows["currency"].to_numpy(),
                         "detail": detail.to_numpy()})


def _text(values: pd.Series) -> pd.Series:
    """Each value as text, a missing one as ``?``."""
    return values.astype(object).where(values.notna(), "?").astype(str)
