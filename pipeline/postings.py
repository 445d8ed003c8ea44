"""What to enter in billing (pure): ``postings.csv`` and ``credits.csv`` (DESIGN.md "Outputs").

``postings.csv`` holds one row per ``auto`` or ``confirmed`` allocation not yet posted, in the
shape of WHMCS ``AddInvoicePayment``: ``invoiceid`` (billing's internal invoice id, not the
printed number), ``transid`` (the money's natural key), ``gateway`` (billing's gateway system
name, from ``[postings.gateways]``), ``date``, ``amount`` (what the payment settles on the
invoice, in the invoice's currency) and ``fees`` (the part of it taken on the way).
``credits.csv`` holds the client credit of overpayments in the shape of WHMCS ``AddCredit``:
``clientid, description, amount, date``.

Both end with columns for people and for ``payrecon postings mark-posted``: ``currency``,
``invoice_number``, ``match_id``, the ``database_id`` of the store that wrote the file and a
``checksum`` of the row's fields, so an edited row or a file from another database is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd
from pandas.api.extensions import take

from pipeline.matching import ledger as ledger_math
from pipeline.report_values import export_text as field_text  # noqa: F401 (re-exported)
from pipeline.report_values import export_texts as field_texts
from pipeline.report_values import (
    join_keys,
    last_values,
    money,
    optional_date,
    optional_text,
)
from pipeline.settings import PostingSettings, Settings

PAYMENT, CREDIT = "payment", "credit"
TRAILING = ["currency", "invoice_number", "match_id", "database_id", "checksum"]
POSTING_OUT = ["invoiceid", "transid", "gateway", "date", "amount", "fees", *TRAILING]
CREDIT_OUT = ["clientid", "description", "amount", "date", *TRAILING]
OUT = {PAYMENT: POSTING_OUT, CREDIT: CREDIT_OUT}
# What was posted (the store's ``postings_posted`` rows, by ``(match_id, kind)``).
POSTED_COLUMNS = ["match_id", "kind", "invoice_number", "billing_id", "transid", "gateway",
                  "amount_minor", "fee_minor", "currency", "date", "checksum"]
BANK_GATEWAY = "banktransfer"  # WHMCS's bank transfer module


def checksums(frame: pd.DataFrame, kind: str) -> pd.Series:
    """A checksum per row over every column of ``OUT[kind]`` but the checksum itself."""
    columns = OUT[kind][:-1]
    texts = [field_texts(frame[name]) for name in columns]
    prefix, sha = kind + "\x1f", hashlib.sha256  # "\x1f".join((kind, *row)), one tuple less
    return pd.Series([sha((prefix + "\x1f".join(row)).encode()).hexdigest()[:20]
                      for row in zip(*texts, strict=True)], index=frame.index, dtype=object)


def natural_keys(money_keys: pd.Series) -> pd.Series:
    """The money's natural key: ``bank:<account>:<key>`` -> ``<key>``."""
    return pd.Series([key.split(":", 2)[-1] for key in _text(money_keys).to_numpy(dtype=object)],
                     index=money_keys.index, dtype=object)


def _text(values: pd.Series) -> pd.Series:
    """Text, missing as ``''`` (whatever the column's dtype)."""
    return values.astype(object).where(values.notna(), "").astype(str)


def gateway_names(money: pd.DataFrame, setting: PostingSettings) -> pd.Series:
    """Billing's gateway name per row of ``money`` (``payment_kind``, ``source_format``,
    ``account_id``): the account, then the format, the channel, ``"*"``, else the default.
    Each distinct (account, format, kind) is looked up once."""
    columns = [_text(money[name]) for name in ("account_id", "source_format", "payment_kind")]
    combined = np.zeros(len(money), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(column.to_numpy(dtype=object))
        combined = combined * max(len(uniques), 1) + codes
        combined = pd.factorize(combined)[0]
    first = np.unique(combined, return_index=True)[1]
    names = _gateway_names(*(column.iloc[first] for column in columns), setting)
    return pd.Series(names.to_numpy(dtype=object)[combined], index=money.index, dtype=object)


def _gateway_names(account: pd.Series, fmt: pd.Series, kind: pd.Series,
                   setting: PostingSettings) -> pd.Series:
    """:func:`gateway_names` of text columns (missing as ``''``)."""
    mapping = {str(k).strip().lower(): v for k, v in setting.gateways.items()}
    found = pd.Series(None, index=account.index, dtype=object)
    for column in (account, fmt, kind):
        found = found.where(found.notna(), column.str.lower().map(mapping))
    default = account.str.lower().where((kind == "gateway") & (account != ""), BANK_GATEWAY)
    fallback = pd.Series(mapping["*"], index=account.index) if "*" in mapping else default
    return found.where(found.notna(), fallback).astype(object)


def postings(allocations: pd.DataFrame, payments: pd.DataFrame, invoices: pd.DataFrame, *,
             posted: pd.DataFrame | None, database_id: str,
             setting: PostingSettings) -> pd.DataFrame:
    """POSTING_OUT: the applying allocations of the match result not posted yet."""
    rows = allocations[allocations["status"].isin(ledger_math.APPLYING)
                       & ~allocations["match_id"].isin(_posted_ids(posted, PAYMENT))]
    rows = _with_money(rows, payments)
    fee = rows["fee_minor"].fillna(0).astype("int64")
    transid = natural_keys(rows["money_key"])
    transid = transid.where(transid != "", _text(rows["source_ref"]))
    split = transid.duplicated(keep=False)  # one money record paying several invoices
    transid = transid.where(~split, transid + "/" + rows["invoice_number"].astype(str))
    frame = pd.DataFrame({
        "invoiceid": optional_text(_invoice_ids(invoices, rows["invoice_number"])),
        "transid": transid, "gateway": gateway_names(rows, setting),
        "date": optional_date(rows["source_date"]),
        "amount": money(rows["applied_minor"].astype("int64") + fee, rows["currency"]),
        "fees": money(fee, rows["currency"]), "currency": rows["currency"],
        "invoice_number": rows["invoice_number"].astype(str), "match_id": rows["match_id"],
        "database_id": database_id,
    }, index=rows.index)
    return _finished(frame, PAYMENT)


def _with_money(rows: pd.DataFrame, payments: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (a RangeIndex after) plus ``key`` and their money's columns: a left join on
    (payment_kind, key), each payment once, taken by position."""
    money_cols = ["source_format", "source_ref", "source_date", "account_id", "money_key"]
    keys = join_keys(rows["payment_id"])
    at = _money_positions(rows, payments, keys)
    taken = {name: take(payments[name].to_numpy(dtype=object), at, allow_fill=True)
             for name in money_cols}
    return rows.assign(key=keys).reset_index(drop=True).assign(**taken)


def _money_positions(rows: pd.DataFrame, payments: pd.DataFrame,
                     keys: pd.Series) -> np.ndarray:
    """Each row's payment (its position in ``payments``, -1: none) by (payment_kind, key);
    integer ids are joined as numbers (equal numbers have equal :func:`join_keys` texts)."""
    ids = (payments["payment_id"], rows["payment_id"])
    if all(pd.api.types.is_integer_dtype(part) for part in ids):
        names = pd.Index(pd.unique(payments["payment_kind"].astype(str).to_numpy(dtype=object)))
        known = _kind_ids(payments["payment_kind"], ids[0], names)
        wanted = _kind_ids(rows["payment_kind"], ids[1], names)
        if known is not None and wanted is not None:
            index = pd.Index(known)
            if not index.is_unique:
                raise pd.errors.MergeError("a payment is listed more than once")
            return np.where(wanted < 0, -1, index.get_indexer(wanted))
    known = pd.Index(_kind_keys(payments["payment_kind"], join_keys(payments["payment_id"])))
    if not known.is_unique:
        raise pd.errors.MergeError("a payment is listed more than once")
    return known.get_indexer(_kind_keys(rows["payment_kind"], keys))


def _kind_ids(kinds: pd.Series, ids: pd.Series, names: pd.Index) -> np.ndarray | None:
    """(kind, integer id) as one number per row (-1: a kind not among ``names``), or None
    when an id is too big (or below zero) to be numbered so."""
    numbers = ids.to_numpy(dtype=np.int64)
    width = max(len(names), 1)
    if len(numbers) and (numbers.min() < 0 or numbers.max() >= np.iinfo(np.int64).max // width):
        return None
    code = names.get_indexer(kinds.astype(str).to_numpy(dtype=object))
    return np.where(code < 0, -1, numbers * width + code)


def _kind_keys(kinds: pd.Series, keys: pd.Series) -> np.ndarray:
    """(payment_kind, key) as one text per row (neither holds the separator)."""
    return (kinds.astype(str).to_numpy(dtype=object) + "\x1f" + keys.to_numpy(dtype=object))


def credits(ledger: pd.DataFrame | None, invoices: pd.DataFrame, *, as_of: dt.date,
            posted: pd.DataFrame | None, database_id: str) -> pd.DataFrame:
    """CREDIT_OUT: the ledger's client credit (overpayments) known as of ``as_of`` whose
    allocation still stands (its money was not given back), not posted yet."""
    known = ledger_math.considered(ledger, as_of)
    if known.empty:
        return pd.DataFrame(columns=CREDIT_OUT)
    standing = ledger_math.standing(known)["match_id"]
    rows = known[known["entry"] == "credit"]
    rows = rows[rows["match_id"].isin(standing)
                & ~rows["match_id"].isin(_posted_ids(posted, CREDIT))]
    rows = rows.drop_duplicates("match_id")
    date = optional_date(rows["source_date"])
    number = rows["invoice_number"].astype(str)
    frame = pd.DataFrame({
        "clientid": optional_text(last_values(invoices["invoice_number"], invoices["client_id"],
                                              number)),
        "description": ("Overpayment on invoice " + number + " (payment "
                        + natural_keys(rows["money_key"]) + " of "
                        + pd.Series(field_texts(date), index=date.index, dtype=object)
                        + ")"),
        "amount": money(rows["applied_minor"], rows["currency"]), "date": date,
        "currency": rows["currency"], "invoice_number": number, "match_id": rows["match_id"],
        "database_id": database_id,
    }, index=rows.index)
    return _finished(frame, CREDIT)


def to_post(inputs, *, as_of: dt.date, settings: Settings) -> dict:  # noqa: ANN001
    """``postings`` and ``credits`` of a report (``inputs``: a ReportInputs)."""
    return {
        "postings": postings(inputs.match.allocations, inputs.payments, inputs.invoices,
                             posted=inputs.posted, database_id=inputs.database_id,
                             setting=settings.postings),
        "credits": credits(inputs.ledger, inputs.invoices, as_of=as_of, posted=inputs.posted,
                           database_id=inputs.database_id),
    }


def _finished(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=OUT[kind])
    return frame.assign(checksum=checksums(frame, kind))[OUT[kind]].reset_index(drop=True)


def _posted_ids(posted: pd.DataFrame | None, kind: str) -> set:
    if posted is None or posted.empty:
        return set()
    return set(posted.loc[posted["kind"] == kind, "match_id"])


def _invoice_ids(invoices: pd.DataFrame, numbers: pd.Series) -> pd.Series:
    """Billing's internal id (``invoice_id``) of each of ``numbers`` (invoice numbers);
    missing when billing's export has none, e.g. the canonical invoices CSV."""
    ids = invoices["invoice_id"] if "invoice_id" in invoices else pd.Series(
        None, index=invoices.index, dtype=object)
    return last_values(invoices["invoice_number"].astype(str), ids, numbers)
