"""The review round trip through the workbook, on SQLite and PostgreSQL: a person chooses
approve or reject in the Review sheet, ``apply_decisions`` records it, the next run honours
it; another database's workbook, an edited row and a second apply change nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from flows.steps import reconcile, report
from pipeline.review import ReviewError
from pipeline.review_apply import apply_decisions
from pipeline.settings import Settings
from pipeline.store import Store
from reports.recon_review import read_decisions

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def workbook(store, ingest, make, tmp_path) -> Path:
    """Two bank lines whose amounts equal two open invoices' balances: two suggestions, and
    the reconciliation workbook that shows them."""
    ingest([make.invoice("10908", 7_000_00), make.invoice("10909", 9_000_00)],
           name="invoices.csv", kind="invoice")
    ingest([make.bank("TRX-7", 7_000_00, description="TRANSFER DARI B SANTOSO"),
            make.bank("TRX-9", 9_000_00, description="SETORAN TUNAI")])
    reconcile(db_url=store.url, as_of=DAY, settings=Settings())
    done = report(db_url=store.url, out_dir=tmp_path / "reports", as_of=DAY, settings=Settings())
    return next(Path(p) for p in done.paths if Path(p).name.startswith("reconciliation-"))


def decide_in_excel(path: Path, decisions: dict[str, str]) -> dict[str, str]:
    """As a person would: choose a Decision per invoice; returns invoice -> match id."""
    wb = load_workbook(path)
    ws = wb["Review"]
    header = [c.value for c in ws[1]]
    ids = {}
    for row in ws.iter_rows(min_row=2):
        invoice = row[header.index("Invoice")].value
        ids[invoice] = row[header.index("Row id")].value
        if invoice in decisions:
            row[0].value = decisions[invoice]
    wb.save(path)
    return ids


def apply(store, path: Path):
    database, rows = read_decisions(path)
    return apply_decisions(store, rows, workbook_database=database, user="rina", today=DAY)


def test_approved_in_the_workbook_is_confirmed_and_rejected_is_never_suggested_again(
        store, workbook):
    decide_in_excel(workbook, {"10909": "approve", "10908": "reject"})
    done = apply(store, workbook)
    assert (len(done.applied), done.refused, done.ignored) == (2, (), 0)
    reconcile(db_url=store.url, as_of=DAY + dt.timedelta(days=1), settings=Settings())
    allocations = store.load_match_result().allocations
    assert dict(zip(allocations["invoice_number"], allocations["status"], strict=True)) == {
        "10909": "confirmed"}
    entries = store.load_ledger()
    assert set(entries.loc[entries["entry"] == "decision", "user"]) == {"rina"}


def test_applying_the_same_workbook_twice_changes_nothing(store, workbook):
    decide_in_excel(workbook, {"10909": "approve"})
    first = apply(store, workbook)
    ledger = len(store.load_ledger())
    again = apply(store, workbook)
    assert (len(first.applied), first.ignored) == (1, 1)
    assert (again.applied, again.unchanged, again.entries_added) == ((), (first.applied[0]
                                                                           .split()[0],), 0)
    assert len(store.load_ledger()) == ledger


def test_rows_nobody_touched_are_ignored(store, workbook):
    done = apply(store, workbook)
    assert (done.applied, done.refused, done.ignored, done.entries_added) == ((), (), 2, 0)


def test_a_row_whose_id_was_edited_is_refused_and_the_others_still_apply(store, workbook):
    ids = decide_in_excel(workbook, {"10909": "approve", "10908": "approve"})
    wb = load_workbook(workbook)
    ws = wb["Review"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[header.index("Invoice")].value == "10908":
            row[header.index("Row id")].value = ids["10909"]  # pasted from another row
    wb.save(workbook)
    done = apply(store, workbook)
    assert done.applied == (f"{ids['10909']} approve",)
    assert len(done.refused) == 1 and "changed since the workbook was written" in \
        done.refused[0]


def test_a_workbook_from_another_database_is_refused_as_a_whole(store, workbook, tmp_path):
    decide_in_excel(workbook, {"10909": "approve"})
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        other.start_run("reconcile", DAY)
        with pytest.raises(ReviewError, match="another database"):
            apply(other, workbook)
    finally:
        other.close()
    assert store.load_ledger().empty or "decision" not in set(store.load_ledger()["entry"])


def test_a_workbook_without_its_identity_is_refused(store, workbook):
    decide_in_excel(workbook, {"10909": "approve"})
    wb = load_workbook(workbook)
    del wb["payrecon"]
    wb.save(workbook)
    with pytest.raises(ReviewError, match="another database"):
        apply(store, workbook)
