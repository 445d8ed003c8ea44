"""A relative paying: money from nobody known, whose holder bears the family name of the
client of one of several open invoices with its amount, suggests that invoice only; never
an auto match."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from pipeline.frames import CLIENT_COLUMNS
from pipeline.matching.by_amount import by_amount
from tests.unit.matching.helpers import invoices, payments, work

PEOPLE = {"7": "Rina Siahaan", "8": "Budi Santoso", "9": "Dewi Lestari", "10": "Agus Halim"}


def clients(people: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"client_id": k, "name": v, "company": "", "email": "",
                          "created_at": None} for k, v in people.items()])[CLIENT_COLUMNS]


def four_invoices_of(amount: int = 7_000) -> pd.DataFrame:
    return invoices(*[{"invoice_number": f"A{k}", "balance_minor": amount, "client_id": k}
                      for k in PEOPLE])


def decide(holder: str, people: dict[str, str] = PEOPLE, invs: pd.DataFrame | None = None):  # noqa: ANN201
    base = work(payments({"amount_minor": 7_000, "counterparty": holder}),
                four_invoices_of() if invs is None else invs)
    return by_amount(replace(base, clients=clients(people)))


def test_a_holder_with_a_clients_family_name_suggests_only_that_clients_invoice():
    decided = decide("EKO SIAHAAN")
    row = decided.allocations.iloc[0]
    assert len(decided.allocations) == 1 and decided.unmatched.empty
    assert (row["invoice_number"], row["status"], row["rule"]) == (
        "A7", "suggested", "amount_family_name")
    assert "family name SIAHAAN of client 7" in row["reason"]
    assert "one of the 4 open invoices with this amount" in row["reason"]


def test_a_relative_is_never_applied_even_when_one_invoice_fits():
    decided = decide("EKO SIAHAAN")
    assert "auto" not in set(decided.allocations["status"])


def test_two_clients_of_that_family_name_with_the_amount_are_both_suggested():
    decided = decide("EKO SIAHAAN", {**PEOPLE, "8": "Budi Siahaan"})
    assert sorted(decided.allocations["invoice_number"]) == ["A7", "A8"]
    assert set(decided.allocations["status"]) == {"suggested"}


def test_a_family_name_many_clients_bear_tells_nothing():
    many = {str(20 + i): f"Person{chr(65 + i)} Siahaan" for i in range(6)}
    decided = decide("EKO SIAHAAN", {**PEOPLE, **many})
    assert decided.allocations.empty
    assert decided.unmatched["reason"].str.startswith("ambiguous_amount").all()


def test_a_relative_of_a_client_without_an_invoice_of_this_amount_changes_nothing():
    invs = invoices(*[{"invoice_number": f"A{k}", "balance_minor": 9_000 if k == "7" else 7_000,
                       "client_id": k} for k in PEOPLE])
    decided = decide("EKO SIAHAAN", invs=invs)
    assert set(decided.allocations["rule"]) == {"amount_only"}
    assert sorted(decided.allocations["invoice_number"]) == ["A10", "A8", "A9"]
