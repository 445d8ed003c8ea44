"""The accuracy benchmark's scoring (benchmarks/accuracy_score.py, accuracy_checks.py) on a
hand-made truth and hand-made export frames."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import accuracy_checks as checks  # noqa: E402
from benchmarks import accuracy_score as score  # noqa: E402

BANK = "bca.csv"
OFX = "chase.ofx"


def money(line=None, ref=None, file=BANK, amount="100.00", klass="payment", evidence="reference",
          allocations=(), currency="IDR", kind="bank", of=None) -> dict:
    return {"file": file, "ref": ref, "line": line, "amount": amount, "currency": currency,
            "class": klass, "evidence": evidence, "source_kind": kind, "of": of,
            "allocations": [{"invoice": i, "amount": a} for i, a in allocations]}


TRUTH = {
    "money": [
        money(8, allocations=[("10100", "100.00")]),  # referenced, auto in the exports
        money(9, evidence="ticket", allocations=[("10101", "100.00")]),  # suggested only
        money(10, evidence="client_identity", allocations=[("10102", "100.00")]),  # missed
        money(11, klass="credit", amount="50.00"),  # pays a Paid invoice: never to apply
        money(ref="F1", file=OFX, amount="20.00", klass="other", currency="USD"),
        money(12, klass="after_as_of", amount="70.00"),
    ],
    "invoices": [
        {"invoice_number": "10100", "status": "paid", "paid_amount": "100.00"},
        {"invoice_number": "10101", "status": "paid", "paid_amount": "100.00"},
        {"invoice_number": "10102", "status": "paid", "paid_amount": "100.00"},
    ],
    "tickets": [
        {"ticket_id": "T1", "class": "verified", "bank": {"file": BANK, "ref": None, "line": 9}},
        {"ticket_id": "T2", "class": "unknown_destination_account", "bank": None},
        {"ticket_id": "T3", "class": "claimed_not_received", "bank": None},
    ],
    "payouts": [],
}


def matches(*rows: tuple) -> pd.DataFrame:
    """(file, ref, line, invoice, status, applied) rows as matches.csv reads back."""
    return pd.DataFrame([{"source_file": f, "source_ref": r, "source_line": n,
                          "invoice_number": i, "status": s, "applied_amount": a}
                         for f, r, n, i, s, a in rows])


EXPORTS = matches((BANK, "", "8", "10100", "auto", "100.00"),
                  (BANK, "", "9", "10101", "suggested", "100.00"),
                  (BANK, "", "11", "10999", "auto", "50.00"))


def test_a_record_is_named_by_its_line_when_it_has_one_else_by_its_natural_key():
    assert score.record_key(BANK, "h:abc", "8") == "bca.csv#8"
    assert score.record_key(OFX, "F1", "") == "chase.ofx@F1"
    assert score.record_key(OFX, "F1", None) == "chase.ofx@F1"


def test_precision_and_recall_of_auto_are_counted_per_evidence_class():
    table = score.link_scores(TRUTH, EXPORTS, score.SETTLED).set_index("evidence")
    assert table.loc["reference", ["true", "predicted", "correct"]].tolist() == [1, 1, 1]
    assert table.loc["ticket", "recall"] == 0.0
    assert table.loc["not_payment", "predicted"] == 1  # the auto on the credit
    assert table.loc["all", "precision"] == 0.5
    assert table.loc["all", "recall"] == round(1 / 3, 4)


def test_a_suggestion_counts_only_when_suggestions_are_scored_too():
    table = score.link_scores(TRUTH, EXPORTS, ("auto", "suggested")).set_index("evidence")
    assert table.loc["ticket", "recall"] == 1.0
    assert pd.isna(table.loc["amount_only", "precision"])


def test_an_auto_link_the_truth_does_not_have_is_a_false_auto_with_the_records_class():
    wrong = score.false_autos(TRUTH, EXPORTS)
    assert wrong[["key", "invoice", "true_class"]].values.tolist() == [
        ["bca.csv#11", "10999", "credit"]]


def test_invoice_status_and_paid_amount_are_compared_with_the_truth():
    got = pd.DataFrame({"invoice_number": ["10100", "10101"], "status": ["paid", "unpaid"],
                        "paid_amount": ["100.00", "0.00"]})
    result = score.invoice_accuracy(TRUTH, got)
    assert (result["invoices"], result["status_correct"], result["paid_correct"]) == (3, 1, 1)
    assert result["confusion"].loc["paid", "missing"] == 1


def test_a_ticket_is_verified_only_by_its_own_bank_line_and_a_foreign_account_is_rejected():
    tickets = pd.DataFrame({
        "ticket_id": ["T1", "T2", "T3"], "status": ["verified", "rejected", "pending"],
        "bank_source_file": [BANK, "", ""], "bank_source_ref": ["", "", ""],
        "bank_source_line": ["9", "", ""]})
    table = checks.ticket_scores(TRUTH, tickets, None).set_index("class")
    assert table["caught"].to_dict() == {"claimed_not_received": 0,
                                         "unknown_destination_account": 1, "verified": 1}
    wrong_line = tickets.assign(bank_source_line=["10", "", ""])
    assert checks.ticket_scores(TRUTH, wrong_line, None).set_index("class").loc[
        "verified", "caught"] == 0


def test_findings_the_exports_do_not_have_count_as_zero_caught():
    bank_line = money(ref="F9", file=OFX, klass="payout", currency="USD")
    later_line = money(ref="F10", file=OFX, klass="after_as_of", currency="USD")
    payouts = {"money": [bank_line, later_line], "payouts": [
        {"payout_id": "po_1", "bank": bank_line}, {"payout_id": "po_2", "bank": later_line}]}
    assert checks.payout_scores(payouts, None) == {"payouts": 1, "verified": 0, "in_transit": 1}
    table = checks.gateway_scores({"money": [money(3, file="stripe.csv", klass="refund",
                                                   amount="-5.00", of=None)]}, None)
    assert table.set_index("class").loc["refund", "caught"] == 0


def test_the_tie_out_accounts_money_per_currency_and_shows_the_difference():
    unmatched = pd.DataFrame({"source_file": [BANK], "source_ref": [""], "source_line": ["10"],
                              "amount": ["100.00"]})
    exports = {"matches": EXPORTS, "unmatched": unmatched, "other_money": None, "credits": None}
    table = checks.tie_out(TRUTH, exports).set_index(["currency", "source_kind"])
    idr = table.loc[("IDR", "bank")]
    assert idr["money_in"] == Decimal("420.00")
    assert (idr["applied"], idr["suggested"], idr["unmatched"]) == (
        Decimal("150.00"), Decimal("100.00"), Decimal("100.00"))
    assert idr["difference"] == Decimal("70.00")  # the money after the as-of date
    assert idr["credit"] is None and idr["non_customer"] is None
    assert table.loc[("USD", "bank"), "difference"] == Decimal("20.00")
    left = checks.unaccounted(TRUTH, exports).set_index(["currency", "class"])
    assert left.loc[("IDR", "after_as_of"), "amount"] == Decimal("70.00")


def test_links_found_are_also_counted_per_situation_of_the_payment():
    truth = {"money": [money(8, allocations=[("10100", "100.00")]),
                       {**money(9, allocations=[("10101", "60.00"), ("10102", "40.00")]),
                        "detail": "mass payment"}]}
    table = score.situation_scores(truth, EXPORTS).set_index("situation")
    assert table.loc["plain", ["true", "auto"]].tolist() == [1, 1]
    assert table.loc["mass payment", ["true", "auto", "auto_or_suggested"]].tolist() == [2, 0, 1]


def test_missing_exports_read_as_empty_or_absent_and_score_as_nothing_caught(tmp_path):
    exports = score.read_exports(tmp_path)
    assert exports["matches"].empty and exports["other_money"] is None
    assert len(score.false_autos(TRUTH, exports["matches"])) == 0
    table = checks.noise_scores(TRUTH, exports["other_money"]).set_index("class")
    assert table.loc["other", "records"] == 1
    assert table.loc["other", "listed_as_other_money"] is None
    listed = pd.DataFrame({"source_file": [OFX], "source_ref": ["F1"], "source_line": [""],
                           "kind": ["other"]})
    assert checks.noise_scores(TRUTH, listed).set_index("class").loc[
        "other", "listed_as_other_money"] == 1


def test_unmatched_money_whose_reason_says_after_as_of_counts_as_after_as_of():
    unmatched = pd.DataFrame({"source_file": [BANK, BANK], "source_ref": ["", ""],
                              "source_line": ["10", "12"], "amount": ["100.00", "70.00"],
                              "reason": ["no_reference: ...", "after_as_of: dated later"]})
    exports = {"matches": EXPORTS, "unmatched": unmatched}
    idr = checks.tie_out(TRUTH, exports).set_index(["currency", "source_kind"]).loc[
        ("IDR", "bank")]
    assert (idr["unmatched"], idr["after_as_of"], idr["difference"]) == (
        Decimal("100.00"), Decimal("70.00"), Decimal("0.00"))


def test_status_accuracy_with_evidence_leaves_out_invoices_paid_by_money_with_none():
    truth = {**TRUTH, "money": [*TRUTH["money"], money(13, evidence="none",
                                                       allocations=[("10103", "100.00")])],
             "invoices": [*TRUTH["invoices"], {"invoice_number": "10103", "status": "paid",
                                               "paid_amount": "100.00"},
                          {"invoice_number": "10104", "status": "unpaid",
                           "paid_amount": "0.00"}]}
    got = pd.DataFrame({"invoice_number": ["10100", "10101", "10102", "10103", "10104"],
                        "status": ["paid", "unpaid", "unpaid", "unpaid", "unpaid"],
                        "paid_amount": ["100.00", "0.00", "0.00", "0.00", "0.00"]})
    result = score.status_with_evidence(truth, got)
    assert (result["invoices"], result["status_correct"], result["left_out"]) == (4, 2, 1)
    assert result["errors"] == {"ticket": 1, "client_identity": 1, "none": 1}
