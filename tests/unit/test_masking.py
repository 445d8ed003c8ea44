"""Issue 10: account numbers are masked to their last 4 digits in what payrecon says about
its data (logs, alerts, the run journal), never in the data itself."""

from __future__ import annotations

import logging

import pytest

from pipeline.masking import MaskAccounts, mask_account, mask_accounts


@pytest.mark.parametrize(("text", "masked"), [
    ("STMTRS[1] (account 000123456789): repeated FITID A-1",
     "STMTRS[1] (account ********6789): repeated FITID A-1"),
    ('no currency for account 1234567890; set number = "1234567890"',
     'no currency for account ******7890; set number = "******7890"'),
    ("No. rekening : 0372543386", "No. rekening : ******3386"),
    ("ACCTID 000123456789", "ACCTID ********6789"),
    ("Tujuan Transfer: BCA 0372543386", "Tujuan Transfer: BCA ******3386"),
    ("paid to DE89370400440532013000", "paid to ******************3000"),
])
def test_an_account_number_in_a_sentence_shows_only_its_last_4_digits(text, masked):
    assert mask_accounts(text) == masked


@pytest.mark.parametrize("text", [
    "invoice number 10912 paid 1,110,000.00 on 20261120",
    "INV-2026-00123 of client 107, 12 rows rejected at line 4500",
    "",
])
def test_invoice_numbers_amounts_dates_and_lines_are_left_alone(text):
    assert mask_accounts(text) == text


def test_masking_twice_changes_nothing_more():
    once = mask_accounts("account 0372543386 and IBAN DE89 3704 0044 0532 0130 00")
    assert mask_accounts(once) == once and "0372543386" not in once


def test_one_account_number_keeps_its_separators_and_last_4():
    assert mask_account("123-00-4567890-1") == "***-**-****890-1"
    assert mask_account("1234") == "****"


def test_a_log_line_and_its_traceback_show_no_account_number(caplog):
    logger = logging.getLogger("payrecon.test.masking")
    logger.addFilter(MaskAccounts())
    try:
        raise ValueError("no statement for account 0372543386")
    except ValueError:
        with caplog.at_level(logging.DEBUG, logger=logger.name):
            logger.warning("file %s: account %s", "bca.csv", "0372543386", exc_info=True)
    assert "0372543386" not in caplog.text
    assert "bca.csv: account ******3386" in caplog.text
    assert "ValueError: no statement for account ******3386" in caplog.text
