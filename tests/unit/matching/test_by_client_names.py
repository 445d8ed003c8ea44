"""Client names as banks print them: tokens, the token-pair index and aliases."""

from __future__ import annotations

import pandas as pd

from pipeline.frames import CLIENT_COLUMNS
from pipeline.matching.by_client_names import client_names, named_clients, tokens
from tests.unit.matching.helpers import invoices, payments


def names(*rows: tuple[str, str, str]) -> pd.DataFrame:
    frame = pd.DataFrame([{"client_id": c, "name": n, "company": f, "email": "",
                           "created_at": None} for c, n, f in rows])[CLIENT_COLUMNS]
    return client_names(frame, invoices({"invoice_number": "A1", "balance_minor": 1}))


def test_titles_legal_forms_case_and_punctuation_are_not_part_of_a_name():
    assert tokens("BPK. Wahyu  SANTOSO") == ["WAHYU", "SANTOSO"]
    assert tokens("PT Maju Jaya, Tbk") == ["MAJU", "JAYA"]


def test_a_name_in_any_order_inside_the_bank_text_is_found():
    text = "SWITCHING CR TRANSFER DR 002 SANTOSO WAHYU bayar"
    found = named_clients(payments({"amount_minor": 1, "text": text}),
                          names(("7", "Wahyu Santoso", "")))
    assert list(found["client_id"]) == ["7"]


def test_a_name_missing_one_of_its_words_is_not_found():
    found = named_clients(payments({"amount_minor": 1, "text": "TRANSFER WAHYU"}),
                          names(("7", "Wahyu Santoso", "")))
    assert found.empty


def test_money_that_says_no_word_at_all_finds_nobody_without_failing():
    found = named_clients(payments({"amount_minor": 1, "text": ""},
                                   {"amount_minor": 2, "text": "10234"}),
                          names(("C1", "PT Maju Jaya", "")))
    assert found.empty


def test_money_that_says_no_word_of_any_client_name_finds_nobody_without_failing():
    found = named_clients(payments({"amount_minor": 1, "text": "TRSF INV 10234"},
                                   {"amount_minor": 2, "text": "BIAYA ADM"}),
                          names(("C1", "PT Maju Jaya", "")))
    assert found.empty


def test_the_longer_company_name_wins_over_one_it_contains():
    found = named_clients(payments({"amount_minor": 1, "counterparty": "PT MAJU JAYA KARYA"}),
                          names(("1", "Budi Halim", "PT Maju Jaya"),
                                ("2", "Rina Halim", "PT Maju Jaya Karya")))
    assert list(found["client_id"]) == ["2"]


def test_a_one_word_name_identifies_nobody():
    assert names(("7", "Rina", "")).empty
