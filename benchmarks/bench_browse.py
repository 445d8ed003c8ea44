"""The web pages' reads at 100k money lines: server-side time of each query.

    python benchmarks/bench_browse.py                    # 100k money lines, SQLite
    python benchmarks/bench_browse.py --money 100000 --db postgresql://postgres@127.0.0.1:5432/test

A store is built (untimed apart from the reconcile) from the generators of
``benchmarks/bench_reconcile.py``: ``n`` bank lines against ``n`` open invoices of a hosting
shop whose balances come from a handful of plan prices (about 40 % name their invoice and pay
it, 30 % pay a plan price naming nothing: unmatched when too many invoices share the amount;
a fifth of the lines naming nothing pay an invoice of a balance no other has: a suggestion).
They are ingested through ``Store.ingest`` and reconciled with ``flows.steps.reconcile``, so
the candidates the engine keeps are saved as every night. With ``--db`` a throwaway
PostgreSQL database is created from that URL and dropped afterwards.

Each query is called ``--repeat`` times (default 5) through ``Store.read`` and the median
wall time is printed in milliseconds, with this process's CPU time (steadier on a shared
machine; on PostgreSQL it leaves out the server's own work) and the rows it returned: the
first page, a filtered page, a deep page (keyset: the last rows of the list) and the
details. Target: under 300 ms each. Then the web pages themselves (query and template,
through FastAPI's TestClient as a logged-in reviewer): median server time. Also printed:
the candidate rows the engine kept and their memory as a frame.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_pipeline import database  # noqa: E402
from benchmarks.bench_reconcile import AS_OF, invoices, payments  # noqa: E402
from flows.steps import reconcile  # noqa: E402
from pipeline.models import BankTransaction, Invoice, Origin  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.store import Store, browse  # noqa: E402
from pipeline.store.browse import Filters  # noqa: E402
from pipeline.store.browse_detail import invoice_detail, money_detail  # noqa: E402
from pipeline.store.browse_invoices import open_invoices, search_invoices  # noqa: E402


def fill(store: Store, n: int) -> None:
    """``n`` invoices and ``n`` bank lines (bench_reconcile's generators) into ``store``."""
    rng = np.random.default_rng(n)
    inv, pays = with_suggestions(*_generated(n, rng))
    origin = Origin(source_file="invoices.csv", source_sha256="0" * 64, source_format="csv")
    store.ingest(file_name="invoices.csv", sha256="0" * 64, fmt="csv", kind="invoice",
                 size_bytes=0, rejects=[], warnings=[], records=[
                     Invoice(invoice_number=r.invoice_number, client_id=r.client_id,
                             client_name=f"Client {r.client_id}", currency=r.currency,
                             issue_date=r.issue_date, due_date=r.due_date,
                             total_minor=int(r.total_minor), balance_minor=int(r.balance_minor),
                             status=r.status, origin=origin)
                     for r in inv.itertuples(index=False)])
    bank = Origin(source_file="bca.csv", source_sha256="1" * 64, source_format="bank-csv")
    store.ingest(file_name="bca.csv", sha256="1" * 64, fmt="bank-csv", kind="bank",
                 size_bytes=0, rejects=[], warnings=[], records=[
                     BankTransaction(account_id=r.account_id, natural_key=f"T{r.payment_id}",
                                     booking_date=r.source_date, amount_minor=int(r.amount_minor),
                                     currency=r.currency, description=r.text,
                                     counterparty_name=f"PAYER {r.payment_id % 997}",
                                     origin=bank.model_copy(update={"source_line": r.source_line}))
                     for r in pays.itertuples(index=False)])


def _generated(n: int, rng: np.random.Generator) -> tuple:
    inv = invoices(n, rng)
    return inv, payments(n, inv, rng)


def with_suggestions(inv, pays):  # noqa: ANN001, ANN201
    """A fifth of the lines that name no invoice pay one invoice whose balance no other has
    (made unique here): an amount-only suggestion each, so the review queue is long."""
    quiet = pays.index[~pays["text"].str.contains("inv", case=False)][::5]
    target = inv.index[-len(quiet):]
    unique = 123_400_00 + np.arange(len(quiet)) * 100
    inv = inv.copy()
    inv.loc[target, "balance_minor"] = unique
    inv.loc[target, "total_minor"] = unique
    pays = pays.copy()
    pays.loc[quiet, "amount_minor"] = unique
    return inv, pays


def timed(store: Store, repeat: int, query, *args, **kwargs):  # noqa: ANN001, ANN201
    """(median wall ms, median CPU ms of this process, the last result) of
    ``store.read(query, ...)``."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        out = store.read(query, *args, **kwargs)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus), out


def size(out) -> int:  # noqa: ANN001
    if out is None:
        return 0
    if isinstance(out, browse.Page):
        return len(out.rows)
    return len(out) if isinstance(out, list) else 1


def deep(store: Store, query, **kwargs) -> browse.Page:  # noqa: ANN001
    """The cursor of a deep page: the id just before the list's last 50 rows."""
    tail = store.read(query, descending=True, limit=51, **kwargs).rows
    return tail[-1]["id"] if len(tail) == 51 else None


def cases(store: Store, settings: Settings) -> list[tuple]:
    """(name, query, args, kwargs) of every figure printed."""
    queue = store.read(browse.review_queue, limit=1).rows
    line = queue[0] if queue else {"payment_id": 1, "invoice_number": "100000"}
    day = AS_OF - dt.timedelta(days=20)
    narrow = Filters(currency="IDR", source="bank", date_from=day, date_to=day)
    return [
        ("review queue: first page", browse.review_queue, (), {}),
        ("review queue: filtered page", browse.review_queue,
         (Filters(currency="IDR", date_from=day, kind="amount_only"),), {}),
        ("review queue: filtered, one day", browse.review_queue, (narrow,), {}),
        ("review queue: deep page", browse.review_queue, (),
         {"after": deep(store, browse.review_queue)}),
        ("unmatched: first page", browse.unmatched, (), {}),
        ("unmatched: filtered page", browse.unmatched,
         (Filters(kind="ambiguous_amount", date_from=day),), {}),
        ("unmatched: deep page", browse.unmatched, (), {"after": deep(store, browse.unmatched)}),
        ("exceptions: first page", browse.exceptions, (), {}),
        ("exceptions: filtered page", browse.exceptions, (Filters(kind="underpayment"),), {}),
        ("exceptions: deep page", browse.exceptions, (),
         {"after": deep(store, browse.exceptions)}),
        ("payouts: first page", browse.payouts, (), {}),
        ("tickets: first page", browse.tickets, (), {}),
        ("credits: first page", browse.credits, (), {}),
        ("open invoices: first page", open_invoices, (), {"settings": settings}),
        ("open invoices: overdue page", open_invoices, (Filters(kind="overdue"),),
         {"settings": settings}),
        ("open invoices: deep page", open_invoices, (),
         {"settings": settings, "after": store.counts()["invoices"] * 9 // 10}),
        ("invoice search: number prefix", search_invoices, ("1999",), {}),
        ("invoice search: client name", search_invoices, ("client 4999",), {}),
        ("invoice detail", invoice_detail, (line["invoice_number"],), {}),
        ("money line detail", money_detail, ("bank", line["payment_id"]), {}),
    ]


def page_times(url: str, settings: Settings, repeat: int, line: dict) -> None:
    """Server time of whole pages (query and template) through FastAPI's TestClient, logged
    in as a reviewer: the median of ``repeat`` requests per page, in milliseconds."""
    from fastapi.testclient import TestClient

    from flows.web.app import WebConfig, create_app
    from pipeline.passwords import hash_password
    from pipeline.store import WebStore

    with WebStore(url) as store:
        store.add_user("bench", hash_password("bench password!"), "reviewer")
    with tempfile.TemporaryDirectory() as reports:
        config = WebConfig(settings=settings, db_url=url, report_dir=Path(reports),
                           as_of=AS_OF.isoformat())
        with TestClient(create_app(config), base_url="http://127.0.0.1") as client:
            form = client.get("/login").text
            token = form.split('name="csrf_token" value="')[1].split('"')[0]
            client.post("/login", data={"username": "bench", "password": "bench password!",
                                        "csrf_token": token})
            for path in ("/review", "/review?currency=IDR&kind=amount_only", "/lists/unmatched",
                         "/lists/exceptions", "/lists/overdue", "/lists/overdue?kind=overdue",
                         f"/invoices/{line['invoice_number']}",
                         f"/money/bank/{line['payment_id']}",
                         f"/money/bank/{line['payment_id']}?q=1999"):
                walls, status = [], 0
                for _ in range(repeat):
                    start = time.perf_counter()
                    status = client.get(path).status_code
                    walls.append((time.perf_counter() - start) * 1000)
                ms = statistics.median(walls)
                flag = "" if ms < 300 else "  over 300 ms"
                print(f"page {path[:45]:45} {ms:8.1f} ms  HTTP {status}{flag}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--money", type=int, default=100_000, help="money lines (100000)")
    parser.add_argument("--repeat", type=int, default=5, help="calls per query (5)")
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (default: SQLite)")
    args = parser.parse_args(argv)
    settings = Settings()
    with tempfile.TemporaryDirectory() as work, database(args.db, Path(work)) as url:
        with Store(url) as store:
            start = time.perf_counter()
            fill(store, args.money)
            print(f"store: {args.money:,} money lines and invoices "
                  f"({time.perf_counter() - start:.1f} s to ingest)")
        start = time.perf_counter()
        counts = reconcile(db_url=url, as_of=AS_OF, settings=settings)
        print(f"reconcile: {time.perf_counter() - start:.1f} s  {counts}")
        with Store(url) as store:
            kept = store.load_match_result().candidates
            print(f"candidates kept: {len(kept):,} rows, "
                  f"{kept.memory_usage(deep=True).sum() / 2**20:.1f} MiB as a frame")
            print(f"{'query':34} {'wall ms':>8} {'CPU ms':>7} {'rows':>5}")
            for name, query, q_args, q_kwargs in cases(store, settings):
                ms, cpu, out = timed(store, args.repeat, query, *q_args, **q_kwargs)
                flag = "" if ms < 300 else "  over 300 ms"
                print(f"{name:34} {ms:8.1f} {cpu:7.1f} {size(out):5d}{flag}")
            queue = store.read(browse.review_queue, limit=1).rows
        line = queue[0] if queue else {"payment_id": 1, "invoice_number": "100000"}
        page_times(url, settings, args.repeat, line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
