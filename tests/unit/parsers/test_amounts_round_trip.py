"""Property: for every parser, an amount read from a file keeps every digit and decimal place
as written, or its row is a reject (DESIGN.md: amounts round-trip digit for digit; the worst
bug is a silent change).

Each format's golden input (``sample_data/golden/<format>/``) is the template: one row (entry,
transaction, ticket, invoice) is kept, and its amount is replaced by a generated one - up to
13 integer digits, 0 to 4 decimals, written in a grouping style that is valid for the format
(``1.250.000,00`` and ``1250000.00`` are the same value). The parsed record's amount, in minor
units of its currency, must equal the written value exactly; otherwise there is no record for
that row (or its amount is left empty) and a reject or a refusal says why. Closing balances
of the bank statement formats are checked the same way (an unreadable balance is a warning).
A format's own documented rule for a lone group (``1,500``) is respected, see ``lone_group``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from parsers.base import ParseResult, SourceFile
from parsers.registry import detect, formats
from pipeline.models import BankTransaction, GatewayTransaction, Invoice, StatementBalance, Ticket
from pipeline.money import exponent

GOLDEN = Path(__file__).resolve().parents[3] / "sample_data" / "golden"
WITHOUT_AMOUNTS = {"whmcs-clients", "clients-csv"}
_LONE_GROUP = re.compile(r"[1-9]\d{0,2}[.,]\d{3}")


@dataclass(frozen=True)
class Written:
    """An amount as written in a file, and the value a person reads in it."""

    text: str
    value: Decimal


def _grouped(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    return separator.join([digits[:head]] + [digits[i:i + 3]
                                             for i in range(head, len(digits), 3)])


# style -> (thousands separator or "", decimal separator, decimal separator always written)
STYLES = {"plain": ("", ".", False), "plain-comma": ("", ",", False), "us": (",", ".", False),
          "eu": (".", ",", False), "swift": ("", ",", True)}  # SWIFT MT: "1250," is 1250


def write(whole: int, fraction: str, style: str, negative: bool = False) -> Written:
    thousands, point, always = STYLES[style]
    digits = str(whole)
    text = (_grouped(digits, thousands) if thousands else digits) + (
        f"{point}{fraction}" if fraction or always else "")
    value = Decimal(f"{digits}.{fraction}" if fraction else digits)
    return Written(("-" if negative else "") + text, -value if negative else value)


@st.composite
def amounts(draw, styles: tuple[str, ...], signed: bool = False) -> Written:
    whole = draw(st.one_of(st.integers(0, 999), st.integers(0, 10 ** 13 - 1)))
    places = draw(st.integers(0, 4))
    fraction = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=places,
                                     max_size=places)))
    return write(whole, fraction, draw(st.sampled_from(styles)),
                 signed and draw(st.booleans()))


# --- one template per format: the golden input reduced to one row carrying the amount -------

def _golden(fmt: str) -> str:
    (path,) = [p for p in (GOLDEN / fmt).iterdir() if p.name.startswith("input.")]
    return path.read_text(encoding="utf-8-sig")


def _between(text: str, opening: str, closing: str, block: str) -> str:
    """``text`` with everything from the first ``opening`` to the last ``closing`` (both
    included) replaced by ``block``."""
    start, end = text.index(opening), text.rindex(closing) + len(closing)
    return text[:start] + block + text[end:]


def _csv(fmt: str, fields: dict[str, str], delimiter: str = ",", skip: int = 0) -> str:
    """The golden CSV's preamble, header and first row, with ``fields`` replaced."""
    lines = _golden(fmt).splitlines(keepends=True)
    preamble, body = "".join(lines[:skip]), "".join(lines[skip:])
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    header, first = next(reader), next(reader)
    for name, value in fields.items():
        first[header.index(name)] = value
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows([header, first])
    return preamble + out.getvalue()


def ofx(amount: str, ledger: str = "0.00") -> str:
    """The golden file's header and bank statement, with one transaction (no card statement)."""
    head = _golden("ofx").split("<BANKTRANLIST>", 1)[0]
    return (f"{head}<BANKTRANLIST><DTSTART>20261101<DTEND>20261120\n<STMTTRN>\n"
            "<TRNTYPE>CREDIT\n<DTPOSTED>20261005093012.000[-4:EDT]\n"
            f"<TRNAMT>{amount}\n<FITID>20261005-0001\n<NAME>ALICE MOREAU\n</STMTTRN>\n"
            f"</BANKTRANLIST>\n<LEDGERBAL><BALAMT>{ledger}<DTASOF>20261120</LEDGERBAL>\n"
            "</STMTRS></STMTTRNRS></BANKMSGSRSV1>\n</OFX>\n")


def ofx_balance(amount: str) -> str:
    return ofx("12.50", ledger=amount)


def camt053(amount: str) -> str:
    entry = (f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
             "<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt>"
             "<AcctSvcrRef>2026112000001</AcctSvcrRef></Ntry>")
    return _between(_golden("camt053"), "<Ntry>", "</Ntry>", entry)


def _mark(amount: str) -> str:
    """``-12,50`` -> ``D12,50``: MT940 writes the sign as a debit/credit mark."""
    return f"D{amount[1:]}" if amount.startswith("-") else f"C{amount}"


def mt940(amount: str, closing: str = "15000000,00") -> str:
    """The golden file's first statement with one ``:61:`` line."""
    return ("{1:F01BMRIIDJAXXXX0000000000}{2:O940BMRIIDJAXXXXN}{4:\n:20:MT940-20261119\n"
            ":25:1230004567890\n:28C:00318/001\n:60F:C261118IDR15000000,00\n"
            f":61:2611191119{_mark(amount)}NTRFNONREF//FT26323A1B2C\n"
            ":86:TRF DARI BUDI SANTOSO PEMBAYARAN INV 10908 VPS\n"
            f":62F:{_mark(closing)[0]}261119IDR{_mark(closing)[1:]}\n-}}\n")


def mt940_balance(amount: str) -> str:
    return mt940("0,00", closing=amount)


def camt053_balance(amount: str) -> str:
    return re.sub(r"(<Cd>CLBD</Cd>.*?<Amt Ccy=\"EUR\">)[^<]*", lambda m: m.group(1) + amount,
                  _golden("camt053"), count=1, flags=re.S)


def bank_csv(amount: str) -> str:
    return _csv("bank-csv", {"Mutasi Kredit": amount}, delimiter=";", skip=3)


def stripe(amount: str) -> str:
    return _csv("stripe", {"gross": amount, "fee": "0.00", "net": amount})


def paypal(amount: str) -> str:
    return _csv("paypal", {"Date": "14/11/2026", "Gross": amount, "Fee": "0.00", "Net": amount,
                           "Balance": amount})


def btcpay(amount: str) -> str:
    return _csv("btcpay", {"Paid": "1", "ConversionRate": amount, "InvoicePrice": amount,
                           "PaidCurrency": amount, "InvoiceDue": "0.00"})


_RAW = "@amount@"


def _json_number(dumped: str, amount: str) -> str:
    """``dumped`` JSON with the amount written as a JSON number (as WHMCS and ticket
    exports also do), not as a string."""
    return dumped.replace(f'"{_RAW}"', amount)


def tickets_jsonl(amount: str) -> str:
    ticket = json.loads(_golden("tickets-jsonl").splitlines()[0])
    ticket["amount"] = amount
    return json.dumps(ticket) + "\n"


def tickets_jsonl_numbers(amount: str) -> str:
    ticket = json.loads(_golden("tickets-jsonl").splitlines()[0])
    ticket.update(amount=_RAW, currency="USD")
    return _json_number(json.dumps(ticket), amount) + "\n"


def tickets_csv(amount: str) -> str:
    return _csv("tickets-csv", {"amount": amount, "currency": ""})


def tickets_email(amount: str) -> str:
    return ("From putri@example.co.id Mon Nov 23 05:12:44 2026\n"
            "From: Putri Anggraini <putri@example.co.id>\n"
            "Date: Mon, 23 Nov 2026 12:12:40 +0700\n"
            "Message-ID: <konfirmasi-1@example.co.id>\n"
            "Subject: Konfirmasi pembayaran invoice 10912\n"
            "Content-Type: text/plain; charset=utf-8\n\n"
            f"Saya sudah transfer {amount} untuk invoice 10912 tanggal 22/11/2026.\n")


def whmcs_invoices(amount: str) -> str:
    data = json.loads(_golden("whmcs-invoices"))
    invoice = data["invoices"]["invoice"][0]
    invoice.update(subtotal=amount, total=amount, credit="0.00", status="Unpaid")
    data["invoices"]["invoice"] = [invoice]
    data.update(totalresults=1, numreturned=1)
    return json.dumps(data)


def whmcs_invoices_numbers(amount: str) -> str:
    return _json_number(whmcs_invoices(_RAW), amount)


def invoices_csv(amount: str) -> str:
    return _csv("invoices-csv", {"total": amount, "balance": amount})


def _amount_of(record) -> tuple[int | None, str | None] | None:
    """(minor units, currency) of the record carrying the generated amount, if it is one."""
    if isinstance(record, StatementBalance):
        return None
    if isinstance(record, BankTransaction):
        return record.amount_minor, record.currency
    if isinstance(record, GatewayTransaction):
        return record.gross_minor, record.currency
    if isinstance(record, Ticket):
        return record.claimed_amount_minor, record.currency
    if isinstance(record, Invoice):
        return record.total_minor, record.currency
    return None


def _closing_of(record) -> tuple[int, str] | None:
    """(minor units, currency) of a closing balance (the amount of a balance case)."""
    if isinstance(record, StatementBalance) and record.kind == "closing":
        return record.amount_minor, record.currency
    return None


@dataclass(frozen=True)
class Case:
    fmt: str
    build: Callable[[str], str]
    styles: tuple[str, ...]
    suffix: str
    signed: bool = False
    prefix: str = ""  # a currency written before the amount (tickets)
    # How the format reads a lone group (``1.500``, ``1,500``) by its own rule, so that the
    # grouped styles do not write one: tickets in rupiah as thousands (parsers.ticket_fields:
    # people do not write rupiah with three decimals), OFX as the radix point (OFX 1.0.2
    # 3.2.9.1: no digit grouping).
    lone_group: str = ""
    xfail: str = ""
    variant: str = ""  # a second case of one format
    balance: bool = False  # the amount is the closing balance (unreadable: a warning)

    @property
    def name(self) -> str:
        return f"{self.fmt}-{self.variant}" if self.variant else self.fmt


CASES = [
    Case("ofx", ofx, ("plain", "plain-comma", "us", "eu"), ".ofx", signed=True,
         lone_group="radix"),
    Case("ofx", ofx_balance, ("plain", "plain-comma", "us", "eu"), ".ofx", signed=True,
         variant="balance", balance=True, lone_group="radix"),
    Case("camt053", camt053, ("plain",), ".xml"),
    Case("camt053", camt053_balance, ("plain",), ".xml", variant="balance", balance=True),
    Case("mt940", mt940, ("swift", "plain-comma"), ".sta", signed=True),
    Case("mt940", mt940_balance, ("swift", "plain-comma"), ".sta", signed=True,
         variant="balance", balance=True),
    Case("bank-csv", bank_csv, ("eu", "plain-comma"), ".csv"),
    Case("stripe", stripe, ("plain", "us"), ".csv", signed=True),
    Case("paypal", paypal, ("plain", "us"), ".csv"),
    Case("btcpay", btcpay, ("plain",), ".csv"),
    Case("tickets-jsonl", tickets_jsonl, ("eu",), ".jsonl", prefix="Rp ",
         lone_group="thousands"),
    Case("tickets-csv", tickets_csv, ("us", "plain"), ".csv", prefix="USD ",
         lone_group="thousands"),
    Case("tickets-email", tickets_email, ("eu",), ".mbox", prefix="Rp ",
         lone_group="thousands"),
    Case("tickets-jsonl", tickets_jsonl_numbers, ("plain",), ".jsonl", signed=True,
         variant="json-numbers"),
    Case("whmcs-invoices", whmcs_invoices, ("plain",), ".json"),
    Case("whmcs-invoices", whmcs_invoices_numbers, ("plain",), ".json", signed=True,
         variant="json-numbers"),
    Case("invoices-csv", invoices_csv, ("plain", "us"), ".csv"),
]


def test_every_registered_format_with_amounts_has_a_round_trip_case():
    assert {c.fmt for c in CASES} == set(formats()) - WITHOUT_AMOUNTS


ORDINARY = {"swift": "1250,50", "plain": "1250.50", "plain-comma": "1250,50",
            "us": "1,250.50", "eu": "1.250,50"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_template_reads_an_ordinary_amount_so_that_the_property_is_not_vacuous(
        case, tmp_path):
    for style in case.styles:
        result = _parse(case, case.build(case.prefix + ORDINARY[style]), tmp_path)
        assert result.refusal is None, (style, result)
        assert case.balance or result.rejects == [], (style, result)
        read = map(_closing_of if case.balance else _amount_of, result.records)
        assert [a for a in read if a][0][0] == 125050


def check_round_trip(result: ParseResult, written: Written, balance: bool = False) -> None:
    """The property itself, for a file holding one row (or closing balance) with the written
    amount. An unreadable balance is not a record: a warning says why."""
    carried = [a for a in map(_closing_of if balance else _amount_of, result.records)
               if a is not None]
    read = [(minor, currency) for minor, currency in carried if minor is not None]
    assert len(read) <= 1, read
    if not read:  # no record, or its amount left empty: a reject or refusal must say why
        told = result.refusal or (result.warnings if balance else result.rejects)
        assert told, f"{written.text!r} vanished without a reason"
        return
    ((minor, currency),) = read
    assert Decimal(minor).scaleb(-exponent(currency)) == written.value, (
        f"{written.text!r} was read as {minor} minor units of {currency}")


def _parse(case: Case, text: str, tmp_path: Path) -> ParseResult:
    path = tmp_path / f"round-trip{case.suffix}"
    path.write_text(text, encoding="utf-8")
    source = SourceFile(path)
    return detect(source, forced_format=case.fmt).parser.parse(source)


def _params() -> list:
    return [pytest.param(case, id=case.name, marks=[pytest.mark.xfail(strict=False,
                                                                     reason=case.xfail)]
                         if case.xfail else []) for case in CASES]


@pytest.mark.parametrize("case", _params())
@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_an_amount_keeps_every_digit_as_written_or_its_row_is_a_reject(case, data, tmp_path):
    written = data.draw(amounts(case.styles, case.signed), label="amount")
    assume(not (case.lone_group and _LONE_GROUP.fullmatch(written.text.lstrip("-"))))
    result = _parse(case, case.build(case.prefix + written.text), tmp_path)
    check_round_trip(result, written, case.balance)


FIXED = {"1250000.00": Decimal("1250000.00"), "1.250.000,00": Decimal("1250000.00"),
         "1,250,000.00": Decimal("1250000.00"), "1'250'000.00": Decimal("1250000.00"),
         "0.0001": Decimal("0.0001"), "12.5": Decimal("12.5")}


def _fixed_params() -> list:
    return [pytest.param(case, text, id=f"{case.name}-{text}",
                         marks=[pytest.mark.xfail(strict=False, reason=case.xfail)]
                         if case.xfail else [])
            for case in CASES for text in FIXED]


@pytest.mark.parametrize(("case", "text"), _fixed_params())
def test_the_same_value_in_any_grouping_style_is_read_as_that_value_or_rejected(
        case, text, tmp_path):
    result = _parse(case, case.build(case.prefix + text), tmp_path)
    check_round_trip(result, Written(text, FIXED[text]), case.balance)
