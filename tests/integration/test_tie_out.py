"""The tie-out on generated months (sample_data/world) through the real path: per currency
and source, money in = applied + suggested + credit + unmatched + non-customer + after as-of,
exactly, as ``summary.json`` states it and as the accuracy benchmark counts it from the
exports against the ground truth."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import accuracy  # noqa: E402
from benchmarks import accuracy_checks as checks  # noqa: E402


@pytest.mark.parametrize("seed", [1, 2])
def test_every_unit_of_money_is_accounted_for_per_currency_and_source(tmp_path, seed):
    run = accuracy.run_world(seed=seed, clients=150, work=tmp_path)
    summary = json.loads((tmp_path / "reports" / "summary.json").read_text())
    stated = {(row["currency"], row["source_kind"]): row for row in summary["tie_out"]}
    incoming: dict[tuple[str, str], Decimal] = {}
    for m in run.truth["money"]:
        if Decimal(m["amount"]) > 0:
            key = (m["currency"], m["source_kind"])
            incoming[key] = incoming.get(key, Decimal(0)) + Decimal(m["amount"])
    assert {k: Decimal(v["money_in"]) for k, v in stated.items()} == incoming
    assert all(Decimal(row["difference"]) == 0 for row in stated.values())
    parts = ["applied", "suggested", "credit", "unmatched", "non_customer", "after_as_of"]
    assert all(sum(Decimal(row[p]) for p in parts) == Decimal(row["money_in"])
               for row in stated.values())
    counted = checks.tie_out(run.truth, run.exports)
    assert (counted["difference"] == 0).all()
    assert counted["non_customer"].map(Decimal).sum() > 0
    assert counted["after_as_of"].map(Decimal).sum() > 0
