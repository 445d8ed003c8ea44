"""postings.csv and credits.csv as frames (pure): what billing is told, and the checks that
let ``mark-posted`` refuse an edited row or a file from another database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from pipeline.frames import ALLOCATION_COLUMNS, INVOICE_COLUMNS, LEDGER_COLUMNS, PAYMENT_COLUMNS
from pipeline.posting_file import PostingFileError, checked_rows
from pipeline.postings import (
    CREDIT,
    CREDIT_OUT,
    PAYMENT,
    POSTED_COLUMNS,
    POSTING_OUT,
    credits,
    field_text,
    postings,
)
from pipeline.settings import PostingSettings

DAY = dt.date(2026, 11, 16)
DB = "d" * 32


def _invoices(*rows: tuple) -> pd.DataFrame:
    """(number, billing id, client, currency, balance)."""
    return pd.DataFrame([(n, i, c, "", "", cur, DAY, DAY, bal, bal, "Unpaid", False, None)
                         for n, i, c, cur, bal in rows], columns=INVOICE_COLUMNS)


def _payments(*rows: tuple) -> pd.DataFrame:
    """(kind, id, format, ref, amount, currency, account, natural key)."""
    return pd.DataFrame([(k, pid, fmt, "file", ref, None, DAY, amount, cur, "", "", account,
                          f"{k}:{account}:{key}")
                         for k, pid, fmt, ref, amount, cur, account, key in rows],
                        columns=PAYMENT_COLUMNS)


def _allocations(*rows: tuple) -> pd.DataFrame:
    """(kind, id, invoice, applied, currency, status, fee, match_id)."""
    return pd.DataFrame([(k, pid, n, applied, cur, status, "rule", 1.0, "", fee, mid)
                         for k, pid, n, applied, cur, status, fee, mid in rows],
                        columns=ALLOCATION_COLUMNS)


INVOICES = _invoices(("INV-2026-00123", "10910", "103", "USD", 7_000),
                     ("10908", "10908", "101", "IDR", 111_000_000),
                     ("J-1", "77", "105", "JPY", 5_000))
PAYMENTS = _payments(
    ("bank", 1, "ofx", "20261117-0001", 7_000, "USD", "chase-1", "20261117-0001"),
    ("bank", 2, "bank-csv", None, 111_000_000, "IDR", "0372543386", "h:346cd512"),
    ("gateway", 1, "stripe", "ch_1", 5_000, "JPY", "stripe", "ch_1"),
)


def _postings(allocations: pd.DataFrame, *, posted=None, gateways=None) -> pd.DataFrame:
    return postings(allocations, PAYMENTS, INVOICES, posted=posted, database_id=DB,
                    setting=PostingSettings(gateways=gateways or {}))


def _one_each() -> pd.DataFrame:
    return _allocations(("bank", 1, "INV-2026-00123", 7_000, "USD", "auto", 0, "m1"),
                        ("bank", 2, "10908", 111_000_000, "IDR", "confirmed", 0, "m2"),
                        ("gateway", 1, "J-1", 5_000, "JPY", "auto", 0, "m3"))


def test_a_posting_names_billings_internal_invoice_id_not_the_printed_number():
    rows = _postings(_one_each())
    assert list(rows.columns) == POSTING_OUT
    first = rows.iloc[0]
    assert (first["invoiceid"], first["invoice_number"]) == ("10910", "INV-2026-00123")


def test_a_posting_carries_the_moneys_natural_key_its_date_and_exact_amounts():
    rows = _postings(_one_each())
    texts = [[field_text(v) for v in rows[c]] for c in ("transid", "date", "amount", "fees")]
    assert texts == [["20261117-0001", "h:346cd512", "ch_1"],
                     ["2026-11-16"] * 3,
                     ["70.00", "1110000.00", "5000"],
                     ["0.00", "0.00", "0"]]
    assert all(isinstance(v, Decimal) for v in rows["amount"])


def test_only_auto_and_confirmed_allocations_not_yet_posted_are_posted():
    allocations = pd.concat([_one_each(), _allocations(
        ("bank", 1, "10908", 7_000, "USD", "suggested", 0, "m4"),
        ("bank", 1, "J-1", 7_000, "USD", "rejected", 0, "m5"))], ignore_index=True)
    posted = pd.DataFrame([("m2", PAYMENT), ("m1", CREDIT)], columns=["match_id", "kind"])
    assert list(_postings(allocations, posted=posted)["match_id"]) == ["m1", "m3"]


def test_a_fee_deducted_on_the_way_is_part_of_the_amount_and_shown_as_fees():
    rows = _postings(_allocations(("bank", 1, "INV-2026-00123", 6_950, "USD", "auto", 50, "m1")))
    assert (field_text(rows.at[0, "amount"]), field_text(rows.at[0, "fees"])) == ("70.00",
                                                                                 "0.50")


def test_one_money_record_paying_several_invoices_gets_a_distinct_transid_per_invoice():
    rows = _postings(_allocations(("bank", 2, "10908", 100_000_000, "IDR", "auto", 0, "m1"),
                                  ("bank", 2, "J-1", 11_000_000, "IDR", "auto", 0, "m2")))
    assert list(rows["transid"]) == ["h:346cd512/10908", "h:346cd512/J-1"]


@pytest.mark.parametrize(("gateways", "expected"), [
    ({}, ["banktransfer", "banktransfer", "stripe"]),
    ({"bank": "bca"}, ["bca", "bca", "stripe"]),
    ({"bank": "bca", "OFX": "chase"}, ["chase", "bca", "stripe"]),
    ({"bank-csv": "x", "0372543386": "bcatransfer", "stripe": "stripecheckout"},
     ["banktransfer", "bcatransfer", "stripecheckout"]),
    ({"*": "manual"}, ["manual", "manual", "manual"]),
])
def test_the_gateway_comes_from_the_account_then_format_then_channel_then_a_default(
        gateways, expected):
    assert list(_postings(_one_each(), gateways=gateways)["gateway"]) == expected


def test_nothing_to_post_is_an_empty_frame_with_the_columns():
    rows = _postings(_allocations())
    assert rows.empty and list(rows.columns) == POSTING_OUT


def _ledger(*rows: tuple) -> pd.DataFrame:
    """(match_id, entry, applied, currency, invoice, money_key)."""
    return pd.DataFrame([(mid, entry, "x", key, "bank", n, applied, 0, cur, "r", "why", DAY,
                          DAY, "payrecon", "") for mid, entry, applied, cur, n, key in rows],
                        columns=LEDGER_COLUMNS)


def test_an_overpayment_becomes_a_credit_for_the_invoices_client():
    ledger = _ledger(("m1", "allocation", 7_000, "USD", "INV-2026-00123", "bank:a:F1"),
                     ("m1", "credit", 1_250, "USD", "INV-2026-00123", "bank:a:F1"))
    rows = credits(ledger, INVOICES, as_of=DAY, posted=None, database_id=DB)
    assert list(rows.columns) == CREDIT_OUT
    assert [field_text(v) for v in rows.iloc[0][["clientid", "amount", "date"]]] == [
        "103", "12.50", "2026-11-16"]
    assert rows.at[0, "description"] == ("Overpayment on invoice INV-2026-00123 "
                                         "(payment F1 of 2026-11-16)")


def test_a_credit_whose_money_went_back_or_that_was_posted_is_not_offered_again():
    ledger = _ledger(("m1", "allocation", 7_000, "USD", "INV-2026-00123", "bank:a:F1"),
                     ("m1", "credit", 1_250, "USD", "INV-2026-00123", "bank:a:F1"),
                     ("m1", "reversal", -7_000, "USD", "INV-2026-00123", "bank:a:F1"),
                     ("m2", "allocation", 5_000, "JPY", "J-1", "gateway:stripe:ch_1"),
                     ("m2", "credit", 100, "JPY", "J-1", "gateway:stripe:ch_1"))
    posted = pd.DataFrame([("m2", CREDIT)], columns=["match_id", "kind"])
    assert credits(ledger, INVOICES, as_of=DAY, posted=posted, database_id=DB).empty
    assert list(credits(ledger, INVOICES, as_of=DAY, posted=None, database_id=DB)
                ["match_id"]) == ["m2"]


def _as_read(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as mark-posted reads it back from the CSV: every field as text."""
    return frame.apply(lambda column: column.map(field_text))


def test_an_unedited_file_gives_the_rows_to_record_digit_for_digit():
    rows = checked_rows(PAYMENT, _as_read(_postings(_one_each())), database_id=DB,
                        known={"m1", "m2", "m3"})
    assert list(rows.columns) == POSTED_COLUMNS
    assert list(rows["amount_minor"]) == [7_000, 111_000_000, 5_000]
    assert list(rows["billing_id"]) == ["10910", "10908", "77"]


def test_an_edited_amount_is_refused_with_its_line():
    read = _as_read(_postings(_one_each()))
    read.at[1, "amount"] = "1110000.01"
    with pytest.raises(PostingFileError, match=r"line 3 \(10908, m2\): edited"):
        checked_rows(PAYMENT, read, database_id=DB, known={"m1", "m2", "m3"})


def test_a_file_from_another_database_is_refused():
    with pytest.raises(PostingFileError, match="another database"):
        checked_rows(PAYMENT, _as_read(_postings(_one_each())), database_id="e" * 32,
                     known={"m1", "m2", "m3"})


def test_a_match_this_ledger_does_not_hold_is_refused():
    with pytest.raises(PostingFileError, match="not a match of this database's ledger"):
        checked_rows(PAYMENT, _as_read(_postings(_one_each())), database_id=DB,
                     known={"m1", "m2"})


def test_the_gateway_names_come_from_the_postings_gateways_table(monkeypatch, tmp_path):
    from pipeline.settings import load_settings

    config = tmp_path / "payrecon.toml"
    config.write_text('[postings.gateways]\nbank = "banktransfer"\n"0372543386" = "bca"\n',
                      encoding="utf-8")
    monkeypatch.setenv("PAYRECON_CONFIG", str(config))
    monkeypatch.setenv("PAYRECON_POSTINGS__GATEWAYS__STRIPE", "stripecheckout")
    setting = load_settings().postings
    assert list(_postings(_one_each(), gateways=setting.gateways)["gateway"]) == [
        "banktransfer", "bca", "stripecheckout"]


def test_money_ids_held_as_text_or_as_numbers_find_the_same_payments():
    as_numbers = _postings(_one_each())
    as_text = postings(_one_each().assign(payment_id=lambda f: f["payment_id"].astype(str)),
                       PAYMENTS, INVOICES, posted=None, database_id=DB,
                       setting=PostingSettings(gateways={}))
    assert as_numbers.equals(as_text)
    assert as_numbers["transid"].tolist() == ["20261117-0001", "h:346cd512", "ch_1"]


def test_a_payment_listed_twice_is_refused_whether_its_ids_are_numbers_or_text():
    twice = pd.concat([PAYMENTS, PAYMENTS.iloc[[0]]], ignore_index=True)
    for payments in (twice, twice.assign(payment_id=twice["payment_id"].astype(str))):
        with pytest.raises(pd.errors.MergeError):
            postings(_one_each(), payments, INVOICES, posted=None, database_id=DB,
                     setting=PostingSettings(gateways={}))
