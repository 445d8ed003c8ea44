"""Every real-world camt.053 and MT940 file of ``../shared/realworld`` parses as SOURCES.md says.

Numbers asserted per file (all taken from SOURCES.md, which counted them by reading the files):

- MT940: ``transaction records + rejects = ":61: lines"``; every ``:61:`` in this set is
  readable, so rejects are 0. One opening balance per ``:20:`` statement. Closing balances:
  every ``:62F:`` value as SOURCES writes it, plus the ``:62M:`` it mentions (an intermediate
  closing is the statement's closing when it has no ``:62F:``). One mismatch warning per
  statement marked "NO" in "Opening + Σ:61: = closing?", none for "yes".
- camt.053: ``transaction records + rejects = Ntry`` - except that a batch ``Ntry`` whose
  several ``TxDtls`` carry amounts adding up to the entry is split into one record per
  ``TxDtls``; for those files the asserted number is the split count (each entry's TxDtls
  count, or 1 for an entry with at most one), stated next to the Ntry count. CLBD as
  amount/currency/indicator; a mismatch warning where "OPBD + Σ Ntry = CLBD?" is "NO";
  a refusal naming the problem for the files without statements.
None of them may raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.base import SourceFile
from parsers.camt053 import Camt053Parser
from parsers.mt940 import Mt940Parser
from pipeline.models import BankTransaction, StatementBalance
from pipeline.money import to_minor


@dataclass(frozen=True)
class Mt940Case:
    name: str
    statements: int  # SOURCES "Statements (:20:)"
    lines_61: int  # SOURCES ":61: lines" = records + rejects
    closings: tuple[str, ...]  # SOURCES "Closing :62F:" (+ the :62M: it mentions), in order
    closing_count: int  # how many closing balances in all (SOURCES lists only the last of many)
    mismatches: int  # statements marked "NO"
    other_warnings: tuple[str, ...] = ()


MT940 = [
    Mt940Case("OCA__bank-statement-import__Voorbeeld_MT-940.mt940", 1, 21,
              ("D160901EUR1350,26",), 1, 0),
    # ":9401:" before the first :20: is garbage, the statement after it is valid and adds up:
    # it is read, and the ignored line is a warning (not a refusal).
    Mt940Case("OCA__bank-statement-import__test-wrong-file.940", 1, 1,
              ("C140102EUR000000004833,52",), 1, 0, ("line 1: ignored ':9401:'",)),
    Mt940Case("WoLpH__mt940__0708271685_09022020_164516.940.txt", 31, 8,
              ("C200131EUR501,23",), 31, 0),
    Mt940Case("WoLpH__mt940__abnamro.sta", 2, 10, ("C110523EUR876,84", "C110524EUR1849,75"),
              2, 2),
    Mt940Case("WoLpH__mt940__ing.sta", 1, 7, ("C100723EUR3,47",), 1, 1),
    Mt940Case("WoLpH__mt940__mBank_mt940.sta", 1, 3, ("C170119PLN0,43",), 1, 0),
    Mt940Case("WoLpH__mt940__postfinance.sta", 2, 4, ("C140407CHF229,2", "C140407CHF159,6"),
              2, 1),
    Mt940Case("WoLpH__mt940__sepa_mt9401.sta", 26, 97, ("C070904EUR50,05",), 26, 0),
    # The information line after :61: is tagged :25: - flagged, the first :25: stays the account.
    Mt940Case("WoLpH__mt940__sepa_snippet_broken.sta", 1, 1, ("C070904EUR1125250,4",), 1, 1,
              ("a second :25: inside the statement",)),
    Mt940Case("WoLpH__mt940__with_binary_character.sta", 2, 4,
              ("C100319EUR199929,02", "C100319EUR131193,19"), 2, 0),
    Mt940Case("fruitl00p__php-mt940__Bunq_sample", 1, 111, ("C190531EUR5,66",), 1, 0),
    Mt940Case("fruitl00p__php-mt940__Hsbc_sample", 1, 1, ("C120329HKD0,00",), 1, 1),
    Mt940Case("zilverline__mt940__deutsche_bank.txt", 1, 2, ("C140325EUR5,87",), 1, 1),
    Mt940Case("zilverline__mt940__knab_empty.txt", 1, 0, ("C141027EUR1010,",), 1, 0),
]


@dataclass(frozen=True)
class CamtCase:
    name: str
    statements: int = 0  # SOURCES "Stmt"
    ntry: int = 0  # SOURCES "Ntry"
    records: int = 0  # what is asserted: records + rejects (= ntry, or the split count)
    clbd: tuple[str, ...] = ()  # SOURCES "CLBD (amount ccy ind)"
    mismatches: int = 0  # statements marked "NO"
    refusal: str | None = None
    other_warnings: tuple[str, ...] = ()


CAMT = [
    CamtCase("OCA__bank-statement-import__camt053", 1, 1, 1,
             other_warnings=("no closing balance (CLBD)",)),
    # Ntry 3; the batch entry's two TxDtls (564.05 + 100.00 = 664.05) are split: 4 records.
    CamtCase("OCA__bank-statement-import__test-camt053", 1, 3, 4, ("15121.12 EUR CRDT",), 1),
    # Ntry 13 carrying 32 TxDtls, every batch adds up: 32 records.
    CamtCase("dvbern__iso20022__camt.053_P_CH0309000000250090342_380000000_0_2016053100163801"
             ".xml", 1, 13, 32, ("322689.77 CHF CRDT",), 0),
    CamtCase("genkgo__camt__camt053.v2.all-balance-types.xml", 1, 1, 1, ("4.04 EUR CRDT",), 1),
    CamtCase("genkgo__camt__camt053.v2.multi.statement.xml", 2, 2, 2,
             ("27.00 EUR CRDT", "20.00 EUR CRDT"), 0),
    CamtCase("genkgo__camt__camt053.v2.wrong.xml", refusal="camt.053 without any statement"),
    CamtCase("genkgo__camt__camt53.only-Dt-with-DtTm.xml", 1, 0, 0,
             other_warnings=("no closing balance (CLBD)",)),
    CamtCase("kedder__ofxstatement-iso20022__davider80.xml", 1, 16, 16, ("5753.46 CHF CRDT",), 0),
    CamtCase("kedder__ofxstatement-iso20022__unsupported.xml",
             refusal="unknown namespace 'urn:weird-namespace'"),
    # Ntry 10 / TxDtls 12: one entry has 3 TxDtls, one has 2, one has none: 8 + 3 + 2 = 13.
    CamtCase("moov-io__iso20022__FI_camt_053_sample.xml.xml", 1, 10, 13, ("23644.83 EUR CRDT",),
             0),
]


def _camt_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_the_tables_cover_every_file_in_the_camt053_and_mt940_folders(realworld):
    assert _camt_files(realworld / "mt940") == sorted(case.name for case in MT940)
    assert _camt_files(realworld / "camt053") == sorted(case.name for case in CAMT)


def _mt940_minor(written: str) -> tuple[int, str]:
    """``D160901EUR1350,26`` -> (-135026, 'EUR')."""
    mark, currency, amount = re.fullmatch(r"([CD])\d{6}([A-Z]{3})([\d,]+)", written).groups()
    value = to_minor(Decimal(amount.replace(",", ".")), currency)
    return (-value if mark == "D" else value), currency


def _camt_minor(written: str) -> tuple[int, str]:
    """``15121.12 EUR CRDT`` -> (1512112, 'EUR')."""
    amount, currency, indicator = written.split()
    value = to_minor(Decimal(amount), currency)
    return (-value if indicator == "DBIT" else value), currency


def _split(result):
    txns = [r for r in result.records if isinstance(r, BankTransaction)]
    bals = [r for r in result.records if isinstance(r, StatementBalance)]
    mismatches = [w for w in result.warnings if "!= closing" in w]
    return txns, bals, mismatches


@pytest.mark.parametrize("case", MT940, ids=lambda c: c.name)
def test_each_realworld_mt940_file_parses_as_sources_md_says(realworld, case):
    source = SourceFile(realworld / "mt940" / case.name)
    parser = Mt940Parser()
    assert parser.identify(source)
    result = parser.parse(source)
    txns, bals, mismatches = _split(result)
    assert result.refusal is None
    assert len(txns) + len(result.rejects) == case.lines_61
    assert result.rejects == []
    assert sum(b.kind == "opening" for b in bals) == case.statements
    closings = [(b.amount_minor, b.currency) for b in bals if b.kind == "closing"]
    assert len(closings) == case.closing_count
    assert closings[-len(case.closings):] == [_mt940_minor(c) for c in case.closings]
    assert len(mismatches) == case.mismatches, result.warnings
    for expected in case.other_warnings:
        assert any(expected in w for w in result.warnings), result.warnings
    assert len(result.warnings) == case.mismatches + len(case.other_warnings), result.warnings
    assert all(t.origin.source_line and t.origin.source_format == "mt940" for t in txns)


@pytest.mark.parametrize("case", CAMT, ids=lambda c: c.name)
def test_each_realworld_camt053_file_parses_as_sources_md_says(realworld, case):
    source = SourceFile(realworld / "camt053" / case.name)
    parser = Camt053Parser()
    assert parser.identify(source)
    result = parser.parse(source)
    if case.refusal:
        assert result.refusal is not None and result.refusal.startswith(case.refusal)
        assert result.records == [] and result.rejects == []
        return
    txns, bals, mismatches = _split(result)
    assert result.refusal is None and result.rejects == []
    assert len(txns) + len(result.rejects) == case.records
    assert not any("batch entry kept as one record" in w for w in result.warnings)
    assert sum(b.kind == "opening" for b in bals) == case.statements
    assert [(b.amount_minor, b.currency) for b in bals if b.kind == "closing"] == [
        _camt_minor(c) for c in case.clbd]
    assert len(mismatches) == case.mismatches, result.warnings
    for expected in case.other_warnings:
        assert any(expected in w for w in result.warnings), result.warnings
    assert len(result.warnings) == case.mismatches + len(case.other_warnings), result.warnings


def test_the_five_decimal_opening_balance_reads_as_its_value(realworld):
    source = SourceFile(realworld / "camt053" / "genkgo__camt__camt53.only-Dt-with-DtTm.xml")
    (opening,) = Camt053Parser().parse(source).records
    assert (opening.kind, opening.amount_minor, opening.currency) == ("opening", 544209, "RON")
    assert opening.date.isoformat() == "2025-07-23"


def test_the_batch_split_keeps_each_transactions_own_counterparty(realworld):
    source = SourceFile(realworld / "camt053" / "OCA__bank-statement-import__test-camt053")
    txns, _, _ = _split(Camt053Parser().parse(source))
    assert [(t.amount_minor, t.counterparty_name) for t in txns] == [
        (-75425, "INSURANCE COMPANY TESTX"), (-56405, "Test Customer"), (-10000, "Test Customer"),
        (140531, "3rd party Media")]


def test_the_mt940_line_numbers_point_at_the_61_lines(realworld):
    path = realworld / "mt940" / "WoLpH__mt940__abnamro.sta"
    lines = path.read_text().split("\n")
    txns, _, _ = _split(Mt940Parser().parse(SourceFile(path)))
    assert all(lines[t.origin.source_line - 1].startswith(":61:") for t in txns)
    assert [t.origin.source_line for t in txns] == [
        n for n, line in enumerate(lines, 1) if line.startswith(":61:")]
