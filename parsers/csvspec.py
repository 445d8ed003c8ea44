"""Declarative CSV columns: a format is a list of :class:`Column` (header names, converter,
required or not), not hand-written parsing.

Reading keeps 1-based *physical* line numbers (the header is line 1 unless preamble lines
precede it; a quoted field spanning lines advances the count), as the exports promise.
Converters raise ``ValueError`` (``AmountError`` and ``CurrencyError`` are ones) whose
message becomes the reject reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from itertools import compress
from typing import NamedTuple

from parsers import textcodec
from parsers.amount_columns import read_amounts
from parsers.csvframe import RowChunk, converted_rows, date_parts, record_chunks
from parsers.limits import MAX_LINE_CHARS
from pipeline.money import DecimalSeparator, normalize_currency, parse_amount

Converter = Callable[[str], object]
DELIMITERS = (",", ";", "\t")
SNIFF_CHARS = 64 * 1024


def text(value: str) -> str:
    return value


def iso_date(value: str) -> dt.date:
    """``2026-11-05`` (a time part after ``T`` or a space is ignored)."""
    try:
        return dt.date.fromisoformat(re.split(r"[T ]", value, maxsplit=1)[0])
    except ValueError:
        raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


iso_date.many = partial(date_parts, iso_date)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class amount:  # noqa: N801 - used as a converter function, ``amount(".")``
    """Amount text with the source's decimal separator (``None``: ambiguity is an error);
    :meth:`many` reads a column of them (:mod:`parsers.amount_columns`)."""

    separator: DecimalSeparator | None

    def __call__(self, value: str) -> Decimal:
        return parse_amount(value, self.separator)

    def many(self, texts):  # noqa: ANN001, ANN201 - pandas Series in and out
        return read_amounts(texts, self.separator, self)


def currency(value: str) -> str:
    return normalize_currency(value)


def boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "y", "ya"}:
        return True
    if lowered in {"0", "false", "no", "n", "tidak"}:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


@dataclass(frozen=True)
class Column:
    """One column: the field it fills, the header texts that name it, how to read it.

    ``required``: an empty value rejects the row. ``optional``: the column may be missing
    from the header. An empty or missing value gives ``empty``."""

    name: str
    convert: Converter = text
    required: bool = True
    optional: bool = False
    aliases: tuple[str, ...] = ()
    empty: object = None

    def names(self) -> tuple[str, ...]:
        return tuple(normalise_header(n) for n in (self.name, *self.aliases))


class CsvRecord(NamedTuple):
    """One CSV record: where it starts, its cells and its physical text (a named tuple:
    a file of them is built fast, and it is as immutable as a frozen dataclass)."""

    line: int
    cells: list[str]
    raw: str

    @property
    def blank(self) -> bool:
        return not "".join(self.cells).strip()  # no cell with a non-space character


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_header(value: str) -> str:
    """``' No. Referensi '`` -> ``'no referensi'``: case, punctuation and spacing ignored;
    German umlauts are spelled out (``Währung`` -> ``waehrung``, as banks also write it)."""
    return " ".join(_NOT_ALNUM.sub(" ", value.lower().translate(_UMLAUTS)).split())


def resolve(columns: Sequence[Column], header: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Column name -> index in ``header`` (first alias found wins), and the missing columns."""
    cells = [normalise_header(cell) for cell in header]
    index: dict[str, int] = {}
    for column in columns:
        found = next((cells.index(n) for n in column.names() if n in cells), None)
        if found is not None:
            index[column.name] = found
    missing = [c.name for c in columns if c.name not in index and not c.optional]
    return index, missing


def convert(columns: Sequence[Column], index: dict[str, int],
            cells: Sequence[str]) -> dict[str, object] | str:
    """The row's values by column name, or the reason(s) it is rejected."""
    values: dict[str, object] = {}
    problems = []
    for column in columns:
        position = index.get(column.name)
        raw = cells[position].strip() if position is not None and position < len(cells) else ""
        if not raw:
            if column.required:
                problems.append(f"{column.name}: empty")
            values[column.name] = column.empty
            continue
        try:
            values[column.name] = column.convert(raw)
        except ValueError as exc:
            problems.append(f"{column.name}: {exc}")
    return "; ".join(problems) if problems else values


def records(content: str, delimiter: str) -> Iterator[CsvRecord]:
    """Every CSV record with its first physical line (1-based). Raises ``csv.Error``."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in physical_lines(content):
            consumed.append(line)
            yield line

    line = 1
    for cells in csv.reader(lines(), delimiter=delimiter):
        raw = "".join(consumed).rstrip("\r\n")
        yield CsvRecord(line=line, cells=cells, raw=raw)
        line += len(consumed)
        consumed.clear()


_RECORD = partial(tuple.__new__, CsvRecord)  # CsvRecord._make without a Python call per row


def all_records(content: str, delimiter: str, blank: bool = True) -> list[CsvRecord]:
    """Every record of :func:`records`, read a chunk of lines at a time (``blank=False``: but
    the blank ones). Raises ``csv.Error``."""
    found: list[CsvRecord] = []
    for chunk in record_chunks(content, delimiter):
        made = map(_RECORD, zip(chunk.lines, chunk.cells, chunk.raws, strict=True))
        found += made if blank else compress(made, map(str.strip, map("".join, chunk.cells)))
    return found


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def physical_lines(content: str) -> Iterator[str]:
    """The lines of ``content`` with their endings, as ``io.StringIO(newline="")`` gives
    them, one at a time (a StringIO would hold four bytes per character of the file)."""
    for match in _LINE.finditer(content):
        yield match.group()


def sniff_delimiter(header_line: str) -> str:
    """The delimiter among ``, ; TAB`` that splits the header line into the most cells."""
    counts = {d: len(next(csv.reader([header_line], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def decode(data: bytes) -> str:
    """The file's text (BOM, else UTF-8, else the detected code page: see
    :mod:`parsers.textcodec`)."""
    return textcodec.decode(data).text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def text_problem(content: str) -> str | None:
    """Why decoded ``content`` is not text a CSV reader should see, or ``None``: NUL bytes
    (UTF-16 without a byte-order mark, a binary file) or many other control characters."""
    if "\x00" in content:
        return ("not a text file: it contains NUL bytes (UTF-16 without a byte-order mark, "
                "or a binary file); export the statement as CSV in UTF-8 or Windows-1252")
    sample = content[:SNIFF_CHARS]
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 100):
        return (f"not a text file: {controls} control characters in the first "
                f"{len(sample)} characters (binary content or a wrong encoding)")
    return None


def first_line(content: str) -> str:
    return content.splitlines()[0] if content else ""


# The reader must get past a long field to find where its record ends; the record is then
# a reject (:func:`too_long`), never a reason to refuse the whole file.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


def too_long(record: CsvRecord) -> bool:
    """A data record longer than :data:`parsers.limits.MAX_LINE_CHARS` (never the first)."""
    return record.line > 1 and len(record.raw) > MAX_LINE_CHARS


def long_reason(record: CsvRecord) -> str:
    return (f"row of {len(record.raw)} characters is longer than the {MAX_LINE_CHARS} a row "
            "may have; it is not read")


@dataclass(frozen=True)
class CsvRows:
    """The non-blank data records of a CSV text, read lazily on each pass (a file of junk
    costs only the rows a parser looks at); the cut last record, if any, is left out."""

    content: str
    delimiter: str
    skip: frozenset[int] = frozenset()  # the lines of the cut last record and too long ones

    def __iter__(self) -> Iterator[CsvRecord]:
        body = records(self.content, self.delimiter)
        next(body, None)  # the header
        return (r for r in body if not r.blank and r.line not in self.skip)

    def converted(self, columns: Sequence[Column], index: dict[str, int]) -> Iterator[tuple]:
        """Per row: line, physical text, cells, and values or reject reason (as
        :func:`convert`), read and converted a chunk at a time (:mod:`parsers.csvframe`)."""
        return converted_rows(columns, index, self.content, self.delimiter, self.skip)


@dataclass(frozen=True)
class CsvTable:
    """A CSV file read against its column declarations: the header, where each declared
    column is, and the non-blank data records."""

    header: CsvRecord
    index: dict[str, int]
    rows: Iterable[CsvRecord]
    cut: CsvRecord | None = None  # a last record with fewer fields than the header
    long: tuple[CsvRecord, ...] = ()  # records too long to be read (rejects)

    @property
    def truncated(self) -> str | None:
        """Why the file looks cut short (its last record lacks fields), or ``None``."""
        if self.cut is None:
            return None
        return (f"truncated: the last row (line {self.cut.line}) has {len(self.cut.cells)} of "
                f"the header's {len(self.header.cells)} fields; the file was cut short")


def read_table(data: bytes, columns: Sequence[Column], what: str) -> CsvTable | str:
    """Decode, sniff the delimiter, check every record reads (one pass, nothing kept) and
    resolve ``columns`` against the first one; or the reason the file is refused (``what``
    names the expected format). The data rows are read again, lazily, by whoever iterates."""
    content = decode(data)
    delimiter = sniff_delimiter(first_line(content))
    try:
        header = next(records(content, delimiter), None)
        last, long = _last_and_long(content, delimiter)
    except csv.Error as exc:
        return f"unreadable CSV: {exc}"
    if header is None:
        return "empty file: no header row"
    index, missing = resolve(columns, header.cells)
    if missing:
        return f"not {what}: header lacks {', '.join(missing)}"
    cut = last if last and last.line > 1 and len(last.cells) < len(header.cells) else None
    skip = frozenset([r.line for r in long] + ([cut.line] if cut else []))
    return CsvTable(header, index, CsvRows(content, delimiter, skip), cut, long)


def _last_and_long(content: str, delimiter: str) -> tuple[CsvRecord | None, tuple]:
    """The last non-blank record and the records too long to read, in one pass a chunk at
    a time (nothing else kept). Raises ``csv.Error`` for a text the reader cannot read
    anywhere."""
    last, long = None, []
    for chunk in record_chunks(content, delimiter):
        last = last_record(chunk) or last
        long += long_records(chunk)
    return last, tuple(long)


def last_record(chunk: RowChunk) -> CsvRecord | None:
    """The chunk's last record with a non-blank cell, or None."""
    for i in reversed(range(len(chunk))):
        if any(cell.strip() for cell in chunk.cells[i]):
            return CsvRecord(chunk.lines[i], chunk.cells[i], chunk.raws[i])
    return None


def long_records(chunk: RowChunk) -> list[CsvRecord]:
    """The chunk's data records too long to read (rejects)."""
    return [CsvRecord(chunk.lines[i], chunk.cells[i], raw) for i, raw in enumerate(chunk.raws)
            if chunk.lines[i] > 1 and len(raw) > MAX_LINE_CHARS]


def truncation(table: CsvTable, reject: Callable[..., object]) -> tuple[list, list[str]]:
    """The rejects of a file cut short and of its rows too long to read, and the cut's
    warning (none when it is whole): ``reject``
    is :meth:`parsers.base.SourceFile.reject` bound to the format."""
    long = [reject(long_reason(r), r.line, None, r.raw) for r in table.long]
    reason = table.truncated
    if reason is None or table.cut is None:
        return long, []
    return [*long, reject(reason, table.cut.line, None, table.cut.raw)], [reason]
