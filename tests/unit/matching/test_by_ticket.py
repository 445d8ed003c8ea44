"""The tickets pass: a confirmation ticket verified against one bank line lends it its invoice."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.frames import TICKET_COLUMNS
from pipeline.matching.by_ticket_claims import ticket_payment_ids
from pipeline.matching.by_ticket_names import clean_name, name_score
from pipeline.settings import Settings, ShopAccount
from tests.unit.matching.helpers import AS_OF, invoices, payments, run

SHOP = Settings(accounts=[ShopAccount(number="0372543386", bank="BCA", currency="IDR")])


def tickets(*rows: dict) -> pd.DataFrame:
    base = {"source_format": "tickets-jsonl", "source_file": "tickets.jsonl", "source_ref": "",
            "created_date": dt.date(2026, 11, 3), "invoice_number": "10912",
            "claimed_amount_minor": 83_250_000, "currency": "IDR",
            "claimed_date": dt.date(2026, 11, 2), "account_holder": "Budi Santoso",
            "destination_account": "0372543386", "claimed_amount_alt_minor": None,
            "channel": "ticket", "name": "", "email": "", "client_id": ""}
    frame = pd.DataFrame([{**base, "ticket_id": f"T{i + 1}", "source_line": i + 1, **row}
                          for i, row in enumerate(rows)])
    return frame[TICKET_COLUMNS]


def line(**kw: object) -> dict:
    return {"amount_minor": 83_250_000, "text": "TRSF E-BANKING CR 0211/FTSCY/WS1 BUDI SANTOSO",
            **kw}


def budi_invoice(**kw: object) -> dict:
    return {"invoice_number": "10912", "balance_minor": 83_250_000, "client_id": "7",
            "client_name": "Budi Santoso", **kw}


def reconcile(pays, invs, ticks, settings=SHOP):  # noqa: ANN001, ANN201
    return run(pays, invs, settings, tickets=ticks)


def status(result, ticket_id: str) -> dict:  # noqa: ANN001
    rows = result.tickets[result.tickets["ticket_id"] == ticket_id]
    assert len(rows) == 1, result.tickets
    return rows.iloc[0].to_dict()


def allocations(result) -> list[tuple]:  # noqa: ANN001
    a = result.allocations
    return list(zip(a["payment_id"], a["invoice_number"], a["status"], a["rule"], strict=True))


def lent(result) -> bool:  # noqa: ANN001
    """Some allocation made by the tickets pass."""
    return bool(result.allocations["rule"].str.startswith("ticket").any())


def test_a_verified_ticket_lends_its_bank_line_its_invoice_automatically():
    result = reconcile(payments(line()), invoices(budi_invoice()), tickets({}))
    assert allocations(result) == [(1, "10912", "auto", "ticket_amount")]
    assert "ticket T1 verified" in result.allocations.iloc[0]["reason"]
    verified = status(result, "T1")
    assert (verified["status"], verified["payment_kind"], verified["payment_id"],
            verified["invoice_number"]) == ("verified", "bank", 1, "10912")


def test_both_readings_of_a_typed_832_500_idr_find_the_bank_line():
    typed = {"claimed_amount_minor": 83_250_000, "claimed_amount_alt_minor": 83_250}
    thousands = reconcile(payments(line()), invoices(budi_invoice()), tickets(typed))
    decimals = reconcile(payments(line(amount_minor=83_250)),
                         invoices(budi_invoice(balance_minor=83_250)), tickets(typed))
    assert status(thousands, "T1")["status"] == status(decimals, "T1")["status"] == "verified"
    assert allocations(decimals) == [(1, "10912", "auto", "ticket_amount")]


def test_a_ticket_with_a_typo_in_its_invoice_number_is_verified_with_a_note():
    invs = invoices(budi_invoice(), {"invoice_number": "10921", "balance_minor": 5_000_000,
                                     "client_id": "8", "client_name": "Rina Tanjung"})
    result = reconcile(payments(line()), invs, tickets({"invoice_number": "1092"}))
    assert allocations(result) == [(1, "10912", "auto", "ticket_amount")]
    assert "read as 10912" in result.allocations.iloc[0]["reason"]
    assert "read as 10912" in status(result, "T1")["detail"]


def test_a_typo_naming_another_clients_invoice_is_read_as_the_tickets_own_invoice():
    invs = invoices(budi_invoice(), {"invoice_number": "10921", "balance_minor": 83_250_000,
                                     "client_id": "8", "client_name": "Rina Tanjung"})
    result = reconcile(payments(line()), invs,
                       tickets({"invoice_number": "10921", "client_id": "7"}))
    assert allocations(result) == [(1, "10912", "auto", "ticket_amount")]


def test_of_two_fitting_invoices_of_the_client_the_typo_reads_as_the_one_it_is_near():
    invs = invoices(budi_invoice(invoice_number="12163"), budi_invoice(invoice_number="12164"))
    result = reconcile(payments(line()), invs,
                       tickets({"invoice_number": "21164", "client_id": "7"}))
    assert allocations(result) == [(1, "12164", "auto", "ticket_amount")]
    assert "read as 12164" in result.allocations.iloc[0]["reason"]


def test_a_typo_near_neither_of_two_fitting_invoices_of_the_client_lends_no_invoice():
    invs = invoices(budi_invoice(invoice_number="12163"), budi_invoice(invoice_number="12164"))
    result = reconcile(payments(line()), invs,
                       tickets({"invoice_number": "99999", "client_id": "7"}))
    assert "auto" not in set(result.allocations["status"])


def test_a_duplicate_ticket_is_linked_to_the_first_and_never_counted_twice():
    result = reconcile(payments(line()), invoices(budi_invoice()), tickets(
        {}, {"ticket_id": "T2", "created_date": dt.date(2026, 11, 4),
             "claimed_amount_alt_minor": 83_250}))
    assert allocations(result) == [(1, "10912", "auto", "ticket_amount")]
    assert status(result, "T2")["detail"] == "same payment as ticket T1"
    duplicate = result.exceptions[result.exceptions["kind"] == "duplicate_ticket"]
    assert list(duplicate["payment_id"]) == list(ticket_payment_ids(pd.Series(["T2"])))
    assert set(duplicate["payment_kind"]) == {"ticket"}


def test_an_unverified_ticket_is_pending_inside_the_window_and_claimed_not_received_after():
    window = Settings().reconciliation_window_days
    result = reconcile(payments(line(amount_minor=1_000)), invoices(budi_invoice()), tickets(
        {"claimed_date": AS_OF - dt.timedelta(days=window - 1)},
        {"ticket_id": "T2", "claimed_date": AS_OF - dt.timedelta(days=window + 3),
         "invoice_number": "10999"}))
    assert status(result, "T1")["status"] == "pending"
    assert status(result, "T2")["status"] == "claimed_not_received"
    claimed = result.exceptions[result.exceptions["kind"] == "claimed_not_received"]
    assert list(claimed["invoice_number"]) == ["10999"]
    assert list(claimed["payment_id"]) == list(ticket_payment_ids(pd.Series(["T2"])))


def test_a_ticket_naming_an_account_that_is_not_the_shops_is_rejected():
    result = reconcile(payments(line()), invoices(budi_invoice()),
                       tickets({"destination_account": "BRI 0021-01-998877-50-3"}))
    assert status(result, "T1")["status"] == "rejected"
    assert list(result.exceptions["kind"]) == ["unknown_destination_account"]
    assert not lent(result)


def test_two_equally_good_bank_lines_never_make_an_auto_match():
    result = reconcile(payments(line(), line()), invoices(budi_invoice()), tickets({}))
    assert not (result.allocations["status"] == "auto").any()
    found = status(result, "T1")
    assert found["status"] == "pending" and "several bank lines fit" in found["detail"]


def test_a_line_dated_nearer_the_claimed_date_is_better_than_one_days_later():
    result = reconcile(payments(line(source_date=dt.date(2026, 11, 5)), line()),
                       invoices(budi_invoice()), tickets({}))
    assert allocations(result) == [(2, "10912", "auto", "ticket_amount")]


def test_a_line_outside_the_date_window_or_from_someone_else_does_not_verify():
    late = line(source_date=dt.date(2026, 11, 12))
    stranger = line(text="TRSF E-BANKING CR 0211/FTSCY/WS1 RINA TANJUNG")
    result = reconcile(payments(late, stranger), invoices(budi_invoice()), tickets({}))
    assert status(result, "T1")["status"] == "claimed_not_received"
    assert not lent(result)


def test_a_line_an_earlier_rule_explained_verifies_the_ticket_without_a_second_allocation():
    result = reconcile(payments(line(text="INV 10912 BUDI SANTOSO")), invoices(budi_invoice()),
                       tickets({}))
    assert allocations(result) == [(1, "10912", "auto", "reference_amount")]
    assert status(result, "T1")["status"] == "verified"


def test_a_line_naming_another_invoice_does_not_verify_a_claim():
    invs = invoices(budi_invoice(), budi_invoice(invoice_number="10777"))
    result = reconcile(payments(line(text="INV 10777 BUDI SANTOSO")), invs, tickets({}))
    assert status(result, "T1")["status"] == "claimed_not_received"


def test_a_verified_ticket_paying_less_than_the_balance_is_a_partial_payment():
    result = reconcile(payments(line(amount_minor=50_000_000)), invoices(budi_invoice()),
                       tickets({"claimed_amount_minor": 50_000_000}))
    assert allocations(result) == [(1, "10912", "auto", "ticket_partial")]
    assert list(result.exceptions["kind"]) == ["underpayment"]


def test_a_cash_deposit_without_a_name_is_only_suggested():
    result = reconcile(payments(line(text="SETORAN TUNAI")), invoices(budi_invoice()),
                       tickets({}))
    assert allocations(result) == [(1, "10912", "suggested", "ticket_unnamed")]
    assert status(result, "T1")["status"] != "verified"


def test_holder_names_match_in_upper_case_swapped_truncated_and_with_titles():
    def score(name: str, counterparty: str = "", text: str = "") -> float:
        return name_score(clean_name(name), clean_name(counterparty), clean_name(text))

    assert score("Budi Santoso", "BUDI SANTOSO") == 100
    assert score("Santoso Budi", "BUDI SANTOSO") == 100
    assert score("Bpk. Budi Santoso", text="KR OTOMATIS IBU BUDI SANTOSO") == 100
    assert score("Summit Labs Hosting Solutions International",
                 "SUMMIT LABS HOSTING SOLUTIONS IN") == 100
    assert score("Budi Santoso", text="TRSF E-BANKING CR BUDI SANTO") >= 85
    assert score("PT Abadi Data", "ABADI DATA") == 100
    assert score("Putri Anggraini", text="CR 2311/FTSCY/WS95522 832500.00PUTRI ANGGRAINI") == 100
    assert score("Bayu Nugroho", text="INV10984 VPS RINA NUGROHO") < 85
    assert score("Budi Santoso", "RINA TANJUNG") < 85


def test_no_tickets_leave_the_result_without_ticket_rows():
    result = run(payments(line()), invoices(budi_invoice()), SHOP)
    assert result.tickets.empty


def test_the_next_night_the_ledger_keeps_the_allocation_and_the_ticket_stays_verified():
    pays, invs, ticks = payments(line()), invoices(budi_invoice()), tickets({})
    night_one = reconcile(pays, invs, ticks)
    night_two = run(pays, invs, SHOP, tickets=ticks, ledger=night_one.entries)
    assert allocations(night_two) == [(1, "10912", "auto", "ticket_amount")]
    assert night_two.entries.empty  # nothing applied twice
    assert status(night_two, "T1")["status"] == "verified"
    assert status(night_two, "T1")["payment_id"] == 1


def test_a_claim_is_judged_on_a_night_without_any_money():
    old = tickets({"claimed_date": AS_OF - dt.timedelta(days=20)})
    result = reconcile(payments(line()).iloc[0:0], invoices(budi_invoice()), old)
    assert status(result, "T1")["status"] == "claimed_not_received"
