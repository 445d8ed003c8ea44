"""MT940 parser (SWIFT MT940 via mt-940 5.x): small inline statements, one behaviour per test."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.base import SourceFile
from parsers.mt940 import MT942_REFUSAL, Mt940Parser
from pipeline.models import BankTransaction, StatementBalance


def statement(*lines: str, ref="STMT1", account="NL91ABNA0417164300", opening="C261118EUR100,00",
              closing="C261119EUR150,00") -> str:
    """One MT940 statement: header, the given :61:/:86: lines, closing balance."""
    return "\n".join([f":20:{ref}", f":25:{account}", ":28C:1/1", f":60F:{opening}",
                      *lines, f":62F:{closing}", "-"]) + "\n"


@pytest.fixture
def parse(tmp_path):
    def run(text: str | bytes, name: str = "statement.sta"):
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return Mt940Parser().parse(SourceFile(path))
    return run


def transactions(result) -> list[BankTransaction]:
    return [r for r in result.records if isinstance(r, BankTransaction)]


def balances(result) -> list[StatementBalance]:
    return [r for r in result.records if isinstance(r, StatementBalance)]


def test_a_statement_line_becomes_a_transaction_with_its_physical_line_and_dates(parse):
    result = parse(statement(":61:2611191120C50,00NTRFNONREF//B26323A1",
                             ":86:TRF DARI BUDI INV 10908"))
    (txn,) = transactions(result)
    assert (txn.amount_minor, txn.currency, txn.account_id) == (5000, "EUR", "NL91ABNA0417164300")
    assert txn.value_date == dt.date(2026, 11, 19)
    assert txn.booking_date == dt.date(2026, 11, 20)  # the :61: entry date
    assert txn.origin.source_line == 5
    assert txn.description == "TRF DARI BUDI INV 10908"
    assert result.warnings == [] and result.rejects == [] and result.refusal is None


@pytest.mark.parametrize(("mark", "sign"), [("C", 1), ("D", -1), ("RC", -1), ("RD", 1)])
def test_debit_credit_and_reversal_marks_give_the_sign(parse, mark, sign):
    amount = 50 * sign
    closing = f"{'C' if 100 + amount >= 0 else 'D'}261119EUR{100 + amount},00"
    result = parse(statement(f":61:261119{mark}50,00NTRFNONREF//R1", ":86:x", closing=closing))
    assert transactions(result)[0].amount_minor == 5000 * sign
    assert result.warnings == []


def test_a_multi_line_86_is_joined_with_a_space_and_a_full_65_character_line_is_glued(parse):
    cut = "PEMBAYARAN HOSTING BULANAN UNTUK LAYANAN VPS MEDIUM DAN DOMAIN IN"
    assert len(cut) == 65
    result = parse(statement(":61:261119C50,00NTRFNONREF", f":86:{cut}", "V 10908",
                             "a.n. siti rahma"))
    assert transactions(result)[0].description == cut + "V 10908 a.n. siti rahma"


def test_a_swift_structured_86_gives_remittance_counterparty_name_and_account(parse):
    result = parse(statement(
        ":61:261119C50,00NTRFNONREF",
        ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL30ABNA0417164300/BIC/ABNANL2A/NAME/V. Oornaam/REM",
        "I/INV 10908 VPS/EREF/NOTPROVIDED"))
    (txn,) = transactions(result)
    assert txn.description == "INV 10908 VPS"
    assert (txn.counterparty_name, txn.counterparty_account) == ("V. Oornaam", "NL30ABNA0417164300")


def test_german_question_mark_subfields_give_purpose_and_the_applicants_name_and_iban(parse):
    result = parse(statement(
        ":61:261119C50,00NTRFNONREF//8848037917407749",
        ":86:166?00SEPA-GUTSCHRIFT?109310?20EREF+NOTPROVIDED?21SVWZ+RECHNUNG INV 1",
        "0908?30GENODEF1S04?31DE02120300000000202051?32LENA FISCH?33ER"))
    (txn,) = transactions(result)
    assert txn.description == "SEPA-GUTSCHRIFT / RECHNUNG INV 10908"
    assert txn.counterparty_name == "LENA FISCHER"
    assert txn.counterparty_account == "DE02120300000000202051"


def test_the_natural_key_is_the_bank_reference_after_the_double_slash(parse):
    result = parse(statement(":61:261119C50,00NTRFMYREF//BANKREF1", ":86:x"))
    txn = transactions(result)[0]
    assert txn.natural_key == txn.origin.source_ref == "BANKREF1"


def test_a_customer_reference_is_qualified_with_date_and_amount_because_payers_reuse_them(parse):
    result = parse(statement(":61:261119C25,00NTRFKD4471//NONREF", ":86:a",
                             ":61:261119C25,00NTRFKD4471", ":86:b"))
    first, second = transactions(result)
    assert first.origin.source_ref == "KD4471"
    assert first.natural_key == "KD4471|2026-11-19|2500"
    assert second.natural_key == "KD4471|2026-11-19|2500#2"


def test_lines_without_references_get_a_row_hash_and_identical_lines_an_occurrence(parse):
    line = [":61:261119C25,00NTRFNONREF", ":86:INV 10908"]
    result = parse(statement(*line, *line))
    first, second = transactions(result)
    assert first.natural_key.startswith("h:") and first.origin.source_ref is None
    assert second.natural_key == first.natural_key + "#2"


def test_several_statements_keep_their_own_balances_and_accounts(parse):
    text = statement(":61:261119C50,00NTRFNONREF//A1", ":86:x", ref="S1") + statement(
        ":61:261120D30,00NTRFNONREF//A2", ":86:y", ref="S2", account="NL02RABO0123456789",
        opening="C261119EUR150,00", closing="C261120EUR120,00")
    result = parse(text)
    assert [t.account_id for t in transactions(result)] == ["NL91ABNA0417164300",
                                                             "NL02RABO0123456789"]
    assert [(b.kind, b.amount_minor, b.origin.source_line) for b in balances(result)] == [
        ("opening", 10000, 4), ("closing", 15000, 7),
        ("opening", 15000, 12), ("closing", 12000, 15)]
    assert result.warnings == []


def test_opening_plus_movements_not_equal_to_closing_is_a_warning_and_still_ingested(parse):
    result = parse(statement(":61:261119C49,99NTRFNONREF//A1", ":86:x", ref="S9"))
    assert len(transactions(result)) == 1
    assert result.warnings == [
        "statement S9 1/1 (line 1): opening 100.00 + movements 49.99 != closing 150.00 EUR"]


def test_intermediate_balances_count_as_opening_and_closing(parse):
    text = statement(":61:261119C50,00NTRFNONREF", ":86:x").replace(":60F:", ":60M:") \
        .replace(":62F:", ":62M:")
    assert [b.kind for b in balances(parse(text))] == ["opening", "closing"]


def test_a_debit_balance_is_negative(parse):
    result = parse(statement(":61:261119D50,00NTRFNONREF", ":86:x", opening="D261118EUR100,00",
                             closing="D261119EUR150,00"))
    assert [b.amount_minor for b in balances(result)] == [-10000, -15000]
    assert result.warnings == []


@pytest.mark.parametrize("text", [
    ":20:R1\n:25:NL91ABNA0417164300\n:28C:1\n:34F:EURD0,\n:13D:2611191200+0100\n"
    ":61:261119C5,00NTRFNONREF\n:86:x\n-\n",
    "{1:F01ABNANL2AXXXX0000000000}{2:O942ABNANL2AXXXXN}{4:\n:20:R1\n:25:NL91\n:61:261119C5,"
    "00NTRF\n-}\n",
])
def test_an_mt942_interim_report_is_refused(parse, text):
    result = parse(text)
    assert result.refusal == MT942_REFUSAL and result.records == []


def test_an_mt942_is_claimed_by_identify_so_that_it_is_refused_with_its_reason(tmp_path):
    path = tmp_path / "interim.sta"
    path.write_text(":20:R1\n:25:NL91ABNA0417164300\n:28C:1\n:34F:EURD0,\n:13D:2611191200+0100\n")
    assert Mt940Parser().identify(SourceFile(path))


def test_a_tag_line_before_the_first_20_is_ignored_with_a_warning(parse):
    result = parse(":9401:\n" + statement(":61:261119C50,00NTRFNONREF", ":86:x"))
    assert len(transactions(result)) == 1
    assert result.warnings == ["line 1: ignored ':9401:' before the first :20:"]


def test_the_same_statement_twice_in_a_file_keeps_both_and_warns_about_the_repeat(parse):
    once = statement(":61:261119C50,00NTRFNONREF//FT1", ":86:x")
    result = parse(once + once)
    assert [t.natural_key for t in transactions(result)] == ["FT1", "FT1#2"]
    assert result.warnings == ["account NL91ABNA0417164300: bank reference(s) FT1 occur more "
                               "than once in the file, the repeats are kept as <ref>#2, ... "
                               "(is a statement included twice?)"]


def test_occurrences_are_counted_per_account_as_the_store_keys_lines(parse):
    text = statement(":61:261119C50,00NTRFNONREF//FT1", ":86:x") + statement(
        ":61:261119D50,00NTRFNONREF//FT1", ":86:x", account="NL02RABO0123456789",
        closing="C261119EUR50,00")
    assert [t.natural_key for t in transactions(parse(text))] == ["FT1", "FT1"]


def test_bank_preambles_and_swift_envelopes_are_skipped_silently(parse):
    text = ("{1:F01ABNANL2AXXXX0000000000}{2:O940ABNANL2AXXXXN}{4:\nABNANL2A\n940\n:940:\n"
            + statement(":61:261119C50,00NTRFNONREF", ":86:x").replace("-\n", "-}{5:}\n"))
    result = parse(text)
    assert len(transactions(result)) == 1 and result.warnings == []
    assert transactions(result)[0].origin.source_line == 9


def test_an_unreadable_61_is_a_reject_with_its_line_and_the_rest_is_kept(parse):
    result = parse(statement(":61:261119C50,00NTRFNONREF//A1", ":86:good",
                             ":61:2611X9C12,00NTRF", ":86:bad date"))
    assert [t.description for t in transactions(result)] == ["good"]
    (reject,) = result.rejects
    assert reject.source_line == 7 and reject.source_format == "mt940"
    assert reject.reason.startswith("unreadable :61: statement line")
    assert reject.raw == ":61:2611X9C12,00NTRF\n:86:bad date"


def test_an_amount_with_more_decimals_than_the_currency_allows_is_a_reject(parse):
    result = parse(statement(":61:261119C50,005NTRFNONREF", ":86:x"))
    assert transactions(result) == []
    assert "more decimals than EUR allows" in result.rejects[0].reason


def test_a_customer_reference_longer_than_16_characters_still_parses(parse):
    result = parse(statement(":61:2001010101D50,00NOVBNL47INGB9999999999", "hr j paulissen",
                             ":86:NL47INGB9999999999 hr j paulissen", closing="C261119EUR50,00"))
    (txn,) = transactions(result)
    assert txn.amount_minor == -5000 and txn.origin.source_ref == "NL47INGB9999999999"
    assert result.rejects == []


def test_statement_information_after_the_closing_balance_is_not_glued_to_the_last_line(parse):
    text = statement(":61:261119C50,00NTRFNONREF", ":86:INV 10908").replace(
        "-\n", ":86:D000004C000002D25,24C28,71\n-\n")
    assert transactions(parse(text))[0].description == "INV 10908"


def test_a_second_25_inside_a_statement_is_flagged_and_the_first_account_kept(parse):
    result = parse(statement(":61:261119C50,00NTRFNONREF//A1", ":25:166?00GUTSCHRIFT"))
    assert transactions(result)[0].account_id == "NL91ABNA0417164300"
    assert "a second :25: inside the statement" in result.warnings[0]


def test_a_trailing_currency_in_25_is_not_part_of_the_account(parse):
    result = parse(statement(":61:261119C50,00NTRFNONREF", ":86:x",
                             account="NL34RABO0142623393 EUR"))
    assert transactions(result)[0].account_id == "NL34RABO0142623393"


def test_windows_1252_bytes_control_characters_and_soft_hyphens_are_cleaned(parse):
    text = "\x01\r\n" + statement(":61:261119C50,00NTRFNONREF",
                                  ":86:Zahlung f\u00fcr Rech\u00adnung")
    result = parse(text.encode("cp1252") + b"\x03")
    assert transactions(result)[0].description == "Zahlung f\u00fcr Rechnung"
    assert transactions(result)[0].origin.source_line == 6


def test_a_file_without_any_20_is_refused(parse):
    assert parse(":25:NL91\n:61:261119C50,00NTRF\n").refusal.startswith("no MT940 statement")


def test_a_statement_without_closing_balance_is_truncated_and_its_last_line_a_reject(parse):
    result = parse(":20:S1\n:25:NL91\n:28C:1\n:60F:C261118EUR100,00\n"
                   ":61:261119C50,00NTRF\n:86:one\n:61:261119C60,00NTRF\n:86:tw\n")
    assert [t.amount_minor for t in transactions(result)] == [5000]
    assert result.rejects[0].reason.startswith("truncated: ")
    assert result.rejects[0].source_line == 7
    assert result.warnings[-1].startswith("truncated: statement S1 1 (line 1): no closing")


def test_identify_claims_mt940_text_and_nothing_else(tmp_path):
    mt940 = tmp_path / "a.txt"
    mt940.write_text(statement(":61:261119C50,00NTRFNONREF", ":86:x"))
    csv = tmp_path / "b.csv"
    csv.write_text("date,amount,description\n2026-11-19,50.00,:20: in a memo\n")
    xml = tmp_path / "c.xml"
    xml.write_text('<?xml version="1.0"?><Document><Stmt>:20:x</Stmt></Document>')
    parser = Mt940Parser()
    assert [parser.identify(SourceFile(p)) for p in (mt940, csv, xml)] == [True, False, False]






