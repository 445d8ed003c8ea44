"""Reconcile's two big reads side by side (flows.two_cores.money_and_invoices): the invoices
read by a forked second process on its own connection are the invoices read here, and a
reconcile that forks stores the same result as one that does not (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import pytest

from flows import steps, two_cores
from pipeline.settings import Settings

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="this platform cannot fork")
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def month(store, ingest, make):
    ingest([make.invoice(f"1023{n}", 100_000_00 + n) for n in range(1, 6)], name="invoices.csv",
           kind="billing")
    ingest([make.bank(f"k{n}", 100_000_00 + n, description=f"TRSF INV 1023{n} PT MAJU")
            for n in range(1, 4)])
    return store


def test_the_invoices_read_in_a_second_process_are_the_invoices_read_here(month, monkeypatch):
    monkeypatch.setattr(two_cores, "FORK_ROWS", 0)
    forked = []
    real = two_cores.side_by_side
    monkeypatch.setattr(two_cores, "side_by_side", lambda *a: forked.append(a) or real(*a))
    payments, invoices = two_cores.money_and_invoices(month, month.url, Settings())
    assert forked, "the invoices were not read in a second process"
    pd.testing.assert_frame_equal(invoices, month.load_invoices(), check_exact=True)
    pd.testing.assert_frame_equal(payments, month.load_payments(), check_exact=True)


def test_a_reconcile_that_reads_side_by_side_stores_what_one_reading_in_turn_stores(
        month, monkeypatch):
    in_turn = steps.reconcile(db_url=month.url, as_of=DAY, settings=Settings(processes=1))
    monkeypatch.setattr(two_cores, "FORK_ROWS", 0)
    forked = steps.reconcile(db_url=month.url, as_of=DAY, settings=Settings(processes=2))
    same = {k: v for k, v in forked.items() if k not in ("run_id", "ledger_added")}
    assert same == {k: v for k, v in in_turn.items() if k not in ("run_id", "ledger_added")}
    assert forked["auto"] + forked["suggested"] == 3, forked


def test_a_report_read_by_two_processes_has_the_inputs_one_reads(month, monkeypatch):
    steps.reconcile(db_url=month.url, as_of=DAY, settings=Settings(processes=1))
    alone = month.load_report_inputs()
    monkeypatch.setattr(two_cores, "FORK_ROWS", 0)
    shared = two_cores.report_inputs(month, month.url, Settings())
    assert sorted(shared) == sorted(alone)
    for name, frame in alone.items():
        if isinstance(frame, pd.DataFrame):
            pd.testing.assert_frame_equal(shared[name], frame, check_exact=True)
        else:  # the match result: a frame per part
            for part, value in vars(frame).items():
                pd.testing.assert_frame_equal(getattr(shared[name], part), value,
                                              check_exact=True)
