"""The run's summary (``summary.json``): counts and totals per source, allocation status, rule
and currency, and the auto-match rate. Totals are plain decimal strings in one currency each:
two currencies are never added together."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from pipeline.report_values import minor_units, plain

KEY = ["payment_kind", "key"]  # a payment or ticket, as the report frames join them
SETTLED = ("auto", "confirmed")  # allocations that count as applied money


def summarize(sources: pd.DataFrame, allocations: pd.DataFrame, unmatched: pd.DataFrame,
              exceptions: pd.DataFrame, state: pd.DataFrame, *, as_of: dt.date,
              rejects: int) -> dict:
    """The JSON-able summary of one report run.

    Frames as :mod:`pipeline.reporting` joins them: ``sources`` one row per payment/ticket
    (``payment_kind``, ``key``, ``source_format``, ``source_amount_minor``,
    ``source_currency``); ``allocations``/``unmatched``/``exceptions`` with those source
    columns attached; ``state`` from :func:`pipeline.reporting.invoice_state`.
    ``auto_match_rate`` = payments (bank, gateway) with an auto allocation / all payments.
    """
    payments = sources.loc[sources["payment_kind"] != "ticket"]
    auto = allocations.loc[allocations["status"] == "auto", KEY].drop_duplicates()
    auto_paid = len(auto.merge(payments[KEY], on=KEY))
    overdue = state["is_open"] & (state["days_overdue"] > 0)
    return {
        "as_of": as_of.isoformat(),
        "counts": {
            "payments": len(payments), "allocations": len(allocations),
            "unmatched": len(unmatched), "exceptions": len(exceptions), "rejects": rejects,
            "invoices": len(state), "open_invoices": int(state["is_open"].sum()),
            "overdue_invoices": int(overdue.sum()),
        },
        "auto_match_rate": round(auto_paid / len(payments), 4) if len(payments) else 0.0,
        "by_source": _grouped(payments, ["payment_kind", "source_format"],
                              "source_amount_minor", "source_currency")
        .rename(columns={"payment_kind": "source_kind"}).to_dict("records"),
        "by_status": _grouped(allocations, ["status"], "applied_minor", "currency")
        .to_dict("records"),
        "by_rule": _grouped(allocations, ["rule", "status"], "applied_minor", "currency")
        .to_dict("records"),
        "by_currency": _by_currency(payments, allocations, unmatched, state, overdue),
        "invoices_by_status": _counts(state["status"]),
        "exceptions_by_kind": _counts(exceptions["kind"]),
    }


def _grouped(frame: pd.DataFrame, keys: list[str], amount: str, currency: str) -> pd.DataFrame:
    """``keys`` + ``currency``, ``count``, ``total`` (plain string in that currency)."""
    cols = [*keys, currency]
    labelled = frame.assign(**{k: frame[k].fillna("").astype(str) for k in cols},
                            **{amount: minor_units(frame[amount])})
    grouped = (labelled.groupby(cols, sort=True)
               .agg(count=(amount, "size"), minor=(amount, "sum")).reset_index())
    grouped["total"] = plain(grouped["minor"], grouped[currency])
    grouped["count"] = grouped["count"].astype(object).map(int)
    return grouped.drop(columns="minor").rename(columns={currency: "currency"})


def _by_currency(payments: pd.DataFrame, allocations: pd.DataFrame, unmatched: pd.DataFrame,
                 state: pd.DataFrame, overdue: pd.Series) -> list[dict]:
    def total(frame: pd.DataFrame, amount: str, currency: str) -> pd.Series:
        return minor_units(frame[amount]).groupby(frame[currency].fillna("").astype(str)).sum()

    settled = allocations.loc[allocations["status"].isin(SETTLED)]
    suggested = allocations.loc[allocations["status"] == "suggested"]
    minor = pd.DataFrame({
        "payments_total": total(payments, "source_amount_minor", "source_currency"),
        "applied_total": total(settled, "applied_minor", "currency"),
        "suggested_total": total(suggested, "applied_minor", "currency"),
        "unmatched_total": total(unmatched, "source_amount_minor", "source_currency"),
        "open_balance": total(state.loc[state["is_open"]], "balance_minor", "currency"),
        "overdue_balance": total(state.loc[overdue], "balance_minor", "currency"),
    }).fillna(0).astype("int64").sort_index()
    currency = pd.Series(minor.index, index=minor.index)
    table = pd.DataFrame({name: plain(minor[name], currency) for name in minor.columns})
    counts = payments["source_currency"].fillna("").astype(str).value_counts()
    table.insert(0, "payments_count", counts.reindex(minor.index, fill_value=0).map(int))
    return table.rename_axis("currency").reset_index().to_dict("records")


def _counts(values: pd.Series) -> dict[str, int]:
    counts = values.fillna("").astype(str).value_counts().sort_index()
    return {str(k): int(v) for k, v in counts.items()}


TIE_OUT = ["applied", "suggested", "credit", "unmatched", "non_customer", "after_as_of"]
LATER = "after_as_of"  # the reason class of money dated after the as-of date


def tie_out(sources: pd.DataFrame, allocations: pd.DataFrame, unmatched: pd.DataFrame,
            exceptions: pd.DataFrame, other: pd.DataFrame) -> list[dict]:
    """Per currency and source kind (bank, gateway): money in = applied + suggested + credit
    + unmatched + non-customer + after as-of, and the ``difference`` (0 when every unit of
    money is accounted for). Frames as for :func:`summarize` (``other``: the other money
    with its source columns). Suggested counts at most what was not applied: a payment's
    suggestions are added up (the invoices of a suggested subset sum share its money) and
    capped there, so alternatives are never counted twice."""
    table = tie_out_per_payment(sources, allocations, unmatched, exceptions, other)
    grouped = table.groupby(["currency", "payment_kind"], sort=True)[
        ["money_in", *TIE_OUT, "difference"]].sum().reset_index()
    currency = grouped["currency"]
    rows = pd.DataFrame({"currency": currency, "source_kind": grouped["payment_kind"],
                         **{name: plain(grouped[name], currency)
                            for name in ["money_in", *TIE_OUT, "difference"]}})
    return rows.to_dict("records")


def tie_out_per_payment(sources: pd.DataFrame, allocations: pd.DataFrame,
                        unmatched: pd.DataFrame, exceptions: pd.DataFrame,
                        other: pd.DataFrame) -> pd.DataFrame:
    """One row per payment (KEY): its ``currency``, ``money_in``, TIE_OUT and ``difference``
    in minor units."""
    pay = sources.loc[sources["payment_kind"] != "ticket"]
    money_in = minor_units(pay["source_amount_minor"]).to_numpy()
    table = pd.DataFrame({
        **{name: pay[name].astype(str).to_numpy(dtype=object) for name in KEY},
        "currency": pay["source_currency"].fillna("").astype(str).to_numpy(dtype=object),
        "money_in": money_in})[money_in > 0].reset_index(drop=True)
    at = pd.Index(_joined(table["payment_kind"], table["key"]))
    later = unmatched["reason"].fillna("").astype(str).str.startswith(LATER)
    credit = exceptions.loc[exceptions["kind"] == "overpayment"]
    table["applied"] = _per_key(allocations.loc[allocations["status"].isin(SETTLED)],
                                "applied_minor", at)
    most = pd.Series(_per_key(allocations.loc[allocations["status"] == "suggested"],
                              "applied_minor", at), index=table.index)
    table["suggested"] = most.clip(upper=(table["money_in"] - table["applied"]).clip(lower=0))
    table["credit"] = _per_key(credit, "amount_minor", at)
    table["unmatched"] = _per_key(unmatched.loc[~later], "source_amount_minor", at)
    table["non_customer"] = _per_key(other, "source_amount_minor", at)
    table["after_as_of"] = _per_key(unmatched.loc[later], "source_amount_minor", at)
    table["difference"] = table["money_in"] - table[TIE_OUT].sum(axis=1)
    return table


def _per_key(frame: pd.DataFrame, amount: str, keys: pd.Index) -> np.ndarray:
    """The sum of ``amount`` per KEY of ``frame``, at each of ``keys`` (:func:`_joined`
    KEYs, each once), 0 for a KEY ``frame`` does not hold."""
    out = np.zeros(len(keys), dtype=np.int64)
    if frame.empty:
        return out
    text = frame[KEY].astype(str)
    at = keys.get_indexer(_joined(text["payment_kind"], text["key"]))
    found = at >= 0
    np.add.at(out, at[found], minor_units(frame[amount]).to_numpy()[found])
    return out


def _joined(kinds: object, keys: object) -> np.ndarray:
    """KEY as one text (the kind never holds the separator)."""
    return (np.asarray(kinds, dtype=object) + "\x1f" + np.asarray(keys, dtype=object))
