"""Payment-confirmation tickets (JSON Lines and CSV): small inline exports, one behaviour per
test. Golden and broken samples are checked with every format's in test_golden_files.py and
test_broken_inputs.py."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from parsers.base import ParseResult, SourceFile
from parsers.tickets import TicketsCsvParser, TicketsJsonlParser
from pipeline.models import Ticket

FLAT = {"ticket_id": "BIL-1", "created_at": "2026-10-16 09:00:00", "name": "Budi Santoso",
        "email": "budi@example.co.id", "client_id": "102",
        "subject": "Konfirmasi Pembayaran", "message": "Sudah transfer.",
        "invoice_number": "10912", "destination_account": "BCA 0372543386",
        "amount": "Rp 1.500.000", "transfer_date": "15/10/2026", "account_holder": "BUDI"}


@pytest.fixture
def jsonl(tmp_path):
    def parse(*items: dict | str, parser: TicketsJsonlParser | None = None) -> ParseResult:
        lines = [i if isinstance(i, str) else json.dumps(i) for i in items]
        path = tmp_path / "tickets.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return (parser or TicketsJsonlParser()).parse(SourceFile(path))
    return parse


@pytest.fixture
def csv_text(tmp_path):
    def parse(text: str) -> ParseResult:
        path = tmp_path / "tickets.csv"
        path.write_text(text, encoding="utf-8")
        return TicketsCsvParser().parse(SourceFile(path))
    return parse


def one(result: ParseResult) -> Ticket:
    (ticket,) = result.records
    return ticket


def flat(**fields) -> dict:
    return {**FLAT, **fields}


def whmcs(*custom: tuple[str, str], **fields) -> dict:
    base = {"id": 5821, "tid": "739201", "deptid": 2, "userid": 101, "name": "Rina Tanjung",
            "email": "rina@example.co.id", "date": "2026-10-15 16:03:55",
            "subject": "Konfirmasi Pembayaran", "message": "Mohon dicek.", "status": "Open",
            "customfields": [{"id": n, "name": k, "value": v} for n, (k, v) in enumerate(custom)]}
    return {**base, **fields}


# --- flat keys and the helpdesk's shape ---------------------------------------------------


def test_a_flat_ticket_becomes_a_ticket_keyed_by_its_id_on_its_physical_line(jsonl):
    result = jsonl(flat(), "", flat(ticket_id="BIL-2"))
    first, second = result.records
    assert (first.ticket_id, first.created_date, first.name, first.email, first.client_id) == (
        "BIL-1", dt.date(2026, 10, 16), "Budi Santoso", "budi@example.co.id", "102")
    assert (first.invoice_number, first.destination_bank, first.destination_account) == (
        "10912", "BCA", "0372543386")
    assert (first.claimed_amount_minor, first.currency, first.claimed_date) == (
        150000000, "IDR", dt.date(2026, 10, 15))
    assert first.account_holder == "BUDI"
    assert (second.origin.source_line, second.origin.source_ref) == (3, "BIL-2")
    assert second.origin.source_format == "tickets-jsonl"
    assert result.rejects == [] and result.refusal is None


def test_a_helpdesk_ticket_reads_its_indonesian_custom_fields(jsonl):
    ticket = one(jsonl(whmcs(("No. Invoice", "10906"), ("Tujuan Transfer", "BCA 0372543386"),
                             ("Jumlah Transfer", "Rp 350.000"),
                             ("Tanggal Transfer", "15 Oktober 2026"),
                             ("Nama di Rekening", "Rina Tanjung"))))
    assert (ticket.ticket_id, ticket.client_id, ticket.created_date) == (
        "739201", "101", dt.date(2026, 10, 15))
    assert (ticket.invoice_number, ticket.destination_account, ticket.claimed_amount_minor,
            ticket.currency, ticket.claimed_date, ticket.account_holder) == (
        "10906", "0372543386", 35000000, "IDR", dt.date(2026, 10, 15), "Rina Tanjung")


def test_a_helpdesk_ticket_reads_its_english_custom_fields(jsonl):
    ticket = one(jsonl(whmcs(("Invoice Number", "10904"), ("Amount Transferred", "USD 89.00"),
                             ("Transfer Date", "2026-11-02"), ("Account Name", "Marco"),
                             ("Destination Account", "Chase 000123456789"))))
    assert (ticket.invoice_number, ticket.claimed_amount_minor, ticket.currency,
            ticket.claimed_date, ticket.account_holder, ticket.destination_account) == (
        "10904", 8900, "USD", dt.date(2026, 11, 2), "Marco", "000123456789")


@pytest.mark.parametrize("shape", [
    lambda fields: {"customfield": fields},
    lambda fields: {"customfield": fields[0]},
    lambda fields: [{"name": f["name"], "value": f["value"]} for f in fields],
    lambda fields: {f["name"]: f["value"] for f in fields},
])
def test_custom_fields_are_read_in_every_nesting_the_helpdesk_uses(jsonl, shape):
    item = whmcs(("No. Invoice", "10906"))
    item["customfields"] = shape(item["customfields"])
    assert one(jsonl(item)).invoice_number == "10906"


@pytest.mark.parametrize("label", ["no invoice", "No Invoice:", "NO. INVOICE", "nomor_invoice",
                                   " Invoice  Number "])
def test_labels_match_whatever_their_case_punctuation_and_spacing(jsonl, label):
    assert one(jsonl(whmcs((label, "10906")))).invoice_number == "10906"


def test_the_ticket_number_customers_see_is_the_key_before_the_internal_id(jsonl):
    assert one(jsonl(whmcs(tid="739201", id=5821))).ticket_id == "739201"
    assert one(jsonl(whmcs(tid="", id=5821))).ticket_id == "5821"
    assert one(jsonl(flat(ticket_id="BIL-9", tid="739201"))).ticket_id == "BIL-9"


def test_a_top_level_field_wins_over_a_custom_field_of_the_same_label(jsonl):
    item = whmcs(("Invoice Number", "10905"), invoice_number="10906")
    assert one(jsonl(item)).invoice_number == "10906"


def test_the_message_of_a_helpdesk_ticket_may_come_from_its_first_reply(jsonl):
    item = whmcs(replies={"reply": [{"replyid": "0", "message": "sudah transfer Rp 500.000"},
                                    {"replyid": "1", "message": "Rp 9.000.000"}]})
    del item["message"]
    ticket = one(jsonl(item))
    assert (ticket.message, ticket.claimed_amount_minor) == ("sudah transfer Rp 500.000",
                                                             50000000)


def test_json_numbers_are_read_exactly(jsonl):
    assert one(jsonl(flat(amount=1500000, currency="IDR"))).claimed_amount_minor == 150000000
    ticket = one(jsonl('{"ticket_id": 7, "created_at": "2026-10-16", "amount": 1.500, '
                       '"currency": "IDR", "client_id": 102}'))
    assert (ticket.ticket_id, ticket.client_id, ticket.claimed_amount_minor) == ("7", "102", 150)


# --- amounts as people type them ----------------------------------------------------------


@pytest.mark.parametrize(("text", "currency", "minor", "read_currency"), [
    ("Rp 1.500.000", None, 150000000, "IDR"),
    ("Rp. 1.500.000,00", None, 150000000, "IDR"),
    ("Rp1.500.000,-", None, 150000000, "IDR"),
    ("IDR 1.500.000", None, 150000000, "IDR"),
    ("1.500.000 IDR", None, 150000000, "IDR"),
    ("1500000", "IDR", 150000000, "IDR"),
    ("1.500.000", None, 150000000, None),
    ("1,500,000", None, 150000000, None),
    ("1500000", None, 150000000, None),
    ("Rp 1.500", None, 150000, "IDR"),
    ("Rp 1,500", None, 150000, "IDR"),
    ("1.500", "IDR", 150000, "IDR"),
    ("1.500", "rupiah", 150000, "IDR"),
    ("$240.00", None, 24000, "USD"),
    ("USD 89.00", None, 8900, "USD"),
    ("US$ 1,250.50", None, 125050, "USD"),
    ("$240", "USD", 24000, "USD"),
    ("EUR 12,50", None, 1250, "EUR"),
])
def test_amounts_are_read_as_people_type_them(jsonl, text, currency, minor, read_currency):
    ticket = one(jsonl(flat(amount=text, **({"currency": currency} if currency else {}))))
    assert (ticket.claimed_amount_minor, ticket.currency) == (minor, read_currency)


@pytest.mark.parametrize(("text", "currency", "reason"), [
    ("1,5000.00", None, "misplaced thousands separator"),
    ("Rp 1.500.000", "USD", "is in IDR but the ticket's currency is USD"),
    ("Rp 1.500.000 USD", None, "two currencies"),
    ("-1.500.000", "IDR", "must be positive"),
    ("0", "IDR", "must be positive"),
    ("satu juta", None, "not an amount"),
    ("Rp 1.500,505", None, "more decimals"),
])
def test_an_unreadable_amount_leaves_the_ticket_without_it_and_says_why(jsonl, text, currency,
                                                                       reason):
    result = jsonl(flat(amount=text, **({"currency": currency} if currency else {})))
    ticket = one(result)
    assert ticket.claimed_amount_minor is None
    (reject,) = result.rejects
    assert (reject.source_line, reject.source_ref) == (1, "BIL-1")
    assert reason in reject.reason and reject.reason.startswith("amount: ")
    assert "kept" in reject.reason


def test_an_unknown_currency_code_is_an_unreadable_currency_not_a_lost_ticket(jsonl):
    result = jsonl(flat(currency="rupees!"))
    assert one(result).currency == "IDR"  # the amount's own "Rp" still says it
    assert "currency: not a currency code" in result.rejects[0].reason


def test_a_default_currency_fills_in_for_amounts_that_name_none(jsonl):
    parser = TicketsJsonlParser(default_currency="idr")
    ticket = one(jsonl(flat(amount="1.500"), parser=parser))
    assert (ticket.claimed_amount_minor, ticket.currency) == (150000, "IDR")


@pytest.mark.parametrize(("text", "currency", "minor", "alt", "read_currency"), [
    ("12,500", "USD", 1250000, 1250, "USD"),  # twelve thousand five hundred, or 12.50
    ("$1,500", None, 150000, 150, "USD"),
    ("EUR 1.500", None, 150000, 150, "EUR"),
    ("1.500", None, 150000, 150, None),  # no currency known: every plausible reading
    ("832,500", None, 83250000, 83250, None),
    ("12,501", "USD", 1250100, None, "USD"),  # 12.501 dollars cannot be paid
    ("1,250.00", "USD", 125000, None, "USD"),
    ("KWD 12,500", None, 12500000, 12500, "KWD"),  # three decimals: both fit
])
def test_an_amount_that_reads_two_ways_keeps_both_readings(jsonl, text, currency, minor, alt,
                                                           read_currency):
    result = jsonl(flat(amount=text, **({"currency": currency} if currency else {})))
    ticket = one(result)
    assert (ticket.claimed_amount_minor, ticket.claimed_amount_alt_minor, ticket.currency) == (
        minor, alt, read_currency)
    assert result.rejects == []


@pytest.mark.parametrize(("text", "currency", "minor"), [
    ("832,500", "IDR", 83250000),
    ("832.500", "IDR", 83250000),
    ("Rp 166,500", None, 16650000),
    ("1.500.000,00", "IDR", 150000000),
    ("832,000", "IDR", 83200000),  # not 832 rupiah: a lone group is never decimals in IDR
    ("¥ 1,500", "JPY", 1500),
    ("1.500", "JPY", 1500),
])
def test_a_currency_never_paid_in_fractions_reads_a_lone_group_as_thousands_only(
        jsonl, text, currency, minor):
    ticket = one(jsonl(flat(amount=text, currency=currency)))
    assert (ticket.claimed_amount_minor, ticket.claimed_amount_alt_minor) == (minor, None)


def test_an_amount_in_the_message_that_reads_two_ways_keeps_both_readings(jsonl):
    ticket = one(jsonl(flat(amount="", message="paid $12,500 by wire")))
    assert (ticket.claimed_amount_minor, ticket.claimed_amount_alt_minor) == (1250000, 1250)


# --- dates as people type them ------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("15/10/2026", dt.date(2026, 10, 15)),
    ("15-10-2026", dt.date(2026, 10, 15)),
    ("2026-10-15", dt.date(2026, 10, 15)),
    ("15 Oktober 2026", dt.date(2026, 10, 15)),
    ("Oct 15, 2026", dt.date(2026, 10, 15)),
    ("10/15/2026", dt.date(2026, 10, 15)),  # fits only month-first
    ("03/04/2026", dt.date(2026, 4, 3)),  # fits both: day-first, as Indonesians write
])
def test_transfer_dates_are_read_day_first_when_they_fit_both_orders(jsonl, text, expected):
    assert one(jsonl(flat(transfer_date=text))).claimed_date == expected


def test_an_impossible_transfer_date_leaves_the_ticket_without_it_and_says_why(jsonl):
    result = jsonl(flat(transfer_date="31/02/2026"))
    assert one(result).claimed_date is None
    assert "transfer_date: impossible date '31/02/2026'" in result.rejects[0].reason


def test_several_unreadable_fields_give_one_reject_naming_each(jsonl):
    result = jsonl(flat(transfer_date="31/02/2026", amount="satu juta"))
    (reject,) = result.rejects
    assert "transfer_date:" in reject.reason and "amount:" in reject.reason


# --- blank fields: the subject and message speak ------------------------------------------


def test_blank_invoice_and_amount_are_taken_from_the_subject_and_message(jsonl):
    ticket = one(jsonl(flat(
        invoice_number="", amount="", subject="Konfirmasi Pembayaran Invoice #10234",
        message="sudah transfer Rp 1.500.000 ke BCA 0372543386 tanggal 15 Oktober 2026")))
    assert (ticket.invoice_number, ticket.claimed_amount_minor, ticket.currency) == (
        "10234", 150000000, "IDR")


def test_every_invoice_a_mass_payment_claim_names_is_kept_comma_joined(jsonl):
    ticket = one(jsonl(flat(invoice_number="", subject="Pembayaran INV 10906 dan INV 10908",
                            message="juga #10906")))
    assert ticket.invoice_number == "10906,10908"


@pytest.mark.parametrize(("field", "expected"), [
    ("10906 dan 10908", "10906,10908"), ("#10234", "10234"), ("INV-2026-00123", "INV-2026-00123"),
    ("Invoice 010908", "10908"), ("lihat lampiran", "lihat lampiran"),
])
def test_the_invoice_field_is_read_for_invoice_numbers_bare_or_not(jsonl, field, expected):
    assert one(jsonl(flat(invoice_number=field, subject="", message=""))).invoice_number == \
        expected


@pytest.mark.parametrize(("message", "minor", "currency"), [
    ("transfer sebesar 1.500.000 kemarin", 150000000, None),
    ("the amount of USD 25.00 was sent", 2500, "USD"),
    ("paid $240.00 today", 24000, "USD"),
    ("sudah bayar Rp. 350.000,- terima kasih.", 35000000, "IDR"),
    ("Rp 350.000 untuk #10906, total Rp 350.000", 35000000, "IDR"),
    ("sudah transfer ke 0372543386 tanggal 15/10/2026", None, None),
])
def test_an_amount_is_found_in_the_message_only_with_a_currency_or_a_keyword(jsonl, message,
                                                                           minor, currency):
    ticket = one(jsonl(flat(amount="", message=message)))
    assert (ticket.claimed_amount_minor, ticket.currency) == (minor, currency)


def test_different_amounts_in_the_message_are_not_guessed_between(jsonl):
    result = jsonl(flat(amount="", message="transfer Rp 1.000.000 dan Rp 500.000"))
    assert one(result).claimed_amount_minor is None
    assert "several different amounts" in result.rejects[0].reason


# --- destination accounts -----------------------------------------------------------------


@pytest.mark.parametrize(("text", "bank", "account"), [
    ("BCA 0372543386", "BCA", "0372543386"),
    ("Mandiri - 123-00-4567890-1", "Mandiri", "1230045678901"),
    ("BNI a.n. PT Contoh 0123456789", "BNI", "0123456789"),
    ("BCA - 0372543386 a.n. PT Nusantara Cloud", "BCA", "0372543386"),
    ("Bank Jago 1088 2233 4455", "Bank Jago", "108822334455"),
    ("0372543386 (BCA)", "BCA", "0372543386"),
    ("Deutsche Bank DE89 3704 0044 0532 0130 00", "Deutsche Bank", "DE89370400440532013000"),
    ("BCA", "BCA", ""),
])
def test_the_destination_is_split_into_bank_and_account_number(jsonl, text, bank, account):
    ticket = one(jsonl(flat(destination_account=text)))
    assert (ticket.destination_bank, ticket.destination_account) == (bank, account)


def test_a_separate_destination_bank_field_names_the_bank(jsonl):
    ticket = one(jsonl(whmcs(("Bank Tujuan", "Bank Central Asia"),
                             ("Tujuan Transfer", "0372543386"))))
    assert (ticket.destination_bank, ticket.destination_account) == ("Bank Central Asia",
                                                                     "0372543386")


# --- what cannot be a ticket --------------------------------------------------------------


def test_a_line_that_is_not_json_is_rejected_with_its_line_and_the_rest_kept(jsonl):
    result = jsonl(flat(), '{"ticket_id": "BIL-2", "subject": "unterminated', flat(ticket_id="X"))
    assert [t.ticket_id for t in result.records] == ["BIL-1", "X"]
    (reject,) = result.rejects
    assert reject.source_line == 2 and reject.reason.startswith("not valid JSON")
    assert reject.raw.startswith('{"ticket_id": "BIL-2"')


@pytest.mark.parametrize("line", ['["BIL-2"]', '"BIL-2"', "42"])
def test_a_json_line_that_is_not_an_object_is_rejected(jsonl, line):
    (reject,) = jsonl(line).rejects
    assert "not a JSON object" in reject.reason


def test_nan_and_infinity_are_not_json_numbers(jsonl):
    (reject,) = jsonl('{"ticket_id": "BIL-1", "created_at": "2026-10-16", "amount": NaN}').rejects
    assert "not valid JSON" in reject.reason


def test_a_ticket_without_an_id_is_rejected(jsonl):
    result = jsonl(flat(ticket_id=""), flat(ticket_id=None), flat(ticket_id="BIL-3"))
    assert [r.reason for r in result.rejects] == ["no ticket id", "no ticket id"]
    assert [r.source_line for r in result.rejects] == [1, 2]


def test_a_ticket_without_a_readable_opening_date_is_rejected(jsonl):
    result = jsonl(flat(created_at=""), flat(ticket_id="BIL-2", created_at="31/02/2026"))
    assert result.records == []
    assert [r.source_ref for r in result.rejects] == ["BIL-1", "BIL-2"]
    assert "created_at: empty" in result.rejects[0].reason
    assert "impossible date" in result.rejects[1].reason


def test_a_ticket_id_seen_twice_in_a_file_is_rejected_the_second_time(jsonl):
    result = jsonl(flat(), flat(amount="Rp 9"))
    assert one(result).claimed_amount_minor == 150000000
    assert result.rejects[0].reason == "ticket BIL-1 appears again (first on line 1)"


def test_physical_lines_count_lines_split_only_at_newlines(jsonl):
    result = jsonl(flat(message="a\u2028b"), flat(ticket_id="BIL-2"))
    assert [t.origin.source_line for t in result.records] == [1, 2]


def test_an_empty_jsonl_file_is_refused(jsonl):
    assert jsonl("").refusal == "empty file: no tickets"


# --- CSV ----------------------------------------------------------------------------------

HEADER = ("ticket_id,created_at,name,subject,message,invoice_number,destination_account,"
          "amount,transfer_date,account_holder\n")


def test_a_csv_ticket_is_keyed_by_its_id_on_its_records_first_physical_line(csv_text):
    result = csv_text(HEADER + 'T-1,2026-10-16,Budi,Konfirmasi,"baris satu\nbaris dua",10912,'
                      'BCA 0372543386,Rp 1.500.000,15/10/2026,BUDI\n'
                      'T-2,2026-10-16,Rina,Konfirmasi,ok,10906,,Rp 350.000,,\n')
    first, second = result.records
    assert (first.origin.source_line, second.origin.source_line) == (2, 4)
    assert (first.message, first.claimed_amount_minor, first.claimed_date) == (
        "baris satu\nbaris dua", 150000000, dt.date(2026, 10, 15))
    assert second.origin.source_format == "tickets-csv"
    assert (second.destination_account, second.claimed_date) == ("", None)


def test_a_csv_with_indonesian_form_labels_and_semicolons_is_read(csv_text):
    ticket = one(csv_text(
        "No. Tiket;Tanggal Dibuat;Nama;Judul;Pesan;No. Invoice;Tujuan Transfer;"
        "Jumlah Transfer;Tanggal Transfer;Nama di Rekening\n"
        "T-1;16/10/2026;Budi;Konfirmasi;-;10912;BCA 0372543386;Rp 2.220.000;18 Nov 2026;BUDI\n"))
    assert (ticket.ticket_id, ticket.created_date, ticket.invoice_number,
            ticket.claimed_amount_minor, ticket.claimed_date, ticket.account_holder) == (
        "T-1", dt.date(2026, 10, 16), "10912", 222000000, dt.date(2026, 11, 18), "BUDI")


def test_a_csv_row_with_an_impossible_date_keeps_the_ticket_and_rejects_the_field(csv_text):
    result = csv_text(HEADER + "T-1,2026-10-16,Budi,x,y,10912,,Rp 1.500.000,31/02/2026,\n")
    assert one(result).claimed_date is None
    assert result.rejects[0].source_line == 2 and "impossible date" in result.rejects[0].reason
    assert result.rejects[0].raw == "T-1,2026-10-16,Budi,x,y,10912,,Rp 1.500.000,31/02/2026,"


def test_a_csv_without_a_ticket_id_column_is_refused(csv_text):
    result = csv_text("name,subject,message\nBudi,Konfirmasi,ok\n")
    assert "names no ticket id column" in result.refusal


def test_an_empty_csv_is_refused(csv_text):
    assert csv_text("").refusal == "empty file: no header row"


# --- identification -----------------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> SourceFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return SourceFile(path)


@pytest.mark.parametrize(("text", "claimed"), [
    (json.dumps(FLAT), True),
    ('\n\n{"tid": "1"}', True),
    ('{"customfields": []}', True),
    ('{"subject": "a", "message": "b"}', True),
    ('{"subject": "a"}', False),
    ('{"result": "success", "invoices": {"invoice": [{"id": 1, "subject": "x"}]}}', False),
    ('{"result": "success", "tickets": {"ticket": [{"tid": "1"}]}}', False),
    ("ticket_id,subject\nT-1,x\n", False),
    ('{"tid": ', False),
])
def test_the_jsonl_parser_claims_ticket_objects_only(tmp_path, text, claimed):
    assert TicketsJsonlParser().identify(write(tmp_path, "f.jsonl", text)) is claimed


@pytest.mark.parametrize(("text", "claimed"), [
    (HEADER, True),
    ("tid;date;subject;message\n", True),
    ("name,subject,message\n", True),
    ("name,subject\n", False),
    ("invoice_number,client_id,client_name,client_email,issue_date,due_date,total,balance,"
     "currency,status\n", False),
    ("Tanggal;Keterangan;No. Referensi;Mutasi Debet;Mutasi Kredit\n", False),
    ('{"ticket_id": "T-1", "subject": "a", "message": "b"}\n', False),
])
def test_the_csv_parser_claims_ticket_headers_only(tmp_path, text, claimed):
    assert TicketsCsvParser().identify(write(tmp_path, "f.csv", text)) is claimed


# --- golden and bad samples ---------------------------------------------------------------












