"""The client identity pass: who paid (e-mail, holder name, alias) and which of that client's
open invoices the amount fits. Auto only on a sure identity and one fit."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pandas as pd

from pipeline.frames import CLIENT_COLUMNS, LEDGER_COLUMNS
from pipeline.matching.by_client import by_client
from pipeline.matching.ledger import match_id
from pipeline.settings import FeeTolerance, Settings
from tests.unit.matching.helpers import invoices, outcome, payments, run, work

FILLERS = [{"client_id": str(100 + i), "name": f"Filler{chr(65 + i)} Person{chr(65 + i)}",
            "company": "", "email": f"f{i}@example.com"} for i in range(20)]


def clients(*rows: dict) -> pd.DataFrame:
    base = {"company": "", "email": "", "created_at": None}
    return pd.DataFrame([{**base, **row} for row in [*rows, *FILLERS]])[CLIENT_COLUMNS]


WAHYU = {"client_id": "7", "name": "Wahyu Santoso", "email": "wahyu@example.co.id"}
# clients that make WAHYU SANTOSO a common name: thirty Wahyus and thirty Santosos
COMMON_PEOPLE = [*({"client_id": str(200 + i), "name": f"Wahyu {last}"}
                  for i, last in enumerate(("Halim", "Tanjung", "Lestari") * 10)),
                 *({"client_id": str(300 + i), "name": f"{first} Santoso"}
                   for i, first in enumerate(("Budi", "Rina", "Siti") * 10))]


def decide(pays, invs, people=None, settings=None):  # noqa: ANN001, ANN201
    base = work(pays, invs, settings)
    return by_client(replace(base, clients=clients(WAHYU) if people is None else people))


def test_a_gateway_customer_email_identifies_the_client_and_its_one_fitting_invoice_is_applied():
    decided = decide(payments({"amount_minor": 7_000, "payment_kind": "gateway",
                               "text": "Payment link - hosting | W S | wahyu@example.co.id"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000},
                              {"invoice_number": "A2", "balance_minor": 9_000}))
    row = decided.allocations.iloc[0]
    assert (row["invoice_number"], row["status"], row["rule"]) == ("A1", "auto", "client_amount")
    assert "customer e-mail wahyu@example.co.id" in row["reason"]


def test_an_upper_case_swapped_name_with_a_title_identifies_the_client():
    text = "TRSF E-BANKING CR 0211/FTSCY/WS47292 70.00 renewal BPK SANTOSO WAHYU"
    decided = decide(payments({"amount_minor": 7_000, "text": text}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000}))
    assert list(decided.allocations["status"]) == ["auto"]
    assert "account holder WAHYU SANTOSO (client 7)" in decided.allocations["reason"].iat[0]


def test_two_invoices_with_the_same_amount_for_one_client_are_suggested_never_applied():
    decided = decide(payments({"amount_minor": 7_000, "counterparty": "WAHYU SANTOSO"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000},
                              {"invoice_number": "A2", "balance_minor": 7_000}))
    assert sorted(decided.allocations["invoice_number"]) == ["A1", "A2"]
    assert set(decided.allocations["status"]) == {"suggested"}


def test_the_same_holder_name_for_two_clients_identifies_nobody():
    twins = clients(WAHYU, {"client_id": "8", "name": "Wahyu Santoso"})
    decided = decide(payments({"amount_minor": 7_000, "counterparty": "WAHYU SANTOSO"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000},
                              {"invoice_number": "B1", "balance_minor": 9_000,
                               "client_id": "8"},
                              {"invoice_number": "C1", "balance_minor": 7_000,
                               "client_id": "100"}), twins)
    assert list(decided.allocations["status"]) == ["suggested"]
    assert "one of 2 clients with this name" in decided.allocations["reason"].iat[0]


def test_a_shared_name_and_an_amount_no_other_open_invoice_has_apply_the_money():
    twins = clients(WAHYU, {"client_id": "8", "name": "Wahyu Santoso"})
    decided = decide(payments({"amount_minor": 7_000, "counterparty": "WAHYU SANTOSO"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000},
                              {"invoice_number": "B1", "balance_minor": 9_000,
                               "client_id": "8"}), twins)
    assert list(decided.allocations["status"]) == ["auto"]
    assert "the only open invoice with this amount" in decided.allocations["reason"].iat[0]


def statuses_with_the_amount_elsewhere(holder: str, people: pd.DataFrame,
                                       other: str) -> list[str]:
    """The statuses of money from ``holder`` equal to client 7's one open invoice, while
    client ``other`` has an open invoice of the same amount."""
    decided = decide(payments({"amount_minor": 7_000, "counterparty": holder}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000},
                              {"invoice_number": "B1", "balance_minor": 7_000,
                               "client_id": other}), people)
    return list(decided.allocations["status"])


def test_a_name_that_many_clients_almost_share_is_too_common_to_apply_money():
    people = clients(WAHYU, *COMMON_PEOPLE)
    assert statuses_with_the_amount_elsewhere("WAHYU SANTOSO", people, "200") == ["suggested"]


def test_a_company_name_cut_at_32_characters_identifies_the_company():
    firm = {"client_id": "9", "name": "Laura Klein",
            "company": "Pixel Harbor Hosting Solutions International LLC"}
    decided = decide(payments({"amount_minor": 7_000, "payment_kind": "bank",
                               "counterparty": "PIXEL HARBOR HOSTING SOLUTIONS I"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000,
                               "client_id": "9"}), clients(firm))
    assert list(decided.allocations["status"]) == ["auto"]
    assert "(a cut name)" in decided.allocations["reason"].iat[0]


def test_a_close_spelling_of_the_name_is_only_suggested():
    decided = decide(payments({"amount_minor": 7_000, "counterparty": "WAHYU SANTOSA"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000}))
    assert list(decided.allocations["status"]) == ["suggested"]
    assert "close to WAHYU SANTOSO" in decided.allocations["reason"].iat[0]


def test_a_unique_subset_of_the_clients_invoices_is_settled_together_and_listed():
    decided = decide(payments({"amount_minor": 16_000, "counterparty": "WAHYU SANTOSO"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000},
                              {"invoice_number": "A2", "balance_minor": 9_000},
                              {"invoice_number": "A3", "balance_minor": 5_000}))
    allocs = decided.allocations
    assert sorted(allocs["invoice_number"]) == ["A1", "A2"]
    assert set(allocs["status"]) == {"auto"} and set(allocs["rule"]) == {"client_subset_sum"}
    assert "A1, A2" in allocs["reason"].iat[0]


def test_a_shared_name_with_a_unique_subset_the_text_lists_settles_them():
    twins = clients(WAHYU, {"client_id": "8", "name": "Wahyu Santoso"})
    decided = decide(payments({"amount_minor": 16_000, "counterparty": "WAHYU SANTOSO",
                               "text": "invoices 10001, 10002"}),
                     invoices({"invoice_number": "10001", "balance_minor": 7_000},
                              {"invoice_number": "10002", "balance_minor": 9_000},
                              {"invoice_number": "10003", "balance_minor": 5_000}), twins)
    assert list(decided.allocations["status"]) == ["auto", "auto"]
    assert "the payment text lists them all" in decided.allocations["reason"].iat[0]


def test_a_sum_two_sets_of_invoices_reach_is_only_suggested():
    decided = decide(payments({"amount_minor": 12_000, "counterparty": "WAHYU SANTOSO"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000},
                              {"invoice_number": "A2", "balance_minor": 5_000},
                              {"invoice_number": "A3", "balance_minor": 4_000},
                              {"invoice_number": "A4", "balance_minor": 8_000}))
    assert set(decided.allocations["status"]) == {"suggested"}
    assert "one of several sets" in decided.allocations["reason"].iat[0]


def test_a_wire_fee_within_tolerance_settles_the_clients_invoice_and_records_the_fee():
    fee = Settings(fee_tolerance={"bank": {"IDR": FeeTolerance(fixed=Decimal("10"))}})
    decided = decide(payments({"amount_minor": 6_500, "counterparty": "WAHYU SANTOSO"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000}), settings=fee)
    row = decided.allocations.iloc[0]
    assert (row["status"], row["rule"], row["applied_minor"], row["fee_minor"]) == (
        "auto", "client_fee", 6_500, 500)


def test_a_partial_payment_of_the_clients_only_open_invoice_is_suggested():
    decided = decide(payments({"amount_minor": 3_000, "counterparty": "WAHYU SANTOSO"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000}))
    row = decided.allocations.iloc[0]
    assert (row["status"], row["rule"], row["applied_minor"]) == ("suggested",
                                                                   "client_partial", 3_000)


def test_two_payments_that_fit_one_invoice_are_both_suggested_never_both_applied():
    decided = decide(payments({"amount_minor": 7_000, "counterparty": "WAHYU SANTOSO"},
                              {"amount_minor": 7_000, "counterparty": "WAHYU SANTOSO"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000}))
    assert list(decided.allocations["status"]) == ["suggested", "suggested"]


def test_money_from_nobody_known_is_left_to_the_next_pass():
    decided = decide(payments({"amount_minor": 7_000, "counterparty": "JOHN DOE"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000}))
    assert decided.allocations.empty and decided.unmatched.empty


def test_an_approved_holder_name_becomes_an_alias_that_identifies_the_client():
    key = "bank:0372543386:T1"
    approved = {"match_id": match_id(key, "A1"), "entry": "allocation", "status": "confirmed",
                "money_key": key, "payment_kind": "bank", "invoice_number": "A1",
                "applied_minor": 5_000, "fee_minor": 0, "currency": "IDR", "rule": "manual",
                "reason": "approved", "source_date": pd.Timestamp("2026-11-02").date(),
                "as_of": pd.Timestamp("2026-11-02").date(), "user": "rina", "evidence": ""}
    pays = payments({"amount_minor": 5_000, "counterparty": "SITI AMINAH"},
                    {"amount_minor": 7_000, "counterparty": "IBU SITI AMINAH"})
    invs = invoices({"invoice_number": "A1", "balance_minor": 5_000},
                    {"invoice_number": "A2", "balance_minor": 7_000})
    result = run(pays, invs, clients=clients(WAHYU),
                 ledger=pd.DataFrame([approved], columns=LEDGER_COLUMNS))
    assert outcome(result, 2) == ("auto",)
    row = result.allocations[result.allocations["payment_id"] == 2].iloc[0]
    assert row["invoice_number"] == "A2"
    assert "confirmed account-holder alias SITI AMINAH" in row["reason"]


COMMON = clients(WAHYU, *COMMON_PEOPLE)
THREE_OF = {"A1": 7_000, "A2": 9_000, "A3": 5_000}


def three_invoices(**more) -> pd.DataFrame:  # noqa: ANN003
    return invoices(*[{"invoice_number": n, "balance_minor": b, **more}
                      for n, b in THREE_OF.items()])


def test_a_common_name_only_this_client_bears_with_a_unique_exact_subset_settles_it():
    decided = decide(payments({"amount_minor": 16_000, "counterparty": "WAHYU SANTOSO"}),
                     three_invoices(), COMMON)
    allocs = decided.allocations
    assert sorted(allocs["invoice_number"]) == ["A1", "A2"]
    assert set(allocs["status"]) == {"auto"} and set(allocs["rule"]) == {"client_subset_sum"}


def test_a_common_name_with_a_sum_two_sets_of_invoices_reach_is_only_suggested():
    decided = decide(payments({"amount_minor": 12_000, "counterparty": "WAHYU SANTOSO"}),
                     invoices({"invoice_number": "A1", "balance_minor": 7_000},
                              {"invoice_number": "A2", "balance_minor": 5_000},
                              {"invoice_number": "A3", "balance_minor": 4_000},
                              {"invoice_number": "A4", "balance_minor": 8_000}), COMMON)
    assert set(decided.allocations["status"]) == {"suggested"}


def test_the_same_holder_name_for_two_clients_with_a_unique_subset_is_only_suggested():
    twins = clients(WAHYU, {"client_id": "8", "name": "Wahyu Santoso"})
    decided = decide(payments({"amount_minor": 16_000, "counterparty": "WAHYU SANTOSO"}),
                     three_invoices(), twins)
    assert set(decided.allocations["status"]) == {"suggested"}
    assert "one of 2 clients with this name" in decided.allocations["reason"].iat[0]


def test_a_close_spelling_with_a_unique_subset_is_only_suggested():
    decided = decide(payments({"amount_minor": 16_000, "counterparty": "WAHYU SANTOSA"}),
                     three_invoices())
    assert set(decided.allocations["status"]) == {"suggested"}


def semi_common(name: str, kind: str) -> pd.DataFrame:
    """``name`` (three words) for client 7, each of its words on 15 other clients too."""
    words = name.split()
    others = [{"client_id": str(400 + 15 * i + j), kind: f"{w} Other{chr(65 + j)}x{i}"}
              for i, w in enumerate(words) for j in range(15)]
    return clients({"client_id": "7", kind: name, "email": ""}, *others)


def test_two_given_names_and_a_family_name_of_common_words_still_name_one_person():
    people = semi_common("Wahyu Adi Santoso", "name")
    assert statuses_with_the_amount_elsewhere("WAHYU ADI SANTOSO", people, "400") == ["auto"]


def test_a_firm_name_of_three_common_words_is_not_distinctive():
    people = semi_common("Maju Jaya Abadi", "company")
    assert statuses_with_the_amount_elsewhere("PT MAJU JAYA ABADI", people,
                                              "400") == ["suggested"]
