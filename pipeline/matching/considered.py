"""What each pass of the engine considered for a money line, and why each candidate invoice
was taken, suggested or dropped.

The engine keeps these records (``MatchResult.candidates``, CANDIDATE_COLUMNS) so a person can
see, per money line, the invoices its passes looked at without recomputing anything. They are
bounded: only the pairs a pass actually examined (its allocations, its exceptions naming an
invoice, and the few extra invoices a pass reports through ``Decided.considered``), at most
PER_PASS per money line and pass; never a cross product of money and invoices.

Outcomes: ``taken`` (auto or confirmed), ``suggested`` (a person decides), ``dropped`` (the
reason says why, in words).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.matching.ledger import APPLYING
from pipeline.money import in_words

CONSIDERED = ["row", "invoice_number", "rule", "outcome", "reason"]
PER_PASS = 5  # candidates kept per money line and pass (the strongest first)
REJECTED_BEFORE = "finance rejected this match before, so it is not proposed again"


def nothing() -> pd.DataFrame:
    """An empty CONSIDERED frame."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in CONSIDERED})


def dropped(frame: pd.DataFrame, rule: str, reason: pd.Series | str) -> pd.DataFrame:
    """CONSIDERED rows ``dropped`` for ``frame``'s (row, invoice_number) pairs."""
    if frame.empty:
        return nothing()
    return pd.DataFrame({"row": frame["row"], "invoice_number": frame["invoice_number"],
                         "rule": rule, "outcome": "dropped", "reason": reason})[CONSIDERED]


def of_pass(name: str, raw, kept) -> pd.DataFrame:  # noqa: ANN001 - Decided (no cycle)
    """CONSIDERED rows (+ ``pass_name``) of one pass: ``raw`` is what it returned, ``kept`` what
    stood once the pairs finance rejected were taken out. Allocations first, then the
    exceptions naming an invoice, then the pass's own extra candidates; one row per pair."""
    parts = [_allocated(raw.allocations, kept.allocations), _excepted(raw.exceptions)]
    extra = getattr(raw, "considered", None)
    if extra is not None and len(extra):
        parts.append(extra[CONSIDERED])
    parts = [p for p in parts if len(p)]
    if not parts:
        return nothing().assign(pass_name=pd.Series(dtype=object))
    rows = pd.concat(parts, ignore_index=True)
    rows = rows[(rows["invoice_number"].fillna("").astype(str) != "") & rows["row"].notna()]
    rows = rows.drop_duplicates(["row", "invoice_number"])
    rows = rows[rows.groupby("row").cumcount() < PER_PASS]
    return rows.assign(pass_name=name).reset_index(drop=True)


def _allocated(raw: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    if raw.empty:
        return nothing()
    outcome = raw["status"].isin(APPLYING).map({True: "taken", False: "suggested"})
    if kept is raw:  # nothing finance rejected: every pair stood (no merge on the pairs)
        stood = np.ones(len(raw), dtype=bool)
    else:
        stood = raw.merge(kept[["row", "invoice_number"]].drop_duplicates().assign(_kept=True),
                          on=["row", "invoice_number"], how="left")["_kept"].notna().to_numpy()
    reason = raw["reason"].fillna("").astype(str)
    return pd.DataFrame({
        "row": raw["row"], "invoice_number": raw["invoice_number"],
        "rule": raw["rule"].fillna("").astype(str),
        "outcome": outcome.where(stood, "dropped"),
        "reason": reason.where(stood, REJECTED_BEFORE + " (" + reason + ")"),
    })


def _excepted(exceptions: pd.DataFrame) -> pd.DataFrame:
    if exceptions.empty or "invoice_number" not in exceptions:
        return nothing()
    named = exceptions[exceptions["invoice_number"].fillna("").astype(str) != ""]
    return dropped(named, "", named["kind"].astype(str) + ": "
                   + named["detail"].fillna("").astype(str)).assign(rule=named["kind"])


def listed_not_confirmed(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """References pass: numbers listed after a reference that the amount did not confirm."""
    if len(before) == len(after):
        return nothing()
    gone = before.merge(after[["row", "ref"]].drop_duplicates(), on=["row", "ref"],
                        how="left", indicator=True)
    gone = gone[gone["_merge"] == "left_only"]
    return dropped(gone.assign(invoice_number=gone["invoice_number"].fillna(gone["ref"])),
                   "reference_list", "the number " + gone["ref"].astype(str)
                   + " follows a reference, but the amount does not confirm the list: "
                   "read as another number (an account, a postal code)")


def amount_too_common(rest: pd.DataFrame, ranked: pd.DataFrame, few: int) -> pd.DataFrame:
    """Amount pass: the first invoices of an amount too many open invoices share (``rest``:
    the pass's count per payment row; ``ranked``: its invoices numbered per amount)."""
    many = rest[rest["n"] > few]
    if many.empty:
        return nothing()
    heads = ranked[ranked["n"] <= few][["currency", "amount_minor", "invoice_number"]]
    pairs = many[["row", "currency", "amount_minor", "n"]].merge(
        heads, on=["currency", "amount_minor"]).sort_values("row", kind="stable")
    return dropped(pairs, "amount_only", "one of " + pairs["n"].astype(str)
                   + " open invoices with this amount: too many to suggest one")


def client_invoices_not_fitting(cand: pd.DataFrame) -> pd.DataFrame:
    """Clients pass: the payer's open invoices (closest issue date first, at most PER_PASS
    per money line) no client rule fitted: the amount against each balance."""
    if cand.empty:
        return nothing()
    near = cand[cand.groupby("row").cumcount() < PER_PASS]
    return dropped(near, "client", near["payer"] + "; open invoice of this client, balance "
                   + in_words(near["balance_minor"], near["currency"]) + ", amount "
                   + in_words(near["amount_minor"], near["currency"])
                   + ": no client rule fits (not equal, not a sum, not within the fee "
                   "tolerance)")


def keyed(parts: list[pd.DataFrame], payments: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The passes' rows keyed by the money's (payment_kind, payment_id), grouped per money
    line in pass order."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    rows = pd.concat(parts, ignore_index=True)
    rows = rows.assign(row=rows["row"].astype("int64")).sort_values("row", kind="stable")
    at = payments.index.get_indexer(rows["row"])  # two columns taken, not every payment's
    return rows.assign(payment_kind=payments["payment_kind"].to_numpy()[at],
                       payment_id=payments["payment_id"].to_numpy()[at])[columns].reset_index(
        drop=True)
