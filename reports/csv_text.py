"""Whole-column CSV text: what :func:`pipeline.report_values.export_text` gives each value,
computed per column instead of per cell.

A column's values are of one kind (``pandas.api.types.infer_dtype``), and each kind has a
whole-column conversion that gives exactly export_text's text:

* text as it is; missing values (``None``, NaN, NaT, ``pd.NA``) as ``''``;
* whole numbers through ``str`` in bulk;
* dates: ``str`` of each distinct date (its ISO form), and a datetime among them again
  without its time;
* ``Decimal`` through ``str`` in bulk, and the few that ``str`` writes in scientific notation
  (``1E-8``) again in plain notation (``format(d, "f")``);
* booleans as ``true``/``false``;
* floats (ratios such as confidence): each *distinct* value once, told apart by its exact
  bits (``0.0`` and ``-0.0`` stay apart), then spread back (a run has few confidences).

A column that mixes kinds (rare; never on the big tables) falls back to export_text per cell.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np
import pandas as pd

from pipeline.report_values import export_text
from reports.columns import FORMULA_STARTS

# inferred types (skipna=False) that no missing value has
_NEVER_MISSING = ("string", "integer", "boolean")


def column_text(column: pd.Series) -> pd.Series:
    """``column`` as CSV fields: an object Series of ``str``, export_text's text per value."""
    values = pd.Series(column.to_numpy(dtype=object, copy=False), index=column.index,
                       dtype=object)
    kind = pd.api.types.infer_dtype(values, skipna=False)
    if kind in _NEVER_MISSING:  # no None, NaN or NA among them: no isna scan
        missing = None
    else:
        missing = values.isna().to_numpy()
        kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("string", "empty"):  # already text: only the missing ones are blanked
        text = values.copy()
    elif kind == "integer":
        text = _str_each(values)
    elif kind == "decimal":
        text = _redone(values, _str_each(values), "E")
    elif kind == "date":  # dates, and maybe datetimes (str gives their time too)
        text = _redone(values, _distinct_str(values), " ")
    elif kind == "boolean":
        text = pd.Series(np.where(values.to_numpy(dtype=bool, na_value=False), "true", "false"),
                         index=values.index, dtype=object)
    elif kind == "floating":
        text = _floats(values, missing)
    else:
        return values.map(export_text).astype(object)
    text = text.astype(object)
    if missing is not None:
        text[missing] = ""
    return text


def neutralised(text: pd.Series) -> pd.Series:
    """``text`` with a ``'`` before every field a spreadsheet would run as a formula (the
    whole-column :func:`reports.columns.neutralise`)."""
    risky = np.fromiter(map(str.startswith, text.tolist(), repeat(FORMULA_STARTS)), dtype=bool,
                        count=len(text))
    if not risky.any():
        return text
    out = text.copy()
    out[risky] = "'" + text[risky]
    return out


def _redone(values: pd.Series, text: pd.Series, mark: str) -> pd.Series:
    """``text``, with the few fields holding ``mark`` (``str``'s scientific notation of a
    Decimal, the time of a datetime) redone by export_text."""
    text = text.astype(object)
    if mark not in "".join(text.tolist()):
        return text
    again = np.fromiter(map(str.__contains__, text.tolist(), repeat(mark)), dtype=bool,
                        count=len(text))
    if again.any():
        text[again] = values[again].map(export_text)
    return text


def _str_each(values: pd.Series) -> pd.Series:
    """``str`` of every value (missing ones are blanked by the caller)."""
    return pd.Series(np.array(list(map(str, values.tolist())), dtype=object),
                     index=values.index, dtype=object)


def _distinct_str(values: pd.Series) -> pd.Series:
    """``str`` of each distinct value (a date is never equal to a datetime), spread back."""
    codes, uniques = pd.factorize(values.to_numpy())
    shown = np.array([str(u) for u in uniques] + [""], dtype=object)
    return pd.Series(shown[codes], index=values.index, dtype=object)


def _floats(values: pd.Series, missing: np.ndarray) -> pd.Series:
    """export_text of each distinct float (by its bits), spread back over the rows."""
    present = values.to_numpy()[~missing]
    bits = present.astype(np.float64).view(np.int64)
    _, first, codes = np.unique(bits, return_index=True, return_inverse=True)
    shown = np.array([export_text(present[i]) for i in first] + [""], dtype=object)
    out = np.full(len(values), "", dtype=object)
    out[~missing] = shown[codes.reshape(-1)] if len(present) else shown[:0]
    return pd.Series(out, index=values.index, dtype=object)
