"""What the workbook shows beside the export tables (pure): who paid and what the bank or
gateway said for each money record, each invoice's client, the input files with their
outcome and statement balance check, and the database's identity (for ``review apply``).

Money rows are found again by their record (source kind, file, reference, line: the names
every export row carries), told apart as :func:`record_keys` does (:class:`RecordIndex`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.report_values import minor_units, money, plain

RECORD_COLUMNS = ["source_kind", "source_file", "source_ref", "source_line"]
MONEY_DETAIL = [*RECORD_COLUMNS, "payer", "text"]  # a money record by its RECORD_COLUMNS
INVOICE_DETAIL = ["invoice_number", "client_name", "client_email"]
FILE_OUT = ["file", "format", "kind", "status", "records_new", "records_duplicate",
            "records_rejected", "reason", "balance_check"]
DECISION_DETAIL = ["match_id", "status", "user", "as_of", "invoice_number", "currency"]
ITEM_OUT = ["gateway", "payout_id", "transaction_id", "kind", "date", "gross", "fee", "net",
            "currency", "customer_name", "description"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})


@dataclass(frozen=True, eq=False)
class ReportDetails:
    money: pd.DataFrame = field(default_factory=lambda: _empty(MONEY_DETAIL))
    invoices: pd.DataFrame = field(default_factory=lambda: _empty(INVOICE_DETAIL))
    files: pd.DataFrame = field(default_factory=lambda: _empty(FILE_OUT))
    decisions: pd.DataFrame = field(default_factory=lambda: _empty(DECISION_DETAIL))
    payout_items: pd.DataFrame = field(default_factory=lambda: _empty(ITEM_OUT))
    database_id: str = ""


def record_keys(frame: pd.DataFrame) -> pd.Series:
    """One text key per row from its source columns (what names a money record)."""
    if not len(frame):
        return pd.Series(dtype=object)
    parts = [_key_parts(frame[name]).to_numpy(dtype=object) for name in RECORD_COLUMNS]
    keys = parts[0]
    for part in parts[1:]:
        keys = keys + "\x1f" + part
    return pd.Series(keys, index=frame.index, dtype=object)


class RecordIndex:
    """The money records of a frame (its RECORD_COLUMNS) numbered as :func:`record_keys`
    tells them apart, without a text per row: each column's distinct values become the
    numbers of their texts, and the numbers of the columns are combined column by column.
    ``codes``: each row's record, numbered in order of first appearance (rows of one record
    share a number), so a record's number is its row among the rows kept by
    ``drop_duplicates(keep="first")``."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._texts: list[pd.Index] = []
        self._pairs: list[pd.Index] = []
        codes = np.zeros(len(frame), dtype=np.int64)
        for name in RECORD_COLUMNS:
            part, texts = _text_codes(frame[name])
            self._texts.append(texts)
            combined = codes * len(texts) + part
            codes, seen = pd.factorize(combined)
            self._pairs.append(pd.Index(seen))
        self.codes = codes.astype(np.int64, copy=False)

    def positions(self, frame: pd.DataFrame) -> np.ndarray:
        """The number of each row's record of ``frame`` among these (-1: not one of them)."""
        codes = np.zeros(len(frame), dtype=np.int64)
        for name, texts, pairs in zip(RECORD_COLUMNS, self._texts, self._pairs, strict=True):
            part, own = _text_codes(frame[name])
            part = texts.get_indexer(own)[part]
            combined = np.where((codes < 0) | (part < 0), -1, codes * len(texts) + part)
            codes = pairs.get_indexer(combined)
        return codes


def _text_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """(each value's number, the distinct :func:`_key_part` texts they number): the values
    told apart once, their texts made once per distinct value (text and whole numbers are
    their own distinct texts; a missing value reads ``''``)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))  # missing: -1
    kind = pd.api.types.infer_dtype(uniques, skipna=False)
    if kind not in ("string", "integer"):
        texts = np.array([*(_key_part(value) for value in uniques), ""], dtype=object)
        merged, distinct = pd.factorize(texts)
        return merged[codes], pd.Index(distinct, dtype=object)
    texts = (np.asarray(uniques, dtype=object) if kind == "string"
             else np.array(list(map(str, uniques.tolist())), dtype=object))
    empty = np.flatnonzero(texts == "") if kind == "string" else []
    if not len(empty):
        texts, empty = np.append(texts, ""), [len(texts)]
    return np.where(codes < 0, empty[0], codes), pd.Index(texts, dtype=object)


def _key_parts(values: pd.Series) -> pd.Series:
    """:func:`_key_part` of each value, a column at a time when it holds text or integers."""
    array = values.to_numpy(dtype=object)
    kind = pd.api.types.infer_dtype(array, skipna=True)
    if kind not in ("string", "integer"):
        return values.map(_key_part)
    absent = pd.isna(array)
    out = np.full(len(array), "", dtype=object)
    out[~absent] = list(map(str, array[~absent].tolist()))
    return pd.Series(out, index=values.index, dtype=object)


def _key_part(value: object) -> str:
    if value is None or value != value:  # noqa: PLR0124 (NaN)
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a line number read into a float column
    return str(value)


def build_details(*, payments: pd.DataFrame, tickets: pd.DataFrame, invoices: pd.DataFrame,
                  files: pd.DataFrame | None = None, balances: pd.DataFrame | None = None,
                  bank_lines: pd.DataFrame | None = None, ledger: pd.DataFrame | None = None,
                  database_id: str = "", payout_items: pd.DataFrame | None = None,
                  ) -> ReportDetails:
    """Details from PAYMENT/TICKET/INVOICE contract frames and the store's file catalog."""
    paid = pd.DataFrame({"source_kind": payments["payment_kind"],
                         **{name: payments[name] for name in RECORD_COLUMNS[1:]},
                         "payer": payments["counterparty"], "text": payments["text"]})
    claims = pd.DataFrame({"source_kind": "ticket",
                           **{name: tickets[name] for name in RECORD_COLUMNS[1:]},
                           "payer": tickets["account_holder"], "text": ""})
    money = pd.concat([paid, claims], ignore_index=True)
    money = money.loc[~pd.Series(RecordIndex(money).codes).duplicated().to_numpy()]
    names = invoices[INVOICE_DETAIL].drop_duplicates("invoice_number", keep="last")
    listed = _empty(FILE_OUT) if files is None else file_table(files, balances, bank_lines)
    decisions = (_empty(DECISION_DETAIL) if ledger is None else
                 ledger.loc[ledger["entry"] == "decision", DECISION_DETAIL])
    return ReportDetails(money=money.reset_index(drop=True), invoices=names, files=listed,
                         decisions=decisions.reset_index(drop=True), database_id=database_id,
                         payout_items=_empty(ITEM_OUT) if payout_items is None
                         else item_table(payout_items))


def item_table(items: pd.DataFrame) -> pd.DataFrame:
    """ITEM_OUT from the store's payout items: amounts as Decimal in their currency."""
    return pd.DataFrame({
        "gateway": items["gateway"], "payout_id": items["payout_id"],
        "transaction_id": items["transaction_id"], "kind": items["kind"],
        "date": items["created_date"],
        **{name: money(items[f"{name}_minor"], items["currency"])
           for name in ("gross", "fee", "net")},
        "currency": items["currency"], "customer_name": items["customer_name"],
        "description": items["description"],
    }, columns=ITEM_OUT)


def file_table(files: pd.DataFrame, balances: pd.DataFrame | None,
               bank_lines: pd.DataFrame | None) -> pd.DataFrame:
    """FILE_OUT: each file read, its outcome and whether its statement balances."""
    checks = balance_checks(balances, bank_lines)
    seen_before = files["records_duplicate"] > 0
    check = files["file_name"].map(checks).astype(object).fillna("no balances in the file")
    check = check.where(~seen_before | ~files["file_name"].isin(checks.index),
                        "not checked: rows seen in an earlier file")
    return pd.DataFrame({
        "file": files["file_name"], "format": files["format"], "kind": files["kind"],
        "status": files["status"], "records_new": files["records_new"],
        "records_duplicate": files["records_duplicate"],
        "records_rejected": files["records_rejected"], "reason": files["reason"],
        "balance_check": check.where(files["kind"] == "bank", ""),
    }, columns=FILE_OUT)


def balance_checks(balances: pd.DataFrame | None, lines: pd.DataFrame | None) -> pd.Series:
    """file name -> ``balances`` or ``does not balance: off by <amount> <currency>``:
    per account and currency, first opening + the file's movements = last closing."""
    if balances is None or lines is None or balances.empty:
        return pd.Series(dtype=object)
    keys = ["source_file", "account_id", "currency"]
    ordered = balances.sort_values("date", kind="stable", na_position="first")
    opening = ordered.loc[ordered["kind"] == "opening"].groupby(keys)["amount_minor"].first()
    closing = ordered.loc[ordered["kind"] == "closing"].groupby(keys)["amount_minor"].last()
    moved = minor_units(lines["amount_minor"]).groupby([lines[k] for k in keys]).sum()
    one_sided = pd.Series("closing balance only",
                          index=closing.index.difference(opening.index), dtype=object)
    both = pd.DataFrame({"opening": opening, "closing": closing}).dropna()
    both["moved"] = moved.reindex(both.index).fillna(0)
    off = (both["opening"] + both["moved"] - both["closing"]).astype("int64")
    currency = both.index.get_level_values("currency").to_series(index=both.index)
    words = pd.Series(np.where(off == 0, "balances", "does not balance: off by "
                               + plain(off, currency) + " " + currency), index=both.index)
    words = pd.concat([words, one_sided])
    if words.empty:
        return pd.Series(dtype=object)
    worst = words.groupby(level="source_file").agg(
        lambda w: next((x for x in w if x != "balances"), "balances"))
    return worst
