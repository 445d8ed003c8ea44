"""References joined to invoices through integer codes give the rows the string merges gave:
the same candidates, in the same order, with the same columns and dtypes."""

from __future__ import annotations

import pandas as pd

from pipeline.matching.candidates import distinct_references
from pipeline.matching.codes import INV, PAY, invoice_side, referenced_invoices
from pipeline.references import normalize_refs
from pipeline.settings import Settings

from .helpers import invoices, payments

PATTERNS = Settings().reference_patterns


def by_string_merges(refs: pd.DataFrame, money: pd.DataFrame,
                     invs: pd.DataFrame) -> pd.DataFrame:
    """The join as it was written before the codes: merges on the texts themselves."""
    by_number = pd.DataFrame({"key": invs["invoice_number"],
                              "invoice_number": invs["invoice_number"]})
    by_id = pd.DataFrame({"key": invs["invoice_id"], "invoice_number": invs["invoice_number"]})
    keys = pd.concat([by_number, by_id[by_id["key"].fillna("").astype(str) != ""]])
    keys["key"] = normalize_refs(keys["key"])
    keys = keys.drop_duplicates()
    keys = keys[keys["key"].isin(pd.unique(refs["ref"]))]
    keyed = refs.merge(keys, left_on="ref", right_on="key", how="left")
    keyed = keyed.drop(columns="key").drop_duplicates(["row", "invoice_number"])
    named = invs[invs["invoice_number"].isin(pd.unique(keys["invoice_number"]))]
    with_invoice = keyed.merge(invoice_side(named), on="invoice_number", how="left")
    pays = money[PAY[1:]].iloc[money.index.get_indexer(with_invoice["row"])]
    return pd.concat([with_invoice.reset_index(drop=True), pays.reset_index(drop=True)],
                     axis=1)


def test_codes_give_the_candidates_the_string_merges_gave():
    invs = invoices({"invoice_number": "10912", "balance_minor": 500},
                    {"invoice_number": "INV-2026-00123", "balance_minor": 700},
                    {"invoice_number": "10913", "invoice_id": "77123", "balance_minor": 900},
                    {"invoice_number": "0010914", "balance_minor": 300},
                    {"invoice_number": "77123", "balance_minor": 100})
    money = payments({"text": "INV 10912 and #10913", "amount_minor": 1400},
                     {"text": "inv 99999 and inv 88888", "amount_minor": 10},
                     {"text": "INV-2026-00123", "amount_minor": 700},
                     {"text": "INV 77123", "amount_minor": 1000},
                     {"text": "no reference at all", "amount_minor": 5},
                     {"text": "invoices 10914, 10912 faktur 10912", "amount_minor": 800},
                     {"text": "INV 10912 and #10913", "amount_minor": 1400})
    refs = distinct_references(money["text"], PATTERNS)
    found = referenced_invoices(refs, money, invs)
    pd.testing.assert_frame_equal(found, by_string_merges(refs, money, invs))
    assert list(found.columns) == ["row", "ref", "listed", *INV, *PAY[1:]]


def test_a_payment_naming_two_unknown_numbers_keeps_the_first():
    invs = invoices({"invoice_number": "10912", "balance_minor": 500})
    money = payments({"text": "inv 99999 and inv 88888", "amount_minor": 10})
    refs = distinct_references(money["text"], PATTERNS)
    found = referenced_invoices(refs, money, invs)
    assert found["ref"].tolist() == ["99999"]
    assert found["invoice_number"].isna().all()
