"""Client names as banks print them: normalised tokens, an index blocked by token pairs, and
the account-holder aliases finance confirmed.

A name is a set of upper-case tokens without titles (``BPK``, ``IBU``, ``MR``...) and legal
forms (``PT``, ``CV``, ``GmbH``...), so upper case and swapped order do not matter. Money
names a client when every token of one of the client's names (person, company or alias) is
in the money's text or counterparty. Candidates are found through the pair of the name's two
rarest tokens (a hash join on pairs of the money's tokens), never payments x clients.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipeline.frames import CLIENT_COLUMNS, empty
from pipeline.matching.runs import repeated_runs
from pipeline.references import joined_texts

TITLES = frozenset("BPK BAPAK PAK IBU BU SDR SDRI SDRA MR MRS MS MISS DR DRS IR H HJ HERR "
                   "FRAU MME MLLE SIR".split())
LEGAL = frozenset("PT CV UD TBK LLC INC CO LTD CORP PLC LLP GMBH UG AG KG OHG SARL SAS SA BV "
                  "NV SRL SPA".split())
_DROP = TITLES | LEGAL
MAX_TOKENS = 24  # tokens of one payment's text looked at (a long remittance is cut here)
NAMES = ["client_id", "name_id", "kind", "tokens"]
_WORD = re.compile(r"[^A-Z]+")
# What is no name token in upper-case text: a run of other characters (but the \x00 between
# two texts), a single letter, a title or a legal form (a whole run of letters each).
_NO_TOKEN = re.compile(r"[^A-Z\x00]+|(?<![A-Z])(?:[A-Z]|"
                       + "|".join(sorted(_DROP, key=lambda w: (-len(w), w))) + r")(?![A-Z])")


def tokens(text: str) -> list[str]:
    """The name tokens of ``text``: upper case letters only, no titles, no legal forms."""
    words = _WORD.split(str(text or "").upper())
    return [w for w in words if len(w) > 1 and w not in TITLES and w not in LEGAL]


def plain_name(text: str) -> str:
    """``text`` as comparable words: its tokens joined by single spaces."""
    return " ".join(tokens(text))


def token_frame(texts: pd.Series, first: int = MAX_TOKENS) -> pd.DataFrame:
    """(index of ``texts``, token) for the first ``first`` name tokens of every text (one
    regex over the distinct texts, then flat arrays: no pandas call per text)."""
    codes, uniques = pd.factorize(texts.fillna("").astype(str))
    kept = [words[:first] for words in name_words(np.asarray(uniques, dtype=object).tolist())]
    flat = np.array([w for ws in kept for w in ws], dtype=object)
    taken, text = repeated_runs(np.array([len(ws) for ws in kept]), codes)
    return pd.DataFrame({"at": texts.index.to_numpy()[text].tolist(),
                         "token": flat[taken].tolist()})


def each_distinct(values: pd.Series, fn) -> pd.Series:  # noqa: ANN001 - Series -> Series
    """``fn`` (a vectorised Series -> Series of the same length) of the distinct values of
    ``values`` only, spread back over ``values`` (its index): a column of many repeated
    texts is read once per text."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    done = fn(pd.Series(uniques, dtype=values.dtype))
    return pd.Series(done.to_numpy()[codes], index=values.index, dtype=done.dtype)


def client_names(clients: pd.DataFrame | None, invoices: pd.DataFrame) -> pd.DataFrame:
    """Every name of every client (NAMES): person name, company, aliases; from ``clients``
    (CLIENT_COLUMNS, aliases are rows with only a name) or, without it, the invoices' client
    names. Names of fewer than two tokens identify nobody and are left out."""
    clients = known_clients(clients, invoices)
    alias = clients["alias"].fillna(False).astype(bool) if "alias" in clients else False
    people = pd.DataFrame({"client_id": clients["client_id"].astype(str),
                           "text": clients["name"].fillna(""),
                           "kind": np.where(alias, "alias", "person")})
    firms = pd.DataFrame({"client_id": clients["client_id"].astype(str),
                          "text": clients["company"].fillna(""), "kind": "company"})
    names = pd.concat([people, firms], ignore_index=True)
    names["tokens"] = each_distinct(names["text"].fillna("").astype(str),
                                    _name_tokens).to_numpy()
    names = names[names["tokens"].map(len) >= 2].sort_values(  # an alias first
        "kind", key=lambda k: k != "alias", kind="stable").drop_duplicates(["client_id",
                                                                            "tokens"])
    return names.assign(name_id=range(len(names)))[NAMES].reset_index(drop=True)


def _name_tokens(texts: pd.Series) -> pd.Series:
    """A name's tokens (a tuple) per text (:func:`name_words`)."""
    words = name_words(texts.to_numpy(dtype=object).tolist())
    return pd.Series(list(map(tuple, words)), index=texts.index, dtype=object)


def name_words(texts: list[str]) -> list[list[str]]:
    """:func:`tokens` of each of ``texts``, for all of them in three passes in C over one
    string: the texts joined by ``\x00``, upper-cased, every run that is no token blanked,
    split back into texts, each split into its tokens (upper case maps each character
    alone, so the joined text upper-cased is the texts upper-cased, joined)."""
    if not texts:
        return []
    blanked = _NO_TOKEN.sub(" ", joined_texts(texts, " ").upper())
    return list(map(str.split, blanked.split("\x00")))


def money_tokens(money: pd.DataFrame, vocabulary: set) -> pd.DataFrame:
    """(row, token) for the tokens of each payment's counterparty and text that some client
    name has (among the first MAX_TOKENS of each payment)."""
    said = money["counterparty"].fillna("").astype(str) + " " + money["text"].fillna("")
    flat = token_frame(said)
    flat = flat[flat["token"].isin(vocabulary)]
    # typed: with no name token said at all the columns would be empty floats, which no
    # merge on the (text) tokens accepts
    frame = pd.DataFrame({"row": flat["at"].to_numpy(dtype=np.int64),
                          "token": flat["token"].to_numpy(dtype=object)})
    return frame.drop_duplicates().reset_index(drop=True)


def named_clients(money: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """(row, client_id, name_id, tokens) for every client name all of whose tokens are in the
    payment. A name inside a longer matched name of the same payment is dropped (``MAJU JAYA``
    inside ``MAJU JAYA KARYA``)."""
    if money.empty or names.empty:
        return pd.DataFrame(columns=["row", "client_id", "name_id", "tokens"])
    flat = names[["name_id", "tokens"]].explode("tokens").rename(columns={"tokens": "token"})
    freq = flat.groupby("token")["name_id"].size()
    said = money_tokens(money, set(freq.index))
    pairs = said.merge(said, on="row", suffixes=("_a", "_b"))
    pairs = pairs[pairs["token_a"] < pairs["token_b"]]
    hits = pairs.merge(_pair_keys(names, freq), on=["token_a", "token_b"])[["row", "name_id"]]
    hits = hits.drop_duplicates().merge(names, on="name_id")
    need = hits[["row", "name_id", "tokens"]].explode("tokens").rename(
        columns={"tokens": "token"})
    found = need.merge(said, on=["row", "token"]).groupby(["row", "name_id"]).size()
    whole = found[found == hits.set_index(["row", "name_id"])["tokens"].map(len)
                  .reindex(found.index)].index
    hits = hits.set_index(["row", "name_id"]).loc[whole].reset_index()
    return _longest(hits)


def _pair_keys(names: pd.DataFrame, freq: pd.Series) -> pd.DataFrame:
    """(token_a, token_b, name_id): each name's two rarest tokens, in sorted order."""
    flat = names[["name_id", "tokens"]].explode("tokens").rename(columns={"tokens": "token"})
    flat = flat.assign(freq=flat["token"].map(freq)).sort_values(
        ["name_id", "freq", "token"], kind="stable").groupby("name_id").head(2)
    flat = flat.sort_values(["name_id", "token"], kind="stable")
    first = flat.groupby("name_id")["token"].first()
    last = flat.groupby("name_id")["token"].last()
    return pd.DataFrame({"token_a": first.to_numpy(), "token_b": last.to_numpy(),
                         "name_id": first.index.to_numpy()})


def _longest(hits: pd.DataFrame) -> pd.DataFrame:
    """``hits`` less the names contained in a longer name matched in the same payment."""
    if hits.empty:
        return hits
    size = hits.groupby("row")["name_id"].transform("size")
    alone, several = hits[size == 1], hits[size > 1]
    both = several.merge(several, on="row", suffixes=("", "_o"))
    inside = [set(t) < set(o) for t, o in zip(both["tokens"], both["tokens_o"], strict=True)]
    covered = both.loc[inside, ["row", "name_id"]].drop_duplicates()
    kept = several.merge(covered, on=["row", "name_id"], how="left", indicator=True)
    kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([alone, kept], ignore_index=True)


def aliases(payments: pd.DataFrame, ledger: pd.DataFrame,
            invoices: pd.DataFrame) -> pd.DataFrame:
    """Account-holder names finance confirmed (CLIENT_COLUMNS rows with only a name, and
    ``alias`` True): the
    counterparty of money whose allocation is ``confirmed`` in the ledger, for the client of
    its invoice."""
    if ledger is None or ledger.empty or payments.empty:
        return empty([*CLIENT_COLUMNS, "alias"])
    sure = ledger[(ledger["status"] == "confirmed")
                  & ledger["entry"].isin(["allocation", "decision"])]
    holders = payments[["money_key", "counterparty"]].drop_duplicates("money_key")
    found = sure[["money_key", "invoice_number"]].merge(holders, on="money_key").merge(
        invoices[["invoice_number", "client_id"]], on="invoice_number")
    found = found[found["counterparty"].fillna("").str.strip() != ""]
    rows = pd.DataFrame({"client_id": found["client_id"].astype(str),
                         "name": found["counterparty"], "company": "", "email": "",
                         "created_at": None, "alias": True})
    return rows.drop_duplicates(["client_id", "name"]).reset_index(drop=True)


def known_clients(clients: pd.DataFrame | None, invoices: pd.DataFrame) -> pd.DataFrame:
    """``clients`` (CLIENT_COLUMNS), or without them the clients the invoices name."""
    if clients is not None and not clients.empty:
        return clients
    return pd.DataFrame({"client_id": invoices["client_id"].astype(str),
                         "name": invoices["client_name"].fillna(""), "company": "",
                         "email": invoices["client_email"].fillna(""), "created_at": None}
                        ).drop_duplicates(["client_id"])[CLIENT_COLUMNS]


def with_aliases(clients: pd.DataFrame | None, payments: pd.DataFrame, ledger: pd.DataFrame,
                 invoices: pd.DataFrame) -> pd.DataFrame:
    """``clients`` (or, without them, the invoices' client names) plus the confirmed
    account-holder aliases."""
    clients = known_clients(clients, invoices)
    found = aliases(payments, ledger, invoices)
    return clients if found.empty else pd.concat([clients, found], ignore_index=True)
