"""Money that is not a customer's: interest, the shop's own money, fees and outgoing debits."""

from __future__ import annotations

import pandas as pd

from pipeline.matching.other_money import classify_non_payments, says
from pipeline.settings import NonCustomerMoney, Settings
from tests.unit.matching.helpers import invoices, outcome, payments, run


def some_invoice():
    return invoices({"invoice_number": "10908", "balance_minor": 5_000})


def test_interest_paid_by_the_bank_is_other_money_not_unmatched_customer_money():
    result = run(payments({"amount_minor": 8_712_345, "text": "BUNGA"}), some_invoice())
    assert result.other_money["kind"].tolist() == ["interest"]
    assert outcome(result, 1) == ()


def test_interest_is_recognised_in_german_and_english():
    texts = pd.Series(["Habenzinsen", "INTEREST PAYMENT", "JASA GIRO", "Zinsgutschrift"])
    assert says(texts, NonCustomerMoney().interest).all()


def test_the_owners_capital_is_the_shops_own_money():
    result = run(payments({"amount_minor": 827_000, "text": "SETORAN MODAL PEMILIK"}),
                 some_invoice())
    assert result.other_money["kind"].tolist() == ["other"]


def test_a_customer_whose_name_contains_a_pattern_word_stays_customer_money():
    result = run(payments({"amount_minor": 5_000,
                           "text": "TRSF E-BANKING CR INV 10908 BUNGA LESTARI"}),
                 some_invoice())
    assert result.other_money.empty
    assert outcome(result, 1) == ("auto",)


def test_the_patterns_are_configurable():
    settings = Settings(non_customer=NonCustomerMoney(interest=[r"^KAMATA"]))
    result = run(payments({"amount_minor": 100, "text": "KAMATA OKTOBAR"}), some_invoice(),
                 settings=settings)
    assert result.other_money["kind"].tolist() == ["interest"]


def test_a_bank_charge_debit_is_a_fee_and_every_other_debit_is_outgoing():
    debits = payments({"amount_minor": -1_500_000, "text": "BIAYA ADM"},
                      {"amount_minor": -900_000_000, "text": "GAJI KARYAWAN NOV 2026"},
                      {"amount_minor": -990, "text": "Kontofuehrungsentgelt"})
    found = classify_non_payments(debits, Settings())
    assert found["kind"].tolist() == ["fee", "outgoing", "fee"]


def test_debits_reach_the_result_as_other_money():
    debits = payments({"payment_id": 9, "amount_minor": -3_500, "text": "MONTHLY SERVICE FEE"})
    result = run(payments({"amount_minor": 5_000, "text": "INV 10908"}), some_invoice(),
                 non_payments=debits)
    assert result.other_money[["payment_id", "kind"]].values.tolist() == [[9, "fee"]]
