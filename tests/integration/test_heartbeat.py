"""Issue 10: a run's row in the store keeps a fresh heartbeat while its process works (a
long match included), and stops beating when the run finishes, so that the next run tells
a live run from a dead one."""

from __future__ import annotations

import datetime as dt
import json
import time

from pipeline.store import Store, tables

FAST = dt.timedelta(milliseconds=50)


def heartbeat(store: Store, run_id: int) -> dict:
    with store._engine.connect() as conn:
        row = conn.execute(tables.runs.select().where(tables.runs.c.id == run_id)).one()
    return {"status": row.status, **json.loads(row.summary_json)}


def wait_for_a_new_beat(store: Store, run_id: int, first: str) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        beat = heartbeat(store, run_id).get("heartbeat")
        if beat != first:
            return beat
        time.sleep(0.05)
    raise AssertionError("the heartbeat was never refreshed")


def test_a_running_row_is_beaten_while_its_run_works(store_url):
    with Store(store_url, beat_every=FAST) as store:
        run_id = store.start_run("reconcile", None)
        first = heartbeat(store, run_id)["heartbeat"]
        later = wait_for_a_new_beat(store, run_id, first)
        assert dt.datetime.fromisoformat(later) > dt.datetime.fromisoformat(first)
        store.finish_run(run_id, "completed", {"matched": 1})


def test_a_finished_run_is_not_beaten_again(store_url):
    with Store(store_url, beat_every=FAST) as store:
        run_id = store.start_run("reconcile", None)
        store.finish_run(run_id, "completed", {"matched": 1})
        time.sleep(0.3)
        assert heartbeat(store, run_id) == {"status": "completed", "matched": 1}


def test_closing_the_store_stops_its_heartbeats(store_url):
    store = Store(store_url, beat_every=FAST)
    run_id = store.start_run("reconcile", None)
    store.close()
    assert store._pulses == {}
    with Store(store_url) as other:
        first = heartbeat(other, run_id)["heartbeat"]
        time.sleep(0.3)
        assert heartbeat(other, run_id)["heartbeat"] == first
