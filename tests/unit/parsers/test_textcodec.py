"""Decoding of statement and export bytes (parsers/textcodec): BOM, UTF-8, detected code page."""

from __future__ import annotations

import pytest

from parsers.textcodec import decode, oddities_inside_words

HUNGARIAN = ":86:Csoportos átutalás Kovács Péter, Győr árvíztűrő tükörfúrógép díj\n"


@pytest.mark.parametrize(("data", "encoding"), [
    ("\ufeffCafé;Müller".encode(), "utf-8-sig"),
    ("Café;Müller".encode(), "utf-8"),
    ("\ufeffCafé;Müller".encode("utf-16-le"), "utf-16"),
    ("\ufeffCafé;Müller".encode("utf-16-be"), "utf-16"),
])
def test_a_byte_order_mark_or_valid_utf8_decides_without_detection(data, encoding):
    decoded = decode(data)
    assert (decoded.text, decoded.encoding, decoded.warning) == ("Café;Müller", encoding, None)


@pytest.mark.parametrize("text", [
    "Buchungstag;Betrag;Verwendungszweck\n03.11.2026;-12,50;Gebühr Überweisung Müller Straße\n",
    "Gebühr für Rechnung",
    "Libellé;Montant\nVirement reçu société Hélène l’Hôtel €12\n",
    "Zahlung f\u00fcr Rech\u00adnung",
])
def test_windows_1252_text_stays_windows_1252(text):
    decoded = decode(text.encode("cp1252"))
    assert (decoded.text, decoded.encoding, decoded.warning) == (text, "cp1252", None)


@pytest.mark.parametrize("text", [HUNGARIAN, ":86:Csoportos átutalás\n",
                                  "Przelew przychodzący Zażółć gęślą jaźń Łódź\n"])
def test_a_dos_central_european_file_is_read_as_cp852(text):
    decoded = decode(text.encode("cp852"))
    assert (decoded.text, decoded.encoding, decoded.warning) == (text, "cp852", None)


def test_spaces_symbols_and_capitals_inside_a_word_count_against_a_code_page():
    assert oddities_inside_words("Csoportos\u00a0tutal\u00a0s árvízt¹rï fŘr") == 4
    assert oddities_inside_words("Rech\u00adnung l’Hôtel 12\u00a0500 a \u00a0b") == 0


def test_control_characters_in_the_decoded_text_give_a_warning_naming_the_encoding():
    decoded = decode(b"a,b\n\x00\x1b\x7f1,2\n")
    assert decoded.warning == ("decoded as utf-8: the text holds 3 control or undecodable "
                               "character(s) (a wrong encoding or binary content?)")


def test_swift_framing_characters_tabs_and_line_ends_are_not_control_characters_to_warn_about():
    assert decode(b"\x01:20:REF\r\n\t:25:X\n-\x03").warning is None


def test_utf8_cut_inside_its_last_character_stays_utf8():
    decoded = decode("Müllerß".encode()[:-1])
    assert (decoded.text, decoded.encoding) == ("Müller\ufffd", "utf-8")


def test_windows_1252_text_ending_in_an_accented_letter_is_not_taken_for_cut_utf8():
    assert decode("Café".encode("cp1252")).text == "Café"
