"""Issue 10: a file cut inside its last row (bank CSV, BTCPay, tickets CSV) keeps every
whole row and rejects the cut one with its line and a ``truncated:`` reason, never reading
a half amount; a cut WHMCS JSON response cannot be read in part and is refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.base import SourceFile
from parsers.registry import detect

ROOT = Path(__file__).resolve().parents[3] / "sample_data"
BAD = ROOT / "bad"


def parse(path: Path):
    source = SourceFile(path)
    return detect(source).parser.parse(source)


def lines(result) -> list[int]:
    return [r.origin.source_line for r in result.records if r.origin.source_line]


@pytest.mark.parametrize(("whole", "cut", "cut_line"), [
    (ROOT / "demo" / "bank-bca-idr.csv", BAD / "bank-csv-truncated-last-row.csv", 15),
    (ROOT / "golden" / "tickets-csv" / "input.csv", BAD / "tickets-csv-truncated-last-row.csv",
     3),
], ids=["bank-csv", "tickets-csv"])
def test_a_file_cut_inside_its_last_row_keeps_the_other_rows_and_rejects_the_cut_one(
        whole, cut, cut_line):
    result = parse(cut)
    assert cut_line not in lines(result)
    assert set(lines(result)) <= set(lines(parse(whole)))
    (reject,) = [r for r in result.rejects if r.source_line == cut_line]
    assert reject.reason.startswith("truncated: the file ends inside its last row")
    assert any(w.startswith("truncated:") for w in result.warnings)


def test_a_bank_csv_cut_inside_its_last_row_keeps_all_rows_before_it():
    whole, cut = parse(ROOT / "demo" / "bank-bca-idr.csv"), parse(
        BAD / "bank-csv-truncated-last-row.csv")
    assert lines(cut) == [n for n in lines(whole) if n < 15]


def test_a_btcpay_invoice_whose_last_payment_row_is_cut_is_rejected_whole(tmp_path):
    result = parse(BAD / "btcpay-truncated-last-row.csv")
    rejected = {r.source_line: r.reason for r in result.rejects}
    assert rejected[6].startswith("truncated: the file ends inside its last row")
    assert rejected[5].startswith("truncated: another payment row of invoice")
    assert not {5, 6} & set(lines(result))
    assert len(result.records) == 3


def test_a_file_that_merely_lacks_its_last_line_break_is_whole(tmp_path):
    path = tmp_path / "bca.csv"
    path.write_bytes((ROOT / "demo" / "bank-bca-idr.csv").read_bytes().rstrip(b"\r\n"))
    result = parse(path)
    assert lines(result) == lines(parse(ROOT / "demo" / "bank-bca-idr.csv"))
    assert not result.rejects


def test_a_cut_whmcs_response_is_refused_as_truncated():
    result = parse(BAD / "whmcs-invoices-truncated.json")
    assert "truncated: the file ends before the JSON response does" in result.refusal
    assert not result.records


@pytest.mark.parametrize(("sample", "line"), [
    (ROOT / "demo" / "bank-bca-idr.csv", 8),
    (ROOT / "golden" / "tickets-csv" / "input.csv", 3),
    (ROOT / "golden" / "btcpay" / "input.csv", 3),
    (ROOT / "golden" / "paypal" / "input.csv", 3),
    (ROOT / "golden" / "stripe" / "input.csv", 3),
    (ROOT / "golden" / "invoices-csv" / "input.csv", 3),
], ids=lambda v: v.parent.name if isinstance(v, Path) else str(v))
def test_a_csv_row_longer_than_the_limit_is_a_reject_and_the_rest_is_read(tmp_path, sample,
                                                                          line):
    from parsers.limits import MAX_LINE_CHARS

    rows = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    huge = '"' + "x" * (MAX_LINE_CHARS + 10) + '",1\n'
    path = tmp_path / sample.name
    path.write_text("".join([*rows[:line - 1], huge, *rows[line - 1:]]), encoding="utf-8")

    result = parse(path)
    whole = parse(sample)

    assert result.refusal is None
    (reject,) = [r for r in result.rejects if r.source_line == line]
    assert "longer than the" in reject.reason and len(reject.raw) <= 2000
    assert len(result.records) == len(whole.records)
