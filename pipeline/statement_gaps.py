"""Statement continuity (pure): consecutive statements of one account must join up.

A statement is an opening balance and the closing balance after it in the same file (MT940
``:60F:``/``:62F:``, camt ``OPBD``/``CLBD``; the balances of :func:`store.load_statement_balances`
in load order). Between two consecutive statements of one account (by date), the closing
balance must equal the next opening balance, and the next statement must start on the day
after (or on the day of) the closing. Otherwise a statement is possibly missing: a finding
``statement_gap`` on the later statement's opening balance.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.money import format_plain

SOURCE = ["source_format", "source_file", "source_ref", "source_line"]
GAP_COLUMNS = ["kind", *SOURCE, "source_date", "account_id", "amount_minor", "currency",
               "detail"]


def statement_gaps(balances: pd.DataFrame) -> pd.DataFrame:
    """GAP_COLUMNS rows (``amount_minor``: next opening less previous closing) for every
    pair of consecutive statements of one account that do not join up."""
    statements = _statements(balances)
    if statements.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    statements = statements.sort_values(["account_id", "currency", "start"], kind="stable")
    prev = statements.groupby(["account_id", "currency"])[["close_date", "close_minor"]].shift(1)
    pairs = statements.assign(prev_date=prev["close_date"], prev_minor=prev["close_minor"])
    pairs = pairs[pairs["prev_minor"].notna() & pairs["open_minor"].notna()]
    days = (pd.to_datetime(pairs["open_date"]) - pd.to_datetime(pairs["prev_date"])).dt.days
    differs = pairs["open_minor"].astype("int64") != pairs["prev_minor"].astype("int64")
    gaps = pairs.assign(days=days)[differs | (days > 1)]
    if gaps.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    detail = [_detail(g) for g in gaps.itertuples()]
    return pd.DataFrame({
        "kind": "statement_gap", **{c: gaps[f"open_{c}"] for c in SOURCE},
        "source_date": gaps["open_date"], "account_id": gaps["account_id"],
        "amount_minor": (gaps["open_minor"].astype("int64")
                         - gaps["prev_minor"].astype("int64")),
        "currency": gaps["currency"], "detail": detail}, columns=GAP_COLUMNS) \
        .reset_index(drop=True)


def _statements(balances: pd.DataFrame) -> pd.DataFrame:
    """One row per statement: its opening (``open_*``) and closing (``close_*``) balance,
    ``start`` its first known date. In each file of an account, an opening starts a new
    statement and the closings after it belong to it."""
    if balances is None or balances.empty:
        return pd.DataFrame()
    b = balances.reset_index(drop=True)
    b = b.assign(amount_minor=b["amount_minor"].astype("Int64"))  # stays whole when merged
    number = (b["kind"] == "opening").astype(int).groupby(
        [b["account_id"], b["source_file"]]).cumsum()  # closings before any opening: 0
    b = b.assign(statement=number, file=b["source_file"])
    key = ["account_id", "currency", "file", "statement"]
    opening = b[b["kind"] == "opening"].drop_duplicates(key, keep="first")
    closing = b[b["kind"] == "closing"].drop_duplicates(key, keep="last")
    side = ["date", "amount_minor", *SOURCE]
    both = opening[key + side].rename(columns={c: f"open_{c}" for c in side}).rename(
        columns={"open_amount_minor": "open_minor"}).merge(
        closing[key + side].rename(columns={c: f"close_{c}" for c in side}).rename(
            columns={"close_amount_minor": "close_minor"}), on=key, how="outer")
    return both.assign(start=both["open_date"].where(both["open_date"].notna(),
                                                     both["close_date"]))


def _detail(gap) -> str:  # noqa: ANN001 - a row of statement_gaps
    before = format_plain(int(gap.prev_minor), gap.currency)
    after = format_plain(int(gap.open_minor), gap.currency)
    text = (f"account {gap.account_id}: the statement closing {gap.prev_date} ends at {before} "
            f"{gap.currency}, the next one opens {gap.open_date} at {after} {gap.currency}")
    if gap.days > 1:
        first = gap.prev_date + dt.timedelta(days=1)
        last = gap.open_date - dt.timedelta(days=1)
        text += f"; {gap.days - 1} day(s) missing ({first} to {last})"
    return text + ": a statement is possibly missing"
