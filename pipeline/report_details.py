"""What the workbook shows beside the export tables (pure): who paid and what the bank or
gateway said for each money record, each invoice's client, the input files with their
outcome and statement balance check, and the database's identity (for ``review apply``).

Money rows are found again by :func:`record_keys` (source kind, file, reference, line): the
names every export row carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.report_values import minor_units, money, plain

MONEY_DETAIL = ["record", "payer", "text"]
INVOICE_DETAIL = ["invoice_number", "client_name", "client_email"]
FILE_OUT = ["file", "format", "kind", "status", "records_new", "records_duplicate",
            "records_rejected", "reason", "balance_check"]
DECISION_DETAIL = ["match_id", "status", "user", "as_of", "invoice_number", "currency"]
ITEM_OUT = ["gateway", "payout_id", "transaction_id", "kind", "date", "gross", "fee", "net",
            "currency", "customer_name", "description"]
RECORD_COLUMNS = ["source_kind", "source_file", "source_ref", "source_line"]


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
    paid = pd.DataFrame({"record": record_keys(payments.rename(
        columns={"payment_kind": "source_kind"})),
        "payer": payments["counterparty"], "text": payments["text"]})
    claimed = tickets.assign(source_kind="ticket")
    claims = pd.DataFrame({"record": record_keys(claimed),
                           "payer": tickets["account_holder"], "text": ""})
    money = pd.concat([paid, claims], ignore_index=True).drop_duplicates("record")
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
