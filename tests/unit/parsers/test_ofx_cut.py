"""Issue 10: an OFX cut inside a transaction, or with one STMTTRN left unclosed, keeps every
whole transaction and rejects the broken one with its line and reason; a cut balance is
never read; a whole file is read as it is."""

from __future__ import annotations

from pathlib import Path

from parsers.base import SourceFile
from parsers.ofx import OfxParser
from parsers.ofx_cut import CUT, UNCLOSED, mend, transaction_lines

DEMO = Path(__file__).resolve().parents[3] / "sample_data" / "demo" / "chase-usd.ofx"
WHOLE = DEMO.read_text(encoding="utf-8")


def parse(tmp_path: Path, text: str):
    path = tmp_path / "statement.ofx"
    path.write_text(text, encoding="utf-8")
    return OfxParser().parse(SourceFile(path))


def keys(result) -> list[str]:
    return [getattr(r, "natural_key", "balance") for r in result.records]


def test_a_whole_file_is_not_changed():
    assert mend(WHOLE).text == WHOLE and mend(WHOLE).cut == [] == mend(WHOLE).warnings


def test_a_file_cut_inside_a_transaction_keeps_the_transactions_before_it(tmp_path):
    last = WHOLE.rindex("<STMTTRN>")
    cut_at = WHOLE.index("<TRNAMT>", last) + len("<TRNAMT>3")
    result = parse(tmp_path, WHOLE[:cut_at])
    whole = parse(tmp_path, WHOLE)

    assert result.refusal is None
    assert keys(result) == [k for k in keys(whole) if k != "balance"][:-1]
    (reject,) = result.rejects
    assert (reject.source_line, reject.reason) == (WHOLE.count("\n", 0, last) + 1, CUT)
    assert result.warnings[0].startswith("truncated: the file ends without its closing </OFX>")


def test_a_file_cut_inside_its_closing_balance_reads_no_balance(tmp_path):
    cut_at = WHOLE.index("<BALAMT>") + len("<BALAMT>12")
    result = parse(tmp_path, WHOLE[:cut_at])

    assert result.refusal is None and result.rejects == []
    assert keys(result) == [k for k in keys(parse(tmp_path, WHOLE)) if k != "balance"]
    assert "its unfinished LEDGERBAL is not read" in result.warnings[0]


def test_a_transaction_without_its_closing_tag_is_a_reject_and_the_rest_is_read(tmp_path):
    second = WHOLE.index("</STMTTRN>", WHOLE.index("</STMTTRN>") + 1)
    text = WHOLE[:second] + WHOLE[second + len("</STMTTRN>"):]
    result = parse(tmp_path, text)

    assert len(result.records) == len(parse(tmp_path, WHOLE).records) - 1
    (reject,) = result.rejects
    assert reject.reason == UNCLOSED and "<STMTTRN>" in reject.raw
    assert text.splitlines()[reject.source_line - 1].strip() == "<STMTTRN>"


def test_the_line_of_each_transaction_is_known_per_statement_in_ofxparse_order():
    text = ("<OFX><CCSTMTRS>\n<STMTTRN>a</STMTTRN>\n</CCSTMTRS>\n<STMTRS>\n\n<STMTTRN>b"
            "</STMTTRN><STMTTRN>c</STMTTRN>\n<STMTTRN>d</STMTTRN></STMTRS></OFX>")
    assert transaction_lines(text) == [[6, 6, 7], [2]]


def test_a_cut_file_and_then_the_whole_one_keep_each_fitid_once(tmp_path):
    last = WHOLE.rindex("<STMTTRN>")
    cut = parse(tmp_path, WHOLE[:WHOLE.index("<FITID>", last) + len("<FITID>2")])
    whole = parse(tmp_path, WHOLE)
    assert set(keys(cut)) < set(keys(whole))


def test_a_file_cut_before_its_first_statement_is_refused_as_truncated(tmp_path):
    result = parse(tmp_path, WHOLE[:WHOLE.index("<BANKMSGSRSV1>") + 20])
    assert result.refusal.endswith("(truncated: the file ends without its closing </OFX> tag)")
