"""The web pages' reads: the review queue, the lists, the details and the invoice search, with
their filters and stable paging, on a store reconciled as the nightly run does."""

from __future__ import annotations

import datetime as dt

import pytest

from flows.steps import reconcile
from pipeline.settings import Settings
from pipeline.store import browse
from pipeline.store.browse import Filters
from pipeline.store.browse_detail import invoice_detail, money_detail
from pipeline.store.browse_invoices import open_invoices, search_invoices

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def night(store, ingest, make):
    """Invoices of two clients and one night's money: a line naming its invoice (auto), two
    lines whose amount equals open balances (suggestions), one matching nothing (unmatched),
    one naming a paid invoice (exception), and a gateway charge in USD nothing explains."""
    ingest([make.invoice("10908", 7_000_00, client_name="Budi <b>Santoso</b>"),
            make.invoice("10909", 5_000_00, client_id="C2", client_name="PT 100% Maju"),
            make.invoice("10910", 2_500_00, client_id="C2", client_name="PT 100% Maju"),
            make.invoice("10911", 3_000_00, client_id="C2", client_name="PT 100% Maju"),
            make.invoice("10912", 900_00, balance=0, status="Paid")],
           name="invoices.csv", kind="invoice")
    ingest([make.bank("TRX-1", 3_000_00, description="INV 10911 HOSTING", line=2, file="bca.csv"),
            make.bank("TRX-2", 7_000_00, description="TRANSFER DARI B SANTOSO <script>",
                      line=3, day=DAY - dt.timedelta(days=1), file="bca.csv"),
            make.bank("TRX-3", 5_000_00, description="=HYPERLINK(\"x\")", line=4, file="bca.csv"),
            make.bank("TRX-4", 123_45, description="SETORAN TUNAI", line=5, file="bca.csv"),
            make.bank("TRX-5", 900_00, description="INV 10912", line=6, file="bca.csv")],
           name="bca.csv")
    ingest([make.gateway("txn_1", 42_00, customer_email="x@example.com")], name="stripe.csv",
           kind="gateway")
    reconcile(db_url=store.url, as_of=DAY, settings=Settings())
    return store


def all_pages(store, query, filters=browse.NO_FILTERS, limit=1, **kw) -> list[dict]:
    rows, after = [], None
    while True:
        page = store.read(query, filters, after=after, limit=limit, **kw)
        rows += page.rows
        if page.next_after is None:
            return rows
        after = page.next_after


def test_the_review_queue_shows_the_money_the_invoice_the_difference_and_the_rule(night):
    queue = night.read(browse.review_queue).rows
    assert [r["invoice_number"] for r in queue] == ["10908", "10909"]
    first = queue[0]
    assert first["bank_text"] == "TRANSFER DARI B SANTOSO <script>"  # raw: the template escapes
    assert first["money_amount_minor"] == 7_000_00 and first["source_file"] == "bca.csv"
    assert first["client_name"] == "Budi <b>Santoso</b>" and first["due_date"] == DAY
    assert first["difference_minor"] == 0 and first["rule"] == "amount_only"
    assert "only the amount" in first["rule_words"] and "10908" in first["reason"]


def test_a_paged_list_returns_every_row_once_in_a_stable_order(night):
    whole = night.read(browse.unmatched, limit=100).rows
    paged = all_pages(night, browse.unmatched)
    assert [r["id"] for r in paged] == [r["id"] for r in whole] and len(whole) >= 2
    backwards = all_pages(night, browse.unmatched, descending=True)
    assert [r["id"] for r in backwards] == [r["id"] for r in reversed(whole)]


def test_lists_filter_by_currency_source_date_and_kind(night):
    assert {r["money_currency"] for r in night.read(
        browse.unmatched, Filters(currency="USD")).rows} == {"USD"}
    assert {r["payment_kind"] for r in night.read(
        browse.unmatched, Filters(source="gateway")).rows} == {"gateway"}
    assert {r["source_file"] for r in night.read(
        browse.unmatched, Filters(source="bca.csv")).rows} == {"bca.csv"}
    early = night.read(browse.review_queue, Filters(date_to=DAY - dt.timedelta(days=1))).rows
    assert [r["invoice_number"] for r in early] == ["10908"]
    assert night.read(browse.review_queue, Filters(kind="client_amount")).rows == []
    reasons = night.read(browse.unmatched, Filters(kind="no_reference")).rows
    assert reasons and all(r["reason"].startswith("no_reference") for r in reasons)
    found = night.read(browse.exceptions, Filters(kind="payment_on_paid_invoice")).rows
    assert [r["invoice_number"] for r in found] == ["10912"]


def test_the_other_lists_read_without_rows_when_there_is_nothing(night):
    for query in (browse.payouts, browse.tickets, browse.credits):
        page = night.read(query, Filters(currency="EUR"))
        assert page.rows == [] and page.next_after is None


def test_open_invoices_carry_their_aging_and_recommended_action(night):
    rows = night.read(open_invoices, settings=Settings(), as_of=DAY + dt.timedelta(days=20)).rows
    numbers = [r["invoice_number"] for r in rows]
    assert "10911" not in numbers and "10912" not in numbers  # paid by money / by billing
    held = {r["invoice_number"]: r for r in rows}
    assert held["10908"]["action"] == "hold" and "awaits review" in held["10908"]["why"]
    assert held["10910"]["bucket"] == "1-30" and held["10910"]["days_overdue"] == 20
    overdue = night.read(open_invoices, Filters(kind="overdue"), settings=Settings(),
                         as_of=DAY, limit=1)
    assert overdue.rows == [] and overdue.next_after is None


def test_the_invoice_search_finds_by_number_client_and_name_escaping_wildcards(night):
    assert [r["invoice_number"] for r in night.read(search_invoices, "10908")] == ["10908"]
    by_name = night.read(search_invoices, "100% maju")
    assert [r["invoice_number"] for r in by_name] == ["10909", "10910"]
    literal = night.read(search_invoices, "% MAJU")  # a wildcard is looked for as text
    assert [r["invoice_number"] for r in literal] == ["10909", "10910"]
    assert night.read(search_invoices, "_aju") == [] and night.read(search_invoices, "") == []
    assert [r["invoice_number"] for r in night.read(search_invoices, "C2")] == ["10909",
                                                                               "10910"]


def test_an_invoice_detail_has_its_money_history_exceptions_and_ledger(night):
    paid = night.read(invoice_detail, "10911")
    assert [a["status"] for a in paid["allocations"]] == ["auto"]
    assert paid["allocations"][0]["bank_text"] == "INV 10911 HOSTING"
    assert [e["entry"] for e in paid["ledger"]] == ["allocation"]
    assert night.read(invoice_detail, "10912")["exceptions"][0]["kind"] == \
        "payment_on_paid_invoice"
    assert night.read(invoice_detail, "99999") is None


def test_a_money_line_detail_reads_the_candidates_the_engine_kept(night):
    line = night.read(browse.review_queue).rows[1]
    detail = night.read(money_detail, "bank", line["payment_id"])
    assert detail["money_key"].startswith("bank:") and detail["unmatched"] == []
    assert [(c["invoice_number"], c["pass_name"], c["outcome"])
            for c in detail["candidates"]] == [("10909", "amount", "suggested")]
    paid = night.read(browse.exceptions, Filters(kind="payment_on_paid_invoice")).rows[0]
    dropped = night.read(money_detail, "bank", paid["payment_id"])["candidates"]
    assert [(c["invoice_number"], c["outcome"]) for c in dropped] == [("10912", "dropped")]
    assert "already paid" in dropped[0]["reason"]
    assert night.read(money_detail, "bank", 999_999) is None
