"""Exports and workbooks written to disk and read back: exact CSV headers, plain amounts,
typed cells, frozen headers, filters, the Decision drop-down, and no formula injection."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
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
    PAYMENT_COLUMNS,
    REJECT_COLUMNS,
    TICKET_COLUMNS,
    UNMATCHED_COLUMNS,
)
from pipeline.matching import MatchResult
from pipeline.reporting import ReportData, ReportInputs, build_report
from pipeline.settings import Settings
from reports import write_all
from reports.overdue import ACTION_WORDS

AS_OF = dt.date(2026, 3, 15)
# Export headers as DESIGN.md "Outputs" states them (tests/export_headers.json).
_STATED = json.loads(
    (Path(__file__).resolve().parents[1] / "export_headers.json").read_text())
# DESIGN.md's columns, then the trailing columns the code adds after them.
DESIGN_HEADERS = {name: columns + _STATED["_trailing"].get(name, [])
                  for name, columns in _STATED.items() if not name.startswith("_")}
HYPERLINK = '=HYPERLINK("http://x","y")'
UPLOADED_NAME = "@SUM(1+1)*cmd|' /C calc'!A0.xml"  # an uploaded file's name
FORMULA_KEY = "-2+3"  # a source reference that happens to look like a formula
INJECTIONS = [HYPERLINK, "=1+1", "+SUM(1,2)", "-2+3", "@SUM(A1)", "\tx", "\rx"]
RECONCILIATION_SHEETS = ["Summary", "Review", "Matched", "Unmatched money", "Open invoices",
                         "Exceptions", "Payouts", "Payout items", "Tickets", "Credits",
                         "Other money", "Rejected input rows", "Files", "Decisions"]


def _frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _report_data() -> ReportData:
    d = dt.date
    invoices = _frame(INVOICE_COLUMNS, [
        ("10234", "10234", "7", "Ani", "", "IDR", d(2026, 1, 1), d(2026, 1, 10), 150_000_000,
         150_000_000, "Unpaid", False, None),
        ("INV-2026-00123", "10235", "8", "=1+1", "", "USD", d(2026, 1, 1), d(2026, 2, 1),
         5_000, 5_000, "Unpaid", True, None),
    ])
    payments = _frame(PAYMENT_COLUMNS, [
        ("bank", 1, "bank_csv", "bca.csv", "r1", 2, d(2026, 3, 1), 150_000_000, "IDR",
         "INV 10234", "ANI", "0372543386", "bank:0372543386:r1"),
        ("gateway", 1, "stripe", "stripe.csv", "ch_1", None, d(2026, 3, 2), 5_000, "USD",
         HYPERLINK, "", "", "gateway:stripe:ch_1"),
        ("bank", 2, "camt053", UPLOADED_NAME, FORMULA_KEY, None, d(2026, 3, 3), 12, "BTC",
         "=1+1", "", "", f"bank::{FORMULA_KEY}"),
    ])
    match = MatchResult(
        allocations=_frame(ALLOCATION_COLUMNS, [
            ("bank", 1, "10234", 150_000_000, "IDR", "auto", "reference", 0.95, "ref in memo",
             0, "m0000000000000001"),
            ("gateway", 1, "INV-2026-00123", 5_000, "USD", "suggested", "amount", 0.6,
             "memo says " + HYPERLINK, 0, "m0000000000000002"),
        ]),
        unmatched=_frame(UNMATCHED_COLUMNS, [("bank", 2, "no_reference")]),
        exceptions=_frame(EXCEPTION_COLUMNS, [
            ("overpayment", "bank", 2, "10234", 12, "BTC", "=1+1"),
        ]),
    )
    rejects = _frame(REJECT_COLUMNS, [
        ("bank_csv", "bca.csv", None, 3 + i, "ambiguous amount", text)
        for i, text in enumerate(INJECTIONS)
    ])
    inputs = ReportInputs(
        invoices=invoices, clients=_frame(CLIENT_COLUMNS, []), payments=payments, match=match,
        rejects=rejects, tickets=_frame(TICKET_COLUMNS, []),
        payouts=pd.DataFrame({"gateway": ["stripe"], "payout_id": ["po_1"], "currency": ["USD"],
                              "amount_minor": [98_550], "item_count": [3],
                              "bank_payment_id": [None]}),
    )
    return build_report(inputs, as_of=AS_OF, settings=Settings())


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("reports")
    return out, write_all(_report_data(), out)


def _csv(out: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (out / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_write_all_writes_every_export_and_both_workbooks_and_no_temporary_files(written):
    out, paths = written
    names = sorted(p.name for p in paths)
    assert names == sorted([*DESIGN_HEADERS, "summary.json", "reconciliation-2026-03-15.xlsx",
                            "overdue-2026-03-15.xlsx"])
    assert sorted(p.name for p in out.iterdir()) == names


@pytest.mark.parametrize("name", list(DESIGN_HEADERS))
def test_csv_headers_are_exactly_the_design_columns(written, name):
    header, _ = _csv(written[0], name)
    assert header == DESIGN_HEADERS[name]


def test_csv_amounts_are_plain_decimal_strings_and_dates_iso(written):
    _, matches = _csv(written[0], "matches.csv")
    bank = next(r for r in matches if r["source_kind"] == "bank")
    assert (bank["source_amount"], bank["applied_amount"], bank["confidence"]) == (
        "1500000.00", "1500000.00", "0.95")
    assert (bank["source_line"], bank["source_date"], bank["client_id"]) == ("2", "2026-03-01",
                                                                             "7")
    gateway = next(r for r in matches if r["source_kind"] == "gateway")
    assert gateway["source_line"] == "" and gateway["applied_amount"] == "50.00"
    _, unmatched = _csv(written[0], "unmatched.csv")
    assert (unmatched[0]["amount"], unmatched[0]["currency"]) == ("0.00000012", "BTC")
    _, invoices = _csv(written[0], "invoices.csv")
    assert {r["invoice_number"]: r["balance"] for r in invoices} == {
        "10234": "0.00", "INV-2026-00123": "50.00"}
    _, overdue = _csv(written[0], "overdue.csv")
    assert overdue[0]["due_date"] == "2026-02-01" and overdue[0]["first_invoice"] == "true"
    assert overdue[0]["action"] == "hold"


def test_empty_tables_still_have_their_header_row(written):
    assert (written[0] / "tickets.csv").read_text(encoding="utf-8").splitlines() == [
        ",".join(DESIGN_HEADERS["tickets.csv"])]


def test_summary_json_has_totals_as_strings_per_currency(written):
    summary = json.loads((written[0] / "summary.json").read_text(encoding="utf-8"))
    assert summary["as_of"] == "2026-03-15" and summary["auto_match_rate"] == pytest.approx(0.3333)
    totals = {row["currency"]: row["payments_total"] for row in summary["by_currency"]}
    assert totals == {"BTC": "0.00000012", "IDR": "1500000.00", "USD": "50.00"}


def _workbook(out: Path, kind: str):
    return load_workbook(out / f"{kind}-2026-03-15.xlsx")


def _column(ws, label: str) -> list:
    """The cells under the header ``label`` (header row excluded)."""
    at = [c.value for c in ws[1]].index(label)
    return [row[at] for row in ws.iter_rows(min_row=2)]


def test_text_from_inputs_never_becomes_a_formula(written):
    out = written[0]
    wb = _workbook(out, "reconciliation")
    raw_column = _column(wb["Rejected input rows"], "Row as read")
    assert [c.value for c in raw_column] == INJECTIONS
    assert all(c.data_type == "s" for c in raw_column)
    detail = _column(wb["Exceptions"], "Detail")[0]
    assert (detail.value, detail.data_type) == ("=1+1", "s")
    with zipfile.ZipFile(out / "reconciliation-2026-03-15.xlsx") as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)
    client = _workbook(out, "overdue")["Recommended actions"]["D2"]
    assert (client.value, client.data_type) == ("=1+1", "s")


def test_csv_free_text_from_inputs_gets_a_quote_before_a_formula_start(written):
    out = written[0]
    _, overdue = _csv(out, "overdue.csv")
    assert {r["invoice_number"]: r["client_name"] for r in overdue} == {"INV-2026-00123": "'=1+1"}
    _, unmatched = _csv(out, "unmatched.csv")
    assert unmatched[0]["source_file"] == "'" + UPLOADED_NAME
    _, exceptions = _csv(out, "exceptions.csv")
    assert (exceptions[0]["source_file"], exceptions[0]["detail"]) == ("'" + UPLOADED_NAME,
                                                                       "'=1+1")


def test_csv_keys_and_amounts_are_never_altered_even_when_they_look_like_formulas(written):
    _, unmatched = _csv(written[0], "unmatched.csv")
    assert (unmatched[0]["source_ref"], unmatched[0]["amount"]) == (FORMULA_KEY, "0.00000012")
    _, exceptions = _csv(written[0], "exceptions.csv")
    assert exceptions[0]["source_ref"] == FORMULA_KEY


def test_every_export_column_is_classified_once_for_neutralising(written):
    from reports.columns import column_kind

    for name in DESIGN_HEADERS:
        header, _ = _csv(written[0], name)
        assert [c for c in header if column_kind(c) is None] == [], name


def test_a_workbook_shows_an_uploaded_file_name_exactly_as_typed(written):
    sheet = _workbook(written[0], "reconciliation")["Unmatched money"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == UPLOADED_NAME]
    assert cells and all(c.data_type == "s" for c in cells)


def test_amounts_and_dates_are_typed_cells_with_currency_formats(written):
    ws = _workbook(written[0], "reconciliation")["Matched"]
    header = [c.value for c in ws[1]]
    row = {name: cell for name, cell in zip(header, ws[2], strict=True)}
    assert row["Applied"].data_type == "n" and row["Applied"].value == 1500000
    assert '"IDR"' in row["Applied"].number_format
    assert row["Date"].is_date and row["Date"].value.date() == dt.date(2026, 3, 1)
    assert (row["Confidence"].value, row["Payer"].value, row["Client"].value) == (
        "strong", "ANI", "Ani")


def test_table_sheets_have_frozen_headers_filters_and_capped_widths(written):
    wb = _workbook(written[0], "reconciliation")
    assert wb.sheetnames == [*RECONCILIATION_SHEETS, "payrecon"]
    assert wb["payrecon"].sheet_state == "hidden"
    for name in RECONCILIATION_SHEETS[1:]:
        ws = wb[name]
        assert ws.freeze_panes == ("B2" if name == "Review" else "A2"), name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        widths = [d.width for d in ws.column_dimensions.values() if d.width]
        assert widths and all(8 <= w <= 60 for w in widths), name


def test_the_review_sheet_has_a_decision_drop_down(written):
    ws = _workbook(written[0], "reconciliation")["Review"]
    header = [c.value for c in ws[1]]
    assert header[0] == "Decision" and ws.max_row == 2
    lists = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert len(lists) == 1 and lists[0].formula1 == '"approve,reject"'
    assert "A2" in lists[0].sqref


def test_both_workbooks_have_charts_and_the_overdue_one_ages_by_client(written):
    reconciliation, overdue = (_workbook(written[0], k) for k in ("reconciliation", "overdue"))
    assert reconciliation["Summary"]._charts
    assert overdue["Aging"]._charts
    by_client = overdue["By client"]
    assert [c.value for c in by_client[1]] == [
        "Client ID", "Client", "E-mail", "Currency", "Most urgent action", "Not yet due",
        "Age 1-30", "Age 31-60", "Age 61-90", "Age 90+", "Balance due", "Open invoices"]
    assert (by_client["D2"].value, by_client["H2"].value) == ("USD", 50)  # 42 days late
    assert by_client["E2"].value in ACTION_WORDS.values() and by_client["E2"].value
    assert '"USD"' in by_client["H2"].number_format


def test_table_sheets_print_landscape_one_page_wide_with_the_header_on_every_page(written):
    for kind, sheet in (("overdue", "Recommended actions"), ("reconciliation", "Matched")):
        ws = _workbook(written[0], kind)[sheet]
        assert ws.page_setup.orientation == "landscape"
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows in ("1:1", "$1:$1")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="this platform cannot fork")
def test_two_processes_write_the_same_files_as_one(written, tmp_path):
    from flows.two_cores import side_by_side

    out, paths = written
    forked = write_all(_report_data(), tmp_path, halves=side_by_side)
    assert [p.name for p in forked] == [p.name for p in paths]
    for path in forked:
        if path.suffix == ".xlsx":
            assert _workbook_cells(path) == _workbook_cells(out / path.name)
        else:
            assert path.read_bytes() == (out / path.name).read_bytes()


def _workbook_cells(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path)
    return {sheet.title: [(c.coordinate, c.value, c.number_format, c.data_type)
                          for row in sheet.iter_rows() for c in row] for sheet in book}
