"""The reconciliation workbook written to disk and read back with openpyxl: the Summary
says what needs you and ties out per currency, rows show who paid and what the bank said,
Review puts the Decision first, long tables continue on numbered sheets."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.frames import (
    ALLOCATION_COLUMNS,
    CLIENT_COLUMNS,
    EXCEPTION_COLUMNS,
    INVOICE_COLUMNS,
    LEDGER_COLUMNS,
    PAYMENT_COLUMNS,
    REJECT_COLUMNS,
    TICKET_COLUMNS,
    UNMATCHED_COLUMNS,
)
from pipeline.matching import MatchResult
from pipeline.reporting import ReportData, ReportInputs, build_report
from pipeline.settings import Settings
from reports import cells
from reports.exports import write_exports
from reports.overdue import write_overdue_workbook
from reports.workbook import write_reconciliation_workbook

AS_OF = dt.date(2026, 3, 15)
D = dt.date(2026, 3, 1)
HOSTILE = '=HYPERLINK("http://x","y")'


def _frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _invoice(number: str, client: str, name: str, total: int) -> tuple:
    return (number, number, client, name, f"{client}@example.com", "IDR", D, D, total, total,
            "Unpaid", False, None)


def _payment(pid: int, ref: str, amount: int, payer: str, text: str) -> tuple:
    return ("bank", pid, "mt940", "bca.sta", ref, pid + 10, D, amount, "IDR", text, payer,
            "A1", f"bank:A1:{ref}")


def _allocation(pid: int, invoice: str, amount: int, status: str, confidence: float) -> tuple:
    return ("bank", pid, invoice, amount, "IDR", status, "amount_only" if status == "suggested"
            else "reference_amount", confidence, "why", 0, f"m{pid:016d}")


def report_data() -> ReportData:
    invoices = _frame(INVOICE_COLUMNS, [_invoice("100", "7", "Ani", 500_00),
                                        _invoice("101", "8", "Budi", 900_00),
                                        _invoice("102", "9", HOSTILE, 300_00)])
    payments = _frame(PAYMENT_COLUMNS, [
        _payment(1, "r1", 500_00, "ANI SUSANTI", "INV 100"),
        _payment(2, "r2", 900_00, "BUDI", "TRANSFER"),
        _payment(3, "r3", 300_00, HOSTILE, "SETORAN"),
        _payment(4, "r4", 123_00, "NOBODY", "?"),
    ])
    match = MatchResult(
        allocations=_frame(ALLOCATION_COLUMNS, [
            _allocation(1, "100", 500_00, "auto", 0.95),
            _allocation(2, "101", 900_00, "suggested", 0.5),
            _allocation(3, "102", 300_00, "suggested", 0.7),
        ]),
        unmatched=_frame(UNMATCHED_COLUMNS, [("bank", 4, "no_reference")]),
        exceptions=_frame(EXCEPTION_COLUMNS, [("overpayment", "bank", 1, "100", 5_00, "IDR",
                                               "credit")]),
    )
    files = pd.DataFrame({
        "file_name": ["bca.sta", "junk.bin", "all-bad.csv"], "format": ["mt940", "", "bank_csv"],
        "kind": ["bank", "", "bank"], "status": ["ingested", "quarantined", "ingested"],
        "reason": ["", "not a statement", ""], "records_new": [4, 0, 0],
        "records_duplicate": [0, 0, 0], "records_rejected": [0, 0, 3],
        "invoices_updated": [0, 0, 0], "ingested_at": [None, None, None]})
    balances = pd.DataFrame({"account_id": ["A1", "A1"], "kind": ["opening", "closing"],
                             "date": [D, D], "amount_minor": [0, 1_000_00],
                             "currency": ["IDR", "IDR"], "source_format": ["mt940"] * 2,
                             "source_file": ["bca.sta", "bca.sta"], "source_ref": ["b1", "b2"],
                             "source_line": [1, 9]})
    lines = pd.DataFrame({"account_id": ["A1"] * 4, "currency": ["IDR"] * 4,
                          "amount_minor": [500_00, 900_00, 300_00, 123_00],
                          "source_file": ["bca.sta"] * 4})
    ledger = _frame(LEDGER_COLUMNS, [("m0000000000000009", "decision", "rejected", "bank:A1:x",
                                      "bank", "100", 0, 0, "IDR", "amount_only", "rejected by rina",
                                      D, D, "rina", "")])
    inputs = ReportInputs(
        invoices=invoices, clients=_frame(CLIENT_COLUMNS, []), payments=payments, match=match,
        rejects=_frame(REJECT_COLUMNS, []), tickets=_frame(TICKET_COLUMNS, []),
        payouts=pd.DataFrame({"gateway": [], "payout_id": [], "currency": [],
                              "amount_minor": [], "item_count": []}),
        ledger=ledger, files=files, statement_balances=balances, bank_lines=lines,
        database_id="db-test", payout_items=pd.DataFrame({
            "gateway": ["stripe"], "payout_id": ["po_1"], "transaction_id": ["ch_1"],
            "kind": ["charge"], "created_date": [D], "gross_minor": [50_00], "fee_minor": [2_00],
            "net_minor": [48_00], "currency": ["USD"], "customer_name": [HOSTILE],
            "description": ["hosting"]}))
    return build_report(inputs, as_of=AS_OF, settings=Settings())


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("recon") / "reconciliation.xlsx"
    write_reconciliation_workbook(report_data(), path)
    return load_workbook(path)


def rows(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row), strict=True))
            for row in ws.iter_rows(min_row=2)]


def summary_text(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_review_puts_the_decision_first_biggest_amount_first_with_hidden_id_and_check(workbook):
    ws = workbook["Review"]
    shown = rows(ws)
    assert [c.value for c in ws[1]][0] == "Decision"
    assert [(r["Invoice"], r["Amount"], r["Confidence"]) for r in shown] == [
        ("101", 900, "weak"), ("102", 300, "medium")]
    assert all(r["Row id"] and len(r["Check"]) == 12 for r in shown)
    header = [c.value for c in ws[1]]
    hidden = {ws.cell(row=1, column=header.index(n) + 1).column_letter for n in ("Row id",
                                                                                "Check")}
    assert all(ws.column_dimensions[letter].hidden for letter in hidden)
    assert ws.freeze_panes == "B2" and ws.conditional_formatting


def test_every_row_that_points_at_money_shows_the_payer_and_the_bank_text(workbook):
    matched = rows(workbook["Matched"])
    assert [(r["Payer"], r["Bank/gateway text"], r["Client"]) for r in matched] == [
        ("ANI SUSANTI", "INV 100", "Ani")]
    review = rows(workbook["Review"])
    assert review[0]["Payer"] == "BUDI" and review[0]["Invoice balance"] == 900
    assert review[0]["Difference"] == 0
    unmatched = rows(workbook["Unmatched money"])
    assert [(r["Payer"], r["Amount"]) for r in unmatched] == [("NOBODY", 123)]


def test_text_from_inputs_in_the_new_columns_never_becomes_a_formula(workbook):
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row
             if c.value == HOSTILE]
    assert len(cells) >= 3 and all(c.data_type == "s" for c in cells)


def test_the_summary_says_what_needs_you_first_then_the_tie_out(workbook):
    text = summary_text(workbook["Summary"])
    assert text[0] == "Reconciliation as of 2026-03-15" and text[1] == "Needs you today"
    for needed in ("Suggestions to approve or reject", "Exception: overpayment",
                   "Money not matched to any invoice", "Files quarantined (not read)",
                   "Files with every row rejected", "Statements that do not balance"):
        assert needed in text
    assert text.index("Tie-out per currency") > text.index("Statements that do not balance")
    assert "payments_count" not in text and workbook["Summary"]._charts
    for column in ("Money in", "Applied", "Awaiting review", "Client credit", "Unmatched",
                   "Other money", "Not accounted for"):
        assert column in text


def test_the_files_sheet_checks_each_statement_balance(workbook):
    files = {r["File"]: r for r in rows(workbook["Files"])}
    assert files["bca.sta"]["Statement balance"] == "does not balance: off by 823.00 IDR"
    assert files["junk.bin"]["Outcome"] == "quarantined"
    assert files["all-bad.csv"]["Rejected rows"] == 3


def test_each_payout_item_shows_its_payout_customer_and_amounts(workbook):
    items = rows(workbook["Payout items"])
    assert [(r["Payout"], r["Gross"], r["Fee"], r["Net"]) for r in items] == [
        ("po_1", 50, 2, 48)]
    net = workbook["Payout items"]["I2"]
    assert '"USD"' in net.number_format


def test_cells_a_person_must_act_on_are_marked_red(workbook):
    def rules(name):
        return {str(r.sqref): [x.formula[0] for x in r.rules]
                for r in workbook[name].conditional_formatting}

    files = rules("Files")
    assert files["D2:D4"] == ['D2="quarantined"'] and files["E2:E4"] == [
        'LEFT(E2,8)="does not"']
    assert list(rules("Open invoices").values()) == [["J2>0"]]


def test_the_decisions_sheet_says_who_decided_what_and_when(workbook):
    assert [(r["Who"], r["Decision"], r["Invoice"]) for r in rows(workbook["Decisions"])] == [
        ("rina", "rejected", "100")]


def test_the_identity_of_the_database_is_kept_in_a_hidden_sheet(workbook):
    ws = workbook["payrecon"]
    assert ws.sheet_state == "hidden"
    assert dict(ws.iter_rows(values_only=True))["database_id"] == "db-test"


def test_every_sheet_prints_landscape_one_page_wide_with_the_as_of_date(workbook):
    for ws in workbook.worksheets[:-1]:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert "2026-03-15" in ws.oddHeader.center.text, ws.title


def test_a_table_longer_than_a_sheet_continues_on_a_numbered_sheet(tmp_path: Path,
                                                                   monkeypatch):
    monkeypatch.setattr(cells, "ROWS_PER_SHEET", 1)
    path = write_reconciliation_workbook(report_data(), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    assert [n for n in wb.sheetnames if n.startswith("Review")] == ["Review", "Review (2)"]
    assert [r["Invoice"] for name in ("Review", "Review (2)") for r in rows(wb[name])] == [
        "101", "102"]
    assert all(wb[name].max_row <= 2 for name in wb.sheetnames if name != "Summary"
               and name != "payrecon")
    assert any("Review" in t and "continues" in t for t in summary_text(wb["Summary"]))


def _times(data: ReportData, n: int) -> ReportData:
    """``data`` with every record listed ``n`` times."""
    return dataclasses.replace(data, **{name: pd.concat([getattr(data, name)] * n,
                                                        ignore_index=True)
                                        for name in ("matches", "invoices", "overdue")})


def test_per_record_sheets_hold_at_most_the_limit_and_the_csv_holds_every_row(
        tmp_path: Path, monkeypatch):
    monkeypatch.setattr(cells, "ROWS_PER_SHEET", 5)
    data = _times(report_data(), 12)  # 12 matched, 24 to review, 36 open invoices
    wb = load_workbook(write_reconciliation_workbook(data, tmp_path / "r.xlsx"))
    matched = [n for n in wb.sheetnames if n.startswith("Matched")]
    assert matched == ["Matched", "Matched (2)", "Matched (3)"]
    assert [len(rows(wb[n])) for n in matched] == [5, 5, 2]
    assert [len(rows(wb[n])) for n in wb.sheetnames if n.startswith("Open invoices")] == [
        5] * 7 + [1]
    for name in matched:
        ws = wb[name]
        assert ws.freeze_panes == "A2" and ws["A1"].font.b and ws.auto_filter.ref, name
        assert ws["A2"].is_date and '"IDR"' in ws["G2"].number_format, name
    review = [n for n in wb.sheetnames if n.startswith("Review")]
    assert [len(rows(wb[n])) for n in review] == [5, 5, 5, 5, 4]
    assert all(wb[n].data_validations.dataValidation for n in review)
    assert 'Matched is longer than one sheet: it continues on "Matched (2)", "Matched (3)"' in (
        summary_text(wb["Summary"]))
    write_exports(data, tmp_path)
    assert len(pd.read_csv(tmp_path / "matches.csv")) == 36
    assert len(pd.read_csv(tmp_path / "invoices.csv")) == 36


def test_the_overdue_workbook_continues_its_lists_on_numbered_sheets_and_says_so(
        tmp_path: Path, monkeypatch):
    monkeypatch.setattr(cells, "ROWS_PER_SHEET", 5)
    data = _times(report_data(), 4)
    wb = load_workbook(write_overdue_workbook(data, tmp_path / "o.xlsx"))
    actions = [n for n in wb.sheetnames if n.startswith("Recommended actions")]
    assert sum(len(rows(wb[n])) for n in actions) == len(data.overdue) > 5
    assert all(len(rows(wb[n])) <= 5 for n in actions) and "Aging" in wb.sheetnames
    assert any("Recommended actions is longer than one sheet" in t
               for t in summary_text(wb["Aging"]))


def test_other_money_shows_its_kind_payer_and_bank_text(tmp_path: Path):
    data = report_data()
    other = data.unmatched.assign(kind="fee", detail="bank fee").drop(columns="reason")
    data = dataclasses.replace(data, other_money=other)
    wb = load_workbook(write_reconciliation_workbook(data, tmp_path / "r.xlsx"))
    assert [(r["Kind"], r["Payer"], r["Bank/gateway text"], r["Amount"])
            for r in rows(wb["Other money"])] == [("fee", "NOBODY", "?", 123)]


def test_the_workbook_has_no_formula_anywhere(tmp_path: Path):
    path = write_reconciliation_workbook(report_data(), tmp_path / "r.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)
