"""What became of each ticket's claim: duplicates linked, a status, the ticket's exceptions.

Frames are the claims of :mod:`pipeline.matching.by_ticket_fit` (index ``t``) with the
verifying line ``row`` (NaN: none), ``tied`` and ``others`` from :func:`choose`.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
from rapidfuzz.distance import DamerauLevenshtein

from pipeline.frames import EXCEPTION_COLUMNS, TICKET_OUTCOME_COLUMNS, empty


def ticket_payment_ids(ticket_ids: pd.Series) -> pd.Series:
    """A ticket's stable numeric id (62 bits of a hash of its ``ticket_id``): the
    ``payment_id`` of its exceptions, kind ``ticket`` (the store keys findings by number)."""
    return ticket_ids.astype(str).map(
        lambda t: int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest()) >> 2
    ).astype("int64")


def _same_invoice(a: pd.Series, b: pd.Series) -> bool:
    """Two claims that may name one invoice: the same, one typo apart, or one left blank."""
    if a["invoice"] is not None and a["invoice"] == b["invoice"]:
        return True
    x, y = a["claimed_key"], b["claimed_key"]
    return not x or not y or DamerauLevenshtein.distance(x, y, score_cutoff=1) <= 1


def _same_amount(a: pd.Series, b: pd.Series) -> bool:
    mine = {v for v in (a["amount"], a["alt"]) if pd.notna(v)}
    theirs = {v for v in (b["amount"], b["alt"]) if pd.notna(v)}
    return not mine or not theirs or bool(mine & theirs)


def link_duplicates(c: pd.DataFrame) -> pd.DataFrame:
    """Add ``duplicate_of`` (the first ticket of the same payment) and ``contested`` (a line
    two different claims fit). Verified claims: one line, the same invoice. Others: one
    holder, one transfer date, the same amount and invoice."""
    c = _adopted(c.assign(duplicate_of=None, contested=False,
                          tied=c["tied"].fillna(False).astype(bool)))
    order = c.sort_values(["created_date", "t"], kind="stable")
    verified = order[order["row"].notna() & ~order["tied"]]
    verified = verified[verified.duplicated("row", keep=False)]  # only groups of two or more
    unverified = order[order["row"].isna() & (order["holder"] != "")]
    unverified = unverified[unverified.duplicated(["holder", "claim_date"], keep=False)]
    for _, group in verified.groupby("row", sort=False):
        _link(c, group, _same_invoice)
    for _, group in unverified.groupby(["holder", "claim_date"], sort=False):
        _link(c, group, _same_claim)
    return c


def _same_claim(a: pd.Series, b: pd.Series) -> bool:
    return _same_invoice(a, b) and _same_amount(a, b)


def _adopted(c: pd.DataFrame) -> pd.DataFrame:
    """A claim no line fits (no amount typed, say) that repeats a verified claim (one holder,
    one transfer date, the same invoice and amount) is about that claim's line."""
    key = ["holder", "claim_date"]
    verified = c[c["row"].notna() & ~c["tied"] & (c["holder"] != "")]
    lost = c[c["row"].isna() & (c["holder"] != "")]
    pairs = lost.reset_index(drop=True).merge(verified, on=key, suffixes=("", "_v"))
    for _, pair in pairs.iterrows():  # a handful: repeated claims of one payment
        mine = c.loc[pair["t"]]
        theirs = c.loc[pair["t_v"]]
        if pd.isna(c.at[pair["t"], "row"]) and _same_claim(mine, theirs):
            c.at[pair["t"], "row"] = theirs["row"]
    return c


def _link(c: pd.DataFrame, group: pd.DataFrame, same) -> None:  # noqa: ANN001
    if len(group) < 2:
        return
    first = group.iloc[0]
    for t, claim in group.iloc[1:].iterrows():
        if same(first, claim):
            c.at[t, "duplicate_of"] = first["ticket_id"]
        elif pd.notna(claim["row"]):  # one line, two different invoices: for a person
            c.loc[[t, first.name], "contested"] = True


def statuses(c: pd.DataFrame, as_of: dt.date, window: int) -> pd.DataFrame:
    """Add ``status`` and ``detail`` to every claim (duplicates take their first's status)."""
    elapsed = pd.Series([(as_of - d).days for d in c["claim_date"]], index=c.index)
    tied = c["tied"] | c["contested"]
    status = pd.Series("pending", index=c.index, dtype=object)
    status[elapsed >= window] = "claimed_not_received"
    status[c["row"].notna() & ~tied] = "verified"
    status[c["row"].notna() & tied] = "pending"  # the money came; which line is for a person
    status[c["destination"] == "foreign"] = "rejected"
    detail = pd.Series("", index=c.index, dtype=object)
    detail[status == "pending"] = ("no bank line fits yet (amount, date, holder, account); "
                                   "the window closes " + (c["claim_date"].map(
                                       lambda d: (d + dt.timedelta(days=window)).isoformat())))
    detail[status == "claimed_not_received"] = (
        "claimed " + elapsed.astype(str) + " days ago and no bank line fits "
        "(amount, date, holder, account)")
    detail[tied & c["row"].notna()] = "several bank lines fit equally well; a person decides"
    detail[c["contested"]] = "the bank line that fits is claimed for another invoice too"
    detail[status == "rejected"] = "the destination account is not one of the shop's accounts"
    dup = c["duplicate_of"].notna()
    first = c.set_index("ticket_id")
    status[dup] = c.loc[dup, "duplicate_of"].map(pd.Series(status.to_numpy(),
                                                           index=first.index))
    detail[dup] = "same payment as ticket " + c.loc[dup, "duplicate_of"]
    return c.assign(status=status, detail=detail)


def outcomes(c: pd.DataFrame, money: pd.DataFrame, lent: pd.Series) -> pd.DataFrame:
    """TICKET_OUTCOME_COLUMNS: each claim's status, its bank line, the invoice it lent."""
    if c.empty:
        return empty(TICKET_OUTCOME_COLUMNS)
    shown = c["row"].notna() & c["status"].eq("verified")
    rows = c["row"].where(shown)
    kind = rows.map(lambda r: money.at[int(r), "payment_kind"] if pd.notna(r) else "")
    pid = rows.map(lambda r: money.at[int(r), "payment_id"] if pd.notna(r) else None)
    invoice = c.index.to_series().map(lent).astype(object)
    invoice = invoice.where(invoice.notna(), c["invoice"].astype(object))
    invoice = invoice.where(invoice.notna(), c["claimed"].astype(object))
    return pd.DataFrame({"ticket_id": c["ticket_id"], "status": c["status"],
                         "payment_kind": kind.astype(object), "payment_id": pid.astype(object),
                         "invoice_number": invoice, "detail": c["detail"]}).reset_index(drop=True)


def findings(c: pd.DataFrame) -> pd.DataFrame:
    """EXCEPTION_COLUMNS of the tickets: claimed_not_received, unknown_destination_account
    and duplicate_ticket (payment_kind ``ticket``)."""
    kinds = pd.Series(None, index=c.index, dtype=object)
    kinds[c["status"] == "claimed_not_received"] = "claimed_not_received"
    kinds[c["status"] == "rejected"] = "unknown_destination_account"
    kinds[c["duplicate_of"].notna()] = "duplicate_ticket"
    hit = c[kinds.notna()]
    if hit.empty:
        return empty(EXCEPTION_COLUMNS)
    return pd.DataFrame({
        "kind": kinds[hit.index], "payment_kind": "ticket",
        "payment_id": ticket_payment_ids(hit["ticket_id"]).astype(object),
        "invoice_number": hit["invoice"].fillna(hit["claimed"]),
        "amount_minor": hit["amount"].astype(object), "currency": hit["currency"],
        "detail": "ticket " + hit["ticket_id"] + ": " + hit["detail"],
    }).reset_index(drop=True)
