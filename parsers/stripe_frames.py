"""Stripe balance exports read into frames (:mod:`parsers.gateway_frames`): the same rules as
:func:`parsers.stripe.build`, a column at a time.

A row is built column-wise when its required texts are present, its date and currency read,
its gross, fee and net turn into minor units without a Decimal
(:func:`parsers.amount_columns.fast_minor`) and ``net == gross - fee``; any other row goes
through :func:`parsers.stripe.build` (its reject reason is that one's).
"""

from __future__ import annotations

import pandas as pd

from parsers import stripe
from parsers.amount_columns import each_distinct, fast_minor
from parsers.base import SourceFile
from parsers.csv_texts import TextChunk
from parsers.csvspec import iso_date
from parsers.gateway_frames import constant, first_filled, read_frames, record_row
from pipeline.models import GatewayKind, Reject
from pipeline.money import exponent, normalize_currency

REQUIRED = tuple(c.name for c in stripe.COLUMNS if c.required)
AMOUNTS = ("gross", "fee", "net")


def meta_name(position: int) -> str:
    return f"_meta{position}"


def read_rows(source: SourceFile, chunks: list[TextChunk],
              meta: dict[int, str]) -> tuple[pd.DataFrame, list[Reject]] | str:
    """The records (as frame rows) and row rejects of a Stripe file's chunks, or the junk
    refusal; ``meta``: metadata column position -> key."""
    keys = {key for key in meta.values()
            if stripe.invoice_ref({key: "x"})}  # keys named like an invoice

    def fast(chunk: TextChunk) -> tuple[pd.Series, pd.DataFrame]:
        return _fast(chunk, meta, keys)

    def slow(values: dict, chunk: TextChunk, position: int) -> dict:
        metadata = _metadata(chunk, meta, [position])[0]
        ref = chunk.texts["balance_transaction_id"][position] or None
        origin = source.origin(stripe.FORMAT, chunk.lines[position], ref)
        return record_row(stripe.build(values, metadata, origin))

    return read_frames(source, stripe.FORMAT, chunks, stripe.COLUMNS, fast, slow,
                       "balance_transaction_id")


def _fast(chunk: TextChunk, meta: dict[int, str],
          invoice_keys: set[str]) -> tuple[pd.Series, pd.DataFrame]:
    texts = chunk.texts
    ok = pd.Series(True, index=texts["currency"].index)
    for name in REQUIRED:
        ok &= texts[name] != ""
    currency, bad_currency = each_distinct(normalize_currency, texts["currency"].where(ok, "USD"))
    days, _ = iso_date.many(texts["created_utc"].where(ok, "2000-01-01"))
    ok &= ~texts["currency"].isin(list(bad_currency)) & days.notna()
    if bad_currency:
        currency = currency.where(ok, "USD")
    exponents = currency.map({c: exponent(c) for c in currency.unique()})
    minor = {}
    for name in AMOUNTS:
        minor[name], taken = fast_minor(texts[name], ".", exponents)
        ok &= taken
    ok &= minor["gross"] - minor["fee"] == minor["net"]
    rows = ok[ok].index
    if not len(rows):
        return ok, pd.DataFrame(index=rows)
    return ok, _columns(chunk, rows, currency[rows], days[rows],
                        {n: v[rows] for n, v in minor.items()}, meta, invoice_keys)


def _columns(chunk: TextChunk, rows: pd.Index, currency: pd.Series, days: pd.Series,
             minor: dict, meta: dict[int, str], invoice_keys: set[str]) -> pd.DataFrame:
    t = {name: texts[rows] for name, texts in chunk.texts.items()}
    category, description = t["reporting_category"], t["description"]
    kind = category.str.lower().map(lambda c: stripe.KINDS.get(c, GatewayKind.ADJUSTMENT))
    dispute = description.str.extract(stripe._DASHBOARD_DISPUTE, expand=False)
    kind = kind.where(~((kind == GatewayKind.ADJUSTMENT) & dispute.notna()),
                      GatewayKind.DISPUTE)
    charge = first_filled(t["charge_id"], t["source_id"])
    charge = charge.where(~(dispute.notna() & (t["charge_id"] == "")), dispute)
    tied = kind.isin([GatewayKind.CHARGE, GatewayKind.REFUND, GatewayKind.DISPUTE])
    payout = t["automatic_payout_id"]
    payout = payout.where(kind != GatewayKind.PAYOUT, first_filled(payout, t["source_id"]))
    metadata = _metadata(chunk, meta, rows)
    invoice = [next((v for k, v in m.items() if k in invoice_keys), "") for m in metadata]
    return pd.DataFrame({
        "currency": currency, "gateway": constant(stripe.FORMAT, rows),
        "transaction_id": t["balance_transaction_id"], "kind": kind, "created_date": days,
        "gross_minor": minor["gross"], "fee_minor": minor["fee"], "net_minor": minor["net"],
        "status": category, "customer_name": t["customer_name"],
        "customer_email": t["customer_email"], "description": description,
        "invoice_ref": pd.Series(invoice, index=rows, dtype=object),
        "related_id": charge.where(tied, ""), "payout_id": payout,
        "metadata": pd.Series(metadata, index=rows, dtype=object),
    }, index=rows)


def _metadata(chunk: TextChunk, meta: dict[int, str], rows) -> list[dict[str, str]]:  # noqa: ANN001
    """Each row's metadata as :meth:`parsers.stripe.StripeParser.parse` reads it: the
    non-empty metadata cells, in column order (a key met twice keeps its first place and
    its last value)."""
    columns = [(key, chunk.texts[meta_name(p)][rows].tolist()) for p, key in meta.items()]
    out = []
    for n in range(len(rows)):
        found = {}
        for key, values in columns:
            if values[n]:
                found[key] = values[n]
        out.append(found)
    return out
