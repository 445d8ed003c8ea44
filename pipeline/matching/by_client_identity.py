"""Who paid: the client behind a payment, from the gateway customer e-mail, the account
holder's name (exact tokens, a truncated name, or a close spelling) and confirmed aliases.

``identify`` gives one row per (payment row, candidate client): ``how`` (in words),
``strong`` (an e-mail, a confirmed alias, or a distinctive name that only this client has)
and ``clients`` (how many clients the payment's name fits: more than one identifies nobody,
the amount may still suggest one of them). Every step is blocked: e-mails by a hash join,
names by token pairs (:mod:`pipeline.matching.by_client_names`), fuzzy spelling only for
the few payments left, against the few clients that share their rarest token.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.matching.by_client_names import (
    client_names,
    each_distinct,
    known_clients,
    named_clients,
)
from pipeline.matching.by_client_names import plain_name as plain

WHO = ["row", "client_id", "how", "strong", "clients"]
SHARED = 8  # a name shared by more clients than this tells nothing at all
TRUNCATED = 16  # a counterparty at least this long may be a bank's cut of a longer name
FUZZY = 90  # rapidfuzz token_sort_ratio a close spelling needs
BLOCK = 200  # clients sharing the rarest token, at most, for a fuzzy look-up
COMMON = 0.01  # a name expected on this many clients by chance is not distinctive
PERSON_TOKENS = 3  # tokens of a person's name whose shares multiply (two of a firm's)
POPULATION = 1_000  # a word seen once among a few clients is still about one in this many
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def identify(money: pd.DataFrame, clients: pd.DataFrame | None,
             invoices: pd.DataFrame) -> pd.DataFrame:
    """WHO rows for the payments of ``money`` whose payer is known or narrowed down."""
    if money.empty:
        return pd.DataFrame(columns=WHO)
    clients = known_clients(clients, invoices)
    by_mail = by_email(money, clients, invoices)
    rest = money[~money.index.isin(set(by_mail["row"]))]
    names = client_names(clients, invoices)
    by_name = by_names(rest, names, len(clients))
    rest = rest[~rest.index.isin(set(by_name["row"]))]
    by_cut = by_truncated_name(rest, names, len(clients))
    rest = rest[~rest.index.isin(set(by_cut["row"]))]
    found = pd.concat([by_mail, by_name, by_cut, by_spelling(rest, names)], ignore_index=True)
    return found[WHO].reset_index(drop=True)


def by_email(money: pd.DataFrame, clients: pd.DataFrame,
             invoices: pd.DataFrame) -> pd.DataFrame:
    """The client whose e-mail (client record or invoice) is in the payment; an address two
    clients share identifies nobody."""
    known = pd.concat([
        pd.DataFrame({"email": clients["email"], "client_id": clients["client_id"]}),
        pd.DataFrame({"email": invoices["client_email"], "client_id": invoices["client_id"]})])
    known = known.assign(email=each_distinct(known["email"].fillna(""),
                                             lambda s: s.str.strip().str.lower()),
                         client_id=known["client_id"].astype(str)).drop_duplicates()
    known = known[known["email"] != ""]
    known = known[known.groupby("email")["client_id"].transform("size") == 1]
    said = money["text"].fillna("") + " " + money["counterparty"].fillna("")
    found = each_distinct(said, _emails)
    found = found.explode().dropna()
    hits = pd.DataFrame({"row": found.index, "email": found.to_numpy()}).merge(known,
                                                                               on="email")
    hits = hits.drop_duplicates(["row", "client_id"])
    hits = hits[hits.groupby("row")["client_id"].transform("size") == 1]
    return hits.assign(how="customer e-mail " + hits["email"], strong=True, clients=1)


def _emails(texts: pd.Series) -> pd.Series:
    """The e-mail addresses in each text (lower case), searched only in the texts holding an
    ``@`` (an address has one): the others have none (missing)."""
    values = texts.to_numpy(dtype=object)
    found = pd.Series(None, index=texts.index, dtype=object)
    at = np.fromiter(("@" in text for text in values), dtype=bool, count=len(values))
    if at.any():
        found[at] = texts[at].str.lower().str.findall(_EMAIL.pattern)
    return found


def by_names(money: pd.DataFrame, names: pd.DataFrame, n_clients: int) -> pd.DataFrame:
    """Clients whose whole name (any order, without titles) is in the payment."""
    return _who(named_clients(money, names), names, n_clients, "")


def _who(hits: pd.DataFrame, names: pd.DataFrame, n_clients: int, note: str) -> pd.DataFrame:
    """WHO rows from name hits (row, client_id, name_id): strong when the payment names one
    client only, by a confirmed alias or a distinctive name."""
    if hits.empty:
        return pd.DataFrame(columns=WHO)
    hits = hits[["row", "client_id", "name_id"]].drop_duplicates(["row", "client_id"]).merge(
        names[["name_id", "kind", "tokens"]], on="name_id")
    count = hits.groupby("row")["client_id"].transform("size")
    hits = hits[count <= SHARED].assign(clients=count[count <= SHARED])
    rare = distinctive(hits["tokens"], names, n_clients, hits["kind"] != "company")
    said = hits["tokens"].map(" ".join) + note
    how = np.where(hits["kind"] == "alias", "confirmed account-holder alias " + said,
                   "account holder " + said)
    strong = (hits["clients"] == 1) & ((hits["kind"] == "alias") | rare)
    return hits.assign(how=how, strong=strong)[WHO]


def distinctive(name_tokens: pd.Series, names: pd.DataFrame, n_clients: int,
                person: pd.Series | None = None) -> pd.Series:
    """Whether each name is rare enough to identify its client: the clients expected to bear
    it by chance (clients x the shares of clients with its rarest tokens) stay below COMMON;
    a shop of a few clients counts as POPULATION. A firm's name counts its two rarest words
    (words that go together, ``HOSTING SOLUTIONS``, add nothing); a person's name (``person``
    True) counts its PERSON_TOKENS rarest, as given and family names are chosen apart: two
    given names and a family name make a rarer name than one given name and a family name.
    Where a few first and last names make up most clients, no person name is distinctive."""
    flat = names[["client_id", "tokens"]].explode("tokens").drop_duplicates()
    share = flat.groupby("tokens")["client_id"].size() / max(n_clients, POPULATION)
    asked = name_tokens.explode()
    asked = pd.DataFrame({"at": asked.index, "share": asked.map(share).fillna(0.0).to_numpy()})
    asked = asked.sort_values(["at", "share"], kind="stable")
    place = asked.groupby("at").cumcount()
    counted = person.reindex(asked["at"]).to_numpy() if person is not None else False
    kept = asked[(place < 2) | (counted & (place < PERSON_TOKENS))]
    expected = n_clients * kept.groupby("at")["share"].prod()
    return (expected.reindex(name_tokens.index).fillna(0.0) < COMMON).set_axis(
        name_tokens.index)


def by_truncated_name(money: pd.DataFrame, names: pd.DataFrame,
                      n_clients: int) -> pd.DataFrame:
    """A long counterparty that is the start of client names (OFX cuts names at 32
    characters), found by a sorted search, not a comparison with every name."""
    said = each_distinct(money["counterparty"].fillna(""), lambda s: s.map(plain))
    said = said[said.str.len() >= TRUNCATED]
    if said.empty or names.empty:
        return pd.DataFrame(columns=WHO)
    full = names.assign(plain=names["tokens"].map(" ".join)).sort_values("plain")
    values = full["plain"].to_numpy(dtype=object)
    lo = np.searchsorted(values, said.to_numpy(dtype=object), side="left")
    hi = np.searchsorted(values, (said + "\uffff").to_numpy(dtype=object), side="left")
    spans = [full.iloc[a:b][["client_id", "name_id"]].assign(row=row)  # a few long names
             for row, a, b in zip(said.index, lo, hi, strict=True) if 0 < b - a <= SHARED]
    hits = pd.concat(spans, ignore_index=True) if spans else pd.DataFrame(columns=WHO)
    return _who(hits, names, n_clients, " (a cut name)")


def by_spelling(money: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """A counterparty spelled close to one client's name (rapidfuzz), among the clients that
    share its rarest token (at most BLOCK): a candidate, never a strong identity. Payments
    blocked on one token are scored together against that token's names."""
    said = each_distinct(money["counterparty"].fillna(""), lambda s: s.map(plain))
    said = said[said.str.count(" ") >= 1]
    if said.empty or names.empty:
        return pd.DataFrame(columns=WHO)
    flat = names[["name_id", "tokens"]].explode("tokens").rename(columns={"tokens": "token"})
    size = flat.groupby("token")["name_id"].size()
    words = said.str.split().explode()
    words = pd.DataFrame({"row": words.index, "token": words.to_numpy(),
                          "size": words.map(size).to_numpy()}).dropna()
    words = words[words["size"] <= BLOCK].sort_values(["row", "size", "token"], kind="stable")
    block = words.drop_duplicates("row")
    ids_of = flat[flat["token"].isin(set(block["token"]))].groupby("token")["name_id"].agg(list)
    name_ids = names["name_id"].tolist()  # plain lists: no per-element access of a column
    plain_of = dict(zip(name_ids, names["tokens"].map(" ".join).tolist(), strict=True))
    client_of = dict(zip(name_ids, names["client_id"].tolist(), strict=True))
    text_of = said.to_dict()
    rows = []
    for token, group in block.groupby("token")["row"]:  # one look-up per blocking token
        ids = ids_of[token]
        scores = process.cdist([text_of[r] for r in group], [plain_of[i] for i in ids],
                               scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY)
        for row, line in zip(group, scores, strict=True):
            top = line.max()
            close = {client_of[i] for i, v in zip(ids, line, strict=True) if v and v >= top - 2}
            if top > 0 and len(close) == 1:
                best = ids[int(line.argmax())]
                rows.append((row, client_of[best], f"account holder {text_of[row]} (close to "
                             f"{plain_of[best]})", False, 1))
    return pd.DataFrame(rows, columns=WHO)
