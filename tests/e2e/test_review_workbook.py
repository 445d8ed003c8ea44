"""The review round trip on the demo, as finance does it: the night writes the workbook, a
person chooses approve or reject in Excel (openpyxl here), ``payrecon review apply`` records
it, and the next run honours it. Also: the workbooks convert with LibreOffice headless."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

AS_OF = "2026-11-20"


def night(cli, db: str, out: Path) -> Path:
    """reconcile + report; the reconciliation workbook."""
    assert cli("reconcile", "--as-of", AS_OF, "--db", db).exit_code == 0
    done = cli("report", "--as-of", AS_OF, "--out", out, "--db", db)
    assert done.exit_code == 0, done.output
    return out / f"reconciliation-{AS_OF}.xlsx"


def choose(path: Path, decision: str) -> str:
    """Choose ``decision`` on the first Review row, as a person would; its row id."""
    wb = load_workbook(path)
    ws = wb["Review"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("Decision") + 1).value = decision
    wb.save(path)
    return ws.cell(row=2, column=header.index("Row id") + 1).value


def statuses(out: Path) -> dict[str, str]:
    with (out / "matches.csv").open(encoding="utf-8", newline="") as handle:
        return {row["match_id"]: row["status"] for row in csv.DictReader(handle)}


@pytest.fixture
def demo_db(cli, demo_inbox, tmp_path) -> str:
    db = f"sqlite:///{tmp_path / 'payrecon.db'}"
    assert cli("ingest", demo_inbox, "--db", db).exit_code == 0
    return db


def test_approved_in_the_workbook_is_confirmed_on_the_next_run_and_twice_changes_nothing(
        cli, demo_db, tmp_path):
    workbook = night(cli, demo_db, tmp_path / "night1")
    match_id = choose(workbook, "approve")
    applied = cli("review", "apply", workbook, "--user", "rina", "--db", demo_db)
    assert applied.exit_code == 0, applied.output
    assert "1 decision(s) recorded" in applied.output
    again = cli("review", "apply", workbook, "--user", "rina", "--db", demo_db)
    assert again.exit_code == 0 and "0 decision(s) recorded, 1 already recorded" in again.output
    night(cli, demo_db, tmp_path / "night2")
    assert statuses(tmp_path / "night2")[match_id] == "confirmed"
    decisions = load_workbook(tmp_path / "night2" / f"reconciliation-{AS_OF}.xlsx")["Decisions"]
    row = [c.value for c in decisions[2]]
    assert (row[1], row[2], row[-1]) == ("rina", "approved", match_id)


def test_rejected_in_the_workbook_is_not_suggested_again_and_shows_as_rejected(
        cli, demo_db, tmp_path):
    workbook = night(cli, demo_db, tmp_path / "night1")
    match_id = choose(workbook, "reject")
    assert cli("review", "apply", workbook, "--db", demo_db).exit_code == 0
    night(cli, demo_db, tmp_path / "night2")
    assert statuses(tmp_path / "night2")[match_id] == "rejected"
    review = load_workbook(tmp_path / "night2" / f"reconciliation-{AS_OF}.xlsx")["Review"]
    assert review.max_row == 1  # nothing left to decide


def test_a_workbook_from_another_database_is_refused(cli, demo_db, demo_inbox, tmp_path):
    workbook = night(cli, demo_db, tmp_path / "night1")
    choose(workbook, "approve")
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert cli("ingest", demo_inbox, "--db", other).exit_code == 0
    assert cli("reconcile", "--as-of", AS_OF, "--db", other).exit_code == 0
    refused = cli("review", "apply", workbook, "--db", other)
    assert refused.exit_code == 1 and "another database" in refused.output


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_both_workbooks_convert_with_libreoffice_headless(cli, demo_db, tmp_path):
    out = tmp_path / "night1"
    night(cli, demo_db, out)
    pdfs = tmp_path / "pdf"
    books = sorted(out.glob("*.xlsx"))
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(pdfs), *map(str, books)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "error" not in (done.stdout + done.stderr).lower()
    for book in books:
        pdf = pdfs / f"{book.stem}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 5_000, book.name
        assert pdf.read_bytes().startswith(b"%PDF")


def test_a_file_that_is_not_a_workbook_is_refused_with_a_reason(cli, demo_db, tmp_path):
    fake = tmp_path / "decisions.xlsx"
    fake.write_text("invoice,decision\n10906,approve\n", encoding="utf-8")
    refused = cli("review", "apply", fake, "--db", demo_db)
    assert refused.exit_code == 1 and "not an Excel workbook" in refused.output
