"""Payment confirmations by e-mail (mbox and .eml): small inline messages, one behaviour per
test. The golden mbox and .eml are checked in test_golden_files.py."""

from __future__ import annotations

import base64
import datetime as dt
import quopri

import pytest

from parsers.base import ParseResult, SourceFile
from parsers.email_claims import EmailClaimsParser
from parsers.email_fields import client_number, transfer_date
from parsers.email_text import html_text, own_words
from pipeline.models import Ticket

HEADERS = ("From: Budi Santoso <budi@example.co.id>\n"
           "To: accounting@example.id\n"
           "Subject: {subject}\n"
           "Date: Mon, 23 Nov 2026 09:15:00 +0700\n"
           "{message_id}"
           "MIME-Version: 1.0\n")


def message(body: str = "Sudah transfer Rp 1.500.000 untuk invoice #10912.",
            subject: str = "Konfirmasi Pembayaran", message_id: str = "<m1@example.co.id>",
            content: str = "Content-Type: text/plain; charset=utf-8\n") -> str:
    ident = f"Message-ID: {message_id}\n" if message_id else ""
    return HEADERS.format(subject=subject, message_id=ident) + content + "\n" + body + "\n"


@pytest.fixture
def parse(tmp_path):
    def _parse(text: str | bytes, name: str = "claim.eml") -> ParseResult:
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return EmailClaimsParser().parse(SourceFile(path))
    return _parse


def one(result: ParseResult) -> Ticket:
    (ticket,) = result.records
    return ticket


def mbox(*messages: str) -> str:
    return "".join(f"From budi@example.co.id Mon Nov 23 02:15:00 2026\n{m}\n" for m in messages)


# --- one message, one claim ---------------------------------------------------------------


def test_an_eml_confirmation_is_a_ticket_keyed_by_its_message_id_on_line_1(parse):
    ticket = one(parse(message()))
    assert (ticket.ticket_id, ticket.origin.source_line, ticket.channel) == (
        "m1@example.co.id", 1, "email")
    assert (ticket.name, ticket.email, ticket.created_date) == (
        "Budi Santoso", "budi@example.co.id", dt.date(2026, 11, 23))
    assert (ticket.invoice_number, ticket.claimed_amount_minor, ticket.currency) == (
        "10912", 150000000, "IDR")


def test_the_date_of_a_claim_is_the_date_the_sender_wrote_not_shifted_to_utc(parse):
    text = message().replace("Mon, 23 Nov 2026 09:15:00 +0700", "Tue, 24 Nov 2026 01:15:00 +0700")
    assert one(parse(text)).created_date == dt.date(2026, 11, 24)


def test_a_message_without_message_id_is_keyed_by_a_hash_of_its_bytes_with_a_warning(parse):
    result = parse(message(message_id=""))
    assert one(result).ticket_id.startswith("sha256:")
    assert result.warnings == [f"claim.eml line 1: no Message-ID; the message is keyed by a "
                               f"hash of its bytes ({one(result).ticket_id})"]
    assert one(parse(message(message_id=""))).ticket_id == one(result).ticket_id


def test_a_message_naming_two_invoices_keeps_both_in_one_claim(parse):
    body = "Payment for INV 11035 and INV 11036 sent today, total $1,340.00."
    ticket = one(parse(message(body, subject="Payment")))
    assert (ticket.invoice_number, ticket.claimed_amount_minor) == ("11035,11036", 134000)


def test_a_typed_amount_that_reads_two_ways_keeps_both_readings(parse):
    ticket = one(parse(message("I've wired USD 12,500 for invoice INV-2026-00188.")))
    assert (ticket.claimed_amount_minor, ticket.claimed_amount_alt_minor) == (1250000, 1250)


def test_a_rupiah_amount_typed_with_a_comma_is_thousands(parse):
    ticket = one(parse(message("Sudah bayar invoice 11032 sebesar Rp 832,500.")))
    assert (ticket.claimed_amount_minor, ticket.claimed_amount_alt_minor) == (83250000, None)


# --- not a claim: a reject with its line and reason ---------------------------------------


def test_a_question_is_not_a_confirmation_and_is_rejected_with_why(parse):
    result = parse(message("Could you send me a copy of invoice 10912?", subject="Copy?"))
    assert result.records == []
    (reject,) = result.rejects
    assert (reject.source_line, reject.source_ref) == (1, "m1@example.co.id")
    assert reject.reason.startswith("not a payment confirmation")


def test_a_message_without_a_readable_date_is_rejected(parse):
    result = parse(message().replace("Date: Mon, 23 Nov 2026 09:15:00 +0700", "Date: soon"))
    assert result.records == [] and "no readable Date" in result.rejects[0].reason


def test_the_same_message_id_twice_in_a_mailbox_is_rejected_the_second_time(parse):
    result = parse(mbox(message(), message()), "box.mbox")
    assert len(result.records) == 1
    assert result.rejects[0].reason == "the same Message-ID appears again (first on line 1)"


def test_an_unreadable_amount_keeps_the_claim_without_it_and_says_why(parse):
    result = parse(message("Transfer Rp 1.000.000 dan Rp 500.000 untuk invoice #10912."))
    assert one(result).claimed_amount_minor is None
    assert "several different amounts" in result.rejects[0].reason
    assert "kept" in result.rejects[0].reason


def test_an_empty_mailbox_is_refused(parse):
    assert parse(b"\n\n", "empty.mbox").refusal == "empty mailbox: no messages"


# --- mbox ---------------------------------------------------------------------------------


def test_each_mbox_message_is_on_the_line_of_its_from_separator(parse):
    second = message(message_id="<m2@example.co.id>", body="Sudah transfer Rp 750.000 "
                     "untuk invoice #10913.\nBaris kedua.\nBaris ketiga.")
    third = message(message_id="<m3@example.co.id>")
    result = parse(mbox(message(), second, third), "box.mbox")
    assert [t.origin.source_line for t in result.records] == [1, 12, 25]
    assert [t.ticket_id for t in result.records] == [
        "m1@example.co.id", "m2@example.co.id", "m3@example.co.id"]


# --- MIME decoding ------------------------------------------------------------------------


def test_a_quoted_printable_body_is_decoded_in_its_charset(parse):
    body = quopri.encodestring("Zahlung für Rechnung Nr. 11033: 1.250,00 € überwiesen."
                               .encode("iso-8859-15")).decode("ascii")
    ticket = one(parse(message(body, content="Content-Type: text/plain; charset=iso-8859-15\n"
                                             "Content-Transfer-Encoding: quoted-printable\n")))
    assert ticket.message == "Zahlung für Rechnung Nr. 11033: 1.250,00 € überwiesen."
    assert (ticket.claimed_amount_minor, ticket.currency) == (125000, "EUR")


def test_a_base64_body_is_decoded(parse):
    text = "Sudah transfer Rp 2.220.000 – invoice 10912."
    body = base64.encodebytes(text.encode("utf-8")).decode("ascii")
    ticket = one(parse(message(body, content="Content-Type: text/plain; "
                               "charset=utf-8\nContent-Transfer-Encoding: base64\n")))
    assert (ticket.message, ticket.claimed_amount_minor) == (text, 222000000)


def test_an_encoded_subject_and_sender_name_are_decoded(parse):
    text = message(subject="=?UTF-8?Q?Konfirmasi_=E2=80=93_Invoice_10912?=").replace(
        "Budi Santoso", "=?iso-8859-1?Q?J=FCrgen_Wei=DF?=")
    ticket = one(parse(text))
    assert (ticket.subject, ticket.name) == ("Konfirmasi – Invoice 10912", "Jürgen Weiß")


def test_the_plain_text_alternative_is_preferred_over_the_html_one(parse):
    body = ("--b\nContent-Type: text/plain\n\nPaid $25.00 for INV 10912.\n"
            "--b\nContent-Type: text/html\n\n<p>Paid $99.00 for INV 10999.</p>\n--b--")
    ticket = one(parse(message(body, content='Content-Type: multipart/alternative; '
                                             'boundary="b"\n')))
    assert (ticket.invoice_number, ticket.claimed_amount_minor) == ("10912", 2500)


def test_an_html_only_message_is_read_as_its_text(parse):
    body = "<div>Sudah transfer <b>Rp 1.500.000</b><br>untuk invoice #11034</div>"
    ticket = one(parse(message(body, content="Content-Type: text/html; charset=utf-8\n")))
    assert ticket.message == "Sudah transfer Rp 1.500.000\nuntuk invoice #11034"


def test_a_body_that_does_not_fit_its_charset_is_said_not_guessed(parse):
    text = message(content="Content-Type: text/plain; charset=utf-8\n"
                           "Content-Transfer-Encoding: 8bit\n",
                   body="Sudah transfer Rp 1.500.000 untuk invoice #10912 \xff").encode(
        "latin-1")
    result = parse(text)
    assert "body: the body is not valid utf-8" in result.rejects[0].reason


def test_an_unknown_charset_is_said_not_guessed(parse):
    result = parse(message(content="Content-Type: text/plain; charset=x-klingon\n"))
    assert "unknown charset 'x-klingon'" in result.rejects[0].reason


# --- quoted replies and signatures --------------------------------------------------------


@pytest.mark.parametrize("attribution", [
    "On Fri, Nov 20, 2026 at 3:00 AM Billing <billing@example.id> wrote:",
    "Le ven. 20 nov. 2026 à 03:00, Billing <billing@example.id> a écrit :",
    "Pada Jum, 20 Nov 2026 pukul 03.00 Billing <billing@example.id> menulis:",
    "Am 20.11.2026 um 03:00 schrieb Billing <billing@example.id>:",
])
def test_a_quoted_reply_after_an_attribution_line_is_left_out_in_each_language(attribution):
    text = f"Paid Rp 1.500.000.\n\n{attribution}\n> Invoice #10999 Rp 9.000.000 is due.\n"
    assert own_words(text) == "Paid Rp 1.500.000."


def test_an_attribution_wrapped_over_two_lines_is_still_an_attribution():
    text = ("Paid.\n\nOn Fri, Nov 20, 2026 at 3:00 AM Nusantara Cloud Billing <\n"
            "billing@example.id> wrote:\n\n> Invoice #10999 is due.\n")
    assert own_words(text) == "Paid."


def test_an_answer_below_the_quote_is_kept():
    text = "On Fri, Nov 20, 2026, Billing wrote:\n> Please pay #10999.\n\nDone, paid $25.00."
    assert own_words(text) == "Done, paid $25.00."


@pytest.mark.parametrize("header", [
    "-----Original Message-----\nFrom: Billing\nSent: Friday",
    "-----Ursprüngliche Nachricht-----\nVon: Billing",
    "From: Billing <billing@example.id>\nSent: Friday, November 20, 2026 3:00 AM",
    "Von: Billing <billing@example.id>\nGesendet: Freitag, 20. November 2026 03:00",
    "De : Billing <billing@example.id>\nEnvoyé : vendredi 20 novembre 2026 03:00",
    "________________________________\nFrom: Billing <billing@example.id>",
])
def test_an_outlook_reply_header_and_all_below_it_are_left_out(header):
    text = f"Paid Rp 1.500.000.\n\n{header}\nTo: Budi\n\nInvoice #10999 Rp 9.000.000 is due.\n"
    assert own_words(text) == "Paid Rp 1.500.000."


@pytest.mark.parametrize("delimiter", ["-- ", "--"])
def test_the_signature_after_the_standard_delimiter_is_left_out(delimiter):
    text = f"Paid $25.00.\n\nRegards,\nMark\n{delimiter}\nMark Jensen\n+1 555 0100 ext. 4410\n"
    assert own_words(text) == "Paid $25.00.\n\nRegards,\nMark"


def test_a_sign_off_without_the_delimiter_is_ordinary_text():
    assert own_words("Paid.\n\nTerima kasih,\nPutri\n08123456789") == (
        "Paid.\n\nTerima kasih,\nPutri\n08123456789")


def test_a_forwarded_confirmation_keeps_the_customers_words():
    text = ("FYI\n\n---------- Forwarded message ---------\nFrom: Budi <budi@example.co.id>\n"
            "Date: Mon, 23 Nov 2026 at 09:15\nSubject: Konfirmasi\nTo: <billing@example.id>\n\n"
            "Sudah transfer Rp 1.500.000 untuk invoice #10912.\n")
    assert own_words(text) == "FYI\n\nSudah transfer Rp 1.500.000 untuk invoice #10912."


def test_an_outlook_html_reply_is_cut_at_its_reply_header():
    markup = ("<div>Paid Rp 1.500.000 for invoice 10912.</div><hr>"
              "<div id='divRplyFwdMsg'><b>From:</b> Billing &lt;billing@example.id&gt;<br>"
              "<b>Sent:</b> Friday, November 20, 2026 3:00 AM<br><b>Subject:</b> Due</div>"
              "<div>Invoice 10999 for Rp 9.000.000 is due.</div>")
    assert own_words(html_text(markup)) == "Paid Rp 1.500.000 for invoice 10912."


def test_an_xhtml_body_with_an_xml_declaration_is_read():
    assert html_text("<?xml version='1.0' encoding='utf-8'?><html><body><p>Paid $25.00</p>"
                     "</body></html>") == "Paid $25.00"


def test_html_quotes_scripts_and_styles_are_not_text():
    markup = ("<style>p{color:red}</style><p>Paid Rp 1.500.000</p>"
              "<div class='gmail_quote'>Pada ... menulis:<blockquote>Rp 9.000.000</blockquote>"
              "</div><blockquote>old</blockquote>")
    assert html_text(markup) == "Paid Rp 1.500.000"


# --- fields in each language --------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Our client ID is 2041.", "2041"),
    ("Customer number 2046.", "2046"),
    ("ID pelanggan: 2042", "2042"),
    ("No. klien 2044", "2044"),
    ("Nomor pelanggan 2047", "2047"),
    ("Unsere Kundennummer: 2043", "2043"),
    ("Kunden-Nr. 2048", "2048"),
    ("N° client : 2045", "2045"),
    ("Numéro de client 2049", "2049"),
    ("Invoice 10912, paid Rp 1.500.000", ""),
])
def test_the_client_number_is_read_after_its_label_in_each_language(text, expected):
    assert client_number(text) == (expected, None)


def test_two_different_client_numbers_are_not_guessed_between():
    number, problem = client_number("Client ID 2041, or client ID 2042?")
    assert number == "" and "several" in problem


@pytest.mark.parametrize(("text", "expected"), [
    ("transferred on Nov 23, 2026", dt.date(2026, 11, 23)),
    ("sudah transfer tanggal 23 November 2026", dt.date(2026, 11, 23)),
    ("überwiesen am 24.11.2026", dt.date(2026, 11, 24)),
    ("virement le 25/11/2026", dt.date(2026, 11, 25)),
    ("sent on 2026-11-25", dt.date(2026, 11, 25)),
    ("transfer 03/04/2026", dt.date(2026, 4, 3)),  # both orders fit: day-first, as tickets
    ("no date here, only 10912 and Rp 1.500.000", None),
])
def test_the_transfer_date_is_read_as_people_type_it(text, expected):
    assert transfer_date(text) == (expected, None)


def test_of_several_dates_the_one_on_a_line_about_the_payment_is_the_transfer_date():
    text = "Invoice #10912 was due 20/11/2026.\nI transferred it on 23/11/2026."
    assert transfer_date(text) == (dt.date(2026, 11, 23), None)


def test_several_payment_dates_are_not_guessed_between():
    day, problem = transfer_date("Paid 20/11/2026, or was it paid 21/11/2026?")
    assert day is None and "several dates" in problem


def test_an_impossible_date_is_said_not_dropped():
    day, problem = transfer_date("paid on 31/02/2026")
    assert day is None and "impossible date" in problem


# --- identification -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "claimed"), [
    (message(), True),
    (mbox(message()), True),
    ("Return-Path: <x@y>\nReceived: from a\n\tby b\n" + message(), True),
    ("ticket_id,subject,message\n1,a,b\n", False),
    ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>", False),
    ("From account,To account,Amount\n1,2,3\n", False),
    ("Subject: hello\nX-Note: no sender\n\nbody", False),
])
def test_the_parser_claims_mailbox_exports_only(tmp_path, text, claimed):
    path = tmp_path / "input.txt"
    path.write_text(text, encoding="utf-8")
    assert EmailClaimsParser().identify(SourceFile(path)) is claimed


def test_a_long_file_without_line_breaks_is_not_claimed(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(b"From: x " + b"a" * 70000)
    assert EmailClaimsParser().identify(SourceFile(path)) is False
