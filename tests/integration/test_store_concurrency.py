"""Issue 10, findings 6 and 8: several processes on one database, and runs that were killed.

Same-content ingests racing end "already ingested" for all but one (never a unique violation);
the run lock lets one reconcile or report run at a time; a ``running`` row whose process is gone
is marked ``interrupted`` by the next run.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import update

from pipeline.store import Store, tables


def _ingest_same_file(store_url: str, make, barrier: threading.Barrier):  # noqa: ANN001
    with Store(store_url) as own:
        barrier.wait(timeout=60)
        return own.ingest(
            file_name="bank.csv", sha256=make.origin("bank.csv").source_sha256, fmt="csv",
            kind="bank", size_bytes=1, records=[make.bank(f"K{i}") for i in range(200)],
            rejects=[], warnings=[],
        )


def test_the_same_file_ingested_by_four_at_once_is_stored_once_without_an_error(store_url, make):
    barrier = threading.Barrier(4)
    for _ in range(3):
        with ThreadPoolExecutor(max_workers=4) as pool:
            jobs = [pool.submit(_ingest_same_file, store_url, make, barrier) for _ in range(4)]
            counts = [job.result(timeout=120) for job in jobs]
        with Store(store_url) as reopened:
            assert reopened.counts()["bank_transactions"] == 200
            assert reopened.counts()["source_files"] == 1
    assert sum(not c.already_ingested for c in counts) <= 1


def test_the_same_unreadable_file_quarantined_by_four_at_once_is_recorded_once(store_url):
    barrier = threading.Barrier(4)

    def quarantine() -> None:
        with Store(store_url) as own:
            barrier.wait(timeout=60)
            own.quarantine(file_name="x.pdf", sha256="ab" * 32, reason="not a statement")

    with ThreadPoolExecutor(max_workers=4) as pool:
        for job in [pool.submit(quarantine) for _ in range(4)]:
            job.result(timeout=120)
    with Store(store_url) as reopened:
        assert reopened.counts()["source_files"] == 1


def test_a_second_run_lock_waits_until_the_first_is_released(store_url):
    entered = threading.Event()

    def second() -> None:
        with Store(store_url) as other, other.run_lock():
            entered.set()

    with Store(store_url) as store:
        with store.run_lock():
            waiter = threading.Thread(target=second)
            waiter.start()
            assert not entered.wait(0.5), "the second holder got in while the first held it"
        assert entered.wait(30), "the second holder got in once the first let go"
        waiter.join(30)


def _runs(store: Store) -> dict[int, tuple[str, dict]]:
    with store._engine.connect() as conn:
        rows = conn.execute(tables.runs.select()).all()
    return {r.id: (r.status, json.loads(r.summary_json)) for r in rows}


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_running_row_records_its_process_and_heartbeat(store):
    run_id = store.start_run("reconcile", None)
    status, info = _runs(store)[run_id]
    assert status == "running" and {"pid", "host", "heartbeat"} <= set(info)


def test_a_run_whose_process_is_gone_is_marked_interrupted_by_the_next_run(store):
    killed = store.start_run("reconcile", None)
    info = {**_runs(store)[killed][1], "pid": _dead_pid()}
    with store._engine.begin() as conn:
        conn.execute(update(tables.runs).where(tables.runs.c.id == killed)
                     .values(summary_json=json.dumps(info)))

    following = store.start_run("reconcile", None)

    runs = _runs(store)
    assert runs[killed][0] == "interrupted" and "is gone" in runs[killed][1]["error"]
    assert runs[following][0] == "running"


def test_a_run_without_a_heartbeat_for_hours_is_marked_interrupted(store):
    stale = store.start_run("reconcile", None)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=5)
    info = {"pid": 1, "host": "another-host", "heartbeat": old.isoformat()}
    with store._engine.begin() as conn:
        conn.execute(update(tables.runs).where(tables.runs.c.id == stale)
                     .values(summary_json=json.dumps(info)))
    alive = store.start_run("reconcile", None)

    store.start_run("reconcile", None)

    runs = _runs(store)
    assert runs[stale][0] == "interrupted" and "no heartbeat" in runs[stale][1]["error"]
    assert runs[alive][0] == "running", "a live run on this host is left alone"
