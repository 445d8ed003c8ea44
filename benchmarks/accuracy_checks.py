"""Scoring the findings beside the matches: payouts, tickets, duplicate charges, refunds and
chargebacks, and the tie-out of money per currency and source kind (plain functions; frames
and truth as in :mod:`benchmarks.accuracy_score`)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from benchmarks.accuracy_score import SETTLED, TICKET_STATUS, key_of, keys, money_frame

NON_CUSTOMER = ("payout", "gateway_payout", "fee", "interest", "outgoing", "other")


def payout_scores(truth: dict, payouts: pd.DataFrame | None) -> dict:
    """Payouts whose bank line arrived by the as-of date: how many the export shows verified
    by that very line (``in_transit``: the others)."""
    classes = dict(zip(*(money_frame(truth)[c] for c in ("key", "class")), strict=True))
    expected = [p for p in truth["payouts"] if p["bank"] is not None
                and classes.get(key_of(p["bank"])) == "payout"]
    if payouts is None or payouts.empty:
        return {"payouts": len(expected), "verified": 0, "in_transit": len(truth["payouts"])
                - len(expected)}
    lines = {pid: _bank_key(row) for pid, row in
             zip(payouts["payout_id"], payouts.to_dict("records"), strict=True)
             if row.get("status") == "verified"}
    verified = sum(lines.get(p["payout_id"]) == key_of(p["bank"]) for p in expected)
    return {"payouts": len(expected), "verified": verified,
            "in_transit": len(truth["payouts"]) - len(expected)}


def noise_scores(truth: dict, other_money: pd.DataFrame | None) -> pd.DataFrame:
    """Money that is not a customer's (payout bank lines, fees, interest, outgoing, other)
    inside the month, and how many ``other_money.csv`` lists with the right ``kind``
    (``None`` while no report writes that export)."""
    money = money_frame(truth)
    listed: dict[str, str] = {}
    if other_money is not None and not other_money.empty:
        listed = dict(zip(keys(other_money), other_money["kind"], strict=True))
    rows = []
    for klass in ("payout", "fee", "interest", "outgoing", "other"):
        mine = money.loc[money["class"] == klass, "key"]
        caught = None if other_money is None else int(sum(listed.get(k) == klass for k in mine))
        rows.append({"class": klass, "records": len(mine), "listed_as_other_money": caught})
    return pd.DataFrame(rows)


def _bank_key(row: dict) -> str | None:
    if not row.get("bank_source_file"):
        return None
    return key_of({"file": row["bank_source_file"], "ref": row.get("bank_source_ref") or None,
                   "line": row.get("bank_source_line") or None})


def ticket_scores(truth: dict, tickets: pd.DataFrame | None,
                  exceptions: pd.DataFrame | None) -> pd.DataFrame:
    """Per true ticket class: tickets, and how many the export got right (verified: by the
    right bank line; duplicate: an exception naming the ticket as a duplicate)."""
    got = {} if tickets is None else {
        t: (row["status"], _bank_key(row))
        for t, row in zip(tickets["ticket_id"], tickets.to_dict("records"), strict=True)}
    duplicates = set()
    if exceptions is not None and not exceptions.empty:
        flagged = exceptions.loc[exceptions["kind"].str.contains("duplicate")
                                 & (exceptions["source_kind"] == "ticket")]
        duplicates = set(flagged["source_ref"])
    rows: dict[str, list[int]] = {}
    for ticket in truth["tickets"]:
        klass = ticket["class"]
        status, bank = got.get(ticket["ticket_id"], ("missing", None))
        if klass == "duplicate":
            ok = ticket["ticket_id"] in duplicates
        elif klass == "verified":
            ok = status == "verified" and bank == key_of(ticket["bank"])
        else:
            ok = status == TICKET_STATUS[klass]
        counts = rows.setdefault(klass, [0, 0])
        counts[0] += 1
        counts[1] += int(ok)
    return pd.DataFrame([{"class": k, "tickets": v[0], "caught": v[1]}
                         for k, v in sorted(rows.items())], columns=["class", "tickets", "caught"])


def gateway_scores(truth: dict, exceptions: pd.DataFrame | None) -> pd.DataFrame:
    """Duplicate charges, refunds and chargebacks in the truth, and how many the exceptions
    catch (a row of the right kind naming the record or the charge it is about)."""
    money = money_frame(truth)
    flagged: dict[str, set[str]] = {}
    if exceptions is not None and not exceptions.empty:
        for kind, key in zip(exceptions["kind"], keys(exceptions), strict=True):
            flagged.setdefault(kind, set()).add(key)
    anything = set().union(*flagged.values()) if flagged else set()
    rows = []
    for klass, kind in (("duplicate_charge", "duplicate_charge"), ("refund", "refund"),
                        ("chargeback", "chargeback")):
        mine = money.loc[money["class"] == klass]
        seen = flagged.get(kind, set())
        about = [[k] if klass == "duplicate_charge" else [k, o]
                 for k, o in zip(mine["key"], mine["of"], strict=True)]
        caught = sum(any(k in seen for k in ks) for ks in about)
        other = sum(not any(k in seen for k in ks) and any(k in anything for k in ks)
                    for ks in about)
        rows.append({"class": klass, "records": len(mine), "caught": int(caught),
                     "flagged_as_other_kind": int(other)})
    return pd.DataFrame(rows)


COMPONENTS = ["applied", "suggested", "credit", "unmatched", "non_customer", "after_as_of"]


def per_record(truth: dict, exports: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    """One row per incoming money record of the truth (key as index): its class, currency,
    source kind, ``money_in`` and how the exports account for it (COMPONENTS), plus
    ``difference``. Suggested counts at most what auto left: a record's suggestions are added
    up (the invoices of a suggested subset sum share its money) and capped there, so
    alternatives are never counted twice."""
    money = money_frame(truth)
    incoming = money.loc[money["amount"] > 0].set_index("key")
    matches = exports["matches"]
    table = incoming[["class", "currency", "source_kind"]].assign(money_in=incoming["amount"])
    amounts = matches.assign(key=keys(matches), applied=matches["applied_amount"].map(_dec))
    settled = amounts.loc[amounts["status"].isin(SETTLED)].groupby("key")["applied"].sum()
    suggested = amounts.loc[amounts["status"] == "suggested"].groupby("key")["applied"].sum()
    table["applied"] = settled.reindex(table.index).fillna(Decimal(0))
    left = table["money_in"] - table["applied"]
    table["suggested"] = [min(a, s) if s == s else Decimal(0) for a, s in
                          zip(left, suggested.reindex(table.index), strict=True)]
    table["credit"] = _credits(exports, table.index)
    unmatched = exports["unmatched"]
    later = unmatched["reason"].str.startswith("after_as_of") if "reason" in unmatched \
        else pd.Series(False, index=unmatched.index)
    table["unmatched"] = _listed(unmatched.loc[~later], table.index, "amount")
    table["non_customer"] = _listed(exports.get("other_money"), table.index, "amount")
    # money after the as-of date: unmatched rows whose reason says so
    table["after_as_of"] = _listed(unmatched.loc[later], table.index, "amount")
    table["difference"] = table["money_in"] - table[COMPONENTS].sum(axis=1)
    return table


def tie_out(truth: dict, exports: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    """Per currency and source kind: money in (the truth's incoming records) against applied +
    suggested + credit + unmatched + non-customer + after as-of as the exports account for it;
    ``None`` for a component whose export today's report does not write."""
    records = per_record(truth, exports)
    table = records.groupby(["currency", "source_kind"])[
        ["money_in", *COMPONENTS, "difference"]].sum()
    if exports.get("other_money") is None:
        table["non_customer"] = None
    if exports.get("credits") is None and exports.get("exceptions") is None:
        table["credit"] = None
    return table.reset_index()


def unaccounted(truth: dict, exports: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    """The tie-out's difference per currency and true class: records with money left over
    (none of the components covers it) and how much."""
    records = per_record(truth, exports)
    left = records.loc[records["difference"] != 0]
    return (left.groupby(["currency", "class"])
            .agg(records=("difference", "size"), amount=("difference", "sum")).reset_index())


def _credits(exports: dict[str, pd.DataFrame | None], index: pd.Index) -> pd.Series:
    """Client credit per record: ``credits.csv`` when it names its money record (source
    columns), else the ``overpayment`` exceptions (their amount is the credit)."""
    credits = exports.get("credits")
    if credits is not None and "source_file" in credits:
        return _listed(credits, index, "amount")
    exceptions = exports.get("exceptions")
    if exceptions is None or exceptions.empty:
        return _listed(None, index, "amount")
    return _listed(exceptions.loc[exceptions["kind"] == "overpayment"], index, "amount")


def _listed(frame: pd.DataFrame | None, index: pd.Index, column: str) -> pd.Series:
    if frame is None or frame.empty:
        return pd.Series(Decimal(0), index=index, dtype=object)
    amounts = pd.Series(frame[column].map(_dec).to_numpy(), index=keys(frame).to_numpy())
    return amounts.groupby(level=0).sum().reindex(index).fillna(Decimal(0))


def _dec(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)
