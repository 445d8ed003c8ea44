"""References joined to invoices through integer codes, not string merges.

The references found in payment texts and the keys an invoice can be referenced by (its
number and WHMCS id, normalized) are hashed once, together, into one space of integer codes;
the invoice numbers are factorized once. Every join, filter and de-duplication after that
compares integers. The result is the one the string merges gave: the same rows, in the same
order, with the same columns and dtypes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.references import normalize_refs

PAY = ["row", "amount_minor", "currency", "source_date", "source_file", "source_ref"]
INV = ["invoice_number", "client_id", "inv_currency", "balance_minor", "status", "issue_date"]


def invoice_side(invoices: pd.DataFrame) -> pd.DataFrame:
    return invoices.rename(columns={"currency": "inv_currency"})[INV]


def invoice_keys(invoices: pd.DataFrame, numbers: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Every normalized key an invoice can be referenced by: its number, then its non-empty
    WHMCS id (both in invoice order), and the code (in ``numbers``, the invoices'
    factorized numbers) of the invoice each key names."""
    has_id = (invoices["invoice_id"].fillna("").astype(str) != "").to_numpy()
    raw = pd.concat([invoices["invoice_number"], invoices["invoice_id"][has_id]],
                    ignore_index=True)
    return normalize_refs(raw), np.concatenate([numbers, numbers[has_id]])


def referenced_invoices(refs: pd.DataFrame, money: pd.DataFrame,
                        invoices: pd.DataFrame) -> pd.DataFrame:
    """One row per (payment row, referenced number) of ``refs`` (``row``, ``ref``, ``listed``:
    found in ``money``'s text), with the invoice when one exists (its columns missing when
    none does), each (row, invoice) once: a payment naming several unknown numbers keeps the
    first. Then the payment's PAY columns."""
    numbers, _ = pd.factorize(invoices["invoice_number"])
    keyed = _keyed(refs, invoices, numbers)
    taken = np.zeros(numbers.max() + 1 if len(numbers) else 0, dtype=bool)
    taken[keyed["_inv"].to_numpy()[keyed["_inv"].to_numpy() >= 0]] = True
    named = np.flatnonzero(taken[numbers] & (numbers >= 0))
    side = invoice_side(invoices).iloc[named].drop(columns="invoice_number")
    side.insert(0, "_inv", numbers[named])
    with_invoice = keyed.merge(side, on="_inv", how="left").drop(columns="_inv")
    at = money.index.get_indexer(with_invoice["row"])  # each candidate's payment, by position
    pays = money[PAY[1:]].iloc[at].reset_index(drop=True)
    return pd.concat([with_invoice.reset_index(drop=True), pays], axis=1)


def _keyed(refs: pd.DataFrame, invoices: pd.DataFrame, numbers: np.ndarray) -> pd.DataFrame:
    """``refs`` left-joined to the invoice keys they name: ``invoice_number`` (missing when
    no key is the reference) and ``_inv`` (its code, -1 when missing), each (row, invoice)
    once."""
    keys, owner = invoice_keys(invoices, numbers)
    wanted = pd.unique(refs["ref"])
    codes, _ = pd.factorize(np.concatenate([np.asarray(wanted, dtype=object),
                                            keys.to_numpy(dtype=object)]))
    ref_code, key_code = codes[:len(wanted)], codes[len(wanted):]
    asked = np.zeros(len(codes) + 1, dtype=bool)
    asked[ref_code] = True
    keep = ~duplicated_pairs(key_code, owner) & asked[key_code]  # each (key, invoice) once
    first = np.zeros(numbers.max() + 1 if len(numbers) else 0, dtype=np.int64)
    first[numbers[::-1]] = np.arange(len(numbers))[::-1]  # each code's first invoice row
    table = pd.DataFrame({"_code": key_code[keep], "_inv": owner[keep]})
    table["invoice_number"] = invoices["invoice_number"].iloc[
        first[owner[keep]]].reset_index(drop=True)
    at = pd.Index(wanted).get_indexer(refs["ref"])
    keyed = refs.assign(_code=ref_code[at]).merge(table, on="_code", how="left")
    inv = keyed.pop("_inv").to_numpy(dtype=np.float64)
    inv = np.where(np.isnan(inv), -1, inv).astype(np.int64)
    # the texts as a merge on them left them: object, the normalized keys' dtype
    keyed = keyed.drop(columns="_code").assign(ref=keyed["ref"].astype(object), _inv=inv)
    return keyed[~duplicated_pairs(keyed["row"].to_numpy(dtype=np.int64), inv)]


def duplicated_pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each (a, b) pair of two integer arrays (b >= -1) was seen before it."""
    if not len(a):
        return np.zeros(0, dtype=bool)
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    combined = (a - a.min()) * (int(b.max()) + 2) + (b + 1)
    return pd.Series(combined).duplicated().to_numpy()
