"""PayPal exports in the account's language: localized columns, types, statuses, numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers import paypal_locales as locales
from parsers.base import SourceFile
from parsers.csvspec import normalise_header
from parsers.paypal import PaypalParser
from pipeline.models import GatewayKind

FR = ('"Date","Heure","Fuseau horaire","Nom","Type","État","Devise","Brut","Frais","Net",'
      '"De l\'adresse email","À l\'adresse email","Numéro de transaction",'
      '"Numéro de la transaction de référence","Numéro de facture","Objet"\n')
ES = ("Fecha,Hora,Zona horaria,Descripción,Divisa,Bruto,Comisión,Neto,Saldo,"
      "Id. de transacción,Correo electrónico del remitente,Nombre,Nombre del banco,"
      "Cuenta bancaria,Importe de envío y manipulación,Impuesto de ventas,Id. de factura,"
      "Id. de referencia de trans.\n")
DE = ('"Datum","Uhrzeit","Zeitzone","Name","Typ","Status","Währung","Brutto","Gebühr",'
      '"Netto","Absender E-Mail-Adresse","Empfänger E-Mail-Adresse","Transaktionscode"\n')


@pytest.fixture
def parse(tmp_path):
    def run(text: str, encoding: str = "utf-8"):
        path = tmp_path / "paypal.csv"
        path.write_bytes(text.encode(encoding))
        return PaypalParser().parse(SourceFile(path))
    return run


def fr_row(kind="Paiement Express Checkout", gross="85,00", fee="-3,46", net="81,54",
           status="Terminé", txn="TX1", ref="", date="13/11/2026",
           sender="camille@example.fr", receiver="billing@hosting.example"):
    cells = [date, "09:12:44", "Europe/Paris", "Camille Roux", kind, status, "EUR", gross,
             fee, net, sender, receiver, txn, ref, "FA-1", "x"]
    return ",".join(f'"{c}"' for c in cells) + "\n"


def de_row(kind="Express-Zahlung", gross="85,00", fee="-3,46", net="81,54",
           status="Abgeschlossen", txn="TX1", date="13.11.2026"):
    cells = [date, "09:12:44", "Europe/Berlin", "Jonas Berger", kind, status, "EUR", gross,
             fee, net, "jonas@example.de", "rechnung@hoster.example", txn]
    return ",".join(f'"{c}"' for c in cells) + "\n"


def test_a_french_payment_reads_its_columns_and_decimal_comma_amounts(parse):
    (charge,) = parse(FR + fr_row()).records
    assert (charge.kind, charge.gross_minor, charge.fee_minor, charge.net_minor) == (
        GatewayKind.CHARGE, 8500, 346, 8154)
    assert (charge.transaction_id, charge.invoice_ref, charge.customer_email) == (
        "TX1", "FA-1", "camille@example.fr")
    assert (charge.status, charge.created_date) == ("Terminé", dt.date(2026, 11, 13))


def test_a_french_refund_is_a_refund_that_names_its_payment(parse):
    text = FR + fr_row() + fr_row(kind="Remboursement de paiement", gross="-40,00",
                                  fee="1,40", net="-38,60", txn="TX2", ref="TX1",
                                  sender="billing@hosting.example",
                                  receiver="camille@example.fr")
    refund = parse(text).records[1]
    assert (refund.kind, refund.related_id, refund.gross_minor, refund.fee_minor) == (
        GatewayKind.REFUND, "TX1", -4000, -140)
    assert refund.customer_email == "camille@example.fr"


def test_a_refund_whose_money_never_went_out_is_not_a_refund(parse):
    text = FR + fr_row(kind="Remboursement de paiement", gross="-40,00", fee="0,00",
                       net="-40,00", status="Refusé", ref="TX0")
    (record,) = parse(text).records
    assert (record.kind, record.status) == (GatewayKind.OTHER, "Refusé")


def test_a_spanish_withdrawal_is_a_payout(parse):
    text = ES + ('14/11/2026,03:00:00,Europe/Madrid,Retirada general,EUR,"-1.367,23","0,00",'
                 '"-1.367,23","0,00",TXW,,,Banco,7734,"0,00","0,00",,\n')
    (payout,) = parse(text).records
    assert (payout.kind, payout.gross_minor, payout.created_date) == (
        GatewayKind.PAYOUT, -136723, dt.date(2026, 11, 14))


def test_a_spanish_refund_in_the_statement_layout_is_a_refund(parse):
    text = ES + ('16/11/2026,13:06:07,Europe/Madrid,Reembolso,EUR,"-35,00","1,04","-33,96",'
                 '"1.367,23",TXR,,Lucía Gómez,,,"0,00","0,00",FAC-7702,TXP\n')
    (refund,) = parse(text).records
    assert (refund.kind, refund.related_id, refund.net_minor) == (
        GatewayKind.REFUND, "TXP", -3396)


def test_an_unknown_localized_type_is_not_silently_treated_as_a_customer_payment(parse):
    result = parse(FR + fr_row() + fr_row(kind="Paiement DCC", fee="0,00", net="85,00",
                                          txn="TX2"))
    assert [r.kind for r in result.records] == [GatewayKind.CHARGE, GatewayKind.OTHER]
    (warning,) = result.warnings
    assert "unknown PayPal type 'Paiement DCC'" in warning and "(line 3)" in warning


def test_a_payment_whose_localized_status_is_unknown_is_not_a_charge(parse):
    result = parse(FR + fr_row(status="Statut inventé"))
    assert [r.kind for r in result.records] == [GatewayKind.OTHER]
    assert "unknown PayPal status" in result.warnings[0]
    assert "Statut inventé" in result.warnings[0]


@pytest.mark.parametrize("status", ["Abgelehnt", "Entfernt"])
def test_a_german_payment_whose_money_never_arrived_is_not_a_charge(parse, status):
    result = parse(DE + de_row(status=status))
    assert [r.kind for r in result.records] == [GatewayKind.OTHER]
    assert result.warnings == []


def test_a_pending_german_payment_stays_a_charge_with_its_status(parse):
    (record,) = parse(DE + de_row(status="Ausstehend")).records
    assert (record.kind, record.status) == (GatewayKind.CHARGE, "Ausstehend")


def test_a_localized_currency_conversion_is_an_adjustment_with_its_own_status(parse):
    (record,) = parse(DE + de_row(kind="Allgemeine Währungsumrechnung", gross="-279,51",
                                  fee="0,00", net="-279,51")).records
    assert (record.kind, record.status) == (GatewayKind.ADJUSTMENT, "currency conversion")
    assert record.metadata["paypal_status"] == "Abgeschlossen"


@pytest.mark.parametrize("gross", ["1\u00a0234,56", "1\u202f234,56", "1 234,56"])
def test_french_amounts_grouped_with_spaces_keep_every_digit(parse, gross):
    (charge,) = parse(FR + fr_row(gross=gross, fee="-43,46", net="1 191,10")).records
    assert (charge.gross_minor, charge.net_minor) == (123456, 119110)


def test_a_thousands_dot_is_read_by_the_files_own_decimal_comma(parse):
    text = DE + de_row(gross="1.500", fee="-3,46", net="1.496,54")
    (charge,) = parse(text).records
    assert charge.gross_minor == 150000


def test_an_amount_that_fits_both_readings_is_rejected_when_no_amount_in_the_file_tells(parse):
    result = parse(DE + de_row(gross="1.500", fee="0", net="1.500"))
    assert result.records == []
    assert "ambiguous amount" in result.rejects[0].reason


def test_a_file_writing_both_decimal_marks_rejects_its_amounts_instead_of_guessing(parse):
    result = parse(DE + de_row(txn="TX1") + de_row(gross="85.00", fee="-3.46", net="81.54",
                                                   txn="TX2"))
    assert result.records == []
    assert all("inconsistent decimal separator" in r.reason for r in result.rejects)


@pytest.mark.parametrize(("gross", "reason"), [("12 50", "misplaced thousands separator"),
                                               ("85,005", "more decimals than EUR")])
def test_an_amount_that_cannot_keep_its_digits_as_written_is_a_reject(parse, gross, reason):
    result = parse(DE + de_row(gross=gross, fee="0,00", net=gross))
    assert result.records == [] and reason in result.rejects[0].reason


@pytest.mark.parametrize(("first", "second"), [("02.11.2026", "13.11.2026"),
                                               ("02-11-2026", "13-11-2026"),
                                               ("02/11/2026", "13/11/2026")])
def test_dotted_dashed_and_slashed_dates_read_day_first_when_a_day_above_twelve_proves_it(
        parse, first, second):
    records = parse(DE + de_row(date=first) + de_row(date=second, txn="TX2")).records
    assert [r.created_date for r in records] == [dt.date(2026, 11, 2), dt.date(2026, 11, 13)]


def test_localized_dates_that_fit_both_orders_are_rejected_not_guessed_from_the_language(parse):
    result = parse(DE + de_row(date="02.11.2026") + de_row(date="05.11.2026", txn="TX2"))
    assert result.records == []
    assert all("ambiguous date order" in r.reason for r in result.rejects)


def test_a_windows_1252_french_export_is_read(parse):
    (charge,) = parse(FR + fr_row(), encoding="cp1252").records
    assert (charge.status, charge.gross_minor) == ("Terminé", 8500)


@pytest.mark.parametrize("language", locales.LANGUAGES, ids=lambda lang: lang.code)
def test_identify_claims_a_header_in_each_declared_language(tmp_path, language):
    names = [language.columns[f][0] for f in ("date", "type", "currency", "gross", "fee",
                                               "net", "transaction_id")]
    path = tmp_path / f"{language.code}.csv"
    path.write_text(",".join(f'"{n}"' for n in names) + "\n", encoding="utf-8")
    assert PaypalParser().identify(SourceFile(path))


def test_identify_leaves_a_dutch_bank_csv_with_a_transaction_reference_alone(tmp_path):
    path = tmp_path / "rabo.csv"
    path.write_text('"IBAN/BBAN","Munt","Datum","Bedrag","Saldo na trn","Naam tegenpartij",'
                    '"Transactiereferentie","Omschrijving-1"\n', encoding="utf-8")
    assert not PaypalParser().identify(SourceFile(path))


def test_no_header_name_is_declared_for_two_fields():
    owners: dict[str, set[str]] = {}
    for language in locales.LANGUAGES:
        for field, names in language.columns.items():
            for name in names:
                owners.setdefault(normalise_header(name), set()).add(
                    "type" if field == "description" else field)
    assert {name: fields for name, fields in owners.items() if len(fields) > 1} == {}


def test_no_type_or_status_is_declared_with_two_meanings():
    for table in ("types", "statuses"):
        meanings: dict[str, set[object]] = {}
        for language in locales.LANGUAGES:
            for meaning, texts in getattr(language, table).items():
                for text in texts:
                    meanings.setdefault(locales.fold(text), set()).add(meaning)
        assert {t: m for t, m in meanings.items() if len(m) > 1} == {}
