"""The demo inbox shows the whole mission (sample_data/README.md "Expected outcome")."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def demo_reports(prefect_harness, tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    from flows.cli import app

    work = tmp_path_factory.mktemp("demo")
    previous = Path.cwd()
    import os

    os.chdir(work)
    try:
        result = CliRunner().invoke(app, ["demo"])
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    return work / "payrecon-demo" / "reports"


def status_of(reports: Path) -> dict[str, str]:
    return {r["invoice_number"]: r["status"] for r in rows(reports / "invoices.csv")}


def test_the_demo_settles_what_names_or_proves_its_invoice(demo_reports):
    statuses = status_of(demo_reports)
    for number in ("10908", "10911", "10912", "10913", "10915", "10916", "10918", "10919",
                   "INV-2026-00123"):
        assert statuses[number] == "paid", number
    assert statuses["10920"] == "partially_paid"


def test_the_demo_wire_fee_is_recorded(demo_reports):
    wire = [r for r in rows(demo_reports / "matches.csv")
            if r["invoice_number"] == "INV-2026-00123"]
    assert [(r["status"], r["applied_amount"]) for r in wire] == [("auto", "70.00")]
    assert "fee" in wire[0]["reason"]


def test_the_demo_refund_reopens_its_invoice(demo_reports):
    assert status_of(demo_reports)["10914"] != "paid"
    kinds = {(r["kind"], r["invoice_number"]) for r in rows(demo_reports / "exceptions.csv")}
    assert ("refund", "10914") in kinds


def test_the_demo_payouts_are_verified_and_are_not_customer_money(demo_reports):
    payouts = rows(demo_reports / "payouts.csv")
    assert {p["status"] for p in payouts} == {"verified"}
    assert all(p["bank_source_file"] == "chase-usd.ofx" for p in payouts)
    unmatched = {r["amount"] for r in rows(demo_reports / "unmatched.csv")}
    assert not unmatched & {"174.18", "85.59"}
    other = {(r["kind"], r["amount"]) for r in rows(demo_reports / "other_money.csv")}
    assert {("payout", "174.18"), ("payout", "85.59")} <= other


def test_the_demo_tickets_are_one_verified_and_one_claim_without_money(demo_reports):
    tickets = {t["ticket_id"]: t for t in rows(demo_reports / "tickets.csv")}
    assert tickets["BIL-740101"]["status"] == "verified"
    assert tickets["BIL-740101"]["bank_source_file"] == "bank-bca-idr.csv"
    assert tickets["BIL-740155"]["status"] == "claimed_not_received"
