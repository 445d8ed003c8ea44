"""Synthetic bank statements: OFX 1.0.2 SGML, camt.053 v02/v08, MT940, Indonesian bank CSV."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from benchmarks.synthetic_base import (
    PLANS,
    comma,
    person,
    plain,
    rng_for,
    some_day,
    write_csv,
    write_lines,
)

# --- OFX ------------------------------------------------------------------------------------

OFX_HEADER = ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
              "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n")


def _ofx_transactions(rng: random.Random, count: int, prefix: str, card: bool,
                      totals: list[int]) -> Iterator[str]:
    for i in range(count):
        name, _ = person(rng)
        cents = -rng.randrange(500, 90000) if card or rng.random() < 0.3 \
            else rng.randrange(1000, 500000)
        totals[0] += cents
        day = some_day(rng)
        posted = f"{day:%Y%m%d}{rng.randrange(24):02d}0000.000[-8:PST]"
        memo = f"<MEMO>Invoice #{10000 + rng.randrange(90000)} {rng.choice(PLANS)}\n" \
            if rng.random() < 0.7 else ""
        avail = f"<DTAVAIL>{day + dt.timedelta(days=1):%Y%m%d}\n" if rng.random() < 0.3 else ""
        yield (f"<STMTTRN>\n<TRNTYPE>{'DEBIT' if cents < 0 else 'CREDIT'}\n"
               f"<DTPOSTED>{posted}\n{avail}<TRNAMT>{plain(cents)}\n<FITID>{prefix}{i:08d}\n"
               f"<NAME>{name.upper()}\n{memo}</STMTTRN>\n")


def _ofx_statement(rng: random.Random, count: int, card: bool) -> Iterator[str]:
    tag, acct = ("CCSTMTRS", "<CCACCTFROM><ACCTID>4111000011112222</CCACCTFROM>") if card else (
        "STMTRS", "<BANKACCTFROM><BANKID>021000021<ACCTID>000123456789<ACCTTYPE>CHECKING"
                  "</BANKACCTFROM>")
    wrapper = ("CREDITCARDMSGSRSV1", "CCSTMTTRNRS") if card else ("BANKMSGSRSV1", "STMTTRNRS")
    yield (f"<{wrapper[0]}><{wrapper[1]}><TRNUID>{2 if card else 1}<STATUS><CODE>0<SEVERITY>INFO"
           f"</STATUS>\n<{tag}><CURDEF>USD\n{acct}\n<BANKTRANLIST><DTSTART>20261001\n"
           "<DTEND>20261125\n")
    totals = [0]
    yield from _ofx_transactions(rng, count, "C" if card else "B", card, totals)
    yield (f"</BANKTRANLIST>\n<LEDGERBAL><BALAMT>{plain(totals[0])}\n<DTASOF>20261125\n"
           f"</LEDGERBAL>\n<AVAILBAL><BALAMT>{plain(totals[0])}\n<DTASOF>20261125\n"
           f"</AVAILBAL>\n</{tag}></{wrapper[1]}></{wrapper[0]}>\n")


def write_ofx(path: Path, n: int) -> None:
    """OFX 1.0.2 SGML, unclosed leaf tags, one transaction tag per line: a checking account
    (75 % of the transactions) and a credit card, each with LEDGERBAL and AVAILBAL."""
    rng = rng_for("ofx", n)
    bank = n * 3 // 4

    def lines() -> Iterator[str]:
        yield OFX_HEADER + "<OFX>\n<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO" \
            "</STATUS>\n<DTSERVER>20261125190000[-8:PST]\n<LANGUAGE>ENG\n</SONRS>" \
            "</SIGNONMSGSRSV1>\n"
        yield from _ofx_statement(rng, bank, card=False)
        yield from _ofx_statement(rng, n - bank, card=True)
        yield "</OFX>\n"

    write_lines(path, lines(), encoding="cp1252")


# --- camt.053 -------------------------------------------------------------------------------

def _camt_party(version: int, role: str, name: str, iban: str) -> str:
    inner = f"<Pty><Nm>{name}</Nm></Pty>" if version >= 8 else f"<Nm>{name}</Nm>"
    return (f"<RltdPties><{role}>{inner}</{role}><{role}Acct><Id><IBAN>{iban}</IBAN></Id>"
            f"</{role}Acct></RltdPties>")


def _camt_tx(version: int, rng: random.Random, cents: int, ref: str, amount_tag: bool) -> str:
    name, _ = person(rng)
    iban = f"DE{rng.randrange(10, 99)}{rng.randrange(10**17, 10**18)}"
    amount = (f'<AmtDtls><TxAmt><Amt Ccy="EUR">{plain(abs(cents))}</Amt></TxAmt></AmtDtls>'
              if amount_tag else "")
    return (f"<TxDtls><Refs><EndToEndId>{ref}</EndToEndId></Refs>{amount}"
            f"{_camt_party(version, 'Dbtr' if cents > 0 else 'Cdtr', name, iban)}"
            f"<RmtInf><Ustrd>INV {10000 + rng.randrange(90000)} {rng.choice(PLANS)}</Ustrd>"
            "</RmtInf></TxDtls>")


def _camt_entry(version: int, rng: random.Random, number: int, totals: list[int]) -> str:
    """One booked entry; every 20th is a batch of two TxDtls (two records)."""
    batch = number % 20 == 0
    parts = [rng.randrange(1000, 50000) for _ in range(2 if batch else 1)]
    cents = sum(parts) if batch or rng.random() < 0.8 else -parts[0]
    totals[0] += cents
    day = some_day(rng)
    details = "".join(_camt_tx(version, rng, p if cents > 0 else -p, f"E2E-{number}-{k}", batch)
                      for k, p in enumerate(parts, 1))
    return (f'<Ntry><Amt Ccy="EUR">{plain(abs(cents))}</Amt><CdtDbtInd>'
            f"{'CRDT' if cents > 0 else 'DBIT'}</CdtDbtInd><Sts>"
            f"{'<Cd>BOOK</Cd>' if version >= 8 else 'BOOK'}</Sts>"
            f"<BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
            f"<AcctSvcrRef>{number:012d}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly>"
            "<Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
            f"<NtryDtls>{'<Btch><NbOfTxs>2</NbOfTxs></Btch>' if batch else ''}{details}"
            "</NtryDtls></Ntry>\n")


def _camt_balance(code: str, cents: int, day: str) -> str:
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="EUR">{plain(abs(cents))}</Amt><CdtDbtInd>'
            f"{'CRDT' if cents >= 0 else 'DBIT'}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>\n")


def _camt_statement(version: int, rng: random.Random, index: int, entries: range,
                    path: Path, handle) -> None:
    """One ``Stmt``: entries go to a side file first, since CLBD precedes them."""
    iban = f"DE89370400440532013{index:03d}"
    totals = [0]
    side = path.with_suffix(f".stmt{index}")
    with side.open("w", encoding="utf-8") as body:
        body.writelines(_camt_entry(version, rng, number, totals) for number in entries)
    opening = 1_250_000
    handle.write(f"<Stmt><Id>STMT-{index}</Id><CreDtTm>2026-11-25T21:05:13+01:00</CreDtTm>"
                 f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
                 + _camt_balance("OPBD", opening, "2026-09-30")
                 + _camt_balance("CLBD", opening + totals[0], "2026-11-25"))
    with side.open(encoding="utf-8") as body:
        for line in body:
            handle.write(line)
    side.unlink()
    handle.write("</Stmt>\n")


def write_camt053(path: Path, n: int, version: int = 8) -> None:
    """camt.053.001.0<version>: two statements (two IBANs), OPBD/CLBD that add up."""
    rng = rng_for(f"camt053.{version}", n)
    entries = max(1, n * 20 // 21)  # every 20th entry is a batch of two records
    half = entries // 2
    with path.open("w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:'
                     f'20022:tech:xsd:camt.053.001.{version:02d}">\n<BkToCstmrStmt><GrpHdr>'
                     "<MsgId>BENCH-1</MsgId><CreDtTm>2026-11-25T21:05:13+01:00</CreDtTm>"
                     "</GrpHdr>\n")
        _camt_statement(version, rng, 1, range(1, half + 1), path, handle)
        _camt_statement(version, rng, 2, range(half + 1, entries + 1), path, handle)
        handle.write("</BkToCstmrStmt>\n</Document>\n")


# --- MT940 ----------------------------------------------------------------------------------

def _mt940_86(rng: random.Random, number: int) -> str:
    """A structured ``:86:`` over two or three lines of at most 65 characters."""
    name, _ = person(rng)
    text = (f"/NAME/{name.upper()}/REMI/PEMBAYARAN INVOICE {10000 + rng.randrange(90000)} "
            f"{rng.choice(PLANS).upper()} NOVEMBER 2026/EREF/KD{number:07d}")
    return "\n".join(text[i:i + 65] for i in range(0, len(text), 65))


def _mt940_statement(rng: random.Random, index: int, count: int, first: int) -> Iterator[str]:
    opening, total = 150_000_000, 0
    yield (f"{{1:F01BMRIIDJAXXXX0000000000}}{{2:O940BMRIIDJAXXXXN}}{{4:\n:20:MT940-{index:04d}\n"
           f":25:12300045678{index:02d}\n:28C:{index:05d}/001\n:60F:C260930IDR{comma(opening)}\n")
    for k in range(first, first + count):
        cents = rng.randrange(10_000, 5_000_000) * (1 if rng.random() < 0.85 else -1)
        total += cents
        day = some_day(rng)
        yield (f":61:{day:%y%m%d%m%d}{'C' if cents > 0 else 'D'}{comma(cents)}"
               f"NTRFNONREF//FT{k:010d}\n:86:{_mt940_86(rng, k)}\n")
    closing = opening + total
    yield f":62F:{'C' if closing >= 0 else 'D'}261125IDR{comma(closing)}\n-}}\n"


def write_mt940(path: Path, n: int) -> None:
    """Four statements (one per account) of n/4 ``:61:`` lines, each with a multi-line
    structured ``:86:``; balances add up."""
    rng = rng_for("mt940", n)
    sizes = [n // 4 + (1 if i < n % 4 else 0) for i in range(4)]
    starts = [sum(sizes[:i]) for i in range(4)]

    def lines() -> Iterator[str]:
        for index, (size, start) in enumerate(zip(sizes, starts, strict=True), 1):
            yield from _mt940_statement(rng, index, size, start)

    write_lines(path, lines())


# --- bank CSV -------------------------------------------------------------------------------

def _idr(cents: int) -> str:
    """``35000000`` -> ``350.000,00`` (Indonesian grouping)."""
    return f"{abs(cents) // 100:,}".replace(",", ".") + f",{abs(cents) % 100:02d}"


def write_bank_csv(path: Path, n: int) -> None:
    """An Indonesian internet-banking export: preamble, ``;``, debit/credit columns,
    ``1.234.567,00`` amounts, ``dd/mm/yyyy`` dates, running balance."""
    rng = rng_for("bank-csv", n)
    header = ["Tanggal", "Keterangan", "No. Referensi", "Mutasi Debet", "Mutasi Kredit",
              "Mata Uang", "Saldo"]

    def rows() -> Iterator[list[str]]:
        balance = 1_000_000_000
        for i in range(n):
            name, _ = person(rng)
            cents = rng.randrange(50_000, 5_000_000) * 100
            credit = rng.random() < 0.8
            balance += cents if credit else -cents
            text = (f"TRANSFER DARI {name.upper()} INV {10000 + rng.randrange(90000)}"
                    if credit else f"TRANSFER KE {name.upper()}")
            yield [f"{some_day(rng):%d/%m/%Y}", text, f"FT{i:010d}", "" if credit else _idr(cents),
                   _idr(cents) if credit else "", "IDR", _idr(balance)]

    write_csv(path, header, rows(), delimiter=";",
              preamble="Rekening;1234567890\nPeriode;01/10/2026 - 25/11/2026\n\n")
