"""The figures of ``bench_pipeline.py`` as printed: the table (a row per run of the steps)
and the lines under it, then a line per ``payrecon run`` (``--cli``)."""

from __future__ import annotations


def render(rows: list[dict]) -> str:
    """Wall seconds with CPU seconds in brackets; µs per record read, of CPU time (steadier
    than wall on a shared machine; on PostgreSQL the server's own work is not in it). A Dask
    row counts the workers' CPU too; its parse and store are the worker tasks' CPU."""
    head = ("| run | clients | records | money lines | wall s (cpu) | peak RSS MB "
            "| ingest / reconcile / report s | same, cpu s | parse µs/rec | store µs/rec |")
    lines = [head, "|" + "---|" * 10]
    for r in rows:
        per = {k: r[f"{k}_cpu"] / r["records"] * 1e6 for k in ("parse", "store")}
        lines.append(
            f"| {r['mode']} | {r['clients']:,} | {r['records']:,} | {r['money_lines']:,} | "
            f"{r['total']:.1f} ({r['total_cpu']:.1f}) | {r['peak_rss_mb']:,.0f}{_child(r)} | "
            f"{r['ingest']:.1f} / {r['reconcile']:.1f} / {r['report']:.1f} | "
            f"{r['ingest_cpu']:.1f} / {r['reconcile_cpu']:.1f} / {r['report_cpu']:.1f} | "
            f"{per['parse']:.0f} | {per['store']:.0f} |"
        )
    lines += [_note(r) for r in rows]
    return "\n".join(lines)


def _child(r: dict) -> str:
    """`` + 1,234``: the peak of the report's forked writer (``flows.two_cores``), if any."""
    child = r.get("child_peak_rss_mb", 0.0) if r.get("mode") == "1 process" else 0.0
    return f" + {child:,.0f}" if child else ""


def _note(r: dict) -> str:
    """The line under the table for one run."""
    store = ("on the workers" if r["store"] != r["store"]  # NaN: the Dask tasks' wall overlaps
             else f"{r['store']:.1f} s wall")
    workers = (f"; largest worker's peak RSS {r['workers_peak_rss_mb']:,.0f} MB"
               if "workers_peak_rss_mb" in r else "")
    return (f"{r['clients']:,} clients, {r['mode']}: store {store}, {r['store_cpu']:.1f} s cpu; "
            f"quarantined {r['quarantined'] or 'none'}; matches {r['matches']}{workers}")


def render_cli(rows: list[dict]) -> str:
    """One line per ``payrecon run``: wall (CPU), peak RSS, counts, same matches."""
    return "\n".join(
        f"{r['clients']:,} clients, payrecon run: {r['total']:.1f} s wall "
        f"({r['total_cpu']:.1f} s cpu, the temporary Prefect server included), peak RSS "
        f"{r['peak_rss_mb']:,.0f} MB; matches.csv rows as the steps run's: {r['same_matches']}; "
        f"counts {r['counts']}" for r in rows)
