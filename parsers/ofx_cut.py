"""Cut and unclosed ``STMTTRN`` blocks taken out of an OFX text before ofxparse reads it.

ofxparse reads an aggregate only up to its closing tag: a file cut inside a transaction, or
one ``STMTTRN`` without its ``</STMTTRN>``, leaves unclosed aggregates that swallow or lose
the transactions around them. So such a block becomes a reject (its line, a reason, its text)
and the rest of the file is read:

* a ``STMTTRN`` still open where the next one, its ``</BANKTRANLIST>`` or its statement's end
  begins: ``STMTTRN without its closing </STMTTRN>``;
* a ``STMTTRN`` still open where the file ends: ``truncated: the file ends inside this
  STMTTRN``.

A file without its ``</OFX>`` was cut short: a ``LEDGERBAL``/``AVAILBAL`` left open there is
not read (a cut balance would be a wrong balance), the aggregates still open are closed, and
a ``truncated:`` warning says so. Removed text is replaced by its line breaks, so every line
number stays the file's own. One pass over the text per search (linear in the file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_EDGES = re.compile(r"<(/?)STMTTRN>|</BANKTRANLIST>|</(?:CC)?STMTRS>", re.I)
_END = re.compile(r"</OFX>", re.I)
# aggregates a cut file may leave open, innermost first
_OPEN_AGGREGATES = ("BANKTRANLIST", "STMTRS", "CCSTMTRS", "STMTTRNRS", "CCSTMTTRNRS",
                    "BANKMSGSRSV1", "CREDITCARDMSGSRSV1", "OFX")
_BALANCES = ("LEDGERBAL", "AVAILBAL")
UNCLOSED = "STMTTRN without its closing </STMTTRN>: the transaction is not read"
CUT = "truncated: the file ends inside this STMTTRN (the file was cut short)"
CUT_FILE = "truncated: the file ends without its closing </OFX> tag"


@dataclass(frozen=True)
class CutBlock:
    """A ``STMTTRN`` taken out: its first line, why, and its text."""

    line: int
    reason: str
    raw: str


@dataclass(frozen=True)
class Mended:
    """The text ofxparse gets, the blocks taken out, and warnings about the file."""

    text: str
    cut: list[CutBlock] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def mend(text: str) -> Mended:
    """``text`` without its unclosed ``STMTTRN`` blocks and, when ``</OFX>`` is missing,
    closed where it was cut (module docstring). A whole file comes back as it is."""
    spans = _unclosed(text)
    cut = [CutBlock(text.count("\n", 0, start) + 1, reason, text[start:end].strip())
           for start, end, reason in spans]
    for start, end, _ in reversed(spans):
        text = text[:start] + "\n" * text.count("\n", start, end) + text[end:]
    if _END.search(text):
        return Mended(text, cut)
    text, dropped = _drop_open_balances(text)
    closing = "".join(f"</{name}>" for name in _OPEN_AGGREGATES if _open(text, name))
    lost = f"; its unfinished {' and '.join(dropped)} is not read" if dropped else ""
    warning = (f"{CUT_FILE} (it was cut short); the complete transactions before the cut "
               f"are kept{lost}")
    return Mended(text + "\n" + closing + "\n", cut, [warning])


def _unclosed(text: str) -> list[tuple[int, int, str]]:
    """(start, end, reason) of each ``STMTTRN`` opened and not closed before the next
    ``STMTTRN``, list end, statement end or the end of the file."""
    found, opened = [], None
    for match in _EDGES.finditer(text):
        tag = match.group(0).upper()
        if tag == "</STMTTRN>":
            opened = None
            continue
        if opened is not None:
            found.append((opened, match.start(), UNCLOSED))
            opened = None
        if tag == "<STMTTRN>":
            opened = match.start()
    if opened is not None:
        found.append((opened, len(text), CUT))
    return found


def _open(text: str, name: str) -> bool:
    opened = len(re.findall(rf"<{name}>", text, re.I))
    return opened > len(re.findall(rf"</{name}>", text, re.I))


def _drop_open_balances(text: str) -> tuple[str, list[str]]:
    """A cut file's text without a balance aggregate left open at its end."""
    dropped = []
    for name in _BALANCES:
        last = None
        for last in re.finditer(rf"<{name}>", text, re.I):  # noqa: B007 - the last one
            pass
        if last is not None and not re.search(rf"</{name}>", text[last.end():], re.I):
            text = text[:last.start()]
            dropped.append(name)
    return text, dropped


_STATEMENT = re.compile(r"<((?:CC)?STMTRS)>(.*?)</\1>", re.I | re.S)
_OPENING = re.compile(r"<STMTTRN>", re.I)


def transaction_lines(text: str) -> list[list[int]]:
    """Per statement, in ofxparse's order (every ``STMTRS``, then every ``CCSTMTRS``), the
    line of each of its ``STMTTRN``: what a reject names as its line."""
    found = []
    for match in _STATEMENT.finditer(text):
        start = match.start(2)
        base = text.count("\n", 0, start) + 1
        body = match.group(2)
        lines, position, line = [], 0, base
        for opening in _OPENING.finditer(body):
            line += body.count("\n", position, opening.start())
            position = opening.start()
            lines.append(line)
        found.append((match.group(1).upper() != "STMTRS", lines))
    return [lines for _, lines in sorted(found, key=lambda item: item[0])]
