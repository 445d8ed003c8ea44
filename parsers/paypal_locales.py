"""PayPal's CSV vocabulary per account language, declared: header names, type values, statuses.

PayPal writes the activity download and the statement CSV in the account's language: the
column names, the transaction types (``Type``, or ``Description`` in statements) and the
statuses are translated; the layout and the money columns are not. Each
:class:`Language` below lists what was found in real exports (the sources are named on each
declaration); names marked *unverified* were not seen in a public sample and are PayPal's
wording as far as it could be inferred. A type or status that no language declares is never
guessed: the parser keeps the row as kind ``other`` and warns (see ``parsers/paypal.py``).

Roles of a type: ``charge`` (a customer's payment when money came in), ``refund``,
``dispute``, ``payout`` (withdrawal to the bank), ``conversion`` (currency conversion),
``adjustment`` (top-up from a bank or card), ``fee``, ``outgoing`` (the account paid someone)
and ``hold`` (holds, releases, authorisations: no money for an invoice).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from parsers.csvspec import normalise_header

ROLES = ("charge", "refund", "dispute", "payout", "conversion", "adjustment", "fee",
         "outgoing", "hold")
FIELDS = ("date", "time", "time_zone", "name", "type", "description", "status", "currency",
          "gross", "fee", "net", "from_email_address", "to_email_address", "transaction_id",
          "reference_txn_id", "invoice_number", "invoice_id", "subject", "item_title", "note")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """A type or status as compared: case, accents, apostrophe and dash variants, spacing and
    a ``" - detail"`` suffix ignored (``General Withdrawal - Bank Account`` is a withdrawal)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("–", "-").replace("—", "-")
    return " ".join(plain.split()).split(" - ")[0]


@dataclass(frozen=True)
class Language:
    """One account language: header names per field, type roles, statuses (``True``: the
    money arrived or is on its way, ``False``: it never did), and the decimal separator
    assumed when no amount in a file tells (``None``: none is assumed)."""

    code: str
    source: str
    columns: dict[str, tuple[str, ...]]
    types: dict[str, tuple[str, ...]]
    statuses: dict[bool, tuple[str, ...]]
    decimal: str | None = None

    def names(self, field: str) -> set[str]:
        return {normalise_header(n) for n in self.columns.get(field, ())}


EN = Language(
    "en", "OCA/bank-statement-import fixtures activity_en.csv and statement_en.csv; "
    "egh/ledger-autosync and simonmichael/hledger PayPal CSVs; PayPal's Download History "
    "field list (developer.paypal.com)",
    columns={"date": ("Date",), "time": ("Time",), "time_zone": ("Time Zone", "TimeZone"),
             "name": ("Name",), "type": ("Type",), "description": ("Description",),
             "status": ("Status",), "currency": ("Currency",), "gross": ("Gross",),
             "fee": ("Fee",), "net": ("Net",), "from_email_address": ("From Email Address",),
             "to_email_address": ("To Email Address",), "transaction_id": ("Transaction ID",),
             "reference_txn_id": ("Reference Txn ID",), "invoice_number": ("Invoice Number",),
             "invoice_id": ("Invoice ID",), "subject": ("Subject",),
             "item_title": ("Item Title",), "note": ("Note",)},
    types={"charge": ("General Payment", "Express Checkout Payment", "Subscription Payment",
                      "Website Payment", "Payment Received", "Mobile Payment",
                      "Donation Payment"),
           "refund": ("Payment Refund", "Refund"),
           "dispute": ("Payment Reversal", "Chargeback", "Chargeback Reversal",
                       "Hold on Balance for Dispute Investigation",
                       "Cancellation of Hold for Dispute Resolution"),
           "payout": ("General Withdrawal", "Withdraw Funds to Bank Account",
                      "User Initiated Withdrawal"),
           "conversion": ("General Currency Conversion", "User Initiated Currency Conversion"),
           "adjustment": ("Bank Deposit to PP Account", "Charge from Debit Card",
                          "Add Funds from a Bank Account", "General Card Deposit"),
           "fee": ("Chargeback Fee",),
           "outgoing": ("Payment Sent", "Recurring Payment Sent",
                        "PreApproved Payment Bill User Payment"),
           "hold": ("Payment Hold", "Payment Release", "Account Hold for Open Authorization",
                    "Reversal of General Account Hold", "General Authorization")},
    statuses={True: ("Completed", "Pending", "Cleared", "Uncleared", "Held", "Placed",
                     "Refunded", "Partially Refunded", "Reversed", "Unclaimed"),
              False: ("Denied", "Failed", "Canceled", "Cancelled", "Voided", "Expired")},
    decimal=".",
)

FR = Language(
    "fr", "statement header and types in a BankingService import test (Date, Heure, Fuseau "
    "horaire, Description, Devise, Brut, Frais, Net, Numéro de transaction...); activity "
    "header in an Odoo PayPal import (Avant commission, Commission, De l'adresse email, "
    "À l'adresse email, Objet, Remarque); type names in French PayPal reconciliation tools "
    "and a Swiss ledger mapping PayPal event codes to French names",
    columns={"date": ("Date",), "time": ("Heure",), "time_zone": ("Fuseau horaire",),
             "name": ("Nom",), "type": ("Type",), "description": ("Description",),
             "status": ("État",), "currency": ("Devise",),
             "gross": ("Brut", "Avant commission"), "fee": ("Frais", "Commission"),
             "net": ("Net",),
             "from_email_address": ("Adresse email de l'expéditeur", "De l'adresse email"),
             "to_email_address": ("À l'adresse email",),
             "transaction_id": ("Numéro de transaction",),
             "reference_txn_id": ("Numéro de la transaction de référence",),
             "invoice_number": ("Numéro de facture",), "subject": ("Objet",),
             "item_title": ("Titre de l'objet",), "note": ("Remarque",)},
    # PayPal's French says "standard" for "General": Paiement standard, Virement standard
    # (the sweep to the bank), Conversion de devise standard (T0200 in a Swiss ledger).
    types={"charge": ("Paiement Express Checkout", "Paiement de don", "Paiement standard"),
           "refund": ("Remboursement de paiement", "Remboursement"),
           "dispute": ("Solde suspendu pour enquête sur un litige",
                       "Annulation de la suspension pour résolution du litige"),
           "payout": ("Retrait initié par l'utilisateur", "Virement standard"),
           "conversion": ("Conversion de devise standard",
                          "Conversion de devise initiée par l'utilisateur"),
           "adjustment": ("Virement bancaire sur le compte PayPal",),
           "outgoing": ("Paiement préapprouvé d'un utilisateur de facture de paiement",
                        "Paiement envoyé"),
           "hold": ("Suspension de paiement", "Déblocage de paiement")},
    # unverified: the refusal statuses (a wrong one only keeps a payment out of charges)
    statuses={True: ("Terminé", "En attente"), False: ("Refusé", "Échoué", "Annulé")},
)

ES = Language(
    "es", "OCA/bank-statement-import fixture statement_es.csv (Fecha, Hora, Zona horaria, "
    "Descripción, Divisa, Bruto, Comisión, Neto, Id. de transacción, Id. de referencia de "
    "trans., Id. de factura; 2/1/2020, \"4.626,81\"); Tryton's PayPal import (Tarifa); "
    "a Spanish activity test (Estado, Remitente, Destinatario, Reembolso, Completado); the "
    "PayPal activity report converter of Nesto (\"Bruto \", \"Comisión \", d/M/yyyy, "
    "\"-4.000,00\", Pago con Pago exprés, Retirada, Conversión de divisas)",
    columns={"date": ("Fecha",), "time": ("Hora",), "time_zone": ("Zona horaria",),
             "name": ("Nombre",), "type": ("Tipo",), "description": ("Descripción",),
             "status": ("Estado",), "currency": ("Divisa",), "gross": ("Bruto",),
             "fee": ("Comisión", "Tarifa"), "net": ("Neto",),
             "from_email_address": ("Correo electrónico del remitente", "Remitente"),
             "to_email_address": ("Correo electrónico del destinatario", "Destinatario"),
             "transaction_id": ("Id. de transacción",),
             "reference_txn_id": ("Id. de referencia de trans.",),
             "invoice_id": ("Id. de factura",),
             # unverified:
             "invoice_number": ("Número de factura",), "subject": ("Asunto",),
             "item_title": ("Título del artículo",), "note": ("Nota",)},
    types={"charge": ("Pago estándar", "Pago con Pago exprés", "Pago"),
           "refund": ("Reembolso", "Reembolso de pago"),
           "conversion": ("Conversión de divisas", "Conversión"),
           "payout": ("Retirada",
                      # unverified: longer wordings of the withdrawal
                      "Retirada estándar", "Retirada general", "Retiro general",
                      "Retirada de fondos")},
    statuses={True: ("Completado", "Pendiente"),
              False: ("Denegado", "Rechazado", "Fallido", "Cancelado")},
)

DE = Language(
    "de", "German activity downloads in finance-tracker tests (Datum, Uhrzeit, Zeitzone, Name, "
    "Typ, Status, Währung, Brutto, Gebühr, Netto, Absender/Empfänger E-Mail-Adresse, "
    "Transaktionscode, Artikelbezeichnung, Betreff, Hinweis); the Kontoauszug CSV "
    "(Beschreibung, Entgelt, Guthaben, Rechnungsnummer, Zugehöriger Transaktionscode); type "
    "tables of German PayPal importers (Allgemeine Abbuchung, Rückzahlung...)",
    columns={"date": ("Datum",), "time": ("Uhrzeit",), "time_zone": ("Zeitzone",),
             "name": ("Name",), "type": ("Typ",), "description": ("Beschreibung",),
             "status": ("Status",), "currency": ("Währung",), "gross": ("Brutto",),
             "fee": ("Gebühr", "Entgelt"), "net": ("Netto",),
             "from_email_address": ("Absender E-Mail-Adresse",),
             "to_email_address": ("Empfänger E-Mail-Adresse",),
             "transaction_id": ("Transaktionscode",),
             "reference_txn_id": ("Zugehöriger Transaktionscode",),
             "invoice_number": ("Rechnungsnummer",), "subject": ("Betreff",),
             "item_title": ("Artikelbezeichnung",), "note": ("Hinweis",)},
    types={"charge": ("Express-Zahlung", "PayPal Express-Zahlung", "Handyzahlung",
                      "eBay-Auktionszahlung"),
           "refund": ("Rückzahlung",),
           "payout": ("Allgemeine Abbuchung", "Von Nutzer eingeleitete Abbuchung"),
           "conversion": ("Allgemeine Währungsumrechnung", "Währungsumrechnung durch Nutzer"),
           "adjustment": ("Bankgutschrift auf PayPal-Konto",
                          "Allgemeine Gutschrift auf Kreditkarte",
                          "Allgemeine Abbuchung von Kreditkarte"),
           "outgoing": ("Zahlung im Einzugsverfahren mit Zahlungsrechnung",),
           "hold": ("Einbehaltung für offene Autorisierung",
                    "Rückbuchung allgemeiner Einbehaltung", "Allgemeine Autorisierung")},
    statuses={True: ("Abgeschlossen", "Ausstehend"),
              False: ("Abgelehnt", "Entfernt", "Fehlgeschlagen", "Storniert")},
)

IT = Language(
    "it", "an Italian activity download in a ledger test (Data, Orario, Fuso orario, Nome, "
    "Tipo, Stato, Valuta, Lordo, Tariffa, Netto, Codice transazione, Codice transazione di "
    "riferimento, N° ordine commerciante, Oggetto, Messaggio; Completata); the it_IT "
    "statement importer of riccardopiola/monjour (Ora, Descrizione, 'Lordo ', 'Tariffa ', "
    "and its type table)",
    columns={"date": ("Data",), "time": ("Orario", "Ora"), "time_zone": ("Fuso orario",),
             "name": ("Nome",), "type": ("Tipo",), "description": ("Descrizione",),
             "status": ("Stato",), "currency": ("Valuta",), "gross": ("Lordo",),
             "fee": ("Tariffa",), "net": ("Netto",),
             "from_email_address": ("Indirizzo email mittente",),
             "to_email_address": ("Indirizzo email destinatario",),
             "transaction_id": ("Codice transazione",),
             "reference_txn_id": ("Codice transazione di riferimento",),
             "invoice_number": ("N° ordine commerciante",), "subject": ("Oggetto",),
             "item_title": ("Titolo oggetto",), "note": ("Messaggio",)},
    types={"charge": ("Pagamento da cellulare", "Pagamento Express Checkout",
                      "Pagamento su sito web", "Pagamento abbonamento"),
           "refund": ("Rimborso di pagamento",),
           "dispute": ("Blocco saldo per revisione contestazione",
                       "Annullamento blocco per risoluzione contestazione"),
           "payout": ("Trasferimento avviato dall'utente",),
           "conversion": ("Conversione di valuta generica",),
           "adjustment": ("Bonifico bancario sul conto PayPal", "Versamento generico con carta"),
           "outgoing": ("Pagamento preautorizzato utenza",),
           "hold": ("Blocco conto per autorizzazione aperta", "Storno di blocco conto generico")},
    # unverified: the refusal statuses
    statuses={True: ("Completata",), False: ("Negata", "Non riuscita", "Annullata")},
)

NL = Language(
    "nl", "Dutch activity download in a PayPal parser test built on a real export (Datum, "
    "Tijd, Tijdzone, Naam, Type, Status, Valuta, Bruto, Kosten, Net, Van/Naar e-mailadres, "
    "Transactiereferentie, Factuurnummer, Onderwerp; 28-07-2025, '-1.800,00'); the statement "
    "header in a ledger parser (Omschrijving, Factuurreferentie); event-type maps of a Dutch "
    "ledger (Algemene valutaomrekening, Bankstorting naar PP-rekening, Voltooid)",
    columns={"date": ("Datum",), "time": ("Tijd",), "time_zone": ("Tijdzone",),
             "name": ("Naam",), "type": ("Type",), "description": ("Omschrijving",),
             "status": ("Status",), "currency": ("Valuta",), "gross": ("Bruto",),
             "fee": ("Kosten",), "net": ("Net", "Netto"),
             "from_email_address": ("Van e-mailadres",),
             "to_email_address": ("Naar e-mailadres",),
             "transaction_id": ("Transactiereferentie",),
             "invoice_number": ("Factuurnummer",), "invoice_id": ("Factuurreferentie",),
             "subject": ("Onderwerp",)},
    types={"charge": ("Express Checkout-betaling", "Express Checkout", "Algemene betaling"),
           "payout": ("Algemene opname",),
           "conversion": ("Algemene valutaomrekening", "Valutaomrekening"),
           "adjustment": ("Bankstorting naar PP-rekening", "Bankstorting",
                          "Algemene kaartstorting"),
           "outgoing": ("Vooraf goedgekeurde betaling",),
           "hold": ("Vastgehouden", "Algemene autorisatie", "Autorisatie"),
           # unverified:
           "refund": ("Terugbetaling",)},
    statuses={True: ("Voltooid",), False: ("Geweigerd", "Mislukt", "Geannuleerd")},
)

ID = Language(
    "id", "unverified: no public Indonesian PayPal export was found; the names follow PayPal's "
    "Indonesian site wording (Tanggal, Waktu, Zona Waktu, Kotor, Biaya, Bersih, ID Transaksi)",
    columns={"date": ("Tanggal",), "time": ("Waktu",), "time_zone": ("Zona Waktu",),
             "name": ("Nama",), "type": ("Jenis",), "description": ("Deskripsi",),
             "status": ("Status",), "currency": ("Mata Uang",), "gross": ("Kotor",),
             "fee": ("Biaya",), "net": ("Bersih",),
             "from_email_address": ("Dari Alamat Email",),
             "to_email_address": ("Ke Alamat Email",), "transaction_id": ("ID Transaksi",),
             "reference_txn_id": ("ID Transaksi Referensi",),
             "invoice_number": ("Nomor Faktur",), "subject": ("Subjek",),
             "item_title": ("Judul Barang",), "note": ("Catatan",)},
    types={"charge": ("Pembayaran Express Checkout", "Pembayaran Situs Web",
                      "Pembayaran Diterima"),
           "refund": ("Pengembalian Dana Pembayaran", "Pengembalian Dana"),
           "payout": ("Penarikan Umum", "Penarikan Dana ke Rekening Bank"),
           "conversion": ("Konversi Mata Uang Umum",)},
    statuses={True: ("Selesai", "Tertunda"), False: ("Ditolak", "Gagal", "Dibatalkan")},
)

LANGUAGES = (EN, FR, ES, DE, IT, NL, ID)


def header_names(field: str) -> tuple[str, ...]:
    """Every language's header names for ``field``, English first (a column declaration's
    aliases); a statement's ``Description`` fills ``type`` when no ``Type`` column exists."""
    fields = (field, "description") if field == "type" else (field,)
    return tuple(n for f in fields for lang in LANGUAGES for n in lang.columns.get(f, ()))


def language_of(header: set[str]) -> Language | None:
    """The language whose transaction-ID, gross and net names a normalised header carries."""
    return next((lang for lang in LANGUAGES
                 if all(lang.names(f) & header for f in ("transaction_id", "gross", "net"))),
                None)


def _table(kind: str) -> dict[str, object]:
    table: dict[str, object] = {}
    for lang in LANGUAGES:
        entries = lang.types.items() if kind == "types" else lang.statuses.items()
        for value, texts in entries:
            table.update(dict.fromkeys((fold(t) for t in texts), value))
    return table


TYPE_ROLES: dict[str, str] = _table("types")  # folded type -> role
STATUS_ARRIVED: dict[str, bool] = _table("statuses")  # folded status -> money arrived?
