"""A small generated month (sample_data/world) goes through the real path - every file through
``ingest_file``, ``reconcile`` and ``report`` on SQLite - and the accuracy benchmark scores the
exports against its ground truth: nothing crashes, and no auto match is wrong."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import accuracy  # noqa: E402
from benchmarks.accuracy_score import key_of  # noqa: E402
from sample_data.world import generate  # noqa: E402


def test_a_small_world_reconciles_with_no_false_auto_match(tmp_path):
    run = accuracy.run_world(seed=3, clients=60, work=tmp_path)
    figures = accuracy.measure(run)
    assert [f.status for f in run.files] == ["ingested"] * len(run.truth["files"])
    assert all("ambiguous amount" in reason for reason in run.rejects)  # typed "150,000"
    assert len(figures["false_auto"]) == 0
    assert figures["auto"].set_index("evidence").loc["all", "precision"] == 1.0
    assert figures["invoices"]["invoices"] == len(run.truth["invoices"])
    assert "FALSE AUTO: 0" in accuracy.render(run, figures)


def test_every_money_record_and_ticket_of_the_truth_lands_where_the_truth_says(tmp_path):
    truth = generate(4, tmp_path, clients=60)
    named = {key_of(m) for m in truth["money"]}
    assert len(named) == len(truth["money"])  # one record per key, each with a file
    assert all(m["file"] in truth["files"] for m in truth["money"])
    assert all(t["file"] in truth["files"] and t["line"] for t in truth["tickets"])
    links = [a for m in truth["money"] if m["class"] == "payment" for a in m["allocations"]]
    assert {m["class"] for m in truth["money"]} >= {"payment", "payout", "outgoing", "fee"}
    assert len(links) > 30


def test_the_same_seed_and_size_give_byte_identical_files(tmp_path):
    first = generate(5, tmp_path / "a", clients=40)
    generate(5, tmp_path / "b", clients=40)
    for name in [*first["files"], "truth.json"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    other = generate(6, tmp_path / "c", clients=40)
    assert other["money"] != first["money"]
