"""A relative paying: money from nobody known whose holder bears the family name of a client
with an open invoice of exactly this amount (``EKO SIAHAAN`` paying for ``RINA SIAHAAN``).

Weak evidence, never an auto match: the amount-only pass suggests these candidates (the
relative's client first, the others left out) where several open invoices ask the amount.
Blocked by token: a payment's words meet the family names of the clients (the last word of
a person's name, borne by at most KIN clients), then the open invoices of those clients with
the payment's currency and amount: no payment x client pairs.
"""

from __future__ import annotations

import pandas as pd

from pipeline.matching.by_client_names import client_names, known_clients, token_frame
from pipeline.matching.work import ALLOC, none

RULE = "amount_family_name"
KIN = 5  # a family name more clients bear than this tells nothing
KIN_COLUMNS = ["row", "invoice_number", "client_id", "family", "issued"]


def family_names(clients: pd.DataFrame | None, invoices: pd.DataFrame) -> pd.DataFrame:
    """(client_id, family): the last word of each client's person name, for the family names
    at most KIN clients bear."""
    names = client_names(known_clients(clients, invoices), invoices)
    people = names[names["kind"] == "person"]
    family = pd.DataFrame({"client_id": people["client_id"].astype(str).to_numpy(),
                           "family": people["tokens"].map(lambda t: t[-1]).to_numpy()})
    family = family.drop_duplicates()
    bearers = family.groupby("family")["client_id"].transform("size")
    return family[bearers <= KIN].reset_index(drop=True)


def kin_candidates(money: pd.DataFrame, open_inv: pd.DataFrame,
                   clients: pd.DataFrame | None) -> pd.DataFrame:
    """KIN_COLUMNS: per payment of ``money`` (row index; amount_minor, currency, counterparty,
    text), the open invoices with exactly its amount whose client's family name is a word of
    its holder or text."""
    if money.empty or open_inv.empty:
        return pd.DataFrame(columns=KIN_COLUMNS)
    family = family_names(clients, open_inv)
    if family.empty:  # no family name to meet: the money's words are not read
        return pd.DataFrame(columns=KIN_COLUMNS)
    said = token_frame(money["counterparty"].fillna("").astype(str) + " "
                       + money["text"].fillna("").astype(str))
    said = said[said["token"].isin(set(family["family"]))].drop_duplicates()
    if said.empty:
        return pd.DataFrame(columns=KIN_COLUMNS)
    hits = said.merge(family, left_on="token", right_on="family")
    pays = pd.DataFrame({"at": money.index, "currency": money["currency"].astype(str),
                         "amount_minor": money["amount_minor"].astype("int64")})
    inv = pd.DataFrame({"client_id": open_inv["client_id"].astype(str),
                        "currency": open_inv["currency"].astype(str),
                        "amount_minor": open_inv["balance_minor"].astype("int64"),
                        "invoice_number": open_inv["invoice_number"],
                        "issued": pd.to_datetime(open_inv["issue_date"]).astype(
                            "datetime64[ns]")})
    found = hits.merge(pays, on="at").merge(inv, on=["client_id", "currency", "amount_minor"])
    found = found.rename(columns={"at": "row"}).drop_duplicates(["row", "invoice_number"])
    return found[KIN_COLUMNS].reset_index(drop=True)


def kin_suggestions(kin: pd.DataFrame, hits: pd.DataFrame, few: int) -> pd.DataFrame:
    """ALLOC rows (rule RULE) for the payments of ``hits`` (row, currency, amount_minor, n:
    open invoices with its amount, cutoff: the last issue date it may pay) with one to
    ``few`` relatives' invoices in ``kin``: only those suggested, the closest issue date
    first, the reason naming the family name and how many invoices ask the amount."""
    kin = kin.merge(hits[["row", "currency", "amount_minor", "n", "paid", "cutoff"]], on="row")
    kin = kin[kin["issued"] <= kin["cutoff"]]
    if kin.empty:
        return none(ALLOC)
    count = kin.groupby("row")["invoice_number"].transform("size")
    kin = kin[count <= few].assign(days=(kin["paid"] - kin["issued"]).abs().dt.days)
    kin = kin.sort_values(["row", "days", "invoice_number"], kind="stable")
    rank = kin.groupby("row").cumcount()
    reason = ("no reference and no known payer; the holder bears the family name "
              + kin["family"] + " of client " + kin["client_id"] + " (a relative paying?); "
              "amount equals the balance of invoice " + kin["invoice_number"] + ", one of the "
              + kin["n"].astype(str) + " open invoices with this amount (the others' clients "
              "bear another name)")
    return pd.DataFrame({
        "row": kin["row"], "invoice_number": kin["invoice_number"],
        "applied_minor": kin["amount_minor"], "currency": kin["currency"],
        "status": "suggested", "rule": RULE, "confidence": 0.45 - 0.05 * rank,
        "reason": reason}).reset_index(drop=True)
