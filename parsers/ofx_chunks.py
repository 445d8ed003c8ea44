"""ofxparse fed in bounded pieces, so that OFX ingest time and memory grow linearly.

ofxparse 0.21 closes unclosed SGML leaf tags by looking each opening tag up in a *list* of
every closing tag of the document: time grows with the square of the file (20k transactions
take ~24 s, 50k ~111 s), and its BeautifulSoup tree of a whole big statement is large. So
a big file is handed to ofxparse as:

* the **skeleton**: the whole file without its ``STMTTRN`` blocks (header, sign-on, every
  statement's status, account, ``CURDEF``, balances): ofxparse finds the statements in it,
  and each statement's envelope is read from it;
* per statement, **pieces** of at most ``chunk_size`` consecutive ``STMTTRN`` blocks as
  written, wrapped in the file's own prologue up to ``<OFX>`` and the statement's tag
  (ofxparse's envelope searches are skipped there: a piece has no envelope to find).

Each piece also carries, in a comment, every tag name the whole file closes somewhere: that
list is what ofxparse uses to decide which tags to close, so a block is read exactly as in
one pass over the file. Rows come back per statement in file order; each piece's tree is
read into plain rows and dropped before the next. A file is cut only when that is
unambiguous (every ``STMTTRN`` closed and inside a ``STMTRS``/``CCSTMTRS``, no comments,
CDATA or investment statements, and more transactions than one piece); anything else, and
any piece ofxparse fails on, falls back to one ofxparse pass over the whole file.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import ofxparse

from parsers.ofx_values import Envelope, Row, Unreadable, envelope, has_content, read_row
from pipeline.record_frames import collect_young

CHUNK_TRANSACTIONS = 200  # STMTTRN per piece: flat from 50 to 400 here, slower above
STATEMENT_TAGS = ("stmtrs", "ccstmtrs")
_UNSAFE = re.compile(r"<!--|<!\[CDATA\[|<INVSTMTRS>", re.I)
_ROOT = re.compile(r"<OFX>", re.I)
_END = re.compile(r"</OFX>", re.I)
_STATEMENT = re.compile(r"<(/?)((?:CC)?STMTRS)>", re.I)
_TRANSACTION = re.compile(r"<(/?)STMTTRN>", re.I)
_SPACE = re.compile(r"\s*")
_CLOSING = re.compile(r"</([a-z0-9_.]+)>", re.I)  # ofxparse's own closing-tag pattern
_ENVELOPE_TAGS = re.compile(r"<(?:CURDEF|BANKACCTFROM|CCACCTFROM|LEDGERBAL)>", re.I)
# What ofxparse's whole-tree searches look for besides the statements: a piece holding none
# of these (nor a second statement tag) is read without them (:func:`_piece_elements`).
_SEARCHED = re.compile(r"<(?:SONRS|STMTTRNRS|CCSTMTTRNRS|INVSTMTRS|ACCTINFORS|SECLIST|FI)"
                       r"[\s/>]", re.I)


@dataclass
class Statement:
    """One bank or card statement as read: envelope, rows in file order, and how many of
    its ``STMTTRN`` elements had content (the truncation check compares that count)."""

    name: str  # "stmtrs" or "ccstmtrs"
    envelope: Envelope
    rows: list[Row | Unreadable] = field(default_factory=list)
    read: int = 0


class _ElementKeepingOfxParser(ofxparse.OfxParser):
    """ofxparse's own parser, but each statement keeps its element and each ``STMTTRN`` stays
    the element itself, so that values can be read as written."""

    @classmethod
    def parseTransaction(cls, txn_ofx):  # ofxparse's hook name
        return txn_ofx

    @classmethod
    def parseStatement(cls, stmt_ofx):  # ofxparse's hook name
        statement = super().parseStatement(stmt_ofx)
        statement.element = stmt_ofx
        return statement


class _PieceOfxParser(_ElementKeepingOfxParser):
    """For a piece, whose statement tag holds nothing but ``STMTTRN`` blocks: ofxparse's
    envelope searches (account, dates, CURDEF, balances) would each scan the whole piece to
    find nothing, so a statement here is only its element and its ``STMTTRN`` elements."""

    @classmethod
    def parseStmtrs(cls, stmtrs_list, accountType):  # ofxparse's hook name
        accounts = []
        for stmtrs_ofx in stmtrs_list:
            account, statement = ofxparse.Account(), ofxparse.ofxparse.Statement()
            account.type, account.statement = accountType, statement
            statement.element = stmtrs_ofx
            statement.transactions = stmtrs_ofx.find_all("stmttrn")
            accounts.append(account)
        return accounts


def run_ofxparse(body: str, piece: bool = False) -> list:
    """ofxparse's statements (``STMTRS`` then ``CCSTMTRS``, as ofxparse orders them) of an
    OFX body (the text from its first ``<``). Raises whatever ofxparse raises."""
    payload = b"ENCODING:UTF-8\n\n" + body.encode("utf-8")
    parser = _PieceOfxParser if piece else _ElementKeepingOfxParser
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4's findAll and XMLParsedAsHTML warnings
        ofx = parser.parse(io.BytesIO(payload), fail_fast=False)
    return [a.statement for a in ofx.accounts
            if getattr(a.statement, "element", None) is not None
            and a.statement.element.name in STATEMENT_TAGS]


def read_statements(body: str, chunk_size: int = CHUNK_TRANSACTIONS) -> list[Statement]:
    """Every statement of ``body``, in pieces when the file allows (module docstring)."""
    plan = _Plan.of(body, chunk_size)
    if plan is not None:
        try:
            found = plan.read()
        except Exception:  # a piece ofxparse cannot read: let one whole pass decide
            found = None
        if found is not None:
            return found
    return [_read(statement.element, statement.transactions, statement.element.name)
            for statement in run_ofxparse(body)]


def _read(element, transactions, name: str, into: Statement | None = None) -> Statement:
    """Rows of ``transactions`` appended to ``into`` (a new statement of ``element``)."""
    statement = into or Statement(name, envelope(element))
    curdef = statement.envelope.curdef
    for el in transactions:
        statement.rows.append(read_row(el, curdef))
        statement.read += has_content(el)
    return statement


@dataclass(frozen=True)
class _Plan:
    """Where a body is cut: per statement (in file order) its tag and ``STMTTRN`` spans."""

    body: str
    chunk_size: int
    head: str  # the body up to and including <OFX>
    hint: str  # <!-- every closing tag of the file -->
    statements: list[tuple[str, list[tuple[int, int]]]]

    @classmethod
    def of(cls, body: str, chunk_size: int) -> _Plan | None:
        root = _ROOT.search(body)
        if root is None or _UNSAFE.search(body) or not _END.search(body):
            return None
        spans, blocks = _statement_spans(body), _blocks(body)
        if spans is None or blocks is None or len(blocks) <= chunk_size:
            return None
        owned = _owned(spans, blocks)
        if owned is None:
            return None
        closing = dict.fromkeys(m.group(1).upper() for m in _CLOSING.finditer(body))
        hint = "<!--" + "".join(f"</{name}>" for name in closing) + "-->"
        plan = cls(body, chunk_size, body[:root.end()], hint,
                   [(name, mine) for (name, _, _), mine in zip(spans, owned, strict=True)])
        return plan if plan._envelopes_outside_transactions() else None

    @cached_property
    def skeleton(self) -> str:
        """The body without any ``STMTTRN`` block, the hint in front."""
        parts, position = [self.hint], 0
        for _, blocks in self.statements:
            for start, end in blocks:
                parts.append(self.body[position:start])
                position = end
        parts.append(self.body[position:])
        return "".join(parts)

    def _envelopes_outside_transactions(self) -> bool:
        """Envelope searches give the same element on the skeleton as on the whole body."""
        return len(_ENVELOPE_TAGS.findall(self.skeleton)) == \
            len(_ENVELOPE_TAGS.findall(self.body))

    def pieces(self, name: str, blocks: list[tuple[int, int]]) -> Iterator[str]:
        """At most ``chunk_size`` blocks each, inside the prologue and the statement tag."""
        for first in range(0, len(blocks), self.chunk_size):
            batch = blocks[first:first + self.chunk_size]
            text = "".join(self.body[start:end] for start, end in batch)
            yield f"{self.hint}{self.head}<{name}>{text}</{name}></OFX>"

    def read(self) -> list[Statement] | None:
        """The statements, or ``None`` when ofxparse sees other statements than the cut."""
        skeleton = run_ofxparse(self.skeleton)
        order = sorted(range(len(self.statements)),  # ofxparse: all STMTRS, then CCSTMTRS
                       key=lambda n: (self.statements[n][0] != "STMTRS", n))
        if [s.element.name for s in skeleton] != [self.statements[n][0].lower() for n in order]:
            return None
        found = []
        for number, parsed in zip(order, skeleton, strict=True):
            name, blocks = self.statements[number]
            statement = Statement(parsed.element.name, envelope(parsed.element))
            for piece in self.pieces(name, blocks):
                _read(*_piece_elements(piece), name, statement)
                collect_young()  # the piece's tree (cycles): freed before the next piece
            found.append(statement)
        return found


def _piece_elements(piece: str) -> tuple:
    """A piece's statement element and its ``STMTTRN`` elements, from ofxparse's own
    preprocessing and BeautifulSoup tree; ofxparse's searches of the whole tree for the
    sign-on, statement responses, investment and account lists and the institution are
    skipped when the piece names none of them (they could only find nothing), else
    ofxparse reads the piece. Raises whatever ofxparse raises."""
    if _SEARCHED.search(piece) or len(_STATEMENT.findall(piece)) != 2:
        (inside,) = run_ofxparse(piece, piece=True)
        return inside.element, inside.transactions
    payload = b"ENCODING:UTF-8\n\n" + piece.encode("utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4's XMLParsedAsHTML warning
        tree = ofxparse.ofxparse.soup_maker(
            ofxparse.ofxparse.OfxPreprocessedFile(io.BytesIO(payload)).fh)
    if tree.find("ofx") is None:
        raise ofxparse.OfxParserException("The ofx file is empty!")
    element = tree.find(list(STATEMENT_TAGS))
    return element, element.find_all("stmttrn")


def _statement_spans(body: str) -> list[tuple[str, int, int]] | None:
    """(tag, start, end) of each ``STMTRS``/``CCSTMTRS``; ``None`` unless properly paired."""
    spans, opened = [], None
    for match in _STATEMENT.finditer(body):
        closing, name = match.group(1), match.group(2).upper()
        if not closing and opened is None:
            opened = (name, match.start())
        elif closing and opened is not None and opened[0] == name:
            spans.append((name, opened[1], match.end()))
            opened = None
        else:
            return None
    return spans if opened is None else None


def _blocks(body: str) -> list[tuple[int, int]] | None:
    """(start, end) of each ``<STMTTRN>...</STMTTRN>`` with the blank that follows it;
    ``None`` when one is unclosed or nested."""
    blocks, opened = [], None
    for match in _TRANSACTION.finditer(body):
        if not match.group(1) and opened is None:
            opened = match.start()
        elif match.group(1) and opened is not None:
            blocks.append((opened, _SPACE.match(body, match.end()).end()))
            opened = None
        else:
            return None
    return blocks if opened is None else None


def _owned(spans: list[tuple[str, int, int]],
           blocks: list[tuple[int, int]]) -> list[list[tuple[int, int]]] | None:
    """The blocks of each statement; ``None`` when a block lies outside every statement."""
    owned: list[list[tuple[int, int]]] = [[] for _ in spans]
    number = 0
    for start, end in blocks:
        while number < len(spans) and spans[number][2] <= start:
            number += 1
        if number == len(spans) or not spans[number][1] < start < end <= spans[number][2]:
            return None
        owned[number].append((start, end))
    return owned
