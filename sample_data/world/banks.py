"""The shop's bank statements for the month, in the shapes the parsers read today:
a KlikBCA-style CSV (IDR), an MT940 file of weekly statements (IDR, Mandiri), an OFX 1.0.2
SGML download (USD, Chase; NAME cut at 32 characters as OFX allows) and a camt.053.001.08
(EUR). Each writer records where every money record landed (file, natural key, line)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from .core import BCA_ACCOUNT, CHASE_ACCOUNT, IBAN, MANDIRI_ACCOUNT, SHOP, Money, grouped, plain

BCA_FILE = f"bca-{BCA_ACCOUNT}-2026-11.csv"
MT940_FILE = f"mandiri-{MANDIRI_ACCOUNT}-2026-11.sta"
OFX_FILE = f"chase-{CHASE_ACCOUNT}-2026-11.ofx"
CAMT_FILE = "sparkasse-camt053-2026-11.xml"
OPENING = {"bca": 250_000_000_00, "mt940": 180_000_000_00, "ofx": 12_500_00, "camt": 8_400_00}


def _ordered(money: list[Money], channel: str) -> list[Money]:
    lines = [m for m in money if m.channel == channel]
    return sorted(lines, key=lambda m: (m.date, -m.amount, m.memo, m.holder))


def _bca_text(rng: random.Random, m: Money) -> str:
    if m.extra.get("noise"):
        return m.memo
    if m.extra.get("cash"):
        return "SETORAN TUNAI"
    roll = rng.random()
    if roll < 0.6:
        return (f"TRSF E-BANKING CR {m.date:%d%m}/FTSCY/WS{rng.randrange(10000, 99999)} "
                f"{plain(m.amount)} {m.memo} {m.holder}").replace("  ", " ")
    if roll < 0.85:
        return f"SWITCHING CR TRANSFER DR {rng.choice(('014', '008', '009', '002'))} " \
               f"{m.holder} {m.memo}".strip()
    return f"KR OTOMATIS LLG-ANTAR BANK {m.holder} {m.memo}".strip()


def write_bca(money: list[Money], rng: random.Random, out: Path) -> str:
    """KlikBCA "Mutasi Rekening" export: a preamble, quoted cells, ``1,110,000.00 CR``."""
    buffer = io.StringIO()
    buffer.write(f"Informasi Rekening - Mutasi Rekening\nNo. rekening : {BCA_ACCOUNT}\n"
                 f"Nama : {SHOP}\nPeriode : 01/11/2026 - 03/12/2026\nKode Mata Uang : IDR\n\n")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["Tanggal Transaksi", "Keterangan", "Cabang", "Jumlah", "Mata Uang",
                     "Saldo"])
    balance = OPENING["bca"]
    for line, m in enumerate(_ordered(money, "bca"), start=8):
        balance += m.amount
        mark = "CR" if m.amount > 0 else "DB"
        writer.writerow([f"{m.date:%d/%m/%Y}", _bca_text(rng, m),
                         "0372" if m.extra.get("cash") else "0000",
                         f"{grouped(m.amount)} {mark}", "IDR", grouped(balance)])
        m.file, m.line = BCA_FILE, line
    (out / BCA_FILE).write_text(buffer.getvalue(), encoding="utf-8")
    return BCA_FILE


def _mt940_86(m: Money) -> str:
    if m.extra.get("noise"):
        text = m.memo.upper()
    elif m.holder and len(m.memo) < 40:
        text = f"/NAME/{m.holder}/REMI/{m.memo or 'TRANSFER'}"
    else:
        text = f"TRF DARI {m.holder} {m.memo}".strip()
    return "\n".join(text[i:i + 65] for i in range(0, len(text), 65)) or "TRANSFER"


def write_mt940(money: list[Money], out: Path) -> str:
    """One MT940 message per week (``:60F:``/``:62F:`` that add up), ``:61:`` with the bank's
    reference after ``//`` and a ``:86:`` of up to three lines."""
    lines: list[str] = []
    balance = OPENING["mt940"]
    rows = _ordered(money, "mt940")
    weeks: dict[int, list[Money]] = {}
    for m in rows:
        weeks.setdefault((m.date - dt.date(2026, 11, 1)).days // 7, []).append(m)
    for number, (week, items) in enumerate(sorted(weeks.items()), start=1):
        lines += ["{1:F01BMRIIDJAXXXX0000000000}{2:O940BMRIIDJAXXXXN}{4:",
                  f":20:MT940-2026W{45 + week}", f":25:{MANDIRI_ACCOUNT}",
                  f":28C:{300 + number:05d}/001",
                  f":60F:C{items[0].date:%y%m%d}IDR{_comma(balance)}"]
        for k, m in enumerate(items):
            balance += m.amount
            ref = f"FT26{m.date:%m%d}{number}{k:04d}"
            mark = "C" if m.amount > 0 else "D"
            code = "NCHG" if m.truth["class"] == "fee" else "NTRF"
            lines.append(f":61:{m.date:%y%m%d%m%d}{mark}{_comma(m.amount)}{code}NONREF//{ref}")
            m.file, m.ref, m.line = MT940_FILE, ref, len(lines)
            lines += f":86:{_mt940_86(m)}".split("\n")
        lines += [f":62F:C{items[-1].date:%y%m%d}IDR{_comma(balance)}", "-}"]
    (out / MT940_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return MT940_FILE


def _comma(minor: int) -> str:
    return f"{abs(minor) // 100},{abs(minor) % 100:02d}"


OFX_HEAD = ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
            "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX>\n"
            "<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n"
            "<DTSERVER>20261203190000.000[-8:PST]\n<LANGUAGE>ENG\n</SONRS>\n</SIGNONMSGSRSV1>\n"
            "<BANKMSGSRSV1>\n<STMTTRNRS>\n<TRNUID>1\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n"
            "</STATUS>\n<STMTRS>\n<CURDEF>USD\n<BANKACCTFROM>\n<BANKID>021000021\n"
            f"<ACCTID>{CHASE_ACCOUNT}\n<ACCTTYPE>CHECKING\n</BANKACCTFROM>\n<BANKTRANLIST>\n"
            "<DTSTART>20261101000000.000[-7:PDT]\n<DTEND>20261203235959.000[-8:PST]\n")


def _ofx_type(m: Money) -> str:
    kind = m.truth["class"]
    return {"fee": "SRVCHG", "interest": "INT"}.get(kind, "CREDIT" if m.amount > 0 else "DEBIT")


def write_ofx(money: list[Money], rng: random.Random, out: Path) -> str:
    parts = [OFX_HEAD]
    balance = OPENING["ofx"]
    for n, m in enumerate(_ordered(money, "ofx"), start=1):
        balance += m.amount
        fitid = f"{m.date:%Y%m%d}{n:05d}"
        name = (m.holder or m.memo)[:32]
        memo = m.memo if m.holder else ""
        if m.holder and not m.extra.get("noise") and m.truth["class"] != "payout":
            memo = rng.choice(("ACH CREDIT {}", "WIRE TYPE:FED IN ORG:{h} {}", "ZELLE FROM {h} {}",
                               "{}")).format(memo, h=m.holder).strip()
        parts.append(f"<STMTTRN>\n<TRNTYPE>{_ofx_type(m)}\n<DTPOSTED>{m.date:%Y%m%d}"
                     f"{rng.randrange(8, 18):02d}{rng.randrange(60):02d}00.000[-8:PST]\n"
                     f"<TRNAMT>{plain(m.amount)}\n<FITID>{fitid}\n<NAME>{_sgml(name)}\n"
                     + (f"<MEMO>{_sgml(memo)}\n" if memo else "") + "</STMTTRN>\n")
        m.file, m.ref = OFX_FILE, fitid
    parts.append(f"</BANKTRANLIST>\n<LEDGERBAL>\n<BALAMT>{plain(balance)}\n"
                 "<DTASOF>20261203235959.000[-8:PST]\n</LEDGERBAL>\n</STMTRS>\n</STMTTRNRS>\n"
                 "</BANKMSGSRSV1>\n</OFX>\n")
    (out / OFX_FILE).write_text("".join(parts), encoding="cp1252")
    return OFX_FILE


def _sgml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml(text: str) -> str:
    return _sgml(text).replace('"', "&quot;")


def _camt_entry(m: Money, ref: str, rng: random.Random) -> str:
    credit = m.amount > 0
    party = ""
    if m.holder:
        role = "Dbtr" if credit else "Cdtr"
        iban = f"DE{rng.randrange(10, 99)}{rng.randrange(10**17, 10**18)}"
        party = (f"<RltdPties><{role}><Pty><Nm>{_xml(m.holder)}</Nm></Pty></{role}>"
                 f"<{role}Acct><Id><IBAN>{iban}</IBAN></Id></{role}Acct></RltdPties>")
    remittance = f"<RmtInf><Ustrd>{_xml(m.memo)}</Ustrd></RmtInf>" if m.memo else ""
    amount = f'<Amt Ccy="EUR">{plain(abs(m.amount))}</Amt>'
    indicator = "CRDT" if credit else "DBIT"
    return (f"      <Ntry>{amount}<CdtDbtInd>{indicator}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
            f"<BookgDt><Dt>{m.date}</Dt></BookgDt><ValDt><Dt>{m.date}</Dt></ValDt>"
            f"<AcctSvcrRef>{ref}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>"
            f"{'RCDT' if credit else 'ICDT'}</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>"
            f"</BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>"
            f"{amount}<CdtDbtInd>{indicator}</CdtDbtInd>{party}{remittance}</TxDtls>"
            "</NtryDtls></Ntry>\n")


def _balance(code: str, minor: int, day: dt.date) -> str:
    return (f"      <Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="EUR">{plain(abs(minor))}</Amt><CdtDbtInd>'
            f"{'CRDT' if minor >= 0 else 'DBIT'}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>\n")


def write_camt(money: list[Money], rng: random.Random, out: Path) -> str:
    """camt.053.001.08, one statement for the month, OPBD + entries = CLBD."""
    rows = _ordered(money, "camt")
    entries = []
    for n, m in enumerate(rows, start=1):
        ref = f"2026{m.date:%m%d}{n:05d}"
        entries.append(_camt_entry(m, ref, rng))
        m.file, m.ref = CAMT_FILE, ref
    opening = OPENING["camt"]
    closing = opening + sum(m.amount for m in rows)
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:'
            'tech:xsd:camt.053.001.08">\n  <BkToCstmrStmt>\n    <GrpHdr><MsgId>STMT202611-0001'
            '</MsgId><CreDtTm>2026-12-03T21:05:13+01:00</CreDtTm></GrpHdr>\n    <Stmt>\n'
            f"      <Id>202611-{IBAN}</Id><CreDtTm>2026-12-03T21:05:13+01:00</CreDtTm>\n"
            f"      <Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>EUR</Ccy><Ownr><Nm>Nusantara Cloud "
            "Europe</Nm></Ownr></Acct>\n"
            + _balance("OPBD", opening, dt.date(2026, 10, 31))
            + _balance("CLBD", closing, dt.date(2026, 12, 3))
            + "".join(entries) + "    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n")
    (out / CAMT_FILE).write_text(text, encoding="utf-8")
    return CAMT_FILE
