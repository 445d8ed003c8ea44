"""One column of a table as the cell XML openpyxl writes (:mod:`reports.sheet_xml`).

The cells are those :func:`reports.cell_values.value_cell` gives each value, and their XML is
what openpyxl 3.1's lxml writer makes of them: ``<c r=".." s=".." t="..">`` with the number as
``"%.16g"``, a date as its Excel serial number, text inline (``xml:space="preserve"`` when it
has outer spaces) with ``&``, ``<``, ``>`` and CR escaped, an Excel error code as an error
cell, an empty string as an empty inline-string cell. Characters beyond ASCII become
character references when the rows are encoded (as lxml writes them).
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.compat import safe_string
from openpyxl.utils.datetime import to_excel

from reports.cell_values import DATE_FORMAT, RATIO_FORMAT, cleaned_texts, money_format
from reports.columns import FORMULA_STARTS

QUOTED = object()  # the style of text kept from becoming a formula (quote prefix)
_DATE_DEFAULT = "yyyy-mm-dd"  # the format openpyxl gives a new date cell before ours
_KINDS = {"string": "text", "empty": "text", "boolean": "bool", "decimal": "decimal",
          "date": "date"}


@dataclass(frozen=True, eq=False)
class Column:
    """Per row: whether a cell is written, its style (``None``, a number format or
    QUOTED), the XML after its reference and style, and whether it holds a date."""
    present: np.ndarray
    style: np.ndarray
    tail: np.ndarray
    dated: np.ndarray

    def styles(self) -> set:
        return set(pd.unique(self.style[self.present])) - {None}

    def style_codes(self, code: dict) -> np.ndarray:
        """The style of each row as a number of ``code`` (-1: no style, no cell)."""
        codes = np.full(len(self.style), -1, dtype=np.int64)
        styled = self.present & pd.notna(self.style)
        codes[styled] = [code[style] for style in self.style[styled]]
        return codes

    def formats_in_order(self) -> list[str]:
        """The number formats as openpyxl adds them to the workbook, row by row (a date cell
        first takes openpyxl's own date format)."""
        styled = self.present & np.array([isinstance(s, str) for s in self.style], dtype=bool)
        rows = np.flatnonzero(styled)
        firsts = pd.Series(self.style[rows], dtype=object).drop_duplicates()
        events = [(int(rows[at]), 1, style) for at, style in firsts.items()]
        dated = np.flatnonzero(self.present & self.dated)
        if len(dated):
            events.append((int(dated[0]), 0, _DATE_DEFAULT))
        return [style for *_, style in sorted(events)]

    def xml(self, start: str, refs: np.ndarray, ids: dict) -> np.ndarray:
        """Each row's cell XML (empty when there is no cell): ``start`` (``<c r="A``), the
        row's ``refs`` (``2"``), the style id of ``ids`` and the tail."""
        styles = list(ids)
        attrs = np.array([f' s="{ids[style]}"' for style in styles] + [""], dtype=object)
        codes = self.style_codes({style: at for at, style in enumerate(styles)})
        out = np.full(len(self.tail), "", dtype=object)
        at = self.present
        out[at] = start + refs[at] + attrs[codes[at]] + self.tail[at]
        return out


def column(values: pd.Series, *, currency: pd.Series | None = None,
           number_format: str | None = None) -> Column:
    """The cells of ``values`` (what value_cell gives each), worked out by kind of value."""
    values = values.to_numpy(dtype=object)
    codes = (np.full(len(values), None, dtype=object) if currency is None
             else currency.to_numpy(dtype=object))
    missing = pd.isna(values)
    kind = pd.api.types.infer_dtype(values, skipna=True)
    kind = "int" if kind == "integer" else _KINDS.get(kind)
    groups = (np.full(len(values), kind, dtype=object) if kind
              else np.array([_kind(value) for value in values], dtype=object))
    groups[missing] = None
    cells = Column(present=~missing, style=np.full(len(values), None, dtype=object),
                   tail=np.full(len(values), "", dtype=object),
                   dated=np.zeros(len(values), dtype=bool))
    for group in pd.unique(groups[~missing]):
        at = groups == group
        style, tail = _RENDER[group](values[at], codes[at], number_format)
        cells.style[at], cells.tail[at] = style, tail
        cells.dated[at] = group == "date"
    return cells


def _kind(value: object) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, Decimal):
        return "decimal"
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, numbers.Integral):
        return "int"
    return "real" if isinstance(value, numbers.Real) else "other"


def _text(values: np.ndarray, codes: np.ndarray, number_format: str | None) -> tuple:
    text = cleaned_texts(values).tolist()
    risky = np.array([value.startswith(FORMULA_STARTS) for value in text], dtype=bool)
    escaped = _escaped(text)
    tail = np.array([(_SPACED if raw != raw.strip() else _PLAIN) + value + "</t></is></c>"
                     if raw else ' t="inlineStr"></c>'
                     for raw, value in zip(text, escaped, strict=True)], dtype=object)
    error = np.isin(np.array(text, dtype=object), ERROR_CODES) & ~risky
    tail[error] = [f' t="e"><v>{value}</v></c>' for value in np.array(escaped)[error]]
    return np.where(risky, QUOTED, None), tail


_PLAIN, _SPACED = ' t="inlineStr"><is><t>', ' t="inlineStr"><is><t xml:space="preserve">'
_ESCAPE = re.compile(r"[&<>\r]")


def _escaped(text: list[str]) -> list[str]:
    """What lxml writes for each text (characters beyond ASCII are left to the encoding)."""
    if not _ESCAPE.search("".join(text)):
        return text
    return [value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;") if _ESCAPE.search(value) else value for value in text]


def _other(values: np.ndarray, codes: np.ndarray, number_format: str | None) -> tuple:
    return _text(np.array([str(value) for value in values], dtype=object), codes, None)


def _numbers(values: np.ndarray) -> np.ndarray:
    """``"%.16g"`` of each number, as openpyxl writes it ("" when not finite)."""
    floats = np.asarray(values, dtype=float)
    text = np.array(["%.16g" % number  # noqa: UP031 - as openpyxl formats it
                     for number in floats.tolist()], dtype=object)
    text[~np.isfinite(floats)] = ""
    return ' t="n"><v>' + text + "</v></c>"


def _decimal(values: np.ndarray, codes: np.ndarray, number_format: str | None) -> tuple:
    styles = ([number_format] * len(values) if number_format is not None
              else [money_format(code) for code in codes])  # cached
    return np.array(styles, dtype=object), _numbers(values)


def _int(values: np.ndarray, codes: np.ndarray, number_format: str | None) -> tuple:
    return np.full(len(values), number_format, dtype=object), _numbers(values)


def _real(values: np.ndarray, codes: np.ndarray, number_format: str | None) -> tuple:
    return np.full(len(values), number_format or RATIO_FORMAT, dtype=object), _numbers(values)


def _bool(values: np.ndarray, codes: np.ndarray, number_format: str | None) -> tuple:
    tail = np.where(values.astype(bool), ' t="b"><v>1</v></c>', ' t="b"><v>0</v></c>')
    return np.full(len(values), None, dtype=object), tail.astype(object)


def _date(values: np.ndarray, codes: np.ndarray, number_format: str | None) -> tuple:
    serial = {value: safe_string(to_excel(value.date() if isinstance(value, dt.datetime)
                                          else value)) for value in set(values)}
    text = np.array([serial[value] for value in values], dtype=object)
    return (np.full(len(values), number_format or DATE_FORMAT, dtype=object),
            ' t="n"><v>' + text + "</v></c>")


_RENDER = {"text": _text, "other": _other, "decimal": _decimal, "int": _int, "real": _real,
           "bool": _bool, "date": _date}
