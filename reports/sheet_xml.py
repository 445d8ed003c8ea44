"""A table's rows as SpreadsheetML (the ``<row>`` elements of a worksheet), written a column
at a time for the large sheets.

openpyxl stays the workbook's writer: it writes the workbook, the styles, every sheet's
settings and header, and one *template row* per bulk table holding one cell of each style the
table needs (:func:`style_specs`). :mod:`reports.sheet_splice` then replaces that template
row with the rows made here, using the style ids openpyxl gave the template cells. Per cell
this costs well under a microsecond of CPU, against about ten through openpyxl's cell
objects (``benchmarks/bench_writers.py``).

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
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from reports import sheet_text
from reports.cell_values import DATE_FORMAT, MAX_TEXT, RATIO_FORMAT, money_format
from reports.columns import FORMULA_STARTS
from reports.sheet_text import concatenated

CHUNK_ROWS = 20_000  # rows made at once: memory stays flat whatever the table's length
QUOTED = "quoted"  # the style spec of text that a spreadsheet would run as a formula
_EPOCH = np.datetime64("1899-12-30", "D")
_FIRST_SERIAL_DAY = dt.date(1900, 3, 1)  # before it, Excel's 1900 leap-year bug shifts serials
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
_ILLEGAL = re.compile(ILLEGAL_CHARACTERS_RE.pattern)
_FORMULA_START = sheet_text.code_points(FORMULA_STARTS)


@dataclass(frozen=True)
class Cells:
    """One column's cells: ``text`` (SpreadsheetML after the ``r`` attribute) and ``spec``
    (the style each needs: a number format, QUOTED, or ``None``) per row; ``None`` text
    where the value is missing."""

    text: np.ndarray
    spec: np.ndarray


def column_cells_xml(values: np.ndarray, *, currency: np.ndarray | None,
                     number_format: str | None) -> Cells:
    """What :func:`reports.cell_values.column_cells` writes for ``values``, as text."""
    n = len(values)
    text, spec = np.full(n, None, dtype=object), np.full(n, None, dtype=object)
    kinds = _kinds(values)
    for kind in set(kinds.tolist()) - {"missing"}:
        at = np.flatnonzero(kinds == kind)
        codes = currency[at] if currency is not None else None
        text[at], spec[at] = _FORMATTERS[kind](values[at], codes, number_format)
    return Cells(text, spec)


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


def rows_xml(columns: list[Cells], style_ids: Mapping[str, int], first_row: int) -> str:
    """The ``<row>`` elements of ``columns`` (one :class:`Cells` each), numbered from
    ``first_row``; a cell's style id is ``style_ids[spec]``."""
    n = len(columns[0].text) if columns else 0
    numbers = np.array(list(map(str, range(first_row, first_row + n))), dtype=object)
    styles = {spec: f' s="{sid}"' for spec, sid in style_ids.items()}
    cells = [_cells_text(column, f'<c r="{get_column_letter(at + 1)}', numbers, styles)
             for at, column in enumerate(columns)]
    return "".join(concatenated('<row r="', numbers, '">', *cells, "</row>"))


def _cells_text(cells: Cells, head: str, numbers: np.ndarray,
                styles: Mapping[str, str]) -> list[str]:
    """Each row's ``<c>`` element of one column (``''`` where the value is missing)."""
    present = np.flatnonzero(cells.text != None)  # noqa: E711 - elementwise
    codes, specs = pd.factorize(cells.spec[present], use_na_sentinel=False)
    style = np.array([styles.get(spec, "") for spec in specs.tolist()] + [""],
                     dtype=object)[codes]
    if len(present) == len(numbers):
        return concatenated(head, numbers.tolist(), '"', style.tolist(), cells.text.tolist())
    column = np.full(len(numbers), "", dtype=object)
    column[present] = concatenated(head, numbers[present].tolist(), '"', style.tolist(),
                                   cells.text[present].tolist())
    return column.tolist()


def table_chunks(frame: pd.DataFrame, *, formats: Mapping[str, str],
                 currency_column: str) -> Iterator[list[Cells]]:
    """The table's cells, CHUNK_ROWS rows at a time."""
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = frame.iloc[start:start + CHUNK_ROWS]
        currency = (chunk[currency_column].to_numpy(dtype=object)
                    if currency_column in chunk.columns else None)
        yield [column_cells_xml(chunk.iloc[:, at].to_numpy(dtype=object), currency=currency,
                                number_format=formats.get(name))
               for at, name in enumerate(chunk.columns)]


def _kinds(values: np.ndarray) -> np.ndarray:
    """Each value's kind, from the column's inferred type when it holds one kind."""
    missing = pd.isna(values)
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    one = {"string": "text", "empty": "text", "integer": "int", "boolean": "bool",
           "decimal": "decimal", "date": "date", "datetime": "date",
           "floating": "float"}.get(inferred)
    if one is not None:
        kinds = np.full(len(values), one, dtype=object)
    else:
        kinds = np.array([_kind(v) for v in values.tolist()], dtype=object)
    kinds[missing] = "missing"
    return kinds


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


def _specs(n: int, spec: str | None) -> np.ndarray:
    return np.full(n, spec, dtype=object)


def _numbers(text: np.ndarray) -> np.ndarray:
    return ' t="n"><v>' + text + "</v></c>"


def _decimals(values, currency, number_format):  # noqa: ANN001, ANN202
    """Every digit of the amount (openpyxl goes through a float), without trailing zeros:
    a whole amount reads back as a whole number, as openpyxl writes it."""
    digits = list(map(str, values.tolist()))  # str's scientific notation redone below
    if any("E" in number for number in digits):
        digits = [format(v, "f") if "E" in d else d
                  for v, d in zip(values.tolist(), digits, strict=True)]
    text = sheet_text.plain_numbers(digits)
    if number_format is not None:
        return _numbers(text), _specs(len(values), number_format)
    codes = currency if currency is not None else np.full(len(values), None, dtype=object)
    which, names = pd.factorize(codes, use_na_sentinel=False)
    formats = np.array([money_format(code) for code in names.tolist()], dtype=object)
    return _numbers(text), formats[which]


def _dates(values, currency, number_format):  # noqa: ANN001, ANN202
    which, distinct = pd.factorize(values, use_na_sentinel=False)
    days = [v.date() if isinstance(v, dt.datetime) else v for v in distinct.tolist()]
    serial = (np.array(days, dtype="datetime64[D]") - _EPOCH).astype("int64").astype(str)
    text = serial.astype(object)
    early = np.flatnonzero(np.array(days, dtype="datetime64[D]") < np.datetime64(_FIRST_SERIAL_DAY))
    for at in early:  # before 1900-03-01: openpyxl's own conversion
        text[at] = str(to_excel(days[at]))
    return _numbers(text)[which], _specs(len(values), number_format or DATE_FORMAT)


def _ints(values, currency, number_format):  # noqa: ANN001, ANN202
    text = np.array(list(map(str, map(int, values.tolist()))), dtype=object)
    return _numbers(text), _specs(len(values), number_format)


def _floats(values, currency, number_format):  # noqa: ANN001, ANN202
    text = np.array([_plain_float(repr(float(v))) for v in values.tolist()], dtype=object)
    return _numbers(text), _specs(len(values), number_format or RATIO_FORMAT)


def _bools(values, currency, number_format):  # noqa: ANN001, ANN202
    text = np.where(values.astype(bool), ' t="b"><v>1</v></c>', ' t="b"><v>0</v></c>')
    return text.astype(object), _specs(len(values), None)


def _texts(values, currency, number_format):  # noqa: ANN001, ANN202
    """Cleaned as openpyxl's cells are (control characters out, Excel's length limit), XML
    escaped; quoted where a spreadsheet would run it, space-preserving where it starts or
    ends with white space. The column is worked on as one joined string
    (:mod:`reports.sheet_text`)."""
    texts = list(map(str, values.tolist()))
    if _ILLEGAL.search("".join(texts)):
        texts = [_ILLEGAL.sub("", t) for t in texts]
    at = sheet_text.starts(texts)
    if int(np.diff(at).max(initial=1)) - 1 > MAX_TEXT:
        texts = [t[:MAX_TEXT] for t in texts]
        at = sheet_text.starts(texts)
    whole = sheet_text.joined(texts)
    first, last = sheet_text.ends(whole, at)  # before escaping
    quoted = np.isin(first, _FORMULA_START)
    padded = np.isin(first, sheet_text.WHITE_SPACE) | np.isin(last, sheet_text.WHITE_SPACE)
    for char, entity in _ESCAPES:
        whole = whole.replace(char, entity)
    body = sheet_text.split(whole)
    opening = np.full(len(texts), ' t="inlineStr"><is><t>', dtype=object)
    opening[padded] = ' t="inlineStr"><is><t xml:space="preserve">'
    text = np.array(sheet_text.concatenated(opening, body, "</t></is></c>"), dtype=object)
    text[at[1:] - at[:-1] == 1] = ' t="inlineStr"></c>'  # empty texts
    spec = _specs(len(texts), None)
    spec[quoted] = QUOTED
    return text, spec


def _others(values, currency, number_format):  # noqa: ANN001, ANN202
    return _texts(np.array([str(v) for v in values.tolist()], dtype=object), None, None)


def _plain(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


def _plain_float(number: str) -> str:
    """``1.0`` as ``1``, as openpyxl writes a whole float."""
    return number[:-2] if number.endswith(".0") else number


def _escape(text: str) -> str:
    for char, entity in _ESCAPES:
        if char in text:
            text = text.replace(char, entity)
    return text


_FORMATTERS = {"text": _texts, "int": _ints, "bool": _bools, "decimal": _decimals,
               "date": _dates, "float": _floats, "other": _others}
