"""Pass: verified tickets. A payment-confirmation ticket (or e-mail) is verified against
exactly one bank line (:mod:`pipeline.matching.by_ticket_fit`: amount, date window, holder
name, destination account) and lends that line the invoice it names.

- the line still unexplained and the invoice open in the line's currency -> auto, the amount
  decides how, as for references: ``ticket_amount``, ``ticket_fee`` (within the fee
  tolerance, fee recorded), ``ticket_partial`` (+ ``underpayment``), ``ticket_overpaid``
  (+ ``overpayment``, the excess kept as client credit)
- an invoice number with a typo: the one open invoice one typo away (or of the ticket's
  client) whose balance is the line's amount, with a note; none or several -> no allocation
- a line an earlier pass (or the ledger) explained: the ticket is verified, nothing is lent
- two lines fitting equally well, or two claims for different invoices fitting one line ->
  nothing is lent, the ticket stays ``pending`` with the reason
- duplicates of one payment are linked (``duplicate_ticket``), never lent twice; an
  unverified claim is ``pending`` inside ``reconciliation_window_days``, then
  ``claimed_not_received``; a destination that is not the shop's -> ``rejected`` and
  ``unknown_destination_account``
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.frames import EXCEPTION_COLUMNS, TICKET_OUTCOME_COLUMNS, empty
from pipeline.matching import by_ticket_claims as claims_of
from pipeline.matching import by_ticket_fit as fit
from pipeline.matching.by_ticket_names import FITS, clean_name, near_numbers
from pipeline.matching.by_ticket_scores import best_name_scores
from pipeline.matching.by_ticket_unnamed import suggest_unnamed, unnamed_hints
from pipeline.matching.reference_rules import one_invoice
from pipeline.matching.settle_order import settle_in_order
from pipeline.matching.work import ALLOC, CONFIDENCE, EXC, Decided, Work, none

RULES = {"reference_amount": "ticket_amount", "reference_fee": "ticket_fee",
         "reference_partial": "ticket_partial", "reference_overpaid": "ticket_overpaid"}


def by_ticket(work: Work) -> Decided:
    tickets = work.tickets
    if tickets is None or tickets.empty:
        return Decided.nothing()
    everything = work.payments if work.payments is not None else work.money
    c = fit.claims(tickets, work.invoices, fit.shop_accounts(work.settings, everything))
    pairs = fit.fitting_lines(c, work.invoices, everything, work.settings.reference_patterns)
    chosen = fit.choose(pairs[~pairs["nameless"]] if len(pairs) else pairs)
    c = c.join(chosen.set_index("t")) if len(chosen) else c.assign(row=None, tied=False,
                                                                    others=None)
    c = claims_of.statuses(claims_of.link_duplicates(c), work.as_of,
                           work.settings.reconciliation_window_days)
    allocations, exceptions, lent = _lend(c, work)
    hints = suggest_unnamed(c.assign(hint=unnamed_hints(pairs)), work).allocations
    c = c.assign(detail=c["detail"].where(~c.index.isin(lent.index), lent["note"]))
    c.loc[(c["status"] == "verified") & c["detail"].eq(""), "detail"] = (
        "verified; an earlier rule (a reference, the ledger) already explains the line")
    return Decided(pd.concat([allocations, hints], ignore_index=True), none(["row", "reason"]),
                   exceptions,
                   tickets=claims_of.outcomes(c, everything, lent["invoice_number"]),
                   ticket_exceptions=claims_of.findings(c))


def _lend(c: pd.DataFrame, work: Work) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(allocations, exceptions, lent: per claim ``t`` the invoice lent and a note)."""
    lending = c[(c["status"] == "verified") & c["duplicate_of"].isna()
                & c["row"].isin(set(work.money.index))]
    if lending.empty:
        return none([*ALLOC, "fee_minor"]), none(EXC), pd.DataFrame(
            {"invoice_number": [], "note": []})
    lending = lending.assign(row=lending["row"].astype("int64"))
    money = work.money.loc[lending["row"]].set_axis(lending.index)
    invoice, note = _invoices(lending, money, work)
    open_inv = work.open_invoices().set_index("invoice_number")
    usable = invoice.notna() & invoice.isin(open_inv.index)
    usable &= invoice.map(open_inv["currency"]).eq(money["currency"])
    rows = lending[usable].assign(
        invoice_number=invoice[usable], amount_minor=money.loc[usable, "amount_minor"],
        currency=money.loc[usable, "currency"],
        balance_minor=invoice[usable].map(open_inv["balance_minor"]))
    ordered = settle_in_order(rows.assign(desired=rows["amount_minor"]), work.money)
    on_time = ordered[~ordered["late"]] if len(ordered) else ordered
    allocations, exceptions = one_invoice(on_time.assign(balance_minor=on_time["remaining"]),
                                          work.money, work.settings.fee_tolerance)
    told = pd.Series(_why(lending, note), index=lending.index)
    by_row = pd.Series(told.to_numpy(), index=lending["row"].to_numpy())
    allocations = allocations.assign(
        rule=allocations["rule"].map(RULES), confidence=allocations["rule"].map(RULES).map(
            CONFIDENCE),
        reason=allocations["row"].map(by_row) + allocations["reason"].str.removeprefix(
            "invoice referenced"))
    lent_to = on_time.set_index(on_time.index)["invoice_number"]
    notes = pd.Series(_status_notes(lending, invoice, note, lent_to), index=lending.index)
    return allocations, exceptions, pd.DataFrame({"invoice_number": lent_to, "note": notes})


def _why(lending: pd.DataFrame, note: pd.Series) -> list[str]:
    return [f"ticket {tid} verified (amount, date, holder name, account){extra}"
            for tid, extra in zip(lending["ticket_id"], note.map(lambda n: f"; {n}" if n else ""),
                                  strict=True)]


def _status_notes(lending: pd.DataFrame, invoice: pd.Series, note: pd.Series,
                  lent_to: pd.Series) -> list[str]:
    out = []
    for t in lending.index:
        said = note[t]
        if t in lent_to.index:
            out.append("verified; lends invoice " + lent_to[t] + (f" ({said})" if said else ""))
        elif pd.isna(invoice[t]):
            out.append("verified; no open invoice it could name, the line is left to the "
                       "next rules" + (f" ({said})" if said else ""))
        else:
            out.append(f"verified; invoice {invoice[t]} cannot take it now (not open, another "
                       "currency or already settled), the line is left to the next rules")
    return out


def _invoices(lending: pd.DataFrame, money: pd.DataFrame,
              work: Work) -> tuple[pd.Series, pd.Series]:
    """The invoice each verifying claim lends (a typo read as the one invoice that fits) and
    a note when it was read so."""
    invoice = lending["invoice"].astype(object)
    note = pd.Series("", index=lending.index, dtype=object)
    typos = lending.index[invoice.isna()]
    if not len(typos):
        return invoice, note
    open_inv = OpenInvoices.of(work.open_invoices())
    amounts, currencies = money["amount_minor"], money["currency"]
    for t in typos:  # typos: a handful per night; each meets the invoices of its amount
        found = _typo(lending.loc[t], open_inv.fitting(amounts[t], currencies[t]), open_inv)
        if found is not None:
            invoice[t] = found
            note[t] = (f"invoice number {lending.at[t, 'claimed'] or '(none)'} read as "
                       f"{found}: the one open invoice that fits")
    return invoice, note


@dataclass(frozen=True)
class OpenInvoices:
    """The open invoices as arrays (number as given and as text, client id as a code into
    ``clients``, client name) and their positions per (balance, currency): made once for a
    night's typos."""

    number: np.ndarray
    text: np.ndarray
    client: np.ndarray
    clients: pd.Index
    client_name: np.ndarray
    asking: dict
    digits: np.ndarray  # per invoice: how many of each digit its number (as text) has

    @classmethod
    def of(cls, open_inv: pd.DataFrame) -> OpenInvoices:
        client, clients = pd.factorize(open_inv["client_id"].astype(str).to_numpy(dtype=object))
        return cls(open_inv["invoice_number"].to_numpy(),
                   open_inv["invoice_number"].astype(str).to_numpy(dtype=object),
                   client, pd.Index(clients), open_inv["client_name"].to_numpy(dtype=object),
                   open_inv.groupby(["balance_minor", "currency"]).indices,
                   digit_counts(open_inv["invoice_number"].astype(str).to_numpy(dtype=object)))

    def client_code(self, client_id: str) -> int:
        """The code of ``client_id`` (-2 when no open invoice is the client's)."""
        found = self.clients.get_indexer([client_id])[0]
        return int(found) if found >= 0 else -2

    def fitting(self, amount: object, currency: object) -> np.ndarray:
        """Positions of the open invoices whose balance is ``amount`` in ``currency``."""
        return np.asarray(self.asking.get((amount, currency), []), dtype=np.int64)


def _typo(claim: pd.Series, fits: np.ndarray, inv: OpenInvoices) -> str | None:
    """The one open invoice (of ``fits``: those whose balance is the line's amount), one
    typo from the claimed number or of the ticket's client, whose client fits the ticket's
    names; of several such invoices of the client, the only one a typo away from the
    claimed number."""
    key = claim["claimed_key"]
    close = fits[np.abs(inv.digits[fits] - digit_counts(np.array([key], dtype=object))).sum(
        axis=1) <= 2]  # one typo changes at most two of the counts by one
    near = close[_near(key, inv.text[close])]
    client = inv.client_code(claim["client_id"]) if claim["client_id"] else None
    mine = fits[inv.client[fits] == client] if client is not None else fits[:0]
    candidates = np.union1d(near, mine)
    if client is not None:
        candidates = candidates[inv.client[candidates] == client]
    elif len(candidates) > 1:
        named = pd.DataFrame({"names": [claim["names"]] * len(candidates),
                              "counterparty": [clean_name(n) for n in
                                               inv.client_name[candidates]],
                              "text": ""})
        candidates = candidates[(best_name_scores(named) >= FITS).to_numpy()]
    if len(candidates) > 1:  # two of the client's invoices fit: the one the typo is near
        candidates = candidates[np.isin(candidates, near)]
    return inv.number[candidates[0]] if len(candidates) == 1 else None


def digit_counts(numbers: np.ndarray) -> np.ndarray:
    """Per string: how many of each digit, and of other characters, it has (11 counts)."""
    chars = np.array(numbers.tolist() or [""], dtype=str)
    codes = chars.view(np.uint32).reshape(len(chars), -1)[:len(numbers)]
    counts = [(codes == ord(d)).sum(axis=1) for d in "0123456789"]
    counts.append((codes != 0).sum(axis=1) - np.sum(counts, axis=0))
    return np.stack(counts, axis=1).astype(np.int64)


def _near(claimed: str, numbers: np.ndarray) -> np.ndarray:
    """Per number: one typo away from ``claimed`` (:func:`near_numbers`)."""
    near = np.zeros(len(numbers), dtype=bool)
    near[near_numbers(claimed, pd.Series(numbers, dtype=object)).index] = True
    return near


def ticket_results(decided: list[Decided]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(TICKET_OUTCOME_COLUMNS, EXCEPTION_COLUMNS) of the passes that judged tickets."""
    tickets = [d.tickets for d in decided if d.tickets is not None and len(d.tickets)]
    found = [d.ticket_exceptions for d in decided
             if d.ticket_exceptions is not None and len(d.ticket_exceptions)]
    return (pd.concat(tickets, ignore_index=True) if tickets else empty(TICKET_OUTCOME_COLUMNS),
            pd.concat(found, ignore_index=True) if found else empty(EXCEPTION_COLUMNS))
