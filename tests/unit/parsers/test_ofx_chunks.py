"""OFX in bounded pieces: a chunked parse equals the one-pass parse record for record."""

from __future__ import annotations

import random
import re

import pytest

from parsers import ofx_chunks
from parsers.base import ParseResult, SourceFile
from parsers.ofx import OfxParser

HEADER = ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
          "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n")
SIGNON = ("<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
          "<DTSERVER>20261120190000[-8:PST]<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>\n")
ONE_PASS = 10**9  # a chunk size no file reaches: one ofxparse pass over the whole file


def _transaction(rng: random.Random, number: int, prefix: str) -> str:
    """Varied rows: FITIDs repeated across piece borders, rows without FITID (hash keys with
    occurrences), unreadable amounts and dates (rejects), CURRENCY aggregates, DTAVAIL,
    MEMO, a transfer's BANKACCTTO; one NAME closed in each statement's first piece only
    (ofxparse then closes NAME nowhere in the file: unclosed, it swallows what follows)."""
    fitid = "" if number % 37 == 0 else f"{prefix}{number // 2 if number % 50 == 0 else number}"
    amount = "$12" if number % 211 == 0 else \
        f"{rng.choice('+-')}{rng.randrange(1, 99999)}.{number % 100:02d}"
    posted = "20261131" if number % 307 == 0 else f"202611{1 + number % 28:02d}120000[-8:PST]"
    extra = "".join((
        f"<DTAVAIL>202611{1 + number % 28:02d}" if number % 3 == 0 else "",
        "<CURRENCY><CURRATE>1.0<CURSYM>EUR</CURRENCY>" if number % 41 == 0 else "",
        f"<MEMO>Invoice #{10000 + number}" if number % 2 else "",
        "<BANKACCTTO><BANKID>9<ACCTID>555</BANKACCTTO>" if number % 97 == 0 else "",
    ))
    name = f"<NAME>PAYER {number % 13}" + ("</NAME>" if number == 5 else "")
    return (f"<STMTTRN>\n<TRNTYPE>OTHER\n<DTPOSTED>{posted}\n<TRNAMT>{amount}\n<FITID>{fitid}\n"
            f"{name}\n{extra}</STMTTRN>\n")


def _statement(rng: random.Random, card: bool, count: int, acctid: str, lists: int) -> str:
    rows = [_transaction(rng, n, acctid[:2]) for n in range(1, count + 1)]
    size = -(-count // lists)
    body = "".join(f"<BANKTRANLIST><DTSTART>20261101<DTEND>20261130\n{''.join(rows[i:i + size])}"
                   "</BANKTRANLIST>\n" for i in range(0, count, size))
    tag, account = ("CCSTMTRS", f"<CCACCTFROM><ACCTID>{acctid}</CCACCTFROM>") if card else (
        "STMTRS", f"<BANKACCTFROM><BANKID>1<ACCTID>{acctid}<ACCTTYPE>CHECKING</BANKACCTFROM>")
    wrap = ("CREDITCARDMSGSRSV1", "CCSTMTTRNRS") if card else ("BANKMSGSRSV1", "STMTTRNRS")
    return (f"<{wrap[0]}><{wrap[1]}><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\n"
            f"<{tag}><CURDEF>USD\n{account}\n{body}<LEDGERBAL><BALAMT>-{count}.50"
            f"<DTASOF>20261130</LEDGERBAL>\n</{tag}></{wrap[1]}></{wrap[0]}>\n")


@pytest.fixture(scope="module")
def big_statement(tmp_path_factory):
    """3,000 transactions over three accounts: checking (two BANKTRANLISTs), savings, card;
    the card statement comes first, so ofxparse's order (STMTRS first) differs from the file's."""
    rng = random.Random(20261130)
    body = (_statement(rng, True, 700, "CARD4111", 1)
            + _statement(rng, False, 1600, "CHK0001", 2)
            + _statement(rng, False, 700, "SAV0002", 1))
    path = tmp_path_factory.mktemp("ofx") / "big.ofx"
    path.write_text(HEADER + "<OFX>\n" + SIGNON + body + "</OFX>\n", encoding="cp1252")
    return path


def _dump(result: ParseResult) -> tuple:
    return (result.refusal, result.warnings, [r.model_dump() for r in result.records],
            [r.model_dump() for r in result.rejects])


def test_a_chunked_parse_equals_the_one_pass_parse_record_for_record(big_statement):
    source = SourceFile(big_statement)
    chunked, whole = OfxParser(chunk_size=100).parse(source), OfxParser(ONE_PASS).parse(source)
    assert whole.refusal is None and len(whole.records) + len(whole.rejects) == 3003
    assert whole.rejects and any("#2" in r.natural_key for r in whole.records)
    assert _dump(chunked) == _dump(whole)


def test_each_piece_handed_to_ofxparse_holds_at_most_chunk_size_transactions(
        big_statement, monkeypatch):
    sizes = []
    real = ofx_chunks.run_ofxparse

    def spy(body: str, piece: bool = False):
        sizes.append(len(re.findall("<STMTTRN>", body)))
        return real(body, piece)

    monkeypatch.setattr(ofx_chunks, "run_ofxparse", spy)
    result = OfxParser(chunk_size=100).parse(SourceFile(big_statement))
    assert result.refusal is None
    assert sizes[0] == 0  # the skeleton: header, sign-on, envelopes, balances
    assert len(sizes) == 1 + 7 + 16 + 7 and max(sizes) == 100 and sum(sizes) == 3000


def test_the_balances_curdef_and_accounts_come_from_each_statements_envelope(big_statement):
    result = OfxParser(chunk_size=100).parse(SourceFile(big_statement))
    balances = [(b.account_id, b.amount_minor, b.currency) for b in result.records
                if b.__class__.__name__ == "StatementBalance"]
    assert balances == [("CHK0001", -160050, "USD"), ("SAV0002", -70050, "USD"),
                        ("CARD4111", -70050, "USD")]


@pytest.mark.parametrize("body", [
    # unclosed STMTTRN: not cut, the one pass refuses it as a broken structure
    "<BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM>"
    "<BANKTRANLIST><STMTTRN><TRNAMT>1<FITID>a<STMTTRN><TRNAMT>2<FITID>b</BANKTRANLIST>"
    "</STMTRS></STMTTRNRS></BANKMSGSRSV1>",
    # a STMTTRN outside any statement
    "<STMTTRN><TRNAMT>1<FITID>x</STMTTRN><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD"
    "<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST><STMTTRN><DTPOSTED>20261101"
    "<TRNAMT>1<FITID>a</STMTTRN><STMTTRN><DTPOSTED>20261101<TRNAMT>2<FITID>b</STMTTRN>"
    "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1>",
    # a comment that hides a transaction
    "<BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM>"
    "<BANKTRANLIST><!-- <STMTTRN><TRNAMT>9</STMTTRN> --><STMTTRN><DTPOSTED>20261101"
    "<TRNAMT>1<FITID>a</STMTTRN><STMTTRN><DTPOSTED>20261101<TRNAMT>2<FITID>b</STMTTRN>"
    "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1>",
])
def test_files_that_cannot_be_cut_safely_are_read_in_one_pass(tmp_path, body):
    path = tmp_path / "odd.ofx"
    path.write_text(HEADER + "<OFX>" + SIGNON + body + "</OFX>")
    source = SourceFile(path)
    assert _dump(OfxParser(chunk_size=1).parse(source)) == _dump(OfxParser(ONE_PASS).parse(source))


def test_a_chunk_size_below_one_is_refused():
    with pytest.raises(ValueError):
        OfxParser(chunk_size=0)
