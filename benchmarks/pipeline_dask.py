"""``bench_pipeline.py --dask N``: the month through the Dask path on an N-worker
``LocalCluster`` (worker processes, one thread each), without Prefect.

The same halves the nightly flow submits (:mod:`flows.fanout`): one parse task per file, all
at once; one store task per file, each after the one before (inbox order); then reconcile in
this process with the references found on the cluster (:class:`flows.fanout_match.DaskMapper`),
and the report in this process. CPU counts this process (the scheduler included) and every
worker (after each imported what the tasks need); peak RSS is this process's and the
largest worker's.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def parse_timed(path: str, db_url: str, settings: Any) -> tuple[Any, float]:
    """On a worker: :func:`flows.fanout.parse_file`, and the CPU seconds it took."""
    from flows.fanout import parse_file

    started = time.thread_time()
    return parse_file(path, db_url=db_url, settings=settings), time.thread_time() - started


def store_timed(parsed: tuple[Any, float], db_url: str, before: Any = None) -> dict:
    """On a worker, after ``before`` (the previous file's store): the parsed file stored."""
    from flows.fanout import store_parsed_file

    started = time.thread_time()
    outcome = store_parsed_file(parsed[0], db_url=db_url)
    return {"outcome": outcome, "parse_cpu": parsed[1], "store_cpu": time.thread_time() - started}


def warm_up() -> None:
    """On each worker before the clock starts: the imports every first task would pay."""
    import flows.fanout  # noqa: F401
    import parsers.registry  # noqa: F401
    import pipeline.references  # noqa: F401
    import pipeline.store  # noqa: F401


def worker_cpu() -> float:
    return time.process_time()


def worker_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Cluster:
    """An N-worker LocalCluster and its client; ``clock()`` is (wall, CPU of this process and
    every worker) seconds."""

    def __init__(self, workers: int) -> None:
        from distributed import Client, LocalCluster

        self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                    dashboard_address=":0")
        self.client = Client(self.cluster)
        self.client.run(warm_up)

    def clock(self) -> tuple[float, float]:
        return time.perf_counter(), time.process_time() + sum(
            self.client.run(worker_cpu).values())

    def peak_rss_mb(self) -> float:
        return max(self.client.run(worker_peak_rss_mb).values())

    def close(self) -> None:
        self.client.close()
        self.cluster.close()


def ingest(client: Any, inbox: Path, names: list[str], url: str, settings: Any) -> list[dict]:
    """Parse every file at once, store them one after another; per file its outcome and the
    CPU seconds of its parse and store tasks."""
    from flows.fanout import without_secrets

    shared = without_secrets(settings)
    stored: list = []
    for name in names:
        parsed = client.submit(parse_timed, str(inbox / name), url, shared, pure=False)
        stored.append(client.submit(store_timed, parsed, url, stored[-1] if stored else None,
                                    pure=False))
    return client.gather(stored)


def phases(cluster: Cluster, steps: list[tuple[str, Callable[[], Any]]]) -> tuple[dict, list]:
    """Run ``steps`` in order: per step (wall, CPU) seconds, and each step's result."""
    times, results = {}, []
    for name, step in steps:
        mark = cluster.clock()
        results.append(step())
        now = cluster.clock()
        times[name] = (now[0] - mark[0], now[1] - mark[1])
    return times, results
