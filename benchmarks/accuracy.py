"""How right is the matching engine? A generated month with ground truth, through the real path.

    python benchmarks/accuracy.py --seed 1                 # 1,500 clients, ~2,200 invoices
    python benchmarks/accuracy.py --seed 2 --clients 300 --keep /tmp/world-2

Generates the month (:mod:`sample_data.world`) into a temporary folder, ingests every file with
``flows.steps.ingest_file`` into a SQLite file, runs ``flows.steps.reconcile`` and
``flows.steps.report`` as of the month's end, reads the exports back and prints, false auto
first: precision and recall of ``auto`` and of ``auto + suggested`` per evidence class,
invoice-status accuracy, payouts, tickets, duplicate charges, refunds and chargebacks caught,
and the tie-out per currency. Scoring lives in ``accuracy_score.py`` / ``accuracy_checks.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks import accuracy_checks as checks  # noqa: E402
from benchmarks import accuracy_score as score  # noqa: E402


@dataclass(frozen=True)
class Run:
    truth: dict
    exports: dict
    files: list  # FileOutcome per input file
    rejects: dict  # reject reason (up to its first colon-separated detail) -> rows
    seconds: float


# The world shop's fee tolerance, as its finance team would set it: intermediary banks keep
# at most 5 % of an incoming bank transfer (the generator's wire fees never exceed that).
WORLD_FEE_TOLERANCE = {"bank": {"*": {"percent": "5"}}}


def settings_for(truth: dict):  # noqa: ANN201 - Settings, imported lazily
    from pipeline.settings import Settings, ShopAccount

    return Settings(accounts=[ShopAccount(number=a["number"], bank=a["bank"],
                                          currency=a["currency"])
                              for a in truth["shop_accounts"]],
                    fee_tolerance=WORLD_FEE_TOLERANCE)


def run_world(seed: int, clients: int, work: Path) -> Run:
    """Generate, ingest, reconcile and report in ``work`` (emptied first); the exports read
    back."""
    from flows.steps import ingest_file, reconcile, report
    from sample_data.world import generate

    started = time.perf_counter()
    inbox, out = work / "inbox", work / "reports"
    for old in (inbox, out):  # a kept folder from an earlier run starts over
        shutil.rmtree(old, ignore_errors=True)
    (work / "payrecon.db").unlink(missing_ok=True)
    truth = generate(seed, inbox, clients)
    settings = settings_for(truth)
    url = f"sqlite:///{work / 'payrecon.db'}"
    files = [ingest_file(inbox / name, db_url=url, settings=settings) for name in truth["files"]]
    as_of = dt.date.fromisoformat(truth["as_of"])
    reconcile(db_url=url, as_of=as_of, settings=settings)
    report(db_url=url, out_dir=out, as_of=as_of, settings=settings)
    return Run(truth, score.read_exports(out), files, _reject_reasons(url),
               time.perf_counter() - started)


def _reject_reasons(url: str) -> dict:
    from pipeline.store import Store

    with Store(url) as store:
        rejects = store.load_rejects()
    reasons = rejects["source_file"] + ": " + rejects["reason"].str.split("'").str[0]
    return {k: int(v) for k, v in reasons.value_counts().sort_index().items()}


def measure(run: Run) -> dict:
    """Every figure of the report, as plain values and frames."""
    truth, exports = run.truth, run.exports
    matches = exports["matches"]
    return {
        "false_auto": score.false_autos(truth, matches),
        "auto": score.link_scores(truth, matches, score.SETTLED),
        "auto_suggested": score.link_scores(truth, matches, (*score.SETTLED, "suggested")),
        "situations": score.situation_scores(truth, matches),
        "invoices": score.invoice_accuracy(truth, exports["invoices"]),
        "knowable": score.status_with_evidence(truth, exports["invoices"]),
        "payouts": checks.payout_scores(truth, exports["payouts"]),
        "tickets": checks.ticket_scores(truth, exports["tickets"], exports["exceptions"]),
        "gateway": checks.gateway_scores(truth, exports["exceptions"]),
        "noise": checks.noise_scores(truth, exports["other_money"]),
        "tie_out": checks.tie_out(truth, exports),
        "unaccounted": checks.unaccounted(truth, exports),
    }


def render(run: Run, figures: dict) -> str:
    truth = run.truth
    rejected = sum(f.rejected for f in run.files)
    quarantined = [f.file_name for f in run.files if f.status == "quarantined"]
    inv = figures["invoices"]
    payouts = figures["payouts"]
    lines = [
        f"seed {truth['seed']}, {truth['clients']} clients, {len(truth['invoices'])} invoices, "
        f"{len(score.true_links(truth))} true money->invoice links, {len(truth['money'])} "
        f"money records, {len(truth['tickets'])} tickets; as of {truth['as_of']}; "
        f"{run.seconds:.1f} s",
        f"input: {len(run.files)} files, {rejected} rows rejected, quarantined: "
        f"{quarantined or 'none'}",
        *(f"  rejected: {n} x {reason}" for reason, n in run.rejects.items()),
        "",
        f"FALSE AUTO: {len(figures['false_auto'])}",
    ]
    if len(figures["false_auto"]):
        lines.append(figures["false_auto"].head(20).to_string(index=False))
    lines += ["", "auto (+ confirmed), per evidence class:", _table(figures["auto"]), "",
              "auto + suggested, per evidence class:", _table(figures["auto_suggested"]), "",
              "links found, per situation:", figures["situations"].to_string(index=False), "",
              f"invoice status correct: {inv['status_correct']} / {inv['invoices']} "
              f"({inv['status_correct'] / inv['invoices']:.1%}); paid amount correct: "
              f"{inv['paid_correct']} / {inv['invoices']}",
              _knowable(figures["knowable"]),
              inv["confusion"].to_string(), "",
              f"payouts verified by their bank line: {payouts['verified']} / "
              f"{payouts['payouts']} (in transit on the as-of date: {payouts['in_transit']})",
              "", "tickets:", figures["tickets"].to_string(index=False), "",
              "gateway findings:", figures["gateway"].to_string(index=False), "",
              "money that is not a customer's (n/a: no other_money.csv):",
              _show(figures["noise"]), "",
              "tie-out per currency and source (money in = applied + suggested + credit + "
              "unmatched + non-customer + after as-of + difference; n/a = no such export):",
              _show(figures["tie_out"]), "",
              "the difference per true class (money no component covers):",
              figures["unaccounted"].to_string(index=False)]
    return "\n".join(lines)


def _knowable(known: dict) -> str:
    """The status accuracy on invoices whose paying money carries evidence, and where the
    wrong statuses are (per evidence class of the paying money)."""
    errors = ", ".join(f"{name} {n}" for name, n in known["errors"].items()) or "none"
    return (f"invoice status correct where the paying money carries evidence a matcher may "
            f"use (reference, ticket, client identity, unique amount; {known['left_out']} "
            f"invoices paid by money with none left out): {known['status_correct']} / "
            f"{known['invoices']} ({known['status_correct'] / known['invoices']:.1%})\n"
            f"wrong statuses per evidence of the paying money: {errors}")


def _show(frame: pd.DataFrame) -> str:
    """A table with ``n/a`` for the figures no export gives."""
    return frame.astype(object).where(frame.notna(), "n/a").to_string(index=False)


def _table(frame: pd.DataFrame) -> str:
    shown = frame.assign(**{name: frame[name].map(lambda v: "n/a" if pd.isna(v) else f"{v:.3f}")
                            for name in ("precision", "recall")})
    return shown.to_string(index=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=1500)
    parser.add_argument("--keep", type=Path, help="keep the world, database and reports here")
    parser.add_argument("--json", action="store_true", help="also print the headline figures")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="payrecon-accuracy-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    try:
        run = run_world(args.seed, args.clients, work)
        figures = measure(run)
        print(render(run, figures))
        if args.json:
            print(json.dumps(headline(figures), indent=1))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def headline(figures: dict) -> dict:
    """The few numbers to compare between engines."""
    auto = figures["auto"].set_index("evidence").loc["all"]
    both = figures["auto_suggested"].set_index("evidence").loc["all"]
    return {"false_auto": len(figures["false_auto"]), "auto_precision": auto["precision"],
            "auto_recall": auto["recall"], "auto_suggested_recall": both["recall"],
            "invoice_status_correct": figures["invoices"]["status_correct"],
            "invoice_status_correct_with_evidence": figures["knowable"]["status_correct"]}


if __name__ == "__main__":
    raise SystemExit(main())
