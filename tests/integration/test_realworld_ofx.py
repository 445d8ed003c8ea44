"""Every OFX/QFX file of the shared real-world set parses to the transaction count that
SOURCES.md documents (records + rejects for files with broken rows), with its LEDGERBAL
and CURDEF, or is refused with a reason. Expectations are read from SOURCES.md itself;
files it does not describe must still parse or be refused, never raise."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.base import SourceFile
from parsers.ofx import OfxParser
from pipeline.models import BankTransaction, StatementBalance
from pipeline.money import from_minor

_OFX_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "realworld" / "ofx"
FILES = sorted(p.name for p in _OFX_DIR.iterdir()) if _OFX_DIR.is_dir() else ["(absent)"]

# Files whose broken rows SOURCES.md describes: row count that must come back as rejects.
BROKEN_ROWS = {"jseutter__ofxparse__date_missing.ofx": 3,
               "jseutter__ofxparse__decimal_error.ofx": 1}


def documented(realworld: Path) -> dict[str, dict[str, str]]:
    """The OFX table of SOURCES.md: file name -> its cells by column title."""
    text = (realworld / "SOURCES.md").read_text(encoding="utf-8")
    section = text.split("## OFX", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    titles = [cell.strip() for cell in lines[0].strip("|").split("|")]
    table = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        row = dict(zip(titles, cells, strict=False))
        table[row["File"].strip("`")] = row
    return table


def expects_refusal(row: dict[str, str]) -> bool:
    count = row["STMTTRN count"]
    return "INVSTMTRS" in count or "no statement" in count


def ledger_balances(row: dict[str, str]) -> list[Decimal]:
    """Documented LEDGERBAL amounts; none when absent, empty or not applicable."""
    cell = row["LEDGERBAL BALAMT"]
    return sorted(Decimal(v) for v in cell.split(";")
                  if re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", v))


@pytest.mark.parametrize("name", FILES)
def test_each_realworld_ofx_file_parses_to_its_documented_content_or_is_refused(
        realworld, name):
    path = realworld / "ofx" / name
    if not path.is_file():
        pytest.skip("no OFX files")
    result = OfxParser().parse(SourceFile(path))  # must not raise
    row = documented(realworld).get(name)
    if result.refusal is not None:
        assert result.refusal.strip(), "a refusal needs a reason"
        assert row is None or expects_refusal(row), f"unexpected refusal: {result.refusal}"
        return
    assert row is None or not expects_refusal(row), "should have been refused"
    if row is None:
        return
    transactions = [r for r in result.records if isinstance(r, BankTransaction)]
    count = int(re.match(r"\d+", row["STMTTRN count"]).group())
    assert len(transactions) + len(result.rejects) == count
    assert len(result.rejects) == BROKEN_ROWS.get(name, 0), [r.reason for r in result.rejects]
    balances = sorted(from_minor(b.amount_minor, b.currency)
                      for b in result.records if isinstance(b, StatementBalance))
    assert balances == ledger_balances(row)
    if re.fullmatch(r"[A-Z]{3}", row["CURDEF"]):
        assert {t.currency for t in transactions} <= {row["CURDEF"]}


def test_every_realworld_ofx_file_is_identified_as_ofx(realworld):
    for path in sorted((realworld / "ofx").iterdir()):
        assert OfxParser().identify(SourceFile(path)), path.name
