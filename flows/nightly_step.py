"""Reconcile, then report what was just matched: the nightly run's two last steps as one.

Run apart (``payrecon reconcile``, then ``payrecon report``), the report reads back every
frame reconcile has just read or written. The nightly run keeps them: the report is made
of reconcile's own frames, its match result and its ledger in the form a read gives them
back (:meth:`pipeline.store.Store.report_inputs_after`), and only the tables reconcile
never reads are read. The files written are the same (a test compares them).

On two cores the match result and the ledger entries are written by a forked child on its
own connection while this process builds the report (:func:`flows.two_cores.meanwhile`);
the report's files are written once they are stored, as after ``payrecon reconcile``. A
report that fails leaves the reconcile run stored and completed, as it would run apart.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flows.runtime import loaded_frozen
from flows.steps import ReportOutcome, match_counts, open_store
from pipeline.settings import Settings

# what reconcile reads besides the money and the invoices (flows.two_cores)
RECONCILE_READS = ("ledger", "reversals", "tickets", "clients", "payouts", "non_payments")


def reconcile_inputs(store: Any, db_url: str, settings: Settings) -> dict[str, Any]:
    """Every frame the engine reads, by its ``match`` keyword (``payments`` and ``invoices``
    read side by side on two cores: :func:`flows.two_cores.money_and_invoices`)."""
    from flows.two_cores import money_and_invoices

    payments, invoices = money_and_invoices(store, db_url, settings)
    return {"payments": payments, "invoices": invoices,
            **{name: getattr(store, f"load_{name}")() for name in RECONCILE_READS}}


def matched(inputs: dict[str, Any], *, as_of: dt.date, settings: Settings,
            map_partitions: Any = None) -> Any:
    """The engine's MatchResult on ``inputs`` (:func:`reconcile_inputs`)."""
    from pipeline.matching import match

    with loaded_frozen():
        return match(inputs["payments"], inputs["invoices"], settings=settings, as_of=as_of,
                     map_partitions=map_partitions,
                     **{name: inputs[name] for name in RECONCILE_READS})


def saved(store: Any, run_id: int, result: Any, now: dt.datetime | None = None) -> int:
    """Store ``result`` as run ``run_id``'s and append its ledger entries (recorded at
    ``now``); how many entries were new."""
    with loaded_frozen():
        store.save_match_result(run_id, result)
        return store.append_ledger(result.entries, now)


def run_summary(run_id: int, as_of: dt.date, inputs: dict[str, Any], counts: dict[str, int],
                added: int) -> dict[str, Any]:
    """The reconcile run's summary (stored on its run row): see :func:`flows.steps.reconcile`."""
    return {"run_id": run_id, "as_of": as_of.isoformat(), "payments": len(inputs["payments"]),
            "invoices": len(inputs["invoices"]), **counts, "ledger_added": added}


def reconcile_and_report(*, db_url: str, out_dir: str | Path, as_of: dt.date,
                         settings: Settings, map_partitions: Any = None,
                         ) -> tuple[dict[str, Any], ReportOutcome]:
    """:func:`flows.steps.reconcile` then :func:`flows.steps.report`, under one run lock,
    the report made of what reconcile read and found: (reconcile summary, report outcome)."""
    with open_store(db_url) as store, store.run_lock():
        run_id = store.start_run("reconcile", as_of)
        try:
            inputs = reconcile_inputs(store, db_url, settings)
            pending = [matched(inputs, as_of=as_of, settings=settings,
                               map_partitions=map_partitions)]
            counts = match_counts(pending[0])
            data, failure, added = _saved_while_built(store, db_url, run_id, inputs, pending,
                                                      as_of, settings)
        except Exception as exc:
            store.finish_run(run_id, "failed", {"error": f"{type(exc).__name__}: {exc}"})
            raise
        summary = run_summary(run_id, as_of, inputs, counts, added)
        del inputs
        store.finish_run(run_id, "completed", summary)
        if failure is not None:
            raise failure
        return summary, _written(data, Path(out_dir), settings)


def _saved_while_built(store: Any, db_url: str, run_id: int, inputs: dict[str, Any],
                       pending: list, as_of: dt.date, settings: Settings) -> tuple:
    """(report data or None, the report's failure or None, ledger entries added): the
    MatchResult in ``pending`` stored (by a forked child on two cores) while the report is
    built here. This process lets go of the result (its candidates and ledger entries are
    about as big as the money) once the report's inputs are made of it."""
    from flows.two_cores import meanwhile, on_own_connection, room_for_a_copy, worth_forking

    now = store.now()
    fork = worth_forking(len(inputs["payments"]) + len(inputs["invoices"]),
                         settings) and room_for_a_copy()
    save = on_own_connection(db_url, lambda own: saved(own, run_id, pending[0], now))
    database_id = store.database_id()  # made when missing: a write, not to wait on the child's
    with meanwhile(save, fork=fork) as added:
        try:
            reported = store.report_inputs_after(inputs, pending.pop(), now)
            expected = len(reported["ledger"]) - len(inputs["ledger"])  # the entries it adds
            data, failure = _built(reported, database_id, as_of, settings), None
        except Exception as exc:  # noqa: BLE001 - the reconcile is stored all the same
            data, failure, expected = None, exc, None
        count = int(added())
    if failure is None and count != expected:  # another writer's entries: read them back
        data = _built(store.load_report_inputs(), database_id, as_of, settings)
    return data, failure, count


def _built(reported: dict[str, Any], database_id: str, as_of: dt.date,
           settings: Settings) -> Any:
    from pipeline.reporting import ReportInputs, build_report

    return build_report(ReportInputs(**reported, database_id=database_id),
                        as_of=as_of, settings=settings)


def _written(data: Any, out: Path, settings: Settings) -> ReportOutcome:
    """Every export of ``data`` written into ``out``."""
    from flows.two_cores import report_halves
    from reports import write_all

    out.mkdir(parents=True, exist_ok=True)
    paths = write_all(data, out, halves=report_halves(data, settings))
    return ReportOutcome(paths=[str(p) for p in paths], summary=dict(data.summary))
