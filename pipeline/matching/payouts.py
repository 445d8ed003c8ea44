"""Pass: payouts. Each gateway payout (a Stripe automatic payout, a PayPal withdrawal) is
verified against exactly one bank line: same currency, an amount equal to what the payout
sent (minus its own net, or the sum of its items' net; a negative payout arrives as a bank
debit), dated on the payout's day or within ``non_customer.payout_window_days`` after it.

- one such line -> ``verified``; the line is a transfer, not customer money: it leaves the
  money with no allocation and is listed as other money (kind ``payout``);
- several lines fit and nothing tells them apart -> ``unverified`` (the lines stay money);
- no line fits, but a line naming the gateway arrived in the window with another amount ->
  ``mismatch`` (exception ``payout_mismatch``; the line is still the gateway's money);
- no line at all -> ``unverified``: in transit when the window reaches past the as-of date.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from pipeline.frames import PAYOUT_OUTCOME_COLUMNS, empty
from pipeline.matching.work import EXC, OTHER, Decided, Work, none
from pipeline.money import format_plain

LINE = ["line", "row", "payment_id", "currency", "amount_minor", "source_date", "text"]


def by_payout(work: Work) -> Decided:
    payouts = work.payouts
    if payouts is not None:  # a payout dated after the as-of date is not known yet
        day = pd.to_datetime(payouts["payout_date"])
        payouts = payouts[day.isna() | (day <= pd.Timestamp(work.as_of))]
    if payouts is None or payouts.empty:
        return Decided.nothing()
    lines = _lines(work.money, work.non_payments)
    window = work.settings.non_customer.payout_window_days
    outcomes, other, exceptions = verify_payouts(payouts, lines, window_days=window,
                                                 as_of=work.as_of)
    nothing = Decided.nothing()
    return Decided(nothing.allocations, nothing.unmatched, exceptions, other=other,
                   payouts=outcomes)


def _lines(money: pd.DataFrame, non_payments: pd.DataFrame | None) -> pd.DataFrame:
    """LINE: the bank credits still unexplained (``row``: their payment row) and the bank
    debits (``row`` -1); ``line`` tells each apart; ``text`` with the counterparty."""
    credits = money[money["payment_kind"] == "bank"]
    credits = credits.assign(row=credits.index, line="c" + credits.index.astype(str))
    debits = non_payments[non_payments["payment_kind"] == "bank"] \
        if non_payments is not None else credits.iloc[0:0]
    debits = debits.assign(row=-1, line="d" + debits["payment_id"].astype(str))
    lines = pd.concat([credits, debits], ignore_index=True)
    named = lines["text"].fillna("").astype(str) + " | " + lines["counterparty"].fillna("")
    return lines.assign(text=named)[LINE]


def verify_payouts(payouts: pd.DataFrame, lines: pd.DataFrame, *, window_days: int,
                   as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(outcomes PAYOUT_OUTCOME_COLUMNS, other money OTHER, exceptions EXC) for ``payouts``
    (PAYOUT_COLUMNS) against bank ``lines`` (LINE). Other money and exceptions are keyed by
    payment row: only for bank credits (a debit is other money anyway)."""
    pay = payouts.reset_index(drop=True)
    pay = pay.assign(p=pay.index, payout_date=pay["payout_date"].fillna(as_of))
    found = _unique(_candidates(pay, lines, window_days))
    rest = pay[~pay["p"].isin(set(found["p"]))]
    wrong = _named_in_window(rest, lines[~lines["line"].isin(set(found["line"]))], window_days)
    outcomes = _outcomes(pay, found, wrong, window_days, as_of)
    other = pd.concat([_other(found[found["row"] >= 0], "verified"),
                       _other(wrong[wrong["row"] >= 0], "mismatch")], ignore_index=True)
    return outcomes, other if len(other) else none(OTHER), _mismatches(wrong[wrong["row"] >= 0])


def _candidates(pay: pd.DataFrame, lines: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """(payout, line) pairs whose amount equals the payout's net or its items' net and whose
    date is in the window; ``names``: the line's text names the gateway."""
    own = pay.assign(want=-pay["net_minor"])
    split = pay[(pay["item_count"] > 0) & (pay["items_net_minor"] != -pay["net_minor"])]
    wanted = pd.concat([own, split.assign(want=split["items_net_minor"])], ignore_index=True)
    pairs = wanted.merge(lines.rename(columns={"amount_minor": "line_minor"}),
                         left_on=["currency", "want"], right_on=["currency", "line_minor"])
    return _in_window(pairs, window_days).drop_duplicates(["p", "line"])


def _in_window(pairs: pd.DataFrame, window_days: int) -> pd.DataFrame:
    days = (pd.to_datetime(pairs["source_date"]) - pd.to_datetime(pairs["payout_date"])).dt.days
    pairs = pairs.assign(days=days)[(days >= 0) & (days <= window_days)]
    names = [str(g).lower() in str(t).lower() for g, t in zip(pairs["gateway"], pairs["text"],
                                                              strict=True)]
    return pairs.assign(names=pd.Series(names, index=pairs.index, dtype=bool))


def _unique(pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs where the payout has one line and the line one payout (lines that name the
    gateway are preferred when a payout has several)."""
    if pairs.empty:
        return pairs
    named = pairs.groupby("p")["names"].transform("any")
    pairs = pairs[pairs["names"] | ~named]
    one = (pairs.groupby("p")["line"].transform("size") == 1) & (
        pairs.groupby("line")["p"].transform("size") == 1)
    return pairs[one]


def _named_in_window(rest: pd.DataFrame, lines: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """For payouts no line verifies: the nearest line in the window, in their currency, whose
    text names the gateway (at most one payout per line)."""
    if rest.empty or lines.empty:
        return rest.iloc[0:0].assign(row=None, line=None)
    gateways = "|".join(re.escape(g) for g in sorted(set(rest["gateway"].astype(str))))
    lines = lines[lines["text"].fillna("").astype(str).str.contains(gateways, case=False)]
    pairs = _in_window(rest.merge(lines.rename(columns={"amount_minor": "line_minor"}),
                                  on="currency"), window_days)
    pairs = pairs[pairs["names"]].sort_values(["days", "p"], kind="stable")
    return pairs.drop_duplicates("p").drop_duplicates("line")


def _outcomes(pay: pd.DataFrame, found: pd.DataFrame, wrong: pd.DataFrame, window_days: int,
              as_of: dt.date) -> pd.DataFrame:
    if pay.empty:
        return empty(PAYOUT_OUTCOME_COLUMNS)
    out = pay[["p", "gateway", "payout_id", "currency", "net_minor", "payout_date",
               "item_count", "items_net_minor"]].set_index("p")
    out = out.assign(status="unverified", payment_kind="", payment_id=None,
                     detail=[_missing(r, window_days, as_of) for r in out.itertuples()])
    for frame, status in ((wrong, "mismatch"), (found, "verified")):
        if len(frame):
            at = frame["p"].to_numpy()
            out.loc[at, "status"] = status
            out.loc[at, "payment_kind"] = "bank"
            out.loc[at, "payment_id"] = frame["payment_id"].astype(object).to_numpy()
            out.loc[at, "detail"] = _line_detail(frame, status).to_numpy()
    return out.reset_index(drop=True)[PAYOUT_OUTCOME_COLUMNS]


def _missing(payout, window_days: int, as_of: dt.date) -> str:  # noqa: ANN001
    amount = format_plain(-int(payout.net_minor), payout.currency)
    end = payout.payout_date + dt.timedelta(days=window_days)
    state = "in transit" if end > as_of else "not received"
    return (f"{state}: no bank line of {amount} {payout.currency} within {window_days} days "
            f"after {payout.payout_date.isoformat()}")


def _line_detail(frame: pd.DataFrame, status: str) -> pd.Series:
    amount = [format_plain(-int(a), c) for a, c in zip(frame["net_minor"], frame["currency"],
                                                       strict=True)]
    line = [format_plain(int(a), c) for a, c in zip(frame["line_minor"], frame["currency"],
                                                    strict=True)]
    items = frame["item_count"].astype(int).astype(str) + " items"
    if status == "verified":
        return (frame["gateway"] + " payout " + frame["payout_id"] + " of "
                + frame["payout_date"].astype(str) + " (" + items + ") arrived "
                + frame["source_date"].astype(str) + " as " + pd.Series(line, index=frame.index)
                + " " + frame["currency"])
    return (frame["gateway"] + " payout " + frame["payout_id"] + " is "
            + pd.Series(amount, index=frame.index) + " but the bank line naming "
            + frame["gateway"] + " on " + frame["source_date"].astype(str) + " is "
            + pd.Series(line, index=frame.index) + " " + frame["currency"])


def _other(frame: pd.DataFrame, status: str) -> pd.DataFrame:
    if frame.empty:
        return none(OTHER)
    return pd.DataFrame({"row": frame["row"].to_numpy(), "kind": "payout",
                         "detail": _line_detail(frame, status).to_numpy()})


def _mismatches(wrong: pd.DataFrame) -> pd.DataFrame:
    if wrong.empty:
        return none(EXC)
    return pd.DataFrame({"row": wrong["row"].to_numpy(), "kind": "payout_mismatch",
                         "invoice_number": "", "amount_minor": wrong["line_minor"].to_numpy(),
                         "currency": wrong["currency"].to_numpy(),
                         "detail": _line_detail(wrong, "mismatch").to_numpy()})
