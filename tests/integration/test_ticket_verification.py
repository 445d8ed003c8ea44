"""The golden mbox of e-mail confirmations through the real path: ingest (with a KlikBCA
statement and the invoices), reconcile and report on SQLite. The Indonesian confirmation of
invoice 11032 (``Rp 832,500``, 23 November) is verified against its bank line, which names no
invoice: the ticket lends it one."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

from flows.steps import ingest_file, reconcile, report
from pipeline.settings import Settings, ShopAccount

GOLDEN = Path(__file__).resolve().parents[2] / "sample_data" / "golden" / "tickets-email"
PUTRI = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d@example.co.id"
BANK = "bca-0372543386-2026-11.csv"
STATEMENT = "\n".join([
    "No. rekening : ,0372543386", "Nama : ,PT NUSANTARA CLOUD INDONESIA",
    "Periode : ,01/11/2026 - 30/11/2026", "Kode Mata Uang : ,Rp", "",
    "Tanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo",
    "'20/11,'SETORAN TUNAI,'0372,350000.00,CR,10350000.00",
    "'23/11,'TRSF E-BANKING CR 2311/FTSCY/WS95522          832500.00PUTRI ANGGRAINI,"
    "'0000,832500.00,CR,11182500.00",
    "'24/11,'BIAYA ADM,'0000,15000.00,DB,11167500.00", "", "Saldo Awal : ,10000000.00", ""])
INVOICES = "\n".join([
    "invoice_number,client_id,client_name,client_email,issue_date,due_date,total,balance,"
    "currency,status,first_invoice,group_id",
    "11032,2042,Putri Anggraini,putri.a@example.co.id,2026-11-11,2026-11-25,832500.00,"
    "832500.00,IDR,Unpaid,no,",
    "INV-2026-00188,2041,Jensen Consulting,mark@jensen-consulting.example.com,2026-11-01,"
    "2026-11-15,12500.00,12500.00,USD,Unpaid,no,", ""])


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_an_emailed_confirmation_is_verified_against_its_bank_line_and_lends_its_invoice(
        tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(GOLDEN / "input.mbox", inbox / "confirmations.mbox")
    (inbox / BANK).write_text(STATEMENT, encoding="utf-8")
    (inbox / "invoices.csv").write_text(INVOICES, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'p.db'}"
    settings = Settings(accounts=[ShopAccount(number="0372543386", bank="BCA",
                                              currency="IDR")])
    outcomes = [ingest_file(inbox / name, db_url=url, settings=settings)
                for name in ("invoices.csv", BANK, "confirmations.mbox")]
    assert [o.status for o in outcomes] == ["ingested"] * 3, outcomes
    as_of = dt.date(2026, 11, 30)
    reconcile(db_url=url, as_of=as_of, settings=settings)
    report(db_url=url, out_dir=tmp_path / "out", as_of=as_of, settings=settings)

    tickets = {t["ticket_id"]: t for t in rows(tmp_path / "out" / "tickets.csv")}
    putri = tickets[PUTRI]
    assert (putri["status"], putri["invoice_number"]) == ("verified", "11032")
    assert (putri["bank_source_file"], putri["bank_source_line"]) == (BANK, "8")
    assert all(t["status"] != "verified" for key, t in tickets.items() if key != PUTRI)
    matches = [m for m in rows(tmp_path / "out" / "matches.csv")
               if m["invoice_number"] == "11032"]
    assert [(m["source_file"], m["status"], m["rule"]) for m in matches] == [
        (BANK, "auto", "ticket_amount")]
