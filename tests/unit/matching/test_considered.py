"""The engine keeps, per money line, the invoices each pass considered and why each was taken,
suggested or dropped: the money line's page reads them and recomputes nothing."""

from __future__ import annotations

import pandas as pd

from pipeline.frames import CANDIDATE_COLUMNS, CLIENT_COLUMNS, LEDGER_COLUMNS
from pipeline.matching.considered import PER_PASS, REJECTED_BEFORE
from pipeline.matching.ledger import match_id
from tests.unit.matching.helpers import AS_OF, invoices, payments, run


def considered(result, payment_id: int = 1) -> list[tuple[str, str, str, str]]:
    rows = result.candidates[result.candidates["payment_id"] == payment_id]
    return list(zip(rows["invoice_number"], rows["pass_name"], rows["rule"], rows["outcome"],
                    strict=True))


def reason_of(result, invoice_number: str) -> str:
    rows = result.candidates
    return rows.loc[rows["invoice_number"] == invoice_number, "reason"].iloc[0]


def test_the_candidates_frame_has_its_columns_keyed_by_the_money_line():
    result = run(payments({"amount_minor": 5_000, "text": "INV 10908"}),
                 invoices({"invoice_number": "10908", "balance_minor": 5_000}))
    assert list(result.candidates.columns) == CANDIDATE_COLUMNS
    assert list(result.candidates["payment_kind"]) == ["bank"]


def test_an_invoice_named_and_paid_exactly_is_a_candidate_the_references_pass_took():
    result = run(payments({"amount_minor": 5_000, "text": "INV 10908"}),
                 invoices({"invoice_number": "10908", "balance_minor": 5_000},
                          {"invoice_number": "10909", "balance_minor": 5_000}))
    assert considered(result) == [("10908", "references", "reference_amount", "taken")]


def test_a_named_invoice_already_paid_is_dropped_with_the_reason_in_words():
    result = run(payments({"amount_minor": 5_000, "text": "Invoice #10901"}),
                 invoices({"invoice_number": "10901", "balance_minor": 0, "total_minor": 5_000,
                           "status": "Paid"}))
    assert considered(result)[0] == ("10901", "references", "payment_on_paid_invoice",
                                     "dropped")
    assert "invoice is already paid" in reason_of(result, "10901")


def test_a_number_listed_after_a_reference_the_amount_does_not_confirm_is_dropped():
    result = run(payments({"amount_minor": 7_000, "text": "INV 10908 40115"}),
                 invoices({"invoice_number": "10908", "balance_minor": 7_000},
                          {"invoice_number": "40115", "balance_minor": 9_000}))
    assert ("40115", "references", "reference_list", "dropped") in considered(result)
    assert "does not confirm the list" in reason_of(result, "40115")


def test_invoices_sharing_the_amount_are_each_suggested_by_the_amount_pass():
    result = run(payments({"amount_minor": 5_000, "text": "TRANSFER"}),
                 invoices({"invoice_number": "A1", "balance_minor": 5_000},
                          {"invoice_number": "A2", "balance_minor": 5_000}))
    assert {(i, o) for i, _, _, o in considered(result)} == {("A1", "suggested"),
                                                             ("A2", "suggested")}


def test_an_amount_too_many_invoices_share_names_only_the_first_few_as_dropped():
    many = [{"invoice_number": f"A{i}", "balance_minor": 5_000} for i in range(40)]
    result = run(payments({"amount_minor": 5_000, "text": "TRANSFER"}), invoices(*many))
    rows = considered(result)
    assert [(p, o) for _, p, _, o in rows] == [("amount", "dropped")] * 3
    assert "one of 40 open invoices with this amount" in reason_of(result, "A0")


def test_a_known_payers_invoices_no_rule_fits_are_dropped_at_most_a_few_per_line():
    people = pd.DataFrame([{"client_id": "7", "name": "Wahyu Santoso", "company": "",
                            "email": "wahyu@example.co.id", "created_at": None}])[CLIENT_COLUMNS]
    own = [{"invoice_number": f"W{i}", "balance_minor": 9_000 + i} for i in range(9)]
    result = run(payments({"amount_minor": 7_000, "payment_kind": "gateway",
                           "text": "hosting | W S | wahyu@example.co.id"}),
                 invoices(*own), clients=people)
    client_rows = [r for r in considered(result) if r[1] == "clients"]
    assert len(client_rows) == PER_PASS and {r[3] for r in client_rows} == {"dropped"}
    assert "no client rule fits" in reason_of(result, "W0")


def test_a_pair_finance_rejected_is_kept_as_dropped_with_that_reason():
    pays = payments({"amount_minor": 5_000, "text": "TRANSFER"})
    invs = invoices({"invoice_number": "A1", "balance_minor": 5_000})
    rejected = pd.DataFrame([{
        "match_id": match_id("bank:0372543386:T1", "A1"), "entry": "decision",
        "status": "rejected", "money_key": "bank:0372543386:T1", "payment_kind": "bank",
        "invoice_number": "A1", "applied_minor": 0, "fee_minor": 0, "currency": "IDR",
        "rule": "amount_only", "reason": "rejected by rina", "source_date": AS_OF,
        "as_of": AS_OF, "user": "rina", "evidence": ""}])[LEDGER_COLUMNS]
    result = run(pays, invs, ledger=rejected)
    assert considered(result) == [("A1", "amount", "amount_only", "dropped")]
    assert reason_of(result, "A1").startswith(REJECTED_BEFORE)


def test_money_no_pass_looked_at_an_invoice_for_has_no_candidates():
    result = run(payments({"amount_minor": 1_234, "text": "SETORAN TUNAI"}),
                 invoices({"invoice_number": "A1", "balance_minor": 5_000}))
    assert result.candidates.empty and list(result.candidates.columns) == CANDIDATE_COLUMNS
