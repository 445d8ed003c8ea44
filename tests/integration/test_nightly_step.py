"""The nightly run's reconcile-then-report step (flows.nightly_step) writes what a reconcile
followed by a report of its own (reading everything back from the store) writes, night after
night, in one process or with the result stored by a forked child (SQLite and PostgreSQL);
a failing report leaves the reconcile stored, a failing write leaves no report."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

from flows import nightly_step, steps, two_cores
from pipeline.settings import Settings
from sample_data.world import generate
from tests.workbooks import workbook_values

NIGHT_1, NIGHT_2 = dt.date(2026, 11, 16), dt.date(2026, 11, 30)
FORKING = pytest.param(2, marks=pytest.mark.skipif(not hasattr(os, "fork"),
                                                    reason="this platform cannot fork"))


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> list[Path]:
    """A small generated month: every format, tickets, payouts (billing files first)."""
    out = tmp_path_factory.mktemp("world")
    generate(8, out, clients=50)
    files = sorted(p for p in out.iterdir() if p.name != "truth.json")
    return sorted(files, key=lambda p: not p.name.startswith("whmcs"))


def ingested(files: list[Path], url: str) -> None:
    for path in files:
        assert steps.ingest_file(path, db_url=url).status == steps.INGESTED, path.name


def assert_same_files(folder: Path, other: Path) -> None:
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(p.name for p in other.iterdir()) and len(names) >= 10
    for name in names:
        if name.endswith(".xlsx"):
            assert workbook_values(folder / name) == workbook_values(other / name), name
        else:
            assert (folder / name).read_bytes() == (other / name).read_bytes(), name


@pytest.mark.parametrize("processes", [1, FORKING])
def test_each_night_writes_what_a_report_reading_the_store_back_writes(
        world, store, tmp_path, monkeypatch, processes):
    monkeypatch.setattr(two_cores, "FORK_ROWS", 0)  # the small month forks as a big one would
    monkeypatch.setattr(two_cores, "room_for_a_copy", lambda: True)
    savers, save = tmp_path / "saved-by", nightly_step.saved
    monkeypatch.setattr(nightly_step, "saved", lambda *a: savers.write_text(str(os.getpid()))
                        and save(*a))
    settings = Settings(processes=processes)
    half = len(world) // 2 + 1
    for night, (day, files) in enumerate([(NIGHT_1, world[:half]), (NIGHT_2, world[half:])]):
        ingested(files, store.url)
        nightly, read_back = tmp_path / f"nightly-{night}", tmp_path / f"report-{night}"
        summary, outcome = nightly_step.reconcile_and_report(
            db_url=store.url, out_dir=nightly, as_of=day, settings=settings)
        steps.report(db_url=store.url, out_dir=read_back, as_of=day, settings=settings)
        assert_same_files(nightly, read_back)
        assert {Path(p).name for p in outcome.paths} <= {p.name for p in nightly.iterdir()}
        assert summary["ledger_added"] > 0 and summary["auto"] > 0
        forked = savers.read_text() != str(os.getpid())
        assert forked is (processes == 2), "the result was stored by a forked child"
    assert len(store.load_ledger()) == sum(
        r["summary"]["ledger_added"] for r in completed_runs(store))


def completed_runs(store) -> list[dict]:
    import json

    from sqlalchemy import select

    from pipeline.store import tables

    rows = store.read(lambda conn: conn.execute(
        select(tables.runs.c.status, tables.runs.c.summary_json)).all())
    return [{"status": s, "summary": json.loads(j or "{}")} for s, j in rows]


def test_a_second_run_of_the_night_adds_nothing_and_writes_the_same(world, store, tmp_path):
    ingested(world, store.url)
    first, _ = nightly_step.reconcile_and_report(
        db_url=store.url, out_dir=tmp_path / "a", as_of=NIGHT_2, settings=Settings())
    again, _ = nightly_step.reconcile_and_report(
        db_url=store.url, out_dir=tmp_path / "b", as_of=NIGHT_2, settings=Settings())
    assert first["ledger_added"] > 0 and again["ledger_added"] == 0
    assert {k: v for k, v in first.items() if k not in ("run_id", "ledger_added")} == {
        k: v for k, v in again.items() if k not in ("run_id", "ledger_added")}
    assert_same_files(tmp_path / "a", tmp_path / "b")


def test_a_report_that_fails_leaves_the_reconcile_stored_and_completed(world, store,
                                                                        tmp_path, monkeypatch):
    ingested(world, store.url)

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug in the report")

    monkeypatch.setattr("pipeline.reporting.build_report", broken)
    with pytest.raises(RuntimeError, match="a bug in the report"):
        nightly_step.reconcile_and_report(db_url=store.url, out_dir=tmp_path / "out",
                                          as_of=NIGHT_2, settings=Settings())
    assert [r["status"] for r in completed_runs(store)] == ["completed"]
    assert len(store.load_match_result().allocations) and len(store.load_ledger())
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("processes", [1, FORKING])
def test_a_result_that_cannot_be_stored_fails_the_run_and_writes_no_report(
        world, store, tmp_path, monkeypatch, processes):
    ingested(world, store.url)
    monkeypatch.setattr(two_cores, "FORK_ROWS", 0)

    def refused(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("pipeline.store.Store.append_ledger", refused)
    with pytest.raises((OSError, two_cores.ChildFailed), match="disk full"):
        nightly_step.reconcile_and_report(db_url=store.url, out_dir=tmp_path / "out",
                                          as_of=NIGHT_2, settings=Settings(processes=processes))
    assert [r["status"] for r in completed_runs(store)] == ["failed"]
    assert store.load_ledger().empty and not (tmp_path / "out").exists()


def test_the_report_inputs_made_after_reconcile_are_the_inputs_read_back(world, store):
    """Frame for frame, with a ledger holding a decision and entries stored already."""
    ingested(world, store.url)
    steps.reconcile(db_url=store.url, as_of=NIGHT_1, settings=Settings())
    decision = store.load_ledger().head(1).assign(entry="decision", status="confirmed")
    store.append_ledger(decision)
    inputs = nightly_step.reconcile_inputs(store, store.url, Settings())
    result = nightly_step.matched(inputs, as_of=NIGHT_2, settings=Settings())
    entries = pd.concat([result.entries, decision, result.entries.head(2)], ignore_index=True)
    result = type(result)(**{**result.__dict__, "entries": entries})
    now = store.now()
    made = store.report_inputs_after(inputs, result, now)
    nightly_step.saved(store, 1, result, now)
    read = store.load_report_inputs()
    assert sorted(made) == sorted(read)
    for name in read:
        if name == "match":
            for part in ("allocations", "unmatched", "exceptions", "tickets", "payouts",
                         "other_money", "candidates", "entries"):
                pd.testing.assert_frame_equal(getattr(made[name], part),
                                              getattr(read[name], part), obj=part)
        else:
            pd.testing.assert_frame_equal(made[name], read[name], obj=name)


def test_entries_another_writer_adds_meanwhile_are_read_back_before_reporting(
        world, store, tmp_path, monkeypatch):
    ingested(world, store.url)
    stored = nightly_step.saved

    def stored_beside_another_allocation(own, run_id, result, now=None):
        added = stored(own, run_id, result, now)
        open_invoice = own.load_invoices().query("balance_minor > 0").iloc[0]
        other = own.load_ledger().iloc[[0]].assign(
            match_id="another-writer", invoice_number=open_invoice["invoice_number"],
            currency=open_invoice["currency"], applied_minor=1)
        return added + own.append_ledger(other)

    monkeypatch.setattr(nightly_step, "saved", stored_beside_another_allocation)
    reads = []
    read_inputs = type(store).load_report_inputs
    monkeypatch.setattr(type(store), "load_report_inputs",
                        lambda self, **kw: reads.append(kw) or read_inputs(self, **kw))
    nightly_step.reconcile_and_report(db_url=store.url, out_dir=tmp_path / "nightly",
                                      as_of=NIGHT_2, settings=Settings())
    assert {} in reads, "the report's inputs were read back whole"
    steps.report(db_url=store.url, out_dir=tmp_path / "read", as_of=NIGHT_2, settings=Settings())
    assert_same_files(tmp_path / "nightly", tmp_path / "read")
