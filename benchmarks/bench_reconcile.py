"""Reconcile (the matching engine alone) at growing sizes: time and peak memory, beside a
DuckDB baseline, and a second night with 1 % new money.

    python benchmarks/bench_reconcile.py                      # 10k and 100k money lines
    python benchmarks/bench_reconcile.py --sizes 10000,100000,1000000

    # the baseline needs duckdb, which is no dependency of payrecon: a venv of its own
    python -m venv .bench-venv && .bench-venv/bin/pip install -e . -r benchmarks/requirements.txt
    .bench-venv/bin/python benchmarks/bench_reconcile.py --sizes 10000,100000,1000000

Frames are generated in this process (nothing is written): ``n`` money lines against ``n``
invoices of a hosting shop, whose balances come from a handful of plan prices (so many
invoices share an amount, the case that used to explode the amount-only join). About 40 %
of the lines name their invoice and pay it exactly, 10 % name it and pay a different amount,
5 % name two invoices (a mass payment), 30 % name nothing and pay a plan price, 15 % are
amounts that match nothing. Printed per size: wall and CPU seconds, peak Python heap
(``tracemalloc``, numpy and pandas buffers included, in a second untimed run; ``--no-heap``
skips it), and the outcome counts.

Baseline: the same money and invoices in DuckDB, one SQL statement that extracts every
keyword reference with ``regexp_extract_all`` and joins it to the invoices on the number
(exact join, amount compared): the least any reference matcher must do. ``ratio`` = engine
wall seconds / baseline wall seconds, ``cpu`` the same in CPU seconds of the process (all
DuckDB threads counted): on a shared machine the CPU ratio is the steadier one. Without
duckdb: "baseline: duckdb not installed".

Night 2: the ledger of night 1 (its ``entries``, kept in memory) and the same history plus
1 % new money a day later (drawn like night 1's). Money the ledger already settled is
explained by the ledger pass and goes through no other pass; ``to match`` counts the money
that does (the new money plus what no earlier night explained: here about 55 %, the lines
that match nothing or whose amount many invoices share, and the second payments naming an
invoice an earlier one settled). ``n2/n1`` = night 2 CPU / night 1 CPU; ``/line`` = night 2
CPU per line to match / night 1 CPU per money line (1: the lines still open cost as much as
new ones; the ledger's money costs only the ledger pass).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.frames import INVOICE_COLUMNS, PAYMENT_COLUMNS  # noqa: E402
from pipeline.matching import match  # noqa: E402
from pipeline.settings import Settings  # noqa: E402

AS_OF = dt.date(2026, 11, 30)
PRICES = np.array([75_000, 150_000, 250_000, 450_000, 900_000, 1_500_000, 3_000_000]) * 100


def invoices(n: int, rng: np.random.Generator) -> pd.DataFrame:
    issue = pd.Timestamp("2026-10-01") + pd.to_timedelta(rng.integers(0, 45, n), unit="D")
    balance = rng.choice(PRICES, n)
    numbers = pd.Series(np.arange(100_000, 100_000 + n)).astype(str)
    frame = pd.DataFrame({
        "invoice_number": numbers, "invoice_id": "", "client_id": (np.arange(n) // 2).astype(str),
        "client_name": "", "client_email": "", "currency": "IDR",
        "issue_date": issue.date, "due_date": (issue + pd.Timedelta(days=14)).date,
        "total_minor": balance, "balance_minor": balance, "status": "Unpaid",
        "first_invoice": False, "group_id": None,
    })
    return frame[INVOICE_COLUMNS]


def payments(n: int, inv: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    kind = rng.choice(5, n, p=[0.40, 0.10, 0.05, 0.30, 0.15])
    target = rng.integers(0, len(inv), n)
    other = rng.integers(0, len(inv), n)
    number = inv["invoice_number"].to_numpy()[target]
    amount = inv["balance_minor"].to_numpy()[target].copy()
    amount[kind == 1] -= 650_000  # a wire fee or a partial payment
    amount[kind == 2] += inv["balance_minor"].to_numpy()[other][kind == 2]
    amount[kind == 3] = rng.choice(PRICES, int((kind == 3).sum()))
    amount[kind == 4] = rng.integers(10_000, 90_000_000, int((kind == 4).sum()))
    memo = np.where(kind <= 1, "TRSF E-BANKING CR 1110000.00 INV " + number + " HOSTING",
                    "TRANSFER DARI BUDI SANTOSO 0372543386")
    memo = np.where(kind == 2, "pembayaran inv" + number + " dan inv"
                    + inv["invoice_number"].to_numpy()[other], memo)
    frame = pd.DataFrame({
        "payment_kind": "bank", "payment_id": np.arange(1, n + 1),
        "source_format": "bank_csv", "source_file": "bca.csv", "source_ref": None,
        "source_line": np.arange(2, n + 2),
        "source_date": (pd.Timestamp("2026-10-05")
                        + pd.to_timedelta(rng.integers(0, 55, n), unit="D")).date,
        "amount_minor": amount, "currency": "IDR", "text": memo, "counterparty": "",
        "account_id": "0372543386",
    })
    if "money_key" in PAYMENT_COLUMNS:
        frame["money_key"] = "bank:0372543386:T" + frame["payment_id"].astype(str)
    return frame[PAYMENT_COLUMNS]


def measure(n: int, heap: bool) -> dict:
    rng = np.random.default_rng(n)
    inv = invoices(n, rng)
    pays = payments(n, inv, rng)
    settings = Settings()
    result, wall, cpu = timed(lambda: match(pays, inv, settings=settings, as_of=AS_OF))
    status = result.allocations["status"].value_counts()
    night2 = next_night(pays, inv, max(1, n // 100), rng)
    _, wall2, cpu2 = timed(lambda: match(night2, inv, settings=settings,
                                         as_of=AS_OF + dt.timedelta(days=1),
                                         ledger=result.entries))
    return {"money": n, "seconds": wall, "cpu": cpu, "peak_mib": peak_heap(pays, inv) if heap
            else float("nan"), "auto": int(status.get("auto", 0)),
            "suggested": int(status.get("suggested", 0)), "unmatched": len(result.unmatched),
            "ledger": len(result.entries), "night2_new": len(night2) - n,
            "night2_open": int((~night2["money_key"].isin(set(result.entries["money_key"]))).sum()),
            "night2_seconds": wall2, "night2_cpu": cpu2, "baseline": duckdb_baseline(pays, inv)}


def timed(run):  # noqa: ANN001, ANN201
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    out = run()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def peak_heap(pays: pd.DataFrame, inv: pd.DataFrame) -> float:
    gc.collect()
    tracemalloc.start()
    match(pays, inv, settings=Settings(), as_of=AS_OF)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def next_night(pays: pd.DataFrame, inv: pd.DataFrame, new: int,
               rng: np.random.Generator) -> pd.DataFrame:
    """Night 1's money plus ``new`` lines dated the next day (ids after night 1's)."""
    more = payments(new, inv, rng).assign(
        payment_id=np.arange(len(pays) + 1, len(pays) + new + 1),
        source_line=np.arange(len(pays) + 2, len(pays) + new + 2),
        source_date=AS_OF + dt.timedelta(days=1))
    more["money_key"] = "bank:0372543386:T" + more["payment_id"].astype(str)
    return pd.concat([pays, more], ignore_index=True)


BASELINE_SQL = r"""
WITH refs AS (
    SELECT p.payment_id, p.amount_minor, p.currency,
           unnest(regexp_extract_all(p.text, '(?i)(?:INVOICES?|INV|FAKTUR|TAGIHAN|RECHNUNG|NOTA|#)'
                  || '\s*(?:NO\.?|NR\.?|NUMBER)?\s*[#:.\-]?\s*([0-9]{3,10})', 1)) AS ref
    FROM pays p)
SELECT count(*) AS referenced, count(i.invoice_number) AS joined,
       count(*) FILTER (WHERE i.balance_minor = r.amount_minor) AS amount_equal
FROM refs r LEFT JOIN inv i ON i.invoice_number = ltrim(r.ref, '0') AND i.currency = r.currency
"""


def duckdb_baseline(pays: pd.DataFrame, inv: pd.DataFrame) -> dict | None:
    """Wall seconds of the baseline statement over the two frames (``None``: no duckdb)."""
    try:
        import duckdb
    except ImportError:
        return None
    con = duckdb.connect()
    con.register("pays", pays[["payment_id", "amount_minor", "currency", "text"]])
    con.register("inv", inv[["invoice_number", "currency", "balance_minor"]])
    (referenced, joined, equal), seconds, cpu = timed(
        lambda: con.execute(BASELINE_SQL).fetchone())
    con.close()
    return {"seconds": seconds, "cpu": cpu, "referenced": referenced, "joined": joined,
            "equal": equal}


def line(r: dict) -> str:
    base = r["baseline"]
    baseline = ("baseline: duckdb not installed" if base is None else
                f"{base['seconds']:>7.2f} {base['cpu']:>6.2f} "
                f"{r['seconds'] / base['seconds']:>6.1f}x {r['cpu'] / base['cpu']:>6.1f}x")
    return (f"{r['money']:>9,} {r['seconds']:>7.2f} {r['cpu']:>7.2f} {r['peak_mib']:>8.1f} "
            f"{r['auto']:>8,} {r['suggested']:>8,} {r['unmatched']:>8,}  {baseline}  | "
            f"{r['night2_new']:>6,} {r['night2_open']:>8,} {r['night2_seconds']:>7.2f} "
            f"{r['night2_cpu']:>7.2f} {r['night2_cpu'] / r['cpu']:>5.2f} "
            f"{night2_per_line(r):>5.2f}")


def night2_per_line(r: dict) -> float:
    """Night 2's CPU per line it matched again, over night 1's CPU per line (1: the same
    cost per line; below 1: what night 2 skips, e.g. the ledger's money, is cheaper)."""
    return (r["night2_cpu"] / max(r["night2_open"], 1)) / (r["cpu"] / r["money"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="money lines per run, comma-separated (default 10000,100000)")
    parser.add_argument("--no-heap", action="store_true",
                        help="skip the second, traced run that measures the peak heap")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"{'money':>9} {'wall s':>7} {'cpu s':>7} {'heap MiB':>8} {'auto':>8} {'suggest':>8} "
          f"{'unmatch':>8}  {'duckdb':>7} {'cpu s':>6} {'ratio':>6} {'cpu':>6}  | night 2: "
          f"{'new':>6} {'to match':>8} {'wall s':>7} {'cpu s':>7} {'n2/n1':>5} {'/line':>5}")
    for n in sizes:
        print(line(measure(n, not args.no_heap)), flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"max resident set size of the whole run: {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
