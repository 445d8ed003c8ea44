"""Pass: client identity. Money that names no invoice, but whose payer is known (gateway
customer e-mail, account-holder name, confirmed alias: :mod:`by_client_identity`), is compared
with that client's open invoices of its currency only (blocked by client):

- equal to exactly one open invoice's balance -> auto (``client_amount``); two or more equal
  -> each suggested, never auto, the closest issue date first; a payer only narrowed down
  (a shared or common name) -> auto only when no other open invoice has this amount
- equal to the sum of a unique subset of the client's open invoices (a mass payment naming
  none of them) -> auto (``client_subset_sum``), the invoices listed; several subsets ->
  suggested; a common name only this client bears, or a payer only narrowed down whose text
  lists every invoice of the unique subset -> auto too (an exact sum of several invoices is
  rarely a stranger's by chance); a name two clients share, or a close spelling -> suggested
- less than one balance within the fee tolerance -> auto (``client_fee``), the fee recorded
- the only open invoice of a surely identified client, paid partly -> suggested

A payer only narrowed down (a name several clients share, a close spelling, a common name)
never makes an auto match: the same rules give suggestions naming the client. Two payments
fitting one invoice are both suggested, never both applied.
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline.matching import considered
from pipeline.matching.by_client_identity import identify
from pipeline.matching.by_client_names import with_aliases
from pipeline.matching.ledger import tolerance_minor
from pipeline.matching.subset_sum import MAX_INVOICES, exact_subsets
from pipeline.matching.work import ALLOC, CONFIDENCE, EXC, UNMATCHED, Decided, Work, none
from pipeline.money import in_words

SHOWN = 3  # suggestions per payment when several invoices fit equally


def by_client(work: Work) -> Decided:
    if work.money.empty:
        return Decided.nothing()
    payments = work.money if work.payments is None else work.payments
    clients = with_aliases(work.clients, payments, work.ledger, work.invoices)
    who = identify(work.money, clients, work.invoices)
    cand = candidates(who, work.money, work.open_invoices())
    if cand.empty:
        return Decided.nothing()
    looked, parts = cand, []
    for rule in (_exact, _subsets, lambda c: _fee(c, work), _only_invoice):
        found = rule(cand)
        parts.append(found)
        cand = cand[~cand["row"].isin(set(found["row"]))]
    allocations = one_claim_each(pd.concat(parts, ignore_index=True))
    return Decided(allocations, none(UNMATCHED), none(EXC),
                   considered=considered.client_invoices_not_fitting(looked))


def candidates(who: pd.DataFrame, money: pd.DataFrame, open_inv: pd.DataFrame) -> pd.DataFrame:
    """(payment row, open invoice of a client the payment points to, same currency), with the
    amount, balance, ``days`` between payment and issue, and who paid in words."""
    if who.empty:
        return pd.DataFrame()
    pays = pd.DataFrame({"row": money.index, "amount_minor": money["amount_minor"],
                         "currency": money["currency"], "paid_on": money["source_date"],
                         "text": money["text"].fillna("").astype(str)})
    inv = open_inv.assign(client_id=open_inv["client_id"].astype(str))[
        ["client_id", "currency", "invoice_number", "balance_minor", "issue_date"]]
    cand = who.assign(client_id=who["client_id"].astype(str)).merge(pays, on="row").merge(
        inv, on=["client_id", "currency"])
    days = (pd.to_datetime(cand["paid_on"]) - pd.to_datetime(cand["issue_date"])).dt.days
    cand = cand.assign(days=days.abs(), amount_minor=cand["amount_minor"].astype("int64"),
                       balance_minor=cand["balance_minor"].astype("int64"))
    per_amount = open_inv.groupby(["currency", "balance_minor"]).size().rename("n_amount")
    cand = cand.merge(per_amount.reset_index(), on=["currency", "balance_minor"], how="left")
    cand["payer"] = (cand["how"] + " (client " + cand["client_id"]
                     + cand["clients"].map(lambda n: "" if n == 1 else f", one of {n} clients "
                                           "with this name") + ")")
    return cand.sort_values(["row", "days", "invoice_number"], kind="stable")


def _rows(frame: pd.DataFrame, applied, status, rule: str, confidence, reason,  # noqa: ANN001
          fee=0) -> pd.DataFrame:
    if frame.empty:
        return none([*ALLOC, "fee_minor"])
    return pd.DataFrame({"row": frame["row"], "invoice_number": frame["invoice_number"],
                         "applied_minor": applied, "currency": frame["currency"],
                         "status": status, "rule": rule, "confidence": confidence,
                         "reason": reason, "fee_minor": fee})


def _decide(frame: pd.DataFrame, rule: str, reason, applied, fee=0,  # noqa: ANN001
            sure: pd.Series | None = None) -> pd.DataFrame:
    """Rows of ``frame`` whose payment has one fit: auto on a strong identity or when
    ``sure`` (else a suggestion); a payment with several equal fits: each suggested, closest
    date first."""
    n = frame.groupby("row")["invoice_number"].transform("size")
    sure = frame["strong"].astype(bool) if sure is None else sure | frame["strong"].astype(bool)
    one = (n == 1) & sure
    rank = frame.groupby("row").cumcount()
    status = one.map({True: "auto", False: "suggested"})
    confidence = (0.6 - 0.05 * rank).where(n == 1, 0.35 - 0.05 * rank).where(~one,
                                                                           CONFIDENCE[rule])
    several = n.map(lambda k: "" if k == 1 else f"; {k} open invoices fit equally (closest "
                    "issue date first): a person decides")
    shown = rank < SHOWN
    return _rows(frame[shown], applied[shown], status[shown], rule, confidence[shown],
                 (frame["payer"] + "; " + reason + several)[shown], fee)


def _exact(cand: pd.DataFrame) -> pd.DataFrame:
    """One open invoice of the payer with exactly this amount. A payer only narrowed down by
    the whole name is sure too when no other open invoice at all has this amount: the amount
    names the invoice, the name agrees with its client."""
    hit = cand[cand["amount_minor"] == cand["balance_minor"]]
    alone = (hit["n_amount"] == 1) & ~hit["how"].str.contains("(close to", regex=False)
    return _decide(hit, "client_amount", "amount equals the balance of invoice "
                   + hit["invoice_number"] + alone.map(
                       {True: ", the only open invoice with this amount", False: ""}),
                   hit["amount_minor"], sure=alone)


def _subsets(cand: pd.DataFrame) -> pd.DataFrame:
    """A payment equal to the sum of some of one client's open invoices (unique -> one fit)."""
    size = cand.groupby(["row", "client_id"])["invoice_number"].transform("size")
    total = cand.groupby(["row", "client_id"])["balance_minor"].transform("sum")
    cand = cand[size.between(2, MAX_INVOICES) & (total >= cand["amount_minor"])]
    cand = cand.sort_values(["row", "client_id"], kind="stable")
    balances, amounts = cand["balance_minor"].tolist(), cand["amount_minor"].tolist()
    key = list(zip(cand["row"], cand["client_id"], strict=True))
    starts = [i for i in range(len(key)) if i == 0 or key[i] != key[i - 1]] + [len(key)]
    at, fit = [], []
    for a, b in zip(starts, starts[1:], strict=False):  # one client's few invoices each
        for n, subset in enumerate(exact_subsets(balances[a:b], amounts[a])):
            at += [a + i for i in subset]
            fit += [n] * len(subset)
    if not at:
        return none([*ALLOC, "fee_minor"])
    picked = cand.iloc[at].assign(subset=fit)
    names = picked.groupby(["row", "client_id", "subset"])["invoice_number"].transform(
        ", ".join)
    hit = picked.assign(names=names).reset_index(drop=True)
    fits = hit.drop_duplicates(["row", "client_id", "subset"])
    n_fits = hit["row"].map(fits.groupby("row").size())
    first_client = hit["row"].map(fits.groupby("row")["client_id"].first())
    first = hit[(hit["subset"] == 0) & (hit["client_id"] == first_client)]
    listed = _all_listed(first)
    unique = (n_fits[first.index] == 1) & (first["strong"].astype(bool) | listed
                                            | named_alone(first))
    status = unique.map({True: "auto", False: "suggested"})
    reason = (first["payer"] + "; amount equals the sum of the balances of "
              + first["names"] + (n_fits[first.index] == 1).map(
                  {True: "", False: ", one of several sets of invoices that fit: a person "
                   "decides"}) + listed.map({True: "; the payment text lists them all",
                                             False: ""}))
    confidence = unique.map({True: CONFIDENCE["client_subset_sum"], False: 0.3})
    return _rows(first, first["balance_minor"], status, "client_subset_sum", confidence, reason)


def named_alone(rows: pd.DataFrame) -> pd.Series:
    """Per row: whether its payer is the only client whose whole name (or e-mail) the money
    carries, neither a close spelling nor a name other clients share. With an exact sum of
    several of that client's invoices, and no other set that fits, that is a sure fit even
    for a common name: a stranger's payment rarely equals such a sum by chance."""
    return ((rows["clients"].astype(int) == 1)
            & ~rows["how"].str.contains("(close to", regex=False)).astype(bool)


def _all_listed(rows: pd.DataFrame) -> pd.Series:
    """Per row: whether every invoice of its payment's subset is written in the payment text
    (a list of numbers the references pass did not read: with the exact sum, a sure fit)."""
    found = pd.Series([re.search(rf"(?<!\d){re.escape(str(n))}(?!\d)", t) is not None
                       for n, t in zip(rows["invoice_number"], rows["text"], strict=True)],
                      index=rows.index, dtype=bool)
    return found.groupby(rows["row"]).transform("all").astype(bool)


def _fee(cand: pd.DataFrame, work: Work) -> pd.DataFrame:
    if cand.empty:
        return none([*ALLOC, "fee_minor"])
    money = work.money.loc[cand["row"]].set_axis(cand.index)
    tolerance = tolerance_minor(money, cand["balance_minor"], work.settings.fee_tolerance)
    short = cand["balance_minor"] - cand["amount_minor"]
    hit = cand[(short > 0) & (short <= tolerance)]
    short = short[hit.index]
    return _decide(hit, "client_fee", "amount is less than the balance of invoice "
                   + hit["invoice_number"] + " by " + in_words(short, hit["currency"])
                   + ", within the fee tolerance: settled, the difference recorded as a fee",
                   hit["amount_minor"], fee=short)


def _only_invoice(cand: pd.DataFrame) -> pd.DataFrame:
    """The only open invoice of a surely identified payer, paid partly: a suggestion (a payer
    only narrowed down suggests nothing here). More than its balance is left to the next
    pass: a suggestion cannot hold the excess as credit."""
    alone = cand[(cand.groupby("row")["invoice_number"].transform("size") == 1)
                 & cand["strong"].astype(bool) & (cand["amount_minor"] < cand["balance_minor"])]
    reason = alone["payer"] + "; amount is less than the balance of the client's only open " \
        "invoice " + alone["invoice_number"] + " (a partial payment?)"
    return _rows(alone, alone["amount_minor"], "suggested", "client_partial", 0.4, reason)


def one_claim_each(allocations: pd.DataFrame) -> pd.DataFrame:
    """Auto rows of several payments that claim one invoice become suggestions (all rows of
    those payments): identity plus amount is not enough to say which payment it was."""
    auto = allocations[allocations["status"] == "auto"]
    claims = auto.groupby("invoice_number")["row"].transform("nunique")
    doubtful = set(auto.loc[claims > 1, "row"])
    if not doubtful:
        return allocations
    hit = allocations["row"].isin(doubtful) & (allocations["status"] == "auto")
    out = allocations.copy()
    out.loc[hit, "status"] = "suggested"
    out.loc[hit, "confidence"] = 0.5
    out.loc[hit, "reason"] = out.loc[hit, "reason"] + "; another payment fits this invoice too"
    return out
