"""Parser throughput and memory at growing file sizes, for every registered format.

    python benchmarks/bench_parsers.py                       # all formats, 10k/50k/200k
    python benchmarks/bench_parsers.py --sizes 10000,50000 --formats ofx,camt053
    python benchmarks/bench_parsers.py --store --sizes 20000,200000 --formats stripe  # + store

Each file is written by :mod:`benchmarks.synthetic` into a temporary folder (deleted after
use), then detected with ``parsers.registry.detect`` (so sniffing is timed too) and parsed
with the parser it picks, in this one process. Printed per format and size: records
(records + rejects returned), seconds, records/second (of wall time, and of the process's CPU
time, which a busy shared machine does not blur), the peak memory of the parse and the
memory its result still holds, and the peak per 1,000 records; then per format the ratio of
time (and peak memory) per record at the largest size to the smallest: about 1 is linear.

Memory, ``--memory rss`` (default): the resident set size, its high-water mark reset just
before the parse (``/proc/self/clear_refs`` 5, Linux; else ``ru_maxrss``, which only rises),
minus the resident size before it, after ``gc.collect()`` and ``malloc_trim``. It counts
everything the parse touches, C libraries (lxml) included, and it is free: timings are
unaffected. ``--memory tracemalloc``: Python allocations only (peak, and what the result
holds), measured in a second, untimed parse of each file (tracemalloc slows Python down a lot).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import platform
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import WRITERS  # noqa: E402  (after the path set-up)

DEFAULT_SIZES = (10_000, 50_000, 200_000)
MB = 1024 * 1024


@dataclass(frozen=True)
class Run:
    label: str
    size: int
    records: int
    seconds: float
    cpu: float
    peak_mb: float
    kept_mb: float
    file_mb: float
    problem: str = ""

    @property
    def per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0

    @property
    def per_cpu_second(self) -> float:
        """Records per second of this process's CPU time: what a busy shared machine
        (whose wall time also counts other processes' turns) does not blur."""
        return self.records / self.cpu if self.cpu else 0.0

    @property
    def peak_per_1k(self) -> float:
        return self.peak_mb / self.records * 1000 if self.records else 0.0


class RssMeter:
    """Resident memory: high-water mark since :meth:`start` and current size, in MB."""

    def __init__(self) -> None:
        try:
            self._libc = ctypes.CDLL("libc.so.6")
        except OSError:
            self._libc = None
        self.resettable = self._reset_peak()
        self.method = ("resident set size: peak (VmHWM reset per parse) minus size before"
                       if self.resettable else "ru_maxrss delta (only rises: a lower bound)")

    def _reset_peak(self) -> bool:
        try:
            Path("/proc/self/clear_refs").write_text("5")
            return True
        except OSError:
            return False

    def settle(self) -> float:
        """Collect garbage, hand free heap back to the system; the resident size then."""
        gc.collect()
        if self._libc is not None:
            self._libc.malloc_trim(0)
        return self._status("VmRSS")

    def start(self) -> float:
        base = self.settle()
        if self.resettable:
            self._reset_peak()
        self._maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return base

    def peak(self) -> float:
        if self.resettable:
            return self._status("VmHWM")
        return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, self._maxrss)

    @staticmethod
    def _status(field: str) -> float:
        text = Path("/proc/self/status").read_text()
        return int(re.search(rf"{field}:\s+(\d+)", text).group(1)) / 1024


def parse_file(path: Path, store_in: Path | None = None):
    """Detection (sniffing included) and parse, as the pipeline does it; with ``store_in``
    (a folder) the result is also stored into a fresh SQLite database there, as
    ``flows.steps.store_parsed`` stores it (the database is made before the clock starts:
    see :func:`fresh_store`)."""
    from parsers.base import SourceFile
    from parsers.registry import detect

    source = SourceFile(path)
    detection = detect(source)
    if detection.parser is None:
        return detection.problem, None
    result = detection.parser.parse(source)
    if store_in is not None and not result.refusal:
        from flows.steps import store_parsed

        base = {"path": str(path), "file_name": source.name, "sha256": source.sha256}
        store = fresh_store.opened[store_in]
        store_parsed(store, base, fmt=detection.parser.format, kind=detection.parser.kind,
                     size_bytes=path.stat().st_size, result=result, reason=None)
    return detection.parser.format, result


def fresh_store(folder: Path) -> None:
    """An empty SQLite store in ``folder`` (schema made, engine open), for the next
    :func:`parse_file`; the previous one is closed and deleted."""
    from pipeline.store import Store

    old = fresh_store.opened.pop(folder, None)
    if old is not None:
        old.close()
    path = folder / "bench.sqlite"
    path.unlink(missing_ok=True)
    store = Store(f"sqlite:///{path}")
    store.counts()
    fresh_store.opened[folder] = store


fresh_store.opened = {}


def measure(label: str, size: int, folder: Path, meter: RssMeter, traced: bool,
            collect: bool = True, store: bool = False) -> Run:
    expected, suffix, writer = WRITERS[label]
    path = folder / f"{label.replace(':', '-')}-{size}{suffix}"
    writer(path, size)
    file_mb = path.stat().st_size / MB
    if store:
        fresh_store(folder)
    base = meter.start()
    if not collect:
        gc.disable()
    started, cpu = time.perf_counter(), time.process_time()
    found, result = parse_file(path, folder if store else None)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    gc.enable()
    peak = meter.peak() - base
    kept = meter.settle() - base
    problem = _problem(expected, found, result)
    count = len(result.records) + len(result.rejects) if result is not None else 0
    del result
    if traced:
        peak, kept = _traced(path)
    path.unlink()
    return Run(label, size, count, seconds, cpu, peak, kept, file_mb, problem)


def _problem(expected: str, found: str, result) -> str:
    if result is None or found != expected:
        return f"detected as {found!r}, expected {expected!r}"
    if result.refusal:
        return f"refused: {result.refusal}"
    return f"{len(result.rejects)} rejects" if result.rejects else ""


def _traced(path: Path) -> tuple[float, float]:
    """tracemalloc's peak during a parse and what the result still holds, in MB."""
    gc.collect()
    tracemalloc.start()
    try:
        result = parse_file(path)
        gc.collect()
        kept, peak = tracemalloc.get_traced_memory()
        del result
        return peak / MB, kept / MB
    finally:
        tracemalloc.stop()


def warm_up(labels: list[str], folder: Path, store: bool = False) -> None:
    """Import every parser and build each model once, so the first timed run does not pay."""
    for label in labels:
        _, suffix, writer = WRITERS[label]
        path = folder / f"warm-up{suffix}"
        writer(path, 50)
        if store:
            fresh_store(folder)
        parse_file(path, folder if store else None)
        path.unlink()


def machine() -> str:
    cpu = ""
    if Path("/proc/cpuinfo").is_file():
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = found.group(1).strip() if found else ""
    return (f"{os.cpu_count()} cores {cpu}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


COLUMNS = ("format", "records", "seconds", "cpu s", "records/s", "records/cpu s", "peak MB",
           "kept MB", "peak MB/1k rec", "file MB", "note")


def table_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def print_header() -> None:
    print(table_row(list(COLUMNS)))
    print(table_row(["---"] + ["---:"] * (len(COLUMNS) - 2) + ["---"]))


def print_row(run: Run) -> None:
    print(table_row([run.label, f"{run.records:,}", f"{run.seconds:.2f}", f"{run.cpu:.2f}",
                     f"{run.per_second:,.0f}", f"{run.per_cpu_second:,.0f}",
                     f"{run.peak_mb:.1f}", f"{run.kept_mb:.1f}",
                     f"{run.peak_per_1k:.2f}", f"{run.file_mb:.1f}", run.problem]), flush=True)


def print_ratios(runs: list[Run]) -> None:
    """Per format, largest size against smallest: CPU time per record (about 1 = linear),
    and memory: peak per 1k records, the marginal peak per 1k records of the last size step
    (free of the constant offset) and peak / kept (transient memory beyond the records)."""
    print("\nlargest vs smallest size (time ratio about 1 = linear; memory at the largest "
          "size):\n")
    print(table_row(["format", "sizes", "cpu time/record ratio", "peak MB/1k rec",
                     "marginal peak MB/1k rec", "peak/kept"]))
    print(table_row(["---"] * 2 + ["---:"] * 4))
    for label in dict.fromkeys(r.label for r in runs):
        mine = sorted((r for r in runs if r.label == label and r.records), key=lambda r: r.size)
        if len(mine) < 2:
            continue
        small, before, large = mine[0], mine[-2], mine[-1]
        ratio = (large.cpu / large.records) / (small.cpu / small.records)
        marginal = (large.peak_mb - before.peak_mb) / (large.records - before.records) * 1000
        kept = large.peak_mb / large.kept_mb if large.kept_mb > 0 else float("nan")
        print(table_row([label, f"{small.size:,} -> {large.size:,}", f"{ratio:.2f}",
                         f"{large.peak_per_1k:.2f}", f"{marginal:.2f}", f"{kept:.2f}"]))


def options(argv: list[str] | None) -> argparse.Namespace:
    cli = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cli.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                     help="record counts, comma-separated (default: %(default)s)")
    cli.add_argument("--formats", default="",
                     help="formats or variants, comma-separated: " + ", ".join(WRITERS)
                     + " (a format name selects all its variants; default: all)")
    cli.add_argument("--memory", choices=("rss", "tracemalloc"), default="rss",
                     help="how peak memory is measured (see the module docstring)")
    cli.add_argument("--no-gc", action="store_true",
                     help="diagnostic: Python's cyclic garbage collector off during each parse "
                          "(its passes over the growing heap of records are what is left of "
                          "the growth of time per record; garbage cycles then stay until the "
                          "parse ends)")
    cli.add_argument("--store", action="store_true",
                     help="end to end: each parse result is also stored into a fresh SQLite "
                          "database (flows.steps.store_parsed), timed with the parse")
    args = cli.parse_args(argv)
    args.sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    wanted = [w.strip() for w in args.formats.split(",") if w.strip()]
    args.labels = [label for label in WRITERS
                   if not wanted or label in wanted or label.split(":")[0] in wanted]
    known = {*WRITERS, *(label.split(":")[0] for label in WRITERS)}
    unknown = [w for w in wanted if w not in known]
    if unknown or not args.labels:
        cli.error(f"unknown format(s) {unknown}; known: {', '.join(WRITERS)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    meter = RssMeter()
    method = meter.method if args.memory == "rss" else \
        "tracemalloc peak of a second, untimed parse (Python allocations only)"
    notes = [f"machine: {machine()}", f"memory: {method}"]
    if args.no_gc:
        notes.append("cyclic garbage collector: off during each parse")
    if args.store:
        notes.append("end to end: parse + store into a fresh SQLite database")
    print("\n".join(notes) + "\n")
    print_header()
    runs = []
    with tempfile.TemporaryDirectory(prefix="payrecon-bench-") as folder:
        warm_up(args.labels, Path(folder), args.store)
        for label in args.labels:
            for size in args.sizes:
                runs.append(measure(label, size, Path(folder), meter,
                                    traced=args.memory == "tracemalloc",
                                    collect=not args.no_gc, store=args.store))
                print_row(runs[-1])
        for store in fresh_store.opened.values():
            store.close()
        fresh_store.opened.clear()
    print_ratios(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
