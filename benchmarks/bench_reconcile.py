"""Reconcile (the matching engine alone) at growing sizes: time and peak memory.

    python benchmarks/bench_reconcile.py                      # 10k and 100k money lines
    python benchmarks/bench_reconcile.py --sizes 10000,100000,1000000

Frames are generated in this process (nothing is written): ``n`` money lines against ``n``
invoices of a hosting shop, whose balances come from a handful of plan prices (so many
invoices share an amount, the case that used to explode the amount-only join). About 40 %
of the lines name their invoice and pay it exactly, 10 % name it and pay a different amount,
5 % name two invoices (a mass payment), 30 % name nothing and pay a plan price, 15 % are
amounts that match nothing. Printed per size: seconds, peak Python heap (``tracemalloc``,
numpy and pandas buffers included, in a second untimed run), and the outcome counts.

A DuckDB baseline (the candidate count of the amount-only rule as one SQL aggregate) is
timed when ``duckdb`` is importable; it is not a dependency of payrecon.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
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


def measure(n: int) -> dict:
    rng = np.random.default_rng(n)
    inv = invoices(n, rng)
    pays = payments(n, inv, rng)
    settings = Settings()
    gc.collect()
    start = time.perf_counter()
    result = match(pays, inv, settings=settings, as_of=AS_OF)
    seconds = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    match(pays, inv, settings=settings, as_of=AS_OF)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    status = result.allocations["status"].value_counts()
    return {"money": n, "invoices": n, "seconds": seconds, "peak_mib": peak / 2**20,
            "auto": int(status.get("auto", 0)), "suggested": int(status.get("suggested", 0)),
            "unmatched": len(result.unmatched), "exceptions": len(result.exceptions),
            "duckdb": duckdb_baseline(pays, inv)}


def duckdb_baseline(pays: pd.DataFrame, inv: pd.DataFrame) -> str:
    try:
        import duckdb
    except ImportError:
        return "duckdb not installed"
    start = time.perf_counter()
    duckdb.sql("SELECT p.payment_id, count(i.invoice_number) FROM pays p LEFT JOIN inv i "
               "ON i.currency = p.currency AND i.balance_minor = p.amount_minor "
               "GROUP BY p.payment_id").fetchall()
    return f"{time.perf_counter() - start:.2f} s (amount candidates as one SQL aggregate)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="money lines per run, comma-separated (default 10000,100000)")
    sizes = [int(s) for s in parser.parse_args(argv).sizes.split(",") if s.strip()]
    print(f"{'money':>9} {'invoices':>9} {'seconds':>8} {'peak MiB':>9} {'auto':>8} "
          f"{'suggested':>9} {'unmatched':>9} {'exceptions':>10}  duckdb")
    for n in sizes:
        r = measure(n)
        print(f"{r['money']:>9,} {r['invoices']:>9,} {r['seconds']:>8.2f} {r['peak_mib']:>9.1f} "
              f"{r['auto']:>8,} {r['suggested']:>9,} {r['unmatched']:>9,} "
              f"{r['exceptions']:>10,}  {r['duckdb']}", flush=True)


if __name__ == "__main__":
    main()
