"""camt.053 parser (ISO 20022 camt.053.001.02–.08 via lxml): small inline documents, one
behaviour per test."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from parsers.base import SourceFile
from parsers.camt053 import DTD_REFUSAL, NO_STATEMENT, Camt053Parser
from pipeline.models import BankTransaction, StatementBalance

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}"


def entry(amount="120.00", ind="CRDT", ccy="EUR", details="", refs="", extra="",
          booked="<BookgDt><Dt>2026-11-20</Dt></BookgDt>", status="<Sts>BOOK</Sts>") -> str:
    dtls = f"<NtryDtls>{details}</NtryDtls>" if details else ""
    return (f'<Ntry>{refs}<Amt Ccy="{ccy}">{amount}</Amt><CdtDbtInd>{ind}</CdtDbtInd>{extra}'
            f"{status}{booked}<ValDt><Dt>2026-11-21</Dt></ValDt>{dtls}</Ntry>")


def tx(amount=None, ind="", remittance="", party="", account="", refs="", amount_path="Amt"):
    amt = ""
    if amount is not None:
        amt = (f'<Amt Ccy="EUR">{amount}</Amt>' if amount_path == "Amt" else
               f'<AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>')
    return (f"<TxDtls>{refs}{amt}{f'<CdtDbtInd>{ind}</CdtDbtInd>' if ind else ''}"
            f"{f'<RltdPties>{party}{account}</RltdPties>' if party or account else ''}"
            f"{f'<RmtInf>{remittance}</RmtInf>' if remittance else ''}</TxDtls>")


def balance(code: str, amount: str, ind="CRDT", day="2026-11-20") -> str:
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{amount}</Amt>"
            f"<CdtDbtInd>{ind}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>")


def stmt(*entries: str, ident="S1", balances="", account="<IBAN>DE89370400440532013000</IBAN>"):
    return (f"<Stmt><Id>{ident}</Id><CreDtTm>2026-11-20T21:00:00</CreDtTm>"
            f"<Acct><Id>{account}</Id></Acct>{balances}{''.join(entries)}</Stmt>")


def document(*statements: str, version="02", message="BkToCstmrStmt", prolog="") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<Document xmlns="'
            f'{NS.format(version=version)}"><{message}><GrpHdr><MsgId>M1</MsgId>'
            f"<CreDtTm>2026-11-20T21:00:00</CreDtTm></GrpHdr>{''.join(statements)}</{message}>"
            "</Document>")


@pytest.fixture
def parse(tmp_path):
    def run(text: str, name: str = "statement.xml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return Camt053Parser().parse(SourceFile(path))
    return run


def transactions(result) -> list[BankTransaction]:
    return [r for r in result.records if isinstance(r, BankTransaction)]


def balances(result) -> list[StatementBalance]:
    return [r for r in result.records if isinstance(r, StatementBalance)]


def batch_warnings(result) -> list[str]:
    return [w for w in result.warnings if "batch entry" in w]


@pytest.mark.parametrize("version", ["02", "04", "08"])
def test_each_entry_becomes_a_transaction_credit_positive_debit_negative(parse, version):
    result = parse(document(stmt(entry("120.00", "CRDT"), entry("35.50", "DBIT")),
                            version=version))
    assert [(t.amount_minor, t.currency) for t in transactions(result)] == [(12000, "EUR"),
                                                                          (-3550, "EUR")]
    first = transactions(result)[0]
    assert (first.booking_date, first.value_date) == (dt.date(2026, 11, 20), dt.date(2026, 11, 21))
    assert first.account_id == "DE89370400440532013000" and first.origin.source_line is None
    assert result.refusal is None and result.rejects == []


def test_the_account_may_be_an_other_id_and_the_currency_come_from_the_account(parse):
    text = document(stmt(entry(ccy=""), account="<Othr><Id>0532013000</Id></Othr>")).replace(
        '<Amt Ccy="">', "<Amt>").replace("</Acct>", "<Ccy>IDR</Ccy></Acct>")
    (txn,) = transactions(parse(text))
    assert (txn.account_id, txn.currency) == ("0532013000", "IDR")


def test_a_reversal_keeps_the_sign_of_its_indicator_and_says_so_in_the_description(parse):
    # ISO 20022: "If CdtDbtInd is DBIT and ReversalIndicator is true, the original operation
    # was a credit" - the indicator already is the direction of the reversal booking.
    result = parse(document(stmt(entry("120.00", "DBIT", extra="<RvslInd>true</RvslInd>",
                                       details=tx(remittance="<Ustrd>INV 10908</Ustrd>")))))
    (txn,) = transactions(result)
    assert txn.amount_minor == -12000
    assert txn.description == "Reversal / INV 10908"


def test_a_batch_entry_is_split_into_its_transactions_each_with_its_own_amount(parse):
    details = (tx("180.00", remittance="<Ustrd>Invoice #10915</Ustrd>",
                  party="<Dbtr><Nm>Jonas Weber</Nm></Dbtr>")
               + tx("120.00", remittance="<Ustrd>INV 10916</Ustrd>",
                    party="<Dbtr><Nm>Mira Klein</Nm></Dbtr>", amount_path="AmtDtls"))
    result = parse(document(stmt(entry("300.00", refs="<NtryRef>N7</NtryRef>",
                                       details=details))))
    first, second = transactions(result)
    assert [(t.amount_minor, t.description, t.counterparty_name) for t in (first, second)] == [
        (18000, "Invoice #10915", "Jonas Weber"), (12000, "INV 10916", "Mira Klein")]
    assert [first.natural_key, second.natural_key] == ["N7/1", "N7/2"]
    assert batch_warnings(result) == []


def test_a_split_line_with_its_own_account_servicer_reference_uses_it_as_key(parse):
    details = (tx("1.00", refs="<Refs><AcctSvcrRef>T1</AcctSvcrRef></Refs>")
               + tx("2.00", refs="<Refs><AcctSvcrRef>T2</AcctSvcrRef></Refs>"))
    result = parse(document(stmt(entry("3.00", details=details))))
    assert [t.natural_key for t in transactions(result)] == ["T1", "T2"]


def test_split_lines_sharing_one_account_servicer_reference_are_numbered_under_the_entry(
        parse):
    same = "<Refs><AcctSvcrRef>T1</AcctSvcrRef></Refs>"
    result = parse(document(stmt(entry("2.00", refs="<AcctSvcrRef>E9</AcctSvcrRef>",
                                       details=tx("1.00", refs=same) + tx("1.00", refs=same)))))
    assert [t.natural_key for t in transactions(result)] == ["E9/1", "E9/2"]


def test_a_repeated_bank_reference_is_kept_with_an_occurrence_and_a_warning(parse):
    twice = entry("1.00", refs="<AcctSvcrRef>A1</AcctSvcrRef>")
    result = parse(document(stmt(twice, twice)))
    assert [t.natural_key for t in transactions(result)] == ["A1", "A1#2"]
    assert "bank reference(s) A1 occur more than once" in result.warnings[-1]


def test_a_batch_whose_amounts_do_not_add_up_is_kept_as_one_record_with_a_warning(parse):
    details = tx("180.00", remittance="<Ustrd>INV 1</Ustrd>") + tx(
        "100.00", remittance="<Ustrd>INV 2</Ustrd>")
    result = parse(document(stmt(entry("300.00", details=details))))
    (txn,) = transactions(result)
    assert txn.amount_minor == 30000 and txn.description == "INV 1 / INV 2"
    assert batch_warnings(result) == [
        "Stmt[1]/Ntry[1]: batch entry kept as one record: its 2 TxDtls add up to 280.00, not "
        "the entry amount 300.00"]


def test_a_batch_with_a_transaction_without_amount_is_kept_as_one_record(parse):
    result = parse(document(stmt(entry("3.00", details=tx("1.00") + tx()))))
    assert len(transactions(result)) == 1
    assert "TxDtls[2] has no amount" in batch_warnings(result)[0]


def test_split_amounts_follow_their_own_credit_debit_indicator(parse):
    details = tx("10.00", ind="CRDT") + tx("2.50", ind="DBIT")
    result = parse(document(stmt(entry("7.50", details=details))))
    assert [t.amount_minor for t in transactions(result)] == [1000, -250]


def test_remittance_collects_unstructured_lines_structured_references_and_additional_info(
        parse):
    remittance = ("<Ustrd>INV 10908</Ustrd><Ustrd>VPS Medium</Ustrd><Strd><RfrdDocInf><Nb>"
                  "INV-2026-00123</Nb></RfrdDocInf><CdtrRefInf><Ref>RF18539007547034</Ref>"
                  "</CdtrRefInf></Strd>")
    text = document(stmt(entry(details=tx(remittance=remittance).replace(
        "</TxDtls>", "<AddtlTxInf>SEPA credit</AddtlTxInf></TxDtls>"),
        extra="").replace("</Ntry>", "<AddtlNtryInf>GUTSCHRIFT</AddtlNtryInf></Ntry>")))
    assert transactions(parse(text))[0].description == (
        "INV 10908 / VPS Medium / INV-2026-00123 / RF18539007547034 / SEPA credit / GUTSCHRIFT")


@pytest.mark.parametrize(("ind", "party", "expected"), [
    ("CRDT", "<Dbtr><Nm>Lena Fischer</Nm></Dbtr><Cdtr><Nm>Wolkenhaus</Nm></Cdtr>", "Lena Fischer"),
    ("DBIT", "<Dbtr><Nm>Wolkenhaus</Nm></Dbtr><Cdtr><Nm>Hetzner Online</Nm></Cdtr>",
     "Hetzner Online"),
    ("CRDT", "<Dbtr><Pty><Nm>Lena Fischer</Nm></Pty></Dbtr>", "Lena Fischer"),  # v08
])
def test_the_counterparty_is_the_debtor_of_a_credit_and_the_creditor_of_a_debit(
        parse, ind, party, expected):
    account = ("<DbtrAcct><Id><IBAN>DE02120300000000202051</IBAN></Id></DbtrAcct>"
               "<CdtrAcct><Id><Othr><Id>998877</Id></Othr></Id></CdtrAcct>")
    (txn,) = transactions(parse(document(stmt(entry(ind=ind, details=tx(party=party,
                                                                        account=account))))))
    assert txn.counterparty_name == expected
    assert txn.counterparty_account == ("DE02120300000000202051" if ind == "CRDT" else "998877")


@pytest.mark.parametrize(("refs", "details", "key", "ref"), [
    ("<NtryRef>N1</NtryRef><AcctSvcrRef>A1</AcctSvcrRef>", "", "A1", "A1"),
    ("<NtryRef>N1</NtryRef>", "", "N1", "N1"),
    ("<NtryRef>N1</NtryRef>",
     tx(refs="<Refs><AcctSvcrRef>TA1</AcctSvcrRef><EndToEndId>E1</EndToEndId></Refs>"),
     "TA1", "TA1"),
    ("", tx(refs="<Refs><EndToEndId>E1</EndToEndId></Refs>"), "E1|2026-11-20|12000", "E1"),
])
def test_the_natural_key_prefers_the_banks_references(parse, refs, details, key, ref):
    (txn,) = transactions(parse(document(stmt(entry(refs=refs, details=details)))))
    assert (txn.natural_key, txn.origin.source_ref) == (key, ref)


def test_without_references_the_key_is_a_row_hash_made_unique_by_occurrence(parse):
    notprovided = tx(refs="<Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>")
    result = parse(document(stmt(entry(details=notprovided), entry(details=notprovided))))
    first, second = transactions(result)
    assert first.natural_key.startswith("h:") and first.origin.source_ref is None
    assert second.natural_key == first.natural_key + "#2"


def test_opening_and_closing_balances_are_recorded_and_other_types_ignored(parse):
    bals = (balance("OPBD", "100.00", day="2026-11-19") + balance("CLAV", "999.00")
            + balance("ITBD", "5.00") + balance("CLBD", "220.00"))
    result = parse(document(stmt(entry("120.00"), balances=bals)))
    assert [(b.kind, b.amount_minor, b.date) for b in balances(result)] == [
        ("opening", 10000, dt.date(2026, 11, 19)), ("closing", 22000, dt.date(2026, 11, 20))]
    assert result.warnings == []


def test_a_previously_closed_balance_stands_in_for_a_missing_opening_balance(parse):
    result = parse(document(stmt(entry("120.00"), balances=balance("PRCD", "100.00", "DBIT")
                                 + balance("CLBD", "20.00"))))
    assert [(b.kind, b.amount_minor) for b in balances(result)] == [("opening", -10000),
                                                                     ("closing", 2000)]
    assert result.warnings == []


def test_opening_plus_movements_not_equal_to_closing_is_a_warning_and_still_ingested(parse):
    result = parse(document(stmt(entry("120.00"), entry("0.01", "DBIT"), ident="STMT-7",
                                 balances=balance("OPBD", "100.00") + balance("CLBD", "200.00"))))
    assert len(transactions(result)) == 2
    assert result.warnings == [
        "statement STMT-7: opening 100.00 + movements 119.99 != closing 200.00 EUR"]


def test_a_statement_without_closing_balance_is_noted(parse):
    result = parse(document(stmt(entry(), balances=balance("OPBD", "1.00"), ident="S5")))
    assert result.warnings == ["statement S5: no closing balance (CLBD); opening + movements = "
                               "closing not checked"]


def test_several_statements_are_read_and_checked_each_on_its_own(parse):
    first = stmt(entry("10.00"), ident="A", balances=balance("OPBD", "0.00")
                 + balance("CLBD", "10.00"))
    second = stmt(entry("5.00", "DBIT"), ident="B", balances=balance("OPBD", "10.00")
                  + balance("CLBD", "4.00"))
    result = parse(document(first, second))
    assert [t.amount_minor for t in transactions(result)] == [1000, -500]
    assert result.warnings == ["statement B: opening 10.00 + movements -5.00 != closing 4.00 EUR"]


def test_a_date_time_is_read_as_its_local_date_part(parse):
    booked = "<BookgDt><DtTm>2026-11-20T23:30:00.000000000-08:00</DtTm></BookgDt>"
    assert transactions(parse(document(stmt(entry(booked=booked)))))[0].booking_date == \
        dt.date(2026, 11, 20)


def test_trailing_zero_decimals_are_fine_but_more_decimals_than_the_currency_has_are_a_reject(
        parse):
    result = parse(document(stmt(entry("5442.09000"), entry("10.005"))))
    assert [t.amount_minor for t in transactions(result)] == [544209]
    (reject,) = result.rejects
    assert reject.source_ref == "Stmt[1]/Ntry[2]" and "more decimals than EUR" in reject.reason
    assert reject.raw.startswith("<Ntry")


@pytest.mark.parametrize(("amount", "ind", "reason"), [
    ("-1.00", "CRDT", "is not an ISO 20022 decimal"),
    ("1,00", "CRDT", "is not an ISO 20022 decimal"),
    ("1.00", "", "CdtDbtInd is '', not CRDT or DBIT"),
])
def test_an_unreadable_entry_is_a_reject_naming_its_element_path(parse, amount, ind, reason):
    result = parse(document(stmt(entry(), entry(amount, ind))))
    assert len(transactions(result)) == 1
    assert result.rejects[0].source_ref == "Stmt[1]/Ntry[2]"
    assert reason in result.rejects[0].reason


def undated(amount="120.00") -> str:
    """An entry with neither BookgDt nor ValDt (as some camt.053.001.08 exports write them)."""
    return entry(amount, booked="").replace("<ValDt><Dt>2026-11-21</Dt></ValDt>", "")


def dating_warnings(result) -> list[str]:
    return [w for w in result.warnings if "without a booking or value date" in w]


PERIOD = ("<FrToDt><FrDtTm>2026-11-19T00:00:00+01:00</FrDtTm>"
          "<ToDtTm>2026-11-19T23:59:59+01:00</ToDtTm></FrToDt>")


def test_an_entry_without_its_own_dates_is_booked_on_the_end_of_the_statement_period(parse):
    text = document(stmt(undated(), entry("5.00"), ident="S9"), version="08").replace(
        "<Acct>", f"{PERIOD}<Acct>")
    result = parse(text)
    first, second = transactions(result)
    assert (first.booking_date, first.value_date, first.amount_minor) == (
        dt.date(2026, 11, 19), None, 12000)
    assert second.booking_date == dt.date(2026, 11, 20)
    assert result.rejects == []
    assert dating_warnings(result) == [
        "statement S9: 1 entries without a booking or value date (BookgDt/ValDt) booked on the "
        "statement's date 2026-11-19 (Stmt/FrToDt/ToDtTm)"]


def test_without_a_statement_period_an_undated_entry_takes_the_statements_creation_date(parse):
    result = parse(document(stmt(undated(), undated("1.00")), version="08"))
    assert [t.booking_date for t in transactions(result)] == [dt.date(2026, 11, 20)] * 2
    assert dating_warnings(result) == [
        "statement S1: 2 entries without a booking or value date (BookgDt/ValDt) booked on the "
        "statement's date 2026-11-20 (Stmt/CreDtTm)"]


def test_without_any_statement_date_an_undated_entry_takes_the_messages_creation_date(parse):
    text = document(stmt(undated()), version="08").replace(
        "<CreDtTm>2026-11-20T21:00:00</CreDtTm><Acct>", "<Acct>").replace(
        "<CreDtTm>2026-11-20T21:00:00</CreDtTm>", "<CreDtTm>2026-11-18T06:00:00Z</CreDtTm>")
    result = parse(text)
    assert [t.booking_date for t in transactions(result)] == [dt.date(2026, 11, 18)]
    assert "date 2026-11-18 (GrpHdr/CreDtTm)" in dating_warnings(result)[0]


def test_an_undated_entry_in_a_message_without_any_date_is_a_reject(parse):
    text = document(stmt(undated())).replace("<CreDtTm>2026-11-20T21:00:00</CreDtTm>", "")
    result = parse(text)
    assert transactions(result) == []
    assert "neither a booking date (BookgDt) nor a value date" in result.rejects[0].reason


def test_a_balance_without_a_credit_debit_indicator_is_a_credit_balance_with_a_warning(parse):
    bals = (balance("OPBD", "100.00").replace("<CdtDbtInd>CRDT</CdtDbtInd>", "")
            + balance("CLBD", "220.00").replace("<CdtDbtInd>CRDT</CdtDbtInd>", ""))
    result = parse(document(stmt(entry("120.00"), balances=bals, ident="S3"), version="08"))
    assert [(b.kind, b.amount_minor) for b in balances(result)] == [("opening", 10000),
                                                                     ("closing", 22000)]
    assert result.warnings == [
        "statement S3: Bal[1] OPBD has no CdtDbtInd: read as a credit balance",
        "statement S3: Bal[2] CLBD has no CdtDbtInd: read as a credit balance"]


def test_a_zero_balance_without_a_credit_debit_indicator_needs_no_warning(parse):
    bals = (balance("OPBD", "0.00").replace("<CdtDbtInd>CRDT</CdtDbtInd>", "")
            + balance("CLBD", "120.00"))
    result = parse(document(stmt(entry("120.00"), balances=bals)))
    assert [b.amount_minor for b in balances(result)] == [0, 12000]
    assert result.warnings == []


@pytest.mark.parametrize("status", ["<Sts>PDNG</Sts>", "<Sts><Cd>INFO</Cd></Sts>"])
def test_an_entry_that_is_not_booked_is_a_reject_not_money(parse, status):
    result = parse(document(stmt(entry(status=status)), version="08"))
    assert transactions(result) == []
    assert "(not booked): not ingested" in result.rejects[0].reason


def test_a_billion_laughs_document_is_refused_quickly(parse):
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    prolog = f'<!DOCTYPE Document [<!ENTITY l0 "lol">{entities}]>'
    started = time.monotonic()
    result = parse(document(stmt(entry(details=tx(remittance="<Ustrd>&l9;</Ustrd>"))),
                            prolog=prolog))
    assert result.refusal == DTD_REFUSAL and result.records == []
    assert time.monotonic() - started < 2


def test_an_external_entity_is_refused_and_never_read(parse, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    prolog = f'<!DOCTYPE Document [<!ENTITY x SYSTEM "file://{secret}">]>'
    result = parse(document(stmt(entry(details=tx(remittance="<Ustrd>&x;</Ustrd>"))),
                            prolog=prolog))
    assert result.refusal == DTD_REFUSAL
    assert "TOP-SECRET" not in repr(result)


@pytest.mark.parametrize(("message", "version", "reason"), [
    ("BkToCstmrAcctRpt", "camt.052.001.02", "camt.052 intraday report: payrecon reads "
                                            "end-of-day statements (camt.053) only"),
    ("BkToCstmrDbtCdtNtfctn", "camt.054.001.02", "camt.054 debit/credit notification"),
    ("BkToCstmrStmt", "camt.053.001.10", "camt.053.001.10 is not supported"),
])
def test_other_camt_messages_and_versions_are_refused_with_their_reason(
        parse, tmp_path, message, version, reason):
    text = document(stmt(entry()), message=message).replace(NS.format(version="02"),
                                                            f"urn:iso:std:iso:20022:tech:xsd:"
                                                            f"{version}")
    result = parse(text)
    assert result.refusal.startswith(reason) and result.records == []
    path = tmp_path / "statement.xml"
    assert Camt053Parser().identify(SourceFile(path))


def test_an_unknown_namespace_is_refused(parse):
    result = parse('<Document xmlns="urn:weird-namespace"><BkToCstmrStmt/></Document>')
    assert result.refusal.startswith("unknown namespace 'urn:weird-namespace'")


def test_a_document_without_statement_is_refused(parse):
    assert parse(document()).refusal == NO_STATEMENT


def test_xml_that_is_not_well_formed_is_refused_with_the_parsers_message(parse):
    result = parse(document(stmt(entry()))[:-20])
    assert result.refusal.startswith("not well-formed XML:")


def test_a_prefixed_namespace_is_read_like_a_default_one(parse):
    text = document(stmt(entry())).replace("<", "<c:").replace("<c:/", "</c:").replace(
        "<c:?xml", "<?xml").replace('xmlns="', 'xmlns:c="')
    assert len(transactions(parse(text))) == 1


def test_identify_claims_camt_documents_and_not_other_xml(tmp_path):
    camt = tmp_path / "a.xml"
    camt.write_text(document(stmt(entry())))
    ofx = tmp_path / "b.ofx"
    ofx.write_text('<?xml version="1.0"?><?OFX OFXHEADER="200"?><OFX><BANKMSGSRSV1/></OFX>')
    other = tmp_path / "c.xml"
    other.write_text('<?xml version="1.0"?><Document xmlns="urn:pain.001"><CstmrCdtTrfInitn/>'
                     "</Document>")
    utf16 = tmp_path / "d.xml"
    utf16.write_bytes(document(stmt(entry())).replace("UTF-8", "UTF-16").encode("utf-16"))
    parser = Camt053Parser()
    assert [parser.identify(SourceFile(p)) for p in (camt, ofx, other, utf16)] == [
        True, False, False, True]
    assert len(transactions(parser.parse(SourceFile(utf16)))) == 1


def test_a_large_statement_is_streamed_entry_by_entry(parse):
    entries = [entry("1.00", refs=f"<AcctSvcrRef>R{n}</AcctSvcrRef>") for n in range(20000)]
    bals = balance("OPBD", "0.00") + balance("CLBD", "20000.00")
    result = parse(document(stmt(*entries, balances=bals)))
    assert len(transactions(result)) == 20000 and result.warnings == []






