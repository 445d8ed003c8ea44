"""Which bank lines a ticket's claim fits, and which one verifies it.

A claim fits a bank line when the line's amount is a reading of the typed amount (either
reading of ``832,500``; a claim without an amount: the balance or total of the invoice it
names), the line is dated in the window around the claimed transfer date (or before the
ticket was written), it came into the account the ticket names (one of the shop's), and a
name the ticket gives (account holder, sender, the named invoice's client) fits the line's
name. The best fit verifies the ticket when it is better than every other fit: a stronger
name, else a date nearer the claimed one. Two equally good fits verify nothing.

Frames: ``claims`` (one row per ticket, index ``t``: its position among the tickets) and
``pairs`` (one row per claim and fitting line ``row``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz.distance import DamerauLevenshtein

from pipeline.matching.by_ticket_names import (
    FITS,
    STRONG,
    clean_account,
    clean_names,
    clean_number,
    destination_state,
    nameless_lines,
    near_numbers,
)
from pipeline.matching.by_ticket_scores import Coded, coded_scores
from pipeline.matching.by_ticket_window import Lines, in_window, reading_chunks
from pipeline.matching.candidates import candidate_invoices
from pipeline.matching.runs import repeated_runs
from pipeline.settings import Settings


def shop_accounts(settings: Settings, payments: pd.DataFrame) -> list[str]:
    """The shop's account numbers: configured, and every account a bank statement came from."""
    configured = pd.Series([a.number for a in settings.accounts], dtype=object)
    seen = payments.loc[payments["payment_kind"] == "bank", "account_id"].drop_duplicates()
    numbers = clean_account(pd.concat([configured, seen.astype(object)], ignore_index=True))
    return sorted({n for n in numbers if len(n) >= 4})


def claims(tickets: pd.DataFrame, invoices: pd.DataFrame, shop: list[str]) -> pd.DataFrame:
    """One row per ticket: what it claims, in comparable form, and the invoice it names."""
    t = tickets.reset_index(drop=True)
    given = t["claimed_date"].where(t["claimed_date"].notna(), None)
    named = _named_invoice(t, invoices)
    client = named.map(invoices.set_index("invoice_number")["client_name"])
    cleaned = [clean_names(_text(t, "account_holder")), clean_names(_text(t, "name")),
               clean_names(client.fillna(""))]  # each distinct name cleaned once
    names = [tuple(dict.fromkeys(n for n in given if n)) for given in zip(*cleaned, strict=True)]
    return pd.DataFrame({
        "t": t.index, "ticket_id": t["ticket_id"].astype(str), "created_date": t["created_date"],
        "claim_date": given.where(given.notna(), t["created_date"]),
        "dated": given.notna(), "currency": t["currency"].where(t["currency"].notna(), None),
        "amount": t["claimed_amount_minor"], "alt": t["claimed_amount_alt_minor"],
        "claimed": _text(t, "invoice_number"), "claimed_key": clean_number(t["invoice_number"]),
        "invoice": named.where(named.notna(), None), "names": names,
        "holder": clean_name_series(t), "client_id": _text(t, "client_id"),
        "destination": destination_state(t["destination_account"], shop),
        "dest_clean": clean_account(t["destination_account"]),
    })


def clean_name_series(t: pd.DataFrame) -> pd.Series:
    """The name that identifies a claimant: the account holder, else the sender."""
    holder = clean_names(_text(t, "account_holder"))
    return holder.where(holder != "", clean_names(_text(t, "name")))


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str)


def _named_invoice(t: pd.DataFrame, invoices: pd.DataFrame) -> pd.Series:
    """The invoice a ticket names; not one of another client's when the ticket says whose
    it is (then the number is a typo, see :func:`pipeline.matching.by_ticket._typo`)."""
    claimed = clean_number(t["invoice_number"])
    named = claimed.map(_invoice_keys(invoices, claimed))
    owner = named.map(invoices.set_index("invoice_number")["client_id"]).fillna("").astype(str)
    client = _text(t, "client_id")
    return named.where((client == "") | (owner == client))


def _invoice_keys(invoices: pd.DataFrame, claimed: pd.Series) -> pd.Series:
    """Cleaned invoice number or billing id -> invoice number, for the ``claimed`` keys
    (cleaned numbers): only the invoices whose :func:`_loose` number or id is a claimed key's
    are cleaned (every key :func:`clean_number` can give has the loose form of its value)."""
    asked = set(_loose(claimed))
    ids = invoices["invoice_id"].astype(object)
    near = (_loose(invoices["invoice_number"].fillna("").astype(str).str.upper()).isin(asked)
            | _loose(ids.fillna("").astype(str).str.upper()).isin(asked))
    invoices, ids = invoices[near.to_numpy()], ids[near.to_numpy()]
    keys = pd.concat([
        pd.DataFrame({"key": clean_number(invoices["invoice_number"]),
                      "number": invoices["invoice_number"]}),
        pd.DataFrame({"key": clean_number(ids), "number": invoices["invoice_number"]}),
    ])
    keys = keys[keys["key"] != ""].drop_duplicates("key")
    return keys.set_index("key")["number"]


def _loose(upper: pd.Series) -> pd.Series:
    """``upper`` (upper-cased text) without whitespace, ``#``, ``0`` or ``O``: what
    :func:`clean_number` changes (it upper-cases, drops whitespace and ``#``, reads O as 0,
    strips leading zeros) is all dropped here, so a value and its key have one loose form."""
    return upper.str.replace(r"[\s#0O]", "", regex=True)


def readings(c: pd.DataFrame, invoices: pd.DataFrame) -> pd.DataFrame:
    """(t, amount): the amounts a claim can mean; without a typed amount, the named
    invoice's balance and total."""
    typed = pd.concat([c["amount"], c["alt"]]).dropna()
    blank = c[c["amount"].isna() & c["alt"].isna()]
    named = pd.concat([blank["invoice"].dropna(), _near_invoices(blank[blank["invoice"].isna()],
                                                                 invoices)])
    inv = invoices.set_index("invoice_number")
    from_invoice = pd.concat([named.map(inv["balance_minor"]),
                              named.map(inv["total_minor"])]).dropna()
    both = pd.concat([typed, from_invoice])
    out = pd.DataFrame({"t": both.index, "amount": both.astype("int64").to_numpy()})
    return out[out["amount"] > 0].drop_duplicates()


def _near_invoices(blank: pd.DataFrame, invoices: pd.DataFrame) -> pd.Series:
    """Claims with neither an amount nor a known invoice: the ticket's client's invoices one
    typo from the number it gives (index ``t``, value: invoice number)."""
    found = []
    asking = blank[blank["client_id"] != ""]
    if asking.empty:
        return pd.Series([], index=[], dtype=object)
    clients = invoices["client_id"].astype(str).to_numpy(dtype=object)
    sub = np.flatnonzero(pd.Series(clients, dtype=object).isin(set(asking["client_id"])))
    mine_of = pd.Series(sub, dtype=np.int64).groupby(clients[sub]).indices
    keys = pd.Series(clean_number(invoices["invoice_number"].iloc[sub]).to_numpy(), index=sub)
    numbers = invoices["invoice_number"].to_numpy()
    for t, claim in asking.iterrows():  # a few a night, each among its client's invoices
        mine = sub[mine_of.get(claim["client_id"], [])]
        near = near_numbers(claim["claimed_key"], keys.loc[mine])
        found += [(t, number) for number in numbers[near.index.to_numpy(dtype=np.int64)]]
    return pd.Series([n for _, n in found], index=[t for t, _ in found], dtype=object)


def fitting_lines(c: pd.DataFrame, invoices: pd.DataFrame, lines: pd.DataFrame,
                  patterns: list[str]) -> pd.DataFrame:
    """Every (claim ``t``, bank line ``row``) that fits, with ``score``, ``gap`` (days) and
    ``nameless`` (the line names nobody: it fits on amount, date and account alone).

    Blocked: a claim meets only the lines of its amount booked in its window
    (:func:`in_window`); currency, account and names are judged on integer codes (each
    distinct name cleaned once), and only the pairs that fit become rows."""
    bank = lines[lines["payment_kind"] == "bank"]
    read = readings(c[c["destination"] != "foreign"], invoices)
    named = _line_names(bank)  # every line's names cleaned once, for all the chunks
    window = Lines.of(bank)
    parts = [_fits(read.iloc[chunk], c, bank, (named, window))
             for chunk in reading_chunks(read, c, bank, lines=window)]
    scored = (pd.concat(parts, ignore_index=True) if parts
              else _fits(read, c, bank, (named, window)))
    if scored.empty:
        return scored
    return scored[_references_agree(scored, c, bank, invoices, patterns)].drop_duplicates(
        ["t", "row"])


def _fits(read: pd.DataFrame, c: pd.DataFrame, bank: pd.DataFrame,
          lines: tuple[LineNames, Lines]) -> pd.DataFrame:
    """The fitting pairs of ``read``'s readings, in their order (:func:`fitting_lines`);
    ``lines``: every bank line's names (:func:`_line_names`) and :class:`Lines`."""
    found = in_window(read, c, bank, lines[1])
    at, line_at = c.index.get_indexer(found["t"]), bank.index.get_indexer(found["row"])
    kept = payable(at, line_at, c, bank, lines[1].accounts)
    found, at, line_at = found[kept], at[kept], line_at[kept]
    named = lines[0]
    gap = np.abs(found["days"].to_numpy())
    nameless = named.nameless[line_at]
    score = _scores(at, line_at, c, named)
    score[nameless & (gap == 0)] = float(FITS)
    ok = np.flatnonzero(score >= FITS)
    line = bank.iloc[line_at[ok]]
    return pd.DataFrame({
        "t": found["t"].to_numpy()[ok], "amount": found["amount"].to_numpy()[ok],
        "row": found["row"].to_numpy()[ok], **{k: line[k].to_numpy() for k in LINE_COLUMNS[:3]},
        "counterparty": named.counterparty.table[named.counterparty.codes[line_at[ok]]],
        "text": named.text.table[named.text.codes[line_at[ok]]], "gap": gap[ok],
        "score": score[ok], "nameless": nameless[ok]})


def _scores(at: np.ndarray, line_at: np.ndarray, c: pd.DataFrame,
            named: LineNames) -> np.ndarray:
    """Per pair (claim position ``at``, line position ``line_at``): the best score of the
    claim's names against the line, one element per (pair, name), all as codes (the names
    of the claims these pairs hold; the lines' counterparties and texts coded once a
    night)."""
    claims_in, at = np.unique(at, return_inverse=True)
    names = c["names"].to_numpy()[claims_in]
    per_claim = np.array([len(n) for n in names], dtype=np.int64)
    name = Coded.of(np.array([n for ns in names for n in ns], dtype=object))
    flat, pos = repeated_runs(per_claim, at)  # each pair's names: its claim's run
    line = line_at[pos]
    return coded_scores(pos, name.at(name.codes[flat]),
                        named.counterparty.at(named.counterparty.codes[line]),
                        named.text.at(named.text.codes[line]), len(at), wanted=FITS)


@dataclass(frozen=True)
class LineNames:
    """Per bank line (in order): its cleaned counterparty and text as codes, and whether it
    names nobody; made once a night, its tables shared by every chunk."""

    counterparty: Coded
    text: Coded
    nameless: np.ndarray


def _line_names(bank: pd.DataFrame) -> LineNames:
    """Per bank line: its counterparty and text cleaned, and whether it names nobody."""
    counterparty, text = clean_names(bank["counterparty"]), clean_names(bank["text"])
    return LineNames(Coded.of(counterparty.to_numpy(dtype=object)),
                     Coded.of(text.to_numpy(dtype=object)),
                     nameless_lines(counterparty, text).to_numpy(dtype=bool))


def payable(at: np.ndarray, line_at: np.ndarray, c: pd.DataFrame, bank: pd.DataFrame,
            accounts: Coded | None = None) -> np.ndarray:
    """Per pair (claim position ``at`` in ``c``, line position ``line_at`` in ``bank``): the
    line is in the claim's currency (or the claim names none) and came into the account
    the claim names (or it names none). ``accounts``: the lines' cleaned accounts, coded
    once for many calls."""
    table = pd.Index(pd.unique(bank["currency"].to_numpy(dtype=object)))
    asked = table.get_indexer(c["currency"].to_numpy(dtype=object))[at]
    currency = c["currency"].isna().to_numpy()[at] | (
        (asked >= 0) & (asked == table.get_indexer(bank["currency"].to_numpy(dtype=object))[
            line_at]))
    blank = (c["destination"] == "blank").to_numpy()[at]
    account = (accounts if accounts is not None
               else Coded.of(clean_account(bank["account_id"]).to_numpy(dtype=object)))
    destination = Coded.of(c["dest_clean"].to_numpy(dtype=object))
    return currency & (blank | _same_account(Coded(account.codes[line_at], account.table),
                                             Coded(destination.codes[at], destination.table)))


LINE_COLUMNS = ["currency", "source_date", "account_id", "counterparty", "text"]


def same_account(account: np.ndarray, destination: np.ndarray) -> np.ndarray:
    """Per pair: the line's cleaned account is inside the ticket's cleaned destination."""
    return _same_account(Coded.of(account), Coded.of(destination))


def _same_account(account: Coded, destination: Coded) -> np.ndarray:
    """:func:`same_account` on codes: each distinct (account, destination) judged once."""
    width = len(destination.table)
    pair_of, keys = pd.factorize(account.codes.astype(np.int64) * width + destination.codes)
    judged = [a != "" and a in d for a, d in zip(account.table[keys // width],
                                                 destination.table[keys % width], strict=True)]
    return np.array(judged, dtype=bool)[pair_of] if len(keys) else np.zeros(0, dtype=bool)


def _references_agree(pairs: pd.DataFrame, c: pd.DataFrame, lines: pd.DataFrame,
                      invoices: pd.DataFrame, patterns: list[str]) -> pd.Series:
    """False where the line's text names invoices and none is (one typo from) the one the
    claim names: that money pays something else."""
    found = candidate_invoices(lines.loc[sorted(set(pairs["row"]))], invoices, patterns)
    found = found[found["invoice_number"].notna()]
    if found.empty:
        return pd.Series(True, index=pairs.index)
    refs = found[["row", "invoice_number"]].drop_duplicates()
    refs = refs.assign(ref_key=clean_number(refs["invoice_number"]))
    claim = c.loc[pairs["t"]].set_axis(pairs.index)
    both = pd.DataFrame({"pair": pairs.index, "row": pairs["row"].to_numpy(),
                         "invoice": claim["invoice"].to_numpy(),
                         "key": claim["claimed_key"].to_numpy()}).merge(refs, on="row")
    same = [inv == ref or (len(key) >= 3 and DamerauLevenshtein.distance(
        key, ref_key, score_cutoff=1) <= 1) for inv, ref, key, ref_key in zip(
        both["invoice"], both["invoice_number"], both["key"], both["ref_key"], strict=True)]
    agreeing = both.assign(same=same).groupby("pair")["same"].any()
    return pd.Series(agreeing.reindex(pairs.index).fillna(True).astype(bool), index=pairs.index)


def choose(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per claim ``t``: the best line ``row``, ``tied`` (another line fits as well) and
    ``others`` (the rows that fit as well)."""
    if pairs.empty:
        return pd.DataFrame({"t": [], "row": [], "tied": [], "others": []})
    ranked = pairs.assign(strength=(pairs["score"] >= STRONG).astype(int)).sort_values(
        ["t", "strength", "gap", "row"], ascending=[True, False, True, True], kind="stable")
    best = ranked.drop_duplicates("t")
    level = best[["t", "strength", "gap"]].rename(columns={"strength": "strength_best",
                                                           "gap": "gap_best"})
    same = ranked.merge(level, on="t")
    same = same[(same["strength"] == same["strength_best"]) & (same["gap"] == same["gap_best"])]
    others = same.groupby("t")["row"].agg(lambda rows: tuple(rows)[1:])
    return pd.DataFrame({"t": best["t"], "row": best["row"],
                         "tied": best["t"].map(others.map(len) > 0),
                         "others": best["t"].map(others)}).reset_index(drop=True)


def days_since(claim_date: pd.Series, as_of: dt.date) -> pd.Series:
    return pd.Series([(as_of - d).days for d in claim_date], index=claim_date.index)
