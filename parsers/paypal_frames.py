"""PayPal CSVs read into frames (:mod:`parsers.gateway_frames`): the same rules as
:func:`parsers.paypal.build`, a column at a time, with the file's date order and decimal mark
decided first from all its values.

A row is built column-wise when its required texts are present, its date and currency read,
its gross, fee and net turn into minor units without a Decimal
(:func:`parsers.amount_columns.fast_minor`, with the file's decimal mark) and
``gross + fee == net``; its kind is :func:`parsers.paypal.classify` once per distinct (type,
sign of gross, status). Any other row goes through :func:`parsers.paypal.build`. Each row
keeps why its kind is not trusted in ``_doubt`` (the parser's warnings).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from parsers import paypal
from parsers import paypal_locales as locales
from parsers.amount_columns import each_distinct, fast_minor
from parsers.base import SourceFile
from parsers.csv_texts import TextChunk
from parsers.csvspec import Column
from parsers.gateway_frames import constant, first_filled, read_frames, record_row
from pipeline.models import GatewayKind, Reject
from pipeline.money import exponent, normalize_currency

K = GatewayKind


def read_rows(source: SourceFile, chunks: list[TextChunk], columns: Sequence[Column],
              separator: str | None) -> tuple[pd.DataFrame, list[Reject]] | str:
    """The records (frame rows, with ``_doubt``) and row rejects of a PayPal file's chunks
    read with the file's ``columns`` (its date and amount converters); ``separator``: the
    decimal mark the amount converter reads its plain spellings with (``None``: none)."""
    by_name = {c.name: c for c in columns}

    def fast(chunk: TextChunk) -> tuple[pd.Series, pd.DataFrame]:
        return _fast(chunk, by_name["date"].convert, separator)

    def slow(values: dict, chunk: TextChunk, position: int) -> dict:
        ref = chunk.texts["transaction_id"][position] or None
        origin = source.origin(paypal.FORMAT, chunk.lines[position], ref)
        record, doubt = paypal.build(values, origin)
        return {**record_row(record), "_doubt": doubt}

    return read_frames(source, paypal.FORMAT, chunks, columns, fast, slow, "transaction_id")


def _fast(chunk: TextChunk, read_date, separator: str | None,  # noqa: ANN001
          ) -> tuple[pd.Series, pd.DataFrame]:
    texts = chunk.texts
    ok = pd.Series(separator is not None, index=texts["currency"].index)
    for name in ("date", "type", "currency", "gross", "net", "transaction_id"):
        ok &= texts[name] != ""
    if not ok.any():
        return ok, pd.DataFrame(index=ok[ok].index)
    currency, bad = each_distinct(normalize_currency, texts["currency"].where(ok, "USD"))
    days, _ = each_distinct(read_date, texts["date"].where(ok, "2000-01-01"))
    ok &= ~texts["currency"].isin(list(bad)) & days.notna()
    currency = currency.where(ok, "USD")
    exponents = currency.map({c: exponent(c) for c in currency.unique()})
    minor = {}
    for name in paypal.AMOUNTS:
        given = texts[name].where(texts[name] != "", "0") if name == "fee" else texts[name]
        minor[name], taken = fast_minor(given, separator, exponents)
        ok &= taken
    ok &= minor["gross"] + minor["fee"] == minor["net"]
    rows = ok[ok].index
    if not len(rows):
        return ok, pd.DataFrame(index=rows)
    return ok, _columns({n: t[rows] for n, t in texts.items()}, currency[rows], days[rows],
                        {n: v[rows] for n, v in minor.items()})


def _columns(t: dict[str, pd.Series], currency: pd.Series, days: pd.Series,
             minor: dict[str, pd.Series]) -> pd.DataFrame:
    rows = currency.index
    incoming = minor["gross"] > 0
    kinds = _kinds(t["type"], incoming, t["status"])
    kind, doubt = kinds.str[0], kinds.str[1]
    conversion = t["type"].map(_is_conversion)
    tied = kind.isin([K.REFUND, K.DISPUTE])
    status = t["status"].where(~conversion, "currency conversion")
    metadata = _metadata(t, conversion, tied)
    return pd.DataFrame({
        "currency": currency, "gateway": constant(paypal.FORMAT, rows),
        "transaction_id": t["transaction_id"], "kind": kind, "created_date": days,
        "gross_minor": minor["gross"], "fee_minor": -minor["fee"], "net_minor": minor["net"],
        "status": status, "customer_name": t["name"],
        "customer_email": t["from_email_address"].where(incoming, t["to_email_address"]),
        "description": first_filled(t["subject"], t["item_title"], t["note"]),
        "invoice_ref": first_filled(t["invoice_number"], t["invoice_id"]),
        "related_id": t["reference_txn_id"].where(tied, ""), "payout_id": constant("", rows),
        "metadata": pd.Series(metadata, index=rows, dtype=object), "_doubt": doubt,
    }, index=rows)


def _kinds(types: pd.Series, incoming: pd.Series, statuses: pd.Series) -> pd.Series:
    """(kind, doubt) per row, :func:`parsers.paypal.classify` once per distinct (type, sign
    of the gross, status): only whether the gross is above zero matters to it."""
    keys = list(zip(types.tolist(), incoming.tolist(), statuses.tolist(), strict=True))
    done = {key: paypal.classify(key[0], 1 if key[1] else 0, key[2]) for key in set(keys)}
    return pd.Series([done[key] for key in keys], index=types.index, dtype=object)


def _is_conversion(type_text: str) -> bool:
    role = locales.TYPE_ROLES.get(locales.fold(type_text))
    return role == "conversion" or "currency conversion" in type_text.lower()


def _metadata(t: dict[str, pd.Series], conversion: pd.Series,
              tied: pd.Series) -> list[dict[str, str]]:
    """Each row's metadata as :func:`parsers.paypal.build` writes it (empty values left
    out): type, time, time zone, PayPal's status of a conversion, the reference of a row
    that is no refund or dispute."""
    columns = [t[n].tolist() for n in ("type", "time", "time_zone")]
    status = t["status"].where(conversion, "").tolist()
    reference = t["reference_txn_id"].where(~tied, "").tolist()
    out = []
    for kind, time, zone, paypal_status, ref in zip(*columns, status, reference,
                                                      strict=True):
        found = {"type": kind}
        for key, value in (("time", time), ("time_zone", zone),
                           ("paypal_status", paypal_status), ("reference_txn_id", ref)):
            if value:
                found[key] = value
        out.append(found)
    return out
