"""The Runs page: every run with its reports to download, and nothing else of the disk."""

from __future__ import annotations

import dataclasses
import re

from flows import runlog
from tests.integration.web.helpers import DEMO, csrf_in


def a_night(data_dir, folder) -> runlog.RunRecord:
    """A completed nightly run in the journal, its reports in ``folder``."""
    record = runlog.new_record(kind=runlog.NIGHTLY, trigger="scheduled", as_of="2026-11-20")
    record = dataclasses.replace(record, report_folder=str(folder))
    runlog.append_journal(data_dir, runlog.finish_record(record, outcome=runlog.COMPLETED))
    return record


def test_a_nights_reports_are_listed_and_downloaded(as_user, web_config, tmp_path):
    folder = tmp_path / "night"
    folder.mkdir()
    (folder / "postings.csv").write_text("invoiceid,transid\n1,x\n", encoding="utf-8")
    (folder / "reconciliation-2026-11-20.xlsx").write_bytes(b"PK fake workbook")
    (folder / "notes.txt").write_text("not a report", encoding="utf-8")
    record = a_night(web_config.data_dir, folder)
    alice = as_user("alice")
    page = alice.get("/runs").text
    assert "postings.csv" in page and "reconciliation-2026-11-20.xlsx" in page
    assert "notes.txt" not in page
    got = alice.get(f"/runs/{record.run_id}/files/postings.csv")
    assert got.status_code == 200 and got.text.startswith("invoiceid")
    assert "attachment" in got.headers["content-disposition"]
    for name in ("notes.txt", "..%2F..%2Fdata%2Fpayrecon.db", "../night/postings.csv",
                 ".hidden.csv"):
        assert alice.get(f"/runs/{record.run_id}/files/{name}").status_code == 404, name
    assert alice.get("/runs/nope/files/postings.csv").status_code == 404


def test_an_upload_run_is_journalled_with_its_reports(as_user):
    alice = as_user("alice")
    body = (DEMO / "whmcs-invoices.json").read_bytes()
    token = csrf_in(alice.get("/upload").text)
    alice.post("/upload", data={"csrf_token": token},
               files=[("files", ("whmcs-invoices.json", body))])
    page = alice.get("/runs").text
    link = re.search(r'href="(/runs/[0-9a-f]+/files/summary.json)"', page)
    assert link and alice.get(link.group(1)).json()["as_of"] == "2026-11-20"
