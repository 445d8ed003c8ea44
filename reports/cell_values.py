"""Typed cell values for the workbooks (openpyxl write-only mode), prepared a whole column at
a time.

``Decimal`` amounts are numbers with the row's currency format, dates are dates, text is text.
**Text from inputs never becomes a formula**: a string starting with ``=``, ``+``, ``-``,
``@``, tab or CR is stored as a literal string with Excel's quote prefix. Only the cells that
need a style (an amount, a date, such a string) become ``WriteOnlyCell`` objects; everything
else is handed to openpyxl as the plain value it is, which it writes fastest.
"""

from __future__ import annotations

import datetime as dt
import functools
import numbers
from collections.abc import Iterator, Mapping
from decimal import Decimal

import numpy as np
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from pipeline.money import CurrencyError, exponent
from reports.columns import FORMULA_STARTS

DATE_FORMAT = "yyyy-mm-dd_)"  # _) : a space before the next column's text
PERCENT_FORMAT = "0.0%"
RATIO_FORMAT = "0.00"
COUNT_FORMAT = "#,##0_)"  # whole numbers: grouped, a space before the next column's text
MAX_TEXT = 32_767  # Excel's limit for one cell
CHUNK_ROWS = 20_000  # rows whose cells are prepared at once


@functools.lru_cache(maxsize=256)
def money_format(currency: object) -> str:
    """``#,##0.00 "USD"``: grouping, the currency's decimals, and its code."""
    if currency is None or currency != currency:  # missing or NaN: no code to show
        return "#,##0.00_)"
    try:
        code = str(currency)
        digits = exponent(code)
    except CurrencyError:
        return "#,##0.00_)"
    decimals = "." + "0" * digits if digits else ""
    return f'#,##0{decimals} "{code}"_)'


def text_cell(ws: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """A literal string cell, whatever it starts with (never a formula)."""
    text = _clean(text)
    cell = WriteOnlyCell(ws, value=text)
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def value_cell(ws: WriteOnlyWorksheet, value: object, *, currency: object = None,
               number_format: str | None = None) -> object:
    """A typed cell: Decimal -> number in ``currency``'s format, date -> date, float ->
    number (``number_format`` or 0.00), text -> literal text; ``None``/NaN -> empty.

    Values that need no style (harmless text, ints, bools) are returned as they are, which
    openpyxl writes fastest; anything else is a ``WriteOnlyCell``.
    """
    if isinstance(value, str):
        text = _clean(value)
        return text_cell(ws, text) if text.startswith(FORMULA_STARTS) else text
    if value is None or pd.isna(value):
        return None
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value.date() if isinstance(value, dt.datetime) else value)
        cell.number_format = number_format or DATE_FORMAT
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = number_format or money_format(currency)
        return cell
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        if number_format is None:
            return int(value)
        cell = WriteOnlyCell(ws, value=int(value))
        cell.number_format = number_format
        return cell
    if isinstance(value, numbers.Real):
        cell = WriteOnlyCell(ws, value=value)  # a ratio such as confidence, never money
        cell.number_format = number_format or RATIO_FORMAT
        return cell
    return text_cell(ws, str(value))


def _clean(text: str) -> str:
    """Without the control characters Excel refuses, cut to Excel's cell limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_TEXT]


def frame_rows(ws: WriteOnlyWorksheet, frame: pd.DataFrame, *, currency_column: str = "currency",
               formats: Mapping[str, str] | None = None) -> Iterator[tuple]:
    """Typed cells for each row of ``frame``, prepared column by column (:func:`column_cells`)
    in chunks of CHUNK_ROWS rows, so memory stays flat; amounts take the row's
    ``currency_column``."""
    formats = formats or {}
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = frame.iloc[start:start + CHUNK_ROWS]
        currency = chunk[currency_column] if currency_column in chunk.columns else None
        columns = [column_cells(ws, chunk.iloc[:, at], currency=currency,
                                number_format=formats.get(name))
                   for at, name in enumerate(chunk.columns)]
        if columns:
            yield from zip(*columns, strict=True)


def column_cells(ws: WriteOnlyWorksheet, column: pd.Series, *, currency: pd.Series | None = None,
                 number_format: str | None = None) -> list:
    """What :func:`value_cell` gives each value of ``column``, worked out for the whole column
    by its kind of values (``pandas.api.types.infer_dtype``); a column mixing kinds goes value
    by value."""
    values = column.to_numpy(dtype=object)
    kind = pd.api.types.infer_dtype(values, skipna=True)
    missing = pd.isna(values)
    if kind in ("string", "empty"):
        return _text_cells(ws, values, missing)
    if kind == "integer" and number_format is None:
        return [None if m else int(v) for v, m in zip(values, missing, strict=True)]
    if kind == "boolean":
        return [None if m else bool(v) for v, m in zip(values, missing, strict=True)]
    if kind in ("decimal", "date", "integer"):
        formats = _formats(len(values), kind, currency, number_format)
        return [None if m else _styled(ws, v, f)
                for v, m, f in zip(values, missing, formats, strict=True)]
    codes = [None] * len(values) if currency is None else currency.to_numpy(dtype=object)
    return [value_cell(ws, v, currency=c, number_format=number_format)
            for v, c in zip(values, codes, strict=True)]


def _text_cells(ws: WriteOnlyWorksheet, values: np.ndarray, missing: np.ndarray) -> list:
    """Text as it is, cleaned in bulk; only the strings a spreadsheet would run become
    quoted cells."""
    text = pd.Series(values, dtype=object)
    if text.str.contains(ILLEGAL_CHARACTERS_RE.pattern, regex=True).fillna(False).any():
        text = text.str.replace(ILLEGAL_CHARACTERS_RE.pattern, "", regex=True)
    if (text.str.len().fillna(0) > MAX_TEXT).any():
        text = text.str.slice(0, MAX_TEXT)
    out = text.to_numpy(dtype=object, copy=True)
    out[missing] = None
    risky = text.str.startswith(FORMULA_STARTS).fillna(False).to_numpy(dtype=bool)
    for at in np.flatnonzero(risky):
        out[at] = text_cell(ws, out[at])
    return out.tolist()


def _formats(rows: int, kind: str, currency: pd.Series | None,
             number_format: str | None) -> list[str | None]:
    if number_format is not None or kind != "decimal":
        return [number_format or (DATE_FORMAT if kind == "date" else None)] * rows
    if currency is None:
        return [money_format(None)] * rows
    return [money_format(code) for code in currency.to_numpy(dtype=object)]  # cached


def _styled(ws: WriteOnlyWorksheet, value: object, number_format: str | None) -> WriteOnlyCell:
    if isinstance(value, dt.datetime):
        value = value.date()
    cell = WriteOnlyCell(ws, value=int(value) if isinstance(value, numbers.Integral) else value)
    cell.number_format = number_format
    return cell
