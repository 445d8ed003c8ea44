"""OFX parser: small inline statements, one behaviour per test."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.base import SourceFile
from parsers.ofx import INVESTMENT_REFUSAL, NO_STATEMENT_DATA, OfxParser, _describe
from parsers.ofx_cut import CUT, UNCLOSED
from pipeline.models import BankTransaction, StatementBalance

HEADER = """OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

"""
SIGNON_OK = "<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS></SONRS></SIGNONMSGSRSV1>"


def txn(amount="10.00", posted="20261116", fitid="F1", name="PAYER", memo="", extra=""):
    memo_tag = f"<MEMO>{memo}" if memo else ""
    return (f"<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>{posted}<TRNAMT>{amount}<FITID>{fitid}"
            f"<NAME>{name}{memo_tag}{extra}</STMTTRN>")


def bank_statement(*transactions, curdef="USD", acctid="111", ledger="100.00", lists=1):
    per_list = [transactions] if lists == 1 else [[t] for t in transactions]
    lists_text = "".join(f"<BANKTRANLIST><DTSTART>20261101<DTEND>20261120{''.join(ts)}"
                         "</BANKTRANLIST>" for ts in per_list)
    ledger_text = f"<LEDGERBAL><BALAMT>{ledger}<DTASOF>20261120</LEDGERBAL>" \
        if ledger is not None else ""
    return (f"<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
            f"<STMTRS><CURDEF>{curdef}<BANKACCTFROM><BANKID>1<ACCTID>{acctid}"
            f"<ACCTTYPE>CHECKING</BANKACCTFROM>{lists_text}{ledger_text}</STMTRS>"
            f"</STMTTRNRS></BANKMSGSRSV1>")


def card_statement(*transactions, curdef="USD", acctid="4111"):
    return (f"<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>2<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
            f"<CCSTMTRS><CURDEF>{curdef}<CCACCTFROM><ACCTID>{acctid}</CCACCTFROM>"
            f"<BANKTRANLIST>{''.join(transactions)}</BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS>"
            f"</CREDITCARDMSGSRSV1>")


@pytest.fixture
def parse(tmp_path):
    def run(body: str, name: str = "statement.ofx", header: str = HEADER, raw: bytes = b""):
        path = tmp_path / name
        path.write_bytes(raw or (header + "<OFX>" + SIGNON_OK + body + "</OFX>").encode())
        return OfxParser().parse(SourceFile(path))
    return run


def transactions(result):
    return [r for r in result.records if isinstance(r, BankTransaction)]


def test_each_statement_transaction_becomes_a_bank_transaction_keyed_by_fitid(parse):
    result = parse(bank_statement(txn(fitid="A"), txn(amount="-5.25", fitid="B")))
    assert [(t.natural_key, t.amount_minor, t.account_id, t.currency)
            for t in transactions(result)] == [("A", 1000, "111", "USD"), ("B", -525, "111", "USD")]
    assert transactions(result)[0].origin.source_line is None
    assert transactions(result)[0].origin.source_ref == "A"


def test_the_booking_date_is_the_statements_local_date_not_utc(parse):
    result = parse(bank_statement(txn(posted="20261116200000.000[-8:PST]")))
    assert transactions(result)[0].booking_date == dt.date(2026, 11, 16)


@pytest.mark.parametrize(("text", "minor"), [
    ("-33.3", -3330), ("-140", -14000), ("70,5", 7050), ("+00000000000000.2400", 24),
    ("1,500", 150),  # OFX has no digit grouping: the comma is the radix point
])
def test_amounts_are_exact_minor_units_read_from_the_trnamt_text(parse, text, minor):
    assert transactions(parse(bank_statement(txn(amount=text))))[0].amount_minor == minor


def test_an_amount_with_a_currency_symbol_is_rejected_with_its_fitid(parse):
    result = parse(bank_statement(txn(amount="$120", fitid="X1"), txn(fitid="X2")))
    (reject,) = result.rejects
    assert reject.source_ref == "X1" and isinstance(reject.source_line, int)
    assert "TRNAMT" in reject.reason and "$120" in reject.reason
    assert [t.natural_key for t in transactions(result)] == ["X2"]


def test_an_impossible_posting_date_is_rejected_and_the_rest_is_kept(parse):
    result = parse(bank_statement(txn(posted="20120231", fitid="D1"), txn(fitid="D2")))
    assert [r.source_ref for r in result.rejects] == ["D1"]
    assert "20120231" in result.rejects[0].reason
    assert len(transactions(result)) == 1


def test_every_problem_of_a_transaction_is_named_in_its_reject(parse):
    (reject,) = parse(bank_statement(txn(posted="201120000000", amount="$120"))).rejects
    assert "DTPOSTED" in reject.reason and "TRNAMT" in reject.reason


def test_a_transaction_without_fitid_gets_a_stable_row_hash_and_repeats_are_numbered(parse):
    first = parse(bank_statement(txn(fitid=""), txn(fitid="")))
    again = parse(bank_statement(txn(fitid=""), txn(fitid="")), name="again.ofx")
    keys = [t.natural_key for t in transactions(first)]
    assert keys[0].startswith("h:") and keys[1] == keys[0] + "#2"
    assert keys == [t.natural_key for t in transactions(again)]


def test_a_repeated_fitid_within_a_statement_is_numbered(parse):
    result = parse(bank_statement(txn(fitid="R"), txn(fitid="R", amount="1.00")))
    assert [t.natural_key for t in transactions(result)] == ["R", "R#2"]


def test_an_unreadable_transaction_without_fitid_is_named_by_its_element_path(parse):
    (reject,) = parse(bank_statement(txn(fitid="OK"), txn(fitid="", posted=""))).rejects
    assert reject.source_ref == "STMTRS[1]/STMTTRN[2]"


@pytest.mark.parametrize(("name", "memo", "text"), [
    ("ALICE", "INV 10901", "ALICE / INV 10901"), ("", "INV 1", "INV 1"), ("BOB", "", "BOB"),
    ("FEE", "FEE", "FEE"),
    ("DIVIDEND EARNED", "DIVIDEND EARNED FOR MARCH", "DIVIDEND EARNED FOR MARCH"),
])
def test_name_and_memo_are_joined_without_repeating_each_other(name, memo, text):
    assert _describe(name, memo) == text


def test_name_is_the_counterparty_and_an_empty_name_is_no_reason_to_drop_a_row(parse):
    result = parse(bank_statement(txn(name="CARTER APPS", memo="Invoice #10911"),
                                  txn(name="", memo="CBA:Transfer", fitid="F2")))
    assert [(t.counterparty_name, t.description) for t in transactions(result)] == [
        ("CARTER APPS", "CARTER APPS / Invoice #10911"), ("", "CBA:Transfer")]


def test_a_raw_ampersand_in_a_memo_is_kept(parse):
    result = parse(bank_statement(txn(memo='IOF de "Leupay.Eu" & Whoelse')))
    assert transactions(result)[0].description.endswith('IOF de "Leupay.Eu" & Whoelse')


def test_a_transaction_currency_is_used_when_curdef_is_empty(parse):
    aud = "<CURRENCY><CURRATE>1.0000<CURSYM>AUD</CURRENCY>"
    result = parse(bank_statement(txn(extra=aud), curdef=""))
    assert transactions(result)[0].currency == "AUD"


def test_rows_without_any_currency_are_rejected_with_reason_no_currency(parse):
    (reject,) = parse(bank_statement(txn(), curdef="", ledger=None)).rejects
    assert "no currency" in reject.reason


def test_the_ledger_balance_becomes_a_closing_statement_balance(parse):
    (balance,) = [r for r in parse(bank_statement(txn(), ledger="-2093.01")).records
                  if isinstance(r, StatementBalance)]
    assert (balance.kind, balance.amount_minor, balance.currency, balance.account_id,
            balance.date) == ("closing", -209301, "USD", "111", dt.date(2026, 11, 20))


@pytest.mark.parametrize("ledger", ["", " ", "n/a"])
def test_an_empty_or_unreadable_ledger_balance_is_a_warning_not_a_record(parse, ledger):
    result = parse(bank_statement(txn(), ledger=ledger))
    assert not [r for r in result.records if isinstance(r, StatementBalance)]
    assert any("LEDGERBAL" in w for w in result.warnings)


def test_bank_and_card_statements_in_one_file_are_all_read(parse):
    result = parse(bank_statement(txn(fitid="B1"), acctid="CHK")
                   + card_statement(txn(fitid="C1", amount="-9.99"), acctid="CARD"))
    assert [(t.account_id, t.natural_key) for t in transactions(result)] == [
        ("CHK", "B1"), ("CARD", "C1")]


def test_transactions_split_over_several_banktranlists_are_all_read(parse):
    result = parse(bank_statement(txn(fitid="1"), txn(fitid="2"), txn(fitid="3"), lists=3))
    assert [t.natural_key for t in transactions(result)] == ["1", "2", "3"]


def test_an_investment_statement_is_refused_with_a_reason(parse):
    body = ("<INVSTMTMSGSRSV1><INVSTMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
            "<INVSTMTRS><DTASOF>20261120<CURDEF>USD<INVACCTFROM><BROKERID>b<ACCTID>1"
            "</INVACCTFROM></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1>")
    result = parse(body)
    assert result.refusal == INVESTMENT_REFUSAL and not result.records


def test_a_failed_sign_on_is_refused_with_its_code_and_message(tmp_path, parse):
    body = ("<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>15500<SEVERITY>ERROR<MESSAGE>Bad password"
            "</STATUS></SONRS></SIGNONMSGSRSV1></OFX>")
    result = parse("", raw=(HEADER + body).encode())
    assert "15500" in result.refusal and "Bad password" in result.refusal


def test_a_statement_error_response_is_refused_with_its_code_and_message(parse):
    body = ("<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>2000<SEVERITY>ERROR"
            "<MESSAGE>General Server Error</STATUS></STMTTRNRS></BANKMSGSRSV1>")
    refusal = parse(body).refusal
    assert "2000" in refusal and "General Server Error" in refusal


def test_a_failed_response_beside_a_good_statement_is_a_warning(parse):
    failed = ("<BANKMSGSRSV1><STMTTRNRS><TRNUID>9<STATUS><CODE>2000<SEVERITY>ERROR"
              "<MESSAGE>Down</STATUS></STMTTRNRS></BANKMSGSRSV1>")
    result = parse(bank_statement(txn()) + failed)
    assert len(transactions(result)) == 1 and any("2000" in w for w in result.warnings)


@pytest.mark.parametrize("body", [
    "",  # an empty <OFX></OFX>
    "<SIGNUPMSGSRSV1><ACCTINFOTRNRS><ACCTINFORS><ACCTINFO><BANKACCTINFO><BANKACCTFROM>"
    "<BANKID>1<ACCTID>2<ACCTTYPE>SAVINGS</BANKACCTFROM></BANKACCTINFO></ACCTINFO>"
    "</ACCTINFORS></ACCTINFOTRNRS></SIGNUPMSGSRSV1>",
])
def test_a_file_without_a_statement_is_refused(parse, body):
    result = parse(body)
    assert result.refusal and "statement" in result.refusal


def test_a_file_ofxparse_cannot_read_is_refused_not_raised(parse):
    result = parse("", raw=(HEADER + "this is not a statement").encode())
    assert result.refusal.startswith("ofxparse could not read the file")


def test_a_utf8_ofx2_body_is_decoded_before_ofxparse(parse):
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<?OFX OFXHEADER="200" VERSION="211"?>\n'
           "<OFX>" + SIGNON_OK.replace("<CODE>0", "<CODE>0</CODE>").replace(
               "<SEVERITY>INFO", "<SEVERITY>INFO</SEVERITY>")
           + bank_statement(txn(name="Müller GmbH")) + "</OFX>")
    result = parse("", raw=xml.encode("utf-8"))
    assert transactions(result)[0].counterparty_name == "Müller GmbH"


def test_a_windows_1252_sgml_body_is_decoded_by_its_charset(parse):
    raw = (HEADER + "<OFX>" + SIGNON_OK + bank_statement(txn(name="Société Générale"))
           + "</OFX>").encode("cp1252")
    assert transactions(parse("", raw=raw))[0].counterparty_name == "Société Générale"


def test_identify_sniffs_the_content_not_the_file_name(tmp_path):
    ofx_as_txt = tmp_path / "download.txt"
    ofx_as_txt.write_text(HEADER + "<OFX></OFX>")
    csv_as_ofx = tmp_path / "statement.ofx"
    csv_as_ofx.write_text("Date,Amount\n2026-11-01,10.00\n")
    headerless = tmp_path / "bare.xml"
    headerless.write_text("\r\n\r\n<OFX>\r\n<SIGNONMSGSRSV1>")
    assert OfxParser().identify(SourceFile(ofx_as_txt))
    assert OfxParser().identify(SourceFile(headerless))
    assert not OfxParser().identify(SourceFile(csv_as_ofx))


@pytest.mark.parametrize(("text", "minor"), [("1.234,56", 123456), ("-1,234.56", -123456)])
def test_an_amount_with_digit_grouping_is_read_when_it_reads_only_one_way(parse, text, minor):
    assert transactions(parse(bank_statement(txn(amount=text))))[0].amount_minor == minor


def test_a_utf16_file_is_identified_and_read(tmp_path, parse):
    raw = (HEADER + "<OFX>" + SIGNON_OK + bank_statement(txn(name="Zoë")) + "</OFX>")
    path = tmp_path / "utf16.ofx"
    path.write_bytes(raw.encode("utf-16"))
    assert OfxParser().identify(SourceFile(path))
    assert transactions(OfxParser().parse(SourceFile(path)))[0].counterparty_name == "Zoë"


def test_a_file_cut_inside_a_transaction_keeps_the_ones_before_and_rejects_the_cut_one(parse):
    whole = HEADER + "<OFX>" + SIGNON_OK + bank_statement(txn(fitid="1"), txn(fitid="2"))
    result = parse("", raw=whole[: whole.index('<FITID>2')].encode())
    assert result.refusal is None
    assert [r.natural_key for r in result.records] == ["1"]
    assert [r.reason for r in result.rejects] == [CUT]
    assert result.warnings[0].startswith("truncated:")


def test_unclosed_transactions_are_rejects_and_the_statement_is_still_read(parse):
    body = bank_statement(txn(fitid="1"), txn(fitid="2")).replace("</STMTTRN>", "")
    result = parse(body)
    assert result.refusal is None
    assert [r.reason for r in result.rejects] == [UNCLOSED, UNCLOSED]
    assert [type(r).__name__ for r in result.records] == ["StatementBalance"]


def test_statements_with_neither_a_transaction_nor_a_balance_are_refused_as_no_data(parse):
    result = parse(bank_statement(ledger=None) + card_statement())
    assert result.refusal == NO_STATEMENT_DATA
    assert result.refusal.startswith("no statement data")


def test_a_statement_with_a_ledger_balance_and_no_transaction_is_still_read(parse):
    result = parse(bank_statement(ledger="100.00"))
    assert result.refusal is None
    assert [(b.kind, b.amount_minor) for b in result.records] == [("closing", 10000)]


def test_an_empty_ledger_balance_counts_as_a_balance_and_is_only_a_warning(parse):
    result = parse(bank_statement(ledger=""))
    assert result.refusal is None and result.records == []
    assert any("no closing balance" in w for w in result.warnings)


def test_a_statement_with_only_an_available_balance_is_not_refused(parse):
    body = bank_statement(ledger=None).replace(
        "</STMTRS>", "<AVAILBAL><BALAMT>75.00<DTASOF>20261120</AVAILBAL></STMTRS>")
    assert parse(body).refusal is None


def test_transactions_without_any_balance_are_still_read(parse):
    result = parse(bank_statement(txn(), ledger=None))
    assert result.refusal is None and len(transactions(result)) == 1


def test_an_empty_statement_beside_one_with_transactions_is_no_reason_to_refuse(parse):
    result = parse(bank_statement(ledger=None) + card_statement(txn(fitid="C1")))
    assert result.refusal is None
    assert [t.natural_key for t in transactions(result)] == ["C1"]
