"""The input-side findings of issue 10, each reproduced through the file boundary
(``flows.steps.ingest_file``) into a real SQLite store: no file stops the night, a cut
file is never stored twice, junk costs little, oddities are said."""

from __future__ import annotations

import json
from pathlib import Path

from flows import steps
from pipeline.store import Store

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "sample_data" / "golden"


def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def tickets_lines() -> list[str]:
    return (GOLDEN / "tickets-jsonl" / "input.jsonl").read_text(encoding="utf-8").splitlines()


def golden_tickets(tmp_path: Path) -> int:
    """How many tickets the untouched golden JSON Lines file stores."""
    (tmp_path / "golden").mkdir()
    source = GOLDEN / "tickets-jsonl" / "input.jsonl"
    return steps.ingest_file(source, db_url=db(tmp_path / "golden")).new


def test_a_ticket_amount_with_5000_digits_is_a_reject_and_the_night_goes_on(tmp_path):
    lines = tickets_lines()
    huge = json.loads(lines[0]) | {"ticket_id": "BIL-999999", "amount": "9" * 5000}
    path = tmp_path / "tickets.jsonl"
    path.write_text("\n".join([json.dumps(huge), *lines[1:]]) + "\n", encoding="utf-8")
    other = tmp_path / "more.jsonl"
    other.write_text(lines[0] + "\n", encoding="utf-8")

    outcome = steps.ingest_file(path, db_url=db(tmp_path))
    after = steps.ingest_file(other, db_url=db(tmp_path))

    assert outcome.status == steps.INGESTED
    assert outcome.new == golden_tickets(tmp_path)  # the first ticket is kept, amount empty
    store = Store(db(tmp_path))
    try:
        rejects = store.load_rejects()
    finally:
        store.close()
    reasons = " ".join(rejects["reason"])
    assert "5000 digits is more than the 30 an amount may have" in reasons
    assert after.status == steps.INGESTED


def test_an_amount_past_the_storable_range_is_a_reject_with_a_short_reason():
    from pipeline.models import Origin, Ticket
    from pipeline.store.rows import split_storable

    origin = Origin(source_file="t.jsonl", source_sha256="0" * 64, source_format="x",
                    source_line=1, source_ref="T-1")
    ticket = Ticket(ticket_id="T-1", created_date="2026-11-18", origin=origin,
                    claimed_amount_minor=10**5000)
    kept, rejects = split_storable([ticket])
    assert kept == []
    assert "of about 5001 digits exceeds the storable range" in rejects[0].reason


def test_a_50000_deep_json_line_is_one_reject_and_the_other_tickets_are_kept(tmp_path):
    lines = tickets_lines()
    deep = "[" * 50_000 + "]" * 50_000
    path = tmp_path / "tickets.jsonl"
    path.write_text("\n".join([lines[0], deep, *lines[1:]]) + "\n", encoding="utf-8")

    outcome = steps.ingest_file(path, db_url=db(tmp_path))

    assert outcome.status == steps.INGESTED
    assert outcome.new == golden_tickets(tmp_path)
    store = Store(db(tmp_path))
    try:
        rejects = store.load_rejects()
    finally:
        store.close()
    deep_rejects = rejects[rejects["source_line"] == 2]
    assert len(deep_rejects) == 1
    assert "nested 50000 deep is deeper than the 32" in deep_rejects["reason"].iloc[0]


def test_a_json_line_of_a_megabyte_is_a_reject_before_it_is_parsed(tmp_path):
    lines = tickets_lines()
    path = tmp_path / "tickets.jsonl"
    long = json.dumps({"ticket_id": "BIL-1", "message": "x" * 1_000_000})
    path.write_text("\n".join([lines[0], long]) + "\n", encoding="utf-8")

    outcome = steps.ingest_file(path, db_url=db(tmp_path))

    assert (outcome.status, outcome.new, outcome.rejected) == (steps.INGESTED, 1, 1)


def test_a_crash_while_storing_quarantines_the_file_with_one_line(tmp_path, monkeypatch):
    path = tmp_path / "tickets.jsonl"
    path.write_text(tickets_lines()[0] + "\n", encoding="utf-8")

    def broken(*args, **kwargs):
        raise ValueError("disk says no\nsecond line")

    monkeypatch.setattr(Store, "ingest", broken)
    outcome = steps.ingest_file(path, db_url=db(tmp_path))

    assert outcome.status == steps.QUARANTINED
    assert outcome.reason == "could not be read or stored: ValueError: disk says no"


def bank_lines(url: str) -> int:
    store = Store(url)
    try:
        return store.counts()["bank_transactions"]
    finally:
        store.close()


def test_an_mt940_cut_inside_its_last_61_then_the_full_file_store_each_line_once(tmp_path):
    full_text = (GOLDEN / "mt940" / "input.sta").read_text(encoding="utf-8")
    first = full_text[: full_text.index("-}") + 2] + "\n"
    cut_at = first.index("KD4471-10911//FT263") + len("KD4471-10911//FT263")
    cut, full = tmp_path / "cut.sta", tmp_path / "full.sta"
    cut.write_text(first[:cut_at], encoding="utf-8")
    full.write_text(first, encoding="utf-8")

    cut_outcome = steps.ingest_file(cut, db_url=db(tmp_path))
    after_cut = bank_lines(db(tmp_path))
    steps.ingest_file(full, db_url=db(tmp_path))

    assert (cut_outcome.status, cut_outcome.rejected) == (steps.INGESTED, 1)
    assert any(w.startswith("truncated:") for w in cut_outcome.warnings)
    assert after_cut == 1
    assert bank_lines(db(tmp_path)) == 3 == first.count(":61:")


OFX_HEAD = (GOLDEN / "ofx" / "input.ofx").read_text(encoding="utf-8").split("<BANKTRANLIST>")[0]
OFX_TAIL = ("<LEDGERBAL><BALAMT>{balance}<DTASOF>20261120</LEDGERBAL>\n"
            "</STMTRS></STMTTRNRS></BANKMSGSRSV1>\n</OFX>\n")


def ofx(tmp_path: Path, transactions: list[str], balance: str = "5295.50") -> Path:
    body = "<BANKTRANLIST><DTSTART>20261101<DTEND>20261120\n" + "".join(
        f"<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>2026111{n}<TRNAMT>{n}0.00<FITID>{fitid}"
        f"<NAME>CUSTOMER {n}</STMTTRN>\n" for n, fitid in enumerate(transactions, 1)
    ) + "</BANKTRANLIST>\n"
    path = tmp_path / "statement.ofx"
    path.write_text(OFX_HEAD + body + OFX_TAIL.format(balance=balance), encoding="utf-8")
    return path


def test_repeated_fitids_are_a_warning(tmp_path):
    path = ofx(tmp_path, ["T-1", "T-2", "T-1", "T-1"])

    outcome = steps.ingest_file(path, db_url=db(tmp_path))

    assert outcome.status == steps.INGESTED
    assert bank_lines(db(tmp_path)) == 4
    assert any("repeated FITID T-1 (3×)" in warning for warning in outcome.warnings)


def test_a_statement_with_balances_but_no_movement_is_valid(tmp_path):
    path = ofx(tmp_path, [])

    outcome = steps.ingest_file(path, db_url=db(tmp_path))

    assert (outcome.status, outcome.new, outcome.rejected) == (steps.INGESTED, 1, 0)
    assert outcome.warnings == []


def test_a_paypal_csv_cut_in_half_is_flagged_truncated(tmp_path):
    data = (GOLDEN / "paypal" / "input.csv").read_bytes()
    cut = tmp_path / "paypal.csv"
    middle = data.rfind(b"\n", 0, len(data) - 2) + 1  # inside the last row, at its middle
    cut.write_bytes(data[: middle + (len(data) - middle) // 2])

    outcome = steps.ingest_file(cut, db_url=db(tmp_path))

    assert outcome.status == steps.INGESTED
    assert outcome.warnings[0].startswith("truncated: the last row")
    assert outcome.rejected >= 1
    steps.ingest_file(GOLDEN / "paypal" / "input.csv", db_url=db(tmp_path))
    (tmp_path / "whole").mkdir()
    whole = steps.ingest_file(GOLDEN / "paypal" / "input.csv", db_url=db(tmp_path / "whole"))
    assert whole.new > 0
    store = Store(db(tmp_path))
    try:
        stored = store.counts()["gateway_transactions"]
    finally:
        store.close()
    assert stored == whole.new


def junk_rows(n: int) -> str:
    return "".join(f"zq{i}x,{i}qq,not a date,??,{'k' * (i % 7)},,{i}\n" for i in range(n))


def test_a_csv_whose_first_200_rows_are_junk_is_not_a_statement_and_stores_no_rejects(tmp_path):
    header = (GOLDEN / "stripe" / "input.csv").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "junk.csv"
    path.write_text(header + "\n" + junk_rows(5000), encoding="utf-8")

    outcome = steps.ingest_file(path, db_url=db(tmp_path))

    assert outcome.status == steps.QUARANTINED
    assert outcome.reason.startswith("not a stripe statement: its first 200 data rows were "
                                     "all rejected, e.g. line 2: 'zq0x,0qq,not a date")
    assert "\n" not in outcome.reason
    store = Store(db(tmp_path))
    try:
        assert len(store.load_rejects()) == 0
    finally:
        store.close()


def test_junk_after_the_first_200_rows_is_rejected_row_by_row_and_the_good_rows_kept(tmp_path):
    lines = tickets_lines()
    path = tmp_path / "tickets.jsonl"
    path.write_text("\n".join(lines) + "\n" + "{\"no\": \"ticket\"}\n" * 300, encoding="utf-8")

    outcome = steps.ingest_file(path, db_url=db(tmp_path))

    assert outcome.status == steps.INGESTED
    assert outcome.new == golden_tickets(tmp_path)
    assert outcome.rejected >= 300


def test_a_tickets_file_starting_with_200_rejected_lines_is_not_a_tickets_file(tmp_path):
    lines = tickets_lines()
    path = tmp_path / "tickets.jsonl"
    path.write_text(lines[0] + "\n" + "{\"subject\": \"x\"}\n" * 250 + "\n".join(lines) + "\n",
                    encoding="utf-8")

    outcome = steps.ingest_file(path, db_url=db(tmp_path))

    assert outcome.status == steps.INGESTED  # its first line is a ticket: not junk


def test_a_tickets_file_whose_first_200_lines_are_rejected_is_quarantined(tmp_path):
    path = tmp_path / "tickets.jsonl"
    lines = tickets_lines()
    path.write_text("{\"subject\": \"x\", \"message\": \"y\"}\n" * 250 + "\n".join(lines) + "\n",
                    encoding="utf-8")

    outcome = steps.ingest_file(path, db_url=db(tmp_path))

    assert outcome.status == steps.QUARANTINED
    assert outcome.reason.startswith("not a tickets-jsonl statement: its first 200 data rows")


def test_a_json_lines_file_cut_inside_its_last_line_is_flagged_truncated(tmp_path):
    text = (GOLDEN / "tickets-jsonl" / "input.jsonl").read_text(encoding="utf-8").rstrip("\n")
    path = tmp_path / "tickets.jsonl"
    path.write_text(text[: len(text) - 40], encoding="utf-8")

    outcome = steps.ingest_file(path, db_url=db(tmp_path))

    assert outcome.status == steps.INGESTED
    assert outcome.warnings[0].startswith("truncated: the last line (line 8)")
    assert outcome.new == golden_tickets(tmp_path)  # its last line holds no ticket id anyway
