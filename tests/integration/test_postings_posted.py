"""Postings back to billing on a real store (SQLite, and PostgreSQL when configured): the
report writes postings.csv and credits.csv, ``mark-posted`` records a file finance entered,
and what was recorded never comes back; an edited file or one from another database is
refused with nothing recorded."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from flows.steps import reconcile, report
from pipeline.posting_file import PostingFileError, mark_posted
from pipeline.settings import PostingSettings, Settings
from pipeline.store import Store

DAY = dt.date(2026, 3, 2)
SETTINGS = Settings(postings=PostingSettings(gateways={"bank": "banktransfer",
                                                       "CHASE-1": "chasewire"}))


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def reconciled(store, ingest, make) -> Store:
    """Two invoices paid exactly (IDR and USD) and one overpaid (IDR), reconciled."""
    ingest([make.invoice("10908", 7_000_00, invoice_id="908", client_id="101"),
            make.invoice("INV-2026-00123", 240_00, currency="USD", invoice_id="910",
                         client_id="103"),
            make.invoice("10912", 2_000_00, invoice_id="912", client_id="104")],
           name="invoices.csv", kind="invoice")
    ingest([make.bank("TRX-1", 7_000_00, description="INV 10908 RINA"),
            make.bank("TRX-2", 2_500_00, description="INV 10912 BUDI")])
    ingest([make.bank("FIT-1", 240_00, currency="USD", account="CHASE-1",
                      description="Invoice INV-2026-00123", file="chase.ofx")],
           name="chase.ofx")
    reconcile(db_url=store.url, as_of=DAY, settings=SETTINGS)
    return store


def write(store: Store, folder: Path) -> Path:
    report(db_url=store.url, out_dir=folder, as_of=DAY, settings=SETTINGS)
    return folder


def test_the_report_tells_billing_each_payment_by_its_internal_id(reconciled, tmp_path):
    out = write(reconciled, tmp_path / "r")
    posted = {r["invoice_number"]: r for r in rows(out / "postings.csv")}
    assert set(posted) == {"10908", "INV-2026-00123", "10912"}
    usd = posted["INV-2026-00123"]
    assert (usd["invoiceid"], usd["transid"], usd["gateway"], usd["date"], usd["amount"],
            usd["fees"]) == ("910", "FIT-1", "chasewire", "2026-03-02", "240.00", "0.00")
    assert (posted["10908"]["amount"], posted["10912"]["amount"]) == ("7000.00", "2000.00")
    (credit,) = rows(out / "credits.csv")
    assert (credit["clientid"], credit["amount"], credit["date"]) == ("104", "500.00",
                                                                      "2026-03-02")


def test_posted_rows_disappear_from_the_next_postings_csv(reconciled, tmp_path):
    first = write(reconciled, tmp_path / "first")
    done = mark_posted(reconciled, first / "postings.csv", user="rina")
    assert (done.kind, done.recorded, done.already) == ("payment", 3, 0)
    assert mark_posted(reconciled, first / "credits.csv", user="rina").recorded == 1
    reconcile(db_url=reconciled.url, as_of=DAY + dt.timedelta(days=1), settings=SETTINGS)
    second = write(reconciled, tmp_path / "second")
    assert rows(second / "postings.csv") == [] and rows(second / "credits.csv") == []
    assert len(rows(second / "matches.csv")) == 3  # still matched, only not posted again


def test_a_file_finance_entered_in_part_records_only_its_rows(reconciled, tmp_path):
    out = write(reconciled, tmp_path / "r")
    lines = (out / "postings.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "part.csv").write_text("".join(lines[:2]), encoding="utf-8")
    assert mark_posted(reconciled, tmp_path / "part.csv", user="rina").recorded == 1
    left = write(reconciled, tmp_path / "again")
    assert len(rows(left / "postings.csv")) == 2


def test_marking_the_same_file_twice_changes_nothing(reconciled, tmp_path):
    out = write(reconciled, tmp_path / "r")
    mark_posted(reconciled, out / "postings.csv", user="rina")
    before = reconciled.load_posted()
    again = mark_posted(reconciled, out / "postings.csv", user="budi")
    assert (again.recorded, again.already) == (0, 3)
    assert reconciled.load_posted().equals(before)


def test_amounts_are_recorded_digit_for_digit_in_each_currency(reconciled, tmp_path):
    out = write(reconciled, tmp_path / "r")
    mark_posted(reconciled, out / "postings.csv", user="rina")
    posted = reconciled.load_posted().set_index("invoice_number")
    assert posted.loc["10908", "amount_minor"] == 7_000_00
    assert posted.loc["INV-2026-00123", ["amount_minor", "currency"]].tolist() == [240_00,
                                                                                   "USD"]
    assert posted.loc["10912", "amount_minor"] == 2_000_00


def test_an_edited_amount_is_refused_and_nothing_is_recorded(reconciled, tmp_path):
    out = write(reconciled, tmp_path / "r")
    text = (out / "postings.csv").read_text(encoding="utf-8")
    (tmp_path / "edited.csv").write_text(text.replace(",240.00,", ",245.00,"), encoding="utf-8")
    with pytest.raises(PostingFileError, match="INV-2026-00123.*edited"):
        mark_posted(reconciled, tmp_path / "edited.csv", user="rina")
    assert reconciled.load_posted().empty


def test_a_file_from_another_database_is_refused(reconciled, tmp_path):
    out = write(reconciled, tmp_path / "r")
    with Store(f"sqlite:///{tmp_path / 'other.db'}") as other:
        with pytest.raises(PostingFileError, match="another database"):
            mark_posted(other, out / "postings.csv", user="rina")
        assert other.load_posted().empty


def test_a_file_that_is_no_postings_file_is_refused(reconciled, tmp_path):
    out = write(reconciled, tmp_path / "r")
    with pytest.raises(PostingFileError, match="not a postings.csv or credits.csv"):
        mark_posted(reconciled, out / "matches.csv", user="rina")


def test_postings_agree_with_the_applying_rows_of_matches_csv(reconciled, tmp_path):
    out = write(reconciled, tmp_path / "r")
    applying = {r["match_id"]: r for r in rows(out / "matches.csv")
                if r["status"] in ("auto", "confirmed")}
    posted = {r["match_id"]: r for r in rows(out / "postings.csv")}
    assert set(posted) == set(applying)
    for match_id, row in posted.items():
        assert (row["invoice_number"], row["currency"], row["date"]) == (
            applying[match_id]["invoice_number"], applying[match_id]["currency"],
            applying[match_id]["source_date"])


def test_an_approved_suggestion_is_posted_once_it_is_confirmed(store, ingest, make, tmp_path):
    from pipeline.review import decide, suggestions

    ingest([make.invoice("10908", 7_000_00, invoice_id="908")], name="invoices.csv",
           kind="invoice")
    ingest([make.bank("TRX-7", 7_000_00, description="TRANSFER DARI B SANTOSO")])
    reconcile(db_url=store.url, as_of=DAY, settings=SETTINGS)
    assert rows(write(store, tmp_path / "before") / "postings.csv") == []
    decide(store, suggestions(store).loc[0, "match_id"], "approve", user="rina", today=DAY)
    reconcile(db_url=store.url, as_of=DAY, settings=SETTINGS)
    (row,) = rows(write(store, tmp_path / "after") / "postings.csv")
    assert (row["invoiceid"], row["transid"], row["amount"]) == ("908", "TRX-7", "7000.00")
