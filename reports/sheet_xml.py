"""A table's cells as SpreadsheetML text, made a column at a time for the large sheets
(:mod:`reports.sheet_rows` lays them out as the worksheet's ``<row>`` elements).

openpyxl stays the workbook's writer: it writes the workbook, the styles, every sheet's
settings and header, and one *template row* per bulk table holding one cell of each style the
table needs (:func:`style_specs`). :mod:`reports.sheet_splice` then replaces that template
row with the rows made from these cells, using the style ids openpyxl gave the template
cells. Per cell this costs well under a microsecond of CPU, against about ten through
openpyxl's cell objects (``benchmarks/bench_writers.py``).

The cells read back exactly as :func:`reports.cell_values.column_cells` writes them: the same
values, number formats and quote prefixes (a test compares both, cell by cell). Amounts are
numbers in the row's currency format, dates are date serials with DATE_FORMAT, text is inline
text with XML's ``&``, ``<``, ``>`` escaped (and a quote prefix when a spreadsheet would run
it), booleans are booleans; a missing value is no cell at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from openpyxl.utils.datetime import to_excel

from reports import sheet_text
from reports.cell_values import DATE_FORMAT, MAX_TEXT, RATIO_FORMAT, money_format
from reports.columns import FORMULA_STARTS
from reports.sheet_text import concatenated, listed

CHUNK_ROWS = 20_000  # rows made at once: memory stays flat whatever the table's length
QUOTED = "quoted"  # the style spec of text that a spreadsheet would run as a formula
_EPOCH = np.datetime64("1899-12-30", "D")
_FIRST_SERIAL_DAY = dt.date(1900, 3, 1)  # before it, Excel's 1900 leap-year bug shifts serials
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
# openpyxl's ILLEGAL_CHARACTERS_RE as one character class (the same characters, searched
# several times faster)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# inferred types (skipna=False) that no missing value has: the kind of every value
_NEVER_MISSING = {"string": "text", "integer": "int", "boolean": "bool"}
_FORMULA_START = sheet_text.lookup(sheet_text.code_points(FORMULA_STARTS))
_TEXT_OPEN, _TEXT_CLOSE = ' t="inlineStr"><is><t>', "</t></is></c>"
# a column's values are numbered by object first when its first _SAMPLE rows hold fewer than
# _REPEATED distinct objects per row
_SAMPLE, _REPEATED = 2_000, 0.5


@dataclass(frozen=True)
class Cells:
    """One column's cells. A *whole* column (every row has a value) keeps each cell's text in
    parts, joined only into its row: ``before`` + ``text`` + ``after`` (each a ``str`` for
    every row or one per row) is the SpreadsheetML after the ``r`` and ``s`` attributes, and
    ``spec`` (a number format, QUOTED or ``None``; one for every row or one per row) names
    its style. Otherwise (``whole`` false) ``text`` holds each row's whole text, ``None``
    where the value is missing, and ``spec`` one style per row."""

    text: np.ndarray
    spec: object
    before: object = ""
    after: object = ""
    whole: bool = True


def column_cells_xml(values: np.ndarray, *, money: np.ndarray | str,
                     number_format: str | None) -> Cells:
    """What :func:`reports.cell_values.column_cells` writes for ``values``, as text;
    ``money``: the money format of each row's currency (:func:`money_formats`)."""
    never_missing = _NEVER_MISSING.get(pd.api.types.infer_dtype(values, skipna=False))
    if never_missing is not None:  # no None, NaN or NA among them: no pd.isna scan
        return _FORMATTERS[never_missing](values, money, number_format)
    missing = pd.isna(values)
    one = _one_kind(values)
    if one is not None and not missing.any():
        return _FORMATTERS[one](values, money, number_format)
    n = len(values)
    kinds = (np.full(n, one, dtype=object) if one is not None
             else np.array([_kind(v) for v in values.tolist()], dtype=object))
    kinds[missing] = "missing"
    text, spec = np.full(n, None, dtype=object), np.full(n, None, dtype=object)
    for kind in set(kinds.tolist()) - {"missing"}:
        at = np.flatnonzero(kinds == kind)
        formats = money[at] if isinstance(money, np.ndarray) else money
        cells = _FORMATTERS[kind](values[at], formats, number_format)
        text[at] = concatenated(*(listed(part, len(at)) for part in
                                  (cells.before, cells.text, cells.after)))
        spec[at] = cells.spec
    return Cells(text, spec, whole=False)


def style_specs(frame: pd.DataFrame, *, formats: Mapping[str, str],
                currency_column: str) -> list[str]:
    """Every style the table's cells may need (a superset, found without making a cell):
    the money format of each currency in ``currency_column``, the date, ratio and given
    formats, and QUOTED. They become the template row's cells."""
    codes = (pd.unique(frame[currency_column].dropna()).tolist()
             if currency_column in frame.columns else [])
    wanted = [money_format(None), *map(money_format, codes), DATE_FORMAT, RATIO_FORMAT,
              *formats.values(), QUOTED]
    return list(dict.fromkeys(wanted))


def table_chunks(frame: pd.DataFrame, *, formats: Mapping[str, str],
                 currency_column: str) -> Iterator[list[Cells]]:
    """The table's cells, CHUNK_ROWS rows at a time."""
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = frame.iloc[start:start + CHUNK_ROWS]
        money = money_formats(chunk[currency_column].to_numpy(dtype=object)
                              if currency_column in chunk.columns else None)
        yield [column_cells_xml(chunk.iloc[:, at].to_numpy(dtype=object), money=money,
                                number_format=formats.get(name))
               for at, name in enumerate(chunk.columns)]


def money_formats(currency: np.ndarray | None) -> np.ndarray | str:
    """The money format of each row's currency code, worked out once for every amount
    column of a chunk: one ``str`` when every row has the same (or there is no currency)."""
    if currency is None:
        return money_format(None)
    which, codes = pd.factorize(currency, use_na_sentinel=False)
    formats = [money_format(code) for code in codes.tolist()]
    return formats[0] if len(formats) == 1 else np.array(formats, dtype=object)[which]


def _one_kind(values: np.ndarray) -> str | None:
    """The kind of every present value, from the column's inferred type (``None``: mixed)."""
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    return {"string": "text", "empty": "text", "integer": "int", "boolean": "bool",
            "decimal": "decimal", "date": "date", "datetime": "date",
            "floating": "float"}.get(inferred)


def _kind(value: object) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, Decimal):
        return "decimal"
    if isinstance(value, int | np.integer):
        return "int"
    if isinstance(value, float | np.floating):
        return "float"
    return "other"


def _numbers(text: object, spec: object) -> Cells:
    return Cells(text, spec, ' t="n"><v>', "</v></c>")


def _decimals(values, money, number_format):  # noqa: ANN001, ANN202
    """Every digit of the amount (openpyxl goes through a float), without trailing zeros:
    a whole amount reads back as a whole number, as openpyxl writes it."""
    codes, distinct = _distinct(values)  # each distinct amount object once
    digits = list(map(str, distinct.tolist()))  # str's scientific notation redone below
    if "E" in "".join(digits):
        digits = [format(v, "f") if "E" in d else d
                  for v, d in zip(distinct.tolist(), digits, strict=True)]
    text = _taken(sheet_text.plain_numbers(digits).tolist(), codes)
    return _numbers(text, number_format if number_format is not None else money)


def _dates(values, money, number_format):  # noqa: ANN001, ANN202
    which, distinct = pd.factorize(values, use_na_sentinel=False)
    days = [v.date() if isinstance(v, dt.datetime) else v for v in distinct.tolist()]
    serial = (np.array(days, dtype="datetime64[D]") - _EPOCH).astype("int64").astype(str)
    text = serial.astype(object)
    early = np.flatnonzero(np.array(days, dtype="datetime64[D]") < np.datetime64(_FIRST_SERIAL_DAY))
    for at in early:  # before 1900-03-01: openpyxl's own conversion
        text[at] = str(to_excel(days[at]))
    return _numbers(text[which], number_format or DATE_FORMAT)


def _ints(values, money, number_format):  # noqa: ANN001, ANN202
    return _numbers(list(map(str, map(int, values.tolist()))), number_format)


def _floats(values, money, number_format):  # noqa: ANN001, ANN202
    text = [_plain_float(repr(float(v))) for v in values.tolist()]
    return _numbers(text, number_format or RATIO_FORMAT)


def _bools(values, money, number_format):  # noqa: ANN001, ANN202
    text = np.where(values.astype(bool), "1", "0").astype(object)
    return Cells(text, None, ' t="b"><v>', "</v></c>")


def _texts(values, money, number_format):  # noqa: ANN001, ANN202
    """Cleaned as openpyxl's cells are (control characters out, Excel's length limit), XML
    escaped; quoted where a spreadsheet would run it, space-preserving where it starts or
    ends with white space. The column's distinct texts are worked on as one joined string
    (:mod:`reports.sheet_text`), each once."""
    codes, distinct = _distinct(values, by_value=True)
    text = sheet_text.column_text(distinct.tolist(), formula_start=_FORMULA_START,
                                  max_text=MAX_TEXT, escapes=_ESCAPES, illegal=_ILLEGAL)
    spec = None
    if text.quoted.any():
        spec = np.where(text.quoted, QUOTED, None).astype(object)
        spec = spec if codes is None else spec[codes]
    if not (text.padded.any() or text.empty.any()):
        return Cells(_taken(text.body, codes), spec, _TEXT_OPEN, _TEXT_CLOSE)
    opening = np.full(len(distinct), _TEXT_OPEN, dtype=object)
    opening[text.padded] = ' t="inlineStr"><is><t xml:space="preserve">'
    closing = np.full(len(distinct), _TEXT_CLOSE, dtype=object)
    opening[text.empty], closing[text.empty] = ' t="inlineStr">', "</c>"  # no <is> at all
    cells = concatenated(opening.tolist(), text.body, closing.tolist())
    return Cells(_taken(cells, codes), spec)


def _distinct(values: np.ndarray, *, by_value: bool = False) -> tuple[np.ndarray | None,
                                                                      np.ndarray]:
    """(each value's number, the distinct values) when the first rows repeat themselves (a
    payer, a currency, a reason): numbered by identity, or ``by_value`` for texts (equal
    texts are written alike; equal amounts may not be: ``0`` and ``-0``). ``(None,
    values)`` when they do not repeat."""
    sample = values[:_SAMPLE].tolist()
    if len(set(sample) if by_value else set(map(id, sample))) > len(sample) * _REPEATED:
        return None, values
    if by_value:
        return pd.factorize(values)
    ids = np.fromiter(map(id, values.tolist()), dtype=np.intp, count=len(values))
    codes, _ = pd.factorize(ids)
    seen = np.maximum.accumulate(codes)  # numbered in order of first appearance
    first = np.flatnonzero(np.diff(seen, prepend=-1) > 0)
    return codes, values[first]


def _taken(parts: list[str], codes: np.ndarray | None) -> list[str]:
    """``parts`` (one per distinct value) for every row."""
    if codes is None:
        return parts
    return np.array(parts, dtype=object)[codes].tolist()


def _others(values, money, number_format):  # noqa: ANN001, ANN202
    return _texts(np.array([str(v) for v in values.tolist()], dtype=object), None, None)


def _plain(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


def _plain_float(number: str) -> str:
    """``1.0`` as ``1``, as openpyxl writes a whole float."""
    return number[:-2] if number.endswith(".0") else number


_FORMATTERS = {"text": _texts, "int": _ints, "bool": _bools, "decimal": _decimals,
               "date": _dates, "float": _floats, "other": _others}
