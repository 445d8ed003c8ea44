"""Column conversions for report tables: minor units to ``Decimal``, dates, optional ints.

Element-wise by necessity (they build ``Decimal`` and ``date`` objects); every result is an
object Series with ``None`` for missing values, never NaN or ints turned into floats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pandas as pd
from pandas.api.extensions import take

from pipeline.money import from_minor_many


def is_missing(value: object) -> bool:
    """``None``, NaN, NaT or pd.NA (but not ``''``)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def missing(values: pd.Series) -> np.ndarray:
    """:func:`is_missing` of each value, for the whole column at once."""
    return pd.isna(values.to_numpy(dtype=object))


def each(values: pd.Series, convert: Callable[[object], object]) -> pd.Series:
    """``convert`` applied to present values; missing -> ``None`` (object dtype)."""
    out = values.to_numpy(dtype=object, copy=True)
    absent = pd.isna(out)
    out[absent] = None
    present = ~absent
    if present.any():
        out[present] = [convert(value) for value in out[present]]
    return pd.Series(out, index=values.index, dtype=object)


def optional_text(values: pd.Series) -> pd.Series:
    """Text, with missing and ``''`` as ``None``."""
    array = values.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(array, skipna=True) not in ("string", "empty"):
        return each(values, lambda v: str(v) or None)
    out, gone = array.copy(), pd.isna(array)
    gone[~gone] = array[~gone] == ""
    out[gone] = None
    return pd.Series(out, index=values.index, dtype=object)


def optional_int(values: pd.Series) -> pd.Series:
    return each(values, int)


def optional_date(values: pd.Series) -> pd.Series:
    """``datetime.date`` from dates, datetimes/Timestamps or ISO text (each distinct value
    converted once: a column holds few dates)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    dates = np.array([_to_date(value) for value in uniques] + [None], dtype=object)
    return pd.Series(dates[codes], index=values.index, dtype=object)


def join_keys(values: pd.Series) -> pd.Series:
    """Ids as text (``''`` when missing) so int, float and str ids of one record compare equal."""
    array = values.to_numpy(dtype=object)
    kind = pd.api.types.infer_dtype(array, skipna=True)
    if kind not in ("string", "integer"):
        return each(values, _to_key).fillna("")
    absent = pd.isna(array)
    keys = [value.strip() for value in array[~absent]] if kind == "string" else [
        str(value) for value in array[~absent]]
    out = np.full(len(array), "", dtype=object)
    out[~absent] = keys
    return pd.Series(out, index=values.index, dtype=object)


def last_values(keys: pd.Series, values: pd.Series, wanted: pd.Series) -> pd.Series:
    """``wanted.map(values indexed by keys)``, the last of equal keys winning (object dtype;
    NaN for a key not there), by position: no frame is copied to be indexed."""
    index, found = pd.Index(keys), values.to_numpy(dtype=object)
    if not index.is_unique:
        kept = ~index.duplicated(keep="last")
        index, found = index[kept], found[kept]
    at = index.get_indexer(wanted)
    return pd.Series(take(found, at, allow_fill=True), index=wanted.index, dtype=object)


def sorted_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """(each value's number among the distinct values in sorted order, how many there are),
    as ``pd.factorize(values, sort=True)`` numbers them; texts are sorted as fixed-width
    unicode (numpy's sort: the same order as ``str``'s for texts without a NUL)."""
    codes, uniques = pd.factorize(values)
    texts = np.asarray(uniques, dtype=object)
    if pd.api.types.infer_dtype(texts, skipna=False) != "string" or "\x00" in "".join(texts):
        codes, uniques = pd.factorize(values, sort=True)
        return codes, len(uniques)
    rank = np.empty(len(texts), dtype=np.int64)
    rank[np.argsort(np.array(texts.tolist(), dtype=str), kind="stable")] = np.arange(len(texts))
    return np.where(codes < 0, -1, rank[codes]), len(texts)


def text_ranks(values: pd.Series) -> np.ndarray | None:
    """Each text's place in sorted order (equal texts, equal places), so that sorting by
    it sorts as ``sort_values`` sorts the texts; None when ``values`` are not all text
    (a missing value, a number)."""
    if values.hasnans or pd.api.types.infer_dtype(values, skipna=False) != "string":
        return None
    return sorted_codes(values)[0]


def minor_units(values: pd.Series) -> pd.Series:
    """Integer minor units, missing -> 0 (for sums)."""
    return pd.to_numeric(values, errors="coerce").fillna(0).astype("int64")


def money(minor: pd.Series, currency: pd.Series) -> pd.Series:
    """Minor units -> ``Decimal`` in each row's currency (``None`` when either is missing)."""
    codes = currency.to_numpy(dtype=object)
    gone = missing(minor) | pd.isna(codes)
    gone[~gone] = codes[~gone] == ""
    present = ~gone
    out = np.full(len(minor), None, dtype=object)
    if present.any():
        out[present] = _each_pair_once(minor.to_numpy(dtype=object)[present], codes[present])
    return pd.Series(out, index=minor.index, dtype=object)


def _each_pair_once(minors: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """:func:`pipeline.money.from_minor_many` of each (amount, currency) pair, each distinct
    pair made once (a column repeats its amounts; the currencies are told apart by hash)."""
    try:
        ints = minors.astype(np.int64)
    except (OverflowError, TypeError, ValueError):  # beyond 64 bits: as they are
        return np.asarray(from_minor_many(minors, codes), dtype=object)
    which, names = pd.factorize(codes)
    width = max(len(names), 1)
    limit = np.iinfo(np.int64).max // (2 * width)
    if len(ints) and (ints.max() >= limit or ints.min() <= -limit):
        return np.asarray(from_minor_many(minors, codes), dtype=object)
    distinct, back = np.unique(ints * width + which, return_inverse=True)
    made = np.empty(len(distinct), dtype=object)
    made[:] = from_minor_many((distinct // width).astype(object),
                              np.asarray(names, dtype=object)[distinct % width])
    return made[back.reshape(-1)]


def plain(minor: pd.Series, currency: pd.Series) -> pd.Series:
    """Plain decimal strings (``1500000.00``, ``0.00000000``), never scientific notation."""
    return money(minor, currency).map(lambda d: "" if d is None else format(d, "f"))


def _to_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _to_key(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def export_text(value: object) -> str:
    """One CSV field: Decimal plain (never ``1E+3``), dates ISO, None/NaN empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if isinstance(value, float):
        return str(round(value, 4))
    return str(value)


def export_texts(values: pd.Series) -> list[str]:
    """:func:`export_text` of each value, a whole column at a time when it holds one kind
    of value (text, ``Decimal`` or dates)."""
    array = values.to_numpy(dtype=object)
    absent = pd.isna(array)
    kind = pd.api.types.infer_dtype(array, skipna=True)
    if kind in ("string", "empty"):
        return np.where(absent, "", array).tolist()
    if kind == "decimal":
        return ["" if gone else format(value, "f")
                for value, gone in zip(array, absent, strict=True)]
    if kind == "date":  # few distinct dates: each written once
        codes, uniques = pd.factorize(array)
        return np.array([export_text(value) for value in uniques] + [""],
                        dtype=object)[codes].tolist()
    return [export_text(value) for value in array]

