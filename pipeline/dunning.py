"""Overdue policy (pure, vectorised): aging buckets, the recommended action per invoice, why,
and holds.

Frames in, frames out; no clock (days overdue are computed by the caller from its as-of
date), no loop per invoice. The ladder, counted in days after the due date (billing exports
do not say which reminders went out): ``none`` (not yet due, or before the first reminder),
``remind`` (from the first of ``reminder_days``), ``lock`` (a new customer's first invoice,
after its short grace, until termination), ``suspend``, ``terminate``, ``final_reminder``,
``collections``. ``hold`` replaces any of them except ``none`` while money for the invoice is
claimed (a pending confirmation ticket), received but awaiting review, or a partial payment
arrived inside its window. Actions are recommendations; :data:`URGENCY` orders them by what
operations must do first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from pipeline.report_values import sorted_codes as _sorted_codes
from pipeline.report_values import text_ranks
from pipeline.settings import DunningPolicy

BUCKETS = ["current", "1-30", "31-60", "61-90", "90+"]
HOLD_COLUMNS = ["invoice_number", "hold_reason"]
# What operations must act on first, first.
URGENCY = ["collections", "terminate", "final_reminder", "suspend", "lock", "remind", "hold",
           "none"]
# Ticket states that still hold escalation (a verified ticket has become a match instead).
_HOLDING_TICKET_STATES = ("pending",)


def aging_bucket(days_overdue: pd.Series) -> pd.Series:
    """Days past due -> ``current`` (0: not yet due), ``1-30``, ``31-60``, ``61-90``, ``90+``."""
    days = pd.to_numeric(days_overdue, errors="coerce").fillna(0)
    labels = np.select(
        [days <= 0, days <= 30, days <= 60, days <= 90], BUCKETS[:4], default=BUCKETS[4]
    )
    return pd.Series(labels, index=days_overdue.index, dtype=object)


def policy_action(invoices: pd.DataFrame, policy: DunningPolicy) -> pd.Series:
    """The recommended step for each invoice, before holds.

    ``invoices`` needs ``days_overdue`` (int), ``first_invoice`` (bool) and ``status``
    (the reporting status; ``collections`` stays ``collections``).
    """
    days = _days(invoices)
    first = invoices["first_invoice"].fillna(False).astype(bool)
    ladder = np.select(
        [days >= policy.collections_after_days, days >= policy.final_reminder_after_days,
         days >= policy.terminate_after_days, days >= policy.suspend_after_days,
         days >= policy.first_reminder_day],
        ["collections", "final_reminder", "terminate", "suspend", "remind"], default="none")
    lock = (first & (days >= max(policy.first_invoice_lock_after_days, 1))
            & (days < policy.terminate_after_days))
    action = np.where(lock, "lock", ladder)
    action = np.where(invoices["status"].astype(str) == "collections", "collections", action)
    return pd.Series(action, index=invoices.index, dtype=object)


def action_reason(invoices: pd.DataFrame, action: pd.Series, policy: DunningPolicy) -> pd.Series:
    """Why each action, in words (``31 days past due; suspend from day 14``); each row's
    words are made for its own action only."""
    days = _days(invoices).to_numpy()
    collections = (invoices["status"].astype(str) == "collections").to_numpy()
    act = action.to_numpy(dtype=object)
    why = np.full(len(act), "", dtype=object)
    for name in _ACTIONS_WITH_REASONS:
        at = act == name
        if at.any():
            why[at] = _reasons(name, days[at], collections[at], policy)
    return pd.Series(why, index=invoices.index, dtype=object)


_ACTIONS_WITH_REASONS = ("none", "remind", "lock", "suspend", "terminate", "final_reminder",
                         "collections")


def _reasons(name: str, days: np.ndarray, collections: np.ndarray,
             policy: DunningPolicy) -> np.ndarray:
    """The words of :func:`action_reason` for rows whose action is ``name``."""
    late = days.astype(str).astype(object) + np.where(days == 1, " day past due",
                                                      " days past due").astype(object)
    reminders = sorted(d for d in policy.reminder_days if d > 0) or [1]
    if name == "none":
        return np.where(days > 0, late + f"; first reminder on day {reminders[0]}",
                        "not yet due")
    if name == "remind":
        sent = np.searchsorted(np.array(reminders), days, side="right")
        return (late + "; reminder " + sent.astype(str).astype(object)
                + f" of {len(reminders)} (days {', '.join(map(str, reminders))})")
    if name == "collections":
        return np.where(collections, "billing has handed it to collections",
                        late + f"; collections from day {policy.collections_after_days}")
    return late + {
        "lock": "; a new customer's first invoice: lock services (grace "
        f"{policy.first_invoice_lock_after_days} days, terminate from day "
        f"{policy.terminate_after_days})",
        "suspend": f"; suspend from day {policy.suspend_after_days}, terminate from day "
        f"{policy.terminate_after_days}",
        "terminate": f"; terminate from day {policy.terminate_after_days}, final "
        f"reminder on day {policy.final_reminder_after_days}",
        "final_reminder": "; send the final reminder: collections from day "
        f"{policy.collections_after_days}",
    }[name]


def claim_holds(tickets: pd.DataFrame, *, as_of: dt.date, policy: DunningPolicy) -> pd.DataFrame:
    """Invoices claimed by a pending confirmation ticket dated within ``claim_hold_days``.

    ``tickets`` needs ``ticket_id``, ``invoice_number``, ``status``, ``claim_date`` (the
    claimed transfer date, else the ticket's date), ``claimed_amount`` (Decimal or None) and
    ``currency``. Returns HOLD_COLUMNS.
    """
    claim_date = pd.to_datetime(tickets["claim_date"], errors="coerce")
    age = (pd.Timestamp(as_of) - claim_date).dt.days
    keep = (tickets["status"].isin(_HOLDING_TICKET_STATES) & (age <= policy.claim_hold_days)
            & (tickets["invoice_number"].fillna("").astype(str) != ""))
    held = tickets.loc[keep]
    amount = money_words(held["claimed_amount"], held["currency"])
    paid = np.where(amount == "", "says they paid", "says they paid " + amount)
    reason = ("The customer " + pd.Series(paid, index=held.index) + " on "
              + day_words(claim_date.loc[keep]) + " (ticket " + held["ticket_id"].astype(str)
              + "); not yet seen in the bank")
    return _holds(held["invoice_number"], reason)


def review_holds(suggestions: pd.DataFrame) -> pd.DataFrame:
    """Invoices that money received matches, awaiting finance's review.

    ``suggestions`` needs ``invoice_number``, ``source_file``, ``source_date``,
    ``source_amount`` (Decimal) and ``currency``. Returns HOLD_COLUMNS.
    """
    reason = ("A payment of " + money_words(suggestions["source_amount"], suggestions["currency"])
              + " received on " + day_words(suggestions["source_date"]) + " ("
              + suggestions["source_file"].fillna("").astype(str)
              + ") may pay this invoice and awaits review")
    return _holds(suggestions["invoice_number"], reason)


def partial_holds(applied: pd.DataFrame, *, as_of: dt.date, policy: DunningPolicy) -> pd.DataFrame:
    """Invoices with a partial payment applied within ``partial_hold_days`` before ``as_of``.

    ``applied`` (auto and confirmed allocations) needs ``invoice_number``, ``source_date``,
    ``applied_amount`` (Decimal) and ``currency``; only still-open invoices are held later.
    """
    when = pd.to_datetime(applied["source_date"], errors="coerce")
    recent = applied.loc[((pd.Timestamp(as_of) - when).dt.days <= policy.partial_hold_days)
                         & (when <= pd.Timestamp(as_of))]
    until = pd.to_datetime(recent["source_date"]) + pd.Timedelta(days=policy.partial_hold_days)
    reason = ("A partial payment of " + money_words(recent["applied_amount"], recent["currency"])
              + " arrived on " + day_words(recent["source_date"]) + "; holding until "
              + day_words(until) + " for the rest")
    return _holds(recent["invoice_number"], reason)


def assess(invoices: pd.DataFrame, holds: pd.DataFrame, policy: DunningPolicy) -> pd.DataFrame:
    """Add ``bucket``, ``action``, ``why``, ``held_action`` (what a hold holds back, else '')
    and ``hold_reason`` ('' when none) to open invoices; sorted by urgency, then days overdue.

    ``holds`` (HOLD_COLUMNS, several rows per invoice allowed) turns any escalation into
    ``hold``; reasons for one invoice are joined with ``; ``.
    """
    reasons = _joined_reasons(holds.drop_duplicates())
    hold_reason = invoices["invoice_number"].astype(str).map(reasons).astype(object).fillna("")
    ladder = policy_action(invoices, policy)
    held = (hold_reason != "") & (ladder != "none")
    action = ladder.where(~held, "hold")
    why = action_reason(invoices, ladder, policy).where(~held, hold_reason)
    assessed = invoices.assign(
        bucket=aging_bucket(invoices["days_overdue"]), action=action, why=why,
        held_action=ladder.where(held, ""), hold_reason=hold_reason,
        urgency=action.map({name: rank for rank, name in enumerate(URGENCY)}).astype("int64"))
    days, number = assessed["days_overdue"], assessed["invoice_number"]
    ranks = text_ranks(number) if pd.api.types.is_integer_dtype(days) else None
    if ranks is None:
        return assessed.sort_values(["urgency", "days_overdue", "invoice_number"],
                                    ascending=[True, False, True], kind="stable")
    # the same stable order, the texts sorted once as numbers
    return assessed.iloc[np.lexsort((ranks, -days.to_numpy(dtype=np.int64),
                                     assessed["urgency"].to_numpy()))]


def _joined_reasons(holds: pd.DataFrame) -> pd.Series:
    """invoice_number -> its hold reasons joined with ``; `` (in order); only invoices held
    more than once are grouped (the rest keep their one reason as it is)."""
    numbers, reasons = holds["invoice_number"], holds["hold_reason"]
    several = numbers.duplicated(keep=False).to_numpy()
    once = pd.Series(reasons.to_numpy()[~several], index=numbers.to_numpy()[~several])
    if not several.any():
        return once
    joined = reasons[several].groupby(numbers[several], sort=False).agg("; ".join)
    return pd.concat([once, joined])


def aging_by_client(overdue: pd.DataFrame) -> pd.DataFrame:
    """Open balance per client and currency, one column per bucket, plus ``balance``,
    ``invoices`` and the client's most urgent ``action``; clients in numeric order.
    ``overdue`` is the report's overdue frame (Decimal ``balance``); currencies are never
    added together."""
    keys = ["client_id", "client_name", "currency"]
    columns = [*keys, "action", *BUCKETS, "balance", "invoices"]
    if overdue.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    # the keys are numbered once, in their sorted order; every sum adds a group's amounts
    group = sorted_groups(overdue[keys])
    rows = overdue.loc[group >= 0]
    group = group[group >= 0]
    count = int(group.max()) + 1 if len(group) else 0
    table = rows[keys].iloc[np.unique(group, return_index=True)[1]].reset_index(drop=True)
    balance = rows["balance"].to_numpy(dtype=object)
    bucket = pd.Categorical(rows["bucket"], categories=BUCKETS).codes.astype(np.int64)
    known = bucket >= 0
    per_bucket = _sums(group[known] * len(BUCKETS) + bucket[known], balance[known],
                       count * len(BUCKETS))
    for at, name in enumerate(BUCKETS):
        table[name] = per_bucket[at::len(BUCKETS)]
    table["balance"] = _sums(group, balance, count)
    table["invoices"] = np.bincount(group, minlength=count)
    rank = rows["action"].map({name: i for i, name in enumerate(URGENCY)}).to_numpy()
    least = pd.Series(rank).groupby(group).min().reindex(range(count))
    table["action"] = least.map(dict(enumerate(URGENCY))).to_numpy()
    order = pd.to_numeric(table["client_id"], errors="coerce")
    ids, codes = text_ranks(table["client_id"]), text_ranks(table["currency"])
    if ids is None or codes is None or not pd.api.types.is_numeric_dtype(order):
        table = table.assign(_n=order).sort_values(["_n", "client_id", "currency"],
                                                   kind="stable", na_position="last")
    else:  # the same stable order (numpy sorts NaN last), the texts sorted once as numbers
        table = table.iloc[np.lexsort((codes, ids, order.to_numpy()))]
    return table[columns].reset_index(drop=True)


def sorted_groups(keys: pd.DataFrame) -> np.ndarray:
    """Each row's group (its values of the ``keys`` columns) numbered in the keys' sorted
    order, as ``keys.groupby(list(keys), sort=True).ngroup()`` numbers them; -1 where a key
    is missing. A column at a time: its values numbered in order, then combined with the
    numbers so far."""
    group = np.zeros(len(keys), dtype=np.int64)
    for name in keys.columns:
        codes, count = _sorted_codes(keys[name])
        combined = np.where((group < 0) | (codes < 0), -1, group * count + codes)
        group = np.full(len(keys), -1, dtype=np.int64)
        present = combined >= 0
        group[present] = np.unique(combined[present], return_inverse=True)[1]
    return group


def _sums(groups: np.ndarray, amounts: np.ndarray, count: int) -> np.ndarray:
    """The sum of the ``amounts`` (Decimal; a missing one adds nothing) of each group
    ``0..count-1`` (``Decimal(0)`` for a group without any)."""
    out = np.full(count, Decimal(0), dtype=object)
    present = ~pd.isna(amounts)
    groups, amounts = groups[present], amounts[present]
    if not len(groups):
        return out
    order = np.argsort(groups, kind="stable")
    ordered = groups[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    out[ordered[starts]] = np.add.reduceat(amounts[order], starts)
    return out


def money_words(amounts: pd.Series, currencies: pd.Series) -> pd.Series:
    """``IDR 382,000.00`` (grouped, as written); ``''`` when the amount is missing."""
    text = amounts.map(lambda d: "" if d is None or pd.isna(d) else format(Decimal(d), ",f"))
    code = currencies.fillna("").astype(str)
    return (code + " " + text).str.strip().where(text != "", "").astype(object)


def day_words(days: pd.Series) -> pd.Series:
    """``18 Nov 2026``; ``an unknown day`` when missing."""
    when = pd.to_datetime(days, errors="coerce")
    text = when.dt.day.astype("Int64").astype(str) + when.dt.strftime(" %b %Y")
    return text.where(when.notna(), "an unknown day").astype(object)


def _days(invoices: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(invoices["days_overdue"], errors="coerce").fillna(0).astype("int64")


def _holds(numbers: pd.Series, reason: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"invoice_number": numbers.astype(str), "hold_reason": reason},
                        columns=HOLD_COLUMNS)
