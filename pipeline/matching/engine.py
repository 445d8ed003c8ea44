"""The matching engine (pure): payments, invoices and the ledger in; allocations, unmatched,
exceptions and the night's new ledger entries out.

No database, no files, no clock: the as-of date is a parameter. Every payment ends in
exactly one outcome: allocated (``auto``, ``confirmed`` or ``suggested`` rows in
``allocations``) or ``unmatched`` with a reason class. ``exceptions`` are findings on top.

The engine is an ordered list of passes, strongest evidence first (PASSES). Each pass is a
pure function over frames (:mod:`pipeline.matching.work`): it sees the money still
unexplained, the invoices still open and the ledger so far, and decides what it can; the
``rule`` column of an allocation names the rule that made it. A pair finance rejected is
never allocated or suggested again; an approved one is a ``confirmed`` ledger allocation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from pipeline.frames import (
    ALLOCATION_COLUMNS,
    CANDIDATE_COLUMNS,
    EXCEPTION_COLUMNS,
    LEDGER_COLUMNS,
    OTHER_MONEY_COLUMNS,
    PAYOUT_OUTCOME_COLUMNS,
    TICKET_OUTCOME_COLUMNS,
    UNMATCHED_COLUMNS,
    empty,
)
from pipeline.matching import considered as considered_math
from pipeline.matching import ledger as ledger_math
from pipeline.matching.by_amount import by_amount
from pipeline.matching.by_client import by_client
from pipeline.matching.by_reference import by_reference
from pipeline.matching.by_ticket import by_ticket, ticket_results
from pipeline.matching.duplicates import duplicate_charges
from pipeline.matching.entries import new_entries, with_money_keys
from pipeline.matching.other_money import classify_non_payments, non_customer
from pipeline.matching.payouts import by_payout
from pipeline.matching.remembered import remembered
from pipeline.matching.reversals import reverse, unapplied
from pipeline.matching.work import Decided, Work
from pipeline.settings import Settings

PAYMENT_KEY = ["payment_kind", "payment_id"]
REJECTED = "rejected_match: finance rejected the match proposed for this money"
LATER = "after_as_of: dated after the as-of date, for a later run"

# Strongest evidence first. Payout bank lines and other money that is not a customer's
# leave the money before any customer pass; duplicate charges never reach them. Gateway
# events (refunds, chargebacks) run after these, over the ledger they leave.
PASSES: list[tuple[str, Callable[[Work], Decided]]] = [
    ("ledger", remembered),
    ("payouts", by_payout),
    ("non_customer", non_customer),
    ("duplicates", duplicate_charges),
    ("references", by_reference),
    ("tickets", by_ticket),
    ("clients", by_client),
    ("amount", by_amount),
]


@dataclass(frozen=True)
class MatchResult:
    allocations: pd.DataFrame  # ALLOCATION_COLUMNS (auto, confirmed and suggested)
    unmatched: pd.DataFrame  # UNMATCHED_COLUMNS
    exceptions: pd.DataFrame  # EXCEPTION_COLUMNS
    # LEDGER_COLUMNS: what this run adds to the ledger (allocations, credits, reversals)
    entries: pd.DataFrame = field(default_factory=lambda: empty(LEDGER_COLUMNS))
    tickets: pd.DataFrame = field(  # TICKET_OUTCOME_COLUMNS: each claim's status
        default_factory=lambda: empty(TICKET_OUTCOME_COLUMNS))
    payouts: pd.DataFrame = field(  # PAYOUT_OUTCOME_COLUMNS: each payout's bank line
        default_factory=lambda: empty(PAYOUT_OUTCOME_COLUMNS))
    other_money: pd.DataFrame = field(  # OTHER_MONEY_COLUMNS: money that is not a customer's
        default_factory=lambda: empty(OTHER_MONEY_COLUMNS))
    candidates: pd.DataFrame = field(  # CANDIDATE_COLUMNS: what each pass considered, and why
        default_factory=lambda: empty(CANDIDATE_COLUMNS))

    @classmethod
    def empty(cls) -> MatchResult:
        return cls(empty(ALLOCATION_COLUMNS), empty(UNMATCHED_COLUMNS), empty(EXCEPTION_COLUMNS))


def match(payments: pd.DataFrame, invoices: pd.DataFrame, *, settings: Settings,
          as_of: dt.date, ledger: pd.DataFrame | None = None,
          reversals: pd.DataFrame | None = None, payouts: pd.DataFrame | None = None,
          non_payments: pd.DataFrame | None = None,
          tickets: pd.DataFrame | None = None,
          clients: pd.DataFrame | None = None,
          map_partitions: Callable[[Callable, list], list] | None = None) -> MatchResult:
    """Match every payment (PAYMENT_COLUMNS) against invoices (INVOICE_COLUMNS) and the
    ledger (LEDGER_COLUMNS); ``reversals`` (REVERSAL_COLUMNS) take back their charges;
    ``payouts`` (PAYOUT_COLUMNS) are verified against bank lines; ``non_payments``
    (PAYMENT_COLUMNS: bank debits, gateway payout records) are other money (fees, outgoing,
    payouts); ``tickets`` (TICKET_COLUMNS) are claims the tickets pass verifies against bank
    lines; ``clients`` (CLIENT_COLUMNS) tell who pays (without them, the invoices' client
    names). ``map_partitions`` (default: in this process) runs the pure per-row part of
    a pass over partitions of the money (:data:`pipeline.partitions.MapPartitions`): the
    references found in the money's text; the result is the same either way.

    Money and ledger entries dated after ``as_of`` are left out of this run (not known yet):
    such money is unmatched ``after_as_of``. The result is deterministic: the same inputs
    give the same rows in the same order.
    """
    later = payments[payments["source_date"] > as_of]
    later = later.assign(reason=LATER)[UNMATCHED_COLUMNS]
    others = None if non_payments is None else \
        non_payments[non_payments["source_date"] <= as_of].reset_index(drop=True)
    payments = with_money_keys(payments[payments["source_date"] <= as_of].reset_index(drop=True))
    if reversals is not None and len(reversals):
        reversals = reversals[reversals["source_date"] <= as_of]
    result = _matched(payments, invoices, settings, as_of, ledger, reversals,
                      (payouts, others, tickets, clients, map_partitions))
    return replace(
        result, unmatched=pd.concat([result.unmatched, later], ignore_index=True),
        other_money=pd.concat([result.other_money, classify_non_payments(
            others, settings, result.payouts)], ignore_index=True))


def _matched(payments: pd.DataFrame, invoices: pd.DataFrame, settings: Settings,
             as_of: dt.date, ledger: pd.DataFrame | None, reversals: pd.DataFrame | None,
             transfers: tuple) -> MatchResult:
    """The passes over the money dated on or before ``as_of``; ``transfers``: (payouts,
    non-payments, tickets, clients, map_partitions)."""
    known = ledger_math.considered(ledger, as_of)
    work = Work(money=payments, as_of=as_of, settings=settings, ledger=known,
                invoices=ledger_math.invoices_after_ledger(invoices.reset_index(drop=True), known),
                payments=payments, payouts=transfers[0], non_payments=transfers[1],
                reversals=reversals, tickets=transfers[2],
                clients=transfers[3], map_partitions=transfers[4])
    rejected = ledger_math.decisions(known)
    rejected = set(rejected[rejected == "rejected"].index)
    decided, considered = [], []
    for name, run_pass in PASSES:
        raw = run_pass(work)
        outcome = _without_rejected(raw, work.money, rejected)
        considered.append(considered_math.of_pass(name, raw, outcome))
        decided.append(outcome)
        work = work.after(outcome)
    decided.append(_left_over(work))
    allocations = _keyed(pd.concat([d.allocations for d in decided], ignore_index=True), payments)
    applying = allocations[allocations["status"].isin(ledger_math.APPLYING)]
    taken, exc, gone = reverse(reversals, applying, known)
    decided.append(Decided(allocations.iloc[0:0], gone, pd.concat(
        [exc, unapplied(reversals, applying, payments, known)], ignore_index=True)))
    exceptions = pd.concat([d.exceptions for d in decided], ignore_index=True)
    kept = allocations[~allocations["row"].isin(set(gone["row"]))]  # its money went back
    claims, claim_exceptions = ticket_results(decided)
    return MatchResult(
        allocations=_finish([kept], payments, ALLOCATION_COLUMNS),
        unmatched=_finish([d.unmatched for d in decided], payments, UNMATCHED_COLUMNS),
        exceptions=pd.concat([_finish([exceptions], payments, EXCEPTION_COLUMNS),
                              claim_exceptions], ignore_index=True),
        entries=new_entries(allocations, exceptions, taken, payments, as_of),
        tickets=claims,
        payouts=_payouts(decided),
        other_money=_finish([d.other for d in decided], payments, OTHER_MONEY_COLUMNS),
        candidates=considered_math.keyed(considered, payments, CANDIDATE_COLUMNS),
    )


def _payouts(decided: list[Decided]) -> pd.DataFrame:
    found = [d.payouts for d in decided if d.payouts is not None and len(d.payouts)]
    if not found:
        return empty(PAYOUT_OUTCOME_COLUMNS)
    return pd.concat(found, ignore_index=True)[PAYOUT_OUTCOME_COLUMNS]


def _keyed(allocations: pd.DataFrame, payments: pd.DataFrame) -> pd.DataFrame:
    """Allocations with the money's key, kind, date and the pair's ``match_id``."""
    money = payments.loc[allocations["row"]]
    keyed = allocations.assign(money_key=money["money_key"].to_numpy(),
                               payment_kind=money["payment_kind"].to_numpy(),
                               source_date=money["source_date"].to_numpy())
    fee = keyed["fee_minor"] if "fee_minor" in keyed else pd.Series(0, index=keyed.index)
    known = keyed.get("match_id", pd.Series(None, index=keyed.index, dtype=object))
    new = known.isna()  # the ledger's own allocations come with theirs: hash the rest only
    ids = known.astype(object).copy()
    ids[new] = ledger_math.match_ids(keyed.loc[new, "money_key"],
                                     keyed.loc[new, "invoice_number"])
    return keyed.assign(match_id=ids,
                        fee_minor=fee.fillna(0).astype("int64"),
                        applied_minor=keyed["applied_minor"].astype("int64"))


def _without_rejected(decided: Decided, money: pd.DataFrame, rejected: set) -> Decided:
    """``decided`` less the pairs finance rejected: money left with no other proposal is
    unmatched ``rejected_match`` (only a person matches it now)."""
    if not rejected or decided.allocations.empty:
        return decided
    allocs = decided.allocations
    keys = money.loc[allocs["row"], "money_key"].set_axis(allocs.index)
    ok = ~ledger_math.match_ids(keys, allocs["invoice_number"]).isin(rejected)
    undone = set(allocs.loc[~ok, "row"]) - set(allocs.loc[ok, "row"])
    exceptions = decided.exceptions[~decided.exceptions["row"].isin(undone)]
    unmatched = pd.DataFrame({"row": sorted(undone), "reason": REJECTED})
    return replace(decided, allocations=allocs[ok], exceptions=exceptions,
                   unmatched=pd.concat([decided.unmatched, unmatched], ignore_index=True))


def _left_over(work: Work) -> Decided:
    """Money no pass explained (only when finance rejected what a pass proposed)."""
    nothing = Decided.nothing()
    return Decided(nothing.allocations,
                   pd.DataFrame({"row": work.money.index, "reason": REJECTED}),
                   nothing.exceptions)


def _finish(parts: list[pd.DataFrame], payments: pd.DataFrame,
            columns: list[str]) -> pd.DataFrame:
    """Attach the payment key to rows keyed by payment row, in a stable order."""
    parts = [p for p in parts if not p.empty]
    if not parts:
        return empty(columns)
    frame = pd.concat(parts, ignore_index=True).drop(columns=PAYMENT_KEY, errors="ignore")
    keyed = _by_row(frame, [c for c in ("invoice_number", "kind") if c in frame])
    keyed = keyed.join(payments[PAYMENT_KEY], on="row")
    return keyed[columns].reset_index(drop=True)


def _by_row(frame: pd.DataFrame, then: list[str]) -> pd.DataFrame:
    """``frame`` sorted (stable) by ``row``, then ``then``: the rows of a payment with one
    line are ordered by their integer row alone; only a payment's several lines are sorted
    by the (string) columns of ``then`` too."""
    rows = frame["row"].to_numpy(dtype="int64")
    tied = frame["row"].duplicated(keep=False).to_numpy()
    if not then or not tied.any():
        return frame.iloc[np.argsort(rows, kind="stable")]
    several = frame[tied].sort_values(["row", *then], kind="stable")
    order = np.concatenate([np.flatnonzero(~tied), several.index.to_numpy()])
    return frame.iloc[order[np.argsort(rows[order], kind="stable")]]
